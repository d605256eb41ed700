package settings

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/scoopa/webhooks/ent"
	"github.com/scoopa/webhooks/ent/folder"
	"github.com/scoopa/webhooks/ent/webhook"
	"github.com/scoopa/webhooks/ent/webhookheader"
	"github.com/scoopa/webhooks/internal/audit"
	"github.com/scoopa/webhooks/internal/auth"
	"github.com/scoopa/webhooks/internal/calllog"
	"github.com/scoopa/webhooks/internal/limits"
	"github.com/scoopa/webhooks/internal/problem"
	"github.com/scoopa/webhooks/internal/rules"
	"github.com/scoopa/webhooks/internal/sender"
)

// HeaderInput is an extra header of a webhook. In an update, a nil Value
// keeps the value the header of that name has now.
type HeaderInput struct {
	Name  string
	Value *string
}

// CreateWebhookInput is a new webhook.
type CreateWebhookInput struct {
	Name       string
	URL        string
	Headers    []*HeaderInput
	Filter     *string
	AllFolders *bool
	FolderIDs  []int
	Active     *bool
	// Media filters (rules.FileFilter); nil or empty: unset.
	ContentTypes []string
	NameGlob     *string
	MinSizeBytes *int64
	MaxSizeBytes *int64
	// Delivery limits, timeout and retry schedule (internal/limits); nil: unset.
	MaxRequestsPerSecond *int
	MaxConcurrent        *int
	TimeoutSeconds       *int
	RetryDelays          []string
	// Ordered delivers the webhook's calls one at a time, in file order
	// (order.go). Nil: false.
	Ordered *bool
	// Authentication to the receiver (auth.go); nil: none.
	OAuth2            *OAuth2Input
	ClientCertificate *ClientCertificateInput
	CACertificate     *string
}

// UpdateWebhookInput changes a webhook; nil fields stay as they are.
type UpdateWebhookInput struct {
	Name        *string
	URL         *string
	Headers     []*HeaderInput // replaces the set when not nil
	Filter      *string
	ClearFilter *bool
	// Media filters (rules.FileFilter): a value sets one, its Clear flag
	// unsets it; an empty list or pattern unsets it too.
	ContentTypes      []string
	ClearContentTypes *bool
	NameGlob          *string
	ClearNameGlob     *bool
	MinSizeBytes      *int64
	ClearMinSizeBytes *bool
	MaxSizeBytes      *int64
	ClearMaxSizeBytes *bool
	AllFolders        *bool
	AddFolderIDs      []int
	RemoveFolderIDs   []int
	ClearFolders      *bool
	Active            *bool
	// Delivery limits, timeout and retry schedule (internal/limits): a value sets
	// one, its Clear flag unsets it (unlimited, or the service's default).
	MaxRequestsPerSecond      *int
	ClearMaxRequestsPerSecond *bool
	MaxConcurrent             *int
	ClearMaxConcurrent        *bool
	TimeoutSeconds            *int
	ClearTimeoutSeconds       *bool
	RetryDelays               []string
	ClearRetryDelays          *bool
	// Ordered switches ordered delivery on or off for calls created
	// afterwards (order.go).
	Ordered *bool
	// Authentication to the receiver (auth.go): a value sets it, its Clear
	// flag removes it; nil keeps it.
	OAuth2                 *OAuth2Input
	ClearOAuth2            *bool
	ClientCertificate      *ClientCertificateInput
	ClearClientCertificate *bool
	CACertificate          *string
	ClearCACertificate     *bool
}

