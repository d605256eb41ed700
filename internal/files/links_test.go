package files

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/scoopa/webhooks/internal/problem"
)

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
			if err := s.CheckDownload(i, e, g, at); !errors.Is(err, problem.ErrBadSignature) {
				t.Errorf("CheckDownload(%q, %q, %q) = %v, want problem.ErrBadSignature", i, e, g, err)
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

// diff shows want and got, for a test's message.
func diff(want, got any) string {
	return fmt.Sprintf("(-want +got):\n-\t%#v\n+\t%#v", want, got)
}

// A call's link names its call in its signed part: another call, a call
// added to a link without one, or one taken away, is a bad signature.
func TestCallLink(t *testing.T) {
	const base = "https://files.example.test"
	ls := NewLinkSigner([]byte("0123456789abcdef0123456789abcdef"), base)
	now := time.Unix(1700000000, 0)
	query := func(link string) url.Values {
		u, err := url.Parse(link)
		if err != nil {
			t.Fatal(err)
		}
		return u.Query()
	}
	q := query(ls.CallDownloadURL(42, 7, now.Add(time.Hour)))
	if call, err := ls.CheckLink("42", q, now); err != nil || call != 7 {
		t.Fatalf("CheckLink(call link) = %d, %v; want 7, nil", call, err)
	}
	if call, err := ls.CheckLink("42", query(ls.DownloadURL("42", now.Add(time.Hour))), now); err != nil || call != 0 {
		t.Fatalf("CheckLink(link without a call) = %d, %v; want 0, nil", call, err)
	}
	for name, change := range map[string]func(url.Values){
		"another call":   func(q url.Values) { q.Set("call", "8") },
		"call padded":    func(q url.Values) { q.Set("call", "07") },
		"call taken off": func(q url.Values) { q.Del("call") },
		"call negative":  func(q url.Values) { q.Set("call", "-7") },
	} {
		bad := query(ls.CallDownloadURL(42, 7, now.Add(time.Hour)))
		change(bad)
		if call, err := ls.CheckLink("42", bad, now); !errors.Is(err, problem.ErrBadSignature) || call != 0 {
			t.Errorf("%s: CheckLink = %d, %v; want 0, a bad signature", name, call, err)
		}
	}
	added := query(ls.DownloadURL("42", now.Add(time.Hour)))
	added.Set("call", "7")
	if _, err := ls.CheckLink("42", added, now); !errors.Is(err, problem.ErrBadSignature) {
		t.Errorf("call added to a link without one: CheckLink = %v, want a bad signature", err)
	}
	if _, err := ls.CheckLink("43", q, now); !errors.Is(err, problem.ErrBadSignature) {
		t.Errorf("another file: CheckLink = %v, want a bad signature", err)
	}
	if _, err := ls.CheckLink("42", q, now.Add(2*time.Hour)); !errors.Is(err, problem.ErrBadSignature) {
		t.Errorf("expired: CheckLink = %v, want a bad signature", err)
	}
}
