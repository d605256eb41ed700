// Package limits holds the delivery limits of webhooks: the bounds of
// their settings, retry schedules (parsed and written), the Retry-After a
// receiver may ask for, and the Limiter that enforces a webhook's rate and
// concurrency across workers in Redis.
package limits

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"math"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/scoopa/webhooks/internal/problem"
	"github.com/scoopa/webhooks/internal/rules"
)

// Delivery limits of a webhook, and its own timeout and retry schedule.
//
// A webhook may set maxRequestsPerSecond and maxConcurrent (unset:
// unlimited). Both hold across every worker, through Redis:
//
//   - the rate is a schedule of slots (GCRA's virtual scheduling): each call
//     that wants to go reserves the next free slot, 1/rate apart, in one
//     Lua script. A call whose slot is now goes; one whose slot is later
//     waits for it (its task is enqueued again at the slot, carrying it), so
//     a burst of N calls costs N reservations, not N re-tries every second;
//   - concurrency is a set of leases (a sorted set scored by expiry): a call
//     takes one before its request and gives it back after; a lease of a
//     worker that died expires after the attempt's timeout, so it is never
//     held for ever. When all are taken, the call waits a second.
//
// A call that waits is not failed and spends no attempt: it goes back to
// PENDING (RETRYING for a retry) with its wait reason ("rate limit: 20
// requests/s") and the time it will be tried, cleared when it runs. The two
// keys of a webhook share a hash tag, so they sit in one slot of a Redis
// Cluster.
//
// A receiver that answers 429 or 503 with Retry-After (seconds or an HTTP
// date) is tried again after the time it asked for, but never later than
// the schedule's own delay for that attempt (a receiver cannot stall its
// calls), nor sooner than a second. The time asked for is kept on the
// attempt.

// Bounds of the per-webhook settings.
const (
	MaxRequestsPerSecondLimit = 10000
	MaxConcurrentLimit        = 1000
	MinTimeoutSeconds         = 1
	MaxTimeoutSeconds         = 30
	// MaxRetryDelays bounds how many retries a schedule may have.
	MaxRetryDelays = 10
	// MaxRetrySchedule bounds the sum of a schedule's delays.
	MaxRetrySchedule = 7 * 24 * time.Hour
)

// ConcurrencyWait is how long a call waits when all the leases of its
// webhook are taken: the granularity of the queue's due times.
const ConcurrencyWait = time.Second

// Check checks the limit fields of a webhook input. Nil means not
// given.
func Check(rate, concurrent, timeout *int, delays []string) error {
	var errs []error
	if rate != nil && (*rate < 1 || *rate > MaxRequestsPerSecondLimit) {
		errs = append(errs, problem.Invalid("maxRequestsPerSecond", "must be between 1 and %d requests per second (leave it unset for no limit)", MaxRequestsPerSecondLimit))
	}
	if concurrent != nil && (*concurrent < 1 || *concurrent > MaxConcurrentLimit) {
		errs = append(errs, problem.Invalid("maxConcurrent", "must be between 1 and %d requests at a time (leave it unset for no limit)", MaxConcurrentLimit))
	}
	if timeout != nil && (*timeout < MinTimeoutSeconds || *timeout > MaxTimeoutSeconds) {
		errs = append(errs, problem.Invalid("timeoutSeconds", "must be between %d and %d seconds", MinTimeoutSeconds, MaxTimeoutSeconds))
	}
	if delays != nil {
		_, err := ParseRetryDelays("retryDelays", delays)
		errs = append(errs, err)
	}
	return problem.Gather(errs...)
}

// ParseRetryDelays parses a retry schedule ("1m", "10m", "1h30m"): at most
// MaxRetryDelays delays, each whole seconds and at least one second, adding
// up to at most MaxRetrySchedule. An empty list means no retry. Errors name
// field, or field.N for one delay.
func ParseRetryDelays(field string, in []string) ([]time.Duration, error) {
	if len(in) > MaxRetryDelays {
		return nil, problem.Invalid(field, "at most %d retry delays are allowed, got %d", MaxRetryDelays, len(in))
	}
	out := make([]time.Duration, len(in))
	var total time.Duration
	var errs []error
	for i, s := range in {
		f := fmt.Sprintf("%s.%d", field, i)
		d, err := time.ParseDuration(strings.TrimSpace(s))
		switch {
		case err != nil && durationSyntax.MatchString(strings.TrimSpace(s)):
			// It reads as a duration, but one beyond what time.Duration holds.
			errs = append(errs, problem.Invalid(f, "%q is longer than %s, the most a whole schedule may take", rules.Truncate(s, 32), FormatDelay(MaxRetrySchedule)))
			continue
		case err != nil:
			errs = append(errs, problem.Invalid(f, "%q is not a duration such as 30s, 10m or 1h30m", rules.Truncate(s, 32)))
			continue
		case d > MaxRetrySchedule:
			// Checked one by one, so that the sum below cannot overflow.
			errs = append(errs, problem.Invalid(f, "%q is longer than %s, the most a whole schedule may take", rules.Truncate(s, 32), FormatDelay(MaxRetrySchedule)))
			continue
		case d < time.Second:
			errs = append(errs, problem.Invalid(f, "%q is shorter than one second", s))
			continue
		case d%time.Second != 0:
			errs = append(errs, problem.Invalid(f, "%q must be whole seconds", s))
			continue
		}
		out[i] = d
		total += d
	}
	if len(errs) == 0 && total > MaxRetrySchedule {
		errs = append(errs, problem.Invalid(field, "the delays add up to %s; at most %s is allowed", FormatDelay(total), FormatDelay(MaxRetrySchedule)))
	}
	if err := problem.Gather(errs...); err != nil {
		return nil, err
	}
	return out, nil
}

