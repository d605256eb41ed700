//go:build unix

package app

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
)

// lockDataDir takes the embedded server's exclusive lock on dir: the file
// .lock in it, flock'ed for as long as the server runs and holding its pid.
// Two servers on one SQLite file and one folder of files would each queue
// their tasks in their own in-process Redis and step on each other's
// uploads, so a second one is refused, naming the lock and its holder. The
// kernel drops the lock when the process ends, however it ends: a stale
// file never blocks a start. release unlocks it.
func lockDataDir(dir string) (release func() error, err error) {
	path := filepath.Join(dir, ".lock")
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("SCOOPA_DATA_DIR %q: lock file: %w", dir, err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		b, _ := os.ReadFile(path)
		f.Close()
		if !errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, fmt.Errorf("SCOOPA_DATA_DIR %q: lock %s: %w", dir, path, err)
		}
		holder := "another process"
		if pid, err := strconv.Atoi(strings.TrimSpace(string(b))); err == nil && pid > 0 {
			holder = "pid " + strconv.Itoa(pid)
		}
		return nil, fmt.Errorf("data dir %s is in use by another server (lock file %s held by %s)", dir, path, holder)
	}
	if err := f.Truncate(0); err == nil {
		_, err = f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0)
	}
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("SCOOPA_DATA_DIR %q: lock file: %w", dir, err)
	}
	return func() error {
		_ = f.Truncate(0)
		return f.Close() // closing the last descriptor releases the lock
	}, nil
}
