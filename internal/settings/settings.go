// Package settings is what users change of webhooks and folders: the
// inputs of a webhook (name, URL, headers, filter, folders, limits, retry
// schedule, OAuth2 and client certificate), their checks with an error on
// each field at fault, and the writes that save them, sealing what is
// secret. What a change then asks of delivery (validate the URL, cancel
// the waiting calls of a deactivated webhook, forget a cached webhook,
// announce calls) goes through Domain.
package settings

import (
	"context"
	"log/slog"
	"time"

	"github.com/scoopa/webhooks/ent"
	"github.com/scoopa/webhooks/internal/problem"
	"github.com/scoopa/webhooks/internal/secrets"
	"github.com/scoopa/webhooks/internal/store"
)

// Config bounds what settings may hold.
type Config struct {
	// MaxWebhooks bounds the number of webhooks; MaxHeaders the extra
	// headers of one.
	MaxWebhooks int
	MaxHeaders  int
	// SecretGracePeriod is how long the previous signing secret still signs
	// after a rotation.
	SecretGracePeriod time.Duration
}

// Domain is what a change of settings asks of delivery.
type Domain interface {
	// Validate makes the validation call of webhook id and records its
	// outcome.
	Validate(ctx context.Context, id int) (*ent.Webhook, error)
	// CancelWaiting marks the pending and retrying calls of a webhook
	// CANCELED, in tx, and returns them.
	CancelWaiting(ctx context.Context, tx *ent.Tx, webhookID int, reason string) ([]*ent.WebhookCall, error)
	// Forget drops a webhook cached for delivery.
	Forget(id int)
	// Publish announces the new state of calls.
	Publish(ctx context.Context, calls ...*ent.WebhookCall)
}

// Deps are what a Service is built from.
type Deps struct {
	DB     *ent.Client
	Store  store.Store
	Keys   *secrets.Keyring
	Log    *slog.Logger
	Now    func() time.Time
	Domain Domain
}

// Service changes the settings of webhooks and folders.
type Service struct {
	db     *ent.Client
	store  store.Store
	keys   *secrets.Keyring
	cfg    Config
	log    *slog.Logger
	now    func() time.Time
	domain Domain
}

// New returns the settings of a service.
func New(cfg Config, d Deps) *Service {
	if d.Log == nil {
		d.Log = slog.New(slog.DiscardHandler)
	}
	return &Service{db: d.DB, store: d.Store, keys: d.Keys, cfg: cfg, log: d.Log, now: d.Now, domain: d.Domain}
}

// withTx runs fn in a transaction, ent's errors translated (StoreError).
func withTx(ctx context.Context, db *ent.Client, fn func(tx *ent.Tx) error) error {
	return problem.StoreError(store.WithTx(ctx, db, fn))
}
