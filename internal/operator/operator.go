// Package operator tells the operator webhook (SCOOPA_OPERATOR_WEBHOOK_URL)
// about system events: a webhook found invalid or deactivated, a call
// failed for good, a client certificate about to expire. Each event is a
// queued task of its own, signed and sent like a call.
package operator

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/hibiken/asynq"
	"github.com/scoopa/webhooks/ent"
	"github.com/scoopa/webhooks/ent/webhook"
	"github.com/scoopa/webhooks/internal/limits"
	"github.com/scoopa/webhooks/internal/secrets"
	"github.com/scoopa/webhooks/internal/sender"
)

// The operator webhook (SCOOPA_OPERATOR_WEBHOOK_URL) receives system
// events, signed like every call (Standard Webhooks, with
// SCOOPA_OPERATOR_WEBHOOK_SECRET) and sent by the same Sender (the same
// SSRF guard):
//
//   - webhook.invalid: a periodic validation found a webhook INVALID that
//     was not INVALID before;
//   - webhook.disabled: the service deactivated a webhook (internal/webhooks);
//   - call.failed: a delivery call FAILED after its last retry (or at once
//     for 410 Gone);
//   - webhook.certificate_expiring: a webhook's client certificate expires
//     within settings.CertificateExpiryWarning (14 days); told once per certificate;
//   - call.not_fetched: a delivered call's file was not fetched through its
//     link within SCOOPA_OPERATOR_NOT_FETCHED_AFTER (off unless set); told
//     once per call (internal/webhooks/notfetched.go).
//
// An event is a task of its own (TypeNotify) whose ID is the event's
// webhook-id, so it is raised once; a failed send is retried by the queue
// (Retries times, after 1s, 2s, 4s ... up to a minute), then
// dropped with an error in the log. Events are not calls: they are not in
// the call log, but logged and counted (scoopa_operator_events_total).

// The types of operator events.
const (
	EventWebhookInvalid  = "webhook.invalid"
	EventWebhookDisabled = "webhook.disabled"
	EventCallFailed      = "call.failed"
	// EventCertificateExpiring: a client certificate expires soon (internal/webhooks).
	EventCertificateExpiring = "webhook.certificate_expiring"
	// EventCallNotFetched: a delivered file was not fetched in time (internal/webhooks).
	EventCallNotFetched = "call.not_fetched"
)

// Config is where system events go.
type Config struct {
	// URL receives the events; if empty, none are sent.
	URL string
	// Secret ("whsec_...") signs them, as a webhook's secret signs its
	// calls; several, comma-separated, sign each call with each (while one
	// replaces another).
	Secret string
}

// Deps are what a Notifier is built from.
type Deps struct {
	DB     *ent.Client
	Sender *sender.Sender
	// Enqueue puts a task on the queue.
	Enqueue func(ctx context.Context, t *asynq.Task, opts ...asynq.Option) error
	Log     *slog.Logger
	Now     func() time.Time
	// Platform names the platform in events; Timeout bounds one send.
	Platform string
	Timeout  time.Duration
	// Counted, if not nil, counts each event by type and outcome.
	Counted func(typ, outcome string)
}

// Notifier raises and sends operator events.
type Notifier struct {
	cfg Config
	Deps
}

// New returns a Notifier sending to cfg.
func New(cfg Config, d Deps) *Notifier {
	if d.Log == nil {
		d.Log = slog.New(slog.DiscardHandler)
	}
	if d.Counted == nil {
		d.Counted = func(string, string) {}
	}
	return &Notifier{cfg: cfg, Deps: d}
}

// TypeNotify sends one event to the operator webhook.
const TypeNotify = "operator:notify"

// Retries is how many times a failed send of an operator event is
// tried again before the event is dropped.
const Retries = 8

// NotifyPayload is the payload of a TypeNotify task: the event's
// webhook-id and its body, signed anew at each attempt.
type NotifyPayload struct {
	ID   string          `json:"id"`
	Type string          `json:"type"`
	Body json.RawMessage `json:"body"`
}

// Event is the JSON body of an operator call.
type Event struct {
	Type      string    `json:"type"`
	Timestamp time.Time `json:"timestamp"`
	Platform  string    `json:"platform"`
	Data      any       `json:"data"`
}

// WebhookInvalidData is the data of a webhook.invalid event.
type WebhookInvalidData struct {
	WebhookID      int       `json:"webhook_id"`
	WebhookName    string    `json:"webhook_name"`
	URL            string    `json:"url"` // masked as the API shows it to viewers
	Active         bool      `json:"active"`
	PreviousStatus string    `json:"previous_status"`
	Error          string    `json:"error"`
	ValidatedAt    time.Time `json:"validated_at"`
}

// WebhookDisabledData is the data of a webhook.disabled event.
type WebhookDisabledData struct {
	WebhookID   int    `json:"webhook_id"`
	WebhookName string `json:"webhook_name"`
	URL         string `json:"url"`
	// Cause is "gone" (410 Gone) or "failing" (failed for DisableAfter).
	Cause        string     `json:"cause"`
	Reason       string     `json:"reason"`
	DisabledAt   time.Time  `json:"disabled_at"`
	FailingSince *time.Time `json:"failing_since"`
}

