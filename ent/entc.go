//go:build ignore

// This program generates the ent client, the entgql GraphQL schema
// (graph/ent.graphqls) and its gqlgen glue. It runs from the module root:
// go generate ./ent does it.
package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"strings"

	"entgo.io/contrib/entgql"
	"entgo.io/ent/entc"
	"entgo.io/ent/entc/gen"
	"github.com/vektah/gqlparser/v2/ast"
)

func main() {
	ex, err := entgql.NewExtension(
		entgql.WithConfigPath("gqlgen.yml"),
		entgql.WithSchemaGenerator(),
		entgql.WithSchemaPath("graph/ent.graphqls"),
		entgql.WithWhereInputs(true),
		entgql.WithSchemaHook(describe),
	)
	if err != nil {
		log.Fatalf("creating entgql extension: %v", err)
	}
	err = entc.Generate("./ent/schema", &gen.Config{
		Target:  "./ent",
		Package: "github.com/scoopa/webhooks/ent",
		Features: []gen.Feature{
			gen.FeatureGlobalID,
			gen.FeatureLock,
			gen.FeatureModifier,
			gen.FeatureExecQuery,
			gen.FeatureUpsert,
			gen.FeatureVersionedMigration,
		},
	}, entc.Extensions(ex))
	if err != nil {
		log.Fatalf("running ent codegen: %v", err)
	}
}

// describe completes the descriptions of the generated schema, so that the
// API documents itself (graph/schema_doc_test.go checks every element).
// entgql describes fields (ent's Comment), edges (Comment) and query fields
// (entgql.QueryField().Description) by itself; describe adds what it has no
// annotation for: the types (ent's schema.Comment), the enums (EnumDoc in
// ent/schema), the IDs, the order fields, the filters' predicates and the
// gqlgen directives. A type, enum or query field left undocumented in
// ent/schema fails the generation.
func describe(g *gen.Graph, s *ast.Schema) error {
	var errs []error
	for _, node := range g.Nodes {
		def := s.Types[node.Name]
		if def == nil {
			continue // entgql.Skip(entgql.SkipType)
		}
		if def.Description == "" {
			var c struct{ Text string }
			if err := decodeAnnotation(node.Annotations, "Comment", &c); err != nil {
				return err
			}
			if c.Text == "" {
				errs = append(errs, fmt.Errorf("ent/schema: %s needs a schema.Comment: it describes the GraphQL type", node.Name))
			}
			def.Description = c.Text
		}
		// entgql drops the Comment of an edge that is a connection.
		for _, e := range node.Edges {
			if fd := def.Fields.ForName(camel(e.Name)); fd != nil && fd.Description == "" {
				if fd.Description = e.Comment(); fd.Description == "" {
					errs = append(errs, fmt.Errorf("ent/schema: edge %s.%s needs a Comment: it describes the GraphQL field", node.Name, e.Name))
				}
			}
		}
		if id := def.Fields.ForName("id"); id != nil && id.Description == "" {
			id.Description = fmt.Sprintf("The %s's ID, unique among all objects of the API (node(id:) finds it).", words(node.Name))
		}
		for _, f := range node.Fields {
			if !f.IsEnum() {
				continue
			}
			fd := def.Fields.ForName(camel(f.Name))
			if fd == nil {
				continue
			}
			enum := s.Types[fd.Type.Name()]
			var doc struct {
				Type   string
				Values map[string]string
			}
			if err := decodeAnnotation(f.Annotations, "EnumDoc", &doc); err != nil {
				return err
			}
			if doc.Type == "" {
				errs = append(errs, fmt.Errorf("ent/schema: enum field %s.%s needs an EnumDoc annotation: it describes %s and its values", node.Name, f.Name, enum.Name))
				continue
			}
			enum.Description = doc.Type
			for _, v := range enum.EnumValues {
				if v.Description = doc.Values[v.Name]; v.Description == "" {
					errs = append(errs, fmt.Errorf("ent/schema: the EnumDoc of %s.%s does not describe %s", node.Name, f.Name, v.Name))
				}
			}
		}
		if order := s.Types[node.Name+"OrderField"]; order != nil {
			describeOrder(node, order)
		}
		if where := s.Types[node.Name+"WhereInput"]; where != nil {
			describeWhere(node, where)
		}
	}
	if q := s.Types["Query"]; q != nil {
		q.Description = "What may be read. Every query needs a bearer token (or the console's session); " +
			"VIEWER and ADMIN tokens may read everything, except where a field says otherwise."
		if f := q.Fields.ForName("node"); f != nil {
			f.Description = "Fetches an object of any type by its ID; null, with a NOT_FOUND error, when there is none. " +
				"API tokens need an ADMIN token."
		}
		if f := q.Fields.ForName("nodes"); f != nil {
			f.Description = "Fetches objects of any type by their IDs, in the same order; each missing one is null, " +
				"with a NOT_FOUND error at its index. API tokens are null but for ADMIN tokens."
		}
		for _, f := range q.Fields {
			if f.Description == "" {
				errs = append(errs, fmt.Errorf("ent/schema: query field %s needs entgql.QueryField().Description", f.Name))
			}
		}
	}
	if t := s.Types["Time"]; t != nil {
		t.Description = "A point in time, as an RFC 3339 string with a time zone offset, e.g. \"2025-01-31T14:05:00Z\"."
	}
	describeDirectives(s)
	return errors.Join(errs...)
}

