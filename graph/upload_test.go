package graph_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"testing"

	"github.com/scoopa/webhooks/internal/testenv"
)

// browserUpload sends uploadFile as a browser's FormData does: the file
// name raw UTF-8 in the filename parameter, with '"' sent as %22, CR as %0D
// and LF as %0A (WHATWG HTML, "multipart/form-data encoding algorithm"), a
// WebKit boundary, CRLF line ends.
func browserUpload(t *testing.T, s *testenv.Server, folderID, encodedName string) *testenv.Response {
	t.Helper()
	const boundary = "----WebKitFormBoundary7MA4YWxkTrZu0gW"
	ops, _ := json.Marshal(map[string]any{
		"query":     `mutation($f: ID!, $file: Upload!) { uploadFile(folderID: $f, file: $file) { id name } }`,
		"variables": map[string]any{"f": folderID, "file": nil},
	})
	var b bytes.Buffer
	b.WriteString("--" + boundary + "\r\n" +
		"Content-Disposition: form-data; name=\"operations\"\r\n\r\n" + string(ops) + "\r\n" +
		"--" + boundary + "\r\n" +
		"Content-Disposition: form-data; name=\"map\"\r\n\r\n" + `{"0":["variables.file"]}` + "\r\n" +
		"--" + boundary + "\r\n" +
		"Content-Disposition: form-data; name=\"0\"; filename=\"" + encodedName + "\"\r\n" +
		"Content-Type: video/quicktime\r\n\r\n" +
		"movie bytes\r\n" +
		"--" + boundary + "--\r\n")
	req, err := http.NewRequest(http.MethodPost, s.URL+"/graphql", &b)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "multipart/form-data; boundary="+boundary)
	req.Header.Set("Authorization", "Bearer "+s.Token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var r testenv.Response
	if err := json.NewDecoder(resp.Body).Decode(&r); err != nil {
		t.Fatalf("upload: %d, %v", resp.StatusCode, err)
	}
	return &r
}

// A file name from a browser upload is stored as the user named the file.
func TestBrowserUploadFileName(t *testing.T) {
	t.Parallel()
	s := testenv.StartServer(t, testenv.Embedded, nil)
	var f struct{ CreateFolder struct{ ID string } }
	s.MustDo(t, `mutation { createFolder(input: {name: "names"}) { id } }`, nil, &f)
	for _, tc := range []struct {
		name, sent, want, wantCode string
	}{
		{"quotes and unicode", `Ünïcødé %22quoted%22 report ✓.mov`, `Ünïcødé "quoted" report ✓.mov`, ""},
		{"plain", `clip.mov`, `clip.mov`, ""},
		{"percent sign kept", `100% sure.mov`, `100% sure.mov`, ""},
		{"other escapes kept", `a%20b%2Fc.mov`, `a%20b%2Fc.mov`, ""},
		{"line break refused", `two%0D%0Alines.mov`, "", "BAD_USER_INPUT"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := browserUpload(t, s, f.CreateFolder.ID, tc.sent)
			if tc.wantCode != "" {
				if r.Code() != tc.wantCode {
					t.Errorf("upload of %q: %s %s, want %s", tc.sent, r.Code(), r.Data, tc.wantCode)
				}
				return
			}
			var out struct{ UploadFile struct{ Name string } }
			if len(r.Errors) > 0 || json.Unmarshal(r.Data, &out) != nil {
				t.Fatalf("upload of %q: %+v", tc.sent, r.Errors)
			}
			if out.UploadFile.Name != tc.want {
				t.Errorf("stored %q, want %q", out.UploadFile.Name, tc.want)
			}
		})
	}
}
