// Package postgres is a [store.Store] kept in a PostgreSQL database, so that
// several carrierkit processes, on one host or many, can share one set of
// pools:
//
//	dsn, ok := postgres.DSNFromEnv() // CARRIERKIT_PG_DSN
//	if !ok {
//		return errors.New("set CARRIERKIT_PG_DSN")
//	}
//	st, err := postgres.Open(ctx, dsn)
//	if err != nil {
//		return err
//	}
//	defer st.Close()
//	m := pool.New(st)
//
// # Pointing carrierkit at a database
//
// [Open] takes a libpq-style DSN, a URL
// ("postgres://carrierkit:secret@db.example:5432/netops?sslmode=verify-full")
// or keywords ("host=db.example dbname=netops user=carrierkit"). What it
// leaves out comes from the PG* environment variables and ~/.pgpass, as
// with psql. Programs conventionally read it from the environment variable
// CARRIERKIT_PG_DSN with [DSNFromEnv].
//
// Everything carrierkit keeps lives in one schema, "carrierkit" unless
// [WithSchema] names another: the table kv (one row per key), the sequence
// revision, and schema_migrations. Stores with different schemas in one
// database are independent. The database's encoding must be UTF8; its
// collation does not matter, because keys compare as bytes (COLLATE "C").
//
// Privileges: the role that opens a store first, or first after an upgrade
// that brings a migration, creates or changes the schema and owns what it
// creates. It needs CREATE on the database when the schema does not exist
// yet, or, when an administrator made the schema beforehand, CREATE and
// USAGE on that schema. A role that only uses an up-to-date schema needs
// USAGE on the schema, SELECT, INSERT, UPDATE and DELETE on kv, SELECT on
// schema_migrations, and USAGE and SELECT on the sequence revision.
//
// Behind a pooler such as PgBouncer in transaction mode, add
// default_query_exec_mode=exec to the DSN unless the pooler supports
// prepared statements: pgx prepares statements per connection. Everything
// else the package does (its transactions and its transaction-scoped
// advisory locks) works in transaction mode.
//
// Do not write the tables by other means while stores use them: the
// guarantees below assume every writer takes carrierkit's locks.
//
// # Schema and migrations
//
// [Open] creates the schema if it is missing and applies, in order, the
// migrations embedded in the package that schema_migrations does not list,
// all in one transaction that holds a transaction-scoped advisory lock on
// the schema's name. Processes that open one schema at once therefore wait
// for each other, and all but the first find the work done. A program
// older than the schema (one that does not know every recorded migration)
// refuses to open it.
//
// # Isolation
//
// A [Store.Txn] with operations runs as one READ COMMITTED transaction that
// does three things: it takes PostgreSQL advisory locks (transaction-scoped,
// released at commit or rollback) on what it will read and write, then, in a
// single statement, checks its conditions and, if they hold, draws a revision
// and applies its writes, and then commits. The locks, not the isolation
// level, make it correct:
//
//   - Each key written is locked exclusively, and each key an exact condition
//     (absent, or at a revision) names is locked shared, so a transaction
//     that reads a key and one that writes it never overlap.
//   - Each key written also locks shared the "prefix locks" of its leading
//     bytes, every 4 bytes (0, 4, 8, ... of them). A prefix condition on P
//     locks exclusively the prefix lock of P's first len(P) bytes rounded
//     down to a multiple of 4, which every writer of a key under P holds
//     shared. So a key cannot appear under P, phantoms included, while a
//     transaction that checked P is running. The rounding costs some false
//     sharing (a condition on P also waits for writers that share only P's
//     rounded-down part) and keeps the number of locks near len(key)/4 per
//     key. A transaction that would need more than 128 locks takes a single
//     exclusive lock that every writer shares, and runs alone.
//   - The statement that checks and writes starts after the locks are held.
//     At READ COMMITTED it sees a snapshot taken when it starts, and
//     PostgreSQL makes a commit visible before it releases the transaction's
//     locks. So any transaction that could change one of the conditions has
//     either committed, and is in the snapshot, or must wait for this one to
//     commit. The conditions therefore still hold when it commits: writing
//     transactions are serializable over the keys and ranges they touch.
//   - Every transaction takes all its locks in one statement, in one global
//     order, before it touches a row, and a row is only written under its
//     key's exclusive lock, so transactions wait for each other but do not
//     deadlock. Should PostgreSQL still report a deadlock or a serialization
//     failure (another session locking carrierkit's rows could cause one),
//     Txn tries again, conditions and all.
//   - The revision comes from a sequence (nextval, drawn inside the
//     transaction, cached one at a time). A write completed before a Txn
//     began drew its number before, so revisions are unique and greater than
//     those of every earlier completed write. Numbers drawn by transactions
//     that then fail are never used: revisions can have gaps. No row is a
//     counter every writer updates, so writers of different keys do not
//     wait for each other.
//
// Lock ids are 64-bit hashes of the schema, a namespace and the key, in the
// advisory lock space of the database, which other applications may use too:
// a collision makes unrelated transactions wait, nothing worse. The locks
// occupy PostgreSQL's shared lock table (max_locks_per_transaction times
// max_connections entries): at most 128 per transaction, about 40 for a
// typical pool claim.
//
// Reads take no locks. [Store.Get] and [Store.List] are single statements,
// so a listing is one consistent snapshot. A Txn without operations is one
// statement too: it checks its conditions against a snapshot and returns
// the sequence's current value, which is at least the revision of every
// write completed before it.
//
// SERIALIZABLE (PostgreSQL's SSI) was the alternative: conditions as plain
// reads, retried on serialization failure. It is correct, but PostgreSQL
// tracks index reads per page, and claims write neighbouring keys onto the
// same pages, so concurrent claims that do not conflict abort each other. On
// a 2-core machine with 16 clients, transactions of 4 absent conditions and
// 4 puts averaged 1.9 retries and reached 1,060 per second at a p99 latency
// of 133 ms; with the locks, 5,700 per second at 8 ms, and no retries.
//
// # Durability and unknown outcomes
//
// A Txn returns success once PostgreSQL has acknowledged its COMMIT, so it
// is as durable as the server's settings make commits: with
// synchronous_commit on (the default), in the server's flushed
// write-ahead log, and on synchronous standbys if any are configured.
//
// COMMIT is sent on its own, after the statement that checks and writes has
// answered. When the connection fails, the backend is terminated or the
// context ends while COMMIT is in flight, the error wraps
// [store.ErrUnknownOutcome]: the transaction may have committed. Callers
// whose transactions carry conditions can simply try again, since a repeat
// of a write that landed fails its conditions, or read the keys to find out;
// a server still finishing the commit may make it visible a moment later.
// Every other error means nothing was written: PostgreSQL reported that the
// transaction rolled back, or COMMIT was never sent, and the server rolls
// back a transaction whose connection goes away. When a Txn's context ends
// while it waits for another transaction's locks, it returns the context's
// error and drops its connection; the server finishes the statement once it
// gets the locks, finds no COMMIT, and rolls back.
//
// # Concurrency
//
// A [Store] is safe for concurrent use by multiple goroutines and by many
// processes on one schema. Each call holds one pooled connection for its
// duration ([Store.List] until its function has returned for the last item);
// calls beyond the pool size (see [WithMaxConns]) wait for a connection,
// within their context. Transactions on disjoint keys and ranges run in
// parallel; conflicting ones wait for each other's locks, in PostgreSQL,
// holding their connections while they wait. [Store.Close] waits for calls
// in progress.
//
// # Testing
//
// The package's tests need a server: they read its DSN from
// CARRIERKIT_PG_DSN, and fail without it (they skip instead when
// CARRIERKIT_PG_OPTIONAL=1). `make test` provides one; by hand,
//
//	eval "$(bash scripts/pg-test-server.sh start)"
//	go test -race ./store/postgres/
//	bash scripts/pg-test-server.sh stop
package postgres
