package rules

import (
	"bufio"
	"bytes"
	"errors"
	"net/http"
	"net/textproto"
	"net/url"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/scoopa/webhooks/internal/problem"
)

func FuzzCheckURL(f *testing.F) {
	for _, s := range []string{
		"https://example.com/hook", "http://127.0.0.1:8080/x?y=1#z", "HTTP://[::1]/", "http:example.com",
		"https://user:pw@example.com", "ftp://x", "//x", "http://:80", "http://[]", "http://a b",
		"http://x/\r\nHost: y", "http://%zz", "https://bücher.example", "http://x:99999", "\xff",
		"http://[fe80::1%25eth0]/", "http://x\\@y/", "https://ex ample.com", "http://\u3000/",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		err := CheckURL("url", raw)
		if err != nil {
			var ie *problem.InputError
			if !errors.As(err, &ie) || ie.Field != "url" || !errors.Is(err, problem.ErrInvalidInput) {
				t.Fatalf("CheckURL(%q) = %v, want an *problem.InputError for url", raw, err)
			}
			return
		}
		u, perr := url.Parse(raw)
		if perr != nil {
			t.Fatalf("CheckURL accepted %q, which does not parse: %v", raw, perr)
		}
		if u.Scheme != "http" && u.Scheme != "https" {
			t.Fatalf("CheckURL accepted %q with scheme %q", raw, u.Scheme)
		}
		if u.Host == "" || u.Hostname() == "" {
			t.Fatalf("CheckURL accepted %q without a host", raw)
		}
		if u.User != nil {
			t.Fatalf("CheckURL accepted %q with credentials", raw)
		}
		if strings.ContainsAny(raw, "\r\n \t\x00") || !utf8.ValidString(raw) || len(raw) > 2048 {
			t.Fatalf("CheckURL accepted %q with CR, LF, space, NUL, invalid UTF-8 or over 2048 bytes", raw)
		}
		if _, err := http.NewRequest(http.MethodPost, raw, nil); err != nil {
			t.Fatalf("CheckURL accepted %q, which net/http refuses: %v", raw, err)
		}
	})
}

func FuzzCheckHeader(f *testing.F) {
	for _, s := range [][2]string{
		{"Authorization", "Bearer x"}, {"X-A", "a\r\nX-Evil: 1"}, {"X-A", "a\nb"}, {"X-A", "\x00"},
		{"Host", "evil"}, {"webhook-signature", "v1,x"}, {"X A", "v"}, {"X-A", " padded\t"},
		{"X-A", "café"}, {"X-A", "\x7f"}, {"", ""}, {"X-A", "\u2028"}, {"X-A", "a\x85b"},
	} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, name, value string) {
		err := CheckHeader("headers", name, &value)
		if err != nil {
			var ie *problem.InputError
			if !errors.As(err, &ie) || ie.Field != "headers" || !errors.Is(err, problem.ErrInvalidInput) {
				t.Fatalf("CheckHeader(%q, %q) = %v, want an *problem.InputError for headers", name, value, err)
			}
			return
		}
		key := http.CanonicalHeaderKey(name)
		if reservedHeaders[key] {
			t.Fatalf("CheckHeader accepted reserved header %q", name)
		}
		h := http.Header{}
		h.Add(name, value)
		var buf bytes.Buffer
		if err := h.Write(&buf); err != nil {
			t.Fatal(err)
		}
		out := buf.String()
		if !strings.HasSuffix(out, "\r\n") || strings.Count(out, "\n") != 1 || strings.Count(out, "\r") != 1 ||
			!strings.HasPrefix(out, key+": ") {
			t.Fatalf("CheckHeader accepted %q: %q, which writes as %q, not one header line", name, value, out)
		}
		// A receiver reads back exactly one header with this value.
		got, err := textproto.NewReader(bufio.NewReader(strings.NewReader(out + "\r\n"))).ReadMIMEHeader()
		if err != nil {
			t.Fatalf("CheckHeader accepted %q: %q, which reads back with error %v", name, value, err)
		}
		if len(got) != 1 || len(got[key]) != 1 || got[key][0] != strings.Trim(value, " \t") {
			t.Fatalf("CheckHeader accepted %q: %q, which reads back as %q", name, value, got)
		}
	})
}

