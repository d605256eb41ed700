package storage

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"time"
)

// Local stores blobs on disk under a directory (files/ab/abcd...), each
// written to a temporary file first (tmp/) so a half-written file never
// appears under its key. It is the default store.
type Local struct {
	dir   string
	parts *partSigner
	// link is linkFollow, unless a test makes it fail.
	link func(oldname, newname string) error
	// dirs holds the directories of files/ known to exist.
	dirs sync.Map
}

// NewLocal returns a store under dir, creating it.
func NewLocal(dir string) (*Local, error) {
	if err := os.MkdirAll(filepath.Join(dir, "tmp"), 0o750); err != nil {
		return nil, fmt.Errorf("blob store: %w", err)
	}
	return &Local{dir: dir, link: linkFollow}, nil
}

// TempDir is the blob store's temp area: files being written, its own and
// (scoopa-server points TMPDIR here) the spill files of large uploads.
func (b *Local) TempDir() string { return filepath.Join(b.dir, "tmp") }

// FilesDir is the directory the blobs are kept under, each at a path made
// of its key.
func (b *Local) FilesDir() string { return filepath.Join(b.dir, "files") }

// Put stores the bytes of r, reading at most limit bytes (no limit if
// limit <= 0), and returns the key, SHA-256 and size. When r is Spooled
// (an upload already in a temporary file, hashed as it arrived) and on the
// same file system, that file becomes the blob: its bytes are neither read
// nor written again. Otherwise they are copied to a temporary file of the
// store, hashed on the way, which is then renamed under its key.
func (b *Local) Put(ctx context.Context, r io.Reader, limit int64) (key, sum string, size int64, err error) {
	if sp, ok := r.(Spooled); ok {
		if f, sum, size, ok := sp.Spooled(); ok {
			if limit > 0 && size > limit {
				return "", "", 0, &TooLargeError{Limit: limit}
			}
			if err := ctx.Err(); err != nil {
				return "", "", 0, fmt.Errorf("blob store: %w", err)
			}
			if key, ok := b.take(f, size); ok {
				return key, sum, size, nil
			}
		}
	}
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
	size, err = io.Copy(io.MultiWriter(tmp, h), ctxReader{ctx, r})
	if err != nil {
		return "", "", 0, fmt.Errorf("blob store: %w", err)
	}
	if limit > 0 && size > limit {
		return "", "", 0, &TooLargeError{Limit: limit}
	}
	if err = tmp.Close(); err != nil {
		return "", "", 0, fmt.Errorf("blob store: %w", err)
	}
	key = newKey()
	dst := b.path(key)
	if err = os.MkdirAll(filepath.Dir(dst), 0o750); err != nil {
		return "", "", 0, fmt.Errorf("blob store: %w", err)
	}
	if err = os.Rename(tmp.Name(), dst); err != nil {
		return "", "", 0, fmt.Errorf("blob store: %w", err)
	}
	return key, hex.EncodeToString(h.Sum(nil)), size, nil
}

// take makes the complete file f the blob under a new key, by a hard link
// rather than a rename: the file stays its writer's, who removes its name
// when done and may hand it to Put more than once. It reports false, with
// nothing left under files/, when that cannot be done (another file system,
// one without hard links) or when f is no longer the file of its name with
// its size, and Put then copies.
func (b *Local) take(f *os.File, size int64) (key string, ok bool) {
	spooled, err := f.Stat()
	if err != nil || spooled.Size() != size {
		return "", false
	}
	key = newKey()
	dst := b.path(key)
	if !b.linkFile(f, spooled, dst) {
		return "", false
	}
	// A blob's time is when it was stored, as for a copy: CleanUploads
	// takes a blob older than an hour with no File row for an orphan, and
	// the spool may have been written long before (an earlier file of a
	// slow request). One just written is left as it is.
	if now := time.Now(); now.Sub(spooled.ModTime()) > time.Minute {
		if err := os.Chtimes(dst, now, now); err != nil {
			os.Remove(dst)
			return "", false
		}
	}
	return key, true
}

// linkFile gives the open file f (whose FileInfo is spooled) the name
// dst, making dst's directory when needed, and again if it was removed
// since it was made.
func (b *Local) linkFile(f *os.File, spooled fs.FileInfo, dst string) bool {
	dir := filepath.Dir(dst)
	for try := 0; try < 2; try++ {
		if _, made := b.dirs.Load(dir); !made || try > 0 {
			if err := os.MkdirAll(dir, 0o750); err != nil {
				return false
			}
			b.dirs.Store(dir, struct{}{})
		}
		err := b.linkOpen(f, spooled, dst)
		if err == nil {
			return true
		}
		if !errors.Is(err, fs.ErrNotExist) {
			return false
		}
		if _, err := os.Stat(dir); err == nil {
			return false // the directory is there: the spool is not
		}
	}
	return false
}

// linkOpen links the open file f to dst. On Linux the link is made from
// f's descriptor (/proc/self/fd): the very file that is open, whatever
// its name has become (CleanUploads removes spools older than an hour, and
// the name could have been given to another file since), so no check is
// needed after. Elsewhere, or when f has no name left, it is made from f's
// name, then checked to be f with its size.
func (b *Local) linkOpen(f *os.File, spooled fs.FileInfo, dst string) error {
	if name := fdName(f); name != "" {
		if err := b.link(name, dst); err == nil {
			return nil
		}
	}
	if err := b.link(f.Name(), dst); err != nil {
		return err
	}
	stored, err := os.Stat(dst)
	if err != nil || !os.SameFile(spooled, stored) || stored.Size() != spooled.Size() {
		os.Remove(dst)
		return errors.New("blob store: the spool's name leads to another file")
	}
	return nil
}

// Open opens the blob stored under key.
func (b *Local) Open(_ context.Context, key string) (Object, error) {
	if !ValidKey(key) {
		return nil, fmt.Errorf("blob store: key %q: %w", key, fs.ErrNotExist)
	}
	f, err := os.Open(b.path(key))
	if err != nil {
		return nil, fmt.Errorf("blob store: %w", err)
	}
	info, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("blob store: %w", err)
	}
	return localObject{f, info.Size()}, nil
}

type localObject struct {
	*os.File
	size int64
}

func (o localObject) Size() int64 { return o.size }

// Delete removes the blob stored under key.
func (b *Local) Delete(_ context.Context, key string) error {
	if !ValidKey(key) {
		return fmt.Errorf("blob store: key %q is not one of its keys", key)
	}
	if err := os.Remove(b.path(key)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("blob store: %w", err)
	}
	return nil
}

// List calls fn for every blob under FilesDir.
func (b *Local) List(ctx context.Context, fn func(Blob) error) error {
	err := filepath.WalkDir(b.FilesDir(), func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil // no blob yet, or one deleted during the walk
			}
			return err
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		if d.IsDir() || !ValidKey(d.Name()) {
			return nil
		}
		info, err := d.Info()
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil
			}
			return err
		}
		return fn(Blob{Key: d.Name(), Size: info.Size(), ModTime: info.ModTime()})
	})
	if err != nil {
		return fmt.Errorf("blob store: list: %w", err)
	}
	return nil
}

func (b *Local) path(key string) string {
	return filepath.Join(b.FilesDir(), key[:2], key)
}

// ctxReader stops reading once ctx is done.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}
