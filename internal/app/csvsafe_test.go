package app

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"
)

// TestCSVSafe follows OWASP's CSV injection guidance: a cell that a
// spreadsheet could read as a formula, even behind leading whitespace or
// in the full-width forms, gets a leading single quote; other text is
// left as it is.
func TestCSVSafe(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string
	}{
		{name: "empty", in: "", want: ""},
		{name: "plain", in: "report.pdf", want: "report.pdf"},
		{name: "equals", in: "=SUM(A1)", want: "'=SUM(A1)"},
		{name: "plus", in: "+1", want: "'+1"},
		{name: "minus", in: "-Hook", want: "'-Hook"},
		{name: "at", in: "@SUM(A1)", want: "'@SUM(A1)"},
		{name: "tab", in: "\t=1", want: "'\t=1"},
		{name: "tab alone", in: "\tx", want: "'\tx"},
		{name: "carriage return", in: "\rx", want: "'\rx"},
		{name: "space then equals", in: " =1+1", want: "' =1+1"},
		{name: "spaces then at", in: "   @x", want: "'   @x"},
		{name: "newline then equals", in: "\n=1", want: "'\n=1"},
		{name: "no-break space then equals", in: "\u00a0=HYPERLINK(\"x\")", want: "'\u00a0=HYPERLINK(\"x\")"},
		{name: "ideographic space then plus", in: "\u3000+1", want: "'\u3000+1"},
		{name: "zero-width space then equals", in: "\u200b=1", want: "'\u200b=1"},
		{name: "BOM then minus", in: "\ufeff-1", want: "'\ufeff-1"},
		{name: "full-width equals", in: "\uff1dcmd|' /C calc'!A0", want: "'\uff1dcmd|' /C calc'!A0"},
		{name: "full-width plus", in: "\uff0b1", want: "'\uff0b1"},
		{name: "full-width minus", in: "\uff0d1", want: "'\uff0d1"},
		{name: "full-width at", in: "\uff20x", want: "'\uff20x"},
		{name: "small equals", in: "\ufe66x", want: "'\ufe66x"},
		{name: "space then full-width equals", in: " \uff1d1", want: "' \uff1d1"},
		{name: "equals inside", in: "a=b", want: "a=b"},
		{name: "minus inside", in: "2025-01-01", want: "2025-01-01"},
		{name: "spaces only", in: "   ", want: "   "},
		{name: "already quoted", in: "'=1", want: "'=1"},
		{name: "quote and comma", in: `a,"b"`, want: `a,"b"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := csvSafe(tt.in); got != tt.want {
				t.Errorf("csvSafe(%q) (-want +got):\n-\t%q\n+\t%q", tt.in, tt.want, got)
			}
		})
	}
}

// TestWriteCSVRecord checks that every cell is quoted, so that a spreadsheet
// that splits on another separator (a semicolon, a tab) still sees one
// cell rather than a second one starting with a formula, and that the
// record reads back whole.
func TestWriteCSVRecord(t *testing.T) {
	rec := []string{"1", `a,"b"`, "x;=1+1", "y\t@z", "line\nbreak", "", "'=c"}
	var buf bytes.Buffer
	if err := writeCSVRecord(&buf, rec); err != nil {
		t.Fatal(err)
	}
	want := `"1","a,""b""","x;=1+1","y` + "\t" + `@z","line` + "\n" + `break","","'=c"` + "\r\n"
	if got := buf.String(); got != want {
		t.Errorf("written (-want +got):\n-\t%q\n+\t%q", want, got)
	}
	got, err := csv.NewReader(&buf).Read()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(got, "|") != strings.Join(rec, "|") {
		t.Errorf("read back (-want +got):\n-\t%q\n+\t%q", rec, got)
	}
}
