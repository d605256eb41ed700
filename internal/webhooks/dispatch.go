package webhooks

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/scoopa/webhooks/ent"
	"github.com/scoopa/webhooks/ent/folder"
	"github.com/scoopa/webhooks/ent/webhook"
	"github.com/scoopa/webhooks/internal/storage"
)

// What happens when a file arrives:
//
//  1. its bytes are stored in the blob store;
//  2. in one transaction, the File row and one WebhookCall per matching
//     webhook are written (the outbox: a call exists if and only if the
//     file does);
//  3. after the commit, one delivery task per call is enqueued, with a task
//     ID derived from the call so that enqueuing twice is harmless. If the
//     process dies before that, or Redis loses the task, the sweeper
//     enqueues it again (sweeper.go).
//
// A webhook matches when it is active, is assigned to the file's folder
// (origin FOLDER) or to all folders (origin PLATFORM), and its filter is
// empty or contained in the file name, ignoring case.

// linkValidity is how long a download link handed to a receiver works.
const linkValidity = 24 * time.Hour

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

// UploadFile stores a new file in a folder and creates a call for every
// matching webhook. maxBytes bounds the size (no bound if <= 0).
func (s *Service) UploadFile(ctx context.Context, folderID int, name, contentType string, r io.Reader, maxBytes int64) (*ent.File, error) {
	if err := CheckName("file", name); err != nil {
		return nil, err
	}
	if contentType == "" {
		contentType = "application/octet-stream"
	}
	if err := CheckName("file", contentType); err != nil {
		var in *InputError
		if errors.As(err, &in) {
			return nil, invalid("file", "content type: %v", in.Message)
		}
		return nil, err
	}
	fol, err := s.db.Folder.Get(ctx, folderID)
	if ent.IsNotFound(err) {
		return nil, notFound("folder", folderID)
	} else if err != nil {
		return nil, fmt.Errorf("upload file: %w", err)
	}
	key, sum, size, err := s.blobs.Put(ctx, r, maxBytes)
	if tooLarge := (*storage.TooLargeError)(nil); errors.As(err, &tooLarge) {
		return nil, invalid("file", "is larger than the limit of %d bytes", tooLarge.Limit)
	} else if err != nil {
		return nil, err
	}
	var (
		file  *ent.File
		calls []*ent.WebhookCall
	)
	err = withTx(ctx, s.db, func(tx *ent.Tx) error {
		file, err = tx.File.Create().SetCreatedAt(s.now()).SetName(name).SetContentType(contentType).SetSizeBytes(size).
			SetStorageKey(key).SetSha256(sum).SetFolder(fol).Save(ctx)
		if err != nil {
			return err
		}
		calls, err = s.createCalls(ctx, tx, file, fol)
		return err
	})
	if err != nil {
		if rmErr := s.blobs.Delete(context.WithoutCancel(ctx), key); rmErr != nil {
			err = errors.Join(err, rmErr)
		}
		return nil, fmt.Errorf("upload file: %w", err)
	}
	file.Edges.Folder = fol
	s.metrics.callsCreated(len(calls))
	s.log.InfoContext(ctx, "file stored", "file_id", file.ID, "folder_id", fol.ID, "size_bytes", size, "calls", len(calls))
	s.publish(ctx, calls...)
	for _, c := range calls {
		p, at := s.slotOf(c)
		if err := s.enqueueTask(ctx, p, deliveryTaskID(c.ID, 1), at); err != nil {
			// The call is safe in the database; the sweeper will enqueue it.
			s.log.WarnContext(ctx, "delivery not enqueued", "call_id", c.ID, "err", err)
		}
	}
	return file, nil
}

// createCalls writes one call per webhook matching a new file.
func (s *Service) createCalls(ctx context.Context, tx *ent.Tx, file *ent.File, fol *ent.Folder) ([]*ent.WebhookCall, error) {
	hooks, err := tx.Webhook.Query().
		Where(webhook.Active(true), webhook.Or(webhook.AllFolders(true), webhook.HasFoldersWith(folder.ID(fol.ID)))).
		WithFolders(func(q *ent.FolderQuery) { q.Where(folder.ID(fol.ID)) }).
		All(ctx)
	if err != nil {
		return nil, err
	}
	bulk := make([]*ent.WebhookCallCreate, 0, len(hooks))
	for _, wh := range hooks {
		origin, ok := appliesTo(wh, file)
		if !ok {
			continue
		}
		c, err := s.newCall(tx, wh, file, fol, origin)
		if err != nil {
			return nil, err
		}
		s.pace(ctx, wh, s.now(), c)
		bulk = append(bulk, c)
	}
	if len(bulk) == 0 {
		return nil, nil
	}
	return tx.WebhookCall.CreateBulk(bulk...).Save(ctx)
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
		DownloadURL:     s.links.DownloadURL(fmt.Sprint(file.ID), now.Add(linkValidity)),
	}
}

// FileDownloadURL returns a fresh signed link to a file.
func (s *Service) FileDownloadURL(fileID int) string {
	return s.links.DownloadURL(fmt.Sprint(fileID), s.now().Add(linkValidity))
}
