package worker

import (
	"errors"
	"fmt"
)

// Sentinel errors of the domain. The GraphQL layer maps them to error codes
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
)

// InputError is an ErrInvalidInput that names the input field at fault.
type InputError struct {
	Field   string
	Message string
}

func (e *InputError) Error() string { return e.Field + ": " + e.Message }

// Is makes errors.Is(err, ErrInvalidInput) true.
func (e *InputError) Is(target error) bool { return target == ErrInvalidInput }

func invalid(field, format string, args ...any) error {
	return &InputError{Field: field, Message: fmt.Sprintf(format, args...)}
}

// NotFoundError is an ErrNotFound that names what was looked for.
type NotFoundError struct {
	What string
	ID   any
}

func (e *NotFoundError) Error() string { return fmt.Sprintf("%s %v not found", e.What, e.ID) }

// Is makes errors.Is(err, ErrNotFound) true.
func (e *NotFoundError) Is(target error) bool { return target == ErrNotFound }

func notFound(what string, id any) error { return &NotFoundError{What: what, ID: id} }
