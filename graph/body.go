package graph

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"mime/multipart"
	"net/http"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/scoopa/webhooks/internal/auth"
	"github.com/scoopa/webhooks/internal/calllog"
	"github.com/scoopa/webhooks/internal/guard"
	"github.com/scoopa/webhooks/internal/storage"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// Request bodies: what happens before gqlgen sees one.
//
//  1. authenticate has found the principal from the headers alone.
//  2. limitBody reads a JSON body, at most Options.MaxRequestBytes of it
//     (413 beyond, without reading further), checks that it is a GraphQL
//     request and that its variables are within inputLimits (400 with the
//     reason otherwise), and hands gqlgen the bytes it read.
//  3. A multipart upload goes to uploadTransport, which reads the small
//     operations and map parts, refuses files from anyone but an admin
//     before reading them, then streams each file to a temporary file
//     (never to memory), hashing it on the way, with a read deadline that
//     moves as bytes arrive, and removes the files when the request ends.
//     The local blob store takes such a file as the blob (a hard link)
//     rather than writing its bytes again (storage.Spooled).

// MaxListItems bounds every list in a request's input: larger lists are
// refused with BAD_USER_INPUT before anything is resolved.
const MaxListItems = 1000

// MaxInputDepth bounds how deep any input value nests (objects and lists):
// deep enough for a filter at calllog.MaxFilterDepth with a list at each
// level. Deeper values are refused while the request body is checked,
// before gqlgen coerces them and before any filter is measured.
const MaxInputDepth = 2*calllog.MaxFilterDepth + 2

// limitBody bounds and checks request bodies other than multipart uploads.
func limitBody(o Options, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost || r.Header.Get("Upgrade") != "" {
			next.ServeHTTP(w, r)
			return
		}
		mediaType, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
		if mediaType == "multipart/form-data" {
			next.ServeHTTP(w, r)
			return
		}
		tooLarge := fmt.Sprintf("the request body is larger than the limit of %d bytes (SCOOPA_MAX_REQUEST_BYTES)", o.MaxRequestBytes)
		if r.ContentLength > o.MaxRequestBytes {
			refuse(w, r, http.StatusRequestEntityTooLarge, tooLarge, "REQUEST_TOO_LARGE")
			return
		}
		body, err := io.ReadAll(io.LimitReader(r.Body, o.MaxRequestBytes+1))
		if err != nil {
			readFailed(w, r, err)
			return
		}
		if int64(len(body)) > o.MaxRequestBytes {
			refuse(w, r, http.StatusRequestEntityTooLarge, tooLarge, "REQUEST_TOO_LARGE")
			return
		}
		if mediaType == "application/json" {
			if err := checkJSONRequest(body); err != nil {
				writeGraphQLError(w, http.StatusBadRequest, err.Error(), errCode(err))
				return
			}
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		r.ContentLength = int64(len(body))
		next.ServeHTTP(w, r)
	})
}

// refuse answers before the body was read, and closes the connection so
// that the server does not read the rest of it either.
func refuse(w http.ResponseWriter, r *http.Request, status int, msg, code string) {
	if r.ContentLength != 0 {
		w.Header().Set("Connection", "close")
	}
	writeGraphQLError(w, status, msg, code)
}

// readFailed answers a body that could not be read: too slow, or cut off.
func readFailed(w http.ResponseWriter, r *http.Request, err error) {
	var tooLarge *http.MaxBytesError
	switch {
	case guard.IsTimeout(err):
		refuse(w, r, http.StatusRequestTimeout, "the request body did not arrive in time (SCOOPA_READ_TIMEOUT)", "REQUEST_TIMEOUT")
	case errors.As(err, &tooLarge):
		refuse(w, r, http.StatusRequestEntityTooLarge, fmt.Sprintf("the request body is larger than the limit of %d bytes", tooLarge.Limit), "REQUEST_TOO_LARGE")
	default:
		refuse(w, r, http.StatusBadRequest, "the request body could not be read", "BAD_REQUEST")
	}
}

// requestError is a request refused before it reaches GraphQL.
type requestError struct{ msg, code string }

func (e *requestError) Error() string { return e.msg }

func badRequest(format string, args ...any) error {
	return &requestError{fmt.Sprintf(format, args...), "BAD_REQUEST"}
}

func badInput(format string, args ...any) error {
	return &requestError{fmt.Sprintf(format, args...), "BAD_USER_INPUT"}
}

func errCode(err error) string {
	var re *requestError
	if errors.As(err, &re) {
		return re.code
	}
	return "BAD_REQUEST"
}

