// Package app wires the binaries: configuration, the backends (PostgreSQL
// and Redis, or their embedded stand-ins), the HTTP server and the worker.
package app

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/netip"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"entgo.io/ent/dialect"
	"github.com/scoopa/webhooks/graph"
	"github.com/scoopa/webhooks/internal/auth"
	"github.com/scoopa/webhooks/internal/calllog"
	"github.com/scoopa/webhooks/internal/guard"
	"github.com/scoopa/webhooks/internal/limits"
	"github.com/scoopa/webhooks/internal/operator"
	"github.com/scoopa/webhooks/internal/problem"
	"github.com/scoopa/webhooks/internal/rules"
	"github.com/scoopa/webhooks/internal/secrets"
	"github.com/scoopa/webhooks/internal/storage"
	"github.com/scoopa/webhooks/internal/webhooks"
	"github.com/scoopa/webhooks/worker"
)

// DefaultMinFreeSpace is SCOOPA_MIN_FREE_SPACE's default: 512 MiB, room
// for a few uploads spilled to the data dir's tmp/ at the default limits.
const DefaultMinFreeSpace = 512 << 20

// Config is the configuration of both binaries, read once at start.
type Config struct {
	HTTPAddr    string
	DatabaseURL string
	RedisURL    string
	DataDir     string
	// StorageURL names the blob store (SCOOPA_STORAGE_URL): empty for the
	// data dir, s3://bucket/prefix?endpoint=...&region=... for a bucket.
	StorageURL string
	// StorageCredentials sign the requests to the bucket: the usual
	// AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN.
	StorageCredentials storage.Credentials
	// DownloadMode is how a download link is answered: "stream" (the server
	// sends the bytes) or "redirect" (to a presigned URL of the bucket).
	DownloadMode        string
	PublicURL           string
	Platform            string
	AdminToken          string
	SecretKey           string
	EncryptionKeys      map[int][]byte
	DeliveryTimeout     time.Duration
	ValidationTimeout   time.Duration
	RetryDelays         []time.Duration
	WorkerConcurrency   int
	AllowPrivateTargets bool
	RevalidateInterval  time.Duration
	SweepInterval       time.Duration
	PruneInterval       time.Duration
	SweepDelay          time.Duration
	CallRetention       time.Duration
	AuditRetention      time.Duration
	MaxUploadBytes      int64
	// TaskCheckInterval is how often an idle worker polls the queue for
	// the tasks that do not come through the wake lane
	// (SCOOPA_TASK_CHECK_INTERVAL).
	TaskCheckInterval time.Duration
	// DirectUploads is auto, on or off (SCOOPA_DIRECT_UPLOADS).
	DirectUploads        string
	MaxDirectUploadBytes int64
	UploadPartBytes      int64
	MaxRequestBytes      int64
	// MinFreeSpace is the free space, in bytes, the data dir's file
	// system must have for /readyz to say ready (SCOOPA_MIN_FREE_SPACE);
	// zero checks nothing.
	MinFreeSpace      int64
	AuthFailureLimit  int
	AuthFailureWindow time.Duration
	// SessionIdleTimeout and SessionMaxAge end the console's sessions
	// unused that long, and that long after sign-in
	// (SCOOPA_SESSION_IDLE_TIMEOUT, SCOOPA_SESSION_MAX_AGE).
	SessionIdleTimeout time.Duration
	SessionMaxAge      time.Duration
	// TrustedProxies are the proxies whose X-Forwarded-For names the
	// client (SCOOPA_TRUSTED_PROXIES); none by default: the peer is the
	// client.
	TrustedProxies []netip.Prefix
	// PortalTitle is the partner view's title when a portal link gives
	// none (SCOOPA_PORTAL_TITLE).
	PortalTitle string
	// FrameAncestors are the origins that may show the console in a frame
	// (SCOOPA_FRAME_ANCESTORS); none by default.
	FrameAncestors    []string
	ReadTimeout       time.Duration
	ReadHeaderTimeout time.Duration
	IdleTimeout       time.Duration
	AllowedOrigins    []string
	Introspection     bool
	RateLimit         float64
	LogFormat         string
	LogLevel          string
	Pprof             bool
	Queue             string
	MetricsAddr       string
	DBMaxConns        int
	// DBPrepare: the hot path's statements are prepared on each PostgreSQL
	// connection (off behind a pooler that cannot keep them).
	DBPrepare          bool
	MaxQueryBytes      int
	MaxQueryTokens     int
	WSMaxSubscriptions int
	// ExportMaxRows bounds the calls one export of the call log writes.
	ExportMaxRows int
	// ExportTimeout bounds one export of the call log as a whole.
	ExportTimeout time.Duration
	WSInitTimeout time.Duration
	// StatementTimeout bounds each SQL statement of the server's API
	// connections (PostgreSQL); the worker's are not bounded.
	StatementTimeout time.Duration
	// DisableAfter deactivates webhooks whose calls all failed for this
	// long; zero never does.
	DisableAfter time.Duration
	// OperatorWebhookURL and OperatorWebhookSecret: where system events go,
	// and what signs them.
	OperatorWebhookURL    string
	OperatorWebhookSecret string
	// OperatorNotFetchedAfter tells the operator webhook of the delivered
	// files not fetched this long after (call.not_fetched); zero never does.
	OperatorNotFetchedAfter time.Duration
	// Tracing is the OpenTelemetry trace export, read from the OTEL_*
	// variables (tracing.go); off unless an OTLP endpoint is set.
	Tracing TracingConfig
	// WrapDriver, if not nil, wraps the database driver of the binaries.
	// It is not read from the environment: tests count statements with it.
	WrapDriver func(dialect.Driver) dialect.Driver

	allowPrivateSet bool
	// redisSentinels and redisMaster are SCOOPA_REDIS_SENTINELS and
	// SCOOPA_REDIS_MASTER; LoadConfig makes RedisURL of them.
	redisSentinels, redisMaster string
	// publicURLDerived is true when PublicURL was not given but derived from
	// HTTPAddr; Serve then names the port it really listens on (port 0).
	publicURLDerived bool
}

