package app

import (
	"io"
	"strings"
	"testing"
	"time"
)

const testOperatorSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"

// SCOOPA_DISABLE_AFTER, SCOOPA_OPERATOR_WEBHOOK_URL and its secret: bad
// values stop start-up with a message naming the variable (and never
// repeat the secret).
func TestLoadConfigEndpointHealth(t *testing.T) {
	for _, tc := range []struct {
		name string
		env  map[string]string
		want string // in the error
	}{
		{"days are not a Go duration", map[string]string{"SCOOPA_DISABLE_AFTER": "3d"}, `SCOOPA_DISABLE_AFTER (-disable-after) "3d": "3d" is not a duration of a minute or more such as 72h (0 = never)`},
		{"negative", map[string]string{"SCOOPA_DISABLE_AFTER": "-72h"}, "SCOOPA_DISABLE_AFTER"},
		{"under a minute", map[string]string{"SCOOPA_DISABLE_AFTER": "30s"}, "SCOOPA_DISABLE_AFTER"},
		{"not a number", map[string]string{"SCOOPA_DISABLE_AFTER": "never"}, "SCOOPA_DISABLE_AFTER"},
		{"operator URL not http", map[string]string{"SCOOPA_OPERATOR_WEBHOOK_URL": "ftp://ops.example/hooks"}, "SCOOPA_OPERATOR_WEBHOOK_URL (-operator-webhook-url) \"ftp://ops.example/hooks\": must be an absolute http or https URL"},
		{"operator URL relative", map[string]string{"SCOOPA_OPERATOR_WEBHOOK_URL": "/hooks"}, "SCOOPA_OPERATOR_WEBHOOK_URL"},
		{"operator URL without secret", map[string]string{"SCOOPA_OPERATOR_WEBHOOK_URL": "https://ops.example/hooks"}, "SCOOPA_OPERATOR_WEBHOOK_SECRET: required when SCOOPA_OPERATOR_WEBHOOK_URL is set"},
		{"secret without prefix", map[string]string{"SCOOPA_OPERATOR_WEBHOOK_URL": "https://ops.example/hooks", "SCOOPA_OPERATOR_WEBHOOK_SECRET": strings.TrimPrefix(testOperatorSecret, "whsec_")}, `SCOOPA_OPERATOR_WEBHOOK_SECRET (-operator-webhook-secret) (value not shown): must start with "whsec_"`},
		{"second secret bad", map[string]string{"SCOOPA_OPERATOR_WEBHOOK_SECRET": testOperatorSecret + ",whsec_"}, "SCOOPA_OPERATOR_WEBHOOK_SECRET (-operator-webhook-secret) (value not shown): must be"},
		{"secret too short", map[string]string{"SCOOPA_OPERATOR_WEBHOOK_SECRET": "whsec_c2hvcnQ="}, "SCOOPA_OPERATOR_WEBHOOK_SECRET (-operator-webhook-secret) (value not shown): must be"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := LoadConfig("t", nil, func(k string) string { return tc.env[k] }, io.Discard)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v, want one containing %q", err, tc.want)
			}
			if err != nil && strings.Contains(err.Error(), "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw") {
				t.Errorf("err = %v repeats the secret", err)
			}
		})
	}
	for _, tc := range []struct {
		value string
		want  time.Duration
	}{{"", 0}, {"0", 0}, {"0s", 0}, {"72h", 72 * time.Hour}, {"90m", 90 * time.Minute}} {
		c, err := LoadConfig("t", nil, func(k string) string {
			return map[string]string{"SCOOPA_DISABLE_AFTER": tc.value}[k]
		}, io.Discard)
		if err != nil {
			t.Errorf("SCOOPA_DISABLE_AFTER=%q: %v", tc.value, err)
			continue
		}
		if got := c.Domain([]byte(strings.Repeat("k", 32)), "dev").DisableAfter; got != tc.want {
			t.Errorf("SCOOPA_DISABLE_AFTER=%q: %v, want %v", tc.value, got, tc.want)
		}
	}
	c, err := LoadConfig("t", []string{"-operator-webhook-url", "https://ops.example/hooks"}, func(k string) string {
		return map[string]string{"SCOOPA_OPERATOR_WEBHOOK_SECRET": testOperatorSecret}[k]
	}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	op := c.Domain([]byte(strings.Repeat("k", 32)), "dev").Operator
	if op.URL != "https://ops.example/hooks" || op.Secret != testOperatorSecret {
		t.Errorf("operator = %+v", op)
	}
}

// SCOOPA_OPERATOR_NOT_FETCHED_AFTER: off unless set (0, 0s and empty too),
// from a minute to 24h, only with an operator webhook; a bad value stops
// start-up naming the variable.
func TestLoadConfigNotFetchedAfter(t *testing.T) {
	op := map[string]string{"SCOOPA_OPERATOR_WEBHOOK_URL": "https://ops.example/hooks", "SCOOPA_OPERATOR_WEBHOOK_SECRET": testOperatorSecret}
	for _, tc := range []struct {
		value    string
		operator bool
		want     time.Duration
		err      string
	}{
		{"", false, 0, ""},
		{"0", true, 0, ""},
		{"0s", false, 0, ""},
		{"6h", true, 6 * time.Hour, ""},
		{"1m", true, time.Minute, ""},
		{"24h", true, 24 * time.Hour, ""},
		{"6h", false, 0, "SCOOPA_OPERATOR_NOT_FETCHED_AFTER: needs SCOOPA_OPERATOR_WEBHOOK_URL"},
		{"30s", true, 0, `SCOOPA_OPERATOR_NOT_FETCHED_AFTER (-operator-not-fetched-after) "30s": "30s" is not a duration from 1m to 24h such as 6h`},
		{"25h", true, 0, "SCOOPA_OPERATOR_NOT_FETCHED_AFTER"},
		{"-1h", true, 0, "SCOOPA_OPERATOR_NOT_FETCHED_AFTER"},
		{"1d", true, 0, "SCOOPA_OPERATOR_NOT_FETCHED_AFTER"},
	} {
		env := map[string]string{"SCOOPA_OPERATOR_NOT_FETCHED_AFTER": tc.value}
		if tc.operator {
			for k, v := range op {
				env[k] = v
			}
		}
		c, err := LoadConfig("t", nil, func(k string) string { return env[k] }, io.Discard)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("%q (operator webhook %v): err = %v, want one containing %q", tc.value, tc.operator, err, tc.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%q: %v", tc.value, err)
			continue
		}
		if got := c.Domain([]byte(strings.Repeat("k", 32)), "dev").NotFetchedAfter; got != tc.want {
			t.Errorf("%q: %v, want %v", tc.value, got, tc.want)
		}
	}
}
