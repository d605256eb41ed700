package files

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/scoopa/webhooks/ent/file"
	"github.com/scoopa/webhooks/internal/storage"
)

// UploadLeftoverAge is how old a temp file or a blob without a File row must
// be before CleanUploads removes it: no upload in progress is that slow
// between two writes, nor between storing its blob and committing its row.
const UploadLeftoverAge = time.Hour

// orphanBatch is how many blobs are checked against the File rows (one
// query) at a time, unless Service.orphanBatch says otherwise (tests).
const orphanBatch = 500

// CleanUploads removes what uploads cut off by a killed process leave
// behind, once it is older than age (at now): files in the temp area of
// this process's data dir, and blobs in the store (the local directory or
// the bucket under its prefix, which every server shares) that no File row
// names. It returns how many of each it removed. The server runs it at
// start and every hour.
func (s *Service) CleanUploads(ctx context.Context, now time.Time, age time.Duration) (tmps, orphans int, err error) {
	before := now.Add(-age)
	if tmps, err = cleanTemp(s.tempDir, before); err != nil {
		return 0, 0, fmt.Errorf("clean uploads: %w", err)
	}
	// Blobs old enough, checked against the File rows in batches.
	size := orphanBatch
	if s.orphanBatch > 0 {
		size = s.orphanBatch
	}
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
			if have[k] {
				continue
			}
			if err := s.blobs.Delete(ctx, k); err != nil {
				return err
			}
			orphans++
		}
		batch = batch[:0]
		return nil
	}
	if s.blobs != nil {
		err = s.blobs.List(ctx, func(b storage.Blob) error {
			if !b.ModTime.Before(before) {
				return nil
			}
			if batch = append(batch, b.Key); len(batch) == size {
				return flush()
			}
			return nil
		})
	}
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

// cleanTemp removes the regular files in dir last written before before.
func cleanTemp(dir string, before time.Time) (int, error) {
	if dir == "" {
		return 0, nil
	}
	entries, err := os.ReadDir(dir)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return 0, err
	}
	n := 0
	for _, e := range entries {
		info, err := e.Info()
		if err != nil || !info.Mode().IsRegular() || !info.ModTime().Before(before) {
			continue
		}
		if err := os.Remove(filepath.Join(dir, e.Name())); err == nil {
			n++
		}
	}
	return n, nil
}
