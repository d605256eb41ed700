package main

import (
	"bufio"
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	_ "github.com/lib/pq" // the "postgres" driver
	"github.com/redis/go-redis/v9"
)

// backendEvery is how often the PostgreSQL backends are sampled during a
// run: a backend that ends between two samples loses at most this much of
// its CPU time from the count.
const backendEvery = 250 * time.Millisecond

// backendProbe samples the CPU time PostgreSQL and Redis spend for the
// system under test: the backends of one database (every process
// pg_stat_activity lists for it, but the probe's own), and the
// redis-server process (INFO cpu; the whole server, so other users of the
// same Redis count too). PostgreSQL's own background processes
// (checkpointer, WAL writer, autovacuum) are not counted. The backends'
// pids are read from /proc, so PostgreSQL must run on this machine.
type backendProbe struct {
	db     *sql.DB       // nil: PostgreSQL not measured
	rdb    *redis.Client // nil: Redis not measured
	dbName string

	mu    sync.Mutex
	pg    backendTally
	redis [2]time.Duration // at the start and the end
	err   error            // the first sampling error

	stop chan struct{}
	done chan struct{}
}

// newBackendProbe connects to the benchmark's database (pgURL) and Redis
// (redisURL); either may be empty.
func newBackendProbe(ctx context.Context, pgURL, redisURL string) (*backendProbe, error) {
	p := &backendProbe{pg: newBackendTally()}
	if pgURL != "" {
		db, err := sql.Open("postgres", pgURL)
		if err != nil {
			return nil, fmt.Errorf("-pg-url: %w", err)
		}
		db.SetMaxOpenConns(1)
		if err := db.QueryRowContext(ctx, "SELECT current_database()").Scan(&p.dbName); err != nil {
			db.Close()
			return nil, fmt.Errorf("-pg-url: %w", err)
		}
		p.db = db
	}
	if redisURL != "" {
		opt, err := redis.ParseURL(redisURL)
		if err != nil {
			p.close()
			return nil, fmt.Errorf("-redis-url: %w", err)
		}
		p.rdb = redis.NewClient(opt)
		if _, err := p.redisCPU(ctx); err != nil {
			p.close()
			return nil, fmt.Errorf("-redis-url: %w", err)
		}
	}
	return p, nil
}

func (p *backendProbe) enabled() bool { return p != nil && (p.db != nil || p.rdb != nil) }

func (p *backendProbe) close() {
	if p.db != nil {
		p.db.Close()
	}
	if p.rdb != nil {
		p.rdb.Close()
	}
}

// start takes the first sample and keeps sampling the backends until end.
func (p *backendProbe) start(ctx context.Context) error {
	if p.rdb != nil {
		t, err := p.redisCPU(ctx)
		if err != nil {
			return err
		}
		p.redis[0] = t
	}
	if p.db == nil {
		return nil
	}
	s, err := p.backends(ctx)
	if err != nil {
		return err
	}
	p.pg.observe(s, true)
	p.stop, p.done = make(chan struct{}), make(chan struct{})
	go func() {
		defer close(p.done)
		t := time.NewTicker(backendEvery)
		defer t.Stop()
		for {
			select {
			case <-p.stop:
				return
			case <-ctx.Done():
				return
			case <-t.C:
				s, err := p.backends(ctx)
				p.mu.Lock()
				if err != nil && p.err == nil && ctx.Err() == nil {
					p.err = err
				} else if err == nil {
					p.pg.observe(s, false)
				}
				p.mu.Unlock()
			}
		}
	}()
	return nil
}

// end takes the last sample and returns what was used since start.
func (p *backendProbe) end(ctx context.Context) (BackendCPU, error) {
	var out BackendCPU
	if p.stop != nil {
		close(p.stop)
		<-p.done
	}
	if p.err != nil {
		return out, p.err
	}
	if p.db != nil {
		s, err := p.backends(ctx)
		if err != nil {
			return out, err
		}
		p.pg.observe(s, false)
		p.pg.end(s)
		out.Postgres = true
		out.PostgresSeconds = p.pg.used().Seconds()
		out.Backends, out.BackendsNew, out.BackendsGone = p.pg.seen(), p.pg.added(), p.pg.gone()
	}
	if p.rdb != nil {
		t, err := p.redisCPU(ctx)
		if err != nil {
			return out, err
		}
		p.redis[1] = t
		out.Redis = true
		out.RedisSeconds = (p.redis[1] - p.redis[0]).Seconds()
	}
	return out, nil
}

