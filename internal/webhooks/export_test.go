package webhooks

import (
	"context"
	"errors"
	"slices"
	"sync"
	"time"

	"github.com/scoopa/webhooks/ent"
	"github.com/scoopa/webhooks/internal/files"
	"github.com/scoopa/webhooks/internal/groupcommit"
	"github.com/scoopa/webhooks/internal/sender"
	"github.com/scoopa/webhooks/internal/store"
	"github.com/scoopa/webhooks/internal/store/pgstore"
)

// UseEntStore makes s write through ent even on PostgreSQL: the entStore
// that its pgstore hands what its statements cannot decide, with the same
// row locks. On SQLite it changes nothing.
func (s *Service) UseEntStore() {
	if p, ok := s.store.(*pgstore.Store); ok {
		s.store = p.Ent()
	}
}

// Store names the store s writes through: "postgres" or "ent".
// TheStore is the store the service writes through.
func (s *Service) TheStore() store.Store { return s.store }

func (s *Service) Store() string {
	if _, ok := s.store.(*pgstore.Store); ok {
		return "postgres"
	}
	return "ent"
}

// pg is s's PostgreSQL store; the test fails without one.
func (s *Service) pg() *pgstore.Store {
	p, ok := s.store.(*pgstore.Store)
	if !ok {
		panic("this test needs the PostgreSQL store")
	}
	return p
}

// SetMaxRecoverCalls replaces MaxRecoverCalls for s.
func (s *Service) SetMaxRecoverCalls(n int) { s.maxRecover = n }

// SetNotFetchedBatch replaces the most calls one NotFetched run tells of.
func (s *Service) SetNotFetchedBatch(n int) { s.maxNotFetched = n }

// ClaimAsWorker does what a worker does before it sends an attempt: it
// claims the call and gives it the lease of its webhook's timeout. A nil
// call means the call was not there to take.
func (s *Service) ClaimAsWorker(ctx context.Context, callID int) (*ent.WebhookCall, error) {
	call, err := s.deliveries.claim(ctx, callID)
	if err != nil || call == nil {
		return call, err
	}
	wh, err := s.hooks.get(ctx, s.db, derefInt(call.WebhookID))
	if err != nil {
		return nil, err
	}
	return call, s.deliveries.extendLease(ctx, call, wh)
}

// StoreFile writes a new file's row and calls as fileArrived does, paced
// calls' due times included, without announcing or enqueuing them. If fail
// is not nil, the write fails with it after the file and calls are written
// (as fileArrived's also hook can).
func (s *Service) StoreFile(ctx context.Context, folderID int, name string, fail error) (*ent.File, []*ent.WebhookCall, error) {
	fol, err := s.folder(ctx, folderID)
	if err != nil {
		return nil, nil, err
	}
	f := files.Stored{Name: name, ContentType: "video/quicktime", Key: "blobs/" + name, Sha256: "e3b0c442", Size: 1234}
	var also func(*ent.Tx, *ent.File) error
	if fail != nil {
		also = func(*ent.Tx, *ent.File) error { return fail }
	}
	return s.storeFile(ctx, fol, f, also)
}

// ClaimCalls claims calls as a file task's worker does before it sends
// them.
func (s *Service) ClaimCalls(ctx context.Context, ids []int) ([]*ent.WebhookCall, error) {
	return s.deliveries.claimCalls(ctx, ids)
}

// OrderGate is orderGate: the condition of ordered delivery that the claim
// adds, for the benchmark of its cost.
var OrderGate = orderGate

// FinishTogether records the outcomes of attempts of calls (resps[i] of
// calls[i]) in one statement, as the attempts workers record at the same
// moment are. The error of a call is that of its own attempt.
func (s *Service) FinishTogether(ctx context.Context, calls []*ent.WebhookCall, started time.Time, body string, resps []sender.Response, delays []time.Duration) ([]*ent.WebhookCall, []error, error) {
	return s.finishTogether(ctx, calls, started, body, resps, delays, false)
}

// FinishTogetherOrAlone is FinishTogether as the group writes: if the
// statement fails, the attempts are recorded one by one.
func (s *Service) FinishTogetherOrAlone(ctx context.Context, calls []*ent.WebhookCall, started time.Time, body string, resps []sender.Response, delays []time.Duration) ([]*ent.WebhookCall, []error, error) {
	return s.finishTogether(ctx, calls, started, body, resps, delays, true)
}

func (s *Service) finishTogether(ctx context.Context, calls []*ent.WebhookCall, started time.Time, body string, resps []sender.Response, delays []time.Duration, orAlone bool) ([]*ent.WebhookCall, []error, error) {
	var recs []store.Attempt
	keep := func(_ context.Context, r store.Attempt) (store.Fetches, error) {
		recs = append(recs, r)
		return store.Fetches{}, nil
	}
	outs := make([]*ent.WebhookCall, len(calls))
	for i, c := range calls {
		out, err := s.deliveries.finishWith(ctx, c, started, body, resps[i], delays, keep)
		if err != nil {
			return nil, nil, err
		}
		outs[i] = out
	}
	errs := make([]error, len(calls))
	if orAlone {
		for i, r := range s.pg().WriteAttempts(ctx, recs) {
			errs[i] = r.Err
			r.Val.On(outs[i])
		}
		return outs, errs, nil
	}
	written, err := s.pg().RecordAll(ctx, recs)
	if err != nil {
		return nil, nil, err
	}
	for i, c := range calls {
		if f, ok := written[c.ID]; ok {
			f.On(outs[i])
		} else {
			errs[i] = store.NotRunning(c.ID)
		}
	}
	return outs, errs, nil
}

