package app

import (
	"github.com/google/go-cmp/cmp"
	"github.com/scoopa/webhooks/graph"
	"github.com/scoopa/webhooks/internal/storage"
	"github.com/scoopa/webhooks/internal/webhooks"
	"github.com/scoopa/webhooks/worker"
	"io"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestLoadConfigRefusesBadValues(t *testing.T) {
	prod := map[string]string{
		"SCOOPA_DATABASE_URL": "postgres://x@127.0.0.1/db", "SCOOPA_REDIS_URL": "redis://127.0.0.1:6379/0",
		"SCOOPA_SECRET_KEY": strings.Repeat("k", 32),
	}
	for _, tc := range []struct {
		name string
		env  map[string]string
		args []string
		want string // in the error
	}{
		{"platform", map[string]string{"SCOOPA_PLATFORM": "prod"}, nil, "SCOOPA_PLATFORM"},
		{"retry delays", map[string]string{"SCOOPA_RETRY_DELAYS": "1m,soon"}, nil, "SCOOPA_RETRY_DELAYS"},
		{"negative retry delay", map[string]string{"SCOOPA_RETRY_DELAYS": "-1m"}, nil, "SCOOPA_RETRY_DELAYS"},
		{"timeout", map[string]string{"SCOOPA_DELIVERY_TIMEOUT": "0s"}, nil, "SCOOPA_DELIVERY_TIMEOUT"},
		{"concurrency", map[string]string{"SCOOPA_WORKER_CONCURRENCY": "lots"}, nil, "SCOOPA_WORKER_CONCURRENCY"},
		{"public url", map[string]string{"SCOOPA_PUBLIC_URL": "example.com"}, nil, "SCOOPA_PUBLIC_URL"},
		{"database url", map[string]string{"SCOOPA_DATABASE_URL": "mysql://x", "SCOOPA_REDIS_URL": "redis://x"}, nil, "SCOOPA_DATABASE_URL"},
		{"only one backend", map[string]string{"SCOOPA_DATABASE_URL": "postgres://x/db"}, nil, "set both"},
		{"short admin token", map[string]string{"SCOOPA_ADMIN_TOKEN": "short"}, nil, "SCOOPA_ADMIN_TOKEN"},
		{"admin token of 31 characters", map[string]string{"SCOOPA_ADMIN_TOKEN": strings.Repeat("t", 31)}, nil, "SCOOPA_ADMIN_TOKEN (-admin-token) (value not shown): must be at least 32 characters"},
		{"request bytes", map[string]string{"SCOOPA_MAX_REQUEST_BYTES": "1k"}, nil, "SCOOPA_MAX_REQUEST_BYTES"},
		{"auth failure limit", map[string]string{"SCOOPA_AUTH_FAILURE_LIMIT": "-1"}, nil, "SCOOPA_AUTH_FAILURE_LIMIT"},
		{"auth failure window", map[string]string{"SCOOPA_AUTH_FAILURE_WINDOW": "soon"}, nil, "SCOOPA_AUTH_FAILURE_WINDOW"},
		{"session idle timeout under a minute", map[string]string{"SCOOPA_SESSION_IDLE_TIMEOUT": "30s"}, nil, `SCOOPA_SESSION_IDLE_TIMEOUT (-session-idle-timeout) "30s": "30s" is not a duration of a minute or more`},
		{"session max age", map[string]string{"SCOOPA_SESSION_MAX_AGE": "a day"}, nil, "SCOOPA_SESSION_MAX_AGE"},
		{"trusted proxy not a CIDR", map[string]string{"SCOOPA_TRUSTED_PROXIES": "10.0.0.0/8, proxy.example"}, nil, `SCOOPA_TRUSTED_PROXIES (-trusted-proxies) "10.0.0.0/8, proxy.example": "proxy.example" is not a CIDR`},
		{"trusted proxy prefix too long", map[string]string{"SCOOPA_TRUSTED_PROXIES": "10.0.0.0/33"}, nil, `SCOOPA_TRUSTED_PROXIES (-trusted-proxies) "10.0.0.0/33": "10.0.0.0/33" is not a CIDR`},
		{"read timeout", map[string]string{"SCOOPA_READ_TIMEOUT": "0s"}, nil, "SCOOPA_READ_TIMEOUT"},
		{"task check interval too short", map[string]string{"SCOOPA_TASK_CHECK_INTERVAL": "1ms"}, nil, "SCOOPA_TASK_CHECK_INTERVAL"},
		{"read header timeout", map[string]string{"SCOOPA_READ_HEADER_TIMEOUT": "x"}, nil, "SCOOPA_READ_HEADER_TIMEOUT"},
		{"idle timeout", map[string]string{"SCOOPA_IDLE_TIMEOUT": "-1s"}, nil, "SCOOPA_IDLE_TIMEOUT"},
		{"production without secret key", map[string]string{"SCOOPA_DATABASE_URL": prod["SCOOPA_DATABASE_URL"], "SCOOPA_REDIS_URL": prod["SCOOPA_REDIS_URL"]}, nil, "SCOOPA_SECRET_KEY"},
		{"flag overrides env", map[string]string{"SCOOPA_PLATFORM": "test"}, []string{"-platform", "nope"}, "SCOOPA_PLATFORM (-platform)"},
		{"bool", map[string]string{"SCOOPA_ALLOW_PRIVATE_TARGETS": "maybe"}, nil, "SCOOPA_ALLOW_PRIVATE_TARGETS"},
		{"stray argument", nil, []string{"serve"}, "unexpected argument"},
		{"query bytes", map[string]string{"SCOOPA_MAX_QUERY_BYTES": "10"}, nil, "SCOOPA_MAX_QUERY_BYTES"},
		{"query tokens", map[string]string{"SCOOPA_MAX_QUERY_TOKENS": "many"}, nil, "SCOOPA_MAX_QUERY_TOKENS"},
		{"subscriptions per socket", map[string]string{"SCOOPA_WS_MAX_SUBSCRIPTIONS": "0"}, nil, "SCOOPA_WS_MAX_SUBSCRIPTIONS"},
		{"init timeout", map[string]string{"SCOOPA_WS_INIT_TIMEOUT": "5"}, nil, "SCOOPA_WS_INIT_TIMEOUT"},
		{"statement timeout", map[string]string{"SCOOPA_STATEMENT_TIMEOUT": "-1s"}, nil, "SCOOPA_STATEMENT_TIMEOUT"},
		{"encryption key without version", map[string]string{"SCOOPA_ENCRYPTION_KEYS": strings.Repeat("ab", 32)}, nil, "SCOOPA_ENCRYPTION_KEYS (-encryption-keys) (value not shown): "},
		{"short encryption key", map[string]string{"SCOOPA_ENCRYPTION_KEYS": "1:abcd"}, nil, "SCOOPA_ENCRYPTION_KEYS (-encryption-keys) (value not shown): key version 1: must be 32 bytes"},
		{"encryption key version twice", map[string]string{"SCOOPA_ENCRYPTION_KEYS": "1:" + strings.Repeat("ab", 32) + ",1:" + strings.Repeat("cd", 32)}, nil, "version 1 is given twice"},
		{"storage url scheme", map[string]string{"SCOOPA_STORAGE_URL": "gs://bucket"}, nil, `SCOOPA_STORAGE_URL (-storage-url) "gs://bucket": scheme "gs"`},
		{"storage url bucket", map[string]string{"SCOOPA_STORAGE_URL": "s3:///files"}, nil, "SCOOPA_STORAGE_URL (-storage-url) \"s3:///files\": missing bucket"},
		{"storage url endpoint", map[string]string{"SCOOPA_STORAGE_URL": "s3://bucket?endpoint=127.0.0.1:9000"}, nil, `SCOOPA_STORAGE_URL (-storage-url) "s3://bucket?endpoint=127.0.0.1:9000": endpoint "127.0.0.1:9000"`},
		{"storage without credentials", map[string]string{"SCOOPA_STORAGE_URL": "s3://bucket"}, nil, "SCOOPA_STORAGE_URL: object storage needs credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY"},
		{"storage without secret", map[string]string{"SCOOPA_STORAGE_URL": "s3://bucket", "AWS_ACCESS_KEY_ID": "k"}, nil, "AWS_SECRET_ACCESS_KEY"},
		{"download mode", map[string]string{"SCOOPA_DOWNLOAD_MODE": "proxy"}, nil, "SCOOPA_DOWNLOAD_MODE (-download-mode) \"proxy\": must be stream or redirect"},
		{"redirect without object storage", map[string]string{"SCOOPA_DOWNLOAD_MODE": "redirect"}, nil, "SCOOPA_DOWNLOAD_MODE=redirect needs object storage (SCOOPA_STORAGE_URL)"},
		{"encryption key version 0", map[string]string{"SCOOPA_ENCRYPTION_KEYS": "0:" + strings.Repeat("ab", 32)}, nil, "SCOOPA_ENCRYPTION_KEYS"},
		{"frame ancestor over http", map[string]string{"SCOOPA_FRAME_ANCESTORS": "https://a.example http://b.example"}, nil, `SCOOPA_FRAME_ANCESTORS (-frame-ancestors) "https://a.example http://b.example": "http://b.example" is not an origin`},
		{"portal title too long", map[string]string{"SCOOPA_PORTAL_TITLE": strings.Repeat("x", 121)}, nil, "SCOOPA_PORTAL_TITLE"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := LoadConfig("t", tc.args, func(k string) string { return tc.env[k] }, io.Discard)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v, want one naming %q", err, tc.want)
			}
			if err != nil && strings.Contains(err.Error(), strings.Repeat("ab", 32)) {
				t.Errorf("err = %v repeats the secret value", err)
			}
		})
	}
}

