package render

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/carrierkit/carrierkit/design"
	"github.com/carrierkit/carrierkit/internal/yangcheck"
	"github.com/carrierkit/carrierkit/pool"
	"github.com/carrierkit/carrierkit/store"
)

// TestDesignOrders designs every sample order of the design package (its
// testdata: inventory, definitions, one order per catalog entry) with
// pools on a memory store, and renders each service for every device in
// every format: design's real intents, end to end, with the Junos XML
// checked against the YANG.
func TestDesignOrders(t *testing.T) {
	dir := filepath.Join("..", "design", "testdata")
	read := func(name string) []byte {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	inv, err := design.DecodeInventory("inventory.yaml", read("inventory.yaml"), design.FormatYAML)
	if err != nil {
		t.Fatal(err)
	}
	cat, err := design.DecodeDefinitions("definitions.yaml", read("definitions.yaml"), design.FormatYAML)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	m := pool.New(store.NewMemory())
	for _, s := range design.DefaultPools() {
		if err := m.CreatePool(ctx, s); err != nil {
			t.Fatal(err)
		}
	}
	orders, err := filepath.Glob(filepath.Join(dir, "orders", "*.yaml"))
	if err != nil || len(orders) == 0 {
		t.Fatalf("no orders in %s (%v)", dir, err)
	}
	docs := map[yangcheck.Family][]yangcheck.Doc{}
	n := 0
	for _, path := range orders {
		o, err := design.DecodeOrder(path, read(filepath.Join("orders", filepath.Base(path))), design.FormatYAML)
		if err != nil {
			t.Fatal(err)
		}
		def, ok := cat.Lookup(o.Definition)
		if !ok {
			t.Fatalf("%s: unknown definition %q", path, o.Definition)
		}
		results, err := design.DesignAll(ctx, m, inv, def, o)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		for _, res := range results {
			for _, f := range allFormats {
				arts, err := All(res.Service, f)
				if err != nil {
					t.Fatalf("%s: %v", filepath.Base(path), err)
				}
				if _, err := Remove(res.Service, f); err != nil {
					t.Fatalf("%s: remove: %v", filepath.Base(path), err)
				}
				for i, a := range arts {
					if f == FormatXML && a.Vendor == design.VendorJuniper {
						fam := yangFamily(res.Service.Devices[i].Platform)
						docs[fam] = append(docs[fam], yangcheck.Doc{Name: filepath.Base(path) + " " + res.Service.Name + " " + a.Device, XML: a.Body})
						n++
					}
				}
			}
		}
	}
	c := yangcheck.ForTest(t)
	for fam, ds := range docs {
		if err := c.Validate(ctx, fam, ds...); err != nil {
			t.Fatal(err)
		}
	}
	t.Logf("%d orders, %d Junos XML documents valid", len(orders), n)
}
