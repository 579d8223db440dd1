package sim

import (
	"context"
	"fmt"
	"net/netip"
	"strings"
	"testing"
)

// ipsecSet is one end of a route-based VPN between two SRXs behind a
// provider router: WAN ge-0/0/0.0 100.64.N.1/30 (provider 100.64.N.2),
// LAN ge-0/0/2.0 10.N.0.1/24, st0.0 10.255.0.N-1/31, and a route to the
// other end's LAN over the tunnel.
func ipsecSet(n, peer int, psk string) []string {
	return []string{
		fmt.Sprintf("set interfaces ge-0/0/0 unit 0 family inet address 100.64.%d.1/30", n),
		fmt.Sprintf("set interfaces ge-0/0/2 unit 0 family inet address 10.%d.0.1/24", n),
		fmt.Sprintf("set interfaces st0 unit 0 family inet address 10.255.0.%d/31", n-1),
		fmt.Sprintf("set routing-options static route 100.64.0.0/16 next-hop 100.64.%d.2", n),
		fmt.Sprintf("set routing-options static route 10.%d.0.0/24 next-hop 10.255.0.%d", peer, peer-1),
		"set security ike proposal p1 authentication-method pre-shared-keys",
		"set security ike proposal p1 dh-group group14",
		"set security ike proposal p1 authentication-algorithm sha-256",
		"set security ike proposal p1 encryption-algorithm aes-256-cbc",
		"set security ike policy pol mode main",
		"set security ike policy pol proposals p1",
		`set security ike policy pol pre-shared-key ascii-text "` + psk + `"`,
		"set security ike gateway gw ike-policy pol",
		fmt.Sprintf("set security ike gateway gw address 100.64.%d.1", peer),
		"set security ike gateway gw external-interface ge-0/0/0.0",
		"set security ipsec proposal p2 protocol esp",
		"set security ipsec proposal p2 authentication-algorithm hmac-sha-256-128",
		"set security ipsec proposal p2 encryption-algorithm aes-256-cbc",
		"set security ipsec policy ipol proposals p2",
		"set security ipsec vpn to-peer bind-interface st0.0",
		"set security ipsec vpn to-peer ike gateway gw",
		"set security ipsec vpn to-peer ike ipsec-policy ipol",
		"set security ipsec vpn to-peer establish-tunnels immediately",
	}
}

