package files

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/scoopa/webhooks/ent"
	"github.com/scoopa/webhooks/internal/problem"
	"github.com/scoopa/webhooks/internal/rules"
	"github.com/scoopa/webhooks/internal/storage"
)

// Stored is a file whose bytes are in the blob store, on its way to its
// File row and calls (the domain's arrival).
type Stored struct {
	Name, ContentType, Key, Sha256 string
	Size                           int64
}

// SampleFileID names the built-in sample file in download links.
const SampleFileID = "sample"

// SampleFile is the content behind the validation call's download link: the
// 1 MiB "test.mov" that the validation payload announces.
var SampleFile = bytes.Repeat([]byte("scoopa webhook validation sample\n"), 1<<20/33+1)[:1<<20]

// LinkValidity is how long a download link handed to a receiver works.
const LinkValidity = 24 * time.Hour

// DownloadURL returns a fresh signed link to a file.
func (s *Service) DownloadURL(fileID int) string {
	return s.links.DownloadURL(fmt.Sprint(fileID), s.now().Add(LinkValidity))
}

// UploadFile stores a new file in a folder and creates a call for every
// matching webhook. maxBytes bounds the size (no bound if <= 0). When r is
// a storage.Spooled (the server's uploads are), the SHA-256 and size are
// those computed as it was spooled, and the local store does not copy it.
func (s *Service) UploadFile(ctx context.Context, folderID int, name, contentType string, r io.Reader, maxBytes int64) (*ent.File, error) {
	contentType, err := checkFileInput(name, contentType)
	if err != nil {
		return nil, err
	}
	fol, err := s.folder(ctx, folderID)
	if err != nil {
		return nil, err
	}
	key, sum, size, err := s.blobs.Put(ctx, r, maxBytes)
	if tooLarge := (*storage.TooLargeError)(nil); errors.As(err, &tooLarge) {
		return nil, problem.Invalid("file", "is larger than the limit of %d bytes", tooLarge.Limit)
	} else if err != nil {
		return nil, err
	}
	file, err := s.arrive(ctx, fol, Stored{Name: name, ContentType: contentType, Key: key, Sha256: sum, Size: size}, nil)
	if err != nil {
		if rmErr := s.blobs.Delete(context.WithoutCancel(ctx), key); rmErr != nil {
			err = errors.Join(err, rmErr)
		}
		return nil, fmt.Errorf("upload file: %w", err)
	}
	return file, nil
}

// checkFileInput checks the name and content type of a new file and
// returns the content type, application/octet-stream if empty.
func checkFileInput(name, contentType string) (string, error) {
	if err := rules.CheckName("file", name); err != nil {
		return "", err
	}
	if contentType == "" {
		contentType = "application/octet-stream"
	}
	if err := rules.CheckName("file", contentType); err != nil {
		var in *problem.InputError
		if errors.As(err, &in) {
			return "", problem.Invalid("file", "content type: %v", in.Message)
		}
		return "", err
	}
	return contentType, nil
}
