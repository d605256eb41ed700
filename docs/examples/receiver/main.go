// Receiver is a small receiver of scoopa webhooks, meant to be copied. It
// verifies each call's Standard Webhooks signature, acknowledges validation
// calls, drops repeated deliveries, answers at once, and downloads each new
// file in the background.
//
// Usage:
//
//	SCOOPA_WEBHOOK_SECRET=whsec_... go run . -addr :8080 -dir downloads
//
// Optionally (auth.go) it requires OAuth2 bearer tokens that it issues
// itself at /oauth/token (SCOOPA_OAUTH2_CLIENT_ID, SCOOPA_OAUTH2_CLIENT_SECRET),
// and serves HTTPS requiring a client certificate (-tls-cert, -tls-key,
// -client-ca).
//
// It uses the standard library only. Its de-duplication set and download
// queue live in memory and are lost on restart: a production receiver keeps
// both in a store that survives restarts (for example a table with a unique
// key on webhook-id, written in the same transaction as the queued job).
package main

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

const (
	// tolerance is how far webhook-timestamp may be from this clock, either
	// way, as in the Standard Webhooks libraries.
	tolerance = 5 * time.Minute
	// maxBody bounds a call's body; scoopa's are well under 2 KiB.
	maxBody = 64 << 10
	// validationOrigin is the origin of validation calls.
	validationOrigin = "scoopa - endpoint validation test"
	// rememberedIDs is how many webhook-ids the in-memory set keeps.
	rememberedIDs = 10_000
	// queueSize is how many downloads may wait; beyond it calls get 503 and
	// scoopa tries again later.
	queueSize = 100
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "receiver:", err)
		os.Exit(1)
	}
}

// run starts the receiver and serves until ctx ends, then lets queued
// downloads finish for up to 10 seconds.
func run(ctx context.Context, args []string, getenv func(string) string, stderr io.Writer) error {
	fs := flag.NewFlagSet("receiver", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", ":8080", "address to listen on")
	dir := fs.String("dir", "downloads", "directory the files are downloaded into")
	tlsCert := fs.String("tls-cert", "", "serve HTTPS with this certificate (PEM file)")
	tlsKey := fs.String("tls-key", "", "the private key of -tls-cert (PEM file)")
	clientCA := fs.String("client-ca", "", "require a client certificate signed by these CAs (PEM file; needs -tls-cert)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	tlsConfig, err := serverTLS(*tlsCert, *tlsKey, *clientCA)
	if err != nil {
		return err
	}
	clientID, clientSecret := getenv("SCOOPA_OAUTH2_CLIENT_ID"), getenv("SCOOPA_OAUTH2_CLIENT_SECRET")
	if (clientID == "") != (clientSecret == "") {
		return errors.New("SCOOPA_OAUTH2_CLIENT_ID and SCOOPA_OAUTH2_CLIENT_SECRET go together: set both to require OAuth2 bearer tokens, or neither")
	}
	key, err := decodeSecret(getenv("SCOOPA_WEBHOOK_SECRET"))
	if err != nil {
		return fmt.Errorf("SCOOPA_WEBHOOK_SECRET: %w", err)
	}
	if err := os.MkdirAll(*dir, 0o750); err != nil {
		return fmt.Errorf("-dir: %w", err)
	}
	log := slog.New(slog.NewTextHandler(stderr, nil))

	queue := make(chan delivery, queueSize)
	dl := newDownloader(*dir, log)
	workCtx, stopWork := context.WithCancel(context.WithoutCancel(ctx))
	defer stopWork()
	workDone := make(chan struct{})
	go func() {
		defer close(workDone)
		dl.work(workCtx, queue)
	}()

	var calls http.Handler = newHandler(key, queue, log)
	if clientID != "" {
		tokens := newTokenIssuer(clientID, clientSecret, log)
		mux := http.NewServeMux()
		mux.Handle("/oauth/token", tokens)
		mux.Handle("/", tokens.requireBearer(calls))
		calls = mux
	}
	srv := &http.Server{
		Addr:              *addr,
		Handler:           calls,
		TLSConfig:         tlsConfig,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       10 * time.Second,
		WriteTimeout:      10 * time.Second,
	}
	serveErr := make(chan error, 1)
	go func() {
		if tlsConfig != nil {
			serveErr <- srv.ListenAndServeTLS("", "") // the certificate is in TLSConfig
		} else {
			serveErr <- srv.ListenAndServe()
		}
	}()
	log.Info("receiver listening", "addr", *addr, "dir", *dir, "tls", tlsConfig != nil, "client_certificates", *clientCA != "", "oauth2", clientID != "")

	select {
	case err := <-serveErr:
		stopWork()
		<-workDone
		return err
	case <-ctx.Done():
	}
	shutCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutCtx); err != nil {
		stopWork()
		<-workDone
		return fmt.Errorf("shutdown: %w", err)
	}
	close(queue) // no handler runs any more: the worker drains the queue
	select {
	case <-workDone:
	case <-shutCtx.Done():
		stopWork()
		<-workDone
		log.Warn("queued downloads abandoned at shutdown")
	}
	return nil
}

// decodeSecret returns the HMAC key of a "whsec_" signing secret: the
// base64-decoded part after the prefix.
func decodeSecret(secret string) ([]byte, error) {
	if secret == "" {
		return nil, errors.New("not set; copy the webhook's signing secret (whsec_...)")
	}
	key, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(secret, "whsec_"))
	if err != nil || len(key) == 0 {
		return nil, errors.New("not a whsec_ secret: the part after whsec_ must be base64")
	}
	return key, nil
}

