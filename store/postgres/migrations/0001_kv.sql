-- The store: one row per key. Keys sort and compare by bytes (COLLATE "C"),
-- whatever the database's default collation, so prefix ranges and listing
-- order match carrierkit's other backends.
CREATE TABLE kv (
	key      text COLLATE "C" PRIMARY KEY
	         CHECK (key <> '' AND octet_length(key) <= 1024),
	value    bytea NOT NULL,
	revision bigint NOT NULL CHECK (revision > 0)
);

-- The store-wide revision counter. CACHE 1 (the default) matters: with a
-- per-session cache a transaction could draw a smaller revision than one
-- that committed before it began.
CREATE SEQUENCE revision AS bigint MINVALUE 1 CACHE 1 NO CYCLE;