// backends returns the CPU time of every backend of the database, by pid.
// A backend that exits between the query and the read of /proc is left out.
func (p *backendProbe) backends(ctx context.Context) (map[int]time.Duration, error) {
	rows, err := p.db.QueryContext(ctx, "SELECT pid FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()", p.dbName)
	if err != nil {
		return nil, fmt.Errorf("postgresql backends: %w", err)
	}
	defer rows.Close()
	var pids []int
	for rows.Next() {
		var pid int
		if err := rows.Scan(&pid); err != nil {
			return nil, fmt.Errorf("postgresql backends: %w", err)
		}
		pids = append(pids, pid)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("postgresql backends: %w", err)
	}
	out := make(map[int]time.Duration, len(pids))
	for _, pid := range pids {
		if t, err := cpuTime(pid); err == nil {
			out[pid] = t
		}
	}
	return out, nil
}

func (p *backendProbe) redisCPU(ctx context.Context) (time.Duration, error) {
	info, err := p.rdb.Info(ctx, "cpu").Result()
	if err != nil {
		return 0, fmt.Errorf("redis INFO cpu: %w", err)
	}
	return parseRedisCPU(info)
}

// parseRedisCPU reads used_cpu_sys and used_cpu_user (seconds) from the
// answer of INFO cpu: the main process's CPU time, without its children
// (background saves).
func parseRedisCPU(info string) (time.Duration, error) {
	var total float64
	found := 0
	sc := bufio.NewScanner(strings.NewReader(info))
	for sc.Scan() {
		k, v, ok := strings.Cut(strings.TrimSpace(sc.Text()), ":")
		if !ok || (k != "used_cpu_sys" && k != "used_cpu_user") {
			continue
		}
		f, err := strconv.ParseFloat(v, 64)
		if err != nil || f < 0 {
			return 0, fmt.Errorf("redis INFO cpu: malformed %s %q", k, v)
		}
		total += f
		found++
	}
	if found != 2 {
		return 0, fmt.Errorf("redis INFO cpu: used_cpu_sys and used_cpu_user not both found")
	}
	return time.Duration(total * float64(time.Second)), nil
}

// backendTally accounts the CPU time of processes that come and go: a
// process present at the first sample counts from there, one that appears
// later counts from zero (it started during the run), and one that is gone
// by the last sample counts up to its last sample. A pid whose CPU time goes
// down was reused by a new process.
type backendTally struct {
	procs []*tallied       // every process seen, in order
	byPID map[int]*tallied // the latest process of each pid
}

type tallied struct {
	base, last time.Duration // CPU time not counted (at the first sample; 0 if new), latest
	new, atEnd bool
}

func newBackendTally() backendTally { return backendTally{byPID: map[int]*tallied{}} }

// observe records a sample; first says whether it is the run's first.
func (t *backendTally) observe(s map[int]time.Duration, first bool) {
	for pid, cpu := range s {
		p, ok := t.byPID[pid]
		if !ok || cpu < p.last {
			p = &tallied{new: !first}
			if first {
				p.base = cpu
			}
			t.byPID[pid] = p
			t.procs = append(t.procs, p)
		}
		p.last = cpu
	}
}

// end records the last sample (after observe) and which processes it has.
func (t *backendTally) end(s map[int]time.Duration) {
	for pid := range s {
		t.byPID[pid].atEnd = true
	}
}

// used is the CPU time used during the run by the processes seen.
func (t *backendTally) used() time.Duration {
	var d time.Duration
	for _, p := range t.procs {
		d += p.last - p.base
	}
	return d
}

func (t *backendTally) seen() int { return len(t.procs) }

// added is how many processes appeared after the first sample.
func (t *backendTally) added() int {
	n := 0
	for _, p := range t.procs {
		if p.new {
			n++
		}
	}
	return n
}

// gone is how many processes ended before the last sample (their time
// after their last sample is not counted).
func (t *backendTally) gone() int {
	n := 0
	for _, p := range t.procs {
		if !p.atEnd {
			n++
		}
	}
	return n
}

// BackendCPU is the CPU time PostgreSQL's backends and Redis used.
type BackendCPU struct {
	Postgres        bool
	PostgresSeconds float64
	Backends        int // backends seen during the run
	BackendsNew     int // of them, started after the first sample
	BackendsGone    int // of them, ended before the last sample
	Redis           bool
	RedisSeconds    float64
}
