package storage

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/scoopa/webhooks/internal/problem"
)

// ErrStoreDown is the error of a call to the object store refused at once
// because the store is known to be unreachable (see breaker).
var ErrStoreDown = errors.New("blob store: the object store is unreachable; calls fail at once until a probe reaches it again")

// breaker fails the calls of a store at once while it is known to be
// down: a call that failed to reach the store trips it, and a probe in the
// background then asks the store every probeEvery whether it answers,
// which resets it. Without it every call waited for the client's retries
// (seconds) before failing.
type breaker struct {
	// probe reports whether the store answers (any answer of its own, an
	// error included, means it is reachable).
	probe      func(context.Context) bool
	probeEvery time.Duration

	mu      sync.Mutex
	down    bool
	probing bool
}

// probeTimeout bounds a probe of the breaker.
const probeTimeout = 2 * time.Second

// check returns an UnavailableError of the object store when the breaker
// is tripped, else nil.
func (b *breaker) check() error {
	if b == nil {
		return nil
	}
	b.mu.Lock()
	down := b.down
	b.mu.Unlock()
	if down {
		return &problem.UnavailableError{Dependency: problem.ObjectStore, Err: ErrStoreDown}
	}
	return nil
}

// Down reports whether the breaker is tripped.
func (b *breaker) Down() bool { return b.check() != nil }

// observe looks at the error of a call: one of reaching the store trips
// the breaker and is returned as an UnavailableError of the object store;
// any other is returned as it is.
func (b *breaker) observe(err error) error {
	if b == nil || err == nil || !problem.ConnectionFailed(err) {
		return err
	}
	b.mu.Lock()
	b.down = true
	start := !b.probing
	b.probing = true
	b.mu.Unlock()
	if start {
		go b.watch()
	}
	return problem.Unavailable(problem.ObjectStore, err)
}

// watch probes the store until it answers, then resets the breaker.
func (b *breaker) watch() {
	for {
		time.Sleep(b.probeEvery)
		ctx, cancel := context.WithTimeout(context.Background(), probeTimeout)
		up := b.probe(ctx)
		cancel()
		if up {
			b.mu.Lock()
			b.down, b.probing = false, false
			b.mu.Unlock()
			return
		}
	}
}
