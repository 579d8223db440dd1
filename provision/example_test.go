package provision_test

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"strings"
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

// exampleSetup starts two simulated MX routers and an orchestrator that
// reaches them over NETCONF.
func exampleSetup(ctx context.Context, names ...string) (*provision.Orchestrator, []*sim.Device, func(), error) {
	if len(names) == 0 {
		names = []string{"pe1", "pe2"}
	}
	var devs []*sim.Device
	var inv []design.Device
	cleanup := func() {
		for _, d := range devs {
			d.Close()
		}
	}
	for i, name := range names {
		d, err := sim.Start(ctx, sim.Options{Hostname: name, Addr: netip.MustParseAddrPort("127.0.0.1:0"),
			Users: []sim.User{{Name: "admin", Password: "admin123"}}})
		if err != nil {
			cleanup()
			return nil, nil, nil, err
		}
		devs = append(devs, d)
		inv = append(inv, design.Device{Name: name, Platform: design.Platform{Vendor: "juniper", Model: "mx480", Series: "MX"},
			Loopback:   netip.AddrFrom4([4]byte{192, 0, 2, byte(i + 1)}),
			Interfaces: []design.Interface{{Name: "ge-0/0/1", Role: design.UNI}}})
	}
	targets := func(name string) (device.Target, error) {
		for _, d := range devs {
			if d.Hostname() == name {
				return device.Target{Name: name, Addr: d.Addr(), Credentials: device.Password("admin", "admin123"),
					HostKeys: device.PinnedKeys(string(ssh.MarshalAuthorizedKey(d.HostKey())))}, nil
			}
		}
		return device.Target{}, errors.New("unknown device")
	}
	st := store.NewMemory()
	pools := pool.New(st)
	for _, s := range design.DefaultPools() {
		pools.CreatePool(ctx, s)
	}
	in, _ := design.NewInventory(inv)
	cat, _ := design.NewCatalog()
	sessions := device.NewPool(netconf.Dialer(), device.PoolOptions{})
	o, err := provision.New(provision.Config{Store: st, Pools: pools, Sessions: sessions, Inventory: in, Catalog: cat, Targets: targets})
	return o, devs, func() { sessions.Close(); cleanup() }, err
}

// An E-LINE order is submitted, planned (nothing changes), deployed to both
// PEs all-or-nothing, verified and decommissioned.
func Example() {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	o, devs, done, err := exampleSetup(ctx)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer done()

	ord := design.Order{Name: "eline-1", Definition: design.DefELineLDP, Endpoints: []design.Endpoint{
		{Device: "pe1", Interface: "ge-0/0/1"}, {Device: "pe2", Interface: "ge-0/0/1"}}}
	rs, _ := o.Submit(ctx, "alice", ord)
	fmt.Println("submitted:", rs[0].State)

	plans, _ := o.Plan(ctx, ord)
	for _, d := range plans[0].Devices {
		fmt.Printf("plan %s: %d diff lines\n", d.Device, strings.Count(d.Diff, "\n"))
	}

	r, err := o.Deploy(ctx, "alice", "eline-1")
	fmt.Println("deploy:", r.State, err)
	r, _ = o.Verify(ctx, "alice", "eline-1")
	fmt.Println("verify:", r.State)
	fmt.Println("pe2 has the pseudowire:", strings.Contains(string(devs[1].Committed().Text()), "virtual-circuit-id 1000"))

	r, _ = o.Decommission(ctx, "bob", "eline-1")
	fmt.Println("decommission:", r.State)
	for _, a := range r.Audit {
		fmt.Printf("  %s %s: %s → %s %s\n", a.Who, a.Action, a.From, a.To, a.Result)
	}
	// Output:
	// submitted: validated
	// plan pe1: 23 diff lines
	// plan pe2: 23 diff lines
	// deploy: deployed <nil>
	// verify: verified
	// pe2 has the pseudowire: true
	// decommission: decommissioned
	//   alice submit:  → requested ok
	//   alice validate: requested → validated ok
	//   alice deploy: validated → deploying ok
	//   alice deploy: deploying → deployed ok
	//   alice verify: deployed → verified ok
	//   bob decommission: verified → decommissioning ok
	//   bob decommission: decommissioning → decommissioned ok
}

// A device that refuses the change makes the whole deploy roll back: the
// other PE is left as it was and the claim is released.
func ExampleOrchestrator_Deploy_refused() {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	o, devs, done, err := exampleSetup(ctx)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer done()
	before := string(devs[0].Committed().Text())

	// An operator already uses VLAN 300 on pe2's port, outside carrierkit,
	// so pe2's commit check refuses a second unit with that VLAN.
	s, _ := netconf.Dial(ctx, device.Target{Name: "pe2", Addr: devs[1].Addr(), Credentials: device.Password("admin", "admin123"),
		HostKeys: device.PinnedKeys(string(ssh.MarshalAuthorizedKey(devs[1].HostKey())))})
	s.Load(ctx, device.Change{Format: device.Set, Data: []byte("set interfaces ge-0/0/1 flexible-vlan-tagging\nset interfaces ge-0/0/1 unit 9 vlan-id 300")})
	s.Commit(ctx, device.CommitOptions{})
	s.Close()

	ord := design.Order{Name: "eline-2", Definition: design.DefELineLDP, Endpoints: []design.Endpoint{
		{Device: "pe1", Interface: "ge-0/0/1", VLAN: 300}, {Device: "pe2", Interface: "ge-0/0/1"}}}
	o.Submit(ctx, "alice", ord)
	r, err := o.Deploy(ctx, "alice", "eline-2")
	var de *provision.DeployError
	if errors.As(err, &de) {
		fmt.Println("failed on", de.Failed[0].Device, "in", de.Failed[0].Phase, "- reverted:", de.Reverted)
	}
	fmt.Println("state:", r.State)
	fmt.Println("pe1 unchanged:", string(devs[0].Committed().Text()) == before)
	// Output:
	// failed on pe2 in check - reverted: true
	// state: rolled-back
	// pe1 unchanged: true
}

// Bulk deploys the cell-site pseudowires of a mobile backhaul order, each
// service on its own record, reporting progress as each one finishes.
func ExampleOrchestrator_Bulk() {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	o, devs, done, err := exampleSetup(ctx, "hub1", "csr1", "csr2")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer done()
	ord := design.Order{Name: "mbh", Definition: design.DefMobileBackhaul,
		Endpoints: []design.Endpoint{{Device: "hub1", Interface: "ge-0/0/1"}},
		CellSites: []design.CellSite{{Name: "s1", Device: "csr1", Interface: "ge-0/0/1"}, {Name: "s2", Device: "csr2", Interface: "ge-0/0/1"}}}
	rs, err := o.Submit(ctx, "ops", ord)
	if err != nil {
		fmt.Println(err)
		return
	}
	var names []string
	for _, r := range rs {
		names = append(names, r.Name)
	}
	res, err := o.Bulk(ctx, "ops", names, provision.BulkOptions{BatchSize: 1, Concurrency: 1, Progress: func(p provision.Progress) {
		fmt.Printf("%d/%d %s err=%v\n", p.Done, p.Total, p.Service, p.Err)
	}})
	fmt.Println(len(res), err)
	fmt.Println("hub pseudowires:", strings.Count(string(devs[0].Committed().Text()), "virtual-circuit-id"))
	// Output:
	// 1/2 mbh-s1 err=<nil>
	// 2/2 mbh-s2 err=<nil>
	// 2 <nil>
	// hub pseudowires: 2
}
