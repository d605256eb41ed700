package webhooks

import (
	"errors"
	"fmt"
	"time"

	"github.com/scoopa/webhooks/internal/auth"
	"github.com/scoopa/webhooks/internal/operator"
)

// Platform is the "platform" value of payloads.
type Platform string

// The platforms of the spec.
const (
	PlatformTest      Platform = "test"
	PlatformMediapool Platform = "mediapool"
)

// Config holds the settings of the delivery domain. Zero values take the
// defaults named on each field (see WithDefaults).
type Config struct {
	// Platform is the payloads' "platform". If unset, "test".
	Platform Platform
	// PublicURL is the base of download links handed to receivers.
	// If unset, http://localhost:8080.
	PublicURL string
	// SecretKey signs download links. Required. A key derived from it
	// (version 0) seals stored secrets when EncryptionKeys is empty, and
	// opens what it sealed as long as it stays the same.
	SecretKey []byte
	// EncryptionKeys seal the stored header values and signing secrets
	// (AES-256-GCM), by version: the highest version seals, every one opens.
	// Each key is 32 bytes. If empty, the key derived from SecretKey seals.
	EncryptionKeys map[int][]byte
	// RetryDelays are the waits after each failed attempt; after the last
	// one the call fails. If nil, 1m, 10m, 20m.
	RetryDelays []time.Duration
	// DeliveryTimeout bounds one delivery request. If zero, 15s.
	DeliveryTimeout time.Duration
	// ValidationTimeout bounds one validation request. If zero, 10s.
	ValidationTimeout time.Duration
	// AllowPrivateTargets lets webhooks call loopback and private addresses.
	AllowPrivateTargets bool
	// Queue is the Asynq queue of the tasks, also the prefix of the Redis
	// pub/sub channel of call events. If unset, "webhooks".
	Queue string
	// RevalidateInterval is how often every webhook is validated again.
	// If zero, 24h.
	RevalidateInterval time.Duration
	// SweepAfter is how long an unfinished call may wait for its task before
	// the sweeper enqueues it again. If zero, 10s.
	SweepAfter time.Duration
	// CallRetention is how long calls are kept. If zero, 30 days.
	CallRetention time.Duration
	// AuditRetention is how long the audit log's entries are kept (pruned
	// with the calls). If zero, 365 days.
	AuditRetention time.Duration
	// RedirectDownloads, if not zero, answers a good download link with a
	// redirect to a URL of the blob store valid this long (when the store
	// presigns, as S3 does) instead of the file's bytes. If zero, downloads
	// are streamed.
	RedirectDownloads time.Duration
	// SecretGracePeriod is how long a rotated signing secret keeps signing.
	// If zero, 24h.
	SecretGracePeriod time.Duration
	// MaxHeaders bounds the extra headers of one webhook. If zero, 20.
	MaxHeaders int
	// MaxWebhooks bounds the number of webhooks. If zero, 1000.
	MaxWebhooks int
	// DirectUploads makes createUpload available (the store must have a
	// multipart API, as both stores do).
	DirectUploads bool
	// MaxDirectUploadBytes is the largest file createUpload accepts.
	// If zero, 50 GiB.
	MaxDirectUploadBytes int64
	// UploadPartSize is the size of the parts of a direct upload: a file up
	// to this size is sent in one PUT, a larger one in parts of this size
	// (larger when there would be more than MaxUploadParts). At least 5 MiB
	// on S3 (its smallest part). If zero, 16 MiB.
	UploadPartSize int64
	// UploadExpiry is how long a direct upload may take from createUpload to
	// completeUpload; then its parts are deleted. If zero, 24h.
	UploadExpiry time.Duration
	// PartURLValidity is how long the URLs of parts work (uploadParts gives
	// fresh ones). If zero, 1h.
	PartURLValidity time.Duration
	// Version is sent in the User-Agent.
	Version string
	// DisableAfter deactivates a webhook whose delivery calls have all
	// failed for this long (see health.go), and one whose receiver answers
	// 410 Gone at once. If zero, webhooks are never deactivated by the
	// service.
	DisableAfter time.Duration
	// Operator, if its URL is set, receives the system events (internal/operator).
	Operator operator.Config
	// NotFetchedAfter, if not zero, tells the operator webhook of each
	// delivery call that SUCCEEDED and whose file was not fetched through
	// its link this long after (call.not_fetched, notfetched.go); from
	// MinNotFetchedAfter to MaxNotFetchedAfter, and only with an operator
	// webhook. If zero, the default, nothing is looked for.
	NotFetchedAfter time.Duration
	// Sessions bound the console's sessions (internal/auth); zero fields
	// take auth's defaults.
	Sessions auth.SessionConfig
	// PortalTitle is the partner view's title when a portal link gives
	// none (SCOOPA_PORTAL_TITLE); auth.DefaultPortalTitle if empty. Portal
	// links are made on PublicURL.
	PortalTitle string
}

