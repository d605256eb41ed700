package app

import (
	"io"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/redis/go-redis/v9"
)

func TestParseRedisURL(t *testing.T) {
	for _, tc := range []struct {
		name string
		url  string
		// want describes the client: kind, addresses, master, db, password.
		want string
	}{
		{"single", "redis://:pw@10.0.0.1:6380/2", "single 10.0.0.1:6380 db=2 pw=pw"},
		{"single with TLS", "rediss://r.example.com:6380", "single r.example.com:6380 db=0 pw= tls"},
		{"sentinel", "redis-sentinel://10.0.0.1:26379,10.0.0.2:26380/3?master=mymaster", "failover [10.0.0.1:26379 10.0.0.2:26380] master=mymaster db=3 pw="},
		{"sentinel with password", "redis-sentinel://:s%40cret@h1:26379?master=m&sentinel_password=sp", "failover [h1:26379] master=m db=0 pw=s@cret sentinel_pw=sp"},
		{"sentinel default port", "redis-sentinel://h1,h2?master=m", "failover [h1:26379 h2:26379] master=m db=0 pw="},
		{"sentinel with options", "redis-sentinel://h1:1?master=m&dial_timeout=3s", "failover [h1:1] master=m db=0 pw= dial=3s"},
		{"sentinel with TLS", "rediss-sentinel://h1:1?master=m", "failover [h1:1] master=m db=0 pw= tls"},
		{"cluster", "redis-cluster://:pw@n1:7000,n2:7001,n3", "cluster [n1:7000 n2:7001 n3:6379] pw=pw"},
		{"cluster with TLS", "rediss-cluster://n1:7000", "cluster [n1:7000] pw= tls"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, err := parseRedisURL(tc.url)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, describeRedis(r)); diff != "" {
				t.Errorf("(-want +got)\n%s", diff)
			}
		})
	}
}

func describeRedis(r redisTarget) string {
	var s string
	var tls bool
	var dial time.Duration
	switch {
	case r.single != nil:
		o := r.single
		s = "single " + o.Addr + " db=" + itoa(o.DB) + " pw=" + o.Password
		tls, dial = o.TLSConfig != nil, o.DialTimeout
	case r.failover != nil:
		o := r.failover
		s = "failover [" + strings.Join(o.SentinelAddrs, " ") + "] master=" + o.MasterName + " db=" + itoa(o.DB) + " pw=" + o.Password
		if o.SentinelPassword != "" {
			s += " sentinel_pw=" + o.SentinelPassword
		}
		tls, dial = o.TLSConfig != nil, o.DialTimeout
	case r.cluster != nil:
		o := r.cluster
		s = "cluster [" + strings.Join(o.Addrs, " ") + "] pw=" + o.Password
		tls, dial = o.TLSConfig != nil, o.DialTimeout
	}
	if tls {
		s += " tls"
	}
	if dial != 0 {
		s += " dial=" + dial.String()
	}
	return s
}

func itoa(n int) string { return strconv.Itoa(n) }

func TestParseRedisURLErrors(t *testing.T) {
	for _, tc := range []struct {
		name, url, want string
	}{
		{"unknown scheme", "redis-cloud://h:1", "must be a redis://, rediss://, redis-sentinel:// or redis-cluster:// URL"},
		{"no scheme", "127.0.0.1:6379", "must be a redis://"},
		{"no master", "redis-sentinel://h1:26379,h2:26379", "no master name: add ?master=NAME"},
		{"empty master", "redis-sentinel://h1:26379?master=", "no master name"},
		{"no sentinels", "redis-sentinel://?master=m", "no sentinel addresses"},
		{"only commas", "redis-sentinel://,,?master=m", "no sentinel addresses"},
		{"no cluster nodes", "redis-cluster://", "no cluster node addresses"},
		{"bad port", "redis-sentinel://h1:26379,h2:http?master=m", `sentinel address "h2:http": bad port "http"`},
		{"port out of range", "redis-cluster://n1:70000", `cluster node address "n1:70000": bad port "70000"`},
		{"no host", "redis-cluster://:7000", `cluster node address ":7000": no host`},
		{"cluster database", "redis-cluster://n1:7000/2", "a Redis Cluster has only database 0"},
		{"bad database", "redis-sentinel://h1/x?master=m", `the database after / must be a number, not "x"`},
		{"unknown option", "redis-sentinel://h1?master=m&colour=red", "unexpected option: colour"},
		{"bad option", "redis-cluster://n1?dial_timeout=soon", "dial_timeout"},
		{"single bad port", "redis://h:port", "port"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := parseRedisURL(tc.url)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("parseRedisURL(%q) = %v, want an error containing %q", tc.url, err, tc.want)
			}
		})
	}
}

