package calllog

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/scoopa/webhooks/ent"
	"github.com/scoopa/webhooks/ent/webhookcall"
	"github.com/scoopa/webhooks/internal/auth"
	"github.com/scoopa/webhooks/internal/problem"
	"github.com/scoopa/webhooks/internal/secrets"
)

// ExportPage is how many calls an export reads from the database at a time:
// what it holds in memory, whatever the number of calls it writes.
const ExportPage = 500

// DefaultExportMaxRows bounds the calls one export writes when no other
// bound is configured (SCOOPA_EXPORT_MAX_ROWS).
const DefaultExportMaxRows = 1_000_000

// ParseCallFilter reads a webhookCalls where input written as JSON (the
// GraphQL input object's field names and enum values), as the export takes
// it in its query string. An empty string is no filter. Unknown fields,
// values of the wrong type and unknown enum values are problem.InputErrors naming
// the field "where" and the problem; so is a filter beyond the limits of
// CheckFilter (maxCost: the most its conditions may cost; 0 is
// DefaultMaxFilterCost) or longer than MaxFilterBytes, refused before
// anything else is made of it.
func ParseCallFilter(raw string, maxCost int) (*ent.WebhookCallWhereInput, error) {
	return ParseCallFilterAt(raw, maxCost, time.Now())
}

// ParseCallFilterAt is ParseCallFilter at time now: the time the relative
// filters (notFetchedFor) count back from.
func ParseCallFilterAt(raw string, maxCost int, now time.Time) (*ent.WebhookCallWhereInput, error) {
	if strings.TrimSpace(raw) == "" {
		return nil, nil
	}
	if maxCost <= 0 {
		maxCost = DefaultMaxFilterCost
	}
	size := len(raw)
	// GraphQL IDs are strings in JSON ("42"): take those of the integer
	// fields as numbers, as the GraphQL endpoint does.
	var generic any
	var notFetched []notFetchedFilter
	gd := json.NewDecoder(strings.NewReader(raw))
	gd.UseNumber()
	if gd.Decode(&generic) == nil {
		// Measured on the generic value (cheap, whatever the nesting),
		// before anything else is made of it.
		if err := CheckFilter("where", generic, maxCost); err != nil {
			return nil, err
		}
		notFetched = takeNotFetched(generic, nil)
		if b, err := json.Marshal(idsAsNumbers(generic, reflect.TypeOf(ent.WebhookCallWhereInput{}))); err == nil {
			raw = string(b)
		}
	}
	if size > MaxFilterBytes {
		return nil, problem.Invalid("where", "%d bytes; the limit is %d bytes", size, MaxFilterBytes)
	}
	dec := json.NewDecoder(strings.NewReader(raw))
	dec.DisallowUnknownFields()
	var w ent.WebhookCallWhereInput
	if err := dec.Decode(&w); err != nil {
		var syn *json.SyntaxError
		var typ *json.UnmarshalTypeError
		switch {
		case errors.Is(err, io.ErrUnexpectedEOF):
			return nil, problem.Invalid("where", "not valid JSON: it ends before the object does")
		case errors.As(err, &syn):
			return nil, problem.Invalid("where", "not valid JSON at byte %d: %v", syn.Offset, err)
		case errors.As(err, &typ):
			return nil, problem.Invalid("where", "field %q must be %s, not a JSON %s", typ.Field, typ.Type, typ.Value)
		default:
			// DisallowUnknownFields: `json: unknown field "x"`.
			return nil, problem.Invalid("where", "%s (use the fields of WebhookCallWhereInput, as in the GraphQL schema)", strings.TrimPrefix(err.Error(), "json: "))
		}
	}
	if dec.More() {
		return nil, problem.Invalid("where", "must be one JSON object")
	}
	if bytes.HasPrefix(bytes.TrimSpace([]byte(raw)), []byte("null")) {
		return nil, nil
	}
	if err := checkEnums(reflect.ValueOf(&w), "where"); err != nil {
		return nil, err
	}
	if err := applyNotFetched(&w, notFetched, now); err != nil {
		return nil, err
	}
	if _, err := w.P(); err != nil && !errors.Is(err, ent.ErrEmptyWebhookCallWhereInput) {
		return nil, problem.Invalid("where", "%v", err)
	}
	return &w, nil
}

// idsAsNumbers turns the strings of digits that v (decoded JSON) gives to
// integer fields of t into numbers.
func idsAsNumbers(v any, t reflect.Type) any {
	for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice {
		t = t.Elem()
	}
	switch v := v.(type) {
	case []any:
		for i := range v {
			v[i] = idsAsNumbers(v[i], t)
		}
	case map[string]any:
		if t.Kind() != reflect.Struct {
			return v
		}
		for i := range t.NumField() {
			name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
			if x, ok := v[name]; ok && name != "" && name != "-" {
				v[name] = idsAsNumbers(x, t.Field(i).Type)
			}
		}
	case string:
		if t.Kind() == reflect.Int {
			if _, err := strconv.Atoi(v); err == nil {
				return json.Number(v)
			}
		}
	}
	return v
}

// gqlEnum is what entgql's enums implement: UnmarshalGQL refuses an
// unknown value.
type gqlEnum interface{ UnmarshalGQL(any) error }

