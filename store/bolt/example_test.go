package bolt_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/carrierkit/carrierkit/store"
	"github.com/carrierkit/carrierkit/store/bolt"
)

func ExampleOpen() {
	dir, err := os.MkdirTemp("", "carrierkit-example")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "state.db")
	ctx := context.Background()

	s, err := bolt.Open(path)
	if err != nil {
		panic(err)
	}
	rev, err := s.Txn(ctx, []store.Cond{store.Absent("vlan/100")}, []store.Op{store.Put("vlan/100", []byte("customer-a"))})
	if err != nil {
		panic(err)
	}
	fmt.Println("committed at revision", rev)

	// The file is locked while s is open.
	_, err = bolt.Open(path, bolt.WithLockTimeout(0))
	fmt.Println("second open locked:", errors.Is(err, bolt.ErrLocked))
	if err := s.Close(); err != nil {
		panic(err)
	}

	// Reopened, the store has kept its data and its revision.
	s, err = bolt.Open(path)
	if err != nil {
		panic(err)
	}
	defer s.Close()
	it, err := s.Get(ctx, "vlan/100")
	if err != nil {
		panic(err)
	}
	fmt.Printf("%s = %s (revision %d)\n", it.Key, it.Value, it.Revision)
	// Output:
	// committed at revision 1
	// second open locked: true
	// vlan/100 = customer-a (revision 1)
}
