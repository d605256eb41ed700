package webhooks_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"

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