// CreateWebhook stores a new webhook, inactive unless asked otherwise, with
// a fresh signing secret, then validates its URL (the result is on the
// returned webhook; the webhook is kept whatever it is).
func (s *Service) CreateWebhook(ctx context.Context, in CreateWebhookInput) (*ent.Webhook, error) {
	if err := s.checkCreate(in); err != nil {
		return nil, err
	}
	if err := s.checkFolders(ctx, "folderIDs", in.FolderIDs); err != nil {
		return nil, err
	}
	if n, err := s.db.Webhook.Query().Count(ctx); err != nil {
		return nil, fmt.Errorf("count webhooks: %w", err)
	} else if n >= s.cfg.MaxWebhooks {
		return nil, problem.Invalid("name", "the limit of %d webhooks is reached; delete one first", s.cfg.MaxWebhooks)
	}
	var id int
	now := s.now()
	err := withTx(ctx, s.db, func(tx *ent.Tx) error {
		c := tx.Webhook.Create().
			SetCreatedAt(now).
			SetUpdatedAt(now).
			SetName(strings.TrimSpace(in.Name)).
			SetURL(in.URL).
			SetAllFolders(in.AllFolders != nil && *in.AllFolders).
			SetActive(in.Active != nil && *in.Active).
			SetOrdered(in.Ordered != nil && *in.Ordered).
			SetSigningSecret(s.keys.SealSigningSecret(sender.NewSigningSecret())).
			AddFolderIDs(in.FolderIDs...)
		if in.Filter != nil && *in.Filter != "" {
			c.SetFilter(*in.Filter)
		}
		if ct := rules.NormalContentTypes(in.ContentTypes); ct != nil {
			c.SetContentTypes(ct)
		}
		if in.NameGlob != nil && *in.NameGlob != "" {
			c.SetNameGlob(*in.NameGlob)
		}
		c.SetNillableMinSizeBytes(in.MinSizeBytes).SetNillableMaxSizeBytes(in.MaxSizeBytes)
		c.SetNillableMaxRequestsPerSecond(in.MaxRequestsPerSecond).
			SetNillableMaxConcurrent(in.MaxConcurrent).
			SetNillableTimeoutSeconds(in.TimeoutSeconds)
		if in.RetryDelays != nil {
			c.SetRetryDelays(limits.NormalDelays(in.RetryDelays))
		}
		if err := s.setAuth(c, in); err != nil {
			return err
		}
		wh, err := c.Save(ctx)
		if err != nil {
			return err
		}
		id = wh.ID
		if err := s.saveHeaders(ctx, tx, wh.ID, in.Headers, nil); err != nil {
			return err
		}
		wh, snap, err := s.loadSnapshot(ctx, tx, id)
		if err != nil {
			return err
		}
		return s.record(ctx, tx, "webhook.create", wh, []audit.Snapshot{nil, snap})
	})
	if err != nil {
		return nil, fmt.Errorf("create webhook: %w", err)
	}
	s.log.InfoContext(ctx, "webhook created", "webhook_id", id)
	return s.domain.Validate(ctx, id)
}

// checkCreate checks every field of a new webhook and reports every
// problem, each on its field.
func (s *Service) checkCreate(in CreateWebhookInput) error {
	errs := []error{rules.CheckName("name", in.Name), rules.CheckURL("url", in.URL)}
	if in.Filter != nil {
		errs = append(errs, rules.CheckFilter("filter", *in.Filter))
	}
	errs = append(errs, checkMedia(in.ContentTypes, in.NameGlob),
		rules.CheckSizeRange("minSizeBytes", "maxSizeBytes", in.MinSizeBytes, in.MaxSizeBytes))
	errs = append(errs, s.checkHeaders(in.Headers, true),
		limits.Check(in.MaxRequestsPerSecond, in.MaxConcurrent, in.TimeoutSeconds, in.RetryDelays),
		checkOAuth2(in.OAuth2, true), checkClientCertificate(in.ClientCertificate, nil, s.now()), checkCA(in.CACertificate),
		checkCertScheme(in.URL, in.ClientCertificate != nil, true))
	return problem.Gather(errs...)
}

// checkHeaders checks a set of headers and reports every bad one on its
// field ("headers.2.name", "headers.2.value"). needValues is set when no
// stored value can stand in for a missing one.
func (s *Service) checkHeaders(hs []*HeaderInput, needValues bool) error {
	if len(hs) > s.cfg.MaxHeaders {
		return problem.Invalid("headers", "at most %d headers are allowed", s.cfg.MaxHeaders)
	}
	var errs []error
	seen := map[string]bool{}
	for i, h := range hs {
		name, value := fmt.Sprintf("headers.%d.name", i), fmt.Sprintf("headers.%d.value", i)
		if err := rules.CheckHeaderName(name, h.Name); err != nil {
			errs = append(errs, err)
			continue
		}
		k := http.CanonicalHeaderKey(h.Name)
		if seen[k] {
			errs = append(errs, problem.Invalid(name, "header %q is given twice", h.Name))
		}
		seen[k] = true
		if needValues && h.Value == nil {
			errs = append(errs, problem.Invalid(value, "header %q needs a value", h.Name))
		}
		errs = append(errs, rules.CheckHeaderValue(value, h.Name, h.Value))
	}
	return problem.Gather(errs...)
}

