package graph

import (
	"strings"
	"testing"

	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/parser"
	"github.com/vektah/gqlparser/v2/validator"
)

// hostileQueries are the most expensive shapes to parse and validate that
// pass the default query limits (DefaultMaxQueryBytes, DefaultMaxQueryTokens), and the
// attack's query, which does not.
func hostileQueries() map[string]string {
	const tokens = DefaultMaxQueryTokens
	var frag strings.Builder
	frag.WriteString("{ viewer { ")
	for range 300 { // each spread is two tokens
		frag.WriteString("...F ")
	}
	frag.WriteString("} } fragment F on Viewer { ")
	frag.WriteString(strings.Repeat("role ", tokens-300*2-12))
	frag.WriteString("}")
	return map[string]string{
		// One field repeated: validation compares every pair.
		"repeated field": "{ viewer { " + strings.Repeat("role ", tokens-6) + "} }",
		// Repeated fields with selections: pairs compare their selections.
		"repeated object": "{ " + strings.Repeat("viewer { role } ", (tokens-2)/4) + "}",
		// A fragment of repeated fields, spread repeatedly.
		"spread fragment": frag.String(),
		// The attack: 30,000 repeats, 150 KB; refused before parsing.
		"attack (refused)": "{ viewer { " + strings.Repeat("role ", 30000) + "} }",
	}
}

// BenchmarkHostileQuery measures what the server does with the most
// expensive queries the default limits let through, up to and including
// validation, and with the attack's query, which the size check refuses.
//
//	go test ./graph -run '^$' -bench HostileQuery -benchtime 10x
func BenchmarkHostileQuery(b *testing.B) {
	schema := NewExecutableSchema(Config{Resolvers: &Resolver{}}).Schema()
	for name, q := range hostileQueries() {
		b.Run(name, func(b *testing.B) {
			refused := false
			for b.Loop() {
				if err := checkQuerySize(q, DefaultMaxQueryBytes, DefaultMaxQueryTokens); err != nil {
					refused = true
					continue
				}
				doc, err := parser.ParseQuery(&ast.Source{Input: q})
				if err != nil {
					b.Fatal(err)
				}
				if errs := validator.Validate(schema, doc); len(errs) > 0 {
					b.Fatal(errs)
				}
			}
			if refused != strings.Contains(name, "refused") {
				b.Fatalf("refused = %v", refused)
			}
		})
	}
}
