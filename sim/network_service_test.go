package sim

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// labLink is one link of a test lab: endpoints and an optional delay.
type labLink struct{ a, b, delay, jitter, loss string }

// startLab starts a lab of mx480s (names in order, addresses net.1, net.2,
// …) linked as given, with the test credentials. clk may be nil.
func startLab(t *testing.T, name, net string, nodes []string, links []labLink, clk Clock) *Network {
	t.Helper()
	var b strings.Builder
	fmt.Fprintf(&b, "name: %s\ntopology:\n  defaults:\n    kind: linux\n    env:\n      CARRIERKIT_PASSWORD: %s\n    labels:\n      carrierkit.sim/platform: mx480\n  nodes:\n", name, testPass)
	for i, n := range nodes {
		fmt.Fprintf(&b, "    %s:\n      labels:\n        carrierkit.sim/address: %s.%d\n", n, net, i+1)
	}
	b.WriteString("  links:\n")
	for _, l := range links {
		fmt.Fprintf(&b, "    - endpoints: [%q, %q]\n", l.a, l.b)
		if l.delay != "" || l.jitter != "" || l.loss != "" {
			b.WriteString("      vars:\n")
			for k, v := range map[string]string{VarDelay: l.delay, VarJitter: l.jitter, VarLoss: l.loss} {
				if v != "" {
					fmt.Fprintf(&b, "        %s: %s\n", k, v)
				}
			}
		}
	}
	topo, err := ParseTopology([]byte(b.String()), TopologyOptions{LookupEnv: func(string) (string, bool) { return "", false }})
	if err != nil {
		t.Fatalf("topology: %v\n%s", err, b.String())
	}
	nw, err := StartNetwork(context.Background(), topo, NetworkOptions{AnyPort: true, Clock: clk})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { nw.Close() })
	return nw
}

// nc opens a NETCONF session to a node of nw.
func nc(t *testing.T, nw *Network, node string) *rawClient {
	t.Helper()
	d := nw.Device(node)
	if d == nil {
		t.Fatalf("no device %s", node)
	}
	return dialRaw(t, d, "")
}

// commitSet loads set lines over NETCONF and commits them.
func commitSet(t *testing.T, c *rawClient, lines ...string) {
	t.Helper()
	rep := c.rpc(loadSet(lines...))
	if !strings.Contains(rep, "<ok/>") {
		t.Fatalf("load failed:\n%s\nlines:\n%s", rep, strings.Join(lines, "\n"))
	}
	rep = c.rpc(commitRPC)
	if !strings.Contains(rep, "<commit-success/>") {
		t.Fatalf("commit failed:\n%s", rep)
	}
}

// coreSet is the IGP (IS-IS) + LDP + MPLS base configuration of a router
// with loopback 10.255.0.N and the given core interfaces (physical port →
// address/30).
func coreSet(n int, ifs map[string]string) []string {
	lo := fmt.Sprintf("10.255.0.%d", n)
	out := []string{
		"set interfaces lo0 unit 0 family inet address " + lo + "/32",
		fmt.Sprintf("set interfaces lo0 unit 0 family iso address 49.0001.0000.0000.%04d.00", n),
		"set routing-options router-id " + lo,
		"set protocols isis interface lo0.0 passive",
		"set protocols ldp interface lo0.0",
	}
	for ifd, addr := range ifs {
		out = append(out,
			"set interfaces "+ifd+" unit 0 family inet address "+addr,
			"set interfaces "+ifd+" unit 0 family iso",
			"set interfaces "+ifd+" unit 0 family mpls",
			"set protocols isis interface "+ifd+".0",
			"set protocols mpls interface "+ifd+".0",
			"set protocols ldp interface "+ifd+".0",
		)
	}
	return out
}

// elineSet is one end of an E-LINE on port ifd, VLAN 100, to neighbor.
func elineSet(ifd, neighbor string, vcid int, extra ...string) []string {
	out := []string{
		"set interfaces " + ifd + " flexible-vlan-tagging",
		"set interfaces " + ifd + " encapsulation flexible-ethernet-services",
		"set interfaces " + ifd + " unit 100 encapsulation vlan-ccc",
		"set interfaces " + ifd + " unit 100 vlan-id 100",
		fmt.Sprintf("set protocols l2circuit neighbor %s interface %s.100 virtual-circuit-id %d", neighbor, ifd, vcid),
	}
	for _, e := range extra {
		out = append(out, fmt.Sprintf("set protocols l2circuit neighbor %s interface %s.100 %s", neighbor, ifd, e))
	}
	return out
}

var statusRE = regexp.MustCompile(`<connection-status>([^<]+)</connection-status>`)

// pwStatus returns the l2circuit connection status codes a device reports.
func pwStatus(t *testing.T, c *rawClient) []string {
	t.Helper()
	rep := c.rpc("<get-l2ckt-connection-information/>")
	var out []string
	for _, m := range statusRE.FindAllStringSubmatch(rep, -1) {
		out = append(out, m[1])
	}
	return out
}

// chain: ce1 - pe1 - p1 - pe2 - ce2 (mx480: eth1 = xe-0/0/0, eth2 = xe-0/0/1).
var chainNodes = []string{"pe1", "p1", "pe2", "ce1", "ce2"}
var chainLinks = []labLink{
	{a: "pe1:eth1", b: "p1:eth1", delay: "2ms"},
	{a: "p1:eth2", b: "pe2:eth1", delay: "3ms"},
	{a: "ce1:eth1", b: "pe1:eth2"},
	{a: "ce2:eth1", b: "pe2:eth2"},
}