// checkEnums refuses enum values (status, kind, origin …) that the GraphQL
// schema would refuse, in v and the where inputs nested in it.
func checkEnums(v reflect.Value, path string) error {
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() {
			return nil
		}
		if e, ok := v.Interface().(gqlEnum); ok && v.Elem().Kind() == reflect.String {
			if err := e.UnmarshalGQL(v.Elem().String()); err != nil {
				return problem.Invalid("where", "%s: %v", path, err)
			}
			return nil
		}
		return checkEnums(v.Elem(), path)
	case reflect.Slice:
		for i := range v.Len() {
			if err := checkEnums(v.Index(i).Addr(), fmt.Sprintf("%s[%d]", path, i)); err != nil {
				return err
			}
		}
	case reflect.Struct:
		for i := range v.NumField() {
			f := v.Type().Field(i)
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if !f.IsExported() || name == "" || name == "-" {
				continue
			}
			fv := v.Field(i)
			if fv.Kind() == reflect.String && fv.CanAddr() {
				fv = fv.Addr()
			}
			if err := checkEnums(fv, path+"."+name); err != nil {
				return err
			}
		}
	}
	return nil
}

// CheckURLFilter refuses filters on URLs to non-admins: since they see
// URLs' query values masked, such filters would tell them the values
// letter by letter. where is a *ent.XWhereInput.
func CheckURLFilter(ctx context.Context, where any) error {
	if auth.PrincipalFrom(ctx).IsAdmin() || !filtersURL(reflect.ValueOf(where)) {
		return nil
	}
	return fmt.Errorf("filters on url and targetURL need an ADMIN token: %w", problem.ErrForbidden)
}

// filtersURL reports whether a where input, or one nested in it (not, and,
// or, hasWebhookWith), sets a URL predicate.
func filtersURL(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.Pointer:
		return !v.IsNil() && filtersURL(v.Elem())
	case reflect.Slice:
		for i := range v.Len() {
			if filtersURL(v.Index(i)) {
				return true
			}
		}
	case reflect.Struct:
		for i := range v.NumField() {
			f := v.Type().Field(i)
			if !f.IsExported() {
				continue
			}
			if strings.HasPrefix(f.Name, "URL") || strings.HasPrefix(f.Name, "TargetURL") {
				if !v.Field(i).IsZero() {
					return true
				}
				continue
			}
			if strings.HasSuffix(strings.TrimLeft(f.Type.String(), "[]*"), "WhereInput") && filtersURL(v.Field(i)) {
				return true
			}
		}
	}
	return false
}

// Export hands emit the calls that where selects (nil: all), newest
// first (by ID), at most max of them, reading them ExportPage at a time by
// keyset (id < the last one sent) so that memory stays bounded however
// many there are. It is authorised like the webhookCalls query: any
// signed-in principal; filters on URLs need an admin, and non-admins get
// target URLs masked. more reports whether calls beyond max were left out.
// An error of emit stops the export and is returned.
func (s *Reader) Export(ctx context.Context, where *ent.WebhookCallWhereInput, max int, emit func(*ent.WebhookCall) error) (more bool, err error) {
	return s.ExportWith(ctx, where, ExportOptions{Max: max}, emit)
}

// ExportOptions bound one export as a whole.
type ExportOptions struct {
	// Max bounds the calls written. If zero, DefaultExportMaxRows.
	Max int
	// BeforePage, if not nil, is called before each page is read but the
	// first (to count the export's pages against the caller's rate limit,
	// or to stop it in time); its error stops the export and is returned.
	BeforePage func(ctx context.Context) error
}

// ExportWith is Export with the bounds of o.
func (s *Reader) ExportWith(ctx context.Context, where *ent.WebhookCallWhereInput, o ExportOptions, emit func(*ent.WebhookCall) error) (more bool, err error) {
	if auth.PrincipalFrom(ctx) == nil {
		return false, fmt.Errorf("export calls: %w", problem.ErrUnauthenticated)
	}
	if err := CheckURLFilter(ctx, where); err != nil {
		return false, err
	}
	auth.ScopeFilter(ctx, where)
	max := o.Max
	if max <= 0 {
		max = DefaultExportMaxRows
	}
	admin := auth.PrincipalFrom(ctx).IsAdmin()
	page := ExportPage
	if s.exportPage > 0 {
		page = s.exportPage
	}
	sent, last := 0, 0
	for {
		if last > 0 && o.BeforePage != nil {
			if err := o.BeforePage(ctx); err != nil {
				return false, err
			}
		}
		q := s.db.WebhookCall.Query()
		if where != nil {
			if q, err = where.Filter(q); err != nil {
				return false, problem.Invalid("where", "%v", err)
			}
		}
		if last > 0 {
			q = q.Where(webhookcall.IDLT(last))
		}
		n := min(page, max-sent+1) // one more than max tells whether there is more
		calls, err := q.Order(ent.Desc(webhookcall.FieldID)).Limit(n).All(ctx)
		if err != nil {
			return false, fmt.Errorf("export calls: %w", err)
		}
		for _, c := range calls {
			if sent == max {
				return true, nil
			}
			if !admin {
				c.TargetURL = secrets.MaskURL(c.TargetURL)
			}
			if err := emit(c); err != nil {
				return false, err
			}
			sent++
			last = c.ID
		}
		if len(calls) < n {
			return false, nil
		}
	}
}
