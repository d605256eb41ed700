package files

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"strings"
	"time"

	"github.com/scoopa/webhooks/ent"
	"github.com/scoopa/webhooks/ent/upload"
	"github.com/scoopa/webhooks/internal/auth"
	"github.com/scoopa/webhooks/internal/problem"
	"github.com/scoopa/webhooks/internal/storage"
)

// Direct uploads: a file's bytes go from the client straight to the blob
// store, never through the server's memory.
//
//  1. createUpload checks what the client declares (folder, name, content
//     type, size, optionally a SHA-256), starts a multipart upload in the
//     store and answers one presigned PUT URL per part: one part up to
//     UploadPartSize, more above (at most MaxUploadParts of them, larger
//     parts for larger files).
//  2. The client PUTs the parts, a few at once, in any order. After a
//     network drop, uploadParts tells which parts the store has and gives
//     fresh URLs for the others.
//  3. completeUpload first claims the upload: a compare-and-set of its state
//     from PENDING to COMPLETING, the one point where completing and
//     aborting meet (abortUpload sets PENDING to ABORTED the same way), so
//     whichever comes second is told what the first did ("was aborted", "is
//     being completed") and never finds the store half emptied. Holding the
//     claim, it checks that every part is there with its size, has the
//     store join them, then reads the blob back once, streaming, to hash it:
//     the File row needs the SHA-256 (S3's own checksums of a multipart
//     object are checksums of part checksums, not of the file), and a
//     declared SHA-256 is compared with it. The cost is one read of the
//     object from the store (a few seconds per GB here) and no memory but a
//     copy buffer. Bytes that are not what was declared are refused with an
//     error naming the problem; the blob is deleted and the upload FAILED.
//     Then, in one transaction, the File, its calls (fileArrived, as
//     uploadFile) and the upload's state COMPLETED are written. Completing
//     again answers the same File. Parts missing, or an error of the store,
//     give the claim back (PENDING): the client may send parts and complete
//     again. A claim older than completionClaim (its holder died) may be
//     taken over.
//  4. abortUpload marks the upload ABORTED, then drops the parts; uploads
//     left PENDING past their expiry are aborted by ExpireUploads, which the
//     server runs with the cleanup of upload leftovers.

// completionClaim is how long a completeUpload holds its claim on an
// upload before another request may take it over: longer than reading the
// largest upload back from the store takes.
const completionClaim = 30 * time.Minute

// MaxUploadParts is the most parts a direct upload is cut into: the answer
// of createUpload stays small, and parts grow instead for large files.
const MaxUploadParts = 1000

// DirectUpload is an upload with what the client needs to send its bytes.
type DirectUpload struct {
	*ent.Upload
	// Received are the parts the store has, with the expected size.
	Received []ReceivedPart
	// Parts are the URLs of the parts still to send.
	Parts []PartURL
	// URLsExpireAt is when the URLs of Parts stop working.
	URLsExpireAt time.Time
}

// ReceivedPart is a part the store has received.
type ReceivedPart struct {
	Number    int
	SizeBytes int64
}

// PartURL is where to PUT one part of a direct upload.
type PartURL struct {
	// Number is the part's number, from 1.
	Number int
	// Offset is where the part starts in the file, and SizeBytes its length.
	Offset, SizeBytes int64
	// URL takes the part's bytes by PUT.
	URL string
}

// CreateUploadInput is what createUpload takes.
type CreateUploadInput struct {
	FolderID    int
	Name        string
	ContentType string
	Size        int64
	// Sha256, if not nil, is the file's SHA-256 in hex, checked on completion.
	Sha256 *string
}

// DirectUploads reports whether createUpload is available.
func (s *Service) DirectUploads() bool { return s.cfg.DirectUploads && s.multipart != nil }

// MaxDirectUploadBytes is the largest file createUpload accepts.
func (s *Service) MaxDirectUploadBytes() int64 { return s.cfg.MaxDirectUploadBytes }

// planParts cuts size bytes into parts of partSize bytes, or larger ones so
// that there are at most MaxUploadParts, rounded up to a MiB.
func planParts(size, partSize int64) (int64, int) {
	if size <= partSize {
		return partSize, 1
	}
	if n := (size + partSize - 1) / partSize; n > MaxUploadParts {
		const mib = 1 << 20
		partSize = ((size+MaxUploadParts-1)/MaxUploadParts + mib - 1) / mib * mib
	}
	return partSize, int((size + partSize - 1) / partSize)
}