// checkFolders makes sure every ID names a folder.
func (s *Service) checkFolders(ctx context.Context, field string, ids []int) error {
	if len(ids) == 0 {
		return nil
	}
	found, err := s.db.Folder.Query().Where(folder.IDIn(ids...)).IDs(ctx)
	if err != nil {
		return fmt.Errorf("look up folders: %w", err)
	}
	have := make(map[int]bool, len(found))
	for _, id := range found {
		have[id] = true
	}
	for _, id := range ids {
		if !have[id] {
			return problem.Invalid(field, "folder %d does not exist", id)
		}
	}
	return nil
}

// saveHeaders replaces the webhook's headers by hs, sealing their values;
// values that are nil are taken (still sealed) from old (by header name,
// ignoring case).
func (s *Service) saveHeaders(ctx context.Context, tx *ent.Tx, webhookID int, hs []*HeaderInput, old []*ent.WebhookHeader) error {
	prev := map[string]string{}
	for _, h := range old {
		prev[http.CanonicalHeaderKey(h.Name)] = h.Value
	}
	if _, err := tx.WebhookHeader.Delete().Where(webhookheader.HasWebhookWith(webhook.ID(webhookID))).Exec(ctx); err != nil {
		return err
	}
	bulk := make([]*ent.WebhookHeaderCreate, 0, len(hs))
	for i, h := range hs {
		v, ok := "", false
		if h.Value != nil {
			v, ok = s.keys.SealHeader(h.Name, *h.Value), true
		} else {
			v, ok = prev[http.CanonicalHeaderKey(h.Name)]
		}
		if !ok {
			return problem.Invalid(fmt.Sprintf("headers.%d.value", i), "header %q has no stored value; give one", h.Name)
		}
		bulk = append(bulk, tx.WebhookHeader.Create().SetName(h.Name).SetValue(v).SetPosition(i).SetWebhookID(webhookID))
	}
	return tx.WebhookHeader.CreateBulk(bulk...).Exec(ctx)
}

// UpdateWebhook applies a change. When the URL or the headers change, the
// webhook is validated again; when it is deactivated, its waiting calls are
// canceled.
func (s *Service) UpdateWebhook(ctx context.Context, id int, in UpdateWebhookInput) (*ent.Webhook, error) {
	if err := s.checkUpdate(in); err != nil {
		return nil, err
	}
	if err := s.checkFolders(ctx, "addFolderIDs", in.AddFolderIDs); err != nil {
		return nil, err
	}
	var (
		revalidate bool
		canceled   []*ent.WebhookCall
	)
	err := withTx(ctx, s.db, func(tx *ent.Tx) error {
		wh, err := s.store.LockWebhook(calllog.WithHeadersInOrder(tx.Webhook.Query().Where(webhook.ID(id)))).Only(ctx)
		if ent.IsNotFound(err) {
			return problem.NotFound("webhook", id)
		} else if err != nil {
			return err
		}
		if err := checkUpdateScheme(wh, in); err != nil {
			return err
		}
		_, before, err := s.loadSnapshot(ctx, tx, id)
		if err != nil {
			return err
		}
		u := tx.Webhook.UpdateOneID(id).SetUpdatedAt(s.now())
		if in.Name != nil {
			u.SetName(strings.TrimSpace(*in.Name))
		}
		if in.URL != nil && *in.URL != wh.URL {
			if err := needHeadersAgain(wh.URL, *in.URL, wh.Edges.Headers, in.Headers); err != nil {
				return err
			}
			if err := needClientSecretAgain(wh, *in.URL, in); err != nil {
				return err
			}
			u.SetURL(*in.URL)
			revalidate = true
		}
		if in.ClearFilter != nil && *in.ClearFilter {
			u.ClearFilter()
		} else if in.Filter != nil {
			if *in.Filter == "" {
				u.ClearFilter()
			} else {
				u.SetFilter(*in.Filter)
			}
		}
		if err := updateMedia(u, wh, in); err != nil {
			return err
		}
		if in.AllFolders != nil {
			u.SetAllFolders(*in.AllFolders)
		}
		if in.ClearFolders != nil && *in.ClearFolders {
			u.ClearFolders()
		}
		u.RemoveFolderIDs(in.RemoveFolderIDs...).AddFolderIDs(in.AddFolderIDs...)
		if in.Active != nil {
			u.SetActive(*in.Active)
			if *in.Active {
				u.ClearDisabledReason().ClearDisabledAt() // health.go
			}
		}
		updateLimits(u, in)
		if in.Ordered != nil {
			u.SetOrdered(*in.Ordered) // for calls created from now on (order.go)
		}
		authChanged, err := s.updateAuth(u, wh, in)
		if err != nil {
			return err
		}
		revalidate = revalidate || authChanged
		if _, err := u.Save(ctx); err != nil {
			return err
		}
		if in.Headers != nil {
			if err := s.saveHeaders(ctx, tx, id, in.Headers, wh.Edges.Headers); err != nil {
				return err
			}
			old, err := s.keys.Opened(wh)
			if err != nil {
				return err
			}
			revalidate = revalidate || headersChanged(old.Edges.Headers, in.Headers)
		}
		if in.Active != nil && !*in.Active {
			if canceled, err = s.domain.CancelWaiting(ctx, tx, id, "webhook deactivated"); err != nil {
				return err
			}
		}
		saved, after, err := s.loadSnapshot(ctx, tx, id)
		if err != nil {
			return err
		}
		return s.record(ctx, tx, updateAction(before, after), saved, []audit.Snapshot{before, after})
	})
	s.domain.Forget(id)
	if err != nil {
		return nil, fmt.Errorf("update webhook %d: %w", id, err)
	}
	s.domain.Publish(ctx, canceled...)
	if revalidate {
		return s.domain.Validate(ctx, id)
	}
	return s.db.Webhook.Get(ctx, id)
}

