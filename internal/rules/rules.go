// Package rules holds the rules that what users type must follow (names,
// URLs, header names and values, filters) and the filename rule that
// decides whether a webhook's filter matches a file. Each check names the
// field at fault (problem.InputError).
package rules

import (
	"net"
	"net/http"
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/scoopa/webhooks/internal/problem"
	"golang.org/x/net/http/httpguts"
)

// MaxNameLen bounds names, filters and header names.
const MaxNameLen = 255

// MaxCombiningMarks bounds the combining marks on one character: enough for
// Vietnamese, pointed Hebrew, Indic and Tibetan stacks, too few for the
// towers of "Zalgo" text that spill over the lines around them.
const MaxCombiningMarks = 4

// reservedHeaders are set by the service itself and cannot be overridden.
var reservedHeaders = map[string]bool{
	"Host": true, "Content-Length": true, "Content-Type": true, "Transfer-Encoding": true,
	"Connection": true, "User-Agent": true, "Webhook-Id": true, "Webhook-Timestamp": true, "Webhook-Signature": true,
	"Scoopa-Test": true,
}

// CheckName checks a name given in field: a short text (CheckText) that is
// not blank and neither starts nor ends with a special space. Ordinary
// spaces around it are allowed (callers trim them where they store the
// name); inside it, every space is.
func CheckName(field, name string) error {
	if strings.TrimSpace(name) == "" {
		return problem.Invalid(field, "must not be empty")
	}
	if err := CheckText(field, name); err != nil {
		return err
	}
	core := strings.Trim(name, " ")
	first, _ := utf8.DecodeRuneInString(core)
	last, _ := utf8.DecodeLastRuneInString(core)
	for _, r := range []rune{first, last} {
		if unicode.IsSpace(r) {
			return problem.Invalid(field, "must not start or end with a no-break, full-width or other special space (%U); remove it or use an ordinary space inside the name", r)
		}
	}
	return nil
}

// CheckText checks a short text: names and filters.
func CheckText(field, s string) error {
	switch {
	case !utf8.ValidString(s):
		return problem.Invalid(field, "must be valid UTF-8")
	case utf8.RuneCountInString(s) > MaxNameLen:
		return problem.Invalid(field, "must be at most %d characters", MaxNameLen)
	case len(s) > MaxNameLen:
		// The database bounds bytes: accented letters take 2, emoji 4.
		return problem.Invalid(field, "must be at most %d bytes (accented letters count 2, emoji 4)", MaxNameLen)
	case strings.ContainsAny(s, "\x00\r\n"):
		return problem.Invalid(field, "must not contain NUL or line breaks")
	case disguised(s):
		return problem.Invalid(field, "must not contain control characters, invisible or bidirectional formatting characters, or line separators")
	case strings.ContainsRune(s, '\u2800'):
		return problem.Invalid(field, "must not contain the braille pattern blank (U+2800), which looks like a space")
	case stacked(s):
		return problem.Invalid(field, "must not stack more than %d combining marks on one character", MaxCombiningMarks)
	}
	return nil
}

// stacked reports whether s has more than MaxCombiningMarks combining marks
// (Unicode category M) in a row.
func stacked(s string) bool {
	n := 0
	for _, r := range s {
		if !unicode.Is(unicode.M, r) {
			n = 0
			continue
		}
		if n++; n > MaxCombiningMarks {
			return true
		}
	}
	return false
}

// disguised reports whether s holds a character that can make it look like
// another text: control characters, line and paragraph separators, and
// invisible ones (format characters, Unicode category Cf, bidirectional
// controls among them; default-ignorable code points such as the Hangul
// fillers and variation selectors). Two exceptions keep emoji usable: a
// zero-width joiner between two symbols (👩‍💻), and the emoji or text
// presentation selector after a symbol or a keycap base (❤️, 1️⃣).
func disguised(s string) bool {
	prev := rune(-1)
	for i, r := range s {
		switch {
		case unicode.IsControl(r), r == '\u2028', r == '\u2029':
			return true
		case r == '\u200D': // zero-width joiner
			next, n := utf8.DecodeRuneInString(s[i+len("\u200D"):])
			if !emojiBase(prev) || n == 0 || next == utf8.RuneError || !unicode.Is(unicode.So, next) {
				return true
			}
		case r == '\uFE0E', r == '\uFE0F': // text and emoji presentation selectors
			if !emojiBase(prev) && !strings.ContainsRune("0123456789#*", prev) {
				return true
			}
		case invisible(r):
			return true
		}
		prev = r
	}
	return false
}

