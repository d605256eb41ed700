package pgstore

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
	"github.com/scoopa/webhooks/internal/groupcommit"
	"github.com/scoopa/webhooks/internal/store"
)

// On PostgreSQL, step 2 of "a file arrives" (internal/webhooks/dispatch.go) is one statement
// (insertFilesSQL) instead of a transaction of five round trips (BEGIN, the
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
// The statement selects the matching webhooks as entstore and Rules.Applies
// do: active, assigned to the folder (origin FOLDER) or to all folders
// (origin PLATFORM), and the filter empty or contained in the file name,
// ignoring case. The name is lowered by Go (strings.ToLower, as
// rules.MatchesFilter) and the filter by PostgreSQL under the "C" collation,
// which lowers A-Z only: the same as Go for an ASCII filter, whatever the
// database's locale. A filter with other letters would depend on the
// locale's case mapping, so when a candidate webhook has one the statement
// writes nothing and the file goes the ent way (entstore), which runs
// the filename rule itself. So does a file for a webhook with media
// filters (content types, name pattern, size range): they are matched by
// the domain's one matcher (rules.FileFilter, through Rules.Applies), never
// again in SQL. So does a file for an ordered webhook: the ent way
// locks the webhook's row first, so that its calls are numbered in the
// order their files were committed.
//
// Uploads stored at the same moment are written together (Store.files, a
// group: internal/groupcommit): the statement takes its files as arrays, up to
// FileBatchMax of them, so one round trip and one commit for them all.
// Each file is matched against the candidates of its own folder, and a
// file with a candidate that is ordered, has a non-ASCII filter or media
// filters is left out of the statement and goes the ent way on its own, as above; the
// other files of the batch are written. If the statement fails, nothing of
// it is written and each of its files is written alone, so that a file
// that cannot be stored (its folder just deleted, say) fails its own
// upload only. A file alone (nobody else storing) is written at once: a
// quiet system waits for nothing.
//
// Rate-limited webhooks reserve their slot once their calls exist (the
// domain's paceNew), and the calls' due time and wait reason are then
// written by a second statement (paceCalls); the task carries the slot
// either way (slotOf).

// fileIDBlock is how many file IDs one round trip reserves.
const fileIDBlock = 32

// fileIDs hands out file IDs reserved from PostgreSQL's sequence.
type fileIDs struct {
	mu   sync.Mutex
	free []int
}

// nextFileID returns an unused file ID.
func (p *Store) nextFileID(ctx context.Context) (int, error) {
	p.fileIDs.mu.Lock()
	defer p.fileIDs.mu.Unlock()
	if len(p.fileIDs.free) == 0 {
		ids, err := store.QueryIDs(ctx, p.db, `SELECT nextval(pg_get_serial_sequence('files', 'id')) FROM generate_series(1, $1)`, fileIDBlock)
		if err != nil {
			return 0, fmt.Errorf("reserve file ids: %w", err)
		}
		p.fileIDs.free = append(p.fileIDs.free, ids...)
		slices.Reverse(p.fileIDs.free) // handed out in ascending order
		if len(p.fileIDs.free) == 0 {
			return 0, errors.New("reserve file ids: none returned")
		}
	}
	id := p.fileIDs.free[len(p.fileIDs.free)-1]
	p.fileIDs.free = p.fileIDs.free[:len(p.fileIDs.free)-1]
	return id, nil
}

// FileBatchMax is the most files insertFilesSQL writes at once.
const FileBatchMax = 64

