package main

import (
	"bytes"
	"fmt"
	"os"
	"strconv"
	"time"
)

// clockTicks is USER_HZ, the unit of utime and stime in /proc/<pid>/stat.
// The kernel reports 100 on every architecture Go supports on Linux.
const clockTicks = 100

// cpuTime returns the user plus system CPU time a process has used so far.
func cpuTime(pid int) (time.Duration, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, fmt.Errorf("cpu time of pid %d: %w", pid, err)
	}
	return parseStat(b)
}

// parseStat reads utime and stime (fields 14 and 15) from the contents of
// /proc/<pid>/stat. The command name (field 2) may hold spaces and
// parentheses, so fields are counted from the last ')'.
func parseStat(b []byte) (time.Duration, error) {
	i := bytes.LastIndexByte(b, ')')
	if i < 0 {
		return 0, fmt.Errorf("malformed /proc stat %q", b)
	}
	f := bytes.Fields(b[i+1:])
	// f[0] is field 3 (state), so field n is f[n-3].
	if len(f) < 13 {
		return 0, fmt.Errorf("malformed /proc stat: %d fields after the name", len(f))
	}
	var ticks int64
	for _, s := range f[11:13] {
		n, err := strconv.ParseInt(string(s), 10, 64)
		if err != nil {
			return 0, fmt.Errorf("malformed /proc stat field %q", s)
		}
		ticks += n
	}
	return time.Duration(ticks) * time.Second / clockTicks, nil
}

// cpuProbe samples the CPU time of the server and worker processes.
type cpuProbe struct {
	serverPID, workerPID int
}

// self is the load tool's own time: its uploads and its receiver, which
// share the machine with the system measured.
type cpuSample struct{ server, worker, self time.Duration }

func (p cpuProbe) enabled() bool { return p.serverPID > 0 || p.workerPID > 0 }

// sameProcess reports whether the server and worker are one process (the
// embedded mode), whose time must then be counted once.
func (p cpuProbe) sameProcess() bool { return p.serverPID > 0 && p.serverPID == p.workerPID }

func (p cpuProbe) sample() (cpuSample, error) {
	var s cpuSample
	var err error
	if s.self, err = cpuTime(os.Getpid()); err != nil {
		return s, err
	}
	if p.serverPID > 0 {
		if s.server, err = cpuTime(p.serverPID); err != nil {
			return s, err
		}
	}
	if p.workerPID > 0 && !p.sameProcess() {
		if s.worker, err = cpuTime(p.workerPID); err != nil {
			return s, err
		}
	}
	return s, nil
}
