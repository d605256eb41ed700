package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"
)

// progressEvery is how often progress goes to stderr during a run.
const progressEvery = 5 * time.Second

// loadTest runs one measurement and returns its report. An error means the
// test could not run at all.
func loadTest(ctx context.Context, cfg config, stderr io.Writer) (*Report, error) {
	ctx, cancel := context.WithTimeout(ctx, cfg.timeout)
	defer cancel()

	probe := cpuProbe{serverPID: cfg.serverPID, workerPID: cfg.workerPID}
	if probe.enabled() {
		if _, err := probe.sample(); err != nil {
			return nil, err
		}
	}

	backends, err := newBackendProbe(ctx, cfg.pgURL, cfg.redisURL)
	if err != nil {
		return nil, err
	}
	defer backends.close()

	rc := newReceiver(cfg.failFirst, 3*cfg.files*cfg.webhooks+10_000)
	ln, err := net.Listen("tcp", cfg.receiverAddr)
	if err != nil {
		return nil, fmt.Errorf("receiver: %w", err)
	}
	// "localhost" is resolved by Listen: check what it became.
	if err := checkLoopbackAddr(ln.Addr().String()); err != nil {
		ln.Close()
		return nil, fmt.Errorf("receiver: listening on %w", err)
	}
	rsrv := &http.Server{Handler: rc, ReadHeaderTimeout: 10 * time.Second, IdleTimeout: 2 * time.Minute}
	go func() { _ = rsrv.Serve(ln) }()
	// Close, not Shutdown: the webhooks are deleted by then, and Shutdown
	// would wait for the server's kept-alive connections to go idle.
	defer rsrv.Close()

	c := newClient(cfg.baseURL, cfg.token, cfg.concurrency)
	defer c.close()
	setupStart := time.Now()
	name := "loadtest-" + time.Now().Format("20060102-150405.000")
	folderID, err := createFolder(ctx, c, name)
	if err != nil {
		return nil, err
	}
	hookIDs, err := createWebhooks(ctx, c, cfg.webhooks, name, "http://"+ln.Addr().String()+"/hook/", folderID, limitsOf(cfg))
	// Webhooks are deleted at the end, so they do not keep calling a
	// receiver that is gone (deleting also cancels their waiting calls).
	cleaned := false
	defer func() {
		if !cleaned {
			deleteWebhooks(ctx, c, hookIDs, stderr)
		}
	}()
	if err != nil {
		return nil, err
	}

	d := runData{
		files: cfg.files, webhooks: cfg.webhooks, concurrency: cfg.concurrency,
		rate: cfg.rate, size: cfg.size, failFirst: cfg.failFirst, cpu: probe,
		limitRate: cfg.limitRate, limitConcurrent: cfg.limitConcurrent,
		setup: time.Since(setupStart),
	}
	if probe.enabled() {
		d.cpuBefore, d.cpuErr = probe.sample()
	}
	if backends.enabled() {
		d.backends = true
		d.backendErr = backends.start(ctx)
	}

	var progressMu sync.Mutex
	uploaded := 0
	stopProgress := startProgress(ctx, stderr, func() string {
		progressMu.Lock()
		defer progressMu.Unlock()
		return fmt.Sprintf("uploaded %d/%d, delivered %d", uploaded, cfg.files, rc.deliveredCount())
	})
	defer stopProgress()

	uploadFiles(ctx, c, cfg, folderID, name, &d, func() { progressMu.Lock(); uploaded++; progressMu.Unlock() })

	d.timedOut = !waitForDeliveries(ctx, rc, &d) || ctx.Err() != nil
	stopProgress()
	if probe.enabled() && d.cpuErr == nil {
		d.cpuAfter, d.cpuErr = probe.sample()
	}
	if d.backends && d.backendErr == nil {
		d.backendCPU, d.backendErr = backends.end(ctx)
	}
	if !d.timedOut && cfg.settle > 0 {
		// Keep listening a little: duplicates come after the originals.
		select {
		case <-time.After(cfg.settle):
		case <-ctx.Done():
		}
	}
	d.recv = rc.snapshot()
	rep := buildReport(d)
	cleaned = true
	rep.CleanupSeconds = round3(deleteWebhooks(ctx, c, hookIDs, stderr).Seconds())
	return rep, nil
}

// startProgress writes a progress line to w every progressEvery until the
// returned function is called.
func startProgress(ctx context.Context, w io.Writer, line func() string) func() {
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		t := time.NewTicker(progressEvery)
		defer t.Stop()
		for {
			select {
			case <-t.C:
				fmt.Fprintln(w, "loadtest:", line())
			case <-done:
				return
			case <-ctx.Done():
				return
			}
		}
	})
	var once sync.Once
	return func() { once.Do(func() { close(done); wg.Wait() }) }
}

func createFolder(ctx context.Context, c *client, name string) (string, error) {
	var out struct {
		CreateFolder struct {
			ID any `json:"id"`
		} `json:"createFolder"`
	}
	err := c.do(ctx, `mutation($in: CreateFolderInput!) { createFolder(input: $in) { id } }`,
		map[string]any{"in": map[string]any{"name": name}}, &out)
	if err != nil {
		return "", fmt.Errorf("createFolder: %w", err)
	}
	return fmt.Sprint(out.CreateFolder.ID), nil
}

// limitsOf is the extra input of webhook 0: its delivery limits.
func limitsOf(cfg config) map[string]any {
	extra := map[string]any{}
	if cfg.limitRate > 0 {
		extra["maxRequestsPerSecond"] = cfg.limitRate
	}
	if cfg.limitConcurrent > 0 {
		extra["maxConcurrent"] = cfg.limitConcurrent
	}
	return extra
}