// FinishAlone records the outcome of an attempt as the store records one
// attempt alone: on PostgreSQL with the statement of one attempt, not
// grouped with others.
func (s *Service) FinishAlone(ctx context.Context, call *ent.WebhookCall, started time.Time, body string, resp sender.Response, delays []time.Duration) (*ent.WebhookCall, error) {
	write := s.store.Record
	if p, ok := s.store.(*pgstore.Store); ok {
		write = p.RecordOne
	}
	return s.deliveries.finishWith(ctx, call, started, body, resp, delays, write)
}

// Finish records the outcome of an attempt as a worker does: on
// PostgreSQL with the attempts being recorded at the same moment.
func (s *Service) Finish(ctx context.Context, call *ent.WebhookCall, started time.Time, body string, resp sender.Response, delays []time.Duration) (*ent.WebhookCall, error) {
	return s.deliveries.finish(ctx, call, started, body, resp, delays)
}

// ClaimTogether claims the calls of tasks in one statement, as the claims
// of tasks starting at the same moment are, and answers each task's calls.
func (s *Service) ClaimTogether(ctx context.Context, tasks [][]int) ([][]*ent.WebhookCall, []error) {
	res := s.pg().ClaimTogether(ctx, tasks)
	calls, errs := make([][]*ent.WebhookCall, len(res)), make([]error, len(res))
	for i, r := range res {
		calls[i], errs[i] = r.Val, r.Err
	}
	return calls, errs
}

// SetFileBatching turns on or off the writing together of the files
// stored at the same moment (on by default on PostgreSQL): off, each file
// has a statement of its own.
func (s *Service) SetFileBatching(on bool) {
	p := s.pg()
	p.SetFiles(nil)
	if on {
		p.SetFiles(groupcommit.New(pgstore.FileBatchMax, p.InsertFiles))
	}
}

// FileBatch is what one write of fileBatch did: of its Files, how many
// were Written, how many were Left to the ent way (an ordered webhook or a
// non-ASCII filter) and how many Failed.
type FileBatch struct{ Files, Written, Left, Failed int }

// RecordFileBatches makes s record the writes of its fileBatch, which
// batches returns. Not safe to call while files are stored.
func (s *Service) RecordFileBatches() (batches func() []FileBatch) {
	var (
		mu  sync.Mutex
		got []FileBatch
	)
	p := s.pg()
	write := p.Files().Writer()
	p.SetFiles(groupcommit.New(pgstore.FileBatchMax, func(ctx context.Context, files []pgstore.NewFile) []groupcommit.Result[pgstore.FileCalls] {
		res := write(ctx, files)
		b := FileBatch{Files: len(files)}
		for _, r := range res {
			switch {
			case r.Err == nil:
				b.Written++
			case errors.Is(r.Err, pgstore.ErrLeftOut):
				b.Left++
			default:
				b.Failed++
			}
		}
		mu.Lock()
		got = append(got, b)
		mu.Unlock()
		return res
	}))
	return func() []FileBatch {
		mu.Lock()
		defer mu.Unlock()
		return slices.Clone(got)
	}
}

// StoreTogether runs store(i) for each i below n at once, and holds the
// writes of the store's files group until n files wait for one, so that
// the n are one batch if each stores one file through it (n at most
// pgstore.FileBatchMax). It gives up holding after 30 seconds.
func (s *Service) StoreTogether(n int, store func(i int)) {
	p := s.pg()
	write := p.Files().Writer()
	started, release := make(chan struct{}), make(chan struct{})
	g := groupcommit.New(pgstore.FileBatchMax, func(ctx context.Context, files []pgstore.NewFile) []groupcommit.Result[pgstore.FileCalls] {
		if files[0].File == nil { // the item that holds the others
			close(started)
			<-release
			return make([]groupcommit.Result[pgstore.FileCalls], 1)
		}
		return write(ctx, files)
	})
	prev := p.Files()
	p.SetFiles(g)
	defer p.SetFiles(prev)
	held := make(chan struct{})
	go func() {
		defer close(held)
		_, _ = g.Do(context.Background(), pgstore.NewFile{})
	}()
	<-started
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { store(i) })
	}
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(time.Millisecond) {
		if g.Pending() >= n {
			break
		}
	}
	close(release)
	wg.Wait()
	<-held
}

// PreparedStatements is how many hot-path statements s has prepared.
func (s *Service) PreparedStatements() int { return s.pg().Prepared() }

// AnalyzeIfNever analyzes the hot path's tables if they never were.
func (s *Service) AnalyzeIfNever(ctx context.Context) error { return s.pg().AnalyzeIfNever(ctx) }
