package files

import (
	"errors"
	"strings"
	"testing"

	"github.com/scoopa/webhooks/internal/problem"
)

// TestCheckFileInput checks that a new file's name follows the name rules:
// text that looks like another name is refused on the field "file", with
// a message saying what is wrong.
func TestCheckFileInput(t *testing.T) {
	tests := []struct {
		name string
		file string
		want string // a part of the message, "" when accepted
	}{
		{name: "plain", file: "report.pdf"},
		{name: "accents and CJK", file: "Café 請求書.pdf"},
		{name: "emoji sequence", file: "team \U0001F468\u200d\U0001F469\u200d\U0001F467.png"},
		{name: "braille blank", file: "\u2800.pdf", want: "braille pattern blank (U+2800)"},
		{name: "leading no-break space", file: "\u00a0report.pdf", want: "special space (U+00A0)"},
		{name: "leading full-width space", file: "\u3000report.pdf", want: "special space (U+3000)"},
		{name: "Zalgo", file: "re\u0300\u0301\u0302\u0303\u0304port.pdf", want: "more than 4 combining marks"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := checkFileInput(tt.file, "application/pdf")
			if tt.want == "" {
				if err != nil {
					t.Fatalf("checkFileInput(%q) = %v, want nil", tt.file, err)
				}
				return
			}
			var ie *problem.InputError
			if !errors.As(err, &ie) || ie.Field != "file" || !strings.Contains(ie.Message, tt.want) {
				t.Fatalf("checkFileInput(%q) = %v, want an input error on file containing %q", tt.file, err, tt.want)
			}
		})
	}
}
