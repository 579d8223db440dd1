// Command render-eline designs an E-LINE between a Juniper MX and a Nokia
// 7750 SR and prints the configuration of both ends: Junos set lines for the
// MX and MD-CLI for the SR. It is pure: in-memory pools, no devices.
//
//	go run ./examples/render-eline
package main

import (
	"context"
	"fmt"
	"io"
	"net/netip"
	"os"

	"github.com/carrierkit/carrierkit/design"
	"github.com/carrierkit/carrierkit/pool"
	"github.com/carrierkit/carrierkit/render"
	"github.com/carrierkit/carrierkit/store"
)

func main() {
	if err := run(context.Background(), os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "render-eline:", err)
		os.Exit(1)
	}
}

// run designs the E-LINE, claiming its VLANs and VC ID, and writes each
// end's configuration to w.
func run(ctx context.Context, w io.Writer) error {
	inv, err := design.NewInventory([]design.Device{
		{Name: "mx1", Platform: design.Platform{Vendor: design.VendorJuniper, Model: "mx480", Series: "MX"},
			Loopback:   netip.MustParseAddr("192.0.2.1"),
			Interfaces: []design.Interface{{Name: "xe-0/0/1", Role: design.UNI}, {Name: "xe-0/0/0", Role: design.NNI}}},
		{Name: "sr1", Platform: design.Platform{Vendor: design.VendorNokia, Model: "7750-sr1", Series: "7750"},
			Loopback:   netip.MustParseAddr("192.0.2.20"),
			Interfaces: []design.Interface{{Name: "1/1/c2/1", Role: design.UNI}, {Name: "1/1/c1/1", Role: design.NNI}}},
	})
	if err != nil {
		return err
	}
	cat, err := design.NewCatalog()
	if err != nil {
		return err
	}
	def, ok := cat.Lookup(design.DefELineLDP)
	if !ok {
		return fmt.Errorf("catalog has no %s", design.DefELineLDP)
	}
	pools := pool.New(store.NewMemory())
	for _, s := range design.DefaultPools() {
		if err := pools.CreatePool(ctx, s); err != nil {
			return err
		}
	}
	ord := &design.Order{Name: "eline-7", Definition: design.DefELineLDP, Description: "Acme HQ to DC",
		Endpoints: []design.Endpoint{{Device: "mx1", Interface: "xe-0/0/1"}, {Device: "sr1", Interface: "1/1/c2/1"}}}
	svc, err := design.Design(ctx, pools, inv, def, ord)
	if err != nil {
		return err
	}
	cl, err := pools.Claims(ctx, ord.Name)
	if err != nil {
		return err
	}
	for _, c := range cl {
		for _, it := range c.Items {
			fmt.Fprintf(w, "claimed %-6s pool %-4s scope %-12s value %s\n", it.Name, it.Pool, it.Scope, it.Value)
		}
	}
	arts, err := render.All(svc, render.FormatSet)
	if err != nil {
		return err
	}
	for _, a := range arts {
		fmt.Fprintf(w, "\n# %s (%s, %s)\n%s", a.Device, a.Vendor, a.Format, a.Body)
	}
	return nil
}
