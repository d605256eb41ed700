package calllog

import (
	"strings"

	"github.com/scoopa/webhooks/internal/problem"
)

// The limits of one filter (a *WhereInput: of the call log, or of any list
// the API serves), the same on /graphql and on the export. A filter's
// conditions become SQL: their number and nesting are what the database
// pays for (8,000 nested `not` exhaust PostgreSQL's parser memory), so they
// are measured on the decoded input, before any SQL is built.
const (
	// MaxFilterDepth bounds how deep where inputs nest in one another
	// (not, and, or, has…With); the filter itself is level 1.
	MaxFilterDepth = 32
	// MaxFilterListItems bounds each list of a filter (…In, and, or).
	MaxFilterListItems = 1000
	// MaxFilterBytes bounds a filter written as JSON (the export's where
	// parameter).
	MaxFilterBytes = 64 << 10
	// DefaultMaxFilterCost bounds the cost of the export's filter: the
	// complexity limit of a GraphQL operation.
	DefaultMaxFilterCost = 5000
)

// The cost model of a filter (FilterCost): what one condition asks of the
// database. A substring condition (…Contains, …ContainsFold, …HasPrefix,
// …HasSuffix, …EqualFold) can use no index, so a page or a count may scan
// the whole table; an edge condition (has…With) is a sub-query.
const (
	ConditionCost     = 10
	SubstringCost     = 200
	EdgeConditionCost = 50
)

// FilterSize is what MeasureFilter finds in a filter.
type FilterSize struct {
	// Depth is how deep where inputs nest: 1 for a filter without not,
	// and, or or has…With.
	Depth int
	// Conditions counts the conditions, nested ones included (not, and,
	// or themselves are not conditions; has…With is one).
	Conditions int
	// Cost prices the conditions (ConditionCost, SubstringCost,
	// EdgeConditionCost), saturating at MaxCost.
	Cost int
	// LongestList is the number of items of the filter's longest list.
	LongestList int
}

// MaxCost is where costs saturate, so that no filter overflows into a
// cheap one.
const MaxCost = 1 << 40

// maxMeasuredDepth stops the walk: a filter nested deeper is refused
// whatever lies below, so the walk's cost and stack stay bounded however
// deep the input goes.
const maxMeasuredDepth = MaxFilterDepth + 1

// MeasureFilter measures a filter given as decoded JSON or GraphQL input
// (map[string]any, lists as []any); other values measure zero. Below
// MaxFilterDepth+1 levels the walk stops: Depth says "deeper than the
// limit" and the rest is not counted.
func MeasureFilter(v any) FilterSize {
	var s FilterSize
	s.Depth = measure(v, 1, &s)
	return s
}

// measure adds the conditions of the where input v (at level depth) to s
// and returns the deepest level found.
func measure(v any, depth int, s *FilterSize) int {
	m, ok := v.(map[string]any)
	if !ok {
		return 0
	}
	if depth > maxMeasuredDepth {
		return depth
	}
	deepest := depth
	nested := func(x any) {
		switch x := x.(type) {
		case []any:
			for _, item := range x {
				deepest = max(deepest, measure(item, depth+1, s))
			}
		default:
			deepest = max(deepest, measure(x, depth+1, s))
		}
	}
	for k, x := range m {
		if list, ok := x.([]any); ok {
			s.LongestList = max(s.LongestList, len(list))
		}
		switch {
		case k == "and" || k == "or" || k == "not":
			nested(x)
			continue
		case strings.HasPrefix(k, "has") && strings.HasSuffix(k, "With"):
			s.Cost = AddCost(s.Cost, EdgeConditionCost)
			nested(x)
		case strings.HasSuffix(k, "Contains") || strings.HasSuffix(k, "ContainsFold") || strings.HasSuffix(k, "HasPrefix") ||
			strings.HasSuffix(k, "HasSuffix") || strings.HasSuffix(k, "EqualFold"):
			s.Cost = AddCost(s.Cost, SubstringCost)
		default:
			s.Cost = AddCost(s.Cost, ConditionCost)
		}
		s.Conditions++
	}
	return deepest
}

// FilterCost prices a filter (see the cost model above).
func FilterCost(v any) int { return MeasureFilter(v).Cost }

// AddCost adds two costs, saturating at MaxCost.
func AddCost(a, b int) int { return min(a+b, MaxCost) }

// CheckFilter refuses, with a problem.InputError naming field and the
// limit, a filter that nests deeper than MaxFilterDepth, has a list longer
// than MaxFilterListItems or, if maxCost is above zero, costs more than
// maxCost.
func CheckFilter(field string, v any, maxCost int) error {
	s := MeasureFilter(v)
	switch {
	case s.Depth > MaxFilterDepth:
		return problem.Invalid(field, "the filter nests more than %d levels deep (not, and, or, has…With); the limit is %d levels", MaxFilterDepth, MaxFilterDepth)
	case s.LongestList > MaxFilterListItems:
		return problem.Invalid(field, "a list of %d items; the limit is %d items per list", s.LongestList, MaxFilterListItems)
	case maxCost > 0 && s.Cost > maxCost:
		return problem.Invalid(field, "the filter's %d conditions cost %d (%d each, %d for a substring condition such as fileNameContains, %d for has…With); the limit is %d",
			s.Conditions, s.Cost, ConditionCost, SubstringCost, EdgeConditionCost, maxCost)
	}
	return nil
}
