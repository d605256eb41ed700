package webhooks

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/scoopa/webhooks/ent/file"
)

// UploadLeftoverAge is how old a temp file or a blob without a File row must
// be before CleanUploads removes it: no upload in progress is that slow
// between two writes, nor between storing its blob and committing its row.
const UploadLeftoverAge = time.Hour

// CleanUploads removes what uploads cut off by a killed process leave
// behind, once it is older than age (at now): files in the blob store's temp
// area, and blobs that no File row names. It returns how many of each it
// removed. The server runs it at start and every hour.
func (s *Service) CleanUploads(ctx context.Context, now time.Time, age time.Duration) (tmps, orphans int, err error) {
	before := now.Add(-age)
	entries, err := os.ReadDir(s.blobs.TempDir())
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return 0, 0, fmt.Errorf("clean uploads: %w", err)
	}
	for _, e := range entries {
		info, err := e.Info()
		if err != nil || !info.Mode().IsRegular() || !info.ModTime().Before(before) {
			continue
		}
		if err := os.Remove(filepath.Join(s.blobs.TempDir(), e.Name())); err == nil {
			tmps++
		}
	}
	// Blobs old enough, checked against the File rows in batches.
	var batch []string
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		known, err := s.db.File.Query().Where(file.StorageKeyIn(batch...)).Select(file.FieldStorageKey).Strings(ctx)
		if err != nil {
			return err
		}
		have := make(map[string]bool, len(known))
		for _, k := range known {
			have[k] = true
		}
		for _, k := range batch {
			if !have[k] && s.blobs.Delete(k) == nil {
				orphans++
			}
		}
		batch = batch[:0]
		return nil
	}
	root := s.blobs.FilesDir()
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil
			}
			return err
		}
		if d.IsDir() || ctx.Err() != nil {
			return ctx.Err()
		}
		info, err := d.Info()
		if err != nil || !info.ModTime().Before(before) || !validBlobKey(d.Name()) {
			return nil
		}
		if batch = append(batch, d.Name()); len(batch) == 500 {
			return flush()
		}
		return nil
	})
	if err == nil {
		err = flush()
	}
	if err != nil {
		return tmps, orphans, fmt.Errorf("clean uploads: %w", err)
	}
	if tmps+orphans > 0 {
		s.log.InfoContext(ctx, "upload leftovers removed", "temp_files", tmps, "orphan_blobs", orphans)
	}
	return tmps, orphans, nil
}

// validBlobKey reports whether name is a key Put makes: 32 hex digits.
func validBlobKey(name string) bool {
	if len(name) != 32 {
		return false
	}
	for _, c := range name {
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}
