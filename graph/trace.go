package graph

import (
	"context"

	"github.com/99designs/gqlgen/graphql"
	"github.com/scoopa/webhooks/internal/webhooks"
	"github.com/vektah/gqlparser/v2/ast"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/trace"
)

// tracedRootFields returns the middleware that traces each root field of a
// query or mutation (say "mutation uploadFile") as a span, child of the
// request's, or nil with tracing off. Subscriptions are not traced: their
// root field lasts as long as the subscription.
func tracedRootFields(t webhooks.Tracing) graphql.RootFieldMiddleware {
	if t.Provider == nil {
		return nil
	}
	tracer := t.Provider.Tracer(webhooks.TracerName)
	return func(ctx context.Context, next graphql.RootResolver) graphql.Marshaler {
		oc, rf := graphql.GetOperationContext(ctx), graphql.GetRootFieldContext(ctx)
		if rf == nil || oc.Operation == nil || oc.Operation.Operation == ast.Subscription {
			return next(ctx)
		}
		typ, field := string(oc.Operation.Operation), rf.Field.Name
		ctx, span := tracer.Start(ctx, typ+" "+field, trace.WithAttributes(
			attribute.String("graphql.operation.type", typ),
			attribute.String("graphql.operation.name", oc.OperationName),
			attribute.String("graphql.field.name", field),
		))
		defer span.End()
		out := next(ctx)
		for _, e := range graphql.GetErrors(ctx) {
			if len(e.Path) > 0 && e.Path[0] == ast.PathName(rf.Field.Alias) {
				span.SetStatus(codes.Error, e.Message)
				break
			}
		}
		return out
	}
}
