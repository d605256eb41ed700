// Package storage is the blob store: file contents on local disk, each
// under a random key. It knows nothing of webhooks or folders.
package storage

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// Blobs stores file contents on disk under a directory, each under a random
// key, written to a temporary file first so a half-written file never
// appears under its key.
type Blobs struct {
	dir   string
	parts *partSigner
}

// NewBlobs returns a store under dir, creating it.
func NewBlobs(dir string) (*Blobs, error) {
	if err := os.MkdirAll(filepath.Join(dir, "tmp"), 0o750); err != nil {
		return nil, fmt.Errorf("blob store: %w", err)
	}
	return &Blobs{dir: dir}, nil
}

// TempDir is the blob store's temp area: files being written, its own and
// (scoopa-server points TMPDIR here) the spill files of large uploads.
// CleanUploads removes what is left there by a process that died.
func (b *Blobs) TempDir() string { return filepath.Join(b.dir, "tmp") }

// FilesDir is the directory the blobs are kept under, each at a path made
// of its key.
func (b *Blobs) FilesDir() string { return filepath.Join(b.dir, "files") }

// Put stores the bytes of r, reading at most limit bytes (no limit if
// limit <= 0), and returns the key, SHA-256 and size.
func (b *Blobs) Put(r io.Reader, limit int64) (key, sum string, size int64, err error) {
	tmp, err := os.CreateTemp(b.TempDir(), "upload-*")
	if err != nil {
		return "", "", 0, fmt.Errorf("blob store: %w", err)
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	h := sha256.New()
	if limit > 0 {
		r = io.LimitReader(r, limit+1)
	}
	size, err = io.Copy(io.MultiWriter(tmp, h), r)
	if err != nil {
		return "", "", 0, fmt.Errorf("blob store: %w", err)
	}
	if limit > 0 && size > limit {
		return "", "", 0, &TooLargeError{Limit: limit}
	}
	if err = tmp.Close(); err != nil {
		return "", "", 0, fmt.Errorf("blob store: %w", err)
	}
	rnd := make([]byte, 16)
	_, _ = rand.Read(rnd)
	key = hex.EncodeToString(rnd)
	dst := b.path(key)
	if err = os.MkdirAll(filepath.Dir(dst), 0o750); err != nil {
		return "", "", 0, fmt.Errorf("blob store: %w", err)
	}
	if err = os.Rename(tmp.Name(), dst); err != nil {
		return "", "", 0, fmt.Errorf("blob store: %w", err)
	}
	return key, hex.EncodeToString(h.Sum(nil)), size, nil
}

// Open opens the blob stored under key.
func (b *Blobs) Open(key string) (*os.File, error) { return os.Open(b.path(key)) }

// Delete removes the blob stored under key.
func (b *Blobs) Delete(key string) error { return os.Remove(b.path(key)) }

func (b *Blobs) path(key string) string {
	return filepath.Join(b.FilesDir(), key[:2], key)
}

// TooLargeError is the error of Put when the contents exceed the limit.
type TooLargeError struct {
	// Limit is the limit, in bytes.
	Limit int64
}

func (e *TooLargeError) Error() string {
	return fmt.Sprintf("blob store: larger than the limit of %d bytes", e.Limit)
}
