package main

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	// Test-only: calls are signed by the service's own code, so the example
	// is checked against the real wire format. The receiver itself does not
	// import it.
	"github.com/scoopa/webhooks/internal/files"
	"github.com/scoopa/webhooks/internal/sender"
	"github.com/scoopa/webhooks/internal/webhooks"
)

func testLogger(t *testing.T) *slog.Logger {
	return slog.New(slog.NewTextHandler(t.Output(), nil))
}

// fileServer stands in for scoopa's download endpoint: GET
// /files/{id}/download with a link signed and checked by the service's
// LinkSigner, 403 for an expired or tampered link, 404 for an unknown file.
type fileServer struct {
	*httptest.Server
	links *files.LinkSigner
	files map[string][]byte

	mu       sync.Mutex
	hits     int
	failures int // how many requests still get a 500 before the file
}

func newFileServer(t *testing.T, blobs map[string][]byte) *fileServer {
	fs := &fileServer{files: blobs}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /files/{id}/download", fs.serve)
	fs.Server = httptest.NewServer(mux)
	t.Cleanup(fs.Close)
	fs.links = files.NewLinkSigner([]byte("download link key of the tests"), fs.URL)
	return fs
}

func (fs *fileServer) serve(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	fs.mu.Lock()
	fs.hits++
	fail := fs.failures > 0
	if fail {
		fs.failures--
	}
	fs.mu.Unlock()
	q := r.URL.Query()
	if err := fs.links.CheckDownload(id, q.Get("expires"), q.Get("signature"), time.Now()); err != nil {
		http.Error(w, "forbidden", http.StatusForbidden)
		return
	}
	if fail {
		http.Error(w, "try again", http.StatusInternalServerError)
		return
	}
	b, ok := fs.files[id]
	if !ok {
		http.NotFound(w, r)
		return
	}
	http.ServeContent(w, r, id, time.Time{}, bytes.NewReader(b))
}

func (fs *fileServer) hitCount() int {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	return fs.hits
}

