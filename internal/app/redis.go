package app

import (
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/redis/go-redis/v9"
)

// Redis is reached in one of three shapes, named by the scheme of
// SCOOPA_REDIS_URL:
//
//	redis://[user:password@]host:port[/db][?options]       one server (rediss:// with TLS)
//	redis-sentinel://[user:password@]h1:p1,h2:p2[/db]?master=NAME[&options]
//	                                                         a master watched by Sentinels
//	                                                         (rediss-sentinel:// with TLS)
//	redis-cluster://[user:password@]h1:p1,h2:p2[?options]  a Redis Cluster (rediss-cluster://)
//
// The user and password of a sentinel URL are those of the master and its
// replicas; sentinels that require a password of their own take it from
// the sentinel_password option (and sentinel_username). Other options are
// go-redis's (dial_timeout=3s, read_timeout=6s, pool_size=20, ...); an
// unknown one is an error. A sentinel address without a port means 26379,
// a cluster node's 6379.

// RedisSchemes are the URL schemes SCOOPA_REDIS_URL accepts.
var RedisSchemes = []string{"redis", "rediss", "redis-sentinel", "rediss-sentinel", "redis-cluster", "rediss-cluster"}

// OpenRedis returns a client for a SCOOPA_REDIS_URL: a plain client, a
// failover client that follows the master the sentinels name, or a
// cluster client. It does not connect; the first command does.
func OpenRedis(rawURL string) (redis.UniversalClient, error) {
	r, err := parseRedisURL(rawURL)
	if err != nil {
		return nil, err
	}
	switch {
	case r.failover != nil:
		return redis.NewFailoverClient(r.failover), nil
	case r.cluster != nil:
		return redis.NewClusterClient(r.cluster), nil
	default:
		return redis.NewClient(r.single), nil
	}
}

// redisTarget is a parsed SCOOPA_REDIS_URL: exactly one field is set.
type redisTarget struct {
	single   *redis.Options
	failover *redis.FailoverOptions
	cluster  *redis.ClusterOptions
}

// parseRedisURL reads a SCOOPA_REDIS_URL; its errors name what is wrong
// without repeating the password.
func parseRedisURL(raw string) (redisTarget, error) {
	scheme, rest, ok := strings.Cut(raw, "://")
	if !ok || !slices.Contains(RedisSchemes, scheme) {
		return redisTarget{}, errors.New("must be a redis://, rediss://, redis-sentinel:// or redis-cluster:// URL")
	}
	if scheme == "redis" || scheme == "rediss" {
		opt, err := redis.ParseURL(raw)
		if err != nil {
			return redisTarget{}, cleanRedisError(err)
		}
		return redisTarget{single: opt}, nil
	}
	kind := strings.TrimPrefix(strings.TrimPrefix(scheme, "rediss-"), "redis-")
	tlsOn := strings.HasPrefix(scheme, "rediss-")

	// userinfo @ hosts [/db] [?query]: split by hand, since net/url takes
	// one host only.
	var query string
	rest, query, _ = strings.Cut(rest, "?")
	rest, path, _ := strings.Cut(rest, "/")
	var user *url.Userinfo
	if at := strings.LastIndex(rest, "@"); at >= 0 {
		u, err := url.Parse("redis://" + rest[:at+1] + "x")
		if err != nil || u.User == nil {
			return redisTarget{}, errors.New("the user and password before @ are malformed (escape special characters with %XX)")
		}
		user, rest = u.User, rest[at+1:]
	}
	defPort := "26379"
	what := "sentinel"
	if kind == "cluster" {
		defPort, what = "6379", "cluster node"
	}
	var addrs []string
	for _, h := range strings.Split(rest, ",") {
		h = strings.TrimSpace(h)
		if h == "" {
			continue
		}
		addr, err := hostPort(h, defPort)
		if err != nil {
			return redisTarget{}, fmt.Errorf("%s address %q: %w", what, h, err)
		}
		addrs = append(addrs, addr)
	}
	if len(addrs) == 0 {
		return redisTarget{}, fmt.Errorf("no %s addresses: give them as %s://host1:port1,host2:port2", what, scheme)
	}
	q, err := url.ParseQuery(query)
	if err != nil {
		return redisTarget{}, fmt.Errorf("malformed options after ?: %v", err)
	}
	db := 0
	if path = strings.Trim(path, "/"); path != "" {
		if db, err = strconv.Atoi(path); err != nil || db < 0 {
			return redisTarget{}, fmt.Errorf("the database after / must be a number, not %q", path)
		}
		if kind == "cluster" && db != 0 {
			return redisTarget{}, errors.New("a Redis Cluster has only database 0")
		}
	}
	// go-redis parses the options: the first address is the URL's host,
	// the others addr options.
	g := url.URL{Scheme: "redis", Host: addrs[0]}
	if tlsOn {
		g.Scheme = "rediss"
	}
	for _, a := range addrs[1:] {
		q.Add("addr", a)
	}
	if kind == "cluster" {
		g.User = user
		g.RawQuery = q.Encode()
		opt, err := redis.ParseClusterURL(g.String())
		if err != nil {
			return redisTarget{}, cleanRedisError(err)
		}
		return redisTarget{cluster: opt}, nil
	}
	master := q.Get("master")
	q.Del("master")
	if master == "" {
		return redisTarget{}, errors.New("no master name: add ?master=NAME, the name the sentinels monitor (sentinel monitor NAME ...)")
	}
	sentinelUser, sentinelPassword := q.Get("sentinel_username"), q.Get("sentinel_password")
	q.Del("sentinel_username")
	q.Del("sentinel_password")
	q.Set("master_name", master)
	if user != nil {
		q.Set("username", user.Username())
		if p, ok := user.Password(); ok {
			q.Set("password", p)
		}
	}
	if db != 0 {
		q.Set("db", strconv.Itoa(db))
	}
	g.RawQuery = q.Encode()
	opt, err := redis.ParseFailoverURL(g.String())
	if err != nil {
		return redisTarget{}, cleanRedisError(err)
	}
	opt.SentinelUsername, opt.SentinelPassword = sentinelUser, sentinelPassword
	if tlsOn && opt.TLSConfig == nil {
		opt.TLSConfig = &tls.Config{MinVersion: tls.VersionTLS12}
	}
	return redisTarget{failover: opt}, nil
}

