package netstate

import (
	"fmt"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/carrierkit/carrierkit/sim/junosconf"
)

// vpnLab is two hubs (h1 preferred, h2) and two spokes (s1, s2) behind one
// provider router "isp": site N's WAN port ge-0/0/0 has 100.64.N.1/30
// facing isp's xe-0/0/N (100.64.N.2) and a static route to the provider's
// 100.64.0.0/16 through it. Each spoke has an st0 unit to each hub and a
// route to the other spoke's LAN (10.N.0.0/24) through h1, falling back to
// h2 with a qualified next hop. mod edits a device's configuration text
// before it is parsed.
type vpnLab struct {
	sites []string
	mod   map[string]func(string) string
	down  map[string]bool
	cut   map[string]bool // sites whose WAN link is down
	noSec bool            // leave out IKE and IPsec (a baseline for benchmarks)
}

func newVPNLab() *vpnLab { return newVPNLabN(2) }

// newVPNLabN has spokes s1…sN; each routes to the next spoke's LAN (the
// last to the first's).
func newVPNLabN(spokes int) *vpnLab {
	l := &vpnLab{sites: []string{"h1", "h2"}, mod: map[string]func(string) string{},
		down: map[string]bool{}, cut: map[string]bool{}}
	for i := 1; i <= spokes; i++ {
		l.sites = append(l.sites, fmt.Sprintf("s%d", i))
	}
	return l
}

func (l *vpnLab) n(site string) int {
	for i, s := range l.sites {
		if s == site {
			return i + 1
		}
	}
	panic(site)
}

func wan(n int) string { return fmt.Sprintf("100.64.%d.1", n) }

// tunnel returns the /31 of spoke s to hub h and the spoke's st0 unit.
func tunnelNet(spoke, hub int) (netip.Addr, int) {
	i := (spoke-3)*2 + hub - 1
	return netip.AddrFrom4([4]byte{10, 255, byte(2 * i >> 8), byte(2 * i)}), hub
}

func (l *vpnLab) config(site string) string {
	n := l.n(site)
	var b strings.Builder
	fmt.Fprintf(&b, "interfaces { ge-0/0/0 { unit 0 { family inet { address %s/30; } } }\n", wan(n))
	fmt.Fprintf(&b, "ge-0/0/2 { unit 0 { family inet { address 10.%d.0.1/24; } } }\n", n)
	type tun struct {
		unit       int
		local, far netip.Addr
		peer       int
	}
	var tuns []tun
	if site[0] == 's' {
		for h := 1; h <= 2; h++ {
			a, u := tunnelNet(n, h)
			tuns = append(tuns, tun{u, a, a.Next(), h})
		}
	} else {
		for s := 3; s <= len(l.sites); s++ {
			a, _ := tunnelNet(s, n)
			tuns = append(tuns, tun{s - 2, a.Next(), a, s})
		}
	}
	b.WriteString("st0 {\n")
	for _, t := range tuns {
		fmt.Fprintf(&b, "unit %d { family inet { address %s/31; } }\n", t.unit, t.local)
	}
	b.WriteString("} }\n")
	fmt.Fprintf(&b, "routing-options { static { route 100.64.0.0/16 next-hop 100.64.%d.2;\n", n)
	if site[0] == 's' {
		other := n + 1 // the next spoke, the last one's the first
		if other > len(l.sites) {
			other = 3
		}
		a1, _ := tunnelNet(n, 1)
		a2, _ := tunnelNet(n, 2)
		fmt.Fprintf(&b, "route 10.%d.0.0/24 { next-hop %s; qualified-next-hop %s { preference 6; } }\n", other, a1.Next(), a2.Next())
	}
	b.WriteString("} }\n")
	if l.noSec {
		return b.String()
	}
	b.WriteString(`security { ike {
  proposal p1 { authentication-method pre-shared-keys; dh-group group14; authentication-algorithm sha-256; encryption-algorithm aes-256-cbc; }
  policy pol { mode main; proposals p1; pre-shared-key ascii-text "secret-key"; }
`)
	for _, t := range tuns {
		fmt.Fprintf(&b, "gateway gw-%s { ike-policy pol; address %s; external-interface ge-0/0/0.0; }\n", l.sites[t.peer-1], wan(t.peer))
	}
	b.WriteString("}\nipsec { proposal p2 { protocol esp; authentication-algorithm hmac-sha-256-128; encryption-algorithm aes-256-cbc; }\n policy ipol { proposals p2; }\n")
	for _, t := range tuns {
		fmt.Fprintf(&b, "vpn vpn-%s { bind-interface st0.%d; ike { gateway gw-%s; ipsec-policy ipol; } establish-tunnels immediately; }\n",
			l.sites[t.peer-1], t.unit, l.sites[t.peer-1])
	}
	b.WriteString("} }\n")
	text := b.String()
	if m := l.mod[site]; m != nil {
		text = m(text)
	}
	return text
}

