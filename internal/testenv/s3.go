package testenv

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"
)

// VersityGWModule is the S3 server tests run: Versity's gateway, a real S3
// API over a directory, installed with `go install` when it is missing.
const VersityGWModule = "github.com/versity/versitygw/cmd/versitygw@v1.8.0"

// S3 is a fresh bucket on the test binary's S3 server.
type S3 struct {
	// URL is a SCOOPA_STORAGE_URL naming the bucket (with a prefix).
	URL string
	// Endpoint is the server's base URL (http://127.0.0.1:PORT).
	Endpoint string
	// Bucket is the bucket's name, and Prefix what the URL puts before
	// every key ("" or ending in "/").
	Bucket, Prefix string
	// AccessKey and SecretKey are the credentials.
	AccessKey, SecretKey string
}

// Env returns the environment a child process needs to use the bucket:
// SCOOPA_STORAGE_URL and the AWS credentials, as KEY=value.
func (s *S3) Env() []string {
	var env []string
	for k, v := range s.Vars() {
		env = append(env, k+"="+v)
	}
	return env
}

// Vars is Env as a map, for the overrides of a server started in the test.
func (s *S3) Vars() map[string]string {
	return map[string]string{
		"SCOOPA_STORAGE_URL":    s.URL,
		"AWS_ACCESS_KEY_ID":     s.AccessKey,
		"AWS_SECRET_ACCESS_KEY": s.SecretKey,
	}
}

// Client returns an S3 client of the server, to look at the bucket.
func (s *S3) Client(t testing.TB) *minio.Client {
	t.Helper()
	c, err := minio.New(strings.TrimPrefix(s.Endpoint, "http://"), &minio.Options{
		Creds: credentials.NewStaticV4(s.AccessKey, s.SecretKey, ""), BucketLookup: minio.BucketLookupPath,
	})
	if err != nil {
		t.Fatalf("s3 client: %v", err)
	}
	return c
}

// gateway is the one S3 server of the test binary.
type gateway struct {
	endpoint, root, access, secret string
}

var (
	gatewayOnce sync.Once
	gatewayRun  *gateway
	gatewayErr  error
)

// StartS3 returns a fresh bucket (removed when the test ends) on a real S3
// server: Versity's gateway (versitygw) over a temp directory, started once
// per test binary and stopped when the binary exits. The binary is found on
// PATH or in $(go env GOPATH)/bin, or installed there once with
// `go install` (VersityGWModule). A server that cannot start fails the test.
func StartS3(t testing.TB) *S3 {
	t.Helper()
	gatewayOnce.Do(func() { gatewayRun, gatewayErr = startGateway() })
	if gatewayErr != nil {
		t.Fatalf("S3 server: %v", gatewayErr)
	}
	g := gatewayRun
	s := &S3{Endpoint: g.endpoint, Bucket: Name("test-"), Prefix: "blobs/", AccessKey: g.access, SecretKey: g.secret}
	s.URL = fmt.Sprintf("s3://%s/%s?endpoint=%s&region=us-east-1", s.Bucket, strings.TrimSuffix(s.Prefix, "/"), s.Endpoint)
	ctx := context.Background()
	if err := s.Client(t).MakeBucket(ctx, s.Bucket, minio.MakeBucketOptions{}); err != nil {
		t.Fatalf("create bucket %s: %v", s.Bucket, err)
	}
	// The posix backend keeps a bucket, its objects and its unfinished
	// uploads under one directory.
	t.Cleanup(func() { os.RemoveAll(filepath.Join(g.root, s.Bucket)) })
	return s
}

// startGateway starts versitygw on a free port. The port is free when
// chosen but may be taken before the gateway binds it (test binaries run
// side by side): then it tries another, three times at most.
func startGateway() (*gateway, error) {
	bin, err := versityGW()
	if err != nil {
		return nil, err
	}
	for try := 1; ; try++ {
		g, err := startGatewayAt(bin)
		if err == nil || try == 3 || !errors.Is(err, errPortTaken) {
			return g, err
		}
	}
}

