// Command vpls-rollback deploys a VPLS to three simulated MX routers over
// NETCONF, all-or-nothing, and then shows a deploy that one router refuses
// being rolled back everywhere: every router keeps its configuration byte
// for byte and the pools give the claimed values back.
//
//	go run ./examples/vpls-rollback
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/netip"
	"os"
	"time"

	"golang.org/x/crypto/ssh"

	"github.com/carrierkit/carrierkit/design"
	"github.com/carrierkit/carrierkit/device"
	"github.com/carrierkit/carrierkit/device/netconf"
	"github.com/carrierkit/carrierkit/netid"
	"github.com/carrierkit/carrierkit/pool"
	"github.com/carrierkit/carrierkit/provision"
	"github.com/carrierkit/carrierkit/sim"
	"github.com/carrierkit/carrierkit/store"
)

func main() {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := run(ctx, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "vpls-rollback:", err)
		os.Exit(1)
	}
}

const user, password = "admin", "example-pass"

// lab is three simulated MX PEs and an orchestrator that reaches them.
type lab struct {
	devs  map[string]*sim.Device
	orch  *provision.Orchestrator
	pools *pool.Manager
	sess  *device.Pool
}

func (l *lab) close() {
	if l.sess != nil {
		l.sess.Close()
	}
	for _, d := range l.devs {
		d.Close()
	}
}

func (l *lab) target(name string) (device.Target, error) {
	d, ok := l.devs[name]
	if !ok {
		return device.Target{}, fmt.Errorf("no device %q", name)
	}
	return device.Target{Name: name, Addr: d.Addr(), Credentials: device.Password(user, password),
		HostKeys: device.PinnedKeys(string(ssh.MarshalAuthorizedKey(d.HostKey())))}, nil
}

func startLab(ctx context.Context) (*lab, error) {
	l := &lab{devs: map[string]*sim.Device{}}
	var inv []design.Device
	for i, name := range []string{"pe1", "pe2", "pe3"} {
		d, err := sim.Start(ctx, sim.Options{Hostname: name, Platform: "mx480", Addr: netip.MustParseAddrPort("127.0.0.1:0"),
			Users: []sim.User{{Name: user, Password: password}}})
		if err != nil {
			l.close()
			return nil, err
		}
		l.devs[name] = d
		inv = append(inv, design.Device{Name: name, Platform: design.Platform{Vendor: design.VendorJuniper, Model: "mx480", Series: "MX"},
			Loopback:   netip.AddrFrom4([4]byte{192, 0, 2, byte(i + 1)}),
			Interfaces: []design.Interface{{Name: "xe-0/0/1", Role: design.UNI}, {Name: "xe-0/0/2", Role: design.UNI}}})
	}
	st := store.NewMemory()
	l.pools = pool.New(st)
	for _, s := range design.DefaultPools() {
		if err := l.pools.CreatePool(ctx, s); err != nil {
			l.close()
			return nil, err
		}
	}
	di, err := design.NewInventory(inv)
	if err != nil {
		l.close()
		return nil, err
	}
	cat, err := design.NewCatalog()
	if err != nil {
		l.close()
		return nil, err
	}
	l.sess = device.NewPool(netconf.Dialer(), device.PoolOptions{})
	l.orch, err = provision.New(provision.Config{Store: st, Pools: l.pools, Sessions: l.sess, Inventory: di, Catalog: cat, Targets: l.target})
	if err != nil {
		l.close()
		return nil, err
	}
	return l, nil
}

// vpls is a BGP VPLS on port p of every PE, with VLAN vlan (0: the pool picks).
func vpls(name, port string, vlan netid.VLANID) design.Order {
	o := design.Order{Name: name, Definition: design.DefVPLSBGP}
	for _, pe := range []string{"pe1", "pe2", "pe3"} {
		o.Endpoints = append(o.Endpoints, design.Endpoint{Device: pe, Interface: port, VLAN: vlan})
	}
	return o
}

func run(ctx context.Context, w io.Writer) error {
	l, err := startLab(ctx)
	if err != nil {
		return err
	}
	defer l.close()

	// 1. A VPLS that every PE accepts.
	ord := vpls("vpls-green", "xe-0/0/1", 0)
	if _, err := l.orch.Submit(ctx, "example", ord); err != nil {
		return err
	}
	r, err := l.orch.Deploy(ctx, "example", ord.Name)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "%s: %s on %d PEs\n", r.Name, r.State, len(r.Active.Devices))

	// 2. Someone configured VLAN 300 on pe3's xe-0/0/2 by hand; a VPLS
	// that asks for VLAN 300 there is refused by pe3's commit check.
	if err := l.commitByHand(ctx, "pe3", "set interfaces xe-0/0/2 flexible-vlan-tagging\nset interfaces xe-0/0/2 unit 7 vlan-id 300"); err != nil {
		return err
	}
	before := map[string]string{}
	for n, d := range l.devs {
		before[n] = string(d.Committed().Text())
	}
	vcBefore, err := l.pools.Usage(ctx, design.PoolRT)
	if err != nil {
		return err
	}
	bad := vpls("vpls-red", "xe-0/0/2", 300)
	if _, err := l.orch.Submit(ctx, "example", bad); err != nil {
		return err
	}
	r, err = l.orch.Deploy(ctx, "example", bad.Name)
	var de *provision.DeployError
	if !errors.As(err, &de) {
		return fmt.Errorf("deploy of %s: want a refused deploy, got %v", bad.Name, err)
	}
	fmt.Fprintf(w, "%s: %s\n", bad.Name, r.State)
	for _, f := range de.Failed {
		var rej *device.RejectedError
		msg := f.Err.Error()
		if errors.As(f.Err, &rej) {
			msg = fmt.Sprintf("%s refused: %s %s", rej.Op, rej.Path, rej.Message)
		}
		fmt.Fprintf(w, "  %s failed in %s: %s\n", f.Device, f.Phase, msg)
	}
	fmt.Fprintf(w, "  every PE reverted: %v\n", de.Reverted)
	for _, n := range []string{"pe1", "pe2", "pe3"} {
		fmt.Fprintf(w, "  %s configuration unchanged: %v\n", n, string(l.devs[n].Committed().Text()) == before[n])
	}
	cl, err := l.pools.Claims(ctx, bad.Name)
	if err != nil {
		return err
	}
	vcAfter, err := l.pools.Usage(ctx, design.PoolRT)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "  values held by %s: %d; route targets in use before %d, after %d\n", bad.Name, len(cl), vcBefore.Held, vcAfter.Held)
	return nil
}

// commitByHand commits set lines on a device outside carrierkit.
func (l *lab) commitByHand(ctx context.Context, dev, lines string) error {
	t, err := l.target(dev)
	if err != nil {
		return err
	}
	s, err := netconf.Dial(ctx, t)
	if err != nil {
		return err
	}
	defer s.Close()
	if err := s.Load(ctx, device.Change{Format: device.Set, Data: []byte(lines)}); err != nil {
		return err
	}
	return s.Commit(ctx, device.CommitOptions{})
}