// delivery is the body of a delivery call (numbers are JSON numbers) and
// the job of downloading its file.
type delivery struct {
	WebhookID       string `json:"-"` // the webhook-id header
	Origin          string `json:"origin"`
	Platform        string `json:"platform"`
	FileID          int64  `json:"file_id"`
	FileName        string `json:"file_name"`
	FileType        string `json:"file_type"`
	FileSizeInBytes int64  `json:"file_size_in_bytes"`
	FolderID        int64  `json:"folder_id"`
	FolderName      string `json:"folder_name"`
	DownloadURL     string `json:"download_url"`
}

// handler answers scoopa's calls: 401 when the signature does not verify,
// 200 for validation calls and repeated deliveries, 200 once a new
// delivery is queued for download, 503 when the queue is full.
type handler struct {
	key   []byte
	now   func() time.Time
	seen  *recentIDs
	queue chan<- delivery
	log   *slog.Logger
}

func newHandler(key []byte, queue chan<- delivery, log *slog.Logger) *handler {
	return &handler{key: key, now: time.Now, seen: newRecentIDs(rememberedIDs), queue: queue, log: log}
}

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
	if err != nil {
		http.Error(w, "body too large or cut off", http.StatusBadRequest)
		return
	}
	id := r.Header.Get("webhook-id")
	sigErr := verify(h.key, id, r.Header.Get("webhook-timestamp"), r.Header.Get("webhook-signature"), body, h.now())

	var head struct {
		Origin string `json:"origin"`
	}
	if json.Unmarshal(body, &head) == nil && head.Origin == validationOrigin {
		// Acknowledge even when the signature fails: scoopa validates a
		// webhook when it is saved, before anyone could have copied its new
		// secret here, and the body carries nothing to act on.
		if sigErr != nil {
			h.log.Warn("validation call acknowledged; its signature does not verify", "webhook_id", id, "err", sigErr)
		} else {
			h.log.Info("validation call acknowledged", "webhook_id", id)
		}
		w.WriteHeader(http.StatusOK)
		return
	}
	if sigErr != nil {
		h.log.Warn("call refused", "webhook_id", id, "err", sigErr)
		http.Error(w, "signature does not verify", http.StatusUnauthorized)
		return
	}

	var d delivery
	if err := json.Unmarshal(body, &d); err != nil || d.FileID <= 0 || d.FileSizeInBytes < 0 || d.DownloadURL == "" {
		h.log.Warn("call refused: not a delivery body", "webhook_id", id, "err", err)
		http.Error(w, "not a delivery body", http.StatusBadRequest)
		return
	}
	d.WebhookID = id
	if !h.seen.add(id) {
		h.log.Info("repeated delivery acknowledged", "webhook_id", id, "file_id", d.FileID)
		w.WriteHeader(http.StatusOK)
		return
	}
	select {
	case h.queue <- d:
	default:
		h.seen.remove(id) // scoopa's retry will bring it again
		h.log.Warn("call refused: download queue full", "webhook_id", id)
		http.Error(w, "busy, try again later", http.StatusServiceUnavailable)
		return
	}
	h.log.Info("delivery accepted", "webhook_id", id, "file_id", d.FileID, "size_bytes", d.FileSizeInBytes)
	w.WriteHeader(http.StatusOK)
}

// verify checks a call's Standard Webhooks signature: the timestamp is within
// tolerance of now, and one of the space-separated "v1,<base64>" signatures
// is the HMAC-SHA256 of "{id}.{timestamp}.{body}" under key. There are two
// while the sender's secret is being rotated.
func verify(key []byte, id, timestamp, signatures string, body []byte, now time.Time) error {
	if id == "" || timestamp == "" || signatures == "" {
		return errors.New("missing webhook-id, webhook-timestamp or webhook-signature")
	}
	sec, err := strconv.ParseInt(timestamp, 10, 64)
	if err != nil {
		return errors.New("webhook-timestamp is not unix seconds")
	}
	if d := now.Sub(time.Unix(sec, 0)); d > tolerance || d < -tolerance {
		return fmt.Errorf("webhook-timestamp is %s away from now", d.Round(time.Second))
	}
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte(id + "." + timestamp + "."))
	mac.Write(body)
	want := mac.Sum(nil)
	for _, s := range strings.Fields(signatures) {
		version, sig, ok := strings.Cut(s, ",")
		if !ok || version != "v1" {
			continue
		}
		got, err := base64.StdEncoding.DecodeString(sig)
		if err == nil && hmac.Equal(got, want) { // constant time
			return nil
		}
	}
	return errors.New("no v1 signature matches")
}

