package rules

import (
	"fmt"
	"mime"
	"strings"

	"github.com/scoopa/webhooks/internal/problem"
)

// FileFilter is everything a webhook asks of a new file before the file
// fires it: the file must meet every filter that is set. It is the one
// matcher of delivery (the domain's appliesTo), of sending a file again
// and of webhookPreview.
type FileFilter struct {
	// Contains: the name contains it, ignoring case (MatchesFilter).
	Contains string
	// ContentTypes: the file's type matches one of these patterns
	// (MatchesContentType); none: any type.
	ContentTypes []string
	// NameGlob: the whole name matches this pattern (MatchesGlob).
	NameGlob string
	// MinSize and MaxSize bound the file's size in bytes, both included.
	MinSize, MaxSize *int64
}

// Matches reports whether a file of this name, content type and size
// meets every filter of f.
func (f FileFilter) Matches(name, contentType string, size int64) bool {
	switch {
	case !MatchesFilter(f.Contains, name):
		return false
	case f.NameGlob != "" && !MatchesGlob(f.NameGlob, name):
		return false
	case f.MinSize != nil && size < *f.MinSize:
		return false
	case f.MaxSize != nil && size > *f.MaxSize:
		return false
	case len(f.ContentTypes) > 0 && !matchesAnyType(f.ContentTypes, contentType):
		return false
	}
	return true
}

// Describe tells the filters of f other than Contains (which calls record
// on their own), as the call log shows them: `type video/*, image/png;
// name *.mov; size 1000–5000 bytes`. Empty when none is set.
func (f FileFilter) Describe() string {
	var parts []string
	if len(f.ContentTypes) > 0 {
		parts = append(parts, "type "+strings.Join(f.ContentTypes, ", "))
	}
	if f.NameGlob != "" {
		parts = append(parts, "name "+f.NameGlob)
	}
	switch {
	case f.MinSize != nil && f.MaxSize != nil:
		parts = append(parts, fmt.Sprintf("size %d–%d bytes", *f.MinSize, *f.MaxSize))
	case f.MinSize != nil:
		parts = append(parts, fmt.Sprintf("size ≥ %d bytes", *f.MinSize))
	case f.MaxSize != nil:
		parts = append(parts, fmt.Sprintf("size ≤ %d bytes", *f.MaxSize))
	}
	return strings.Join(parts, "; ")
}

// MaxContentTypes bounds the content type patterns of one webhook.
const MaxContentTypes = 20

// CheckContentTypes checks content type patterns given in field: each
// "type/subtype" or "type/*" (tokens of RFC 9110, no parameters), at most
// MaxContentTypes of them. A bad one is named by its index (field.2).
func CheckContentTypes(field string, patterns []string) error {
	if len(patterns) > MaxContentTypes {
		return problem.Invalid(field, "at most %d content types are allowed", MaxContentTypes)
	}
	var errs []error
	for i, p := range patterns {
		if err := checkContentType(p); err != nil {
			errs = append(errs, problem.Invalid(fmt.Sprintf("%s.%d", field, i), "%q is not a content type pattern: %s", Truncate(p, 80), err))
		}
	}
	return problem.Gather(errs...)
}

func checkContentType(p string) error {
	typ, sub, ok := strings.Cut(p, "/")
	switch {
	case !ok:
		return fmt.Errorf(`want "type/subtype" or "type/*", e.g. video/* or image/png`)
	case typ == "*":
		return fmt.Errorf(`the type cannot be a wildcard; leave contentTypes empty for every type`)
	case !isToken(typ):
		return fmt.Errorf("the type %q is not a token (letters, digits and !#$%%&'*+-.^_`|~)", typ)
	case sub == "*":
		return nil
	case !isToken(sub) || strings.Contains(sub, "*"):
		return fmt.Errorf(`the subtype %q is not a token, nor "*" (parameters such as ";charset=..." are not allowed)`, sub)
	}
	return nil
}

// isToken reports whether s is an RFC 9110 token.
func isToken(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		case strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0:
		default:
			return false
		}
	}
	return true
}

// NormalContentTypes lowers and trims the patterns, drops repeats and
// answers nil for none.
func NormalContentTypes(patterns []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, p := range patterns {
		p = strings.ToLower(strings.TrimSpace(p))
		if p != "" && !seen[p] {
			seen[p] = true
			out = append(out, p)
		}
	}
	return out
}

// MatchesContentType reports whether a file's content type matches a
// pattern: "type/subtype" exactly or "type/*" any subtype, ignoring case
// and the type's parameters ("text/plain; charset=utf-8" is text/plain).
func MatchesContentType(pattern, contentType string) bool {
	mt := contentType
	if parsed, _, err := mime.ParseMediaType(contentType); err == nil {
		mt = parsed
	} else if i := strings.IndexByte(mt, ';'); i >= 0 {
		mt = mt[:i]
	}
	mt = strings.ToLower(strings.TrimSpace(mt))
	pattern = strings.ToLower(strings.TrimSpace(pattern))
	if typ, ok := strings.CutSuffix(pattern, "/*"); ok {
		t, _, found := strings.Cut(mt, "/")
		return found && t == typ
	}
	return mt == pattern
}

