package graph

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"strings"
	"syscall"
	"testing"

	"github.com/lib/pq"

	"github.com/scoopa/webhooks/ent"
	"github.com/scoopa/webhooks/internal/problem"
)

// TestErrorPresenterHidesLowerLayers feeds errors of ent, wrapped as they
// travel up, through the domain's translation (problem.StoreError, which the
// domain and the handler's field middleware apply) to the presenter, and
// checks the answers name no layer below the domain.
func TestErrorPresenterHidesLowerLayers(t *testing.T) {
	t.Parallel()
	present := errorPresenter(slog.New(slog.DiscardHandler))
	for _, tc := range []struct {
		name, code, want string
		err              error
	}{
		{"validation", "BAD_USER_INPUT", "contentType: is not a valid value", fmt.Errorf("upload: %w", &ent.ValidationError{Name: "content_type"})},
		{"not found", "NOT_FOUND", "the object asked for does not exist", fmt.Errorf("load: %w", &ent.NotFoundError{})},
		{"constraint", "INTERNAL_SERVER_ERROR", "internal error", fmt.Errorf("save: %w", &ent.ConstraintError{})},
		{"not loaded", "INTERNAL_SERVER_ERROR", "internal error", &ent.NotLoadedError{}},
		{"empty nested filter", "BAD_USER_INPUT", "where: an empty filter", fmt.Errorf("%w: field 'not'", ent.ErrEmptyWebhookCallWhereInput)},
		{"domain not found", "NOT_FOUND", "no webhook with ID 12884901999", fmt.Errorf("update webhook 12884901999: %w", problem.NoObject(12884901999))},
		{"ID of no type", "NOT_FOUND", "no object with ID 999999999999999", problem.NoObject(999999999999999)},
		{"bare sentinel", "NOT_FOUND", "the object asked for does not exist", fmt.Errorf("x: %w", problem.ErrNotFound)},
		{"plain error", "INTERNAL_SERVER_ERROR", "internal error", errors.New(`pq: relation "webhooks" does not exist`)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := present(context.Background(), problem.StoreError(tc.err))
			if e.Extensions["code"] != tc.code || !strings.HasPrefix(e.Message, tc.want) {
				t.Errorf("presented %q %v, want %s %q", e.Message, e.Extensions["code"], tc.code, tc.want)
			}
			if strings.Contains(e.Message, "ent:") || strings.Contains(e.Message, "pq:") {
				t.Errorf("message %q leaks a lower layer", e.Message)
			}
		})
	}
}

// The presenter knows only the domain's errors: an error of ent that
// escaped the translation is an internal error (logged), as any other.
func TestErrorPresenterKnowsOnlyDomainErrors(t *testing.T) {
	t.Parallel()
	present := errorPresenter(slog.New(slog.DiscardHandler))
	for _, err := range []error{
		&ent.ValidationError{Name: "content_type"},
		&ent.NotFoundError{},
		ent.ErrEmptyWebhookCallWhereInput,
	} {
		e := present(context.Background(), err)
		if e.Extensions["code"] != "INTERNAL_SERVER_ERROR" || e.Message != "internal error" {
			t.Errorf("%T presented as %q %v, want an internal error: the domain translates ent's errors", err, e.Message, e.Extensions["code"])
		}
	}
}

// Outages are not internal errors: a dependency out of reach is
// DEPENDENCY_UNAVAILABLE naming it in extensions.dependency, a full disk
// INSUFFICIENT_STORAGE, however deep the cause is wrapped.
func TestErrorPresenterNamesOutages(t *testing.T) {
	t.Parallel()
	present := errorPresenter(slog.New(slog.DiscardHandler))
	refused := &net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED}
	for _, tc := range []struct {
		name, code, dependency string
		err                    error
	}{
		{"database", "DEPENDENCY_UNAVAILABLE", "database", fmt.Errorf("list folders: %w", problem.Unavailable(problem.Database, refused))},
		{"postgres shutting down", "DEPENDENCY_UNAVAILABLE", "database", fmt.Errorf("x: %w", &pq.Error{Code: "57P01"})},
		{"redis", "DEPENDENCY_UNAVAILABLE", "redis", problem.Unavailable(problem.Redis, refused)},
		{"object store", "DEPENDENCY_UNAVAILABLE", "object store", fmt.Errorf("upload: %w", problem.Unavailable(problem.ObjectStore, refused))},
		{"disk full", "INSUFFICIENT_STORAGE", "", fmt.Errorf("upload: %w", &os.PathError{Op: "write", Path: "/data/tmp/x", Err: syscall.ENOSPC})},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := present(context.Background(), problem.StoreError(tc.err))
			if e.Extensions["code"] != tc.code || (tc.dependency != "" && e.Extensions["dependency"] != tc.dependency) {
				t.Errorf("presented %q %v, want %s naming %q", e.Message, e.Extensions, tc.code, tc.dependency)
			}
			if strings.Contains(e.Message, "127.0.0.1") || strings.Contains(e.Message, "/data/") || strings.Contains(e.Message, "pq:") {
				t.Errorf("message %q leaks an address or a path", e.Message)
			}
		})
	}
}
