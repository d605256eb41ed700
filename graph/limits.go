package graph

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/scoopa/webhooks/internal/calllog"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
	"github.com/vektah/gqlparser/v2/lexer"
)

// Three limits guard the server's CPU and database, in this order:
//
//  1. querySizeLimit bounds the query's text before it is parsed: its size
//     in bytes, and its number of lexical tokens counted by gqlparser's
//     lexer in one cheap pass. Parsing and validating are then bounded
//     (validation of overlapping fields is quadratic in the fields).
//  2. depthLimit bounds how deep selections nest.
//  3. costLimit prices the operation (see the cost model below) and
//     refuses it above the complexity limit.

// The default query limits: the console's largest query has about 100
// tokens with its fragment, graphql-js's full introspection query 183 (2 KB).
// At 1000 tokens,
// parsing and validating the most expensive query takes tens of
// milliseconds (docs/SECURITY.md, BenchmarkHostileQuery).
const (
	DefaultMaxQueryBytes  = 32 << 10
	DefaultMaxQueryTokens = 1000
)

// querySizeLimit refuses, with BAD_USER_INPUT, a query longer than
// maxBytes or made of more than maxTokens tokens, before it is parsed.
type querySizeLimit struct{ maxBytes, maxTokens int }

var _ interface {
	graphql.HandlerExtension
	graphql.OperationParameterMutator
} = querySizeLimit{}

func (querySizeLimit) ExtensionName() string                   { return "QuerySizeLimit" }
func (querySizeLimit) Validate(graphql.ExecutableSchema) error { return nil }

func (l querySizeLimit) MutateOperationParameters(_ context.Context, p *graphql.RawParams) *gqlerror.Error {
	return checkQuerySize(p.Query, l.maxBytes, l.maxTokens)
}

// checkQuerySize is querySizeLimit's check; its cost is linear in the
// query's bytes, of which there are at most maxBytes.
func checkQuerySize(query string, maxBytes, maxTokens int) *gqlerror.Error {
	tooLarge := func(format string, args ...any) *gqlerror.Error {
		return &gqlerror.Error{Message: fmt.Sprintf(format, args...), Extensions: map[string]any{"code": "BAD_USER_INPUT"}}
	}
	if len(query) > maxBytes {
		return tooLarge("query too large: %d bytes; the limit is %d bytes", len(query), maxBytes)
	}
	lex := lexer.New(&ast.Source{Input: query})
	for n := 0; ; {
		tok, err := lex.ReadToken()
		if err != nil || tok.Kind == lexer.EOF {
			return nil // the parser reports what the lexer could not read
		}
		if tok.Kind == lexer.Comment {
			continue // bounded by the bytes
		}
		if n++; n > maxTokens {
			return tooLarge("query too large: more than %d tokens (names, punctuation and values); the limit is %d tokens", maxTokens, maxTokens)
		}
	}
}

// depthLimit refuses operations whose selections nest deeper than max.
type depthLimit struct{ max int }

var _ interface {
	graphql.HandlerExtension
	graphql.OperationContextMutator
} = depthLimit{}

func (depthLimit) ExtensionName() string                   { return "DepthLimit" }
func (depthLimit) Validate(graphql.ExecutableSchema) error { return nil }

func (d depthLimit) MutateOperationContext(ctx context.Context, oc *graphql.OperationContext) *gqlerror.Error {
	if oc.Operation == nil {
		return nil
	}
	if depth := selectionDepth(oc.Operation.SelectionSet, oc.Doc.Fragments, 0, false); depth > d.max {
		return &gqlerror.Error{
			Message:    fmt.Sprintf("operation nests %d levels deep; the limit is %d", depth, d.max),
			Extensions: map[string]any{"code": "DEPTH_LIMIT_EXCEEDED"},
		}
	}
	if depth := selectionDepth(oc.Operation.SelectionSet, oc.Doc.Fragments, 0, true); depth > max(d.max, introspectionMaxDepth) {
		return &gqlerror.Error{
			Message:    fmt.Sprintf("introspection nests %d levels deep; the limit is %d", depth, max(d.max, introspectionMaxDepth)),
			Extensions: map[string]any{"code": "DEPTH_LIMIT_EXCEEDED"},
		}
	}
	return nil
}

// introspectionMaxDepth bounds the selections under __schema and __type,
// which the depth limit of data does not count: the introspection query of
// GraphiQL, graphql-js and the code generators reads a type wrapped seven
// times (ofType in ofType), 14 levels, and its answers come from the schema
// in memory, not from the database.
const introspectionMaxDepth = 20

// selectionDepth is how deep set nests. Unless introspection is true, the
// fields __schema and __type count as scalars.
func selectionDepth(set ast.SelectionSet, frags ast.FragmentDefinitionList, seen int, introspection bool) int {
	if seen > 64 { // fragment cycles are refused by validation; stay bounded anyway
		return seen
	}
	deepest := 0
	for _, sel := range set {
		var d int
		switch s := sel.(type) {
		case *ast.Field:
			if len(s.SelectionSet) > 0 && (introspection || (s.Name != "__schema" && s.Name != "__type")) {
				d = 1 + selectionDepth(s.SelectionSet, frags, seen+1, introspection)
			}
		case *ast.InlineFragment:
			d = selectionDepth(s.SelectionSet, frags, seen+1, introspection)
		case *ast.FragmentSpread:
			if f := frags.ForName(s.Name); f != nil {
				d = selectionDepth(f.SelectionSet, frags, seen+1, introspection)
			}
		}
		deepest = max(deepest, d)
	}
	return deepest
}

