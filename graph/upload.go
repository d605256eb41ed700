package graph

import "strings"

// browserFileName undoes how browsers encode a file name in the filename
// parameter of a multipart/form-data part. The WHATWG HTML "multipart/form-data
// encoding algorithm" (Chrome, Firefox, Safari) sends the name as raw UTF-8
// with only '"' as %22, CR as %0D and LF as %0A; every other character,
// '%' included, is sent as is, so only these three escapes are decoded (a
// name really containing "%22" cannot be told apart, as with any browser
// upload). Clients that escape with a backslash inside the quoted string
// (curl's older default, Go's) are already undone by mime/multipart.
// A decoded line break is then refused by the name check, with a clear
// error, rather than stored as %0A.
func browserFileName(name string) string {
	return browserEscapes.Replace(name)
}

var browserEscapes = strings.NewReplacer("%22", `"`, "%0D", "\r", "%0A", "\n")
