package main

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"slices"
	"sort"
	"strings"
	"time"
)

// upload is one file the server accepted.
type upload struct {
	fileID   string
	sent     time.Time // request first sent
	accepted time.Time // answer received
}

// pair names one expected delivery: a file and a webhook.
type pair struct {
	hook   int
	fileID string
}

// runData is everything a report is computed from.
type runData struct {
	files, webhooks int
	concurrency     int
	rate            float64
	size            int
	failFirst       bool
	setup           time.Duration // creating the folder and webhooks
	limitRate       int           // webhook 0's maxRequestsPerSecond (0: none)
	limitConcurrent int           // webhook 0's maxConcurrent (0: none)

	uploads      []upload // accepted uploads
	uploadErrors int
	errorSamples []string
	throttled    int       // 429 answers (retried)
	start        time.Time // first upload sent
	timedOut     bool

	recv receiverStats

	cpu       cpuProbe
	cpuBefore cpuSample
	cpuAfter  cpuSample
	cpuErr    error

	backends   bool // PostgreSQL's or Redis's CPU measured
	backendCPU BackendCPU
	backendErr error
}

// Percentiles summarises a distribution, in milliseconds.
type Percentiles struct {
	Count int     `json:"count"`
	P50   float64 `json:"p50"`
	P95   float64 `json:"p95"`
	P99   float64 `json:"p99"`
	Max   float64 `json:"max"`
}

// CPU is the CPU time the system used during the run.
type CPU struct {
	ServerSeconds float64 `json:"server_seconds"`
	WorkerSeconds float64 `json:"worker_seconds"`
	// SameProcess: the server and worker pids are one process (embedded
	// mode); its time is in ServerSeconds only.
	SameProcess       bool    `json:"same_process"`
	TotalSeconds      float64 `json:"total_seconds"`
	PerThousandServer float64 `json:"server_seconds_per_1000_deliveries"`
	PerThousandWorker float64 `json:"worker_seconds_per_1000_deliveries"`
	PerThousandTotal  float64 `json:"total_seconds_per_1000_deliveries"`
	Error             string  `json:"error,omitempty"`
	// The load tool's own CPU time (its uploads and its receiver), which
	// the totals leave out: on a machine shared with the system, what it
	// takes is not left to the system.
	LoadToolSeconds     float64 `json:"load_tool_seconds"`
	PerThousandLoadTool float64 `json:"load_tool_seconds_per_1000_deliveries"`

	// With -pg-url and -redis-url: the CPU time of the database's
	// PostgreSQL backends and of the redis-server, and the total with them.
	Backends *BackendsCPU `json:"backends,omitempty"`
}

// BackendsCPU is PostgreSQL's and Redis's share of a run's CPU time.
type BackendsCPU struct {
	PostgresSeconds *float64 `json:"postgres_seconds,omitempty"`
	// PostgreSQL backends seen during the run; of them, started after the
	// first sample, and ended before the last (their CPU time after their
	// last sample, at most 250 ms of their life, is not counted).
	Backends     int      `json:"postgres_backends"`
	BackendsNew  int      `json:"postgres_backends_started"`
	BackendsGone int      `json:"postgres_backends_ended"`
	RedisSeconds *float64 `json:"redis_seconds,omitempty"`
	// TotalSeconds is the server and worker (if measured) with the backends.
	TotalSeconds        float64 `json:"total_seconds"`
	PerThousandPostgres float64 `json:"postgres_seconds_per_1000_deliveries"`
	PerThousandRedis    float64 `json:"redis_seconds_per_1000_deliveries"`
	PerThousandTotal    float64 `json:"total_seconds_per_1000_deliveries"`
	Error               string  `json:"error,omitempty"`
}

