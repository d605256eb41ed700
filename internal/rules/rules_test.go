package rules

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/scoopa/webhooks/internal/problem"
)

// checkInput checks that err is nil when wantMsg is "", and otherwise an
// *problem.InputError for field with message wantMsg that is an problem.ErrInvalidInput.
func checkInput(t *testing.T, call string, err error, field, wantMsg string) {
	t.Helper()
	if wantMsg == "" {
		if err != nil {
			t.Errorf("%s = %v, want nil", call, err)
		}
		return
	}
	var ie *problem.InputError
	if !errors.As(err, &ie) {
		t.Errorf("%s = %v (%T), want an *problem.InputError", call, err, err)
		return
	}
	if ie.Field != field {
		t.Errorf("%s: Field %s", call, diff(field, ie.Field))
	}
	if ie.Message != wantMsg {
		t.Errorf("%s: Message %s", call, diff(wantMsg, ie.Message))
	}
	if !errors.Is(err, problem.ErrInvalidInput) {
		t.Errorf("%s = %v, want errors.Is(err, problem.ErrInvalidInput)", call, err)
	}
	if got, want := err.Error(), field+": "+wantMsg; got != want {
		t.Errorf("%s: Error() %s", call, diff(want, got))
	}
}

func TestCheckURL(t *testing.T) {
	const (
		notAbs  = "must be an absolute http or https URL"
		badChar = "must not contain spaces, control characters or invalid UTF-8"
		creds   = "must not contain credentials; use an extra header"
	)
	long := "https://example.com/" + strings.Repeat("a", 2048-len("https://example.com/"))
	tests := []struct {
		name string
		raw  string
		want string // the message, "" when accepted
	}{
		{name: "http", raw: "http://example.com"},
		{name: "https with port, path, query, fragment", raw: "https://example.com:8443/hooks/in?x=1&y=%20#f"},
		{name: "upper-case scheme", raw: "HTTPS://EXAMPLE.COM/"},
		{name: "IPv6 literal", raw: "http://[2606:4700::1111]:8080/"},
		{name: "IDN host", raw: "https://bücher.example/hook"},
		{name: "loopback accepted here, refused at dial", raw: "http://127.0.0.1:9000/"},
		{name: "2048 characters", raw: long},
		{name: "2049 characters", raw: long + "a", want: "must be at most 2048 characters"},
		{name: "empty", raw: "", want: "must not be empty"},
		{name: "space", raw: "https://example.com/a b", want: badChar},
		{name: "tab", raw: "https://example.com/\t", want: badChar},
		{name: "CR", raw: "https://example.com/\r", want: badChar},
		{name: "LF", raw: "https://example.com/\nHost: evil", want: badChar},
		{name: "NUL", raw: "https://example.com/\x00", want: badChar},
		{name: "invalid UTF-8", raw: "https://example.com/\xff", want: badChar},
		{name: "DEL", raw: "https://example.com/\x7f", want: notAbs},
		{name: "other control character", raw: "https://example.com/\x01", want: notAbs},
		{name: "ftp", raw: "ftp://example.com/", want: notAbs},
		{name: "javascript", raw: "javascript:alert(1)", want: notAbs},
		{name: "file", raw: "file:///etc/passwd", want: notAbs},
		{name: "no scheme", raw: "example.com/hook", want: notAbs},
		{name: "scheme-relative", raw: "//example.com/hook", want: notAbs},
		{name: "opaque", raw: "http:example.com", want: notAbs},
		{name: "no host", raw: "http:///hook", want: notAbs},
		{name: "port only", raw: "http://:8080/", want: notAbs},
		{name: "empty brackets", raw: "http://[]/", want: notAbs},
		{name: "bad port", raw: "http://example.com:port/", want: notAbs},
		{name: "bad escape", raw: "http://example.com/%zz", want: notAbs},
		{name: "user and password", raw: "https://user:pass@example.com/", want: creds},
		{name: "user only", raw: "https://token@example.com/", want: creds},
		{name: "empty user info", raw: "https://@example.com/", want: creds},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkInput(t, "CheckURL", CheckURL("url", tt.raw), "url", tt.want)
		})
	}
}

