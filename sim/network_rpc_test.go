package sim

import (
	"fmt"
	"strings"
	"testing"

	"golang.org/x/crypto/ssh"
)

// TestNetworkMPLSPingsAndLSPs covers RSVP LSPs and ping mpls rsvp, ldp and
// lsp-end-point over NETCONF, on the chain pe1 - p1 - pe2.
func TestNetworkMPLSPingsAndLSPs(t *testing.T) {
	nw := startLab(t, "mpls", "127.0.32", chainNodes, chainLinks, nil)
	pe1, p1, pe2 := chainCore(t, nw)
	commitSet(t, pe1, "set protocols rsvp interface xe-0/0/0.0", "set protocols mpls label-switched-path to-pe2 to 10.255.0.2")
	commitSet(t, p1, "set protocols rsvp interface xe-0/0/0.0", "set protocols rsvp interface xe-0/0/1.0")
	commitSet(t, pe2, "set protocols rsvp interface xe-0/0/0.0")
	nw.Sync()
	rep := pe1.rpc("<get-mpls-lsp-information/>")
	mustContain(t, rep, "<name>to-pe2</name>", "<lsp-state>Up</lsp-state>")
	mustContain(t, pe1.rpc(`<command format="text">show mpls lsp</command>`), "Up 1, Down 0")
	commitSet(t, pe1, "set protocols mpls static-label-switched-path ST ingress to 10.255.0.2",
		"set protocols mpls static-label-switched-path ST ingress next-hop 10.0.1.2",
		"set protocols mpls static-label-switched-path ST ingress push 1000001")
	nw.Sync()
	mustContain(t, pe1.rpc(`<get-mpls-lsp-information><name>ST</name></get-mpls-lsp-information>`), "<name>ST</name>", "<destination-address>10.255.0.2</destination-address>")
	mustContain(t, p1.rpc(`<get-mpls-lsp-information><transit/></get-mpls-lsp-information>`), "<session-type>Transit</session-type>\n<count>1</count>")
	mustContain(t, pe2.rpc(`<get-mpls-lsp-information><egress/></get-mpls-lsp-information>`), "<session-type>Egress</session-type>\n<count>1</count>")

	ping := func(rpc string) string { return pe1.rpc(rpc) }
	rep = ping(`<request-ping-rsvp-lsp><lsp-name>to-pe2</lsp-name><count>4</count><detail/></request-ping-rsvp-lsp>`)
	mustContain(t, rep, "<lsping-packets-received>4</lsping-packets-received>", "<lsping-ip-address>10.255.0.2</lsping-ip-address>")
	if avg := leafFloat(t, rep, "lsping-packet-time-average"); avg < 10 || avg > 10.5 {
		t.Errorf("rsvp ping average %.3f ms, want about 10", avg)
	}
	mustContain(t, ping(`<request-ping-rsvp-lsp><lsp-name>nope</lsp-name></request-ping-rsvp-lsp>`), "<rpc-error>", "RSVP LSP nope not found")
	mustContain(t, ping(`<request-ping-ldp-lsp><fec>10.255.0.2/32</fec></request-ping-ldp-lsp>`), "<lsping-success/>")
	mustContain(t, ping(`<request-ping-ldp-lsp><fec>10.77.0.1/32</fec></request-ping-ldp-lsp>`), "<rpc-error>", "no LDP LSP to FEC 10.77.0.1/32")
	mustContain(t, ping(`<request-ping-lsp-end-point><prefix>10.255.0.2</prefix></request-ping-lsp-end-point>`), "<lsping-success/>")
	mustContain(t, ping(`<request-ping-ldp-lsp/>`), "<rpc-error>", "missing argument &lt;fec&gt;")
	mustContain(t, ping(`<command format="text">ping mpls rsvp to-pe2 count 2 detail</command>`), "Reply for seq 2, return code: Egress-ok", "2 packets transmitted, 2 packets received")
	mustContain(t, ping(`<command format="text">ping mpls ldp 10.255.0.2/32</command>`), "!!!!!")
	// And from the CLI over SSH.
	cli, err := ssh.Dial("tcp", nw.Device("pe1").Addr().String(), sshConfig(nw.Device("pe1")))
	if err != nil {
		t.Fatal(err)
	}
	defer cli.Close()
	sess, err := cli.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	out, err := sess.Output("ping mpls rsvp to-pe2 count 3")
	if err != nil {
		t.Fatal(err)
	}
	mustContain(t, string(out), "!!!", "3 packets transmitted, 3 packets received, 0% packet loss", "round-trip min/avg/max/stddev")

	// A lossy link makes some probes time out, deterministically.
	if err := nw.SetImpairment("p1:eth2", "pe2:eth1", LinkImpairment{Delay: 3e6, Loss: 30}); err != nil {
		t.Fatal(err)
	}
	nw.Sync()
	rep = ping(`<request-ping-rsvp-lsp><lsp-name>to-pe2</lsp-name><count>100</count></request-ping-rsvp-lsp>`)
	got := leafFloat(t, rep, "lsping-packets-received")
	if got < 30 || got > 70 {
		t.Errorf("with 30%% loss each way, %v of 100 probes came back; want about 49", got)
	}
	if again := ping(`<request-ping-rsvp-lsp><lsp-name>to-pe2</lsp-name><count>100</count></request-ping-rsvp-lsp>`); stripID(again) != stripID(rep) {
		t.Error("lossy ping is not deterministic")
	}
	// Cutting the only path takes the LSP down; its ping then times out.
	if err := nw.SetLink("p1:eth2", "", false); err != nil {
		t.Fatal(err)
	}
	nw.Sync()
	mustContain(t, pe1.rpc("<get-mpls-lsp-information/>"), "<lsp-state>Dn</lsp-state>")
	// The static LSP's next hop is still up; the RSVP LSP is down.
	upOnly := pe1.rpc("<get-mpls-lsp-information><up/></get-mpls-lsp-information>")
	mustContain(t, upOnly, "<name>ST</name>", "<display-count>1</display-count>\n<up-count>1</up-count>")
	mustNotContain(t, upOnly, "to-pe2")
	downOnly := pe1.rpc("<get-mpls-lsp-information><down/></get-mpls-lsp-information>")
	mustContain(t, downOnly, "<name>to-pe2</name>", "<display-count>1</display-count>\n<up-count>0</up-count>\n<down-count>1</down-count>")
	mustNotContain(t, downOnly, "<name>ST</name>")
	mustContain(t, ping(`<request-ping-rsvp-lsp><lsp-name>to-pe2</lsp-name></request-ping-rsvp-lsp>`), "<lsping-packets-received>0</lsping-packets-received>", "<lsping-failure/>")
	mustContain(t, ping(`<command format="text">ping mpls rsvp to-pe2</command>`), ".....", "100% packet loss")
}

