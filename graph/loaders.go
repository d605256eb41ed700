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

// loaderWait is how long a loader gathers the keys of rows that are not on
// a page (webhooks reached through other fields) before it loads them.
const loaderWait = 10 * time.Millisecond

// loaders load the per-row fields of webhooks (headers, lastCall,
// callStats24h) for every row of a page at once: a page of 100 webhooks
// costs the same few statements as a page of 10. They live for one
// response, so nothing is cached across requests or subscription events.
type loaders struct {
	svc     *webhooks.Service
	since   time.Time
	headers *pageLoader[[]*ent.WebhookHeader]
	// foldered tells whether a webhook has folders (activity), when the
	// page did not load them already.
	foldered *pageLoader[bool]
	// recentStats loads the sparklines of a page of webhooks (stats.go).
	recentStats *pageLoader[[]*WebhookStatsBucket]

	mu sync.Mutex
	// page is the first page of webhooks of the response (webhooks(...)),
	// and onPage its IDs as a set.
	page   []int
	onPage map[int]bool
	// lastCalls and stats24h hold a loader per kind asked for ("" for
	// lastCall without a kind).
	lastCalls map[webhookcall.Kind]*pageLoader[*ent.WebhookCall]
	stats24h  map[webhookcall.Kind]*pageLoader[*WebhookCallStats]
}

// setPage records the webhooks of a page: their per-row fields then load
// for the whole page at once, whatever the order and timing of the rows.
// The first page of a response is the one recorded.
func (l *loaders) setPage(ids []int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.page != nil || len(ids) == 0 {
		return
	}
	l.page = ids
	l.onPage = make(map[int]bool, len(ids))
	for _, id := range ids {
		l.onPage[id] = true
	}
}

// pageWith returns the page when id is on it.
func (l *loaders) pageWith(id int) []int {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.onPage[id] {
		return l.page
	}
	return nil
}

// pageLoader loads one per-row field of webhooks. For the rows of the
// response's page, the first row to ask loads the field for every row of
// the page in one go, so a page costs one statement a field however its
// rows are scheduled; other webhooks are batched by a dataloadgen loader.
type pageLoader[V any] struct {
	l     *loaders
	fetch func(context.Context, []int) ([]V, []error)
	batch *dataloadgen.Loader[int, V]

	once sync.Once
	vals map[int]V
	err  error
}

func newPageLoader[V any](l *loaders, fetch func(context.Context, []int) ([]V, []error)) *pageLoader[V] {
	return &pageLoader[V]{l: l, fetch: fetch, batch: dataloadgen.NewLoader(fetch, dataloadgen.WithWait(loaderWait))}
}

// Load returns the field of webhook id.
func (p *pageLoader[V]) Load(ctx context.Context, id int) (V, error) {
	page := p.l.pageWith(id)
	if page == nil {
		return p.batch.Load(ctx, id)
	}
	p.once.Do(func() {
		vs, errs := p.fetch(ctx, page)
		for _, err := range errs {
			if err != nil {
				p.err = err
				return
			}
		}
		p.vals = make(map[int]V, len(page))
		for i, k := range page {
			p.vals[k] = vs[i]
		}
	})
	if p.err != nil {
		var zero V
		return zero, p.err
	}
	return p.vals[id], nil
}

// lastCall is the loader of the newest call of a webhook, of one kind if
// kind is set.
func (l *loaders) lastCall(kind *webhookcall.Kind) *pageLoader[*ent.WebhookCall] {
	var k webhookcall.Kind
	if kind != nil {
		k = *kind
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if ld, ok := l.lastCalls[k]; ok {
		return ld
	}
	ld := newPageLoader(l, byKey(func(ctx context.Context, ids []int) (map[int]*ent.WebhookCall, error) {
		return l.svc.Calls().LastCallsOf(ctx, ids, kind)
	}, func(c *ent.WebhookCall) *ent.WebhookCall { return c }))
	l.lastCalls[k] = ld
	return ld
}

// callStats24h is the loader of a webhook's counts of calls of one kind in
// the last 24 hours (deliveries if kind is nil).
func (l *loaders) callStats24h(kind *webhookcall.Kind) *pageLoader[*WebhookCallStats] {
	k := webhookcall.KindDELIVERY
	if kind != nil {
		k = *kind
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if ld, ok := l.stats24h[k]; ok {
		return ld
	}
	ld := newPageLoader(l, byKey(func(ctx context.Context, ids []int) (map[int]calllog.CallCounts, error) {
		return l.svc.Calls().CallCountsOf(ctx, ids, k, l.since)
	}, callStats))
	l.stats24h[k] = ld
	return ld
}

func newLoaders(svc *webhooks.Service, now time.Time) *loaders {
	l := &loaders{
		svc:       svc,
		since:     now.Add(-24 * time.Hour),
		lastCalls: map[webhookcall.Kind]*pageLoader[*ent.WebhookCall]{},
		stats24h:  map[webhookcall.Kind]*pageLoader[*WebhookCallStats]{},
	}
	l.recentStats = newPageLoader(l, byKey(svc.Stats().Recent, bucketsOf))
	l.foldered = newPageLoader(l, byKey(svc.Calls().FolderedOf, func(b bool) bool { return b }))
	l.headers = newPageLoader(l, byKey(svc.Calls().HeadersOf, func(hs []*ent.WebhookHeader) []*ent.WebhookHeader {
		if hs == nil {
			return []*ent.WebhookHeader{}
		}
		return hs
	}))
	return l
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

// webhookIDs returns the IDs of a page's webhooks.
func webhookIDs(conn *ent.WebhookConnection) []int {
	ids := make([]int, len(conn.Edges))
	for i, e := range conn.Edges {
		ids[i] = e.Node.ID
	}
	return ids
}