// partSize is the length of part number n (from 1) of u.
func partSize(u *ent.Upload, n int) int64 {
	if n < u.PartCount {
		return u.PartSize
	}
	return u.SizeBytes - int64(u.PartCount-1)*u.PartSize
}

// CreateUpload starts a direct upload of a file into a folder.
func (s *Service) CreateUpload(ctx context.Context, in CreateUploadInput) (*DirectUpload, error) {
	if !s.DirectUploads() {
		return nil, problem.Invalid("upload", "direct uploads are off on this server (SCOOPA_DIRECT_UPLOADS); use uploadFile")
	}
	contentType, err := checkFileInput(in.Name, in.ContentType)
	if err != nil {
		return nil, err
	}
	var errs []error
	switch {
	case in.Size < 0:
		errs = append(errs, problem.Invalid("size", "must not be negative"))
	case in.Size > s.cfg.MaxDirectUploadBytes:
		errs = append(errs, problem.Invalid("size", "%d bytes is larger than the limit of %d bytes", in.Size, s.cfg.MaxDirectUploadBytes))
	}
	var sum *string
	if in.Sha256 != nil {
		v := strings.ToLower(strings.TrimSpace(*in.Sha256))
		if b, err := hex.DecodeString(v); err != nil || len(b) != sha256.Size {
			errs = append(errs, problem.Invalid("sha256", "must be 64 hexadecimal digits (the SHA-256 of the file)"))
		}
		sum = &v
	}
	if err := problem.Gather(errs...); err != nil {
		return nil, err
	}
	fol, err := s.folder(ctx, in.FolderID)
	if err != nil {
		return nil, err
	}
	size, count := planParts(in.Size, s.cfg.UploadPartSize)
	key, mpID, err := s.multipart.CreateMultipart(ctx, contentType)
	if err != nil {
		return nil, fmt.Errorf("create upload: %w", err)
	}
	now := s.now()
	u, err := s.db.Upload.Create().SetName(in.Name).SetContentType(contentType).SetSizeBytes(in.Size).
		SetNillableSha256(sum).SetStorageKey(key).SetMultipartID(mpID).SetPartSize(size).SetPartCount(count).
		SetExpiresAt(now.Add(s.cfg.UploadExpiry)).SetCreatedAt(now).SetUpdatedAt(now).
		SetCreatedBy(auth.PrincipalFrom(ctx).Name()).SetFolder(fol).Save(ctx)
	if err != nil {
		if aerr := s.multipart.AbortMultipart(ctx, key, mpID); aerr != nil {
			err = errors.Join(err, aerr)
		}
		return nil, fmt.Errorf("create upload: %w", problem.StoreError(err))
	}
	u.Edges.Folder = fol
	s.log.InfoContext(ctx, "upload created", "upload_id", u.ID, "folder_id", fol.ID, "size_bytes", in.Size, "parts", count)
	return s.withURLs(ctx, u, nil)
}

// withURLs returns u with URLs for its parts other than received.
func (s *Service) withURLs(ctx context.Context, u *ent.Upload, received []storage.Part) (*DirectUpload, error) {
	d := &DirectUpload{Upload: u}
	have := make(map[int]bool, len(received))
	for _, p := range received {
		if p.Number <= u.PartCount && p.Size == partSize(u, p.Number) {
			have[p.Number] = true
			d.Received = append(d.Received, ReceivedPart{Number: p.Number, SizeBytes: p.Size})
		}
	}
	ttl := min(s.cfg.PartURLValidity, u.ExpiresAt.Sub(s.now()))
	d.URLsExpireAt = s.now().Add(ttl)
	for n := 1; n <= u.PartCount; n++ {
		if have[n] {
			continue
		}
		size := partSize(u, n)
		url, err := s.multipart.PresignPart(ctx, u.StorageKey, u.MultipartID, n, size, ttl)
		if err != nil {
			return nil, fmt.Errorf("upload %d: part URL: %w", u.ID, err)
		}
		d.Parts = append(d.Parts, PartURL{Number: n, Offset: int64(n-1) * u.PartSize, SizeBytes: size, URL: url})
	}
	return d, nil
}

