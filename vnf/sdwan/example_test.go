package sdwan_test

import (
	"context"
	"fmt"
	"net/netip"
	"time"

	"github.com/carrierkit/carrierkit/pool"
	"github.com/carrierkit/carrierkit/store"
	"github.com/carrierkit/carrierkit/vnf/sdwan"
)

// Example plans a two-hub hub-and-spoke network, addresses its tunnels from
// a pool, and shows where a spoke's traffic goes before and after the
// preferred hub fails.
func Example() {
	site := func(name string, i byte) sdwan.Site {
		return sdwan.Site{Name: name, LAN: netip.PrefixFrom(netip.AddrFrom4([4]byte{10, i, 0, 0}), 24), LANInterface: "ge-0/0/2.0",
			Links: []sdwan.Link{{Transport: "mpls", Interface: "ge-0/0/0.0", Role: sdwan.Primary,
				Address: netip.PrefixFrom(netip.AddrFrom4([4]byte{172, 16, i, 1}), 30)}}}
	}
	n := sdwan.Network{Tenant: "acme", Name: "wan", Topology: sdwan.HubAndSpoke, Hubs: []string{"hub1", "hub2"},
		PreSharedKey: "correct horse battery",
		Sites:        []sdwan.Site{site("hub1", 1), site("hub2", 2), site("paris", 3), site("lyon", 4)}}
	d, err := sdwan.Plan(n)
	if err != nil {
		fmt.Println(err)
		return
	}
	ctx := context.Background()
	pools := pool.New(store.NewMemory())
	if err := pools.CreatePool(ctx, pool.Spec{Name: "overlay", Kind: pool.KindIPv4, Ranges: []string{"100.64.0.0/24"}, Length: 31}); err != nil {
		fmt.Println(err)
		return
	}
	if err := sdwan.AssignAddresses(ctx, pools, "overlay", &d); err != nil {
		fmt.Println(err)
		return
	}
	for _, t := range d.Tunnels {
		fmt.Println(t.ID(), t.Address)
	}
	for _, f := range []sdwan.Failures{{}, {Sites: []string{"hub1"}}} {
		t, via, err := d.Path("paris", "lyon", f)
		fmt.Println("paris to lyon, down", f.Sites, "via", via, "on st0."+fmt.Sprint(t.AUnit), err)
	}
	// Output:
	// hub1--hub2--mpls 100.64.0.0/31
	// paris--hub1--mpls 100.64.0.2/31
	// paris--hub2--mpls 100.64.0.4/31
	// lyon--hub1--mpls 100.64.0.6/31
	// lyon--hub2--mpls 100.64.0.8/31
	// paris to lyon, down [] via hub1 on st0.1 <nil>
	// paris to lyon, down [hub1] via hub2 on st0.2 <nil>
}

// ExampleSteer steers voice off a lossy primary link while bulk traffic,
// whose profile tolerates the loss, stays on it.
func ExampleSteer() {
	p := sdwan.Policies{
		Traffic: []sdwan.TrafficType{{Name: "voice", DSCP: 46, Priority: 1}, {Name: "bulk", DSCP: 10, Priority: 6}},
		SLAs: []sdwan.SLAProfile{{Name: "realtime", MaxLoss: 1, MaxRTT: 150 * time.Millisecond, MaxJitter: 30 * time.Millisecond},
			{Name: "besteffort", MaxLoss: 5}},
		Apps: []sdwan.AppPolicy{{Name: "sip", Applications: []string{"junos:SIP"}, Traffic: "voice", SLA: "realtime"},
			{Name: "ftp", Applications: []string{"junos:FTP"}, Traffic: "bulk", SLA: "besteffort"}},
	}
	st, err := sdwan.Steer(p, []sdwan.Measurement{
		{Transport: "mpls", Role: sdwan.Primary, Up: true, Loss: 2.5, RTT: 30 * time.Millisecond, Jitter: 4 * time.Millisecond},
		{Transport: "inet", Role: sdwan.Backup, Up: true, Loss: 0.2, RTT: 45 * time.Millisecond, Jitter: 9 * time.Millisecond},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, s := range st {
		fmt.Println(s.App, s.Transport, s.MeetsSLA)
	}
	// Output:
	// sip inet true
	// ftp mpls true
}