// Report is the outcome of a run. Its JSON field names are stable.
type Report struct {
	Files       int     `json:"files"`
	Webhooks    int     `json:"webhooks"`
	Concurrency int     `json:"concurrency"`
	Rate        float64 `json:"rate"`
	SizeBytes   int     `json:"size_bytes"`
	FailFirst   bool    `json:"fail_first"`
	TimedOut    bool    `json:"timed_out"`
	// SetupSeconds is the time to create the folder and the webhooks
	// (each createWebhook waits for its validation call).
	SetupSeconds float64 `json:"setup_seconds"`
	// CleanupSeconds is the time to delete the webhooks after the run.
	CleanupSeconds float64 `json:"cleanup_seconds"`

	UploadsOK        int      `json:"uploads_ok"`
	UploadErrors     int      `json:"upload_errors"`
	UploadErrorNotes []string `json:"upload_error_samples,omitempty"`
	NotUploaded      int      `json:"not_uploaded"`
	Throttled        int      `json:"uploads_throttled"`
	UploadSeconds    float64  `json:"upload_seconds"`
	UploadsPerSec    float64  `json:"uploads_per_sec"`

	Expected         int      `json:"expected_deliveries"`
	Delivered        int      `json:"delivered"`
	Missing          int      `json:"missing"`
	MissingSample    []string `json:"missing_sample,omitempty"`
	Duplicates       int      `json:"duplicates"`
	Unexpected       int      `json:"unexpected"`
	DeliverySeconds  float64  `json:"delivery_seconds"`
	DeliveriesPerSec float64  `json:"deliveries_per_sec"`

	Latency         Percentiles `json:"latency_ms"`
	EarlyDeliveries int         `json:"early_deliveries"`

	FailedFirstAttempts int          `json:"failed_first_attempts"`
	RetryDelay          *Percentiles `json:"retry_delay_ms,omitempty"`

	// PerWebhook is each webhook's receive rate (up to maxRateWebhooks).
	PerWebhook []WebhookRate `json:"per_webhook,omitempty"`

	ValidationCalls int  `json:"validation_calls"`
	Malformed       int  `json:"malformed_requests"`
	Dropped         int  `json:"arrivals_not_recorded"`
	CPU             *CPU `json:"cpu,omitempty"`
}

// WebhookRate is how fast one webhook's deliveries reached the receiver.
type WebhookRate struct {
	Webhook              int `json:"webhook"`
	MaxRequestsPerSecond int `json:"max_requests_per_second,omitempty"`
	MaxConcurrent        int `json:"max_concurrent,omitempty"`
	Delivered            int `json:"delivered"`
	// FirstSeconds and LastSeconds are the first and last delivery, in
	// seconds after the first upload was sent.
	FirstSeconds float64 `json:"first_s"`
	LastSeconds  float64 `json:"last_s"`
	// PerSecond counts the requests that arrived in each wall-clock second
	// (Unix seconds), from the second of the first to that of the last.
	PerSecond []int `json:"per_second"`
	// Sustained summarises PerSecond without its first and last second
	// (partly covered): the rate held through the run. Zero when the run
	// spans fewer than three seconds.
	SustainedMin  int     `json:"sustained_min"`
	SustainedMax  int     `json:"sustained_max"`
	SustainedMean float64 `json:"sustained_mean"`
	// Mean is Delivered over first to last delivery.
	Mean float64 `json:"mean_per_sec"`
}

// maxRateWebhooks bounds the webhooks whose rate the report lists.
const maxRateWebhooks = 10