// The download modes (SCOOPA_DOWNLOAD_MODE).
const (
	// DownloadStream: the server reads the file from the store and sends
	// it, ranges included. The default.
	DownloadStream = "stream"
	// DownloadRedirect: the server checks the link, then redirects to a
	// presigned URL of the bucket, valid PresignTTL.
	DownloadRedirect = "redirect"
)

// PresignTTL is how long the presigned URL of a redirected download works.
const PresignTTL = 5 * time.Minute

// redirectTTL is how long the presigned URL of a redirected download
// works: PresignTTL in redirect mode, else zero (streamed).
func (c Config) redirectTTL() time.Duration {
	if c.DownloadMode == DownloadRedirect {
		return PresignTTL
	}
	return 0
}

// Embedded reports whether the embedded backends are used: SQLite and an
// in-process Redis, with the worker inside the server.
func (c Config) Embedded() bool { return c.DatabaseURL == "" && c.RedisURL == "" }

// setting is one configuration variable with its flag.
type setting struct {
	env, flag, def, usage string
	set                   func(c *Config, v string) error
}

// settings is the table of every variable the binaries read. Defaults that
// the domain or the GraphQL handler also apply to a zero value are taken
// from there (webhooks.Config.WithDefaults, worker.Periods.WithDefaults,
// webhooks.DefaultConcurrency, graph.Options.WithDefaults), so each number
// lives in one place; the table of docs/CONFIGURATION.md is checked against
// this one.
func settings() []setting {
	dom := webhooks.Config{}.WithDefaults()
	periods := worker.Periods{}.WithDefaults()
	gql := graph.Options{}.WithDefaults()
	delays := make([]string, len(dom.RetryDelays))
	for i, d := range dom.RetryDelays {
		delays[i] = limits.FormatDuration(d)
	}
	return []setting{
		{"SCOOPA_HTTP_ADDR", "http-addr", ":8080", "listen address", func(c *Config, v string) error {
			if _, _, err := net.SplitHostPort(v); err != nil {
				return errors.New("must be host:port or :port, such as :8080 or 127.0.0.1:8080")
			}
			c.HTTPAddr = v
			return nil
		}},
		{"SCOOPA_DATABASE_URL", "database-url", "", "PostgreSQL URL; unset with SCOOPA_REDIS_URL = embedded SQLite", func(c *Config, v string) error {
			if v != "" && !strings.HasPrefix(v, "postgres://") && !strings.HasPrefix(v, "postgresql://") {
				return errors.New("must be a postgres:// URL")
			}
			c.DatabaseURL = v
			return nil
		}},
		{"SCOOPA_REDIS_URL", "redis-url", "", "Redis URL: redis://host:port/db, redis-sentinel://h1:p1,h2:p2?master=NAME or redis-cluster://h1:p1,h2:p2; unset with SCOOPA_DATABASE_URL = embedded Redis", func(c *Config, v string) error {
			if v != "" {
				if _, err := parseRedisURL(v); err != nil {
					return err
				}
			}
			c.RedisURL = v
			return nil
		}},
		{"SCOOPA_REDIS_SENTINELS", "redis-sentinels", "", "Redis Sentinel addresses host:port,host:port (with SCOOPA_REDIS_MASTER), instead of SCOOPA_REDIS_URL", func(c *Config, v string) error {
			c.redisSentinels = strings.TrimSpace(v)
			return nil
		}},
		{"SCOOPA_REDIS_MASTER", "redis-master", "", "the master name the sentinels of SCOOPA_REDIS_SENTINELS monitor", func(c *Config, v string) error {
			if strings.ContainsAny(v, " ,/?&@") {
				return errors.New("must be a master name as in `sentinel monitor NAME ...`, without spaces or , / ? & @")
			}
			c.redisMaster = v
			return nil
		}},
		{"SCOOPA_DATA_DIR", "data-dir", "./data", "SQLite file and stored files", func(c *Config, v string) error {
			if v == "" {
				return errors.New("must not be empty")
			}
			c.DataDir = v
			return nil
		}},
		{"SCOOPA_STORAGE_URL", "storage-url", "", "where file contents are kept: unset = the data dir; s3://bucket/prefix?endpoint=http://host:port&region=... for an S3-compatible bucket (credentials from AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY)", func(c *Config, v string) error {
			if v == "" {
				return nil
			}
			if _, err := storage.ParseURL(v); err != nil {
				return err
			}
			c.StorageURL = v
			return nil
		}},
		{"SCOOPA_DOWNLOAD_MODE", "download-mode", DownloadStream, "how download links are answered: stream (the server sends the bytes) or redirect (302 to a presigned URL of the bucket, valid 5 minutes; needs SCOOPA_STORAGE_URL)", func(c *Config, v string) error {
			if v != DownloadStream && v != DownloadRedirect {
				return errors.New("must be stream or redirect")
			}
			c.DownloadMode = v
			return nil
		}},
		{"SCOOPA_PUBLIC_URL", "public-url", "", "base of links handed to third parties (default: http://localhost:<port of SCOOPA_HTTP_ADDR>)", func(c *Config, v string) error {
			if v == "" {
				return nil // derived from SCOOPA_HTTP_ADDR
			}
			u, err := url.Parse(v)
			if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
				return errors.New("must be an absolute http or https URL")
			}
			c.PublicURL = strings.TrimRight(v, "/")
			return nil
		}},
		{"SCOOPA_PLATFORM", "platform", string(dom.Platform), "the platform value of payloads: test or mediapool", func(c *Config, v string) error {
			if v != "test" && v != "mediapool" {
				return errors.New("must be test or mediapool")
			}
			c.Platform = v
			return nil
		}},
		{"SCOOPA_ADMIN_TOKEN", "admin-token", "", "a bootstrap token with admin rights", func(c *Config, v string) error {
			if v != "" && len(v) < 32 {
				return errors.New("must be at least 32 characters (e.g. `openssl rand -hex 24`)")
			}
			c.AdminToken = v
			return nil
		}},
		{"SCOOPA_SECRET_KEY", "secret-key", "", "key for signed links; required in production mode", func(c *Config, v string) error {
			if v != "" && len(v) < 32 {
				return errors.New("must be at least 32 characters")
			}
			c.SecretKey = v
			return nil
		}},
		{"SCOOPA_ENCRYPTION_KEYS", "encryption-keys", "", "keys that encrypt stored header values and signing secrets: version:key pairs (32 bytes, hex or base64), comma-separated; the highest version encrypts", func(c *Config, v string) error {
			if v == "" {
				return nil
			}
			keys, err := secrets.ParseEncryptionKeys(v)
			if err != nil {
				return err
			}
			c.EncryptionKeys = keys
			return nil
		}},
		{"SCOOPA_DELIVERY_TIMEOUT", "delivery-timeout", limits.FormatDuration(dom.DeliveryTimeout), "timeout of one delivery request", durationSetter(func(c *Config) *time.Duration { return &c.DeliveryTimeout })},
		{"SCOOPA_VALIDATION_TIMEOUT", "validation-timeout", limits.FormatDuration(dom.ValidationTimeout), "timeout of one validation request", durationSetter(func(c *Config) *time.Duration { return &c.ValidationTimeout })},
		{"SCOOPA_RETRY_DELAYS", "retry-delays", strings.Join(delays, ","), "waits after each failed attempt", func(c *Config, v string) error {
			c.RetryDelays = nil
			for _, p := range strings.Split(v, ",") {
				d, err := time.ParseDuration(strings.TrimSpace(p))
				if err != nil || d <= 0 {
					return fmt.Errorf("%q is not a positive duration", p)
				}
				c.RetryDelays = append(c.RetryDelays, d)
			}
			if len(c.RetryDelays) > 10 {
				return errors.New("at most 10 retries")
			}
			return nil
		}},
		{"SCOOPA_WORKER_CONCURRENCY", "worker-concurrency", strconv.Itoa(webhooks.DefaultConcurrency), "deliveries made at once per worker", func(c *Config, v string) error {
			n, err := strconv.Atoi(v)
			if err != nil || n < 1 || n > 1000 {
				return errors.New("must be a whole number from 1 to 1000")
			}
			c.WorkerConcurrency = n
			return nil
		}},
		{"SCOOPA_ALLOW_PRIVATE_TARGETS", "allow-private-targets", "", "let webhooks call loopback and private addresses (default: true in embedded mode only)", func(c *Config, v string) error {
			if v == "" {
				return nil
			}
			b, err := strconv.ParseBool(v)
			if err != nil {
				return errors.New("must be true or false")
			}
			c.AllowPrivateTargets, c.allowPrivateSet = b, true
			return nil
		}},
		{"SCOOPA_REVALIDATE_INTERVAL", "revalidate-interval", limits.FormatDuration(dom.RevalidateInterval), "how often every webhook is validated again", durationSetter(func(c *Config) *time.Duration { return &c.RevalidateInterval })},
		{"SCOOPA_TASK_CHECK_INTERVAL", "task-check-interval", limits.FormatDuration(worker.DefaultTaskCheckInterval), "how often an idle worker looks for tasks that did not come through the wake lane (periodic tasks, operator events); a stopping worker waits for the look under way", func(c *Config, v string) error {
			d, err := time.ParseDuration(v)
			if err != nil || d < 10*time.Millisecond {
				return fmt.Errorf("%q is not a duration of at least 10ms, such as 1s (each look is a Redis script)", v)
			}
			c.TaskCheckInterval = d
			return nil
		}},
		{"SCOOPA_SWEEP_INTERVAL", "sweep-interval", limits.FormatDuration(periods.Sweep), "how often calls whose task was lost, or left running by a process that died, are looked for", durationSetter(func(c *Config) *time.Duration { return &c.SweepInterval })},
		{"SCOOPA_SWEEP_DELAY", "sweep-delay", limits.FormatDuration(dom.SweepAfter), "how long past its due time a call may wait for its task before the sweeper enqueues it again (a call left running counts as lost after six times this)", durationSetter(func(c *Config) *time.Duration { return &c.SweepDelay })},
		{"SCOOPA_PRUNE_INTERVAL", "prune-interval", limits.FormatDuration(periods.Prune), "how often calls older than SCOOPA_CALL_RETENTION are deleted", durationSetter(func(c *Config) *time.Duration { return &c.PruneInterval })},
		{"SCOOPA_CALL_RETENTION", "call-retention", limits.FormatDuration(dom.CallRetention), "how long calls are kept", durationSetter(func(c *Config) *time.Duration { return &c.CallRetention })},
		{"SCOOPA_AUDIT_RETENTION", "audit-retention", limits.FormatDuration(dom.AuditRetention), "how long the audit log's entries are kept", durationSetter(func(c *Config) *time.Duration { return &c.AuditRetention })},
		{"SCOOPA_MAX_UPLOAD_BYTES", "max-upload-bytes", "1073741824", "largest file accepted by uploadFile", func(c *Config, v string) error {
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil || n < 1 {
				return errors.New("must be a positive number of bytes")
			}
			c.MaxUploadBytes = n
			return nil
		}},
		{"SCOOPA_DIRECT_UPLOADS", "direct-uploads", "auto", "createUpload (files sent by the client straight to the blob store in parts): on, off, or auto (on with object storage)", func(c *Config, v string) error {
			if v != "auto" && v != "on" && v != "off" {
				return errors.New("must be auto, on or off")
			}
			c.DirectUploads = v
			return nil
		}},
		{"SCOOPA_MAX_DIRECT_UPLOAD_BYTES", "max-direct-upload-bytes", strconv.FormatInt(dom.MaxDirectUploadBytes, 10), "largest file accepted by createUpload", func(c *Config, v string) error {
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil || n < 1 || n > 1<<40 {
				return errors.New("must be a number of bytes from 1 to 1099511627776 (1 TiB)")
			}
			c.MaxDirectUploadBytes = n
			return nil
		}},
		{"SCOOPA_UPLOAD_PART_BYTES", "upload-part-bytes", strconv.FormatInt(dom.UploadPartSize, 10), "part size of direct uploads", func(c *Config, v string) error {
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil || n < 5<<20 || n > 5<<30 {
				return errors.New("must be a number of bytes from 5242880 (5 MiB, S3's smallest part) to 5368709120 (5 GiB)")
			}
			c.UploadPartBytes = n
			return nil
		}},
		{"SCOOPA_MIN_FREE_SPACE", "min-free-space", strconv.FormatInt(DefaultMinFreeSpace, 10), "free space the data dir's file system must have for /readyz to say ready, in bytes; 0 checks nothing", func(c *Config, v string) error {
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil || n < 0 {
				return errors.New("must be a number of bytes (0 checks nothing)")
			}
			c.MinFreeSpace = n
			return nil
		}},
		{"SCOOPA_MAX_REQUEST_BYTES", "max-request-bytes", strconv.FormatInt(gql.MaxRequestBytes, 10), "largest request body other than an upload's file", func(c *Config, v string) error {
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil || n < 1024 {
				return errors.New("must be a number of bytes, at least 1024")
			}
			c.MaxRequestBytes = n
			return nil
		}},
		{"SCOOPA_AUTH_FAILURE_LIMIT", "auth-failure-limit", "20", "failed authentications per client address and window before 429; 0 turns throttling off", func(c *Config, v string) error {
			n, err := strconv.Atoi(v)
			if err != nil || n < 0 {
				return errors.New("must be a whole number, 0 or more")
			}
			c.AuthFailureLimit = n
			return nil
		}},
		{"SCOOPA_AUTH_FAILURE_WINDOW", "auth-failure-window", "1m", "the window in which failed authentications are counted", durationSetter(func(c *Config) *time.Duration { return &c.AuthFailureWindow })},
		{"SCOOPA_SESSION_IDLE_TIMEOUT", "session-idle-timeout", limits.FormatDuration(auth.DefaultSessionIdleTimeout), "a console session unused this long ends (counted to the minute); a minute or more", sessionDurationSetter(func(c *Config) *time.Duration { return &c.SessionIdleTimeout })},
		{"SCOOPA_SESSION_MAX_AGE", "session-max-age", limits.FormatDuration(auth.DefaultSessionMaxAge), "a console session ends this long after sign-in, however used; a minute or more", sessionDurationSetter(func(c *Config) *time.Duration { return &c.SessionMaxAge })},
		{"SCOOPA_TRUSTED_PROXIES", "trusted-proxies", "", "comma-separated CIDRs of the proxies in front of the server whose X-Forwarded-For names the client; unset = none, the peer is the client", func(c *Config, v string) (err error) {
			c.TrustedProxies, err = guard.ParseProxies(v)
			return err
		}},
		{"SCOOPA_PORTAL_TITLE", "portal-title", auth.DefaultPortalTitle, "the partner view's title when a portal link gives none (createPortalLink's title); at most 120 characters", func(c *Config, v string) error {
			v = strings.TrimSpace(v)
			if v == "" || utf8.RuneCountInString(v) > auth.MaxPortalTitle || strings.ContainsFunc(v, unicode.IsControl) {
				return fmt.Errorf("must be 1 to %d characters without control characters", auth.MaxPortalTitle)
			}
			c.PortalTitle = v
			return nil
		}},
		{"SCOOPA_FRAME_ANCESTORS", "frame-ancestors", "", "space-separated origins (https://host[:port], or http:// for localhost) allowed to show the console in a frame, such as a partner portal; unset = none", func(c *Config, v string) (err error) {
			c.FrameAncestors, err = parseFrameAncestors(v)
			return err
		}},
		{"SCOOPA_READ_TIMEOUT", "read-timeout", "30s", "time a request body may take to arrive; an upload's deadline moves forward by this much as its bytes arrive", durationSetter(func(c *Config) *time.Duration { return &c.ReadTimeout })},
		{"SCOOPA_READ_HEADER_TIMEOUT", "read-header-timeout", "10s", "time a request's headers may take to arrive", durationSetter(func(c *Config) *time.Duration { return &c.ReadHeaderTimeout })},
		{"SCOOPA_IDLE_TIMEOUT", "idle-timeout", "2m", "how long an idle keep-alive connection is kept open", durationSetter(func(c *Config) *time.Duration { return &c.IdleTimeout })},
		{"SCOOPA_ALLOWED_ORIGINS", "allowed-origins", "", "comma-separated origins (host patterns) allowed to open websockets and use the console's cookie besides the server's own", func(c *Config, v string) error {
			c.AllowedOrigins = nil
			for _, p := range strings.Split(v, ",") {
				if p = strings.TrimSpace(p); p != "" {
					c.AllowedOrigins = append(c.AllowedOrigins, p)
				}
			}
			return nil
		}},
		{"SCOOPA_INTROSPECTION", "introspection", "true", "serve GraphQL introspection and the playground", boolSetter(func(c *Config) *bool { return &c.Introspection })},
		{"SCOOPA_RATE_LIMIT", "rate-limit", "50", "GraphQL requests per second per token (bursts of 4x); 0 turns it off", func(c *Config, v string) error {
			f, err := strconv.ParseFloat(v, 64)
			if err != nil || f < 0 {
				return errors.New("must be a number of requests per second, 0 or more")
			}
			c.RateLimit = f
			return nil
		}},
		{"SCOOPA_LOG_FORMAT", "log-format", "", "json or text (default: text in embedded mode, json otherwise)", func(c *Config, v string) error {
			if v != "" && v != "json" && v != "text" {
				return errors.New("must be json or text")
			}
			c.LogFormat = v
			return nil
		}},
		{"SCOOPA_LOG_LEVEL", "log-level", "info", "debug, info, warn or error", func(c *Config, v string) error {
			switch v {
			case "debug", "info", "warn", "error":
				c.LogLevel = v
				return nil
			}
			return errors.New("must be debug, info, warn or error")
		}},
		{"SCOOPA_PPROF", "pprof", "false", "serve /debug/pprof", boolSetter(func(c *Config) *bool { return &c.Pprof })},
		{"SCOOPA_METRICS_ADDR", "metrics-addr", ":9091", "the worker's listen address for /metrics (and pprof); off turns it off", func(c *Config, v string) error {
			if v == "off" {
				v = ""
			}
			c.MetricsAddr = v
			return nil
		}},
		{"SCOOPA_DB_PREPARE", "db-prepare", "true", "prepare the hot path's statements on each PostgreSQL connection; false behind a pooler in transaction mode that cannot keep prepared statements", boolSetter(func(c *Config) *bool { return &c.DBPrepare })},
		{"SCOOPA_DB_MAX_CONNS", "db-max-conns", strconv.Itoa(DefaultDBMaxConns), "PostgreSQL connections per process", func(c *Config, v string) error {
			n, err := strconv.Atoi(v)
			if err != nil || n < 2 || n > 500 {
				return errors.New("must be a whole number from 2 to 500")
			}
			c.DBMaxConns = n
			return nil
		}},
		{"SCOOPA_MAX_QUERY_BYTES", "max-query-bytes", strconv.Itoa(gql.MaxQueryBytes), "largest GraphQL query text accepted, in bytes", intSetter(func(c *Config) *int { return &c.MaxQueryBytes }, 1024, 1<<24)},
		{"SCOOPA_MAX_QUERY_TOKENS", "max-query-tokens", strconv.Itoa(gql.MaxQueryTokens), "most lexical tokens (names, punctuation, values) of a GraphQL query", intSetter(func(c *Config) *int { return &c.MaxQueryTokens }, 100, 1_000_000)},
		{"SCOOPA_WS_MAX_SUBSCRIPTIONS", "ws-max-subscriptions", strconv.Itoa(gql.MaxSubscriptionsPerSocket), "subscriptions open at once on one websocket", intSetter(func(c *Config) *int { return &c.WSMaxSubscriptions }, 1, 100_000)},
		{"SCOOPA_EXPORT_MAX_ROWS", "export-max-rows", strconv.Itoa(calllog.DefaultExportMaxRows), "most calls one export of the call log (/exports/calls) writes", intSetter(func(c *Config) *int { return &c.ExportMaxRows }, 1, 100_000_000)},
		{"SCOOPA_EXPORT_TIMEOUT", "export-timeout", limits.FormatDuration(DefaultExportTimeout), "longest time one export of the call log (/exports/calls) runs; then it ends, saying so", durationSetter(func(c *Config) *time.Duration { return &c.ExportTimeout })},
		{"SCOOPA_WS_INIT_TIMEOUT", "ws-init-timeout", limits.FormatDuration(gql.InitTimeout), "how long a websocket may wait before connection_init", durationSetter(func(c *Config) *time.Duration { return &c.WSInitTimeout })},
		{"SCOOPA_STATEMENT_TIMEOUT", "statement-timeout", "10s", "longest SQL statement of an API request (PostgreSQL; not the worker's); 0 turns it off", func(c *Config, v string) error {
			d, err := time.ParseDuration(v)
			if err != nil || d < 0 || (d > 0 && d < time.Millisecond) {
				return fmt.Errorf("%q is not a duration such as 10s (0 turns it off)", v)
			}
			c.StatementTimeout = d
			return nil
		}},
		{"SCOOPA_DISABLE_AFTER", "disable-after", "0", "deactivate a webhook whose delivery calls have all failed for this long (such as 72h), or whose receiver answers 410 Gone; 0 = never", func(c *Config, v string) error {
			d, err := time.ParseDuration(v)
			if err != nil || d < 0 || (d > 0 && d < time.Minute) {
				return fmt.Errorf("%q is not a duration of a minute or more such as 72h (0 = never)", v)
			}
			c.DisableAfter = d
			return nil
		}},
		{"SCOOPA_OPERATOR_WEBHOOK_URL", "operator-webhook-url", "", "URL that receives system events (webhook.invalid, webhook.disabled, call.failed, webhook.certificate_expiring, call.not_fetched); unset = none", func(c *Config, v string) error {
			if v == "" {
				return nil
			}
			if err := rules.CheckURL("url", v); err != nil {
				var in *problem.InputError
				if errors.As(err, &in) {
					return errors.New(in.Message)
				}
				return err
			}
			c.OperatorWebhookURL = v
			return nil
		}},
		{"SCOOPA_OPERATOR_WEBHOOK_SECRET", "operator-webhook-secret", "", "the whsec_ secret that signs the operator webhook's calls (several, comma-separated, each sign, while one replaces another); required with SCOOPA_OPERATOR_WEBHOOK_URL", func(c *Config, v string) error {
			if v == "" {
				return nil
			}
			if err := operator.CheckSecret(v); err != nil {
				return err
			}
			c.OperatorWebhookSecret = v
			return nil
		}},
		{"SCOOPA_OPERATOR_NOT_FETCHED_AFTER", "operator-not-fetched-after", "0", "tell the operator webhook (call.not_fetched) of each delivered file not fetched through its link this long after its delivery, such as 6h; 0 = never", func(c *Config, v string) error {
			if v == "" || v == "0" {
				c.OperatorNotFetchedAfter = 0
				return nil
			}
			d, err := time.ParseDuration(v)
			if err != nil || d < 0 || (d > 0 && d < webhooks.MinNotFetchedAfter) || d > webhooks.MaxNotFetchedAfter {
				return fmt.Errorf("%q is not a duration from %s to %s such as 6h (0 = never; a delivery's link works %s)", v,
					limits.FormatDuration(webhooks.MinNotFetchedAfter), limits.FormatDuration(webhooks.MaxNotFetchedAfter), limits.FormatDuration(webhooks.MaxNotFetchedAfter))
			}
			c.OperatorNotFetchedAfter = d
			return nil
		}},
		{"SCOOPA_QUEUE", "queue", dom.Queue, "name of the task queue (and prefix of the event channel) in Redis", func(c *Config, v string) error {
			if v == "" || strings.ContainsAny(v, " :{}") {
				return errors.New("must be a non-empty name without spaces, colons or braces")
			}
			c.Queue = v
			return nil
		}},
	}
}

