package webhooks

import (
	"time"

	"entgo.io/ent/dialect"
	"github.com/scoopa/webhooks/ent"
	"github.com/scoopa/webhooks/ent/webhookcall"
	"github.com/scoopa/webhooks/internal/store"
	"github.com/scoopa/webhooks/internal/store/entstore"
	"github.com/scoopa/webhooks/internal/store/pgstore"
)

// newStore returns the store of d's database, the one place that asks
// which it is: pgstore on PostgreSQL, entstore elsewhere. Nil without a
// database (a Service that only signs links, in a test).
func newStore(d Deps, rules store.Rules) store.Store {
	switch {
	case d.DB == nil:
		return nil
	case d.Dialect == dialect.Postgres:
		return pgstore.New(d.DB, d.SQL, rules, d.Log)
	default:
		return entstore.New(d.DB, d.Dialect, rules, nil)
	}
}

// storeRules are the domain's rules that its store applies (store.Rules).
type storeRules struct{ s *Service }

func (r storeRules) Applies(wh *ent.Webhook, f *ent.File) (webhookcall.Origin, bool) {
	return appliesTo(wh, f)
}

func (r storeRules) NewCall(tx *ent.Tx, wh *ent.Webhook, f *ent.File, fol *ent.Folder, origin webhookcall.Origin) (*ent.WebhookCallCreate, error) {
	return r.s.newCall(tx, wh, f, fol, origin)
}

func (r storeRules) CallBody(f *ent.File, fol *ent.Folder, at time.Time) (string, error) {
	return r.s.callBody(f, fol, at)
}

func (r storeRules) DefaultSchedule() (string, error) { return r.s.defaultSchedule() }
func (r storeRules) ClaimOrder() store.ClaimOrder     { return r.s.deliveries.claimOrder() }
func (r storeRules) Now() time.Time                   { return r.s.now() }