// insertFilesSQL writes files and their calls. The files are given as
// arrays, one element per file: $1 IDs, $2 names, $3 content
// types, $4 sizes, $5 storage keys, $6 SHA-256s, $7 times (created_at),
// $8 folders' IDs, $9 names lowered by Go, $10 payloads, $11 folders'
// names; $12 the service's retry schedule (JSON). The candidates are
// selected once per folder. A file with a candidate whose filter is not
// ASCII, that is ordered or that has media filters, is not written and has no row; every file
// written has one row per call (its ID first), or one row of its ID and
// NULLs if no webhook matched.
const insertFilesSQL = `WITH v AS (
	SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::bigint[], $5::text[], $6::text[], $7::timestamptz[],
		$8::bigint[], $9::text[], $10::text[], $11::text[])
		AS v(id, name, content_type, size_bytes, storage_key, sha256, created_at, folder_id, lower_name, payload, folder_name)
), h AS (
	SELECT fo.folder_id, w.id, w.url, w.name, w.filter, w.retry_delays, w.max_requests_per_second, w.ordered,
		(w.name_glob IS NOT NULL OR w.min_size_bytes IS NOT NULL OR w.max_size_bytes IS NOT NULL
			OR (jsonb_typeof(w.content_types) = 'array' AND jsonb_array_length(w.content_types) > 0)) AS media,
		EXISTS (SELECT 1 FROM webhook_folders wf WHERE wf.webhook_id = w.id AND wf.folder_id = fo.folder_id) AS in_folder
	FROM (SELECT DISTINCT folder_id FROM v) fo JOIN webhooks w
		ON w.active AND (w.all_folders OR EXISTS (SELECT 1 FROM webhook_folders wf WHERE wf.webhook_id = w.id AND wf.folder_id = fo.folder_id))
), f AS (
	INSERT INTO files (id, name, content_type, size_bytes, storage_key, sha256, created_at, folder_files)
	SELECT v.id, v.name, v.content_type, v.size_bytes, v.storage_key, v.sha256, v.created_at, v.folder_id
	FROM v
	WHERE NOT EXISTS (SELECT 1 FROM h WHERE h.folder_id = v.folder_id AND (octet_length(h.filter) <> char_length(h.filter) OR h.ordered OR h.media))
	RETURNING id
), c AS (
	INSERT INTO webhook_calls (kind, status, origin, filter, target_url, webhook_name, webhook_id, file_id, folder_id,
		file_name, folder_name, payload, retry_delays, created_at, updated_at)
	SELECT 'DELIVERY', 'PENDING', CASE WHEN h.in_folder THEN 'FOLDER' ELSE 'PLATFORM' END, h.filter, h.url, h.name, h.id, v.id, v.folder_id,
		v.name, v.folder_name, v.payload, CASE WHEN h.retry_delays IS NULL OR h.retry_delays = 'null'::jsonb THEN $12::jsonb ELSE h.retry_delays END,
		v.created_at, v.created_at
	FROM f JOIN v ON v.id = f.id JOIN h ON h.folder_id = v.folder_id
	WHERE h.filter IS NULL OR h.filter = '' OR strpos(v.lower_name, lower(h.filter COLLATE "C")) > 0
	ORDER BY v.id, h.id
	RETURNING id, file_id, folder_id, webhook_id, origin, filter, target_url, webhook_name, retry_delays::text
)
SELECT f.id, c.id, c.webhook_id, c.origin, c.filter, c.target_url, c.webhook_name, c.retry_delays,
	(SELECT h.max_requests_per_second FROM h WHERE h.id = c.webhook_id AND h.folder_id = c.folder_id)
FROM f LEFT JOIN c ON c.file_id = f.id`

// ErrLeftOut is the answer of the statement for a file it leaves to the
// ent way (see above).
var ErrLeftOut = errors.New("a matching webhook's filter is not ASCII, it is ordered, or it has media filters")

// StoreFile is step 2 in one statement (see above); with a.Also, in a
// transaction: the statement, then a.Also.
func (p *Store) StoreFile(ctx context.Context, a store.Arrival) (*ent.File, []*ent.WebhookCall, map[int]int, error) {
	if err := checkFileFields(a); err != nil {
		return nil, nil, nil, err
	}
	fol, also := a.Folder, a.Also
	id, err := p.nextFileID(ctx)
	if err != nil {
		return nil, nil, nil, err
	}
	now := p.rules.Now()
	fl := &ent.File{ID: id, Name: a.Name, ContentType: a.ContentType, SizeBytes: a.Size, StorageKey: a.Key, Sha256: a.Sha256, CreatedAt: now}
	fl.Edges.Folder = fol
	var (
		calls   []*ent.WebhookCall
		limited map[int]int
	)
	switch {
	case also == nil && p.files != nil:
		var r FileCalls
		r, err = p.files.Do(ctx, NewFile{File: fl, Folder: fol})
		calls, limited = r.calls, r.limited
	case also == nil:
		calls, limited, err = p.insertFile(ctx, &p.hot, fl, fol)
	default:
		err = store.WithTx(ctx, p.db, func(tx *ent.Tx) (err error) {
			if calls, limited, err = p.insertFile(ctx, tx, fl, fol); err != nil {
				return err
			}
			return also(tx, fl)
		})
	}
	p.fileStored()
	if errors.Is(err, ErrLeftOut) {
		return p.ent.StoreFile(ctx, a)
	} else if err != nil {
		return nil, nil, nil, err
	}
	return fl, calls, limited, nil
}

