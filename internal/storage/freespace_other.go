//go:build !unix

package storage

// FreeSpace returns -1: the free space cannot be known here.
func FreeSpace(string) (int64, error) { return -1, nil }
