package storage_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"io/fs"
	"net"
	"net/http"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"testing"
	"testing/iotest"
	"time"

	"github.com/minio/minio-go/v7"
	"github.com/scoopa/webhooks/internal/storage"
	"github.com/scoopa/webhooks/internal/testenv"
)

// store is a Store under test with a way to see everything it left behind.
type store struct {
	storage.Store
	// leftovers lists what is stored, finished or not, keys or not.
	leftovers func(t *testing.T) []string
}

// stores opens every kind of store: the local directory and a bucket on a
// real S3 server.
func stores(t *testing.T) map[string]store {
	t.Helper()
	local, dir := localIn(t)
	s3env := testenv.StartS3(t)
	s3, err := storage.OpenWith(context.Background(), s3env.URL, "", storage.Credentials{AccessKeyID: s3env.AccessKey, SecretAccessKey: s3env.SecretKey})
	if err != nil {
		t.Fatal(err)
	}
	client := s3env.Client(t)
	return map[string]store{
		"local": {local, func(t *testing.T) []string {
			var all []string
			_ = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
				if err == nil && !d.IsDir() {
					all = append(all, p)
				}
				return nil
			})
			return all
		}},
		"s3": {s3, func(t *testing.T) []string {
			var all []string
			ctx := context.Background()
			for o := range client.ListObjects(ctx, s3env.Bucket, minio.ListObjectsOptions{Recursive: true}) {
				if o.Err != nil {
					t.Fatal(o.Err)
				}
				all = append(all, o.Key)
			}
			for u := range client.ListIncompleteUploads(ctx, s3env.Bucket, "", true) {
				if u.Err != nil {
					t.Fatal(u.Err)
				}
				all = append(all, "upload of "+u.Key)
			}
			return all
		}},
	}
}

func sum(b []byte) string { h := sha256.Sum256(b); return hex.EncodeToString(h[:]) }

// spooled returns a reader of content spooled to a temporary file outside
// the stores, which the test's end removes.
func spooled(t *testing.T, content []byte) *storage.SpoolReader {
	t.Helper()
	sf, err := storage.Spool(t.TempDir(), "request-*", bytes.NewReader(content))
	if err != nil {
		t.Fatal(err)
	}
	r, err := sf.Open()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close(); sf.Remove() })
	return r
}

// onlyReader hides every method of r but Read: contents of unknown size.
type onlyReader struct{ r io.Reader }

func (o onlyReader) Read(p []byte) (int, error) { return o.r.Read(p) }