// webhookRates computes the receive rate of each webhook: every request
// that reached the receiver counts (the limit bounds requests, whatever
// they were answered).
func webhookRates(d runData) []WebhookRate {
	n := min(d.webhooks, maxRateWebhooks)
	out := make([]WebhookRate, n)
	times := make([][]time.Time, n)
	for _, a := range d.recv.arrivals {
		if a.hook < n {
			times[a.hook] = append(times[a.hook], a.at)
		}
	}
	for h := range out {
		w := &out[h]
		w.Webhook = h
		if h == 0 {
			w.MaxRequestsPerSecond, w.MaxConcurrent = d.limitRate, d.limitConcurrent
		}
		ts := times[h]
		w.Delivered = len(ts)
		if len(ts) == 0 {
			continue
		}
		slices.SortFunc(ts, func(a, b time.Time) int { return a.Compare(b) })
		first, last := ts[0], ts[len(ts)-1]
		w.FirstSeconds = round3(first.Sub(d.start).Seconds())
		w.LastSeconds = round3(last.Sub(d.start).Seconds())
		w.PerSecond = make([]int, last.Unix()-first.Unix()+1)
		for _, t := range ts {
			w.PerSecond[t.Unix()-first.Unix()]++
		}
		if span := last.Sub(first).Seconds(); span > 0 {
			w.Mean = math.Round(float64(len(ts)-1)/span*10) / 10
		}
		if mid := w.PerSecond; len(mid) >= 3 {
			mid = mid[1 : len(mid)-1]
			w.SustainedMin, w.SustainedMax = slices.Min(mid), slices.Max(mid)
			sum := 0
			for _, c := range mid {
				sum += c
			}
			w.SustainedMean = math.Round(float64(sum)/float64(len(mid))*10) / 10
		}
	}
	return out
}

// complete reports whether every file was uploaded and every delivery came.
func (r *Report) complete() bool {
	return r.Missing == 0 && r.UploadErrors == 0 && r.NotUploaded == 0 && r.Dropped == 0
}

// buildReport does the accounting. An expected delivery is a (file,
// webhook) pair of an accepted upload; it is delivered by its first arrival
// answered 200. Later 200s of the same pair are duplicates; arrivals
// answered 500 by -fail-first are deliberate failures, counted apart.
// Arrivals of files this run did not upload are unexpected.
func buildReport(d runData) *Report {
	r := &Report{
		Files: d.files, Webhooks: d.webhooks, Concurrency: d.concurrency, Rate: d.rate,
		SizeBytes: d.size, FailFirst: d.failFirst, TimedOut: d.timedOut, SetupSeconds: round3(d.setup.Seconds()),
		UploadsOK: len(d.uploads), UploadErrors: d.uploadErrors, UploadErrorNotes: d.errorSamples,
		Throttled: d.throttled, ValidationCalls: d.recv.validations, Malformed: d.recv.malformed,
		Dropped: d.recv.dropped,
	}
	r.NotUploaded = max(d.files-len(d.uploads)-d.uploadErrors, 0)
	r.Expected = len(d.uploads) * d.webhooks

	accepted := make(map[string]time.Time, len(d.uploads))
	var lastAccepted time.Time
	for _, u := range d.uploads {
		accepted[u.fileID] = u.accepted
		if u.accepted.After(lastAccepted) {
			lastAccepted = u.accepted
		}
	}
	if len(d.uploads) > 0 {
		r.UploadSeconds = round3(lastAccepted.Sub(d.start).Seconds())
		r.UploadsPerSec = rate(len(d.uploads), r.UploadSeconds)
	}

	delivered := make(map[pair]time.Time, r.Expected)
	attempts := map[string][]time.Time{} // by webhook-id, only with -fail-first
	for _, a := range d.recv.arrivals {
		if d.failFirst {
			attempts[a.msgID] = append(attempts[a.msgID], a.at)
		}
		if a.status != 200 {
			r.FailedFirstAttempts++
			continue
		}
		p := pair{a.hook, a.fileID}
		if _, ok := accepted[a.fileID]; !ok || a.hook >= d.webhooks {
			r.Unexpected++
			continue
		}
		if _, dup := delivered[p]; dup {
			r.Duplicates++
			continue
		}
		delivered[p] = a.at
	}
	r.Delivered = len(delivered)
	r.Missing = r.Expected - r.Delivered
	for _, u := range d.uploads {
		for h := 0; h < d.webhooks && r.Missing > 0 && len(r.MissingSample) < 5; h++ {
			if _, ok := delivered[pair{h, u.fileID}]; !ok {
				r.MissingSample = append(r.MissingSample, fmt.Sprintf("file %s webhook %d", u.fileID, h))
			}
		}
	}

	var latencies []time.Duration
	var lastDelivery time.Time
	for p, at := range delivered {
		lat := at.Sub(accepted[p.fileID])
		if lat < 0 {
			// The delivery beat the upload's answer: the server enqueues
			// the calls before it answers.
			r.EarlyDeliveries++
			lat = 0
		}
		latencies = append(latencies, lat)
		if at.After(lastDelivery) {
			lastDelivery = at
		}
	}
	r.Latency = summarize(latencies)
	if r.Delivered > 0 {
		r.DeliverySeconds = round3(lastDelivery.Sub(d.start).Seconds())
		r.DeliveriesPerSec = rate(r.Delivered, r.DeliverySeconds)
	}

	if d.webhooks > 1 || d.limitRate > 0 || d.limitConcurrent > 0 {
		r.PerWebhook = webhookRates(d)
	}

	if d.failFirst {
		var delays []time.Duration
		for _, ts := range attempts {
			if len(ts) >= 2 {
				delays = append(delays, ts[1].Sub(ts[0]))
			}
		}
		s := summarize(delays)
		r.RetryDelay = &s
	}

	if d.cpu.enabled() {
		c := &CPU{SameProcess: d.cpu.sameProcess()}
		if d.cpuErr != nil {
			c.Error = d.cpuErr.Error()
		} else {
			c.ServerSeconds = (d.cpuAfter.server - d.cpuBefore.server).Seconds()
			c.WorkerSeconds = (d.cpuAfter.worker - d.cpuBefore.worker).Seconds()
			c.TotalSeconds = c.ServerSeconds + c.WorkerSeconds
			c.LoadToolSeconds = (d.cpuAfter.self - d.cpuBefore.self).Seconds()
			if r.Delivered > 0 {
				k := 1000 / float64(r.Delivered)
				c.PerThousandLoadTool = round3(c.LoadToolSeconds * k)
				c.PerThousandServer = round3(c.ServerSeconds * k)
				c.PerThousandWorker = round3(c.WorkerSeconds * k)
				c.PerThousandTotal = round3(c.TotalSeconds * k)
			}
		}
		r.CPU = c
	}
	if d.backends {
		if r.CPU == nil {
			r.CPU = &CPU{}
		}
		r.CPU.Backends = backendsReport(d, r.CPU, r.Delivered)
	}
	return r
}

