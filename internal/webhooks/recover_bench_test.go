package webhooks_test

import (
	"context"
	"testing"
	"time"

	"github.com/hibiken/asynq"
	"github.com/redis/go-redis/v9"
	"github.com/scoopa/webhooks/ent/webhookcall"
	"github.com/scoopa/webhooks/internal/app"
	"github.com/scoopa/webhooks/internal/events"
	"github.com/scoopa/webhooks/internal/testenv"
	"github.com/scoopa/webhooks/internal/webhooks"
)

// BenchmarkRecoverCalls measures recoverWebhookCalls on PostgreSQL with the
// real Redis queue and events: 10,000 FAILED calls of one webhook sent
// again (moved back to PENDING in batches, published, enqueued), no worker.
// Reported as calls/s. Figures: docs/benchmarks/NOTEBOOK.md.
func BenchmarkRecoverCalls(b *testing.B) {
	const n = 10_000
	_, client, err := app.OpenPostgres(testenv.NewPostgresDB(b))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { client.Close() })
	opt, err := redis.ParseURL(testenv.RedisURL())
	if err != nil {
		b.Fatal(err)
	}
	rdb := redis.NewClient(opt)
	b.Cleanup(func() { rdb.Close() })
	queue := testenv.NewQueue(b)
	clock := testenv.NewClock(time.Now())
	svc, err := webhooks.New(webhooks.Config{SecretKey: []byte("0123456789abcdef0123"), Queue: queue},
		webhooks.Deps{DB: client, Queue: asynq.NewClientFromRedisClient(rdb), Events: events.NewRedisEvents(rdb, queue), Dialect: "postgres", Clock: clock})
	if err != nil {
		b.Fatal(err)
	}
	f := &recoverFixture{svc: svc, db: client, clock: clock}
	ctx := context.Background()
	if f.hook, err = client.Webhook.Create().SetName("w").SetURL("http://127.0.0.1:1/").SetActive(true).SetSigningSecret("x").Save(ctx); err != nil {
		b.Fatal(err)
	}
	f.addCalls(b, n, webhookcall.StatusFAILED, clock.Now().Add(-time.Hour))
	insp := asynq.NewInspectorFromRedisClient(rdb)
	in := webhooks.RecoverInput{WebhookID: f.hook.ID, Since: clock.Now().Add(-2 * time.Hour), Until: clock.Now()}
	b.ResetTimer()
	for b.Loop() {
		got, err := svc.Recovery().RecoverCalls(ctx, in)
		if err != nil || got != n {
			b.Fatalf("RecoverCalls = %d, %v; want %d", got, err, n)
		}
		b.StopTimer()
		// Fail them again, and empty the queue, for the next round.
		if _, err := insp.DeleteAllPendingTasks(queue); err != nil {
			b.Fatal(err)
		}
		if err := client.WebhookCall.Update().Where(webhookcall.StatusEQ(webhookcall.StatusPENDING)).SetStatus(webhookcall.StatusFAILED).Exec(ctx); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
	}
	b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "calls/s")
}