func TestCheckHeader(t *testing.T) {
	str := func(s string) *string { return &s }
	const reserved = "header %q is set by the service and cannot be overridden"
	tests := []struct {
		name   string
		header string
		value  *string
		want   string // the message, "" when accepted
	}{
		{name: "authorization", header: "Authorization", value: str("Bearer abc.def")},
		{name: "no value given", header: "X-Api-Key"},
		{name: "empty value", header: "X-Empty", value: str("")},
		{name: "all token characters", header: "!#$%&'*+-.^_`|~09AZaz", value: str("v")},
		{name: "tab and obs-text in value", header: "X-Note", value: str("a\tb café")},
		{name: "255-byte name", header: strings.Repeat("x", 255), value: str("v")},
		{name: "8192-byte value", header: "X-Big", value: str(strings.Repeat("v", 8192))},
		{name: "empty name", header: "", value: str("v"), want: `header name "" is not a valid HTTP token`},
		{name: "space in name", header: "X Header", want: `header name "X Header" is not a valid HTTP token`},
		{name: "colon in name", header: "X:Y", want: `header name "X:Y" is not a valid HTTP token`},
		{name: "CRLF in name", header: "X\r\nY", want: `header name "X\r\nY" is not a valid HTTP token`},
		{name: "non-ASCII name", header: "Äpfel", want: `header name "Äpfel" is not a valid HTTP token`},
		{name: "long bad name truncated", header: strings.Repeat("x", 70) + " ", want: `header name "` + strings.Repeat("x", 64) + `…" is not a valid HTTP token`},
		{name: "256-byte name", header: strings.Repeat("x", 256), want: "header name must be at most 255 characters"},
		{name: "CR in value", header: "X-A", value: str("a\rb"), want: `value of header "X-A" must not contain CR, LF or NUL`},
		{name: "LF in value", header: "X-A", value: str("a\nb"), want: `value of header "X-A" must not contain CR, LF or NUL`},
		{name: "header injection", header: "X-A", value: str("a\r\nX-Evil: 1"), want: `value of header "X-A" must not contain CR, LF or NUL`},
		{name: "NUL in value", header: "X-A", value: str("a\x00"), want: `value of header "X-A" must not contain CR, LF or NUL`},
		{name: "control character in value", header: "X-A", value: str("a\x01"), want: `value of header "X-A" contains characters not allowed in HTTP`},
		{name: "DEL in value", header: "X-A", value: str("a\x7f"), want: `value of header "X-A" contains characters not allowed in HTTP`},
		{name: "8193-byte value", header: "X-A", value: str(strings.Repeat("v", 8193)), want: `value of header "X-A" must be at most 8192 bytes`},
	}
	for _, name := range []string{"Host", "Content-Length", "Content-Type", "Transfer-Encoding", "Connection",
		"webhook-id", "webhook-timestamp", "webhook-signature"} {
		for _, variant := range []string{name, strings.ToLower(name), strings.ToUpper(name), mixCase(name)} {
			tests = append(tests, struct {
				name   string
				header string
				value  *string
				want   string
			}{name: "reserved " + variant, header: variant, value: str("x"), want: strings.ReplaceAll(reserved, "%q", `"`+variant+`"`)})
		}
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkInput(t, "CheckHeader", CheckHeader("headers", tt.header, tt.value), "headers", tt.want)
		})
	}
}

// mixCase alternates the case of the letters of s.
func mixCase(s string) string {
	b := []byte(strings.ToLower(s))
	for i := 0; i < len(b); i += 2 {
		if 'a' <= b[i] && b[i] <= 'z' {
			b[i] -= 'a' - 'A'
		}
	}
	return string(b)
}

