package testenv

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"
)

// Received is a request a Receiver recorded.
type Received struct {
	Header http.Header
	Body   []byte
	At     time.Time
}

// JSON decodes the body.
func (r Received) JSON(t testing.TB) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(r.Body, &m); err != nil {
		t.Fatalf("receiver got a body that is not JSON: %q", r.Body)
	}
	return m
}

// IsValidation reports whether the request was a validation call.
func (r Received) IsValidation() bool {
	var m struct {
		Origin string `json:"origin"`
	}
	_ = json.Unmarshal(r.Body, &m)
	return m.Origin == "scoopa - endpoint validation test"
}

// Receiver is an httptest server that records webhook calls and answers
// with a scripted status. Validation calls are answered by Validate (200
// unless set) and recorded apart.
type Receiver struct {
	*httptest.Server
	mu          sync.Mutex
	deliveries  []Received
	validations []Received
	// Script returns the status for the n-th delivery (from 1), and may
	// sleep or write a body. If nil, 200.
	Script func(n int, w http.ResponseWriter) int
	// ValidateStatus answers validation calls. If zero, 200.
	ValidateStatus int
	notify         chan struct{}
}

// NewReceiver starts a Receiver, closed when the test ends.
func NewReceiver(t testing.TB) *Receiver {
	rc := &Receiver{notify: make(chan struct{}, 1)}
	rc.Server = httptest.NewServer(http.HandlerFunc(rc.serve))
	t.Cleanup(rc.Close)
	return rc
}

func (rc *Receiver) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	rec := Received{Header: r.Header.Clone(), Body: body, At: time.Now()}
	rc.mu.Lock()
	if rec.IsValidation() {
		rc.validations = append(rc.validations, rec)
		st := rc.ValidateStatus
		rc.mu.Unlock()
		if st == 0 {
			st = 200
		}
		w.WriteHeader(st)
		return
	}
	rc.deliveries = append(rc.deliveries, rec)
	n, script := len(rc.deliveries), rc.Script
	rc.mu.Unlock()
	select {
	case rc.notify <- struct{}{}:
	default:
	}
	status := 200
	if script != nil {
		status = script(n, w)
	}
	if status != 0 {
		w.WriteHeader(status)
	}
}

// Deliveries returns the delivery calls received so far.
func (rc *Receiver) Deliveries() []Received {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return append([]Received(nil), rc.deliveries...)
}

// Validations returns the validation calls received so far.
func (rc *Receiver) Validations() []Received {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return append([]Received(nil), rc.validations...)
}

// SetScript replaces the script.
func (rc *Receiver) SetScript(f func(n int, w http.ResponseWriter) int) {
	rc.mu.Lock()
	rc.Script = f
	rc.mu.Unlock()
}

// Eventually polls cond every 20ms until it holds or timeout passes.
func Eventually(t testing.TB, timeout time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %s waiting for %s", timeout, what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
