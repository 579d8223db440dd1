//go:build unix

package bolt

import (
	"os"
	"syscall"
)

// unlock releases bbolt's flock on f. Closing f alone would not: the
// memory map bbolt made of the file keeps the open file, and so its lock,
// alive.
func unlock(f *os.File) {
	_ = syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
}