func backendsReport(d runData, c *CPU, delivered int) *BackendsCPU {
	b := &BackendsCPU{}
	if d.backendErr != nil {
		b.Error = d.backendErr.Error()
		return b
	}
	bc := d.backendCPU
	k := 0.0
	if delivered > 0 {
		k = 1000 / float64(delivered)
	}
	b.TotalSeconds = c.TotalSeconds
	if bc.Postgres {
		v := round3(bc.PostgresSeconds)
		b.PostgresSeconds = &v
		b.Backends, b.BackendsNew, b.BackendsGone = bc.Backends, bc.BackendsNew, bc.BackendsGone
		b.TotalSeconds += bc.PostgresSeconds
		b.PerThousandPostgres = round3(bc.PostgresSeconds * k)
	}
	if bc.Redis {
		v := round3(bc.RedisSeconds)
		b.RedisSeconds = &v
		b.TotalSeconds += bc.RedisSeconds
		b.PerThousandRedis = round3(bc.RedisSeconds * k)
	}
	b.PerThousandTotal = round3(b.TotalSeconds * k)
	b.TotalSeconds = round3(b.TotalSeconds)
	return b
}

// percentile is the nearest-rank percentile p (0 < p <= 100) of sorted
// values: the smallest value with at least p% of the values at or below
// it. It is 0 for no values.
func percentile(sorted []time.Duration, p float64) time.Duration {
	n := len(sorted)
	if n == 0 {
		return 0
	}
	rank := int(math.Ceil(p / 100 * float64(n)))
	return sorted[min(max(rank, 1), n)-1]
}

