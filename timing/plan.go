package timing

import (
	"cmp"
	"errors"
	"fmt"
	"net/netip"
	"slices"
	"strings"
)

// ErrRefused is wrapped by [NewPlan]'s error when [Check] found errors.
var ErrRefused = errors.New("timing: design refused")

// RefusedError is the design [NewPlan] would not build, with the findings
// of severity [Error] that stopped it. It wraps [ErrRefused].
type RefusedError struct {
	Domain   string
	Findings []Finding
}

// Error lists the findings.
func (e *RefusedError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "timing: domain %q refused:", e.Domain)
	for _, f := range e.Findings {
		b.WriteString(" ")
		b.WriteString(f.String())
		b.WriteString(";")
	}
	return strings.TrimSuffix(b.String(), ";")
}

// Unwrap returns [ErrRefused].
func (e *RefusedError) Unwrap() error { return ErrRefused }

// PortRole is what a PTP port does.
type PortRole uint8

// Port roles.
const (
	_          PortRole = iota
	MasterPort          // sends time downstream
	SlavePort           // takes time from upstream
)

// String returns "master" or "slave".
func (r PortRole) String() string {
	switch r {
	case MasterPort:
		return "master"
	case SlavePort:
		return "slave"
	}
	return "port-role(?)"
}

// Port is one PTP port of a planned device.
type Port struct {
	Interface string // logical interface, e.g. "ge-0/0/1.0"
	Role      PortRole
	Peer      string       // device at the far end
	Local     netip.Prefix // local address (IPv4 transport)
	Remote    netip.Prefix // far end's address (IPv4 transport)
}

// DevicePlan is the timing design of one device.
type DevicePlan struct {
	Name     string
	Platform string
	Mode     ClockMode // never Auto
	Backup   bool
	// Hops is the number of boundary and slave clocks from the
	// grandmaster down to and including this device (PTP steps removed);
	// 0 for grandmasters, -1 when the device has no path.
	Hops int
	// Upstream is the device this one takes time from ("" for
	// grandmasters).
	Upstream string
	Ports    []Port
	// SyncE sources (ports towards upstream, priority order) and the
	// ports ESMC is sent on; empty when SyncE is off.
	SyncESources []Source
	ESMCPorts    []string
}

// Plan is a checked domain: every device's clock and ports, in the order
// they are configured: the primary grandmaster first, then outwards
// breadth-first; then the backup grandmaster and the devices only it
// reaches.
type Plan struct {
	Domain   string
	Template Template
	Primary  string // primary grandmaster
	Backup   string // backup grandmaster, "" if none
	Devices  []DevicePlan
}

// Device returns the plan of the named device.
func (p *Plan) Device(name string) (DevicePlan, bool) {
	for _, d := range p.Devices {
		if d.Name == name {
			return d, true
		}
	}
	return DevicePlan{}, false
}

// Order returns the device names in configuration order.
func (p *Plan) Order() []string {
	out := make([]string, len(p.Devices))
	for i, d := range p.Devices {
		out[i] = d.Name
	}
	return out
}

// edge is one configured PTP relation: master end → slave end of a link.
type edge struct {
	link          int
	master, slave End
}

// graph is the PTP design derived from a valid domain.
type graph struct {
	d        *Domain
	primary  []string
	backup   []string
	edges    []edge
	hops     map[string]int
	upstream map[string]string
	order    []string // reached devices, BFS order
}

func (d *Domain) mode(name string) ClockMode {
	m, _ := d.member(name)
	return m.Mode
}

