package app

import (
	"os"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/goccy/go-yaml"
	"github.com/scoopa/webhooks/internal/storage"
)

// composeFiles are the Docker Compose files of the repository, which
// docs/DEPLOYING.md explains.
var composeFiles = []string{"../../docker-compose.yml", "../../docker-compose.multinode.yml"}

// The compose files parse (anchors and merge keys resolved), and every
// SCOOPA_ variable they give a server or worker is one the binaries read:
// a misspelt name would be silently ignored by the program.
func TestComposeFilesUseKnownSettings(t *testing.T) {
	known := map[string]bool{}
	for _, s := range settings() {
		known[s.env] = true
	}
	for _, file := range composeFiles {
		t.Run(strings.TrimPrefix(file, "../../"), func(t *testing.T) {
			body, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			var doc struct {
				Services map[string]struct {
					Build       any               `yaml:"build"`
					Image       string            `yaml:"image"`
					Environment map[string]string `yaml:"environment"`
				} `yaml:"services"`
			}
			if err := yaml.Unmarshal(body, &doc); err != nil {
				t.Fatalf("%s does not parse: %v", file, err)
			}
			var ours []string
			for name, svc := range doc.Services {
				if svc.Build == nil && svc.Image == "" {
					t.Errorf("service %s has neither build nor image", name)
				}
				if svc.Build == nil {
					continue // not our image
				}
				ours = append(ours, name)
				if svc.Environment["SCOOPA_DATABASE_URL"] == "" || svc.Environment["SCOOPA_REDIS_URL"] == "" {
					t.Errorf("service %s runs our image without SCOOPA_DATABASE_URL and SCOOPA_REDIS_URL (it would start in embedded mode)", name)
				}
				if _, err := parseRedisURL(svc.Environment["SCOOPA_REDIS_URL"]); err != nil {
					t.Errorf("service %s: SCOOPA_REDIS_URL: %v", name, err)
				}
				if u := svc.Environment["SCOOPA_STORAGE_URL"]; u != "" {
					if _, err := storage.ParseURL(u); err != nil {
						t.Errorf("service %s: SCOOPA_STORAGE_URL: %v", name, err)
					}
				}
				for v := range svc.Environment {
					if strings.HasPrefix(v, "SCOOPA_") && !known[v] {
						t.Errorf("service %s sets %s, which the binaries do not read", name, v)
					}
				}
			}
			sort.Strings(ours)
			if len(ours) == 0 {
				t.Fatalf("no service runs our image (build: .)")
			}
			t.Logf("services of our image: %v", ours)
			if !slices.ContainsFunc(ours, func(s string) bool { return strings.HasPrefix(s, "worker") }) {
				t.Errorf("no worker service in %v", ours)
			}
		})
	}
}
