package storage

import "io"

// SetLink makes b link files with fn instead of os.Link: a test makes it
// fail as it does across file systems.
func SetLink(b *Local, fn func(oldname, newname string) error) { b.link = fn }

// SpoolNamed is Spool with a named file, as where O_TMPFILE is missing.
func SpoolNamed(dir, pattern string, r io.Reader) (*SpoolFile, error) {
	return spool(dir, pattern, r, false)
}
