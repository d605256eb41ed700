package pgstore

import (
	"context"
	"database/sql"
	"sync"

	"github.com/scoopa/webhooks/internal/store"
)

// The statements of the hot path (a file's row and calls, a claim, an
// attempt's record, alone or together) are prepared on PostgreSQL: each
// connection parses and plans one of them once, and then only binds and
// runs it. Unprepared, their planning cost PostgreSQL about as much as
// running them (pg_stat_statements: 0.2 to 0.5 ms of planning for each
// file's insert, each claim and each record). The pool they are prepared
// on plans them once for all (a generic plan: see hotPoolSize in package
// app); PostgreSQL's default would plan them again at each execution. A
// statement's text is its key, so a text built at run time (the record's
// rollup part is there or not) is prepared once per variant; the claim,
// built by ent (Store.hotEnt), has one text for any number of calls.
//
// Without a *sql.DB (Deps.SQL not given, as when a test wraps ent's driver
// to count statements) the statements go through ent's driver unprepared.
type hotStatements struct {
	db       *sql.DB     // nil: unprepared
	fallback execQuerier // ent's client

	mu    sync.Mutex
	stmts map[string]*sql.Stmt
}

// execQuerier runs statements: ent's client, a *sql.DB.
type execQuerier interface {
	store.Querier
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// stmt returns the prepared statement of query, preparing it the first time.
func (h *hotStatements) stmt(ctx context.Context, query string) (*sql.Stmt, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if st, ok := h.stmts[query]; ok {
		return st, nil
	}
	st, err := h.db.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	if h.stmts == nil {
		h.stmts = map[string]*sql.Stmt{}
	}
	h.stmts[query] = st
	return st, nil
}

// QueryContext runs query, prepared if it can be.
func (h *hotStatements) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if h.db == nil {
		return h.fallback.QueryContext(ctx, query, args...)
	}
	st, err := h.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	return st.QueryContext(ctx, args...)
}

// ExecContext runs query, prepared if it can be.
func (h *hotStatements) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if h.db == nil {
		return h.fallback.ExecContext(ctx, query, args...)
	}
	st, err := h.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	return st.ExecContext(ctx, args...)
}

// Prepared reports how many statements are prepared (tests).
func (h *hotStatements) prepared() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.stmts)
}

// WarmUp prepares the claim on the hot pool and has PostgreSQL plan it,
// by claiming no calls, so that the first delivery after a start does not
// wait for that (the other hot statements are prepared on first use).
// Nothing is written.
func (p *Store) WarmUp(ctx context.Context) error {
	if p.hot.db == nil {
		return nil
	}
	_, err := p.claimNow(ctx, nil, p.rules.ClaimOrder())
	return err
}