// TestNetworkVPLSAndL2VPN covers BGP VPLS and l2vpn connections and their
// pings, and the BGP summary and route table show forms.
func TestNetworkVPLSAndL2VPN(t *testing.T) {
	nw := startLab(t, "vpls", "127.0.33", chainNodes, chainLinks, nil)
	pe1, _, pe2 := chainCore(t, nw)
	svc := func(n, peer, site, remote int) []string {
		lo := fmt.Sprintf("10.255.0.%d", n)
		return []string{
			"set routing-options autonomous-system 65000",
			"set protocols bgp group ibgp type internal",
			"set protocols bgp group ibgp local-address " + lo,
			"set protocols bgp group ibgp family l2vpn signaling",
			fmt.Sprintf("set protocols bgp group ibgp neighbor 10.255.0.%d", peer),
			"set interfaces xe-0/0/1 flexible-vlan-tagging",
			"set interfaces xe-0/0/1 encapsulation flexible-ethernet-services",
			"set interfaces xe-0/0/1 unit 500 encapsulation vlan-vpls",
			"set interfaces xe-0/0/1 unit 500 vlan-id 500",
			"set routing-instances LAN instance-type vpls",
			"set routing-instances LAN interface xe-0/0/1.500",
			"set routing-instances LAN route-distinguisher " + lo + ":500",
			"set routing-instances LAN vrf-target target:65000:500",
			"set routing-instances LAN protocols vpls site-range 10",
			fmt.Sprintf("set routing-instances LAN protocols vpls site S%d site-identifier %d", site, site),
			fmt.Sprintf("set routing-instances LAN protocols vpls site S%d interface xe-0/0/1.500", site),
			"set interfaces xe-0/0/1 unit 600 encapsulation vlan-ccc",
			"set interfaces xe-0/0/1 unit 600 vlan-id 600",
			"set routing-instances WIRE instance-type l2vpn",
			"set routing-instances WIRE interface xe-0/0/1.600",
			"set routing-instances WIRE route-distinguisher " + lo + ":600",
			"set routing-instances WIRE vrf-target target:65000:600",
			"set routing-instances WIRE protocols l2vpn encapsulation-type ethernet-vlan",
			fmt.Sprintf("set routing-instances WIRE protocols l2vpn site W site-identifier %d", site),
			fmt.Sprintf("set routing-instances WIRE protocols l2vpn site W interface xe-0/0/1.600 remote-site-id %d", remote),
		}
	}
	ldpVPLS := func(peer int) []string {
		return []string{
			"set interfaces xe-0/0/1 unit 700 encapsulation vlan-vpls",
			"set interfaces xe-0/0/1 unit 700 vlan-id 700",
			"set routing-instances LDPV instance-type vpls",
			"set routing-instances LDPV interface xe-0/0/1.700",
			"set routing-instances LDPV protocols vpls vpls-id 700",
			fmt.Sprintf("set routing-instances LDPV protocols vpls neighbor 10.255.0.%d", peer),
		}
	}
	commitSet(t, pe1, append(svc(1, 2, 1, 2), ldpVPLS(2)...)...)
	commitSet(t, pe2, append(svc(2, 1, 2, 1), ldpVPLS(1)...)...)
	nw.Sync()
	rep := pe1.rpc(`<get-vpls-connection-information><instance>LDPV</instance></get-vpls-connection-information>`)
	mustContain(t, rep, "<vpls-id>700</vpls-id>", "<connection-id>10.255.0.2(vpls-id 700)</connection-id>", "<connection-status>Up</connection-status>")
	mustContain(t, pe1.rpc(`<command format="text">show vpls connections instance LDPV</command>`), "VPLS-id: 700", "10.255.0.2(vpls-id 700)")
	mustContain(t, pe1.rpc("<get-bgp-summary-information/>"), "<peer-address>10.255.0.2</peer-address>", "<peer-state>Established</peer-state>")
	mustContain(t, pe1.rpc(`<command format="text">show bgp summary</command>`), "Groups: 1 Peers: 1 Down peers: 0", "Establ")
	rep = pe1.rpc(`<get-vpls-connection-information><instance>LAN</instance></get-vpls-connection-information>`)
	mustContain(t, rep, "<instance-name>LAN</instance-name>", "<local-site-id>1</local-site-id>", "<connection-id>2</connection-id>", "<connection-status>Up</connection-status>", "<remote-pe>10.255.0.2</remote-pe>")
	rep = pe1.rpc(`<get-l2vpn-connection-information/>`)
	mustContain(t, rep, "<instance-name>WIRE</instance-name>", "<connection-status>Up</connection-status>", "<interface-name>xe-0/0/1.600</interface-name>")
	mustNotContain(t, rep, "<instance-name>LAN</instance-name>")
	mustContain(t, pe1.rpc(`<command format="text">show l2vpn connections</command>`), "Instance: WIRE", "Local site: W (1)")
	mustContain(t, pe1.rpc(`<request-ping-l2vpn-interface><interface-name>xe-0/0/1.600</interface-name></request-ping-l2vpn-interface>`), "<lsping-success/>")
	mustContain(t, pe1.rpc(`<command>ping mpls l2vpn instance WIRE local-site-id 1 remote-site-id 2 count 2</command>`), "<lsping-packets-received>2</lsping-packets-received>")
	mustContain(t, pe1.rpc(`<request-ping-l2vpn-instance><instance-name>WIRE</instance-name><local-site-id>1</local-site-id><remote-site-id>9</remote-site-id></request-ping-l2vpn-instance>`), "<rpc-error>", "remote site 9")
	// A wrong remote-site-id on pe2 takes the l2vpn down but not the VPLS.
	commitSet(t, pe2, "set routing-instances WIRE protocols l2vpn site W interface xe-0/0/1.600 remote-site-id 7")
	nw.Sync()
	mustNotContain(t, pe1.rpc(`<get-l2vpn-connection-information/>`), "<connection-status>Up</connection-status>")
	mustContain(t, pe1.rpc(`<get-vpls-connection-information/>`), "<connection-status>Up</connection-status>")
	mustContain(t, pe1.rpc(`<get-vpls-connection-information><down/></get-vpls-connection-information>`), "<vc-down-count>0</vc-down-count>")
	// Routing tables: inet.0 has pe2's loopback by IS-IS, and show route
	// filters by destination.
	rep = pe1.rpc(`<get-route-information><table>inet.0</table><destination>10.255.0.2</destination></get-route-information>`)
	mustContain(t, rep, "<rt-destination>10.255.0.2/32</rt-destination>", "<protocol-name>IS-IS</protocol-name>", "<via>xe-0/0/0.0</via>")
	mustNotContain(t, rep, "10.255.0.9/32")
	mustContain(t, pe1.rpc(`<get-route-information><table>nope.inet.0</table></get-route-information>`), "<rpc-error>", "Invalid table name: nope.inet.0")
	mustContain(t, pe1.rpc(`<command format="text">show route table inet.0 10.255.0.2</command>`), "10.255.0.2/32", "*[IS-IS/18]", "&gt; to 10.0.1.2 via xe-0/0/0.0")
	mustContain(t, pe1.rpc(`<command format="text">show isis adjacency</command>`), "xe-0/0/0.0", "p1", "Up")
	mustContain(t, pe1.rpc(`<command format="text">show ldp session</command>`), "10.255.0.9", "Operational")
}

