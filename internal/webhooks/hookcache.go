package webhooks

import (
	"context"
	"sync"
	"time"

	"github.com/scoopa/webhooks/ent"
	"github.com/scoopa/webhooks/ent/webhook"
	"github.com/scoopa/webhooks/internal/calllog"
)

// hookCacheTTL is how long a worker reuses a webhook it loaded. A burst of
// files to one webhook then costs one load a second instead of one per
// call; a change of URL, headers or secret reaches the worker within it.
const hookCacheTTL = time.Second

// hookCache keeps webhooks with their headers for deliveries, opened (header
// values and signing secrets decrypted) once per load, not per delivery.
type hookCache struct {
	mu    sync.Mutex
	hooks map[int]cachedHook
	// open decrypts a loaded webhook's secrets.
	open func(*ent.Webhook) (*ent.Webhook, error)
}

type cachedHook struct {
	wh *ent.Webhook
	at time.Time
}

func (c *hookCache) get(ctx context.Context, db *ent.Client, id int) (*ent.Webhook, error) {
	// Real time, not the service's clock: the TTL bounds how stale this
	// process's copy may get while other processes change the webhook.
	now := time.Now()
	c.mu.Lock()
	h, ok := c.hooks[id]
	c.mu.Unlock()
	if ok && now.Sub(h.at) < hookCacheTTL {
		return h.wh, nil
	}
	wh, err := calllog.WithHeadersInOrder(db.Webhook.Query().Where(webhook.ID(id))).Only(ctx)
	if err != nil {
		return nil, err
	}
	if wh, err = c.open(wh); err != nil {
		return nil, err
	}
	c.mu.Lock()
	if c.hooks == nil || len(c.hooks) > 10000 {
		c.hooks = map[int]cachedHook{}
	}
	c.hooks[id] = cachedHook{wh: wh, at: now}
	c.mu.Unlock()
	return wh, nil
}

// forget drops a webhook this process changed.
func (c *hookCache) forget(id int) {
	c.mu.Lock()
	delete(c.hooks, id)
	c.mu.Unlock()
}
