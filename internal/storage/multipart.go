package storage

import (
	"context"
	"errors"
	"time"
)

// Multipart is a store that takes a blob in parts that the client sends
// straight to it, each by an HTTP PUT to a presigned URL, so that the bytes
// of a large file never pass through the server: S3's multipart upload, or
// the local store's own signed part URLs (served by the server, each part
// streamed to a file). The API is the same on both.
//
// A multipart upload is made by CreateMultipart; PresignPart hands out the
// URL of a part (numbered from 1; every part but the last has the same
// size); ListParts tells which parts the store has received, with their
// sizes; CompleteMultipart joins the parts, in order, into the blob under
// key; AbortMultipart drops the parts. Once completed or aborted, the
// upload is gone: ListParts answers ErrNoMultipart (CompleteMultipart too,
// or, on S3, may succeed again for a while).
type Multipart interface {
	// CreateMultipart starts a multipart upload and returns the key the blob
	// will have and the store's ID of the upload.
	CreateMultipart(ctx context.Context, contentType string) (key, uploadID string, err error)
	// PresignPart returns a URL that takes part number part of at most size
	// bytes by PUT, valid for ttl.
	PresignPart(ctx context.Context, key, uploadID string, part int, size int64, ttl time.Duration) (string, error)
	// ListParts returns the parts received, by number.
	ListParts(ctx context.Context, key, uploadID string) ([]Part, error)
	// CompleteMultipart joins parts (as ListParts returned them, in order)
	// into the blob under key.
	CompleteMultipart(ctx context.Context, key, uploadID string, parts []Part) error
	// AbortMultipart drops the upload and its parts; an upload already gone
	// is not an error.
	AbortMultipart(ctx context.Context, key, uploadID string) error
	// Stat returns the size of the blob under key, or an error that
	// errors.Is(err, fs.ErrNotExist) when there is none.
	Stat(ctx context.Context, key string) (int64, error)
}

// Part is a part of a multipart upload that the store has received.
type Part struct {
	// Number is the part's number, from 1.
	Number int
	// Size is its length in bytes.
	Size int64
	// ETag is the store's tag of the part (S3 needs it to complete).
	ETag string
}

// ErrNoMultipart means the multipart upload is unknown to the store:
// completed, aborted, or never made.
var ErrNoMultipart = errors.New("blob store: no such multipart upload")

// ErrPartTooLarge means a part sent to a signed part URL was longer than
// the URL allows.
var ErrPartTooLarge = errors.New("blob store: part larger than its URL allows")