func matchesAnyType(patterns []string, contentType string) bool {
	for _, p := range patterns {
		if MatchesContentType(p, contentType) {
			return true
		}
	}
	return false
}

// CheckGlob checks a name pattern given in field (see MatchesGlob): a
// short text (CheckText) whose brackets are closed and not empty, and
// whose ranges go upwards.
func CheckGlob(field, glob string) error {
	if err := CheckText(field, glob); err != nil {
		return err
	}
	if _, err := parseGlob(glob); err != nil {
		return problem.Invalid(field, "%q is not a name pattern: %s", Truncate(glob, 80), err)
	}
	return nil
}

// MatchesGlob reports whether the whole of name matches glob, ignoring
// case (both are lowered as MatchesFilter lowers them). In glob:
//
//   - * matches any run of characters, none included;
//   - ? matches exactly one character;
//   - [abc] matches one of the characters listed, [a-z] one in the range,
//     [!abc] one not listed; a ] first in the list, or a - first or last,
//     stands for itself;
//   - every other character stands for itself (to match a *, ? or [,
//     write [*], [?], [[]).
//
// A name has no path: / is a character like any other, and * matches it.
// A glob CheckGlob refuses matches nothing.
func MatchesGlob(glob, name string) bool {
	toks, err := parseGlob(glob)
	if err != nil {
		return false
	}
	return matchTokens(toks, []rune(strings.ToLower(name)))
}

type globKind int

const (
	globChar  globKind = iota
	globAny            // ?
	globStar           // *
	globClass          // [...]
)

type globToken struct {
	kind   globKind
	r      rune
	ranges [][2]rune // globClass: inclusive ranges
	negate bool
}

func parseGlob(glob string) ([]globToken, error) {
	rs := []rune(strings.ToLower(glob))
	var toks []globToken
	for i := 0; i < len(rs); i++ {
		switch rs[i] {
		case '*':
			if len(toks) == 0 || toks[len(toks)-1].kind != globStar {
				toks = append(toks, globToken{kind: globStar})
			}
		case '?':
			toks = append(toks, globToken{kind: globAny})
		case '[':
			t, next, err := parseClass(rs, i)
			if err != nil {
				return nil, err
			}
			toks = append(toks, t)
			i = next
		default:
			toks = append(toks, globToken{kind: globChar, r: rs[i]})
		}
	}
	return toks, nil
}

// parseClass parses the class that opens at rs[open] and answers it and
// the index of its closing ].
func parseClass(rs []rune, open int) (globToken, int, error) {
	t := globToken{kind: globClass}
	i := open + 1
	if i < len(rs) && rs[i] == '!' {
		t.negate = true
		i++
	}
	start := i
	for ; i < len(rs); i++ {
		c := rs[i]
		if c == ']' && i > start {
			if len(t.ranges) == 0 {
				return t, 0, fmt.Errorf("the bracket at character %d lists no character", open+1)
			}
			return t, i, nil
		}
		if i+2 < len(rs) && rs[i+1] == '-' && rs[i+2] != ']' {
			lo, hi := c, rs[i+2]
			if lo > hi {
				return t, 0, fmt.Errorf("the range %c-%c at character %d goes downwards", lo, hi, i+1)
			}
			t.ranges = append(t.ranges, [2]rune{lo, hi})
			i += 2
			continue
		}
		t.ranges = append(t.ranges, [2]rune{c, c})
	}
	return t, 0, fmt.Errorf("the bracket [ at character %d is not closed (to match a [ itself, write [[])", open+1)
}

func (t globToken) matches(r rune) bool {
	switch t.kind {
	case globAny:
		return true
	case globChar:
		return t.r == r
	case globClass:
		in := false
		for _, rg := range t.ranges {
			if r >= rg[0] && r <= rg[1] {
				in = true
				break
			}
		}
		return in != t.negate
	}
	return false
}

// matchTokens matches the whole of name, backtracking only to the last
// star (at most len(toks)×len(name) steps).
func matchTokens(toks []globToken, name []rune) bool {
	ti, ni := 0, 0
	star, starNi := -1, 0
	for ni < len(name) {
		switch {
		case ti < len(toks) && toks[ti].kind == globStar:
			star, starNi = ti, ni
			ti++
		case ti < len(toks) && toks[ti].matches(name[ni]):
			ti++
			ni++
		case star >= 0:
			starNi++
			ti, ni = star+1, starNi
		default:
			return false
		}
	}
	for ti < len(toks) && toks[ti].kind == globStar {
		ti++
	}
	return ti == len(toks)
}

// CheckSizeRange checks a size range in bytes: neither bound negative, and
// the least not above the most. The fields name the bounds.
func CheckSizeRange(minField, maxField string, min, max *int64) error {
	var errs []error
	if min != nil && *min < 0 {
		errs = append(errs, problem.Invalid(minField, "must not be negative"))
	}
	if max != nil && *max < 0 {
		errs = append(errs, problem.Invalid(maxField, "must not be negative"))
	}
	if len(errs) == 0 && min != nil && max != nil && *min > *max {
		errs = append(errs, problem.Invalid(minField, "must not be above %s (%d > %d)", maxField, *min, *max))
	}
	return problem.Gather(errs...)
}
