// Package problem holds the errors every layer speaks: a missing object, a
// refused input naming its field, missing or insufficient credentials. The
// GraphQL and HTTP layers map them to codes and statuses in one place;
// anything else is an internal error. StoreError turns ent's errors into
// these, so that nothing above the domain needs to know ent.
package problem

import (
	"errors"
	"fmt"
	"strings"
	"unicode"

	"github.com/scoopa/webhooks/ent"
	"github.com/scoopa/webhooks/ent/migrate"
)

// Sentinel errors. The GraphQL layer maps them to error codes
// in one place; anything else is an internal error.
var (
	// ErrNotFound means the named object does not exist.
	ErrNotFound = errors.New("not found")
	// ErrInvalidInput means the caller's input was refused; nothing was written.
	ErrInvalidInput = errors.New("invalid input")
	// ErrUnauthenticated means no valid credentials were given.
	ErrUnauthenticated = errors.New("unauthenticated")
	// ErrForbidden means the credentials do not allow the operation.
	ErrForbidden = errors.New("forbidden")
	// ErrBadSignature means a signature or signed link does not verify.
	ErrBadSignature = errors.New("signature does not verify")
)

// InputError is an ErrInvalidInput that names the input field at fault.
type InputError struct {
	Field   string
	Message string
}

func (e *InputError) Error() string { return e.Field + ": " + e.Message }

// Is makes errors.Is(err, ErrInvalidInput) true.
func (e *InputError) Is(target error) bool { return target == ErrInvalidInput }

// Invalid is an InputError on field, its message formatted as by fmt.Sprintf.
func Invalid(field, format string, args ...any) error {
	return &InputError{Field: field, Message: fmt.Sprintf(format, args...)}
}

// InputErrors are several InputErrors of one input, in the order of its
// fields, so that a form can show each next to its field.
type InputErrors []*InputError

func (e InputErrors) Error() string {
	msgs := make([]string, len(e))
	for i, ie := range e {
		msgs[i] = ie.Error()
	}
	return strings.Join(msgs, "; ")
}

// Is makes errors.Is(err, ErrInvalidInput) true.
func (e InputErrors) Is(target error) bool { return target == ErrInvalidInput }

// Gather gathers the input errors of errs (nil ones are skipped) into nil,
// the one InputError, or InputErrors. Other errors are returned first.
func Gather(errs ...error) error {
	var all InputErrors
	for _, err := range errs {
		var one *InputError
		var many InputErrors
		switch {
		case err == nil:
		case errors.As(err, &many):
			all = append(all, many...)
		case errors.As(err, &one):
			all = append(all, one)
		default:
			return err
		}
	}
	switch len(all) {
	case 0:
		return nil
	case 1:
		return all[0]
	}
	return all
}

// NotFoundError is an ErrNotFound that names what was looked for: "no
// webhook with ID 12884901889".
type NotFoundError struct {
	What string // "webhook", "folder", ...; "object" when unknown
	ID   any
}

func (e *NotFoundError) Error() string { return fmt.Sprintf("no %s with ID %v", e.What, e.ID) }

// Is makes errors.Is(err, ErrNotFound) true.
func (e *NotFoundError) Is(target error) bool { return target == ErrNotFound }

// NotFound is a NotFoundError: "no <what> with ID <id>".
func NotFound(what string, id any) error { return &NotFoundError{What: what, ID: id} }

// idKinds names the object types by table, as messages say them.
var idKinds = map[string]string{
	"api_tokens": "API token", "files": "file", "folders": "folder", "webhooks": "webhook",
	"webhook_calls": "webhook call", "webhook_call_attempts": "webhook call attempt",
	"webhook_headers": "webhook header", "uploads": "upload", "webhook_stats": "webhook stats",
	"sessions": "session", "audit_entries": "audit entry",
}

// KindOfID names the type of object an ID belongs to ("webhook"), or
// returns "object" when the ID is in no type's range. IDs are global: each
// type has its own range of 1<<32 IDs (ent's universal IDs).
func KindOfID(id int) string {
	for _, t := range migrate.Tables {
		if t.Annotation == nil || t.Annotation.IncrementStart == nil {
			continue
		}
		if start := *t.Annotation.IncrementStart; id >= start && id-start < 1<<32 {
			if k, ok := idKinds[t.Name]; ok {
				return k
			}
		}
	}
	return "object"
}

// NoObject is the error for an ID that names no object: "no webhook with ID
// 12884901889" when the ID is in the range of webhooks.
func NoObject(id int) error { return &NotFoundError{What: KindOfID(id), ID: id} }

// StoreError translates an error of the store (ent) into the domain's, so
// that no layer above the domain needs to know ent: a missing row is an
// ErrNotFound, a value a schema validator refused is an InputError naming
// the field (the domain's own checks should have caught it first), and an
// empty nested filter (such as not: {}) is an InputError on "where". Any
// other error, the domain's included, is returned as it is; nil stays nil.
func StoreError(err error) error {
	var valErr *ent.ValidationError
	switch {
	case err == nil:
		return nil
	case errors.Is(err, ErrNotFound), errors.Is(err, ErrInvalidInput):
		return err // the domain's already
	case errors.As(err, &valErr):
		return &InputError{Field: lowerCamel(valErr.Name), Message: "is not a valid value (too long, or not allowed)"}
	case ent.IsNotFound(err):
		return ErrNotFound
	case emptyWhere(err):
		return &InputError{Field: "where", Message: "an empty filter (such as not: {}) matches nothing; leave it out"}
	}
	return err
}

// emptyWhere reports ent's error for an empty nested filter.
func emptyWhere(err error) bool {
	for _, target := range []error{ent.ErrEmptyFileWhereInput, ent.ErrEmptyFolderWhereInput,
		ent.ErrEmptyWebhookWhereInput, ent.ErrEmptyWebhookCallWhereInput} {
		if errors.Is(err, target) {
			return true
		}
	}
	return false
}

// lowerCamel turns ent's field names (content_type) into the API's
// (contentType).
func lowerCamel(s string) string {
	parts := strings.Split(s, "_")
	for i := 1; i < len(parts); i++ {
		if r := []rune(parts[i]); len(r) > 0 {
			r[0] = unicode.ToUpper(r[0])
			parts[i] = string(r)
		}
	}
	return strings.Join(parts, "")
}
