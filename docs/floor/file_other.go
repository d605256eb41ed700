//go:build !linux

package main

import "errors"

// files is Linux's only: the local blob store's unnamed files are O_TMPFILE.
func files(string, int) error { return errors.New("the blob floor needs Linux (O_TMPFILE)") }
