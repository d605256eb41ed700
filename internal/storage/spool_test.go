package storage_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"syscall"
	"testing"
	"time"

	"github.com/scoopa/webhooks/internal/storage"
)

// spoolIn spools content to dir in a named file (as where O_TMPFILE is
// missing) and opens a reader of it; both are closed at the test's end.
func spoolIn(t *testing.T, dir string, content []byte) (*storage.SpoolFile, *storage.SpoolReader) {
	t.Helper()
	sf, err := storage.SpoolNamed(dir, "request-*", bytes.NewReader(content))
	if err != nil {
		t.Fatal(err)
	}
	r, err := sf.Open()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close(); sf.Remove() })
	return sf, r
}

// names lists the files directly in dir.
func names(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		out = append(out, e.Name())
	}
	sort.Strings(out)
	return out
}

// blobPath is where the local store under dir keeps key.
func blobPath(dir, key string) string { return filepath.Join(dir, "files", key[:2], key) }

// localIn opens a local store in a new temporary directory, and returns
// the directory too.
func localIn(t *testing.T) (*storage.Local, string) {
	t.Helper()
	dir := t.TempDir()
	local, err := storage.NewLocal(dir)
	if err != nil {
		t.Fatal(err)
	}
	return local, dir
}

// sameFile tells whether the paths a and b name one file.
func sameFile(t *testing.T, a, b string) bool {
	t.Helper()
	fa, err := os.Stat(a)
	if err != nil {
		t.Fatal(err)
	}
	fb, err := os.Stat(b)
	if err != nil {
		t.Fatal(err)
	}
	return os.SameFile(fa, fb)
}

// Spool hashes what it writes, and removes its file when reading fails;
// so does a named spool.
func TestSpool(t *testing.T) {
	t.Parallel()
	for name, spool := range map[string]func(dir, pattern string, r io.Reader) (*storage.SpoolFile, error){
		"unnamed where possible": storage.Spool, "named": storage.SpoolNamed,
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			content := bytes.Repeat([]byte("spool "), 10000)
			sf, err := spool(dir, "request-*", bytes.NewReader(content))
			if err != nil {
				t.Fatal(err)
			}
			if b, err := os.ReadFile(sf.Name()); err != nil || !bytes.Equal(b, content) || sf.Size() != int64(len(content)) || sf.Sum() != sum(content) {
				t.Errorf("spool holds %d bytes (%v), Size %d, Sum %s; want %d bytes, %s", len(b), err, sf.Size(), sf.Sum(), len(content), sum(content))
			}
			if err := sf.Remove(); err != nil {
				t.Fatal(err)
			}
			cut := errors.New("connection cut")
			if _, err := spool(dir, "request-*", io.MultiReader(bytes.NewReader(content), errReader{cut})); !errors.Is(err, cut) {
				t.Errorf("Spool of a failing reader: %v, want %v", err, cut)
			}
			if left := names(t, dir); len(left) > 0 {
				t.Errorf("left in the spool dir: %q", left)
			}
		})
	}
}

// On Linux a spool has no name (O_TMPFILE): nothing of it is ever in the
// spool dir, not even while it is open, yet the local store takes it as
// the blob, as often as it is given, and the blobs outlive it. When it
// cannot be linked, Put copies it.
func TestUnnamedSpool(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("unnamed files are Linux's (O_TMPFILE)")
	}
	t.Parallel()
	ctx := context.Background()
	local, dir := localIn(t)
	content := bytes.Repeat([]byte("unnamed "), 5000)
	sf, err := storage.Spool(local.TempDir(), "request-*", bytes.NewReader(content))
	if err != nil {
		t.Fatal(err)
	}
	defer sf.Remove()
	if left := names(t, local.TempDir()); len(left) > 0 {
		t.Errorf("an open spool shows in the spool dir as %q, want nothing", left)
	}
	var keys []string
	for i := 0; i < 2; i++ {
		r, err := sf.Open()
		if err != nil {
			t.Fatal(err)
		}
		key, got, size, err := local.Put(ctx, r, 0)
		r.Close()
		if err != nil || got != sum(content) || size != int64(len(content)) {
			t.Fatalf("Put %d = %s, %d, %v; want %s, %d", i+1, got, size, err, sum(content), len(content))
		}
		if !sameFile(t, sf.Name(), blobPath(dir, key)) {
			t.Errorf("Put %d: the blob is a copy of the spool, not the spooled file", i+1)
		}
		keys = append(keys, key)
	}
	storage.SetLink(local, func(oldname, newname string) error {
		return &os.LinkError{Op: "link", Old: oldname, New: newname, Err: syscall.EXDEV}
	})
	r, err := sf.Open()
	if err != nil {
		t.Fatal(err)
	}
	copied, got, _, err := local.Put(ctx, r, 0)
	r.Close()
	if err != nil || got != sum(content) || sameFile(t, sf.Name(), blobPath(dir, copied)) {
		t.Fatalf("Put that cannot link = %s, %v; want a copy with %s", got, err, sum(content))
	}
	if err := sf.Remove(); err != nil {
		t.Fatal(err)
	}
	for _, k := range append(keys, copied) {
		if b, err := os.ReadFile(blobPath(dir, k)); err != nil || !bytes.Equal(b, content) {
			t.Errorf("blob %s after the spool is gone: %d bytes, %v", k, len(b), err)
		}
	}
	if left := names(t, local.TempDir()); len(left) > 0 {
		t.Errorf("left in the spool dir: %q", left)
	}
}