func chainCore(t *testing.T, nw *Network) (pe1, p1, pe2 *rawClient) {
	pe1, p1, pe2 = nc(t, nw, "pe1"), nc(t, nw, "p1"), nc(t, nw, "pe2")
	commitSet(t, pe1, coreSet(1, map[string]string{"xe-0/0/0": "10.0.1.1/30"})...)
	commitSet(t, p1, coreSet(9, map[string]string{"xe-0/0/0": "10.0.1.2/30", "xe-0/0/1": "10.0.2.1/30"})...)
	commitSet(t, pe2, coreSet(2, map[string]string{"xe-0/0/0": "10.0.2.2/30"})...)
	return
}

func TestNetworkELineUpAndClassicMistakes(t *testing.T) {
	nw := startLab(t, "eline", "127.0.21", chainNodes, chainLinks, nil)
	pe1, p1, pe2 := chainCore(t, nw)
	nw.Sync()
	// The core converges: IS-IS adjacencies and LDP sessions over NETCONF.
	mustContain(t, p1.rpc("<get-isis-adjacency-information/>"), "<system-name>pe1</system-name>", "<system-name>pe2</system-name>", "<adjacency-state>Up</adjacency-state>")
	mustContain(t, pe1.rpc("<get-ldp-session-information/>"), "<ldp-neighbor-address>10.255.0.9</ldp-neighbor-address>", "<ldp-session-state>Operational</ldp-session-state>")
	mustContain(t, pe1.rpc("<get-route-information><table>inet.3</table></get-route-information>"), "<rt-destination>10.255.0.2/32</rt-destination>", "<protocol-name>LDP</protocol-name>")

	commitSet(t, pe1, elineSet("xe-0/0/1", "10.255.0.2", 100)...)
	commitSet(t, pe2, elineSet("xe-0/0/1", "10.255.0.1", 100)...)
	nw.Sync()
	if got := pwStatus(t, pe1); len(got) != 1 || got[0] != "Up" {
		t.Fatalf("pe1 l2circuit: %v, want [Up]", got)
	}
	if got := pwStatus(t, pe2); len(got) != 1 || got[0] != "Up" {
		t.Fatalf("pe2 l2circuit: %v, want [Up]", got)
	}
	rep := pe1.rpc("<get-l2ckt-connection-information/>")
	mustContain(t, rep, "<connection-id>xe-0/0/1.100(vc 100)</connection-id>", "<outbound-label>", "<inbound-label>", "<interface-status>Up</interface-status>", "<vc-up-count>1</vc-up-count>")

	// Each classic mistake, made on pe2 and undone again.
	for _, tc := range []struct {
		name     string
		break_   []string
		undo     []string
		pe1, pe2 string
	}{
		{"vc id mismatch",
			[]string{"delete protocols l2circuit", "set protocols l2circuit neighbor 10.255.0.1 interface xe-0/0/1.100 virtual-circuit-id 101"},
			[]string{"delete protocols l2circuit", "set protocols l2circuit neighbor 10.255.0.1 interface xe-0/0/1.100 virtual-circuit-id 100"},
			"OL", "OL"},
		{"mtu mismatch",
			[]string{"set protocols l2circuit neighbor 10.255.0.1 interface xe-0/0/1.100 mtu 9000"},
			[]string{"delete protocols l2circuit neighbor 10.255.0.1 interface xe-0/0/1.100 mtu"},
			"MM", "MM"},
		{"encapsulation mismatch",
			[]string{"set protocols l2circuit neighbor 10.255.0.1 interface xe-0/0/1.100 encapsulation-type ethernet"},
			[]string{"delete protocols l2circuit neighbor 10.255.0.1 interface xe-0/0/1.100 encapsulation-type"},
			"EM", "EM"},
		{"missing LDP",
			[]string{"delete protocols ldp"},
			coreSet(2, map[string]string{"xe-0/0/0": "10.0.2.2/30"}),
			"OL", "OL"},
		{"attachment interface down",
			[]string{"set interfaces xe-0/0/1 disable"},
			[]string{"delete interfaces xe-0/0/1 disable"},
			"OL", "LD"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			commitSet(t, pe2, tc.break_...)
			nw.Sync()
			if got := pwStatus(t, pe1); len(got) != 1 || got[0] != tc.pe1 {
				t.Errorf("pe1: %v, want [%s]", got, tc.pe1)
			}
			if got := pwStatus(t, pe2); len(got) != 1 || got[0] != tc.pe2 {
				t.Errorf("pe2: %v, want [%s]", got, tc.pe2)
			}
			commitSet(t, pe2, tc.undo...)
			nw.Sync()
			if got := pwStatus(t, pe1); len(got) != 1 || got[0] != "Up" {
				t.Fatalf("after undo pe1: %v, want [Up]", got)
			}
		})
	}

	// The circuit went down and up five times; the history shows it.
	mustContain(t, pe1.rpc("<get-l2ckt-connection-information/>"), "<up-transitions>6</up-transitions>", "<last-change ")
	mustContain(t, pe1.rpc("<get-l2ckt-connection-information><down/></get-l2ckt-connection-information>"), "<vc-up-count>0</vc-up-count>", "<vc-down-count>0</vc-down-count>")

	// Missing transport LSP: LDP stays up as a targeted session over the
	// IGP but p1 no longer runs LDP or MPLS, so no LSP reaches pe2.
	commitSet(t, p1, "delete protocols ldp", "delete protocols mpls")
	nw.Sync()
	if got := pwStatus(t, pe1); len(got) != 1 || got[0] != "VC-Dn" {
		t.Errorf("without LSPs through p1, pe1: %v, want [VC-Dn]", got)
	}
	mustContain(t, pe1.rpc(`<request-ping-l2circuit-interface><interface-name>xe-0/0/1.100</interface-name></request-ping-l2circuit-interface>`), "<rpc-error>", "connection status VC-Dn")
	commitSet(t, p1, coreSet(9, map[string]string{"xe-0/0/0": "10.0.1.2/30", "xe-0/0/1": "10.0.2.1/30"})...)
	nw.Sync()

	// ping mpls l2circuit: success, round trips from the link delays
	// (2 ms + 3 ms each way, so 10 ms and a little forwarding time).
	rep = pe1.rpc(`<request-ping-l2circuit-interface><interface-name>xe-0/0/1.100</interface-name><count>5</count></request-ping-l2circuit-interface>`)
	mustContain(t, rep, "<lsping-packets-transmitted>5</lsping-packets-transmitted>", "<lsping-packets-received>5</lsping-packets-received>", "<lsping-success/>", "<lsping-return-code>Egress-ok</lsping-return-code>")
	avg := leafFloat(t, rep, "lsping-packet-time-average")
	if avg < 10 || avg > 10.5 {
		t.Errorf("average round trip %.3f ms, want about 10 ms (2+3 ms each way)", avg)
	}
	if again := pe1.rpc(`<request-ping-l2circuit-interface><interface-name>xe-0/0/1.100</interface-name><count>5</count></request-ping-l2circuit-interface>`); stripID(again) != stripID(rep) {
		t.Error("ping is not deterministic")
	}
	// The CLI form over NETCONF <command>.
	mustContain(t, pe1.rpc(`<command format="text">ping mpls l2circuit interface xe-0/0/1.100 count 3</command>`), "!!!", "3 packets transmitted, 3 packets received, 0% packet loss")
	mustContain(t, pe1.rpc(`<command>ping mpls l2circuit virtual-circuit 100 neighbor 10.255.0.2</command>`), "<lsping-packets-received>5</lsping-packets-received>")
	// Failure: an interface with no circuit, and a circuit that is down.
	mustContain(t, pe1.rpc(`<request-ping-l2circuit-interface><interface-name>xe-0/0/5.7</interface-name></request-ping-l2circuit-interface>`), "<rpc-error>", "no l2circuit connection on interface xe-0/0/5.7")
	commitSet(t, pe2, "set interfaces xe-0/0/1 disable")
	nw.Sync()
	mustContain(t, pe1.rpc(`<request-ping-l2circuit-interface><interface-name>xe-0/0/1.100</interface-name></request-ping-l2circuit-interface>`), "<rpc-error>", "connection status OL")
}

