package testenv

import (
	"context"
	"database/sql"
	"fmt"
	"sync"
	"testing"

	"entgo.io/ent/dialect"
	"github.com/99designs/gqlgen/graphql"
)

// Statements counts the SQL statements a server sends to its database while
// it executes GraphQL operations (statements of the worker, the sweeper or
// authentication are not counted), so a test can tell whether a page costs
// a constant number of statements or one per row.
type Statements struct {
	mu   sync.Mutex
	list []string
}

// Reset forgets the statements counted so far.
func (s *Statements) Reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.list = nil
}

// List returns the statements counted since the last Reset.
func (s *Statements) List() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.list...)
}

func (s *Statements) add(ctx context.Context, kind, query string) {
	if !graphql.HasOperationContext(ctx) {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.list = append(s.list, kind+" "+query)
}

// Wrap returns drv with every statement counted. It keeps the optional
// methods of ent's SQL driver (ExecContext, QueryContext, BeginTx).
func (s *Statements) Wrap(drv dialect.Driver) dialect.Driver { return &countingDriver{drv, s} }

type countingDriver struct {
	dialect.Driver
	st *Statements
}

func (d *countingDriver) Exec(ctx context.Context, query string, args, v any) error {
	d.st.add(ctx, "exec", query)
	return d.Driver.Exec(ctx, query, args, v)
}

func (d *countingDriver) Query(ctx context.Context, query string, args, v any) error {
	d.st.add(ctx, "query", query)
	return d.Driver.Query(ctx, query, args, v)
}

func (d *countingDriver) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	d.st.add(ctx, "exec", query)
	ex, ok := d.Driver.(interface {
		ExecContext(context.Context, string, ...any) (sql.Result, error)
	})
	if !ok {
		return nil, fmt.Errorf("driver %T has no ExecContext", d.Driver)
	}
	return ex.ExecContext(ctx, query, args...)
}

func (d *countingDriver) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	d.st.add(ctx, "query", query)
	q, ok := d.Driver.(interface {
		QueryContext(context.Context, string, ...any) (*sql.Rows, error)
	})
	if !ok {
		return nil, fmt.Errorf("driver %T has no QueryContext", d.Driver)
	}
	return q.QueryContext(ctx, query, args...)
}

func (d *countingDriver) Tx(ctx context.Context) (dialect.Tx, error) {
	d.st.add(ctx, "exec", "BEGIN")
	tx, err := d.Driver.Tx(ctx)
	if err != nil {
		return nil, err
	}
	return &countingTx{tx, d.st}, nil
}

func (d *countingDriver) BeginTx(ctx context.Context, opts *sql.TxOptions) (dialect.Tx, error) {
	d.st.add(ctx, "exec", "BEGIN")
	b, ok := d.Driver.(interface {
		BeginTx(context.Context, *sql.TxOptions) (dialect.Tx, error)
	})
	if !ok {
		return nil, fmt.Errorf("driver %T has no BeginTx", d.Driver)
	}
	tx, err := b.BeginTx(ctx, opts)
	if err != nil {
		return nil, err
	}
	return &countingTx{tx, d.st}, nil
}

type countingTx struct {
	dialect.Tx
	st *Statements
}

func (t *countingTx) Exec(ctx context.Context, query string, args, v any) error {
	t.st.add(ctx, "exec", query)
	return t.Tx.Exec(ctx, query, args, v)
}

func (t *countingTx) Query(ctx context.Context, query string, args, v any) error {
	t.st.add(ctx, "query", query)
	return t.Tx.Query(ctx, query, args, v)
}

func (t *countingTx) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	t.st.add(ctx, "exec", query)
	ex, ok := t.Tx.(interface {
		ExecContext(context.Context, string, ...any) (sql.Result, error)
	})
	if !ok {
		return nil, fmt.Errorf("transaction %T has no ExecContext", t.Tx)
	}
	return ex.ExecContext(ctx, query, args...)
}

func (t *countingTx) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	t.st.add(ctx, "query", query)
	q, ok := t.Tx.(interface {
		QueryContext(context.Context, string, ...any) (*sql.Rows, error)
	})
	if !ok {
		return nil, fmt.Errorf("transaction %T has no QueryContext", t.Tx)
	}
	return q.QueryContext(ctx, query, args...)
}

// StartCountingServer is StartServer with the server's database statements
// counted.
func StartCountingServer(t testing.TB, kind Kind, overrides map[string]string) (*Server, *Statements) {
	t.Helper()
	st := &Statements{}
	return startServer(t, kind, Options{Env: overrides}, st.Wrap), st
}
