// Command sdwan deploys a tenant's hub-and-spoke SD-WAN to a simulated
// network and fails its preferred hub: two hubs and N spokes (SRX and NFX)
// with an MPLS and an Internet link each, behind two simulated provider
// routers; tunnel addresses come from a pool; every site's configuration
// (IPsec tunnels, zones, routes with failover, class of service) is
// rendered and committed over NETCONF; the tunnels are read back as IPsec
// security associations, and when hub h1 goes down the spokes' routes move
// to h2 as the design predicts.
//
//	go run ./examples/sdwan -spokes 10
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net/netip"
	"os"
	"strconv"
	"strings"
	"time"

	"golang.org/x/crypto/ssh"

	"github.com/carrierkit/carrierkit/device"
	"github.com/carrierkit/carrierkit/device/netconf"
	"github.com/carrierkit/carrierkit/netid"
	"github.com/carrierkit/carrierkit/pool"
	"github.com/carrierkit/carrierkit/sim"
	"github.com/carrierkit/carrierkit/store"
	"github.com/carrierkit/carrierkit/vnf/sdwan"
)

func main() {
	spokes := flag.Int("spokes", 10, "number of spoke sites")
	flag.Parse()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := run(ctx, os.Stdout, *spokes); err != nil {
		fmt.Fprintln(os.Stderr, "sdwan:", err)
		os.Exit(1)
	}
}

const user, password = "admin", "example-pass"

// network is the tenant's design input: site i has LAN 10.0.i.0/24, an
// MPLS link 172.16.0.(4i+1)/30 and an Internet link 198.18.0.(4i+1)/30,
// each with the provider's address (.2) as gateway.
func network(spokes int) sdwan.Network {
	n := sdwan.Network{Tenant: "acme", Name: "wan", Topology: sdwan.HubAndSpoke, Hubs: []string{"h1", "h2"},
		PreSharedKey: "example-preshared-key"}
	link := func(tr, ifl string, base [2]byte, i int, role sdwan.LinkRole) sdwan.Link {
		a := netip.AddrFrom4([4]byte{base[0], base[1], byte(i / 64), byte(i%64*4 + 1)})
		return sdwan.Link{Transport: tr, Interface: ifl, Role: role, Address: netip.PrefixFrom(a, 30), Gateway: a.Next()}
	}
	for i := 1; i <= spokes+2; i++ {
		name := fmt.Sprintf("s%02d", i-2)
		if i <= 2 {
			name = fmt.Sprintf("h%d", i)
		}
		n.Sites = append(n.Sites, sdwan.Site{Name: name, LANInterface: "ge-0/0/2.0",
			LAN: netip.PrefixFrom(netip.AddrFrom4([4]byte{10, 0, byte(i), 0}), 24),
			Links: []sdwan.Link{
				link("mpls", "ge-0/0/0.0", [2]byte{172, 16}, i, sdwan.Primary),
				link("inet", "ge-0/0/1.0", [2]byte{198, 18}, i, sdwan.Backup),
			}})
	}
	return n
}

// topology is the simulated network: the sites (hubs and even spokes SRX,
// odd spokes NFX) and one provider router per transport with a port per
// site, as containerlab topology text.
func topology(n sdwan.Network, ports []sim.Port) string {
	var b strings.Builder
	fmt.Fprintf(&b, "name: sdwan\ntopology:\n  defaults:\n    kind: linux\n    env:\n      CARRIERKIT_PASSWORD: %s\n  nodes:\n", password)
	node := func(name, platform string, k int) {
		fmt.Fprintf(&b, "    %s:\n      labels: {carrierkit.sim/platform: %s, carrierkit.sim/address: 127.0.60.%d}\n", name, platform, k)
	}
	node("mpls-core", "acx5448", 1)
	node("inet-core", "acx5448", 2)
	for i, s := range n.Sites {
		platform := "srx345"
		if i > 1 && i%2 == 0 {
			platform = "nfx250"
		}
		node(s.Name, platform, i+3)
	}
	b.WriteString("  links:\n")
	for i, s := range n.Sites {
		for _, l := range s.Links {
			port, _, _ := strings.Cut(l.Interface, ".")
			fmt.Fprintf(&b, "    - endpoints: [%q, %q]\n", s.Name+":"+port, l.Transport+"-core:"+ports[i].Name)
		}
	}
	return b.String()
}

