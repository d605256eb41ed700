package app

import (
	"io"
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
		{"production without secret key", map[string]string{"SCOOPA_DATABASE_URL": prod["SCOOPA_DATABASE_URL"], "SCOOPA_REDIS_URL": prod["SCOOPA_REDIS_URL"]}, nil, "SCOOPA_SECRET_KEY"},
		{"flag overrides env", map[string]string{"SCOOPA_PLATFORM": "test"}, []string{"-platform", "nope"}, "SCOOPA_PLATFORM (-platform)"},
		{"bool", map[string]string{"SCOOPA_ALLOW_PRIVATE_TARGETS": "maybe"}, nil, "SCOOPA_ALLOW_PRIVATE_TARGETS"},
		{"stray argument", nil, []string{"serve"}, "unexpected argument"},
		{"encryption key without version", map[string]string{"SCOOPA_ENCRYPTION_KEYS": strings.Repeat("ab", 32)}, nil, "SCOOPA_ENCRYPTION_KEYS (-encryption-keys) (value not shown): "},
		{"short encryption key", map[string]string{"SCOOPA_ENCRYPTION_KEYS": "1:abcd"}, nil, "SCOOPA_ENCRYPTION_KEYS (-encryption-keys) (value not shown): key version 1: must be 32 bytes"},
		{"encryption key version twice", map[string]string{"SCOOPA_ENCRYPTION_KEYS": "1:" + strings.Repeat("ab", 32) + ",1:" + strings.Repeat("cd", 32)}, nil, "version 1 is given twice"},
		{"encryption key version 0", map[string]string{"SCOOPA_ENCRYPTION_KEYS": "0:" + strings.Repeat("ab", 32)}, nil, "SCOOPA_ENCRYPTION_KEYS"},
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
		len(c.RetryDelays) != 3 || c.RetryDelays[0] != time.Minute || c.RetryDelays[1] != 10*time.Minute || c.RetryDelays[2] != 20*time.Minute {
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
