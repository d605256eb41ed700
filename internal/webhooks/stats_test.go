package webhooks_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/scoopa/webhooks/ent"
	"github.com/scoopa/webhooks/ent/webhookcall"
	"github.com/scoopa/webhooks/ent/webhookstat"
	"github.com/scoopa/webhooks/internal/problem"
	"github.com/scoopa/webhooks/internal/sender"
	"github.com/scoopa/webhooks/internal/stats"
	"github.com/scoopa/webhooks/internal/testenv"
	"github.com/scoopa/webhooks/internal/webhooks"
)

// statsFixture is a service on its own database with a settable clock, and
// a way to record attempts as a worker does.
type statsFixture struct {
	t      *testing.T
	client *ent.Client
	svc    *webhooks.Service
	clock  *testenv.Clock
}

func newStatsFixture(t *testing.T, cfg webhooks.Config) *statsFixture {
	return newStatsFixtureOn(t, "postgres", cfg)
}

// newStatsFixtureOn is a statsFixture whose service writes through store
// (one of contractStores).
func newStatsFixtureOn(t *testing.T, store string, cfg webhooks.Config) *statsFixture {
	t.Helper()
	clock := testenv.NewClock(time.Date(2026, 3, 4, 5, 10, 0, 0, time.UTC))
	_, client, svc := newStoreService(t, store, cfg, webhooks.Deps{Clock: clock})
	return &statsFixture{t: t, client: client, svc: svc, clock: clock}
}

func (f *statsFixture) webhook(name string) *ent.Webhook {
	f.t.Helper()
	wh, err := f.client.Webhook.Create().SetName(name).SetURL("http://127.0.0.1:1/").SetActive(true).SetSigningSecret("x").Save(context.Background())
	if err != nil {
		f.t.Fatal(err)
	}
	return wh
}

// attempt records one attempt of a new call of wh (made after `before`
// attempts) with the given outcome, as the store records one alone.
func (f *statsFixture) attempt(wh *ent.Webhook, kind webhookcall.Kind, before int, resp sender.Response) {
	f.t.Helper()
	ctx := context.Background()
	c, err := f.client.WebhookCall.Create().
		SetKind(kind).SetStatus(webhookcall.StatusRUNNING).SetWebhookID(wh.ID).
		SetTargetURL(wh.URL).SetWebhookName(wh.Name).SetPayload(`{}`).SetAttemptCount(before).
		Save(ctx)
	if err != nil {
		f.t.Fatal(err)
	}
	delays := []time.Duration{time.Minute, time.Minute}
	if _, err := f.svc.FinishAlone(ctx, c, f.clock.Now(), `{}`, resp, delays); err != nil {
		f.t.Fatal(err)
	}
}

func ok(ms int) sender.Response {
	return sender.Response{Status: 200, Duration: time.Duration(ms) * time.Millisecond}
}

func failed(status int, msg string, ms int) sender.Response {
	return sender.Response{Status: status, Err: errors.New(msg), Duration: time.Duration(ms) * time.Millisecond}
}

// bucketCounts is what a test compares of a bucket.
type bucketCounts struct {
	Start                       string
	Succeeded, Failed, Retrying int
}

func counts(bs []stats.Bucket) []bucketCounts {
	out := make([]bucketCounts, len(bs))
	for i, b := range bs {
		out[i] = bucketCounts{b.Start.UTC().Format("01-02T15"), b.Succeeded, b.Failed, b.Retrying}
	}
	return out
}

func ms(p *float64) string {
	if p == nil {
		return "nil"
	}
	return fmt.Sprintf("%.1f", *p)
}

