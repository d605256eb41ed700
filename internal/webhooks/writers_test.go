package webhooks_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"reflect"
	"testing"
	"time"

	"github.com/scoopa/webhooks/ent"
	"github.com/scoopa/webhooks/ent/schema"
	"github.com/scoopa/webhooks/ent/webhookcall"
	"github.com/scoopa/webhooks/internal/testenv"
	"github.com/scoopa/webhooks/internal/webhooks"
)

// An attempt's outcome has three writers: one raw SQL statement on
// PostgreSQL, the statement that records many attempts together there, and
// ent's transaction on SQLite. On PostgreSQL all can run: each records the
// same outcome on a call of its own (the batch on two calls at once), and
// the calls and attempts they leave are the same, column for column.
func TestAttemptWritersAgree(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	clock := testenv.NewClock(time.Date(2026, 3, 4, 5, 6, 7, 891011000, time.UTC))
	db, client, _ := newPostgresService(t, webhooks.Config{})
	svc, err := webhooks.New(webhooks.Config{SecretKey: []byte("0123456789abcdef0123")},
		webhooks.Deps{DB: client, SQL: db, Log: testenv.Logger(t, 0), Dialect: "postgres", Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	delays := []time.Duration{time.Minute, 10 * time.Minute}
	headers := []schema.RequestHeader{
		{Name: "webhook-id", Value: "msg_1"},
		{Name: "Authorization", Value: "Bea…"},
		{Name: "X-Émoji", Value: "✓ \"quoted\" <tag>"},
	}
	for _, tc := range []struct {
		name     string
		attempts int // made before this one
		resp     webhooks.Response
	}{
		{"success", 0, webhooks.Response{Status: 200, Body: "ok", Duration: 12 * time.Millisecond, RequestHeaders: headers}},
		{"failure retried", 0, webhooks.Response{Status: 500, Body: "oops", Duration: time.Second, Err: errors.New("HTTP 500"), RequestHeaders: headers}},
		{"failure after the last delay", 2, webhooks.Response{Status: 503, Duration: 3 * time.Millisecond, Err: errors.New("HTTP 503"), RequestHeaders: headers}},
		{"gone", 1, webhooks.Response{Status: http.StatusGone, Body: "bye", Err: errors.New("HTTP 410"), RequestHeaders: headers}},
		{"no answer", 0, webhooks.Response{Duration: 2 * time.Second, Err: errors.New("timeout after 2s"), RequestHeaders: nil}},
		{"no headers recorded", 0, webhooks.Response{Status: 204, RequestHeaders: []schema.RequestHeader{}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			started := clock.Now()
			clock.Advance(time.Second)
			type result struct {
				call    *ent.WebhookCall
				written *ent.WebhookCall
				attempt *ent.WebhookCallAttempt
			}
			newCall := func() *ent.WebhookCall {
				t.Helper()
				c, err := client.WebhookCall.Create().
					SetKind(webhookcall.KindDELIVERY).SetStatus(webhookcall.StatusRUNNING).
					SetTargetURL("https://receiver.example/hook").SetWebhookName("w").
					SetPayload(`{"old":true}`).SetAttemptCount(tc.attempts).
					SetCreatedAt(started.Add(-time.Hour)).SetUpdatedAt(started).
					Save(ctx)
				if err != nil {
					t.Fatal(err)
				}
				return c
			}
			run := func(writer string) result {
				t.Helper()
				c := newCall()
				var (
					written *ent.WebhookCall
					err     error
				)
				if writer == "batch" {
					var outs []*ent.WebhookCall
					var errs []error
					outs, errs, err = svc.FinishTogether(ctx, []*ent.WebhookCall{c, newCall()}, started, `{"new":true}`,
						[]webhooks.Response{tc.resp, tc.resp}, delays)
					if err == nil {
						written, err = outs[0], errors.Join(errs...)
					}
				} else {
					written, err = svc.FinishWith(ctx, c, started, `{"new":true}`, tc.resp, delays, writer == "raw SQL")
				}
				if err != nil {
					t.Fatalf("%s: %v", writer, err)
				}
				got, err := client.WebhookCall.Query().Where(webhookcall.ID(c.ID)).WithAttempts().Only(ctx)
				if err != nil {
					t.Fatal(err)
				}
				if len(got.Edges.Attempts) != 1 {
					t.Fatalf("%s: %d attempts recorded, want 1", writer, len(got.Edges.Attempts))
				}
				return result{call: got, written: written, attempt: got.Edges.Attempts[0]}
			}
			sqlRes, batchRes, entRes := run("raw SQL"), run("batch"), run("ent")
			for _, r := range []*result{&sqlRes, &batchRes, &entRes} {
				r.call.ID, r.written.ID, r.attempt.ID, r.attempt.CallID = 0, 0, 0, 0
				r.call.Edges, r.written.Edges, r.attempt.Edges = ent.WebhookCallEdges{}, ent.WebhookCallEdges{}, ent.WebhookCallAttemptEdges{}
			}
			for name, r := range map[string]result{"raw SQL": sqlRes, "batch": batchRes} {
				if a, b := describe(r.call), describe(entRes.call); a != b {
					t.Errorf("calls differ:\n %s: %s\n ent:     %s", name, a, b)
				}
				if a, b := describe(r.attempt), describe(entRes.attempt); a != b {
					t.Errorf("attempts differ:\n %s: %s\n ent:     %s", name, a, b)
				}
			}
			// What finish returns is the row as written.
			for name, r := range map[string]result{"raw SQL": sqlRes, "batch": batchRes, "ent": entRes} {
				if a, b := describe(r.written), describe(r.call); a != b {
					t.Errorf("%s: returned %s, stored %s", name, a, b)
				}
			}
			if want := len(tc.resp.RequestHeaders); len(sqlRes.attempt.RequestHeaders) != want {
				t.Errorf("%d request headers recorded, want %d", len(sqlRes.attempt.RequestHeaders), want)
			}
		})
	}

	// The raw SQL writers ran prepared statements: the single one, with
	// and without the rollup, and the batch's.
	if n := svc.PreparedStatements(); n < 2 {
		t.Errorf("%d statements prepared, want the writers' (at least 2)", n)
	}

	// Neither writes anything for a call that is no longer RUNNING here.
	for _, rawSQL := range []bool{true, false} {
		c, err := client.WebhookCall.Create().
			SetKind(webhookcall.KindDELIVERY).SetStatus(webhookcall.StatusSUCCEEDED).
			SetTargetURL("https://receiver.example/hook").SetWebhookName("w").SetPayload(`{}`).
			Save(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.FinishWith(ctx, c, clock.Now(), `{}`, webhooks.Response{Status: 200}, delays, rawSQL); err == nil {
			t.Errorf("rawSQL=%v: recorded an attempt of a call that is not running", rawSQL)
		}
		if n := client.WebhookCall.Query().Where(webhookcall.ID(c.ID)).QueryAttempts().CountX(ctx); n != 0 {
			t.Errorf("rawSQL=%v: %d attempts of a call that is not running", rawSQL, n)
		}
	}
	// Recorded together, the call that is no longer RUNNING gets its error
	// and nothing written; the other is recorded.
	var calls []*ent.WebhookCall
	for _, st := range []webhookcall.Status{webhookcall.StatusRUNNING, webhookcall.StatusSUCCEEDED} {
		c, err := client.WebhookCall.Create().
			SetKind(webhookcall.KindDELIVERY).SetStatus(st).
			SetTargetURL("https://receiver.example/hook").SetWebhookName("w").SetPayload(`{}`).
			Save(ctx)
		if err != nil {
			t.Fatal(err)
		}
		calls = append(calls, c)
	}
	resp := webhooks.Response{Status: 200}
	_, errs, err := svc.FinishTogether(ctx, calls, clock.Now(), `{}`, []webhooks.Response{resp, resp}, delays)
	if err != nil {
		t.Fatal(err)
	}
	if errs[0] != nil || errs[1] == nil {
		t.Errorf("together: errors %v; want none for the running call, one for the other", errs)
	}
	for i, want := range []int{1, 0} {
		if n := client.WebhookCall.Query().Where(webhookcall.ID(calls[i].ID)).QueryAttempts().CountX(ctx); n != want {
			t.Errorf("together: call %d has %d attempts, want %d", i, n, want)
		}
	}
}

// describe prints every field of a row, times in UTC, pointers followed.
func describe(v any) string {
	rv := reflect.Indirect(reflect.ValueOf(v))
	out := ""
	for i := range rv.NumField() {
		f := rv.Type().Field(i)
		if !f.IsExported() || f.Name == "Edges" {
			continue
		}
		fv := rv.Field(i)
		if fv.Kind() == reflect.Pointer {
			if fv.IsNil() {
				out += f.Name + "=nil "
				continue
			}
			fv = fv.Elem()
		}
		x := fv.Interface()
		if tm, ok := x.(time.Time); ok {
			x = tm.UTC().Format(time.RFC3339Nano)
		}
		out += fmt.Sprintf("%s=%#v ", f.Name, x)
	}
	return out
}

// When the statement recording attempts together fails (here: one of them
// is already recorded, against the unique (call, number) index), each is
// recorded alone: the others are written, and only that one fails.
func TestAttemptsTogetherFallBackOneByOne(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	_, client, svc := newPostgresService(t, webhooks.Config{})
	var calls []*ent.WebhookCall
	for range 3 {
		c, err := client.WebhookCall.Create().
			SetKind(webhookcall.KindDELIVERY).SetStatus(webhookcall.StatusRUNNING).
			SetTargetURL("https://receiver.example/hook").SetWebhookName("w").SetPayload(`{}`).
			Save(ctx)
		if err != nil {
			t.Fatal(err)
		}
		calls = append(calls, c)
	}
	// The middle call's first attempt is already there.
	if err := client.WebhookCallAttempt.Create().SetCallID(calls[1].ID).SetNumber(1).SetStartedAt(time.Now()).SetDurationMs(1).Exec(ctx); err != nil {
		t.Fatal(err)
	}
	resp := webhooks.Response{Status: 200}
	resps := []webhooks.Response{resp, resp, resp}
	if _, _, err := svc.FinishTogether(ctx, calls, time.Now(), `{}`, resps, nil); err == nil {
		t.Fatal("the statement recorded a second attempt 1; the test needs it to fail")
	}
	_, errs, err := svc.FinishTogetherOrAlone(ctx, calls, time.Now(), `{}`, resps, nil)
	if err != nil {
		t.Fatal(err)
	}
	if errs[0] != nil || errs[1] == nil || errs[2] != nil {
		t.Errorf("errors %v; want only the middle call's", errs)
	}
	for i, want := range []webhookcall.Status{webhookcall.StatusSUCCEEDED, webhookcall.StatusRUNNING, webhookcall.StatusSUCCEEDED} {
		if got := client.WebhookCall.GetX(ctx, calls[i].ID).Status; got != want {
			t.Errorf("call %d is %s, want %s", i, got, want)
		}
	}
}
