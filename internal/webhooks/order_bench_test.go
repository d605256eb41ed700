package webhooks_test

import (
	"context"
	"database/sql"
	"fmt"
	"testing"

	"github.com/scoopa/webhooks/internal/testenv"
	"github.com/scoopa/webhooks/internal/webhooks"
)

// BenchmarkClaimOrderGate measures what ordered delivery adds to the claim
// of a call of an unordered webhook on PostgreSQL: the claim statement
// (PENDING to RUNNING) and back, without and with the order gate, side by
// side in one run, with 10,000 unfinished calls of an unordered webhook and
// 10,000 of an ordered one in the table. "ordered head" is the claim of the
// first call of the ordered webhook (the gate's subquery runs). Figures:
// docs/benchmarks/NOTEBOOK.md.
func BenchmarkClaimOrderGate(b *testing.B) {
	db, err := sql.Open("postgres", testenv.NewPostgresDB(b))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	ctx := context.Background()
	var plain, ordered int
	for _, q := range []struct {
		id      *int
		ordered bool
	}{{&plain, false}, {&ordered, true}} {
		if err := db.QueryRowContext(ctx, `INSERT INTO webhooks (name, url, active, all_folders, validation_status, signing_secret, created_at, updated_at, ordered)
			VALUES ('w', 'http://127.0.0.1:1/', true, false, 'VALID', 'x', now(), now(), $1) RETURNING id`, q.ordered).Scan(q.id); err != nil {
			b.Fatal(err)
		}
		if _, err := db.ExecContext(ctx, `INSERT INTO webhook_calls (kind, status, target_url, webhook_name, webhook_id, payload, attempt_count, retry_base, test, created_at, updated_at, ordered)
			SELECT 'DELIVERY', 'PENDING', 'http://127.0.0.1:1/', 'w', $1, '{}', 0, 0, false, now(), now(), $2 FROM generate_series(1, 10000)`, *q.id, q.ordered); err != nil {
			b.Fatal(err)
		}
	}
	if _, err := db.ExecContext(ctx, "ANALYZE webhook_calls"); err != nil {
		b.Fatal(err)
	}
	first := func(webhookID int) int {
		var id int
		if err := db.QueryRowContext(ctx, "SELECT min(id) FROM webhook_calls WHERE webhook_id = $1", webhookID).Scan(&id); err != nil {
			b.Fatal(err)
		}
		return id
	}
	claim := `UPDATE webhook_calls SET status = 'RUNNING', updated_at = now()
		WHERE id = $1 AND kind = 'DELIVERY' AND status = 'PENDING'`
	back := `UPDATE webhook_calls SET status = 'PENDING' WHERE id = $1`
	for _, bc := range []struct {
		name, where string
		call        int
	}{
		{"unordered/without gate", "", first(plain)},
		{"unordered/with gate", " AND " + webhooks.OrderGate("webhook_calls"), first(plain)},
		{"ordered head/with gate", " AND " + webhooks.OrderGate("webhook_calls"), first(ordered)},
	} {
		b.Run(bc.name, func(b *testing.B) {
			stmt, err := db.PrepareContext(ctx, claim+bc.where)
			if err != nil {
				b.Fatal(err)
			}
			defer stmt.Close()
			for b.Loop() {
				res, err := stmt.ExecContext(ctx, bc.call)
				if err != nil {
					b.Fatal(err)
				}
				if n, _ := res.RowsAffected(); n != 1 {
					b.Fatal(fmt.Sprintf("claimed %d calls, want 1", n))
				}
				if _, err := db.ExecContext(ctx, back, bc.call); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