// errPortTaken is the error of startGatewayAt when the port it chose was
// taken before the gateway could bind it.
var errPortTaken = errors.New("port taken")

func startGatewayAt(bin string) (*gateway, error) {
	root, err := os.MkdirTemp("", "scoopa-s3-")
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	addr := ln.Addr().String()
	ln.Close()
	g := &gateway{endpoint: "http://" + addr, root: root, access: "test" + Name(""), secret: "secret" + Name("") + Name("")}
	// A shell holds the gateway and waits on a pipe from this process: when
	// the test binary exits, however it exits, the pipe closes and the shell
	// stops the gateway and removes its directory.
	script := `"$0" --access "$1" --secret "$2" --port "$3" --quiet posix "$4" & pid=$!
read -r _
kill $pid 2>/dev/null; wait $pid; rm -rf "$4"`
	cmd := exec.Command("sh", "-c", script, bin, g.access, g.secret, addr, root)
	var out SyncBuffer
	cmd.Stdout, cmd.Stderr = &out, &out
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start %s: %w", bin, err)
	}
	exited := make(chan struct{})
	go func() { _ = cmd.Wait(); close(exited) }()
	client, err := minio.New(addr, &minio.Options{Creds: credentials.NewStaticV4(g.access, g.secret, ""), BucketLookup: minio.BucketLookupPath})
	if err != nil {
		return nil, err
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		_, err := client.ListBuckets(ctx)
		cancel()
		if err == nil {
			keepGateway = stdin // open, never written, for the life of the binary
			return g, nil
		}
		if strings.Contains(out.String(), "address already in use") {
			stdin.Close() // the shell removes the directory and ends
			return nil, fmt.Errorf("%s on %s: %w", bin, addr, errPortTaken)
		}
		select {
		case <-exited:
			return nil, fmt.Errorf("%s exited: %s", bin, out.String())
		case <-time.After(50 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			stdin.Close()
			return nil, fmt.Errorf("%s did not answer within 30s: %v; output: %s", bin, err, out.String())
		}
	}
}

// keepGateway is the pipe whose end stops the gateway.
var keepGateway io.WriteCloser

// versityGW returns the path of the versitygw binary, installing it with
// `go install` when it is on neither PATH nor in GOBIN / GOPATH/bin. A file
// lock keeps test binaries running in parallel from installing it at once.
func versityGW() (string, error) {
	if p, err := exec.LookPath("versitygw"); err == nil {
		return p, nil
	}
	gobin := goEnv("GOBIN")
	if gobin == "" {
		gopath := goEnv("GOPATH")
		if gopath == "" {
			return "", fmt.Errorf("versitygw is not on PATH and `go env GOPATH` says nothing")
		}
		gobin = filepath.Join(strings.Split(gopath, string(os.PathListSeparator))[0], "bin")
	}
	bin := filepath.Join(gobin, "versitygw")
	if _, err := os.Stat(bin); err == nil {
		return bin, nil
	}
	if err := os.MkdirAll(gobin, 0o755); err != nil {
		return "", err
	}
	lock, err := os.OpenFile(filepath.Join(os.TempDir(), "scoopa-versitygw-install.lock"), os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return "", err
	}
	defer lock.Close()
	if err := syscall.Flock(int(lock.Fd()), syscall.LOCK_EX); err != nil {
		return "", err
	}
	defer syscall.Flock(int(lock.Fd()), syscall.LOCK_UN)
	if _, err := os.Stat(bin); err == nil {
		return bin, nil // installed by another test binary meanwhile
	}
	cmd := exec.Command("go", "install", VersityGWModule)
	cmd.Env = append(os.Environ(), "GOBIN="+gobin)
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("versitygw is missing and `go install %s` failed: %v\n%s", VersityGWModule, err, out)
	}
	return bin, nil
}

func goEnv(name string) string {
	out, err := exec.Command("go", "env", name).Output()
	if err != nil {
		return ""
	}
	return string(bytes.TrimSpace(out))
}
