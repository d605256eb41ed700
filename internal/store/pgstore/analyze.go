package pgstore

import (
	"context"
	"sync/atomic"
	"time"
)

// AnalyzeAfter is how many files a process stores before it makes sure
// that the tables of the hot path have been analyzed once.
const AnalyzeAfter = 256

// analyzeTables are the tables whose first ANALYZE is not left to
// autovacuum: the prepared statements of the hot path are planned on them.
const analyzeTables = "webhook_calls, files, webhook_call_attempts"

// earlyAnalyze makes sure, once per process, that the hot path's tables
// have been analyzed once they hold some rows. A prepared statement's plan
// is kept by its connection; one made on a table that was never analyzed
// (a new system, before autovacuum's first ANALYZE, up to a minute) takes
// the table for nearly empty: the claim's plan then read the kind index's
// entry for every delivery call to claim one, a claim costing more as the
// table grew (docs/benchmarks/NOTEBOOK.md, 7 Dec 2026). ANALYZE makes every
// connection plan its statements again, on real figures. It is asked for
// after AnalyzeAfter files, in the background; a system whose tables were
// analyzed already costs one query per process, at most.
type earlyAnalyze struct {
	stored atomic.Int64
	done   atomic.Bool
}

// fileStored counts a stored file and, at the AnalyzeAfter-th, analyzes
// the tables if they never were.
func (p *Store) fileStored() {
	if p.analyze.done.Load() || p.analyze.stored.Add(1) != AnalyzeAfter {
		return
	}
	p.analyze.done.Store(true)
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		if err := p.AnalyzeIfNever(ctx); err != nil {
			p.log.Warn("first ANALYZE of the hot path's tables", "err", err)
		}
	}()
}

// AnalyzeIfNever analyzes the hot path's tables if webhook_calls was never
// analyzed, by ANALYZE or by autovacuum.
func (p *Store) AnalyzeIfNever(ctx context.Context) error {
	var q execQuerier = p.hot.fallback
	if p.hot.db != nil {
		q = p.hot.db
	}
	rows, err := q.QueryContext(ctx, `SELECT last_analyze IS NULL AND last_autoanalyze IS NULL
		FROM pg_stat_user_tables WHERE relid = 'webhook_calls'::regclass`)
	if err != nil {
		return err
	}
	never := false
	for rows.Next() {
		if err := rows.Scan(&never); err != nil {
			rows.Close()
			return err
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil || !never {
		return err
	}
	_, err = q.ExecContext(ctx, "ANALYZE "+analyzeTables)
	return err
}
