// Package stats is delivery health: what each attempt adds to its
// webhook's hour in the webhook_stats rollup (Delta, written by the store
// with the attempt), and the reads of that rollup that the charts show
// (Reader): buckets of any whole number of hours, latency percentiles from
// summed histograms, errors by kind.
package stats

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/scoopa/webhooks/ent"
	"github.com/scoopa/webhooks/ent/webhook"
	"github.com/scoopa/webhooks/ent/webhookcall"
	"github.com/scoopa/webhooks/ent/webhookstat"
	"github.com/scoopa/webhooks/internal/problem"
	"github.com/scoopa/webhooks/internal/sender"
	"github.com/scoopa/webhooks/internal/store"
)

// Delivery health: what the charts of a webhook show.
//
//  1. every delivery attempt adds itself to its webhook's hour in the
//     webhook_stats rollup, in the statement (PostgreSQL) or transaction
//     (SQLite) that records it: one upsert, counting it by the state it left
//     its call in (SUCCEEDED, FAILED for good, RETRYING), by duration (a
//     fixed histogram, LatencyBounds) and, for a failure, by kind of error;
//  2. Reader.Of reads the hours of a range (at most one row per hour,
//     whatever the number of calls) and sums them into buckets of an hour,
//     a day or any whole number of hours; percentiles come from the summed
//     histograms;
//  3. the store's Prune removes the hours older than the call retention
//     with the calls.
//
// Only delivery attempts count (not validations, not calls still waiting).

// LatencyBounds are the upper bounds, in milliseconds, of the latency
// histogram's buckets; one more bucket holds the longer attempts. A
// percentile is interpolated within its bucket, so it is exact to about a
// third of the bucket's width.
var LatencyBounds = []int64{5, 10, 15, 25, 40, 60, 100, 150, 250, 400, 600, 1000, 1500, 2500, 4000, 6000, 10000, 15000, 25000, 40000, 60000}

// MaxBuckets is how many buckets one Reader.Of may answer.
const MaxBuckets = 1000

// MaxRange is the longest range Reader.Of reads.
const MaxRange = 400 * 24 * time.Hour

// latencyBucket is the histogram bucket of an attempt that took d.
func latencyBucket(d time.Duration) int {
	ms := d.Milliseconds()
	i := sort.Search(len(LatencyBounds), func(i int) bool { return ms <= LatencyBounds[i] })
	return i // len(LatencyBounds) for the longest
}

// ErrorKind is the kind of a failed attempt's error, as the charts group
// them: "HTTP 500" for an answer that is not 2xx, "timeout", "connection
// refused", "DNS", "TLS", ... from the message the sender gave.
func ErrorKind(status int, msg string) string {
	if status != 0 && (status < 200 || status >= 300) {
		return "HTTP " + strconv.Itoa(status)
	}
	for _, k := range []struct{ prefix, kind string }{
		{"timeout", "timeout"},
		{"connection refused", "connection refused"},
		{"connection reset", "connection reset"},
		{"DNS", "DNS"},
		{"TLS", "TLS"},
		{"redirect not followed", "redirect"},
		{sender.ErrTargetRefused.Error(), "target refused"},
		{"canceled", "canceled"},
		{"bad request", "bad request"},
	} {
		if strings.HasPrefix(msg, k.prefix) {
			return k.kind
		}
	}
	return "request failed"
}

// Delta is what the attempt that left its call as out adds to its
// webhook's hour in the rollup; nil for an attempt that does not count
// (validations).
func Delta(out *ent.WebhookCall, resp sender.Response) *store.StatsDelta {
	if out.Kind != webhookcall.KindDELIVERY || out.WebhookID == nil {
		return nil
	}
	d := &store.StatsDelta{WebhookID: *out.WebhookID, Hour: out.UpdatedAt.UTC().Truncate(time.Hour),
		Latency: latencyBucket(resp.Duration), Buckets: len(LatencyBounds) + 1}
	switch out.Status {
	case webhookcall.StatusSUCCEEDED:
		d.Succeeded = 1
	case webhookcall.StatusFAILED:
		d.Failed = 1
	default:
		d.Retrying = 1
	}
	if resp.Err != nil {
		d.ErrorKind = ErrorKind(resp.Status, resp.Err.Error())
	}
	return d
}

// Bucket is one bucket of a webhook's delivery health: its attempts by
// the state they left their call in, and their latency.
type Bucket struct {
	Start     time.Time
	Succeeded int
	Failed    int
	Retrying  int
	// P50 and P95 are the attempts' median and 95th percentile duration in
	// milliseconds, nil without attempts.
	P50, P95 *float64
	latency  []int
}

