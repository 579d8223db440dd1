package postgres

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/carrierkit/carrierkit/store"
	"github.com/carrierkit/carrierkit/store/postgres/pgtest"
	"github.com/carrierkit/carrierkit/store/storetest"
)

// adminConn returns a plain connection to the test database, closed when tb
// ends.
func adminConn(tb testing.TB, dsn string) *pgx.Conn {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		tb.Fatalf("connect: %v", err)
	}
	tb.Cleanup(func() { conn.Close(context.Background()) })
	return conn
}

// freshSchema returns the name of a schema that does not exist yet and is
// dropped, with everything in it, when tb ends.
func freshSchema(tb testing.TB, dsn string) string {
	tb.Helper()
	b := make([]byte, 8)
	rand.Read(b)
	name := "ck_test_" + hex.EncodeToString(b)
	tb.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		conn, err := pgx.Connect(ctx, dsn)
		if err != nil {
			tb.Errorf("drop schema %s: %v", name, err)
			return
		}
		defer conn.Close(ctx)
		if _, err := conn.Exec(ctx, "DROP SCHEMA IF EXISTS "+name+" CASCADE"); err != nil {
			tb.Errorf("drop schema %s: %v", name, err)
		}
	})
	return name
}

// openFresh opens a Store on a fresh schema, closed (before the schema is
// dropped) when tb ends.
func openFresh(tb testing.TB, dsn string, opts ...Option) (*Store, string) {
	tb.Helper()
	schema := freshSchema(tb, dsn)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	s, err := Open(ctx, dsn, append([]Option{WithSchema(schema)}, opts...)...)
	if err != nil {
		tb.Fatalf("Open: %v", err)
	}
	tb.Cleanup(func() { s.Close() })
	return s, schema
}

func TestConformance(t *testing.T) {
	dsn := pgtest.DSN(t)
	storetest.Run(t, func(t *testing.T) store.Store {
		s, _ := openFresh(t, dsn)
		return s
	})
}
