package rules

import (
	"errors"
	"strings"
	"testing"

	"github.com/scoopa/webhooks/internal/problem"
)

func i64(n int64) *int64 { return &n }

func TestMatchesGlob(t *testing.T) {
	tests := []struct {
		glob, name string
		want       bool
	}{
		{"*.mov", "clip.mov", true},
		{"*.mov", "CLIP.MOV", true},
		{"*.MOV", "clip.mov", true},
		{"*.mov", "clip.mov.part", false},
		{"*.mov", ".mov", true},
		{"*.mov", "clip.mp4", false},
		{"clip_??.mp4", "clip_01.mp4", true},
		{"clip_??.mp4", "clip_1.mp4", false},
		{"clip_??.mp4", "clip_001.mp4", false},
		{"clip_??.mp4", "Clip_Ab.MP4", true},
		{"?", "é", true}, // one character, two bytes
		{"[abc]*", "bravo.wav", true},
		{"[abc]*", "delta.wav", false},
		{"[ABC]*", "alpha.wav", true},
		{"[a-c]x", "bx", true},
		{"[a-c]x", "dx", false},
		{"[!a-c]x", "dx", true},
		{"[!a-c]x", "ax", false},
		{"[]]", "]", true},
		{"[-a]", "-", true},
		{"[a-]", "-", true},
		{"[*]", "*", true},
		{"[*]", "a", false},
		{"a[?]", "a?", true},
		{"*", "", true},
		{"*", "any/thing with spaces", true},
		{"a*b", "a/b", true}, // no path: * matches /
		{"a/?", "a/b", true},
		{"*a*b*c*", "xxaxxbxxcxx", true},
		{"*a*b*c*", "xxaxxcxxbxx", false},
		{"**.mov", "x.mov", true},
		{"", "", true},
		{"", "a", false},
		{"report.pdf", "Report.PDF", true},
		{"[a", "[a", false}, // a bad glob matches nothing
	}
	for _, tt := range tests {
		if got := MatchesGlob(tt.glob, tt.name); got != tt.want {
			t.Errorf("MatchesGlob(%q, %q) %s", tt.glob, tt.name, diff(tt.want, got))
		}
	}
}

func TestMatchesContentType(t *testing.T) {
	tests := []struct {
		pattern, contentType string
		want                 bool
	}{
		{"video/*", "video/mp4", true},
		{"video/*", "video/quicktime", true},
		{"video/*", "VIDEO/MP4", true},
		{"VIDEO/*", "video/mp4", true},
		{"video/*", "audio/mp4", false},
		{"video/*", "videos/mp4", false},
		{"video/*", "video", false},
		{"image/png", "image/png", true},
		{"image/png", "image/PNG", true},
		{"image/png", "image/pngx", false},
		{"image/png", "image/jpeg", false},
		{"text/plain", "text/plain; charset=utf-8", true},
		{"text/*", "text/csv;charset=utf-8", true},
		{"image/png", "", false},
	}
	for _, tt := range tests {
		if got := MatchesContentType(tt.pattern, tt.contentType); got != tt.want {
			t.Errorf("MatchesContentType(%q, %q) %s", tt.pattern, tt.contentType, diff(tt.want, got))
		}
	}
}

func TestFileFilterMatches(t *testing.T) {
	type file struct {
		name, typ string
		size      int64
	}
	mov := file{"Clip_01.MOV", "video/quicktime", 5000}
	png := file{"still.png", "image/png", 300}
	pdf := file{"notes.pdf", "application/pdf", 70000}
	tests := []struct {
		name   string
		filter FileFilter
		file   file
		want   bool
	}{
		{"no filter", FileFilter{}, pdf, true},
		{"contains", FileFilter{Contains: "clip"}, mov, true},
		{"contains, not", FileFilter{Contains: "clip"}, png, false},
		{"types, one matches", FileFilter{ContentTypes: []string{"video/*", "image/png"}}, png, true},
		{"types, wildcard matches", FileFilter{ContentTypes: []string{"video/*", "image/png"}}, mov, true},
		{"types, none matches", FileFilter{ContentTypes: []string{"video/*", "image/png"}}, pdf, false},
		{"glob", FileFilter{NameGlob: "clip_??.mov"}, mov, true},
		{"glob, not", FileFilter{NameGlob: "*.mov"}, png, false},
		{"min, equal", FileFilter{MinSize: i64(5000)}, mov, true},
		{"min, below", FileFilter{MinSize: i64(5001)}, mov, false},
		{"max, equal", FileFilter{MaxSize: i64(300)}, png, true},
		{"max, above", FileFilter{MaxSize: i64(299)}, png, false},
		{"range", FileFilter{MinSize: i64(100), MaxSize: i64(6000)}, mov, true},
		{"range, above", FileFilter{MinSize: i64(100), MaxSize: i64(6000)}, pdf, false},
		{"zero range", FileFilter{MinSize: i64(0), MaxSize: i64(0)}, file{"empty.txt", "text/plain", 0}, true},
		{"all, met", FileFilter{Contains: "clip", ContentTypes: []string{"video/*"}, NameGlob: "*.mov", MinSize: i64(1), MaxSize: i64(1 << 30)}, mov, true},
		{"all, one not met", FileFilter{Contains: "clip", ContentTypes: []string{"video/*"}, NameGlob: "*.mp4", MinSize: i64(1)}, mov, false},
	}
	for _, tt := range tests {
		if got := tt.filter.Matches(tt.file.name, tt.file.typ, tt.file.size); got != tt.want {
			t.Errorf("%s: %+v.Matches(%+v) %s", tt.name, tt.filter, tt.file, diff(tt.want, got))
		}
	}
}