var leafREs = map[string]*regexp.Regexp{}

func leafFloat(t *testing.T, xml, name string) float64 {
	t.Helper()
	re, ok := leafREs[name]
	if !ok {
		re = regexp.MustCompile("<" + name + ">([^<]+)</" + name + ">")
		leafREs[name] = re
	}
	m := re.FindStringSubmatch(xml)
	if m == nil {
		t.Fatalf("no <%s> in:\n%s", name, xml)
	}
	f, err := strconv.ParseFloat(strings.TrimSpace(m[1]), 64)
	if err != nil {
		t.Fatalf("<%s>%s: %v", name, m[1], err)
	}
	return f
}

// ring: pe1 - p1 - pe2 - p2 - pe1; an E-LINE between pe1 and pe2 survives
// one cut by rerouting; a chain has no alternative.
func TestNetworkLinkCutReroutesOnlyWhereItCan(t *testing.T) {
	nodes := []string{"pe1", "p1", "pe2", "p2", "ce1", "ce2"}
	links := []labLink{
		{a: "pe1:eth1", b: "p1:eth1", delay: "1ms"},
		{a: "p1:eth2", b: "pe2:eth1", delay: "1ms"},
		{a: "pe2:eth3", b: "p2:eth1", delay: "4ms"},
		{a: "p2:eth2", b: "pe1:eth3", delay: "4ms"},
		{a: "ce1:eth1", b: "pe1:eth2"},
		{a: "ce2:eth1", b: "pe2:eth2"},
	}
	nw := startLab(t, "ring", "127.0.22", nodes, links, nil)
	pe1, p1, pe2, p2 := nc(t, nw, "pe1"), nc(t, nw, "p1"), nc(t, nw, "pe2"), nc(t, nw, "p2")
	commitSet(t, pe1, append(coreSet(1, map[string]string{"xe-0/0/0": "10.0.1.1/30", "xe-0/0/2": "10.0.4.2/30"}), elineSet("xe-0/0/1", "10.255.0.2", 100)...)...)
	commitSet(t, p1, coreSet(9, map[string]string{"xe-0/0/0": "10.0.1.2/30", "xe-0/0/1": "10.0.2.1/30"})...)
	commitSet(t, pe2, append(coreSet(2, map[string]string{"xe-0/0/0": "10.0.2.2/30", "xe-0/0/2": "10.0.3.1/30"}), elineSet("xe-0/0/1", "10.255.0.1", 100)...)...)
	commitSet(t, p2, coreSet(8, map[string]string{"xe-0/0/0": "10.0.3.2/30", "xe-0/0/1": "10.0.4.1/30"})...)
	nw.Sync()
	if got := pwStatus(t, pe1); len(got) != 1 || got[0] != "Up" {
		t.Fatalf("ring E-LINE: %v, want [Up]", got)
	}
	ping := `<request-ping-l2circuit-interface><interface-name>xe-0/0/1.100</interface-name></request-ping-l2circuit-interface>`
	if avg := leafFloat(t, pe1.rpc(ping), "lsping-packet-time-average"); avg > 5 {
		t.Errorf("before the cut the circuit should take the short side (4 ms round trip), got %.3f ms", avg)
	}
	if err := nw.SetLink("pe1:eth1", "p1:eth1", false); err != nil {
		t.Fatal(err)
	}
	nw.Sync()
	if got := pwStatus(t, pe1); len(got) != 1 || got[0] != "Up" {
		t.Fatalf("after one cut the ring reroutes: %v, want [Up]", got)
	}
	if avg := leafFloat(t, pe1.rpc(ping), "lsping-packet-time-average"); avg < 16 {
		t.Errorf("after the cut the circuit goes the long way (16 ms round trip), got %.3f ms", avg)
	}
	mustContain(t, pe1.rpc(`<get-interface-information><interface-name>xe-0/0/0</interface-name></get-interface-information>`), "<oper-status>down</oper-status>")
	// A second cut isolates pe1 from pe2.
	if err := nw.SetLink("p2:eth2", "", false); err != nil {
		t.Fatal(err)
	}
	nw.Sync()
	if got := pwStatus(t, pe1); len(got) != 1 || got[0] == "Up" {
		t.Errorf("after two cuts: %v, want down", got)
	}
	_ = p1
	_ = p2
	_ = pe2

	// The chain: one cut takes the circuit down; restoring brings it back.
	chain := startLab(t, "chain", "127.0.23", chainNodes, chainLinks, nil)
	cpe1, _, cpe2 := chainCore(t, chain)
	commitSet(t, cpe1, elineSet("xe-0/0/1", "10.255.0.2", 100)...)
	commitSet(t, cpe2, elineSet("xe-0/0/1", "10.255.0.1", 100)...)
	chain.Sync()
	if got := pwStatus(t, cpe1); len(got) != 1 || got[0] != "Up" {
		t.Fatalf("chain E-LINE: %v, want [Up]", got)
	}
	if err := chain.SetLink("p1:xe-0/0/1", "pe2:eth1", false); err != nil {
		t.Fatal(err)
	}
	chain.Sync()
	if got := pwStatus(t, cpe1); len(got) != 1 || got[0] == "Up" {
		t.Errorf("chain after the cut: %v, want down", got)
	}
	if err := chain.SetLink("p1:eth2", "pe2:eth1", true); err != nil {
		t.Fatal(err)
	}
	chain.Sync()
	if got := pwStatus(t, cpe1); len(got) != 1 || got[0] != "Up" {
		t.Errorf("chain after repair: %v, want [Up]", got)
	}
	if err := chain.SetLink("pe1:eth9", "p1:eth1", false); err == nil || !strings.Contains(err.Error(), `"pe1:eth9"`) {
		t.Errorf("unknown link: %v", err)
	}
}

