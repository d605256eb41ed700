package main

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// validationOrigin is the origin of the server's validation calls, which
// are answered 200 and not counted (webhooks.ValidationOrigin).
const validationOrigin = "scoopa - endpoint validation test"

// maxBody bounds how much of a request body the receiver reads.
const maxBody = 1 << 20

// arrival is one delivery request that reached the receiver.
type arrival struct {
	hook   int       // index of the webhook, from the path /hook/<index>
	fileID string    // file_id of the payload
	msgID  string    // webhook-id header: the same for every attempt of a call
	at     time.Time // when it arrived
	status int       // what the receiver answered
}

// receiver is the webhooks' target. It answers at once and records what
// arrived; with failFirst, the first attempt of every call (identified by
// its webhook-id) gets a 500.
type receiver struct {
	failFirst bool
	limit     int // arrivals recorded at most; more are only counted

	mu          sync.Mutex
	arrivals    []arrival
	failed      map[string]bool // webhook-ids that got their deliberate 500
	delivered   int             // arrivals answered 200
	validations int
	malformed   int // requests that were not deliveries of this test
	dropped     int // arrivals beyond limit
}

func newReceiver(failFirst bool, limit int) *receiver {
	return &receiver{failFirst: failFirst, limit: limit, failed: map[string]bool{}}
}

func (rc *receiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBody))
	hook, okPath := hookIndex(r.URL.Path)
	var p struct {
		Origin string          `json:"origin"`
		FileID json.RawMessage `json:"file_id"`
	}
	if err != nil || r.Method != http.MethodPost || !okPath || json.Unmarshal(body, &p) != nil {
		rc.mu.Lock()
		rc.malformed++
		rc.mu.Unlock()
		http.Error(w, "not a delivery of this load test", http.StatusBadRequest)
		return
	}
	if p.Origin == validationOrigin {
		rc.mu.Lock()
		rc.validations++
		rc.mu.Unlock()
		w.WriteHeader(http.StatusOK)
		return
	}
	a := arrival{hook: hook, fileID: normalizeID(p.FileID), msgID: r.Header.Get("webhook-id"), status: http.StatusOK}
	rc.mu.Lock()
	a.at = time.Now() // under the lock, so that arrivals are in time order
	if rc.failFirst && !rc.failed[a.msgID] {
		rc.failed[a.msgID] = true
		a.status = http.StatusInternalServerError
	} else {
		rc.delivered++
	}
	if len(rc.arrivals) < rc.limit {
		rc.arrivals = append(rc.arrivals, a)
	} else {
		rc.dropped++
	}
	rc.mu.Unlock()
	w.WriteHeader(a.status)
}

// hookIndex parses /hook/<index>.
func hookIndex(path string) (int, bool) {
	s, ok := strings.CutPrefix(path, "/hook/")
	if !ok {
		return 0, false
	}
	n, err := strconv.Atoi(s)
	return n, err == nil && n >= 0
}

// normalizeID turns a JSON number or string into the ID's text.
func normalizeID(raw json.RawMessage) string {
	raw = bytes.TrimSpace(raw)
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	return string(raw)
}

// deliveredCount is the number of arrivals answered 200 so far.
func (rc *receiver) deliveredCount() int {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return rc.delivered
}

// receiverStats is a copy of what the receiver recorded.
type receiverStats struct {
	arrivals    []arrival
	validations int
	malformed   int
	dropped     int
}

func (rc *receiver) snapshot() receiverStats {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return receiverStats{
		arrivals:    append([]arrival(nil), rc.arrivals...),
		validations: rc.validations,
		malformed:   rc.malformed,
		dropped:     rc.dropped,
	}
}
