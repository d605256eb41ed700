package webhooks

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/lib/pq"

	"github.com/scoopa/webhooks/ent"
	"github.com/scoopa/webhooks/ent/file"
	"github.com/scoopa/webhooks/ent/webhookcall"
)

// On PostgreSQL, step 2 of "a file arrives" (dispatch.go) is one statement
// (insertFileSQL) instead of a transaction of five round trips (BEGIN, the
// file, the matching webhooks, their folders, the calls, COMMIT): a single
// statement is atomic, so the outbox rule (a call exists if and only if
// its file does) holds as before.
//
// The calls' payload holds the file's ID and its signed download link, so
// the ID is known before the statement: IDs are taken from the files'
// sequence in blocks (fileIDs), one round trip per fileIDBlock files. IDs
// stay unique; they are no longer in the order files were stored (they
// never strictly were: concurrent uploads commit in any order).
//
// The statement selects the matching webhooks as createCalls and appliesTo
// do: active, assigned to the folder (origin FOLDER) or to all folders
// (origin PLATFORM), and the filter empty or contained in the file name,
// ignoring case. The name is lowered by Go (strings.ToLower, as
// MatchesFilter) and the filter by PostgreSQL under the "C" collation,
// which lowers A-Z only: the same as Go for an ASCII filter, whatever the
// database's locale. A filter with other letters would depend on the
// locale's case mapping, so when a candidate webhook has one the statement
// writes nothing and the file goes the ent way (storeFileTx), which runs
// MatchesFilter itself. So does a file for an ordered webhook: the ent way
// locks the webhook's row first, so that its calls are numbered in the
// order their files were committed (order.go).
//
// Rate-limited webhooks reserve their slot (pace) once their calls exist,
// and the calls' due time and wait reason are then written by a second
// statement; the task carries the slot either way (slotOf).

// fileIDBlock is how many file IDs one round trip reserves.
const fileIDBlock = 32

// fileIDs hands out file IDs reserved from PostgreSQL's sequence.
type fileIDs struct {
	mu   sync.Mutex
	free []int
}

// nextFileID returns an unused file ID.
func (s *Service) nextFileID(ctx context.Context) (int, error) {
	s.fileIDs.mu.Lock()
	defer s.fileIDs.mu.Unlock()
	if len(s.fileIDs.free) == 0 {
		ids, err := queryIDs(ctx, s.db, `SELECT nextval(pg_get_serial_sequence('files', 'id')) FROM generate_series(1, $1)`, fileIDBlock)
		if err != nil {
			return 0, fmt.Errorf("reserve file ids: %w", err)
		}
		s.fileIDs.free = append(s.fileIDs.free, ids...)
		slices.Reverse(s.fileIDs.free) // handed out in ascending order
		if len(s.fileIDs.free) == 0 {
			return 0, errors.New("reserve file ids: none returned")
		}
	}
	id := s.fileIDs.free[len(s.fileIDs.free)-1]
	s.fileIDs.free = s.fileIDs.free[:len(s.fileIDs.free)-1]
	return id, nil
}

