package sender

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/scoopa/webhooks/internal/problem"
)

// Signatures follow the Standard Webhooks scheme
// (https://www.standardwebhooks.com), so receivers can verify calls with
// its libraries: the headers webhook-id, webhook-timestamp and
// webhook-signature, the latter "v1,<base64 HMAC-SHA256>" of
// "{id}.{timestamp}.{body}" keyed by the base64 part of a "whsec_" secret.

// SecretPrefix starts every signing secret.
const SecretPrefix = "whsec_"

// NewSigningSecret returns a fresh random "whsec_" secret (192 bits).
func NewSigningSecret() string {
	b := make([]byte, 24)
	_, _ = rand.Read(b) // crypto/rand.Read never fails
	return SecretPrefix + base64.StdEncoding.EncodeToString(b)
}

// Sign returns the webhook-signature value of body for the given secrets:
// one "v1,..." entry per secret, separated by spaces.
func Sign(msgID string, ts time.Time, body []byte, secrets ...string) (string, error) {
	sigs := make([]string, 0, len(secrets))
	for _, s := range secrets {
		key, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(s, SecretPrefix))
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

// Verify checks a webhook-signature header value against secret, as a
// receiver does. It accepts the call when any v1 signature matches and the
// timestamp is within tolerance of now.
func Verify(secret, msgID, timestamp, signature string, body []byte, now time.Time, tolerance time.Duration) error {
	sec, err := strconv.ParseInt(timestamp, 10, 64)
	if err != nil {
		return fmt.Errorf("webhook-timestamp %q: %w", timestamp, problem.ErrBadSignature)
	}
	ts := time.Unix(sec, 0)
	if d := now.Sub(ts); d > tolerance || d < -tolerance {
		return fmt.Errorf("webhook-timestamp %q is too far from now: %w", timestamp, problem.ErrBadSignature)
	}
	key, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(secret, SecretPrefix))
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
	return problem.ErrBadSignature
}
