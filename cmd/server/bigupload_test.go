package main

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/scoopa/webhooks/internal/testenv"
)

// serverProcess, set in the environment, makes the test binary run the
// server instead of the tests: a process of its own, whose memory a test
// measures.
const serverProcess = "SCOOPA_TEST_SERVER_PROCESS"

func TestMain(m *testing.M) {
	if os.Getenv(serverProcess) == "1" {
		if err := run(context.Background(), nil, os.Getenv, os.Stdout, os.Stderr); err != nil {
			fmt.Fprintln(os.Stderr, "scoopa-server:", err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// bigUploadSize is the size of the file of TestBigDirectUpload: 2 GiB, or
// SCOOPA_TEST_BIG_UPLOAD_BYTES.
func bigUploadSize(t *testing.T) int64 {
	if v := os.Getenv("SCOOPA_TEST_BIG_UPLOAD_BYTES"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			t.Fatalf("SCOOPA_TEST_BIG_UPLOAD_BYTES: %v", err)
		}
		return n
	}
	return 2 << 30
}

// A 2 GiB file uploaded through the direct path (createUpload, 4 parts at
// a time, completeUpload), to the local store and to S3 (versitygw), with
// the server in a process of its own: the
// server's peak resident memory stays far below the file's size, since the
// parts are streamed to the store and the checksum is read back in a
// stream. It writes about 6 GiB per store to the temp dir's disk and takes a minute
// or more, so it runs only with SCOOPA_TEST_BIG_UPLOAD=1 (see
// docs/benchmarks/NOTEBOOK.md, "Direct uploads").
func TestBigDirectUpload(t *testing.T) {
	if os.Getenv("SCOOPA_TEST_BIG_UPLOAD") != "1" {
		t.Skip("set SCOOPA_TEST_BIG_UPLOAD=1 to upload 2 GiB through the direct path and measure the server's memory")
	}
	t.Run("local", func(t *testing.T) { bigDirectUpload(t, nil) })
	t.Run("s3", func(t *testing.T) { bigDirectUpload(t, testenv.StartS3(t).Vars()) })
}

func bigDirectUpload(t *testing.T, storeEnv map[string]string) {
	size := bigUploadSize(t)
	env := testenv.Env(t, testenv.Embedded, map[string]string{"SCOOPA_DIRECT_UPLOADS": "on", "SCOOPA_LOG_LEVEL": "warn"})
	for k, v := range storeEnv {
		env[k] = v
	}
	cmd := startServerProcess(t, env)
	s := &testenv.Server{URL: env["SCOOPA_PUBLIC_URL"], Token: env["SCOOPA_ADMIN_TOKEN"], Env: env}
	testenv.Eventually(t, 60*time.Second, "the server", func() bool {
		resp, err := http.Get(s.URL + "/healthz")
		if err == nil {
			resp.Body.Close()
		}
		return err == nil && resp.StatusCode == 200
	})
	idle := procStatus(t, cmd.Process.Pid)
	var f struct{ CreateFolder struct{ ID string } }
	s.MustDo(t, `mutation { createFolder(input: {name: "videos"}) { id } }`, nil, &f)

	start := time.Now()
	h := sha256.New()
	if _, err := io.Copy(h, io.NewSectionReader(testenv.PatternFile{}, 0, size)); err != nil {
		t.Fatal(err)
	}
	want := hex.EncodeToString(h.Sum(nil))
	hashed := time.Since(start)

	start = time.Now()
	u, r := s.CreateUpload(t, f.CreateFolder.ID, "big.mp4", "video/mp4", size, want)
	if u == nil {
		t.Fatalf("createUpload: %+v", r.Errors)
	}
	parts := make(chan testenv.PartURL)
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for p := range parts {
				if st, err := testenv.PutPart(t, p.URL, io.NewSectionReader(testenv.PatternFile{}, p.Offset, p.SizeBytes), p.SizeBytes); st != 200 {
					t.Errorf("PUT part %d: %d %v", p.Number, st, err)
				}
			}
		}()
	}
	for _, p := range u.Parts {
		parts <- p
	}
	close(parts)
	wg.Wait()
	if t.Failed() {
		t.FailNow()
	}
	sent := time.Since(start)
	start = time.Now()
	r = s.CompleteUpload(t, u.ID)
	if len(r.Errors) > 0 {
		t.Fatalf("completeUpload: %+v", r.Errors)
	}
	completed := time.Since(start)
	if !strings.Contains(string(r.Data), want) {
		t.Fatalf("completeUpload answered %s, want sha256 %s", r.Data, want)
	}
	peak := procStatus(t, cmd.Process.Pid)
	t.Logf("%d bytes in %d parts of %d: client hash %v, parts sent in %v (%.0f MB/s), completeUpload %v",
		size, u.PartCount, u.PartSize, hashed.Round(time.Millisecond), sent.Round(time.Millisecond),
		float64(size)/sent.Seconds()/1e6, completed.Round(time.Millisecond))
	t.Logf("server process: VmRSS %d KiB idle, VmHWM (peak) %d KiB after the upload", idle["VmRSS"], peak["VmHWM"])
	// The whole file in memory would be 2 GiB; streaming needs buffers.
	if limit := int64(256 << 10); peak["VmHWM"] > limit {
		t.Errorf("server's peak resident memory %d KiB, want under %d KiB", peak["VmHWM"], limit)
	}
}

// startServerProcess runs the server (this binary, see TestMain) on env
// until the test ends.
func startServerProcess(t *testing.T, env map[string]string) *exec.Cmd {
	t.Helper()
	bin, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin)
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME"), serverProcess + "=1"}
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	var logs testenv.SyncBuffer
	cmd.Stderr = &logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		_, _ = cmd.Process.Wait()
		if t.Failed() {
			t.Logf("server logs:\n%s", logs.String())
		}
	})
	return cmd
}

// procStatus reads the memory lines of /proc/PID/status, in KiB.
func procStatus(t *testing.T, pid int) map[string]int64 {
	t.Helper()
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	out := map[string]int64{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), ":")
		if !ok || !strings.HasPrefix(k, "Vm") {
			continue
		}
		n, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
		if err == nil {
			out[k] = n
		}
	}
	return out
}
