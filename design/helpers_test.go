package design_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/carrierkit/carrierkit/design"
	"github.com/carrierkit/carrierkit/pool"
	"github.com/carrierkit/carrierkit/store"
)

// newPools returns a Manager over a memory store holding the default pools.
func newPools(t testing.TB) *pool.Manager {
	t.Helper()
	m := pool.New(store.NewMemory())
	for _, s := range design.DefaultPools() {
		if err := m.CreatePool(context.Background(), s); err != nil {
			t.Fatal(err)
		}
	}
	return m
}

func readFile(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func testInventory(t testing.TB) *design.Inventory {
	t.Helper()
	p := filepath.Join("testdata", "inventory.yaml")
	inv, err := design.DecodeInventory(p, readFile(t, p), design.FormatOf(p))
	if err != nil {
		t.Fatal(err)
	}
	return inv
}

func testCatalog(t testing.TB) *design.Catalog {
	t.Helper()
	p := filepath.Join("testdata", "definitions.yaml")
	c, err := design.DecodeDefinitions(p, readFile(t, p), design.FormatOf(p))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func testOrder(t testing.TB, file string) *design.Order {
	t.Helper()
	p := filepath.Join("testdata", "orders", file)
	o, err := design.DecodeOrder(p, readFile(t, p), design.FormatOf(p))
	if err != nil {
		t.Fatal(err)
	}
	return o
}
