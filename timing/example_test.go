package timing_test

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"golang.org/x/crypto/ssh"

	"github.com/carrierkit/carrierkit/device"
	"github.com/carrierkit/carrierkit/device/netconf"
	"github.com/carrierkit/carrierkit/sim"
	"github.com/carrierkit/carrierkit/timing"
)

func line(gm, a, b string) *timing.Domain {
	return &timing.Domain{
		Name:     "metro",
		Template: timing.Template{Profile: timing.G82751, Domain: 24},
		Members: []timing.Member{
			{Name: gm, Platform: "mx204", Mode: timing.Grandmaster},
			{Name: a, Platform: "acx710"},
			{Name: b, Platform: "acx2100"},
		},
		Links: []timing.Link{
			{A: timing.End{Device: gm, Interface: "xe-0/1/0"}, B: timing.End{Device: a, Interface: "xe-0/0/0"}},
			{A: timing.End{Device: a, Interface: "xe-0/0/1"}, B: timing.End{Device: b, Interface: "ge-0/0/0"}},
		},
	}
}

// Check refuses a domain with two primary grandmasters, naming both.
func ExampleCheck() {
	d := line("gm", "csr1", "csr2")
	d.Members[2].Mode = timing.Grandmaster
	findings, err := timing.Check(d)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, f := range findings {
		fmt.Println(f)
	}
	_, err = timing.NewPlan(d)
	fmt.Println(errors.Is(err, timing.ErrRefused))
	// Output:
	// error grandmaster-count csr2: 2 primary grandmasters (gm, csr2); a domain has exactly one, plus at most one backup
	// error grandmaster-count gm: 2 primary grandmasters (gm, csr2); a domain has exactly one, plus at most one backup
	// true
}

// Render writes each device's PTP configuration, grandmaster first.
func ExampleRender() {
	p, err := timing.NewPlan(line("gm", "csr1", "csr2"))
	if err != nil {
		fmt.Println(err)
		return
	}
	arts, err := timing.Render(p, timing.Set)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("# %s\n%s", arts[1].Device, arts[1].Body)
	// Output:
	// # csr1
	// set protocols ptp clock-mode boundary
	// set protocols ptp profile-type g.8275.1
	// set protocols ptp domain 24
	// set protocols ptp slave interface xe-0/0/0.0 multicast-mode transport ieee-802.3 link-local
	// set protocols ptp master interface xe-0/0/1.0 multicast-mode transport ieee-802.3 link-local
}

// Apply configures a simulated line of routers over NETCONF, grandmaster
// first, and a Monitor then reads their clocks.
func ExampleApply() {
	ctx := context.Background()
	topo, err := sim.ParseTopology([]byte(`
name: metro
topology:
  defaults: {kind: linux, env: {CARRIERKIT_PASSWORD: example-Pa55}}
  nodes:
    gm:   {labels: {carrierkit.sim/platform: mx204, carrierkit.sim/address: 127.0.43.1}}
    csr1: {labels: {carrierkit.sim/platform: acx710, carrierkit.sim/address: 127.0.43.2}}
    csr2: {labels: {carrierkit.sim/platform: acx2100, carrierkit.sim/address: 127.0.43.3}}
  links:
    - endpoints: ["gm:xe-0/1/0", "csr1:xe-0/0/0"]
    - endpoints: ["csr1:xe-0/0/1", "csr2:ge-0/0/0"]
`), sim.TopologyOptions{LookupEnv: func(string) (string, bool) { return "", false }})
	if err != nil {
		fmt.Println(err)
		return
	}
	nw, err := sim.StartNetwork(ctx, topo, sim.NetworkOptions{AnyPort: true})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer nw.Close()
	sessions := map[string]device.Session{}
	units := map[string]string{"gm": "xe-0/1/0", "csr1": "xe-0/0/0 xe-0/0/1", "csr2": "ge-0/0/0"}
	for _, name := range []string{"gm", "csr1", "csr2"} {
		d := nw.Device(name)
		s, err := netconf.Dial(ctx, device.Target{Name: name, Addr: d.Addr(),
			Credentials: device.Password("admin", "example-Pa55"),
			HostKeys:    device.PinnedKeys(string(ssh.MarshalAuthorizedKey(d.HostKey())))})
		if err != nil {
			fmt.Println(err)
			return
		}
		defer s.Close()
		sessions[name] = s
		// the ports PTP runs on need a unit
		var set []byte
		for _, u := range strings.Fields(units[name]) {
			set = append(set, "set interfaces "+u+" unit 0 family inet\n"...)
		}
		if err := s.Load(ctx, device.Change{Format: device.Set, Data: set}); err != nil {
			fmt.Println(err)
			return
		}
		if err := s.Commit(ctx, device.CommitOptions{}); err != nil {
			fmt.Println(err)
			return
		}
	}

	p, err := timing.NewPlan(line("gm", "csr1", "csr2"))
	if err != nil {
		fmt.Println(err)
		return
	}
	arts, _ := timing.Render(p, timing.XML)
	_, err = timing.Apply(ctx, arts, func(name string) (timing.Configurer, error) { return sessions[name], nil },
		func(pr timing.Progress) { fmt.Printf("%d/%d %s committed\n", pr.Index+1, pr.Total, pr.Device) })
	if err != nil {
		fmt.Println(err)
		return
	}
	nw.Sync()
	getters := map[string]timing.Getter{}
	for k, v := range sessions {
		getters[k] = v
	}
	rep, err := timing.NewMonitor().Check(ctx, getters)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Print(rep)
	// Output:
	// 1/3 gm committed
	// 2/3 csr1 committed
	// 3/3 csr2 committed
	// csr1: ptp locked class 6 steps 1 synce free-run
	// csr2: ptp locked class 6 steps 2 synce free-run
	// gm: ptp locked class 6 steps 0 synce free-run
}
