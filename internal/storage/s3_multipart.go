package storage

import (
	"context"
	"fmt"
	"io/fs"
	"net/url"
	"strconv"
	"time"

	"github.com/minio/minio-go/v7"
)

// The multipart uploads of the S3 store are S3's own: the client PUTs each
// part to a presigned UploadPart URL, the store's ListParts asks S3 which
// parts arrived (with their ETags, so the client need not report them),
// and CompleteMultipartUpload joins them. A presigned URL cannot bound the
// size of what is PUT to it; completeUpload checks every part's size
// before joining.

var _ Multipart = (*S3)(nil)

func (s *S3) core() *minio.Core { return &minio.Core{Client: s.client} }

// noUpload reports S3's error for an unknown multipart upload.
func noUpload(err error) bool { return minio.ToErrorResponse(err).Code == "NoSuchUpload" }

// CreateMultipart starts a multipart upload of a new object.
func (s *S3) CreateMultipart(ctx context.Context, contentType string) (key, uploadID string, err error) {
	if err := s.br.check(); err != nil {
		return "", "", err
	}
	key = newKey()
	if contentType == "" {
		contentType = "application/octet-stream"
	}
	uploadID, err = s.core().NewMultipartUpload(ctx, s.loc.Bucket, s.ObjectName(key), minio.PutObjectOptions{ContentType: contentType})
	if err != nil {
		return "", "", fmt.Errorf("blob store: create multipart upload: %w", s.br.observe(err))
	}
	return key, uploadID, nil
}

// PresignPart returns a presigned UploadPart URL (PUT with partNumber and
// uploadId). size is not enforced by S3; CompleteMultipart's caller checks
// the sizes that ListParts reports.
func (s *S3) PresignPart(ctx context.Context, key, uploadID string, part int, _ int64, ttl time.Duration) (string, error) {
	if part < 1 || part > MaxParts {
		return "", fmt.Errorf("blob store: part number %d out of range", part)
	}
	if err := s.br.check(); err != nil {
		return "", err
	}
	q := url.Values{}
	q.Set("partNumber", strconv.Itoa(part))
	q.Set("uploadId", uploadID)
	u, err := s.client.Presign(ctx, "PUT", s.loc.Bucket, s.ObjectName(key), ttl, q)
	if err != nil {
		return "", fmt.Errorf("blob store: presign part %d: %w", part, s.br.observe(err))
	}
	return u.String(), nil
}

// ListParts asks S3 for the parts received, by number.
func (s *S3) ListParts(ctx context.Context, key, uploadID string) ([]Part, error) {
	if err := s.br.check(); err != nil {
		return nil, err
	}
	var parts []Part
	marker := 0
	for {
		res, err := s.core().ListObjectParts(ctx, s.loc.Bucket, s.ObjectName(key), uploadID, marker, 1000)
		if noUpload(err) {
			return nil, ErrNoMultipart
		} else if err != nil {
			return nil, fmt.Errorf("blob store: list parts: %w", s.br.observe(err))
		}
		for _, p := range res.ObjectParts {
			parts = append(parts, Part{Number: p.PartNumber, Size: p.Size, ETag: p.ETag})
		}
		if !res.IsTruncated || res.NextPartNumberMarker <= marker {
			return parts, nil
		}
		marker = res.NextPartNumberMarker
	}
}

// CompleteMultipart has S3 join the parts into the object.
func (s *S3) CompleteMultipart(ctx context.Context, key, uploadID string, parts []Part) error {
	if err := s.br.check(); err != nil {
		return err
	}
	complete := make([]minio.CompletePart, len(parts))
	for i, p := range parts {
		complete[i] = minio.CompletePart{PartNumber: p.Number, ETag: p.ETag}
	}
	_, err := s.core().CompleteMultipartUpload(ctx, s.loc.Bucket, s.ObjectName(key), uploadID, complete, minio.PutObjectOptions{})
	if noUpload(err) {
		return ErrNoMultipart
	} else if err != nil {
		return fmt.Errorf("blob store: complete multipart upload: %w", s.br.observe(err))
	}
	return nil
}

// AbortMultipart drops the upload and its parts.
func (s *S3) AbortMultipart(ctx context.Context, key, uploadID string) error {
	if err := s.br.check(); err != nil {
		return err
	}
	err := s.core().AbortMultipartUpload(ctx, s.loc.Bucket, s.ObjectName(key), uploadID)
	if err != nil && !noUpload(err) {
		return fmt.Errorf("blob store: abort multipart upload: %w", s.br.observe(err))
	}
	return nil
}

// Stat returns the size of the object under key.
func (s *S3) Stat(ctx context.Context, key string) (int64, error) {
	if !ValidKey(key) {
		return 0, fs.ErrNotExist
	}
	if err := s.br.check(); err != nil {
		return 0, err
	}
	info, err := s.client.StatObject(ctx, s.loc.Bucket, s.ObjectName(key), minio.StatObjectOptions{})
	if code := minio.ToErrorResponse(err).Code; code == minio.NoSuchKey || code == "NotFound" {
		return 0, fmt.Errorf("blob store: key %s: %w", key, fs.ErrNotExist)
	} else if err != nil {
		return 0, fmt.Errorf("blob store: stat %s: %w", key, s.br.observe(err))
	}
	return info.Size, nil
}

// UploadOrigin is the origin (scheme://host) that part URLs point to: a
// browser PUTs there, so the console's Content-Security-Policy must allow
// it and the bucket's CORS rules must allow the console's origin.
func (s *S3) UploadOrigin(ctx context.Context) (string, error) {
	u, err := s.client.Presign(ctx, "PUT", s.loc.Bucket, s.ObjectName(newKey()), time.Minute, nil)
	if err != nil {
		return "", fmt.Errorf("blob store: %w", err)
	}
	return u.Scheme + "://" + u.Host, nil
}