func TestNetworkDeviceDownAndRestart(t *testing.T) {
	nw := startLab(t, "devdown", "127.0.24", chainNodes, chainLinks, nil)
	pe1, _, pe2 := chainCore(t, nw)
	commitSet(t, pe1, elineSet("xe-0/0/1", "10.255.0.2", 100)...)
	commitSet(t, pe2, elineSet("xe-0/0/1", "10.255.0.1", 100)...)
	nw.Sync()
	addr := nw.Device("p1").Addr()
	if err := nw.SetDevice("p1", false); err != nil {
		t.Fatal(err)
	}
	nw.Sync()
	if nw.Device("p1") != nil || nw.DeviceUp("p1") {
		t.Error("p1 should be down")
	}
	if got := pwStatus(t, pe1); len(got) != 1 || got[0] == "Up" {
		t.Errorf("with p1 off: %v, want down", got)
	}
	if err := nw.SetDevice("p1", true); err != nil {
		t.Fatal(err)
	}
	nw.Sync()
	d := nw.Device("p1")
	if d == nil || d.Addr() != addr {
		t.Fatalf("p1 restarted at %v, want %v", d, addr)
	}
	// It booted from its committed configuration: the circuit is back.
	if got := pwStatus(t, pe1); len(got) != 1 || got[0] != "Up" {
		t.Errorf("after restart: %v, want [Up]", got)
	}
	mustContain(t, nc(t, nw, "p1").rpc(`<get-configuration database="committed" format="set"/>`), "set protocols ldp interface xe-0/0/1.0")
	if err := nw.SetDevice("nope", false); err == nil || !strings.Contains(err.Error(), `"nope"`) {
		t.Errorf("unknown device: %v", err)
	}
}

