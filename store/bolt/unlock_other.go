//go:build !unix

package bolt

import "os"

// unlock is a no-op where bbolt does not lock with flock; there a failed
// Open may leave the file locked until the process exits.
func unlock(*os.File) {}