// durationSyntax is the form time.ParseDuration reads (a sign is refused
// as shorter than a second, or read as not a duration).
var durationSyntax = regexp.MustCompile(`^([0-9]*(\.[0-9]*)?(ns|us|µs|μs|ms|s|m|h))+$`)

// FormatDelay writes a delay the way a schedule is shown, to the second:
// 45s, 1m, 1m30s, 2h, 1h30m.
func FormatDelay(d time.Duration) string { return FormatDuration(d.Round(time.Second)) }

// FormatDuration writes d as settings are written: 10s, 1m, 90m written
// 1h30m, 24h (not time.Duration's 24h0m0s); below a second as Go writes
// it (500ms).
func FormatDuration(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}

// FormatDelays writes a schedule as stored.
func FormatDelays(ds []time.Duration) []string {
	out := make([]string, len(ds))
	for i, d := range ds {
		out[i] = FormatDelay(d)
	}
	return out
}

// NormalDelays is a checked schedule as it is stored ("60s" becomes "1m").
func NormalDelays(in []string) []string {
	ds, err := ParseRetryDelays("retryDelays", in)
	if err != nil {
		return in
	}
	return FormatDelays(ds)
}

// RetryAfter reads a Retry-After header (seconds, or an HTTP date taken
// against now). ok is false when there is none or it does not parse.
func RetryAfter(header string, now time.Time) (d time.Duration, ok bool) {
	header = strings.TrimSpace(header)
	if header == "" {
		return 0, false
	}
	if n, err := strconv.ParseInt(header, 10, 64); err == nil {
		if n < 0 {
			return 0, false
		}
		return time.Duration(min(n, int64(math.MaxInt64/time.Second))) * time.Second, true
	}
	t, err := http.ParseTime(header)
	if err != nil {
		return 0, false
	}
	return max(t.Sub(now), 0), true
}

// RetryAfterStatus reports whether a status is one whose Retry-After is
// honoured.
func RetryAfterStatus(status int) bool {
	return status == http.StatusTooManyRequests || status == http.StatusServiceUnavailable
}

// SlotEarly is how early a call may arrive for its slot and still go.
const SlotEarly = 50 * time.Millisecond

// Limiter enforces the delivery limits of webhooks across workers, in
// Redis. Its zero value (no Redis) enforces nothing.
type Limiter struct {
	rdb    redis.UniversalClient
	prefix string
}

// NewLimiter returns a Limiter on rdb whose keys start with
// "scoopa:{<queue>:webhook:<id>}".
func NewLimiter(rdb redis.UniversalClient, queue string) *Limiter {
	return &Limiter{rdb: rdb, prefix: "scoopa:{" + queue + ":webhook:"}
}

func (l *Limiter) rateKey(webhookID int) string {
	return fmt.Sprintf("%s%d}:rate", l.prefix, webhookID)
}

func (l *Limiter) gateKey(webhookID int) string {
	return fmt.Sprintf("%s%d}:gate", l.prefix, webhookID)
}

func (l *Limiter) leaseKey(webhookID int) string {
	return fmt.Sprintf("%s%d}:leases", l.prefix, webhookID)
}