func TestNetworkHubAndSpokeL3VPN(t *testing.T) {
	// hub pe1, spokes pe2 and pe3, all around p1; BGP with p1 as route reflector.
	nodes := []string{"pe1", "pe2", "pe3", "p1", "ce1", "ce2", "ce3"}
	links := []labLink{{a: "pe1:eth1", b: "p1:eth1"}, {a: "pe2:eth1", b: "p1:eth2"}, {a: "pe3:eth1", b: "p1:eth3"},
		{a: "pe1:eth6", b: "ce1:eth1"}, {a: "pe2:eth6", b: "ce2:eth1"}, {a: "pe3:eth6", b: "ce3:eth1"}}
	nw := startLab(t, "hubspoke", "127.0.25", nodes, links, nil)
	bgp := func(n int, peers ...int) []string {
		out := []string{"set routing-options autonomous-system 65000",
			"set protocols bgp group ibgp type internal",
			fmt.Sprintf("set protocols bgp group ibgp local-address 10.255.0.%d", n),
			"set protocols bgp group ibgp family inet-vpn unicast"}
		for _, p := range peers {
			out = append(out, fmt.Sprintf("set protocols bgp group ibgp neighbor 10.255.0.%d", p))
		}
		return out
	}
	hub := nc(t, nw, "pe1")
	commitSet(t, nc(t, nw, "p1"), coreSet(9, map[string]string{"xe-0/0/0": "10.0.1.2/30", "xe-0/0/1": "10.0.2.2/30", "xe-0/0/2": "10.0.3.2/30"})...)
	commitSet(t, hub, append(append(coreSet(1, map[string]string{"xe-0/0/0": "10.0.1.1/30"}), bgp(1, 2, 3)...),
		hubSpokeVRF("65000:1", "target:65000:200", "target:65000:100", "192.168.1.1/24")...)...)
	s2, s3 := nc(t, nw, "pe2"), nc(t, nw, "pe3")
	commitSet(t, s2, append(append(coreSet(2, map[string]string{"xe-0/0/0": "10.0.2.1/30"}), bgp(2, 1, 3)...),
		hubSpokeVRF("65000:2", "target:65000:100", "target:65000:200", "192.168.2.1/24")...)...)
	commitSet(t, s3, append(append(coreSet(3, map[string]string{"xe-0/0/0": "10.0.3.1/30"}), bgp(3, 1, 2)...),
		hubSpokeVRF("65000:3", "target:65000:100", "target:65000:200", "192.168.3.1/24")...)...)
	nw.Sync()
	mustContain(t, hub.rpc("<get-bgp-summary-information/>"), "<peer-address>10.255.0.2</peer-address>", "<peer-address>10.255.0.3</peer-address>", "<peer-state>Established</peer-state>")
	// A full iBGP mesh: the spokes peer with each other too, so only the
	// route targets keep them apart.
	mustContain(t, s2Peers(t, nw), "<peer-address>10.255.0.3</peer-address>")
	table := "<get-route-information><table>VPN.inet.0</table></get-route-information>"
	hubRoutes := hub.rpc(table)
	mustContain(t, hubRoutes, "<rt-destination>192.168.2.0/24</rt-destination>", "<rt-destination>192.168.3.0/24</rt-destination>")
	r2 := s2.rpc(table)
	mustContain(t, r2, "<rt-destination>192.168.1.0/24</rt-destination>", "<rt-destination>192.168.2.0/24</rt-destination>")
	mustNotContain(t, r2, "192.168.3.0/24")
	r3 := s3.rpc(table)
	mustContain(t, r3, "<rt-destination>192.168.1.0/24</rt-destination>")
	mustNotContain(t, r3, "192.168.2.0/24")
	// ping mpls l3vpn from a spoke: to the hub works, to the other spoke
	// has no route.
	mustContain(t, s2.rpc(`<request-ping-l3vpn><l3vpn-name>VPN</l3vpn-name><prefix>192.168.1.0/24</prefix></request-ping-l3vpn>`), "<lsping-success/>")
	mustContain(t, s2.rpc(`<request-ping-l3vpn><l3vpn-name>VPN</l3vpn-name><prefix>192.168.3.0/24</prefix></request-ping-l3vpn>`), "<rpc-error>", "no route to 192.168.3.0/24")
	mustContain(t, s2.rpc(`<command format="text">show route table VPN.inet.0</command>`), "VPN.inet.0:", "192.168.1.0/24")
	// The hub's VRF holds its own LAN (direct + local) and both spokes' routes.
	mustContain(t, hub.rpc(`<get-instance-information><instance-name>VPN</instance-name></get-instance-information>`), "<irib-name>VPN.inet.0</irib-name>\n<irib-active-count>4</irib-active-count>")
}

func s2Peers(t *testing.T, nw *Network) string {
	return nc(t, nw, "pe2").rpc("<get-bgp-summary-information/>")
}

// hubSpokeVRF is a VRF importing imp and exporting exp.
func hubSpokeVRF(rd, imp, exp, lan string) []string {
	return []string{
		"set interfaces xe-0/0/5 unit 0 family inet address " + lan,
		"set routing-instances VPN instance-type vrf",
		"set routing-instances VPN interface xe-0/0/5.0",
		"set routing-instances VPN route-distinguisher " + rd,
		"set routing-instances VPN vrf-import VPN-IMP",
		"set routing-instances VPN vrf-export VPN-EXP",
		"set policy-options community IMP members " + imp,
		"set policy-options community EXP members " + exp,
		"set policy-options policy-statement VPN-IMP term t from community IMP",
		"set policy-options policy-statement VPN-IMP term t then accept",
		"set policy-options policy-statement VPN-IMP then reject",
		"set policy-options policy-statement VPN-EXP term t then community add EXP",
		"set policy-options policy-statement VPN-EXP term t then accept",
	}
}

