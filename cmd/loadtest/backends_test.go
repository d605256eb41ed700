package main

import (
	"context"
	"database/sql"
	"strings"
	"testing"
	"time"

	"github.com/scoopa/webhooks/internal/testenv"
)

func TestParseRedisCPU(t *testing.T) {
	info := "# CPU\r\nused_cpu_sys:12.500000\r\nused_cpu_user:3.250000\r\nused_cpu_sys_children:100.0\r\nused_cpu_user_children:7\r\nused_cpu_sys_main_thread:1.0\r\n"
	got, err := parseRedisCPU(info)
	if err != nil {
		t.Fatal(err)
	}
	if want := 15750 * time.Millisecond; got != want {
		t.Errorf("cpu = %v, want %v (children and main-thread figures left out)", got, want)
	}
	for _, bad := range []string{"# CPU\r\nused_cpu_sys:1.0\r\n", "used_cpu_sys:x\r\nused_cpu_user:1\r\n", "used_cpu_sys:-1\r\nused_cpu_user:1\r\n", ""} {
		if _, err := parseRedisCPU(bad); err == nil {
			t.Errorf("parseRedisCPU(%q) = no error", bad)
		}
	}
}

func TestBackendTally(t *testing.T) {
	s := time.Second
	tally := newBackendTally()
	// pid 1: there throughout, 10 s before the run, 13 s at the end: 3 s.
	// pid 2: there at the start (5 s), gone after the second sample (7 s): 2 s.
	// pid 3: started during the run, 4 s at the end: 4 s.
	// pid 4: at the start (50 s), gone, its pid reused by a new process
	// (1 s, then 2 s): 0 s for the old one, 2 s for the new one.
	// pid 5: came and went between the samples: 1.5 s.
	tally.observe(map[int]time.Duration{1: 10 * s, 2: 5 * s, 4: 50 * s}, true)
	tally.observe(map[int]time.Duration{1: 11 * s, 2: 7 * s, 3: 1 * s, 4: 1 * s, 5: 1500 * time.Millisecond}, false)
	last := map[int]time.Duration{1: 13 * s, 3: 4 * s, 4: 2 * s}
	tally.observe(last, false)
	tally.end(last)
	if got, want := tally.used(), 3*s+2*s+4*s+2*s+1500*time.Millisecond; got != want {
		t.Errorf("used = %v, want %v", got, want)
	}
	if got, want := tally.seen(), 6; got != want {
		t.Errorf("seen = %d, want %d (pid 4 twice)", got, want)
	}
	if got, want := tally.added(), 3; got != want {
		t.Errorf("added = %d, want %d (3, 5 and the new 4)", got, want)
	}
	if got, want := tally.gone(), 3; got != want {
		t.Errorf("gone = %d, want %d (2, 5 and the old 4)", got, want)
	}
}

func TestBuildReportBackends(t *testing.T) {
	d := runData{
		files: 1, webhooks: 1, start: at(0),
		uploads:    []upload{{fileID: "1", sent: at(0), accepted: at(1)}},
		recv:       receiverStats{arrivals: []arrival{{fileID: "1", msgID: "msg_1", at: at(2), status: 200}}},
		cpu:        cpuProbe{serverPID: 10, workerPID: 11},
		cpuBefore:  cpuSample{server: time.Second, worker: 2 * time.Second},
		cpuAfter:   cpuSample{server: 1500 * time.Millisecond, worker: 2250 * time.Millisecond},
		backends:   true,
		backendCPU: BackendCPU{Postgres: true, PostgresSeconds: 0.125, Backends: 4, BackendsNew: 1, BackendsGone: 1, Redis: true, RedisSeconds: 0.0625},
	}
	r := buildReport(d)
	b := r.CPU.Backends
	if b == nil || *b.PostgresSeconds != 0.125 || *b.RedisSeconds != 0.063 || b.TotalSeconds != 0.938 ||
		b.PerThousandPostgres != 125 || b.PerThousandRedis != 62.5 || b.PerThousandTotal != 937.5 || b.Backends != 4 {
		t.Fatalf("backends = %+v", b)
	}
	if r.CPU.PerThousandTotal != 750 {
		t.Errorf("our processes' share = %v, want 750 (without the backends)", r.CPU.PerThousandTotal)
	}
	var out strings.Builder
	if err := r.writeText(&out); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"postgresql 0.12s (4 backends, 1 started, 1 ended) = 125.000s", "redis 0.06s = 62.500s", "cpu total:   0.94s = 937.500s per 1,000 deliveries, backends included", "1 PostgreSQL backends ended"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("report lacks %q:\n%s", want, out.String())
		}
	}
}

// TestBackendProbe measures a real database's backends and Redis: a
// backend of the database that burns CPU during the run is counted.
func TestBackendProbe(t *testing.T) {
	ctx := context.Background()
	url := testenv.NewPostgresDB(t)
	p, err := newBackendProbe(ctx, url, "redis://127.0.0.1:6379/0")
	if err != nil {
		t.Fatal(err)
	}
	defer p.close()
	busy, err := sql.Open("postgres", url)
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	if err := busy.PingContext(ctx); err != nil {
		t.Fatal(err)
	}
	if err := p.start(ctx); err != nil {
		t.Fatal(err)
	}
	var n int64
	if err := busy.QueryRowContext(ctx, "SELECT count(*) FROM generate_series(1, 3000000)").Scan(&n); err != nil {
		t.Fatal(err)
	}
	got, err := p.end(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !got.Postgres || !got.Redis || got.Backends < 1 || got.PostgresSeconds <= 0 || got.RedisSeconds < 0 {
		t.Errorf("measured %+v: want the busy backend's CPU time", got)
	}
}