// parseFrameAncestors reads SCOOPA_FRAME_ANCESTORS: origins separated by
// spaces, each https://host[:port], or http:// for localhost, 127.0.0.1
// and [::1]; nothing else (no path, no wildcard, no CSP keyword), since
// each goes into the console's Content-Security-Policy as it is.
func parseFrameAncestors(v string) ([]string, error) {
	var out []string
	for _, o := range strings.Fields(v) {
		u, err := url.Parse(o)
		bad := err != nil || u.Host == "" || u.User != nil || (u.Path != "" && u.Path != "/") ||
			u.RawQuery != "" || u.Fragment != "" || u.Opaque != "" || strings.ContainsAny(o, "*;,'\"")
		if !bad {
			host := u.Hostname()
			switch u.Scheme {
			case "https":
			case "http":
				bad = host != "localhost" && host != "127.0.0.1" && host != "::1"
			default:
				bad = true
			}
			if p := u.Port(); p != "" {
				if n, err := strconv.Atoi(p); err != nil || n < 1 || n > 65535 {
					bad = true
				}
			}
			if strings.HasSuffix(u.Host, ":") {
				bad = true
			}
		}
		if bad {
			return nil, fmt.Errorf("%q is not an origin such as https://portal.example.com or https://portal.example.com:8443 (http only for localhost)", o)
		}
		origin := u.Scheme + "://" + u.Host
		if !slices.Contains(out, origin) {
			out = append(out, origin)
		}
	}
	return out, nil
}