func TestFileFilterDescribe(t *testing.T) {
	tests := []struct {
		filter FileFilter
		want   string
	}{
		{FileFilter{}, ""},
		{FileFilter{Contains: "clip"}, ""},
		{FileFilter{ContentTypes: []string{"video/*", "image/png"}}, "type video/*, image/png"},
		{FileFilter{NameGlob: "*.mov", MinSize: i64(10)}, "name *.mov; size ≥ 10 bytes"},
		{FileFilter{MaxSize: i64(10)}, "size ≤ 10 bytes"},
		{FileFilter{ContentTypes: []string{"video/*"}, NameGlob: "clip_??.mp4", MinSize: i64(1), MaxSize: i64(2)}, "type video/*; name clip_??.mp4; size 1–2 bytes"},
	}
	for _, tt := range tests {
		if got := tt.filter.Describe(); got != tt.want {
			t.Errorf("%+v.Describe() %s", tt.filter, diff(tt.want, got))
		}
	}
}

func TestCheckGlob(t *testing.T) {
	tests := []struct{ glob, want string }{
		{"*.mov", ""},
		{"clip_??.mp4", ""},
		{"[abc]*", ""},
		{"[]]", ""},
		{"[a", "is not closed"},
		{"x[]", "is not closed"},
		{"[!]", "is not closed"},
		{"[z-a]", "goes downwards"},
		{"a\nb", "must not contain NUL or line breaks"},
		{strings.Repeat("a", 256), "at most 255"},
	}
	for _, tt := range tests {
		checkInputHas(t, "CheckGlob("+tt.glob+")", CheckGlob("nameGlob", tt.glob), "nameGlob", tt.want)
	}
}

func TestCheckContentTypes(t *testing.T) {
	tests := []struct {
		patterns    []string
		field, want string
	}{
		{[]string{"video/*", "image/png", "application/vnd.apple.mpegurl"}, "", ""},
		{[]string{"video/*", "video"}, "contentTypes.1", "want \"type/subtype\""},
		{[]string{"*/*"}, "contentTypes.0", "cannot be a wildcard"},
		{[]string{"video/mp*"}, "contentTypes.0", "is not a token"},
		{[]string{"text/plain; charset=utf-8"}, "contentTypes.0", "parameters"},
		{[]string{"vid eo/mp4"}, "contentTypes.0", "is not a token"},
		{[]string{"/png"}, "contentTypes.0", "is not a token"},
		{make([]string, 21), "contentTypes", "at most 20"},
	}
	for _, tt := range tests {
		checkInputHas(t, "CheckContentTypes", CheckContentTypes("contentTypes", tt.patterns), tt.field, tt.want)
	}
}

func TestCheckSizeRange(t *testing.T) {
	tests := []struct {
		min, max    *int64
		field, want string
	}{
		{nil, nil, "", ""},
		{i64(0), i64(0), "", ""},
		{i64(1), nil, "", ""},
		{i64(-1), nil, "minSizeBytes", "must not be negative"},
		{nil, i64(-5), "maxSizeBytes", "must not be negative"},
		{i64(10), i64(9), "minSizeBytes", "must not be above maxSizeBytes (10 > 9)"},
	}
	for _, tt := range tests {
		err := CheckSizeRange("minSizeBytes", "maxSizeBytes", tt.min, tt.max)
		checkInputHas(t, "CheckSizeRange", err, tt.field, tt.want)
	}
}

// checkInputHas checks that err is nil (want "") or one InputError on
// field whose message contains want.
func checkInputHas(t *testing.T, call string, err error, field, want string) {
	t.Helper()
	if want == "" {
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
	if ie.Field != field || !strings.Contains(ie.Message, want) {
		t.Errorf("%s = %s: %q, want %s: …%s…", call, ie.Field, ie.Message, field, want)
	}
}