// emojiBase reports whether r can precede a joiner or a presentation
// selector in an emoji sequence: a symbol, a skin-tone modifier, or a
// presentation selector ending the previous element.
func emojiBase(r rune) bool {
	return unicode.Is(unicode.So, r) || (r >= 0x1F3FB && r <= 0x1F3FF) || r == '\uFE0F'
}

// invisible reports format characters and default-ignorable code points:
// they render as nothing (or as blank space, like the Hangul fillers).
func invisible(r rune) bool {
	switch {
	case unicode.Is(unicode.Cf, r),
		unicode.Is(unicode.Other_Default_Ignorable_Code_Point, r),
		unicode.Is(unicode.Variation_Selector, r):
		return true
	case r == '\u115F', r == '\u1160', r == '\u3164', r == '\uFFA0': // Hangul fillers
		return true
	}
	return false
}

// CheckURL checks a webhook's target URL: absolute http or https, with a host
// and without credentials.
func CheckURL(field, raw string) error {
	if raw == "" {
		return problem.Invalid(field, "must not be empty")
	}
	if len(raw) > 2048 {
		return problem.Invalid(field, "must be at most 2048 characters")
	}
	if strings.ContainsAny(raw, " \t\r\n\x00") || !utf8.ValidString(raw) {
		return problem.Invalid(field, "must not contain spaces, control characters or invalid UTF-8")
	}
	u, err := url.Parse(raw)
	if err != nil {
		return problem.Invalid(field, "must be an absolute http or https URL")
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.Hostname() == "" || u.Opaque != "" {
		return problem.Invalid(field, "must be an absolute http or https URL")
	}
	if u.User != nil {
		return problem.Invalid(field, "must not contain credentials; use an extra header")
	}
	return nil
}

// Origin returns scheme://host:port of a URL, lower-case, default ports
// made explicit; the URL itself when it does not parse. Credentials that a
// webhook sends (header values, OAuth2 tokens) are bound to the origin they
// were given for.
func Origin(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return raw
	}
	scheme := strings.ToLower(u.Scheme)
	port := u.Port()
	if port == "" {
		port = map[string]string{"http": "80", "https": "443"}[scheme]
	}
	return scheme + "://" + net.JoinHostPort(strings.ToLower(u.Hostname()), port)
}

// CheckHeader checks one extra header.
func CheckHeader(field, name string, value *string) error {
	if err := CheckHeaderName(field, name); err != nil {
		return err
	}
	return CheckHeaderValue(field, name, value)
}

func CheckHeaderName(field, name string) error {
	if name == "" || !httpguts.ValidHeaderFieldName(name) {
		return problem.Invalid(field, "header name %q is not a valid HTTP token", Truncate(name, 64))
	}
	if len(name) > MaxNameLen {
		return problem.Invalid(field, "header name must be at most %d characters", MaxNameLen)
	}
	if reservedHeaders[http.CanonicalHeaderKey(name)] {
		return problem.Invalid(field, "header %q is set by the service and cannot be overridden", name)
	}
	return nil
}

func CheckHeaderValue(field, name string, value *string) error {
	if value == nil {
		return nil
	}
	if strings.ContainsAny(*value, "\r\n\x00") {
		return problem.Invalid(field, "value of header %q must not contain CR, LF or NUL", name)
	}
	if !httpguts.ValidHeaderFieldValue(*value) {
		return problem.Invalid(field, "value of header %q contains characters not allowed in HTTP", name)
	}
	if len(*value) > 8192 {
		return problem.Invalid(field, "value of header %q must be at most 8192 bytes", name)
	}
	return nil
}

// CheckFilter checks a filename filter; empty means no filter.
func CheckFilter(field, filter string) error { return CheckText(field, filter) }

// MatchesFilter reports whether a file name matches a webhook's filter: an
// empty filter matches everything, otherwise the name must contain it,
// ignoring case.
func MatchesFilter(filter, fileName string) bool {
	if filter == "" {
		return true
	}
	return strings.Contains(strings.ToLower(fileName), strings.ToLower(filter))
}

// Truncate shortens s to n bytes and an ellipsis, for quoting it in a
// message.
func Truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
