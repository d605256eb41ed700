package limits

import (
	"context"
	"errors"
	"fmt"
	"math"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/redis/go-redis/v9"
	"github.com/scoopa/webhooks/internal/problem"
)

func TestParseRetryDelays(t *testing.T) {
	for _, tc := range []struct {
		name    string
		in      []string
		want    string // formatted, or the error's field
		wantErr bool
	}{
		{"default", []string{"1m", "10m", "20m"}, "1m,10m,20m", false},
		{"normalised", []string{"60s", " 90s", "3600s", "5400s"}, "1m,1m30s,1h,1h30m", false},
		{"none", []string{}, "", false},
		{"at the bound", []string{"84h", "84h"}, "84h,84h", false},
		{"over the bound", []string{"84h", "84h", "1s"}, "retryDelays", true},
		{"eleven", strings.Split("1s,1s,1s,1s,1s,1s,1s,1s,1s,1s,1s", ","), "retryDelays", true},
		{"not a duration", []string{"1m", "x"}, "retryDelays.1", true},
		{"zero", []string{"0s"}, "retryDelays.0", true},
		{"fraction", []string{"2500ms"}, "retryDelays.0", true},
		{"empty delay", []string{""}, "retryDelays.0", true},
		{"blank delay", []string{"1m", "  "}, "retryDelays.1", true},
		{"one nanosecond", []string{"1ns"}, "retryDelays.0", true},
		{"negative", []string{"-1m"}, "retryDelays.0", true},
		{"9999999h", []string{"9999999h"}, "retryDelays.0", true},
		{"beyond a duration", []string{"9999999999999h"}, "retryDelays.0", true},
		{"longer than a week", []string{"169h"}, "retryDelays.0", true},
		{"one huge delay", []string{"1m", "2562047h"}, "retryDelays.1", true},
		// Two delays near the largest duration overflow when added.
		{"sum overflows", []string{"2562047h", "2562047h"}, "retryDelays.0", true},
		{"ten that overflow", strings.Split(strings.Repeat("1000000h,", 9)+"1000000h", ","), "retryDelays.0", true},
		{"1,000 delays", strings.Split(strings.Repeat("1m,", 999)+"1m", ","), "retryDelays", true},
		{"NaN", []string{"NaN"}, "retryDelays.0", true},
		{"number without unit", []string{"60"}, "retryDelays.0", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ds, err := ParseRetryDelays("retryDelays", tc.in)
			if tc.wantErr {
				if firstField(err) != tc.want {
					t.Fatalf("error %v, want one on field %q", err, tc.want)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := strings.Join(FormatDelays(ds), ","); got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

// Extreme limits are refused on their fields, with the allowed range.
func TestCheckLimits(t *testing.T) {
	n := func(v int) *int { return &v }
	for _, tc := range []struct {
		name                      string
		rate, concurrent, timeout *int
		delays                    []string
		field                     string // "" when accepted
	}{
		{name: "nothing given"},
		{name: "all at their bounds", rate: n(MaxRequestsPerSecondLimit), concurrent: n(MaxConcurrentLimit), timeout: n(MaxTimeoutSeconds), delays: []string{"1s"}},
		{name: "rate 0", rate: n(0), field: "maxRequestsPerSecond"},
		{name: "rate -1", rate: n(-1), field: "maxRequestsPerSecond"},
		{name: "rate 10^9", rate: n(1_000_000_000), field: "maxRequestsPerSecond"},
		{name: "rate MinInt", rate: n(math.MinInt), field: "maxRequestsPerSecond"},
		{name: "concurrent 0", concurrent: n(0), field: "maxConcurrent"},
		{name: "concurrent 10^9", concurrent: n(1_000_000_000), field: "maxConcurrent"},
		{name: "timeout 0", timeout: n(0), field: "timeoutSeconds"},
		{name: "timeout -1", timeout: n(-1), field: "timeoutSeconds"},
		{name: "timeout 10^9", timeout: n(1_000_000_000), field: "timeoutSeconds"},
		{name: "1,000 delays", delays: strings.Split(strings.Repeat("1m,", 999)+"1m", ","), field: "retryDelays"},
		{name: "9999999h", delays: []string{"9999999h"}, field: "retryDelays.0"},
		{name: "1ns", delays: []string{"1ns"}, field: "retryDelays.0"},
		{name: "empty delay", delays: []string{""}, field: "retryDelays.0"},
		{name: "overflowing sum", delays: []string{"2562047h", "2562047h"}, field: "retryDelays.0"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := Check(tc.rate, tc.concurrent, tc.timeout, tc.delays)
			if tc.field == "" {
				if err != nil {
					t.Fatalf("Check = %v, want nil", err)
				}
				return
			}
			if firstField(err) != tc.field || !errors.Is(err, problem.ErrInvalidInput) {
				t.Fatalf("Check = %v, want an input error on %s", err, tc.field)
			}
		})
	}
}

// firstField is the field of the first input error of err; "" if err is
// not an input error.
func firstField(err error) string {
	var many problem.InputErrors
	var one *problem.InputError
	switch {
	case errors.As(err, &many) && len(many) > 0:
		return many[0].Field
	case errors.As(err, &one):
		return one.Field
	}
	return ""
}

func TestRetryAfterHeader(t *testing.T) {
	now := time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		in     string
		want   time.Duration
		wantOK bool
	}{
		{"", 0, false},
		{"30", 30 * time.Second, true},
		{" 0 ", 0, true},
		{"-5", 0, false},
		{"1.5", 0, false},
		{"soon", 0, false},
		{"Fri, 27 Nov 2026 10:01:00 GMT", time.Minute, true},
		{"Fri, 27 Nov 2026 09:59:00 GMT", 0, true}, // in the past: now
		{"99999999999999999999", 0, false},
	} {
		got, ok := RetryAfter(tc.in, now)
		if got != tc.want || ok != tc.wantOK {
			t.Errorf("RetryAfter(%q) = %s, %v; want %s, %v", tc.in, got, ok, tc.want, tc.wantOK)
		}
	}
}

// The keys of one webhook share one hash tag, so they sit in one slot of a
// Redis Cluster (a script may only touch keys of one slot).
func TestLimiterKeysShareASlot(t *testing.T) {
	l := NewLimiter(nil, "webhooks")
	tag := regexp.MustCompile(`\{([^}]*)\}`)
	keys := []string{l.rateKey(42), l.gateKey(42), l.leaseKey(42)}
	first := tag.FindString(keys[0])
	for _, k := range keys {
		if got := tag.FindString(k); got == "" || got != first {
			t.Errorf("key %q has hash tag %q, want %q like %q", k, got, first, keys[0])
		}
	}
	if tag.FindString(l.rateKey(43)) == first {
		t.Error("two webhooks share a hash tag")
	}
}

// limiters are the Redis a limiter runs on: the real one and miniredis
// (embedded mode), whose clock the test sets.
func limiters(t *testing.T) map[string]struct {
	l       *Limiter
	advance func(time.Duration) // moves Redis's clock on
} {
	t.Helper()
	out := map[string]struct {
		l       *Limiter
		advance func(time.Duration)
	}{}
	mr := miniredis.RunT(t)
	now := time.Now()
	mr.SetTime(now)
	mini := redis.NewClient(&redis.Options{Addr: mr.Addr()})
	t.Cleanup(func() { mini.Close() })
	out["miniredis"] = struct {
		l       *Limiter
		advance func(time.Duration)
	}{NewLimiter(mini, "t"), func(d time.Duration) { now = now.Add(d); mr.SetTime(now); mr.FastForward(d) }}
	url := "redis://127.0.0.1:6379/0"
	opt, _ := redis.ParseURL(url)
	real := redis.NewClient(opt)
	t.Cleanup(func() { real.Close() })
	if err := real.Ping(context.Background()).Err(); err != nil {
		t.Fatalf("redis at %s: %v", url, err)
	}
	out["redis"] = struct {
		l       *Limiter
		advance func(time.Duration)
	}{NewLimiter(real, "test-limits-"+fmt.Sprint(time.Now().UnixNano())), time.Sleep}
	return out
}

// A lease not given back (its worker died) expires after its time; one
// given back frees its place at once.
func TestLeasesExpire(t *testing.T) {
	ctx := context.Background()
	for name, r := range limiters(t) {
		t.Run(name, func(t *testing.T) {
			const ttl = 300 * time.Millisecond
			a, err := r.l.Acquire(ctx, 1, 2, 10, ttl)
			if err != nil || a == nil {
				t.Fatalf("first lease: %v, %v", a, err)
			}
			b, err := r.l.Acquire(ctx, 1, 2, 11, ttl)
			if err != nil || b == nil {
				t.Fatalf("second lease: %v, %v", b, err)
			}
			if c, err := r.l.Acquire(ctx, 1, 2, 12, ttl); err != nil || c != nil {
				t.Fatalf("third lease of 2: %v, %v; want none", c, err)
			}
			if err := b.Release(ctx); err != nil {
				t.Fatal(err)
			}
			c, err := r.l.Acquire(ctx, 1, 2, 12, ttl)
			if err != nil || c == nil {
				t.Fatalf("lease after a release: %v, %v", c, err)
			}
			// a and c are never released: their worker "died".
			r.advance(ttl + 50*time.Millisecond)
			d, err := r.l.Acquire(ctx, 1, 2, 13, ttl)
			if err != nil || d == nil {
				t.Fatalf("lease after the others expired: %v, %v", d, err)
			}
			_ = d.Release(ctx)
		})
	}
}

// Slots are handed out 1/rate apart; the gate lets at most rate requests
// through in one second of Redis's clock, even when calls come late for
// their slots all at once.
func TestRateSlotsAndGate(t *testing.T) {
	ctx := context.Background()
	for name, r := range limiters(t) {
		if name == "redis" {
			continue // Redis's own clock cannot be held still; miniredis's can.
		}
		t.Run(name, func(t *testing.T) {
			var slots []time.Time
			for i := range 10 {
				wait, slot, err := r.l.TakeRate(ctx, 7, 5, time.Time{}, true)
				if err != nil {
					t.Fatal(err)
				}
				if want := time.Duration(i) * 200 * time.Millisecond; wait != want {
					t.Errorf("call %d waits %s, want %s", i, wait, want)
				}
				slots = append(slots, slot)
			}
			// Three seconds later every slot has passed: all ten come at once,
			// and only five go in this second.
			r.advance(3 * time.Second)
			went := 0
			for _, s := range slots {
				wait, _, err := r.l.TakeRate(ctx, 7, 5, s, false)
				if err != nil {
					t.Fatal(err)
				}
				if wait == 0 {
					went++
				} else if wait > time.Second {
					t.Errorf("a gated call waits %s, want at most the rest of the second", wait)
				}
			}
			if went != 5 {
				t.Errorf("%d of 10 late calls went in one second, want 5", went)
			}
		})
	}
}
