package lab

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/netip"
	"os"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/carrierkit/carrierkit/sim"
)

// DefaultSubnet is the management subnet of a lab whose file sets none; it
// is containerlab's default.
var DefaultSubnet = netip.MustParsePrefix("172.20.20.0/24")

// Plan is everything the runner creates for one topology: every name and
// address is derived from the file, so the same plan tears down what an
// earlier Up made. Build it with NewPlan.
type Plan struct {
	File     string        // the topology file
	Topology *sim.Topology // as sim.LoadTopology read it
	Subnet   netip.Prefix  // management subnet
	Gateway  netip.Addr    // the bridge's address (the subnet's first)
	Bridge   string        // management bridge in the root namespace
	Nodes    []PlanNode    // simulated nodes, in file order
	Links    []PlanLink    // links between two simulated nodes
}

// PlanNode is one simulated node.
type PlanNode struct {
	Name      string
	Namespace string         // clab-<lab>-<node>, or as the topology's prefix says
	HostVeth  string         // root-namespace end of the management veth; eth0 inside
	Mgmt      netip.Addr     // eth0's address
	Listen    netip.AddrPort // where the simulator listens (Mgmt and the node's port)
	Sim       *sim.NodeSim
	Node      *sim.TopologyNode
}

// PlanLink is one veth pair; A and B index Plan.Nodes.
type PlanLink struct {
	A, B     int
	AIf, BIf string // interface names inside the namespaces (eth1, …)
	MTU      int
	Link     *sim.TopologyLink
}

// mgmtFields are the containerlab fields the simulator's topology type does
// not keep.
type mgmtFields struct {
	Mgmt struct {
		IPv4Subnet string `yaml:"ipv4-subnet"`
	} `yaml:"mgmt"`
	Topology struct {
		Nodes map[string]struct {
			MgmtIPv4 string `yaml:"mgmt-ipv4"`
		} `yaml:"nodes"`
	} `yaml:"topology"`
}

// DefaultMTU is containerlab's MTU for veth links that set none.
const DefaultMTU = 9500

