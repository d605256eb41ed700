package graph_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/minio/minio-go/v7"
	"github.com/scoopa/webhooks/internal/app"
	"github.com/scoopa/webhooks/internal/files"
	"github.com/scoopa/webhooks/internal/testenv"
)

// uploadLink uploads content through s and returns the file's download link.
func uploadLink(t *testing.T, s *testenv.Server, name string, content []byte) string {
	t.Helper()
	r := s.Upload(t, createFolder(t, s, "F"+testenv.Name("")), name, "video/mp4", content)
	var up struct{ UploadFile struct{ DownloadURL string } }
	if len(r.Errors) > 0 || json.Unmarshal(r.Data, &up) != nil || up.UploadFile.DownloadURL == "" {
		t.Fatalf("upload: %+v", r.Errors)
	}
	return up.UploadFile.DownloadURL
}

// fetch GETs u (not following redirects) with headers, and returns the
// response with its body read.
func fetch(t *testing.T, u string, hdr map[string]string) (*http.Response, []byte) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, u, nil)
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, b
}

// bucketObjects returns the contents of every object in the bucket.
func bucketObjects(t *testing.T, s3 *testenv.S3) map[string][]byte {
	t.Helper()
	c, ctx := s3.Client(t), context.Background()
	out := map[string][]byte{}
	for o := range c.ListObjects(ctx, s3.Bucket, minio.ListObjectsOptions{Recursive: true}) {
		if o.Err != nil {
			t.Fatal(o.Err)
		}
		obj, err := c.GetObject(ctx, s3.Bucket, o.Key, minio.GetObjectOptions{})
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(obj)
		obj.Close()
		if err != nil {
			t.Fatal(err)
		}
		out[o.Key] = b
	}
	return out
}

// storedFiles lists what the data dir keeps under files/.
func storedFiles(env map[string]string) []string {
	var out []string
	_ = filepath.WalkDir(filepath.Join(env["SCOOPA_DATA_DIR"], "files"), func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			out = append(out, p)
		}
		return nil
	})
	return out
}

// With SCOOPA_STORAGE_URL, an upload is stored in the bucket (nothing in the
// data dir), and its link keeps the contract: the bytes, ranges, 403 when
// tampered with.
func TestObjectStorageStream(t *testing.T) {
	t.Parallel()
	for _, kind := range testenv.Kinds {
		t.Run(string(kind), func(t *testing.T) {
			t.Parallel()
			s3 := testenv.StartS3(t)
			s := testenv.StartServer(t, kind, s3.Vars())
			content := []byte("0123456789abcdef")
			link := uploadLink(t, s, "clip.mp4", content)
			objs := bucketObjects(t, s3)
			if len(objs) != 1 {
				t.Fatalf("bucket holds %d objects, want 1", len(objs))
			}
			for k, b := range objs {
				if !strings.HasPrefix(k, s3.Prefix) || !bytes.Equal(b, content) {
					t.Errorf("object %s = %q, want %q under %s", k, b, content, s3.Prefix)
				}
			}
			if files := storedFiles(s.Env); len(files) > 0 {
				t.Errorf("the data dir keeps %q", files)
			}
			if resp, body := fetch(t, link, nil); resp.StatusCode != 200 || !bytes.Equal(body, content) || resp.Header.Get("Content-Type") != "video/mp4" {
				t.Errorf("GET link = %d %q (%s)", resp.StatusCode, body, resp.Header.Get("Content-Type"))
			}
			if resp, body := fetch(t, link, map[string]string{"Range": "bytes=2-5"}); resp.StatusCode != 206 || string(body) != "2345" {
				t.Errorf("GET link, bytes=2-5 = %d %q; want 206 2345", resp.StatusCode, body)
			}
			if resp, body := fetch(t, link, map[string]string{"Range": "bytes=-3"}); resp.StatusCode != 206 || string(body) != "def" {
				t.Errorf("GET link, bytes=-3 = %d %q; want 206 def", resp.StatusCode, body)
			}
			tampered := strings.Replace(link, "signature=", "signature=x", 1)
			if resp, body := fetch(t, tampered, nil); resp.StatusCode != 403 || bytes.Contains(body, content) {
				t.Errorf("tampered link = %d %q, want 403", resp.StatusCode, body)
			}
		})
	}
}