func (l *vpnLab) input(t testing.TB) Input {
	t.Helper()
	isp := "interfaces {\n"
	var in Input
	for _, s := range l.sites {
		n := l.n(s)
		isp += fmt.Sprintf("xe-0/0/%d { unit 0 { family inet { address 100.64.%d.2/30; } } }\n", n, n)
		tr, err := junosconf.Parse(junosconf.FormatText, []byte(l.config(s)), junosconf.FamilyES)
		if err != nil {
			t.Fatalf("%s: %v\n%s", s, err, l.config(s))
		}
		in.Devices = append(in.Devices, Device{Name: s, Family: junosconf.FamilyES, Up: !l.down[s], Config: tr})
		in.Links = append(in.Links, Link{A: Endpoint{s, "ge-0/0/0"}, B: Endpoint{"isp", fmt.Sprintf("xe-0/0/%d", n)},
			Up: !l.cut[s], Delay: time.Millisecond})
	}
	in.Devices = append(in.Devices, Device{Name: "isp", Family: junosconf.FamilyJunos, Up: true, Config: mustParse(t, isp+"}\n")})
	return in
}

func vpnOf(t *testing.T, st *State, dev, name string) IPsecVPN {
	t.Helper()
	for _, v := range st.IPsecVPNs(dev) {
		if v.Name == name {
			return v
		}
	}
	t.Fatalf("%s: no VPN %s in %+v", dev, name, st.IPsecVPNs(dev))
	return IPsecVPN{}
}

func staticTo(t *testing.T, st *State, dev, prefix string) (Route, bool) {
	t.Helper()
	for _, r := range st.Routes(dev, "inet.0") {
		if r.Prefix.String() == prefix && r.Protocol == "Static" {
			return r, true
		}
	}
	return Route{}, false
}

func TestIPsecTunnelsUpAndRoutesPreferTheFirstHub(t *testing.T) {
	t.Parallel()
	st := Compute(newVPNLab().input(t))
	for _, dev := range []string{"s1", "s2"} {
		for _, hub := range []string{"h1", "h2"} {
			v := vpnOf(t, st, dev, "vpn-"+hub)
			if !v.Up || !v.IKEUp || v.Peer != hub || v.Reason != "" {
				t.Errorf("%s vpn-%s: %+v, want up with peer %s", dev, hub, v, hub)
			}
			far := vpnOf(t, st, hub, "vpn-"+dev)
			if !far.Up || v.OutSPI != far.InSPI || v.InSPI != far.OutSPI || v.OutSPI == v.InSPI || v.IKEIndex != far.IKEIndex {
				t.Errorf("%s–%s: SPIs %x/%x vs %x/%x, IKE index %d vs %d: want each end's outbound the other's inbound",
					dev, hub, v.OutSPI, v.InSPI, far.OutSPI, far.InSPI, v.IKEIndex, far.IKEIndex)
			}
			if v.Encryption != "aes-256-cbc" || v.Authentication != "hmac-sha-256-128" || v.Protocol != "esp" {
				t.Errorf("%s vpn-%s: proposal %s/%s/%s", dev, hub, v.Protocol, v.Encryption, v.Authentication)
			}
		}
		if !st.InterfaceUp(dev, "st0.1") || !st.InterfaceUp(dev, "st0.2") {
			t.Errorf("%s: st0 units down with their VPNs up", dev)
		}
	}
	if v := vpnOf(t, st, "s1", "vpn-h2"); v.Index != TunnelIndexBase+1 || vpnOf(t, st, "s1", "vpn-h1").Index != TunnelIndexBase {
		t.Errorf("tunnel indexes %d, %d: want configuration order from %d", vpnOf(t, st, "s1", "vpn-h1").Index, v.Index, TunnelIndexBase)
	}
	r, ok := staticTo(t, st, "s1", "10.4.0.0/24")
	if !ok || r.Via != "st0.1" || r.NextHop.String() != "10.255.0.1" || r.Preference != 5 {
		t.Errorf("s1 to s2's LAN: %+v (found %v), want next hop 10.255.0.1 via st0.1 (h1) at preference 5", r, ok)
	}
	var direct bool
	for _, r := range st.Routes("s1", "inet.0") {
		direct = direct || r.Protocol == "Direct" && r.Via == "st0.1"
	}
	if !direct {
		t.Error("s1: no direct route on the up st0.1")
	}
}