// NewPlan reads a topology file and computes the lab's names and addresses.
// Errors name the file and the node or field at fault.
func NewPlan(file string) (*Plan, error) {
	topo, err := sim.LoadTopology(file)
	if err != nil {
		return nil, fmt.Errorf("lab: %w", err)
	}
	raw, err := os.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("lab: %w", err)
	}
	var mf mgmtFields
	if err := yaml.Unmarshal(raw, &mf); err != nil {
		return nil, fmt.Errorf("lab: %s: %w", file, err)
	}
	p := &Plan{File: file, Topology: topo, Subnet: DefaultSubnet}
	if s := mf.Mgmt.IPv4Subnet; s != "" {
		if p.Subnet, err = netip.ParsePrefix(s); err != nil || !p.Subnet.Addr().Is4() {
			return nil, fmt.Errorf("lab: %s: mgmt.ipv4-subnet %q is not an IPv4 prefix such as 172.20.20.0/24", file, s)
		}
		p.Subnet = p.Subnet.Masked()
	}
	if !p.Subnet.Addr().IsPrivate() {
		return nil, fmt.Errorf("lab: %s: mgmt.ipv4-subnet %s is not a private range (RFC 1918)", file, p.Subnet)
	}
	p.Gateway = p.Subnet.Addr().Next()
	id := labID(topo.Name)
	p.Bridge = "ck" + id + "br"

	used := map[netip.Addr]string{p.Gateway: "the bridge"}
	var fixed = map[string]netip.Addr{}
	for name, n := range mf.Topology.Nodes {
		if n.MgmtIPv4 == "" {
			continue
		}
		a, err := netip.ParseAddr(n.MgmtIPv4)
		if err != nil || !p.Subnet.Contains(a) || a == p.Subnet.Addr() {
			return nil, fmt.Errorf("lab: %s: node %q: mgmt-ipv4 %q is not a host address in %s", file, name, n.MgmtIPv4, p.Subnet)
		}
		fixed[name] = a
	}
	index := map[string]int{}
	next := p.Gateway
	for _, n := range topo.SimNodes() {
		pn := PlanNode{Name: n.Name, Namespace: namespaceName(topo, n.Name), Sim: n.Sim, Node: n,
			HostVeth: fmt.Sprintf("ck%sm%d", id, len(p.Nodes))}
		if a, ok := fixed[n.Name]; ok {
			if o, dup := used[a]; dup {
				return nil, fmt.Errorf("lab: %s: node %q: mgmt-ipv4 %s is also %s's", file, n.Name, a, o)
			}
			pn.Mgmt = a
		}
		used[pn.Mgmt] = n.Name
		index[n.Name] = len(p.Nodes)
		p.Nodes = append(p.Nodes, pn)
	}
	for i := range p.Nodes {
		if p.Nodes[i].Mgmt.IsValid() {
			continue
		}
		for {
			next = next.Next()
			if !p.Subnet.Contains(next) || next == lastAddr(p.Subnet) {
				return nil, fmt.Errorf("lab: %s: management subnet %s has too few addresses for %d nodes", file, p.Subnet, len(p.Nodes))
			}
			if _, taken := used[next]; !taken {
				break
			}
		}
		p.Nodes[i].Mgmt = next
		used[next] = p.Nodes[i].Name
	}
	for i := range p.Nodes {
		port := p.Nodes[i].Sim.Addr.Port()
		if port == 0 {
			port = sim.DefaultPort
		}
		p.Nodes[i].Listen = netip.AddrPortFrom(p.Nodes[i].Mgmt, port)
	}
	for k, l := range topo.Links {
		a, okA := index[l.Endpoints[0].Node]
		b, okB := index[l.Endpoints[1].Node]
		if !okA || !okB {
			continue // a host, mgmt-net or non-simulated endpoint: nothing to wire
		}
		pl := PlanLink{A: a, B: b, AIf: l.Endpoints[0].Interface, BIf: l.Endpoints[1].Interface, MTU: l.MTU, Link: l}
		for _, ifn := range []string{pl.AIf, pl.BIf} {
			if !strings.HasPrefix(ifn, "eth") {
				return nil, fmt.Errorf("lab: %s: link %d: interface %q: the namespace runner needs containerlab's ethN names", file, k+1, ifn)
			}
		}
		if pl.MTU == 0 {
			pl.MTU = DefaultMTU
		}
		p.Links = append(p.Links, pl)
	}
	return p, nil
}

// labID is a short stable hash of the lab name, for link names that must fit
// Linux's 15 characters.
func labID(name string) string {
	h := sha256.Sum256([]byte(name))
	return hex.EncodeToString(h[:3])
}

func lastAddr(p netip.Prefix) netip.Addr {
	a := p.Addr().As4()
	bits := p.Bits()
	for i := 0; i < 4; i++ {
		for b := 0; b < 8; b++ {
			if i*8+b >= bits {
				a[i] |= 0x80 >> b
			}
		}
	}
	return netip.AddrFrom4(a)
}

// namespaceName follows containerlab's container naming: clab-<lab>-<node>
// by default, <lab>-<node> for prefix "__lab-name", <prefix>-<lab>-<node>
// for any other prefix.
func namespaceName(t *sim.Topology, node string) string {
	switch t.Prefix {
	case "", "clab":
		return "clab-" + t.Name + "-" + node
	case "__lab-name":
		return t.Name + "-" + node
	default:
		return t.Prefix + "-" + t.Name + "-" + node
	}
}

// Node returns the planned node called name, or nil.
func (p *Plan) Node(name string) *PlanNode {
	for i := range p.Nodes {
		if p.Nodes[i].Name == name {
			return &p.Nodes[i]
		}
	}
	return nil
}
