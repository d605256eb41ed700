package webhooks_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/scoopa/webhooks/ent"
	"github.com/scoopa/webhooks/ent/apitoken"
	"github.com/scoopa/webhooks/ent/webhookcall"
	"github.com/scoopa/webhooks/internal/auth"
	"github.com/scoopa/webhooks/internal/problem"
	"github.com/scoopa/webhooks/internal/testenv"
)

// ExportCalls reads the calls page by page by keyset: with pages of 2, the
// 7 calls come out once each, newest first, and a bound cuts them where it
// says, reporting that more were left.
func TestExportCallsPages(t *testing.T) {
	for _, kind := range testenv.Kinds {
		t.Run(string(kind), func(t *testing.T) {
			t.Parallel()
			s := testenv.StartServer(t, kind, nil)
			burst(t, s, testenv.NewReceiver(t), 7)
			svc := s.Service()
			svc.Calls().SetExportPage(2)
			ctx := auth.WithPrincipal(context.Background(), &auth.Principal{Role: apitoken.RoleVIEWER, TokenName: "t"})
			deliveries := &ent.WebhookCallWhereInput{Kind: ptr(webhookcall.KindDELIVERY)}
			export := func(max int) (ids []int, more bool) {
				t.Helper()
				more, err := svc.Calls().Export(ctx, deliveries, max, func(c *ent.WebhookCall) error {
					ids = append(ids, c.ID)
					return nil
				})
				if err != nil {
					t.Fatal(err)
				}
				return ids, more
			}
			all, more := export(100)
			if len(all) != 7 || more {
				t.Fatalf("ids %v, more %v: want 7 calls, no more", all, more)
			}
			for i := 1; i < len(all); i++ {
				if all[i] >= all[i-1] {
					t.Fatalf("ids %v: want newest first, each once", all)
				}
			}
			for _, max := range []int{1, 2, 3, 6} {
				ids, more := export(max)
				if fmt.Sprint(ids) != fmt.Sprint(all[:max]) || !more {
					t.Errorf("max %d: %v, more %v; want %v, more", max, ids, more, all[:max])
				}
			}
			if ids, more := export(7); len(ids) != 7 || more {
				t.Errorf("max 7: %v, more %v; want all, no more", ids, more)
			}
			// An error of emit stops the export.
			stop := errors.New("stop")
			n := 0
			if _, err := svc.Calls().Export(ctx, deliveries, 100, func(*ent.WebhookCall) error { n++; return stop }); !errors.Is(err, stop) || n != 1 {
				t.Errorf("emit error: %v after %d calls", err, n)
			}
			// Nobody signed in: nothing.
			if _, err := svc.Calls().Export(context.Background(), nil, 100, func(*ent.WebhookCall) error { return nil }); !errors.Is(err, problem.ErrUnauthenticated) {
				t.Errorf("no principal: %v", err)
			}
		})
	}
}