// checkUpdateScheme checks the URL and the client certificate wh has once
// in is applied (checkCertScheme).
func checkUpdateScheme(wh *ent.Webhook, in UpdateWebhookInput) error {
	url := wh.URL
	if in.URL != nil {
		url = *in.URL
	}
	cleared := in.ClearClientCertificate != nil && *in.ClearClientCertificate
	hasCert := in.ClientCertificate != nil || (wh.ClientCert != nil && !cleared)
	return checkCertScheme(url, hasCert, in.ClientCertificate != nil)
}

// checkUpdate checks every field given and reports every problem, each on
// its field.
func (s *Service) checkUpdate(in UpdateWebhookInput) error {
	var errs []error
	if in.Name != nil {
		errs = append(errs, rules.CheckName("name", *in.Name))
	}
	if in.URL != nil {
		errs = append(errs, rules.CheckURL("url", *in.URL))
	}
	if in.Filter != nil {
		errs = append(errs, rules.CheckFilter("filter", *in.Filter))
	}
	errs = append(errs, checkMedia(in.ContentTypes, in.NameGlob),
		rules.CheckSizeRange("minSizeBytes", "maxSizeBytes", in.MinSizeBytes, in.MaxSizeBytes))
	errs = append(errs, s.checkHeaders(in.Headers, false),
		limits.Check(in.MaxRequestsPerSecond, in.MaxConcurrent, in.TimeoutSeconds, in.RetryDelays),
		checkOAuth2(in.OAuth2, false), checkCA(in.CACertificate))
	if cc := in.ClientCertificate; cc != nil {
		if cc.Key != nil {
			errs = append(errs, checkClientCertificate(cc, nil, s.now()))
		} else if _, err := parseCertificates("clientCertificate.certificate", cc.Certificate); err != nil {
			errs = append(errs, err) // the pair is checked with the stored key
		}
	}
	return problem.Gather(errs...)
}

// needHeadersAgain refuses an update that moves a webhook to another origin
// (scheme, host and port) while keeping stored header values: they are
// credentials for the old host, never read back, and must not follow the
// URL to a host their owner did not pick. The update must give every kept
// header's value again, or remove the header.
func needHeadersAgain(oldURL, newURL string, stored []*ent.WebhookHeader, in []*HeaderInput) error {
	if len(stored) == 0 || sameOrigin(oldURL, newURL) {
		return nil
	}
	had := map[string]string{}
	for _, h := range stored {
		had[http.CanonicalHeaderKey(h.Name)] = h.Name
	}
	var kept []string
	if in == nil {
		kept = headerNames(stored)
	} else {
		for _, h := range in {
			if name, ok := had[http.CanonicalHeaderKey(h.Name)]; ok && h.Value == nil {
				kept = append(kept, name)
			}
		}
	}
	if len(kept) == 0 {
		return nil
	}
	quoted := make([]string, len(kept))
	for i, n := range kept {
		quoted[i] = strconv.Quote(n)
	}
	return problem.Invalid("headers", "the URL moves to another host (%s): give the values of %s again in the same update, or remove those headers; stored values are never sent to another host",
		origin(newURL), strings.Join(quoted, ", "))
}

