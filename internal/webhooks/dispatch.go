package webhooks

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"time"

	"github.com/scoopa/webhooks/ent"
	"github.com/scoopa/webhooks/ent/webhookcall"
	"github.com/scoopa/webhooks/internal/files"
	"github.com/scoopa/webhooks/internal/problem"
	"github.com/scoopa/webhooks/internal/store"
)

// What happens when a file arrives:
//
//  1. its bytes are stored in the blob store: by the server as they arrive
//     (uploadFile: the request's temporary file, hashed as it was written,
//     becomes the blob on the local store, see storage.Spooled), or sent by
//     the client straight to the store in parts and checked there
//     (createUpload, completeUpload: internal/files);
//  2. in one transaction, the File row and one WebhookCall per matching
//     webhook are written (the outbox: a call exists if and only if the
//     file does), by the store (internal/store): on PostgreSQL one
//     statement, which also writes the other files being stored at that
//     moment (internal/store/pgstore); the due times of calls of
//     rate-limited webhooks follow (paceNew);
//  3. after the commit, one delivery task for the file's calls that may go
//     at once (fanout.go) and one per call that waits for a rate slot are
//     enqueued, with task IDs derived from the file and the call so that
//     enqueuing twice is harmless. If the
//     process dies before that, or Redis loses the task, the sweeper
//     enqueues it again (sweeper.go).
//
// A webhook matches when it is active, is assigned to the file's folder
// (origin FOLDER) or to all folders (origin PLATFORM), and the file meets
// its filters (FilterOf: the filter contained in the name, ignoring case,
// and the content types, name pattern and size range it sets). A call
// records the filters in force: filter, and the others in filters.

// FilePayload is the JSON body of a delivery call.
type FilePayload struct {
	Origin          string `json:"origin"`
	Platform        string `json:"platform"`
	FileID          int    `json:"file_id"`
	FileName        string `json:"file_name"`
	FileType        string `json:"file_type"`
	FileSizeInBytes int64  `json:"file_size_in_bytes"`
	FolderID        int    `json:"folder_id"`
	FolderName      string `json:"folder_name"`
	DownloadURL     string `json:"download_url"`
}

// folder returns the folder with ID id, or a problem.NotFoundError.
func (s *Service) folder(ctx context.Context, id int) (*ent.Folder, error) {
	if fol := s.folders.get(id); fol != nil {
		return fol, nil
	}
	fol, err := s.db.Folder.Get(ctx, id)
	if ent.IsNotFound(err) {
		return nil, problem.NotFound("folder", id)
	} else if err != nil {
		return nil, fmt.Errorf("folder %d: %w", id, err)
	}
	s.folders.put(fol)
	return fol, nil
}

// folderCache keeps the folders uploads went to. A folder is never renamed
// nor deleted (the API has no way to), so a folder read once is good for
// the process's life; what is not found is not kept. Should folders ever
// change, this must be told or given a time to live. Each upload then
// costs one round trip to PostgreSQL fewer.
type folderCache struct {
	mu      sync.Mutex
	folders map[int]*ent.Folder
}

// folderCacheMax bounds the folders kept; past it the cache starts over.
const folderCacheMax = 10000

func (c *folderCache) get(id int) *ent.Folder {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.folders[id]
}

func (c *folderCache) put(f *ent.Folder) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.folders == nil || len(c.folders) >= folderCacheMax {
		c.folders = map[int]*ent.Folder{}
	}
	c.folders[f.ID] = f
}

// fileArrived is steps 2 and 3 for a file whose bytes are stored: in one
// transaction the File row, one call per matching webhook and, if also is
// not nil, what also writes with them; after the commit, the calls are
// announced and enqueued. Both uploadFile and completeUpload end here. The
// blob is the caller's to delete if this fails.
//
// With tracing on, this is the span file.arrived: the write, then the
// enqueue of its tasks, as its children.
func (s *Service) fileArrived(ctx context.Context, fol *ent.Folder, f files.Stored, also func(tx *ent.Tx, file *ent.File) error) (_ *ent.File, err error) {
	ctx, span := s.startSpan(ctx, "file.arrived")
	defer func() { endSpan(span, err) }()
	file, calls, err := s.storeFile(ctx, fol, f, also)
	if err != nil {
		return nil, err
	}
	file.Edges.Folder = fol
	if span.IsRecording() {
		span.AddEvent("transaction committed")
		span.SetAttributes(AttrFileID.Int(file.ID), AttrFolderID.Int(fol.ID), AttrCalls.Int(len(calls)))
	}
	s.metrics.callsCreated(len(calls))
	s.log.InfoContext(ctx, "file stored", "file_id", file.ID, "folder_id", fol.ID, "size_bytes", f.Size, "calls", len(calls))
	s.publish(ctx, calls...)
	// The calls that may go now go in one task (fanout.go); a call whose
	// rate slot is later has a task of its own, due then.
	now := DeliverFilePayload{FileID: file.ID}
	for _, c := range calls {
		p, at := s.deliveries.slotOf(c)
		if at.IsZero() && p.Slot == 0 {
			now.CallIDs = append(now.CallIDs, c.ID)
			continue
		}
		if err := s.enqueueTask(ctx, p, deliveryTaskID(c.ID, 1), at); err != nil {
			// The call is safe in the database; the sweeper will enqueue it.
			s.log.WarnContext(ctx, "delivery not enqueued", "call_id", c.ID, "err", err)
		}
	}
	if len(now.CallIDs) > 0 {
		if err := s.enqueueFile(ctx, now, fileTaskID(file.ID)); err != nil {
			s.log.WarnContext(ctx, "deliveries not enqueued", "file_id", file.ID, "err", err)
		}
	}
	return file, nil
}

