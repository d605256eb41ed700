package testenv_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/scoopa/webhooks/internal/app"
	"github.com/scoopa/webhooks/internal/testenv"
)

// A client of the sentinel URL writes to the master, and after KillMaster
// to the promoted replica, which kept what was written before.
func TestSentinelFailover(t *testing.T) {
	t.Parallel()
	s := testenv.StartSentinel(t)
	rdb, err := app.OpenRedis(s.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer rdb.Close()
	if _, ok := rdb.(*redis.Client); !ok {
		t.Fatalf("OpenRedis(%s) = %T, want a failover *redis.Client", s.URL, rdb)
	}
	ctx := context.Background()
	if err := rdb.Set(ctx, "before", "1", 0).Err(); err != nil {
		t.Fatal(err)
	}
	// Replicated before the kill, so it must survive it.
	if err := rdb.Do(ctx, "WAIT", 1, 5000).Err(); err != nil {
		t.Fatal(err)
	}
	old := s.MasterAddr()
	promoted := s.KillMaster()
	t.Logf("master %s killed; master now %s", old, promoted)
	testenv.Eventually(t, 30*time.Second, "a write after the failover", func() bool {
		return rdb.Set(ctx, "after", "1", 0).Err() == nil
	})
	if v, err := rdb.Get(ctx, "before").Result(); err != nil || v != "1" {
		t.Errorf("GET before = %q, %v after the failover; want 1", v, err)
	}
	// The old master is back as a replica: the set-up survives a second kill.
	s.KillMaster()
	testenv.Eventually(t, 30*time.Second, "a write after the second failover", func() bool {
		return rdb.Set(ctx, "again", "1", 0).Err() == nil
	})
}

// A client of the cluster URL reaches keys of every slot.
func TestCluster(t *testing.T) {
	t.Parallel()
	c := testenv.StartCluster(t)
	rdb, err := app.OpenRedis(c.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer rdb.Close()
	cc, ok := rdb.(*redis.ClusterClient)
	if !ok {
		t.Fatalf("OpenRedis(%s) = %T, want a *redis.ClusterClient", c.URL, rdb)
	}
	ctx := context.Background()
	for i := range 30 {
		if err := rdb.Set(ctx, fmt.Sprint("key", i), i, 0).Err(); err != nil {
			t.Fatal(err)
		}
	}
	// The keys spread over the three masters.
	masters := 0
	_ = cc.ForEachMaster(ctx, func(ctx context.Context, n *redis.Client) error {
		if n.DBSize(ctx).Val() > 0 {
			masters++
		}
		return nil
	})
	if masters != 3 {
		t.Errorf("keys on %d masters, want 3", masters)
	}
}
