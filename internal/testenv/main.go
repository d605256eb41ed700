package testenv

import (
	"flag"
	"os"
	"strconv"
	"testing"
)

// Parallel is how many tests of a package Main lets run at once unless
// -parallel is given: tests that start servers mostly wait (for the
// servers, receivers, timers), so go test's default of one per CPU leaves
// a two-core machine idle. PostgreSQL's connections peaked at 63 of its
// 100 with every package at 8.
const Parallel = 8

// Main runs a package's tests, Parallel at once unless -parallel says
// otherwise: call it from the package's TestMain.
func Main(m *testing.M) {
	flag.Parse()
	set := false
	flag.Visit(func(f *flag.Flag) { set = set || f.Name == "test.parallel" })
	if !set {
		_ = flag.Set("test.parallel", strconv.Itoa(Parallel))
	}
	os.Exit(m.Run())
}
