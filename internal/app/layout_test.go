package app_test

import (
	"os/exec"
	"strings"
	"testing"
)

// Imports go one way: cmd → internal/app → graph / worker → the domain
// (internal/webhooks, internal/storage, internal/events) → the store
// (internal/store and its two implementations) → ent. The API does not
// import the worker, the domain imports none of its users, and the store
// none of the domain.
func TestLayoutImportDirections(t *testing.T) {
	const mod = "github.com/scoopa/webhooks/"
	forbidden := map[string][]string{
		"graph":                   {"worker", "internal/app"},
		"worker":                  {"graph", "internal/app"},
		"internal/webhooks":       {"worker", "graph", "internal/app"},
		"internal/storage":        {"worker", "graph", "internal/app", "internal/webhooks", "internal/events"},
		"internal/events":         {"worker", "graph", "internal/app", "internal/webhooks", "internal/storage"},
		"internal/groupcommit":    {"worker", "graph", "internal/app", "internal/webhooks", "internal/storage", "internal/events", "ent"},
		"internal/problem":        {"worker", "graph", "internal/app", "internal/webhooks", "internal/storage", "internal/events", "internal/store"},
		"internal/secrets":        {"worker", "graph", "internal/app", "internal/webhooks", "internal/storage", "internal/events", "internal/store"},
		"internal/sender":         {"worker", "graph", "internal/app", "internal/webhooks", "internal/storage", "internal/events", "internal/store"},
		"internal/store":          {"worker", "graph", "internal/app", "internal/webhooks", "internal/storage", "internal/events"},
		"internal/store/pgstore":  {"worker", "graph", "internal/app", "internal/webhooks", "internal/storage", "internal/events"},
		"internal/store/entstore": {"worker", "graph", "internal/app", "internal/webhooks", "internal/storage", "internal/events", "internal/store/pgstore"},
	}
	for pkg, not := range forbidden {
		out, err := exec.Command("go", "list", "-deps", mod+pkg).Output()
		if err != nil {
			t.Fatalf("go list -deps %s: %v", pkg, err)
		}
		deps := map[string]bool{}
		for _, d := range strings.Fields(string(out)) {
			deps[d] = true
		}
		for _, n := range not {
			if deps[mod+n] {
				t.Errorf("%s imports %s (directly or not)", pkg, n)
			}
		}
	}
}
