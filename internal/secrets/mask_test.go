package secrets

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestMask(t *testing.T) {
	const dots = "••••••••"
	tests := []struct {
		name  string
		value string
		want  string
	}{
		{name: "empty", value: "", want: dots},
		{name: "3", value: "abc", want: dots},
		{name: "4", value: "abcd", want: dots + "d"},
		{name: "8", value: "abcdefgh", want: dots + "gh"},
		{name: "11", value: "abcdefghijk", want: dots + "jk"},
		{name: "12", value: "abcdefghijkl", want: dots + "jkl"},
		{name: "16", value: "abcdefghijklmnop", want: dots + "mnop"},
		{name: "long", value: "Bearer " + strings.Repeat("x", 40) + "WXYZ", want: dots + "WXYZ"},
		{name: "multi-byte runes", value: "ääääääää", want: dots + "ää"},
		{name: "emoji", value: strings.Repeat("😀", 20) + "🔑", want: dots + "😀😀😀🔑"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Mask(tt.value); got != tt.want {
				t.Errorf("Mask(%q) = %q, want %q", tt.value, got, tt.want)
			}
		})
	}
}

func TestMaskRevealsLittle(t *testing.T) {
	for n := range 64 {
		for _, unit := range []string{"a", "é", "😀"} {
			v := strings.Repeat(unit, n)
			got := Mask(v)
			shown, ok := strings.CutPrefix(got, "••••••••")
			if !ok {
				t.Fatalf("Mask(%d×%q) = %q, want 8 bullets first", n, unit, got)
			}
			revealed := utf8.RuneCountInString(shown)
			if !strings.HasSuffix(v, shown) {
				t.Errorf("Mask(%d×%q) = %q shows something that is not the end of the value", n, unit, got)
			}
			if revealed > 4 {
				t.Errorf("Mask(%d runes) reveals %d, want at most 4", n, revealed)
			}
			if revealed > n/4 {
				t.Errorf("Mask(%d runes) reveals %d, want at most a quarter", n, revealed)
			}
			if n > 0 && 2*revealed >= n {
				t.Errorf("Mask(%d runes) reveals %d, half or more", n, revealed)
			}
		}
	}
}
