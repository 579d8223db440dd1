// Command oam-vpn deploys a full-mesh L3VPN on a small simulated network
// (three MX PEs around a PTX, from network.clab.yml) and runs its full-mesh
// MPLS OAM: every site pings every other site's prefix with ping mpls l3vpn.
// It prints the results as a table, writes the matrix as SVG and JSON, then
// puts 30 % loss on one PE's core link and shows the diagnosis.
//
//	go run ./examples/oam-vpn -out out/oam-vpn
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"time"

	"golang.org/x/crypto/ssh"

	"github.com/carrierkit/carrierkit/design"
	"github.com/carrierkit/carrierkit/device"
	"github.com/carrierkit/carrierkit/device/netconf"
	"github.com/carrierkit/carrierkit/oam"
	"github.com/carrierkit/carrierkit/pool"
	"github.com/carrierkit/carrierkit/provision"
	"github.com/carrierkit/carrierkit/sim"
	"github.com/carrierkit/carrierkit/store"
)

func main() {
	topo := flag.String("topology", "examples/oam-vpn/network.clab.yml", "containerlab topology")
	out := flag.String("out", "out/oam-vpn", "directory for the matrix files")
	flag.Parse()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := run(ctx, os.Stdout, *topo, *out); err != nil {
		fmt.Fprintln(os.Stderr, "oam-vpn:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, w io.Writer, topoFile, out string) error {
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	topo, err := sim.LoadTopology(topoFile)
	if err != nil {
		return err
	}
	nw, err := sim.StartNetwork(ctx, topo, sim.NetworkOptions{AnyPort: true})
	if err != nil {
		return err
	}
	defer nw.Close()

	// The PEs, as an inventory would list them.
	var inv []design.Device
	for i, name := range []string{"pe1", "pe2", "pe3"} {
		inv = append(inv, design.Device{Name: name, Platform: design.Platform{Vendor: design.VendorJuniper, Model: "mx480", Series: "MX"},
			Loopback:   netip.AddrFrom4([4]byte{10, 255, 0, byte(11 + i)}),
			Interfaces: []design.Interface{{Name: "xe-0/0/1", Role: design.UNI}, {Name: "xe-0/0/0", Role: design.NNI}}})
	}
	targets := func(name string) (device.Target, error) {
		d := nw.Device(name)
		if d == nil {
			return device.Target{}, fmt.Errorf("no device %q", name)
		}
		return device.Target{Name: name, Addr: d.Addr(), Credentials: device.Password(sim.DefaultUser, sim.DefaultPassword),
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
	sess := device.NewPool(netconf.Dialer(), device.PoolOptions{PerDevice: 2})
	defer sess.Close()
	orch, err := provision.New(provision.Config{Store: st, Pools: pools, Sessions: sess, Inventory: di, Catalog: cat, Targets: targets})
	if err != nil {
		return err
	}

	// A full-mesh L3VPN, each site with a customer LAN behind its CE.
	ord := design.Order{Name: "vpn-blue", Definition: design.DefL3VPNFullMesh}
	for i, pe := range []string{"pe1", "pe2", "pe3"} {
		ord.Endpoints = append(ord.Endpoints, design.Endpoint{Device: pe, Interface: "xe-0/0/1", Site: "site-" + pe,
			Routes: []netip.Prefix{netip.PrefixFrom(netip.AddrFrom4([4]byte{192, 168, byte(i + 1), 0}), 24)}})
	}
	if _, err := orch.Submit(ctx, "example", ord); err != nil {
		return err
	}
	r, err := orch.Deploy(ctx, "example", ord.Name)
	if err != nil {
		return err
	}
	nw.Sync()
	fmt.Fprintf(w, "deployed %s on %d PEs\n", r.Name, len(r.Active.Devices))

	plan, err := oam.PlanService(*r.Active, oam.PlanOptions{Count: 10})
	if err != nil {
		return err
	}
	conn := oam.PoolConnector(sess, func(dev string) (device.Target, bool) {
		t, err := targets(dev)
		return t, err == nil
	})
	check := func(file string) (oam.Report, error) {
		res, err := oam.Run(ctx, conn, plan, oam.Options{Attempts: 2})
		if err != nil {
			return oam.Report{}, err
		}
		findings, _, err := oam.Diagnose(ctx, conn, plan, res, 0)
		if err != nil {
			return oam.Report{}, err
		}
		rep := oam.NewReport(plan, res, findings)
		if err := rep.WriteTable(w); err != nil {
			return rep, err
		}
		b, err := rep.JSON()
		if err != nil {
			return rep, err
		}
		if err := os.WriteFile(filepath.Join(out, file+".json"), b, 0o644); err != nil {
			return rep, err
		}
		var svg strings.Builder
		if err := rep.WriteSVG(&svg); err != nil {
			return rep, err
		}
		if err := os.WriteFile(filepath.Join(out, file+".svg"), []byte(svg.String()), 0o644); err != nil {
			return rep, err
		}
		fmt.Fprintf(w, "all ok: %v; wrote %s.svg and %s.json\n", rep.OK(), file, file)
		return rep, nil
	}
	fmt.Fprintf(w, "\nfull-mesh OAM, %d probes:\n", len(plan.Probes))
	if _, err := check("healthy"); err != nil {
		return err
	}
	if err := nw.SetImpairment("pe3:eth1", "", sim.LinkImpairment{Delay: 5 * time.Millisecond, Loss: 30}); err != nil {
		return err
	}
	nw.Sync()
	fmt.Fprintf(w, "\n30%% loss on pe3's core link:\n")
	_, err = check("lossy")
	return err
}
