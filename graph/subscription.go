package graph

import (
	"context"
	"errors"
	"fmt"

	"github.com/99designs/gqlgen/graphql"
	"github.com/scoopa/webhooks/ent"
	"github.com/scoopa/webhooks/ent/webhookcall"
	"github.com/scoopa/webhooks/internal/events"
)

// What happens to one subscription of call events:
//
//  1. The broker hands over each matching event: a snapshot of the call,
//     decoded from JSON, so it has no database client behind it.
//  2. When the subscription selects a relation of the call (webhook, file,
//     folder, attempts), the call's relations are loaded for this event the
//     way a query loads them (entgql's CollectFields: one statement per
//     relation), and laid over the snapshot; the fields of the call stay
//     those of the snapshot. A call deleted in between is skipped.
//  3. A subscriber that falls SubscriberBuffer events behind, or whose
//     relations cannot be loaded, has its socket closed with a code
//     graphql-ws clients reconnect on after a back-off (see sockets.go):
//     they subscribe again and refetch what they missed.

// callEdges are the fields of WebhookCall that only the database can answer.
var callEdges = map[string]bool{"webhook": true, "file": true, "folder": true, "attempts": true}

// subscribeCalls streams the call events matching f until the client goes
// away, falls too far behind, or an event cannot be resolved.
func (r *Resolver) subscribeCalls(ctx context.Context, f events.CallFilter) (<-chan *ent.WebhookCall, error) {
	if r.broker == nil {
		return nil, fmt.Errorf("subscriptions are not served here")
	}
	calls, reason, err := r.broker.Subscribe(ctx, f)
	if err != nil {
		return nil, err
	}
	withEdges := selectsCallEdges(ctx)
	out := make(chan *ent.WebhookCall)
	unsubscribed := subscribed(ctx)
	go func() {
		defer close(out)
		defer unsubscribed()
		for c := range calls {
			if withEdges {
				full, err := r.loadCallEdges(ctx, c)
				if err != nil {
					if ctx.Err() == nil {
						r.log.ErrorContext(ctx, "subscription event not resolved", "call_id", c.ID, "err", err)
						closeSocket(ctx, CloseUnresolved, "internal error; reconnect and refetch")
					}
					return
				}
				if full == nil {
					continue // the call is gone
				}
				c = full
			}
			select {
			case out <- c:
			case <-ctx.Done():
				return
			}
		}
		if err := reason(); errors.Is(err, events.ErrSlowSubscriber) {
			closeSocket(ctx, CloseSlowSubscriber, err.Error())
		}
	}()
	return out, nil
}

// selectsCallEdges tells whether the subscription in ctx selects a
// relation of WebhookCall.
func selectsCallEdges(ctx context.Context) bool {
	fc := graphql.GetFieldContext(ctx)
	if fc == nil || !graphql.HasOperationContext(ctx) {
		return true
	}
	for _, f := range graphql.CollectFields(graphql.GetOperationContext(ctx), fc.Field.Selections, []string{"WebhookCall", "Node"}) {
		if callEdges[f.Name] {
			return true
		}
	}
	return false
}

// loadCallEdges returns a copy of the event c with the relations the
// subscription selects loaded from the database, or nil when the call no
// longer exists. The event itself is shared by every subscriber of this
// process and is left as it is.
func (r *Resolver) loadCallEdges(ctx context.Context, c *ent.WebhookCall) (*ent.WebhookCall, error) {
	q, err := r.db.WebhookCall.Query().Where(webhookcall.ID(c.ID)).CollectFields(ctx, "WebhookCall", "Node")
	if err != nil {
		return nil, fmt.Errorf("collect fields of call %d: %w", c.ID, err)
	}
	loaded, err := q.Only(ctx)
	if ent.IsNotFound(err) {
		return nil, nil
	} else if err != nil {
		return nil, fmt.Errorf("load relations of call %d: %w", c.ID, err)
	}
	ev := *c
	ev.Edges = loaded.Edges
	return &ev, nil
}
