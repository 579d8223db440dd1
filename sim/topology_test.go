package sim

import (
	"net/netip"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/carrierkit/carrierkit/netid"
)

func noEnv(string) (string, bool) { return "", false }

func TestLoadSmallTopology(t *testing.T) {
	topo, err := LoadTopology(filepath.Join("testdata", "topologies", "small.clab.yml"))
	if err != nil {
		t.Fatal(err)
	}
	type nodeView struct {
		Name, Kind, Platform, Host, Addr, User, Image string
	}
	var got []nodeView
	for _, n := range topo.Nodes {
		got = append(got, nodeView{n.Name, n.Kind, n.Sim.Platform, n.Sim.Hostname, n.Sim.Addr.String(), n.Sim.User, n.Image})
	}
	want := []nodeView{
		{"pe1", "linux", "mx480", "pe1", "127.0.1.1:830", "admin", "carrierkit-sim:local"},
		{"pe2", "linux", "acx2100", "pe2", "127.0.1.2:830", "admin", "carrierkit-sim:local"},
		{"p1", "linux", "ptx10003", "p1", "127.0.1.3:830", "admin", "carrierkit-sim:local"},
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("nodes (-want +got):\n%s", d)
	}
	type linkView struct {
		A, AIf, B, BIf string
		Impair         LinkImpairment
	}
	var links []linkView
	for _, l := range topo.Links {
		links = append(links, linkView{l.Endpoints[0].String(), l.Endpoints[0].SimInterface, l.Endpoints[1].String(), l.Endpoints[1].SimInterface, l.Impair})
	}
	wantLinks := []linkView{
		{"pe1:eth1", "xe-0/0/0", "p1:eth1", "et-0/0/0", LinkImpairment{Delay: 2 * time.Millisecond, Bandwidth: 10 * netid.Bitrate(1e9)}},
		{"pe2:eth1", "ge-0/0/0", "p1:eth2", "et-0/0/1", LinkImpairment{Delay: 5 * time.Millisecond, Jitter: time.Millisecond, Loss: 0.1, Bandwidth: netid.Bitrate(1e9)}},
		{"pe1:eth2", "xe-0/0/1", "pe2:eth2", "ge-0/0/1", LinkImpairment{}},
	}
	if d := cmp.Diff(wantLinks, links); d != "" {
		t.Errorf("links (-want +got):\n%s", d)
	}
}

func TestTopologyInheritanceAndEnv(t *testing.T) {
	src := `
name: inherit
topology:
  defaults:
    kind: linux
    labels: {team: core}
    env: {CARRIERKIT_PASSWORD: "${PW:-fallback}", CARRIERKIT_USER: ops}
  kinds:
    linux:
      labels: {carrierkit.sim/platform: acx2100}
      env: {CARRIERKIT_USER: lab}
    juniper_vsrx:
      image: vrnetlab/vr-vsrx:23.2
  nodes:
    a: {}
    b:
      labels: {carrierkit.sim/platform: srx345, carrierkit.sim/hostname: b-fw, carrierkit.sim/address: 127.0.1.1}
      env: {CARRIERKIT_PASSWORD: own}
    c:
      kind: juniper_vsrx
    host1:
      kind: bridge
`
	lookup := func(k string) (string, bool) {
		if k == "PW" {
			return "from-env", true
		}
		return "", false
	}
	topo, err := ParseTopology([]byte(src), TopologyOptions{LookupEnv: lookup})
	if err != nil {
		t.Fatal(err)
	}
	a, b, c := topo.Node("a"), topo.Node("b"), topo.Node("c")
	if a.Sim.Platform != "acx2100" || a.Sim.User != "lab" || a.Sim.Password != "from-env" || a.Labels["team"] != "core" {
		t.Errorf("a: kind labels/env must override defaults: %+v %+v", a.Sim, a.Labels)
	}
	if b.Sim.Platform != "srx345" || b.Sim.Hostname != "b-fw" || b.Sim.Password != "own" || b.Sim.Addr.String() != "127.0.1.1:830" {
		t.Errorf("b: %+v", b.Sim)
	}
	// a comes first in the file but 127.0.1.1 is b's: a gets the next one.
	if a.Sim.Addr.String() != "127.0.1.2:830" {
		t.Errorf("a address: %v", a.Sim.Addr)
	}
	if c.Sim.Platform != "vsrx" || c.Image != "vrnetlab/vr-vsrx:23.2" || c.Sim.Password != "from-env" {
		t.Errorf("c (juniper_vsrx kind default platform): %+v image %q", c.Sim, c.Image)
	}
	if topo.Node("host1").Sim != nil {
		t.Error("a bridge node is not a simulated device")
	}
	if n := len(topo.SimNodes()); n != 3 {
		t.Errorf("SimNodes: %d", n)
	}
}