// CallRef is what a call event says of its call first: the call, its
// webhook and target (credentials masked), its file and folder.
type CallRef struct {
	CallID      int    `json:"call_id"`
	WebhookID   *int   `json:"webhook_id"`
	WebhookName string `json:"webhook_name"`
	TargetURL   string `json:"target_url"`
	FileID      *int   `json:"file_id"`
	FileName    string `json:"file_name"`
	FolderID    *int   `json:"folder_id"`
	FolderName  string `json:"folder_name"`
}

// callRef is call's CallRef.
func callRef(call *ent.WebhookCall) CallRef {
	return CallRef{
		CallID: call.ID, WebhookID: call.WebhookID, WebhookName: call.WebhookName, TargetURL: secrets.MaskURL(call.TargetURL),
		FileID: call.FileID, FileName: call.FileName, FolderID: call.FolderID, FolderName: call.FolderName,
	}
}

// CallFailedData is the data of a call.failed event.
type CallFailedData struct {
	CallRef
	Attempts       int        `json:"attempts"`
	ResponseStatus *int       `json:"response_status"`
	Error          string     `json:"error"`
	CreatedAt      time.Time  `json:"created_at"`
	FailedAt       *time.Time `json:"failed_at"`
}

// CallNotFetchedData is the data of a call.not_fetched event.
type CallNotFetchedData struct {
	CallRef
	DeliveredAt time.Time `json:"delivered_at"`
	// Deadline is DeliveredAt + NotFetchedAfter: the file was not fetched
	// by then (nor when it was looked at).
	Deadline        time.Time `json:"deadline"`
	NotFetchedAfter string    `json:"not_fetched_after"` // a Go duration: "6h", "90m"
}

// CertificateExpiringData is the data of a webhook.certificate_expiring
// event.
type CertificateExpiringData struct {
	WebhookID   int       `json:"webhook_id"`
	WebhookName string    `json:"webhook_name"`
	URL         string    `json:"url"`
	Subject     string    `json:"subject"`
	Fingerprint string    `json:"fingerprint"`
	NotAfter    time.Time `json:"not_after"`
	DaysLeft    int       `json:"days_left"`
}

// CheckSecret checks the secrets of the operator webhook, comma-
// separated (while one replaces another, both sign): each "whsec_" and the
// base64 of 24 to 64 random bytes.
func CheckSecret(secrets string) error {
	for _, s := range operatorSecrets(secrets) {
		if err := checkOperatorSecret(s); err != nil {
			return err
		}
	}
	return nil
}

// operatorSecrets splits the comma-separated secrets of the operator webhook.
func operatorSecrets(secrets string) []string {
	var out []string
	for _, s := range strings.Split(secrets, ",") {
		out = append(out, strings.TrimSpace(s))
	}
	return out
}

func checkOperatorSecret(secret string) error {
	raw, ok := strings.CutPrefix(secret, sender.SecretPrefix)
	if !ok {
		return errors.New(`must start with "whsec_" (e.g. whsec_$(openssl rand -base64 24))`)
	}
	key, err := base64.StdEncoding.DecodeString(raw)
	if err != nil || len(key) < 24 || len(key) > 64 {
		return errors.New(`must be "whsec_" and the base64 of 24 to 64 random bytes (e.g. whsec_$(openssl rand -base64 24))`)
	}
	return nil
}

// On reports whether system events are sent.
func (s *Notifier) On() bool { return s.cfg.URL != "" }

// CallFailed raises call.failed for a delivery call that failed for good.
func (s *Notifier) CallFailed(ctx context.Context, call *ent.WebhookCall) {
	if !s.On() {
		return
	}
	d := CallFailedData{
		CallRef:  callRef(call),
		Attempts: call.AttemptCount, ResponseStatus: call.ResponseStatus, CreatedAt: call.CreatedAt, FailedAt: call.CompletedAt,
	}
	if call.Error != nil {
		d.Error = *call.Error
	}
	s.Raise(ctx, fmt.Sprintf("op_call_failed_%d_%d", call.ID, call.AttemptCount), EventCallFailed, d)
}

// CallNotFetched raises call.not_fetched for a delivery call that
// SUCCEEDED and whose file was not fetched within after. The caller
// raises it once per call (it marked the call first); its webhook-id is
// the call's, so a receiver can de-duplicate it too.
func (s *Notifier) CallNotFetched(ctx context.Context, call *ent.WebhookCall, after time.Duration) {
	if !s.On() || call.CompletedAt == nil {
		return
	}
	d := CallNotFetchedData{
		CallRef:     callRef(call),
		DeliveredAt: *call.CompletedAt, Deadline: call.CompletedAt.Add(after), NotFetchedAfter: limits.FormatDuration(after),
	}
	s.Raise(ctx, fmt.Sprintf("op_call_not_fetched_%d", call.ID), EventCallNotFetched, d)
}

