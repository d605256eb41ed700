package main

import (
	"bytes"
	"fmt"
	"os"
	"time"

	"golang.org/x/sys/unix"
)

// files stores n blobs of 1 KiB under dir as internal/storage's Local does
// on Linux (an unnamed file in tmp/, written, linked under files/), then
// removes them, and prints the CPU of each half per blob: what the
// server's kernel spends on the file of one upload.
func files(dir string, n int) error {
	tmp, blobs := dir+"/tmp", dir+"/files"
	for _, d := range []string{tmp, blobs} {
		if err := os.MkdirAll(d, 0o750); err != nil {
			return err
		}
	}
	body := bytes.Repeat([]byte("x"), 1024)
	start := cpu()
	for i := range n {
		fd, err := unix.Open(tmp, unix.O_TMPFILE|unix.O_RDWR|unix.O_CLOEXEC, 0o600)
		if err != nil {
			return fmt.Errorf("O_TMPFILE in %s: %w", tmp, err)
		}
		if _, err := unix.Write(fd, body); err != nil {
			return err
		}
		if err := unix.Linkat(unix.AT_FDCWD, fmt.Sprintf("/proc/self/fd/%d", fd), unix.AT_FDCWD, fmt.Sprintf("%s/floor-%d", blobs, i), unix.AT_SYMLINK_FOLLOW); err != nil {
			return err
		}
		unix.Close(fd)
	}
	stored := cpu()
	for i := range n {
		if err := os.Remove(fmt.Sprintf("%s/floor-%d", blobs, i)); err != nil {
			return err
		}
	}
	removed := cpu()
	fmt.Printf("%d blobs of 1 KiB under %s: %.3f ms of CPU per blob stored, %.3f ms per blob removed\n",
		n, dir, float64(stored-start)/float64(time.Millisecond)/float64(n), float64(removed-stored)/float64(time.Millisecond)/float64(n))
	return nil
}