// TestNetworkPTPAndSyncE: a slave locks only over a PTP path to the
// grandmaster; cutting the path makes it hold over.
func TestNetworkPTPAndSyncE(t *testing.T) {
	nw := startLab(t, "ptp", "127.0.34", []string{"gm", "bc"}, []labLink{{a: "gm:eth1", b: "bc:eth1"}}, nil)
	gm, bc := nc(t, nw, "gm"), nc(t, nw, "bc")
	commitSet(t, gm, "set protocols ptp clock-mode boundary",
		"set protocols ptp master interface xe-0/0/0.0 multicast-mode transport ieee-802.3",
		"set interfaces xe-0/0/0 unit 0 family inet address 10.0.0.1/30")
	commitSet(t, bc, "set protocols ptp clock-mode boundary",
		"set protocols ptp slave interface xe-0/0/0.0 multicast-mode transport ieee-802.3",
		"set interfaces xe-0/0/0 unit 0 family inet address 10.0.0.2/30",
		"set chassis synchronization source interfaces xe-0/0/0",
		"set chassis synchronization esmc-transmit interfaces xe-0/0/1")
	commitSet(t, gm, "set chassis synchronization esmc-transmit interfaces xe-0/0/0")
	nw.Sync()
	mustContain(t, bc.rpc("<get-ptp-lock-status/>"), "<ptp-spll-lock-state>PHASE ALIGNED</ptp-spll-lock-state>", "<ptp-slave-interface>xe-0/0/0.0</ptp-slave-interface>")
	rep := bc.rpc("<get-ptp-clock/>")
	mustContain(t, rep, "<ptp-clock-steps-removed>1</ptp-clock-steps-removed>", "<ptp-clock-role>slave</ptp-clock-role>")
	if gmID := leafText(t, gm.rpc("<get-ptp-clock/>"), "ptp-clock-id-default"); !strings.Contains(rep, "<ptp-gmc-id>") || gmID == "" {
		t.Errorf("grandmaster identity missing:\n%s", rep)
	}
	mustContain(t, bc.rpc("<get-clock-synchronization/>"), "<clock-status>locked</clock-status>", "<source-interface-name>xe-0/0/0</source-interface-name>")
	if err := nw.SetLink("gm:eth1", "bc:eth1", false); err != nil {
		t.Fatal(err)
	}
	nw.Sync()
	mustContain(t, bc.rpc("<get-ptp-lock-status/>"), "<ptp-spll-lock-state>HOLDOVER</ptp-spll-lock-state>")
	mustContain(t, bc.rpc(`<command format="text">show ptp clock</command>`), "Lock state          : HOLDOVER")
}

