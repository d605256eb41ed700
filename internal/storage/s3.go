package storage

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"io/fs"
	"mime"
	"net"
	"net/url"
	"time"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"
	"github.com/scoopa/webhooks/internal/problem"
)

// PartSize is the size of the parts of a multipart upload to S3, and so the
// memory one Put holds at most: contents up to PartSize go in one streamed
// PUT with no buffer; larger ones (or any of unknown size) go in parts,
// each read into one buffer of PartSize before it is sent. With parts of
// 16 MiB an upload of unknown size can reach 160 GiB (10,000 parts).
const PartSize = 16 << 20

// S3 stores blobs as objects in a bucket of an S3-compatible service, each
// under the location's prefix followed by its key.
type S3 struct {
	client *minio.Client
	loc    Location
	br     *breaker
}

// ProbeEvery is how often a store known to be down is asked whether it is
// back (see Down).
const ProbeEvery = time.Second

// OpenS3 connects to the bucket at loc and checks that it exists and that
// the credentials may list it; the error says which of them failed
// (missing credentials, endpoint unreachable, credentials refused, no such
// bucket).
func OpenS3(ctx context.Context, loc *Location, creds Credentials) (*S3, error) {
	switch {
	case creds.AccessKeyID == "" && creds.SecretAccessKey == "":
		return nil, errors.New("object storage: missing credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY")
	case creds.AccessKeyID == "":
		return nil, errors.New("object storage: missing credentials: AWS_ACCESS_KEY_ID is not set")
	case creds.SecretAccessKey == "":
		return nil, errors.New("object storage: missing credentials: AWS_SECRET_ACCESS_KEY is not set")
	}
	opts := &minio.Options{
		Creds:  credentials.NewStaticV4(creds.AccessKeyID, creds.SecretAccessKey, creds.SessionToken),
		Secure: true,
		Region: loc.Region,
	}
	host := "s3.amazonaws.com"
	if loc.Endpoint != nil {
		host, opts.Secure, opts.BucketLookup = loc.Endpoint.Host, loc.Endpoint.Scheme == "https", minio.BucketLookupPath
	}
	client, err := minio.New(host, opts)
	if err != nil {
		return nil, fmt.Errorf("object storage: endpoint %s: %w", host, err)
	}
	s := &S3{client: client, loc: *loc}
	s.br = &breaker{probe: s.reachable, probeEvery: ProbeEvery}
	if err := s.check(ctx); err != nil {
		return nil, err
	}
	return s, nil
}

// check lists one key of the bucket, which needs the endpoint, the
// credentials and the bucket all to be right.
func (s *S3) check(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	var err error
	for o := range s.client.ListObjects(ctx, s.loc.Bucket, minio.ListObjectsOptions{Prefix: s.loc.Prefix, MaxKeys: 1}) {
		err = o.Err
		break
	}
	if err == nil {
		return nil
	}
	where := s.client.EndpointURL().String()
	var netErr net.Error
	var urlErr *url.Error
	switch code := minio.ToErrorResponse(err).Code; {
	case code == minio.NoSuchBucket:
		return fmt.Errorf("object storage: bucket %q does not exist at %s", s.loc.Bucket, where)
	case code == "InvalidAccessKeyId", code == "XAdminUserNotFound": // the latter is versitygw's
		return fmt.Errorf("object storage: %s does not know the access key of AWS_ACCESS_KEY_ID (%s)", where, code)
	case code == "SignatureDoesNotMatch":
		return fmt.Errorf("object storage: %s refuses AWS_SECRET_ACCESS_KEY: the signature does not match (%s)", where, code)
	case code == minio.AccessDenied:
		return fmt.Errorf("object storage: %s denies these credentials access to bucket %q: %w", where, s.loc.Bucket, err)
	case errors.As(err, &netErr), errors.As(err, &urlErr), errors.Is(err, context.DeadlineExceeded):
		return problem.Unavailable(problem.ObjectStore, fmt.Errorf("object storage: endpoint %s unreachable: %w", where, err))
	default:
		return fmt.Errorf("object storage: bucket %q at %s: %w", s.loc.Bucket, where, err)
	}
}

