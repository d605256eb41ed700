package app

import (
	"math"
	"os"
	"path/filepath"
	"runtime/debug"
	"testing"
)

// gcNow reads the collector's settings without changing them.
func gcNow() (percent int, limit int64) {
	percent = debug.SetGCPercent(100)
	debug.SetGCPercent(percent)
	return percent, debug.SetMemoryLimit(-1)
}

func TestTuneGC(t *testing.T) {
	p0, l0 := gcNow()
	t.Cleanup(func() { debug.SetGCPercent(p0); debug.SetMemoryLimit(l0) })
	reset := func() { debug.SetGCPercent(100); debug.SetMemoryLimit(math.MaxInt64) }
	env := func(kv map[string]string) func(string) string { return func(k string) string { return kv[k] } }
	limitFile := func(content string) {
		t.Helper()
		old := cgroupMemoryMax
		t.Cleanup(func() { cgroupMemoryMax = old })
		cgroupMemoryMax = filepath.Join(t.TempDir(), "memory.max")
		if content != "" {
			if err := os.WriteFile(cgroupMemoryMax, []byte(content), 0o600); err != nil {
				t.Fatal(err)
			}
		}
	}

	for _, tc := range []struct {
		name        string
		env         map[string]string
		cgroup      string // "" = no such file
		wantPercent int
		wantLimit   int64
	}{
		{"defaults", nil, "", DefaultGCPercent, DefaultMemoryLimit},
		{"unlimited container", nil, "max\n", DefaultGCPercent, DefaultMemoryLimit},
		{"small container", nil, "536870912\n", DefaultGCPercent, 402653184},
		{"large container", nil, "8589934592\n", DefaultGCPercent, DefaultMemoryLimit},
		{"GOGC set", map[string]string{"GOGC": "100"}, "", 100, DefaultMemoryLimit},
		{"GOMEMLIMIT set", map[string]string{"GOMEMLIMIT": "2GiB"}, "536870912\n", DefaultGCPercent, math.MaxInt64},
		{"both set", map[string]string{"GOGC": "off", "GOMEMLIMIT": "2GiB"}, "", 100, math.MaxInt64},
	} {
		t.Run(tc.name, func(t *testing.T) {
			reset()
			limitFile(tc.cgroup)
			TuneGC(env(tc.env))
			// Left to the environment: what reset set stays.
			if p, l := gcNow(); p != tc.wantPercent || l != tc.wantLimit {
				t.Errorf("GC percent %d, limit %d; want %d, %d", p, l, tc.wantPercent, tc.wantLimit)
			}
		})
	}
}