// secretSettings are never repeated in error messages.
var secretSettings = map[string]bool{"SCOOPA_ADMIN_TOKEN": true, "SCOOPA_SECRET_KEY": true, "SCOOPA_ENCRYPTION_KEYS": true, "SCOOPA_OPERATOR_WEBHOOK_SECRET": true}

func durationSetter(field func(*Config) *time.Duration) func(*Config, string) error {
	return func(c *Config, v string) error {
		d, err := time.ParseDuration(v)
		if err != nil || d <= 0 {
			return fmt.Errorf("%q is not a positive duration such as 30s or 24h", v)
		}
		*field(c) = d
		return nil
	}
}

// sessionDurationSetter reads a duration of a session: a minute or more
// (a session's last use is recorded to the minute).
func sessionDurationSetter(field func(*Config) *time.Duration) func(*Config, string) error {
	return func(c *Config, v string) error {
		d, err := time.ParseDuration(v)
		if err != nil || d < time.Minute {
			return fmt.Errorf("%q is not a duration of a minute or more such as 30m or 12h", v)
		}
		*field(c) = d
		return nil
	}
}

// intSetter parses a whole number from lo to hi.
func intSetter(field func(*Config) *int, lo, hi int) func(*Config, string) error {
	return func(c *Config, v string) error {
		n, err := strconv.Atoi(v)
		if err != nil || n < lo || n > hi {
			return fmt.Errorf("must be a whole number from %d to %d", lo, hi)
		}
		*field(c) = n
		return nil
	}
}