type errReader struct{ err error }

func (e errReader) Read([]byte) (int, error) { return 0, e.err }

// The local store takes a spooled file as the blob: the same file under
// files/, not a copy, with the SHA-256 and size computed while spooling,
// and it outlives the spool. One spool given twice makes two blobs.
func TestLocalPutTakesSpooledFile(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	local, dir := localIn(t)
	content := bytes.Repeat([]byte("0123456789"), 100000)
	sf, r := spoolIn(t, local.TempDir(), content)
	// Spooled long ago: the blob is still as new as its Put, or the
	// cleanup of orphans would take it before its File row is written.
	old := time.Now().Add(-2 * time.Hour)
	if err := os.Chtimes(sf.Name(), old, old); err != nil {
		t.Fatal(err)
	}
	key, got, size, err := local.Put(ctx, r, int64(len(content)))
	if err != nil || got != sum(content) || size != int64(len(content)) {
		t.Fatalf("Put = %s, %d, %v; want %s, %d", got, size, err, sum(content), len(content))
	}
	if !sameFile(t, sf.Name(), blobPath(dir, key)) {
		t.Errorf("the blob is a copy of the spooled file, not the file itself")
	}
	blob, err := os.Stat(blobPath(dir, key))
	if err != nil {
		t.Fatal(err)
	}
	if !blob.ModTime().After(old.Add(time.Hour)) {
		t.Errorf("the blob's time is %v, the spool's; want the time of the Put", blob.ModTime())
	}
	if left := names(t, local.TempDir()); len(left) != 1 || left[0] != filepath.Base(sf.Name()) {
		t.Errorf("the temp area holds %q, want only the spool", left)
	}
	r2, err := sf.Open()
	if err != nil {
		t.Fatal(err)
	}
	defer r2.Close()
	key2, got2, _, err := local.Put(ctx, r2, 0)
	if err != nil || key2 == key || got2 != sum(content) {
		t.Fatalf("second Put of the spool = %s, %s, %v; want a new key, %s", key2, got2, err, sum(content))
	}
	r.Close()
	if err := sf.Remove(); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{key, key2} {
		if b, err := os.ReadFile(blobPath(dir, k)); err != nil || !bytes.Equal(b, content) {
			t.Errorf("blob %s after the spool is gone: %d bytes, %v", k, len(b), err)
		}
	}
	if err := local.Delete(ctx, key); err != nil {
		t.Fatal(err)
	}
	if b, err := os.ReadFile(blobPath(dir, key2)); err != nil || !bytes.Equal(b, content) {
		t.Errorf("blob %s after the other is deleted: %d bytes, %v", key2, len(b), err)
	}
}