// reachable reports whether the store answers at all: the bucket is asked
// whether it exists, and any answer of the service, an error included,
// counts.
func (s *S3) reachable(ctx context.Context) bool {
	_, err := s.client.BucketExists(ctx, s.loc.Bucket)
	return err == nil || minio.ToErrorResponse(err).StatusCode != 0
}

// Down reports whether the store is known to be unreachable: a call failed
// to reach it and no probe since has. Its calls then fail at once with an
// UnavailableError of the object store.
func (s *S3) Down() bool { return s.br.Down() }

// Ping asks the store, within timeout, whether the bucket exists; an error
// says it is unreachable (an UnavailableError of the object store) or the
// bucket is gone. A store known to be down answers at once.
func (s *S3) Ping(ctx context.Context, timeout time.Duration) error {
	if err := s.br.check(); err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	ok, err := s.client.BucketExists(ctx, s.loc.Bucket)
	switch {
	case err != nil && minio.ToErrorResponse(err).StatusCode == 0:
		if ctx.Err() != nil {
			return problem.Unavailable(problem.ObjectStore, fmt.Errorf("object storage: no answer within %v", timeout))
		}
		return s.br.observe(err)
	case err != nil:
		return fmt.Errorf("object storage: %w", err)
	case !ok:
		return fmt.Errorf("object storage: bucket %q does not exist", s.loc.Bucket)
	}
	return nil
}

// Location is where the store keeps its blobs.
func (s *S3) Location() Location { return s.loc }

// Client is the S3 client of the store, for what the Store does not cover
// (multipart uploads by a browser, tests looking at the bucket).
func (s *S3) Client() *minio.Client { return s.client }

// ObjectName is the name in the bucket of the blob under key.
func (s *S3) ObjectName(key string) string { return s.loc.Prefix + key }

// Put streams the bytes of r to a new object. When r seeks (a spilled
// upload, a bytes.Reader), its size is known beforehand: contents over the
// limit are refused before anything is sent, and up to PartSize they go in
// one PUT. Otherwise the limit is enforced while reading and a multipart
// upload that exceeds it is aborted, so no object nor part is left.
func (s *S3) Put(ctx context.Context, r io.Reader, limit int64) (key, sum string, size int64, err error) {
	if err := s.br.check(); err != nil {
		return "", "", 0, err
	}
	known := sizeOf(r)
	if limit > 0 && known > limit {
		return "", "", 0, &TooLargeError{Limit: limit}
	}
	// Only Read is passed on: minio would read a ReaderAt in parallel and
	// hash out of order, and buffer a whole part per thread.
	src := &hashingReader{r: r, h: sha256.New(), limit: limit}
	key = newKey()
	info, err := s.client.PutObject(ctx, s.loc.Bucket, s.ObjectName(key), src, known, minio.PutObjectOptions{
		PartSize:    PartSize,
		NumThreads:  1,
		ContentType: "application/octet-stream",
	})
	if src.tooLarge {
		s.removeLeft(ctx, key)
		return "", "", 0, &TooLargeError{Limit: limit}
	}
	if err != nil {
		if err = s.br.observe(err); !s.br.Down() {
			s.removeLeft(ctx, key)
		}
		return "", "", 0, fmt.Errorf("blob store: put: %w", err)
	}
	if info.Size != src.n {
		s.removeLeft(ctx, key)
		return "", "", 0, fmt.Errorf("blob store: put: stored %d bytes of %d read", info.Size, src.n)
	}
	return key, hex.EncodeToString(src.h.Sum(nil)), src.n, nil
}

// removeLeft deletes what a failed Put may have left under key (nothing,
// normally: a PUT cut off stores nothing, and minio aborts a failed
// multipart upload), even when ctx is done.
func (s *S3) removeLeft(ctx context.Context, key string) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	_ = s.client.RemoveObject(ctx, s.loc.Bucket, s.ObjectName(key), minio.RemoveObjectOptions{})
}

// sizeOf returns how many bytes r has left when it seeks, else -1.
func sizeOf(r io.Reader) int64 {
	sk, ok := r.(io.Seeker)
	if !ok {
		return -1
	}
	cur, err := sk.Seek(0, io.SeekCurrent)
	if err != nil {
		return -1
	}
	end, err := sk.Seek(0, io.SeekEnd)
	if err != nil {
		return -1
	}
	if _, err := sk.Seek(cur, io.SeekStart); err != nil {
		return -1
	}
	return end - cur
}

