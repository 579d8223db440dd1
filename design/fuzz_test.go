package design_test

import (
	"context"
	"errors"
	"path/filepath"
	"testing"

	"github.com/carrierkit/carrierkit/design"
)

// FuzzOrder decodes arbitrary order files. Whatever the input, decoding
// and designing never panic, every refusal wraps design.ErrInvalid (or is
// a pool error), and every order design accepts yields intent that passes
// Service.Validate.
func FuzzOrder(f *testing.F) {
	files, _ := filepath.Glob("testdata/orders/*.yaml")
	for _, p := range files {
		f.Add(readFile(f, p))
	}
	f.Add([]byte(`{"name":"j","definition":"eline-ldp","endpoints":[{"device":"pe1","interface":"ge-0/0/1"},{"device":"pe2","interface":"ge-0/0/1","vlan":"4000"}]}`))
	inv, cat := testInventory(f), testCatalog(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		o, err := design.DecodeOrder("fuzz.yaml", data, design.FormatAuto)
		if err != nil {
			if !errors.Is(err, design.ErrInvalid) {
				t.Fatalf("decode error without ErrInvalid: %v", err)
			}
			return
		}
		def, ok := cat.Lookup(o.Definition)
		if !ok {
			return
		}
		if len(o.CellSites) > 200 {
			return // keep each input quick
		}
		if err := o.Validate(inv, def); err != nil {
			if !errors.Is(err, design.ErrInvalid) {
				t.Fatalf("Validate error without ErrInvalid: %v", err)
			}
			return
		}
		rs, err := design.DesignAll(context.Background(), newPools(t), inv, def, o)
		if err != nil {
			return // pool refusals (taken, exhausted) are fine here
		}
		for _, r := range rs {
			if err := r.Service.Validate(); err != nil {
				t.Fatalf("accepted order gave invalid intent: %v\norder: %q", err, data)
			}
		}
	})
}
