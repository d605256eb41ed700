package app

import (
	"os"
	"strings"
	"testing"
)

// The README's configuration table names every variable the binaries read,
// with the default of settings(), and no variable they do not read.
func TestReadmeConfigTable(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(readme), "\n## Configuration\n")
	if !ok {
		t.Fatal(`README.md has no "## Configuration" section`)
	}
	rest, _, _ = strings.Cut(rest, "\n## ")
	rows := map[string]string{} // variable -> default cell
	for _, line := range strings.Split(rest, "\n") {
		if !strings.HasPrefix(line, "| `") {
			continue
		}
		cells := strings.Split(strings.Trim(line, "|"), " | ")
		if len(cells) != 3 {
			t.Errorf("README row with %d cells, want 3: %s", len(cells), line)
			continue
		}
		name := strings.Trim(strings.TrimSpace(cells[0]), "`")
		if _, dup := rows[name]; dup {
			t.Errorf("README names %s twice", name)
		}
		rows[name] = strings.TrimSpace(cells[2])
	}
	if len(rows) == 0 {
		t.Fatal("no rows found in the README's configuration table")
	}
	read := map[string]bool{}
	for _, s := range settings() {
		read[s.env] = true
		cell, ok := rows[s.env]
		if !ok {
			t.Errorf("README's configuration table lacks %s (default %q)", s.env, s.def)
			continue
		}
		if s.def != "" && !strings.Contains(cell, "`"+s.def+"`") {
			t.Errorf("README gives %s the default %q, the binaries %q", s.env, cell, s.def)
		}
	}
	for name := range rows {
		if !read[name] {
			t.Errorf("README's configuration table names %s, which nothing reads", name)
		}
	}
}