// SCOOPA_REDIS_SENTINELS and SCOOPA_REDIS_MASTER make a sentinel URL; set
// with SCOOPA_REDIS_URL they must agree with it.
func TestLoadConfigRedis(t *testing.T) {
	base := map[string]string{
		"SCOOPA_DATABASE_URL": "postgres://x@127.0.0.1/db", "SCOOPA_SECRET_KEY": strings.Repeat("k", 32),
	}
	load := func(env map[string]string) (Config, error) {
		all := map[string]string{}
		for k, v := range base {
			all[k] = v
		}
		for k, v := range env {
			all[k] = v
		}
		return LoadConfig("t", nil, func(k string) string { return all[k] }, io.Discard)
	}
	for _, tc := range []struct {
		name    string
		env     map[string]string
		wantURL string
		wantErr string
	}{
		{"sentinels and master", map[string]string{"SCOOPA_REDIS_SENTINELS": "h1:26379, h2:26380", "SCOOPA_REDIS_MASTER": "mymaster"},
			"redis-sentinel://h1:26379, h2:26380?master=mymaster", ""},
		{"the same in the URL too", map[string]string{"SCOOPA_REDIS_URL": "redis-sentinel://:pw@h2:26380,h1:26379?master=mymaster", "SCOOPA_REDIS_SENTINELS": "h1:26379,h2:26380", "SCOOPA_REDIS_MASTER": "mymaster"},
			"redis-sentinel://:pw@h2:26380,h1:26379?master=mymaster", ""},
		{"master repeating the URL's", map[string]string{"SCOOPA_REDIS_URL": "redis-sentinel://h1?master=m", "SCOOPA_REDIS_MASTER": "m"},
			"redis-sentinel://h1?master=m", ""},
		{"cluster", map[string]string{"SCOOPA_REDIS_URL": "redis-cluster://n1:7000,n2:7001"}, "redis-cluster://n1:7000,n2:7001", ""},
		{"sentinels without master", map[string]string{"SCOOPA_REDIS_SENTINELS": "h1:26379"}, "",
			"SCOOPA_REDIS_MASTER: required with SCOOPA_REDIS_SENTINELS"},
		{"master without sentinels", map[string]string{"SCOOPA_REDIS_URL": "redis://h:6379", "SCOOPA_REDIS_MASTER": "m"}, "",
			"SCOOPA_REDIS_MASTER: set without SCOOPA_REDIS_SENTINELS"},
		{"bad sentinel port", map[string]string{"SCOOPA_REDIS_SENTINELS": "h1:263790", "SCOOPA_REDIS_MASTER": "m"}, "",
			`SCOOPA_REDIS_SENTINELS "h1:263790": sentinel address "h1:263790": bad port "263790"`},
		{"no sentinel", map[string]string{"SCOOPA_REDIS_SENTINELS": ",", "SCOOPA_REDIS_MASTER": "m"}, "",
			"SCOOPA_REDIS_SENTINELS \",\": no sentinel addresses"},
		{"master name with a space", map[string]string{"SCOOPA_REDIS_SENTINELS": "h1", "SCOOPA_REDIS_MASTER": "my master"}, "",
			"SCOOPA_REDIS_MASTER (-redis-master) \"my master\": must be a master name"},
		{"URL of one server besides sentinels", map[string]string{"SCOOPA_REDIS_URL": "redis://h:6379", "SCOOPA_REDIS_SENTINELS": "h1:26379", "SCOOPA_REDIS_MASTER": "m"}, "",
			"SCOOPA_REDIS_URL and SCOOPA_REDIS_SENTINELS/SCOOPA_REDIS_MASTER name different Redis servers"},
		{"URL of other sentinels", map[string]string{"SCOOPA_REDIS_URL": "redis-sentinel://h9:26379?master=m", "SCOOPA_REDIS_SENTINELS": "h1:26379", "SCOOPA_REDIS_MASTER": "m"}, "",
			"name different Redis servers"},
		{"URL of another master", map[string]string{"SCOOPA_REDIS_URL": "redis-sentinel://h1:26379?master=other", "SCOOPA_REDIS_SENTINELS": "h1:26379", "SCOOPA_REDIS_MASTER": "m"}, "",
			"name different Redis servers"},
		{"sentinel URL without master", map[string]string{"SCOOPA_REDIS_URL": "redis-sentinel://:hunter2@h1:26379"}, "",
			`SCOOPA_REDIS_URL (-redis-url) "redis-sentinel://:xxxxx@h1:26379": no master name`},
		{"password not repeated", map[string]string{"SCOOPA_REDIS_URL": "redis-cluster://:hunter2@n1:port"}, "",
			`SCOOPA_REDIS_URL (-redis-url) "redis-cluster://:xxxxx@n1:port": cluster node address "n1:port": bad port "port"`},
		{"unknown scheme", map[string]string{"SCOOPA_REDIS_URL": "sentinel://h1"}, "",
			"SCOOPA_REDIS_URL (-redis-url) \"sentinel://h1\": must be a redis://, rediss://, redis-sentinel:// or redis-cluster:// URL"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := load(tc.env)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want one containing %q", err, tc.wantErr)
				}
				if strings.Contains(err.Error(), "hunter2") {
					t.Errorf("err = %v repeats the password", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if c.RedisURL != tc.wantURL || c.Embedded() {
				t.Errorf("RedisURL = %q (embedded %v), want %q", c.RedisURL, c.Embedded(), tc.wantURL)
			}
			rdb, err := OpenRedis(c.RedisURL)
			if err != nil {
				t.Fatal(err)
			}
			defer rdb.Close()
			switch rdb.(type) {
			case *redis.ClusterClient:
				if !strings.HasPrefix(c.RedisURL, "redis-cluster://") {
					t.Errorf("OpenRedis(%q) is a cluster client", c.RedisURL)
				}
			case *redis.Client:
			default:
				t.Errorf("OpenRedis(%q) = %T", c.RedisURL, rdb)
			}
		})
	}
}

func TestRedactRedisURL(t *testing.T) {
	for in, want := range map[string]string{
		"redis://:pw@h:6379/0":                             "redis://:xxxxx@h:6379/0",
		"redis://user:pw@h:6379":                           "redis://user:xxxxx@h:6379",
		"redis://user@h:6379":                              "redis://user@h:6379",
		"redis-sentinel://h1?master=m&sentinel_password=x": "redis-sentinel://h1?master=m&sentinel_password=xxxxx",
		"redis-cluster://:p@ss@n1,n2?password=y":           "redis-cluster://:xxxxx@n1,n2?password=xxxxx",
	} {
		if got := redactRedisURL(in); got != want {
			t.Errorf("redactRedisURL(%q) = %q, want %q", in, got, want)
		}
	}
}
