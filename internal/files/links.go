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

func (s *LinkSigner) linkMAC(id, expires string) string {
	h := hmac.New(sha256.New, s.key)
	fmt.Fprintf(h, "download:%s:%s", id, expires)
	return base64.RawURLEncoding.EncodeToString(h.Sum(nil))
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
