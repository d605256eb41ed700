package testenv

import (
	"sync"
	"time"
)

// Clock is a clock a test sets and advances: give it to a webhooks.Service
// (Deps.Clock) or a server (StartServerWith), and the service's due times,
// deadlines and timestamps follow it instead of the system clock.
type Clock struct {
	mu  sync.Mutex
	now time.Time
}

// NewClock returns a Clock standing still at now, to the microsecond (what
// PostgreSQL keeps).
func NewClock(now time.Time) *Clock {
	return &Clock{now: now.UTC().Truncate(time.Microsecond)}
}

// Now returns the time the clock was set to.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Set moves the clock to t.
func (c *Clock) Set(t time.Time) {
	c.mu.Lock()
	c.now = t.UTC().Truncate(time.Microsecond)
	c.mu.Unlock()
}

// Advance moves the clock forward by d and returns the new time.
func (c *Clock) Advance(d time.Duration) time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
	return c.now
}