func boolSetter(field func(*Config) *bool) func(*Config, string) error {
	return func(c *Config, v string) error {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return errors.New("must be true or false")
		}
		*field(c) = b
		return nil
	}
}

// LoadConfig reads the configuration from the environment and then the
// flags in args, which override it. A bad value is an error that names the
// variable.
func LoadConfig(name string, args []string, getenv func(string) string, stderr io.Writer) (Config, error) {
	var c Config
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	all := settings()
	values := make([]*string, len(all))
	for i, s := range all {
		def := s.def
		if v := getenv(s.env); v != "" {
			def = v
		}
		values[i] = fs.String(s.flag, def, s.usage+" ($"+s.env+")")
	}
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	if fs.NArg() > 0 {
		return c, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	for i, s := range all {
		if err := s.set(&c, *values[i]); err != nil {
			shown := strconv.Quote(*values[i])
			if secretSettings[s.env] {
				shown = "(value not shown)"
			} else if s.env == "SCOOPA_REDIS_URL" {
				shown = strconv.Quote(redactRedisURL(*values[i]))
			}
			return c, fmt.Errorf("%s (-%s) %s: %w", s.env, s.flag, shown, err)
		}
	}
	if err := c.resolveSentinels(); err != nil {
		return c, err
	}
	var err error
	if c.Tracing, err = loadTracing(getenv); err != nil {
		return c, err
	}
	if (c.DatabaseURL == "") != (c.RedisURL == "") {
		return c, errors.New("SCOOPA_DATABASE_URL and SCOOPA_REDIS_URL: set both (production mode) or neither (embedded mode)")
	}
	if c.StorageURL != "" {
		c.StorageCredentials = storage.EnvCredentials(getenv)
		if c.StorageCredentials.AccessKeyID == "" || c.StorageCredentials.SecretAccessKey == "" {
			return c, errors.New("SCOOPA_STORAGE_URL: object storage needs credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY")
		}
	} else if c.DownloadMode == DownloadRedirect {
		return c, errors.New("SCOOPA_DOWNLOAD_MODE=redirect needs object storage (SCOOPA_STORAGE_URL): files in the data dir can only be streamed")
	}
	if !c.Embedded() && c.SecretKey == "" {
		return c, errors.New("SCOOPA_SECRET_KEY: required in production mode (at least 32 characters, e.g. `openssl rand -hex 32`)")
	}
	if c.OperatorWebhookURL != "" && c.OperatorWebhookSecret == "" {
		return c, errors.New("SCOOPA_OPERATOR_WEBHOOK_SECRET: required when SCOOPA_OPERATOR_WEBHOOK_URL is set (e.g. whsec_$(openssl rand -base64 24)); the operator webhook verifies its calls with it")
	}
	if c.OperatorNotFetchedAfter > 0 && c.OperatorWebhookURL == "" {
		return c, errors.New("SCOOPA_OPERATOR_NOT_FETCHED_AFTER: needs SCOOPA_OPERATOR_WEBHOOK_URL, the webhook it tells")
	}
	if c.PublicURL == "" {
		c.PublicURL, c.publicURLDerived = defaultPublicURL(c.HTTPAddr), true
	}
	if !c.allowPrivateSet {
		c.AllowPrivateTargets = c.Embedded()
	}
	if c.LogFormat == "" {
		c.LogFormat = "json"
		if c.Embedded() {
			c.LogFormat = "text"
		}
	}
	return c, nil
}

// resolveSentinels makes SCOOPA_REDIS_URL of SCOOPA_REDIS_SENTINELS and
// SCOOPA_REDIS_MASTER, which must come together; when SCOOPA_REDIS_URL is
// set as well, it must name the same sentinels and master (it may add a
// password and options).
func (c *Config) resolveSentinels() error {
	switch {
	case c.redisSentinels == "" && c.redisMaster == "":
		return nil
	case c.redisSentinels == "":
		if r, err := parseRedisURL(c.RedisURL); err == nil && r.failover != nil && r.failover.MasterName == c.redisMaster {
			return nil // the URL says the same
		}
		return errors.New("SCOOPA_REDIS_MASTER: set without SCOOPA_REDIS_SENTINELS; give both, or a redis-sentinel://host:port,host:port?master=NAME URL in SCOOPA_REDIS_URL")
	case c.redisMaster == "":
		return errors.New("SCOOPA_REDIS_MASTER: required with SCOOPA_REDIS_SENTINELS: the master name the sentinels monitor (sentinel monitor NAME ...)")
	}
	u := sentinelURL(c.redisSentinels, c.redisMaster)
	mine, err := parseRedisURL(u)
	if err != nil {
		return fmt.Errorf("SCOOPA_REDIS_SENTINELS %q: %w", c.redisSentinels, err)
	}
	if c.RedisURL == "" {
		c.RedisURL = u
		return nil
	}
	theirs, _ := parseRedisURL(c.RedisURL) // valid: checked by its setter
	if theirs.failover == nil || theirs.failover.MasterName != mine.failover.MasterName ||
		!sameAddrs(theirs.failover.SentinelAddrs, mine.failover.SentinelAddrs) {
		return errors.New("SCOOPA_REDIS_URL and SCOOPA_REDIS_SENTINELS/SCOOPA_REDIS_MASTER name different Redis servers: set only one of them")
	}
	return nil
}

func sameAddrs(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(slices.Compact(a), slices.Compact(b))
}

// defaultPublicURL is the public URL when SCOOPA_PUBLIC_URL is unset: this
// machine at the port of the listen address addr (host:port, validated), its
// host kept unless it means every interface. So a server run with
// SCOOPA_HTTP_ADDR=:8091 prints, and hands out in download links,
// http://localhost:8091.
func defaultPublicURL(addr string) string {
	host, port, _ := net.SplitHostPort(addr)
	switch host {
	case "", "0.0.0.0", "::":
		host = "localhost"
	}
	return "http://" + net.JoinHostPort(host, port)
}

// listening returns c with the public URL naming the port the server
// listens on at ln, when the URL was derived from the listen address (which
// may ask for any free port with port 0).
func (c Config) listening(ln net.Addr) Config {
	if !c.publicURLDerived {
		return c
	}
	host, _, _ := net.SplitHostPort(c.HTTPAddr)
	if _, port, err := net.SplitHostPort(ln.String()); err == nil {
		c.PublicURL = defaultPublicURL(net.JoinHostPort(host, port))
	}
	return c
}

// directUploads reports whether createUpload is on: SCOOPA_DIRECT_UPLOADS
// on, or auto with object storage.
func (c Config) directUploads() bool {
	return c.DirectUploads == "on" || (c.DirectUploads == "auto" && c.StorageURL != "")
}

// Domain returns the delivery domain's part of the configuration.
func (c Config) Domain(secretKey []byte, version string) webhooks.Config {
	return webhooks.Config{
		Platform:             webhooks.Platform(c.Platform),
		PublicURL:            c.PublicURL,
		SecretKey:            secretKey,
		EncryptionKeys:       c.EncryptionKeys,
		RetryDelays:          c.RetryDelays,
		DeliveryTimeout:      c.DeliveryTimeout,
		ValidationTimeout:    c.ValidationTimeout,
		AllowPrivateTargets:  c.AllowPrivateTargets,
		Queue:                c.Queue,
		RevalidateInterval:   c.RevalidateInterval,
		SweepAfter:           c.SweepDelay,
		CallRetention:        c.CallRetention,
		AuditRetention:       c.AuditRetention,
		RedirectDownloads:    c.redirectTTL(),
		DirectUploads:        c.directUploads(),
		MaxDirectUploadBytes: c.MaxDirectUploadBytes,
		UploadPartSize:       c.UploadPartBytes,
		Version:              version,
		DisableAfter:         c.DisableAfter,
		Operator:             operator.Config{URL: c.OperatorWebhookURL, Secret: c.OperatorWebhookSecret},
		NotFetchedAfter:      c.OperatorNotFetchedAfter,
		Sessions:             auth.SessionConfig{IdleTimeout: c.SessionIdleTimeout, MaxAge: c.SessionMaxAge},
		PortalTitle:          c.PortalTitle,
	}
}
