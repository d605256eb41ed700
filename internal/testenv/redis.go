package testenv

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// Redis set-ups of a test's own, from Debian's redis-server and
// redis-sentinel: a master with a replica watched by three sentinels
// (StartSentinel), or a Redis Cluster of three masters (StartCluster).
// Each runs on free loopback ports with its files in the test's temp dir,
// and is killed when the test ends.

// SentinelMaster is the master name the sentinels of StartSentinel monitor.
const SentinelMaster = "scoopa"

// Sentinel is a master, a replica and three sentinels (quorum 2) that
// declare the master down after 1 s and promote the replica.
type Sentinel struct {
	// URL is the SCOOPA_REDIS_URL of the set-up: a redis-sentinel:// URL.
	URL string
	// Sentinels are the sentinels' addresses.
	Sentinels []string

	t         testing.TB
	dir       string
	mu        sync.Mutex
	nodes     map[string]*redisProcess // data nodes by address
	sentinels []*redisProcess
}

// StartSentinel starts a master, its replica and three sentinels, and
// waits until the sentinels know each other and the replica.
func StartSentinel(t testing.TB) *Sentinel {
	t.Helper()
	s := &Sentinel{t: t, dir: t.TempDir(), nodes: map[string]*redisProcess{}}
	master := startRedis(t, nodeDir(t, s.dir, "master"), "master", nil)
	s.nodes[master.addr] = master
	replica := startRedis(t, nodeDir(t, s.dir, "replica"), "replica", []string{"--replicaof", "127.0.0.1", master.port()})
	s.nodes[replica.addr] = replica
	waitRedis(t, replica.addr, "the replica to sync", func(ctx context.Context, c *redis.Client) bool {
		info, _ := c.Info(ctx, "replication").Result()
		return strings.Contains(info, "master_link_status:up")
	})
	for i := range 3 {
		p := startSentinel(t, s.dir, fmt.Sprintf("sentinel%d", i), master.addr)
		s.sentinels = append(s.sentinels, p)
		s.Sentinels = append(s.Sentinels, p.addr)
	}
	s.URL = "redis-sentinel://" + strings.Join(s.Sentinels, ",") + "?master=" + SentinelMaster
	s.waitHealthy()
	return s
}

// MasterAddr returns the address of the master, as the sentinels name it.
func (s *Sentinel) MasterAddr() string {
	s.t.Helper()
	addr, err := s.masterAddr(s.Sentinels[0])
	if err != nil {
		s.t.Fatalf("sentinel: master address: %v", err)
	}
	return addr
}

func (s *Sentinel) masterAddr(sentinel string) (string, error) {
	c := redis.NewSentinelClient(&redis.Options{Addr: sentinel})
	defer c.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	hp, err := c.GetMasterAddrByName(ctx, SentinelMaster).Result()
	if err != nil {
		return "", err
	}
	return net.JoinHostPort(hp[0], hp[1]), nil
}

// KillMaster kills the master (SIGKILL) and returns once the sentinels
// have promoted the replica; the old master then comes back, empty, as the
// new master's replica (ready for another KillMaster). It returns the
// master's address once the set-up is healthy again (on a loaded machine
// the sentinels may have failed over once more by then).
func (s *Sentinel) KillMaster() string {
	s.t.Helper()
	old := s.MasterAddr()
	s.mu.Lock()
	p := s.nodes[old]
	s.mu.Unlock()
	if p == nil {
		s.t.Fatalf("sentinel: no process serves the master %s", old)
	}
	p.kill()
	var promoted string
	Eventually(s.t, 60*time.Second, "the sentinels to promote the replica", func() bool {
		for _, sn := range s.Sentinels {
			addr, err := s.masterAddr(sn)
			if err != nil || addr == old {
				return false
			}
			promoted = addr
		}
		return isMaster(promoted)
	})
	// Empty: without what it may have kept as a replica before.
	_ = os.Remove(filepath.Join(p.dir, "dump.rdb"))
	// Not promotable until it has synced: on a loaded machine the sentinels
	// may fail over again, and an empty replica must not win.
	back := startRedisAt(s.t, p.dir, p.name, old, []string{"--replicaof", "127.0.0.1", portOf(promoted), "--replica-priority", "0"})
	s.mu.Lock()
	s.nodes[old] = back
	s.mu.Unlock()
	master := s.waitHealthy()
	c := redis.NewClient(&redis.Options{Addr: old})
	defer c.Close()
	if err := c.ConfigSet(context.Background(), "replica-priority", "100").Err(); err != nil {
		s.t.Fatalf("sentinel: make %s promotable again: %v", old, err)
	}
	return master
}

