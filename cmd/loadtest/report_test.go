package main

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestPercentile(t *testing.T) {
	seq := func(n int) []time.Duration {
		out := make([]time.Duration, n)
		for i := range out {
			out[i] = time.Duration(i+1) * time.Millisecond
		}
		return out
	}
	tests := []struct {
		name   string
		sorted []time.Duration
		p      float64
		want   time.Duration
	}{
		{"empty", nil, 50, 0},
		{"one value", seq(1), 50, time.Millisecond},
		{"one value p99", seq(1), 99, time.Millisecond},
		{"p50 of 100", seq(100), 50, 50 * time.Millisecond},
		{"p95 of 100", seq(100), 95, 95 * time.Millisecond},
		{"p99 of 100", seq(100), 99, 99 * time.Millisecond},
		{"p100 is the max", seq(100), 100, 100 * time.Millisecond},
		{"p50 of 2 is the lower", seq(2), 50, time.Millisecond},
		{"p95 of 10 rounds up to the 10th", seq(10), 95, 10 * time.Millisecond},
		{"p50 of 3 is the middle", seq(3), 50, 2 * time.Millisecond},
		{"tiny p is the min", seq(10), 0.001, time.Millisecond},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := percentile(tt.sorted, tt.p); got != tt.want {
				t.Errorf("percentile(%d values, %g) = %v, want %v", len(tt.sorted), tt.p, got, tt.want)
			}
		})
	}
}

func TestSummarize(t *testing.T) {
	// Unsorted input, which summarize must not reorder.
	in := []time.Duration{30 * time.Millisecond, 10 * time.Millisecond, 20 * time.Millisecond, 1500 * time.Microsecond}
	orig := append([]time.Duration(nil), in...)
	got := summarize(in)
	want := Percentiles{Count: 4, P50: 10, P95: 30, P99: 30, Max: 30}
	if got != want {
		t.Errorf("summarize = %+v, want %+v", got, want)
	}
	if !reflect.DeepEqual(in, orig) {
		t.Errorf("summarize changed its input: %v", in)
	}
	if got := summarize(nil); got != (Percentiles{}) {
		t.Errorf("summarize(nil) = %+v, want zero", got)
	}
}

// at returns t0 plus ms milliseconds.
var t0 = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

func at(ms int) time.Time { return t0.Add(time.Duration(ms) * time.Millisecond) }

func TestBuildReportAccounting(t *testing.T) {
	d := runData{
		files: 4, webhooks: 2,
		uploads: []upload{
			{fileID: "1", sent: at(0), accepted: at(10)},
			{fileID: "2", sent: at(5), accepted: at(20)},
			{fileID: "3", sent: at(8), accepted: at(30)},
		},
		uploadErrors: 1,
		start:        at(0),
		recv: receiverStats{arrivals: []arrival{
			{hook: 0, fileID: "1", msgID: "msg_1", at: at(15), status: 200},
			{hook: 0, fileID: "1", msgID: "msg_1", at: at(40), status: 200}, // duplicate: same call again
			{hook: 1, fileID: "1", msgID: "msg_2", at: at(25), status: 200},
			{hook: 1, fileID: "1", msgID: "msg_9", at: at(45), status: 200}, // duplicate: another call, same pair
			{hook: 0, fileID: "2", msgID: "msg_3", at: at(18), status: 200}, // before its upload's answer
			{hook: 1, fileID: "3", msgID: "msg_6", at: at(130), status: 200},
			{hook: 0, fileID: "77", msgID: "msg_7", at: at(50), status: 200}, // not our file
			{hook: 5, fileID: "3", msgID: "msg_8", at: at(50), status: 200},  // not our webhook
		}},
	}
	r := buildReport(d)
	checks := []struct {
		name      string
		got, want any
	}{
		{"expected", r.Expected, 6},
		{"delivered", r.Delivered, 4},
		{"missing", r.Missing, 2},
		{"missing sample", r.MissingSample, []string{"file 2 webhook 1", "file 3 webhook 0"}},
		{"duplicates", r.Duplicates, 2},
		{"unexpected", r.Unexpected, 2},
		{"early", r.EarlyDeliveries, 1},
		{"uploads ok", r.UploadsOK, 3},
		{"upload errors", r.UploadErrors, 1},
		{"not uploaded", r.NotUploaded, 0},
		{"upload seconds", r.UploadSeconds, 0.03},
		{"uploads/s", r.UploadsPerSec, 100.0},
		{"delivery seconds", r.DeliverySeconds, 0.13},
		// Latencies 5, 15, 0 (clamped) and 100 ms.
		{"latency", r.Latency, Percentiles{Count: 4, P50: 5, P95: 100, P99: 100, Max: 100}},
		{"no retry delays without -fail-first", r.RetryDelay, (*Percentiles)(nil)},
		{"complete", r.complete(), false},
	}
	for _, c := range checks {
		if !reflect.DeepEqual(c.got, c.want) {
			t.Errorf("%s = %#v, want %#v", c.name, c.got, c.want)
		}
	}
}

