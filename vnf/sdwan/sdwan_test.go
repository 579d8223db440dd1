package sdwan

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"slices"
	"strings"
	"testing"

	"github.com/carrierkit/carrierkit/internal/yangcheck"
	"github.com/carrierkit/carrierkit/pool"
	"github.com/carrierkit/carrierkit/store"
)

// network builds hubs h1, h2 and spokes s01…sNN, each with an MPLS primary
// and an Internet backup link.
func network(spokes int, topo Topology) Network {
	n := Network{Tenant: "acme", Name: "wan", Topology: topo, Hubs: []string{"h1", "h2"}, PreSharedKey: `s3cret "key" \ x`}
	site := func(name string, i int, cluster string) Site {
		return Site{Name: name, Cluster: cluster, LANInterface: "ge-0/0/2.0",
			LAN: netip.PrefixFrom(netip.AddrFrom4([4]byte{10, byte(i / 256), byte(i % 256), 0}), 24),
			Links: []Link{
				{Transport: "mpls", Interface: "ge-0/0/0.0", Role: Primary,
					Address: netip.PrefixFrom(netip.AddrFrom4([4]byte{172, 16, byte(i / 64), byte(i%64*4 + 1)}), 30)},
				{Transport: "inet", Interface: "ge-0/0/1.0", Role: Backup,
					Address: netip.PrefixFrom(netip.AddrFrom4([4]byte{198, 18, byte(i / 64), byte(i%64*4 + 1)}), 30),
					Gateway: netip.AddrFrom4([4]byte{198, 18, byte(i / 64), byte(i%64*4 + 2)})},
			}}
	}
	n.Sites = append(n.Sites, site("h1", 1, ""), site("h2", 2, ""))
	for i := 1; i <= spokes; i++ {
		n.Sites = append(n.Sites, site(fmt.Sprintf("s%02d", i), i+2, fmt.Sprintf("c%d", (i-1)/5)))
	}
	return n
}

func addressed(t testing.TB, n Network) Design {
	t.Helper()
	d, err := Plan(n)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	m := pool.New(store.NewMemory())
	if err := m.CreatePool(ctx, pool.Spec{Name: "overlay", Kind: pool.KindIPv4, Ranges: []string{"100.64.0.0/16"}, Length: 31}); err != nil {
		t.Fatal(err)
	}
	if err := AssignAddresses(ctx, m, "overlay", &d); err != nil {
		t.Fatal(err)
	}
	return d
}

func TestPlanTunnelCounts(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		topo   Topology
		spokes int
		want   int
		reason string
	}{
		{"hub-and-spoke 50", HubAndSpoke, 50, 2 + 50*2*2, "hub-hub on 2 transports, each spoke to 2 hubs on 2 transports"},
		{"full mesh 6", FullMesh, 6, 2 + 6*4 + 15*2, "plus every spoke pair on 2 transports"},
		{"partial mesh 10", PartialMesh, 10, 2 + 10*4 + 2*10*2, "two clusters of 5: 10 pairs each on 2 transports"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			d, err := Plan(network(tt.spokes, tt.topo))
			if err != nil {
				t.Fatal(err)
			}
			if len(d.Tunnels) != tt.want {
				t.Errorf("%d tunnels, want %d (%s)", len(d.Tunnels), tt.want, tt.reason)
			}
			for _, tu := range d.Tunnels {
				spokeSpoke := tu.HubRank == 0 && d.Network.hubRank(tu.A) == 0
				if tu.OnTraffic != (spokeSpoke && tt.topo == FullMesh) {
					t.Errorf("%s: on-traffic %v", tu.ID(), tu.OnTraffic)
				}
				if (tu.Transport == "inet") != (tu.Role == Backup) {
					t.Errorf("%s: role %v", tu.ID(), tu.Role)
				}
			}
		})
	}
}

