package storage

import (
	"os"
	"path/filepath"

	"golang.org/x/sys/unix"
)

// createUnnamed opens a new file in dir that has no name (O_TMPFILE): it
// is never in the directory, so making it costs no directory entry, and
// it cannot be left behind: its blocks are freed when it is closed, unless
// Local.Put linked it under a key first (linkFollow through
// /proc/self/fd). On a file system without O_TMPFILE, ok is false and the
// caller names a file instead.
func createUnnamed(dir string) (f *os.File, ok bool) {
	for {
		fd, err := unix.Open(dir, unix.O_TMPFILE|unix.O_RDWR|unix.O_CLOEXEC, 0o600)
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			return nil, false
		}
		return os.NewFile(uintptr(fd), filepath.Join(dir, "(unnamed spool)")), true
	}
}