func TestCheckName(t *testing.T) {
	const (
		empty    = "must not be empty"
		tooLong  = "must be at most 255 characters"
		tooBig   = "must be at most 255 bytes (accented letters count 2, emoji 4)"
		badUTF8  = "must be valid UTF-8"
		controls = "must not contain NUL or line breaks"
		disguise = "must not contain control characters, invisible or bidirectional formatting characters, or line separators"
		braille  = "must not contain the braille pattern blank (U+2800), which looks like a space"
		zalgo    = "must not stack more than 4 combining marks on one character"
	)
	edge := func(r rune) string {
		return fmt.Sprintf("must not start or end with a no-break, full-width or other special space (%U); remove it or use an ordinary space inside the name", r)
	}
	tests := []struct {
		name  string
		input string
		want  string // the message, "" when accepted
	}{
		{name: "plain", input: "Invoices"},
		{name: "padded", input: "  Invoices  "}, // callers store it trimmed
		{name: "one character", input: "x"},
		// The store bounds names to 255 bytes.
		{name: "127 two-byte runes", input: strings.Repeat("é", 127)},
		{name: "128 two-byte runes", input: strings.Repeat("é", 128), want: tooBig},
		{name: "63 four-byte runes", input: strings.Repeat("😀", 63)},
		{name: "64 four-byte runes", input: strings.Repeat("😀", 64), want: tooBig},
		{name: "255 ASCII", input: strings.Repeat("a", 255)},
		{name: "256 two-byte runes", input: strings.Repeat("é", 256), want: tooLong},
		{name: "256 four-byte runes", input: strings.Repeat("😀", 256), want: tooLong},
		{name: "256 ASCII", input: strings.Repeat("a", 256), want: tooLong},
		{name: "empty", input: "", want: empty},
		{name: "spaces", input: "   ", want: empty},
		{name: "tab and newline", input: "\t\n", want: empty},
		{name: "no-break space", input: "\u00a0", want: empty},
		{name: "ideographic space", input: "\u3000", want: empty},
		{name: "invalid UTF-8", input: "a\xffb", want: badUTF8},
		{name: "truncated rune", input: "ab\xc3", want: badUTF8},
		{name: "NUL", input: "a\x00b", want: controls},
		{name: "LF", input: "a\nb", want: controls},
		{name: "CR", input: "a\rb", want: controls},
		{name: "trailing newline", input: "name\n", want: controls},
		// Characters that can disguise a name are refused.
		{name: "RTL override", input: "invoice\u202Efdp.exe", want: disguise},
		{name: "RTL isolate", input: "a\u2067b", want: disguise},
		{name: "line separator", input: "a\u2028b", want: disguise},
		{name: "next line (NEL)", input: "a\u0085b", want: disguise},
		{name: "other C0 control", input: "a\x1bb", want: disguise},
		// Invisible characters: format (Cf) and default-ignorable code points
		// make two names that look the same differ.
		{name: "zero-width space only", input: "\u200b", want: disguise},
		{name: "zero-width space inside", input: "Invo\u200bices", want: disguise},
		{name: "zero-width non-joiner", input: "a\u200cb", want: disguise},
		{name: "zero-width joiner between letters", input: "pay\u200dpal", want: disguise},
		{name: "BOM", input: "\ufeffname", want: disguise},
		{name: "word joiner", input: "a\u2060b", want: disguise},
		{name: "soft hyphen", input: "in\u00advoices", want: disguise},
		{name: "Mongolian vowel separator", input: "a\u180eb", want: disguise},
		{name: "combining grapheme joiner", input: "a\u034fb", want: disguise},
		{name: "Hangul filler", input: "\u3164", want: disguise},
		{name: "Hangul filler inside", input: "a\u3164b", want: disguise},
		{name: "Hangul choseong filler", input: "a\u115fb", want: disguise},
		{name: "Hangul jungseong filler", input: "a\u1160b", want: disguise},
		{name: "halfwidth Hangul filler", input: "a\uffa0b", want: disguise},
		{name: "variation selector after a letter", input: "a\ufe0fb", want: disguise},
		{name: "ideographic variation selector", input: "\u8fbb\U000e0100", want: disguise},
		{name: "tag character", input: "a\U000e0041", want: disguise},
		{name: "interlinear annotation", input: "a\ufff9b", want: disguise},
		{name: "invisible times", input: "a\u2062b", want: disguise},
		{name: "joiner at the end of an emoji", input: "\U0001F600\u200d", want: disguise},
		// Allowed: emoji sequences need the joiner and the emoji selector.
		{name: "emoji ZWJ sequence", input: "team \U0001F468\u200d\U0001F469\u200d\U0001F467"},
		{name: "emoji with skin tone and ZWJ", input: "\U0001F469\U0001F3FD\u200d\U0001F4BB dev"},
		{name: "emoji presentation selector", input: "love \u2764\ufe0f"},
		{name: "keycap", input: "1\ufe0f\u20e3 first"},
		{name: "Hangul syllables", input: "\ud55c\uad6d\uc5b4"},
		// Blank-looking characters that are not spaces, and special spaces
		// at either end, make a name look like another.
		{name: "braille blank only", input: "\u2800", want: braille},
		{name: "braille blank inside", input: "In\u2800voices", want: braille},
		{name: "braille blank after spaces", input: " \u2800 ", want: braille},
		{name: "braille letters", input: "\u2803\u2817\u2801\u280a\u2807\u2807\u2811"},
		{name: "leading no-break space", input: "\u00a0report.pdf", want: edge('\u00a0')},
		{name: "trailing no-break space", input: "report.pdf\u00a0", want: edge('\u00a0')},
		{name: "leading full-width space", input: "\u3000report.pdf", want: edge('\u3000')},
		{name: "trailing full-width space", input: "\u62a5\u544a\u3000", want: edge('\u3000')},
		{name: "no-break space behind ordinary spaces", input: "  \u00a0Invoices", want: edge('\u00a0')},
		{name: "leading em space", input: "\u2003Invoices", want: edge('\u2003')},
		{name: "leading narrow no-break space", input: "\u202fInvoices", want: edge('\u202f')},
		{name: "no-break space inside", input: "Dr.\u00a0Smith"},
		{name: "French narrow no-break space inside", input: "Factures\u202f: mars"},
		{name: "full-width space inside", input: "\u8acb\u6c42\u66f8\u3000\u4e09\u6708"},
		{name: "5 combining marks", input: "Z\u0351\u0357\u036e\u0300\u0301algo", want: zalgo},
		{name: "Zalgo text", input: "H\u0335\u0321\u0322\u0327\u0328\u031b\u0300\u0301\u0302e\u0336\u0323llo", want: zalgo},
		{name: "100 combining marks", input: "a" + strings.Repeat("\u0301", 100), want: zalgo},
		{name: "combining marks at the start", input: strings.Repeat("\u0301", 5) + "a", want: zalgo},
		{name: "4 combining marks", input: "a\u0301\u0302\u0303\u0304"},
		// Legitimate text with combining marks stays accepted.
		{name: "decomposed accents", input: "Cafe\u0301 Mu\u0308ller"},
		{name: "Vietnamese decomposed", input: "Tie\u0302\u0301ng Vie\u0323\u0302t"},
		{name: "Vietnamese precomposed", input: "Tiếng Việt"},
		{name: "Hebrew with points and cantillation", input: "\u05d1\u05bc\u05b0\u05e8\u05b5\u05d0\u05e9\u05c1\u05b4\u05bc\u05d9\u05ea"},
		{name: "Devanagari", input: "\u0939\u093f\u0928\u094d\u0926\u0940 \u0915\u094d\u0937\u0924\u094d\u0930\u093f\u092f"},
		{name: "Tibetan stack", input: "\u0f56\u0f66\u0f92\u0fb2\u0f74\u0f56\u0f66"},
		{name: "Thai", input: "\u0e20\u0e32\u0e29\u0e32\u0e44\u0e17\u0e22 \u0e19\u0e49\u0e33"},
		{name: "Arabic with harakat", input: "\u0627\u0644\u0652\u0639\u064e\u0631\u064e\u0628\u0650\u064a\u064e\u0651\u0629"},
		{name: "CJK", input: "\u8acb\u6c42\u66f8_2025.pdf"},
		{name: "flag", input: "\U0001F1E9\U0001F1EA report"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkInput(t, "CheckName", CheckName("name", tt.input), "name", tt.want)
		})
	}
}

