package graph_test

import (
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/vektah/gqlparser/v2/ast"

	"github.com/scoopa/webhooks/graph"
)

// placeholder matches the descriptions entgql writes by itself, which name
// the thing without saying anything about it: ent/entc.go replaces them.
var placeholder = regexp.MustCompile(`is enum for the field|^\w+ (field|edge) predicates$`)

// TestSchemaDescribed checks that the API describes itself: every type,
// field, argument, enum value, input field and directive of the schema
// (graph/*.graphqls, hand-written and generated) has a description, as
// GraphiQL and introspecting clients show it. GraphQL's own types,
// scalars and directives are left out.
func TestSchemaDescribed(t *testing.T) {
	s := graph.NewExecutableSchema(graph.Config{Resolvers: &graph.Resolver{}}).Schema()
	missing := undescribed(s)
	if len(missing) > 0 {
		t.Errorf("%d schema elements have no description (or only entgql's placeholder); document them in graph/*.graphqls or, for graph/ent.graphqls, in ent/schema (Comment, entgql annotations, schema.EnumDoc):\n\t%s",
			len(missing), strings.Join(missing, "\n\t"))
	}
}

// undescribed lists the schema elements without a real description, by
// their coordinates (Type, Type.field, Type.field(arg:), Enum.VALUE,
// @directive(arg:)).
func undescribed(s *ast.Schema) []string {
	var out []string
	check := func(coord, desc string) {
		if d := strings.TrimSpace(desc); d == "" || placeholder.MatchString(d) {
			out = append(out, coord)
		}
	}
	for name, def := range s.Types {
		if def.BuiltIn || strings.HasPrefix(name, "__") {
			continue
		}
		check(name, def.Description)
		for _, f := range def.Fields {
			if strings.HasPrefix(f.Name, "__") {
				continue // __typename, __schema, __type
			}
			check(name+"."+f.Name, f.Description)
			for _, a := range f.Arguments {
				check(name+"."+f.Name+"("+a.Name+":)", a.Description)
			}
		}
		for _, v := range def.EnumValues {
			check(name+"."+v.Name, v.Description)
		}
	}
	for name, d := range s.Directives {
		if d.Position != nil && d.Position.Src != nil && d.Position.Src.BuiltIn {
			continue
		}
		check("@"+name, d.Description)
		for _, a := range d.Arguments {
			check("@"+name+"("+a.Name+":)", a.Description)
		}
	}
	sort.Strings(out)
	return out
}

// TestUndescribedFindsGaps makes sure the check above does look: a schema
// with one undocumented element of each kind yields each one.
func TestUndescribedFindsGaps(t *testing.T) {
	s := &ast.Schema{
		Types: map[string]*ast.Definition{
			"T": {Kind: ast.Object, Description: "A type.", Fields: ast.FieldList{
				{Name: "f", Arguments: ast.ArgumentDefinitionList{{Name: "a"}}},
			}},
			"E": {Kind: ast.Enum, Description: "E is enum for the field e", EnumValues: ast.EnumValueList{{Name: "V"}}},
			"I": {Kind: ast.InputObject, Description: "An input.", Fields: ast.FieldList{
				{Name: "x", Description: "x field predicates"},
			}},
			"String": {Kind: ast.Scalar, BuiltIn: true},
		},
		Directives: map[string]*ast.DirectiveDefinition{
			"d": {Name: "d", Arguments: ast.ArgumentDefinitionList{{Name: "b", Description: "B."}}},
		},
	}
	got := strings.Join(undescribed(s), " ")
	want := "@d E E.V I.x T.f T.f(a:)"
	if got != want {
		t.Errorf("undescribed = %q, want %q", got, want)
	}
}
