package sender

import (
	"encoding/base64"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/scoopa/webhooks/internal/problem"
)

// The test vector of the Standard Webhooks specification.
const (
	vectorSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
	vectorMsgID  = "msg_p5jXN8AQM9LWM0D4loKWxJek"
	vectorTS     = 1614265330
	vectorBody   = `{"test": 2432232314}`
	vectorSig    = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
)

const tolerance = 5 * time.Minute

func TestSignStandardWebhooksVector(t *testing.T) {
	got, err := Sign(vectorMsgID, time.Unix(vectorTS, 0), []byte(vectorBody), vectorSecret)
	if err != nil {
		t.Fatal(err)
	}
	if got != vectorSig {
		t.Errorf("Sign %s", diff(vectorSig, got))
	}
	// Receivers' libraries also take the secret without its prefix.
	got, err = Sign(vectorMsgID, time.Unix(vectorTS, 0), []byte(vectorBody), strings.TrimPrefix(vectorSecret, "whsec_"))
	if err != nil || got != vectorSig {
		t.Errorf("Sign without prefix = %q, %v; want %q", got, err, vectorSig)
	}
	if err := Verify(vectorSecret, vectorMsgID, strconv.Itoa(vectorTS), vectorSig, []byte(vectorBody), time.Unix(vectorTS, 0), tolerance); err != nil {
		t.Errorf("Verify(vector) = %v, want nil", err)
	}
}

func TestSignVerifyRoundTrip(t *testing.T) {
	secret := NewSigningSecret()
	now := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	body := []byte(`{"file":{"id":42,"name":"äpfel.pdf"}}`)
	sig, err := Sign("msg_42", now, body, secret)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(sig, "v1,") || strings.Contains(sig, " ") {
		t.Errorf("Sign = %q, want one v1 signature", sig)
	}
	ts := strconv.FormatInt(now.Unix(), 10)
	for _, at := range []time.Time{now, now.Add(tolerance), now.Add(-tolerance), now.Add(999 * time.Millisecond)} {
		if err := Verify(secret, "msg_42", ts, sig, body, at, tolerance); err != nil {
			t.Errorf("Verify at %v = %v, want nil", at.Sub(now), err)
		}
	}
}

func TestSignSeveralSecrets(t *testing.T) {
	oldSecret, newSecret, otherSecret := NewSigningSecret(), NewSigningSecret(), NewSigningSecret()
	now := time.Unix(1700000000, 0)
	body := []byte(`{}`)
	sig, err := Sign("msg_1", now, body, newSecret, oldSecret)
	if err != nil {
		t.Fatal(err)
	}
	parts := strings.Split(sig, " ")
	if len(parts) != 2 {
		t.Fatalf("Sign with two secrets = %q, want two space-separated signatures", sig)
	}
	for i, s := range []string{newSecret, oldSecret} {
		one, _ := Sign("msg_1", now, body, s)
		if parts[i] != one {
			t.Errorf("signature %d %s", i, diff(one, parts[i]))
		}
		if err := Verify(s, "msg_1", "1700000000", sig, body, now, tolerance); err != nil {
			t.Errorf("Verify with secret %d = %v, want nil", i, err)
		}
	}
	if err := Verify(otherSecret, "msg_1", "1700000000", sig, body, now, tolerance); !errors.Is(err, problem.ErrBadSignature) {
		t.Errorf("Verify with a third secret = %v, want problem.ErrBadSignature", err)
	}
	if got, err := Sign("msg_1", now, body); err != nil || got != "" {
		t.Errorf("Sign without secrets = %q, %v; want \"\", nil", got, err)
	}
}

func TestSignBadSecret(t *testing.T) {
	for _, secret := range []string{"whsec_!!!", "whsec_abc", "not base64 at all"} {
		if _, err := Sign("msg_1", time.Unix(1, 0), nil, secret); err == nil {
			t.Errorf("Sign with secret %q = nil error, want an error", secret)
		}
	}
}

func TestVerifyRefuses(t *testing.T) {
	secret := NewSigningSecret()
	now := time.Unix(1700000000, 0)
	body := []byte(`{"file":1}`)
	sig, err := Sign("msg_1", now, body, secret)
	if err != nil {
		t.Fatal(err)
	}
	_, b64, _ := strings.Cut(sig, ",")
	tests := []struct {
		name      string
		secret    string
		msgID     string
		timestamp string
		signature string
		body      string
		now       time.Time
	}{
		{name: "tampered body", body: `{"file":2}`},
		{name: "body with trailing newline", body: "{\"file\":1}\n"},
		{name: "other message id", msgID: "msg_2"},
		{name: "wrong secret", secret: NewSigningSecret()},
		{name: "stale", now: now.Add(tolerance + time.Second)},
		{name: "future", now: now.Add(-tolerance - time.Second)},
		{name: "timestamp not the signed one", timestamp: "1700000001"},
		{name: "timestamp not a number", timestamp: "17e8"},
		{name: "timestamp empty", timestamp: " "},
		{name: "signature empty", signature: " "},
		{name: "no version", signature: b64},
		{name: "version v2", signature: "v2," + b64},
		{name: "version empty", signature: "," + b64},
		{name: "v1 empty", signature: "v1,"},
		{name: "not base64", signature: "v1,!!!" + b64},
		{name: "truncated", signature: sig[:len(sig)-4]},
		{name: "URL base64", signature: "v1," + strings.NewReplacer("+", "-", "/", "_").Replace(b64) + "x"},
		{name: "other signatures only", signature: "v1,AAAA v1a," + b64},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// "" takes the valid value, " " stands for an empty one.
			or := func(v, def string) string {
				switch v {
				case "":
					return def
				case " ":
					return ""
				}
				return v
			}
			at := tt.now
			if at.IsZero() {
				at = now
			}
			err := Verify(or(tt.secret, secret), or(tt.msgID, "msg_1"), or(tt.timestamp, "1700000000"),
				or(tt.signature, sig), []byte(or(tt.body, string(body))), at, tolerance)
			if !errors.Is(err, problem.ErrBadSignature) {
				t.Errorf("Verify = %v, want problem.ErrBadSignature", err)
			}
		})
	}
	// Among other, invalid entries the right one is still found.
	if err := Verify(secret, "msg_1", "1700000000", "v2,xyz v1,!!! "+sig+" v1,AAAA", body, now, tolerance); err != nil {
		t.Errorf("Verify with the right signature among others = %v, want nil", err)
	}
}

func TestNewSigningSecret(t *testing.T) {
	seen := map[string]bool{}
	for range 100 {
		s := NewSigningSecret()
		rest, ok := strings.CutPrefix(s, "whsec_")
		if !ok {
			t.Fatalf("NewSigningSecret() = %q, want the whsec_ prefix", s)
		}
		key, err := base64.StdEncoding.DecodeString(rest)
		if err != nil || len(key) != 24 {
			t.Fatalf("NewSigningSecret() = %q: %d bytes, %v; want 24 bytes of standard base64", s, len(key), err)
		}
		if seen[s] {
			t.Fatalf("NewSigningSecret() returned %q twice", s)
		}
		seen[s] = true
	}
}