// hostPort checks host[:port], adding the default port.
func hostPort(h, defPort string) (string, error) {
	host, port, err := net.SplitHostPort(h)
	if err != nil {
		if !strings.Contains(err.Error(), "missing port") {
			return "", errors.New("must be host:port")
		}
		host, port = strings.Trim(h, "[]"), defPort
	}
	if host == "" {
		return "", errors.New("no host before the port")
	}
	if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
		return "", fmt.Errorf("bad port %q: must be a number from 1 to 65535", port)
	}
	return net.JoinHostPort(host, port), nil
}

// cleanRedisError drops go-redis's "redis: " prefix from a parse error.
func cleanRedisError(err error) error {
	return errors.New(strings.TrimPrefix(err.Error(), "redis: "))
}

// sentinelURL is the redis-sentinel:// URL of SCOOPA_REDIS_SENTINELS and
// SCOOPA_REDIS_MASTER.
func sentinelURL(sentinels, master string) string {
	return "redis-sentinel://" + sentinels + "?master=" + url.QueryEscape(master)
}

// redactRedisURL replaces the password of a Redis URL (and a
// sentinel_password option) by "xxxxx", for error messages.
func redactRedisURL(raw string) string {
	scheme, rest, ok := strings.Cut(raw, "://")
	if !ok {
		return raw
	}
	hosts, query, hasQuery := strings.Cut(rest, "?")
	if at := strings.LastIndex(hosts, "@"); at >= 0 {
		userinfo := hosts[:at]
		if name, _, hasPw := strings.Cut(userinfo, ":"); hasPw {
			hosts = name + ":xxxxx" + hosts[at:]
		}
	}
	if hasQuery {
		parts := strings.Split(query, "&")
		for i, p := range parts {
			if k, _, _ := strings.Cut(p, "="); k == "password" || k == "sentinel_password" {
				parts[i] = k + "=xxxxx"
			}
		}
		return scheme + "://" + hosts + "?" + strings.Join(parts, "&")
	}
	return scheme + "://" + hosts
}
