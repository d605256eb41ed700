package storage_test

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/scoopa/webhooks/internal/storage"
)

// BenchmarkUploadToLocal is what an uploadFile costs the local store, from
// the request's bytes to the blob under files/ (then deleted), the way the
// server did it before and does it now:
//
//   - copy: the part is written to a request-* temporary file, which Put
//     reads back, hashes and writes to an upload-* file renamed into place
//     (the bytes are written twice);
//   - spool-named: the part is hashed as it is written to the request-*
//     file (storage.Spool where O_TMPFILE is missing), which Put links
//     into place (written once);
//   - spool: the same with a file that has no name until Put links it
//     (O_TMPFILE, Linux): no directory entry made and removed per upload.
//
// Besides ns/op it reports wbytes/op, the bytes handed to write(2) per
// upload as /proc/self/io counts them (Linux only).
func BenchmarkUploadToLocal(b *testing.B) {
	for _, size := range []int{1 << 10, 1 << 20} {
		content := bytes.Repeat([]byte("0123456789abcdef"), size/16)
		for _, how := range []string{"copy", "spool-named", "spool"} {
			b.Run(fmt.Sprintf("%s/%s", sizeName(size), how), func(b *testing.B) {
				ctx := context.Background()
				local, err := storage.NewLocal(b.TempDir())
				if err != nil {
					b.Fatal(err)
				}
				upload := func() {
					// onlyReader: a request part has no WriteTo, so the bytes
					// go by io.Copy's buffer, as from the network.
					part := onlyReader{bytes.NewReader(content)}
					var r io.ReadCloser
					var done func()
					if how == "copy" {
						f, err := os.CreateTemp(local.TempDir(), "request-*")
						if err != nil {
							b.Fatal(err)
						}
						if _, err := io.Copy(f, part); err != nil {
							b.Fatal(err)
						}
						if r, err = os.Open(f.Name()); err != nil {
							b.Fatal(err)
						}
						done = func() { f.Close(); os.Remove(f.Name()) }
					} else {
						spool := storage.Spool
						if how == "spool-named" {
							spool = storage.SpoolNamed
						}
						sf, err := spool(local.TempDir(), "request-*", part)
						if err != nil {
							b.Fatal(err)
						}
						if r, err = sf.Open(); err != nil {
							b.Fatal(err)
						}
						done = func() { sf.Remove() }
					}
					key, _, n, err := local.Put(ctx, r, 0)
					if err != nil || n != int64(size) {
						b.Fatalf("Put = %d, %v", n, err)
					}
					r.Close()
					done()
					if err := local.Delete(ctx, key); err != nil {
						b.Fatal(err)
					}
				}
				upload() // directories made
				b.SetBytes(int64(size))
				before, ok := writtenBytes()
				b.ResetTimer()
				for b.Loop() {
					upload()
				}
				b.StopTimer()
				if after, ok2 := writtenBytes(); ok && ok2 {
					b.ReportMetric(float64(after-before)/float64(b.N), "wbytes/op")
				}
			})
		}
	}
}

func sizeName(n int) string {
	if n >= 1<<20 {
		return strconv.Itoa(n>>20) + "MiB"
	}
	return strconv.Itoa(n>>10) + "KiB"
}

// writtenBytes returns the bytes this process has handed to write(2) so
// far (wchar of /proc/self/io), if the system says.
func writtenBytes() (int64, bool) {
	f, err := os.Open("/proc/self/io")
	if err != nil {
		return 0, false
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "wchar: "); ok {
			n, err := strconv.ParseInt(v, 10, 64)
			return n, err == nil
		}
	}
	return 0, false
}
