package webhooks_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	entsql "entgo.io/ent/dialect/sql"
	"github.com/google/go-cmp/cmp"
	"github.com/scoopa/webhooks/ent/webhookcall"
	"github.com/scoopa/webhooks/ent/webhookstat"
	"github.com/scoopa/webhooks/internal/webhooks"
)

// The upkeep of calls goes through the store too, and every store does the
// same: a call abandoned RUNNING fails once, with the reason given; a call
// sent again is PENDING, due now, its retry base at its attempts, and only
// the calls the condition names move; retention deletes the calls created
// before the cutoff, with their attempts, and the rollup's hours that
// ended before it, and nothing newer.
func TestStoreUpkeep(t *testing.T) {
	t.Parallel()
	type outcome struct {
		Abandoned, AbandonedAgain []string // "status error"
		SentAgain                 []string // "status attempts retryBase next completed"
		Pruned                    int
		Left                      []int // the calls left, by their file's index
		Hours                     int   // rollup hours left
		Attempts                  int   // attempts left
	}
	got := make([]outcome, len(contractStores))
	t.Run("stores", func(t *testing.T) {
		for i, st := range contractStores {
			t.Run(st, func(t *testing.T) {
				t.Parallel()
				ctx := context.Background()
				db, client, svc := newStoreService(t, st, webhooks.Config{}, webhooks.Deps{})
				store := svc.TheStore()
				now := time.Now().UTC().Truncate(time.Second)
				fol, err := client.Folder.Create().SetName("f").SetCreatedAt(now).Save(ctx)
				if err != nil {
					t.Fatal(err)
				}
				wh, err := client.Webhook.Create().SetName("w").SetURL("https://receiver.example/").SetSigningSecret("whsec_x").
					SetActive(true).AddFolders(fol).SetCreatedAt(now).SetUpdatedAt(now).Save(ctx)
				if err != nil {
					t.Fatal(err)
				}
				var ids []int
				for _, name := range []string{"a.mov", "b.mov", "c.mov", "d.mov"} {
					_, calls, err := svc.StoreFile(ctx, fol.ID, name, nil)
					if err != nil || len(calls) != 1 {
						t.Fatalf("%s: %d calls, %v", name, len(calls), err)
					}
					ids = append(ids, calls[0].ID)
				}
				var out outcome
				describe := func(ids ...int) []string {
					calls, err := client.WebhookCall.Query().Where(webhookcall.IDIn(ids...)).Order(webhookcall.ByID()).All(ctx)
					if err != nil {
						t.Fatal(err)
					}
					var d []string
					for _, c := range calls {
						s := string(c.Status) + " " + derefStr(c.Error)
						if c.NextAttemptAt != nil {
							s += fmt.Sprintf(" due now%+v", c.NextAttemptAt.Sub(now))
						}
						if c.CompletedAt != nil {
							s += fmt.Sprintf(" completed now%+v", c.CompletedAt.Sub(now))
						}
						d = append(d, fmt.Sprintf("%s base %d attempts %d", s, c.RetryBase, c.AttemptCount))
					}
					return d
				}

				// Call 0 abandoned RUNNING, call 1 FAILED after two attempts.
				if err := client.WebhookCall.UpdateOneID(ids[0]).SetStatus(webhookcall.StatusRUNNING).Exec(ctx); err != nil {
					t.Fatal(err)
				}
				if err := client.WebhookCall.UpdateOneID(ids[1]).SetStatus(webhookcall.StatusFAILED).SetAttemptCount(2).
					SetCompletedAt(now).SetNextAttemptAt(now).Exec(ctx); err != nil {
					t.Fatal(err)
				}
				running := webhookcall.And(webhookcall.IDIn(ids...), webhookcall.StatusEQ(webhookcall.StatusRUNNING))
				failed, err := store.FailAbandoned(ctx, running, "abandoned: test", now, 10)
				if err != nil || len(failed) != 1 || failed[0].ID != ids[0] || failed[0].Status != webhookcall.StatusFAILED {
					t.Fatalf("FailAbandoned = %v, %v; want call 0 FAILED", failed, err)
				}
				out.Abandoned = describe(ids[0])
				if again, err := store.FailAbandoned(ctx, running, "abandoned: test", now.Add(time.Second), 10); err != nil || len(again) != 0 {
					t.Errorf("FailAbandoned again = %v, %v; want nothing", again, err)
				}
				out.AbandonedAgain = describe(ids[0])

				// Send again the FAILED ones among calls 1 and 2: only call 1 moves.
				later := now.Add(time.Minute)
				moved, err := store.SendAgain(ctx, client, ids[1:3], webhookcall.StatusEQ(webhookcall.StatusFAILED), later)
				if err != nil || len(moved) != 1 || moved[0].ID != ids[1] {
					t.Fatalf("SendAgain = %v, %v; want call 1", moved, err)
				}
				out.SentAgain = describe(ids[1], ids[2])

				// Calls 0 and 1 (with an attempt) and one rollup hour are past retention.
				cutoff := now.Add(-24 * time.Hour)
				dialect := map[bool]string{true: "sqlite3", false: "postgres"}[st == "sqlite"]
				for _, id := range ids[:2] { // created_at is immutable to ent
					q, args := entsql.Dialect(dialect).Update("webhook_calls").Set("created_at", cutoff.Add(-time.Minute)).
						Where(entsql.EQ("id", id)).Query()
					if _, err := db.ExecContext(ctx, q, args...); err != nil {
						t.Fatal(err)
					}
				}
				if err := client.WebhookCallAttempt.Create().SetCallID(ids[1]).SetNumber(1).SetStartedAt(cutoff.Add(-time.Minute)).
					SetDurationMs(5).Exec(ctx); err != nil {
					t.Fatal(err)
				}
				for _, h := range []time.Time{cutoff.Add(-2 * time.Hour).Truncate(time.Hour), now.Truncate(time.Hour)} {
					if err := client.WebhookStat.Create().SetWebhookID(wh.ID).SetHour(h).SetSucceeded(1).Exec(ctx); err != nil {
						t.Fatal(err)
					}
				}
				if out.Pruned, err = store.Prune(ctx, cutoff); err != nil {
					t.Fatal(err)
				}
				left, err := client.WebhookCall.Query().Order(webhookcall.ByID()).IDs(ctx)
				if err != nil {
					t.Fatal(err)
				}
				for _, id := range left {
					out.Left = append(out.Left, slices.Index(ids, id))
				}
				if out.Hours, err = client.WebhookStat.Query().Where(webhookstat.WebhookID(wh.ID)).Count(ctx); err != nil {
					t.Fatal(err)
				}
				if out.Attempts, err = client.WebhookCallAttempt.Query().Count(ctx); err != nil {
					t.Fatal(err)
				}
				got[i] = out
			})
		}
	})
	if t.Failed() {
		return
	}
	want := outcome{Pruned: 2, Left: []int{2, 3}, Hours: 1, Attempts: 0}
	for i, o := range got {
		if d := cmp.Diff(want, outcome{Pruned: o.Pruned, Left: o.Left, Hours: o.Hours, Attempts: o.Attempts}); d != "" {
			t.Errorf("%s: retention (-want +got):\n%s", contractStores[i], d)
		}
		if len(o.Abandoned) != 1 || o.Abandoned[0] != "FAILED abandoned: test completed now0s base 0 attempts 0" {
			t.Errorf("%s: the abandoned call is %v, want FAILED with the reason given", contractStores[i], o.Abandoned)
		}
		if d := cmp.Diff(o.Abandoned, o.AbandonedAgain); d != "" {
			t.Errorf("%s: a second sweep changed the failed call (-first +second):\n%s", contractStores[i], d)
		}
		if len(o.SentAgain) != 2 || o.SentAgain[0] != "PENDING  base 2 attempts 2" || o.SentAgain[1][:len("PENDING")] != "PENDING" {
			t.Errorf("%s: sent again %q; want call 1 PENDING, not due, not completed, its base at its 2 attempts, call 2 as it was", contractStores[i], o.SentAgain)
		}
		if i > 0 {
			if d := cmp.Diff(got[0], o); d != "" {
				t.Errorf("%s wrote what %s did not (-%s +%s):\n%s", contractStores[i], contractStores[0], contractStores[0], contractStores[i], d)
			}
		}
	}
}