// recentIDs is a bounded set of the webhook-ids seen last: when full, adding
// one forgets the oldest.
type recentIDs struct {
	mu    sync.Mutex
	set   map[string]struct{}
	order []string // ring of the set's members, oldest at next
	next  int
}

func newRecentIDs(n int) *recentIDs {
	return &recentIDs{set: make(map[string]struct{}, n), order: make([]string, n)}
}

// add adds id and reports whether it was new.
func (r *recentIDs) add(id string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, ok := r.set[id]; ok {
		return false
	}
	if old := r.order[r.next]; old != "" {
		delete(r.set, old)
	}
	r.order[r.next] = id
	r.next = (r.next + 1) % len(r.order)
	r.set[id] = struct{}{}
	return true
}

// remove forgets id.
func (r *recentIDs) remove(id string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, ok := r.set[id]; !ok {
		return
	}
	delete(r.set, id)
	for i := 1; i <= len(r.order); i++ { // newest first: id was likely just added
		j := (r.next - i + len(r.order)) % len(r.order)
		if r.order[j] == id {
			r.order[j] = ""
			return
		}
	}
}

// errPermanent marks a download failure that trying again cannot fix, such
// as an expired or tampered link (403).
var errPermanent = errors.New("permanent")

// downloader fetches the files of queued deliveries into dir.
type downloader struct {
	client *http.Client
	dir    string
	log    *slog.Logger
	// retryDelays are the waits before each further try of a failed
	// download; the link stays valid for 24 hours.
	retryDelays []time.Duration
}

func newDownloader(dir string, log *slog.Logger) *downloader {
	return &downloader{
		client:      &http.Client{Timeout: time.Hour},
		dir:         dir,
		log:         log,
		retryDelays: []time.Duration{10 * time.Second, time.Minute, 10 * time.Minute},
	}
}

// work downloads queued deliveries one after the other until jobs is closed
// and drained, or ctx ends.
func (dl *downloader) work(ctx context.Context, jobs <-chan delivery) {
	for {
		select {
		case <-ctx.Done():
			return
		case d, ok := <-jobs:
			if !ok {
				return
			}
			path, err := dl.download(ctx, d)
			if err != nil {
				dl.log.Error("download failed", "webhook_id", d.WebhookID, "file_id", d.FileID, "err", err)
				continue
			}
			dl.log.Info("file downloaded", "webhook_id", d.WebhookID, "file_id", d.FileID, "path", path)
		}
	}
}

// download fetches d's file, trying again after each of retryDelays unless
// the failure is permanent, and returns the file's path.
func (dl *downloader) download(ctx context.Context, d delivery) (string, error) {
	for try := 0; ; try++ {
		path, err := dl.fetch(ctx, d)
		if err == nil || errors.Is(err, errPermanent) || try >= len(dl.retryDelays) {
			return path, err
		}
		select {
		case <-ctx.Done():
			return "", err
		case <-time.After(dl.retryDelays[try]):
		}
	}
}

// fetch makes one try: GET the link, write the bytes to a temporary file,
// and move it into place only when its size is file_size_in_bytes.
func (dl *downloader) fetch(ctx context.Context, d delivery) (string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, d.DownloadURL, nil)
	if err != nil {
		return "", fmt.Errorf("%w: bad download_url", errPermanent)
	}
	resp, err := dl.client.Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err // its message holds the link, a credential: keep it out of logs
		}
		return "", err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		err := fmt.Errorf("HTTP %d", resp.StatusCode)
		if resp.StatusCode >= 400 && resp.StatusCode < 500 && resp.StatusCode != http.StatusTooManyRequests {
			err = fmt.Errorf("%w: %w", errPermanent, err)
		}
		return "", err
	}
	tmp, err := os.CreateTemp(dl.dir, ".download-*")
	if err != nil {
		return "", err
	}
	n, err := io.Copy(tmp, io.LimitReader(resp.Body, d.FileSizeInBytes+1))
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	switch {
	case err == nil && n > d.FileSizeInBytes:
		err = fmt.Errorf("more bytes than file_size_in_bytes (%d)", d.FileSizeInBytes)
	case err == nil && n < d.FileSizeInBytes:
		err = fmt.Errorf("got %d bytes, file_size_in_bytes is %d", n, d.FileSizeInBytes)
	}
	path := filepath.Join(dl.dir, localName(d))
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		os.Remove(tmp.Name())
		return "", err
	}
	return path, nil
}

// localName is the name of d's file on disk: its ID, a dash, and its name
// reduced to safe characters. file_name is whatever the uploader chose and
// may hold "/", ".." or control characters.
func localName(d delivery) string {
	name := strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '.', r == '-', r == '_':
			return r
		}
		return '_'
	}, d.FileName)
	if len(name) > 100 {
		name = name[len(name)-100:] // keep the extension
	}
	return fmt.Sprintf("%d-%s", d.FileID, name)
}