// When the spooled file cannot be taken, Put copies it as it copies any
// reader: the right bytes, SHA-256 and size, and no file of its own left
// in the temp area.
func TestLocalPutSpooledFallback(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	content := bytes.Repeat([]byte("abcdefghij"), 10000)
	for _, tc := range []struct {
		name string
		// prepare does what keeps the spool from being taken, and returns
		// the bytes then expected in the blob.
		prepare func(t *testing.T, local *storage.Local, sf *storage.SpoolFile, r *storage.SpoolReader) []byte
	}{
		{"another file system", func(t *testing.T, local *storage.Local, _ *storage.SpoolFile, _ *storage.SpoolReader) []byte {
			storage.SetLink(local, func(oldname, newname string) error {
				return &os.LinkError{Op: "link", Old: oldname, New: newname, Err: syscall.EXDEV}
			})
			return content
		}},
		{"reader moved from the start", func(t *testing.T, _ *storage.Local, _ *storage.SpoolFile, r *storage.SpoolReader) []byte {
			if _, err := r.Seek(10, io.SeekStart); err != nil {
				t.Fatal(err)
			}
			return content[10:]
		}},
		{"name given to another file", func(t *testing.T, _ *storage.Local, sf *storage.SpoolFile, _ *storage.SpoolReader) []byte {
			if err := os.Remove(sf.Name()); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(sf.Name(), bytes.Repeat([]byte("?"), len(content)), 0o600); err != nil {
				t.Fatal(err)
			}
			return content
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			local, dir := localIn(t)
			sf, r := spoolIn(t, local.TempDir(), content)
			want := tc.prepare(t, local, sf, r)
			key, got, size, err := local.Put(ctx, r, 0)
			if err != nil || got != sum(want) || size != int64(len(want)) {
				t.Fatalf("Put = %s, %d, %v; want %s, %d", got, size, err, sum(want), len(want))
			}
			if b, err := os.ReadFile(blobPath(dir, key)); err != nil || !bytes.Equal(b, want) {
				t.Errorf("the blob holds %d bytes (%v), want the %d expected", len(b), err, len(want))
			}
			if sameFile(t, sf.Name(), blobPath(dir, key)) {
				t.Errorf("the blob is the file under the spool's name")
			}
			if left := names(t, local.TempDir()); len(left) != 1 || left[0] != filepath.Base(sf.Name()) {
				t.Errorf("the temp area holds %q, want only the spool", left)
			}
		})
	}
}

// A spooled file over the limit is refused unread, and nothing is stored.
func TestLocalPutSpooledOverLimit(t *testing.T) {
	t.Parallel()
	local, _ := localIn(t)
	content := []byte("eleven byte")
	sf, r := spoolIn(t, local.TempDir(), content)
	_, _, _, err := local.Put(context.Background(), r, 10)
	var tooLarge *storage.TooLargeError
	if !errors.As(err, &tooLarge) || tooLarge.Limit != 10 {
		t.Errorf("Put over the limit: %v, want a TooLargeError of 10", err)
	}
	if n := 0; local.List(context.Background(), func(storage.Blob) error { n++; return nil }) != nil || n != 0 {
		t.Errorf("%d blobs stored", n)
	}
	if left := names(t, local.TempDir()); len(left) != 1 || left[0] != filepath.Base(sf.Name()) {
		t.Errorf("the temp area holds %q, want only the spool", left)
	}
}

// A spool's readers read the file that was spooled, not whatever has its
// name now: they are not opened again by name (the cleanup of old uploads
// may have removed the name, and another file taken it).
func TestSpoolReadersReadTheSpooledFile(t *testing.T) {
	t.Parallel()
	content := bytes.Repeat([]byte("spooled "), 1000)
	sf, first := spoolIn(t, t.TempDir(), content)
	if err := os.Remove(sf.Name()); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(sf.Name(), bytes.Repeat([]byte("?"), len(content)), 0o600); err != nil {
		t.Fatal(err)
	}
	second, err := sf.Open()
	if err != nil {
		t.Fatal(err)
	}
	defer second.Close()
	for i, r := range []*storage.SpoolReader{first, second} {
		if b, err := io.ReadAll(r); err != nil || !bytes.Equal(b, content) {
			t.Errorf("reader %d read %.20q… (%d bytes, %v), want the spooled bytes", i+1, b, len(b), err)
		}
	}
}

// The store makes the directories of files/ once, and again when one was
// removed behind its back: the spool is still taken, not copied.
func TestLocalPutMakesRemovedDirectoriesAgain(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	local, dir := localIn(t)
	content := []byte("a small upload")
	for round := 0; round < 3; round++ {
		for i := 0; i < 20; i++ {
			sf, r := spoolIn(t, local.TempDir(), content)
			key, _, _, err := local.Put(ctx, r, 0)
			if err != nil {
				t.Fatalf("round %d: Put: %v", round, err)
			}
			if !sameFile(t, sf.Name(), blobPath(dir, key)) {
				t.Fatalf("round %d: the blob is not the spooled file", round)
			}
		}
		// Every directory of files/ removed, with its blobs.
		if err := os.RemoveAll(filepath.Join(dir, "files")); err != nil {
			t.Fatal(err)
		}
	}
}
