package graph_test

import (
	"testing"

	"github.com/scoopa/webhooks/internal/testenv"
)

// TestMain runs testenv.Parallel tests at once: they mostly wait for
// their servers.
func TestMain(m *testing.M) { testenv.Main(m) }
