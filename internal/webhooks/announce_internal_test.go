package webhooks

import (
	"context"
	"fmt"
	"runtime"
	"sync"
	"testing"

	"github.com/scoopa/webhooks/ent"
	"github.com/scoopa/webhooks/ent/webhookcall"
)

// pipePublisher records the events it is given, and how many per round trip.
type pipePublisher struct {
	mu     sync.Mutex
	events []string
	trips  []int
	// first, if set, runs before the first round trip.
	first func()
	once  sync.Once
}

func (p *pipePublisher) Publish(ctx context.Context, c *ent.WebhookCall) error {
	return p.PublishAll(ctx, c)
}

func (p *pipePublisher) PublishAll(_ context.Context, calls ...*ent.WebhookCall) error {
	if p.first != nil {
		p.once.Do(p.first)
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, c := range calls {
		p.events = append(p.events, fmt.Sprint(c.ID, " ", c.Status))
	}
	p.trips = append(p.trips, len(calls))
	return nil
}

// Events published at once by many goroutines go in shared round trips,
// every one of them once, and each call's events in the order its
// goroutine published them.
func TestEventsPublishedTogether(t *testing.T) {
	pub := &pipePublisher{}
	s, err := New(Config{SecretKey: []byte("0123456789abcdef0123")}, Deps{Events: pub})
	if err != nil {
		t.Fatal(err)
	}
	// The first round trip waits until the other goroutines wait too.
	pub.first = func() {
		for {
			n := s.announce.Pending()
			if n == 49 {
				return
			}
			runtime.Gosched()
		}
	}
	var wg sync.WaitGroup
	for i := range 50 {
		wg.Go(func() {
			c := &ent.WebhookCall{ID: i, Status: webhookcall.StatusRUNNING}
			s.publish(context.Background(), c)
			done := *c
			done.Status = webhookcall.StatusSUCCEEDED
			s.publish(context.Background(), &done, &ent.WebhookCall{ID: 1000 + i, Status: webhookcall.StatusCANCELED})
		})
	}
	wg.Wait()
	seen := map[string]int{}
	order := map[int][]string{}
	for _, e := range pub.events {
		seen[e]++
		var id int
		var st string
		fmt.Sscan(e, &id, &st)
		order[id] = append(order[id], st)
	}
	if len(pub.events) != 150 {
		t.Errorf("%d events, want 150", len(pub.events))
	}
	for e, n := range seen {
		if n != 1 {
			t.Errorf("event %q published %d times", e, n)
		}
	}
	for i := range 50 {
		if fmt.Sprint(order[i]) != "[RUNNING SUCCEEDED]" {
			t.Errorf("call %d: events %v, want RUNNING then SUCCEEDED", i, order[i])
		}
	}
	if pub.trips[1] < 2 {
		t.Errorf("round trips %v: the second carries %d events, want those of the publishes that waited", pub.trips, pub.trips[1])
	}
}

// watchedPipe is a pipePublisher that says whether anybody watches.
type watchedPipe struct {
	pipePublisher
	watched bool
}

func (p *watchedPipe) Watched(context.Context) bool { return p.watched }

// When nobody watches, publish hands nothing to the publisher: no event is
// encoded, grouped or sent.
func TestEventsNotPublishedWhenNobodyWatches(t *testing.T) {
	pub := &watchedPipe{}
	s, err := New(Config{SecretKey: []byte("0123456789abcdef0123")}, Deps{Events: pub})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	s.publish(ctx, &ent.WebhookCall{ID: 1})
	s.publish(ctx, &ent.WebhookCall{ID: 2}, &ent.WebhookCall{ID: 3})
	pub.watched = true
	s.publish(ctx, &ent.WebhookCall{ID: 4, Status: webhookcall.StatusRUNNING})
	if got := fmt.Sprint(pub.events); got != "[4 RUNNING]" {
		t.Errorf("events published %s, want only those of the watched publish, [4 RUNNING]", got)
	}
}
