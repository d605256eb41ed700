//go:build unix

package storage

import "syscall"

// FreeSpace returns the bytes available to the process on the file system
// of dir, or -1 where it cannot be known.
func FreeSpace(dir string) (int64, error) {
	var st syscall.Statfs_t
	if err := syscall.Statfs(dir, &st); err != nil {
		return -1, err
	}
	return int64(st.Bavail) * int64(st.Bsize), nil
}
