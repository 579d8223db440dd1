package design_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/carrierkit/carrierkit/design"
)

func TestSmoke(t *testing.T) {
	inv, cat, m := testInventory(t), testCatalog(t), newPools(t)
	files, _ := filepath.Glob("testdata/orders/*.yaml")
	for _, f := range files {
		o := testOrder(t, filepath.Base(f))
		def, ok := cat.Lookup(o.Definition)
		if !ok {
			t.Fatal(o.Definition)
		}
		rs, err := design.DesignAll(context.Background(), m, inv, def, o)
		if err != nil {
			t.Errorf("%s: %v", f, err)
			continue
		}
		for _, r := range rs {
			if err := r.Service.Validate(); err != nil {
				t.Errorf("%s: %v", f, err)
			}
		}
		if os.Getenv("SMOKE") == filepath.Base(f) {
			b, _ := json.MarshalIndent(rs, "", " ")
			t.Log(string(b))
		}
	}
}