// The cost model of costLimit. A field with selections (an object or a list
// of them: rows to read or load) costs 1 plus its selections; a scalar costs
// nothing beyond its object, being a column of a row already read or a value
// made from it (the size of the query text is bounded by the token limit).
// Except:
//   - a connection (a field whose type ends in "Connection") costs 1, plus
//     its filter, plus its page size (first or last; 50 if neither) times
//     the cost of one edge or node, plus CountCost and its filter again
//     for totalCount (a count reads every matching row);
//   - a filter (where) costs ConditionCost per condition, SubstringCost per
//     substring condition (…Contains, …ContainsFold, …HasPrefix,
//     …HasSuffix, …EqualFold: none can use an index, so a page or a count
//     may scan the whole table) and EdgeConditionCost per has…With
//     (a sub-query), nested conditions included;
//   - nodes(ids) costs its selections once per ID.
//
// A filter's conditions are priced by calllog.FilterCost, which the call
// log export uses too.
const (
	CountCost         = 200
	SubstringCost     = calllog.SubstringCost
	ConditionCost     = calllog.ConditionCost
	EdgeConditionCost = calllog.EdgeConditionCost
	// maxCostVisits bounds the walk itself: fragments spread within
	// fragments expand exponentially.
	maxCostVisits = 100_000
)

// costLimit refuses operations whose cost exceeds limit, with gqlgen's
// COMPLEXITY_LIMIT_EXCEEDED; the cost is recorded as gqlgen's complexity
// statistics.
type costLimit struct{ limit int }

var _ interface {
	graphql.HandlerExtension
	graphql.OperationContextMutator
} = costLimit{}

func (costLimit) ExtensionName() string                   { return "ComplexityLimit" }
func (costLimit) Validate(graphql.ExecutableSchema) error { return nil }

func (c costLimit) MutateOperationContext(_ context.Context, oc *graphql.OperationContext) *gqlerror.Error {
	if oc.Operation == nil {
		return nil
	}
	w := costWalker{vars: oc.Variables}
	cost := w.selections(oc.Operation.SelectionSet)
	oc.Stats.SetExtension("ComplexityLimit", &extension.ComplexityStats{Complexity: cost, ComplexityLimit: c.limit})
	if w.visits > maxCostVisits {
		return &gqlerror.Error{
			Message:    fmt.Sprintf("operation too complex: its fragments expand to more than %d fields", maxCostVisits),
			Extensions: map[string]any{"code": "COMPLEXITY_LIMIT_EXCEEDED"},
		}
	}
	if cost > c.limit {
		return &gqlerror.Error{
			Message:    fmt.Sprintf("operation has complexity %d, which exceeds the limit of %d", cost, c.limit),
			Extensions: map[string]any{"code": "COMPLEXITY_LIMIT_EXCEEDED"},
		}
	}
	return nil
}

type costWalker struct {
	vars   map[string]any
	visits int
}

// fields flattens a selection set: fragments give their fields.
func (w *costWalker) fields(set ast.SelectionSet, out []*ast.Field) []*ast.Field {
	for _, sel := range set {
		if w.visits++; w.visits > maxCostVisits {
			return out
		}
		switch s := sel.(type) {
		case *ast.Field:
			out = append(out, s)
		case *ast.InlineFragment:
			out = w.fields(s.SelectionSet, out)
		case *ast.FragmentSpread:
			if s.Definition != nil {
				out = w.fields(s.Definition.SelectionSet, out)
			}
		}
	}
	return out
}

func (w *costWalker) selections(set ast.SelectionSet) int {
	total := 0
	for _, f := range w.fields(set, nil) {
		total = addCost(total, w.field(f))
	}
	return total
}

func (w *costWalker) field(f *ast.Field) int {
	if f.Definition == nil || f.Definition.Type == nil {
		return 1
	}
	if len(f.SelectionSet) == 0 {
		return 0
	}
	args := f.ArgumentMap(w.vars)
	switch {
	case strings.HasSuffix(f.Definition.Type.Name(), "Connection"):
		return w.connection(f, args)
	case f.Name == "nodes":
		ids, _ := args["ids"].([]any)
		return addCost(1, mulCost(len(ids), w.selections(f.SelectionSet)))
	}
	return addCost(1, w.selections(f.SelectionSet))
}

func (w *costWalker) connection(f *ast.Field, args map[string]any) int {
	page := defaultPageSize
	for _, name := range []string{"last", "first"} {
		if n, ok := toInt(args[name]); ok {
			page = min(max(n, 0), MaxPageSize) // larger pages are refused
		}
	}
	filter := whereCost(args["where"])
	total := 1 + filter
	for _, c := range w.fields(f.SelectionSet, nil) {
		switch c.Name {
		case "totalCount":
			total = addCost(total, CountCost+filter)
		case "edges", "nodes":
			total = addCost(total, mulCost(page, addCost(1, w.selections(c.SelectionSet))))
		default:
			total = addCost(total, w.field(c))
		}
	}
	return total
}

// whereCost prices a filter input (see the cost model), as the export
// prices its filter.
func whereCost(v any) int { return calllog.FilterCost(v) }

func toInt(v any) (int, bool) {
	switch n := v.(type) {
	case int:
		return n, true
	case int64:
		return int(max(min(n, 1<<31), -1<<31)), true
	case float64:
		return int(max(min(n, 1<<31), -1<<31)), true
	case json.Number:
		i, err := n.Int64()
		return int(max(min(i, 1<<31), -1<<31)), err == nil
	}
	return 0, false
}

const maxCost = calllog.MaxCost

// addCost and mulCost saturate, so that no query overflows into a cheap one.
func addCost(a, b int) int { return min(a+b, maxCost) }

func mulCost(a, b int) int {
	if a == 0 || b == 0 {
		return 0
	}
	if b > maxCost/a {
		return maxCost
	}
	return a * b
}