// The same contract holds for every store.
func TestStoreContract(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	for name, st := range stores(t) {
		t.Run(name, func(t *testing.T) {
			content := []byte("0123456789abcdefghijklmnopqrstuvwxyz")
			t.Run("put, open, range, seek, delete", func(t *testing.T) {
				for _, r := range map[string]io.Reader{"size known": bytes.NewReader(content), "size unknown": onlyReader{bytes.NewReader(content)}, "spooled": spooled(t, content)} {
					key, got, size, err := st.Put(ctx, r, int64(len(content)))
					if err != nil {
						t.Fatal(err)
					}
					if !storage.ValidKey(key) || got != sum(content) || size != int64(len(content)) {
						t.Fatalf("Put = %q, %s, %d; want a key, %s, %d", key, got, size, sum(content), len(content))
					}
					obj, err := st.Open(ctx, key)
					if err != nil {
						t.Fatal(err)
					}
					if obj.Size() != size {
						t.Errorf("Size = %d, want %d", obj.Size(), size)
					}
					if err := iotest.TestReader(obj, content); err != nil {
						t.Errorf("reading the blob: %v", err)
					}
					if end, err := obj.Seek(0, io.SeekEnd); err != nil || end != size {
						t.Errorf("Seek(0, end) = %d, %v; want %d", end, err, size)
					}
					if _, err := obj.Seek(10, io.SeekStart); err != nil {
						t.Fatal(err)
					}
					part := make([]byte, 6)
					if _, err := io.ReadFull(obj, part); err != nil || string(part) != "abcdef" {
						t.Errorf("range 10-15 = %q, %v; want abcdef", part, err)
					}
					obj.Close()
					if err := st.Delete(ctx, key); err != nil {
						t.Fatal(err)
					}
					if _, err := st.Open(ctx, key); !errors.Is(err, fs.ErrNotExist) {
						t.Errorf("Open after Delete: %v, want fs.ErrNotExist", err)
					}
					if err := st.Delete(ctx, key); err != nil {
						t.Errorf("Delete of a key gone: %v, want nil", err)
					}
				}
			})
			t.Run("missing key", func(t *testing.T) {
				if _, err := st.Open(ctx, strings.Repeat("ab", 16)); !errors.Is(err, fs.ErrNotExist) {
					t.Errorf("Open of a key never stored: %v, want fs.ErrNotExist", err)
				}
				if _, err := st.Open(ctx, "../../etc/passwd"); !errors.Is(err, fs.ErrNotExist) {
					t.Errorf("Open of a key Put never makes: %v, want fs.ErrNotExist", err)
				}
			})
			t.Run("over the limit leaves nothing", func(t *testing.T) {
				big := bytes.Repeat([]byte("x"), storage.PartSize+1)
				for what, r := range map[string]io.Reader{
					"size known":                bytes.NewReader(content),
					"size unknown":              onlyReader{bytes.NewReader(content)},
					"size unknown, second part": onlyReader{bytes.NewReader(big)},
					"spooled":                   spooled(t, content),
				} {
					limit := int64(len(content) - 1)
					if len(what) > len("size unknown") {
						limit = storage.PartSize
					}
					_, _, _, err := st.Put(ctx, r, limit)
					var tooLarge *storage.TooLargeError
					if !errors.As(err, &tooLarge) || tooLarge.Limit != limit {
						t.Errorf("%s: Put over the limit: %v, want a TooLargeError of %d", what, err, limit)
					}
				}
				if left := st.leftovers(t); len(left) > 0 {
					t.Errorf("left behind: %q", left)
				}
			})
			t.Run("large, in parts", func(t *testing.T) {
				big := bytes.Repeat([]byte("0123456789abcdef"), storage.PartSize/16+1000)
				for what, r := range map[string]io.Reader{"size known": bytes.NewReader(big), "size unknown": onlyReader{bytes.NewReader(big)}} {
					key, got, size, err := st.Put(ctx, r, 0)
					if err != nil || got != sum(big) || size != int64(len(big)) {
						t.Fatalf("%s: Put = %s, %d, %v; want %s, %d", what, got, size, err, sum(big), len(big))
					}
					obj, err := st.Open(ctx, key)
					if err != nil {
						t.Fatal(err)
					}
					if _, err := obj.Seek(int64(storage.PartSize-3), io.SeekStart); err != nil {
						t.Fatal(err)
					}
					part := make([]byte, 8)
					if _, err := io.ReadFull(obj, part); err != nil || !bytes.Equal(part, big[storage.PartSize-3:storage.PartSize+5]) {
						t.Errorf("%s: bytes across the part boundary = %q, %v", what, part, err)
					}
					obj.Close()
					if err := st.Delete(ctx, key); err != nil {
						t.Fatal(err)
					}
				}
			})
			t.Run("list", func(t *testing.T) {
				var want []string
				for i := range 3 {
					key, _, _, err := st.Put(ctx, strings.NewReader(strings.Repeat("x", i)), 0)
					if err != nil {
						t.Fatal(err)
					}
					want = append(want, key)
				}
				var got []string
				err := st.List(ctx, func(b storage.Blob) error {
					got = append(got, b.Key)
					if time.Since(b.ModTime) > time.Hour || time.Until(b.ModTime) > time.Minute {
						t.Errorf("blob %s written at %v", b.Key, b.ModTime)
					}
					return nil
				})
				sort.Strings(want)
				sort.Strings(got)
				if err != nil || strings.Join(got, ",") != strings.Join(want, ",") {
					t.Errorf("List = %q, %v; want %q", got, err, want)
				}
				stop := errors.New("stop")
				n := 0
				if err := st.List(ctx, func(storage.Blob) error { n++; return stop }); !errors.Is(err, stop) || n != 1 {
					t.Errorf("List stopped by its function: %v after %d blobs, want stop after 1", err, n)
				}
				for _, k := range want {
					if err := st.Delete(ctx, k); err != nil {
						t.Fatal(err)
					}
				}
			})
			t.Run("presigned GET", func(t *testing.T) {
				p, ok := st.Store.(storage.Presigner)
				if name == "local" {
					if ok {
						t.Fatal("the local store presigns")
					}
					return
				}
				if !ok {
					t.Fatal("the S3 store does not presign")
				}
				key, _, _, err := st.Put(ctx, bytes.NewReader(content), 0)
				if err != nil {
					t.Fatal(err)
				}
				u, err := p.PresignGet(ctx, key, `clip "1".mov`, "video/quicktime", time.Minute)
				if err != nil {
					t.Fatal(err)
				}
				resp, err := http.Get(u.String())
				if err != nil {
					t.Fatal(err)
				}
				body, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				if resp.StatusCode != 200 || !bytes.Equal(body, content) {
					t.Fatalf("GET presigned URL = %d %q", resp.StatusCode, body)
				}
				if ct, cd := resp.Header.Get("Content-Type"), resp.Header.Get("Content-Disposition"); ct != "video/quicktime" || cd != `attachment; filename="clip \"1\".mov"` {
					t.Errorf("presigned response headers: Content-Type %q, Content-Disposition %q", ct, cd)
				}
				u.RawQuery = strings.Replace(u.RawQuery, "X-Amz-Signature=", "X-Amz-Signature=0", 1)
				if resp, err := http.Get(u.String()); err != nil || resp.StatusCode != http.StatusForbidden {
					t.Errorf("GET tampered presigned URL: %v %v, want 403", resp.StatusCode, err)
				}
			})
		})
	}
}

