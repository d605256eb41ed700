package webhooks

import (
	"context"

	"github.com/scoopa/webhooks/ent"
)

// settingsDomain is what a change of settings (internal/settings) asks of
// the domain.
type settingsDomain struct{ s *Service }

func (d settingsDomain) Validate(ctx context.Context, id int) (*ent.Webhook, error) {
	return d.s.validations.Validate(ctx, id)
}

func (d settingsDomain) CancelWaiting(ctx context.Context, tx *ent.Tx, webhookID int, reason string) ([]*ent.WebhookCall, error) {
	return d.s.deliveries.cancelWaiting(ctx, tx, webhookID, reason)
}

func (d settingsDomain) Forget(id int) { d.s.hooks.forget(id) }

func (d settingsDomain) Publish(ctx context.Context, calls ...*ent.WebhookCall) {
	d.s.publish(ctx, calls...)
}
