package lab

import (
	"context"
	"os/exec"
	"strings"
	"testing"

	"github.com/carrierkit/carrierkit/device"
)

func TestPlanSmall(t *testing.T) {
	p, err := NewPlan("small.clab.yml")
	if err != nil {
		t.Fatal(err)
	}
	if p.Subnet.String() != "172.20.20.0/24" || p.Gateway.String() != "172.20.20.1" {
		t.Errorf("subnet %v gateway %v", p.Subnet, p.Gateway)
	}
	var got []string
	for _, n := range p.Nodes {
		got = append(got, n.Name+"="+n.Namespace+"@"+n.Listen.String()+"/"+n.Sim.Platform)
		if len(n.HostVeth) > 15 {
			t.Errorf("host veth name %q longer than Linux allows", n.HostVeth)
		}
	}
	want := "pe1=clab-small-pe1@172.20.20.2:830/mx480 pe2=clab-small-pe2@172.20.20.3:830/acx2100 p1=clab-small-p1@172.20.20.4:830/ptx10003 ce1=clab-small-ce1@172.20.20.5:830/srx345 ce2=clab-small-ce2@172.20.20.6:830/srx345"
	if strings.Join(got, " ") != want {
		t.Errorf("nodes\n got %s\nwant %s", strings.Join(got, " "), want)
	}
	if len(p.Links) != 4 || p.Links[1].AIf != "eth1" || p.Links[1].BIf != "eth2" || p.Links[1].MTU != DefaultMTU {
		t.Errorf("links %+v", p.Links)
	}
}

func TestPlanErrors(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) string {
		f := dir + "/" + name
		if err := writeFile(f, text); err != nil {
			t.Fatal(err)
		}
		return f
	}
	base := "name: t\n%stopology:\n  nodes:\n    a: {kind: linux, labels: {carrierkit.sim/platform: mx480}%s}\n"
	for _, c := range []struct{ mgmt, node, want string }{
		{"mgmt: {ipv4-subnet: 8.8.8.0/24}\n", "", "not a private range"},
		{"mgmt: {ipv4-subnet: nonsense}\n", "", `mgmt.ipv4-subnet "nonsense"`},
		{"", ", mgmt-ipv4: 10.0.0.5", `node "a": mgmt-ipv4 "10.0.0.5" is not a host address in 172.20.20.0/24`},
		{"", ", mgmt-ipv4: 172.20.20.1", "is also the bridge's"},
	} {
		f := write("t.clab.yml", sprintf(base, c.mgmt, c.node))
		_, err := NewPlan(f)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q %q: error %v, want %q", c.mgmt, c.node, err, c.want)
		}
	}
	if _, err := NewPlan(dir + "/missing.clab.yml"); err == nil || !strings.Contains(err.Error(), "missing.clab.yml") {
		t.Errorf("missing file: %v", err)
	}
}

// The small lab comes up for real: one namespace per node with containerlab's
// interface names, every simulator answers NETCONF on its management
// address, and down leaves nothing.
func TestUpSmallWithCarrierkitSim(t *testing.T) {
	needRoot(t)
	simBin, _ := binaries(t)
	p, err := NewPlan("small.clab.yml")
	if err != nil {
		t.Fatal(err)
	}
	upLab(t, p, Options{Command: SimCommand(simBin)})

	for _, n := range p.Nodes {
		out, err := exec.Command("ip", "-n", n.Namespace, "-o", "link").Output()
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]bool{"eth0": true}
		for _, l := range p.Links {
			if p.Nodes[l.A].Name == n.Name {
				want[l.AIf] = true
			}
			if p.Nodes[l.B].Name == n.Name {
				want[l.BIf] = true
			}
		}
		for ifn := range want {
			if !strings.Contains(string(out), " "+ifn+"@") {
				t.Errorf("%s has no %s:\n%s", n.Namespace, ifn, out)
			}
		}
		s := dial(t, &n)
		rep, err := s.Get(context.Background(), device.Query{RPC: "<get-software-information/>"})
		if err != nil {
			t.Fatalf("%s: %v", n.Name, err)
		}
		if !strings.Contains(string(rep), "<host-name>"+n.Sim.Hostname+"</host-name>") ||
			!strings.Contains(string(rep), "<product-model>") {
			t.Errorf("%s: software information:\n%s", n.Name, rep)
		}
	}
}

// A failing up (a simulator that cannot start) cleans up after itself and
// names the node.
func TestUpFailureCleansUp(t *testing.T) {
	needRoot(t)
	p, err := NewPlan("small.clab.yml")
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	_ = Down(ctx, p)
	err = Up(ctx, p, Options{LogDir: t.TempDir(), Ready: 2e9, Command: func(p *Plan, n *PlanNode) []string {
		if n.Name == "pe2" {
			return []string{"/bin/false"}
		}
		return []string{"/bin/sleep", "60"}
	}})
	if err == nil || !strings.Contains(err.Error(), "node pe1") {
		t.Fatalf("up with broken simulators: %v", err)
	}
	if left := Leftovers(ctx, p); len(left) > 0 {
		t.Errorf("left after failed up: %v", left)
	}
	assertGone(t, p)
}