// Each delivery attempt counts in its webhook's hour by the state it left
// its call in, with its latency and kind of error, whichever writer records
// it; validations and other webhooks' attempts do not count. Buckets of an
// hour and of a day sum the same attempts.
func TestWebhookStatsCountsAttempts(t *testing.T) {
	t.Parallel()
	for _, store := range contractStores {
		t.Run(store, func(t *testing.T) {
			t.Parallel()
			f := newStatsFixtureOn(t, store, webhooks.Config{})
			wh, other := f.webhook("w"), f.webhook("other")
			// 05:10: three successes, a failure to retry, one failed for good.
			f.attempt(wh, webhookcall.KindDELIVERY, 0, ok(20))
			f.attempt(wh, webhookcall.KindDELIVERY, 0, ok(30))
			f.attempt(wh, webhookcall.KindDELIVERY, 0, ok(200))
			f.attempt(wh, webhookcall.KindDELIVERY, 0, failed(500, "HTTP 500", 1000))
			f.attempt(wh, webhookcall.KindDELIVERY, 2, failed(0, "timeout after 2s", 2000))
			f.attempt(wh, webhookcall.KindVALIDATION, 0, failed(404, "HTTP 404", 5))
			f.attempt(other, webhookcall.KindDELIVERY, 0, failed(404, "HTTP 404", 5))
			// 06:10: two failures to retry.
			f.clock.Advance(time.Hour)
			f.attempt(wh, webhookcall.KindDELIVERY, 0, failed(500, "HTTP 500", 50))
			f.attempt(wh, webhookcall.KindDELIVERY, 1, failed(500, "HTTP 500", 50))
			// 08:10: one success.
			f.clock.Advance(2 * time.Hour)
			f.attempt(wh, webhookcall.KindDELIVERY, 0, ok(10))

			ctx := context.Background()
			from := time.Date(2026, 3, 4, 5, 0, 0, 0, time.UTC)
			st, err := f.svc.Stats().Of(ctx, wh.ID, from, from.Add(4*time.Hour), "HOUR")
			if err != nil {
				t.Fatal(err)
			}
			want := []bucketCounts{{"03-04T05", 3, 1, 1}, {"03-04T06", 0, 0, 2}, {"03-04T07", 0, 0, 0}, {"03-04T08", 1, 0, 0}}
			if diff := cmp.Diff(want, counts(st.Buckets)); diff != "" {
				t.Errorf("hourly buckets (-want +got):\n%s", diff)
			}
			// 05:00 holds 20, 30, 200, 1000 and 2000 ms: the median falls in
			// the 150-250 ms bucket (interpolated: 200), the 95th percentile
			// in 1500-2500 ms (2250).
			if p50, p95 := ms(st.Buckets[0].P50), ms(st.Buckets[0].P95); p50 != "200.0" || p95 != "2250.0" {
				t.Errorf("05:00 p50, p95 = %s, %s ms; want 200.0, 2250.0", p50, p95)
			}
			if p50 := ms(st.Buckets[2].P50); p50 != "nil" {
				t.Errorf("07:00 (no attempts) p50 = %s, want nil", p50)
			}
			if st.SuccessRate == nil || *st.SuccessRate != 0.8 {
				t.Errorf("success rate = %s, want 0.8 (4 of the 5 calls finished)", ms(st.SuccessRate))
			}
			// LastFailedAt is when the kind's last attempt ended (started + took), not its hour's start.
			at := func(d time.Duration) *time.Time { t := from.Add(d); return &t }
			wantErrs := []stats.ErrorCount{
				{Kind: "HTTP 500", Count: 3, LastSeen: from.Add(time.Hour), LastFailedAt: at(time.Hour + 10*time.Minute + 50*time.Millisecond)},
				{Kind: "timeout", Count: 1, LastSeen: from, LastFailedAt: at(10*time.Minute + 2*time.Second)},
			}
			if diff := cmp.Diff(wantErrs, st.Errors); diff != "" {
				t.Errorf("errors by kind (-want +got):\n%s", diff)
			}

			day, err := f.svc.Stats().Of(ctx, wh.ID, from, from.Add(time.Hour), "DAY")
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff([]bucketCounts{{"03-04T00", 4, 1, 3}}, counts(day.Buckets)); diff != "" {
				t.Errorf("daily bucket (-want +got):\n%s", diff)
			}

			recent, err := f.svc.Stats().Recent(ctx, []int{wh.ID, other.ID})
			if err != nil {
				t.Fatal(err)
			}
			if r := recent[wh.ID]; len(r) != 24 || r[23].Succeeded != 1 || r[21].Retrying != 2 || r[20].Succeeded != 3 {
				t.Errorf("recent stats of wh = %+v; want 24 hours, 08:00 last", counts(r))
			}
			if r := recent[other.ID]; len(r) != 24 || r[20].Retrying != 1 {
				t.Errorf("recent stats of other = %+v", counts(r))
			}
		})
	}
}