func TestBuildReportFailFirst(t *testing.T) {
	d := runData{
		files: 2, webhooks: 1, failFirst: true,
		uploads: []upload{
			{fileID: "1", sent: at(0), accepted: at(10)},
			{fileID: "2", sent: at(0), accepted: at(10)},
		},
		start: at(0),
		recv: receiverStats{arrivals: []arrival{
			{hook: 0, fileID: "1", msgID: "msg_1", at: at(20), status: 500}, // deliberate failure
			{hook: 0, fileID: "2", msgID: "msg_2", at: at(30), status: 500},
			{hook: 0, fileID: "1", msgID: "msg_1", at: at(1020), status: 200},
			{hook: 0, fileID: "2", msgID: "msg_2", at: at(1530), status: 200},
			{hook: 0, fileID: "2", msgID: "msg_2", at: at(2000), status: 200}, // a real duplicate
		}},
	}
	r := buildReport(d)
	if r.Delivered != 2 || r.Missing != 0 || r.Duplicates != 1 || r.FailedFirstAttempts != 2 {
		t.Errorf("delivered %d missing %d duplicates %d failed first %d, want 2 0 1 2",
			r.Delivered, r.Missing, r.Duplicates, r.FailedFirstAttempts)
	}
	want := Percentiles{Count: 2, P50: 1000, P95: 1500, P99: 1500, Max: 1500}
	if r.RetryDelay == nil || *r.RetryDelay != want {
		t.Errorf("retry delay = %+v, want %+v", r.RetryDelay, want)
	}
	// Latency is to the delivery that succeeded: 1010 and 1520 ms.
	if r.Latency.P50 != 1010 || r.Latency.Max != 1520 {
		t.Errorf("latency = %+v, want p50 1010 max 1520", r.Latency)
	}
	if !r.complete() {
		t.Error("complete() = false with every delivery in")
	}
}

func TestBuildReportNothingArrived(t *testing.T) {
	d := runData{files: 3, webhooks: 2, uploads: []upload{{fileID: "1", sent: at(0), accepted: at(1)}}, start: at(0), timedOut: true}
	r := buildReport(d)
	if r.Missing != 2 || r.Delivered != 0 || r.NotUploaded != 2 || r.DeliveriesPerSec != 0 || r.complete() {
		t.Errorf("got missing %d delivered %d not uploaded %d rate %v complete %v; want 2 0 2 0 false",
			r.Missing, r.Delivered, r.NotUploaded, r.DeliveriesPerSec, r.complete())
	}
}

