package graph_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"os"
	"testing"
	"time"

	"github.com/scoopa/webhooks/internal/testenv"
)

// randomBytes returns n bytes that no run of the same byte would compress
// or hide a misplaced range in.
func randomBytes(n int) []byte {
	b := make([]byte, n)
	r := rand.NewChaCha8([32]byte{1})
	_, _ = r.Read(b)
	return b
}

// An upload on the local store is written once: the request's temporary
// file, hashed as it arrived, becomes the blob under files/ (the same file,
// not a copy of it), with the right bytes and SHA-256, and nothing is left
// in the temp area.
func TestUploadIsWrittenOnce(t *testing.T) {
	t.Parallel()
	s := testenv.StartServer(t, testenv.Embedded, nil)
	folder := createFolder(t, s, "once")
	content := randomBytes(1<<20 + 123)
	head, boundary := multipartHead(folder)
	tail := append(append([]byte{}, content[512<<10:]...), "\r\n--"+boundary+"--\r\n"...)
	body := newHeldBody(append(head, content[:512<<10]...), tail)
	defer body.Release()
	got := make(chan *testenv.Response, 1)
	go func() {
		resp, err := http.DefaultClient.Do(postGraphQL(s, s.Token, "multipart/form-data; boundary="+boundary, body))
		if err != nil {
			got <- &testenv.Response{Status: -1}
			return
		}
		defer resp.Body.Close()
		var r testenv.Response
		_ = json.NewDecoder(resp.Body).Decode(&r)
		r.Status = resp.StatusCode
		got <- &r
	}()
	// While the rest is held back, the request's temporary file is there.
	var spool os.FileInfo
	testenv.Eventually(t, 20*time.Second, "the request's temporary file", func() bool {
		for path, size := range tempFiles(t, s) {
			if size >= 512<<10 {
				spool, _ = os.Stat(path)
				return spool != nil
			}
		}
		return false
	})
	body.Release()
	r := <-got
	var out struct {
		UploadFile struct {
			SizeBytes int64 `json:"sizeBytes"`
			Sha256    string
		}
	}
	_ = json.Unmarshal(r.Data, &out)
	sum := sha256.Sum256(content)
	if len(r.Errors) > 0 || out.UploadFile.SizeBytes != int64(len(content)) || out.UploadFile.Sha256 != hex.EncodeToString(sum[:]) {
		t.Fatalf("upload: %d %+v %s", r.Status, r.Errors, r.Data)
	}
	files := storedFiles(s.Env)
	if len(files) != 1 {
		t.Fatalf("files/ holds %q, want one blob", files)
	}
	if b, err := os.ReadFile(files[0]); err != nil || !bytes.Equal(b, content) {
		t.Fatalf("the blob holds %d bytes (%v), not the %d uploaded", len(b), err, len(content))
	}
	blob, err := os.Stat(files[0])
	if err != nil {
		t.Fatal(err)
	}
	if !os.SameFile(spool, blob) {
		t.Errorf("the blob %s is a copy of the request's temporary file %s: its bytes were written twice", files[0], spool.Name())
	}
	testenv.Eventually(t, 10*time.Second, "temporary files removed", func() bool { return len(tempFiles(t, s)) == 0 })
}

// One file given to two uploads of a request is stored twice, whole each
// time, and its temporary file still goes when the request ends.
func TestUploadOneFileTwice(t *testing.T) {
	t.Parallel()
	s := testenv.StartServer(t, testenv.Embedded, nil)
	folder := createFolder(t, s, "twice")
	content := randomBytes(70 << 10)
	const boundary = "scoopa-one-file-twice"
	ops, _ := json.Marshal(map[string]any{
		"query":     `mutation($f: ID!, $a: Upload!, $b: Upload!) { a: uploadFile(folderID: $f, file: $a) { sha256 sizeBytes } b: uploadFile(folderID: $f, file: $b) { sha256 sizeBytes } }`,
		"variables": map[string]any{"f": folder, "a": nil, "b": nil},
	})
	var b bytes.Buffer
	fmt.Fprintf(&b, "--%s\r\nContent-Disposition: form-data; name=\"operations\"\r\n\r\n%s\r\n", boundary, ops)
	fmt.Fprintf(&b, "--%s\r\nContent-Disposition: form-data; name=\"map\"\r\n\r\n{\"0\": [\"variables.a\", \"variables.b\"]}\r\n", boundary)
	fmt.Fprintf(&b, "--%s\r\nContent-Disposition: form-data; name=\"0\"; filename=\"twice.bin\"\r\n\r\n%s\r\n", boundary, content)
	fmt.Fprintf(&b, "--%s--\r\n", boundary)
	resp, err := http.DefaultClient.Do(postGraphQL(s, s.Token, "multipart/form-data; boundary="+boundary, &b))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var r testenv.Response
	_ = json.NewDecoder(resp.Body).Decode(&r)
	type file struct {
		Sha256    string
		SizeBytes int64 `json:"sizeBytes"`
	}
	var out struct{ A, B file }
	_ = json.Unmarshal(r.Data, &out)
	sum := sha256.Sum256(content)
	want := file{hex.EncodeToString(sum[:]), int64(len(content))}
	if len(r.Errors) > 0 || out.A != want || out.B != want {
		t.Fatalf("upload: %d %+v %s; want both %+v", resp.StatusCode, r.Errors, r.Data, want)
	}
	files := storedFiles(s.Env)
	if len(files) != 2 {
		t.Fatalf("files/ holds %q, want two blobs", files)
	}
	for _, f := range files {
		if got, err := os.ReadFile(f); err != nil || !bytes.Equal(got, content) {
			t.Errorf("blob %s holds %d bytes (%v), not the %d uploaded", f, len(got), err, len(content))
		}
	}
	testenv.Eventually(t, 10*time.Second, "temporary files removed", func() bool { return len(tempFiles(t, s)) == 0 })
}