func TestCheckFilter(t *testing.T) {
	tests := []struct {
		name   string
		filter string
		want   string
	}{
		{name: "empty matches everything", filter: ""},
		{name: "plain", filter: ".pdf"},
		{name: "spaces only", filter: "  "},
		{name: "127 two-byte runes", filter: strings.Repeat("ä", 127)},
		{name: "128 two-byte runes", filter: strings.Repeat("ä", 128), want: "must be at most 255 bytes (accented letters count 2, emoji 4)"},
		{name: "256 runes", filter: strings.Repeat("ä", 256), want: "must be at most 255 characters"},
		{name: "invalid UTF-8", filter: "\xff", want: "must be valid UTF-8"},
		{name: "NUL", filter: "a\x00", want: "must not contain NUL or line breaks"},
		{name: "CR", filter: "a\r", want: "must not contain NUL or line breaks"},
		{name: "LF", filter: "\n", want: "must not contain NUL or line breaks"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkInput(t, "CheckFilter", CheckFilter("filter", tt.filter), "filter", tt.want)
		})
	}
}

func TestMatchesFilter(t *testing.T) {
	tests := []struct {
		name   string
		filter string
		file   string
		want   bool
	}{
		{name: "empty filter, any name", filter: "", file: "a.pdf", want: true},
		{name: "empty filter, empty name", filter: "", file: "", want: true},
		{name: "contains", filter: "report", file: "2025-report-q1.pdf", want: true},
		{name: "case-insensitive", filter: "REPORT", file: "Q1-Report.PDF", want: true},
		{name: "extension", filter: ".pdf", file: "a.PDF", want: true},
		{name: "whole name", filter: "a.pdf", file: "a.pdf", want: true},
		{name: "umlaut upper filter", filter: "ÄPFEL", file: "äpfel.txt", want: true},
		{name: "umlaut upper name", filter: "äpfel", file: "GRÜNE ÄPFEL.TXT", want: true},
		{name: "Cyrillic", filter: "ОТЧЁТ", file: "отчёт.docx", want: true},
		{name: "Kelvin sign", filter: "k", file: "\u212A.txt", want: true},
		{name: "not contained", filter: "invoice", file: "report.pdf", want: false},
		{name: "longer than name", filter: "report.pdf.bak", file: "report.pdf", want: false},
		{name: "name empty", filter: "a", file: "", want: false},
		{name: "no fuzzy match", filter: "a b", file: "a_b", want: false},
		// Current behaviour: simple lower-casing, not full case folding.
		{name: "ß is not ss", filter: "STRASSE", file: "straße.pdf", want: false},
		{name: "final sigma", filter: "ΟΔΟΣ", file: "οδος.pdf", want: false},
		{name: "decomposed umlaut", filter: "ä", file: "a\u0308pfel", want: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := MatchesFilter(tt.filter, tt.file); got != tt.want {
				t.Errorf("MatchesFilter(%q, %q) %s", tt.filter, tt.file, diff(tt.want, got))
			}
		})
	}
}

// diff shows want and got, for a test's message.
func diff(want, got any) string {
	return fmt.Sprintf("(-want +got):\n-\t%#v\n+\t%#v", want, got)
}
