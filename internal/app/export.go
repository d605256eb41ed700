package app

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/scoopa/webhooks/ent"
	"github.com/scoopa/webhooks/graph"
	"github.com/scoopa/webhooks/internal/auth"
	"github.com/scoopa/webhooks/internal/calllog"
	"github.com/scoopa/webhooks/internal/guard"
	"github.com/scoopa/webhooks/internal/limits"
	"github.com/scoopa/webhooks/internal/problem"
	"github.com/scoopa/webhooks/internal/webhooks"
)

// exportColumns are the CSV columns of a call log export, in order; the
// NDJSON objects have the same keys, named as the GraphQL fields of
// WebhookCall (fetch's flattened: fetch.firstAt is fetchFirstAt). New
// columns go at the end, so that what reads the columns by position keeps
// working. test marks the test deliveries (sendTestFile), which are no part
// of the webhook's own calls; filters are the media filters the call was
// made with; the fetch columns count the downloads through the call's link
// (fetchCount 0 and the others empty while it has none).
var exportColumns = []string{"id", "createdAt", "status", "kind", "origin", "webhookId", "webhookName",
	"targetURL", "fileName", "folderName", "filter", "attemptCount", "responseStatus", "error", "completedAt", "test",
	"filters", "fetchFirstAt", "fetchCount", "fetchBytes", "fetchLastComplete"}

// exportLimits bound one export of the call log as a whole.
type exportLimits struct {
	// maxRows bounds the calls written (SCOOPA_EXPORT_MAX_ROWS).
	maxRows int
	// timeout bounds the whole export (SCOOPA_EXPORT_TIMEOUT); if zero,
	// DefaultExportTimeout.
	timeout time.Duration
	// maxFilterCost bounds the cost of the filter, as the complexity limit
	// bounds a GraphQL operation; if zero, calllog.DefaultMaxFilterCost.
	maxFilterCost int
	// limiter, if not nil, is the API's rate limit (SCOOPA_RATE_LIMIT):
	// each page after the first counts as one more request of the token.
	limiter graph.RateLimiter
}

// DefaultExportTimeout bounds one export of the call log when
// SCOOPA_EXPORT_TIMEOUT is not set.
const DefaultExportTimeout = 5 * time.Minute

// exportWriteGrace is how long after its deadline an export may still
// take to write what it has (its last rows and trailers) to a slow client.
const exportWriteGrace = 10 * time.Second

// exportStopped ends an export early, at one of its bounds; why names the
// bound (sent as the trailer X-Export-Stopped).
type exportStopped struct{ why string }

func (e *exportStopped) Error() string { return "export stopped: " + e.why }

