package app

import (
	"os"
	"strings"
	"testing"
)

// The configuration page's table (docs/CONFIGURATION.md, linked from the
// README) names every variable the binaries read, with the default of
// settings(), and no variable they do not read.
func TestConfigurationTable(t *testing.T) {
	page, err := os.ReadFile("../../docs/CONFIGURATION.md")
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(page), "\n## Environment variables\n")
	if !ok {
		t.Fatal(`docs/CONFIGURATION.md has no "## Environment variables" section`)
	}
	rest, _, _ = strings.Cut(rest, "\n## ")
	rows := map[string]string{} // variable -> default cell
	for _, line := range strings.Split(rest, "\n") {
		if !strings.HasPrefix(line, "| `") {
			continue
		}
		cells := strings.Split(strings.Trim(line, "|"), " | ")
		if len(cells) != 3 {
			t.Errorf("CONFIGURATION.md row with %d cells, want 3: %s", len(cells), line)
			continue
		}
		name := strings.Trim(strings.TrimSpace(cells[0]), "`")
		if _, dup := rows[name]; dup {
			t.Errorf("CONFIGURATION.md names %s twice", name)
		}
		rows[name] = strings.TrimSpace(cells[2])
	}
	if len(rows) == 0 {
		t.Fatal("no rows found in the table of docs/CONFIGURATION.md")
	}
	read := map[string]bool{}
	for _, s := range settings() {
		read[s.env] = true
		cell, ok := rows[s.env]
		if !ok {
			t.Errorf("docs/CONFIGURATION.md's table lacks %s (default %q)", s.env, s.def)
			continue
		}
		if s.def != "" && !strings.Contains(cell, "`"+s.def+"`") {
			t.Errorf("docs/CONFIGURATION.md gives %s the default %q, the binaries %q", s.env, cell, s.def)
		}
	}
	for name := range rows {
		if !read[name] {
			t.Errorf("docs/CONFIGURATION.md's table names %s, which nothing reads", name)
		}
	}
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(readme), "(docs/CONFIGURATION.md)") {
		t.Error("the README does not link to docs/CONFIGURATION.md")
	}
}