func TestIPsecHubDownMovesRoutesToTheSecondHub(t *testing.T) {
	t.Parallel()
	l := newVPNLab()
	l.down["h1"] = true
	st := Compute(l.input(t))
	v := vpnOf(t, st, "s1", "vpn-h1")
	if v.Up || v.IKEUp || !strings.Contains(v.Reason, "not reachable") {
		t.Errorf("s1 vpn-h1 with h1 down: %+v, want down, peer not reachable", v)
	}
	if st.InterfaceUp("s1", "st0.1") || !st.InterfaceUp("s1", "st0.2") {
		t.Error("s1: want st0.1 (to h1) down and st0.2 (to h2) up")
	}
	r, ok := staticTo(t, st, "s1", "10.4.0.0/24")
	if !ok || r.Via != "st0.2" || r.NextHop.String() != "10.255.0.3" || r.Preference != 6 {
		t.Errorf("s1 to s2's LAN with h1 down: %+v (found %v), want the qualified next hop 10.255.0.3 via st0.2 at preference 6", r, ok)
	}
	if !vpnOf(t, st, "s2", "vpn-h2").Up {
		t.Error("s2 vpn-h2 went down with h1")
	}
	// Both hubs gone: no route at all.
	l.down["h2"] = true
	st = Compute(l.input(t))
	if r, ok := staticTo(t, st, "s1", "10.4.0.0/24"); ok {
		t.Errorf("both hubs down: s1 still routes s2's LAN: %+v", r)
	}
}