// checkFileFields runs the checks ent runs before it writes a file.
func checkFileFields(f store.Arrival) error {
	for _, c := range []struct {
		name string
		err  error
	}{
		{file.FieldName, file.NameValidator(f.Name)},
		{file.FieldContentType, file.ContentTypeValidator(f.ContentType)},
		{file.FieldSizeBytes, file.SizeBytesValidator(f.Size)},
		{file.FieldStorageKey, file.StorageKeyValidator(f.Key)},
		{file.FieldSha256, file.Sha256Validator(f.Sha256)},
	} {
		if c.err != nil {
			return &ent.ValidationError{Name: c.name}
		}
	}
	return nil
}

// insertFile writes file fl alone and returns its calls as written, and
// the rate limits (requests per second) of the calls' webhooks that have
// one, by call ID; ErrLeftOut if the statement left it out.
func (p *Store) insertFile(ctx context.Context, q store.Querier, fl *ent.File, fol *ent.Folder) (calls []*ent.WebhookCall, limited map[int]int, err error) {
	res, err := p.writeFiles(ctx, q, []NewFile{{File: fl, Folder: fol}})
	if err != nil {
		return nil, nil, err
	}
	return res[0].Val.calls, res[0].Val.limited, res[0].Err
}

// NewFile is a file for the files group to write: its row, with the ID
// reserved, and its folder.
type NewFile struct {
	File   *ent.File
	Folder *ent.Folder
}

// FileCalls are the calls written for a file, and the rate limits
// (requests per second) of the calls' webhooks that have one, by call ID.
type FileCalls struct {
	calls   []*ent.WebhookCall
	limited map[int]int
}

// callRow is the call columns of a row of insertFilesSQL: a call as
// written, or NULLs if no webhook matched.
type callRow struct {
	id, hookID, perSecond sql.NullInt64
	origin, url, name     sql.NullString
	filter, delays        sql.NullString
}

// fields are where Scan puts the columns, in the statements' order.
func (r *callRow) fields() []any {
	return []any{&r.id, &r.hookID, &r.origin, &r.filter, &r.url, &r.name, &r.delays, &r.perSecond}
}

// add adds the call of row r, if any, of file fl in folder fol whose
// payload is body.
func (fc *FileCalls) add(r callRow, fl *ent.File, fol *ent.Folder, body string) error {
	if !r.id.Valid {
		return nil // no webhook matched
	}
	c := &ent.WebhookCall{
		ID: int(r.id.Int64), Kind: webhookcall.KindDELIVERY, Status: webhookcall.StatusPENDING,
		TargetURL: r.url.String, WebhookName: r.name.String,
		FileName: fl.Name, FolderName: fol.Name, Payload: body,
		CreatedAt: fl.CreatedAt, UpdatedAt: fl.CreatedAt,
	}
	o := webhookcall.Origin(r.origin.String)
	h, fid, folID := int(r.hookID.Int64), fl.ID, fol.ID
	c.Origin, c.WebhookID, c.FileID, c.FolderID = &o, &h, &fid, &folID
	if r.filter.Valid {
		c.Filter = &r.filter.String
	}
	if r.delays.Valid {
		if err := json.Unmarshal([]byte(r.delays.String), &c.RetryDelays); err != nil {
			return fmt.Errorf("retry delays %q: %w", r.delays.String, err)
		}
	}
	if r.perSecond.Valid {
		if fc.limited == nil {
			fc.limited = map[int]int{}
		}
		fc.limited[c.ID] = int(r.perSecond.Int64)
	}
	fc.calls = append(fc.calls, c)
	return nil
}

// sort puts the calls in the order of their IDs.
func (fc *FileCalls) sort() {
	slices.SortFunc(fc.calls, func(a, b *ent.WebhookCall) int { return a.ID - b.ID })
}

// InsertFiles is the files group's write: files in one statement, or each
// alone if that statement fails. A file the statement leaves out answers
// ErrLeftOut.
func (p *Store) InsertFiles(ctx context.Context, files []NewFile) []groupcommit.Result[FileCalls] {
	out := make([]groupcommit.Result[FileCalls], len(files))
	if len(files) > 1 {
		res, err := p.writeFiles(ctx, &p.hot, files)
		if err == nil {
			return res
		}
		// Nothing was written: a file of the batch may be the cause.
		p.log.WarnContext(ctx, "files not stored together; each is stored alone", "files", len(files), "err", err)
	}
	for i, f := range files {
		out[i].Val.calls, out[i].Val.limited, out[i].Err = p.insertFile(ctx, &p.hot, f.File, f.Folder)
	}
	return out
}