func TestNetworkCFMDelayFollowsLinkDelay(t *testing.T) {
	clk := NewVirtualClock(time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC))
	nw := startLab(t, "cfm", "127.0.26", []string{"pe1", "pe2"}, []labLink{{a: "pe1:eth1", b: "pe2:eth1", delay: "5ms"}}, clk)
	mep := func(id, rmep int) []string {
		base := "set protocols oam ethernet connectivity-fault-management maintenance-domain MD level 5"
		ma := "set protocols oam ethernet connectivity-fault-management maintenance-domain MD maintenance-association MA"
		return []string{
			"set interfaces xe-0/0/0 unit 0 family inet address 10.9.9." + strconv.Itoa(id) + "/24",
			base,
			ma + " continuity-check interval 1s",
			fmt.Sprintf("%s mep %d interface xe-0/0/0.0", ma, id),
			fmt.Sprintf("%s mep %d direction down", ma, id),
			fmt.Sprintf("%s mep %d remote-mep %d", ma, id, rmep),
			fmt.Sprintf("%s mep %d remote-mep %d sla-iterator-profile DM", ma, id, rmep),
			"set protocols oam ethernet connectivity-fault-management performance-monitoring sla-iterator-profiles DM cycle-time 1000",
			"set protocols oam ethernet connectivity-fault-management performance-monitoring sla-iterator-profiles DM iteration-period 60",
			"set protocols oam ethernet connectivity-fault-management performance-monitoring sla-iterator-profiles DM measurement-type two-way-delay",
		}
	}
	a, b := nc(t, nw, "pe1"), nc(t, nw, "pe2")
	commitSet(t, a, mep(1, 2)...)
	commitSet(t, b, mep(2, 1)...)
	nw.Sync()
	mustContain(t, a.rpc("<get-cfm-mep-database/>"), "<cfm-remote-mep-identifier>2</cfm-remote-mep-identifier>", "<cfm-remote-mep-state>ok</cfm-remote-mep-state>")
	dm := `<get-cfm-delay-statistics><maintenance-domain>MD</maintenance-domain><maintenance-association>MA</maintenance-association></get-cfm-delay-statistics>`
	avg := leafFloat(t, a.rpc(dm), "cfm-ethdm-average-twoway-delay")
	if avg < 10000 || avg > 10100 {
		t.Errorf("two-way delay %v usec over a 5 ms link, want about 10000", avg)
	}
	if err := nw.SetImpairment("pe1:eth1", "pe2:eth1", LinkImpairment{Delay: 20 * time.Millisecond, Jitter: time.Millisecond}); err != nil {
		t.Fatal(err)
	}
	nw.Sync()
	rep := a.rpc(dm)
	avg = leafFloat(t, rep, "cfm-ethdm-average-twoway-delay")
	if avg < 40000 || avg > 42100 {
		t.Errorf("two-way delay %v usec after setting 20 ms ± 1 ms, want 40000..42100", avg)
	}
	if worst, best := leafFloat(t, rep, "cfm-ethdm-worstcase-twoway-delay"), leafFloat(t, rep, "cfm-ethdm-bestcase-twoway-delay"); worst <= best {
		t.Errorf("with jitter the worst case (%v) should exceed the best (%v)", worst, best)
	}
	// The SLA iterator runs on the device clock: nothing before time
	// passes, 30 cycles after 30 virtual seconds.
	it := `<get-cfm-iterator-statistics><sla-iterator>DM</sla-iterator><maintenance-domain>MD</maintenance-domain><maintenance-association>MA</maintenance-association><local-mep>1</local-mep><remote-mep>2</remote-mep></get-cfm-iterator-statistics>`
	mustContain(t, a.rpc(it), "<cfm-iter-current-cycles>0</cfm-iter-current-cycles>")
	clk.Advance(30 * time.Second)
	rep = a.rpc(it)
	mustContain(t, rep, "<cfm-iter-current-cycles>30</cfm-iter-current-cycles>", "<cfm-iter-ethdm-measurements>30</cfm-iter-ethdm-measurements>")
	// Cutting the link fails the remote MEP and empties the statistics.
	if err := nw.SetLink("pe1:eth1", "pe2:eth1", false); err != nil {
		t.Fatal(err)
	}
	nw.Sync()
	mustContain(t, a.rpc("<get-cfm-mep-database/>"), "<cfm-remote-mep-state>failed</cfm-remote-mep-state>")
	mustNotContain(t, a.rpc(dm), "cfm-ethdm-delay-entry")
}

// TestNetworkSLMIteratorReportsLoss: an SLA iterator measuring synthetic
// loss (measurement-type slm) reports loss counters, from the link's loss,
// not delay figures.
func TestNetworkSLMIteratorReportsLoss(t *testing.T) {
	clk := NewVirtualClock(time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC))
	nw := startLab(t, "slm", "127.0.39", []string{"pe1", "pe2"}, []labLink{{a: "pe1:eth1", b: "pe2:eth1", delay: "1ms"}}, clk)
	if err := nw.SetImpairment("pe1:eth1", "pe2:eth1", LinkImpairment{Delay: time.Millisecond, Loss: 20}); err != nil {
		t.Fatal(err)
	}
	mep := func(id, rmep int) []string {
		ma := "set protocols oam ethernet connectivity-fault-management maintenance-domain MD maintenance-association MA"
		pm := "set protocols oam ethernet connectivity-fault-management performance-monitoring sla-iterator-profiles SLM"
		return []string{
			"set interfaces xe-0/0/0 unit 0 family inet address 10.9.9." + strconv.Itoa(id) + "/24",
			"set protocols oam ethernet connectivity-fault-management maintenance-domain MD level 5",
			ma + " continuity-check interval 1s",
			fmt.Sprintf("%s mep %d interface xe-0/0/0.0", ma, id),
			fmt.Sprintf("%s mep %d direction down", ma, id),
			fmt.Sprintf("%s mep %d remote-mep %d sla-iterator-profile SLM", ma, id, rmep),
			pm + " cycle-time 1000", pm + " iteration-period 60", pm + " measurement-type slm",
		}
	}
	a, b := nc(t, nw, "pe1"), nc(t, nw, "pe2")
	commitSet(t, a, mep(1, 2)...)
	commitSet(t, b, mep(2, 1)...)
	nw.Sync()
	clk.Advance(30 * time.Second)
	it := `<get-cfm-iterator-statistics><sla-iterator>SLM</sla-iterator><maintenance-domain>MD</maintenance-domain><maintenance-association>MA</maintenance-association><local-mep>1</local-mep><remote-mep>2</remote-mep></get-cfm-iterator-statistics>`
	rep := a.rpc(it)
	mustContain(t, rep, "<cfm-iter-ethlm-entry>", "<cfm-ethlm-total-near-end-cir-loss-ratio>")
	mustNotContain(t, rep, "cfm-iter-ethdm")
	if near := leafFloat(t, rep, "cfm-ethlm-total-near-end-cir-loss"); near <= 0 {
		t.Errorf("no synthetic loss counted over a 20 %% lossy link:\n%s", rep)
	}
}

