package settings

import (
	"context"
	"slices"
	"strconv"
	"strings"

	"github.com/scoopa/webhooks/ent"
	"github.com/scoopa/webhooks/ent/webhook"
	"github.com/scoopa/webhooks/internal/audit"
	"github.com/scoopa/webhooks/internal/auth"
	"github.com/scoopa/webhooks/internal/calllog"
)

// What the audit log records of a webhook: its settings as the API shows
// them, field by field (snapshot), the secrets only as set or changed
// (internal/audit).

// record writes the audit entry of a change to wh, made in tx.
func (s *Service) record(ctx context.Context, tx *ent.Tx, action string, wh *ent.Webhook, changes []audit.Snapshot) error {
	e := audit.Entry{Action: action, SubjectType: "Webhook", SubjectID: wh.ID, SubjectName: wh.Name}
	if len(changes) == 2 {
		e.Changes = audit.Diff(changes[0], changes[1])
		if len(e.Changes) == 0 && changes[0] != nil {
			return nil // an update that changed nothing
		}
	}
	return audit.Record(ctx, tx.Client(), s.now(), auth.ActorFrom(ctx), e)
}

// loadSnapshot reads webhook id in tx, with its headers and folders, and
// returns what the audit log shows of it.
func (s *Service) loadSnapshot(ctx context.Context, tx *ent.Tx, id int) (*ent.Webhook, audit.Snapshot, error) {
	wh, err := calllog.WithHeadersInOrder(tx.Webhook.Query().Where(webhook.ID(id))).Only(ctx)
	if err != nil {
		return nil, nil, err
	}
	folders, err := tx.Webhook.QueryFolders(wh).IDs(ctx)
	if err != nil {
		return nil, nil, err
	}
	open, err := s.keys.Opened(wh)
	if err != nil {
		return nil, nil, err
	}
	return wh, snapshot(open, folders), nil
}

// snapshot is what the audit log shows of the opened webhook wh, assigned
// to folders.
func snapshot(wh *ent.Webhook, folders []int) audit.Snapshot {
	s := audit.Snapshot{
		"name":          audit.Plain(wh.Name),
		"url":           audit.URL(wh.URL),
		"active":        audit.Plain(strconv.FormatBool(wh.Active)),
		"allFolders":    audit.Plain(strconv.FormatBool(wh.AllFolders)),
		"ordered":       audit.Plain(strconv.FormatBool(wh.Ordered)),
		"signingSecret": audit.Secret(wh.SigningSecret),
	}
	str := func(name string, v *string, mk func(string) audit.Value) {
		if v != nil {
			s[name] = mk(*v)
		}
	}
	num := func(name string, v *int) {
		if v != nil {
			s[name] = audit.Plain(strconv.Itoa(*v))
		}
	}
	str("filter", wh.Filter, audit.Plain)
	if len(wh.ContentTypes) > 0 {
		s["contentTypes"] = audit.Plain(strings.Join(wh.ContentTypes, ", "))
	}
	str("nameGlob", wh.NameGlob, audit.Plain)
	num64 := func(name string, v *int64) {
		if v != nil {
			s[name] = audit.Plain(strconv.FormatInt(*v, 10))
		}
	}
	num64("minSizeBytes", wh.MinSizeBytes)
	num64("maxSizeBytes", wh.MaxSizeBytes)
	num("maxRequestsPerSecond", wh.MaxRequestsPerSecond)
	num("maxConcurrent", wh.MaxConcurrent)
	num("timeoutSeconds", wh.TimeoutSeconds)
	if wh.RetryDelays != nil {
		s["retryDelays"] = audit.Plain(strings.Join(wh.RetryDelays, ", "))
	}
	if len(folders) > 0 {
		slices.Sort(folders)
		ids := make([]string, len(folders))
		for i, id := range folders {
			ids[i] = strconv.Itoa(id)
		}
		s["folders"] = audit.Plain(strings.Join(ids, ", "))
	}
	for _, h := range wh.Edges.Headers {
		s["headers."+h.Name] = audit.Secret(h.Value)
	}
	str("oauth2.tokenURL", wh.OauthTokenURL, audit.URL)
	str("oauth2.clientID", wh.OauthClientID, audit.Plain)
	str("oauth2.clientSecret", wh.OauthClientSecret, audit.Secret)
	str("oauth2.audience", wh.OauthAudience, audit.Plain)
	if len(wh.OauthScopes) > 0 {
		s["oauth2.scopes"] = audit.Plain(strings.Join(wh.OauthScopes, " "))
	}
	if wh.ClientCert != nil {
		v := audit.Plain(*wh.ClientCert)
		if c, err := ClientCertificateOf(wh); err == nil && c != nil {
			v.Shown = c.Subject + " (SHA-256 " + c.Fingerprint + ")"
		}
		s["clientCertificate"] = v
	}
	str("clientCertificate.key", wh.ClientKey, audit.Secret)
	if wh.CaCert != nil {
		v := audit.Plain(*wh.CaCert)
		if cs, err := CACertificatesOf(wh); err == nil {
			parts := make([]string, len(cs))
			for i, c := range cs {
				parts[i] = c.Subject + " (SHA-256 " + c.Fingerprint + ")"
			}
			v.Shown = strings.Join(parts, "; ")
		}
		s["caCertificate"] = v
	}
	return s
}

// updateAction names an update in the audit log: assigning folders when
// it changed nothing else.
func updateAction(old, new audit.Snapshot) string {
	changes := audit.Diff(old, new)
	if len(changes) == 0 {
		return "webhook.update"
	}
	for _, c := range changes {
		if c.Field != "folders" && c.Field != "allFolders" {
			return "webhook.update"
		}
	}
	return "webhook.assign_folders"
}
