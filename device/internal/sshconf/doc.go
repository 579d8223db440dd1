// Package sshconf turns a device.Target into x/crypto/ssh settings (auth
// methods, a host-key callback for pinned keys or a known_hosts file, a
// temporary known_hosts file for scrapligo) and SSH set-up failures into
// device errors. It is shared by device/netconf and device/cli.
//
// # Concurrency
//
// It holds no state; every function is safe to call from any goroutine.
package sshconf