func summarize(ds []time.Duration) Percentiles {
	s := slices.Clone(ds)
	slices.Sort(s)
	if len(s) == 0 {
		return Percentiles{}
	}
	return Percentiles{
		Count: len(s),
		P50:   ms(percentile(s, 50)),
		P95:   ms(percentile(s, 95)),
		P99:   ms(percentile(s, 99)),
		Max:   ms(s[len(s)-1]),
	}
}

func ms(d time.Duration) float64 { return round3(float64(d) / float64(time.Millisecond)) }

func round3(f float64) float64 { return math.Round(f*1000) / 1000 }

func rate(n int, secs float64) float64 {
	if secs <= 0 {
		return 0
	}
	return math.Round(float64(n)/secs*10) / 10
}

func (r *Report) writeJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

func (r *Report) writeText(w io.Writer) error {
	var b strings.Builder
	paced := "unpaced"
	if r.Rate > 0 {
		paced = fmt.Sprintf("%g files/s", r.Rate)
	}
	fmt.Fprintf(&b, "load test: %d files x %d webhooks, %d B each, concurrency %d, %s%s; set-up %.2fs\n",
		r.Files, r.Webhooks, r.SizeBytes, r.Concurrency, paced, map[bool]string{true: ", fail-first"}[r.FailFirst], r.SetupSeconds)
	fmt.Fprintf(&b, "uploads:     %d ok, %d failed, %d not sent; %.1f/s (%.2fs); %d answers 429 retried\n",
		r.UploadsOK, r.UploadErrors, r.NotUploaded, r.UploadsPerSec, r.UploadSeconds, r.Throttled)
	for _, e := range r.UploadErrorNotes {
		fmt.Fprintf(&b, "  upload error: %s\n", e)
	}
	fmt.Fprintf(&b, "deliveries:  %d/%d delivered, %d missing, %d duplicates, %d unexpected; %.1f/s (%.2fs from first upload)\n",
		r.Delivered, r.Expected, r.Missing, r.Duplicates, r.Unexpected, r.DeliveriesPerSec, r.DeliverySeconds)
	for _, m := range r.MissingSample {
		fmt.Fprintf(&b, "  missing: %s\n", m)
	}
	l := r.Latency
	fmt.Fprintf(&b, "latency:     p50 %s  p95 %s  p99 %s  max %s  (upload answered -> delivery; %d arrived before the answer, counted 0)\n",
		fmtMs(l.P50), fmtMs(l.P95), fmtMs(l.P99), fmtMs(l.Max), r.EarlyDeliveries)
	if rd := r.RetryDelay; rd != nil {
		fmt.Fprintf(&b, "retry delay: p50 %s  p95 %s  max %s  (%d calls; %d first attempts answered 500)\n",
			fmtMs(rd.P50), fmtMs(rd.P95), fmtMs(rd.Max), rd.Count, r.FailedFirstAttempts)
	}
	for _, w := range r.PerWebhook {
		limit := "unlimited"
		switch {
		case w.MaxRequestsPerSecond > 0 && w.MaxConcurrent > 0:
			limit = fmt.Sprintf("limited to %d/s, %d at once", w.MaxRequestsPerSecond, w.MaxConcurrent)
		case w.MaxRequestsPerSecond > 0:
			limit = fmt.Sprintf("limited to %d/s", w.MaxRequestsPerSecond)
		case w.MaxConcurrent > 0:
			limit = fmt.Sprintf("limited to %d at once", w.MaxConcurrent)
		}
		fmt.Fprintf(&b, "webhook %d:   %s: %d requests from %.2fs to %.2fs, mean %.1f/s; per second held %d-%d (mean %.1f)\n",
			w.Webhook, limit, w.Delivered, w.FirstSeconds, w.LastSeconds, w.Mean, w.SustainedMin, w.SustainedMax, w.SustainedMean)
		fmt.Fprintf(&b, "  per second: %s\n", joinInts(w.PerSecond))
	}
	if c := r.CPU; c != nil {
		if c.Error != "" {
			fmt.Fprintf(&b, "cpu:         not measured: %s\n", c.Error)
		} else if c.SameProcess {
			fmt.Fprintf(&b, "cpu:         server+worker (one process) %.2fs = %.3fs per 1,000 deliveries\n", c.ServerSeconds, c.PerThousandTotal)
		} else {
			fmt.Fprintf(&b, "cpu:         server %.2fs, worker %.2fs = %.3fs + %.3fs = %.3fs per 1,000 deliveries\n",
				c.ServerSeconds, c.WorkerSeconds, c.PerThousandServer, c.PerThousandWorker, c.PerThousandTotal)
		}
		if k := c.Backends; k != nil {
			b.WriteString(backendsLine(k))
		}
		if c.Error == "" {
			fmt.Fprintf(&b, "load tool:   %.2fs = %.3fs per 1,000 deliveries (its uploads and receiver; not in the totals)\n", c.LoadToolSeconds, c.PerThousandLoadTool)
		}
	}
	var notes []string
	if c := r.CPU; c != nil && c.Backends != nil && c.Backends.BackendsGone > 0 {
		notes = append(notes, fmt.Sprintf("%d PostgreSQL backends ended during the run; up to %v of each one's CPU time is not counted", c.Backends.BackendsGone, backendEvery))
	}
	if r.TimedOut {
		notes = append(notes, "stopped by -timeout or a signal before every delivery arrived")
	}
	if r.Throttled > 0 {
		notes = append(notes, "the server rate-limited uploads (SCOOPA_RATE_LIMIT, 50/s per token by default; 0 turns it off)")
	}
	if r.Dropped > 0 {
		notes = append(notes, fmt.Sprintf("%d arrivals beyond the recording bound were not recorded", r.Dropped))
	}
	if r.Malformed > 0 {
		notes = append(notes, fmt.Sprintf("%d requests to the receiver were not deliveries", r.Malformed))
	}
	sort.Strings(notes)
	for _, n := range notes {
		fmt.Fprintf(&b, "note:        %s\n", n)
	}
	fmt.Fprintf(&b, "clean-up:    %d webhooks deleted in %.2fs\n", r.Webhooks, r.CleanupSeconds)
	fmt.Fprintf(&b, "result:      %s\n", map[bool]string{true: "PASS", false: "FAIL"}[r.complete()])
	_, err := io.WriteString(w, b.String())
	return err
}

