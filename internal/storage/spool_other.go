//go:build !linux

package storage

import "os"

// createUnnamed is Linux's only (O_TMPFILE): elsewhere spools are named.
func createUnnamed(string) (*os.File, bool) { return nil, false }