// Attempts recorded at once by many workers all count (the upsert of one
// row is not a lost update).
func TestWebhookStatsConcurrentAttempts(t *testing.T) {
	t.Parallel()
	f := newStatsFixture(t, webhooks.Config{})
	wh := f.webhook("w")
	var wg sync.WaitGroup
	for i := range 40 {
		wg.Go(func() {
			resp := ok(10)
			if i%4 == 0 {
				resp = failed(503, "HTTP 503", 10)
			}
			// As a worker records it: with the others of the moment.
			c, err := f.client.WebhookCall.Create().
				SetKind(webhookcall.KindDELIVERY).SetStatus(webhookcall.StatusRUNNING).SetWebhookID(wh.ID).
				SetTargetURL(wh.URL).SetWebhookName(wh.Name).SetPayload(`{}`).
				Save(context.Background())
			if err != nil {
				t.Error(err)
				return
			}
			if _, err := f.svc.Finish(context.Background(), c, f.clock.Now(), `{}`, resp, []time.Duration{time.Minute}); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	from := f.clock.Now().Truncate(time.Hour)
	st, err := f.svc.Stats().Of(context.Background(), wh.ID, from, from.Add(time.Hour), "HOUR")
	if err != nil {
		t.Fatal(err)
	}
	if b := st.Buckets[0]; b.Succeeded != 30 || b.Retrying != 10 || len(st.Errors) != 1 || st.Errors[0].Count != 10 {
		t.Errorf("after 40 concurrent attempts: %+v, errors %+v; want 30 succeeded, 10 retrying, HTTP 503 × 10", counts(st.Buckets), st.Errors)
	}
}

// Attempts recorded together add up in the rollup as they do one by one:
// two webhooks, two hours, successes, retries, failures for good and
// errors of several kinds; the second batch adds to the rows the first
// made (and one by one adds to them too).
func TestWebhookStatsBatchAgrees(t *testing.T) {
	t.Parallel()
	f := newStatsFixture(t, webhooks.Config{})
	ctx := context.Background()
	type attempt struct {
		hook   int // 0 or 1
		before int // attempts made before
		resp   sender.Response
	}
	batches := [][]attempt{{
		{0, 0, ok(3)}, {0, 0, ok(3)}, {0, 0, ok(70)}, {1, 0, ok(2000)},
		{0, 0, failed(500, "HTTP 500", 20)}, {0, 2, failed(500, "HTTP 500", 20)},
		{1, 0, failed(0, "timeout after 30s", 30000)}, {0, 0, failed(503, "HTTP 503", 1)},
	}, {
		{0, 0, ok(3)}, {0, 0, failed(500, "HTTP 500", 9)}, {1, 0, failed(0, "connection refused", 0)},
		{1, 2, failed(0, "timeout after 30s", 30000)}, {1, 0, ok(12)},
	}, {
		{0, 0, ok(61000)}, {1, 0, failed(410, "HTTP 410", 5)},
	}}
	delays := []time.Duration{time.Minute, time.Minute}
	one := []*ent.Webhook{f.webhook("one by one 0"), f.webhook("one by one 1")}
	together := []*ent.Webhook{f.webhook("together 0"), f.webhook("together 1")}
	newCall := func(wh *ent.Webhook, before int) *ent.WebhookCall {
		c, err := f.client.WebhookCall.Create().
			SetKind(webhookcall.KindDELIVERY).SetStatus(webhookcall.StatusRUNNING).SetWebhookID(wh.ID).
			SetTargetURL(wh.URL).SetWebhookName(wh.Name).SetPayload(`{}`).SetAttemptCount(before).
			Save(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	for i, batch := range batches {
		if i == 2 {
			f.clock.Advance(time.Hour) // the last batch in the next hour
		}
		var (
			calls []*ent.WebhookCall
			resps []sender.Response
		)
		for _, a := range batch {
			if _, err := f.svc.FinishAlone(ctx, newCall(one[a.hook], a.before), f.clock.Now(), `{}`, a.resp, delays); err != nil {
				t.Fatal(err)
			}
			calls, resps = append(calls, newCall(together[a.hook], a.before)), append(resps, a.resp)
		}
		_, errs, err := f.svc.FinishTogether(ctx, calls, f.clock.Now(), `{}`, resps, delays)
		if err != nil {
			t.Fatal(err)
		}
		if err := errors.Join(errs...); err != nil {
			t.Fatal(err)
		}
	}
	rows := func(wh *ent.Webhook) string {
		st, err := f.client.WebhookStat.Query().Where(webhookstat.WebhookID(wh.ID)).Order(webhookstat.ByHour()).All(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, r := range st {
			out = append(out, fmt.Sprintf("%s s=%d f=%d r=%d latency=%v errors=%v",
				r.Hour.UTC().Format("15h"), r.Succeeded, r.Failed, r.Retrying, r.Latency, r.Errors))
		}
		return strings.Join(out, "\n")
	}
	for i := range one {
		a, b := rows(one[i]), rows(together[i])
		if a != b {
			t.Errorf("webhook %d: one by one:\n%s\ntogether:\n%s", i, a, b)
		}
		if strings.Count(a, "\n") != 1 {
			t.Errorf("webhook %d: want two hours:\n%s", i, a)
		}
	}
}

// Bad arguments are refused with an error naming the problem.
func TestWebhookStatsBadInput(t *testing.T) {
	t.Parallel()
	f := newStatsFixture(t, webhooks.Config{})
	wh := f.webhook("w")
	t0 := time.Date(2026, 3, 4, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name     string
		from, to time.Time
		bucket   string
		want     string
	}{
		{"from after to", t0.Add(time.Hour), t0, "HOUR", "from (2026-03-04T01:00:00Z) must be before to (2026-03-04T00:00:00Z)"},
		{"empty range", t0, t0, "HOUR", "must be before to"},
		{"too many buckets", t0, t0.Add(1001 * time.Hour), "HOUR", "is 1001 buckets, more than 1000: choose a larger bucket or a shorter range"},
		{"range too long", t0, t0.Add(500 * 24 * time.Hour), "DAY", "longer than the 400 days kept at most"},
		{"unknown bucket", t0, t0.Add(time.Hour), "WEEKLY", `bucket: "WEEKLY" is neither HOUR, DAY nor a duration such as 6h`},
		{"bucket under an hour", t0, t0.Add(time.Hour), "30m", `bucket: "30m": must be a whole number of hours`},
		{"bucket of hours and minutes", t0, t0.Add(time.Hour), "90m", "must be a whole number of hours"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := f.svc.Stats().Of(context.Background(), wh.ID, tc.from, tc.to, tc.bucket)
			if !errors.Is(err, problem.ErrInvalidInput) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("WebhookStats = %v; want an invalid input error with %q", err, tc.want)
			}
		})
	}
	if _, err := f.svc.Stats().Of(context.Background(), wh.ID+1000, t0, t0.Add(time.Hour), "HOUR"); !errors.Is(err, problem.ErrNotFound) {
		t.Errorf("stats of a missing webhook: %v; want not found", err)
	}
	// A bucket of several hours is fine, and the range widens to whole buckets.
	st, err := f.svc.Stats().Of(context.Background(), wh.ID, t0.Add(7*time.Hour), t0.Add(13*time.Hour), "6h")
	if err != nil || len(st.Buckets) != 2 || !st.From.Equal(t0.Add(6*time.Hour)) || !st.To.Equal(t0.Add(18*time.Hour)) {
		t.Errorf("6h buckets from 07:00 to 13:00 = %+v, %v; want 2 buckets from 06:00 to 18:00", st, err)
	}
}

// Retention prunes the hours of the rollup with the calls.
func TestPruneRemovesOldStats(t *testing.T) {
	t.Parallel()
	f := newStatsFixture(t, webhooks.Config{CallRetention: 48 * time.Hour})
	wh := f.webhook("w")
	start := f.clock.Now().Truncate(time.Hour)
	f.attempt(wh, webhookcall.KindDELIVERY, 0, ok(10)) // 05:10, day 1
	f.clock.Advance(47 * time.Hour)
	f.attempt(wh, webhookcall.KindDELIVERY, 0, ok(10)) // 04:10, day 3
	f.clock.Advance(2 * time.Hour)                     // now 06:10 day 3: 05:00 day 1 ended before the cutoff (06:10 day 1)
	if _, err := f.svc.Recovery().Prune(context.Background()); err != nil {
		t.Fatal(err)
	}
	st, err := f.svc.Stats().Of(context.Background(), wh.ID, start, f.clock.Now(), "DAY")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]bucketCounts{{"03-04T00", 0, 0, 0}, {"03-05T00", 0, 0, 0}, {"03-06T00", 1, 0, 0}}, counts(st.Buckets)); diff != "" {
		t.Errorf("after retention (-want +got):\n%s", diff)
	}
	if n := f.client.WebhookStat.Query().CountX(context.Background()); n != 1 {
		t.Errorf("%d hours of stats kept, want 1", n)
	}
}
