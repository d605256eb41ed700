package webhooks

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"time"

	"github.com/scoopa/webhooks/ent"
	"github.com/scoopa/webhooks/ent/webhook"
	"github.com/scoopa/webhooks/ent/webhookcall"
	"github.com/scoopa/webhooks/internal/calllog"
	"github.com/scoopa/webhooks/internal/files"
	"github.com/scoopa/webhooks/internal/operator"
	"github.com/scoopa/webhooks/internal/problem"
	"github.com/scoopa/webhooks/internal/secrets"
	"github.com/scoopa/webhooks/internal/settings"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/trace"
)

// A validation call tests a webhook's URL: a POST of the spec's validation
// body (its values are strings), with the extra and signature headers. A 2xx
// answer makes the webhook VALID, anything else INVALID with the reason. It
// is made when a webhook is saved, on demand, and every RevalidateInterval;
// it is never retried, and is logged as a call of kind VALIDATION.

// ValidationOrigin is the origin of validation calls, which receivers ignore.
const ValidationOrigin = "scoopa - endpoint validation test"

// ValidationPayload is the JSON body of a validation call.
type ValidationPayload struct {
	Origin          string `json:"origin"`
	Platform        string `json:"platform"`
	FileID          string `json:"file_id"`
	FileName        string `json:"file_name"`
	FileType        string `json:"file_type"`
	FileSizeInBytes string `json:"file_size_in_bytes"`
	FolderID        string `json:"folder_id"`
	FolderName      string `json:"folder_name"`
	DownloadURL     string `json:"download_url"`
}

func (s *Validations) validationPayload(now time.Time) ValidationPayload {
	return ValidationPayload{
		Origin:          ValidationOrigin,
		Platform:        string(s.cfg.Platform),
		FileID:          "12345",
		FileName:        "test.mov",
		FileType:        "video/quicktime",
		FileSizeInBytes: fmt.Sprint(len(files.SampleFile)),
		FolderID:        "67890",
		FolderName:      "test-folder",
		DownloadURL:     s.links.DownloadURL(files.SampleFileID, now.Add(files.LinkValidity)),
	}
}

// validationDeadline bounds a whole validation: the request (at most
// ValidationTimeout) and the writes around it. A VALIDATION call still
// RUNNING this long after it started was abandoned (its process died), and
// the sweeper fails it.
func (s *Validations) validationDeadline() time.Duration {
	return s.cfg.ValidationTimeout + 10*time.Second
}

// Validate calls the webhook's URL with the validation payload now, records
// the call and the result on the webhook, and returns the webhook.
//
// Once started, a validation runs to its end whatever the caller does: a
// client that disconnects while createWebhook or revalidateWebhook waits
// must not leave the call RUNNING and the webhook without its status. So it
// runs on a context detached from the caller's cancellation, bounded by
// validationDeadline.
func (s *Validations) Validate(ctx context.Context, webhookID int) (_ *ent.Webhook, err error) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), s.validationDeadline())
	defer cancel()
	ctx, span := s.startSpan(ctx, "webhook.validate", trace.WithAttributes(AttrWebhookID.Int(webhookID)))
	defer func() { endSpan(span, err) }()
	wh, err := calllog.WithHeadersInOrder(s.db.Webhook.Query().Where(webhook.ID(webhookID))).Only(ctx)
	if ent.IsNotFound(err) {
		return nil, problem.NotFound("webhook", webhookID)
	} else if err != nil {
		return nil, fmt.Errorf("validate webhook %d: %w", webhookID, err)
	}
	if wh, err = s.keys.Opened(wh); err != nil {
		return nil, fmt.Errorf("validate webhook %d: %w", webhookID, err)
	}
	now := s.now()
	body, err := json.Marshal(s.validationPayload(now))
	if err != nil {
		return nil, err
	}
	call, err := s.db.WebhookCall.Create().
		SetKind(webhookcall.KindVALIDATION).
		SetStatus(webhookcall.StatusRUNNING).
		SetNillableFilter(wh.Filter).
		SetNillableFilters(describeFilters(wh)).
		SetTargetURL(wh.URL).
		SetWebhookName(wh.Name).
		SetWebhookID(wh.ID).
		SetFileName("test.mov").
		SetFolderName("test-folder").
		SetPayload(string(body)).
		SetCreatedAt(now).
		SetUpdatedAt(now).
		Save(ctx)
	if err != nil {
		return nil, fmt.Errorf("validate webhook %d: %w", webhookID, err)
	}
	s.publish(ctx, call)
	req, err := s.deliveries.signedRequest(wh, MessageID(call.ID), now, body, s.cfg.ValidationTimeout)
	if err != nil {
		return nil, fmt.Errorf("validate webhook %d: %w", webhookID, err)
	}
	resp := s.sender.SendTo(ctx, wh, req) // internal/sender: with the webhook's authentication
	// A validation is never retried: no delays.
	if call, err = s.deliveries.finish(ctx, call, now, string(body), resp, nil); err != nil {
		return nil, fmt.Errorf("validate webhook %d: record attempt: %w", webhookID, err)
	}
	done := s.now()
	u := s.db.Webhook.UpdateOneID(webhookID).SetLastValidatedAt(done).SetUpdatedAt(done)
	if resp.Err == nil {
		u.SetValidationStatus(webhook.ValidationStatusVALID).ClearLastValidationError()
	} else {
		u.SetValidationStatus(webhook.ValidationStatusINVALID).SetLastValidationError(resp.Err.Error())
	}
	wh, err = u.Save(ctx)
	if ent.IsNotFound(err) {
		return nil, problem.NotFound("webhook", webhookID) // deleted meanwhile
	} else if err != nil {
		return nil, fmt.Errorf("validate webhook %d: %w", webhookID, err)
	}
	if span.IsRecording() {
		span.SetAttributes(AttrCallID.Int(call.ID), AttrOutcome.String(string(wh.ValidationStatus)))
		if resp.Status != 0 {
			span.SetAttributes(attribute.Int("http.response.status_code", resp.Status))
		}
	}
	s.log.InfoContext(ctx, "webhook validated", "webhook_id", webhookID, "call_id", call.ID,
		"valid", resp.Err == nil, "response_status", resp.Status, "err", resp.Err)
	s.publish(ctx, call)
	return wh, nil
}

