package postgres

import (
	"context"
	"embed"
	"fmt"
	"hash/fnv"
	"io/fs"
	"path"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Migrations are the files migrations/NNNN_name.sql, applied in order of
// NNNN, each once, each in the transaction that records it in the schema's
// schema_migrations table. They name their objects unqualified: they run
// with the search_path set to the store's schema. A migration, once
// released, never changes; later changes are new files.
//
//go:embed migrations/*.sql
var migrationFiles embed.FS

type migration struct {
	version int
	name    string
	sql     string
}

// migrations returns the embedded migrations in order. It panics if a file
// is misnamed or two share a version: that is a bug in this package, caught
// by its tests.
func migrations() []migration {
	names, err := fs.Glob(migrationFiles, "migrations/*.sql")
	if err != nil {
		panic(err)
	}
	var ms []migration
	for i, name := range names { // fs.Glob sorts
		base := strings.TrimSuffix(path.Base(name), ".sql")
		num, label, _ := strings.Cut(base, "_")
		v, err := strconv.Atoi(num)
		if err != nil || v != i+1 || len(num) != 4 {
			panic(fmt.Sprintf("postgres: migration %s: want the name %04d_<label>.sql", name, i+1))
		}
		b, err := migrationFiles.ReadFile(name)
		if err != nil {
			panic(err)
		}
		ms = append(ms, migration{version: v, name: label, sql: string(b)})
	}
	return ms
}

// lockClass is the first key of the advisory lock taken around migrations
// ("ckit"); the second is a hash of the schema name.
const lockClass = 0x636b6974

// migrate creates schema if it is missing and applies the migrations it
// lacks, all in one transaction that holds an advisory lock on the schema's
// name, so that concurrent Opens of one schema wait for each other and then
// find the work done. Nothing that needs more than USAGE on the schema and
// SELECT on schema_migrations runs when the schema is up to date, so a role
// without CREATE can open a schema an administrator made.
func migrate(ctx context.Context, pool *pgxpool.Pool, schema string) error {
	ms := migrations()
	return pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		var encoding string
		if err := tx.QueryRow(ctx, "SELECT current_setting('server_encoding')").Scan(&encoding); err != nil {
			return err
		}
		if encoding != "UTF8" {
			return fmt.Errorf("the database's encoding is %s, want UTF8", encoding)
		}

		h := fnv.New32a()
		h.Write([]byte(schema))
		if _, err := tx.Exec(ctx, "SELECT pg_advisory_xact_lock($1, $2)", int32(lockClass), int32(h.Sum32())); err != nil {
			return fmt.Errorf("lock schema %q for migration: %w", schema, err)
		}

		var hasSchema, hasTable bool
		err := tx.QueryRow(ctx, `SELECT
				EXISTS (SELECT FROM pg_namespace WHERE nspname = $1),
				to_regclass(quote_ident($1) || '.schema_migrations') IS NOT NULL`, schema).Scan(&hasSchema, &hasTable)
		if err != nil {
			return err
		}
		ident := pgx.Identifier{schema}.Sanitize()
		if !hasSchema {
			if _, err := tx.Exec(ctx, "CREATE SCHEMA "+ident); err != nil {
				return fmt.Errorf("create schema %q (this needs CREATE on the database, or create it for carrierkit): %w", schema, err)
			}
		}
		if _, err := tx.Exec(ctx, "SET LOCAL search_path TO "+ident); err != nil {
			return err
		}
		if !hasTable {
			_, err := tx.Exec(ctx, `CREATE TABLE schema_migrations (
				version    integer PRIMARY KEY,
				name       text NOT NULL,
				applied_at timestamptz NOT NULL DEFAULT now()
			)`)
			if err != nil {
				return fmt.Errorf("create %s.schema_migrations (this needs CREATE on the schema): %w", ident, err)
			}
		}

		var current int
		if err := tx.QueryRow(ctx, "SELECT coalesce(max(version), 0) FROM schema_migrations").Scan(&current); err != nil {
			return err
		}
		if current > len(ms) {
			return fmt.Errorf("schema %q is at version %d, newer than this program's %d: upgrade the program", schema, current, len(ms))
		}
		for _, m := range ms[current:] {
			if _, err := tx.Exec(ctx, m.sql); err != nil {
				return fmt.Errorf("migration %04d_%s of schema %q: %w", m.version, m.name, schema, err)
			}
			if _, err := tx.Exec(ctx, "INSERT INTO schema_migrations (version, name) VALUES ($1, $2)", m.version, m.name); err != nil {
				return err
			}
		}
		return nil
	})
}