func TestBuildReportCPU(t *testing.T) {
	d := runData{
		files: 1, webhooks: 1, start: at(0),
		uploads:   []upload{{fileID: "1", sent: at(0), accepted: at(1)}},
		recv:      receiverStats{arrivals: []arrival{{fileID: "1", msgID: "msg_1", at: at(2), status: 200}}},
		cpu:       cpuProbe{serverPID: 10, workerPID: 11},
		cpuBefore: cpuSample{server: time.Second, worker: 2 * time.Second, self: time.Second},
		cpuAfter:  cpuSample{server: 1500 * time.Millisecond, worker: 2250 * time.Millisecond, self: 1250 * time.Millisecond},
	}
	c := buildReport(d).CPU
	want := &CPU{ServerSeconds: 0.5, WorkerSeconds: 0.25, TotalSeconds: 0.75,
		PerThousandServer: 500, PerThousandWorker: 250, PerThousandTotal: 750,
		LoadToolSeconds: 0.25, PerThousandLoadTool: 250}
	if !reflect.DeepEqual(c, want) {
		t.Errorf("cpu = %+v, want %+v", c, want)
	}
}

func TestReportOutput(t *testing.T) {
	r := buildReport(runData{files: 1, webhooks: 1, failFirst: true, start: at(0),
		uploads: []upload{{fileID: "1", sent: at(0), accepted: at(1)}}})
	var buf bytes.Buffer
	if err := r.writeJSON(&buf); err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(buf.Bytes(), &m); err != nil {
		t.Fatal(err)
	}
	// Field names other tools may rely on.
	for _, k := range []string{"files", "webhooks", "uploads_ok", "uploads_per_sec", "expected_deliveries",
		"delivered", "missing", "duplicates", "deliveries_per_sec", "latency_ms", "early_deliveries",
		"retry_delay_ms", "timed_out"} {
		if _, ok := m[k]; !ok {
			t.Errorf("JSON report lacks %q: %s", k, buf.Bytes())
		}
	}
	buf.Reset()
	if err := r.writeText(&buf); err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"0/1 delivered, 1 missing", "missing: file 1 webhook 0", "retry delay:", "result:      FAIL"} {
		if !strings.Contains(buf.String(), s) {
			t.Errorf("text report lacks %q:\n%s", s, buf.String())
		}
	}
}

// Each webhook's requests are counted per wall-clock second; the sustained
// figures leave out the first and last second, which the run covers only
// in part.
func TestWebhookRates(t *testing.T) {
	start := time.Unix(1_800_000_000, 0)
	var arrivals []arrival
	// Webhook 0: 5 requests in the first half second, 20 in each of the
	// next 3 seconds, 3 in the last.
	add := func(hook int, sec int, n int) {
		for i := range n {
			at := start.Add(time.Duration(sec)*time.Second + time.Duration(i)*time.Second/time.Duration(max(n, 1))/2 + 500*time.Millisecond)
			arrivals = append(arrivals, arrival{hook: hook, fileID: "f", at: at, status: 200})
		}
	}
	add(0, 0, 5)
	add(0, 1, 20)
	add(0, 2, 20)
	add(0, 3, 20)
	add(0, 4, 3)
	add(1, 0, 68)
	r := buildReport(runData{webhooks: 2, limitRate: 20, start: start, recv: receiverStats{arrivals: arrivals}})
	if len(r.PerWebhook) != 2 {
		t.Fatalf("per webhook %+v, want 2", r.PerWebhook)
	}
	w0, w1 := r.PerWebhook[0], r.PerWebhook[1]
	if !reflect.DeepEqual(w0.PerSecond, []int{5, 20, 20, 20, 3}) || w0.SustainedMin != 20 || w0.SustainedMax != 20 || w0.SustainedMean != 20 || w0.MaxRequestsPerSecond != 20 {
		t.Errorf("webhook 0: %+v", w0)
	}
	if !reflect.DeepEqual(w1.PerSecond, []int{68}) || w1.Delivered != 68 || w1.MaxRequestsPerSecond != 0 || w1.SustainedMean != 0 {
		t.Errorf("webhook 1: %+v", w1)
	}
	var b bytes.Buffer
	if err := r.writeText(&b); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "webhook 0:   limited to 20/s: 68 requests") || !strings.Contains(b.String(), "per second: 5 20 20 20 3") {
		t.Errorf("text report:\n%s", b.String())
	}
}