// deliveryBody is a delivery body as the service marshals it.
func deliveryBody(t *testing.T, fileID int, name string, size int64, link string) []byte {
	t.Helper()
	b, err := json.Marshal(webhooks.FilePayload{
		Origin: "scoopa", Platform: "test", FileID: fileID, FileName: name, FileType: "video/quicktime",
		FileSizeInBytes: size, FolderID: 45, FolderName: "Inbox", DownloadURL: link,
	})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// validationBody is a validation body as the service marshals it.
func validationBody(t *testing.T, link string) []byte {
	t.Helper()
	b, err := json.Marshal(webhooks.ValidationPayload{
		Origin: webhooks.ValidationOrigin, Platform: "test", FileID: "12345", FileName: "test.mov",
		FileType: "video/quicktime", FileSizeInBytes: fmt.Sprint(len(files.SampleFile)),
		FolderID: "67890", FolderName: "test-folder", DownloadURL: link,
	})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// signedRequest is a call carrying body, signed over signed with secrets
// (no signature headers when there are none).
func signedRequest(t *testing.T, msgID string, ts time.Time, signed, body []byte, secrets ...string) *http.Request {
	t.Helper()
	req := httptest.NewRequest(http.MethodPost, "/", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if len(secrets) == 0 {
		return req
	}
	sig, err := sender.Sign(msgID, ts, signed, secrets...)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("webhook-id", msgID)
	req.Header.Set("webhook-timestamp", fmt.Sprint(ts.Unix()))
	req.Header.Set("webhook-signature", sig)
	return req
}

func TestHandler(t *testing.T) {
	secret := sender.NewSigningSecret() // the one the receiver knows
	key, err := decodeSecret(secret)
	if err != nil {
		t.Fatal(err)
	}
	other := sender.NewSigningSecret()
	now := time.Unix(1767225600, 0)
	// The "&" comes escaped as \u0026 in the body, as the service sends it.
	link := "https://scoopa.example/files/123/download?expires=1767312000&signature=Zm9v-_"
	body := deliveryBody(t, 123, "x.mov", 5007, link)
	queued := delivery{
		WebhookID: "msg_1", Origin: "scoopa", Platform: "test", FileID: 123, FileName: "x.mov",
		FileType: "video/quicktime", FileSizeInBytes: 5007, FolderID: 45, FolderName: "Inbox", DownloadURL: link,
	}

	tests := []struct {
		name       string
		method     string // POST if empty
		ts         time.Time
		signed     []byte   // the body the signature covers
		sent       []byte   // the body sent; signed if nil
		secrets    []string // signing secrets, in header order
		wantStatus int
		wantQueued []delivery
	}{
		{name: "delivery", ts: now, signed: body, secrets: []string{secret},
			wantStatus: 200, wantQueued: []delivery{queued}},
		{name: "tampered body", ts: now, signed: body, sent: deliveryBody(t, 123, "x.mov", 5008, link),
			secrets: []string{secret}, wantStatus: 401},
		{name: "wrong secret", ts: now, signed: body, secrets: []string{other}, wantStatus: 401},
		{name: "no signature headers", ts: now, signed: body, wantStatus: 401},
		{name: "timestamp 5 minutes old", ts: now.Add(-tolerance), signed: body, secrets: []string{secret},
			wantStatus: 200, wantQueued: []delivery{queued}},
		{name: "stale timestamp", ts: now.Add(-tolerance - time.Second), signed: body, secrets: []string{secret},
			wantStatus: 401},
		{name: "timestamp from the future", ts: now.Add(tolerance + time.Second), signed: body, secrets: []string{secret},
			wantStatus: 401},
		{name: "rotated secret: only the second signature is valid", ts: now, signed: body, secrets: []string{other, secret},
			wantStatus: 200, wantQueued: []delivery{queued}},
		{name: "rotated secret: neither signature is valid", ts: now, signed: body,
			secrets: []string{other, sender.NewSigningSecret()}, wantStatus: 401},
		{name: "validation call", ts: now, signed: validationBody(t, link), secrets: []string{secret}, wantStatus: 200},
		{name: "validation call before the secret is configured", ts: now, signed: validationBody(t, link),
			secrets: []string{other}, wantStatus: 200},
		{name: "signed body that is not a delivery", ts: now, signed: []byte(`{"origin":"scoopa","file_id":"123"}`),
			secrets: []string{secret}, wantStatus: 400},
		{name: "GET", method: http.MethodGet, ts: now, signed: body, secrets: []string{secret}, wantStatus: 405},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			queue := make(chan delivery, 10)
			h := newHandler(key, queue, testLogger(t))
			h.now = func() time.Time { return now }
			sent := tt.sent
			if sent == nil {
				sent = tt.signed
			}
			req := signedRequest(t, "msg_1", tt.ts, tt.signed, sent, tt.secrets...)
			if tt.method != "" {
				req.Method = tt.method
			}
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if rec.Code != tt.wantStatus {
				t.Errorf("status = %d, want %d (body %q)", rec.Code, tt.wantStatus, rec.Body)
			}
			close(queue)
			var got []delivery
			for d := range queue {
				got = append(got, d)
			}
			if !reflect.DeepEqual(got, tt.wantQueued) {
				t.Errorf("queued downloads:\nwant %+v\n got %+v", tt.wantQueued, got)
			}
		})
	}
}

// TestHandlerBusy checks that a call refused for a full queue is not
// remembered, so that scoopa's retry of it is accepted.
func TestHandlerBusy(t *testing.T) {
	secret := sender.NewSigningSecret()
	key, err := decodeSecret(secret)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	body := deliveryBody(t, 123, "x.mov", 5007, "https://scoopa.example/files/123/download?expires=1&signature=x")
	queue := make(chan delivery, 1)
	h := newHandler(key, queue, testLogger(t))

	tests := []struct {
		name       string
		queueFull  bool
		wantStatus int
	}{
		{name: "first attempt, queue full", queueFull: true, wantStatus: 503},
		{name: "retry, queue has room", queueFull: false, wantStatus: 200},
		{name: "another retry", queueFull: false, wantStatus: 200},
	}
	for _, tt := range tests {
		if tt.queueFull {
			queue <- delivery{WebhookID: "msg_other"}
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, signedRequest(t, "msg_1", now, body, body, secret))
		if rec.Code != tt.wantStatus {
			t.Errorf("%s: status = %d, want %d", tt.name, rec.Code, tt.wantStatus)
		}
		if tt.queueFull {
			<-queue
		}
	}
	close(queue)
	var got []string
	for d := range queue {
		got = append(got, d.WebhookID)
	}
	if want := []string{"msg_1"}; !reflect.DeepEqual(got, want) {
		t.Errorf("queued = %v, want %v", got, want)
	}
}

// TestReceiver sends calls with the service's sender, signed with its
// signing code, then lets the downloader work off the queue.
func TestReceiver(t *testing.T) {
	blobs := map[string][]byte{
		"123":              bytes.Repeat([]byte("scoopa "), 20_000),
		"124":              []byte("a second file\n"),
		files.SampleFileID: files.SampleFile,
	}
	type call struct {
		msgID   string
		file    int  // the file's ID; 0 for a validation call
		rotated bool // signed with a new secret first, then the receiver's
	}
	tests := []struct {
		name     string
		calls    []call
		want     map[string][]byte // the download directory's files
		wantHits int               // download requests served
	}{
		{name: "one delivery", calls: []call{{msgID: "msg_1", file: 123}},
			want: map[string][]byte{"123-clip.mov": blobs["123"]}, wantHits: 1},
		{name: "a retried call is processed once", calls: []call{{msgID: "msg_1", file: 123}, {msgID: "msg_1", file: 123}},
			want: map[string][]byte{"123-clip.mov": blobs["123"]}, wantHits: 1},
		{name: "two calls", calls: []call{{msgID: "msg_1", file: 123}, {msgID: "msg_2", file: 124}},
			want: map[string][]byte{"123-clip.mov": blobs["123"], "124-clip.mov": blobs["124"]}, wantHits: 2},
		{name: "validation call is acknowledged, nothing downloaded", calls: []call{{msgID: "msg_9"}},
			want: map[string][]byte{}, wantHits: 0},
		{name: "during a secret rotation", calls: []call{{msgID: "msg_1", file: 124, rotated: true}},
			want: map[string][]byte{"124-clip.mov": blobs["124"]}, wantHits: 1},
	}
	client := sender.New(sender.Options{UserAgent: "scoopa-webhooks/test (+https://github.com/scoopa/webhooks)", MaxIdlePerHost: 1, AllowPrivate: true})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			secret := sender.NewSigningSecret()
			key, err := decodeSecret(secret)
			if err != nil {
				t.Fatal(err)
			}
			log := testLogger(t)
			fs := newFileServer(t, blobs)
			queue := make(chan delivery, 10)
			srv := httptest.NewServer(newHandler(key, queue, log))
			defer srv.Close()

			for i, c := range tt.calls {
				now := time.Now()
				var body []byte
				if c.file == 0 {
					body = validationBody(t, fs.links.DownloadURL(files.SampleFileID, now.Add(24*time.Hour)))
				} else {
					id := fmt.Sprint(c.file)
					body = deliveryBody(t, c.file, "clip.mov", int64(len(blobs[id])), fs.links.DownloadURL(id, now.Add(24*time.Hour)))
				}
				secrets := []string{secret}
				if c.rotated {
					secrets = []string{sender.NewSigningSecret(), secret}
				}
				sig, err := sender.Sign(c.msgID, now, body, secrets...)
				if err != nil {
					t.Fatal(err)
				}
				resp := client.Send(t.Context(), sender.Request{
					URL: srv.URL,
					Headers: [][2]string{
						{"Authorization", "Bearer extra-header-of-the-webhook"},
						{"webhook-id", c.msgID},
						{"webhook-timestamp", fmt.Sprint(now.Unix())},
						{"webhook-signature", sig},
					},
					Body:    body,
					Timeout: 15 * time.Second,
				})
				if resp.Err != nil {
					t.Errorf("call %d (%s): %v, want a 2xx", i, c.msgID, resp.Err)
				}
			}

			close(queue)
			dir := t.TempDir()
			dl := newDownloader(dir, log)
			dl.work(t.Context(), queue)

			if got := readDir(t, dir); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("downloaded files: want %v, got %v", names(tt.want), names(got))
			}
			if got := fs.hitCount(); got != tt.wantHits {
				t.Errorf("download requests = %d, want %d", got, tt.wantHits)
			}
		})
	}
}

