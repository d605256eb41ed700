package storage

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
)

// Spooled is a reader over a file that was written in full before the
// reader was made, and whose SHA-256 and size were computed as it was
// written (*SpoolReader is one). Local.Put takes such a file as the blob,
// by hard-linking it under its key, instead of writing its bytes a second
// time; S3.Put reads it like any other reader.
type Spooled interface {
	io.Reader
	// Spooled returns the open file, its SHA-256 (hex) and size; ok is
	// false when the reader no longer stands for the whole file (it was
	// read or moved from its start), and Put then reads what is left.
	Spooled() (f *os.File, sum string, size int64, ok bool)
}

// SpoolFile is a temporary file holding a whole upload, hashed as it was
// written so that its SHA-256 and size are known once it is complete. The
// blobs that Local.Put makes of it outlive it.
type SpoolFile struct {
	f    *os.File
	sum  string
	size int64
	// named: the file has a name in its directory, removed with it; an
	// unnamed one (createUnnamed) goes when it is closed.
	named bool
}

// Spool writes r to a new temporary file in dir, computing its SHA-256 as
// the bytes go by. The file has no name where the system allows it
// (Linux's O_TMPFILE: no directory entry to make and remove, and nothing
// left behind by a crash); elsewhere it is named after pattern, as in
// os.CreateTemp. On error (of reading r or of writing the file) the file
// is removed.
func Spool(dir, pattern string, r io.Reader) (*SpoolFile, error) {
	return spool(dir, pattern, r, true)
}

// spool is Spool; unnamed false names the file even where it need not be.
func spool(dir, pattern string, r io.Reader, unnamed bool) (*SpoolFile, error) {
	s := &SpoolFile{}
	ok := false
	if unnamed {
		s.f, ok = createUnnamed(dir)
	}
	if !ok {
		f, err := createTemp(dir, pattern)
		if err != nil {
			return nil, fmt.Errorf("spool: %w", err)
		}
		s.f, s.named = f, true
	}
	h := sha256.New()
	// io.MultiWriter hides os.File's ReadFrom, so the bytes go by the one
	// buffer of io.Copy: to the file, then to the hash.
	size, err := io.Copy(io.MultiWriter(s.f, h), r)
	if err != nil {
		s.Remove()
		return nil, err
	}
	s.sum, s.size = hex.EncodeToString(h.Sum(nil)), size
	return s, nil
}

// createTemp is os.CreateTemp without what it costs a regular file on
// Linux: os.OpenFile offers every file it opens to the network poller,
// which refuses a regular file after four fcntl calls and an epoll_ctl;
// os.NewFile does not (one fcntl). A spool is created for every upload.
func createTemp(dir, pattern string) (*os.File, error) {
	prefix, suffix := pattern, ""
	if i := strings.LastIndexByte(pattern, '*'); i >= 0 {
		prefix, suffix = pattern[:i], pattern[i+1:]
	}
	for try := 0; ; try++ {
		name := filepath.Join(dir, prefix+strconv.FormatUint(uint64(rand.Uint32()), 10)+suffix)
		fd, err := syscall.Open(name, syscall.O_RDWR|syscall.O_CREAT|syscall.O_EXCL|syscall.O_CLOEXEC, 0o600)
		if err == nil {
			return os.NewFile(uintptr(fd), name), nil
		}
		if errors.Is(err, syscall.EEXIST) && try < 10000 {
			continue
		}
		if errors.Is(err, syscall.EINTR) {
			continue
		}
		return nil, &fs.PathError{Op: "createtemp", Path: name, Err: err}
	}
}

// Name is the path of the file: for an unnamed spool, its descriptor's
// under /proc/self/fd, valid while the spool is open.
func (s *SpoolFile) Name() string {
	if !s.named {
		if name := fdName(s.f); name != "" {
			return name
		}
	}
	return s.f.Name()
}

// Size is the length of the contents in bytes.
func (s *SpoolFile) Size() int64 { return s.size }

// Sum is the SHA-256 (hex) of the contents.
func (s *SpoolFile) Sum() string { return s.sum }

// Open returns a new reader of the contents from the start, which the
// caller closes; Local.Put takes it without copying. Readers share the
// spool's open file (they read at their own offsets, with pread): no
// file is opened again.
func (s *SpoolFile) Open() (*SpoolReader, error) {
	return &SpoolReader{SectionReader: io.NewSectionReader(s.f, 0, s.size), spool: s}, nil
}

// Remove closes and removes the file. The blobs made of it stay: they are
// other names of the same file.
func (s *SpoolFile) Remove() error {
	s.f.Close()
	if !s.named {
		return nil
	}
	if err := os.Remove(s.f.Name()); err != nil {
		return fmt.Errorf("spool: %w", err)
	}
	return nil
}

// SpoolReader reads a SpoolFile; it is Spooled while it is at the start.
type SpoolReader struct {
	*io.SectionReader
	spool *SpoolFile
}

var _ Spooled = (*SpoolReader)(nil)

// Close ends the reader's use; the file is the SpoolFile's, closed by its
// Remove.
func (r *SpoolReader) Close() error { return nil }

// Spooled returns the file, its SHA-256 and size, with ok false once the
// reader has moved from the start.
func (r *SpoolReader) Spooled() (f *os.File, sum string, size int64, ok bool) {
	if pos, err := r.Seek(0, io.SeekCurrent); err != nil || pos != 0 {
		return nil, "", 0, false
	}
	return r.spool.f, r.spool.sum, r.spool.size, true
}