// storeFile is step 2: the store writes the file and its calls (and what
// also writes), then the due times of the calls of rate-limited webhooks
// follow (paceNew).
func (s *Service) storeFile(ctx context.Context, fol *ent.Folder, f files.Stored, also func(tx *ent.Tx, file *ent.File) error) (*ent.File, []*ent.WebhookCall, error) {
	file, calls, limited, err := s.store.StoreFile(ctx, store.Arrival{Folder: fol, Name: f.Name, ContentType: f.ContentType,
		Key: f.Key, Sha256: f.Sha256, Size: f.Size, Also: also})
	if err != nil {
		return nil, nil, problem.StoreError(err)
	}
	s.paceNew(ctx, calls, limited)
	return file, calls, nil
}

// paceNew reserves the rate slots of the new calls of rate-limited
// webhooks (limited: requests per second by call ID) and has the store
// write their due times and wait reasons: a call whose slot is later waits,
// with its reason, and its task is enqueued for then (slotOf), so that a
// burst of files does not make every call go round the queue first.
// Without Redis, or when it fails, the worker reserves the slot instead.
func (s *Service) paceNew(ctx context.Context, calls []*ent.WebhookCall, limited map[int]int) {
	var paced []*ent.WebhookCall
	now := s.now()
	for _, c := range calls {
		perSecond, ok := limited[c.ID]
		if !ok {
			continue
		}
		if t, reason, ok := s.deliveries.reserveSlot(ctx, *c.WebhookID, perSecond, now); ok {
			c.NextAttemptAt, c.WaitReason = &t, reason
			paced = append(paced, c)
		}
	}
	if err := s.store.PaceCalls(ctx, paced); err != nil {
		// The tasks carry the slots; only the call log's due time is missing.
		s.log.WarnContext(ctx, "due times of paced calls not written", "calls", len(paced), "err", err)
	}
}

// callBody is the JSON body of the delivery calls of file f, in folder
// fol, written at.
func (s *Service) callBody(f *ent.File, fol *ent.Folder, at time.Time) (string, error) {
	body, err := json.Marshal(s.filePayload(f, fol, at))
	return string(body), err
}

// defaultSchedule is the service's retry schedule as JSON, which a call
// of a webhook without one of its own keeps.
func (s *Service) defaultSchedule() (string, error) {
	schedule, err := json.Marshal(s.deliveries.scheduleOf(&ent.Webhook{}))
	return string(schedule), err
}

func (s *Service) filePayload(file *ent.File, fol *ent.Folder, now time.Time) FilePayload {
	return FilePayload{
		Origin:          "scoopa",
		Platform:        string(s.cfg.Platform),
		FileID:          file.ID,
		FileName:        file.Name,
		FileType:        file.ContentType,
		FileSizeInBytes: file.SizeBytes,
		FolderID:        fol.ID,
		FolderName:      fol.Name,
		DownloadURL:     s.links.DownloadURL(fmt.Sprint(file.ID), now.Add(files.LinkValidity)),
	}
}

// describeFilters is what a call of wh records of its filters other than
// filter; nil if it has none.
func describeFilters(wh *ent.Webhook) *string {
	if d := FilterOf(wh).Describe(); d != "" {
		return &d
	}
	return nil
}

// newCall builds a PENDING delivery call of file f (in folder fol) to wh.
func (s *Service) newCall(tx *ent.Tx, wh *ent.Webhook, f *ent.File, fol *ent.Folder, origin webhookcall.Origin) (*ent.WebhookCallCreate, error) {
	now := s.now()
	body, err := json.Marshal(s.filePayload(f, fol, now))
	if err != nil {
		return nil, err
	}
	c := tx.WebhookCall.Create().
		SetKind(webhookcall.KindDELIVERY).
		SetStatus(webhookcall.StatusPENDING).
		SetNillableFilter(wh.Filter).
		SetNillableFilters(describeFilters(wh)).
		SetTargetURL(wh.URL).
		SetWebhookName(wh.Name).
		SetWebhookID(wh.ID).
		SetFileID(f.ID).
		SetFolderID(fol.ID).
		SetFileName(f.Name).
		SetFolderName(fol.Name).
		SetPayload(string(body)).
		SetRetryDelays(s.deliveries.scheduleOf(wh)).
		SetOrdered(wh.Ordered).
		SetCreatedAt(now).
		SetUpdatedAt(now)
	if origin != "" {
		c.SetOrigin(origin)
	}
	return c, nil
}