func isMaster(addr string) bool {
	c := redis.NewClient(&redis.Options{Addr: addr})
	defer c.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	info, _ := c.Info(ctx, "replication").Result()
	return strings.Contains(info, "role:master")
}

// waitHealthy waits until every sentinel names the same master, which says
// it is one, knows the other two sentinels, and sees a replica that is up
// and linked to the master: then a failover can happen. It returns the
// master's address.
func (s *Sentinel) waitHealthy() string {
	s.t.Helper()
	var master string
	Eventually(s.t, 60*time.Second, "the sentinels to agree on a master with a healthy replica", func() bool {
		master = ""
		for _, sn := range s.Sentinels {
			c := redis.NewSentinelClient(&redis.Options{Addr: sn})
			ok := func() bool {
				defer c.Close()
				ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
				defer cancel()
				m, err := c.Master(ctx, SentinelMaster).Result()
				if err != nil || m["flags"] != "master" || m["num-other-sentinels"] != "2" {
					return false
				}
				if addr := net.JoinHostPort(m["ip"], m["port"]); master == "" {
					master = addr
				} else if addr != master {
					return false
				}
				replicas, err := c.Replicas(ctx, SentinelMaster).Result()
				if err != nil {
					return false
				}
				for _, r := range replicas {
					if r["flags"] == "slave" && r["master-link-status"] == "ok" {
						return true
					}
				}
				return false
			}()
			if !ok {
				return false
			}
		}
		return isMaster(master)
	})
	return master
}

// Cluster is a Redis Cluster of three masters (no replicas).
type Cluster struct {
	// URL is the SCOOPA_REDIS_URL of the cluster: a redis-cluster:// URL.
	URL string
	// Addrs are the nodes' addresses.
	Addrs []string
}

// StartCluster starts three cluster nodes, makes them one cluster with
// redis-cli --cluster create, and waits until every node says
// cluster_state:ok.
func StartCluster(t testing.TB) *Cluster {
	t.Helper()
	dir := t.TempDir()
	c := &Cluster{}
	for i := range 3 {
		name := fmt.Sprintf("node%d", i)
		nd := nodeDir(t, dir, name)
		p := startRedis(t, nd, name, []string{
			"--cluster-enabled", "yes",
			"--cluster-config-file", filepath.Join(nd, "nodes.conf"),
			"--cluster-node-timeout", "2000",
			"--cluster-port", strconv.Itoa(freePort(t)),
		})
		c.Addrs = append(c.Addrs, p.addr)
	}
	args := append([]string{"--cluster", "create"}, c.Addrs...)
	args = append(args, "--cluster-replicas", "0", "--cluster-yes")
	if out, err := exec.Command(redisBinary(t, "redis-cli"), args...).CombinedOutput(); err != nil {
		t.Fatalf("redis-cli --cluster create: %v\n%s", err, out)
	}
	for _, a := range c.Addrs {
		waitRedis(t, a, "cluster_state:ok", func(ctx context.Context, c *redis.Client) bool {
			info, _ := c.ClusterInfo(ctx).Result()
			return strings.Contains(info, "cluster_state:ok") && strings.Contains(info, "cluster_known_nodes:3")
		})
	}
	c.URL = "redis-cluster://" + strings.Join(c.Addrs, ",")
	return c
}

// nodeDir makes a directory of its own for a Redis node.
func nodeDir(t testing.TB, parent, name string) string {
	d := filepath.Join(parent, name)
	if err := os.MkdirAll(d, 0o750); err != nil {
		t.Fatal(err)
	}
	return d
}

// redisProcess is a redis-server (or sentinel) of a test.
type redisProcess struct {
	name string
	dir  string
	addr string
	cmd  *exec.Cmd
	done chan struct{}
	log  string
}

func (p *redisProcess) port() string { return portOf(p.addr) }

func portOf(addr string) string {
	_, port, _ := net.SplitHostPort(addr)
	return port
}

// kill kills the process (SIGKILL) and waits for it.
func (p *redisProcess) kill() {
	_ = p.cmd.Process.Kill()
	<-p.done
}

// startRedis starts a redis-server on a free loopback port, without
// persistence, with its files in dir, and waits until it answers.
func startRedis(t testing.TB, dir, name string, args []string) *redisProcess {
	t.Helper()
	var err error
	for range 5 { // another process may take the free port first
		var p *redisProcess
		if p, err = tryRedis(t, dir, name, net.JoinHostPort("127.0.0.1", strconv.Itoa(freePort(t))), args); err == nil {
			return p
		}
	}
	t.Fatalf("redis %s: %v", name, err)
	return nil
}

