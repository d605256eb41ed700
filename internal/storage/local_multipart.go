package storage

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"
)

// The local store's multipart uploads: each is a directory under
// multipart/ named by its ID, holding the blob's key (file "key") and the
// parts received (files "1", "2", ...), each written to a temporary file
// first and renamed when whole, so a part cut off never counts as received.
// Part URLs are the server's own (PartPath), signed with a key given to
// SignParts; the server's handler calls WritePart, which streams the body to
// disk and never holds more than a copy buffer of it in memory.

// PartPath is the path pattern of the local store's part URLs, as the
// server routes it.
const PartPath = "/uploads/{id}/parts/{n}"

// MaxParts is the most parts a multipart upload may have (S3's limit).
const MaxParts = 10000

// ErrBadPartSignature means a part URL was tampered with or has expired.
var ErrBadPartSignature = errors.New("blob store: part URL signature invalid or expired")

// partSigner makes and checks the local store's part URLs.
type partSigner struct {
	base string
	key  []byte
	now  func() time.Time
}

// SignParts lets the local store hand out part URLs: under base (the
// server's public URL), signed with a key derived from secret. Until it is
// called, PresignPart fails.
func (b *Local) SignParts(base string, secret []byte) {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte("scoopa local part URLs"))
	b.parts = &partSigner{base: strings.TrimRight(base, "/"), key: m.Sum(nil), now: time.Now}
}

func (p *partSigner) signature(uploadID string, part int, expires, max int64) string {
	m := hmac.New(sha256.New, p.key)
	fmt.Fprintf(m, "PUT %s %d %d %d", uploadID, part, expires, max)
	return hex.EncodeToString(m.Sum(nil))
}

func (b *Local) multipartDir(uploadID string) (string, error) {
	if !ValidKey(uploadID) {
		return "", ErrNoMultipart
	}
	return filepath.Join(b.dir, "multipart", uploadID), nil
}

// CreateMultipart starts a multipart upload.
func (b *Local) CreateMultipart(_ context.Context, _ string) (key, uploadID string, err error) {
	key, uploadID = newKey(), newKey()
	dir, _ := b.multipartDir(uploadID)
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return "", "", fmt.Errorf("blob store: %w", err)
	}
	if err := os.WriteFile(filepath.Join(dir, "key"), []byte(key), 0o640); err != nil {
		os.RemoveAll(dir)
		return "", "", fmt.Errorf("blob store: %w", err)
	}
	return key, uploadID, nil
}

// PresignPart returns the server's signed URL of a part.
func (b *Local) PresignPart(_ context.Context, key, uploadID string, part int, size int64, ttl time.Duration) (string, error) {
	if b.parts == nil {
		return "", errors.New("blob store: part URLs need SignParts")
	}
	if _, err := b.openMultipart(key, uploadID); err != nil {
		return "", err
	}
	if part < 1 || part > MaxParts {
		return "", fmt.Errorf("blob store: part number %d out of range", part)
	}
	expires := b.parts.now().Add(ttl).Unix()
	q := url.Values{}
	q.Set("expires", strconv.FormatInt(expires, 10))
	q.Set("max", strconv.FormatInt(size, 10))
	q.Set("signature", b.parts.signature(uploadID, part, expires, size))
	return fmt.Sprintf("%s/uploads/%s/parts/%d?%s", b.parts.base, uploadID, part, q.Encode()), nil
}

// openMultipart returns the directory of an upload whose key is key.
func (b *Local) openMultipart(key, uploadID string) (string, error) {
	dir, err := b.multipartDir(uploadID)
	if err != nil {
		return "", err
	}
	k, err := os.ReadFile(filepath.Join(dir, "key"))
	if errors.Is(err, fs.ErrNotExist) {
		return "", ErrNoMultipart
	} else if err != nil {
		return "", fmt.Errorf("blob store: %w", err)
	}
	if string(k) != key {
		return "", ErrNoMultipart
	}
	return dir, nil
}

// PartReceiver is a store that takes the parts of its multipart uploads
// itself, by PUT to the server (PartPath): the local store.
type PartReceiver interface {
	// CheckPart checks a part URL's signature and expiry.
	CheckPart(uploadID, partNumber string, query url.Values) error
	// WritePart checks the URL as CheckPart does and streams r to the part.
	WritePart(uploadID, partNumber string, query url.Values, r io.Reader) (int64, error)
}

var _ PartReceiver = (*Local)(nil)

// CheckPart checks the signature and expiry of a part URL: its upload ID
// and part number (from the path) and query (ErrBadPartSignature).
func (b *Local) CheckPart(uploadID, partNumber string, query url.Values) error {
	_, _, err := b.checkPart(uploadID, partNumber, query)
	return err
}

