package files

import (
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/scoopa/webhooks/internal/problem"
)

// LinkSigner makes and checks the signed download links of files.
type LinkSigner struct {
	key  []byte
	base string
}

// NewLinkSigner returns a signer of links under publicURL keyed by key.
func NewLinkSigner(key []byte, publicURL string) *LinkSigner {
	return &LinkSigner{key: key, base: strings.TrimRight(publicURL, "/")}
}

// DownloadURL returns the link to file id ("sample" for the validation
// sample), valid until expires.
func (s *LinkSigner) DownloadURL(id string, expires time.Time) string {
	exp := strconv.FormatInt(expires.Unix(), 10)
	q := url.Values{"expires": {exp}, "signature": {s.linkMAC(id, exp)}}
	return s.base + "/files/" + url.PathEscape(id) + "/download?" + q.Encode()
}

// CallDownloadURL returns the link to file fileID that delivery call callID
// hands out, valid until expires: the call is in its signed part, so every
// download through it counts as a fetch of that call (Service.RecordFetch).
func (s *LinkSigner) CallDownloadURL(fileID, callID int, expires time.Time) string {
	exp := strconv.FormatInt(expires.Unix(), 10)
	call := strconv.Itoa(callID)
	q := url.Values{"call": {call}, "expires": {exp}, "signature": {s.callMAC(strconv.Itoa(fileID), exp, call)}}
	return s.base + "/files/" + strconv.Itoa(fileID) + "/download?" + q.Encode()
}

func (s *LinkSigner) linkMAC(id, expires string) string {
	h := hmac.New(sha256.New, s.key)
	fmt.Fprintf(h, "download:%s:%s", id, expires)
	return base64.RawURLEncoding.EncodeToString(h.Sum(nil))
}

// callMAC signs a call's link. Its text ends with ":call:" and the call,
// which the text of a link without a call (its expires all digits) never
// does.
func (s *LinkSigner) callMAC(id, expires, call string) string {
	h := hmac.New(sha256.New, s.key)
	fmt.Fprintf(h, "download:%s:%s:call:%s", id, expires, call)
	return base64.RawURLEncoding.EncodeToString(h.Sum(nil))
}

// CheckLink verifies the query of a download link for file id at time now
// (expires, signature, and call if the link is a call's) and answers the
// call it names, 0 for a link without one (the links of the API, the
// validation sample, and those of calls sent before links named calls).
func (s *LinkSigner) CheckLink(id string, query url.Values, now time.Time) (int, error) {
	if !query.Has("call") {
		return 0, s.CheckDownload(id, query.Get("expires"), query.Get("signature"), now)
	}
	call, expires := query.Get("call"), query.Get("expires")
	callID, err := strconv.Atoi(call)
	if err != nil || callID <= 0 || strconv.Itoa(callID) != call {
		return 0, fmt.Errorf("call %q: %w", call, problem.ErrBadSignature)
	}
	sec, err := strconv.ParseInt(expires, 10, 64)
	if err != nil || sec <= 0 {
		return 0, fmt.Errorf("expires %q: %w", expires, problem.ErrBadSignature)
	}
	if subtle.ConstantTimeCompare([]byte(s.callMAC(id, expires, call)), []byte(query.Get("signature"))) != 1 {
		return 0, problem.ErrBadSignature
	}
	if now.Unix() > sec {
		return 0, fmt.Errorf("link expired at %s: %w", time.Unix(sec, 0).UTC().Format(time.RFC3339), problem.ErrBadSignature)
	}
	return callID, nil
}

// CheckDownload verifies the expires and signature query values of a
// download link for file id at time now.
func (s *LinkSigner) CheckDownload(id, expires, signature string, now time.Time) error {
	sec, err := strconv.ParseInt(expires, 10, 64)
	if err != nil || sec <= 0 {
		return fmt.Errorf("expires %q: %w", expires, problem.ErrBadSignature)
	}
	want := s.linkMAC(id, expires)
	if subtle.ConstantTimeCompare([]byte(want), []byte(signature)) != 1 {
		return problem.ErrBadSignature
	}
	if now.Unix() > sec {
		return fmt.Errorf("link expired at %s: %w", time.Unix(sec, 0).UTC().Format(time.RFC3339), problem.ErrBadSignature)
	}
	return nil
}
