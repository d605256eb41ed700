package graph

import (
	"context"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/scoopa/webhooks/ent"
	"github.com/scoopa/webhooks/ent/webhookcall"
	"github.com/scoopa/webhooks/worker"
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
	headers  *dataloadgen.Loader[int, []*ent.WebhookHeader]
	lastCall *dataloadgen.Loader[int, *ent.WebhookCall]
	stats24h *dataloadgen.Loader[int, *WebhookCallStats]
}

func newLoaders(svc *worker.Service, now time.Time) *loaders {
	since := now.Add(-24 * time.Hour)
	return &loaders{
		headers: dataloadgen.NewLoader(byKey(svc.HeadersOf, func(hs []*ent.WebhookHeader) []*ent.WebhookHeader {
			if hs == nil {
				return []*ent.WebhookHeader{}
			}
			return hs
		}), dataloadgen.WithWait(loaderWait)),
		lastCall: dataloadgen.NewLoader(byKey(svc.LastCallsOf, func(c *ent.WebhookCall) *ent.WebhookCall { return c }),
			dataloadgen.WithWait(loaderWait)),
		stats24h: dataloadgen.NewLoader(byKey(func(ctx context.Context, ids []int) (map[int]worker.CallCounts, error) {
			return svc.DeliveryCountsOf(ctx, ids, since)
		}, callStats), dataloadgen.WithWait(loaderWait)),
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

func callStats(n worker.CallCounts) *WebhookCallStats {
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
func withLoaders(svc *worker.Service) graphql.ResponseMiddleware {
	return func(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
		return next(context.WithValue(ctx, loadersKey{}, newLoaders(svc, time.Now())))
	}
}

// loadersFor returns the response's loaders.
func (r *Resolver) loadersFor(ctx context.Context) *loaders {
	if l, ok := ctx.Value(loadersKey{}).(*loaders); ok {
		return l
	}
	return newLoaders(r.svc, time.Now())
}
