// Package events carries call events: the Redis publisher the domain
// announces changed calls with, and the Broker that fans them out to the
// live call log's subscribers, filtered by CallFilter.
package events

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/scoopa/webhooks/ent"
	"github.com/scoopa/webhooks/ent/webhookcall"
)

// Call events travel over Redis pub/sub from whichever process changed a
// call to every server instance, which fans them out to its subscribers.
// Pub/sub is fire-and-forget: a client that reconnects refetches the list.
//
// They are published only while somebody watches. A Broker with
// subscribers keeps the queue's watch key in Redis (set before it
// subscribes, refreshed every WatchTTL/3 and when its subscription is made
// again after a lost connection; gone WatchTTL after the last Broker
// stopped refreshing it). A publisher reads the key at most every
// WatchCheck and trusts what it read that long. A Broker that set the key
// lets its subscribers' Subscribe return only WatchSettle (more than
// WatchCheck) after: a publisher deciding after Subscribe returned decided
// on a read sent after the key was set, so every event published after
// Subscribe returns still reaches the subscriber. When nobody watches,
// the events are neither encoded, sent nor received: one to one, about a
// tenth of a delivery's CPU.

const (
	// DefaultWatchCheck is how long a publisher trusts its read of the
	// watch key.
	DefaultWatchCheck = 25 * time.Millisecond
	// DefaultWatchSettle is how long after setting the watch key a Broker
	// waits before its subscription counts as started: more than any
	// publisher's WatchCheck.
	DefaultWatchSettle = 2 * DefaultWatchCheck
	// DefaultWatchTTL is how long the watch key outlives the last refresh.
	DefaultWatchTTL = 30 * time.Second
)

// RedisEvents publishes call events on a Redis channel while a Broker
// anywhere has subscribers.
type RedisEvents struct {
	rdb     redis.UniversalClient
	channel string
	key     string
	// WatchCheck: see DefaultWatchCheck. Less than the Brokers'
	// WatchSettle, or a subscriber could miss the first events.
	WatchCheck time.Duration

	mu   sync.Mutex // one read of the watch key at a time
	read atomic.Pointer[watchRead]
}

// watchRead is what a publisher last read of the watch key.
type watchRead struct {
	at      time.Time // when the read was sent
	watched bool
}

// NewRedisEvents publishes on the channel of queue.
func NewRedisEvents(rdb redis.UniversalClient, queue string) *RedisEvents {
	return &RedisEvents{rdb: rdb, channel: eventChannel(queue), key: watchKey(queue), WatchCheck: DefaultWatchCheck}
}

func eventChannel(queue string) string { return "scoopa:" + queue + ":calls" }

// watchKey exists while a Broker of queue has subscribers.
func watchKey(queue string) string { return "scoopa:{" + queue + "}:watched" }