func TestTopologyAddressesSkipZeroAnd255(t *testing.T) {
	var b strings.Builder
	b.WriteString("name: many\ntopology:\n  defaults: {kind: linux, labels: {carrierkit.sim/platform: mx204}}\n  nodes:\n")
	for i := range 300 {
		b.WriteString("    n" + strconv.Itoa(i) + ": {}\n")
	}
	topo, err := ParseTopology([]byte(b.String()), TopologyOptions{LookupEnv: noEnv})
	if err != nil {
		t.Fatal(err)
	}
	seen := map[netip.Addr]bool{}
	for _, n := range topo.Nodes {
		a := n.Sim.Addr.Addr()
		if last := a.As4()[3]; last == 0 || last == 255 {
			t.Errorf("%s got %v", n.Name, a)
		}
		if seen[a] {
			t.Errorf("%s: duplicate %v", n.Name, a)
		}
		seen[a] = true
	}
	if got := topo.Node("n254").Sim.Addr.Addr().String(); got != "127.0.2.1" {
		t.Errorf("255th node: %s, want 127.0.2.1", got)
	}
}

func TestTopologyErrors(t *testing.T) {
	base := "name: bad\ntopology:\n  defaults: {kind: linux}\n  nodes:\n    pe1: {labels: {carrierkit.sim/platform: mx480}}\n    pe2: {labels: {carrierkit.sim/platform: mx480}}\n"
	tests := []struct {
		name, src string
		want      []string // substrings of the error
	}{
		{"unknown node in link", base + "  links:\n    - endpoints: [pe1:eth1, pe9:eth1]\n", []string{"link 1", `unknown node "pe9"`}},
		{"unknown platform", "name: bad\ntopology:\n  nodes:\n    r1: {kind: linux, labels: {carrierkit.sim/platform: mx9999}}\n", []string{`node "r1"`, "platform", "mx9999"}},
		{"bad address", "name: bad\ntopology:\n  nodes:\n    r1: {kind: linux, labels: {carrierkit.sim/platform: mx480, carrierkit.sim/address: 127.0.1.300}}\n", []string{`node "r1"`, LabelAddress, "127.0.1.300"}},
		{"duplicate address", "name: bad\ntopology:\n  defaults: {kind: linux}\n  nodes:\n    r1: {labels: {carrierkit.sim/platform: mx480, carrierkit.sim/address: 127.0.1.9}}\n    r2: {labels: {carrierkit.sim/platform: mx480, carrierkit.sim/address: 127.0.1.9}}\n", []string{`node "r2"`, "127.0.1.9", `"r1"`}},
		{"bad port", "name: bad\ntopology:\n  nodes:\n    r1: {kind: linux, labels: {carrierkit.sim/platform: mx480, carrierkit.sim/port: http}}\n", []string{`node "r1"`, LabelPort}},
		{"unknown label", "name: bad\ntopology:\n  nodes:\n    r1: {kind: linux, labels: {carrierkit.sim/platfrom: mx480}}\n", []string{`node "r1"`, "carrierkit.sim/platfrom", "unknown"}},
		{"label and env disagree", "name: bad\ntopology:\n  nodes:\n    r1: {kind: linux, labels: {carrierkit.sim/platform: mx480}, env: {CARRIERKIT_PLATFORM: acx2100}}\n", []string{`node "r1"`, "disagree"}},
		{"eth0", base + "  links:\n    - endpoints: [pe1:eth0, pe2:eth1]\n", []string{"pe1:eth0", "management"}},
		{"too many ports", base + "  links:\n    - endpoints: [pe1:eth99, pe2:eth1]\n", []string{"pe1:eth99", "data ports"}},
		{"junos name not on platform", base + "  links:\n    - endpoints: [pe1:ge-0/0/0, pe2:eth1]\n", []string{"pe1:ge-0/0/0", "no such port"}},
		{"interface used twice", base + "  links:\n    - endpoints: [pe1:eth1, pe2:eth1]\n    - endpoints: [pe1:xe-0/0/0, pe2:eth2]\n", []string{"link 2", "pe1:xe-0/0/0", "already used by link 1"}},
		{"bad delay", base + "  links:\n    - endpoints: [pe1:eth1, pe2:eth1]\n      vars: {carrierkit.sim/delay: soon}\n", []string{"link 1", VarDelay, "soon"}},
		{"bad loss", base + "  links:\n    - endpoints: [pe1:eth1, pe2:eth1]\n      vars: {carrierkit.sim/loss: 140%}\n", []string{VarLoss, "140%"}},
		{"bad bandwidth", base + "  links:\n    - endpoints: [pe1:eth1, pe2:eth1]\n      vars: {carrierkit.sim/bandwidth: fast}\n", []string{VarBandwidth, "fast"}},
		{"unknown field", "name: bad\ntopology:\n  nodes:\n    r1: {kind: linux, lables: {}}\n", []string{"lables"}},
		{"no name", "topology:\n  nodes:\n    r1: {kind: linux}\n", []string{"missing name"}},
		{"no kind", "name: bad\ntopology:\n  nodes:\n    r1: {labels: {carrierkit.sim/platform: mx480}}\n", []string{`node "r1"`, "kind"}},
		{"three endpoints", base + "  links:\n    - endpoints: [pe1:eth1, pe2:eth1, pe2:eth2]\n", []string{"exactly 2"}},
		{"endpoint without colon", base + "  links:\n    - endpoints: [pe1, pe2:eth1]\n", []string{`"pe1"`, "node:interface"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseTopology([]byte(tt.src), TopologyOptions{LookupEnv: noEnv})
			if err == nil {
				t.Fatal("want an error")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
		})
	}
}

func TestTopologyExtendedLinkAndSpecialEndpoints(t *testing.T) {
	src := `
name: ext
topology:
  nodes:
    pe1: {kind: linux, labels: {carrierkit.sim/platform: mx204}}
    srv: {kind: linux}
  links:
    - type: veth
      endpoints:
        - {node: pe1, interface: eth3}
        - {node: srv, interface: eth1}
      mtu: 9000
    - endpoints: ["pe1:eth4", "host:pe1-eth4"]
`
	topo, err := ParseTopology([]byte(src), TopologyOptions{LookupEnv: noEnv})
	if err != nil {
		t.Fatal(err)
	}
	l := topo.Links[0]
	if l.Endpoints[0].SimInterface != "et-0/0/2" || l.Endpoints[1].SimInterface != "" || l.MTU != 9000 {
		t.Errorf("extended link: %+v", l)
	}
	if e := topo.Links[1].Endpoints[1]; e.Node != "host" || e.SimInterface != "" {
		t.Errorf("host endpoint: %+v", e)
	}
}

func TestExpandEnv(t *testing.T) {
	env := map[string]string{"SET": "v", "EMPTY": ""}
	lookup := func(k string) (string, bool) { v, ok := env[k]; return v, ok }
	tests := map[string]string{
		"${SET}":           "v",
		"$SET/x":           "v/x",
		"${UNSET}":         "",
		"${UNSET:-d}":      "d",
		"${EMPTY:-d}":      "d",
		"${EMPTY-d}":       "",
		"${UNSET-d}":       "d",
		"${SET:=d}":        "v",
		"cost $$5":         "cost $5",
		"a: ${UNSET:=x y}": "a: x y",
	}
	for in, want := range tests {
		if got := string(expandEnv([]byte(in), lookup)); got != want {
			t.Errorf("expandEnv(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestTopologyNumericLabelAndEnvValues(t *testing.T) {
	// containerlab's schema allows numbers as label and env values.
	src := "name: p\ntopology:\n  nodes:\n    r1: {kind: linux, labels: {carrierkit.sim/platform: mx480, carrierkit.sim/port: 2830}, env: {CARRIERKIT_PASSWORD: 12345}}\n"
	topo, err := ParseTopology([]byte(src), TopologyOptions{LookupEnv: noEnv})
	if err != nil {
		t.Fatal(err)
	}
	if s := topo.Nodes[0].Sim; s.Addr.String() != "127.0.1.1:2830" || s.Password != "12345" {
		t.Errorf("got %+v", s)
	}
}
