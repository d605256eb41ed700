package webhooks_test

import (
	"context"
	"errors"
	"io"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/scoopa/webhooks/internal/app"
	"github.com/scoopa/webhooks/internal/files"
	"github.com/scoopa/webhooks/internal/problem"
	"github.com/scoopa/webhooks/internal/storage"
	"github.com/scoopa/webhooks/internal/testenv"
	"github.com/scoopa/webhooks/internal/webhooks"
)

// OpenDownload answers a signed link on its own: the file's name, type,
// size, time and bytes for a good link, ErrBadSignature for a tampered or
// expired one, ErrNotFound for a good link to nothing.
func TestOpenDownload(t *testing.T) {
	t.Parallel()
	_, client, err := app.OpenPostgres(testenv.NewPostgresDB(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { client.Close() })
	blobs, err := storage.NewLocal(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	key := []byte("0123456789abcdef0123")
	const base = "http://files.example"
	svc, err := webhooks.New(webhooks.Config{SecretKey: key, PublicURL: base},
		webhooks.Deps{DB: client, Blobs: blobs, Log: testenv.Logger(t, 0), Dialect: "postgres"})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	folder, err := svc.Settings().CreateFolder(ctx, "dl")
	if err != nil {
		t.Fatal(err)
	}
	content := "0123456789abcdef"
	f, err := svc.Files().UploadFile(ctx, folder.ID, "doc.bin", "application/x-doc", strings.NewReader(content), 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	signer := files.NewLinkSigner(key, base)
	link := func(id string, expires time.Time) (string, url.Values) {
		u, err := url.Parse(signer.DownloadURL(id, expires))
		if err != nil {
			t.Fatal(err)
		}
		return id, u.Query()
	}
	later := time.Now().Add(time.Hour)

	id, q := link(strconv.Itoa(f.ID), later)
	d, err := svc.Files().OpenDownload(ctx, id, q)
	if err != nil {
		t.Fatalf("OpenDownload of a good link: %v", err)
	}
	if d.Name != "doc.bin" || d.ContentType != "application/x-doc" || d.Size != int64(len(content)) || d.ModTime.Sub(f.CreatedAt).Abs() > time.Millisecond { // the database keeps microseconds
		t.Errorf("download %q %q %d %v, want doc.bin application/x-doc %d %v", d.Name, d.ContentType, d.Size, d.ModTime, len(content), f.CreatedAt)
	}
	if _, err := d.Content.Seek(4, io.SeekStart); err != nil {
		t.Fatal(err)
	}
	if b, _ := io.ReadAll(d.Content); string(b) != content[4:] {
		t.Errorf("content after seeking to 4: %q, want %q", b, content[4:])
	}
	if err := d.Close(); err != nil {
		t.Errorf("Close: %v", err)
	}

	id, q = link(files.SampleFileID, later)
	if d, err := svc.Files().OpenDownload(ctx, id, q); err != nil || d.Name != "test.mov" || d.ContentType != "video/quicktime" || d.Size != int64(len(files.SampleFile)) {
		t.Errorf("sample: %+v, %v; want test.mov, video/quicktime, %d bytes", d, err, len(files.SampleFile))
	}

	for _, tc := range []struct {
		name string
		id   string
		q    url.Values
		want error
	}{
		{"tampered signature", strconv.Itoa(f.ID), func() url.Values {
			_, q := link(strconv.Itoa(f.ID), later)
			q.Set("signature", "x"+q.Get("signature"))
			return q
		}(), problem.ErrBadSignature},
		{"expired", strconv.Itoa(f.ID), func() url.Values { _, q := link(strconv.Itoa(f.ID), time.Now().Add(-time.Second)); return q }(), problem.ErrBadSignature},
		{"another file's signature", strconv.Itoa(f.ID + 1), func() url.Values { _, q := link(strconv.Itoa(f.ID), later); return q }(), problem.ErrBadSignature},
		{"no signature", strconv.Itoa(f.ID), url.Values{}, problem.ErrBadSignature},
		{"good link to no file", strconv.Itoa(f.ID + 1), func() url.Values { _, q := link(strconv.Itoa(f.ID+1), later); return q }(), problem.ErrNotFound},
		{"good link to no number", "abc", func() url.Values { _, q := link("abc", later); return q }(), problem.ErrNotFound},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d, err := svc.Files().OpenDownload(ctx, tc.id, tc.q)
			if !errors.Is(err, tc.want) {
				t.Errorf("OpenDownload = %+v, %v; want %v", d, err, tc.want)
			}
		})
	}
}
