package app_test

import (
	"bufio"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/scoopa/webhooks/internal/testenv"
)

const dashboardPath = "../../docs/grafana/scoopa-webhooks.json"

// metricName finds the scoopa metrics a PromQL expression or a template
// variable's query names.
var metricName = regexp.MustCompile(`\bscoopa_[a-zA-Z0-9_:]*`)

// dashboardMetrics returns every scoopa metric the dashboard's queries name
// (panel targets and template variables), each with where it is used.
func dashboardMetrics(t *testing.T, path string) map[string][]string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var d struct {
		UID           string `json:"uid"`
		Title         string `json:"title"`
		SchemaVersion int    `json:"schemaVersion"`
		Inputs        []struct {
			Name, Type, PluginID string
		} `json:"__inputs"`
		Panels []struct {
			Title   string `json:"title"`
			Type    string `json:"type"`
			Targets []struct {
				Expr       string `json:"expr"`
				Datasource struct {
					UID string `json:"uid"`
				} `json:"datasource"`
			} `json:"targets"`
		} `json:"panels"`
		Templating struct {
			List []struct {
				Name  string `json:"name"`
				Query struct {
					Query string `json:"query"`
				} `json:"query"`
			} `json:"list"`
		} `json:"templating"`
	}
	if err := json.Unmarshal(b, &d); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	if d.UID == "" || d.Title != "scoopa webhooks" || d.SchemaVersion < 36 {
		t.Errorf("dashboard uid %q, title %q, schemaVersion %d; want a uid, the title \"scoopa webhooks\" and schemaVersion >= 36", d.UID, d.Title, d.SchemaVersion)
	}
	if !slices.ContainsFunc(d.Inputs, func(in struct{ Name, Type, PluginID string }) bool { return in.Name == "DS_PROMETHEUS" }) {
		t.Error("dashboard has no DS_PROMETHEUS input: importing it would not ask for the Prometheus data source")
	}
	used := map[string][]string{}
	add := func(where, query string) {
		for _, m := range metricName.FindAllString(query, -1) {
			if !slices.Contains(used[m], where) {
				used[m] = append(used[m], where)
			}
		}
	}
	for _, p := range d.Panels {
		for _, tg := range p.Targets {
			if strings.TrimSpace(tg.Expr) == "" {
				t.Errorf("panel %q has a target without an expression", p.Title)
			}
			if tg.Datasource.UID != "${DS_PROMETHEUS}" {
				t.Errorf("panel %q queries data source %q, want ${DS_PROMETHEUS}", p.Title, tg.Datasource.UID)
			}
			add("panel "+p.Title, tg.Expr)
		}
	}
	for _, v := range d.Templating.List {
		add("variable "+v.Name, v.Query.Query)
	}
	if len(used) == 0 {
		t.Fatalf("%s names no scoopa metric", path)
	}
	return used
}

// exposition holds, from /metrics scrapes, the type of each metric family
// that has samples.
type exposition map[string]string

func (e exposition) scrape(t *testing.T, url string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("GET %s: %s", url, resp.Status)
	}
	types := map[string]string{}
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if f := strings.Fields(line); len(f) == 4 && f[0] == "#" && f[1] == "TYPE" {
			types[f[2]] = f[3]
			continue
		}
		if line == "" || line[0] == '#' {
			continue
		}
		end := strings.IndexAny(line, "{ ")
		if end < 0 {
			t.Fatalf("%s: unreadable line %q", url, line)
		}
		name := line[:end]
		// A sample belongs to the family of its name, or of its name
		// less the suffix a histogram or summary gives its series.
		for _, fam := range []string{name, strings.TrimSuffix(name, "_bucket"), strings.TrimSuffix(name, "_sum"), strings.TrimSuffix(name, "_count")} {
			if typ, ok := types[fam]; ok {
				e[fam] = typ
				break
			}
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatalf("read %s: %v", url, err)
	}
}