// pendingUpload loads an upload that may still take parts.
func (s *Service) pendingUpload(ctx context.Context, id int) (*ent.Upload, error) {
	if s.multipart == nil {
		return nil, problem.Invalid("upload", "direct uploads are off on this server (SCOOPA_DIRECT_UPLOADS)")
	}
	u, err := s.db.Upload.Query().Where(upload.ID(id)).WithFolder().WithFile().Only(ctx)
	if ent.IsNotFound(err) {
		return nil, problem.NotFound("upload", id)
	} else if err != nil {
		return nil, fmt.Errorf("upload %d: %w", id, err)
	}
	switch u.State {
	case upload.StatePENDING:
		if !s.now().Before(u.ExpiresAt) {
			return u, problem.Invalid("id", "upload %d expired at %s; start a new one", id, u.ExpiresAt.Format(time.RFC3339))
		}
		return u, nil
	case upload.StateABORTED:
		return u, problem.Invalid("id", "upload %d was aborted%s; start a new one", id, because(u.Error))
	case upload.StateFAILED:
		return u, problem.Invalid("id", "upload %d failed%s; start a new one", id, because(u.Error))
	}
	return u, nil // COMPLETING, COMPLETED: the caller decides
}

// claimStale reports whether u is COMPLETING under a claim old enough to be
// taken over.
func (s *Service) claimStale(u *ent.Upload) bool {
	return u.State == upload.StateCOMPLETING && !s.now().Before(u.UpdatedAt.Add(completionClaim))
}

// settle moves u from a state it may be left in (PENDING, or COMPLETING
// under a stale claim) to state, if no other request moved it first; it
// reports whether it did.
func (s *Service) settle(ctx context.Context, u *ent.Upload, state upload.State, reason *string) (bool, error) {
	now := s.now()
	n, err := s.db.Upload.Update().Where(upload.ID(u.ID), upload.Or(
		upload.StateEQ(upload.StatePENDING),
		upload.And(upload.StateEQ(upload.StateCOMPLETING), upload.UpdatedAtLTE(now.Add(-completionClaim))),
	)).SetState(state).SetNillableError(reason).SetUpdatedAt(now).Save(ctx)
	if err != nil {
		return false, fmt.Errorf("upload %d: %w", u.ID, err)
	}
	return n == 1, nil
}

// release gives back the claim of a completeUpload that could not finish:
// the upload is PENDING again.
func (s *Service) release(ctx context.Context, u *ent.Upload) {
	ctx = context.WithoutCancel(ctx)
	if _, err := s.db.Upload.Update().Where(upload.ID(u.ID), upload.StateEQ(upload.StateCOMPLETING)).
		SetState(upload.StatePENDING).SetUpdatedAt(s.now()).Save(ctx); err != nil {
		s.log.WarnContext(ctx, "upload claim not given back; it lapses", "upload_id", u.ID, "err", err)
	}
}

// settledMeanwhile answers a request that lost the compare-and-set of u's
// state to another one: what that one did, as an error on "id" (or the
// File, when it completed the upload and completed is set).
func (s *Service) settledMeanwhile(ctx context.Context, id int, completing bool) (*ent.File, error) {
	u, err := s.pendingUpload(ctx, id)
	if err != nil {
		return nil, err
	}
	switch u.State {
	case upload.StateCOMPLETED:
		if completing {
			return s.completedFile(ctx, u)
		}
		return nil, problem.Invalid("id", "upload %d is completed: it made a file, which stays", id)
	case upload.StateCOMPLETING:
		if completing {
			return nil, problem.Invalid("id", "upload %d is being completed by another request; ask again in a moment", id)
		}
		return nil, problem.Invalid("id", "upload %d is being completed: it can no longer be aborted", id)
	}
	// PENDING again: the other request gave its claim back.
	return nil, problem.Invalid("id", "upload %d changed meanwhile; try again", id)
}

func because(reason *string) string {
	if reason == nil || *reason == "" {
		return ""
	}
	return ": " + *reason
}