func TestDownload(t *testing.T) {
	content := []byte("the bytes of file 123\n")
	size := int64(len(content))
	tests := []struct {
		name          string
		file          string        // file ID in the link and the payload
		fileName      string        // file_name; "clip.mov" if empty
		size          int64         // file_size_in_bytes
		expires       time.Duration // link validity from now
		tamper        bool          // change the link's signature
		failures      int           // 500s the server answers first
		unreachable   bool          // the link's host refuses connections
		wantFile      string        // the file's name in the directory; "" for a failure
		wantPermanent bool
		wantHits      int
	}{
		{name: "file", file: "123", size: size, expires: 24 * time.Hour, wantFile: "123-clip.mov", wantHits: 1},
		{name: "server error, then the file", file: "123", size: size, expires: 24 * time.Hour, failures: 1,
			wantFile: "123-clip.mov", wantHits: 2},
		{name: "server errors on every try", file: "123", size: size, expires: 24 * time.Hour, failures: 5, wantHits: 2},
		{name: "expired link", file: "123", size: size, expires: -time.Minute, wantPermanent: true, wantHits: 1},
		{name: "tampered link", file: "123", size: size, expires: 24 * time.Hour, tamper: true, wantPermanent: true, wantHits: 1},
		{name: "server unreachable", file: "123", size: size, expires: 24 * time.Hour, unreachable: true, wantHits: 0},
		{name: "unknown file", file: "999", size: size, expires: 24 * time.Hour, wantPermanent: true, wantHits: 1},
		{name: "fewer bytes than announced", file: "123", size: size + 1, expires: 24 * time.Hour, wantHits: 2},
		{name: "more bytes than announced", file: "123", size: size - 1, expires: 24 * time.Hour, wantHits: 2},
		{name: "file name with a path", file: "123", fileName: "../../etc/passwd", size: size, expires: 24 * time.Hour,
			wantFile: "123-.._.._etc_passwd", wantHits: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fs := newFileServer(t, map[string][]byte{"123": content})
			fs.failures = tt.failures
			link := fs.links.DownloadURL(tt.file, time.Now().Add(tt.expires))
			if tt.tamper {
				link = strings.Replace(link, "signature=", "signature=x", 1)
			}
			if tt.unreachable {
				closed := httptest.NewServer(http.NotFoundHandler())
				closed.Close()
				link = strings.Replace(link, fs.URL, closed.URL, 1)
			}
			name := tt.fileName
			if name == "" {
				name = "clip.mov"
			}
			fileID, err := strconv.Atoi(tt.file)
			if err != nil {
				t.Fatal(err)
			}
			dir := t.TempDir()
			dl := newDownloader(dir, testLogger(t))
			dl.retryDelays = []time.Duration{0}
			d := delivery{WebhookID: "msg_1", FileID: int64(fileID), FileName: name, FileSizeInBytes: tt.size, DownloadURL: link}

			path, err := dl.download(t.Context(), d)

			want := map[string][]byte{}
			if tt.wantFile != "" {
				want[tt.wantFile] = content
				if err != nil {
					t.Errorf("download: %v, want the file", err)
				}
				if wantPath := filepath.Join(dir, tt.wantFile); path != wantPath {
					t.Errorf("path = %q, want %q", path, wantPath)
				}
			} else if err == nil {
				t.Errorf("download succeeded (%s), want an error", path)
			}
			if got := errors.Is(err, errPermanent); got != tt.wantPermanent {
				t.Errorf("permanent = %v, want %v (err %v)", got, tt.wantPermanent, err)
			}
			if err != nil && strings.Contains(err.Error(), "signature=") {
				t.Errorf("error %q reveals the link", err)
			}
			if got := readDir(t, dir); !reflect.DeepEqual(got, want) {
				t.Errorf("directory: want %v, got %v", names(want), names(got))
			}
			if got := fs.hitCount(); got != tt.wantHits {
				t.Errorf("download requests = %d, want %d", got, tt.wantHits)
			}
		})
	}
}