// ErrorCount is how often one kind of error failed an attempt, and the
// start of the last hour it did.
type ErrorCount struct {
	Kind     string
	Count    int
	LastSeen time.Time
	// LastFailedAt is when the last attempt that failed so ended, if its
	// attempt is still kept; nil otherwise.
	LastFailedAt *time.Time
}

// Report is a webhook's delivery health over a range: buckets, oldest
// first, and the totals of the range.
type Report struct {
	From, To time.Time
	Bucket   time.Duration
	Buckets  []Bucket
	Total    Bucket
	// SuccessRate is the share of the calls finished in the range (the
	// attempts that left them SUCCEEDED or FAILED) that succeeded; nil if
	// none finished.
	SuccessRate *float64
	// Errors are the failed attempts by kind, the most frequent first.
	Errors []ErrorCount
	// Fetches are the deliveries of the range and whether their files were
	// fetched.
	Fetches Fetches
}

// Fetches are the delivery calls that SUCCEEDED in a range (by when they
// completed) and how many of them had their file fetched through their
// link since.
type Fetches struct {
	Delivered, Fetched int
	// Rate is Fetched / Delivered, nil when nothing was delivered.
	Rate *float64
}

// ParseBucket reads a bucket size: HOUR, DAY, or a duration of whole
// hours ("6h", "168h").
func ParseBucket(s string) (time.Duration, error) {
	switch strings.ToUpper(strings.TrimSpace(s)) {
	case "HOUR", "":
		return time.Hour, nil
	case "DAY":
		return 24 * time.Hour, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		return 0, problem.Invalid("bucket", "%q is neither HOUR, DAY nor a duration such as 6h", s)
	}
	if d < time.Hour || d%time.Hour != 0 {
		return 0, problem.Invalid("bucket", "%q: must be a whole number of hours (the stats are kept by hour)", s)
	}
	return d, nil
}

// Reader reads the rollup.
type Reader struct {
	db  *ent.Client
	now func() time.Time
}

// NewReader returns a reader of the rollup in db; now is the clock that
// "the last 24 hours" are read on.
func NewReader(db *ent.Client, now func() time.Time) *Reader { return &Reader{db: db, now: now} }

// Of answers webhook id's delivery health from from to to, in
// buckets of the given size (ParseBucket). The range is widened to
// whole buckets (UTC; days start at midnight UTC).
func (s *Reader) Of(ctx context.Context, id int, from, to time.Time, bucket string) (*Report, error) {
	size, err := ParseBucket(bucket)
	if err != nil {
		return nil, err
	}
	if !from.Before(to) {
		return nil, problem.Invalid("from", "from (%s) must be before to (%s)", from.UTC().Format(time.RFC3339), to.UTC().Format(time.RFC3339))
	}
	if to.Sub(from) > MaxRange {
		return nil, problem.Invalid("to", "the range of %s is longer than the %d days kept at most", to.Sub(from).Round(time.Hour), MaxRange/(24*time.Hour))
	}
	start, end := from.UTC().Truncate(size), to.UTC()
	if t := end.Truncate(size); t.Before(end) {
		end = t.Add(size)
	}
	n := int(end.Sub(start) / size)
	if n > MaxBuckets {
		return nil, problem.Invalid("bucket", "%s to %s in buckets of %s is %d buckets, more than %d: choose a larger bucket or a shorter range",
			from.UTC().Format(time.RFC3339), to.UTC().Format(time.RFC3339), size, n, MaxBuckets)
	}
	if exists, err := s.db.Webhook.Query().Where(webhook.ID(id)).Exist(ctx); err != nil {
		return nil, fmt.Errorf("webhook stats of %d: %w", id, err)
	} else if !exists {
		return nil, problem.NotFound("webhook", id)
	}
	rows, err := s.db.WebhookStat.Query().
		Where(webhookstat.WebhookID(id), webhookstat.HourGTE(start), webhookstat.HourLT(end)).All(ctx)
	if err != nil {
		return nil, fmt.Errorf("webhook stats of %d: %w", id, err)
	}
	out := &Report{From: start, To: end, Bucket: size, Buckets: make([]Bucket, n)}
	for i := range out.Buckets {
		out.Buckets[i].Start = start.Add(time.Duration(i) * size)
	}
	errs := map[string]*ErrorCount{}
	for _, r := range rows {
		i := int(r.Hour.Sub(start) / size)
		add(&out.Buckets[i], r)
		add(&out.Total, r)
		for k, c := range r.Errors {
			e := errs[k]
			if e == nil {
				e = &ErrorCount{Kind: k}
				errs[k] = e
			}
			e.Count += c
			if r.Hour.After(e.LastSeen) {
				e.LastSeen = r.Hour.UTC()
			}
		}
	}
	for i := range out.Buckets {
		percentiles(&out.Buckets[i])
	}
	percentiles(&out.Total)
	out.Total.Start = start
	if done := out.Total.Succeeded + out.Total.Failed; done > 0 {
		r := float64(out.Total.Succeeded) / float64(done)
		out.SuccessRate = &r
	}
	if err := s.lastFailures(ctx, id, start, end, errs); err != nil {
		return nil, err
	}
	if out.Fetches, err = s.fetches(ctx, id, start, end); err != nil {
		return nil, err
	}
	for _, e := range errs {
		out.Errors = append(out.Errors, *e)
	}
	sort.Slice(out.Errors, func(i, j int) bool {
		a, b := out.Errors[i], out.Errors[j]
		if a.Count != b.Count {
			return a.Count > b.Count
		}
		return a.Kind < b.Kind
	})
	return out, nil
}