// needClientSecretAgain refuses an update that moves a webhook with an
// OAuth2 setting to another origin while keeping the stored client secret:
// the tokens it obtains would be sent to a host its owner did not pick. The
// update must give the client secret again, or clear the OAuth2 setting.
func needClientSecretAgain(wh *ent.Webhook, newURL string, in UpdateWebhookInput) error {
	if wh.OauthTokenURL == nil || sameOrigin(wh.URL, newURL) {
		return nil
	}
	if in.ClearOAuth2 != nil && *in.ClearOAuth2 {
		return nil
	}
	if in.OAuth2 != nil && in.OAuth2.ClientSecret != nil {
		return nil
	}
	return problem.Invalid("oauth2.clientSecret", "the URL moves to another host (%s): give the OAuth2 setting with its client secret again in the same update, or clear it; tokens obtained with a stored secret are never sent to another host",
		origin(newURL))
}

// sameOrigin reports whether two URLs have the same scheme, host and port
// (default ports made explicit).
func sameOrigin(a, b string) bool { return origin(a) == origin(b) }

// origin returns scheme://host:port of a URL (rules.Origin).
func origin(raw string) string { return rules.Origin(raw) }

func headersChanged(old []*ent.WebhookHeader, in []*HeaderInput) bool {
	if len(old) != len(in) {
		return true
	}
	prev := map[string]string{}
	for _, h := range old {
		prev[h.Name] = h.Value
	}
	for _, h := range in {
		v, ok := prev[h.Name]
		if !ok || (h.Value != nil && *h.Value != v) {
			return true
		}
	}
	return false
}

// DeleteWebhook deletes a webhook and cancels its waiting calls; the call
// log keeps its calls.
func (s *Service) DeleteWebhook(ctx context.Context, id int) error {
	var canceled []*ent.WebhookCall
	err := withTx(ctx, s.db, func(tx *ent.Tx) error {
		var err error
		if canceled, err = s.domain.CancelWaiting(ctx, tx, id, "webhook deleted"); err != nil {
			return err
		}
		wh, err := tx.Webhook.Get(ctx, id)
		if ent.IsNotFound(err) {
			return problem.NotFound("webhook", id)
		} else if err != nil {
			return err
		}
		if err := tx.Webhook.DeleteOneID(id).Exec(ctx); err != nil {
			return err
		}
		return s.record(ctx, tx, "webhook.delete", wh, nil)
	})
	s.domain.Forget(id)
	if err != nil {
		return fmt.Errorf("delete webhook %d: %w", id, err)
	}
	s.log.InfoContext(ctx, "webhook deleted", "webhook_id", id, "canceled_calls", len(canceled))
	s.domain.Publish(ctx, canceled...)
	return nil
}

// RotateSecret gives the webhook a new signing secret. The old one keeps
// signing calls, beside the new one, for the grace period.
func (s *Service) RotateSecret(ctx context.Context, id int) (*ent.Webhook, error) {
	var out *ent.Webhook
	err := withTx(ctx, s.db, func(tx *ent.Tx) error {
		wh, err := s.store.LockWebhook(tx.Webhook.Query().Where(webhook.ID(id))).Only(ctx)
		if ent.IsNotFound(err) {
			return problem.NotFound("webhook", id)
		} else if err != nil {
			return err
		}
		now := s.now()
		out, err = tx.Webhook.UpdateOne(wh).
			SetUpdatedAt(now).
			SetPreviousSigningSecret(wh.SigningSecret).
			SetPreviousSecretExpiresAt(now.Add(s.cfg.SecretGracePeriod)).
			SetSigningSecret(s.keys.SealSigningSecret(sender.NewSigningSecret())).
			Save(ctx)
		if err != nil {
			return err
		}
		return s.record(ctx, tx, "webhook.rotate_secret", out, []audit.Snapshot{
			{"signingSecret": audit.Secret(wh.SigningSecret)}, {"signingSecret": audit.Secret(out.SigningSecret)}})
	})
	s.domain.Forget(id)
	if err != nil {
		return nil, fmt.Errorf("rotate secret of webhook %d: %w", id, err)
	}
	s.log.InfoContext(ctx, "signing secret rotated", "webhook_id", id)
	return out, nil
}

