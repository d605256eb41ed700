package testenv

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
)

// DirectUpload is a direct upload as createUpload and uploadParts answer it.
type DirectUpload struct {
	ID            string
	State         string
	SizeBytes     int64
	PartSize      int64
	PartCount     int
	Error         *string
	ReceivedParts []struct {
		Number    int
		SizeBytes int64
	}
	Parts []PartURL
}

// PartURL is where to PUT a part.
type PartURL struct {
	Number    int
	Offset    int64
	SizeBytes int64
	URL       string
}

// DirectUploadFields are the fields of DirectUpload.
const DirectUploadFields = `id state sizeBytes partSize partCount error receivedParts { number sizeBytes } parts { number offset sizeBytes url }`

// CreateUpload sends createUpload; sha256 is left out if "".
func (s *Server) CreateUpload(t testing.TB, folderID, name, contentType string, size int64, sha256 string) (*DirectUpload, *Response) {
	t.Helper()
	vars := map[string]any{"f": folderID, "name": name, "ct": contentType, "size": size}
	if sha256 != "" {
		vars["sha"] = sha256
	}
	r := s.Do(t, `mutation($f: ID!, $name: String!, $ct: String, $size: Int!, $sha: String) {
		createUpload(folderID: $f, name: $name, contentType: $ct, size: $size, sha256: $sha) { `+DirectUploadFields+` } }`, vars)
	var out struct{ CreateUpload *DirectUpload }
	if len(r.Errors) == 0 {
		if err := json.Unmarshal(r.Data, &out); err != nil {
			t.Fatalf("createUpload: %v", err)
		}
	}
	return out.CreateUpload, r
}

// UploadParts sends uploadParts, which must succeed.
func (s *Server) UploadParts(t testing.TB, id string) *DirectUpload {
	t.Helper()
	var out struct{ UploadParts *DirectUpload }
	s.MustDo(t, `mutation($id: ID!) { uploadParts(id: $id) { `+DirectUploadFields+` } }`, map[string]any{"id": id}, &out)
	return out.UploadParts
}

// CompleteUpload sends completeUpload, asking for the file's id, name,
// sizeBytes, sha256 and callCount.
func (s *Server) CompleteUpload(t testing.TB, id string) *Response {
	t.Helper()
	return s.Do(t, `mutation($id: ID!) { completeUpload(id: $id) { id name contentType sizeBytes sha256 callCount downloadURL folder { id } } }`, map[string]any{"id": id})
}

// PutPart PUTs size bytes of body to a part URL as a browser or a platform
// would, and returns the status (0 and the error if the request failed).
func PutPart(t testing.TB, url string, body io.Reader, size int64) (int, error) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPut, url, body)
	if err != nil {
		t.Fatal(err)
	}
	req.ContentLength = size
	if size == 0 {
		req.Body = http.NoBody
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
	if resp.StatusCode != http.StatusOK {
		t.Logf("PUT part: %d %s", resp.StatusCode, strings.TrimSpace(string(b)))
	}
	return resp.StatusCode, nil
}

// UploadDirect uploads content through the direct path (createUpload, a
// PUT per part, completeUpload) and returns completeUpload's response.
func (s *Server) UploadDirect(t testing.TB, folderID, name, contentType string, content io.ReaderAt, size int64) *Response {
	t.Helper()
	u, r := s.CreateUpload(t, folderID, name, contentType, size, "")
	if u == nil {
		t.Fatalf("createUpload: %+v", r.Errors)
	}
	for _, p := range u.Parts {
		if st, err := PutPart(t, p.URL, io.NewSectionReader(content, p.Offset, p.SizeBytes), p.SizeBytes); st != http.StatusOK {
			t.Fatalf("PUT part %d: %d %v", p.Number, st, err)
		}
	}
	return s.CompleteUpload(t, u.ID)
}

// PatternFile is a file of any size whose bytes are made from their
// offset: a test reads gigabytes of it without holding them.
type PatternFile struct{}

// ReadAt fills p with the bytes at off.
func (PatternFile) ReadAt(p []byte, off int64) (int, error) {
	for i := range p {
		o := off + int64(i)
		p[i] = byte(o*31 + o>>13)
	}
	return len(p), nil
}

// UploadPartsState returns the state of an upload as uploadParts answers
// it, or the error code when it answers an error.
func (s *Server) UploadPartsState(t testing.TB, id string) string {
	t.Helper()
	r := s.Do(t, `mutation($id: ID!) { uploadParts(id: $id) { state } }`, map[string]any{"id": id})
	if len(r.Errors) > 0 {
		if strings.Contains(r.Errors[0].Message, "failed") {
			return "FAILED"
		}
		return r.Code()
	}
	var out struct{ UploadParts struct{ State string } }
	_ = json.Unmarshal(r.Data, &out)
	return out.UploadParts.State
}
