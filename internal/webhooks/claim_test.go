package webhooks_test

import (
	"context"
	"errors"
	"fmt"
	"github.com/scoopa/webhooks/internal/store/pgstore"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/scoopa/webhooks/ent"
	"github.com/scoopa/webhooks/ent/webhookcall"
	"github.com/scoopa/webhooks/internal/webhooks"
)

// pendingCalls creates n calls waiting for their first attempt.
func pendingCalls(t *testing.T, client *ent.Client, n int) []int {
	t.Helper()
	var ids []int
	for range n {
		c, err := client.WebhookCall.Create().
			SetKind(webhookcall.KindDELIVERY).SetStatus(webhookcall.StatusPENDING).
			SetTargetURL("https://receiver.example/hook").SetWebhookName("w").SetPayload(`{}`).
			Save(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, c.ID)
	}
	return ids
}

// Tasks claimed in one statement each get their own calls, claimed; a
// call in two tasks goes to the first only; a call already taken goes to
// none.
func TestClaimTogether(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	_, client, svc := newPostgresService(t, webhooks.Config{})
	ids := pendingCalls(t, client, 6)
	if _, err := client.WebhookCall.UpdateOneID(ids[5]).SetStatus(webhookcall.StatusSUCCEEDED).Save(ctx); err != nil {
		t.Fatal(err)
	}
	tasks := [][]int{{ids[0], ids[1]}, {ids[2]}, {ids[1], ids[3]}, {ids[4], ids[5]}}
	calls, errs := svc.ClaimTogether(ctx, tasks)
	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}
	got := make([]string, len(calls))
	for i, cs := range calls {
		for _, c := range cs {
			if c.Status != webhookcall.StatusRUNNING || c.LeaseUntil == nil {
				t.Errorf("call %d answered %s, lease %v; want RUNNING with a lease", c.ID, c.Status, c.LeaseUntil)
			}
			got[i] += fmt.Sprint(c.ID-ids[0], " ")
		}
	}
	if want := []string{"0 1 ", "2 ", "3 ", "4 "}; fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("tasks got calls %q, want %q (call numbers from 0)", got, want)
	}
	for _, id := range ids[:5] {
		if st := client.WebhookCall.GetX(ctx, id).Status; st != webhookcall.StatusRUNNING {
			t.Errorf("call %d is %s, want RUNNING", id-ids[0], st)
		}
	}
}

// Many tasks claiming at once, some of the same calls: every call is
// claimed, each by one task only.
func TestClaimsAtOnceEachCallOnce(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	_, client, svc := newPostgresService(t, webhooks.Config{})
	ids := pendingCalls(t, client, 60)
	var (
		mu  sync.Mutex
		won = map[int]int{}
		wg  sync.WaitGroup
	)
	for i := range 40 {
		wg.Go(func() {
			// Task i has calls i and i+20: the first 20 calls are in two tasks each.
			task := []int{ids[i], ids[i+20]}
			calls, err := svc.ClaimCalls(ctx, task)
			if err != nil {
				t.Error(err)
				return
			}
			mu.Lock()
			defer mu.Unlock()
			for _, c := range calls {
				won[c.ID]++
			}
		})
	}
	wg.Wait()
	for _, id := range ids {
		if won[id] != 1 {
			t.Errorf("call %d claimed %d times, want once", id-ids[0], won[id])
		}
	}
}

// A claim is one statement text whatever the number of its calls, so that
// PostgreSQL prepares and plans it once per connection.
func TestClaimIsOnePreparedStatement(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	_, client, svc := newPostgresService(t, webhooks.Config{})
	ids := pendingCalls(t, client, 8)
	before := svc.PreparedStatements()
	for _, task := range [][]int{ids[:1], ids[1:3], ids[3:8]} {
		calls, err := svc.ClaimCalls(ctx, task)
		if err != nil {
			t.Fatal(err)
		}
		if len(calls) != len(task) {
			t.Fatalf("claimed %d of %d calls", len(calls), len(task))
		}
	}
	if n := svc.PreparedStatements() - before; n != 1 {
		t.Errorf("claims of 1, 2 and 5 calls prepared %d statements, want 1", n)
	}
}

// A new system's claims are planned on the primary key once its tables
// have been analyzed, which the store asks for once early (AnalyzeAfter
// files) rather than waiting for autovacuum: a prepared claim planned on
// a table never analyzed read the kind index's entry for every delivery
// call to claim one, more as the table grew.
func TestClaimsOfANewSystemUseThePrimaryKey(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, client, svc := newPostgresService(t, webhooks.Config{})
	delivered := func(n int) {
		t.Helper()
		if _, err := db.ExecContext(ctx, `INSERT INTO webhook_calls (kind, status, target_url, webhook_name, payload, created_at, updated_at)
			SELECT 'DELIVERY', 'SUCCEEDED', 'https://receiver.example/hook', 'w', '{}', now(), now() FROM generate_series(1, $1)`, n); err != nil {
			t.Fatal(err)
		}
	}
	ids := pendingCalls(t, client, 40)
	delivered(AnalyzedAfterRows)
	if err := svc.AnalyzeIfNever(ctx); err != nil {
		t.Fatal(err)
	}
	var used []string
	scans := func() (pkey, others int64) {
		used = used[:0]
		rows, err := db.QueryContext(ctx, `SELECT indexrelname, idx_scan FROM pg_stat_user_indexes WHERE relname = 'webhook_calls'`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		for rows.Next() {
			var name string
			var n int64
			if err := rows.Scan(&name, &n); err != nil {
				t.Fatal(err)
			}
			if name == "webhook_calls_pkey" {
				pkey += n
			} else if n > 0 {
				others += n
				used = append(used, fmt.Sprintf("%s %d", name, n))
			}
		}
		return pkey, others
	}
	// The table grows between the claims, as delivered calls pile up.
	for i, id := range ids {
		delivered(100)
		if i == len(ids)-1 {
			// A backend reports its statistics when idle, at most once a
			// second: the last claim's report then carries them all.
			time.Sleep(1100 * time.Millisecond)
		}
		if calls, err := svc.ClaimCalls(ctx, []int{id}); err != nil || len(calls) != 1 {
			t.Fatalf("claim %d: %d calls, %v", i, len(calls), err)
		}
	}
	for deadline := time.Now().Add(15 * time.Second); ; time.Sleep(200 * time.Millisecond) {
		pkey, others := scans()
		if others > 0 {
			t.Fatalf("the claims of %d calls read other indexes of webhook_calls (%s) and the primary key %d times; want the primary key only", len(ids), strings.Join(used, ", "), pkey)
		}
		if pkey >= int64(len(ids)) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the primary key was read %d times for %d claims", pkey, len(ids))
		}
	}
	var analyzed bool
	if err := db.QueryRowContext(ctx, `SELECT last_analyze IS NOT NULL FROM pg_stat_user_tables WHERE relname = 'webhook_calls'`).Scan(&analyzed); err != nil || !analyzed {
		t.Errorf("webhook_calls analyzed: %v, %v", analyzed, err)
	}
}

// AnalyzedAfterRows is about what a store holds when it asks for its
// tables' first ANALYZE: pgstore.AnalyzeAfter files, a call each.
const AnalyzedAfterRows = pgstore.AnalyzeAfter