// TestNetworkIPsecTunnel: two SRXs bring up their tunnel across a provider
// router, the SA replies agree with each other, the st0 unit and the route
// over it follow the tunnel, and a peer going down shows as an inactive
// tunnel with its reason.
func TestNetworkIPsecTunnel(t *testing.T) {
	topo, err := ParseTopology([]byte(`name: ipsec
topology:
  defaults:
    kind: linux
    env:
      CARRIERKIT_PASSWORD: `+testPass+`
  nodes:
    a:
      labels: {carrierkit.sim/platform: srx345, carrierkit.sim/address: 127.0.41.1}
    b:
      labels: {carrierkit.sim/platform: srx345, carrierkit.sim/address: 127.0.41.2}
    isp:
      labels: {carrierkit.sim/platform: mx480, carrierkit.sim/address: 127.0.41.3}
  links:
    - endpoints: ["a:ge-0/0/0", "isp:xe-0/0/1"]
    - endpoints: ["b:ge-0/0/0", "isp:xe-0/0/2"]
`), TopologyOptions{LookupEnv: func(string) (string, bool) { return "", false }})
	if err != nil {
		t.Fatal(err)
	}
	nw, err := StartNetwork(context.Background(), topo, NetworkOptions{AnyPort: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { nw.Close() })
	a, b, isp := nc(t, nw, "a"), nc(t, nw, "b"), nc(t, nw, "isp")
	commitSet(t, isp, "set interfaces xe-0/0/1 unit 0 family inet address 100.64.1.2/30",
		"set interfaces xe-0/0/2 unit 0 family inet address 100.64.2.2/30")
	commitSet(t, a, ipsecSet(1, 2, "s3cret-key")...)
	commitSet(t, b, ipsecSet(2, 1, "s3cret-key")...)
	nw.Sync()

	sa := a.rpc("<get-security-associations-information/>")
	mustContain(t, sa, "<total-active-tunnels>1</total-active-tunnels>", "<sa-remote-gateway>100.64.2.1</sa-remote-gateway>",
		"<sa-tunnel-index>131073</sa-tunnel-index>", "<sa-protocol>ESP:aes-cbc-256/sha256</sa-protocol>")
	sb := b.rpc("<get-security-associations-information/>")
	spis := func(rep string) (in, out string) {
		i := strings.Index(rep, "<sa-direction>&lt;</sa-direction>")
		o := strings.Index(rep, "<sa-direction>&gt;</sa-direction>")
		if i < 0 || o < 0 {
			t.Fatalf("no inbound and outbound SA:\n%s", rep)
		}
		return leafText(t, rep[i:], "sa-spi"), leafText(t, rep[o:], "sa-spi")
	}
	ain, aout := spis(sa)
	bin, bout := spis(sb)
	if ain != bout || aout != bin || ain == aout {
		t.Errorf("SPIs a in/out %s/%s, b in/out %s/%s: want each end's outbound the other's inbound", ain, aout, bin, bout)
	}
	ike := a.rpc("<get-ike-security-associations-information/>")
	mustContain(t, ike, "<ike-sa-remote-address>100.64.2.1</ike-sa-remote-address>", "<ike-sa-state>UP</ike-sa-state>",
		"<ike-sa-exchange-type>Main</ike-sa-exchange-type>")
	if leafText(t, ike, "ike-sa-initiator-cookie") != leafText(t, b.rpc("<get-ike-security-associations-information/>"), "ike-sa-initiator-cookie") {
		t.Error("the two ends of one IKE SA show different initiator cookies")
	}
	mustContain(t, a.rpc(`<command format="text">show security ipsec security-associations</command>`), "Total active tunnels: 1", "100.64.2.1")
	mustContain(t, a.rpc(`<get-interface-information><terse/><interface-name>st0.0</interface-name></get-interface-information>`),
		"<name>st0.0</name>\n<admin-status>up</admin-status>\n<oper-status>up</oper-status>")
	mustContain(t, a.rpc("<get-route-information><destination>10.2.0.9</destination></get-route-information>"),
		"<protocol-name>Static</protocol-name>", "<to>10.255.0.1</to>", "<via>st0.0</via>")
	mustContain(t, a.rpc("<get-inactive-tunnels/>"), "<total-inactive-tunnels>0</total-inactive-tunnels>")

	// b goes down: a's tunnel is inactive with the reason, st0.0 and the
	// route over it go away.
	if err := nw.SetDevice("b", false); err != nil {
		t.Fatal(err)
	}
	nw.Sync()
	mustContain(t, a.rpc("<get-security-associations-information/>"), "<total-active-tunnels>0</total-active-tunnels>")
	mustContain(t, a.rpc("<get-ike-security-associations-information/>"), "<ike-security-associations-information")
	if strings.Contains(a.rpc("<get-ike-security-associations-information/>"), "<ike-sa-state>") {
		t.Error("an IKE SA is still up with the peer down")
	}
	mustContain(t, a.rpc("<get-inactive-tunnels/>"), "<total-inactive-tunnels>1</total-inactive-tunnels>",
		"<total-inactive-tunnels-with-establish-immediately>1</total-inactive-tunnels-with-establish-immediately>",
		"<sa-remote-gateway>100.64.2.1</sa-remote-gateway>", "<sa-tunnel-event>peer 100.64.2.1 is not reachable from 100.64.1.1</sa-tunnel-event>")
	mustContain(t, a.rpc(`<get-interface-information><terse/><interface-name>st0.0</interface-name></get-interface-information>`),
		"<name>st0.0</name>\n<admin-status>up</admin-status>\n<oper-status>down</oper-status>")
	if rep := a.rpc("<get-route-information><destination>10.2.0.9</destination></get-route-information>"); strings.Contains(rep, "st0.0") {
		t.Errorf("route over the down tunnel still there:\n%s", rep)
	}

	// An MX has no security commands.
	mustContain(t, isp.rpc("<get-security-associations-information/>"), "<rpc-error>", "syntax error")
}

// TestIPsecAlone: a device outside a network has nobody to build a tunnel
// with; its VPN is inactive and says why.
func TestIPsecAlone(t *testing.T) {
	t.Parallel()
	d, err := Start(context.Background(), Options{Hostname: "lone", Platform: "vsrx", Addr: netip.MustParseAddrPort("127.0.0.1:0"),
		Users: []User{{Name: testUser, Password: testPass}}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	c := dialRaw(t, d, "")
	commitSet(t, c, ipsecSet(1, 2, "s3cret-key")...)
	mustContain(t, c.rpc("<get-inactive-tunnels/>"), "<total-inactive-tunnels>1</total-inactive-tunnels>",
		"<sa-tunnel-event>external interface ge-0/0/0.0 is down</sa-tunnel-event>")
	mustContain(t, c.rpc("<get-security-associations-information/>"), "<total-active-tunnels>0</total-active-tunnels>")
}