func TestIPsecFailures(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		setup  func(l *vpnLab)
		dev    string
		vpn    string
		ikeUp  bool
		reason string
		keep   string // the spokes' VPN that must stay up
	}{
		{"pre-shared keys differ", func(l *vpnLab) {
			l.mod["h1"] = func(s string) string { return strings.Replace(s, "secret-key", "other-key", 1) }
		}, "s1", "vpn-h1", false, "pre-shared keys differ", "vpn-h2"},
		{"no IKE proposal in common", func(l *vpnLab) {
			l.mod["h1"] = func(s string) string { return strings.Replace(s, "dh-group group14", "dh-group group19", 1) }
		}, "s1", "vpn-h1", false, "no IKE proposal in common", "vpn-h2"},
		{"no IPsec proposal in common", func(l *vpnLab) {
			l.mod["h2"] = func(s string) string { return strings.Replace(s, "hmac-sha-256-128", "hmac-sha1-96", 1) }
		}, "s2", "vpn-h2", true, "no IPsec proposal in common", "vpn-h1"},
		{"IKE mode differs", func(l *vpnLab) {
			l.mod["h1"] = func(s string) string { return strings.Replace(s, "mode main", "mode aggressive", 1) }
		}, "s2", "vpn-h1", false, "IKE mode mismatch", "vpn-h2"},
		{"peer names another address", func(l *vpnLab) {
			l.mod["h1"] = func(s string) string { return strings.Replace(s, "address "+wan(3)+";", "address 100.64.9.1;", 1) }
		}, "s1", "vpn-h1", false, "has no IKE gateway for 100.64.3.1", "vpn-h2"},
		{"gateway address nobody has", func(l *vpnLab) {
			l.mod["s1"] = func(s string) string { return strings.Replace(s, "address "+wan(1)+";", "address 100.64.99.1;", 1) }
		}, "s1", "vpn-h1", false, "no device has the gateway address 100.64.99.1", "vpn-h2"},
		{"WAN link cut", func(l *vpnLab) { l.cut["s1"] = true }, "s1", "vpn-h2", false, "external interface ge-0/0/0.0 is down", "vpn-h1"},
		{"no route back", func(l *vpnLab) {
			l.mod["h2"] = func(s string) string { return strings.Replace(s, "route 100.64.0.0/16", "route 100.64.4.0/30", 1) }
		}, "s1", "vpn-h2", false, "has no route back to 100.64.3.1", "vpn-h1"},
		{"both ends on traffic", func(l *vpnLab) {
			on := func(s string) string {
				return strings.ReplaceAll(s, "establish-tunnels immediately", "establish-tunnels on-traffic")
			}
			l.mod["s1"], l.mod["h1"] = on, on
		}, "s1", "vpn-h1", false, "on-traffic at both ends: waiting for traffic", "vpn-h2"},
		{"peer has no VPN on the gateway", func(l *vpnLab) {
			l.mod["h1"] = func(s string) string { return strings.Replace(s, "ike { gateway gw-s1;", "ike { gateway gw-s2;", 1) }
		}, "s1", "vpn-h1", true, "has no IPsec VPN on gateway gw-s1", "vpn-h2"},
		{"bind interface missing", func(l *vpnLab) {
			l.mod["s2"] = func(s string) string { return strings.Replace(s, "bind-interface st0.2", "bind-interface st0.9", 1) }
		}, "s2", "vpn-h2", false, "bind-interface st0.9 is not configured", "vpn-h1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			l := newVPNLab()
			tt.setup(l)
			st := Compute(l.input(t))
			v := vpnOf(t, st, tt.dev, tt.vpn)
			if v.Up || v.IKEUp != tt.ikeUp || !strings.Contains(v.Reason, tt.reason) || v.InSPI != 0 {
				t.Errorf("%s %s: up %v, IKE up %v, reason %q, SPI %x; want down, IKE up %v, reason containing %q",
					tt.dev, tt.vpn, v.Up, v.IKEUp, v.Reason, v.InSPI, tt.ikeUp, tt.reason)
			}
			if st.InterfaceUp(tt.dev, v.Interface) != v.Standby || v.Standby != strings.Contains(tt.name, "on traffic") {
				t.Errorf("%s: %s up %v, standby %v: want up only while waiting for traffic", tt.dev, v.Interface,
					st.InterfaceUp(tt.dev, v.Interface), v.Standby)
			}
			// The VPNs to the hub the change does not touch stay up.
			for _, dev := range []string{"s1", "s2"} {
				if w := vpnOf(t, st, dev, tt.keep); !w.Up && !(dev == "s1" && strings.Contains(tt.name, "cut")) {
					t.Errorf("%s %s went down too: %s", dev, tt.keep, w.Reason)
				}
			}
		})
	}
}

// TestGREOverIPsec puts a gr- unit inside each spoke–hub st0 tunnel: it is
// up while the IPsec tunnel carrying it is, and routes use it.
func TestGREOverIPsec(t *testing.T) {
	t.Parallel()
	l := newVPNLab()
	for _, site := range []string{"s1", "h1"} {
		l.mod[site] = func(s string) string {
			local, far := "10.255.0.0", "10.255.0.1"
			gl := "10.254.0.0/31"
			if site == "h1" {
				local, far, gl = far, local, "10.254.0.1/31"
			}
			s = strings.Replace(s, "interfaces {", fmt.Sprintf(
				"interfaces { gr-0/0/0 { unit 1 { tunnel { source %s; destination %s; } family inet { address %s; } } }", local, far, gl), 1)
			if site == "s1" {
				s = strings.Replace(s, "route 10.4.0.0/24 { next-hop 10.255.0.1;", "route 10.4.0.0/24 { next-hop 10.254.0.1;", 1)
			}
			return s
		}
	}
	st := Compute(l.input(t))
	if !st.InterfaceUp("s1", "gr-0/0/0.1") || !st.InterfaceUp("h1", "gr-0/0/0.1") {
		t.Fatal("gr-0/0/0.1 down with the IPsec tunnel under it up")
	}
	if r, _ := staticTo(t, st, "s1", "10.4.0.0/24"); r.Via != "gr-0/0/0.1" {
		t.Errorf("s1 to s2's LAN: %+v, want via gr-0/0/0.1", r)
	}
	l.down["h1"] = true
	st = Compute(l.input(t))
	if st.InterfaceUp("s1", "gr-0/0/0.1") {
		t.Error("s1 gr-0/0/0.1 up with h1 down")
	}
	if r, _ := staticTo(t, st, "s1", "10.4.0.0/24"); r.Via != "st0.2" {
		t.Errorf("s1 to s2's LAN with h1 down: %+v, want via st0.2", r)
	}
}
