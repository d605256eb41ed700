// Package storage is the blob store: file contents kept under random keys,
// on the local disk (Local, the default) or in an S3-compatible object store
// (S3). It knows nothing of webhooks or folders.
package storage

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/minio/minio-go/v7/pkg/s3utils"
)

// Store keeps blobs: each is written once under a key the store makes,
// read (with seeks, so ranges can be served) and deleted. *Local and *S3
// are Stores; a missing key is an error that matches fs.ErrNotExist.
type Store interface {
	// Put stores the bytes of r, reading at most limit bytes (no limit if
	// limit <= 0), and returns the new key, the SHA-256 (hex) and the size.
	// Contents over the limit are a *TooLargeError, and nothing is left
	// stored: neither an object nor a part of one.
	Put(ctx context.Context, r io.Reader, limit int64) (key, sum string, size int64, err error)
	// Open opens the blob stored under key; the caller closes it.
	Open(ctx context.Context, key string) (Object, error)
	// Delete removes the blob stored under key; a key already gone is not
	// an error.
	Delete(ctx context.Context, key string) error
	// List calls fn for every blob in the store, in no particular order,
	// until fn returns an error (which List then returns). The cleanup of
	// blobs that no file names walks it.
	List(ctx context.Context, fn func(Blob) error) error
}

// Presigner is a Store whose blobs can be fetched by whoever holds a URL
// signed for a while (*S3): a download can then be redirected there
// instead of streamed through the server.
type Presigner interface {
	// PresignGet returns a URL that serves the blob under key for ttl, as
	// an attachment named name of type contentType.
	PresignGet(ctx context.Context, key, name, contentType string, ttl time.Duration) (*url.URL, error)
}

// Object is an opened blob. It seeks, so that ranges can be served.
type Object interface {
	io.ReadSeekCloser
	// Size is the blob's length in bytes.
	Size() int64
}

// Blob is a stored blob as List finds it.
type Blob struct {
	// Key is what Put returned.
	Key string
	// Size is the length in bytes.
	Size int64
	// ModTime is when the blob was written.
	ModTime time.Time
}

// TooLargeError is the error of Put when the contents exceed the limit.
type TooLargeError struct {
	// Limit is the limit, in bytes.
	Limit int64
}

func (e *TooLargeError) Error() string {
	return fmt.Sprintf("blob store: larger than the limit of %d bytes", e.Limit)
}

// newKey returns a random key: 32 hex digits.
func newKey() string {
	rnd := make([]byte, 16)
	_, _ = rand.Read(rnd)
	return hex.EncodeToString(rnd)
}

// ValidKey reports whether key is one that Put makes: 32 lower-case hex
// digits. Anything else under a store's prefix is not the store's own.
func ValidKey(key string) bool {
	if len(key) != 32 {
		return false
	}
	for _, c := range key {
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}

// Credentials are the keys an S3 store signs its requests with.
type Credentials struct {
	AccessKeyID, SecretAccessKey, SessionToken string
}

// EnvCredentials reads the credentials of an S3 store from the usual
// variables, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and (if set)
// AWS_SESSION_TOKEN, through getenv.
func EnvCredentials(getenv func(string) string) Credentials {
	return Credentials{
		AccessKeyID:     getenv("AWS_ACCESS_KEY_ID"),
		SecretAccessKey: getenv("AWS_SECRET_ACCESS_KEY"),
		SessionToken:    getenv("AWS_SESSION_TOKEN"),
	}
}

// Location is a parsed SCOOPA_STORAGE_URL:
// s3://bucket/optional/prefix?endpoint=http://host:port&region=us-east-1.
type Location struct {
	// Bucket is the bucket's name.
	Bucket string
	// Prefix is put before every key: empty, or ending in "/".
	Prefix string
	// Endpoint is the S3 service's base URL (http or https, no path); nil
	// means AWS S3.
	Endpoint *url.URL
	// Region is the bucket's region; empty lets the client find it out.
	Region string
}

// ParseURL parses a SCOOPA_STORAGE_URL; its errors say what is wrong.
func ParseURL(raw string) (*Location, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("not a URL: %v", errors.Unwrap(err))
	}
	if u.Scheme != "s3" {
		return nil, fmt.Errorf("scheme %q: must be s3://bucket/prefix?endpoint=...&region=...", u.Scheme)
	}
	if u.User != nil {
		return nil, errors.New("credentials do not belong in the URL: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY")
	}
	if u.Host == "" {
		return nil, errors.New("missing bucket: s3://bucket/prefix")
	}
	if err := s3utils.CheckValidBucketNameStrict(u.Host); err != nil {
		return nil, fmt.Errorf("bucket %q: %v", u.Host, err)
	}
	loc := &Location{Bucket: u.Host}
	if p := strings.Trim(u.Path, "/"); p != "" {
		if strings.Contains(p, "//") {
			return nil, fmt.Errorf("prefix %q: empty path segment", p)
		}
		loc.Prefix = p + "/"
	}
	q := u.Query()
	for k := range q {
		if k != "endpoint" && k != "region" {
			return nil, fmt.Errorf("unknown parameter %q: only endpoint and region are read", k)
		}
	}
	if e := q.Get("endpoint"); e != "" {
		ep, err := url.Parse(e)
		if err != nil || (ep.Scheme != "http" && ep.Scheme != "https") || ep.Host == "" || strings.Trim(ep.Path, "/") != "" || ep.RawQuery != "" || ep.User != nil {
			return nil, fmt.Errorf("endpoint %q: must be an http:// or https:// URL of a host, without a path", e)
		}
		ep.Path = ""
		loc.Endpoint = ep
	}
	loc.Region = q.Get("region")
	return loc, nil
}

// Open opens the store named by storageURL: the directory dataDir when it
// is empty, an S3 bucket (credentials from the environment, see
// EnvCredentials) otherwise.
func Open(ctx context.Context, storageURL, dataDir string) (Store, error) {
	return OpenWith(ctx, storageURL, dataDir, EnvCredentials(os.Getenv))
}

// OpenWith is Open with the credentials given. An S3 store is checked
// before it is returned: the bucket must exist and answer to these
// credentials, and the error says which of them failed.
func OpenWith(ctx context.Context, storageURL, dataDir string, creds Credentials) (Store, error) {
	if storageURL == "" {
		return NewLocal(dataDir)
	}
	loc, err := ParseURL(storageURL)
	if err != nil {
		return nil, fmt.Errorf("storage URL: %w", err)
	}
	return OpenS3(ctx, loc, creds)
}