func TestRecentIDs(t *testing.T) {
	tests := []struct {
		name string
		size int
		ops  []string // ids to add; "-id" removes id
		want []bool   // what each add returns
	}{
		{name: "repeat", size: 3, ops: []string{"a", "a"}, want: []bool{true, false}},
		{name: "the oldest is forgotten when full", size: 2, ops: []string{"a", "b", "c", "b", "a"},
			want: []bool{true, true, true, false, true}},
		{name: "a removed id can come again", size: 3, ops: []string{"a", "-a", "a"}, want: []bool{true, true}},
		{name: "removing frees the old slot", size: 3, ops: []string{"a", "-a", "b", "a", "c", "a"},
			want: []bool{true, true, true, true, false}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newRecentIDs(tt.size)
			var got []bool
			for _, op := range tt.ops {
				if id, ok := strings.CutPrefix(op, "-"); ok {
					r.remove(id)
					continue
				}
				got = append(got, r.add(op))
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("add results = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestDecodeSecret(t *testing.T) {
	secret := sender.NewSigningSecret()
	wantKey, _ := base64.StdEncoding.DecodeString(strings.TrimPrefix(secret, "whsec_"))
	tests := []struct {
		name    string
		secret  string
		want    []byte
		wantErr bool
	}{
		{name: "whsec_ secret", secret: secret, want: wantKey},
		{name: "without the prefix", secret: strings.TrimPrefix(secret, "whsec_"), want: wantKey},
		{name: "empty", secret: "", wantErr: true},
		{name: "not base64", secret: "whsec_not base64!", wantErr: true},
		{name: "prefix only", secret: "whsec_", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := decodeSecret(tt.secret)
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, want error %v", err, tt.wantErr)
			}
			if !bytes.Equal(got, tt.want) {
				t.Errorf("key = %x, want %x", got, tt.want)
			}
		})
	}
}

func TestRun(t *testing.T) {
	secret := sender.NewSigningSecret()
	tests := []struct {
		name    string
		args    []string
		secret  string
		wantErr string // "" for a clean stop
	}{
		{name: "starts and stops", args: []string{"-addr", "127.0.0.1:0"}, secret: secret},
		{name: "no secret", args: []string{"-addr", "127.0.0.1:0"}, wantErr: "SCOOPA_WEBHOOK_SECRET"},
		{name: "bad secret", args: []string{"-addr", "127.0.0.1:0"}, secret: "whsec_???", wantErr: "SCOOPA_WEBHOOK_SECRET"},
		{name: "unknown flag", args: []string{"-port", "80"}, secret: secret, wantErr: "-port"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(t.Context())
			cancel() // stop as soon as started
			args := append([]string{"-dir", filepath.Join(t.TempDir(), "downloads")}, tt.args...)
			getenv := func(k string) string {
				if k == "SCOOPA_WEBHOOK_SECRET" {
					return tt.secret
				}
				return ""
			}
			err := run(ctx, args, getenv, t.Output())
			switch {
			case tt.wantErr == "" && err != nil:
				t.Errorf("run: %v, want a clean stop", err)
			case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
				t.Errorf("run: %v, want an error mentioning %q", err, tt.wantErr)
			}
		})
	}
}

// readDir returns the files of dir by name, temporary ones included.
func readDir(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{}
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		files[e.Name()] = b
	}
	return files
}

// names describes files by name and size, for failure messages.
func names(files map[string][]byte) []string {
	var out []string
	for n, b := range files {
		out = append(out, fmt.Sprintf("%s (%d bytes)", n, len(b)))
	}
	slices.Sort(out)
	return out
}