// UploadParts tells which parts of a pending upload the store has received
// and gives fresh URLs for the others: how a client resumes.
func (s *Service) UploadParts(ctx context.Context, id int) (*DirectUpload, error) {
	u, err := s.pendingUpload(ctx, id)
	if err != nil {
		return nil, err
	}
	if u.State == upload.StateCOMPLETED || u.State == upload.StateCOMPLETING {
		return &DirectUpload{Upload: u}, nil
	}
	parts, err := s.multipart.ListParts(ctx, u.StorageKey, u.MultipartID)
	if errors.Is(err, storage.ErrNoMultipart) {
		return nil, problem.Invalid("id", "upload %d has no parts in the store any more (completed or aborted meanwhile)", id)
	} else if err != nil {
		return nil, fmt.Errorf("upload %d: %w", id, err)
	}
	return s.withURLs(ctx, u, parts)
}

// errUploadSettled is returned inside completeUpload's transaction when
// the claim was lost (taken over after it lapsed).
var errUploadSettled = errors.New("upload settled meanwhile")

// CompleteUpload checks the bytes of a direct upload and makes its File:
// see the story at the top of this file. Completing again answers the File.
func (s *Service) CompleteUpload(ctx context.Context, id int) (*ent.File, error) {
	u, err := s.pendingUpload(ctx, id)
	if err != nil {
		return nil, err
	}
	switch {
	case u.State == upload.StateCOMPLETED:
		return s.completedFile(ctx, u)
	case u.State == upload.StateCOMPLETING && !s.claimStale(u):
		return nil, problem.Invalid("id", "upload %d is being completed by another request; ask again in a moment", id)
	}
	claimed, err := s.settle(ctx, u, upload.StateCOMPLETING, nil)
	if err != nil {
		return nil, fmt.Errorf("complete upload %d: %w", id, err)
	}
	if !claimed {
		return s.settledMeanwhile(ctx, id, true)
	}
	file, failed, err := s.complete(ctx, u)
	switch {
	case errors.Is(err, errUploadSettled):
		return s.settledMeanwhile(ctx, id, true)
	case err != nil && !failed:
		s.release(ctx, u)
	}
	return file, err
}

// complete does the work of CompleteUpload on an upload it claimed; failed
// reports that the bytes were refused and the upload is FAILED.
func (s *Service) complete(ctx context.Context, u *ent.Upload) (_ *ent.File, failed bool, _ error) {
	id := u.ID
	parts, err := s.multipart.ListParts(ctx, u.StorageKey, u.MultipartID)
	switch {
	case errors.Is(err, storage.ErrNoMultipart):
		// Joined by an earlier call that did not get to write the File:
		// the blob is there to check.
		if _, err := s.multipart.Stat(ctx, u.StorageKey); err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil, false, problem.Invalid("id", "upload %d has no parts in the store any more; start a new one", id)
			}
			return nil, false, fmt.Errorf("complete upload %d: %w", id, err)
		}
	case err != nil:
		return nil, false, fmt.Errorf("complete upload %d: %w", id, err)
	default:
		if err := checkParts(u, parts); err != nil {
			return nil, false, err
		}
		if err := s.multipart.CompleteMultipart(ctx, u.StorageKey, u.MultipartID, parts[:u.PartCount]); err != nil &&
			!errors.Is(err, storage.ErrNoMultipart) {
			return nil, false, fmt.Errorf("complete upload %d: %w", id, err)
		}
	}
	size, sum, err := s.hashBlob(ctx, u.StorageKey)
	if err != nil {
		return nil, false, fmt.Errorf("complete upload %d: %w", id, err)
	}
	var bad error
	switch {
	case size != u.SizeBytes:
		bad = problem.Invalid("size", "the store holds %d bytes, not the %d declared; the upload is discarded", size, u.SizeBytes)
	case u.Sha256 != nil && sum != *u.Sha256:
		bad = problem.Invalid("sha256", "the bytes received have the SHA-256 %s, not the %s declared; the upload is discarded", sum, *u.Sha256)
	}
	if bad != nil {
		ferr := s.failUpload(ctx, u, bad.(*problem.InputError).Message)
		return nil, ferr == nil, errors.Join(bad, ferr)
	}
	file, err := s.arrive(ctx, u.Edges.Folder, Stored{Name: u.Name, ContentType: u.ContentType, Key: u.StorageKey, Sha256: sum, Size: size},
		func(tx *ent.Tx, f *ent.File) error {
			n, err := tx.Upload.Update().Where(upload.ID(u.ID), upload.StateEQ(upload.StateCOMPLETING)).
				SetState(upload.StateCOMPLETED).SetFile(f).SetUpdatedAt(s.now()).Save(ctx)
			if err == nil && n == 0 {
				return errUploadSettled
			}
			return err
		})
	if errors.Is(err, errUploadSettled) {
		return nil, false, err
	}
	if err != nil {
		// The blob stays: completing again writes the File.
		return nil, false, fmt.Errorf("complete upload %d: %w", id, err)
	}
	s.log.InfoContext(ctx, "upload completed", "upload_id", u.ID, "file_id", file.ID)
	return file, false, nil
}

