//go:build !linux

package storage

import "os"

// fdName: no name of an open file itself outside Linux; files are linked
// by their names.
func fdName(*os.File) string { return "" }

// linkFollow is os.Link.
func linkFollow(oldname, newname string) error { return os.Link(oldname, newname) }
