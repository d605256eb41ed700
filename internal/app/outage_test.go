package app_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/scoopa/webhooks/internal/app"
	"github.com/scoopa/webhooks/internal/testenv"
	"github.com/scoopa/webhooks/internal/webhooks"
)

// answer is an HTTP answer of the server under test.
type answer struct {
	status     int
	retryAfter string
	body       map[string]any
	raw        string
}

// dependency is the dependency an answer names: "dependency" of a JSON
// error, or extensions.dependency of a GraphQL one.
func (a answer) dependency() string {
	if d, ok := a.body["dependency"].(string); ok {
		return d
	}
	if errs, ok := a.body["errors"].([]any); ok && len(errs) > 0 {
		if ext, ok := errs[0].(map[string]any)["extensions"].(map[string]any); ok {
			d, _ := ext["dependency"].(string)
			return d
		}
	}
	return ""
}

// ask sends a request with the admin token and a client timeout of
// seconds: a server that does not answer fails the test.
func ask(t *testing.T, method, url, token, contentType string, body []byte, within time.Duration) answer {
	t.Helper()
	req, err := http.NewRequest(method, url, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	c := &http.Client{Timeout: within, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatalf("%s %s: no answer within %v: %v", method, url, within, err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	a := answer{status: resp.StatusCode, retryAfter: resp.Header.Get("Retry-After"), raw: string(raw)}
	_ = json.Unmarshal(raw, &a.body)
	return a
}

// throughProxy returns rawURL (postgres:// or redis://) with its host the
// proxy's.
func throughProxy(t *testing.T, rawURL string, p *testenv.Proxy) string {
	t.Helper()
	u, err := url.Parse(rawURL)
	if err != nil {
		t.Fatal(err)
	}
	u.Host = p.Addr
	return u.String()
}

// A server started while PostgreSQL or Redis is down opens its port and
// answers at once: /healthz 200, /readyz 503 naming the dependency down,
// the API 503 with Retry-After and an error naming it. It waits for the
// dependency as long as it takes, and once it is up (here through a proxy
// that refused connections until then) it migrates and serves, without a
// restart.
func TestServerStartsBeforeItsBackends(t *testing.T) {
	for _, dep := range []string{"database", "redis"} {
		t.Run(dep, func(t *testing.T) {
			t.Parallel()
			env := testenv.Env(t, testenv.Postgres, nil)
			var proxy *testenv.Proxy
			if dep == "database" {
				proxy = testenv.StartProxy(t, "127.0.0.1:5432", false)
				env["SCOOPA_DATABASE_URL"] = throughProxy(t, env["SCOOPA_DATABASE_URL"], proxy)
			} else {
				u, _ := url.Parse(env["SCOOPA_REDIS_URL"])
				proxy = testenv.StartProxy(t, u.Host, false)
				env["SCOOPA_REDIS_URL"] = throughProxy(t, env["SCOOPA_REDIS_URL"], proxy)
			}
			cfg, err := app.LoadConfig("test-server", nil, testenv.Getenv(env), io.Discard)
			if err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			listening, ready := make(chan string, 1), make(chan string, 1)
			done := make(chan error, 1)
			go func() {
				done <- app.Serve(ctx, cfg, testenv.Logger(t, slog.LevelError), io.Discard,
					func(a string) { ready <- a }, app.WithListening(func(a string) { listening <- a }))
			}()
			var base string
			select {
			case a := <-listening:
				base = "http://" + a
			case err := <-done:
				t.Fatalf("Serve returned %v before it listened", err)
			case <-time.After(10 * time.Second):
				t.Fatal("the port was not open within 10s")
			}
			token := env["SCOOPA_ADMIN_TOKEN"]
			check := func() {
				t.Helper()
				if a := ask(t, "GET", base+"/healthz", "", "", nil, time.Second); a.status != 200 {
					t.Errorf("/healthz while %s is down: %d %s, want 200", dep, a.status, a.raw)
				}
				testenv.Eventually(t, 10*time.Second, "/readyz naming "+dep+" down", func() bool {
					a := ask(t, "GET", base+"/readyz", "", "", nil, time.Second)
					return a.status == 503 && a.body[dep] == "down"
				})
				gql := ask(t, "POST", base+"/graphql", token, "application/json", []byte(`{"query":"{ __typename }"}`), time.Second)
				session := ask(t, "GET", base+"/api/session", "", "", nil, time.Second)
				for what, a := range map[string]answer{"/graphql": gql, "/api/session": session} {
					if a.status != 503 || a.retryAfter == "" || a.dependency() != dep {
						t.Errorf("%s while %s is down: %d, Retry-After %q, %s; want 503 with Retry-After naming %s", what, dep, a.status, a.retryAfter, a.raw, dep)
					}
				}
			}
			check()
			time.Sleep(2 * time.Second) // retrying meanwhile, not stopped
			check()
			select {
			case err := <-done:
				t.Fatalf("Serve returned while waiting for %s: %v", dep, err)
			default:
			}

			proxy.Up(t)
			select {
			case <-ready:
			case err := <-done:
				t.Fatalf("Serve returned %v", err)
			case <-time.After(30 * time.Second):
				t.Fatalf("not serving within 30s of %s coming up", dep)
			}
			if a := ask(t, "GET", base+"/readyz", "", "", nil, 5*time.Second); a.status != 200 {
				t.Errorf("/readyz with %s up: %d %s, want 200", dep, a.status, a.raw)
			}
			if a := ask(t, "POST", base+"/graphql", token, "application/json", []byte(`{"query":"{ folders(first: 1) { totalCount } }"}`), 5*time.Second); a.status != 200 || strings.Contains(a.raw, `"errors"`) {
				t.Errorf("/graphql with %s up: %d %s", dep, a.status, a.raw)
			}
			cancel()
			select {
			case err := <-done:
				if err != nil {
					t.Errorf("Serve returned %v, want nil", err)
				}
			case <-time.After(30 * time.Second):
				t.Fatal("Serve did not return within 30s of its context ending")
			}
		})
	}
}

// Outages of a running server are answered as outages, not as bugs: with
// the object store down, uploads and downloads get 503 with Retry-After
// naming the object store (at once, once it is known down), and /readyz
// names it; with PostgreSQL down, GraphQL, downloads, exports and
// sign-ins get 503 naming the database. Each comes back by itself.
func TestOutagesAre503(t *testing.T) {
	t.Parallel()
	s3 := testenv.StartS3(t)
	s3proxy := testenv.StartProxy(t, strings.TrimPrefix(s3.Endpoint, "http://"), true)
	dbproxy := testenv.StartProxy(t, "127.0.0.1:5432", true)
	env := testenv.Env(t, testenv.Postgres, s3.Vars())
	env["SCOOPA_STORAGE_URL"] = strings.Replace(s3.URL, s3.Endpoint, "http://"+s3proxy.Addr, 1)
	env["SCOOPA_DATABASE_URL"] = throughProxy(t, env["SCOOPA_DATABASE_URL"], dbproxy)
	env["TEST_NO_WORKER"] = "1"
	s := testenv.StartServer(t, testenv.Postgres, env)
	var f struct{ CreateFolder struct{ ID string } }
	s.MustDo(t, `mutation { createFolder(input: {name: "outages"}) { id } }`, nil, &f)
	up := s.Upload(t, f.CreateFolder.ID, "a.txt", "text/plain", []byte("kept"))
	var file struct{ UploadFile struct{ DownloadURL string } }
	if err := json.Unmarshal(up.Data, &file); err != nil || file.UploadFile.DownloadURL == "" {
		t.Fatalf("upload: %s %+v", up.Data, up.Errors)
	}
	download := file.UploadFile.DownloadURL
	outage := func(what string, a answer, dep string) {
		t.Helper()
		if a.status != 503 || a.retryAfter == "" || a.dependency() != dep {
			t.Errorf("%s: %d, Retry-After %q, %s; want 503 with Retry-After naming the %s", what, a.status, a.retryAfter, a.raw, dep)
		}
	}
	uploadAnswer := func() answer {
		r, err := s.TryUpload(f.CreateFolder.ID, "b.txt", "text/plain", []byte("lost"))
		if err != nil {
			t.Fatal(err)
		}
		a := answer{status: r.Status}
		if len(r.Errors) > 0 {
			a.body = map[string]any{"dependency": r.Errors[0].Extensions["dependency"]}
			a.raw = r.Errors[0].Message
			a.retryAfter = "?" // TryUpload does not keep headers; graphql checks below do
		}
		return a
	}

	s3proxy.Down()
	outage("upload, object store down", uploadAnswer(), "object store")
	start := time.Now()
	outage("upload, object store known down", uploadAnswer(), "object store")
	outage("download, object store known down", ask(t, "GET", download, "", "", nil, 5*time.Second), "object store")
	if d := time.Since(start); d > time.Second {
		t.Errorf("an upload and a download with the store known down took %v, want under 1s", d)
	}
	if a := ask(t, "GET", s.URL+"/readyz", "", "", nil, 5*time.Second); a.status != 503 || a.body["object store"] != "down" || a.body["database"] != "ok" {
		t.Errorf("/readyz, object store down: %d %s", a.status, a.raw)
	}
	s3proxy.Up(t)
	testenv.Eventually(t, 15*time.Second, "the object store back", func() bool {
		return ask(t, "GET", download, "", "", nil, 5*time.Second).status == 200
	})

	dbproxy.Down()
	query := []byte(`{"query":"{ folders(first: 1) { totalCount } }"}`)
	outage("/graphql, database down", ask(t, "POST", s.URL+"/graphql", s.Token, "application/json", query, 10*time.Second), "database")
	outage("download, database down", ask(t, "GET", download, "", "", nil, 10*time.Second), "database")
	outage("export, database down", ask(t, "GET", s.URL+"/exports/calls.csv", s.Token, "", nil, 10*time.Second), "database")
	outage("sign-in, database down", ask(t, "POST", s.URL+"/api/session", "", "application/json", []byte(`{"token":"scp_`+strings.Repeat("A", 43)+`"}`), 10*time.Second), "database")
	if a := ask(t, "GET", s.URL+"/readyz", "", "", nil, 5*time.Second); a.status != 503 || a.body["database"] != "down" {
		t.Errorf("/readyz, database down: %d %s", a.status, a.raw)
	}
	dbproxy.Up(t)
	testenv.Eventually(t, 15*time.Second, "the database back", func() bool {
		return ask(t, "POST", s.URL+"/graphql", s.Token, "application/json", query, 10*time.Second).status == 200
	})
}

// /readyz names each check, the free space of the data dir's file system
// among them: under SCOOPA_MIN_FREE_SPACE it is "low" and the server not
// ready, since every upload spills there.
func TestReadyzChecksFreeSpace(t *testing.T) {
	t.Parallel()
	s := testenv.StartServer(t, testenv.Embedded, nil)
	if a := ask(t, "GET", s.URL+"/readyz", "", "", nil, 5*time.Second); a.status != 200 || a.body["disk"] != "ok" || a.body["database"] != "ok" || a.body["redis"] != "ok" {
		t.Errorf("/readyz: %d %s, want 200 naming database, redis and disk ok", a.status, a.raw)
	}
	full := testenv.StartServer(t, testenv.Embedded, map[string]string{"SCOOPA_MIN_FREE_SPACE": "1152921504606846976"}) // 1 EiB
	if a := ask(t, "GET", full.URL+"/readyz", "", "", nil, 5*time.Second); a.status != 503 || a.body["disk"] != "low" {
		t.Errorf("/readyz with less free space than SCOOPA_MIN_FREE_SPACE: %d %s, want 503 with disk low", a.status, a.raw)
	}
}

// A worker told to stop while Redis is cut off (its connections open and
// silent) stops within its shutdown timeout (SCOOPA_DELIVERY_TIMEOUT plus
// 5s, 7s here), not after its Redis client's timeouts and retries of
// every step of the shutdown.
func TestWorkerStopsInTimeWithRedisGone(t *testing.T) {
	t.Parallel()
	env := testenv.Env(t, testenv.Postgres, nil)
	u, _ := url.Parse(env["SCOOPA_REDIS_URL"])
	proxy := testenv.StartProxy(t, u.Host, true)
	env["SCOOPA_REDIS_URL"] = throughProxy(t, env["SCOOPA_REDIS_URL"], proxy)
	cfg, err := app.LoadConfig("test-worker", nil, testenv.Getenv(env), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	opened := make(chan struct{})
	done := make(chan error, 1)
	go func() {
		done <- app.Work(ctx, cfg, testenv.Logger(t, slog.LevelError), app.WithOpened(func(*webhooks.Service, redis.UniversalClient) { close(opened) }))
	}()
	select {
	case <-opened:
	case err := <-done:
		t.Fatalf("Work returned %v", err)
	case <-time.After(30 * time.Second):
		t.Fatal("the worker did not start within 30s")
	}
	time.Sleep(time.Second) // working
	proxy.Hang()            // Redis cut off: nothing answers
	time.Sleep(time.Second)
	start := time.Now()
	cancel()
	bound := cfg.DeliveryTimeout + 5*time.Second // the shutdown timeout
	select {
	case <-done:
		t.Logf("stopped in %v", time.Since(start).Round(time.Millisecond))
	case <-time.After(bound + 5*time.Second):
		t.Fatalf("the worker did not stop within %v of being told to, Redis gone (shutdown timeout %v)", bound+5*time.Second, bound)
	}
}