// checkJSONRequest checks that body is a GraphQL request,
// {"query": "...", "operationName": "...", "variables": {...}}, and that
// its variables are within the input limits.
func checkJSONRequest(body []byte) error {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return badRequest("the request body is not valid JSON: %v", err)
	}
	if dec.More() {
		return badRequest("the request body is not valid JSON: more than one value")
	}
	req, ok := v.(map[string]any)
	if !ok {
		return badRequest(`the request body must be a JSON object such as {"query": "{ viewer { role } }"} (batches are not served)`)
	}
	return checkParams(req)
}

// checkParams checks the members of a GraphQL request (decoded JSON).
func checkParams(req map[string]any) error {
	for name, want := range map[string]string{"query": "string", "operationName": "string", "variables": "object", "extensions": "object"} {
		v, ok := req[name]
		if !ok || v == nil {
			continue
		}
		switch v.(type) {
		case string:
			if want == "string" {
				continue
			}
		case map[string]any:
			if want == "object" {
				continue
			}
		}
		return badRequest("%s must be a%s %s", name, map[bool]string{true: "n", false: ""}[want == "object"], want)
	}
	if vars, ok := req["variables"].(map[string]any); ok {
		for name, v := range vars {
			if err := checkInput("variables."+name, v, false, 0); err != nil {
				return err
			}
		}
	}
	return nil
}

// checkInput refuses lists longer than MaxListItems anywhere in an input
// value, values nested deeper than MaxInputDepth (depth is v's) and, if
// nul, text holding NUL characters (which no database column stores).
func checkInput(path string, v any, nul bool, depth int) error {
	switch v.(type) {
	case []any, map[string]any:
		if depth++; depth > MaxInputDepth {
			return badInput("%s: the input nests more than %d levels deep; the limit is %d levels (a filter may nest %d levels of not, and, or, has…With)",
				path, MaxInputDepth, MaxInputDepth, calllog.MaxFilterDepth)
		}
	}
	switch v := v.(type) {
	case string:
		if nul && strings.IndexByte(v, 0) >= 0 {
			return badInput("%s: text must not contain NUL characters", path)
		}
	case []any:
		if len(v) > MaxListItems {
			return badInput("%s: a list of %d items; at most %d are accepted", path, len(v), MaxListItems)
		}
		for i, e := range v {
			if err := checkInput(fmt.Sprintf("%s[%d]", path, i), e, nul, depth); err != nil {
				return err
			}
		}
	case map[string]any:
		for k, e := range v {
			if err := checkInput(path+"."+k, e, nul, depth); err != nil {
				return err
			}
		}
	}
	return nil
}

// inputLimits applies checkInput to every operation, whatever its
// transport: to its variables and to the values written in the query. Text
// with NUL characters is refused here in queries and subscriptions (their
// filters); the inputs of mutations are validated by the domain, whose
// errors name the field.
type inputLimits struct{}

var _ interface {
	graphql.HandlerExtension
	graphql.OperationContextMutator
} = inputLimits{}

func (inputLimits) ExtensionName() string                   { return "InputLimits" }
func (inputLimits) Validate(graphql.ExecutableSchema) error { return nil }

func (inputLimits) MutateOperationContext(ctx context.Context, oc *graphql.OperationContext) *gqlerror.Error {
	if oc.Operation == nil {
		return nil
	}
	nul := oc.Operation.Operation != ast.Mutation
	err := func() error {
		for name, v := range oc.Variables {
			if err := checkInput("variables."+name, v, nul, 0); err != nil {
				return err
			}
		}
		if err := checkSelections(oc.Operation.SelectionSet, oc.Doc.Fragments, oc.Variables, nul, 0); err != nil {
			return err
		}
		return nil
	}()
	if err == nil {
		return nil
	}
	return &gqlerror.Error{Message: err.Error(), Extensions: map[string]any{"code": errCode(err)}}
}

