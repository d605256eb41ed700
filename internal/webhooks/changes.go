package webhooks

import (
	"context"
	"fmt"
	"math"
	"time"

	"github.com/scoopa/webhooks/ent"
	"github.com/scoopa/webhooks/ent/webhook"
	"github.com/scoopa/webhooks/ent/webhookcall"
	"github.com/scoopa/webhooks/internal/secrets"
	"github.com/scoopa/webhooks/internal/settings"
)

// settingsDomain is what a change of settings (internal/settings) asks of
// the domain.
type settingsDomain struct{ s *Service }

func (d settingsDomain) Validate(ctx context.Context, id int) (*ent.Webhook, error) {
	return d.s.Validate(ctx, id)
}

func (d settingsDomain) CancelWaiting(ctx context.Context, tx *ent.Tx, webhookID int, reason string) ([]*ent.WebhookCall, error) {
	return d.s.cancelWaiting(ctx, tx, webhookID, reason)
}

func (d settingsDomain) Forget(id int) { d.s.hooks.forget(id) }

func (d settingsDomain) Publish(ctx context.Context, calls ...*ent.WebhookCall) {
	d.s.publish(ctx, calls...)
}

// cancelWaiting marks the webhook's pending and retrying calls CANCELED.
func (s *Service) cancelWaiting(ctx context.Context, tx *ent.Tx, webhookID int, reason string) ([]*ent.WebhookCall, error) {
	waiting := webhookcall.And(webhookcall.WebhookID(webhookID),
		webhookcall.StatusIn(webhookcall.StatusPENDING, webhookcall.StatusRETRYING))
	ids, err := tx.WebhookCall.Query().Where(waiting).IDs(ctx)
	if err != nil || len(ids) == 0 {
		return nil, err
	}
	now := s.now()
	if err := tx.WebhookCall.Update().Where(webhookcall.IDIn(ids...), waiting).
		SetStatus(webhookcall.StatusCANCELED).SetError(reason).SetCompletedAt(now).SetUpdatedAt(now).ClearNextAttemptAt().ClearWaitReason().
		Exec(ctx); err != nil {
		return nil, err
	}
	return tx.WebhookCall.Query().Where(webhookcall.IDIn(ids...)).All(ctx)
}

// signingSecrets returns the secrets that sign the calls of wh, opened
// (see Service.opened), now.
func (s *Service) signingSecrets(wh *ent.Webhook, now time.Time) []string {
	secrets := []string{wh.SigningSecret}
	if wh.PreviousSigningSecret != nil && wh.PreviousSecretExpiresAt != nil && now.Before(*wh.PreviousSecretExpiresAt) {
		secrets = append(secrets, *wh.PreviousSigningSecret)
	}
	return secrets
}

// WarnExpiringCertificates tells the operator webhook about each client
// certificate that expires within settings.CertificateExpiryWarning (or has expired)
// and was not told about yet, and returns how many it told. Each is told
// once: the compare-and-set on client_cert_expiry_warned lets one scan
// through, however many run at once; a new certificate clears the flag.
// The revalidation scan runs it.
func (s *Service) WarnExpiringCertificates(ctx context.Context) (int, error) {
	if !s.operatorOn() {
		return 0, nil
	}
	now := s.now()
	hooks, err := s.db.Webhook.Query().
		Where(webhook.ClientCertNotAfterLTE(now.Add(settings.CertificateExpiryWarning)), webhook.ClientCertExpiryWarned(false)).
		Select(webhook.FieldID, webhook.FieldName, webhook.FieldURL, webhook.FieldClientCert, webhook.FieldClientCertNotAfter).
		Limit(1000).All(ctx)
	if err != nil {
		return 0, fmt.Errorf("find expiring certificates: %w", err)
	}
	n := 0
	for _, wh := range hooks {
		if wh.ClientCert == nil || wh.ClientCertNotAfter == nil {
			continue
		}
		won, err := s.db.Webhook.Update().
			Where(webhook.ID(wh.ID), webhook.ClientCertExpiryWarned(false), webhook.ClientCert(*wh.ClientCert)).
			SetClientCertExpiryWarned(true).Save(ctx)
		if err != nil {
			return n, fmt.Errorf("mark certificate of webhook %d: %w", wh.ID, err)
		}
		if won == 0 {
			continue // another scan told, or the certificate changed
		}
		info, err := settings.ClientCertificateOf(wh)
		if err != nil {
			return n, err
		}
		left := int(math.Floor(info.NotAfter.Sub(now).Hours() / 24))
		s.log.WarnContext(ctx, "client certificate expires soon", "webhook_id", wh.ID, "not_after", info.NotAfter, "days_left", left)
		s.raise(ctx, fmt.Sprintf("op_certificate_expiring_%d_%s", wh.ID, info.Fingerprint[:16]), EventCertificateExpiring,
			CertificateExpiringData{WebhookID: wh.ID, WebhookName: wh.Name, URL: secrets.MaskURL(wh.URL), Subject: info.Subject,
				Fingerprint: info.Fingerprint, NotAfter: info.NotAfter, DaysLeft: left})
		n++
	}
	return n, nil
}