func (b *Local) checkPart(uploadID, partNumber string, query url.Values) (int, int64, error) {
	if b.parts == nil {
		return 0, 0, ErrBadPartSignature
	}
	part, err := strconv.Atoi(partNumber)
	if err != nil || part < 1 || part > MaxParts || strconv.Itoa(part) != partNumber {
		return 0, 0, ErrBadPartSignature
	}
	expires, err1 := strconv.ParseInt(query.Get("expires"), 10, 64)
	max, err2 := strconv.ParseInt(query.Get("max"), 10, 64)
	if err1 != nil || err2 != nil || max < 0 || !ValidKey(uploadID) {
		return 0, 0, ErrBadPartSignature
	}
	want := b.parts.signature(uploadID, part, expires, max)
	if subtle.ConstantTimeCompare([]byte(want), []byte(query.Get("signature"))) != 1 || b.parts.now().Unix() > expires {
		return 0, 0, ErrBadPartSignature
	}
	return part, max, nil
}

// WritePart answers a PUT to a part URL: it checks the signature in query
// (ErrBadPartSignature), then streams r to the part's file, refusing more
// bytes than the URL allows (ErrPartTooLarge). A part sent again replaces
// the one received. It returns the part's size.
func (b *Local) WritePart(uploadID, partNumber string, query url.Values, r io.Reader) (int64, error) {
	part, max, err := b.checkPart(uploadID, partNumber, query)
	if err != nil {
		return 0, err
	}
	dir, _ := b.multipartDir(uploadID)
	if _, err := os.Stat(filepath.Join(dir, "key")); err != nil {
		return 0, ErrNoMultipart
	}
	tmp, err := os.CreateTemp(dir, ".part-*")
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return 0, ErrNoMultipart
		}
		return 0, fmt.Errorf("blob store: %w", err)
	}
	n, err := io.Copy(tmp, io.LimitReader(r, max+1))
	if err == nil && n > max {
		err = ErrPartTooLarge
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), filepath.Join(dir, strconv.Itoa(part)))
	}
	if err != nil {
		os.Remove(tmp.Name())
		if errors.Is(err, fs.ErrNotExist) {
			return 0, ErrNoMultipart // aborted meanwhile
		}
		return 0, err
	}
	return n, nil
}

// ListParts returns the parts received, by number.
func (b *Local) ListParts(_ context.Context, key, uploadID string) ([]Part, error) {
	dir, err := b.openMultipart(key, uploadID)
	if err != nil {
		return nil, err
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("blob store: %w", err)
	}
	var parts []Part
	for _, e := range entries {
		n, err := strconv.Atoi(e.Name())
		if err != nil || n < 1 {
			continue
		}
		info, err := e.Info()
		if err != nil {
			continue // replaced meanwhile
		}
		parts = append(parts, Part{Number: n, Size: info.Size(), ETag: strconv.FormatInt(info.ModTime().UnixNano(), 36)})
	}
	sort.Slice(parts, func(i, j int) bool { return parts[i].Number < parts[j].Number })
	return parts, nil
}

// CompleteMultipart joins the parts, in order, into the blob under key
// (streamed, a copy buffer at a time), then drops the upload.
func (b *Local) CompleteMultipart(_ context.Context, key, uploadID string, parts []Part) (err error) {
	dir, err := b.openMultipart(key, uploadID)
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(b.TempDir(), "multipart-*")
	if err != nil {
		return fmt.Errorf("blob store: %w", err)
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	for _, p := range parts {
		f, err := os.Open(filepath.Join(dir, strconv.Itoa(p.Number)))
		if errors.Is(err, fs.ErrNotExist) {
			return ErrNoMultipart // completed or aborted meanwhile
		} else if err != nil {
			return fmt.Errorf("blob store: %w", err)
		}
		_, err = io.Copy(tmp, f)
		f.Close()
		if err != nil {
			return fmt.Errorf("blob store: part %d: %w", p.Number, err)
		}
	}
	if err = tmp.Sync(); err != nil {
		return fmt.Errorf("blob store: %w", err)
	}
	if err = tmp.Close(); err != nil {
		return fmt.Errorf("blob store: %w", err)
	}
	dst := b.path(key)
	if err = os.MkdirAll(filepath.Dir(dst), 0o750); err != nil {
		return fmt.Errorf("blob store: %w", err)
	}
	if err = os.Rename(tmp.Name(), dst); err != nil {
		return fmt.Errorf("blob store: %w", err)
	}
	if err := os.RemoveAll(dir); err != nil {
		return fmt.Errorf("blob store: %w", err)
	}
	return nil
}

// AbortMultipart drops an upload and its parts.
func (b *Local) AbortMultipart(_ context.Context, key, uploadID string) error {
	dir, err := b.openMultipart(key, uploadID)
	if errors.Is(err, ErrNoMultipart) {
		return nil
	} else if err != nil {
		return err
	}
	if err := os.RemoveAll(dir); err != nil {
		return fmt.Errorf("blob store: %w", err)
	}
	return nil
}

// Stat returns the size of the blob under key.
func (b *Local) Stat(_ context.Context, key string) (int64, error) {
	if !ValidKey(key) {
		return 0, fs.ErrNotExist
	}
	info, err := os.Stat(b.path(key))
	if err != nil {
		return 0, err
	}
	return info.Size(), nil
}

var _ Multipart = (*Local)(nil)
