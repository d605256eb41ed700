package schema

// EnumDoc documents an enum field in the GraphQL schema: its enum type and
// each of its values, which entgql has no annotation for. The field's own
// Comment documents the field; ent/entc.go copies these into
// graph/ent.graphqls.
type EnumDoc struct {
	// Type describes the enum type.
	Type string
	// Values describes each value, by name.
	Values map[string]string
}

// Name implements schema.Annotation.
func (EnumDoc) Name() string { return "EnumDoc" }
