package postgres

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/carrierkit/carrierkit/store"
	"github.com/carrierkit/carrierkit/store/postgres/pgtest"
)

// closedPort returns a loopback TCP port that nothing listens on.
func closedPort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	return port
}

func TestOpenErrors(t *testing.T) {
	const password = "Sup3r-Secret_pw"
	port := closedPort(t)
	tests := []struct {
		name     string
		dsn      string
		opts     []Option
		wantErr  error  // nil: any error but ErrInvalid
		wantText string // the message must contain this
	}{
		{
			name:    "URL with a bad port",
			dsn:     "postgres://ck:" + password + "@127.0.0.1:notaport/ck",
			wantErr: store.ErrInvalid, wantText: "invalid DSN",
		},
		{
			name:    "URL with a bad percent escape",
			dsn:     "postgres://ck:" + password + "%zz@127.0.0.1:5432/ck",
			wantErr: store.ErrInvalid, wantText: "invalid DSN",
		},
		{
			name:    "password in the query, bad sslmode",
			dsn:     "postgres://ck@127.0.0.1:5432/ck?password=" + password + "&sslmode=bogus",
			wantErr: store.ErrInvalid, wantText: "invalid DSN",
		},
		{
			name:    "keywords with an unterminated quote",
			dsn:     "host=127.0.0.1 password='" + password,
			wantErr: store.ErrInvalid, wantText: "invalid DSN",
		},
		{
			name:    "keywords with a bad port",
			dsn:     "host=127.0.0.1 port=x password=" + password,
			wantErr: store.ErrInvalid, wantText: "invalid DSN",
		},
		{
			name:     "nothing listening, URL",
			dsn:      fmt.Sprintf("postgres://ck:%s@127.0.0.1:%d/ck?sslmode=disable&connect_timeout=5", password, port),
			wantText: fmt.Sprintf("127.0.0.1:%d", port),
		},
		{
			name:     "nothing listening, keywords",
			dsn:      fmt.Sprintf("host=127.0.0.1 port=%d user=ck password=%s dbname=ck sslmode=disable connect_timeout=5", port, password),
			wantText: fmt.Sprintf("127.0.0.1:%d", port),
		},
		{
			name:    "bad schema name",
			dsn:     "postgres://ck@127.0.0.1:5432/ck",
			opts:    []Option{WithSchema("drop table;")},
			wantErr: store.ErrInvalid, wantText: "schema name",
		},
		{
			name:    "reserved schema name",
			dsn:     "postgres://ck@127.0.0.1:5432/ck",
			opts:    []Option{WithSchema("pg_carrierkit")},
			wantErr: store.ErrInvalid, wantText: "schema name",
		},
		{
			name:    "negative pool size",
			dsn:     "postgres://ck@127.0.0.1:5432/ck",
			opts:    []Option{WithMaxConns(-1)},
			wantErr: store.ErrInvalid, wantText: "pool size",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
			defer cancel()
			s, err := Open(ctx, tt.dsn, tt.opts...)
			if err == nil {
				s.Close()
				t.Fatalf("Open(%q) succeeded", tt.dsn)
			}
			msg := err.Error()
			t.Logf("error: %s", msg)
			if tt.wantErr != nil && !errors.Is(err, tt.wantErr) {
				t.Errorf("error %q does not wrap %v", msg, tt.wantErr)
			}
			if tt.wantErr == nil && errors.Is(err, store.ErrInvalid) {
				t.Errorf("error %q wraps ErrInvalid, but the DSN is fine", msg)
			}
			if !strings.Contains(msg, tt.wantText) {
				t.Errorf("error %q does not mention %q", msg, tt.wantText)
			}
			if !strings.HasPrefix(msg, "postgres: ") {
				t.Errorf("error %q does not start with the package name", msg)
			}
			for _, pw := range []string{password, url.QueryEscape(password)} {
				if strings.Contains(msg, pw) {
					t.Errorf("error %q shows the password", msg)
				}
			}
		})
	}
}

func TestRedact(t *testing.T) {
	tests := []struct {
		dsn, msg, want string
	}{
		{dsn: "postgres://u:pw1@h/db", msg: "bad pw1 here", want: "bad xxxxx here"},
		{dsn: "postgres://u:p%40ss@h/db", msg: "p%40ss or p@ss", want: "xxxxx or xxxxx"},
		{dsn: "postgres://u:a@b@h/db", msg: "a@b", want: "xxxxx"},
		{dsn: "postgres://u@h/db?sslmode=x&password=q%20r", msg: "q%20r q r", want: "xxxxx xxxxx"},
		{dsn: `host=h password='it\'s x' port=1`, msg: `'it\'s x' it\'s x it's x`, want: "xxxxx xxxxx xxxxx"},
		{dsn: "host=h password=plain port=1", msg: "plain", want: "xxxxx"},
		{dsn: "host=h port=1", msg: "nothing to hide", want: "nothing to hide"},
	}
	for _, tt := range tests {
		if got := redact(tt.msg, tt.dsn); got != tt.want {
			t.Errorf("redact(%q, %q) = %q, want %q", tt.msg, tt.dsn, got, tt.want)
		}
	}
}

func TestMigrations(t *testing.T) {
	ms := migrations()
	if len(ms) == 0 {
		t.Fatal("no migrations embedded")
	}
	for i, m := range ms {
		if m.version != i+1 || m.name == "" || strings.TrimSpace(m.sql) == "" {
			t.Errorf("migration %d = %+v", i, m)
		}
	}
}

