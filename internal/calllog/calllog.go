// Package calllog reads what the API lists: the call log's filters as the
// export takes them (ParseCallFilter, and which filters only admins may
// use), the export itself (keyset pages, bounded), the per-page loads of
// the webhook list (headers, last calls, counts by status), and the search
// of folders and webhooks by name.
package calllog

import "github.com/scoopa/webhooks/ent"

// Reader reads the call log and its neighbours.
type Reader struct {
	db *ent.Client
	// exportPage, if not zero, replaces ExportPage (tests).
	exportPage int
}

// NewReader returns a reader of db.
func NewReader(db *ent.Client) *Reader { return &Reader{db: db} }

// SetExportPage makes Export read n calls at a time (tests).
func (s *Reader) SetExportPage(n int) { s.exportPage = n }