func leafText(t *testing.T, xml, name string) string {
	t.Helper()
	i := strings.Index(xml, "<"+name+">")
	if i < 0 {
		return ""
	}
	rest := xml[i+len(name)+2:]
	j := strings.Index(rest, "<")
	return rest[:j]
}

// TestNetworkCFMLossStatistics: loss statistics follow the link's loss.
func TestNetworkCFMLossStatistics(t *testing.T) {
	nw := startLab(t, "cfmloss", "127.0.35", []string{"a", "b"}, []labLink{{a: "a:eth1", b: "b:eth1", delay: "1ms", loss: "5%"}}, nil)
	for i, n := range []string{"a", "b"} {
		ma := "set protocols oam ethernet connectivity-fault-management maintenance-domain MD maintenance-association MA"
		commitSet(t, nc(t, nw, n),
			fmt.Sprintf("set interfaces xe-0/0/0 unit 0 family inet address 10.9.8.%d/24", i+1),
			"set protocols oam ethernet connectivity-fault-management maintenance-domain MD level 4",
			fmt.Sprintf("%s mep %d interface xe-0/0/0.0", ma, i+1),
			fmt.Sprintf("%s mep %d direction down", ma, i+1),
			fmt.Sprintf("%s mep %d remote-mep %d", ma, i+1, 2-i))
	}
	nw.Sync()
	c := nc(t, nw, "a")
	rep := c.rpc(`<get-cfm-loss-statistics><maintenance-domain>MD</maintenance-domain><maintenance-association>MA</maintenance-association><count>20</count></get-cfm-loss-statistics>`)
	ratio := leafFloat(t, rep, "cfm-ethlm-total-near-end-cir-loss-ratio")
	if ratio < 4 || ratio > 6 {
		t.Errorf("near-end loss ratio %.2f%% over a 5%% link, want about 5", ratio)
	}
	mustContain(t, c.rpc(`<get-cfm-loss-statistics><maintenance-domain>MD</maintenance-domain><maintenance-association>XX</maintenance-association></get-cfm-loss-statistics>`), "<rpc-error>", "maintenance association XX in domain MD not found")
	mustContain(t, c.rpc(`<get-cfm-delay-statistics><maintenance-domain>MD</maintenance-domain></get-cfm-delay-statistics>`), "<rpc-error>", "missing argument &lt;maintenance-association&gt;")
	mustContain(t, c.rpc(`<command format="text">show oam ethernet connectivity-fault-management delay-statistics maintenance-domain MD maintenance-association MA count 3</command>`), "Average two-way delay", "Index")
}