// exportHandler serves GET /exports/calls.csv and /exports/calls.ndjson:
// the calls that the JSON `where` parameter (a WebhookCallWhereInput)
// selects, newest first, streamed page by page. `limit` (at most maxRows,
// the default) bounds the rows. The request is authenticated before it
// gets here (graph.Authenticated); the domain authorises it like the
// webhookCalls query. Bad parameters get 400 naming the problem; a filter
// beyond the limits of /graphql's filters (calllog.CheckFilter) too.
//
// An export is bounded as a whole: by its rows, by lim.timeout, and by the
// caller's rate limit, against which each page after the first counts as
// a request (the export waits for the limit while it can within its time,
// and stops otherwise). When it stops at a bound, the rows sent so far end
// cleanly with the trailers X-Export-Truncated "true" and X-Export-Stopped
// naming the bound; X-Export-Truncated is "false" when nothing was left
// out. An export that could not read its first page in time gets 503.
func exportHandler(svc *webhooks.Service, lim exportLimits, log *slog.Logger) http.Handler {
	if lim.timeout <= 0 {
		lim.timeout = DefaultExportTimeout
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		format := strings.TrimPrefix(r.PathValue("file"), "calls.")
		if format != "csv" && format != "ndjson" {
			writeJSON(w, http.StatusNotFound, map[string]string{"error": "no such export: use /exports/calls.csv or /exports/calls.ndjson"})
			return
		}
		maxRows := lim.maxRows
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
		where, err := calllog.ParseCallFilterAt(q.Get("where"), lim.maxFilterCost, svc.Now())
		if err != nil {
			writeJSON(w, http.StatusBadRequest, map[string]string{"error": err.Error()})
			return
		}
		ctx, cancel := context.WithTimeout(r.Context(), lim.timeout)
		defer cancel()
		deadline, _ := ctx.Deadline()
		rc := http.NewResponseController(w)
		// A client that does not read is bounded too.
		_ = rc.SetWriteDeadline(deadline.Add(exportWriteGrace))
		var (
			started bool
			rows    int
			cw      *bufio.Writer
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
			h.Set("Trailer", "X-Export-Truncated, X-Export-Stopped")
			w.WriteHeader(http.StatusOK)
			if format == "csv" {
				cw = bufio.NewWriter(w)
				_ = writeCSVRecord(cw, exportColumns)
			} else {
				enc = json.NewEncoder(w)
			}
		}
		flush := func() error {
			if cw != nil {
				if err := cw.Flush(); err != nil {
					return err
				}
			}
			if err := rc.Flush(); err != nil && !errors.Is(err, http.ErrNotSupported) {
				return err
			}
			return nil
		}
		timedOut := fmt.Sprintf("SCOOPA_EXPORT_TIMEOUT: the export reached its time limit of %s", limits.FormatDuration(lim.timeout))
		opts := calllog.ExportOptions{Max: limit, BeforePage: func(ctx context.Context) error {
			if err := flush(); err != nil {
				return err
			}
			if err := r.Context().Err(); err != nil {
				return err // the client is gone
			}
			if ctx.Err() != nil {
				return &exportStopped{timedOut}
			}
			return paceExport(ctx, lim.limiter, deadline)
		}}
		more, err := svc.Calls().ExportWith(ctx, where, opts, func(c *ent.WebhookCall) error {
			if !started {
				start()
			}
			if cw != nil {
				if err := writeCSVRecord(cw, csvRecord(c)); err != nil {
					return err
				}
			} else if err := enc.Encode(exportObject(c)); err != nil {
				return err
			}
			rows++
			return nil
		})
		stopped := ""
		var stop *exportStopped
		switch {
		case errors.As(err, &stop):
			stopped, err = stop.why, nil
		case err != nil && ctx.Err() != nil && r.Context().Err() == nil:
			stopped, err = timedOut, nil // the statement running at the deadline was canceled
		case err == nil && more:
			stopped = fmt.Sprintf("SCOOPA_EXPORT_MAX_ROWS: the export's bound of %d rows", limit)
			if limit < maxRows {
				stopped = fmt.Sprintf("limit: the %d rows asked for", limit)
			}
		}
		if stopped == timedOut && !started {
			writeJSON(w, http.StatusServiceUnavailable, map[string]string{"error": timedOut + " before its first rows were read; narrow the filter"})
			return
		}
		if err != nil && !started {
			switch {
			case errors.Is(err, problem.ErrInvalidInput):
				writeJSON(w, http.StatusBadRequest, map[string]string{"error": err.Error()})
			case errors.Is(err, problem.ErrForbidden):
				writeJSON(w, http.StatusForbidden, map[string]string{"error": err.Error()})
			case errors.Is(err, problem.ErrUnauthenticated):
				writeJSON(w, http.StatusUnauthorized, map[string]string{"error": "a valid token is required: send Authorization: Bearer <token>"})
			case answerOutage(w, r, log, "call log export failed", err):
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
		if stopped != "" {
			log.InfoContext(r.Context(), "call log export cut short", "rows", rows, "reason", stopped)
			w.Header().Set("X-Export-Stopped", stopped)
		}
		w.Header().Set("X-Export-Truncated", strconv.FormatBool(stopped != ""))
	})
}

// paceExport counts one more page of an export against its token's rate
// limit: it waits until the limit allows it, or stops the export if that
// would take it past its deadline.
func paceExport(ctx context.Context, limiter graph.RateLimiter, deadline time.Time) error {
	if limiter == nil {
		return nil
	}
	key := strconv.Itoa(auth.PrincipalFrom(ctx).TokenID)
	for {
		ok, wait := limiter.Allow(key)
		if ok {
			return nil
		}
		if time.Until(deadline) < wait {
			return &exportStopped{fmt.Sprintf("SCOOPA_RATE_LIMIT: the token's rate limit, against which each page of %d rows counts as a request, would hold the export past SCOOPA_EXPORT_TIMEOUT; retry after %ss", calllog.ExportPage, guard.RetryAfter(wait))}
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-t.C:
		}
	}
}

// csvSafe keeps a cell from being read as a formula by a spreadsheet
// (OWASP, "CSV Injection"): one that starts with = + - @, a tab or a
// carriage return gets a leading single quote, and so does one where such
// a sign (or its full-width or small form, ＝＋－＠ ﹦﹢﹣﹫) follows leading
// whitespace or invisible characters, which spreadsheets skip. Quoting for
// commas, quotes and line breaks is writeCSVRecord's.
func csvSafe(s string) string {
	if s == "" {
		return s
	}
	if s[0] == '\t' || s[0] == '\r' {
		return "'" + s
	}
	rest := strings.TrimLeftFunc(s, func(r rune) bool { return unicode.IsSpace(r) || unicode.Is(unicode.Cf, r) })
	if r, _ := utf8.DecodeRuneInString(rest); rest != "" && strings.ContainsRune(formulaSigns, r) {
		return "'" + s
	}
	return s
}

// formulaSigns start a formula in a spreadsheet's cell.
const formulaSigns = "=+-@\uFF1D\uFF0B\uFF0D\uFF20\uFE66\uFE62\uFE63\uFE6B"

// writeCSVRecord writes one CSV record (RFC 4180) with every cell quoted,
// unlike encoding/csv, which quotes only cells holding a comma, a quote or
// a line break: a spreadsheet that splits on a semicolon or a tab (as
// Excel does in many locales) must still see one cell, not a second one
// that starts with a formula.
func writeCSVRecord(w io.Writer, rec []string) error {
	var b strings.Builder
	for i, cell := range rec {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteByte('"')
		b.WriteString(strings.ReplaceAll(cell, `"`, `""`))
		b.WriteByte('"')
	}
	b.WriteString("\r\n")
	_, err := io.WriteString(w, b.String())
	return err
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
		case int64:
			rec[i] = strconv.FormatInt(v, 10)
		case bool:
			rec[i] = strconv.FormatBool(v)
		case *int:
			if v != nil {
				rec[i] = strconv.Itoa(*v)
			}
		case *bool:
			if v != nil {
				rec[i] = strconv.FormatBool(*v)
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
	var origin, completed, fetchedFirst *string
	if c.Origin != nil {
		s := c.Origin.String()
		origin = &s
	}
	if c.CompletedAt != nil {
		s := c.CompletedAt.UTC().Format(time.RFC3339Nano)
		completed = &s
	}
	// As WebhookCall.fetch shows them (calllog.FetchOf): none until the
	// first fetch.
	fetch := calllog.Fetch{}
	if f := calllog.FetchOf(c); f != nil {
		fetch = *f
		s := f.FirstAt.UTC().Format(time.RFC3339Nano)
		fetchedFirst = &s
	}
	return map[string]any{
		"id": c.ID, "createdAt": c.CreatedAt.UTC().Format(time.RFC3339Nano), "status": c.Status.String(),
		"kind": c.Kind.String(), "origin": origin, "webhookId": c.WebhookID, "webhookName": c.WebhookName,
		"targetURL": c.TargetURL, "fileName": c.FileName, "folderName": c.FolderName, "filter": c.Filter,
		"attemptCount": c.AttemptCount, "responseStatus": c.ResponseStatus, "error": c.Error, "completedAt": completed,
		"test": c.Test, "filters": c.Filters, "fetchFirstAt": fetchedFirst, "fetchCount": fetch.Count,
		"fetchBytes": fetch.Bytes, "fetchLastComplete": fetch.LastComplete,
	}
}