// Watched reports whether a Broker anywhere has subscribers (or had some
// within its WatchTTL): whether call events are worth publishing. It reads
// Redis at most every WatchCheck; when Redis does not answer, it says yes
// (the publish will say what is wrong).
func (e *RedisEvents) Watched(ctx context.Context) bool {
	if r := e.read.Load(); r != nil && time.Since(r.at) < e.WatchCheck {
		return r.watched
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if r := e.read.Load(); r != nil && time.Since(r.at) < e.WatchCheck {
		return r.watched // read by another publisher meanwhile
	}
	r := &watchRead{at: time.Now()}
	n, err := e.rdb.Exists(ctx, e.key).Result()
	r.watched = err != nil || n > 0
	e.read.Store(r)
	return r.watched
}

// Publish sends a snapshot of the call, if anybody watches.
func (e *RedisEvents) Publish(ctx context.Context, call *ent.WebhookCall) error {
	if !e.Watched(ctx) {
		return nil
	}
	b, err := json.Marshal(call)
	if err != nil {
		return err
	}
	return e.rdb.Publish(ctx, e.channel, b).Err()
}

// PublishAll sends snapshots of calls in one round trip (a pipeline), if
// anybody watches.
func (e *RedisEvents) PublishAll(ctx context.Context, calls ...*ent.WebhookCall) error {
	if len(calls) == 1 {
		return e.Publish(ctx, calls[0])
	}
	if len(calls) == 0 || !e.Watched(ctx) {
		return nil
	}
	pipe := e.rdb.Pipeline()
	for _, c := range calls {
		b, err := json.Marshal(c)
		if err != nil {
			return err
		}
		pipe.Publish(ctx, e.channel, b)
	}
	_, err := pipe.Exec(ctx)
	return err
}

// CallFilter selects the events a subscriber gets; empty parts select all.
type CallFilter struct {
	WebhookID *int
	Kinds     []webhookcall.Kind
	Statuses  []webhookcall.Status
	// Within, when not nil, are the only webhooks whose calls match
	// (a partner's, whatever else the subscriber asks).
	Within []int
}

func (f CallFilter) match(c *ent.WebhookCall) bool {
	if f.Within != nil && (c.WebhookID == nil || !slices.Contains(f.Within, *c.WebhookID)) {
		return false
	}
	if f.WebhookID != nil && (c.WebhookID == nil || *c.WebhookID != *f.WebhookID) {
		return false
	}
	if len(f.Kinds) > 0 && !slices.Contains(f.Kinds, c.Kind) {
		return false
	}
	return len(f.Statuses) == 0 || slices.Contains(f.Statuses, c.Status)
}

// SubscriberBuffer is how many events a subscriber may fall behind before
// it is dropped, so that a slow client never slows anyone else.
const SubscriberBuffer = 256

// DefaultLinger is how long a Broker keeps its Redis subscription after its
// last subscriber left, so that a console that reloads finds it in place.
const DefaultLinger = 30 * time.Second

// DefaultSubscribeWait bounds how long Subscribe waits for Redis to
// confirm the Broker's subscription.
const DefaultSubscribeWait = 10 * time.Second

// Broker receives the call events of one Redis channel and fans them out to
// the subscribers of this process.
//
// It is subscribed to the channel in Redis only while it has subscribers
// (and Linger after the last one left): a process nobody watches through
// is not sent, woken for and made to decode every call event, which under
// load was a third of a server's CPU. Meanwhile it keeps the watch key
// (see above) that makes publishers publish. Subscribe returns once Redis
// has confirmed the subscription and publishers have seen the key, so
// every event published after it returns reaches the subscriber, as when
// the Broker was always subscribed and events always published.
type Broker struct {
	rdb     redis.UniversalClient
	channel string
	key     string
	log     *slog.Logger
	// Linger: see DefaultLinger. SubscribeWait: see DefaultSubscribeWait.
	Linger, SubscribeWait time.Duration
	// WatchSettle, WatchTTL: see DefaultWatchSettle, DefaultWatchTTL.
	WatchSettle, WatchTTL time.Duration

	// kick tells Run that the number of subscribers changed.
	kick chan struct{}

	mu   sync.Mutex
	subs map[*subscriber]struct{}
	// on is closed while the Redis subscription is in place.
	on chan struct{}
	// failed is why the last attempt to subscribe in Redis failed, and
	// failedNow is closed when it did (replaced at each attempt).
	failed    error
	failedNow chan struct{}
	// live counts the subscriptions in place (Live).
	live atomic.Int64
}

type subscriber struct {
	filter CallFilter
	ch     chan *ent.WebhookCall
	// dropped is closed when the subscriber fell too far behind.
	dropped chan struct{}
}

// NewBroker returns a Broker for the events of queue; Run starts it.
func NewBroker(rdb redis.UniversalClient, queue string, log *slog.Logger) *Broker {
	return &Broker{
		rdb: rdb, channel: eventChannel(queue), key: watchKey(queue), log: log,
		Linger: DefaultLinger, SubscribeWait: DefaultSubscribeWait, WatchSettle: DefaultWatchSettle, WatchTTL: DefaultWatchTTL,
		kick: make(chan struct{}, 1), subs: map[*subscriber]struct{}{},
		on: make(chan struct{}), failedNow: make(chan struct{}),
	}
}

func (b *Broker) changed() {
	select {
	case b.kick <- struct{}{}:
	default:
	}
}

// Run serves the Broker's subscribers until ctx ends: it subscribes in
// Redis when the first one arrives and unsubscribes Linger after the last
// one left. ready, if not nil, is closed at once.
func (b *Broker) Run(ctx context.Context, ready chan<- struct{}) error {
	if ready != nil {
		close(ready)
	}
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-b.kick:
		}
		for b.Count() > 0 && ctx.Err() == nil {
			err := b.session(ctx)
			if err == nil || ctx.Err() != nil {
				continue // the last subscriber left, or the end
			}
			b.log.WarnContext(ctx, "call events: subscribing in Redis failed; trying again in a second", "err", err)
			select {
			case <-time.After(time.Second):
			case <-ctx.Done():
			}
		}
	}
}

