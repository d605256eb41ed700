package problem

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"syscall"

	"github.com/lib/pq"
)

// The dependencies an UnavailableError names.
const (
	Database    = "database"
	Redis       = "redis"
	ObjectStore = "object store"
)

// UnavailableError means a dependency (Database, Redis, ObjectStore) could
// not be reached: the request may succeed once it is back, and nothing is
// wrong with the request itself.
type UnavailableError struct {
	Dependency string
	Err        error
}

func (e *UnavailableError) Error() string {
	if e.Err == nil {
		return e.Dependency + " unavailable"
	}
	return e.Dependency + " unavailable: " + e.Err.Error()
}

func (e *UnavailableError) Unwrap() error { return e.Err }

// Unavailable wraps err as an UnavailableError of dependency, unless it is
// one already (the dependency first named is kept).
func Unavailable(dependency string, err error) error {
	var u *UnavailableError
	if errors.As(err, &u) {
		return err
	}
	return &UnavailableError{Dependency: dependency, Err: err}
}

// ErrDiskFull means the server's disk (its data dir) has no space left.
var ErrDiskFull = errors.New("no space left on the server's disk")

// DiskFull reports an error of a write that found the disk full (ENOSPC)
// or over its quota (EDQUOT).
func DiskFull(err error) bool {
	return err != nil && (errors.Is(err, ErrDiskFull) || errors.Is(err, syscall.ENOSPC) || errors.Is(err, syscall.EDQUOT))
}

// ConnectionFailed reports an error of reaching a service over the
// network rather than of what was asked: the connection refused, reset or
// timed out, the address not resolved, a pooled connection found broken.
// The wrappers of each dependency (the PostgreSQL connector, the Redis
// hook, the object store) turn such errors into UnavailableErrors naming
// themselves. The caller's own context ending is not one.
func ConnectionFailed(err error) bool {
	if err == nil {
		return false
	}
	var opErr *net.OpError
	var dnsErr *net.DNSError
	switch {
	case errors.As(err, &opErr), errors.As(err, &dnsErr):
		return true
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return false
	case errors.Is(err, driver.ErrBadConn), errors.Is(err, net.ErrClosed):
		return true
	}
	for _, errno := range []syscall.Errno{syscall.ECONNREFUSED, syscall.ECONNRESET, syscall.ECONNABORTED,
		syscall.EPIPE, syscall.ETIMEDOUT, syscall.EHOSTUNREACH, syscall.ENETUNREACH, syscall.EHOSTDOWN} {
		if errors.Is(err, errno) {
			return true
		}
	}
	var netErr net.Error
	return errors.As(err, &netErr) && netErr.Timeout()
}

// AsUnavailable returns the UnavailableError behind err: one a wrapper made,
// or PostgreSQL's own word that it cannot serve (connection exceptions, a
// server shutting down or starting up).
func AsUnavailable(err error) (*UnavailableError, bool) {
	var u *UnavailableError
	if errors.As(err, &u) {
		return u, true
	}
	var pqErr *pq.Error
	if errors.As(err, &pqErr) {
		code := string(pqErr.Code)
		if strings.HasPrefix(code, "08") || code == "57P01" || code == "57P02" || code == "57P03" {
			return &UnavailableError{Dependency: Database, Err: err}, true
		}
	}
	return nil, false
}

// RetryAfter is the Retry-After (seconds) of an answer 503 for a dependency
// unavailable.
const RetryAfter = "5"

// Outage is how an error of an unavailable dependency or of a full disk is
// answered: an HTTP status, an error code, the dependency at fault and a
// sentence for the user that names it (and never its address).
type Outage struct {
	// Status is 503 (Service Unavailable) for a dependency, 507
	// (Insufficient Storage) for a full disk.
	Status int
	// Code is DEPENDENCY_UNAVAILABLE or INSUFFICIENT_STORAGE.
	Code string
	// Dependency is Database, Redis or ObjectStore; empty for a full disk.
	Dependency string
	// Message says what is wrong and that retrying later may help.
	Message string
	// RetryAfter is the value of the Retry-After header; empty for none.
	RetryAfter string
}

// OutageOf classifies err in one place: an unavailable dependency (see
// AsUnavailable), a full disk (DiskFull), or neither (false).
func OutageOf(err error) (Outage, bool) {
	if err == nil {
		return Outage{}, false
	}
	if u, ok := AsUnavailable(err); ok {
		return UnavailableOutage(u.Dependency), true
	}
	if DiskFull(err) {
		return Outage{Status: http.StatusInsufficientStorage, Code: "INSUFFICIENT_STORAGE",
			Message: "the server's disk is full: nothing more can be stored until space is freed"}, true
	}
	return Outage{}, false
}

// UnavailableOutage is the answer for dependency unavailable.
func UnavailableOutage(dependency string) Outage {
	return Outage{Status: http.StatusServiceUnavailable, Code: "DEPENDENCY_UNAVAILABLE", Dependency: dependency,
		Message: fmt.Sprintf("the %s is unavailable; retry later", dependencyName(dependency)), RetryAfter: RetryAfter}
}

// dependencyName is how a message names a dependency: "the database",
// "the Redis server", "the object store".
func dependencyName(d string) string {
	if d == Redis {
		return "Redis server"
	}
	return d
}

// JSON is the body of an HTTP answer of the outage, shaped as the API's
// other errors: {"error": message, "code": ..., "dependency": ...}.
func (o Outage) JSON() map[string]string {
	m := map[string]string{"error": o.Message, "code": o.Code}
	if o.Dependency != "" {
		m["dependency"] = o.Dependency
	}
	return m
}

// IsUnavailable reports whether err is an UnavailableError of dependency.
func IsUnavailable(err error, dependency string) bool {
	u, ok := AsUnavailable(err)
	return ok && u.Dependency == dependency
}
