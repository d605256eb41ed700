package testenv

import (
	"bufio"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"
)

// Binaries builds cmd/server and cmd/worker into a folder of the test and
// returns their paths: the programs an operator runs, not the test binary.
func Binaries(t testing.TB) (server, worker string) {
	t.Helper()
	_, here, _, _ := runtime.Caller(0)
	root := filepath.Join(filepath.Dir(here), "..", "..")
	dir := t.TempDir()
	server, worker = filepath.Join(dir, "scoopa-server"), filepath.Join(dir, "scoopa-worker")
	for out, pkg := range map[string]string{server: "./cmd/server", worker: "./cmd/worker"} {
		cmd := exec.Command("go", "build", "-o", out, pkg)
		cmd.Dir = root
		if b, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("go build %s: %v\n%s", pkg, err, b)
		}
	}
	return server, worker
}

// Fleet is servers and workers run as separate processes of the real
// binaries on one database, one Redis and one queue, each with its own data
// directory, as on separate machines.
type Fleet struct {
	// Env is what every process shares: database, Redis, queue, keys, the
	// admin token, and the options given to StartFleet.
	Env     map[string]string
	Servers []*Proc
	Workers []*Proc
}

// FleetOptions are what StartFleet takes.
type FleetOptions struct {
	// Servers and Workers are how many of each to start.
	Servers, Workers int
	// Env overrides the environment of every process (a Redis URL, a
	// storage URL and its credentials, intervals).
	Env map[string]string
	// Stagger is the wait between the starts of two workers.
	Stagger time.Duration
}

// Proc is one process of a Fleet.
type Proc struct {
	Name string
	// URL is a server's base URL; empty for a worker.
	URL string
	Env map[string]string
	cmd *exec.Cmd
	// logs are what the process wrote to stderr (its log), line by line.
	logs *SyncBuffer
	done chan struct{}
}

// StartFleet starts o.Servers servers and o.Workers workers on a fresh
// PostgreSQL database and a private queue, and waits until each server
// answers /readyz. Every process is stopped (SIGTERM, then SIGKILL) when the
// test ends; on failure the end of each log goes to the test's log.
func StartFleet(t testing.TB, o FleetOptions) *Fleet {
	t.Helper()
	serverBin, workerBin := Binaries(t)
	base := Env(t, Postgres, o.Env)
	delete(base, "SCOOPA_HTTP_ADDR")
	delete(base, "SCOOPA_PUBLIC_URL")
	delete(base, "SCOOPA_DATA_DIR")
	f := &Fleet{Env: base}
	start := func(bin, name string, own map[string]string) *Proc {
		env := map[string]string{}
		for k, v := range base {
			env[k] = v
		}
		for k, v := range own {
			env[k] = v
		}
		env["SCOOPA_DATA_DIR"] = t.TempDir()
		p := &Proc{Name: name, Env: env, logs: &SyncBuffer{}, done: make(chan struct{})}
		p.cmd = exec.Command(bin)
		p.cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME")}
		for k, v := range env {
			p.cmd.Env = append(p.cmd.Env, k+"="+v)
		}
		p.cmd.Stderr = p.logs
		p.cmd.Stdout = p.logs
		if err := p.cmd.Start(); err != nil {
			t.Fatalf("start %s: %v", name, err)
		}
		go func() { _ = p.cmd.Wait(); close(p.done) }()
		t.Cleanup(func() {
			p.stop()
			if t.Failed() {
				t.Logf("last lines of %s's log:\n%s", name, p.Tail(40))
			}
		})
		return p
	}
	for i := range o.Servers {
		addr := freeAddr(t)
		p := start(serverBin, fmt.Sprint("server-", i+1), map[string]string{
			"SCOOPA_HTTP_ADDR": addr, "SCOOPA_PUBLIC_URL": "http://" + addr,
		})
		p.URL = "http://" + addr
		f.Servers = append(f.Servers, p)
	}
	for i := range o.Workers {
		if i > 0 {
			time.Sleep(o.Stagger)
		}
		f.Workers = append(f.Workers, start(workerBin, fmt.Sprint("worker-", i+1), nil))
	}
	for _, s := range f.Servers {
		Eventually(t, 60*time.Second, s.Name+" to be ready", func() bool {
			select {
			case <-s.done:
				t.Fatalf("%s exited: %s", s.Name, s.Tail(20))
			default:
			}
			resp, err := http.Get(s.URL + "/readyz")
			if err != nil {
				return false
			}
			resp.Body.Close()
			return resp.StatusCode == http.StatusOK
		})
	}
	return f
}

// Server returns p as a Server, for Do, Upload and the other helpers of
// one (Service, Queue and Stop are not available).
func (p *Proc) Server() *Server {
	return &Server{URL: p.URL, Token: p.Env["SCOOPA_ADMIN_TOKEN"], Env: p.Env, Kind: Postgres}
}

// Kill sends SIGKILL to the process (as a machine that dies) and waits
// until it is gone.
func (p *Proc) Kill() {
	_ = p.cmd.Process.Signal(syscall.SIGKILL)
	<-p.done
}

// Alive reports whether the process is still running.
func (p *Proc) Alive() bool {
	select {
	case <-p.done:
		return false
	default:
		return true
	}
}

// stop ends the process as an orchestrator would: SIGTERM, and SIGKILL if
// it is still there after 20 seconds.
func (p *Proc) stop() {
	if !p.Alive() {
		return
	}
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.done:
	case <-time.After(20 * time.Second):
		_ = p.cmd.Process.Signal(syscall.SIGKILL)
		<-p.done
	}
}

// Logs returns what the process logged so far.
func (p *Proc) Logs() string { return p.logs.String() }

// Tail returns the last n lines of the process's log.
func (p *Proc) Tail(n int) string {
	lines := strings.Split(strings.TrimRight(p.logs.String(), "\n"), "\n")
	return strings.Join(lines[max(len(lines)-n, 0):], "\n")
}

// LogLines returns the lines of the process's log that contain every one
// of words.
func (p *Proc) LogLines(words ...string) []string {
	var out []string
	sc := bufio.NewScanner(strings.NewReader(p.logs.String()))
	sc.Buffer(make([]byte, 0, 64*1024), 1024*1024)
next:
	for sc.Scan() {
		for _, w := range words {
			if !strings.Contains(sc.Text(), w) {
				continue next
			}
		}
		out = append(out, sc.Text())
	}
	return out
}
