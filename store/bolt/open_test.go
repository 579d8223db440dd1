package bolt_test

import (
	"encoding/binary"
	"errors"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"go.etcd.io/bbolt"

	"github.com/carrierkit/carrierkit/store"
	"github.com/carrierkit/carrierkit/store/bolt"
	"github.com/carrierkit/carrierkit/store/storetest"
)

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Store {
		return open(t, filepath.Join(t.TempDir(), "store.db"))
	})
}

// open opens a durable store (no WithNoSync) that the test must close.
func open(t *testing.T, path string, opts ...bolt.Option) *bolt.Store {
	t.Helper()
	s, err := bolt.Open(path, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestReopen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "store.db")
	s := open(t, path)
	rev := txn(t, s, store.Put("a", []byte("1")), store.Put("b", []byte("2")))
	txn(t, s, store.Delete("b"))
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if perm := fi.Mode().Perm(); perm != 0o600 {
		t.Errorf("file mode %v, want 0600", perm)
	}

	s = open(t, path)
	defer s.Close()
	if s.Path() != path {
		t.Errorf("Path() = %q, want %q", s.Path(), path)
	}
	got, err := s.Get(t.Context(), "a")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(store.Item{Key: "a", Value: []byte("1"), Revision: rev}, got); diff != "" {
		t.Errorf("Get after reopen (-want +got):\n%s", diff)
	}
	if _, err := s.Get(t.Context(), "b"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("deleted key after reopen: %v, want ErrNotFound", err)
	}
	if cur := txn(t, s); cur != rev+1 {
		t.Errorf("revision after reopen = %d, want %d", cur, rev+1)
	}
	if next := txn(t, s, store.Put("c", nil)); next != rev+2 {
		t.Errorf("first write after reopen got revision %d, want %d", next, rev+2)
	}
}

func txn(t *testing.T, s store.Store, ops ...store.Op) int64 {
	t.Helper()
	rev, err := s.Txn(t.Context(), nil, ops)
	if err != nil {
		t.Fatal(err)
	}
	return rev
}

func TestOpenLockedInProcess(t *testing.T) {
	path := filepath.Join(t.TempDir(), "store.db")
	first := open(t, path)

	tests := []struct {
		name    string
		timeout time.Duration
		minWait time.Duration
	}{
		{name: "no wait", timeout: 0},
		{name: "waits for the timeout", timeout: 300 * time.Millisecond, minWait: 200 * time.Millisecond},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			start := time.Now()
			s, err := bolt.Open(path, bolt.WithLockTimeout(tt.timeout))
			waited := time.Since(start)
			if err == nil {
				s.Close()
				t.Fatal("second Open of a locked file succeeded")
			}
			if !errors.Is(err, bolt.ErrLocked) || !strings.Contains(err.Error(), path) {
				t.Errorf("Open: %v; want an error wrapping ErrLocked naming %q", err, path)
			}
			if waited < tt.minWait || waited > tt.timeout+time.Second {
				t.Errorf("Open gave up after %v with lock timeout %v", waited, tt.timeout)
			}
		})
	}

	// A waiting Open succeeds once the holder closes.
	done := make(chan error, 1)
	go func() {
		s, err := bolt.Open(path, bolt.WithLockTimeout(10*time.Second))
		if err == nil {
			err = s.Close()
		}
		done <- err
	}()
	time.Sleep(100 * time.Millisecond)
	if err := first.Close(); err != nil {
		t.Fatal(err)
	}
	if err := <-done; err != nil {
		t.Errorf("Open waiting for the lock: %v", err)
	}
}

