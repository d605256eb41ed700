//go:build !unix

package app

// lockDataDir does nothing where flock(2) is missing: two embedded servers
// on one data dir are not detected there.
func lockDataDir(string) (func() error, error) { return func() error { return nil }, nil }
