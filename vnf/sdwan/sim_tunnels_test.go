package sdwan

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/carrierkit/carrierkit/device"
	"github.com/carrierkit/carrierkit/internal/simtest"
	"github.com/carrierkit/carrierkit/sim"
)

// overlayLab is a rendered network running on a simulated network: each
// site an SRX or NFX whose mpls link goes to one provider router and whose
// inet link goes to another (both acx5448, one port per site), every device
// committed over NETCONF.
type overlayLab struct {
	d   Design
	nw  *sim.Network
	ses map[string]device.Session
}

// startOverlay starts d's sites and the two provider routers on loopback
// addresses 127.0.net.N and commits every site's rendered configuration.
func startOverlay(t *testing.T, ctx context.Context, d Design, net int) *overlayLab {
	t.Helper()
	core, err := sim.LookupPlatform("acx5448")
	if err != nil {
		t.Fatal(err)
	}
	ports := core.Ports()
	if len(ports) < len(d.Network.Sites) {
		t.Fatalf("%d sites, the provider router has %d ports", len(d.Network.Sites), len(ports))
	}
	const pass = "admin123"
	var b strings.Builder
	fmt.Fprintf(&b, "name: overlay\ntopology:\n  defaults:\n    kind: linux\n    env:\n      CARRIERKIT_PASSWORD: %s\n  nodes:\n", pass)
	node := func(name, platform string, n int) {
		fmt.Fprintf(&b, "    %s:\n      labels: {carrierkit.sim/platform: %s, carrierkit.sim/address: 127.0.%d.%d}\n", name, platform, net, n)
	}
	node("mpls-core", "acx5448", 1)
	node("inet-core", "acx5448", 2)
	for i, s := range d.Network.Sites {
		platform := "srx345"
		if i%2 == 1 && i > 1 {
			platform = "nfx250"
		}
		node(s.Name, platform, i+3)
	}
	b.WriteString("  links:\n")
	coreCfg := map[string][]string{}
	for i, s := range d.Network.Sites {
		for _, l := range s.Links {
			c := map[string]string{"mpls": "mpls-core", "inet": "inet-core"}[l.Transport]
			port := strings.TrimSuffix(l.Interface, ".0")
			fmt.Fprintf(&b, "    - endpoints: [%q, %q]\n", s.Name+":"+port, c+":"+ports[i].Name)
			coreCfg[c] = append(coreCfg[c], fmt.Sprintf("set interfaces %s unit 0 family inet address %s/%d", ports[i].Name, l.Gateway, l.Address.Bits()))
		}
	}
	topo, err := sim.ParseTopology([]byte(b.String()), sim.TopologyOptions{LookupEnv: func(string) (string, bool) { return "", false }})
	if err != nil {
		t.Fatalf("topology: %v\n%s", err, b.String())
	}
	nw, err := sim.StartNetwork(ctx, topo, sim.NetworkOptions{AnyPort: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { nw.Close() })
	l := &overlayLab{d: d, nw: nw, ses: map[string]device.Session{}}
	dial := func(name string) device.Session { return simtest.Dial(t, ctx, nw.Device(name), "admin", pass) }
	for _, c := range []string{"mpls-core", "inet-core"} {
		s := dial(c)
		if err := s.Load(ctx, device.Change{Format: device.Set, Data: []byte(strings.Join(coreCfg[c], "\n"))}); err != nil {
			t.Fatalf("%s: %v", c, err)
		}
		if err := s.Commit(ctx, device.CommitOptions{}); err != nil {
			t.Fatalf("%s: %v", c, err)
		}
	}
	for _, st := range d.Network.Sites {
		s := dial(st.Name)
		l.ses[st.Name] = s
		c, err := Render(d, st.Name)
		if err != nil {
			t.Fatal(err)
		}
		simtest.Commit(t, ctx, s, c.XML, c.RoutingXML, c.PoliciesXML, c.NATXML)
	}
	nw.Sync()
	return l
}

func (l *overlayLab) rpc(t *testing.T, ctx context.Context, site, rpc string) string {
	t.Helper()
	b, err := l.ses[site].Get(ctx, device.RPCQuery(rpc))
	if err != nil {
		t.Fatalf("%s: %s: %v", site, rpc, err)
	}
	return string(b)
}

func leaf(xml, name string) string {
	i := strings.Index(xml, "<"+name+">")
	if i < 0 {
		return ""
	}
	rest := xml[i+len(name)+2:]
	return rest[:strings.IndexByte(rest, '<')]
}

// activeGateways returns the remote gateways of site's active tunnels and
// the count the device reports.
func (l *overlayLab) activeGateways(t *testing.T, ctx context.Context, site string) (map[string]bool, int) {
	t.Helper()
	rep := l.rpc(t, ctx, site, "<get-security-associations-information/>")
	n, err := strconv.Atoi(leaf(rep, "total-active-tunnels"))
	if err != nil {
		t.Fatalf("%s: no total-active-tunnels:\n%s", site, rep)
	}
	gws := map[string]bool{}
	for _, part := range strings.Split(rep, "<sa-remote-gateway>")[1:] {
		gws[part[:strings.IndexByte(part, '<')]] = true
	}
	return gws, n
}

// routeVia returns the interface site's route to dest's LAN leaves by.
func (l *overlayLab) routeVia(t *testing.T, ctx context.Context, site, dest string) string {
	t.Helper()
	lan := l.d.Network.site(dest).LAN.Addr().Next()
	rep := l.rpc(t, ctx, site, "<get-route-information><destination>"+lan.String()+"</destination></get-route-information>")
	if !strings.Contains(rep, "<protocol-name>Static</protocol-name>") {
		return ""
	}
	return leaf(rep, "via")
}

// wantVia is the st0 (or gr-) unit Design.Path says site uses toward dest.
func (l *overlayLab) wantVia(t *testing.T, site, dest string, f Failures) string {
	t.Helper()
	tu, _, err := l.d.Path(site, dest, f)
	if err != nil {
		return ""
	}
	if l.d.Network.Encapsulation == GREoverIPsec {
		return "gr-0/0/0." + strconv.Itoa(tu.unit(site))
	}
	return "st0." + strconv.Itoa(tu.unit(site))
}

// TestOverlayTunnelsAndHubFailover is the SD-WAN proof on the simulator: a
// 50-spoke network with two hubs and two transports deploys to 52
// simulated SRX and NFX devices behind two provider routers; every tunnel
// comes up (read back as IPsec SAs over NETCONF); each spoke routes to the
// other spokes through hub h1 over MPLS; when h1 fails the spokes' tunnels
// to it go inactive and their routes move to h2, exactly where Design.Path
// predicts; when h1 returns, so do the routes. A spoke's MPLS link cut
// moves it to h1 over the Internet. The same holds with GRE over IPsec
// (the gr- units riding the tunnels), in a partial mesh (spokes of a
// cluster route to each other directly, whatever the hubs do) and in a
// full mesh (spoke tunnels wait on standby for traffic, with no SA, and
// carry the spoke-to-spoke routes).
func TestOverlayTunnelsAndHubFailover(t *testing.T) {
	t.Run("ipsec", func(t *testing.T) { overlayProof(t, HubAndSpoke, IPsec, 50, 42) })
	t.Run("gre-over-ipsec", func(t *testing.T) { overlayProof(t, HubAndSpoke, GREoverIPsec, 20, 44) })
	t.Run("partial-mesh", func(t *testing.T) { overlayProof(t, PartialMesh, IPsec, 20, 45) })
	t.Run("full-mesh", func(t *testing.T) { overlayProof(t, FullMesh, IPsec, 12, 46) })
}

func overlayProof(t *testing.T, topo Topology, enc Encapsulation, spokes, net int) {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	n := network(spokes, topo)
	n.Encapsulation = enc
	for i := range n.Sites {
		l := &n.Sites[i].Links[0] // mpls: give it its provider gateway
		l.Gateway = l.Address.Masked().Addr().Next().Next()
	}
	lab := startOverlay(t, ctx, addressed(t, n), net)
	d := lab.d
	// established are the underlay addresses of the peers site has an
	// established tunnel to while f is down: on-traffic (dynamic mesh)
	// tunnels wait on standby and have no SA.
	established := func(site string, f Failures) map[string]bool {
		want := map[string]bool{}
		for _, tu := range d.Tunnels {
			if tu.has(site) && !tu.OnTraffic && f.tunnelUp(tu) {
				want[n.site(tu.peer(site)).link(tu.Transport).Address.Addr().String()] = true
			}
		}
		return want
	}
	mine := func(site string) (k int) {
		for _, tu := range d.Tunnels {
			if tu.has(site) {
				k++
			}
		}
		return k
	}
	check := func(what, site string, f Failures) {
		t.Helper()
		gws, count := lab.activeGateways(t, ctx, site)
		want := established(site, f)
		if count != len(want) || len(gws) != len(want) {
			t.Errorf("%s: %s: %d active tunnels to %d gateways, want %d", what, site, count, len(gws), len(want))
		}
		for g := range want {
			if !gws[g] {
				t.Errorf("%s: %s: no active tunnel to %s", what, site, g)
			}
		}
		rep := lab.rpc(t, ctx, site, "<get-inactive-tunnels/>")
		if got := leaf(rep, "total-inactive-tunnels"); got != strconv.Itoa(mine(site)-len(want)) {
			t.Errorf("%s: %s: %s inactive tunnels, want %d", what, site, got, mine(site)-len(want))
		}
		if len(f.Sites) > 0 && !strings.Contains(rep, "is not reachable") {
			t.Errorf("%s: %s: no unreachable peer among the inactive tunnels:\n%s", what, site, rep)
		}
	}
	// dest is the spoke after site (wrapping): through a hub in a
	// hub-and-spoke network, direct within a cluster or a full mesh.
	dest := func(i int) string { return n.Sites[2+(i-2+1)%spokes].Name }
	routes := func(what string, f Failures) {
		t.Helper()
		for i, st := range n.Sites[2:] {
			i += 2
			if got, w := lab.routeVia(t, ctx, st.Name, dest(i)), lab.wantVia(t, st.Name, dest(i), f); got != w || w == "" {
				tu, hub, _ := d.Path(st.Name, dest(i), f)
				t.Errorf("%s: %s to %s: via %q, want %q (through %q over %s)", what, st.Name, dest(i), got, w, hub, tu.Transport)
			}
		}
	}

	for _, st := range n.Sites {
		check("all up", st.Name, Failures{})
	}
	routes("all up", Failures{})
	if t.Failed() {
		t.FailNow()
	}

	// h1 fails.
	if err := lab.nw.SetDevice("h1", false); err != nil {
		t.Fatal(err)
	}
	lab.nw.Sync()
	h1Down := Failures{Sites: []string{"h1"}}
	for _, st := range n.Sites[1:] {
		check("h1 down", st.Name, h1Down)
	}
	routes("h1 down", h1Down)

	// h1 comes back: routes return to it.
	if err := lab.nw.SetDevice("h1", true); err != nil {
		t.Fatal(err)
	}
	lab.nw.Sync()
	routes("h1 back", Failures{})

	// s01's MPLS link is cut: its tunnels over MPLS go, routes move to the
	// Internet.
	if err := lab.nw.SetLink("s01:ge-0/0/0", "", false); err != nil {
		t.Fatal(err)
	}
	lab.nw.Sync()
	cut := Failures{Links: []LinkRef{{"s01", "mpls"}}}
	check("s01 mpls cut", "s01", cut)
	if got, w := lab.routeVia(t, ctx, "s01", "s02"), lab.wantVia(t, "s01", "s02", cut); got != w || w == "" {
		t.Errorf("s01 to s02 with its mpls link cut: via %q, want %q (over inet)", got, w)
	}
}