// TestNetworkCFMActionProfileInterfaceDown: a remote MEP with an action
// profile (event adjacency-loss, action interface-down) holds its MEP's
// interface down while the remote MEP is lost, though the link is up, and
// lets it up again when the remote MEP comes back.
func TestNetworkCFMActionProfileInterfaceDown(t *testing.T) {
	nw := startLab(t, "cfmact", "127.0.40", []string{"pe1", "pe2"}, []labLink{{a: "pe1:eth1", b: "pe2:eth1", delay: "1ms"}}, nil)
	const cfm = "set protocols oam ethernet connectivity-fault-management "
	mep := func(id, rmep int) []string {
		ma := cfm + "maintenance-domain MD maintenance-association MA"
		return []string{
			"set interfaces xe-0/0/0 unit 0 family inet address 10.9.9." + strconv.Itoa(id) + "/24",
			cfm + "maintenance-domain MD level 5",
			ma + " continuity-check interval 1s",
			fmt.Sprintf("%s mep %d interface xe-0/0/0.0", ma, id),
			fmt.Sprintf("%s mep %d direction down", ma, id),
			fmt.Sprintf("%s mep %d remote-mep %d", ma, id, rmep),
		}
	}
	a, b := nc(t, nw, "pe1"), nc(t, nw, "pe2")
	commitSet(t, a, append(mep(1, 2),
		cfm+"action-profile AP event adjacency-loss",
		cfm+"action-profile AP action interface-down",
		cfm+"maintenance-domain MD maintenance-association MA mep 1 remote-mep 2 action-profile AP")...)
	commitSet(t, b, mep(2, 1)...)
	nw.Sync()
	ifq := `<get-interface-information><interface-name>xe-0/0/0</interface-name></get-interface-information>`
	mustContain(t, a.rpc(ifq), "<oper-status>up</oper-status>")
	// pe2 stops running its MEP: pe1 loses the remote MEP and the action
	// takes xe-0/0/0 down, although the link itself is up.
	commitSet(t, b, "delete protocols oam")
	nw.Sync()
	mustContain(t, a.rpc("<get-cfm-mep-database/>"), "<cfm-remote-mep-state>failed</cfm-remote-mep-state>")
	if !nw.State().LinkUp("pe1", "xe-0/0/0") {
		t.Fatal("the link itself should still be up")
	}
	mustContain(t, a.rpc(ifq), "<admin-status>up</admin-status>", "<oper-status>down</oper-status>")
	// pe2's interface has no action profile: it stays up.
	mustContain(t, b.rpc(ifq), "<oper-status>up</oper-status>")
	// The remote MEP comes back: the action clears.
	commitSet(t, b, mep(2, 1)...)
	nw.Sync()
	mustContain(t, a.rpc(ifq), "<oper-status>up</oper-status>")
}

func TestNetworkDebounceBurst(t *testing.T) {
	nw := startLab(t, "burst", "127.0.27", []string{"pe1", "pe2"}, []labLink{{a: "pe1:eth1", b: "pe2:eth1"}}, nil)
	before := nw.Recomputes()
	for i := 0; i <= 200; i++ {
		if err := nw.SetLink("pe1:eth1", "pe2:eth1", i%2 == 0); err != nil {
			t.Fatal(err)
		}
	}
	nw.Sync()
	if n := nw.Recomputes() - before; n < 1 || n > 20 {
		t.Errorf("200 changes in a burst cost %d recomputations, want a handful", n)
	}
	if !nw.State().LinkUp("pe1", "xe-0/0/0") {
		t.Error("the last change (up) is not reflected")
	}
}

func TestVirtualClockConfirmedCommit(t *testing.T) {
	clk := NewVirtualClock(time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC))
	nw := startLab(t, "vclock", "127.0.28", []string{"pe1"}, nil, clk)
	c := nc(t, nw, "pe1")
	mustContain(t, c.rpc(loadSet("set interfaces xe-0/0/3 description tentative")), "<ok/>")
	mustContain(t, c.rpc(`<commit-configuration><confirmed/><confirm-timeout>2</confirm-timeout></commit-configuration>`), "<commit-success/>")
	mustContain(t, c.rpc(`<get-configuration database="committed" format="set"/>`), "tentative")
	clk.Advance(119 * time.Second)
	mustContain(t, c.rpc(`<get-configuration database="committed" format="set"/>`), "tentative")
	clk.Advance(time.Second)
	mustNotContain(t, c.rpc(`<get-configuration database="committed" format="set"/>`), "tentative")
	if clk.Pending() != 0 {
		t.Errorf("%d timers pending after the rollback", clk.Pending())
	}
}

var connRE = regexp.MustCompile(`<connection-id>([^<]+)</connection-id>\s*<connection-type>[^<]*</connection-type>\s*<connection-status>([^<]+)</connection-status>`)

// pwByID returns connection-id → status of a device's l2circuits.
func pwByID(t *testing.T, c *rawClient) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, m := range connRE.FindAllStringSubmatch(c.rpc("<get-l2ckt-connection-information/>"), -1) {
		out[m[1]] = m[2]
	}
	return out
}

