package limits

import "testing"

func TestWaitReasons(t *testing.T) {
	for _, tc := range []struct {
		name string
		got  string
		want string
	}{
		{"rate of one", RateReason(1), "rate limit: 1 request/s"},
		{"rate of twenty", RateReason(20), "rate limit: 20 requests/s"},
		{"one at a time", ConcurrencyReason(1), "concurrency limit: 1 request at a time"},
		{"five at a time", ConcurrencyReason(5), "concurrency limit: 5 requests at a time"},
	} {
		if tc.got != tc.want {
			t.Errorf("%s: got %q, want %q", tc.name, tc.got, tc.want)
		}
	}
}