// RevalidateDue enqueues a validation for the webhooks not validated for
// RevalidateInterval. Each run takes at most the share of all webhooks that
// falls in one period, oldest first, so validations spread over the interval
// instead of coming all at once.
//
// The scan also tells the operator about client certificates that expire
// soon (WarnExpiringCertificates).
func (s *Validations) RevalidateDue(ctx context.Context, period time.Duration) (int, error) {
	if _, err := s.WarnExpiringCertificates(ctx); err != nil {
		s.log.WarnContext(ctx, "expiring certificates not checked", "err", err)
	}
	total, err := s.db.Webhook.Query().Count(ctx)
	if err != nil || total == 0 {
		return 0, err
	}
	share := int(math.Ceil(float64(total)*float64(period)/float64(s.cfg.RevalidateInterval))) + 1
	due := s.now().Add(-s.cfg.RevalidateInterval)
	hooks, err := s.db.Webhook.Query().
		Where(webhook.Or(webhook.LastValidatedAtIsNil(), webhook.LastValidatedAtLTE(due))).
		Order(ent.Asc(webhook.FieldLastValidatedAt), ent.Asc(webhook.FieldID)).
		Limit(share).
		All(ctx)
	if err != nil {
		return 0, fmt.Errorf("find webhooks due for validation: %w", err)
	}
	for _, wh := range hooks {
		var since int64
		if wh.LastValidatedAt != nil {
			since = wh.LastValidatedAt.UnixNano()
		}
		if err := s.enqueueValidation(ctx, wh.ID, since); err != nil {
			return 0, err
		}
	}
	return len(hooks), nil
}

// RevalidateIfDue validates the webhook unless another worker already did
// since the scan that asked for it: the compare-and-set on
// last_validated_at lets exactly one of them through.
func (s *Validations) RevalidateIfDue(ctx context.Context, webhookID int, since int64) error {
	q := s.db.Webhook.Update().Where(webhook.ID(webhookID))
	if since == 0 {
		q.Where(webhook.LastValidatedAtIsNil())
	} else {
		q.Where(webhook.LastValidatedAt(time.Unix(0, since).UTC()))
	}
	now := s.now()
	n, err := q.SetLastValidatedAt(now).SetUpdatedAt(now).Save(ctx)
	if err != nil || n == 0 {
		return err
	}
	before := s.operator.ValidationStatus(ctx, webhookID)
	wh, err := s.Validate(ctx, webhookID)
	if err != nil && !isNotFound(err) {
		return err
	}
	if err == nil {
		s.operator.Invalid(ctx, before, wh) // internal/operator
	}
	return nil
}

// WarnExpiringCertificates tells the operator webhook about each client
// certificate that expires within settings.CertificateExpiryWarning (or has expired)
// and was not told about yet, and returns how many it told. Each is told
// once: the compare-and-set on client_cert_expiry_warned lets one scan
// through, however many run at once; a new certificate clears the flag.
// The revalidation scan runs it.
func (s *Validations) WarnExpiringCertificates(ctx context.Context) (int, error) {
	if !s.operator.On() {
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
		s.operator.Raise(ctx, fmt.Sprintf("op_certificate_expiring_%d_%s", wh.ID, info.Fingerprint[:16]), operator.EventCertificateExpiring,
			operator.CertificateExpiringData{WebhookID: wh.ID, WebhookName: wh.Name, URL: secrets.MaskURL(wh.URL), Subject: info.Subject,
				Fingerprint: info.Fingerprint, NotAfter: info.NotAfter, DaysLeft: left})
		n++
	}
	return n, nil
}