// writeFiles writes files with insertFilesSQL through q and answers one
// result per file. An error is the statement's, and then nothing of it was
// written (one statement, one transaction); but for a row that Scan cannot
// read, which these columns rule out: then the files were written, and
// written again alone they fail on their IDs, as a file whose calls come
// back unreadable fails alone.
func (p *Store) writeFiles(ctx context.Context, q store.Querier, files []NewFile) ([]groupcommit.Result[FileCalls], error) {
	schedule, err := p.rules.DefaultSchedule()
	if err != nil {
		return nil, err
	}
	var (
		ids, sizes, folderIDs                = make([]int64, len(files)), make([]int64, len(files)), make([]int64, len(files))
		names, types, keys, sums, at, lowers = make([]string, len(files)), make([]string, len(files)), make([]string, len(files)), make([]string, len(files)), make([]string, len(files)), make([]string, len(files))
		bodies, folderNames                  = make([]string, len(files)), make([]string, len(files))
		index                                = make(map[int]int, len(files)) // file ID to its place in files
	)
	for i, f := range files {
		body, err := p.rules.CallBody(f.File, f.Folder, f.File.CreatedAt)
		if err != nil {
			return nil, err
		}
		fl := f.File
		ids[i], names[i], types[i], sizes[i], keys[i], sums[i] = int64(fl.ID), fl.Name, fl.ContentType, fl.SizeBytes, fl.StorageKey, fl.Sha256
		at[i], folderIDs[i], lowers[i] = fl.CreatedAt.Format(time.RFC3339Nano), int64(f.Folder.ID), strings.ToLower(fl.Name)
		bodies[i], folderNames[i] = body, f.Folder.Name
		index[fl.ID] = i
	}
	what := "store file"
	if len(files) > 1 {
		what = fmt.Sprintf("store %d files", len(files))
	}
	rows, err := q.QueryContext(ctx, insertFilesSQL, pq.Array(ids), pq.Array(names), pq.Array(types), pq.Array(sizes),
		pq.Array(keys), pq.Array(sums), pq.Array(at), pq.Array(folderIDs), pq.Array(lowers), pq.Array(bodies), pq.Array(folderNames), schedule)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	defer rows.Close()
	out := make([]groupcommit.Result[FileCalls], len(files))
	written := make([]bool, len(files))
	for rows.Next() {
		var (
			fileID int
			r      callRow
		)
		if err := rows.Scan(append([]any{&fileID}, r.fields()...)...); err != nil {
			return nil, fmt.Errorf("%s: %w", what, err)
		}
		i, ok := index[fileID]
		if !ok {
			return nil, fmt.Errorf("%s: a row of file %d, not one of them", what, fileID)
		}
		written[i] = true
		if out[i].Err == nil {
			if err := out[i].Val.add(r, files[i].File, files[i].Folder, bodies[i]); err != nil {
				// Written, but what came back is unreadable: this
				// file's upload fails, as it would alone.
				out[i].Err = fmt.Errorf("store file: %w", err)
			}
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	for i := range out {
		if !written[i] {
			out[i].Err = ErrLeftOut
		}
		out[i].Val.sort()
	}
	return out, nil
}

// PaceCalls writes the due times and wait reasons of paced calls in one
// statement.
func (p *Store) PaceCalls(ctx context.Context, paced []*ent.WebhookCall) error {
	if len(paced) == 0 {
		return nil
	}
	var (
		ids     = make([]int64, len(paced))
		at      = make([]sql.NullString, len(paced))
		reasons = make([]sql.NullString, len(paced))
	)
	for i, c := range paced {
		ids[i] = int64(c.ID)
		if c.NextAttemptAt != nil {
			at[i] = sql.NullString{String: c.NextAttemptAt.Format(time.RFC3339Nano), Valid: true}
		}
		if c.WaitReason != nil {
			reasons[i] = sql.NullString{String: *c.WaitReason, Valid: true}
		}
	}
	_, err := p.db.ExecContext(ctx, `UPDATE webhook_calls SET next_attempt_at = v.at, wait_reason = v.reason
		FROM unnest($1::bigint[], $2::timestamptz[], $3::text[]) AS v(id, at, reason)
		WHERE webhook_calls.id = v.id AND webhook_calls.status = 'PENDING' AND webhook_calls.attempt_count = 0`,
		pq.Array(ids), pq.Array(at), pq.Array(reasons))
	if err != nil {
		return fmt.Errorf("pace %d calls: %w", len(paced), err)
	}
	return nil
}
