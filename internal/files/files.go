// Package files moves the bytes of files in and out: the server's uploads
// (UploadFile), direct uploads from the client to the blob store in parts
// (uploads.go), the signed download links handed to receivers and their
// downloads (links.go, download.go), and the cleanup of what interrupted
// uploads leave behind (cleanup.go). What a file's arrival then does (its
// File row and calls, in one transaction) is the domain's, handed in as
// Deps.Arrive.
package files

import (
	"context"
	"log/slog"
	"time"

	"github.com/scoopa/webhooks/ent"
	"github.com/scoopa/webhooks/internal/storage"
)

// Config is what the files of a service follow.
type Config struct {
	// DirectUploads turns direct uploads on (when the store has a multipart
	// API); MaxDirectUploadBytes bounds their size.
	DirectUploads        bool
	MaxDirectUploadBytes int64
	// UploadPartSize is the size of a part; PartURLValidity how long a
	// part's URL works; UploadExpiry how long an upload may stay pending.
	UploadPartSize  int64
	PartURLValidity time.Duration
	UploadExpiry    time.Duration
	// RedirectDownloads, if not zero, answers downloads with a redirect to
	// a link of the store valid that long (when the store presigns).
	RedirectDownloads time.Duration
	// Retention is how long settled uploads are kept (the call retention).
	Retention time.Duration
}

// Deps are what a Service is built from.
type Deps struct {
	DB    *ent.Client
	Blobs storage.Store
	// TempDir is where uploads spill to disk; if empty, the temp area of
	// Blobs when it is a *storage.Local.
	TempDir string
	Links   *LinkSigner
	Log     *slog.Logger
	Now     func() time.Time
	// Folder returns a folder by ID, or a problem.NotFoundError.
	Folder func(ctx context.Context, id int) (*ent.Folder, error)
	// Arrive writes a stored file's File row and calls in one transaction,
	// with what also writes, and sends the calls on their way.
	Arrive func(ctx context.Context, fol *ent.Folder, f Stored, also func(tx *ent.Tx, file *ent.File) error) (*ent.File, error)
}

// Service is the files of a service.
type Service struct {
	db        *ent.Client
	blobs     storage.Store
	multipart storage.Multipart
	tempDir   string
	links     *LinkSigner
	cfg       Config
	log       *slog.Logger
	now       func() time.Time
	folder    func(ctx context.Context, id int) (*ent.Folder, error)
	arrive    func(ctx context.Context, fol *ent.Folder, f Stored, also func(tx *ent.Tx, file *ent.File) error) (*ent.File, error)
	// orphanBatch, if not zero, replaces the batch size of CleanUploads
	// (tests).
	orphanBatch int
}

// New returns the files of a service.
func New(cfg Config, d Deps) *Service {
	s := &Service{db: d.DB, blobs: d.Blobs, tempDir: d.TempDir, links: d.Links, cfg: cfg, log: d.Log, now: d.Now,
		folder: d.Folder, arrive: d.Arrive}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if local, ok := d.Blobs.(*storage.Local); ok && s.tempDir == "" {
		s.tempDir = local.TempDir()
	}
	if mp, ok := d.Blobs.(storage.Multipart); ok {
		s.multipart = mp
	}
	return s
}

// SetOrphanBatch replaces the batch size of CleanUploads (tests).
func (s *Service) SetOrphanBatch(n int) { s.orphanBatch = n }