// session holds the Redis subscription, and the watch key, while there are
// subscribers.
func (b *Broker) session(ctx context.Context) error {
	if err := b.watch(ctx); err != nil {
		return b.fail(err)
	}
	set := time.Now()
	ps := b.rdb.Subscribe(ctx, b.channel)
	defer ps.Close()
	if _, err := ps.Receive(ctx); err != nil {
		return b.fail(err)
	}
	// A publisher may still trust a read made before the key was set.
	select {
	case <-time.After(time.Until(set.Add(b.WatchSettle))):
	case <-ctx.Done():
		return nil
	}
	b.mu.Lock()
	on := b.on
	close(on)
	b.mu.Unlock()
	defer func() {
		b.mu.Lock()
		if b.on == on {
			b.on = make(chan struct{})
		}
		b.mu.Unlock()
	}()
	// Go-redis subscribes again by itself if the connection breaks; the
	// confirmation comes through ch, and the key is set again at once (a
	// Redis that restarted, or a replica promoted, may not have it).
	ch := ps.ChannelWithSubscriptions(redis.WithChannelSize(1024))
	refresh := time.NewTicker(b.WatchTTL / 3)
	defer refresh.Stop()
	linger := time.NewTimer(b.Linger)
	if b.Count() > 0 {
		linger.Stop()
	}
	defer linger.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-refresh.C:
			if err := b.watch(ctx); err != nil && ctx.Err() == nil {
				b.log.WarnContext(ctx, "call events: the watch key could not be refreshed; publishers may stop", "err", err)
			}
		case <-b.kick:
			if b.Count() == 0 {
				linger.Reset(b.Linger)
			} else {
				linger.Stop()
			}
		case <-linger.C:
			b.mu.Lock()
			if len(b.subs) == 0 {
				b.on = make(chan struct{})
				b.mu.Unlock()
				return nil
			}
			b.mu.Unlock()
		case msg, ok := <-ch:
			if !ok {
				return errors.New("the Redis subscription ended")
			}
			m, ok := msg.(*redis.Message)
			if !ok {
				if sub, ok := msg.(*redis.Subscription); ok && sub.Kind == "subscribe" {
					if err := b.watch(ctx); err != nil && ctx.Err() == nil {
						b.log.WarnContext(ctx, "call events: the watch key could not be set again; publishers may stop", "err", err)
					}
				}
				continue
			}
			var call ent.WebhookCall
			if err := json.Unmarshal([]byte(m.Payload), &call); err != nil {
				b.log.WarnContext(ctx, "malformed call event", "err", err)
				continue
			}
			b.fanOut(&call)
		}
	}
}

// watch sets the watch key for WatchTTL.
func (b *Broker) watch(ctx context.Context) error {
	return b.rdb.Set(ctx, b.key, "1", b.WatchTTL).Err()
}

// fail records why the Redis subscription could not be made, for the
// subscribers waiting for it, and returns err.
func (b *Broker) fail(err error) error {
	b.mu.Lock()
	b.failed = err
	close(b.failedNow)
	b.failedNow = make(chan struct{})
	b.mu.Unlock()
	return err
}

func (b *Broker) fanOut(call *ent.WebhookCall) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for s := range b.subs {
		if !s.filter.match(call) {
			continue
		}
		select {
		case s.ch <- call:
		default:
			delete(b.subs, s)
			close(s.dropped)
			b.changed()
		}
	}
}

// Subscribe returns the events matching f until ctx ends or the subscriber
// falls SubscriberBuffer events behind; then the channel is closed and, in
// the second case, ErrSlowSubscriber is what the returned func reports.
// It returns once the Broker's Redis subscription is in place, or an error
// if Redis could not be subscribed to within a few seconds.
func (b *Broker) Subscribe(ctx context.Context, f CallFilter) (<-chan *ent.WebhookCall, func() error, error) {
	s := &subscriber{filter: f, ch: make(chan *ent.WebhookCall, SubscriberBuffer), dropped: make(chan struct{})}
	b.mu.Lock()
	b.subs[s] = struct{}{}
	on, failedNow := b.on, b.failedNow
	b.mu.Unlock()
	b.changed()
	leave := func() {
		b.mu.Lock()
		delete(b.subs, s)
		b.mu.Unlock()
		b.changed()
	}
	wait := time.NewTimer(b.SubscribeWait)
	defer wait.Stop()
	for ready := false; !ready; {
		select {
		case <-on:
			ready = true
		case <-failedNow:
			// Run tries again in a second: wait for that attempt.
			b.mu.Lock()
			on, failedNow = b.on, b.failedNow
			b.mu.Unlock()
		case <-wait.C:
			leave()
			b.mu.Lock()
			err := b.failed
			b.mu.Unlock()
			return nil, nil, fmt.Errorf("live call events are unavailable: Redis did not confirm the subscription within %s (%v); try again", b.SubscribeWait, err)
		case <-ctx.Done():
			leave()
			return nil, nil, ctx.Err()
		}
	}
	out := make(chan *ent.WebhookCall)
	var reason error
	done := make(chan struct{})
	b.live.Add(1)
	go func() {
		defer close(out)
		defer close(done)
		defer leave()
		defer b.live.Add(-1)
		for {
			select {
			case <-ctx.Done():
				return
			case <-s.dropped:
				// Deliver what is buffered would keep it slow: stop now.
				reason = ErrSlowSubscriber
				return
			case c := <-s.ch:
				select {
				case out <- c:
				case <-ctx.Done():
					return
				case <-s.dropped:
					reason = ErrSlowSubscriber
					return
				}
			}
		}
	}()
	return out, func() error { <-done; return reason }, nil
}

// Live returns the number of subscriptions in place: Subscribe returned
// them, and they have not ended. Count also has those still waiting for
// the Redis subscription.
func (b *Broker) Live() int { return int(b.live.Load()) }

// Count returns the number of subscribers.
func (b *Broker) Count() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return len(b.subs)
}

// ErrSlowSubscriber ends a subscription that could not keep up.
var ErrSlowSubscriber = errorString("subscriber too slow: more than 256 events behind; reconnect and refetch")

type errorString string

func (e errorString) Error() string { return string(e) }