// A ring pe1 - p1 - pe2 - p2 - pe1 with pe3 on a spur off p1: pe1 has a
// circuit to pe2 and one to pe3. Cutting a ring link moves both; cutting
// the spur takes down exactly the circuit to pe3.
func TestNetworkLinkCutTakesDownExactlyTheUnprotected(t *testing.T) {
	nodes := []string{"pe1", "p1", "pe2", "p2", "pe3", "ce1", "ce2", "ce3"}
	links := []labLink{
		{a: "pe1:eth1", b: "p1:eth1"}, {a: "p1:eth2", b: "pe2:eth1"},
		{a: "pe2:eth3", b: "p2:eth1"}, {a: "p2:eth2", b: "pe1:eth3"},
		{a: "p1:eth3", b: "pe3:eth1"},
		{a: "ce1:eth1", b: "pe1:eth2"}, {a: "ce2:eth1", b: "pe2:eth2"}, {a: "ce3:eth1", b: "pe3:eth2"},
	}
	nw := startLab(t, "spur", "127.0.36", nodes, links, nil)
	pe1, pe2, pe3 := nc(t, nw, "pe1"), nc(t, nw, "pe2"), nc(t, nw, "pe3")
	unit200 := []string{
		"set interfaces xe-0/0/1 unit 200 encapsulation vlan-ccc",
		"set interfaces xe-0/0/1 unit 200 vlan-id 200",
		"set protocols l2circuit neighbor 10.255.0.3 interface xe-0/0/1.200 virtual-circuit-id 200",
	}
	commitSet(t, pe1, append(append(coreSet(1, map[string]string{"xe-0/0/0": "10.0.1.1/30", "xe-0/0/2": "10.0.4.2/30"}),
		elineSet("xe-0/0/1", "10.255.0.2", 100)...), unit200...)...)
	commitSet(t, nc(t, nw, "p1"), coreSet(9, map[string]string{"xe-0/0/0": "10.0.1.2/30", "xe-0/0/1": "10.0.2.1/30", "xe-0/0/2": "10.0.5.1/30"})...)
	commitSet(t, pe2, append(coreSet(2, map[string]string{"xe-0/0/0": "10.0.2.2/30", "xe-0/0/2": "10.0.3.1/30"}), elineSet("xe-0/0/1", "10.255.0.1", 100)...)...)
	commitSet(t, nc(t, nw, "p2"), coreSet(8, map[string]string{"xe-0/0/0": "10.0.3.2/30", "xe-0/0/1": "10.0.4.1/30"})...)
	commitSet(t, pe3, append(coreSet(3, map[string]string{"xe-0/0/0": "10.0.5.2/30"}),
		"set interfaces xe-0/0/1 flexible-vlan-tagging", "set interfaces xe-0/0/1 encapsulation flexible-ethernet-services",
		"set interfaces xe-0/0/1 unit 200 encapsulation vlan-ccc", "set interfaces xe-0/0/1 unit 200 vlan-id 200",
		"set protocols l2circuit neighbor 10.255.0.1 interface xe-0/0/1.200 virtual-circuit-id 200")...)
	nw.Sync()
	toPE2, toPE3 := "xe-0/0/1.100(vc 100)", "xe-0/0/1.200(vc 200)"
	check := func(when, want2, want3 string) {
		t.Helper()
		got := pwByID(t, pe1)
		if got[toPE2] != want2 || got[toPE3] != want3 {
			t.Errorf("%s: pe1 circuits %v, want to pe2 %s, to pe3 %s", when, got, want2, want3)
		}
		if g := pwByID(t, pe2)["xe-0/0/1.100(vc 100)"]; g != want2 {
			t.Errorf("%s: pe2 end %s, want %s", when, g, want2)
		}
		if g := pwByID(t, pe3)["xe-0/0/1.200(vc 200)"]; (g == "Up") != (want3 == "Up") {
			t.Errorf("%s: pe3 end %s, want %s", when, g, want3)
		}
	}
	check("all links up", "Up", "Up")
	if err := nw.SetLink("pe1:eth1", "p1:eth1", false); err != nil {
		t.Fatal(err)
	}
	nw.Sync()
	check("ring cut", "Up", "Up")
	if err := nw.SetLink("p1:eth3", "pe3:eth1", false); err != nil {
		t.Fatal(err)
	}
	nw.Sync()
	got := pwByID(t, pe1)
	if got[toPE2] != "Up" || got[toPE3] == "Up" {
		t.Errorf("spur cut: %v, want only the circuit to pe3 down", got)
	}
}

// A failing recomputation keeps the last good state and says why.
func TestNetworkComputeFailureKeepsState(t *testing.T) {
	nw := startLab(t, "panic", "127.0.37", []string{"pe1", "pe2"}, []labLink{{a: "pe1:eth1", b: "pe2:eth1"}}, nil)
	nw.smu.Lock()
	nw.testPanic = func() { panic("boom") }
	nw.smu.Unlock()
	if err := nw.SetLink("pe1:eth1", "", false); err != nil {
		t.Fatal(err)
	}
	nw.Sync()
	if err := nw.ComputeErr(); err == nil || !strings.Contains(err.Error(), "boom") {
		t.Fatalf("ComputeErr: %v", err)
	}
	if !nw.State().LinkUp("pe1", "xe-0/0/0") {
		t.Error("the previous state should stay published")
	}
	if st := nw.adminState(); !strings.Contains(st.Error, "boom") {
		t.Errorf("admin state error %q", st.Error)
	}
	nw.smu.Lock()
	nw.testPanic = nil
	nw.smu.Unlock()
	if err := nw.SetLink("pe1:eth1", "", true); err != nil {
		t.Fatal(err)
	}
	if err := nw.SetLink("pe1:eth1", "", false); err != nil {
		t.Fatal(err)
	}
	nw.Sync()
	if nw.ComputeErr() != nil || nw.State().LinkUp("pe1", "xe-0/0/0") {
		t.Errorf("after recovery: err %v, link up %v", nw.ComputeErr(), nw.State().LinkUp("pe1", "xe-0/0/0"))
	}
}