func run(ctx context.Context, w io.Writer, spokes int) error {
	if spokes < 1 || spokes > 48 {
		return fmt.Errorf("-spokes %d: want 1 to 48 (one provider port per site)", spokes)
	}
	// Plan, and draw a /31 per tunnel from the tenant's overlay pool.
	d, err := sdwan.Plan(network(spokes))
	if err != nil {
		return err
	}
	pools := pool.New(store.NewMemory())
	if err := pools.CreatePool(ctx, pool.Spec{Name: "acme-overlay", Kind: pool.KindIPv4, Ranges: []string{"100.64.0.0/22"}, Length: 31}); err != nil {
		return err
	}
	if err := sdwan.AssignAddresses(ctx, pools, "acme-overlay", &d); err != nil {
		return err
	}
	fmt.Fprintf(w, "network acme/wan: %d sites, %d tunnels, addresses from acme-overlay (first %s)\n",
		len(d.Network.Sites), len(d.Tunnels), d.Tunnels[0].Address)

	// Start the simulated network and configure the providers' ports.
	core, err := sim.LookupPlatform("acx5448")
	if err != nil {
		return err
	}
	ports := core.Ports()
	topo, err := sim.ParseTopology([]byte(topology(d.Network, ports)), sim.TopologyOptions{})
	if err != nil {
		return err
	}
	nw, err := sim.StartNetwork(ctx, topo, sim.NetworkOptions{AnyPort: true})
	if err != nil {
		return err
	}
	defer nw.Close()
	sessions := map[string]device.Session{}
	defer func() {
		for _, s := range sessions {
			s.Close()
		}
	}()
	dial := func(name string) (device.Session, error) {
		dev := nw.Device(name)
		key := strings.TrimSpace(string(ssh.MarshalAuthorizedKey(dev.HostKey())))
		s, err := netconf.Dial(ctx, device.Target{Name: name, Addr: dev.Addr(), Credentials: device.Password(user, password),
			HostKeys: device.PinnedKeys(key)})
		if err == nil {
			sessions[name] = s
		}
		return s, err
	}
	push := func(s device.Session, docs ...device.Change) error {
		for _, c := range docs {
			if err := s.Load(ctx, c); err != nil {
				return err
			}
		}
		return s.Commit(ctx, device.CommitOptions{Comment: "sdwan acme/wan"})
	}
	providers := map[string][]string{}
	for i, s := range d.Network.Sites {
		for _, l := range s.Links {
			providers[l.Transport] = append(providers[l.Transport],
				fmt.Sprintf("set interfaces %s unit 0 family inet address %s/30", ports[i].Name, l.Gateway))
		}
	}
	for tr, lines := range providers {
		s, err := dial(tr + "-core")
		if err != nil {
			return err
		}
		if err := push(s, device.Change{Format: device.Set, Data: []byte(strings.Join(lines, "\n"))}); err != nil {
			return err
		}
	}

	// Render and commit every site: tunnels, zones, routes, and class of
	// service for voice and business traffic.
	policies := sdwan.Policies{Traffic: []sdwan.TrafficType{
		{Name: "voice", DSCP: 46, Priority: 1, Bandwidth: netid.MustParseBitrate("2M")},
		{Name: "business", DSCP: 26, Priority: 3, Bandwidth: netid.MustParseBitrate("10M")},
	}}
	for _, site := range d.Network.Sites {
		c, err := sdwan.Render(d, site.Name)
		if err != nil {
			return err
		}
		cos, err := sdwan.RenderCoS(d, site.Name, policies, map[string]netid.Bitrate{"mpls": netid.MustParseBitrate("50M"), "inet": netid.MustParseBitrate("100M")})
		if err != nil {
			return err
		}
		var docs []device.Change
		for _, x := range [][]byte{c.XML, c.RoutingXML, c.PoliciesXML, c.NATXML, cos.XML} {
			if x != nil {
				docs = append(docs, device.Change{Format: device.XML, Data: x})
			}
		}
		s, err := dial(site.Name)
		if err != nil {
			return err
		}
		if err := push(s, docs...); err != nil {
			return fmt.Errorf("%s: %w", site.Name, err)
		}
	}
	nw.Sync()
	fmt.Fprintf(w, "committed %d sites and 2 provider routers over NETCONF\n", len(d.Network.Sites))
	for _, h := range d.Network.Hubs {
		n, err := activeTunnels(ctx, sessions[h])
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "%s: %d IPsec tunnels up\n", h, n)
	}
	if err := report(ctx, w, d, sessions, sdwan.Failures{}); err != nil {
		return err
	}

	// The preferred hub fails.
	if err := nw.SetDevice("h1", false); err != nil {
		return err
	}
	nw.Sync()
	fmt.Fprintln(w, "h1 is down")
	rep, err := sessions["s01"].Get(ctx, device.RPCQuery("<get-inactive-tunnels/>"))
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "s01: %s inactive tunnels: %s\n", leaf(string(rep), "total-inactive-tunnels"), leaf(string(rep), "sa-tunnel-event"))
	return report(ctx, w, d, sessions, sdwan.Failures{Sites: []string{"h1"}})
}

// report prints, for every spoke, the interface its route to the next
// spoke's LAN uses on the device and the one Design.Path predicts, and
// fails when they differ.
func report(ctx context.Context, w io.Writer, d sdwan.Design, sessions map[string]device.Session, f sdwan.Failures) error {
	sites := d.Network.Sites[2:]
	agree := 0
	for i, s := range sites {
		dest := sites[(i+1)%len(sites)]
		if dest.Name == s.Name {
			break
		}
		rep, err := sessions[s.Name].Get(ctx, device.RPCQuery("<get-route-information><destination>"+
			dest.LAN.Addr().Next().String()+"</destination></get-route-information>"))
		if err != nil {
			return err
		}
		got := leaf(string(rep), "via")
		tu, hub, err := d.Path(s.Name, dest.Name, f)
		if err != nil {
			return err
		}
		unit := tu.AUnit
		if tu.B == s.Name {
			unit = tu.BUnit
		}
		want := "st0." + strconv.Itoa(unit)
		if got != want {
			return fmt.Errorf("%s to %s: the device routes via %q, the design says %s (through %s over %s)", s.Name, dest.Name, got, want, hub, tu.Transport)
		}
		if agree++; i == 0 {
			fmt.Fprintf(w, "%s to %s's LAN: via %s, through %s over %s\n", s.Name, dest.Name, got, hub, tu.Transport)
		}
	}
	fmt.Fprintf(w, "%d spokes route where Design.Path says\n", agree)
	return nil
}

func activeTunnels(ctx context.Context, s device.Session) (int, error) {
	rep, err := s.Get(ctx, device.RPCQuery("<get-security-associations-information/>"))
	if err != nil {
		return 0, err
	}
	return strconv.Atoi(leaf(string(rep), "total-active-tunnels"))
}

// leaf returns the text of the first element called name in an XML reply.
func leaf(xml, name string) string {
	_, rest, ok := strings.Cut(xml, "<"+name+">")
	if !ok {
		return ""
	}
	v, _, _ := strings.Cut(rest, "<")
	return v
}
