package timing

import (
	"errors"
	"fmt"
	"strconv"

	"github.com/carrierkit/carrierkit/internal/jtree"
)

// ErrFormat is returned by [Render] for an unknown [Format].
var ErrFormat = errors.New("timing: unknown format")

// Format is the form of rendered configuration.
type Format uint8

// Formats. The zero Format is [Set].
const (
	Set  Format = iota // "set protocols ptp …" lines
	Text               // curly-brace configuration
	XML                // <configuration> for NETCONF load-configuration
)

// String returns "set", "text" or "xml".
func (f Format) String() string {
	switch f {
	case Set:
		return "set"
	case Text:
		return "text"
	case XML:
		return "xml"
	}
	return "format(" + strconv.Itoa(int(f)) + ")"
}

// Artifact is one device's timing configuration.
type Artifact struct {
	Device string
	Format Format
	Body   []byte
}

// Render returns each device's `protocols ptp` and `chassis
// synchronization` configuration in the plan's order (grandmaster side
// first), which is the order [Apply] configures them in. It is pure and
// deterministic. Errors: [ErrFormat], or a value jtree refuses (wrapped).
func Render(p *Plan, f Format) ([]Artifact, error) {
	if f > XML {
		return nil, fmt.Errorf("%w %d", ErrFormat, f)
	}
	out := make([]Artifact, 0, len(p.Devices))
	for _, d := range p.Devices {
		t := deviceTree(p, d)
		if err := t.Err(); err != nil {
			return nil, fmt.Errorf("timing: render %s: %w", d.Name, err)
		}
		var b []byte
		switch f {
		case Set:
			b = t.AppendSet(nil)
		case Text:
			b = t.AppendText(nil)
		case XML:
			b = t.AppendXML(nil)
		}
		out = append(out, Artifact{Device: d.Name, Format: f, Body: b})
	}
	return out, nil
}

// deviceTree builds one device's timing configuration as a Junos tree,
// in the YANG models' statement order.
func deviceTree(p *Plan, d DevicePlan) *jtree.Tree {
	tp := p.Template
	t := jtree.New()
	ptp := t.Container(t.Container(jtree.Root, "protocols"), "ptp")
	switch d.Mode {
	case Boundary:
		t.Leaf(ptp, "clock-mode", "boundary")
	case Grandmaster, Slave:
		t.Leaf(ptp, "clock-mode", "ordinary")
	}
	switch tp.Profile {
	case G82751:
		t.Leaf(ptp, "profile-type", "g.8275.1")
	case G82752:
		t.Leaf(ptp, "profile-type", "g.8275.2")
	}
	if d.Mode == Transparent {
		t.Flag(ptp, "e2e-transparent")
	}
	if d.Mode == Grandmaster {
		p2 := prio(tp.Priority2)
		if d.Backup {
			p2++
		}
		t.Leaf(ptp, "priority1", strconv.Itoa(prio(tp.Priority1)))
		t.Leaf(ptp, "priority2", strconv.Itoa(p2))
	}
	t.Leaf(ptp, "domain", strconv.Itoa(tp.Domain))
	for _, role := range []PortRole{SlavePort, MasterPort} {
		var c jtree.Ref = -1
		for _, pt := range d.Ports {
			if pt.Role != role {
				continue
			}
			if c < 0 {
				c = t.Container(ptp, role.String())
				if tp.AnnounceInterval.IsValid() {
					t.Leaf(c, "announce-interval", tp.AnnounceInterval.String())
				}
				if tp.SyncInterval.IsValid() {
					t.Leaf(c, "sync-interval", tp.SyncInterval.String())
				}
			}
			ifc := t.Entry(c, "interface", pt.Interface)
			if tp.transport() == Ethernet {
				mm := t.Container(t.Container(ifc, "multicast-mode"), "transport")
				t.Flag(t.Container(mm, "ieee-802.3"), "link-local")
				continue
			}
			um := t.Container(ifc, "unicast-mode")
			t.Leaf(um, "transport", "ipv4")
			if role == SlavePort {
				cs := t.SetStyle(t.EntryElem(um, "clock-source", "ip-address", pt.Remote.Addr().String()), jtree.Oneliner)
				t.Leaf(cs, "local-ip-address", pt.Local.Addr().String())
			} else {
				cc := t.SetStyle(t.EntryElem(um, "clock-client", "ip-address", pt.Remote.Addr().String()+"/32"), jtree.Oneliner)
				t.Leaf(cc, "local-ip-address", pt.Local.Addr().String())
			}
		}
	}
	if s := tp.SyncE; s.Enabled {
		sy := t.Container(t.Container(jtree.Root, "chassis"), "synchronization")
		t.Leaf(sy, "network-option", "option-"+strconv.Itoa(max(s.NetworkOption, 1)))
		if s.ESMC {
			t.Leaf(sy, "selection-mode", "received-quality")
		}
		t.Leaf(sy, "clock-mode", "auto-select")
		if s.ESMC {
			t.Flag(sy, "quality-mode-enable")
		}
		if len(d.SyncESources) > 0 {
			src := t.Container(sy, "source")
			for _, so := range d.SyncESources {
				e := t.Entry(src, "interfaces", so.Interface)
				t.Leaf(e, "priority", strconv.Itoa(so.Priority))
				if s.Quality != "" {
					t.Leaf(e, "quality-level", string(s.Quality))
				}
			}
		}
		if len(d.ESMCPorts) > 0 {
			esmc := t.Container(sy, "esmc-transmit")
			for _, p := range d.ESMCPorts {
				t.Entry(esmc, "interfaces", p)
			}
		}
	}
	return t
}