func TestLoadConfigDefaults(t *testing.T) {
	c, err := LoadConfig("t", nil, func(string) string { return "" }, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if !c.Embedded() || !c.AllowPrivateTargets || c.HTTPAddr != ":8080" || c.DataDir != "./data" || c.Platform != "test" ||
		c.PublicURL != "http://localhost:8080" || c.DeliveryTimeout != 15*time.Second || c.LogFormat != "text" ||
		c.MaxRequestBytes != 1<<20 || c.AuthFailureLimit != 20 || c.AuthFailureWindow != time.Minute ||
		c.ReadTimeout != 30*time.Second || c.ReadHeaderTimeout != 10*time.Second || c.IdleTimeout != 2*time.Minute ||
		len(c.RetryDelays) != 3 || c.RetryDelays[0] != time.Minute || c.RetryDelays[1] != 10*time.Minute || c.RetryDelays[2] != 20*time.Minute ||
		c.MaxQueryBytes != 32768 || c.MaxQueryTokens != 1000 || c.WSMaxSubscriptions != 100 || c.WSInitTimeout != 5*time.Second ||
		c.StatementTimeout != 10*time.Second || c.PortalTitle != "Webhooks" || c.FrameAncestors != nil {
		t.Errorf("defaults: %+v", c)
	}
	p, err := LoadConfig("t", nil, func(k string) string {
		return map[string]string{"SCOOPA_DATABASE_URL": "postgres://x/db", "SCOOPA_REDIS_URL": "redis://x:1/0", "SCOOPA_SECRET_KEY": strings.Repeat("k", 32)}[k]
	}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if p.Embedded() || p.AllowPrivateTargets || p.LogFormat != "json" {
		t.Errorf("production defaults: embedded %v, private targets %v, log %s", p.Embedded(), p.AllowPrivateTargets, p.LogFormat)
	}
}

// Unset, SCOOPA_PUBLIC_URL names this machine at the port of
// SCOOPA_HTTP_ADDR, so the banner and download links follow the server to
// another port.
func TestPublicURLDefaultFollowsListenAddress(t *testing.T) {
	for _, tc := range []struct{ addr, public, want string }{
		{"", "", "http://localhost:8080"},
		{":8091", "", "http://localhost:8091"},
		{"0.0.0.0:8092", "", "http://localhost:8092"},
		{"[::]:8093", "", "http://localhost:8093"},
		{"127.0.0.1:9000", "", "http://127.0.0.1:9000"},
		{"[::1]:9001", "", "http://[::1]:9001"},
		{"media.example:80", "", "http://media.example:80"},
		{":8091", "https://hooks.example/", "https://hooks.example"},
	} {
		t.Run(tc.addr+" "+tc.public, func(t *testing.T) {
			env := map[string]string{"SCOOPA_HTTP_ADDR": tc.addr, "SCOOPA_PUBLIC_URL": tc.public}
			c, err := LoadConfig("t", nil, func(k string) string { return env[k] }, io.Discard)
			if err != nil {
				t.Fatal(err)
			}
			if c.PublicURL != tc.want {
				t.Errorf("PublicURL = %q, want %q", c.PublicURL, tc.want)
			}
		})
	}
	// The flag overrides the environment, for the address as for the rest.
	c, err := LoadConfig("t", []string{"-http-addr", ":7000"}, func(k string) string {
		return map[string]string{"SCOOPA_HTTP_ADDR": ":8091"}[k]
	}, io.Discard)
	if err != nil || c.PublicURL != "http://localhost:7000" {
		t.Errorf("with -http-addr :7000: %q, %v; want http://localhost:7000", c.PublicURL, err)
	}
	// An address without a port is refused before anything starts.
	if _, err := LoadConfig("t", nil, func(k string) string {
		return map[string]string{"SCOOPA_HTTP_ADDR": "8091"}[k]
	}, io.Discard); err == nil || !strings.Contains(err.Error(), "SCOOPA_HTTP_ADDR") {
		t.Errorf("SCOOPA_HTTP_ADDR=8091: err %v, want one naming SCOOPA_HTTP_ADDR", err)
	}
}

func TestWithStatementTimeout(t *testing.T) {
	const dsn = "postgres://u@127.0.0.1:5432/db?sslmode=disable"
	if got := withStatementTimeout(dsn, 0); got != dsn {
		t.Errorf("off: %q, want the URL unchanged", got)
	}
	got := withStatementTimeout(dsn, 10*time.Second)
	if !strings.Contains(got, "statement_timeout=10000") || !strings.Contains(got, "sslmode=disable") {
		t.Errorf("10s: %q, want statement_timeout=10000 beside the other parameters", got)
	}
}

// Each default has one home: the binaries' defaults are the ones the
// domain (webhooks.Config.WithDefaults, webhooks.DefaultConcurrency) and the
// GraphQL handler (graph.Options.WithDefaults) take when a field is zero.
func TestDefaultsHaveOneHome(t *testing.T) {
	c, err := LoadConfig("t", nil, func(string) string { return "" }, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	key := []byte(strings.Repeat("k", 32))
	got := c.Domain(key, "dev").WithDefaults() // fields the binaries do not set stay as they are
	want := webhooks.Config{SecretKey: key, PublicURL: got.PublicURL, AllowPrivateTargets: got.AllowPrivateTargets}.WithDefaults()
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("domain defaults (-webhooks.Config.WithDefaults +LoadConfig):\n%s", diff)
	}
	if c.WorkerConcurrency != webhooks.DefaultConcurrency {
		t.Errorf("SCOOPA_WORKER_CONCURRENCY defaults to %d, webhooks.DefaultConcurrency is %d", c.WorkerConcurrency, webhooks.DefaultConcurrency)
	}
	if c.TaskCheckInterval != worker.DefaultTaskCheckInterval {
		t.Errorf("SCOOPA_TASK_CHECK_INTERVAL defaults to %s, worker.DefaultTaskCheckInterval is %s", c.TaskCheckInterval, worker.DefaultTaskCheckInterval)
	}
	if c.DBMaxConns != DefaultDBMaxConns {
		t.Errorf("SCOOPA_DB_MAX_CONNS defaults to %d, DefaultDBMaxConns is %d", c.DBMaxConns, DefaultDBMaxConns)
	}
	g := graph.Options{}.WithDefaults()
	if c.MaxRequestBytes != g.MaxRequestBytes || c.MaxQueryBytes != g.MaxQueryBytes || c.MaxQueryTokens != g.MaxQueryTokens ||
		c.WSMaxSubscriptions != g.MaxSubscriptionsPerSocket || c.WSInitTimeout != g.InitTimeout {
		t.Errorf("GraphQL defaults differ: config %d %d %d %d %v, graph.Options %d %d %d %d %v",
			c.MaxRequestBytes, c.MaxQueryBytes, c.MaxQueryTokens, c.WSMaxSubscriptions, c.WSInitTimeout,
			g.MaxRequestBytes, g.MaxQueryBytes, g.MaxQueryTokens, g.MaxSubscriptionsPerSocket, g.InitTimeout)
	}
}

// SCOOPA_SWEEP_INTERVAL sets how often the sweeper runs, and only that;
// SCOOPA_SWEEP_DELAY sets how late a call may be before it is swept.
func TestSweepIntervalAndDelayAreSeparate(t *testing.T) {
	for _, tc := range []struct {
		name                string
		env                 map[string]string
		wantEvery, wantLate time.Duration
	}{
		{"defaults", nil, 10 * time.Second, 10 * time.Second},
		{"interval only", map[string]string{"SCOOPA_SWEEP_INTERVAL": "1m"}, time.Minute, 10 * time.Second},
		{"short interval only", map[string]string{"SCOOPA_SWEEP_INTERVAL": "1s"}, time.Second, 10 * time.Second},
		{"delay only", map[string]string{"SCOOPA_SWEEP_DELAY": "45s"}, 10 * time.Second, 45 * time.Second},
		{"both", map[string]string{"SCOOPA_SWEEP_INTERVAL": "2s", "SCOOPA_SWEEP_DELAY": "3s"}, 2 * time.Second, 3 * time.Second},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := LoadConfig("t", nil, func(k string) string { return tc.env[k] }, io.Discard)
			if err != nil {
				t.Fatal(err)
			}
			if got := workerOptions(c).Periods.Sweep; got != tc.wantEvery {
				t.Errorf("sweep every %v, want %v", got, tc.wantEvery)
			}
			if got := c.Domain([]byte(strings.Repeat("k", 32)), "dev").SweepAfter; got != tc.wantLate {
				t.Errorf("sweep after %v, want %v", got, tc.wantLate)
			}
		})
	}
}

