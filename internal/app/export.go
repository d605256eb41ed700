package app

import (
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/scoopa/webhooks/ent"
	"github.com/scoopa/webhooks/internal/calllog"
	"github.com/scoopa/webhooks/internal/problem"
	"github.com/scoopa/webhooks/internal/webhooks"
)

// exportColumns are the CSV columns of a call log export, in order; the
// NDJSON objects have the same keys.
var exportColumns = []string{"id", "createdAt", "status", "kind", "origin", "webhookId", "webhookName",
	"targetURL", "fileName", "folderName", "filter", "attemptCount", "responseStatus", "error", "completedAt"}

// exportHandler serves GET /exports/calls.csv and /exports/calls.ndjson:
// the calls that the JSON `where` parameter (a WebhookCallWhereInput)
// selects, newest first, streamed page by page. `limit` (at most maxRows,
// the default) bounds the rows. The request is authenticated before it
// gets here (graph.Authenticated); the domain authorises it like the
// webhookCalls query. Bad parameters get 400 naming the problem; when rows
// were left out by the bound, the trailer X-Export-Truncated is "true".
func exportHandler(svc *webhooks.Service, maxRows int, log *slog.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		format := strings.TrimPrefix(r.PathValue("file"), "calls.")
		if format != "csv" && format != "ndjson" {
			writeJSON(w, http.StatusNotFound, map[string]string{"error": "no such export: use /exports/calls.csv or /exports/calls.ndjson"})
			return
		}
		q := r.URL.Query()
		limit := maxRows
		if v := q.Get("limit"); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil || n < 1 || n > maxRows {
				writeJSON(w, http.StatusBadRequest, map[string]string{"error": fmt.Sprintf("limit: must be a whole number from 1 to %d (SCOOPA_EXPORT_MAX_ROWS)", maxRows)})
				return
			}
			limit = n
		}
		where, err := calllog.ParseCallFilter(q.Get("where"))
		if err != nil {
			writeJSON(w, http.StatusBadRequest, map[string]string{"error": err.Error()})
			return
		}
		rc := http.NewResponseController(w)
		var (
			started bool
			rows    int
			cw      *csv.Writer
			enc     *json.Encoder
		)
		start := func() {
			started = true
			h := w.Header()
			name := "calls-" + time.Now().UTC().Format("20060102T150405Z") + "." + format
			if format == "csv" {
				h.Set("Content-Type", "text/csv; charset=utf-8; header=present")
			} else {
				h.Set("Content-Type", "application/x-ndjson")
			}
			h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": name}))
			h.Set("Cache-Control", "private, no-store")
			h.Set("X-Content-Type-Options", "nosniff")
			h.Set("X-Export-Max-Rows", strconv.Itoa(limit))
			h.Set("Trailer", "X-Export-Truncated")
			w.WriteHeader(http.StatusOK)
			if format == "csv" {
				cw = csv.NewWriter(w)
				_ = cw.Write(exportColumns)
			} else {
				enc = json.NewEncoder(w)
			}
		}
		flush := func() error {
			if cw != nil {
				cw.Flush()
				if err := cw.Error(); err != nil {
					return err
				}
			}
			if err := rc.Flush(); err != nil && !errors.Is(err, http.ErrNotSupported) {
				return err
			}
			return nil
		}
		more, err := svc.Calls().Export(r.Context(), where, limit, func(c *ent.WebhookCall) error {
			if !started {
				start()
			}
			if cw != nil {
				if err := cw.Write(csvRecord(c)); err != nil {
					return err
				}
			} else if err := enc.Encode(exportObject(c)); err != nil {
				return err
			}
			rows++
			if rows%calllog.ExportPage == 0 {
				return flush()
			}
			return nil
		})
		if err != nil && !started {
			switch {
			case errors.Is(err, problem.ErrInvalidInput):
				writeJSON(w, http.StatusBadRequest, map[string]string{"error": err.Error()})
			case errors.Is(err, problem.ErrForbidden):
				writeJSON(w, http.StatusForbidden, map[string]string{"error": err.Error()})
			case errors.Is(err, problem.ErrUnauthenticated):
				writeJSON(w, http.StatusUnauthorized, map[string]string{"error": "a valid token is required: send Authorization: Bearer <token>"})
			default:
				log.ErrorContext(r.Context(), "call log export failed", "err", err)
				writeJSON(w, http.StatusInternalServerError, map[string]string{"error": "internal error"})
			}
			return
		}
		if err != nil {
			// Half sent: cut the connection, so that the client sees a
			// broken download rather than a short file that looks whole.
			log.WarnContext(r.Context(), "call log export stopped", "rows", rows, "err", err)
			panic(http.ErrAbortHandler)
		}
		if !started {
			start()
		}
		if err := flush(); err != nil {
			log.WarnContext(r.Context(), "call log export stopped", "rows", rows, "err", err)
			panic(http.ErrAbortHandler)
		}
		w.Header().Set("X-Export-Truncated", strconv.FormatBool(more))
	})
}

// csvSafe keeps a cell from being read as a formula by a spreadsheet: one
// that starts with = + - @ (or a tab or carriage return) gets a leading
// single quote. Quoting for commas, quotes and newlines is encoding/csv's
// (RFC 4180).
func csvSafe(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

func csvRecord(c *ent.WebhookCall) []string {
	o := exportObject(c)
	rec := make([]string, len(exportColumns))
	for i, col := range exportColumns {
		switch v := o[col].(type) {
		case nil:
		case string:
			rec[i] = csvSafe(v)
		case int:
			rec[i] = strconv.Itoa(v)
		case *int:
			if v != nil {
				rec[i] = strconv.Itoa(*v)
			}
		case *string:
			if v != nil {
				rec[i] = csvSafe(*v)
			}
		default:
			rec[i] = csvSafe(fmt.Sprint(v))
		}
	}
	return rec
}

// exportObject is a call as one export row, under the columns' names.
func exportObject(c *ent.WebhookCall) map[string]any {
	var origin, completed *string
	if c.Origin != nil {
		s := c.Origin.String()
		origin = &s
	}
	if c.CompletedAt != nil {
		s := c.CompletedAt.UTC().Format(time.RFC3339Nano)
		completed = &s
	}
	return map[string]any{
		"id": c.ID, "createdAt": c.CreatedAt.UTC().Format(time.RFC3339Nano), "status": c.Status.String(),
		"kind": c.Kind.String(), "origin": origin, "webhookId": c.WebhookID, "webhookName": c.WebhookName,
		"targetURL": c.TargetURL, "fileName": c.FileName, "folderName": c.FolderName, "filter": c.Filter,
		"attemptCount": c.AttemptCount, "responseStatus": c.ResponseStatus, "error": c.Error, "completedAt": completed,
	}
}