// describeOrder describes the values of node's <T>OrderField enum.
func describeOrder(node *gen.Type, order *ast.Definition) {
	order.Description = fmt.Sprintf("What lists of %s can be ordered by: a field, then the ID for equal values.", plural(words(node.Name)))
	for _, v := range order.EnumValues {
		for _, f := range node.Fields {
			var ant struct{ OrderField string }
			if decodeAnnotation(f.Annotations, "EntGQL", &ant) != nil || ant.OrderField != v.Name {
				continue
			}
			v.Description = fmt.Sprintf("By %s.", camel(f.Name))
			if f.IsEnum() {
				v.Description = fmt.Sprintf("By %s, in alphabetical order of the value's name.", camel(f.Name))
			}
		}
	}
}

// predicates describes the operators of where inputs, by the suffix entgql
// gives them ("" is equality); %s is the field.
var predicates = map[string]string{
	"":             "%s equals the value.",
	"NEQ":          "%s differs from the value.",
	"In":           "%s is one of the values.",
	"NotIn":        "%s is none of the values.",
	"GT":           "%s is greater than the value.",
	"GTE":          "%s is greater than or equal to the value.",
	"LT":           "%s is less than the value.",
	"LTE":          "%s is less than or equal to the value.",
	"Contains":     "%s contains the text (case-sensitive).",
	"HasPrefix":    "%s starts with the text (case-sensitive).",
	"HasSuffix":    "%s ends with the text (case-sensitive).",
	"EqualFold":    "%s equals the text, ignoring case.",
	"ContainsFold": "%s contains the text, ignoring case.",
	"IsNil":        "When true, %s is null.",
	"NotNil":       "When true, %s is not null.",
}

// timePredicates replace those of predicates for times.
var timePredicates = map[string]string{
	"GT":  "%s is later than the value.",
	"GTE": "%s is the value or later.",
	"LT":  "%s is earlier than the value.",
	"LTE": "%s is the value or earlier.",
}

