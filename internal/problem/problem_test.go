package problem_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/scoopa/webhooks/ent"
	"github.com/scoopa/webhooks/internal/problem"
)

// StoreError turns ent's errors into the domain's, so that nothing above
// the domain needs to know ent: a missing row is ErrNotFound, a value a
// schema validator refused is an InputError on its field, an empty nested
// filter an InputError on "where"; anything else stays as it is.
func TestStoreErrorTranslatesEnt(t *testing.T) {
	constraint := fmt.Errorf("save: %w", &ent.ConstraintError{})
	input := &problem.InputError{Field: "name", Message: "is empty"}
	for _, tc := range []struct {
		name      string
		err       error
		wantIs    error  // errors.Is(got, wantIs)
		wantField string // the InputError's field, if any
	}{
		{"validation", fmt.Errorf("upload: %w", &ent.ValidationError{Name: "content_type"}), problem.ErrInvalidInput, "contentType"},
		{"not found", fmt.Errorf("load: %w", &ent.NotFoundError{}), problem.ErrNotFound, ""},
		{"empty nested filter", fmt.Errorf("%w: field 'not'", ent.ErrEmptyWebhookCallWhereInput), problem.ErrInvalidInput, "where"},
		{"empty folder filter", ent.ErrEmptyFolderWhereInput, problem.ErrInvalidInput, "where"},
		{"constraint stays", constraint, constraint, ""},
		{"domain error stays", input, input, "name"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := problem.StoreError(tc.err)
			if !errors.Is(got, tc.wantIs) {
				t.Errorf("StoreError(%v) = %v, want one that is %v", tc.err, got, tc.wantIs)
			}
			var in *problem.InputError
			if tc.wantField != "" && (!errors.As(got, &in) || in.Field != tc.wantField) {
				t.Errorf("StoreError(%v) = %v, want an InputError on %q", tc.err, got, tc.wantField)
			}
			if tc.wantIs != tc.err && strings.Contains(got.Error(), "ent:") {
				t.Errorf("StoreError(%v) = %q, which still speaks of ent", tc.err, got)
			}
		})
	}
	if problem.StoreError(nil) != nil {
		t.Error("StoreError(nil) is not nil")
	}
}
