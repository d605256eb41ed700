package graph_test

import (
	"bufio"
	"context"
	"fmt"
	"maps"
	"net/http"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/coder/websocket/wsjson"
	"github.com/scoopa/webhooks/graph"
	"github.com/scoopa/webhooks/internal/testenv"
)

// waitSubscribers waits until the server has n subscriptions in place, as
// its metrics count them.
func waitSubscribers(t *testing.T, s *testenv.Server, n int) {
	t.Helper()
	want := fmt.Sprint("scoopa_subscriptions ", n)
	testenv.Eventually(t, 20*time.Second, want, func() bool {
		res, err := http.Get(s.URL + "/metrics")
		if err != nil {
			return false
		}
		defer res.Body.Close()
		sc := bufio.NewScanner(res.Body)
		for sc.Scan() {
			if sc.Text() == want {
				return true
			}
		}
		return false
	})
}

// Every reason the server closes websockets for goes through the one close
// of the registry: the init timeout, the connection limit, a revoked token,
// a slow subscriber and the shutdown each close their sockets with their
// code, and the registry counts each close under its reason, and no other.
func TestEverySocketCloseGoesThroughTheRegistry(t *testing.T) {
	t.Parallel()
	s := testenv.StartServer(t, testenv.Postgres, map[string]string{"TEST_NO_WORKER": "1", "SCOOPA_WS_INIT_TIMEOUT": "1s"})
	reg := s.Sockets()
	want := map[graph.SocketClose]int{}
	closed := func(what string, got websocket.StatusCode, why graph.SocketClose, n int) {
		t.Helper()
		if int(got) != why.Code {
			t.Errorf("%s: close code %d, want %d", what, got, why.Code)
		}
		want[why] += n
		if c := reg.Closed(); !maps.Equal(c, want) {
			t.Errorf("%s: the registry counted %v, want %v", what, c, want)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()

	silent := dialGraphQLWS(ctx, t, s)
	closed("a socket without connection_init", readUntilClosed(t, silent, 20*time.Second), graph.CloseInitTimeout, 1)

	id, secret := adminToken(t, s, "twenty sockets", "")
	var full []*wsConn
	for range 20 {
		full = append(full, dialWS(t, s, secret))
	}
	extra := dialGraphQLWS(ctx, t, s)
	m, err := initSocket(ctx, t, extra, secret)
	if err == nil && m.Type == "connection_ack" {
		t.Fatal("a token's 21st socket was acknowledged")
	}
	for err == nil {
		err = wsjson.Read(ctx, extra, &m)
	}
	closed("a token's 21st socket", websocket.CloseStatus(err), graph.CloseConnectionLimit, 1)

	s.MustDo(t, `mutation($id: ID!) { revokeApiToken(id: $id) { id } }`, map[string]any{"id": id}, nil)
	for i, c := range full {
		if code := c.closeCode(20 * time.Second); code != 4401 {
			t.Errorf("socket %d of the revoked token: close code %d, want 4401", i, code)
		}
	}
	testenv.Eventually(t, 10*time.Second, "the 20 sockets of the revoked token counted", func() bool {
		return reg.Closed()[graph.CloseRevoked] == 20
	})
	closed("the sockets of a revoked token", 4401, graph.CloseRevoked, 20)

	slow := dialSubscription(t, s, s.Token, `subscription { webhookCallUpdated { id payload } }`)
	waitSubscribers(t, s, 1)
	flood(t, s) // nothing is read meanwhile: the subscriber falls behind
	closed("a slow subscriber", readUntilClosed(t, slow, 30*time.Second), graph.CloseSlowSubscriber, 1)

	waitSubscribers(t, s, 0)
	last := dialSubscription(t, s, s.Token, `subscription { webhookCallUpdated { id status } }`)
	waitSubscribers(t, s, 1)
	closed("a subscriber when the server stops", readUntilClosedWhile(t, last, 30*time.Second, s.Stop), graph.CloseShutdown, 1)
}