// rateScript admits one request of a webhook at its rate, in two steps.
//
// A call without a slot reserves one: slots are interval apart and the
// first key holds the next free one (GCRA's theoretical arrival time). If
// its slot is later than early from now, the call waits for it.
//
// A call whose slot has come must then pass the gate: at most limit
// requests per second of Redis's clock (the second key counts them). Calls
// that come late for their slots (a busy worker) would otherwise go in a
// bunch; the gate spreads them over the next seconds.
//
// Times are Redis's own (TIME), in microseconds, so every worker counts on
// one clock. Returns {wait, slot}: how long to wait (0: go now) and the
// call's slot.
var rateScript = redis.NewScript(`
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local interval = tonumber(ARGV[1])
local limit = tonumber(ARGV[2])
local slot = tonumber(ARGV[3])
local early = tonumber(ARGV[4])
local reserveOnly = ARGV[5] == '1'
if slot == 0 then
  local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
  if tat < now then tat = now end
  slot = tat
  local nxt = tat + interval
  redis.call('SET', KEYS[1], string.format('%.0f', nxt), 'PX', math.floor((nxt - now) / 1000) + 1000)
end
if reserveOnly or slot - now > early then
  return {string.format('%.0f', math.max(slot - now, 0)), string.format('%.0f', slot)}
end
local sec = tonumber(t[1])
local w = redis.call('HMGET', KEYS[2], 's', 'n')
local n = 0
if tonumber(w[1]) == sec then n = tonumber(w[2]) end
if n >= limit then
  return {string.format('%.0f', (sec + 1) * 1000000 - now), string.format('%.0f', slot)}
end
redis.call('HSET', KEYS[2], 's', sec, 'n', n + 1)
redis.call('PEXPIRE', KEYS[2], 2000)
return {'0', string.format('%.0f', slot)}
`)

// acquireScript takes a lease of a webhook's concurrency if one of limit is
// free: expired leases (of workers that died) are dropped first. Scores are
// expiry times in milliseconds of Redis's clock. Returns 1 when taken, 0
// when all are held.
var acquireScript = redis.NewScript(`
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', string.format('%.0f', now))
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[1]) then
  return 0
end
local ttl = tonumber(ARGV[3])
redis.call('ZADD', KEYS[1], string.format('%.0f', now + ttl), ARGV[2])
local keep = redis.call('PTTL', KEYS[1])
if keep < ttl then redis.call('PEXPIRE', KEYS[1], ttl) end
return 1
`)

// takeRate asks for a request of the webhook at perSecond: the call's slot
// (zero: none yet) and how long it waits for it (0: go now).
// With reserveOnly, a new slot is reserved and not gated yet.
func (l *Limiter) TakeRate(ctx context.Context, webhookID, perSecond int, slot time.Time, reserveOnly bool) (time.Duration, time.Time, error) {
	interval := int64(time.Second/time.Microsecond) / int64(perSecond)
	var us int64
	if !slot.IsZero() {
		us = slot.UnixMicro()
	}
	res, err := rateScript.Run(ctx, l.rdb, []string{l.rateKey(webhookID), l.gateKey(webhookID)},
		interval, perSecond, us, SlotEarly.Microseconds(), map[bool]int{true: 1}[reserveOnly]).StringSlice()
	if err != nil {
		return 0, slot, fmt.Errorf("rate limit of webhook %d: %w", webhookID, err)
	}
	if len(res) != 2 {
		return 0, slot, fmt.Errorf("rate limit of webhook %d: answer %q", webhookID, res)
	}
	wait, err1 := strconv.ParseInt(res[0], 10, 64)
	at, err2 := strconv.ParseInt(res[1], 10, 64)
	if err1 != nil || err2 != nil {
		return 0, slot, fmt.Errorf("rate limit of webhook %d: answer %q", webhookID, res)
	}
	return time.Duration(wait) * time.Microsecond, time.UnixMicro(at), nil
}

// Lease is a held share of a webhook's concurrency.
type Lease struct {
	l         *Limiter
	webhookID int
	member    string
}

// acquire takes a lease of the webhook's concurrency, held at most ttl; nil
// when all limit leases are taken.
func (l *Limiter) Acquire(ctx context.Context, webhookID, limit int, callID int, ttl time.Duration) (*Lease, error) {
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	member := fmt.Sprintf("%d:%s", callID, hex.EncodeToString(b))
	n, err := acquireScript.Run(ctx, l.rdb, []string{l.leaseKey(webhookID)}, limit, member, ttl.Milliseconds()).Int()
	if err != nil {
		return nil, fmt.Errorf("concurrency limit of webhook %d: %w", webhookID, err)
	}
	if n == 0 {
		return nil, nil
	}
	return &Lease{l: l, webhookID: webhookID, member: member}, nil
}

// Release gives the lease back. A lease not given back (its worker died)
// expires on its own.
func (ls *Lease) Release(ctx context.Context) error {
	if ls == nil {
		return nil
	}
	return ls.l.rdb.ZRem(context.WithoutCancel(ctx), ls.l.leaseKey(ls.webhookID), ls.member).Err()
}

// RateReason is the wait reason of a call held by a rate limit.
func RateReason(perSecond int) string {
	if perSecond == 1 {
		return "rate limit: 1 request/s"
	}
	return fmt.Sprintf("rate limit: %d requests/s", perSecond)
}

// ConcurrencyReason is the wait reason of a call held by a concurrency
// limit.
func ConcurrencyReason(n int) string {
	if n == 1 {
		return "concurrency limit: 1 request at a time"
	}
	return fmt.Sprintf("concurrency limit: %d requests at a time", n)
}
