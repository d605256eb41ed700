package webhooks_test

import (
	"context"
	"database/sql"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/scoopa/webhooks/ent"
	"github.com/scoopa/webhooks/internal/app"
	"github.com/scoopa/webhooks/internal/settings"
	"github.com/scoopa/webhooks/internal/testenv"
	"github.com/scoopa/webhooks/internal/webhooks"
)

// newPostgresService is a Service on a database of its own, with no queue.
func newPostgresService(t *testing.T, cfg webhooks.Config) (*sql.DB, *ent.Client, *webhooks.Service) {
	t.Helper()
	db, client, err := app.OpenPostgres(testenv.NewPostgresDB(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { client.Close() })
	cfg.SecretKey = []byte("0123456789abcdef0123")
	svc, err := webhooks.New(cfg, webhooks.Deps{DB: client, SQL: db, Log: testenv.Logger(t, 0), Dialect: "postgres"})
	if err != nil {
		t.Fatal(err)
	}
	return db, client, svc
}

// A client that goes away while createWebhook or revalidateWebhook waits
// for the validation call does not abandon it: the call still ends and the
// webhook gets its status.
func TestValidationOutlivesItsRequest(t *testing.T) {
	t.Parallel()
	db, _, svc := newPostgresService(t, webhooks.Config{AllowPrivateTargets: true, ValidationTimeout: 20 * time.Second})
	arrived := make(chan chan int) // each request hands over where to send its status
	rc := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		status := make(chan int)
		arrived <- status
		w.WriteHeader(<-status)
	}))
	t.Cleanup(rc.Close)

	// run starts op, disconnects its client once the receiver has the
	// validation call, then lets the receiver answer with status.
	run := func(what string, status int, op func(ctx context.Context) error) {
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() { done <- op(ctx) }()
		var answer chan int
		select {
		case answer = <-arrived:
		case <-time.After(10 * time.Second):
			t.Fatalf("%s: the validation call never reached the receiver", what)
		}
		cancel() // the client disconnects mid-validation
		time.Sleep(100 * time.Millisecond)
		answer <- status
		select {
		case <-done:
		case <-time.After(20 * time.Second):
			t.Fatalf("%s: no return after the receiver answered", what)
		}
	}
	check := func(what, wantCall, wantHook string) {
		t.Helper()
		var callStatus, hookStatus string
		var attempts int
		if err := db.QueryRow(`SELECT c.status, c.attempt_count, w.validation_status FROM webhook_calls c JOIN webhooks w ON w.id = c.webhook_id
			WHERE c.kind = 'VALIDATION' ORDER BY c.id DESC LIMIT 1`).Scan(&callStatus, &attempts, &hookStatus); err != nil {
			t.Fatal(err)
		}
		if callStatus != wantCall || attempts != 1 || hookStatus != wantHook {
			t.Errorf("%s, after the client left: call %s with %d attempts, webhook %s; want %s with 1 attempt, %s",
				what, callStatus, attempts, hookStatus, wantCall, wantHook)
		}
	}
	var id int
	run("createWebhook", http.StatusOK, func(ctx context.Context) error {
		wh, err := svc.Settings().CreateWebhook(ctx, settings.CreateWebhookInput{Name: "gone", URL: rc.URL})
		if wh != nil {
			id = wh.ID
		}
		return err
	})
	check("createWebhook", "SUCCEEDED", "VALID")
	if id == 0 {
		t.Fatal("createWebhook returned no webhook")
	}
	run("revalidateWebhook", http.StatusServiceUnavailable, func(ctx context.Context) error {
		_, err := svc.Validations().Validate(ctx, id)
		return err
	})
	check("revalidateWebhook", "FAILED", "INVALID")
}

// A validation call left RUNNING past its deadline (its process died) is
// failed by the sweeper; one still within its deadline is left alone.
func TestSweepFailsAbandonedValidation(t *testing.T) {
	t.Parallel()
	db, _, svc := newPostgresService(t, webhooks.Config{ValidationTimeout: 10 * time.Second})
	insert := func(age string) int {
		var id int
		err := db.QueryRow(`INSERT INTO webhook_calls (kind, status, target_url, webhook_name, payload, attempt_count, created_at, updated_at)
			VALUES ('VALIDATION', 'RUNNING', 'https://x', 'w', '{}', 0, now() - $1::interval, now() - $1::interval) RETURNING id`, age).Scan(&id)
		if err != nil {
			t.Fatal(err)
		}
		return id
	}
	stale, fresh := insert("1 minute"), insert("1 second")
	if _, err := svc.Recovery().Sweep(context.Background()); err != nil {
		t.Fatal(err)
	}
	get := func(id int) (status string, errText sql.NullString, completed bool) {
		if err := db.QueryRow(`SELECT status, error, completed_at IS NOT NULL FROM webhook_calls WHERE id = $1`, id).
			Scan(&status, &errText, &completed); err != nil {
			t.Fatal(err)
		}
		return
	}
	if st, e, done := get(stale); st != "FAILED" || !done || !strings.Contains(e.String, "no result") {
		t.Errorf("stale validation call: %s (%q, completed %v), want FAILED with a reason and a completion time", st, e.String, done)
	}
	if st, _, _ := get(fresh); st != "RUNNING" {
		t.Errorf("validation call within its deadline: %s, want still RUNNING", st)
	}
}
