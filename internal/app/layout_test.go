package app_test

import (
	"os/exec"
	"strings"
	"testing"
)

// layers are the project's packages from the bottom up. A package imports
// only packages of the layers below its own (directly or not): the errors
// and the building blocks know nothing of the domain, the domain
// (internal/webhooks) nothing of its users (graph, worker), and those
// nothing of the binary that wires them (internal/app, cmd).
var layers = [][]string{
	{"internal/problem"},
	{"internal/groupcommit", "internal/guard", "internal/events", "internal/storage", "internal/store", "internal/wake"},
	{"internal/rules", "internal/store/entstore"},
	{"internal/secrets", "internal/store/pgstore"},
	{"internal/audit"},
	{"internal/sender", "internal/auth", "internal/limits"},
	{"internal/stats", "internal/files", "internal/calllog", "internal/operator"},
	{"internal/settings"},
	{"internal/webhooks"},
	{"graph", "worker"},
	{"internal/app"},
}

func TestLayoutImportDirections(t *testing.T) {
	const mod = "github.com/scoopa/webhooks/"
	out, err := exec.Command("go", "list", mod+"...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	layerOf := map[string]int{}
	for i, l := range layers {
		for _, p := range l {
			layerOf[p] = i
		}
	}
	for _, full := range strings.Fields(string(out)) {
		p := strings.TrimPrefix(full, mod)
		if (strings.HasPrefix(p, "internal/") || p == "graph" || p == "worker") && p != "internal/testenv" {
			if _, ok := layerOf[p]; !ok {
				t.Errorf("package %s is in no layer: add it to layers", p)
			}
		}
	}
	for pkg, l := range layerOf {
		out, err := exec.Command("go", "list", "-deps", mod+pkg).Output()
		if err != nil {
			t.Fatalf("go list -deps %s: %v", pkg, err)
		}
		for _, d := range strings.Fields(string(out)) {
			dep := strings.TrimPrefix(d, mod)
			if dl, ok := layerOf[dep]; ok && dep != pkg && dl >= l {
				t.Errorf("%s imports %s (directly or not), which is not below it", pkg, dep)
			}
		}
	}
}