// Recent answers, for each of the webhooks, its last 24 hours by hour
// (the hour under way last): the sparklines of a page of webhooks, in one
// statement.
func (s *Reader) Recent(ctx context.Context, webhookIDs []int) (map[int][]Bucket, error) {
	end := s.now().UTC().Truncate(time.Hour).Add(time.Hour)
	start := end.Add(-24 * time.Hour)
	rows, err := s.db.WebhookStat.Query().
		Where(webhookstat.WebhookIDIn(webhookIDs...), webhookstat.HourGTE(start), webhookstat.HourLT(end)).All(ctx)
	if err != nil {
		return nil, fmt.Errorf("recent stats of %d webhooks: %w", len(webhookIDs), err)
	}
	out := make(map[int][]Bucket, len(webhookIDs))
	for _, id := range webhookIDs {
		b := make([]Bucket, 24)
		for i := range b {
			b[i].Start = start.Add(time.Duration(i) * time.Hour)
		}
		out[id] = b
	}
	for _, r := range rows {
		b := out[r.WebhookID]
		add(&b[int(r.Hour.Sub(start)/time.Hour)], r)
	}
	for _, b := range out {
		for i := range b {
			percentiles(&b[i])
		}
	}
	return out, nil
}

// add sums an hour of the rollup into b.
func add(b *Bucket, r *ent.WebhookStat) {
	b.Succeeded += r.Succeeded
	b.Failed += r.Failed
	b.Retrying += r.Retrying
	if b.latency == nil {
		b.latency = make([]int, len(LatencyBounds)+1)
	}
	for i, c := range r.Latency {
		if i < len(b.latency) {
			b.latency[i] += c
		}
	}
}

// percentiles sets b's P50 and P95 from its histogram.
func percentiles(b *Bucket) {
	b.P50, b.P95 = percentile(b.latency, 0.50), percentile(b.latency, 0.95)
}

// percentile is the q-quantile of a latency histogram, interpolated within
// its bucket (the last bucket, unbounded, answers its lower bound); nil for
// an empty one.
func percentile(h []int, q float64) *float64 {
	total := 0
	for _, c := range h {
		total += c
	}
	if total == 0 {
		return nil
	}
	rank := q * float64(total)
	seen := 0
	for i, c := range h {
		if c == 0 || float64(seen+c) < rank {
			seen += c
			continue
		}
		lo, hi := 0.0, 0.0
		if i > 0 {
			lo = float64(LatencyBounds[i-1])
		}
		if i >= len(LatencyBounds) {
			return &lo
		}
		hi = float64(LatencyBounds[i])
		v := lo + (hi-lo)*(rank-float64(seen))/float64(c)
		return &v
	}
	last := float64(LatencyBounds[len(LatencyBounds)-1])
	return &last
}

// fetches counts the deliveries of webhook id that SUCCEEDED from start to
// end, and those of them fetched (on the index of webhook_id, kind, status,
// completed_at).
func (s *Reader) fetches(ctx context.Context, id int, start, end time.Time) (Fetches, error) {
	q := func() *ent.WebhookCallQuery {
		return s.db.WebhookCall.Query().Where(webhookcall.WebhookID(id), webhookcall.KindEQ(webhookcall.KindDELIVERY),
			webhookcall.StatusEQ(webhookcall.StatusSUCCEEDED), webhookcall.CompletedAtGTE(start), webhookcall.CompletedAtLT(end))
	}
	var f Fetches
	var err error
	if f.Delivered, err = q().Count(ctx); err != nil {
		return f, fmt.Errorf("webhook stats of %d: deliveries: %w", id, err)
	}
	if f.Delivered == 0 {
		return f, nil
	}
	if f.Fetched, err = q().Where(webhookcall.FetchCountGT(0)).Count(ctx); err != nil {
		return f, fmt.Errorf("webhook stats of %d: fetches: %w", id, err)
	}
	r := float64(f.Fetched) / float64(f.Delivered)
	f.Rate = &r
	return f, nil
}