// insertFileSQL writes a file and its calls. $1 the file's ID, $2 name,
// $3 content type, $4 size, $5 storage key, $6 SHA-256, $7 now, $8 the
// folder's ID, $9 the name lowered by Go, $10 the calls' payload, $11 the
// folder's name, $12 the service's retry schedule (JSON). It returns no
// row if nothing was written (a candidate's filter is not ASCII, or a
// candidate is ordered), else one
// row per call, or one row of NULLs if no webhook matched.
const insertFileSQL = `WITH h AS (
	SELECT w.id, w.url, w.name, w.filter, w.retry_delays, w.max_requests_per_second, w.ordered,
		EXISTS (SELECT 1 FROM webhook_folders wf WHERE wf.webhook_id = w.id AND wf.folder_id = $8) AS in_folder
	FROM webhooks w
	WHERE w.active AND (w.all_folders OR EXISTS (SELECT 1 FROM webhook_folders wf WHERE wf.webhook_id = w.id AND wf.folder_id = $8))
), f AS (
	INSERT INTO files (id, name, content_type, size_bytes, storage_key, sha256, created_at, folder_files)
	SELECT $1, $2, $3, $4, $5, $6, $7, $8
	WHERE NOT EXISTS (SELECT 1 FROM h WHERE octet_length(h.filter) <> char_length(h.filter) OR h.ordered)
	RETURNING id
), c AS (
	INSERT INTO webhook_calls (kind, status, origin, filter, target_url, webhook_name, webhook_id, file_id, folder_id,
		file_name, folder_name, payload, retry_delays, created_at, updated_at)
	SELECT 'DELIVERY', 'PENDING', CASE WHEN h.in_folder THEN 'FOLDER' ELSE 'PLATFORM' END, h.filter, h.url, h.name, h.id, f.id, $8,
		$2, $11, $10, CASE WHEN h.retry_delays IS NULL OR h.retry_delays = 'null'::jsonb THEN $12::jsonb ELSE h.retry_delays END, $7, $7
	FROM f, h
	WHERE h.filter IS NULL OR h.filter = '' OR strpos($9, lower(h.filter COLLATE "C")) > 0
	ORDER BY h.id
	RETURNING id, webhook_id, origin, filter, target_url, webhook_name, retry_delays::text
)
SELECT c.id, c.webhook_id, c.origin, c.filter, c.target_url, c.webhook_name, c.retry_delays,
	(SELECT h.max_requests_per_second FROM h WHERE h.id = c.webhook_id)
FROM f LEFT JOIN c ON true`

// errNotASCII sends a file the ent way (see above).
var errNotASCII = errors.New("a matching webhook's filter is not ASCII, or it is ordered")

