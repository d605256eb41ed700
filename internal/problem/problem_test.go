package problem_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"strings"
	"syscall"
	"testing"

	"github.com/lib/pq"

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

// OutageOf classifies in one place: an unavailable dependency is 503 with
// Retry-After naming it, a full disk 507, anything else no outage.
func TestOutageOf(t *testing.T) {
	refused := &net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED}
	for _, tc := range []struct {
		name       string
		err        error
		status     int
		dependency string
	}{
		{"redis", fmt.Errorf("enqueue: %w", problem.Unavailable(problem.Redis, refused)), 503, "redis"},
		{"first name kept", problem.Unavailable(problem.ObjectStore, problem.Unavailable(problem.Database, refused)), 503, "database"},
		{"postgres starting", &pq.Error{Code: "57P03"}, 503, "database"},
		{"postgres connection lost", fmt.Errorf("q: %w", &pq.Error{Code: "08006"}), 503, "database"},
		{"ENOSPC", fmt.Errorf("spool: %w", &os.PathError{Op: "write", Path: "x", Err: syscall.ENOSPC}), 507, ""},
		{"EDQUOT", &os.PathError{Op: "write", Path: "x", Err: syscall.EDQUOT}, 507, ""},
		{"bare connection error", refused, 0, ""},
		{"statement timeout", &pq.Error{Code: "57014"}, 0, ""},
		{"other", errors.New("boom"), 0, ""},
	} {
		o, ok := problem.OutageOf(tc.err)
		if ok != (tc.status != 0) || o.Status != tc.status || o.Dependency != tc.dependency {
			t.Errorf("%s: %+v %v, want status %d dependency %q", tc.name, o, ok, tc.status, tc.dependency)
		}
		if o.Status == 503 && (o.RetryAfter == "" || !strings.Contains(strings.ToLower(o.Message), tc.dependency)) {
			t.Errorf("%s: %+v: a 503 names its dependency and says when to retry", tc.name, o)
		}
	}
	if !problem.ConnectionFailed(refused) || problem.ConnectionFailed(context.Canceled) || problem.ConnectionFailed(errors.New("boom")) {
		t.Error("ConnectionFailed: a refused dial is one, a canceled context or another error is not")
	}
}