// createWebhooks creates n active webhooks on the folder; webhook i calls
// hookBase+i, and webhook 0 also gets first. It returns the IDs of those
// created, also on error.
func createWebhooks(ctx context.Context, c *client, n int, name, hookBase, folderID string, first map[string]any) ([]string, error) {
	var ids []string
	for i := range n {
		var out struct {
			CreateWebhook struct {
				ID                  any     `json:"id"`
				ValidationStatus    string  `json:"validationStatus"`
				LastValidationError *string `json:"lastValidationError"`
			} `json:"createWebhook"`
		}
		url := fmt.Sprintf("%s%d", hookBase, i)
		in := map[string]any{
			"name": fmt.Sprintf("%s-%d", name, i), "url": url,
			"folderIDs": []string{folderID}, "active": true, "allFolders": false,
		}
		if i == 0 {
			for k, v := range first {
				in[k] = v
			}
		}
		err := c.do(ctx, `mutation($in: CreateWebhookInput!) { createWebhook(input: $in) { id validationStatus lastValidationError } }`,
			map[string]any{"in": in}, &out)
		if err != nil {
			return ids, fmt.Errorf("createWebhook %s: %w", url, err)
		}
		wh := out.CreateWebhook
		ids = append(ids, fmt.Sprint(wh.ID))
		if wh.ValidationStatus != "VALID" {
			reason := ""
			if wh.LastValidationError != nil {
				reason = *wh.LastValidationError
			}
			hint := ""
			if strings.Contains(reason, "refused") || strings.Contains(reason, "loopback") || strings.Contains(reason, "private") {
				hint = "; the server refuses private targets: start it with SCOOPA_ALLOW_PRIVATE_TARGETS=true (the default in embedded mode only)"
			}
			return ids, fmt.Errorf("createWebhook %s: validation %s: %s%s", url, wh.ValidationStatus, reason, hint)
		}
	}
	return ids, nil
}

// deleteWebhooks deletes the webhooks and returns how long it took.
func deleteWebhooks(ctx context.Context, c *client, ids []string, stderr io.Writer) time.Duration {
	start := time.Now()
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	for _, id := range ids {
		if err := c.do(ctx, `mutation($id: ID!) { deleteWebhook(id: $id) }`, map[string]any{"id": id}, nil); err != nil {
			fmt.Fprintf(stderr, "loadtest: deleteWebhook %s: %v\n", id, err)
		}
	}
	return time.Since(start)
}

// maxErrorSamples is how many distinct upload errors the report quotes.
const maxErrorSamples = 3

// uploadFiles uploads cfg.files files with cfg.concurrency workers, started
// at cfg.rate per second when it is set, and records them in d.
func uploadFiles(ctx context.Context, c *client, cfg config, folderID, name string, d *runData, onUpload func()) {
	content := make([]byte, cfg.size)
	for i := range content {
		content[i] = byte('a' + i%26)
	}
	jobs := make(chan int)
	start := time.Now()
	go func() {
		defer close(jobs)
		for i := range cfg.files {
			if cfg.rate > 0 {
				due := start.Add(time.Duration(float64(i) / cfg.rate * float64(time.Second)))
				if wait := time.Until(due); wait > 0 {
					t := time.NewTimer(wait)
					select {
					case <-t.C:
					case <-ctx.Done():
						t.Stop()
						return
					}
				}
			}
			select {
			case jobs <- i:
			case <-ctx.Done():
				return
			}
		}
	}()

	var mu sync.Mutex
	var wg sync.WaitGroup
	for range cfg.concurrency {
		wg.Go(func() {
			for i := range jobs {
				ct, body, err := uploadBody(folderID, fmt.Sprintf("%s-%06d.bin", name, i), content)
				sent := time.Now()
				var id string
				var throttled int
				if err == nil {
					id, throttled, err = c.upload(ctx, ct, body)
				}
				accepted := time.Now()
				mu.Lock()
				d.throttled += throttled
				switch {
				case err == nil:
					d.uploads = append(d.uploads, upload{fileID: id, sent: sent, accepted: accepted})
					if d.start.IsZero() || sent.Before(d.start) {
						d.start = sent
					}
				case ctx.Err() != nil:
					// Stopped by the timeout: counted as not uploaded.
				default:
					d.uploadErrors++
					if msg := err.Error(); len(d.errorSamples) < maxErrorSamples && !slices.Contains(d.errorSamples, msg) {
						d.errorSamples = append(d.errorSamples, msg)
					}
				}
				mu.Unlock()
				if err == nil {
					onUpload()
				}
			}
		})
	}
	wg.Wait()
}

// waitForDeliveries waits until every expected delivery arrived, and
// reports whether it did before ctx ended. The cheap count is checked
// often; the exact accounting only once the count is reached.
func waitForDeliveries(ctx context.Context, rc *receiver, d *runData) bool {
	expected := len(d.uploads) * d.webhooks
	t := time.NewTicker(5 * time.Millisecond)
	defer t.Stop()
	var lastExact time.Time
	for {
		if rc.deliveredCount() >= expected && time.Since(lastExact) > 250*time.Millisecond {
			lastExact = time.Now()
			dd := *d
			dd.recv = rc.snapshot()
			if buildReport(dd).Missing == 0 {
				return true
			}
		}
		select {
		case <-t.C:
		case <-ctx.Done():
			return false
		}
	}
}
