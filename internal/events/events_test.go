package events_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
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
	b := startBroker(ctx, t, rdb, "q")
	slow, reason := subscribe(t, ctx, b, events.CallFilter{})
	wh := 7
	fast, _ := subscribe(t, ctx, b, events.CallFilter{WebhookID: &wh, Statuses: []webhookcall.Status{webhookcall.StatusSUCCEEDED}})
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

// startBroker starts a Broker of queue q on rdb, after set has set its
// fields, until ctx ends.
func startBroker(ctx context.Context, t *testing.T, rdb redis.UniversalClient, q string, set ...func(*events.Broker)) *events.Broker {
	t.Helper()
	b := events.NewBroker(rdb, q, testenv.Logger(t, 0))
	for _, f := range set {
		f(b)
	}
	ready := make(chan struct{})
	go b.Run(ctx, ready)
	<-ready
	return b
}

// subscribe subscribes to b or fails the test.
func subscribe(t *testing.T, ctx context.Context, b *events.Broker, f events.CallFilter) (<-chan *ent.WebhookCall, func() error) {
	t.Helper()
	ch, reason, err := b.Subscribe(ctx, f)
	if err != nil {
		t.Fatalf("subscribe: %v", err)
	}
	return ch, reason
}

// brokerOn starts a Broker on a Redis of its own (as a server process has),
// a subscriber of every event, and a publisher on another client (as a
// worker process has), on the SCOOPA_REDIS_URL url.
func brokerOn(t *testing.T, url string) (<-chan *ent.WebhookCall, *events.RedisEvents) {
	t.Helper()
	open := func() redis.UniversalClient {
		rdb, err := app.OpenRedis(url)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { rdb.Close() })
		return rdb
	}
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	b := events.NewBroker(open(), "q", testenv.Logger(t, 0))
	ready := make(chan struct{})
	go b.Run(ctx, ready)
	select {
	case <-ready:
	case <-time.After(30 * time.Second):
		t.Fatal("the broker did not subscribe within 30s")
	}
	ch, _ := subscribe(t, ctx, b, events.CallFilter{})
	return ch, events.NewRedisEvents(open(), "q")
}

// receive publishes call id and waits for it (or a later one) to arrive.
func receive(t *testing.T, ch <-chan *ent.WebhookCall, pub *events.RedisEvents, id int) {
	t.Helper()
	if err := pub.Publish(context.Background(), &ent.WebhookCall{ID: id}); err != nil {
		t.Fatalf("publish %d: %v", id, err)
	}
	select {
	case c, ok := <-ch:
		if !ok {
			t.Fatalf("the subscription ended before event %d", id)
		}
		if c.ID != id {
			t.Fatalf("got event %d, want %d", c.ID, id)
		}
	case <-time.After(10 * time.Second):
		t.Fatalf("event %d did not arrive within 10s", id)
	}
}

// The Redis master dies and Sentinel promotes the replica: the broker's
// subscription follows the new master, and the subscribers of the live
// call log keep theirs. Events published during the failover may be lost
// (pub/sub is fire-and-forget); those after it all arrive.
func TestBrokerFollowsSentinelFailover(t *testing.T) {
	t.Parallel()
	sn := testenv.StartSentinel(t)
	ch, pub := brokerOn(t, sn.URL)
	receive(t, ch, pub, 1)
	sn.KillMaster()
	// Until the broker has resubscribed, events go nowhere.
	id := 1
	testenv.Eventually(t, 60*time.Second, "an event through the new master", func() bool {
		id++
		if err := pub.Publish(context.Background(), &ent.WebhookCall{ID: id}); err != nil {
			return false
		}
		select {
		case c, ok := <-ch:
			if !ok {
				t.Fatal("the subscription ended at the failover")
			}
			for len(ch) > 0 { // earlier events that arrived late
				c = <-ch
			}
			return c.ID == id
		case <-time.After(200 * time.Millisecond):
			return false
		}
	})
	for i := id + 1; i <= id+20; i++ {
		receive(t, ch, pub, i)
	}
}

// On a Redis Cluster, events published through one node reach a broker
// subscribed through another (PUBLISH is cluster-wide).
func TestBrokerOnCluster(t *testing.T) {
	t.Parallel()
	c := testenv.StartCluster(t)
	ch, pub := brokerOn(t, c.URL)
	for i := 1; i <= 20; i++ {
		receive(t, ch, pub, i)
	}
}

