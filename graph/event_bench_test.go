package graph_test

import (
	"sort"
	"testing"
	"time"

	"github.com/scoopa/webhooks/internal/testenv"
)

// BenchmarkEventLatency measures how long after revalidateWebhook is sent a
// subscriber receives the validation call's first event (RUNNING): an upper
// bound of the time from a state change to its event, through PostgreSQL,
// Redis pub/sub and the websocket, with the server and worker otherwise idle.
//
//	go test ./graph -run '^$' -bench EventLatency -benchtime 200x
func BenchmarkEventLatency(b *testing.B) {
	s := testenv.StartServer(b, testenv.Postgres, map[string]string{"SCOOPA_LOG_LEVEL": "error"})
	rc := testenv.NewReceiver(b)
	var wh struct{ CreateWebhook struct{ ID string } }
	s.MustDo(b, `mutation($u: String!) { createWebhook(input: {name: "lat", url: $u}) { id } }`, map[string]any{"u": rc.URL}, &wh)
	events := subscribe(b, s, s.Token, `subscription { webhookCallUpdated(kinds: [VALIDATION], statuses: [RUNNING]) { id } }`)
	var lat []time.Duration
	for b.Loop() {
		start := time.Now()
		go s.Do(b, `mutation($id: ID!) { revalidateWebhook(id: $id) { id } }`, map[string]any{"id": wh.CreateWebhook.ID})
		select {
		case <-events:
			lat = append(lat, time.Since(start))
		case <-time.After(5 * time.Second):
			b.Fatal("no event within 5s")
		}
		s.WaitIdle(b) // the validation finished: measure an idle system
	}
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	pct := func(p float64) float64 { return float64(lat[int(p*float64(len(lat)-1))].Microseconds()) / 1000 }
	b.ReportMetric(pct(0.5), "p50-ms")
	b.ReportMetric(pct(0.99), "p99-ms")
	b.ReportMetric(float64(lat[len(lat)-1].Microseconds())/1000, "max-ms")
}
