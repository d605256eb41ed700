package storage_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/scoopa/webhooks/internal/storage"
)

// partServer serves the local store's part URLs as the server does.
func partServer(t *testing.T, pr storage.PartReceiver) *httptest.Server {
	mux := http.NewServeMux()
	mux.HandleFunc("PUT "+storage.PartPath, func(w http.ResponseWriter, r *http.Request) {
		_, err := pr.WritePart(r.PathValue("id"), r.PathValue("n"), r.URL.Query(), r.Body)
		switch {
		case errors.Is(err, storage.ErrBadPartSignature):
			w.WriteHeader(http.StatusForbidden)
		case errors.Is(err, storage.ErrNoMultipart):
			w.WriteHeader(http.StatusNotFound)
		case errors.Is(err, storage.ErrPartTooLarge):
			w.WriteHeader(http.StatusRequestEntityTooLarge)
		case err != nil:
			t.Errorf("write part: %v", err)
			w.WriteHeader(500)
		}
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

func put(t *testing.T, url string, body []byte) int {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPut, url, bytes.NewReader(body))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// The multipart contract, the same on both stores: parts PUT to presigned
// URLs in any order (and again), listed with their sizes, joined in order
// into the blob under the key; afterwards, or after an abort, the upload is
// gone and nothing but the blob is left.
func TestMultipartContract(t *testing.T) {
	ctx := context.Background()
	for name, st := range stores(t) {
		t.Run(name, func(t *testing.T) {
			mp := st.Store.(storage.Multipart)
			if local, ok := st.Store.(*storage.Local); ok {
				local.SignParts(partServer(t, local).URL, []byte("0123456789abcdef0123456789abcdef"))
			}
			key, id, err := mp.CreateMultipart(ctx, "video/mp4")
			if err != nil {
				t.Fatal(err)
			}
			p1 := bytes.Repeat([]byte("1234567"), 6<<20/7) // over S3's smallest part
			p2 := []byte("the last part")
			url := func(n int, size int64) string {
				u, err := mp.PresignPart(ctx, key, id, n, size, time.Hour)
				if err != nil {
					t.Fatal(err)
				}
				return u
			}
			if code := put(t, url(2, 100), []byte("a first try")); code != 200 {
				t.Fatalf("PUT part 2: %d", code)
			}
			if code := put(t, url(1, int64(len(p1))), p1); code != 200 {
				t.Fatalf("PUT part 1: %d", code)
			}
			if code := put(t, url(2, 100), p2); code != 200 {
				t.Fatalf("PUT part 2 again: %d", code)
			}
			parts, err := mp.ListParts(ctx, key, id)
			if err != nil {
				t.Fatal(err)
			}
			if len(parts) != 2 || parts[0].Number != 1 || parts[0].Size != int64(len(p1)) || parts[1].Number != 2 || parts[1].Size != int64(len(p2)) {
				t.Fatalf("parts %+v, want 1 of %d bytes and 2 of %d", parts, len(p1), len(p2))
			}
			if _, err := mp.Stat(ctx, key); !errors.Is(err, fs.ErrNotExist) {
				t.Errorf("Stat before completion: %v, want fs.ErrNotExist", err)
			}
			if err := mp.CompleteMultipart(ctx, key, id, parts); err != nil {
				t.Fatal(err)
			}
			if size, err := mp.Stat(ctx, key); err != nil || size != int64(len(p1)+len(p2)) {
				t.Errorf("Stat: %d, %v; want %d", size, err, len(p1)+len(p2))
			}
			obj, err := st.Open(ctx, key)
			if err != nil {
				t.Fatal(err)
			}
			got, _ := io.ReadAll(obj)
			obj.Close()
			if !bytes.Equal(got, append(append([]byte{}, p1...), p2...)) {
				t.Errorf("joined blob of %d bytes is not part 1 then part 2", len(got))
			}
			if _, err := mp.ListParts(ctx, key, id); !errors.Is(err, storage.ErrNoMultipart) {
				t.Errorf("ListParts after completion: %v, want ErrNoMultipart", err)
			}
			// S3 may answer a repeated completion as the first (AWS does for
			// a while, versitygw does), or not know the upload any more.
			if err := mp.CompleteMultipart(ctx, key, id, parts); err != nil && !errors.Is(err, storage.ErrNoMultipart) {
				t.Errorf("completing again: %v, want nil or ErrNoMultipart", err)
			}
			if err := mp.AbortMultipart(ctx, key, id); err != nil {
				t.Errorf("aborting a completed upload: %v, want nil", err)
			}

			key2, id2, err := mp.CreateMultipart(ctx, "")
			if err != nil {
				t.Fatal(err)
			}
			if code := put(t, url2(t, mp, key2, id2), []byte("abandoned")); code != 200 {
				t.Fatalf("PUT: %d", code)
			}
			if err := mp.AbortMultipart(ctx, key2, id2); err != nil {
				t.Fatal(err)
			}
			if _, err := mp.ListParts(ctx, key2, id2); !errors.Is(err, storage.ErrNoMultipart) {
				t.Errorf("ListParts after abort: %v, want ErrNoMultipart", err)
			}
			for _, l := range st.leftovers(t) {
				if !strings.HasSuffix(l, key) {
					t.Errorf("left behind: %s", l)
				}
			}
		})
	}
}

func url2(t *testing.T, mp storage.Multipart, key, id string) string {
	u, err := mp.PresignPart(context.Background(), key, id, 1, 100, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// The local store's part URLs refuse a body longer than the part and keep
// nothing of it.
func TestLocalPartTooLarge(t *testing.T) {
	local, err := storage.NewLocal(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	local.SignParts(partServer(t, local).URL, []byte("0123456789abcdef0123456789abcdef"))
	ctx := context.Background()
	key, id, _ := local.CreateMultipart(ctx, "")
	u, _ := local.PresignPart(ctx, key, id, 1, 4, time.Hour)
	if code := put(t, u, []byte("12345")); code != http.StatusRequestEntityTooLarge {
		t.Errorf("PUT of 5 bytes to a part of 4: %d, want 413", code)
	}
	if parts, err := local.ListParts(ctx, key, id); err != nil || len(parts) != 0 {
		t.Errorf("parts %+v, %v; want none", parts, err)
	}
}