// check says why a name used in a query has no series in the exposition, or
// "" if it has: a histogram x is queried as x_bucket, x_sum or x_count, a
// summary as x, x_sum or x_count, anything else by its own name.
func (e exposition) check(name string) string {
	if typ, ok := e[name]; ok {
		if typ == "histogram" {
			return fmt.Sprintf("%s is a histogram: query %s_bucket, %s_sum or %s_count", name, name, name, name)
		}
		return ""
	}
	for suffix, types := range map[string][]string{"_bucket": {"histogram"}, "_sum": {"histogram", "summary"}, "_count": {"histogram", "summary"}} {
		if base, ok := strings.CutSuffix(name, suffix); ok {
			if typ, ok := e[base]; ok {
				if slices.Contains(types, typ) {
					return ""
				}
				return fmt.Sprintf("%s is a %s, it has no %s series", base, typ, suffix)
			}
		}
	}
	return "not exposed by /metrics"
}

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// The Grafana dashboard in docs/ queries only metrics that the server and
// the worker expose: after one upload delivered to a receiver that succeeds
// and to one that answers 410 Gone (deactivated, with operator events), the
// /metrics of the server and of the worker (SCOOPA_METRICS_ADDR) together
// have series for every metric the dashboard names, histograms by their
// _bucket, _sum and _count.
func TestGrafanaDashboardMetricsExposed(t *testing.T) {
	t.Parallel()
	used := dashboardMetrics(t, dashboardPath)
	for _, kind := range testenv.Kinds {
		t.Run(string(kind), func(t *testing.T) {
			t.Parallel()
			ok, gone, op := testenv.NewReceiver(t), testenv.NewReceiver(t), testenv.NewReceiver(t)
			env := map[string]string{
				"SCOOPA_DISABLE_AFTER":           "72h",
				"SCOOPA_OPERATOR_WEBHOOK_URL":    op.URL + "/ops",
				"SCOOPA_OPERATOR_WEBHOOK_SECRET": "whsec_" + strings.Repeat("QUJD", 8),
			}
			scrapes := []string{}
			if kind == testenv.Postgres { // the worker runs apart, its metrics on their own address
				addr := freeAddr(t)
				env["SCOOPA_METRICS_ADDR"] = addr
				scrapes = append(scrapes, "http://"+addr+"/metrics")
			}
			s := testenv.StartServerWith(t, kind, testenv.Options{Env: env})
			scrapes = append(scrapes, s.URL+"/metrics")

			var f struct{ CreateFolder struct{ ID string } }
			s.MustDo(t, `mutation { createFolder(input: {name: "dashboard"}) { id } }`, nil, &f)
			for name, rc := range map[string]*testenv.Receiver{"ok": ok, "gone": gone} {
				var w struct {
					CreateWebhook struct{ ValidationStatus string }
				}
				s.MustDo(t, `mutation($in: CreateWebhookInput!) { createWebhook(input: $in) { validationStatus } }`, map[string]any{"in": map[string]any{
					"name": name, "url": rc.URL, "folderIDs": []string{f.CreateFolder.ID}, "active": true}}, &w)
				if w.CreateWebhook.ValidationStatus != "VALID" {
					t.Fatalf("webhook %s: %+v, want VALID", name, w.CreateWebhook)
				}
			}
			gone.SetScript(func(int, http.ResponseWriter) int { return http.StatusGone })
			if r := s.Upload(t, f.CreateFolder.ID, "a.txt", "text/plain", []byte("a")); len(r.Errors) > 0 {
				t.Fatalf("upload: %+v", r.Errors)
			}
			// Both deliveries made, and the operator told of the failed
			// call and of the deactivation; then their counters counted.
			var e exposition
			testenv.Eventually(t, 30*time.Second, "the deliveries and operator events counted", func() bool {
				if len(ok.Deliveries()) < 1 || len(gone.Deliveries()) < 1 || len(op.Deliveries()) < 2 {
					return false
				}
				e = exposition{}
				for _, u := range scrapes {
					e.scrape(t, u)
				}
				_, delivered := e["scoopa_operator_events_total"]
				_, disabled := e["scoopa_webhooks_disabled_total"]
				return delivered && disabled && e["scoopa_call_attempt_duration_seconds"] == "histogram"
			})
			names := make([]string, 0, len(used))
			for n := range used {
				names = append(names, n)
			}
			slices.Sort(names)
			for _, n := range names {
				if why := e.check(n); why != "" {
					t.Errorf("%s, used by %s: %s", n, strings.Join(used[n], ", "), why)
				}
			}
			t.Logf("%d metrics of the dashboard checked against %s", len(names), strings.Join(scrapes, " and "))
		})
	}
}

// The check itself fails on a misspelt metric and on a histogram queried by
// its bare name or a counter queried as a histogram.
func TestExpositionCheck(t *testing.T) {
	e := exposition{"scoopa_queue_tasks": "gauge", "scoopa_d_seconds": "histogram", "scoopa_c_total": "counter"}
	for name, ok := range map[string]bool{
		"scoopa_queue_tasks":       true,
		"scoopa_queue_task":        false,
		"scoopa_d_seconds_bucket":  true,
		"scoopa_d_seconds_sum":     true,
		"scoopa_d_seconds_count":   true,
		"scoopa_d_seconds":         false,
		"scoopa_c_total_bucket":    false,
		"scoopa_queue_tasks_count": false,
	} {
		if got := e.check(name) == ""; got != ok {
			t.Errorf("check(%s) = %q, want ok=%v", name, e.check(name), ok)
		}
	}
}