// describeWhere describes node's <T>WhereInput. entgql writes each field's
// predicates together, the first (equality) described as "<field> field
// predicates", and each edge's as has<Edge> ("<edge> edge predicates") and
// has<Edge>With.
func describeWhere(node *gen.Type, where *ast.Definition) {
	things := plural(words(node.Name))
	edges := map[string]*gen.Edge{}
	for _, e := range node.Edges {
		edges[camel("has_"+e.Name)] = e
	}
	where.Description = fmt.Sprintf("A filter of %s: they match when they meet every predicate set here "+
		"(unset ones are ignored); not, and and or combine filters.", things)
	var base string // the field whose predicates these are
	for _, f := range where.Fields {
		if f.Description != "" && !strings.HasSuffix(f.Description, " field predicates") &&
			!strings.HasSuffix(f.Description, " edge predicates") {
			continue
		}
		switch {
		case f.Name == "not":
			f.Description = "Matches what this filter does not match."
			continue
		case f.Name == "and":
			f.Description = "Matches what every one of these filters matches."
			continue
		case f.Name == "or":
			f.Description = "Matches what at least one of these filters matches."
			continue
		case strings.HasSuffix(f.Description, " field predicates"):
			base = f.Name
		case edges[f.Name] != nil:
			e := edges[f.Name]
			have := words(e.Name)
			if e.Unique {
				have = "a " + have
			}
			f.Description = fmt.Sprintf("When true, only %s that have %s; when false, only those without.", things, have)
			continue
		case edges[strings.TrimSuffix(f.Name, "With")] != nil:
			e := edges[strings.TrimSuffix(f.Name, "With")]
			if e.Unique {
				f.Description = fmt.Sprintf("Only %s whose %s matches every one of these filters.", things, words(e.Name))
			} else {
				f.Description = fmt.Sprintf("Only %s with at least one of their %s matching every one of these filters.", things, words(e.Name))
			}
			continue
		}
		op, ok := strings.CutPrefix(f.Name, base)
		text := predicates[op]
		if t := timePredicates[op]; t != "" && f.Type.Name() == "Time" {
			text = t
		}
		if base == "" || !ok || text == "" {
			continue // left for the test to report
		}
		f.Description = fmt.Sprintf(text, "`"+base+"`")
	}
}

// describeDirectives describes gqlgen's directives, which entgql declares.
func describeDirectives(s *ast.Schema) {
	docs := map[string]struct {
		desc string
		args map[string]string
	}{
		"goField": {"Tells gqlgen how to resolve a field in Go; it changes nothing for clients.", map[string]string{
			"forceResolver": "Resolve the field with a resolver method, not the model's struct field.",
			"name":          "The Go struct field or method that holds the field.",
			"omittable":     "Tell an omitted input field from one set to null.",
		}},
		"goModel": {"Tells gqlgen which Go type implements a GraphQL type; it changes nothing for clients.", map[string]string{
			"model":         "The Go type, by package path and name.",
			"models":        "Several Go types that can implement the type.",
			"forceGenerate": "Generate the Go type even though a model is given.",
		}},
	}
	for name, d := range s.Directives {
		doc, ok := docs[name]
		if !ok {
			continue
		}
		// entgql keeps its directives in a package variable: describe copies.
		c := *d
		c.Description = doc.desc
		c.Arguments = make(ast.ArgumentDefinitionList, len(d.Arguments))
		for i, a := range d.Arguments {
			ca := *a
			ca.Description = doc.args[a.Name]
			c.Arguments[i] = &ca
		}
		s.Directives[name] = &c
	}
}

// decodeAnnotation decodes the annotation named name, if any, into v.
func decodeAnnotation(ants gen.Annotations, name string, v any) error {
	a, ok := ants[name]
	if !ok || a == nil {
		return nil
	}
	b, err := json.Marshal(a)
	if err != nil {
		return fmt.Errorf("annotation %s: %w", name, err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("annotation %s: %w", name, err)
	}
	return nil
}

var (
	camel  = gen.Funcs["camel"].(func(string) string)
	plural = gen.Funcs["plural"].(func(string) string)
)

// words spells a type's or edge's name in words: "WebhookCall" is "webhook
// call", "APIToken" "API token", "files" "files".
func words(name string) string {
	var out []string
	start := 0
	upper := func(i int) bool { return name[i] >= 'A' && name[i] <= 'Z' }
	for i := 1; i <= len(name); i++ {
		if i < len(name) && !(upper(i) && (!upper(i-1) || i+1 < len(name) && !upper(i+1))) {
			continue
		}
		w := name[start:i]
		if len(w) == 1 || strings.ToUpper(w) != w {
			w = strings.ToLower(w)
		}
		out = append(out, w)
		start = i
	}
	return strings.Join(out, " ")
}