// querier is a client or a transaction.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// queryIDs runs a query whose rows are one integer each (IDs), and returns
// them in order.
func queryIDs(ctx context.Context, q querier, query string, args ...any) ([]int, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ids []int
	for rows.Next() {
		var id int
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// storeFilePostgres is step 2 in one statement (see above); with also, in
// a transaction: the statement, then also.
func (s *Service) storeFilePostgres(ctx context.Context, fol *ent.Folder, f storedFile, also func(tx *ent.Tx, file *ent.File) error) (*ent.File, []*ent.WebhookCall, error) {
	if err := checkFileFields(f); err != nil {
		return nil, nil, err
	}
	id, err := s.nextFileID(ctx)
	if err != nil {
		return nil, nil, err
	}
	now := s.now()
	fl := &ent.File{ID: id, Name: f.name, ContentType: f.contentType, SizeBytes: f.size, StorageKey: f.key, Sha256: f.sha256, CreatedAt: now}
	fl.Edges.Folder = fol
	var (
		calls   []*ent.WebhookCall
		limited map[int]int
	)
	if also == nil {
		calls, limited, err = s.insertFile(ctx, s.db, fl, fol)
	} else {
		err = withTx(ctx, s.db, func(tx *ent.Tx) (err error) {
			if calls, limited, err = s.insertFile(ctx, tx, fl, fol); err != nil {
				return err
			}
			return also(tx, fl)
		})
	}
	if errors.Is(err, errNotASCII) {
		return s.storeFileTx(ctx, fol, f, also)
	} else if err != nil {
		return nil, nil, StoreError(err)
	}
	s.paceCalls(ctx, calls, limited, now)
	return fl, calls, nil
}

// checkFileFields runs the checks ent runs before it writes a file.
func checkFileFields(f storedFile) error {
	for _, c := range []struct {
		name string
		err  error
	}{
		{file.FieldName, file.NameValidator(f.name)},
		{file.FieldContentType, file.ContentTypeValidator(f.contentType)},
		{file.FieldSizeBytes, file.SizeBytesValidator(f.size)},
		{file.FieldStorageKey, file.StorageKeyValidator(f.key)},
		{file.FieldSha256, file.Sha256Validator(f.sha256)},
	} {
		if c.err != nil {
			return StoreError(&ent.ValidationError{Name: c.name})
		}
	}
	return nil
}

// insertFile runs insertFileSQL for file fl and returns its calls as
// written, and the rate limits (requests per second) of the calls'
// webhooks that have one, by call ID.
func (s *Service) insertFile(ctx context.Context, q querier, fl *ent.File, fol *ent.Folder) (calls []*ent.WebhookCall, limited map[int]int, err error) {
	body, err := json.Marshal(s.filePayload(fl, fol, fl.CreatedAt))
	if err != nil {
		return nil, nil, err
	}
	schedule, err := json.Marshal(s.scheduleOf(&ent.Webhook{}))
	if err != nil {
		return nil, nil, err
	}
	rows, err := q.QueryContext(ctx, insertFileSQL, fl.ID, fl.Name, fl.ContentType, fl.SizeBytes, fl.StorageKey, fl.Sha256,
		fl.CreatedAt, fol.ID, strings.ToLower(fl.Name), string(body), fol.Name, string(schedule))
	if err != nil {
		return nil, nil, fmt.Errorf("store file: %w", err)
	}
	defer rows.Close()
	written := false
	for rows.Next() {
		written = true
		var (
			id, hookID, perSecond sql.NullInt64
			origin, url, name     sql.NullString
			filter, delays        sql.NullString
		)
		if err := rows.Scan(&id, &hookID, &origin, &filter, &url, &name, &delays, &perSecond); err != nil {
			return nil, nil, fmt.Errorf("store file: %w", err)
		}
		if !id.Valid {
			continue // no webhook matched
		}
		c := &ent.WebhookCall{
			ID: int(id.Int64), Kind: webhookcall.KindDELIVERY, Status: webhookcall.StatusPENDING,
			TargetURL: url.String, WebhookName: name.String,
			FileName: fl.Name, FolderName: fol.Name, Payload: string(body),
			CreatedAt: fl.CreatedAt, UpdatedAt: fl.CreatedAt,
		}
		o := webhookcall.Origin(origin.String)
		h, fid, folID := int(hookID.Int64), fl.ID, fol.ID
		c.Origin, c.WebhookID, c.FileID, c.FolderID = &o, &h, &fid, &folID
		if filter.Valid {
			c.Filter = &filter.String
		}
		if delays.Valid {
			if err := json.Unmarshal([]byte(delays.String), &c.RetryDelays); err != nil {
				return nil, nil, fmt.Errorf("store file: retry delays %q: %w", delays.String, err)
			}
		}
		if perSecond.Valid {
			if limited == nil {
				limited = map[int]int{}
			}
			limited[c.ID] = int(perSecond.Int64)
		}
		calls = append(calls, c)
	}
	if err := rows.Err(); err != nil {
		return nil, nil, fmt.Errorf("store file: %w", err)
	}
	if !written {
		return nil, nil, errNotASCII
	}
	slices.SortFunc(calls, func(a, b *ent.WebhookCall) int { return a.ID - b.ID })
	return calls, limited, nil
}

// paceCalls reserves the rate slots of the calls of rate-limited webhooks
// (limited: requests per second by call ID) and writes their due times and
// wait reasons.
func (s *Service) paceCalls(ctx context.Context, calls []*ent.WebhookCall, limited map[int]int, now time.Time) {
	var (
		ids     []int64
		at      []string
		reasons []sql.NullString
	)
	for _, c := range calls {
		perSecond, ok := limited[c.ID]
		if !ok {
			continue
		}
		t, reason, ok := s.reserveSlot(ctx, *c.WebhookID, perSecond, now)
		if !ok {
			continue
		}
		c.NextAttemptAt, c.WaitReason = &t, reason
		ids, at = append(ids, int64(c.ID)), append(at, t.Format(time.RFC3339Nano))
		r := sql.NullString{Valid: reason != nil}
		if reason != nil {
			r.String = *reason
		}
		reasons = append(reasons, r)
	}
	if len(ids) == 0 {
		return
	}
	_, err := s.db.ExecContext(ctx, `UPDATE webhook_calls SET next_attempt_at = v.at, wait_reason = v.reason
		FROM unnest($1::bigint[], $2::timestamptz[], $3::text[]) AS v(id, at, reason)
		WHERE webhook_calls.id = v.id AND webhook_calls.status = 'PENDING' AND webhook_calls.attempt_count = 0`,
		pq.Array(ids), pq.Array(at), pq.Array(reasons))
	if err != nil {
		// The tasks carry the slots; only the call log's due time is missing.
		s.log.WarnContext(ctx, "due times of paced calls not written", "calls", len(ids), "err", err)
	}
}