func TestOpenInvalidFile(t *testing.T) {
	dir := t.TempDir()
	r := rand.New(rand.NewPCG(7, 7))
	garbage := make([]byte, 64<<10)
	for i := range garbage {
		garbage[i] = byte(r.Uint32())
	}
	// A real store with enough data to span many pages, to damage.
	valid := filepath.Join(dir, "valid.db")
	s := open(t, valid)
	for i := range 100 {
		var ops []store.Op
		for j := range 20 {
			ops = append(ops, store.Put(strconv.Itoa(i*20+j), make([]byte, 200)))
		}
		txn(t, s, ops...)
	}
	s.Close()
	validBytes, err := os.ReadFile(valid)
	if err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name    string
		setup   func(path string) error
		wantErr error
		wantMsg string
	}{
		{
			name:    "random bytes",
			setup:   func(p string) error { return os.WriteFile(p, garbage, 0o600) },
			wantErr: bolt.ErrCorrupt,
		},
		{
			name:    "short text file",
			setup:   func(p string) error { return os.WriteFile(p, []byte("hello\n"), 0o600) },
			wantErr: bolt.ErrCorrupt,
		},
		{
			name:    "truncated to half",
			setup:   func(p string) error { return os.WriteFile(p, validBytes[:len(validBytes)/2], 0o600) },
			wantErr: bolt.ErrCorrupt,
		},
		{
			name:    "truncated to a tenth",
			setup:   func(p string) error { return os.WriteFile(p, validBytes[:len(validBytes)/10], 0o600) },
			wantErr: bolt.ErrCorrupt,
		},
		{
			name: "both meta pages damaged",
			setup: func(p string) error {
				// The meta pages are pages 0 and 1 (bbolt's page size is
				// the OS page size); a flipped byte fails their checksums.
				b := append([]byte(nil), validBytes...)
				ps := os.Getpagesize()
				b[40] ^= 0xff
				b[ps+40] ^= 0xff
				return os.WriteFile(p, b, 0o600)
			},
			wantErr: bolt.ErrCorrupt,
		},
		{
			name: "other bbolt database",
			setup: func(p string) error {
				return withBolt(p, func(tx *bbolt.Tx) error {
					_, err := tx.CreateBucket([]byte("users"))
					return err
				})
			},
			wantErr: bolt.ErrCorrupt,
			wantMsg: `"users"`,
		},
		{
			name: "future format",
			setup: func(p string) error {
				if err := os.WriteFile(p, validBytes, 0o600); err != nil {
					return err
				}
				return withBolt(p, func(tx *bbolt.Tx) error {
					return tx.Bucket([]byte("meta")).Put([]byte("format"), binary.BigEndian.AppendUint64(nil, 2))
				})
			},
			wantErr: bolt.ErrCorrupt,
			wantMsg: "format version 2",
		},
		{
			name:    "directory",
			setup:   func(p string) error { return os.Mkdir(p, 0o700) },
			wantMsg: "is a directory",
		},
		{
			name:    "missing parent",
			setup:   func(p string) error { return os.Remove(filepath.Dir(p)) },
			wantErr: fs.ErrNotExist,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			path := filepath.Join(t.TempDir(), "sub", "store.db")
			if err := os.Mkdir(filepath.Dir(path), 0o700); err != nil {
				t.Fatal(err)
			}
			if err := tt.setup(path); err != nil {
				t.Fatal(err)
			}
			s, err := bolt.Open(path)
			if err == nil {
				s.Close()
				t.Fatal("Open succeeded")
			}
			t.Log(err)
			if tt.wantErr != nil && !errors.Is(err, tt.wantErr) {
				t.Errorf("Open: %v; want an error wrapping %v", err, tt.wantErr)
			}
			if !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), tt.wantMsg) {
				t.Errorf("Open: %v; want a message naming %q and containing %q", err, path, tt.wantMsg)
			}
			if errors.Is(err, bolt.ErrLocked) {
				t.Errorf("Open: %v wraps ErrLocked", err)
			}
		})
	}

	t.Run("empty file is a new store", func(t *testing.T) {
		t.Parallel()
		path := filepath.Join(t.TempDir(), "store.db")
		if err := os.WriteFile(path, nil, 0o600); err != nil {
			t.Fatal(err)
		}
		s := open(t, path)
		defer s.Close()
		txn(t, s, store.Put("k", nil))
	})
	t.Run("failed open releases the lock", func(t *testing.T) {
		t.Parallel()
		path := filepath.Join(t.TempDir(), "store.db")
		if err := os.WriteFile(path, validBytes[:len(validBytes)/2], 0o600); err != nil {
			t.Fatal(err)
		}
		for range 2 {
			if _, err := bolt.Open(path, bolt.WithLockTimeout(0)); !errors.Is(err, bolt.ErrCorrupt) {
				t.Fatalf("Open: %v, want ErrCorrupt", err)
			}
		}
	})
}

// withBolt runs fn in a bbolt write transaction on the file at path.
func withBolt(path string, fn func(*bbolt.Tx) error) error {
	db, err := bbolt.Open(path, 0o600, &bbolt.Options{Timeout: time.Second})
	if err != nil {
		return err
	}
	if err := db.Update(fn); err != nil {
		db.Close()
		return err
	}
	return db.Close()
}
