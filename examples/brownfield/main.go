// Command brownfield takes over a network that already carries services:
// it starts two simulated MX routers whose configuration holds an E-LINE
// and a VRF configured by hand, discovers and prestages them over NETCONF,
// imports what they carry into the pools (VLANs, VC IDs, RDs, RTs, PE–CE
// subnets) and recognises the services; a new E-LINE designed afterwards on
// the same port gets values nobody uses.
//
//	go run ./examples/brownfield
package main

import (
	"context"
	"fmt"
	"io"
	"net/netip"
	"os"
	"strings"
	"time"

	"golang.org/x/crypto/ssh"

	"github.com/carrierkit/carrierkit/design"
	"github.com/carrierkit/carrierkit/device"
	"github.com/carrierkit/carrierkit/device/netconf"
	"github.com/carrierkit/carrierkit/inventory"
	"github.com/carrierkit/carrierkit/pool"
	"github.com/carrierkit/carrierkit/sim"
	"github.com/carrierkit/carrierkit/store"
)

func main() {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := run(ctx, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "brownfield:", err)
		os.Exit(1)
	}
}

const user, password = "admin", "example-pass"

// config is a PE's configuration before carrierkit: core (IS-IS, LDP), an
// E-LINE end on xe-0/0/1 unit 100 (VC ID 5100) and a VRF on xe-0/0/2.
func config(name string, n int, peer string) string {
	return fmt.Sprintf(`system { host-name %[1]s; services { ssh; netconf { ssh; } } }
interfaces {
    xe-0/0/0 { unit 0 { family inet { address 10.0.0.%[2]d/31; } family iso; family mpls; } }
    xe-0/0/1 {
        flexible-vlan-tagging;
        encapsulation flexible-ethernet-services;
        unit 100 { description "legacy E-LINE"; encapsulation vlan-ccc; vlan-id 100; }
    }
    xe-0/0/2 { vlan-tagging; unit 200 { vlan-id 200; family inet { address 100.64.0.%[4]d/31; } } }
    lo0 { unit 0 { family inet { address 10.255.0.%[3]d/32; } family iso { address 49.0001.0000.0000.000%[3]d.00; } } }
}
routing-options { router-id 10.255.0.%[3]d; autonomous-system 65000; }
protocols {
    mpls { interface xe-0/0/0.0; }
    isis { interface xe-0/0/0.0 { point-to-point; } interface lo0.0 { passive; } }
    ldp { interface xe-0/0/0.0; }
    l2circuit { neighbor %[5]s { interface xe-0/0/1.100 { virtual-circuit-id 5100; } } }
}
routing-instances {
    CUST-A { instance-type vrf; interface xe-0/0/2.200; route-distinguisher 65000:%[3]d01; vrf-target target:65000:100; }
}
`, name, n-1, n, 2*(n-1), peer)
}

func run(ctx context.Context, w io.Writer) error {
	var devs []*sim.Device
	defer func() {
		for _, d := range devs {
			d.Close()
		}
	}()
	var keys []string
	var targets []inventory.Target
	for i, name := range []string{"pe1", "pe2"} {
		peer := fmt.Sprintf("10.255.0.%d", 2-i)
		d, err := sim.Start(ctx, sim.Options{Hostname: name, Platform: "mx480", Addr: netip.MustParseAddrPort("127.0.0.1:0"),
			Users: []sim.User{{Name: user, Password: password}}, Config: []byte(config(name, i+1, peer))})
		if err != nil {
			return err
		}
		devs = append(devs, d)
		keys = append(keys, string(ssh.MarshalAuthorizedKey(d.HostKey())))
		targets = append(targets, inventory.Target{Addr: d.Addr()})
	}
	st := store.NewMemory()
	pools := pool.New(st)
	for _, s := range design.DefaultPools() {
		if err := pools.CreatePool(ctx, s); err != nil {
			return err
		}
	}
	inv, err := inventory.New(st, netconf.Dialer(), inventory.Options{Credentials: device.Password(user, password),
		HostKeys: device.PinnedKeys(keys...)})
	if err != nil {
		return err
	}
	rep, err := inv.DiscoverTargets(ctx, targets)
	if err != nil {
		return err
	}
	if f := rep.Failed(); len(f) > 0 {
		return fmt.Errorf("discover %s: %w", f[0].Target, f[0].Err)
	}
	fmt.Fprintf(w, "discovered %d devices\n", rep.Reached())
	if _, err := inv.Prestage(ctx); err != nil {
		return err
	}
	imp, err := inv.ImportBrownfield(ctx, pools)
	if err != nil {
		return err
	}
	for _, s := range imp.Services {
		fmt.Fprintf(w, "found %s (%s) on %s, claimed as %s\n", s.ID, s.Type, strings.Join(s.Devices(), ", "), s.Owner)
	}
	for _, p := range []string{design.PoolVLAN, design.PoolVCID, design.PoolRD, design.PoolRT, design.PoolPECE4} {
		fmt.Fprintf(w, "  marked in pool %-8s %d\n", p, imp.Claimed[p])
	}
	for _, s := range imp.Skipped {
		fmt.Fprintf(w, "  skipped %s %s %s: %s\n", s.Pool, s.Scope, s.Value, s.Reason)
	}

	// A new E-LINE on the same ports: design only sees qualified UNIs and
	// the pools already hold the network's values.
	di, err := inv.Design(ctx)
	if err != nil {
		return err
	}
	cat, err := design.NewCatalog()
	if err != nil {
		return err
	}
	def, _ := cat.Lookup(design.DefELineLDP)
	ord := &design.Order{Name: "eline-new", Definition: design.DefELineLDP,
		Endpoints: []design.Endpoint{{Device: "pe1", Interface: "xe-0/0/1"}, {Device: "pe2", Interface: "xe-0/0/1"}}}
	if _, err := design.Design(ctx, pools, di, def, ord); err != nil {
		return err
	}
	cl, err := pools.Claims(ctx, ord.Name)
	if err != nil {
		return err
	}
	for _, it := range cl[0].Items {
		fmt.Fprintf(w, "new E-LINE %s: pool %s %s value %s\n", it.Name, it.Pool, it.Scope, it.Value)
	}
	again, err := inv.ImportBrownfield(ctx, pools)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "importing again changes nothing: %d owners unchanged, %d values claimed\n", again.Unchanged, total(again.Claimed))
	return nil
}

func total(m map[string]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}
