package webhooks_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/scoopa/webhooks/internal/app"
	"github.com/scoopa/webhooks/internal/testenv"
	"github.com/scoopa/webhooks/internal/webhooks"
)

// Calls older than the retention are deleted, with their attempts, in
// batches; newer ones stay.
func TestPruneDeletesOldCalls(t *testing.T) {
	t.Parallel()
	url := testenv.NewPostgresDB(t)
	db, client, err := app.OpenPostgres(url)
	if err != nil {
		t.Fatal(err)
	}
	defer client.Close()
	svc, err := webhooks.New(webhooks.Config{SecretKey: []byte("0123456789abcdef0123"), CallRetention: 48 * time.Hour},
		webhooks.Deps{DB: client, Log: testenv.Logger(t, 0)})
	if err != nil {
		t.Fatal(err)
	}
	insert := func(n int, age time.Duration) {
		_, err := db.Exec(`INSERT INTO webhook_calls (kind, status, target_url, webhook_name, payload, attempt_count, created_at, updated_at)
			SELECT 'DELIVERY', 'SUCCEEDED', 'https://x', 'w', '{}', 1, now() - $2::interval, now() FROM generate_series(1, $1::int)`,
			n, fmt.Sprintf("%d seconds", int(age.Seconds())))
		if err != nil {
			t.Fatal(err)
		}
	}
	insert(2500, 72*time.Hour) // older than the retention: more than two batches
	insert(10, 24*time.Hour)
	if _, err := db.Exec(`INSERT INTO webhook_call_attempts (call_id, number, started_at, duration_ms)
		SELECT id, 1, now(), 1 FROM webhook_calls`); err != nil {
		t.Fatal(err)
	}
	n, err := svc.Recovery().Prune(context.Background())
	if err != nil || n != 2500 {
		t.Fatalf("Prune = %d, %v; want 2500 deleted", n, err)
	}
	count := func(q string) int {
		var c int
		if err := db.QueryRow(q).Scan(&c); err != nil {
			t.Fatal(err)
		}
		return c
	}
	if c := count(`SELECT count(*) FROM webhook_calls`); c != 10 {
		t.Errorf("%d calls left, want the 10 recent ones", c)
	}
	if c := count(`SELECT count(*) FROM webhook_call_attempts`); c != 10 {
		t.Errorf("%d attempts left, want those of the 10 recent calls", c)
	}
}
