// Package groupcommit writes the items that many goroutines hand over at
// the same moment together, in one write (a statement, a pipeline), without
// waiting for a timer: the PostgreSQL store's files, claims and attempts,
// and the call events of a moment.
package groupcommit

import (
	"context"
	"errors"
	"sync"
	"time"
)

// A Group commits the writes of many goroutines together: each caller
// hands its item to Do and waits; one of them (the leader) writes every
// item that is waiting in one statement, while the items that arrive
// meanwhile wait for the next statement. Nothing waits for a timer: an item
// that arrives when no write is under way is written at once, alone, so a
// quiet system pays no latency for it; under load the statements grow with
// the load (up to max items each), and with them the rows per round trip,
// per commit and per lock taken.
//
// The leader writes the batch it took and hands the lead to the oldest
// waiting item, if any, so that no caller writes more than one batch
// besides its own. A batch is written under the context of its leader
// without its cancelation (a caller going away must not fail the items of
// others), bounded by groupTimeout.
type Group[T, R any] struct {
	max   int
	write func(ctx context.Context, items []T) []Result[R]

	mu      sync.Mutex
	busy    bool // a leader is writing
	pending []*groupItem[T, R]
}

// Result is what a write answers for one item: its value or its error.
type Result[R any] struct {
	Val R
	Err error
}

type groupItem[T, R any] struct {
	item T
	// done receives the item's result, or lead (nothing written yet): the
	// item's caller is the next leader.
	done chan groupDone[R]
}

type groupDone[R any] struct {
	Result[R]
	lead bool
}

// errGroupShort answers the items a write left without a result.
var errGroupShort = errors.New("batch write answered fewer results than items")

// groupTimeout bounds one batch's write.
const groupTimeout = 30 * time.Second

// New returns a Group writing at most max items per call of write,
// which answers one result per item, in order.
func New[T, R any](max int, write func(ctx context.Context, items []T) []Result[R]) *Group[T, R] {
	return &Group[T, R]{max: max, write: write}
}

// Do writes item with whatever others are waiting, and answers its result.
func (g *Group[T, R]) Do(ctx context.Context, item T) (R, error) {
	it := &groupItem[T, R]{item: item, done: make(chan groupDone[R], 1)}
	g.mu.Lock()
	g.pending = append(g.pending, it)
	if g.busy {
		g.mu.Unlock()
		d := <-it.done
		if !d.lead {
			return d.Val, d.Err
		}
		g.mu.Lock() // the lead was handed over, busy still set
	}
	g.busy = true
	for {
		batch := g.pending[:min(len(g.pending), g.max)]
		g.pending = g.pending[len(batch):]
		g.mu.Unlock()
		g.flush(ctx, batch)
		select {
		case d := <-it.done:
			// Ours is written: hand the lead on.
			g.mu.Lock()
			if len(g.pending) > 0 {
				next := g.pending[0]
				g.mu.Unlock()
				next.done <- groupDone[R]{lead: true}
			} else {
				g.busy = false
				g.mu.Unlock()
			}
			return d.Val, d.Err
		default:
			// Ours was not in that batch (more than max were waiting
			// before it): write the next.
			g.mu.Lock()
		}
	}
}

// flush writes batch and answers each of its items.
func (g *Group[T, R]) flush(ctx context.Context, batch []*groupItem[T, R]) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), groupTimeout)
	defer cancel()
	items := make([]T, len(batch))
	for i, it := range batch {
		items[i] = it.item
	}
	res := g.write(ctx, items)
	for i, it := range batch {
		var r Result[R]
		if i < len(res) {
			r = res[i]
		} else {
			r.Err = errGroupShort
		}
		it.done <- groupDone[R]{Result: r}
	}
}

// Writer is g's write, for a test that wraps it in a Group of its own.
func (g *Group[T, R]) Writer() func(ctx context.Context, items []T) []Result[R] { return g.write }

// Pending is how many items wait for a write.
func (g *Group[T, R]) Pending() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return len(g.pending)
}