// TestOpenRace opens one new schema from several goroutines at once, each
// with its own pool, as separate processes would: all must succeed and leave
// one set of tables.
func TestOpenRace(t *testing.T) {
	dsn := pgtest.DSN(t)
	admin := adminConn(t, dsn)
	const openers = 6
	for round := range 3 {
		schema := freshSchema(t, dsn)
		var (
			wg     sync.WaitGroup
			start  = make(chan struct{})
			stores [openers]*Store
			errs   [openers]error
		)
		for i := range openers {
			wg.Go(func() {
				<-start
				stores[i], errs[i] = Open(t.Context(), dsn, WithSchema(schema), WithMaxConns(2))
			})
		}
		close(start)
		wg.Wait()
		for i, err := range errs {
			if err != nil {
				t.Fatalf("round %d: Open %d: %v", round, i, err)
			}
			defer stores[i].Close()
		}

		var tables, sequences, applied int
		err := admin.QueryRow(t.Context(), `SELECT
			(SELECT count(*) FROM pg_tables WHERE schemaname = $1),
			(SELECT count(*) FROM pg_sequences WHERE schemaname = $1),
			(SELECT count(*) FROM `+schema+`.schema_migrations)`, schema).Scan(&tables, &sequences, &applied)
		if err != nil {
			t.Fatal(err)
		}
		if tables != 2 || sequences != 1 || applied != len(migrations()) {
			t.Errorf("round %d: %d tables, %d sequences, %d migrations recorded; want 2, 1, %d",
				round, tables, sequences, applied, len(migrations()))
		}
		// Every store works on the same data.
		rev, err := stores[0].Txn(t.Context(), nil, []store.Op{store.Put("k", []byte("v"))})
		if err != nil {
			t.Fatal(err)
		}
		for i, s := range stores {
			if it, err := s.Get(t.Context(), "k"); err != nil || it.Revision != rev {
				t.Errorf("round %d: store %d: Get = %+v, %v; want revision %d", round, i, it, err, rev)
			}
		}
	}
}

func TestOpenNewerSchema(t *testing.T) {
	dsn := pgtest.DSN(t)
	s, schema := openFresh(t, dsn)
	s.Close()
	admin := adminConn(t, dsn)
	if _, err := admin.Exec(t.Context(), "INSERT INTO "+schema+".schema_migrations (version, name) VALUES (9999, 'future')"); err != nil {
		t.Fatal(err)
	}
	s2, err := Open(t.Context(), dsn, WithSchema(schema))
	if err == nil {
		s2.Close()
		t.Fatal("Open of a schema from a newer program succeeded")
	}
	if !strings.Contains(err.Error(), "newer") {
		t.Errorf("error %q does not say the schema is newer", err)
	}
}

// TestOpenPrivileges checks the privileges the package documentation asks
// for: a role without CREATE cannot make a schema, and says so, but can use
// one that an administrator made and granted it.
func TestOpenPrivileges(t *testing.T) {
	dsn := pgtest.DSN(t)
	admin := adminConn(t, dsn)
	ctx := t.Context()
	role := freshSchema(t, dsn) + "_role" // a fresh name; the schema of that name is never made
	if _, err := admin.Exec(ctx, "CREATE ROLE "+role+" LOGIN"); err != nil {
		t.Skipf("cannot create a role on this server: %v", err)
	}
	t.Cleanup(func() {
		ctx := context.WithoutCancel(ctx)
		admin.Exec(ctx, "DROP OWNED BY "+role)
		admin.Exec(ctx, "DROP ROLE "+role)
	})
	var db string
	if err := admin.QueryRow(ctx, "SELECT current_database()").Scan(&db); err != nil {
		t.Fatal(err)
	}
	u, err := url.Parse(dsn)
	if err != nil {
		t.Skipf("the test DSN is not a URL: %v", err)
	}
	u.User = url.User(role)
	roleDSN := u.String()

	// Without CREATE on the database, a new schema cannot be made.
	var canCreate bool
	if err := admin.QueryRow(ctx, "SELECT has_database_privilege($1, $2, 'CREATE')", role, db).Scan(&canCreate); err != nil {
		t.Fatal(err)
	}
	if canCreate {
		t.Logf("PUBLIC has CREATE on database %s; not checking Open without it", db)
	} else if _, err := Open(ctx, roleDSN, WithSchema(freshSchema(t, dsn))); err == nil || !strings.Contains(err.Error(), "CREATE") {
		t.Errorf("Open of a new schema without CREATE: %v, want an error that names the CREATE privilege", err)
	}

	// An administrator makes the schema (by opening it) and grants the role
	// what the documentation lists.
	s, schema := openFresh(t, dsn)
	s.Close()
	grants := fmt.Sprintf(`GRANT USAGE ON SCHEMA %[1]s TO %[2]s;
		GRANT SELECT, INSERT, UPDATE, DELETE ON %[1]s.kv TO %[2]s;
		GRANT SELECT ON %[1]s.schema_migrations TO %[2]s;
		GRANT USAGE, SELECT ON SEQUENCE %[1]s.revision TO %[2]s`, schema, role)
	if _, err := admin.Exec(ctx, grants); err != nil {
		t.Fatal(err)
	}
	rs, err := Open(ctx, roleDSN, WithSchema(schema))
	if err != nil {
		t.Fatalf("Open with the documented grants: %v", err)
	}
	defer rs.Close()
	rev, err := rs.Txn(ctx, []store.Cond{store.Absent("k"), store.NoneWithPrefix("p/")}, []store.Op{store.Put("k", nil), store.Delete("gone")})
	if err != nil {
		t.Fatalf("Txn with the documented grants: %v", err)
	}
	if cur, err := rs.Txn(ctx, nil, nil); err != nil || cur != rev {
		t.Errorf("Txn without ops = %d, %v; want %d", cur, err, rev)
	}
	if err := rs.List(ctx, "", func(store.Item) error { return nil }); err != nil {
		t.Errorf("List with the documented grants: %v", err)
	}
}