func FuzzMatchesFilter(f *testing.F) {
	for _, s := range [][2]string{
		{"", ""}, {"pdf", "a.PDF"}, {"ÄPFEL", "äpfel"}, {"\xff", "\xff"}, {"İ", "i̇"}, {"ß", "SS"},
		{"\u212a", "k"}, {"Σ", "ς"}, {"a\xc3", "a\xc3\xa4"},
	} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, filter, name string) {
		MatchesFilter(filter, name) // never panics
		if !MatchesFilter("", name) {
			t.Fatalf("MatchesFilter(\"\", %q) = false", name)
		}
		if !MatchesFilter(name, name) {
			t.Fatalf("MatchesFilter(%q, %q) = false for filter == name", name, name)
		}
		if utf8.ValidString(name) && utf8.ValidString(filter) && strings.Contains(name, filter) && !MatchesFilter(filter, name) {
			t.Fatalf("MatchesFilter(%q, %q) = false, though the name contains the filter", filter, name)
		}
		if MatchesFilter(filter, name) && !MatchesFilter(strings.ToLower(filter), strings.ToLower(name)) {
			t.Fatalf("MatchesFilter(%q, %q) depends on case", filter, name)
		}
	})
}

func FuzzCheckName(f *testing.F) {
	for _, s := range []string{"Invoices", "\u200b", "pay\u200dpal", "\U0001F468\u200d\U0001F469", "\u2764\ufe0f", "a\u3164", "\U0001F600\u200d", "1\ufe0f\u20e3", "\xff",
		"\u2800", "\u00a0x", "x\u3000", "a\u0301\u0302\u0303\u0304\u0305", "Tie\u0302\u0301ng"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) {
		if CheckName("name", name) != nil {
			return
		}
		// An accepted name shows every character it holds, save the joiners
		// and presentation selectors of emoji sequences.
		for _, r := range name {
			if r != '\u200d' && r != '\ufe0e' && r != '\ufe0f' && invisible(r) {
				t.Fatalf("CheckName accepted %q, which holds the invisible %U", name, r)
			}
		}
		if strings.ContainsRune(name, '\u2800') || stacked(name) {
			t.Fatalf("CheckName accepted %q, which holds a braille blank or a stack of combining marks", name)
		}
		core := strings.Trim(name, " ")
		if strings.TrimLeftFunc(core, unicode.IsSpace) != core || strings.TrimRightFunc(core, unicode.IsSpace) != core {
			t.Fatalf("CheckName accepted %q, which starts or ends with a special space", name)
		}
	})
}

func FuzzMatchesGlob(f *testing.F) {
	for _, s := range [][2]string{
		{"*.mov", "clip.MOV"}, {"clip_??.mp4", "clip_01.mp4"}, {"[a-c]*", "b"}, {"[!a]", "a"}, {"[", "["},
		{"[]]", "]"}, {"*a*b*c*", "aXbXc"}, {"\xff*", "\xff"}, {"[z-a]", "m"}, {"?", "é"},
	} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, glob, name string) {
		got := MatchesGlob(glob, name) // never panics
		if !MatchesGlob("*", name) {
			t.Fatalf("MatchesGlob(\"*\", %q) = false", name)
		}
		if !strings.ContainsAny(name, "*?[") && !MatchesGlob(name, strings.ToUpper(name)) {
			t.Fatalf("MatchesGlob(%q, %q) = false: a name without *, ? or [ is a glob matching itself, ignoring case", name, strings.ToUpper(name))
		}
		if _, err := parseGlob(glob); got && err != nil {
			t.Fatalf("MatchesGlob(%q, %q) = true for a glob that does not parse", glob, name)
		}
	})
}