// CreateFolder stores a new folder.
func (s *Service) CreateFolder(ctx context.Context, name string) (*ent.Folder, error) {
	if err := rules.CheckName("name", name); err != nil {
		return nil, err
	}
	var f *ent.Folder
	err := withTx(ctx, s.db, func(tx *ent.Tx) error {
		var err error
		if f, err = tx.Folder.Create().SetName(strings.TrimSpace(name)).SetCreatedAt(s.now()).Save(ctx); err != nil {
			return err
		}
		return audit.Record(ctx, tx.Client(), s.now(), auth.ActorFrom(ctx), audit.Entry{Action: "folder.create",
			SubjectType: "Folder", SubjectID: f.ID, SubjectName: f.Name,
			Changes: audit.Diff(nil, audit.Snapshot{"name": audit.Plain(f.Name)})})
	})
	if err != nil {
		return nil, fmt.Errorf("create folder: %w", err)
	}
	return f, nil
}

// headerNames lists the names of hs, for messages.
func headerNames(hs []*ent.WebhookHeader) []string {
	names := make([]string, 0, len(hs))
	for _, h := range hs {
		names = append(names, h.Name)
	}
	slices.Sort(names)
	return names
}

// updateLimits applies the limit fields of an update: a Clear flag wins
// over a value given beside it.
func updateLimits(u *ent.WebhookUpdateOne, in UpdateWebhookInput) {
	set := func(clear *bool, v *int, setV func(int) *ent.WebhookUpdateOne, clearV func() *ent.WebhookUpdateOne) {
		switch {
		case clear != nil && *clear:
			clearV()
		case v != nil:
			setV(*v)
		}
	}
	set(in.ClearMaxRequestsPerSecond, in.MaxRequestsPerSecond, u.SetMaxRequestsPerSecond, u.ClearMaxRequestsPerSecond)
	set(in.ClearMaxConcurrent, in.MaxConcurrent, u.SetMaxConcurrent, u.ClearMaxConcurrent)
	set(in.ClearTimeoutSeconds, in.TimeoutSeconds, u.SetTimeoutSeconds, u.ClearTimeoutSeconds)
	switch {
	case in.ClearRetryDelays != nil && *in.ClearRetryDelays:
		u.ClearRetryDelays()
	case in.RetryDelays != nil:
		u.SetRetryDelays(limits.NormalDelays(in.RetryDelays))
	}
}

// checkMedia checks the content type patterns and the name pattern of a
// webhook's media filters.
func checkMedia(contentTypes []string, nameGlob *string) error {
	var errs []error
	errs = append(errs, rules.CheckContentTypes("contentTypes", contentTypes))
	if nameGlob != nil && *nameGlob != "" {
		errs = append(errs, rules.CheckGlob("nameGlob", *nameGlob))
	}
	return problem.Gather(errs...)
}

// updateMedia applies the media filters of in to u; the size range that
// wh has once in is applied must hold (a least size above the greatest is
// refused, naming the bound given).
func updateMedia(u *ent.WebhookUpdateOne, wh *ent.Webhook, in UpdateWebhookInput) error {
	set := func(flag *bool) bool { return flag != nil && *flag }
	switch ct := rules.NormalContentTypes(in.ContentTypes); {
	case set(in.ClearContentTypes), in.ContentTypes != nil && ct == nil:
		u.ClearContentTypes()
	case ct != nil:
		u.SetContentTypes(ct)
	}
	switch {
	case set(in.ClearNameGlob), in.NameGlob != nil && *in.NameGlob == "":
		u.ClearNameGlob()
	case in.NameGlob != nil:
		u.SetNameGlob(*in.NameGlob)
	}
	lo, hi := wh.MinSizeBytes, wh.MaxSizeBytes
	switch {
	case set(in.ClearMinSizeBytes):
		u.ClearMinSizeBytes()
		lo = nil
	case in.MinSizeBytes != nil:
		u.SetMinSizeBytes(*in.MinSizeBytes)
		lo = in.MinSizeBytes
	}
	switch {
	case set(in.ClearMaxSizeBytes):
		u.ClearMaxSizeBytes()
		hi = nil
	case in.MaxSizeBytes != nil:
		u.SetMaxSizeBytes(*in.MaxSizeBytes)
		hi = in.MaxSizeBytes
	}
	if lo != nil && hi != nil && *lo > *hi {
		field, other := "minSizeBytes", "maxSizeBytes"
		if in.MinSizeBytes == nil || set(in.ClearMinSizeBytes) {
			field, other = "maxSizeBytes", "minSizeBytes"
			return problem.Invalid(field, "must not be below %s (%d < %d)", other, *hi, *lo)
		}
		return problem.Invalid(field, "must not be above %s (%d > %d)", other, *lo, *hi)
	}
	return nil
}
