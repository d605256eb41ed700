package webhooks

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Signatures follow the Standard Webhooks scheme
// (https://www.standardwebhooks.com), so receivers can verify calls with
// its libraries: the headers webhook-id, webhook-timestamp and
// webhook-signature, the latter "v1,<base64 HMAC-SHA256>" of
// "{id}.{timestamp}.{body}" keyed by the base64 part of a "whsec_" secret.

const secretPrefix = "whsec_"

// NewSigningSecret returns a fresh random "whsec_" secret (192 bits).
func NewSigningSecret() string {
	b := make([]byte, 24)
	_, _ = rand.Read(b) // crypto/rand.Read never fails
	return secretPrefix + base64.StdEncoding.EncodeToString(b)
}

// Sign returns the webhook-signature value of body for the given secrets:
// one "v1,..." entry per secret, separated by spaces.
func Sign(msgID string, ts time.Time, body []byte, secrets ...string) (string, error) {
	sigs := make([]string, 0, len(secrets))
	for _, s := range secrets {
		key, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(s, secretPrefix))
		if err != nil {
			return "", fmt.Errorf("signing secret: %w", err)
		}
		sigs = append(sigs, "v1,"+base64.StdEncoding.EncodeToString(mac(key, msgID, ts, body)))
	}
	return strings.Join(sigs, " "), nil
}

func mac(key []byte, msgID string, ts time.Time, body []byte) []byte {
	h := hmac.New(sha256.New, key)
	fmt.Fprintf(h, "%s.%d.", msgID, ts.Unix())
	h.Write(body)
	return h.Sum(nil)
}

// ErrBadSignature means a signature or signed link does not verify.
var ErrBadSignature = errors.New("signature does not verify")

// Verify checks a webhook-signature header value against secret, as a
// receiver does. It accepts the call when any v1 signature matches and the
// timestamp is within tolerance of now.
func Verify(secret, msgID, timestamp, signature string, body []byte, now time.Time, tolerance time.Duration) error {
	sec, err := strconv.ParseInt(timestamp, 10, 64)
	if err != nil {
		return fmt.Errorf("webhook-timestamp %q: %w", timestamp, ErrBadSignature)
	}
	ts := time.Unix(sec, 0)
	if d := now.Sub(ts); d > tolerance || d < -tolerance {
		return fmt.Errorf("webhook-timestamp %q is too far from now: %w", timestamp, ErrBadSignature)
	}
	key, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(secret, secretPrefix))
	if err != nil {
		return fmt.Errorf("secret: %w", err)
	}
	want := mac(key, msgID, ts, body)
	for _, part := range strings.Fields(signature) {
		v, sig, ok := strings.Cut(part, ",")
		if !ok || v != "v1" {
			continue
		}
		got, err := base64.StdEncoding.DecodeString(sig)
		if err == nil && hmac.Equal(got, want) {
			return nil
		}
	}
	return ErrBadSignature
}

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
		return fmt.Errorf("expires %q: %w", expires, ErrBadSignature)
	}
	want := s.linkMAC(id, expires)
	if subtle.ConstantTimeCompare([]byte(want), []byte(signature)) != 1 {
		return ErrBadSignature
	}
	if now.Unix() > sec {
		return fmt.Errorf("link expired at %s: %w", time.Unix(sec, 0).UTC().Format(time.RFC3339), ErrBadSignature)
	}
	return nil
}
