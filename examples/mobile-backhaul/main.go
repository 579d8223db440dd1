// Command mobile-backhaul deploys the cell-site pseudowires of a mobile
// backhaul order in bulk: one LDP pseudowire from each of 24 simulated ACX
// cell-site routers to a simulated MX hub, in batches pushed all-or-nothing
// with bounded concurrency and progress as each site finishes.
//
//	go run ./examples/mobile-backhaul -sites 24
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/netip"
	"os"
	"strings"
	"sync"
	"time"

	"golang.org/x/crypto/ssh"

	"github.com/carrierkit/carrierkit/design"
	"github.com/carrierkit/carrierkit/device"
	"github.com/carrierkit/carrierkit/device/netconf"
	"github.com/carrierkit/carrierkit/pool"
	"github.com/carrierkit/carrierkit/provision"
	"github.com/carrierkit/carrierkit/sim"
	"github.com/carrierkit/carrierkit/store"
)

func main() {
	sites := flag.Int("sites", 24, "number of cell sites")
	flag.Parse()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := run(ctx, os.Stdout, *sites); err != nil {
		fmt.Fprintln(os.Stderr, "mobile-backhaul:", err)
		os.Exit(1)
	}
}

const user, password = "admin", "example-pass"

func run(ctx context.Context, w io.Writer, sites int) error {
	if sites < 1 || sites > 200 {
		return fmt.Errorf("-sites %d: want 1 to 200", sites)
	}
	devs := map[string]*sim.Device{}
	defer func() {
		for _, d := range devs {
			d.Close()
		}
	}()
	var inv []design.Device
	add := func(name, model, series, uni string, n int) error {
		d, err := sim.Start(ctx, sim.Options{Hostname: name, Platform: model, Addr: netip.MustParseAddrPort("127.0.0.1:0"),
			Users: []sim.User{{Name: user, Password: password}}})
		if err != nil {
			return err
		}
		devs[name] = d
		inv = append(inv, design.Device{Name: name, Platform: design.Platform{Vendor: design.VendorJuniper, Model: model, Series: series},
			Loopback:   netip.AddrFrom4([4]byte{10, 255, byte(n / 250), byte(1 + n%250)}),
			Interfaces: []design.Interface{{Name: uni, Role: design.UNI}}})
		return nil
	}
	if err := add("hub1", "mx480", "MX", "xe-0/0/1", 0); err != nil {
		return err
	}
	ord := design.Order{Name: "mbh", Definition: design.DefMobileBackhaul,
		Endpoints: []design.Endpoint{{Device: "hub1", Interface: "xe-0/0/1"}}}
	for i := 1; i <= sites; i++ {
		name := fmt.Sprintf("csr%02d", i)
		if err := add(name, "acx2100", "ACX", "ge-0/0/1", i); err != nil {
			return err
		}
		ord.CellSites = append(ord.CellSites, design.CellSite{Name: fmt.Sprintf("cell%02d", i), Device: name, Interface: "ge-0/0/1"})
	}
	fmt.Fprintf(w, "started hub1 (mx480) and %d cell-site routers (acx2100)\n", sites)

	targets := func(name string) (device.Target, error) {
		d, ok := devs[name]
		if !ok {
			return device.Target{}, errors.New("unknown device " + name)
		}
		return device.Target{Name: name, Addr: d.Addr(), Credentials: device.Password(user, password),
			HostKeys: device.PinnedKeys(string(ssh.MarshalAuthorizedKey(d.HostKey())))}, nil
	}
	st := store.NewMemory()
	pools := pool.New(st)
	for _, s := range design.DefaultPools() {
		if err := pools.CreatePool(ctx, s); err != nil {
			return err
		}
	}
	di, err := design.NewInventory(inv)
	if err != nil {
		return err
	}
	cat, err := design.NewCatalog()
	if err != nil {
		return err
	}
	sess := device.NewPool(netconf.Dialer(), device.PoolOptions{Total: 2 * (sites + 1)})
	defer sess.Close()
	o, err := provision.New(provision.Config{Store: st, Pools: pools, Sessions: sess, Inventory: di, Catalog: cat, Targets: targets})
	if err != nil {
		return err
	}
	recs, err := o.Submit(ctx, "noc", ord)
	if err != nil {
		return err
	}
	var names []string
	for _, r := range recs {
		names = append(names, r.Name)
	}
	fmt.Fprintf(w, "order %s: %d cell-site services, deployed in batches of 8, 2 batches at a time\n", ord.Name, len(names))
	var mu sync.Mutex
	res, err := o.Bulk(ctx, "noc", names, provision.BulkOptions{BatchSize: 8, Concurrency: 2, Progress: func(p provision.Progress) {
		mu.Lock()
		defer mu.Unlock()
		if p.Done%8 == 0 || p.Done == p.Total || p.Err != nil {
			fmt.Fprintf(w, "  %d/%d done, %d failed\n", p.Done, p.Total, p.Failed)
		}
	}})
	if err != nil {
		return err
	}
	for _, r := range res {
		if r.Err != nil {
			return fmt.Errorf("service %s: %w", r.Service, r.Err)
		}
	}
	hub := string(devs["hub1"].Committed().Text())
	fmt.Fprintf(w, "hub1 terminates %d pseudowires\n", strings.Count(hub, "virtual-circuit-id"))
	u, err := pools.Usage(ctx, design.PoolVCID)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "VC IDs in use: %d\n", u.Held)
	return nil
}