func TestAddressesFromPool(t *testing.T) {
	t.Parallel()
	d := addressed(t, network(50, HubAndSpoke))
	seen := map[netip.Prefix]string{}
	for _, tu := range d.Tunnels {
		if tu.Address.Bits() != 31 || !netip.MustParsePrefix("100.64.0.0/16").Contains(tu.Address.Addr()) {
			t.Fatalf("%s: address %v", tu.ID(), tu.Address)
		}
		if o, dup := seen[tu.Address]; dup {
			t.Fatalf("%s and %s share %v", tu.ID(), o, tu.Address)
		}
		seen[tu.Address] = tu.ID()
	}
	// Too small a pool: nothing changes.
	ctx := context.Background()
	m := pool.New(store.NewMemory())
	if err := m.CreatePool(ctx, pool.Spec{Name: "tiny", Kind: pool.KindIPv4, Ranges: []string{"100.65.0.0/28"}, Length: 31}); err != nil {
		t.Fatal(err)
	}
	d2, _ := Plan(network(50, HubAndSpoke))
	if err := AssignAddresses(ctx, m, "tiny", &d2); !errors.Is(err, pool.ErrExhausted) {
		t.Fatalf("tiny pool: %v", err)
	}
	if d2.Tunnels[0].Address.IsValid() {
		t.Error("failed assignment changed the design")
	}
	// Another tenant's identical network gets its own addresses from the
	// same pool: owners are tenant-scoped.
	other := network(2, HubAndSpoke)
	other.Tenant = "globex"
	od, _ := Plan(other)
	mine := network(2, HubAndSpoke)
	md, _ := Plan(mine)
	m2 := pool.New(store.NewMemory())
	if err := m2.CreatePool(ctx, pool.Spec{Name: "overlay", Kind: pool.KindIPv4, Ranges: []string{"100.64.0.0/24"}, Length: 31}); err != nil {
		t.Fatal(err)
	}
	if err := AssignAddresses(ctx, m2, "overlay", &md); err != nil {
		t.Fatal(err)
	}
	if err := AssignAddresses(ctx, m2, "overlay", &od); err != nil {
		t.Fatal(err)
	}
	for i := range md.Tunnels {
		if md.Tunnels[i].Address == od.Tunnels[i].Address {
			t.Fatalf("tenants share %v", md.Tunnels[i].Address)
		}
	}
	// globex releasing its network frees only its own tunnels: acme's
	// claims are all still held, with the same addresses.
	if err := ReleaseAddresses(ctx, m2, &od); err != nil {
		t.Fatal(err)
	}
	acme, err := m2.Claims(ctx, "sdwan/acme/")
	if err != nil {
		t.Fatal(err)
	}
	if len(acme) != len(md.Tunnels) {
		t.Fatalf("acme holds %d claims after globex's release, want %d", len(acme), len(md.Tunnels))
	}
	if globex, _ := m2.Claims(ctx, "sdwan/globex/"); len(globex) != 0 {
		t.Fatalf("globex still holds %d claims", len(globex))
	}
	// A globex network forged with acme's names still releases nothing of
	// acme's: its owner keys carry its own tenant.
	forged := md
	forged.Network.Tenant = "globex"
	forged.Tunnels = slices.Clone(md.Tunnels)
	if err := ReleaseAddresses(ctx, m2, &forged); err != nil {
		t.Fatal(err)
	}
	if acme, _ := m2.Claims(ctx, "sdwan/acme/"); len(acme) != len(md.Tunnels) {
		t.Fatalf("forged release freed acme's claims: %d left", len(acme))
	}
	// Claiming again is idempotent: acme keeps its addresses.
	again, _ := Plan(mine)
	if err := AssignAddresses(ctx, m2, "overlay", &again); err != nil {
		t.Fatal(err)
	}
	for i := range again.Tunnels {
		if again.Tunnels[i].Address != md.Tunnels[i].Address {
			t.Fatalf("re-assign moved %s from %v to %v", again.Tunnels[i].ID(), md.Tunnels[i].Address, again.Tunnels[i].Address)
		}
	}
}