// completedFile returns the File of a COMPLETED upload.
func (s *Service) completedFile(ctx context.Context, u *ent.Upload) (*ent.File, error) {
	f, err := s.db.Upload.QueryFile(u).WithFolder().Only(ctx)
	if ent.IsNotFound(err) {
		return nil, problem.Invalid("id", "upload %d was completed, but its file is gone", u.ID)
	} else if err != nil {
		return nil, fmt.Errorf("upload %d: %w", u.ID, err)
	}
	return f, nil
}

// checkParts checks that every part of u was received with its size.
func checkParts(u *ent.Upload, parts []storage.Part) error {
	var missing []string
	for i, n := 0, 1; n <= u.PartCount; n++ {
		for i < len(parts) && parts[i].Number < n {
			i++
		}
		if i == len(parts) || parts[i].Number != n {
			missing = append(missing, fmt.Sprint(n))
			continue
		}
		if want := partSize(u, n); parts[i].Size != want {
			return problem.Invalid("parts", "part %d of %d holds %d bytes, not %d; send it again", n, u.PartCount, parts[i].Size, want)
		}
	}
	if len(missing) > 0 {
		if len(missing) > 10 {
			missing = append(missing[:10], "…")
		}
		return problem.Invalid("parts", "%d of %d parts not received yet (%s); uploadParts gives their URLs", len(missing), u.PartCount, strings.Join(missing, ", "))
	}
	for _, p := range parts {
		if p.Number > u.PartCount {
			return problem.Invalid("parts", "part %d was received, but the upload has %d parts", p.Number, u.PartCount)
		}
	}
	return nil
}