// TestNetworkOSPFNeighbors: show ospf neighbor lists the adjacency over the
// core link, with the neighbour's router ID, in XML and text; a router
// without OSPF refuses the request as Junos does.
func TestNetworkOSPFNeighbors(t *testing.T) {
	nw := startLab(t, "ospf", "127.0.38", []string{"pe1", "p1"}, []labLink{{a: "pe1:eth1", b: "p1:eth1"}}, nil)
	pe1, p1 := nc(t, nw, "pe1"), nc(t, nw, "p1")
	ospf := func(n int, addr string) []string {
		lo := fmt.Sprintf("10.255.0.%d", n)
		return []string{
			"set interfaces lo0 unit 0 family inet address " + lo + "/32",
			"set routing-options router-id " + lo,
			"set interfaces xe-0/0/0 unit 0 family inet address " + addr,
			"set protocols ospf area 0.0.0.0 interface lo0.0 passive",
			"set protocols ospf area 0.0.0.0 interface xe-0/0/0.0",
		}
	}
	mustContain(t, pe1.rpc("<get-ospf-neighbor-information/>"), "<rpc-error>", "OSPF instance is not running")
	commitSet(t, pe1, ospf(1, "10.0.1.1/30")...)
	commitSet(t, p1, ospf(9, "10.0.1.2/30")...)
	nw.Sync()
	rep := pe1.rpc("<get-ospf-neighbor-information/>")
	mustContain(t, rep, "<neighbor-address>10.0.1.2</neighbor-address>", "<interface-name>xe-0/0/0.0</interface-name>",
		"<ospf-neighbor-state>Full</ospf-neighbor-state>", "<neighbor-id>10.255.0.9</neighbor-id>")
	if n := strings.Count(rep, "<ospf-neighbor>"); n != 1 {
		t.Errorf("%d neighbours, want 1:\n%s", n, rep)
	}
	mustContain(t, p1.rpc(`<command format="text">show ospf neighbor</command>`), "10.0.1.1", "xe-0/0/0.0", "Full", "10.255.0.1")
}
