package graph

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"

	"github.com/99designs/gqlgen/graphql"
	"github.com/scoopa/webhooks/internal/problem"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// errorPresenter maps the domain's errors to GraphQL error codes in one
// place; anything else is logged with its cause and shown as "internal
// error" only. Messages are the domain's sentences: no message of ent, SQL
// or a driver reaches a user. It sees only the domain's errors: ent's are
// translated by the domain (problem.StoreError), for the resolvers' own reads
// by the field middleware of NewHandler.
func errorPresenter(log *slog.Logger) graphql.ErrorPresenterFunc {
	return func(ctx context.Context, err error) *gqlerror.Error {
		var gqlErr *gqlerror.Error
		if errors.As(err, &gqlErr) && gqlErr.Err == nil {
			return gqlErr // parse and validation errors of gqlgen itself, and errors presented already
		}
		var (
			inErr  *problem.InputError
			inErrs problem.InputErrors
			nfErr  *problem.NotFoundError
			numErr *strconv.NumError
		)
		switch {
		case errors.As(err, &numErr):
			// An ID argument that is not a number: gqlgen's input coercion.
			return presentErr(ctx, fmt.Errorf("invalid ID %q: IDs are numbers", numErr.Num), "BAD_USER_INPUT")
		case errors.As(err, &inErrs):
			// One error per field, so that a form shows each next to its
			// field: all but the last are added here, the last is returned.
			if graphql.GetFieldContext(ctx) == nil {
				return presentInput(ctx, &problem.InputError{Field: inErrs[0].Field, Message: inErrs.Error()})
			}
			for _, e := range inErrs[:len(inErrs)-1] {
				graphql.AddError(ctx, e)
			}
			return presentInput(ctx, inErrs[len(inErrs)-1])
		case errors.As(err, &inErr):
			return presentInput(ctx, inErr)
		case errors.As(err, &nfErr):
			return presentErr(ctx, nfErr, "NOT_FOUND")
		case errors.Is(err, problem.ErrInvalidInput), errors.Is(err, problem.ErrBadSignature):
			return presentErr(ctx, err, "BAD_USER_INPUT")
		case errors.Is(err, problem.ErrNotFound):
			return presentErr(ctx, errors.New("the object asked for does not exist"), "NOT_FOUND")
		case errors.Is(err, problem.ErrForbidden):
			return presentErr(ctx, err, "FORBIDDEN")
		case errors.Is(err, problem.ErrUnauthenticated):
			return presentErr(ctx, err, "UNAUTHENTICATED")
		case errors.Is(err, context.Canceled):
			return presentErr(ctx, errors.New("request canceled"), "CANCELED")
		}
		if o, ok := problem.OutageOf(err); ok {
			// Not a bug: a dependency is out of reach, or the disk full.
			log.WarnContext(ctx, "request failed: "+o.Code, "dependency", o.Dependency, "err", err, "path", graphql.GetPath(ctx).String())
			return presentOutage(ctx, o)
		}
		if errors.As(err, &gqlErr) && gqlErr.Extensions != nil && gqlErr.Extensions["code"] != nil {
			return gqlErr // errors gqlgen already coded, e.g. complexity
		}
		if arg, typ := badArgument(ctx, gqlErr); arg != "" {
			// An argument gqlgen could not read, e.g. a cursor this API did not give.
			msg := "not a valid " + typ
			if typ == "Cursor" {
				msg = "not a cursor of this list; pass the startCursor or endCursor of a page"
			}
			return presentInput(ctx, &problem.InputError{Field: arg, Message: msg})
		}
		log.ErrorContext(ctx, "internal error", "err", err, "path", graphql.GetPath(ctx).String())
		return presentErr(ctx, errors.New("internal error"), "INTERNAL_SERVER_ERROR")
	}
}

// presentErr is err as a GraphQL error with a code. The message is err's
// own: gqlgen's wrapper, which prefixes the location and path, is left out.
func presentErr(ctx context.Context, err error, code string) *gqlerror.Error {
	msg := err.Error()
	var gqlErr *gqlerror.Error
	if errors.As(err, &gqlErr) && gqlErr.Err != nil {
		msg = gqlErr.Err.Error()
	}
	e := &gqlerror.Error{Message: msg, Extensions: map[string]any{"code": code}}
	if graphql.HasOperationContext(ctx) {
		if fc := graphql.GetFieldContext(ctx); fc != nil {
			e.Path = fc.Path()
		}
	}
	return e
}

// presentInput is a BAD_USER_INPUT error naming its field in
// extensions.field.
func presentInput(ctx context.Context, err *problem.InputError) *gqlerror.Error {
	e := presentErr(ctx, err, "BAD_USER_INPUT")
	e.Extensions["field"] = err.Field
	return e
}

// badArgument returns the name and type of the argument of the current
// field whose value gqlgen could not read, or "".
func badArgument(ctx context.Context, gqlErr *gqlerror.Error) (name, typ string) {
	if gqlErr == nil || len(gqlErr.Path) == 0 || !graphql.HasOperationContext(ctx) {
		return "", ""
	}
	fc := graphql.GetFieldContext(ctx)
	last, ok := gqlErr.Path[len(gqlErr.Path)-1].(ast.PathName)
	if fc == nil || fc.Field.Field == nil || fc.Field.Definition == nil || !ok {
		return "", ""
	}
	arg := fc.Field.Definition.Arguments.ForName(string(last))
	if arg == nil {
		return "", ""
	}
	return arg.Name, arg.Type.Name()
}
