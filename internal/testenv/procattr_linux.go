package testenv

import "syscall"

// dieWithParent makes a child process get SIGKILL when the test process
// dies, so that no Redis of a test outlives a killed test binary.
func dieWithParent() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
