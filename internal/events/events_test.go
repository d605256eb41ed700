package events_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/scoopa/webhooks/ent"
	"github.com/scoopa/webhooks/ent/webhookcall"
	"github.com/scoopa/webhooks/internal/app"
	"github.com/scoopa/webhooks/internal/events"
	"github.com/scoopa/webhooks/internal/testenv"
)

// A subscriber that does not read is dropped with ErrSlowSubscriber once it
// is SubscriberBuffer events behind; another subscriber gets every event
// and filters apply.
func TestBrokerDropsSlowSubscriber(t *testing.T) {
	mr, stop, err := app.StartMiniredis()
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	rdb := redis.NewClient(&redis.Options{Addr: mr.Addr()})
	defer rdb.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	b := events.NewBroker(rdb, "q", testenv.Logger(t, 0))
	ready := make(chan struct{})
	go b.Run(ctx, ready)
	<-ready
	slow, reason := b.Subscribe(ctx, events.CallFilter{})
	wh := 7
	fast, _ := b.Subscribe(ctx, events.CallFilter{WebhookID: &wh, Statuses: []webhookcall.Status{webhookcall.StatusSUCCEEDED}})
	got := make(chan int, 1000)
	go func() {
		for c := range fast {
			got <- c.ID
		}
	}()
	pub := events.NewRedisEvents(rdb, "q")
	const n = events.SubscriberBuffer + 100
	for i := 1; i <= n; i++ {
		st := webhookcall.StatusSUCCEEDED
		if i%2 == 0 {
			st = webhookcall.StatusRUNNING
		}
		if err := pub.Publish(ctx, &ent.WebhookCall{ID: i, WebhookID: &wh, Status: st}); err != nil {
			t.Fatal(err)
		}
	}
	deadline := time.After(10 * time.Second)
	received := 0
	for received < (n+1)/2 {
		select {
		case id := <-got:
			if id%2 == 0 {
				t.Fatalf("the filtered subscriber got RUNNING call %d", id)
			}
			received++
		case <-deadline:
			t.Fatalf("the reading subscriber got %d of %d events", received, (n+1)/2)
		}
	}
	for range slow { // drains what was handed over before the drop, then ends
	}
	if err := reason(); !errors.Is(err, events.ErrSlowSubscriber) {
		t.Errorf("slow subscriber ended with %v, want ErrSlowSubscriber", err)
	}
	if c := b.Count(); c != 1 {
		t.Errorf("%d subscribers left, want 1", c)
	}
}