// PublishAll sends several calls in one pipeline; a subscriber gets each,
// in order.
func TestPublishAll(t *testing.T) {
	t.Parallel()
	rdb := testenv.OpenRedis(t)
	q := testenv.NewQueue(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	b := startBroker(ctx, t, rdb, q)
	sub, _ := subscribe(t, ctx, b, events.CallFilter{})
	calls := []*ent.WebhookCall{{ID: 1, Status: webhookcall.StatusRUNNING}, {ID: 2, Status: webhookcall.StatusRUNNING}, {ID: 3, Status: webhookcall.StatusSUCCEEDED}}
	if err := events.NewRedisEvents(rdb, q).PublishAll(ctx, calls...); err != nil {
		t.Fatal(err)
	}
	for _, want := range calls {
		select {
		case got := <-sub:
			if got.ID != want.ID || got.Status != want.Status {
				t.Fatalf("got call %d %s, want %d %s", got.ID, got.Status, want.ID, want.Status)
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("call %d never arrived", want.ID)
		}
	}
}

// A Broker is subscribed in Redis only while it has subscribers (and its
// Linger after): a process nobody watches through is not sent every call
// event. Subscribe returns once the subscription is in place, so an event
// published right after it arrives; after the linger a new subscriber
// subscribes again.
func TestBrokerSubscribesOnlyWhileWatched(t *testing.T) {
	t.Parallel()
	rdb := testenv.OpenRedis(t)
	q := testenv.NewQueue(t)
	channel := "scoopa:" + q + ":calls"
	listeners := func() int64 {
		n, err := rdb.PubSubNumSub(context.Background(), channel).Result()
		if err != nil {
			t.Fatal(err)
		}
		return n[channel]
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	b := startBroker(ctx, t, rdb, q, func(b *events.Broker) {
		b.Linger = 200 * time.Millisecond
	})
	pub := events.NewRedisEvents(rdb, q)
	time.Sleep(100 * time.Millisecond)
	if n := listeners(); n != 0 {
		t.Fatalf("%d Redis subscribers before anyone subscribed, want 0", n)
	}
	for round := 1; round <= 2; round++ {
		sctx, leave := context.WithCancel(ctx)
		ch, _ := subscribe(t, sctx, b, events.CallFilter{})
		if n := listeners(); n != 1 {
			t.Fatalf("round %d: %d Redis subscribers once Subscribe returned, want 1", round, n)
		}
		if n := b.Live(); n != 1 {
			t.Fatalf("round %d: %d subscriptions in place once Subscribe returned, want 1", round, n)
		}
		receive(t, ch, pub, round) // published at once, no wait
		leave()
		testenv.Eventually(t, 10*time.Second, "the subscription to end", func() bool { return b.Live() == 0 })
		testenv.Eventually(t, 10*time.Second, "the Redis subscription ends after the linger", func() bool { return listeners() == 0 })
	}
}

// Subscribe fails with a clear error when Redis cannot be subscribed to.
func TestBrokerSubscribeWithoutRedis(t *testing.T) {
	t.Parallel()
	rdb := redis.NewClient(&redis.Options{Addr: "127.0.0.1:1", MaxRetries: -1})
	defer rdb.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	b := events.NewBroker(rdb, "q", testenv.Logger(t, 0))
	b.SubscribeWait = 500 * time.Millisecond
	go b.Run(ctx, nil)
	_, _, err := b.Subscribe(ctx, events.CallFilter{})
	if err == nil || !strings.Contains(err.Error(), "live call events are unavailable") {
		t.Fatalf("Subscribe without Redis: %v, want the unavailable error", err)
	}
	if n := b.Count(); n != 0 {
		t.Errorf("%d subscribers left after the failure, want 0", n)
	}
}

// Call events are published only while a Broker somewhere has subscribers.
// A publisher whose last look said nobody watched, just before a Broker's
// first subscriber arrived, still publishes every event after Subscribe
// returned; once the Broker left and its watch key expired, publishing
// stops again.
func TestEventsPublishedOnlyWhileWatched(t *testing.T) {
	t.Parallel()
	rdb := testenv.OpenRedis(t)
	q := testenv.NewQueue(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	// What Redis carries on the channel, read by a plain subscriber (not a
	// Broker, so it does not make anyone publish).
	channel := "scoopa:" + q + ":calls"
	raw := rdb.Subscribe(ctx, channel)
	defer raw.Close()
	if _, err := raw.Receive(ctx); err != nil {
		t.Fatal(err)
	}
	carried := raw.Channel()
	next := func() int {
		t.Helper()
		select {
		case m := <-carried:
			var c ent.WebhookCall
			if err := json.Unmarshal([]byte(m.Payload), &c); err != nil {
				t.Fatal(err)
			}
			return c.ID
		case <-time.After(10 * time.Second):
			t.Fatal("nothing carried on the channel within 10s")
			return 0
		}
	}
	// marker is sent on the channel whoever watches.
	marker := func(id int) {
		t.Helper()
		b, _ := json.Marshal(&ent.WebhookCall{ID: id})
		if err := rdb.Publish(ctx, channel, b).Err(); err != nil {
			t.Fatal(err)
		}
	}
	pub := events.NewRedisEvents(rdb, q)
	for id := 1; id <= 3; id++ {
		if err := pub.Publish(ctx, &ent.WebhookCall{ID: id}); err != nil {
			t.Fatal(err)
		}
	}
	marker(100)
	if id := next(); id != 100 {
		t.Fatalf("Redis carried event %d while nobody watched", id)
	}

	b := startBroker(ctx, t, rdb, q, func(b *events.Broker) {
		b.Linger = 100 * time.Millisecond
		b.WatchTTL = 600 * time.Millisecond
	})
	sctx, leave := context.WithCancel(ctx)
	ch, _ := subscribe(t, sctx, b, events.CallFilter{})
	receive(t, ch, pub, 4) // the publisher's last look said nobody
	if id := next(); id != 4 {
		t.Fatalf("Redis carried event %d, want 4", id)
	}
	leave()

	id := 4
	testenv.Eventually(t, 10*time.Second, "publishing stops once nobody watches", func() bool {
		id++
		if err := pub.Publish(ctx, &ent.WebhookCall{ID: id}); err != nil {
			t.Fatal(err)
		}
		marker(1000 + id)
		if next() == 1000+id {
			return true
		}
		next() // the marker after the event
		return false
	})
}

// A Broker whose connection to Redis broke subscribes again (go-redis
// does) and sets its watch key again at once, not at its next refresh: a
// Redis that restarted, or a replica just promoted, may not have it, and
// publishers would stop meanwhile.
func TestBrokerWatchesAgainAfterReconnect(t *testing.T) {
	t.Parallel()
	q := testenv.NewQueue(t)
	name := testenv.Name("broker-")
	url := testenv.RedisURL()
	if strings.Contains(url, "?") {
		url += "&client_name=" + name
	} else {
		url += "?client_name=" + name
	}
	brdb, err := app.OpenRedis(url)
	if err != nil {
		t.Fatal(err)
	}
	defer brdb.Close()
	rdb := testenv.OpenRedis(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	b := startBroker(ctx, t, brdb, q)
	ch, _ := subscribe(t, ctx, b, events.CallFilter{})
	key := "scoopa:{" + q + "}:watched"
	if n := rdb.Exists(ctx, key).Val(); n != 1 {
		t.Fatalf("watch key %s: %d, want 1 once Subscribe returned", key, n)
	}
	// Redis loses the key and the Broker's subscription (as at a restart).
	if err := rdb.Del(ctx, key).Err(); err != nil {
		t.Fatal(err)
	}
	var id string
	for _, line := range strings.Split(rdb.ClientList(ctx).Val(), "\n") {
		if strings.Contains(line, " name="+name+" ") && strings.Contains(line, " sub=1 ") {
			id = strings.TrimPrefix(strings.Fields(line)[0], "id=")
		}
	}
	if id == "" {
		t.Fatalf("no subscribed connection named %s in CLIENT LIST", name)
	}
	if err := rdb.Do(ctx, "CLIENT", "KILL", "ID", id).Err(); err != nil {
		t.Fatal(err)
	}
	testenv.Eventually(t, 5*time.Second, "the watch key set again after the reconnection", func() bool {
		return rdb.Exists(ctx, key).Val() == 1
	})
	receive(t, ch, events.NewRedisEvents(rdb, q), 1)
}