// Disabled raises webhook.disabled.
func (s *Notifier) Disabled(ctx context.Context, wh *ent.Webhook, cause string, failingSince *time.Time) {
	if !s.On() || wh.DisabledAt == nil {
		return
	}
	d := WebhookDisabledData{
		WebhookID: wh.ID, WebhookName: wh.Name, URL: secrets.MaskURL(wh.URL), Cause: cause,
		DisabledAt: *wh.DisabledAt, FailingSince: failingSince,
	}
	if wh.DisabledReason != nil {
		d.Reason = *wh.DisabledReason
	}
	s.Raise(ctx, fmt.Sprintf("op_webhook_disabled_%d_%d", wh.ID, wh.DisabledAt.UnixMicro()), EventWebhookDisabled, d)
}

// ValidationStatus returns a webhook's validation status, for telling
// afterwards whether a periodic validation changed it; "" when the operator
// webhook is off or the webhook cannot be read.
func (s *Notifier) ValidationStatus(ctx context.Context, id int) webhook.ValidationStatus {
	if !s.On() {
		return ""
	}
	wh, err := s.DB.Webhook.Query().Where(webhook.ID(id)).Select(webhook.FieldID, webhook.FieldValidationStatus).Only(ctx)
	if err != nil {
		return ""
	}
	return wh.ValidationStatus
}

// Invalid raises webhook.invalid when a periodic validation made a
// webhook INVALID that was not before.
func (s *Notifier) Invalid(ctx context.Context, before webhook.ValidationStatus, wh *ent.Webhook) {
	if !s.On() || before == "" || before == webhook.ValidationStatusINVALID ||
		wh.ValidationStatus != webhook.ValidationStatusINVALID || wh.LastValidatedAt == nil {
		return
	}
	d := WebhookInvalidData{
		WebhookID: wh.ID, WebhookName: wh.Name, URL: secrets.MaskURL(wh.URL), Active: wh.Active,
		PreviousStatus: string(before), ValidatedAt: *wh.LastValidatedAt,
	}
	if wh.LastValidationError != nil {
		d.Error = *wh.LastValidationError
	}
	s.Raise(ctx, fmt.Sprintf("op_webhook_invalid_%d_%d", wh.ID, wh.LastValidatedAt.UnixMicro()), EventWebhookInvalid, d)
}

// Raise enqueues an operator event. A failure to enqueue loses the event
// (it is logged): events are told, not kept.
func (s *Notifier) Raise(ctx context.Context, id, typ string, data any) {
	body, err := json.Marshal(Event{Type: typ, Timestamp: s.Now(), Platform: s.Platform, Data: data})
	if err == nil {
		var payload []byte
		payload, err = json.Marshal(NotifyPayload{ID: id, Type: typ, Body: body})
		if err == nil {
			err = s.Enqueue(ctx, asynq.NewTask(TypeNotify, payload),
				asynq.TaskID("notify:"+id),
				asynq.MaxRetry(Retries),
				asynq.Timeout(s.Timeout+30*time.Second))
		}
	}
	if err != nil {
		s.Counted(typ, "not_enqueued")
		s.Log.ErrorContext(ctx, "operator event not enqueued", "event_id", id, "type", typ, "err", err)
	}
}

// Notify sends one operator event (the TypeNotify task). An error makes
// the queue try again; after the last retry the event is dropped.
func (s *Notifier) Notify(ctx context.Context, p NotifyPayload) error {
	if !s.On() {
		s.Log.WarnContext(ctx, "operator event dropped: no operator webhook", "event_id", p.ID, "type", p.Type)
		return nil
	}
	now := s.Now()
	sig, err := sender.Sign(p.ID, now, p.Body, operatorSecrets(s.cfg.Secret)...)
	if err != nil {
		return fmt.Errorf("operator event %s: %w", p.ID, err)
	}
	resp := s.Sender.Send(ctx, sender.Request{
		URL: s.cfg.URL,
		Headers: [][2]string{
			{"webhook-id", p.ID},
			{"webhook-timestamp", fmt.Sprint(now.Unix())},
			{"webhook-signature", sig},
		},
		Body:    p.Body,
		Timeout: s.Timeout,
	})
	if resp.Err == nil {
		s.Counted(p.Type, "delivered")
		s.Log.InfoContext(ctx, "operator event sent", "event_id", p.ID, "type", p.Type,
			"response_status", resp.Status, "duration_ms", resp.Duration.Milliseconds())
		return nil
	}
	retried, _ := asynq.GetRetryCount(ctx)
	maxRetry, ok := asynq.GetMaxRetry(ctx)
	if !ok || retried >= maxRetry {
		s.Counted(p.Type, "failed")
		s.Log.ErrorContext(ctx, "operator event dropped after its last attempt", "event_id", p.ID, "type", p.Type,
			"attempts", retried+1, "response_status", resp.Status, "err", resp.Err)
		return fmt.Errorf("operator event %s: %w: %w", p.ID, resp.Err, asynq.SkipRetry)
	}
	s.Counted(p.Type, "retrying")
	s.Log.WarnContext(ctx, "operator event not delivered; retried", "event_id", p.ID, "type", p.Type,
		"attempt", retried+1, "response_status", resp.Status, "err", resp.Err)
	return fmt.Errorf("operator event %s: %w", p.ID, resp.Err)
}
