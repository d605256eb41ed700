package graph_test

import "os"

var osReadFile = os.ReadFile
