// Package events carries call events: the Redis publisher the domain
// announces changed calls with, and the Broker that fans them out to the
// live call log's subscribers, filtered by CallFilter.
package events

import (
	"context"
	"encoding/json"
	"log/slog"
	"slices"
	"sync"

	"github.com/redis/go-redis/v9"
	"github.com/scoopa/webhooks/ent"
	"github.com/scoopa/webhooks/ent/webhookcall"
)

// Call events travel over Redis pub/sub from whichever process changed a
// call to every server instance, which fans them out to its subscribers.
// Pub/sub is fire-and-forget: a client that reconnects refetches the list.

// RedisEvents publishes call events on a Redis channel.
type RedisEvents struct {
	rdb     redis.UniversalClient
	channel string
}

// NewRedisEvents publishes on the channel of queue.
func NewRedisEvents(rdb redis.UniversalClient, queue string) *RedisEvents {
	return &RedisEvents{rdb: rdb, channel: eventChannel(queue)}
}

func eventChannel(queue string) string { return "scoopa:" + queue + ":calls" }

// Publish sends a snapshot of the call.
func (e *RedisEvents) Publish(ctx context.Context, call *ent.WebhookCall) error {
	b, err := json.Marshal(call)
	if err != nil {
		return err
	}
	return e.rdb.Publish(ctx, e.channel, b).Err()
}

// PublishAll sends snapshots of calls in one round trip (a pipeline).
func (e *RedisEvents) PublishAll(ctx context.Context, calls ...*ent.WebhookCall) error {
	if len(calls) == 1 {
		return e.Publish(ctx, calls[0])
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
}

func (f CallFilter) match(c *ent.WebhookCall) bool {
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

// Broker receives the call events of one Redis channel and fans them out to
// the subscribers of this process.
type Broker struct {
	rdb     redis.UniversalClient
	channel string
	log     *slog.Logger

	mu   sync.Mutex
	subs map[*subscriber]struct{}
}

type subscriber struct {
	filter CallFilter
	ch     chan *ent.WebhookCall
	// dropped is closed when the subscriber fell too far behind.
	dropped chan struct{}
}

// NewBroker returns a Broker for the events of queue; Run starts it.
func NewBroker(rdb redis.UniversalClient, queue string, log *slog.Logger) *Broker {
	return &Broker{rdb: rdb, channel: eventChannel(queue), log: log, subs: map[*subscriber]struct{}{}}
}

// Run receives events until ctx ends. ready, if not nil, is closed once the
// Redis subscription is in place.
func (b *Broker) Run(ctx context.Context, ready chan<- struct{}) error {
	ps := b.rdb.Subscribe(ctx, b.channel)
	defer ps.Close()
	if _, err := ps.Receive(ctx); err != nil {
		return err
	}
	if ready != nil {
		close(ready)
	}
	ch := ps.Channel(redis.WithChannelSize(1024))
	for {
		select {
		case <-ctx.Done():
			return nil
		case m, ok := <-ch:
			if !ok {
				return nil
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
		}
	}
}

// Subscribe returns the events matching f until ctx ends or the subscriber
// falls SubscriberBuffer events behind; then the channel is closed and, in
// the second case, ErrSlowSubscriber is what the returned func reports.
func (b *Broker) Subscribe(ctx context.Context, f CallFilter) (<-chan *ent.WebhookCall, func() error) {
	s := &subscriber{filter: f, ch: make(chan *ent.WebhookCall, SubscriberBuffer), dropped: make(chan struct{})}
	b.mu.Lock()
	b.subs[s] = struct{}{}
	b.mu.Unlock()
	out := make(chan *ent.WebhookCall)
	var reason error
	done := make(chan struct{})
	go func() {
		defer close(out)
		defer close(done)
		defer func() {
			b.mu.Lock()
			delete(b.subs, s)
			b.mu.Unlock()
		}()
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
	return out, func() error { <-done; return reason }
}

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