// build derives the PTP relations: pinned links as given, then a
// breadth-first tree from the primary grandmaster (then from the backup)
// over the links not pinned. Grandmasters are never entered.
func build(d *Domain) *graph {
	g := &graph{d: d, hops: map[string]int{}, upstream: map[string]string{}}
	mode := make(map[string]ClockMode, len(d.Members))
	adj := make(map[string][]int, len(d.Members))
	for i, l := range d.Links {
		adj[l.A.Device] = append(adj[l.A.Device], i)
		adj[l.B.Device] = append(adj[l.B.Device], i)
	}
	for _, m := range d.Members {
		mode[m.Name] = m.Mode
		if m.Mode == Grandmaster {
			if m.Backup {
				g.backup = append(g.backup, m.Name)
			} else {
				g.primary = append(g.primary, m.Name)
			}
		}
	}
	for i, l := range d.Links {
		switch l.Master {
		case l.A.Device:
			g.edges = append(g.edges, edge{i, l.A, l.B})
		case l.B.Device:
			g.edges = append(g.edges, edge{i, l.B, l.A})
		}
	}
	inTree := map[int]bool{}
	var q []string
	visit := func(root string) {
		if _, ok := g.hops[root]; ok {
			return
		}
		g.hops[root] = 0
		g.order = append(g.order, root)
		q = append(q[:0], root)
		for len(q) > 0 {
			u := q[0]
			q = q[1:]
			for _, i := range adj[u] {
				l := d.Links[i]
				var far, near End
				switch {
				case l.A.Device == u:
					near, far = l.A, l.B
				case l.B.Device == u:
					near, far = l.B, l.A
				default:
					continue
				}
				if l.Master != "" && l.Master != u {
					continue
				}
				if _, seen := g.hops[far.Device]; seen || mode[far.Device] == Grandmaster {
					continue
				}
				if mode[u] == Slave && l.Master == "" {
					continue // an ordinary slave serves nobody
				}
				h := g.hops[u]
				if mode[far.Device] != Transparent {
					h++
				}
				g.hops[far.Device] = h
				g.upstream[far.Device] = u
				g.order = append(g.order, far.Device)
				if l.Master == "" {
					inTree[i] = true
					g.edges = append(g.edges, edge{i, near, far})
				}
				q = append(q, far.Device)
			}
		}
	}
	for _, r := range g.primary {
		visit(r)
	}
	for _, r := range g.backup {
		visit(r)
	}
	// The backup grandmaster also serves its neighbours reached from the
	// primary: a second slave port there, so they have somewhere to go.
	for _, b := range g.backup {
		for _, i := range adj[b] {
			l := d.Links[i]
			if l.Master != "" || inTree[i] {
				continue
			}
			var near, far End
			switch {
			case l.A.Device == b:
				near, far = l.A, l.B
			case l.B.Device == b:
				near, far = l.B, l.A
			default:
				continue
			}
			if m := mode[far.Device]; m == Grandmaster || m == Transparent {
				continue
			}
			if _, ok := g.hops[far.Device]; ok {
				g.edges = append(g.edges, edge{i, near, far})
			}
		}
	}
	return g
}

// NewPlan checks d and, when [Check] finds no errors, returns its plan.
// Errors: an invalid domain ([ErrInvalid]) or a *[RefusedError]
// ([ErrRefused]) holding the error findings.
func NewPlan(d *Domain) (*Plan, error) {
	fs, err := Check(d)
	if err != nil {
		return nil, err
	}
	var bad []Finding
	for _, f := range fs {
		if f.Severity == Error {
			bad = append(bad, f)
		}
	}
	if len(bad) > 0 {
		return nil, &RefusedError{Domain: d.Name, Findings: bad}
	}
	g := build(d)
	p := &Plan{Domain: d.Name, Template: d.Template, Primary: g.primary[0]}
	if len(g.backup) > 0 {
		p.Backup = g.backup[0]
	}
	syncOn := d.Template.SyncE.Enabled
	for _, name := range g.order {
		m, _ := d.member(name)
		dp := DevicePlan{Name: name, Platform: m.Platform, Mode: m.Mode, Backup: m.Backup, Hops: g.hops[name], Upstream: g.upstream[name]}
		for _, e := range g.edges {
			if dp.Mode == Transparent {
				break // a transparent clock has no master or slave ports
			}
			switch name {
			case e.master.Device:
				dp.Ports = append(dp.Ports, Port{Interface: unit(e.master.Interface), Role: MasterPort, Peer: e.slave.Device, Local: e.master.Addr, Remote: e.slave.Addr})
				if syncOn && d.Template.SyncE.ESMC {
					dp.ESMCPorts = append(dp.ESMCPorts, port(e.master.Interface))
				}
			case e.slave.Device:
				dp.Ports = append(dp.Ports, Port{Interface: unit(e.slave.Interface), Role: SlavePort, Peer: e.master.Device, Local: e.slave.Addr, Remote: e.master.Addr})
			}
		}
		if dp.Mode == Auto {
			dp.Mode = Slave
			for _, pt := range dp.Ports {
				if pt.Role == MasterPort {
					dp.Mode = Boundary
				}
			}
		}
		if syncOn && dp.Mode != Grandmaster {
			dp.SyncESources = syncSources(d, g, m)
		}
		p.Devices = append(p.Devices, dp)
	}
	return p, nil
}

// syncSources returns m's SyncE sources: its own list when given, else its
// slave ports, the one towards its upstream first (priority 1).
func syncSources(d *Domain, g *graph, m Member) []Source {
	if len(m.SyncESources) > 0 {
		out := slices.Clone(m.SyncESources)
		slices.SortFunc(out, func(a, b Source) int { return cmp.Compare(a.Priority, b.Priority) })
		return out
	}
	var out []Source
	up := g.upstream[m.Name]
	var rest []string
	for _, e := range g.edges {
		if e.slave.Device != m.Name {
			continue
		}
		if e.master.Device == up && len(out) == 0 {
			out = append(out, Source{Interface: port(e.slave.Interface), Priority: 1})
		} else {
			rest = append(rest, port(e.slave.Interface))
		}
	}
	for _, r := range rest {
		if len(out) == 5 {
			break
		}
		out = append(out, Source{Interface: r, Priority: len(out) + 1})
	}
	return out
}
