package app

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"
	"time"

	"github.com/scoopa/webhooks/ent"
	"github.com/scoopa/webhooks/ent/webhookcall"
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

// TestCSVRecordGuardsText: every text cell of an export row, the media
// filters included, passes csvSafe; numbers, booleans and times are
// written as they are, and what is absent is empty.
func TestCSVRecordGuardsText(t *testing.T) {
	formula := "=HYPERLINK(\"x\")"
	origin := webhookcall.OriginFOLDER
	first := time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)
	complete := false
	c := &ent.WebhookCall{ID: 7, Kind: webhookcall.KindDELIVERY, Status: webhookcall.StatusSUCCEEDED, Origin: &origin,
		WebhookName: formula, TargetURL: "https://r.example/" + formula, FileName: formula, FolderName: formula,
		Filter: &formula, Filters: &formula, Error: &formula, AttemptCount: 1,
		FetchedFirstAt: &first, FetchCount: 3, FetchedBytes: 1 << 40, LastFetchComplete: &complete}
	rec := csvRecord(c)
	got := map[string]string{}
	for i, col := range exportColumns {
		got[col] = rec[i]
	}
	for _, col := range []string{"webhookName", "fileName", "folderName", "filter", "filters", "error"} {
		if got[col] != "'"+formula {
			t.Errorf("%s: %q, want %q", col, got[col], "'"+formula)
		}
	}
	for col, want := range map[string]string{"fetchFirstAt": "2026-03-04T05:06:07Z", "fetchCount": "3",
		"fetchBytes": "1099511627776", "fetchLastComplete": "false", "responseStatus": "", "test": "false"} {
		if got[col] != want {
			t.Errorf("%s: %q, want %q", col, got[col], want)
		}
	}
	c.Filters, c.FetchedFirstAt, c.FetchCount, c.FetchedBytes, c.LastFetchComplete = nil, nil, 0, 0, nil
	rec = csvRecord(c)
	if tail := strings.Join(rec[len(rec)-5:], ","); tail != ",,0,0," {
		t.Errorf("no filters, no fetch: %q, want ,,0,0,", tail)
	}
}