func joinInts(v []int) string {
	parts := make([]string, len(v))
	for i, n := range v {
		parts[i] = fmt.Sprint(n)
	}
	return strings.Join(parts, " ")
}

func fmtMs(v float64) string {
	if v >= 1000 {
		return fmt.Sprintf("%.2fs", v/1000)
	}
	return fmt.Sprintf("%.1fms", v)
}

// backendsLine is the report's line on PostgreSQL's and Redis's CPU time.
func backendsLine(k *BackendsCPU) string {
	if k.Error != "" {
		return fmt.Sprintf("backends:    not measured: %s\n", k.Error)
	}
	var parts []string
	if k.PostgresSeconds != nil {
		parts = append(parts, fmt.Sprintf("postgresql %.2fs (%d backends, %d started, %d ended) = %.3fs", *k.PostgresSeconds, k.Backends, k.BackendsNew, k.BackendsGone, k.PerThousandPostgres))
	}
	if k.RedisSeconds != nil {
		parts = append(parts, fmt.Sprintf("redis %.2fs = %.3fs", *k.RedisSeconds, k.PerThousandRedis))
	}
	return fmt.Sprintf("backends:    %s per 1,000 deliveries\ncpu total:   %.2fs = %.3fs per 1,000 deliveries, backends included\n",
		strings.Join(parts, ", "), k.TotalSeconds, k.PerThousandTotal)
}