// hashBlob reads a blob once and returns its size and SHA-256.
func (s *Service) hashBlob(ctx context.Context, key string) (int64, string, error) {
	f, err := s.blobs.Open(ctx, key)
	if err != nil {
		return 0, "", err
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.CopyBuffer(h, f, make([]byte, 1<<20))
	if err != nil {
		return 0, "", err
	}
	return n, hex.EncodeToString(h.Sum(nil)), nil
}

// failUpload deletes the blob of an upload whose bytes were refused and
// marks it FAILED with the reason.
func (s *Service) failUpload(ctx context.Context, u *ent.Upload, reason string) error {
	if err := s.blobs.Delete(ctx, u.StorageKey); err != nil {
		return fmt.Errorf("upload %d: delete refused blob: %w", u.ID, err)
	}
	_, err := s.db.Upload.Update().Where(upload.ID(u.ID), upload.StateEQ(upload.StateCOMPLETING)).
		SetState(upload.StateFAILED).SetError(reason).SetUpdatedAt(s.now()).Save(context.WithoutCancel(ctx))
	if err != nil {
		return fmt.Errorf("upload %d: %w", u.ID, err)
	}
	s.log.InfoContext(ctx, "upload refused", "upload_id", u.ID, "reason", reason)
	return nil
}

// AbortUpload drops the parts of a pending upload. Aborting again is
// harmless; a completed upload, or one being completed, cannot be aborted.
func (s *Service) AbortUpload(ctx context.Context, id int) (*DirectUpload, error) {
	u, err := s.pendingUpload(ctx, id)
	switch {
	case u != nil && u.State == upload.StateCOMPLETED:
		return nil, problem.Invalid("id", "upload %d is completed: it made a file, which stays", id)
	case u != nil && u.State == upload.StateCOMPLETING && !s.claimStale(u):
		return nil, problem.Invalid("id", "upload %d is being completed: it can no longer be aborted", id)
	case u != nil && u.State == upload.StateABORTED:
		// Drop again what an earlier abort may have left.
		if err := s.drop(ctx, u); err != nil {
			return nil, err
		}
		return &DirectUpload{Upload: u}, nil
	case err != nil && (u == nil || u.State != upload.StatePENDING):
		return nil, err
	}
	// PENDING (expired or not), or a lapsed claim.
	aborted, err := s.abort(ctx, u, "aborted by "+auth.PrincipalFrom(ctx).Name())
	if err != nil {
		return nil, err
	}
	if !aborted {
		if u, _ := s.pendingUpload(ctx, id); u != nil && u.State == upload.StateABORTED {
			return &DirectUpload{Upload: u}, nil // aborted by another request, or expired
		}
		_, err := s.settledMeanwhile(ctx, id, false)
		return nil, err
	}
	u, err = s.db.Upload.Query().Where(upload.ID(id)).WithFolder().Only(ctx)
	if err != nil {
		return nil, fmt.Errorf("upload %d: %w", id, err)
	}
	return &DirectUpload{Upload: u}, nil
}

// abort marks a pending upload ABORTED, then drops its parts (and a blob
// joined but never made a File). It reports false, touching nothing, when
// another request settled the upload first.
func (s *Service) abort(ctx context.Context, u *ent.Upload, reason string) (bool, error) {
	aborted, err := s.settle(ctx, u, upload.StateABORTED, &reason)
	if err != nil || !aborted {
		return false, err
	}
	return true, s.drop(ctx, u)
}

// drop deletes the parts and the blob of an aborted upload.
func (s *Service) drop(ctx context.Context, u *ent.Upload) error {
	if err := s.multipart.AbortMultipart(ctx, u.StorageKey, u.MultipartID); err != nil {
		return fmt.Errorf("abort upload %d: %w", u.ID, err)
	}
	if err := s.blobs.Delete(ctx, u.StorageKey); err != nil {
		return fmt.Errorf("abort upload %d: %w", u.ID, err)
	}
	return nil
}

// ExpireUploads aborts the uploads left pending past their expiry (their
// parts are deleted from the store) and deletes the rows of uploads settled
// longer ago than the call retention. It returns how many it aborted. The
// server runs it with CleanUploads.
func (s *Service) ExpireUploads(ctx context.Context) (int, error) {
	if s.multipart == nil {
		return 0, nil
	}
	now := s.now()
	expired, err := s.db.Upload.Query().Where(upload.ExpiresAtLTE(now), upload.Or(
		upload.StateEQ(upload.StatePENDING),
		upload.And(upload.StateEQ(upload.StateCOMPLETING), upload.UpdatedAtLTE(now.Add(-completionClaim))),
	)).Limit(1000).All(ctx)
	if err != nil {
		return 0, fmt.Errorf("expire uploads: %w", err)
	}
	n := 0
	for _, u := range expired {
		aborted, err := s.abort(ctx, u, "expired at "+u.ExpiresAt.Format(time.RFC3339))
		if err != nil {
			return n, fmt.Errorf("expire uploads: %w", err)
		}
		if aborted {
			n++
		}
	}
	if _, err := s.db.Upload.Delete().Where(upload.StateNotIn(upload.StatePENDING, upload.StateCOMPLETING), upload.UpdatedAtLT(now.Add(-s.cfg.Retention))).Exec(ctx); err != nil {
		return n, fmt.Errorf("expire uploads: %w", err)
	}
	if n > 0 {
		s.log.InfoContext(ctx, "expired uploads aborted", "uploads", n)
	}
	return n, nil
}

// PartReceiver is the blob store's receiver of parts sent to the server
// (the local store's part URLs), or nil when the store takes them itself
// (S3).
func (s *Service) PartReceiver() storage.PartReceiver {
	if pr, ok := s.multipart.(storage.PartReceiver); ok {
		return pr
	}
	return nil
}

// UploadOrigin is the origin (scheme://host) browsers PUT the parts of
// direct uploads to when it is not the server's own (an S3 endpoint), or
// "": the console's Content-Security-Policy must allow it.
func (s *Service) UploadOrigin(ctx context.Context) string {
	o, ok := s.multipart.(interface {
		UploadOrigin(context.Context) (string, error)
	})
	if !s.DirectUploads() || !ok {
		return ""
	}
	origin, err := o.UploadOrigin(ctx)
	if err != nil {
		s.log.WarnContext(ctx, "origin of part URLs unknown: the console cannot send parts to it", "err", err)
		return ""
	}
	return origin
}