// Open says what is wrong with a storage URL, the credentials, the
// endpoint or the bucket.
func TestOpenErrors(t *testing.T) {
	t.Parallel()
	s3env := testenv.StartS3(t)
	creds := storage.Credentials{AccessKeyID: s3env.AccessKey, SecretAccessKey: s3env.SecretKey}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := ln.Addr().String()
	ln.Close()
	ep := "?endpoint=" + s3env.Endpoint
	for _, tc := range []struct {
		name, url string
		creds     storage.Credentials
		want      string
	}{
		{"bad scheme", "gs://bucket", creds, `scheme "gs"`},
		{"missing bucket", "s3:///prefix" + ep, creds, "missing bucket"},
		{"bad bucket", "s3://Bad_Bucket" + ep, creds, `bucket "Bad_Bucket"`},
		{"bad endpoint", "s3://bucket?endpoint=ftp://host", creds, `endpoint "ftp://host"`},
		{"endpoint with a path", "s3://bucket?endpoint=http://host/path", creds, `endpoint "http://host/path"`},
		{"unknown parameter", "s3://bucket?endpoint=http://host&regoin=x", creds, `unknown parameter "regoin"`},
		{"credentials in the URL", "s3://key:secret@bucket", creds, "credentials do not belong in the URL"},
		{"missing credentials", "s3://" + s3env.Bucket + ep, storage.Credentials{}, "missing credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY"},
		{"missing secret", "s3://" + s3env.Bucket + ep, storage.Credentials{AccessKeyID: "k"}, "AWS_SECRET_ACCESS_KEY is not set"},
		{"unknown access key", "s3://" + s3env.Bucket + ep, storage.Credentials{AccessKeyID: "nobody", SecretAccessKey: "x"}, "does not know the access key"},
		{"wrong secret", "s3://" + s3env.Bucket + ep, storage.Credentials{AccessKeyID: s3env.AccessKey, SecretAccessKey: "wrong"}, "refuses AWS_SECRET_ACCESS_KEY"},
		{"no such bucket", "s3://no-such-bucket-here" + ep, creds, `bucket "no-such-bucket-here" does not exist`},
		{"unreachable", "s3://bucket?endpoint=http://" + closed, creds, "endpoint http://" + closed + " unreachable"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := storage.OpenWith(context.Background(), tc.url, t.TempDir(), tc.creds)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("OpenWith(%q) = %v, want an error containing %q", tc.url, err, tc.want)
			}
		})
	}
	// The local store is the default.
	if st, err := storage.OpenWith(context.Background(), "", t.TempDir(), storage.Credentials{}); err != nil {
		t.Error(err)
	} else if _, ok := st.(*storage.Local); !ok {
		t.Errorf("OpenWith(\"\") = %T, want *storage.Local", st)
	}
}

// pattern is size bytes of a repeating pattern, made as they are read; it
// seeks (so its size is known) unless hidden behind onlyReader.
type pattern struct{ off, size int64 }

func (p *pattern) Read(b []byte) (int, error) {
	if p.off >= p.size {
		return 0, io.EOF
	}
	n := int(min(int64(len(b)), p.size-p.off))
	for i := range n {
		b[i] = byte((p.off + int64(i)) % 251)
	}
	p.off += int64(n)
	return n, nil
}

func (p *pattern) Seek(off int64, whence int) (int64, error) {
	switch whence {
	case io.SeekCurrent:
		off += p.off
	case io.SeekEnd:
		off += p.size
	}
	p.off = off
	return off, nil
}

// A Put to S3 holds at most one part in memory, whether the size is known
// or not: 48 MiB (three parts) allocate well under three parts. (Not run in
// parallel, so that the allocations counted are the Put's.)
func TestS3PutMemoryBounded(t *testing.T) {
	s3env := testenv.StartS3(t)
	st, err := storage.OpenWith(context.Background(), s3env.URL, "", storage.Credentials{AccessKeyID: s3env.AccessKey, SecretAccessKey: s3env.SecretKey})
	if err != nil {
		t.Fatal(err)
	}
	const size = 3 * storage.PartSize
	for what, r := range map[string]io.Reader{"size known": &pattern{size: size}, "size unknown": onlyReader{&pattern{size: size}}} {
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		key, _, n, err := st.Put(context.Background(), r, 0)
		runtime.ReadMemStats(&after)
		if err != nil || n != size {
			t.Fatalf("%s: Put = %d, %v", what, n, err)
		}
		alloc := after.TotalAlloc - before.TotalAlloc
		t.Logf("%s: a Put of %d MiB allocated %.1f MiB", what, size>>20, float64(alloc)/(1<<20))
		if alloc > 2*storage.PartSize {
			t.Errorf("%s: a Put of %d MiB allocated %d MiB, want at most %d", what, size>>20, alloc>>20, 2*storage.PartSize>>20)
		}
		if err := st.Delete(context.Background(), key); err != nil {
			t.Fatal(err)
		}
	}
}
