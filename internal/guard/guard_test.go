package guard

import (
	"errors"
	"net/http/httptest"
	"testing"
	"time"
)

func TestThrottle(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	th := NewThrottle(3, time.Minute, func() time.Time { return now })
	th.Succeeded("10.0.0.1", "good")
	for range 3 {
		if ok, _ := th.Allow("10.0.0.1", "guess"); !ok {
			t.Fatal("refused before the limit")
		}
		th.Failed("10.0.0.1", "guess")
	}
	now = now.Add(20 * time.Second)
	if ok, wait := th.Allow("10.0.0.1", "guess"); ok || wait != 40*time.Second {
		t.Errorf("after 3 failures: %v %v, want refused for 40s", ok, wait)
	}
	if ok, _ := th.Allow("10.0.0.1", "good"); !ok {
		t.Error("a token that worked from the address is refused")
	}
	if ok, _ := th.Allow("10.0.0.2", "guess"); !ok {
		t.Error("another address is refused")
	}
	th.Failed("10.0.0.1", "good") // revoked: no longer let through
	if ok, _ := th.Allow("10.0.0.1", "good"); ok {
		t.Error("a token that failed since is still let through")
	}
	now = now.Add(40 * time.Second)
	if ok, _ := th.Allow("10.0.0.1", "guess"); !ok {
		t.Error("still refused after the window")
	}
	if NewThrottle(0, time.Minute, nil) != nil {
		t.Error("a limit of 0 should turn throttling off")
	}
	var off *Throttle
	if ok, _ := off.Allow("a", "b"); !ok {
		t.Error("a nil throttle refuses")
	}
}

func TestCheckOrigin(t *testing.T) {
	for _, tc := range []struct {
		name     string
		origin   string
		site     string
		patterns []string
		ok       bool
	}{
		{"no browser headers", "", "", nil, true},
		{"same host", "http://scoopa.test:8080", "same-origin", nil, true},
		{"typed URL", "", "none", nil, true},
		{"foreign", "https://evil.example", "cross-site", nil, false},
		{"cross-site without Origin", "", "cross-site", nil, false},
		{"same-site sibling", "http://other.scoopa.test", "same-site", nil, false},
		{"host pattern", "https://console.example.com", "cross-site", []string{"*.example.com"}, true},
		{"full origin pattern, other scheme", "http://console.example.com", "cross-site", []string{"https://console.example.com"}, false},
		{"null origin", "null", "cross-site", nil, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := httptest.NewRequest("POST", "http://scoopa.test:8080/graphql", nil)
			if tc.origin != "" {
				r.Header.Set("Origin", tc.origin)
			}
			if tc.site != "" {
				r.Header.Set("Sec-Fetch-Site", tc.site)
			}
			if err := CheckOrigin(r, tc.patterns); (err == nil) != tc.ok {
				t.Errorf("CheckOrigin = %v, want ok %v", err, tc.ok)
			}
		})
	}
}

// Check counts only the failures it is told are failures, lets a token
// that worked through a throttled address, and runs no authentication for
// a throttled one.
func TestThrottleCheck(t *testing.T) {
	errBad, errDown := errors.New("bad token"), errors.New("database down")
	failed := func(err error) bool { return errors.Is(err, errBad) }
	th := NewThrottle(2, time.Minute, nil)
	ok := func() error { return nil }
	if err := th.Check("a", "good", ok, failed); err != nil {
		t.Fatalf("good token: %v", err)
	}
	if err := th.Check("a", "x", func() error { return errDown }, failed); !errors.Is(err, errDown) {
		t.Fatalf("database down: %v", err)
	}
	for range 2 {
		if err := th.Check("a", "bad", func() error { return errBad }, failed); !errors.Is(err, errBad) {
			t.Fatalf("bad token: %v", err)
		}
	}
	ran := false
	err := th.Check("a", "guess", func() error { ran = true; return nil }, failed)
	var throttled *ThrottledError
	if !errors.As(err, &throttled) || throttled.Wait <= 0 || ran {
		t.Errorf("after 2 failures (the outage not counted): %v, ran %v; want *ThrottledError and no authentication", err, ran)
	}
	if err := th.Check("a", "good", ok, failed); err != nil {
		t.Errorf("the token that worked before: %v", err)
	}
	var none *Throttle
	if err := none.Check("a", "bad", func() error { return errBad }, failed); !errors.Is(err, errBad) {
		t.Errorf("no throttle: %v, want auth's error", err)
	}
}

// Retry-After counts whole seconds, rounded up, and never asks for 0.
func TestRetryAfter(t *testing.T) {
	for d, want := range map[time.Duration]string{
		0: "1", time.Millisecond: "1", time.Second: "1", time.Second + 1: "2", 59*time.Second + 500*time.Millisecond: "60", -time.Second: "1",
	} {
		if got := RetryAfter(d); got != want {
			t.Errorf("RetryAfter(%v) = %s, want %s", d, got, want)
		}
	}
}