// TestHubFailover: with both hubs up every spoke reaches every other over
// h1 on MPLS; with h1 down, over h2; with h1 down and s07's MPLS down, s07
// uses h2 over the Internet backup.
func TestHubFailover(t *testing.T) {
	t.Parallel()
	d := addressed(t, network(50, HubAndSpoke))
	tests := []struct {
		name      string
		f         Failures
		from      string
		wantVia   string
		wantTrans string
	}{
		{"all up", Failures{}, "s01", "h1", "mpls"},
		{"h1 down", Failures{Sites: []string{"h1"}}, "s01", "h2", "mpls"},
		{"h1 down, own mpls down", Failures{Sites: []string{"h1"}, Links: []LinkRef{{"s07", "mpls"}}}, "s07", "h2", "inet"},
		{"own mpls down", Failures{Links: []LinkRef{{"s07", "mpls"}}}, "s07", "h1", "inet"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			for _, o := range d.Network.Sites[2:] {
				if o.Name == tt.from {
					continue
				}
				tu, via, err := d.Path(tt.from, o.Name, tt.f)
				if err != nil {
					t.Fatalf("%s to %s: %v", tt.from, o.Name, err)
				}
				if via != tt.wantVia || tu.Transport != tt.wantTrans {
					t.Fatalf("%s to %s: via %q over %s, want via %q over %s", tt.from, o.Name, via, tu.Transport, tt.wantVia, tt.wantTrans)
				}
			}
		})
	}
	// Every spoke moves to h2 when h1 fails.
	for _, s := range d.Network.Sites[2:] {
		_, via, err := d.Path(s.Name, "h2", Failures{Sites: []string{"h1"}})
		if err != nil || via != "" {
			t.Fatalf("%s to h2 with h1 down: via %q, %v", s.Name, via, err)
		}
		if _, via, _ := d.Path(s.Name, "s50", Failures{Sites: []string{"h1"}}); s.Name != "s50" && via != "h2" {
			t.Fatalf("%s to s50 with h1 down: via %q", s.Name, via)
		}
	}
	if _, _, err := d.Path("s01", "s02", Failures{Sites: []string{"h1", "h2"}}); !errors.Is(err, ErrNoPath) {
		t.Errorf("both hubs down: %v", err)
	}
}

func TestRenderYANG(t *testing.T) {
	t.Parallel()
	chk := yangcheck.ForTest(t)
	for _, tt := range []struct {
		name string
		topo Topology
		mod  func(*Network)
	}{
		{"hub-and-spoke hub breakout", HubAndSpoke, nil},
		{"full mesh local breakout", FullMesh, func(n *Network) { n.Breakout, n.BreakoutTransport = BreakoutLocal, "inet" }},
		{"partial mesh central breakout", PartialMesh, func(n *Network) { n.Breakout, n.CentralSite = BreakoutCentral, "s01" }},
		{"hub-and-spoke gre over ipsec", HubAndSpoke, func(n *Network) { n.Encapsulation = GREoverIPsec }},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			n := network(6, tt.topo)
			if tt.mod != nil {
				tt.mod(&n)
			}
			d := addressed(t, n)
			var docs, esOnly []yangcheck.Doc
			for _, site := range []string{"h1", "s02"} {
				c, err := Render(d, site)
				if err != nil {
					t.Fatal(err)
				}
				docs = append(docs, yangcheck.Doc{Name: site, XML: c.XML}, yangcheck.Doc{Name: site + " policies", XML: c.PoliciesXML})
				if c.NATXML != nil {
					docs = append(docs, yangcheck.Doc{Name: site + " nat", XML: c.NATXML})
				}
				esOnly = append(esOnly, yangcheck.Doc{Name: site + " routing", XML: c.RoutingXML})
				if site == "s02" {
					set := string(c.Set)
					for _, w := range []string{
						`set security ike policy acme-wan pre-shared-key ascii-text "s3cret \"key\" \\ x"`,
						"set security ipsec vpn acme-wan-h1-mpls bind-interface st0.1",
						"set routing-options static route 10.0.3.0/24 next-hop",
						"qualified-next-hop",
						"set security zones security-zone untrust interfaces ge-0/0/0.0 host-inbound-traffic system-services ike",
						"set security policies from-zone trust to-zone sdwan policy acme-wan-sdwan then permit",
					} {
						if !strings.Contains(set, w) {
							t.Errorf("s02 lacks %q:\n%s", w, set)
						}
					}
					if n.Breakout == BreakoutLocal && !strings.Contains(set, "route 0.0.0.0/0 next-hop 198.18.0.18") {
						t.Errorf("local breakout route missing:\n%s", set)
					}
					if n.Encapsulation == GREoverIPsec {
						tu := d.Tunnels[slices.IndexFunc(d.Tunnels, func(x Tunnel) bool { return x.A == "s02" && x.B == "h1" && x.Transport == "mpls" })]
						st0, st0far := tu.ends("s02")
						_, grefar := tu.hopEnds("s02")
						for _, w := range []string{
							"set interfaces st0 unit 1 family inet address " + st0.String(),
							"set interfaces gr-0/0/0 unit 1 tunnel source " + st0.Addr().String(),
							"set interfaces gr-0/0/0 unit 1 tunnel destination " + st0far.Addr().String(),
							"set security zones security-zone sdwan interfaces gr-0/0/0.1",
							"set routing-options static route 10.0.3.0/24 next-hop " + grefar.Addr().String(),
						} {
							if !strings.Contains(set, w) {
								t.Errorf("gre: s02 lacks %q:\n%s", w, set)
							}
						}
						if tu.GREAddress == tu.Address || !tu.GREAddress.IsValid() {
							t.Errorf("gre address %v, st0 %v", tu.GREAddress, tu.Address)
						}
					}
				}
			}
			// junos-nfx models no routing-options; the routes are checked
			// against junos-es only.
			if err := chk.Validate(context.Background(), yangcheck.FamilyES, append(docs, esOnly...)...); err != nil {
				t.Fatalf("junos-es: %v", err)
			}
			if err := chk.Validate(context.Background(), yangcheck.FamilyNFX, docs...); err != nil {
				t.Fatalf("junos-nfx: %v", err)
			}
		})
	}
}