func checkSelections(set ast.SelectionSet, frags ast.FragmentDefinitionList, vars map[string]any, nul bool, depth int) error {
	if depth > 64 { // fragment cycles are refused by validation; stay bounded anyway
		return nil
	}
	for _, sel := range set {
		var err error
		switch s := sel.(type) {
		case *ast.Field:
			for _, a := range s.Arguments {
				if err := checkLiteral(s.Name+"("+a.Name+")", a.Value, nul); err != nil {
					return err
				}
			}
			if err := checkFilters(s, vars); err != nil {
				return err
			}
			err = checkSelections(s.SelectionSet, frags, vars, nul, depth+1)
		case *ast.InlineFragment:
			err = checkSelections(s.SelectionSet, frags, vars, nul, depth+1)
		case *ast.FragmentSpread:
			if f := frags.ForName(s.Name); f != nil {
				err = checkSelections(f.SelectionSet, frags, vars, nul, depth+1)
			}
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// checkFilters applies calllog.CheckFilter (depth and lists; the cost is
// costLimit's) to every filter argument of f (of a type *WhereInput),
// whether written in the query or given in variables: the export measures
// its filter with the same function.
func checkFilters(f *ast.Field, vars map[string]any) error {
	if f.Definition == nil {
		return nil
	}
	var args map[string]any
	for _, def := range f.Definition.Arguments {
		if def.Type == nil || !strings.HasSuffix(def.Type.Name(), "WhereInput") {
			continue
		}
		if args == nil {
			args = f.ArgumentMap(vars)
		}
		if err := calllog.CheckFilter(f.Name+"("+def.Name+")", args[def.Name], 0); err != nil {
			return badInput("%v", err)
		}
	}
	return nil
}

func checkLiteral(path string, v *ast.Value, nul bool) error {
	if v == nil {
		return nil
	}
	switch v.Kind {
	case ast.StringValue, ast.BlockValue:
		if nul && strings.IndexByte(v.Raw, 0) >= 0 {
			return badInput("%s: text must not contain NUL characters", path)
		}
	case ast.ListValue:
		if len(v.Children) > MaxListItems {
			return badInput("%s: a list of %d items; at most %d are accepted", path, len(v.Children), MaxListItems)
		}
	}
	for _, c := range v.Children {
		p := path
		if c.Name != "" {
			p += "." + c.Name
		}
		if err := checkLiteral(p, c.Value, nul); err != nil {
			return err
		}
	}
	return nil
}

// errMutationsNeedAdmin refuses mutations, and so uploads, to non-admins.
var errMutationsNeedAdmin = errors.New("mutations need an ADMIN token")

// uploadTransport serves the GraphQL multipart request spec
// (https://github.com/jaydenseric/graphql-multipart-request-spec) with
// every file streamed to a temporary file in dir (the blob store's temp
// area, so that the local store can link it under files/), and handed to
// the resolvers as a *storage.SpoolReader.
type uploadTransport struct {
	maxRequestBytes int64 // operations and map parts
	maxUploadBytes  int64 // all files of a request together
	dir             string
	log             *slog.Logger
}

var _ graphql.Transport = uploadTransport{}

func (uploadTransport) Supports(r *http.Request) bool {
	mediaType, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	return r.Method == http.MethodPost && r.Header.Get("Upgrade") == "" && mediaType == "multipart/form-data"
}

// maxFiles bounds the files of one request.
const maxFiles = 10

func (t uploadTransport) Do(w http.ResponseWriter, r *http.Request, exec graphql.GraphExecutor) {
	ctx := r.Context()
	start := graphql.Now()
	tooLarge := fmt.Sprintf("file is larger than the limit of %d bytes (SCOOPA_MAX_UPLOAD_BYTES, for all files of a request)", t.maxUploadBytes)
	if r.ContentLength > t.maxUploadBytes+2*t.maxRequestBytes+64<<10 { // files, operations, map, part headers
		refuse(w, r, http.StatusRequestEntityTooLarge, tooLarge, "REQUEST_TOO_LARGE")
		return
	}
	mr, err := r.MultipartReader()
	if err != nil {
		refuse(w, r, http.StatusBadRequest, "the body is not multipart/form-data: "+err.Error(), "BAD_REQUEST")
		return
	}
	var params graphql.RawParams
	var ops map[string]any
	if err := t.readJSONPart(mr, "operations", &ops); err != nil {
		t.fail(w, r, err)
		return
	}
	if err := checkParams(ops); err != nil {
		t.fail(w, r, err)
		return
	}
	b, _ := json.Marshal(ops)
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	if err := d.Decode(&params); err != nil {
		t.fail(w, r, badRequest("operations: %v", err))
		return
	}
	uploads := map[string][]string{}
	if err := t.readJSONPart(mr, "map", &uploads); err != nil {
		t.fail(w, r, err)
		return
	}
	if len(uploads) > maxFiles {
		t.fail(w, r, badRequest("map: %d files; at most %d are accepted", len(uploads), maxFiles))
		return
	}
	if len(uploads) > 0 && !auth.PrincipalFrom(ctx).IsAdmin() {
		// Files are arguments of mutations only: refuse them unread.
		refuse(w, r, http.StatusForbidden, errMutationsNeedAdmin.Error(), "FORBIDDEN")
		return
	}
	guard.Stream(r)
	var spools []*storage.SpoolFile
	var readers []*storage.SpoolReader
	defer func() {
		for _, rf := range readers {
			rf.Close()
		}
		for _, sf := range spools {
			sf.Remove()
		}
	}()
	left := t.maxUploadBytes // for the files still to come
	for len(uploads) > 0 {
		part, err := mr.NextPart()
		if err == io.EOF {
			break
		} else if err != nil {
			t.fail(w, r, err)
			return
		}
		key := part.FormName()
		paths, ok := uploads[key]
		if !ok || len(paths) == 0 {
			t.fail(w, r, badRequest("part %q is not in the map", key))
			return
		}
		delete(uploads, key)
		src := &readErr{r: io.LimitReader(part, left+1)}
		sf, err := storage.Spool(t.dir, "request-*", src)
		if src.err != nil {
			t.fail(w, r, src.err)
			return
		} else if err != nil {
			t.internal(w, r, fmt.Errorf("upload: temporary file: %w", err))
			return
		}
		spools = append(spools, sf)
		size := sf.Size()
		if left -= size; left < 0 {
			e := &gqlerror.Error{Message: tooLarge,
				Extensions: map[string]any{"code": "BAD_USER_INPUT", "field": "file"}}
			w.Header().Set("Connection", "close")
			writeResponse(w, http.StatusOK, &graphql.Response{Errors: gqlerror.List{e}})
			return
		}
		for _, p := range paths {
			rf, err := sf.Open() // one reader per use
			if err != nil {
				t.internal(w, r, fmt.Errorf("upload: temporary file: %w", err))
				return
			}
			readers = append(readers, rf)
			up := graphql.Upload{File: rf, Size: size, Filename: part.FileName(), ContentType: part.Header.Get("Content-Type")}
			if gerr := params.AddUpload(up, key, p); gerr != nil {
				writeResponse(w, http.StatusBadRequest, &graphql.Response{Errors: gqlerror.List{gerr}})
				return
			}
		}
	}
	for key := range uploads {
		t.fail(w, r, badRequest("file %q of the map is missing", key))
		return
	}
	// Read the closing boundary and the end of the body, which lifts the
	// body's read deadline while the operation runs.
	if part, err := mr.NextPart(); err == nil {
		t.fail(w, r, badRequest("part %q is not in the map", part.FormName()))
		return
	} else if err != io.EOF {
		t.fail(w, r, err)
		return
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(r.Body, 64<<10))
	params.Headers = r.Header
	params.ReadTime = graphql.TraceTiming{Start: start, End: graphql.Now()}
	rc, gerr := exec.CreateOperationContext(ctx, &params)
	if gerr != nil {
		resp := exec.DispatchError(graphql.WithOperationContext(ctx, rc), gerr)
		writeResponse(w, http.StatusUnprocessableEntity, resp)
		return
	}
	responses, ctx := exec.DispatchOperation(ctx, rc)
	writeResponse(w, http.StatusOK, responses(ctx))
}

// readJSONPart reads the next part, which must be name, as JSON of at most
// maxRequestBytes.
func (t uploadTransport) readJSONPart(mr *multipart.Reader, name string, v any) error {
	part, err := mr.NextPart()
	if err != nil {
		if err == io.EOF {
			return badRequest("the %s part is missing", name)
		}
		return err
	}
	if part.FormName() != name {
		return badRequest("the %s part must come first (got %q)", name, part.FormName())
	}
	b, err := io.ReadAll(io.LimitReader(part, t.maxRequestBytes+1))
	if err != nil {
		return err
	}
	if int64(len(b)) > t.maxRequestBytes {
		return &requestError{fmt.Sprintf("the %s part is larger than the limit of %d bytes (SCOOPA_MAX_REQUEST_BYTES)", name, t.maxRequestBytes), "REQUEST_TOO_LARGE"}
	}
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	if err := d.Decode(v); err != nil {
		return badRequest("the %s part is not valid JSON of the right shape: %v", name, err)
	}
	return nil
}

// fail answers a request whose body could not be used.
func (t uploadTransport) fail(w http.ResponseWriter, r *http.Request, err error) {
	var re *requestError
	switch {
	case errors.As(err, &re) && re.code == "REQUEST_TOO_LARGE":
		refuse(w, r, http.StatusRequestEntityTooLarge, re.msg, re.code)
	case errors.As(err, &re):
		refuse(w, r, http.StatusBadRequest, re.msg, re.code)
	default:
		readFailed(w, r, err)
	}
}

// internal logs err and answers "internal error".
func (t uploadTransport) internal(w http.ResponseWriter, r *http.Request, err error) {
	if refuseOutage(w, r, t.log, "upload failed", err) {
		return
	}
	t.log.ErrorContext(r.Context(), "upload failed", "err", err)
	refuse(w, r, http.StatusInternalServerError, "internal error", "INTERNAL_SERVER_ERROR")
}

// readErr keeps the error of reading the request, to tell it from an
// error of writing the temporary file.
type readErr struct {
	r   io.Reader
	err error
}

func (e *readErr) Read(p []byte) (int, error) {
	n, err := e.r.Read(p)
	if err != nil && err != io.EOF {
		e.err = err
	}
	return n, err
}

func writeResponse(w http.ResponseWriter, status int, resp *graphql.Response) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(resp)
}
