// Package pgtest gives tests the PostgreSQL server to run against.
//
// make test starts a throwaway server (scripts/pg-test-server.sh) and sets
// CARRIERKIT_PG_DSN. Without it, tests that need PostgreSQL fail with a
// message saying how to get one; CARRIERKIT_PG_OPTIONAL=1 (make quick) turns
// that failure into a skip, for fast local runs only.
package pgtest

import (
	"os"
	"testing"
)

// DSN returns the test server's DSN from CARRIERKIT_PG_DSN, or ends the
// test: a failure, or a skip when CARRIERKIT_PG_OPTIONAL=1.
func DSN(tb testing.TB) string {
	tb.Helper()
	if dsn := os.Getenv("CARRIERKIT_PG_DSN"); dsn != "" {
		return dsn
	}
	msg := "CARRIERKIT_PG_DSN is not set, so there is no PostgreSQL to test against: run `make test`, " +
		"or start a throwaway server with `eval \"$(bash scripts/pg-test-server.sh start)\"` " +
		"(and `bash scripts/pg-test-server.sh stop` afterwards)"
	if os.Getenv("CARRIERKIT_PG_OPTIONAL") == "1" {
		tb.Skip(msg + "; skipped because CARRIERKIT_PG_OPTIONAL=1")
	}
	tb.Fatal(msg)
	return ""
}