func TestValidate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		mod  func(*Network)
	}{
		{"hostile tenant", func(n *Network) { n.Tenant = "a b" }},
		{"no topology", func(n *Network) { n.Topology = TopologyNone }},
		{"three hubs", func(n *Network) { n.Hubs = []string{"h1", "h2", "s01"} }},
		{"same hub twice", func(n *Network) { n.Hubs = []string{"h1", "h1"} }},
		{"unknown hub", func(n *Network) { n.Hubs = []string{"hx"} }},
		{"short key", func(n *Network) { n.PreSharedKey = "short" }},
		{"key with newline", func(n *Network) { n.PreSharedKey = "abcdefgh\nset system" }},
		{"site name with semicolon", func(n *Network) { n.Sites[3].Name = "s;x" }},
		{"duplicate site", func(n *Network) { n.Sites[3].Name = "s01" }},
		{"bad LAN interface", func(n *Network) { n.Sites[3].LANInterface = "ge-0/0/2" }},
		{"bad WAN interface", func(n *Network) { n.Sites[3].Links[0].Interface = "ge-0/0/0.0 x" }},
		{"duplicate transport", func(n *Network) { n.Sites[3].Links[1].Transport = "mpls" }},
		{"duplicate underlay address", func(n *Network) { n.Sites[3].Links[0].Address = n.Sites[2].Links[0].Address }},
		{"no primary", func(n *Network) { n.Sites[3].Links[0].Role = Backup }},
		{"no role", func(n *Network) { n.Sites[3].Links[0].Role = RoleNone }},
		{"local breakout without gateway", func(n *Network) { n.Breakout, n.BreakoutTransport = BreakoutLocal, "mpls" }},
		{"central breakout unknown site", func(n *Network) { n.Breakout, n.CentralSite = BreakoutCentral, "dc9" }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			n := network(3, HubAndSpoke)
			n.Sites = slices.Clone(n.Sites)
			for i := range n.Sites {
				n.Sites[i].Links = slices.Clone(n.Sites[i].Links)
			}
			tt.mod(&n)
			if _, err := Plan(n); !errors.Is(err, ErrInvalid) {
				t.Fatalf("Plan: %v, want ErrInvalid", err)
			}
		})
	}
	if _, err := Plan(network(3, HubAndSpoke)); err != nil {
		t.Fatalf("good network: %v", err)
	}
}

func TestRenderRefusesUnaddressed(t *testing.T) {
	t.Parallel()
	d, _ := Plan(network(2, HubAndSpoke))
	if _, err := Render(d, "s01"); !errors.Is(err, ErrInvalid) {
		t.Errorf("unaddressed: %v", err)
	}
	if _, err := Render(d, "nope"); !errors.Is(err, ErrInvalid) {
		t.Errorf("unknown site: %v", err)
	}
}