// WithDefaults returns c with every unset field set to its default.
func (c Config) WithDefaults() Config {
	if c.Platform == "" {
		c.Platform = PlatformTest
	}
	if c.PublicURL == "" {
		c.PublicURL = "http://localhost:8080"
	}
	if c.RetryDelays == nil {
		c.RetryDelays = []time.Duration{time.Minute, 10 * time.Minute, 20 * time.Minute}
	}
	if c.DeliveryTimeout == 0 {
		c.DeliveryTimeout = 15 * time.Second
	}
	if c.ValidationTimeout == 0 {
		c.ValidationTimeout = 10 * time.Second
	}
	if c.Queue == "" {
		c.Queue = "webhooks"
	}
	if c.RevalidateInterval == 0 {
		c.RevalidateInterval = 24 * time.Hour
	}
	if c.SweepAfter == 0 {
		c.SweepAfter = 10 * time.Second
	}
	if c.CallRetention == 0 {
		c.CallRetention = 30 * 24 * time.Hour
	}
	if c.AuditRetention == 0 {
		c.AuditRetention = 365 * 24 * time.Hour
	}
	if c.SecretGracePeriod == 0 {
		c.SecretGracePeriod = 24 * time.Hour
	}
	if c.MaxHeaders == 0 {
		c.MaxHeaders = 20
	}
	if c.MaxWebhooks == 0 {
		c.MaxWebhooks = 1000
	}
	if c.MaxDirectUploadBytes == 0 {
		c.MaxDirectUploadBytes = 50 << 30
	}
	if c.UploadPartSize == 0 {
		c.UploadPartSize = 16 << 20
	}
	if c.UploadExpiry == 0 {
		c.UploadExpiry = 24 * time.Hour
	}
	if c.PartURLValidity == 0 {
		c.PartURLValidity = time.Hour
	}
	if c.Version == "" {
		c.Version = "dev"
	}
	c.Sessions = c.Sessions.WithDefaults()
	if c.PortalTitle == "" {
		c.PortalTitle = auth.DefaultPortalTitle
	}
	return c
}

// Validate reports the first setting that cannot work.
func (c Config) Validate() error {
	if c.Platform != PlatformTest && c.Platform != PlatformMediapool {
		return fmt.Errorf("platform %q: must be test or mediapool", c.Platform)
	}
	if len(c.SecretKey) < 16 {
		return errors.New("secret key: must be at least 16 bytes")
	}
	for _, d := range c.RetryDelays {
		if d <= 0 {
			return fmt.Errorf("retry delays: %v is not positive", d)
		}
	}
	if c.DisableAfter < 0 {
		return fmt.Errorf("disable after: %v is negative", c.DisableAfter)
	}
	if c.Operator.URL != "" {
		if err := operator.CheckSecret(c.Operator.Secret); err != nil {
			return fmt.Errorf("operator webhook secret: %w", err)
		}
	}
	if c.NotFetchedAfter != 0 {
		if c.NotFetchedAfter < MinNotFetchedAfter || c.NotFetchedAfter > MaxNotFetchedAfter {
			return fmt.Errorf("not fetched after: %v is not from %v to %v", c.NotFetchedAfter, MinNotFetchedAfter, MaxNotFetchedAfter)
		}
		if c.Operator.URL == "" {
			return errors.New("not fetched after: needs an operator webhook to tell")
		}
	}
	return nil
}
