package graph

import (
	"context"
	"sync"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/scoopa/webhooks/ent"
	"github.com/scoopa/webhooks/ent/webhookcall"
	"github.com/scoopa/webhooks/internal/calllog"
	"github.com/scoopa/webhooks/internal/webhooks"
	"github.com/vikstrous/dataloadgen"
)

// loaderWait is how long a loader gathers the keys of a page before it
// loads them: the rows of a list resolve concurrently, well within it.
const loaderWait = 10 * time.Millisecond

// loaders load the per-row fields of webhooks (headers, lastCall,
// callStats24h) for every row of a page at once: a page of 100 webhooks
// costs the same few statements as a page of 10. They live for one
// response, so nothing is cached across requests or subscription events.
type loaders struct {
	svc     *webhooks.Service
	since   time.Time
	headers *dataloadgen.Loader[int, []*ent.WebhookHeader]
	// foldered tells whether a webhook has folders (activity), when the
	// page did not load them already.
	foldered *dataloadgen.Loader[int, bool]
	// recentStats loads the sparklines of a page of webhooks (stats.go).
	recentStats *dataloadgen.Loader[int, []*WebhookStatsBucket]

	mu sync.Mutex
	// lastCalls and stats24h hold a loader per kind asked for ("" for
	// lastCall without a kind).
	lastCalls map[webhookcall.Kind]*dataloadgen.Loader[int, *ent.WebhookCall]
	stats24h  map[webhookcall.Kind]*dataloadgen.Loader[int, *WebhookCallStats]
}

// lastCall is the loader of the newest call of a webhook, of one kind if
// kind is set.
func (l *loaders) lastCall(kind *webhookcall.Kind) *dataloadgen.Loader[int, *ent.WebhookCall] {
	var k webhookcall.Kind
	if kind != nil {
		k = *kind
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if ld, ok := l.lastCalls[k]; ok {
		return ld
	}
	ld := dataloadgen.NewLoader(byKey(func(ctx context.Context, ids []int) (map[int]*ent.WebhookCall, error) {
		return l.svc.Calls().LastCallsOf(ctx, ids, kind)
	}, func(c *ent.WebhookCall) *ent.WebhookCall { return c }), dataloadgen.WithWait(loaderWait))
	l.lastCalls[k] = ld
	return ld
}

// callStats24h is the loader of a webhook's counts of calls of one kind in
// the last 24 hours (deliveries if kind is nil).
func (l *loaders) callStats24h(kind *webhookcall.Kind) *dataloadgen.Loader[int, *WebhookCallStats] {
	k := webhookcall.KindDELIVERY
	if kind != nil {
		k = *kind
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if ld, ok := l.stats24h[k]; ok {
		return ld
	}
	ld := dataloadgen.NewLoader(byKey(func(ctx context.Context, ids []int) (map[int]calllog.CallCounts, error) {
		return l.svc.Calls().CallCountsOf(ctx, ids, k, l.since)
	}, callStats), dataloadgen.WithWait(loaderWait))
	l.stats24h[k] = ld
	return ld
}

func newLoaders(svc *webhooks.Service, now time.Time) *loaders {
	return &loaders{
		svc:         svc,
		since:       now.Add(-24 * time.Hour),
		lastCalls:   map[webhookcall.Kind]*dataloadgen.Loader[int, *ent.WebhookCall]{},
		stats24h:    map[webhookcall.Kind]*dataloadgen.Loader[int, *WebhookCallStats]{},
		recentStats: dataloadgen.NewLoader(byKey(svc.Stats().Recent, bucketsOf), dataloadgen.WithWait(loaderWait)),
		foldered:    dataloadgen.NewLoader(byKey(svc.Calls().FolderedOf, func(b bool) bool { return b }), dataloadgen.WithWait(loaderWait)),
		headers: dataloadgen.NewLoader(byKey(svc.Calls().HeadersOf, func(hs []*ent.WebhookHeader) []*ent.WebhookHeader {
			if hs == nil {
				return []*ent.WebhookHeader{}
			}
			return hs
		}), dataloadgen.WithWait(loaderWait)),
	}
}

// byKey turns a load of a map by keys into a loader's fetch: each key gets
// its value (convert makes the value of a key missing from the map too).
func byKey[V, Out any](load func(context.Context, []int) (map[int]V, error), convert func(V) Out) func(context.Context, []int) ([]Out, []error) {
	return func(ctx context.Context, keys []int) ([]Out, []error) {
		m, err := load(ctx, keys)
		if err != nil {
			return nil, []error{err}
		}
		out := make([]Out, len(keys))
		for i, k := range keys {
			out[i] = convert(m[k])
		}
		return out, nil
	}
}

func callStats(n calllog.CallCounts) *WebhookCallStats {
	return &WebhookCallStats{
		Pending:   n[webhookcall.StatusPENDING],
		Running:   n[webhookcall.StatusRUNNING],
		Retrying:  n[webhookcall.StatusRETRYING],
		Succeeded: n[webhookcall.StatusSUCCEEDED],
		Failed:    n[webhookcall.StatusFAILED],
		Canceled:  n[webhookcall.StatusCANCELED],
	}
}

type loadersKey struct{}

// withLoaders gives each response (each event of a subscription too) its
// own loaders.
func withLoaders(svc *webhooks.Service) graphql.ResponseMiddleware {
	return func(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
		return next(context.WithValue(ctx, loadersKey{}, newLoaders(svc, svc.Now())))
	}
}

// loadersFor returns the response's loaders.
func (r *Resolver) loadersFor(ctx context.Context) *loaders {
	if l, ok := ctx.Value(loadersKey{}).(*loaders); ok {
		return l
	}
	return newLoaders(r.svc, r.svc.Now())
}

// activity returns wh's activity and why it is not active: from its folders
// when the page loaded them (the console's list asks for them), else from
// the foldered loader.
func (r *Resolver) activity(ctx context.Context, wh *ent.Webhook) (webhooks.Activity, string, error) {
	has := false
	if fs, err := wh.NamedFolders("folders"); err == nil { // the list's folders { ... }
		has = len(fs) > 0
	} else if fs, err := wh.Edges.FoldersOrErr(); err == nil {
		has = len(fs) > 0
	} else if !wh.AllFolders {
		if has, err = r.loadersFor(ctx).foldered.Load(ctx, wh.ID); err != nil {
			return "", "", err
		}
	}
	a, why := webhooks.ActivityOf(wh, has)
	return a, why, nil
}