// hashingReader hashes and counts what is read through it, and fails once
// more than limit bytes were read (limit > 0).
type hashingReader struct {
	r        io.Reader
	h        hash.Hash
	n, limit int64
	tooLarge bool
}

func (h *hashingReader) Read(p []byte) (int, error) {
	n, err := h.r.Read(p)
	h.h.Write(p[:n])
	h.n += int64(n)
	if h.limit > 0 && h.n > h.limit {
		h.tooLarge = true
		return 0, &TooLargeError{Limit: h.limit}
	}
	return n, err
}

// Open opens the object under key; reads and seeks become ranged GETs.
func (s *S3) Open(ctx context.Context, key string) (Object, error) {
	if !ValidKey(key) {
		return nil, fmt.Errorf("blob store: key %q: %w", key, fs.ErrNotExist)
	}
	if err := s.br.check(); err != nil {
		return nil, err
	}
	obj, err := s.client.GetObject(ctx, s.loc.Bucket, s.ObjectName(key), minio.GetObjectOptions{})
	if err != nil {
		return nil, fmt.Errorf("blob store: open %s: %w", key, s.br.observe(err))
	}
	info, err := obj.Stat()
	if err != nil {
		obj.Close()
		if minio.ToErrorResponse(err).Code == minio.NoSuchKey {
			return nil, fmt.Errorf("blob store: key %s: %w", key, fs.ErrNotExist)
		}
		return nil, fmt.Errorf("blob store: open %s: %w", key, s.br.observe(err))
	}
	return s3Object{obj, info.Size, s.br}, nil
}

type s3Object struct {
	*minio.Object
	size int64
	br   *breaker
}

// Read reads the object; a failure to reach the store trips the breaker.
func (o s3Object) Read(p []byte) (int, error) {
	n, err := o.Object.Read(p)
	if err != nil && err != io.EOF {
		err = o.br.observe(err)
	}
	return n, err
}

func (o s3Object) Size() int64 { return o.size }

// Delete removes the object under key.
func (s *S3) Delete(ctx context.Context, key string) error {
	if !ValidKey(key) {
		return fmt.Errorf("blob store: key %q is not one of its keys", key)
	}
	if err := s.br.check(); err != nil {
		return err
	}
	if err := s.client.RemoveObject(ctx, s.loc.Bucket, s.ObjectName(key), minio.RemoveObjectOptions{}); err != nil {
		return fmt.Errorf("blob store: delete %s: %w", key, s.br.observe(err))
	}
	return nil
}

// List calls fn for every object under the prefix whose name is a key.
func (s *S3) List(ctx context.Context, fn func(Blob) error) error {
	if err := s.br.check(); err != nil {
		return err
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel() // ends the listing when fn fails
	for o := range s.client.ListObjects(ctx, s.loc.Bucket, minio.ListObjectsOptions{Prefix: s.loc.Prefix, Recursive: true}) {
		if o.Err != nil {
			return fmt.Errorf("blob store: list: %w", s.br.observe(o.Err))
		}
		key := o.Key[len(s.loc.Prefix):]
		if !ValidKey(key) {
			continue
		}
		if err := fn(Blob{Key: key, Size: o.Size, ModTime: o.LastModified}); err != nil {
			return err
		}
	}
	return ctx.Err()
}

// PresignGet returns a GET URL of the object under key, valid for ttl,
// whose response names the file and its type.
func (s *S3) PresignGet(ctx context.Context, key, name, contentType string, ttl time.Duration) (*url.URL, error) {
	if err := s.br.check(); err != nil {
		return nil, err
	}
	params := url.Values{}
	params.Set("response-content-disposition", mime.FormatMediaType("attachment", map[string]string{"filename": name}))
	if contentType != "" {
		params.Set("response-content-type", contentType)
	}
	u, err := s.client.PresignedGetObject(ctx, s.loc.Bucket, s.ObjectName(key), ttl, params)
	if err != nil {
		return nil, fmt.Errorf("blob store: presign %s: %w", key, s.br.observe(err))
	}
	return u, nil
}
