package webhooks_test

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/scoopa/webhooks/internal/testenv"
)

// A worker that dies in the middle of an attempt leaves its call RUNNING.
// Another worker may take the call over once the attempt's lease is over,
// and not before: the default timeout + 5 s for a webhook without a
// timeout of its own (2s in tests), its own + 5 s for one with a longer
// one. A webhook allowed 30 s does not make every call wait 35 s.
// PostgreSQL only: the embedded server runs its worker in-process, which
// would deliver the calls before they could be left RUNNING.
func TestStaleCallTakenOverAfterItsLease(t *testing.T) {
	t.Parallel()
	for _, kind := range []testenv.Kind{testenv.Postgres} {
		t.Run(string(kind), func(t *testing.T) {
			t.Parallel()
			clock := testenv.NewClock(time.Now())
			s := testenv.StartServerWith(t, kind, testenv.Options{Clock: clock, Env: map[string]string{"TEST_NO_WORKER": "1"}})
			rc := testenv.NewReceiver(t)
			shortFolder, shortHook := limitedHook(t, s, rc.URL, nil)
			longFolder, longHook := limitedHook(t, s, rc.URL, map[string]any{"timeoutSeconds": 30})
			uploadN(t, s, shortFolder, 1)
			uploadN(t, s, longFolder, 1)
			ctx := context.Background()
			svc := s.Service()
			ids := map[string]int{}
			for name, hook := range map[string]string{"short": shortHook, "long": longHook} {
				id, err := strconv.Atoi(waitCall(t, s, hook, "the "+name+" call", func(c callView) bool { return c.Status == "PENDING" }).ID)
				if err != nil {
					t.Fatal(err)
				}
				ids[name] = id
				// Claimed, then the worker dies: the call stays RUNNING.
				if c, err := svc.ClaimAsWorker(ctx, id); err != nil || c == nil {
					t.Fatalf("claim the %s call: %v, %v", name, c, err)
				}
			}
			start := clock.Now()
			for _, step := range []struct {
				after       time.Duration
				short, long bool // whether each call may be taken over
			}{
				{6 * time.Second, false, false},
				{8 * time.Second, true, false},
				{14 * time.Second, false, false}, // the short call was taken over at 8 s: a new lease until 15 s
				{36 * time.Second, true, true},
			} {
				clock.Set(start.Add(step.after))
				for name, want := range map[string]bool{"short": step.short, "long": step.long} {
					c, err := svc.ClaimAsWorker(ctx, ids[name])
					if err != nil {
						t.Fatal(err)
					}
					if got := c != nil; got != want {
						t.Errorf("%s after the claim: %s call taken over = %v, want %v", step.after, name, got, want)
					}
				}
			}
		})
	}
}
