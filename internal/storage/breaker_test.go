package storage_test

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/scoopa/webhooks/internal/problem"
	"github.com/scoopa/webhooks/internal/storage"
	"github.com/scoopa/webhooks/internal/testenv"
)

// Once a call found the object store unreachable, the store's calls fail
// at once (well under half a second, where the client's retries took
// seconds each) with an UnavailableError naming the object store, until a
// probe in the background finds the store back; then they work again,
// with no restart.
func TestS3FailsFastWhileDown(t *testing.T) {
	s3env := testenv.StartS3(t)
	proxy := testenv.StartProxy(t, strings.TrimPrefix(s3env.Endpoint, "http://"), true)
	url := strings.Replace(s3env.URL, s3env.Endpoint, "http://"+proxy.Addr, 1)
	ctx := context.Background()
	st, err := storage.OpenWith(ctx, url, "", storage.Credentials{AccessKeyID: s3env.AccessKey, SecretAccessKey: s3env.SecretKey})
	if err != nil {
		t.Fatal(err)
	}
	key, _, _, err := st.Put(ctx, bytes.NewReader([]byte("kept")), 0)
	if err != nil {
		t.Fatal(err)
	}
	unavailable := func(what string, err error) {
		t.Helper()
		var u *problem.UnavailableError
		if !errors.As(err, &u) || u.Dependency != problem.ObjectStore {
			t.Fatalf("%s with the store down: %v, want an UnavailableError of the object store", what, err)
		}
	}

	proxy.Down()
	_, _, _, err = st.Put(ctx, bytes.NewReader([]byte("lost")), 0)
	unavailable("first put", err)
	for i := range 3 {
		start := time.Now()
		_, _, _, err = st.Put(ctx, bytes.NewReader([]byte("lost")), 0)
		unavailable("put", err)
		if d := time.Since(start); d > 500*time.Millisecond {
			t.Errorf("put %d with the store known down took %v, want under 500ms", i, d)
		}
		start = time.Now()
		_, err = st.Open(ctx, key)
		unavailable("open", err)
		if d := time.Since(start); d > 500*time.Millisecond {
			t.Errorf("open %d with the store known down took %v, want under 500ms", i, d)
		}
	}

	proxy.Up(t)
	testenv.Eventually(t, 10*time.Second, "the store back", func() bool {
		o, err := st.Open(ctx, key)
		if err != nil {
			return false
		}
		o.Close()
		return true
	})
	if _, _, _, err := st.Put(ctx, bytes.NewReader([]byte("again")), 0); err != nil {
		t.Errorf("put with the store back: %v", err)
	}
}
