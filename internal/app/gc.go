package app

import (
	"os"
	"runtime/debug"
	"strconv"
	"strings"
)

// The garbage collector's defaults for the server and the worker.
//
// A delivery allocates much and keeps little (a request, a row, a JSON
// body), so the live heap stays small, and Go's own default (collect when
// the heap has doubled) collects very often under load: at 3,000
// deliveries/s a tenth of the worker's CPU was the collector's. Collecting
// when the heap has grown fivefold costs memory only in proportion to that
// small live heap, and a soft limit keeps a large one bounded: past it the
// collector runs as often as it must to stay under it.
//
// Go's own GOGC and GOMEMLIMIT, when set, win over both.
const (
	DefaultGCPercent   = 400
	DefaultMemoryLimit = 1 << 30
)

// cgroupMemoryMax is where a container's memory limit is read (cgroup v2).
var cgroupMemoryMax = "/sys/fs/cgroup/memory.max"

// TuneGC applies the defaults above unless getenv sets GOGC or GOMEMLIMIT.
// In a container allowed less memory than DefaultMemoryLimit, the soft
// limit is three quarters of what it is allowed.
func TuneGC(getenv func(string) string) {
	if getenv("GOGC") == "" {
		debug.SetGCPercent(DefaultGCPercent)
	}
	if getenv("GOMEMLIMIT") == "" {
		limit := int64(DefaultMemoryLimit)
		if b, err := os.ReadFile(cgroupMemoryMax); err == nil {
			if n, err := strconv.ParseInt(strings.TrimSpace(string(b)), 10, 64); err == nil && n > 0 {
				limit = min(limit, n/4*3)
			}
		}
		debug.SetMemoryLimit(limit)
	}
}