// In redirect mode a good link is answered 302 to a presigned URL of the
// bucket that serves the bytes; a tampered one is still 403, with no URL.
func TestObjectStorageRedirect(t *testing.T) {
	t.Parallel()
	for _, kind := range testenv.Kinds {
		t.Run(string(kind), func(t *testing.T) {
			t.Parallel()
			s3 := testenv.StartS3(t)
			env := s3.Vars()
			env["SCOOPA_DOWNLOAD_MODE"] = "redirect"
			s := testenv.StartServer(t, kind, env)
			content := []byte("redirected bytes")
			link := uploadLink(t, s, `a "b".mp4`, content)
			resp, _ := fetch(t, link, nil)
			loc := resp.Header.Get("Location")
			u, err := url.Parse(loc)
			if resp.StatusCode != http.StatusFound || err != nil || "http://"+u.Host != s3.Endpoint || u.Query().Get("X-Amz-Expires") != "300" {
				t.Fatalf("GET link = %d, Location %q; want 302 to %s, valid 300 s", resp.StatusCode, loc, s3.Endpoint)
			}
			if cc := resp.Header.Get("Cache-Control"); !strings.Contains(cc, "no-store") {
				t.Errorf("redirect Cache-Control %q, want no-store", cc)
			}
			got, body := fetch(t, loc, nil)
			if got.StatusCode != 200 || !bytes.Equal(body, content) || got.Header.Get("Content-Disposition") != `attachment; filename="a \"b\".mp4"` {
				t.Errorf("GET presigned URL = %d %q (%s)", got.StatusCode, body, got.Header.Get("Content-Disposition"))
			}
			if got, body := fetch(t, loc, map[string]string{"Range": "bytes=0-9"}); got.StatusCode != 206 || string(body) != "redirected" {
				t.Errorf("GET presigned URL, bytes=0-9 = %d %q", got.StatusCode, body)
			}
			// A link that expires in a minute redirects to a URL that ends no later.
			key := s.Env["SCOOPA_SECRET_KEY"]
			if key == "" {
				b, _ := readFile(testenv.DataFile(s.Env, "secret.key"))
				key = strings.TrimSpace(b)
			}
			id := strings.Split(strings.Split(link, "/files/")[1], "/")[0]
			soon := files.NewLinkSigner([]byte(key), s.URL).DownloadURL(id, time.Now().Add(time.Minute))
			resp, _ = fetch(t, soon, nil)
			u, err = url.Parse(resp.Header.Get("Location"))
			if ttl, _ := strconv.Atoi(u.Query().Get("X-Amz-Expires")); resp.StatusCode != http.StatusFound || err != nil || ttl < 1 || ttl > 60 {
				t.Errorf("link expiring in a minute = %d, Location %q; want 302 valid at most 60 s", resp.StatusCode, resp.Header.Get("Location"))
			}
			tampered := strings.Replace(link, "signature=", "signature=x", 1)
			if resp, _ := fetch(t, tampered, nil); resp.StatusCode != 403 || resp.Header.Get("Location") != "" {
				t.Errorf("tampered link = %d, Location %q; want 403 and none", resp.StatusCode, resp.Header.Get("Location"))
			}
		})
	}
}

// Two servers with separate data dirs on one database and one bucket: a
// file uploaded through one downloads through the other.
func TestObjectStorageSharedByTwoServers(t *testing.T) {
	t.Parallel()
	s3 := testenv.StartS3(t)
	a := testenv.StartServer(t, testenv.Postgres, s3.Vars())
	env := s3.Vars()
	for _, k := range []string{"SCOOPA_DATABASE_URL", "SCOOPA_REDIS_URL", "SCOOPA_QUEUE", "SCOOPA_SECRET_KEY", "SCOOPA_ADMIN_TOKEN"} {
		env[k] = a.Env[k]
	}
	env["TEST_NO_WORKER"] = "1"
	b := testenv.StartServer(t, testenv.Postgres, env)
	if a.Env["SCOOPA_DATA_DIR"] == b.Env["SCOOPA_DATA_DIR"] {
		t.Fatal("the servers share a data dir")
	}
	content := bytes.Repeat([]byte("shared "), 1000)
	link := uploadLink(t, a, "shared.mp4", content)
	if !strings.HasPrefix(link, a.URL+"/") {
		t.Fatalf("link %s is not server A's (%s)", link, a.URL)
	}
	viaB := b.URL + strings.TrimPrefix(link, a.URL)
	if resp, body := fetch(t, viaB, nil); resp.StatusCode != 200 || !bytes.Equal(body, content) {
		t.Errorf("GET A's link through B = %d, %d bytes; want 200, %d", resp.StatusCode, len(body), len(content))
	}
	if resp, body := fetch(t, viaB, map[string]string{"Range": "bytes=7-12"}); resp.StatusCode != 206 || string(body) != "shared" {
		t.Errorf("GET A's link through B, bytes=7-12 = %d %q", resp.StatusCode, body)
	}
	if files := append(storedFiles(a.Env), storedFiles(b.Env)...); len(files) > 0 {
		t.Errorf("data dirs keep %q", files)
	}
}

// A bucket that is not there stops start-up with an error naming the
// variable and the bucket.
func TestObjectStorageMissingBucket(t *testing.T) {
	t.Parallel()
	s3 := testenv.StartS3(t)
	env := testenv.Env(t, testenv.Embedded, s3.Vars())
	env["SCOOPA_STORAGE_URL"] = strings.Replace(s3.URL, s3.Bucket, "no-such-bucket", 1)
	cfg, err := app.LoadConfig("t", nil, testenv.Getenv(env), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	err = app.Serve(context.Background(), cfg, testenv.Logger(t, slog.LevelWarn), nil, nil)
	if err == nil || !strings.Contains(err.Error(), `SCOOPA_STORAGE_URL: object storage: bucket "no-such-bucket" does not exist at `+s3.Endpoint) {
		t.Errorf("Serve = %v, want the missing bucket named", err)
	}
}
