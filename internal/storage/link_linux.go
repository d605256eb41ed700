package storage

import (
	"os"
	"strconv"

	"golang.org/x/sys/unix"
)

// fdName is a name of the open file f itself, whatever names it has in
// its directory: its descriptor under /proc/self/fd, a link to it that
// linkFollow follows.
func fdName(f *os.File) string {
	rc, err := f.SyscallConn()
	if err != nil {
		return ""
	}
	name := ""
	rc.Control(func(fd uintptr) { name = "/proc/self/fd/" + strconv.FormatUint(uint64(fd), 10) })
	return name
}

// linkFollow is os.Link, except that it follows oldname if that is a
// symbolic link (as /proc/self/fd/N is): the new name is then the file's
// it leads to.
func linkFollow(oldname, newname string) error {
	if err := unix.Linkat(unix.AT_FDCWD, oldname, unix.AT_FDCWD, newname, unix.AT_SYMLINK_FOLLOW); err != nil {
		return &os.LinkError{Op: "link", Old: oldname, New: newname, Err: err}
	}
	return nil
}
