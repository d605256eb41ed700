package webhooks

import (
	"encoding/base64"
	"errors"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"
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
	if err := Verify(otherSecret, "msg_1", "1700000000", sig, body, now, tolerance); !errors.Is(err, ErrBadSignature) {
		t.Errorf("Verify with a third secret = %v, want ErrBadSignature", err)
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
			if !errors.Is(err, ErrBadSignature) {
				t.Errorf("Verify = %v, want ErrBadSignature", err)
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

// linkParts splits a DownloadURL link into the values CheckDownload takes.
func linkParts(t testing.TB, base, link string) (id, expires, signature string) {
	t.Helper()
	rest, ok := strings.CutPrefix(link, base+"/files/")
	if !ok {
		t.Fatalf("link %q does not start with %q", link, base+"/files/")
	}
	escID, query, ok := strings.Cut(rest, "/download?")
	if !ok {
		t.Fatalf("link %q has no /download?", link)
	}
	id, err := url.PathUnescape(escID)
	if err != nil {
		t.Fatalf("link %q: id: %v", link, err)
	}
	q, err := url.ParseQuery(query)
	if err != nil {
		t.Fatalf("link %q: query: %v", link, err)
	}
	return id, q.Get("expires"), q.Get("signature")
}

func TestLinkSigner(t *testing.T) {
	const base = "https://files.example.test"
	key := []byte("0123456789abcdef0123456789abcdef")
	ls := NewLinkSigner(key, base+"/") // the trailing slash is dropped
	now := time.Unix(1700000000, 0)
	exp := now.Add(time.Hour)
	link := ls.DownloadURL("42", exp)
	if _, err := url.Parse(link); err != nil {
		t.Fatalf("DownloadURL = %q: %v", link, err)
	}
	id, expires, sig := linkParts(t, base, link)
	if id != "42" || expires != "1700003600" || sig == "" {
		t.Fatalf("DownloadURL = %q: id %q, expires %q, signature %q", link, id, expires, sig)
	}
	if err := ls.CheckDownload(id, expires, sig, now); err != nil {
		t.Errorf("CheckDownload(valid link) = %v, want nil", err)
	}
	if err := ls.CheckDownload(id, expires, sig, exp); err != nil {
		t.Errorf("CheckDownload at the expiry second = %v, want nil", err)
	}
	flip := func(s string) string {
		c := byte('A')
		if s[len(s)-1] == 'A' {
			c = 'B'
		}
		return s[:len(s)-1] + string(c)
	}
	tests := []struct {
		name                   string
		signer                 *LinkSigner
		id, expires, signature string
		now                    time.Time
	}{
		{name: "tampered id", id: "43"},
		{name: "another file", id: "sample"},
		{name: "id with a suffix", id: "42/x"},
		{name: "tampered expires", expires: "1700003601"},
		{name: "expires with a plus", expires: "+1700003600"},
		{name: "expires with a leading zero", expires: "01700003600"},
		{name: "expires not a number", expires: "tomorrow"},
		{name: "expires zero", expires: "0"},
		{name: "expires negative", expires: "-1"},
		{name: "tampered signature", signature: flip(sig)},
		{name: "signature empty", signature: "-"},
		{name: "signature padded", signature: sig + "="},
		{name: "expired", now: exp.Add(time.Second)},
		{name: "another key", signer: NewLinkSigner([]byte("another key entirely, 32 bytes!!"), base)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, i, e, g, at := ls, id, expires, sig, now
			if tt.signer != nil {
				s = tt.signer
			}
			if tt.id != "" {
				i = tt.id
			}
			if tt.expires != "" {
				e = tt.expires
			}
			if tt.signature == "-" {
				g = ""
			} else if tt.signature != "" {
				g = tt.signature
			}
			if !tt.now.IsZero() {
				at = tt.now
			}
			if err := s.CheckDownload(i, e, g, at); !errors.Is(err, ErrBadSignature) {
				t.Errorf("CheckDownload(%q, %q, %q) = %v, want ErrBadSignature", i, e, g, err)
			}
		})
	}
}

func TestLinkSignerEscapesID(t *testing.T) {
	const base = "https://files.example.test/dl"
	ls := NewLinkSigner([]byte("k"), base)
	now := time.Unix(1700000000, 0)
	for _, id := range []string{"sample", "a/b", "../../etc", "x?y=1&z#w", "äpfel dir", "%2F"} {
		link := ls.DownloadURL(id, now.Add(time.Minute))
		u, err := url.Parse(link)
		if err != nil {
			t.Fatalf("DownloadURL(%q) = %q: %v", id, link, err)
		}
		if !strings.HasPrefix(u.EscapedPath(), "/dl/files/") || !strings.HasSuffix(u.EscapedPath(), "/download") ||
			strings.Count(u.EscapedPath(), "/") != 4 {
			t.Errorf("DownloadURL(%q) = %q: id not kept to one path segment", id, link)
		}
		gotID, e, s := linkParts(t, base, link)
		if gotID != id {
			t.Errorf("DownloadURL(%q) id %s", id, diff(id, gotID))
		}
		if err := ls.CheckDownload(gotID, e, s, now); err != nil {
			t.Errorf("CheckDownload(link of %q) = %v, want nil", id, err)
		}
	}
}
