package store_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/carrierkit/carrierkit/store"
)

func ExampleNewMemory() {
	ctx := context.Background()
	s := store.NewMemory()
	defer s.Close()

	rev, err := s.Txn(ctx, nil, []store.Op{
		store.Put("vlan/metro-1/100", []byte("customer-a")),
		store.Put("vlan/metro-1/101", []byte("customer-b")),
	})
	if err != nil {
		panic(err)
	}
	fmt.Println("written at revision", rev)

	it, err := s.Get(ctx, "vlan/metro-1/100")
	if err != nil {
		panic(err)
	}
	fmt.Printf("%s = %s (revision %d)\n", it.Key, it.Value, it.Revision)

	_, err = s.Get(ctx, "vlan/metro-1/102")
	fmt.Println("missing key:", errors.Is(err, store.ErrNotFound))
	// Output:
	// written at revision 1
	// vlan/metro-1/100 = customer-a (revision 1)
	// missing key: true
}

// Two writers read the same item; the second to write loses, because its
// condition that the item is unchanged no longer holds.
func ExampleMemory_Txn() {
	ctx := context.Background()
	s := store.NewMemory()
	defer s.Close()
	if _, err := s.Txn(ctx, []store.Cond{store.Absent("counter")}, []store.Op{store.Put("counter", []byte("1"))}); err != nil {
		panic(err)
	}

	a, _ := s.Get(ctx, "counter")
	b, _ := s.Get(ctx, "counter")

	rev, err := s.Txn(ctx, []store.Cond{store.Unchanged("counter", a.Revision)}, []store.Op{store.Put("counter", []byte("2"))})
	fmt.Println("first writer:", rev, err)

	_, err = s.Txn(ctx, []store.Cond{store.Unchanged("counter", b.Revision)}, []store.Op{store.Put("counter", []byte("2"))})
	fmt.Println("second writer:", err)
	var ce *store.ConflictError
	if errors.As(err, &ce) {
		fmt.Printf("conflict on %q: revision %d, wanted %d\n", ce.Cond.Key, ce.Revision, ce.Cond.Revision)
	}
	fmt.Println("is ErrConflict:", errors.Is(err, store.ErrConflict))
	// Output:
	// first writer: 2 <nil>
	// second writer: store: conflict: key "counter" has revision 2, want 1
	// conflict on "counter": revision 2, wanted 1
	// is ErrConflict: true
}

// NoneWithPrefix claims a namespace: only one of several writers creating
// keys under a prefix can be the first.
func ExampleNoneWithPrefix() {
	ctx := context.Background()
	s := store.NewMemory()
	defer s.Close()
	for _, owner := range []string{"alice", "bob"} {
		_, err := s.Txn(ctx,
			[]store.Cond{store.NoneWithPrefix("lock/ring-7/")},
			[]store.Op{store.Put("lock/ring-7/"+owner, nil)})
		fmt.Println(owner+":", err)
	}
	// Output:
	// alice: <nil>
	// bob: store: conflict: key "lock/ring-7/alice" exists under prefix "lock/ring-7/"
}

func ExampleMemory_List() {
	ctx := context.Background()
	s := store.NewMemory()
	defer s.Close()
	_, err := s.Txn(ctx, nil, []store.Op{
		store.Put("vlan/b/200", []byte("y")),
		store.Put("vlan/a/100", []byte("x")),
		store.Put("vrf/a", []byte("z")),
	})
	if err != nil {
		panic(err)
	}
	err = s.List(ctx, "vlan/", func(it store.Item) error {
		fmt.Printf("%s = %s\n", it.Key, it.Value)
		return nil
	})
	if err != nil {
		panic(err)
	}
	// Output:
	// vlan/a/100 = x
	// vlan/b/200 = y
}