// startRedisAt is startRedis on a given address.
func startRedisAt(t testing.TB, dir, name, addr string, args []string) *redisProcess {
	t.Helper()
	p, err := tryRedis(t, dir, name, addr, args)
	if err != nil {
		t.Fatalf("redis %s: %v", name, err)
	}
	return p
}

func tryRedis(t testing.TB, dir, name, addr string, args []string) (*redisProcess, error) {
	log := filepath.Join(dir, name+".log")
	all := append([]string{
		"--port", portOf(addr), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
		"--dir", dir, "--logfile", log, "--daemonize", "no",
		// A replica syncs at once instead of 5 s later.
		"--repl-diskless-sync-delay", "0",
	}, args...)
	p, err := run(t, name, addr, log, redisBinary(t, "redis-server"), all...)
	if p != nil {
		p.dir = dir
	}
	return p, err
}

// startSentinel starts a sentinel watching master, with fast failover.
func startSentinel(t testing.TB, dir, name, master string) *redisProcess {
	t.Helper()
	var err error
	for range 5 {
		addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(freePort(t)))
		conf := filepath.Join(dir, name+".conf")
		log := filepath.Join(dir, name+".log")
		// The sentinel rewrites its file: it must be its own and writable.
		text := fmt.Sprintf(`port %s
bind 127.0.0.1
dir %s
logfile %s
sentinel monitor %s 127.0.0.1 %s 2
sentinel down-after-milliseconds %[4]s 1000
sentinel failover-timeout %[4]s 3000
sentinel parallel-syncs %[4]s 1
`, portOf(addr), dir, log, SentinelMaster, portOf(master))
		if err := os.WriteFile(conf, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
		var p *redisProcess
		bin, args := sentinelCommand(t, conf)
		if p, err = run(t, name, addr, log, bin, args...); err == nil {
			return p
		}
	}
	t.Fatalf("sentinel %s: %v", name, err)
	return nil
}

// sentinelCommand runs redis-sentinel (Debian's redis-sentinel package)
// or, without it, redis-server in sentinel mode.
func sentinelCommand(t testing.TB, conf string) (string, []string) {
	if p, err := exec.LookPath("redis-sentinel"); err == nil {
		return p, []string{conf}
	}
	return redisBinary(t, "redis-server"), []string{conf, "--sentinel"}
}

// run starts a process and waits until addr answers PING; the process is
// killed when the test ends (or the test process dies).
func run(t testing.TB, name, addr, log, bin string, args ...string) (*redisProcess, error) {
	cmd := exec.Command(bin, args...)
	cmd.SysProcAttr = dieWithParent()
	var out strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	p := &redisProcess{name: name, addr: addr, cmd: cmd, done: make(chan struct{}), log: log}
	go func() { _ = cmd.Wait(); close(p.done) }()
	t.Cleanup(func() {
		p.kill()
		if t.Failed() {
			if b, err := os.ReadFile(log); err == nil {
				t.Logf("%s (%s) log, last lines:\n%s", name, addr, tail(string(b), 30))
			}
		}
	})
	c := redis.NewClient(&redis.Options{Addr: addr, MaxRetries: -1})
	defer c.Close()
	deadline := time.Now().Add(20 * time.Second)
	for {
		select {
		case <-p.done:
			b, _ := os.ReadFile(log)
			return nil, fmt.Errorf("exited at start: %s%s", out.String(), tail(string(b), 5))
		default:
		}
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		err := c.Ping(ctx).Err()
		cancel()
		if err == nil {
			return p, nil
		}
		if time.Now().After(deadline) {
			p.kill()
			return nil, fmt.Errorf("no answer on %s within 20s: %v", addr, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// waitRedis waits until cond holds on the server at addr.
func waitRedis(t testing.TB, addr, what string, cond func(context.Context, *redis.Client) bool) {
	t.Helper()
	c := redis.NewClient(&redis.Options{Addr: addr})
	defer c.Close()
	Eventually(t, 30*time.Second, what+" on "+addr, func() bool {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		return cond(ctx, c)
	})
}

// redisBinary finds a program of Debian's redis-server package.
func redisBinary(t testing.TB, name string) string {
	t.Helper()
	if p, err := exec.LookPath(name); err == nil {
		return p
	}
	if p := "/usr/bin/" + name; fileExists(p) {
		return p
	}
	t.Fatalf("%s not found: install Debian's redis-server and redis-sentinel packages (.ci/run does)", name)
	return ""
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil || !errors.Is(err, os.ErrNotExist)
}

// freePort returns a loopback port free at the time.
func tail(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
