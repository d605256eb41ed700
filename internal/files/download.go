package files

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/url"
	"strconv"
	"time"

	"github.com/scoopa/webhooks/ent"
	"github.com/scoopa/webhooks/internal/problem"
	"github.com/scoopa/webhooks/internal/storage"
)

// Download is a file opened for whoever holds a valid signed link.
type Download struct {
	// Name and ContentType are the file's, as uploaded.
	Name, ContentType string
	// Size is the file's length in bytes.
	Size int64
	// ModTime is when the file arrived (zero for the validation sample).
	ModTime time.Time
	// Content reads the file's bytes; it seeks, so ranges can be served.
	// It is nil when Redirect is set.
	Content io.ReadSeeker
	// Redirect, if not nil, is where the file's bytes are served instead:
	// a presigned URL of the blob store, valid Config.RedirectDownloads.
	Redirect *url.URL
	// CallID is the delivery call the link names, 0 for a link without
	// one: its fetches are recorded (Service.RecordFetch).
	CallID int
	close  func() error
}

// Close releases the file's content.
func (d *Download) Close() error {
	if d.close == nil {
		return nil
	}
	return d.close()
}

// OpenDownload answers a download link: fileID is the ID in its path, query
// its query string (expires, signature, and call for a call's link). A tampered or expired link is an
// problem.ErrBadSignature and tells nothing about the file; a good link to a file
// that is gone is an problem.ErrNotFound. With Config.RedirectDownloads and a store
// that presigns, the Download names a URL to redirect to (the validation
// sample, kept in memory, is always streamed). The caller closes the
// Download.
func (s *Service) OpenDownload(ctx context.Context, fileID string, query url.Values) (*Download, error) {
	callID, err := s.links.CheckLink(fileID, query, s.now())
	if err != nil {
		return nil, err
	}
	if fileID == SampleFileID {
		return &Download{Name: "test.mov", ContentType: "video/quicktime", Size: int64(len(SampleFile)),
			Content: bytes.NewReader(SampleFile)}, nil
	}
	id, err := strconv.Atoi(fileID)
	if err != nil {
		return nil, problem.NotFound("file", fileID)
	}
	f, err := s.db.File.Get(ctx, id)
	if ent.IsNotFound(err) {
		return nil, problem.NotFound("file", id)
	} else if err != nil {
		return nil, fmt.Errorf("open download of file %d: %w", id, err)
	}
	if p, ok := s.blobs.(storage.Presigner); ok && s.cfg.RedirectDownloads > 0 {
		// The presigned URL ends with our link, if that comes first.
		ttl := s.cfg.RedirectDownloads
		if sec, err := strconv.ParseInt(query.Get("expires"), 10, 64); err == nil {
			ttl = min(ttl, max(time.Unix(sec, 0).Sub(s.now()), time.Second))
		}
		u, err := p.PresignGet(ctx, f.StorageKey, f.Name, f.ContentType, ttl)
		if err != nil {
			return nil, fmt.Errorf("open download of file %d: %w", id, err)
		}
		return &Download{Name: f.Name, ContentType: f.ContentType, Size: f.SizeBytes, ModTime: f.CreatedAt, Redirect: u, CallID: callID}, nil
	}
	blob, err := s.blobs.Open(ctx, f.StorageKey)
	if err != nil {
		return nil, fmt.Errorf("open download of file %d: stored content: %w", id, err)
	}
	return &Download{Name: f.Name, ContentType: f.ContentType, Size: f.SizeBytes, ModTime: f.CreatedAt,
		Content: blob, CallID: callID, close: blob.Close}, nil
}