// Object storage: the URL and the usual AWS variables are read together;
// downloads stream unless redirect is asked for.
func TestLoadConfigObjectStorage(t *testing.T) {
	env := map[string]string{
		"SCOOPA_STORAGE_URL": "s3://files/scoopa?endpoint=http://127.0.0.1:9000", "SCOOPA_DOWNLOAD_MODE": "redirect",
		"AWS_ACCESS_KEY_ID": "key", "AWS_SECRET_ACCESS_KEY": "secret", "AWS_SESSION_TOKEN": "session",
	}
	c, err := LoadConfig("t", nil, func(k string) string { return env[k] }, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	want := storage.Credentials{AccessKeyID: "key", SecretAccessKey: "secret", SessionToken: "session"}
	if c.StorageURL != env["SCOOPA_STORAGE_URL"] || c.StorageCredentials != want || c.DownloadMode != "redirect" ||
		c.Domain(nil, "").RedirectDownloads != PresignTTL {
		t.Errorf("config: %q %+v %q %v", c.StorageURL, c.StorageCredentials, c.DownloadMode, c.Domain(nil, "").RedirectDownloads)
	}
	d, err := LoadConfig("t", nil, func(string) string { return "" }, io.Discard)
	if err != nil || d.StorageURL != "" || d.DownloadMode != "stream" || d.Domain(nil, "").RedirectDownloads != 0 {
		t.Errorf("defaults: %q %q %v", d.StorageURL, d.DownloadMode, err)
	}
}

// SCOOPA_FRAME_ANCESTORS goes into the console's Content-Security-Policy
// as it is: only plain origins pass, https but for this machine.
func TestParseFrameAncestors(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []string // nil: refused, unless in is blank
	}{
		{"", nil},
		{"  ", nil},
		{"https://portal.example.com", []string{"https://portal.example.com"}},
		{"https://portal.example.com/ https://b.example:8443\thttp://localhost:3000", []string{"https://portal.example.com", "https://b.example:8443", "http://localhost:3000"}},
		{"http://127.0.0.1:5173 http://[::1]:5173 https://a.example https://a.example", []string{"http://127.0.0.1:5173", "http://[::1]:5173", "https://a.example"}},
		{"http://portal.example.com", nil},
		{"portal.example.com", nil},
		{"https://*.example.com", nil},
		{"https://portal.example.com/path", nil},
		{"https://portal.example.com?x=1", nil},
		{"https://user@portal.example.com", nil},
		{"https://portal.example.com:99999", nil},
		{"https://portal.example.com:", nil},
		{"'self'", nil},
		{"'none'", nil},
		{"https://a.example;script-src", nil},
		{"ftp://a.example", nil},
		{"javascript:alert(1)", nil},
	} {
		got, err := parseFrameAncestors(tc.in)
		if tc.want == nil && strings.TrimSpace(tc.in) != "" {
			if err == nil {
				t.Errorf("%q: accepted as %q, want refused", tc.in, got)
			}
			continue
		}
		if err != nil || !slices.Equal(got, tc.want) {
			t.Errorf("%q: %q, %v; want %q", tc.in, got, err, tc.want)
		}
	}
}
