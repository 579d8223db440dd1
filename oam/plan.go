package oam

import (
	"errors"
	"fmt"
	"net/netip"
	"slices"
	"strconv"
	"strings"

	"github.com/carrierkit/carrierkit/design"
	"github.com/carrierkit/carrierkit/netid"
)

// ErrInvalid is wrapped by every error about bad input: a service that
// cannot be planned, a malformed device reply, bad options.
var ErrInvalid = errors.New("invalid")

// ErrUnsupported is wrapped when a service type has no MPLS ping flavour
// (static LSPs).
var ErrUnsupported = errors.New("not supported")

// Kind is the ping mpls flavour a probe uses; its value is the Junos RPC.
type Kind string

// The ping flavours, named by the Junos RPC they send.
const (
	KindL2CircuitInterface Kind = "request-ping-l2circuit-interface"       // ping mpls l2circuit interface IF
	KindL2CircuitVC        Kind = "request-ping-l2circuit-virtual-circuit" // ping mpls l2circuit virtual-circuit N neighbor A
	KindL2VPNInterface     Kind = "request-ping-l2vpn-interface"           // ping mpls l2vpn interface IF
	KindLSPEndPoint        Kind = "request-ping-lsp-end-point"             // ping mpls lsp-end-point P
	KindL3VPN              Kind = "request-ping-l3vpn"                     // ping mpls l3vpn NAME prefix P
	KindRSVP               Kind = "request-ping-rsvp-lsp"                  // ping mpls rsvp LSP
)

// Probe is one directed OAM test from a source site to a destination site.
// It is plain data; [Probe.RPC] renders the request.
type Probe struct {
	// From and To are site names (see [Plan.Sites]); FromDevice and
	// ToDevice the PEs they sit on.
	From       string `json:"from"`
	To         string `json:"to"`
	FromDevice string `json:"fromDevice"`
	ToDevice   string `json:"toDevice"`
	// Peer is the destination PE's loopback.
	Peer netip.Addr `json:"peer"`
	Kind Kind       `json:"kind"`
	// Interface is the local attachment (l2circuit, l2vpn) the probe uses.
	Interface string `json:"interface,omitempty"`
	// VCID is the pseudowire's virtual-circuit-id (l2circuit).
	VCID uint32 `json:"vcid,omitempty"`
	// Instance is the routing instance (l3vpn, VPLS, l2vpn).
	Instance string `json:"instance,omitempty"`
	// Prefix is what an l3vpn or lsp-end-point ping is sent to.
	Prefix netip.Prefix `json:"prefix,omitzero"`
	// LSP names the RSVP LSP of an rsvp ping.
	LSP string `json:"lsp,omitempty"`
	// MTU is the pseudowire MTU the design intends (l2circuit); 0 = unset.
	// Diagnosis uses it to tell which end of an MTU mismatch is wrong.
	MTU uint32 `json:"mtu,omitempty"`
	// Count is the number of echo requests; 0 means the device default (5).
	Count int `json:"count,omitempty"`
}

// ID returns "from→to", unique within a plan.
func (p Probe) ID() string { return p.From + "→" + p.To }

// RPC returns the probe's Junos RPC as one XML element, for
// device.RPCQuery. Values are XML-escaped.
func (p Probe) RPC() string {
	var b strings.Builder
	b.WriteString("<" + string(p.Kind) + ">")
	leaf := func(name, v string) {
		if v == "" {
			return
		}
		b.WriteString("<" + name + ">")
		xmlEscape(&b, v)
		b.WriteString("</" + name + ">")
	}
	switch p.Kind {
	case KindL2CircuitInterface, KindL2VPNInterface:
		leaf("interface-name", p.Interface)
	case KindL2CircuitVC:
		leaf("neighbor", p.Peer.String())
		leaf("virtual-circuit-id", strconv.FormatUint(uint64(p.VCID), 10))
	case KindLSPEndPoint:
		leaf("prefix", p.Prefix.String())
	case KindL3VPN:
		leaf("l3vpn-name", p.Instance)
		leaf("prefix", p.Prefix.String())
	case KindRSVP:
		leaf("lsp-name", p.LSP)
	}
	if p.Count > 0 {
		leaf("count", strconv.Itoa(p.Count))
	}
	b.WriteString("</" + string(p.Kind) + ">")
	return b.String()
}

func xmlEscape(b *strings.Builder, s string) {
	for _, r := range s {
		switch r {
		case '<':
			b.WriteString("&lt;")
		case '>':
			b.WriteString("&gt;")
		case '&':
			b.WriteString("&amp;")
		case '"':
			b.WriteString("&quot;")
		case '\'':
			b.WriteString("&apos;")
		default:
			b.WriteRune(r)
		}
	}
}

// Site is one end of a VPN: a device and, for layer-2 and layer-3 VPNs, its
// attachment.
type Site struct {
	Name     string     `json:"name"`
	Device   string     `json:"device"`
	Loopback netip.Addr `json:"loopback"`
	// Interface is the site's attachment (empty for LSP services).
	Interface string `json:"interface,omitempty"`
}

// Plan is the full mesh of probes for one service.
type Plan struct {
	Service string             `json:"service"`
	Type    design.ServiceType `json:"type"`
	// Sites are sorted by name; Probes by source then destination site.
	Sites  []Site  `json:"sites"`
	Probes []Probe `json:"probes"`
}

// PlanOptions are optional knobs of [PlanService]. The zero value pings
// l2circuits by interface with the device's default count.
type PlanOptions struct {
	// Count is the echo requests per probe; 0 = device default (5).
	Count int
	// ByVirtualCircuit pings l2circuits by VC ID and neighbor instead of by
	// interface.
	ByVirtualCircuit bool
}

// Validate checks the options.
func (o PlanOptions) Validate() error {
	if o.Count < 0 || o.Count > 1000000 {
		return fmt.Errorf("oam: plan options: count %d: %w: want 0..1000000", o.Count, ErrInvalid)
	}
	return nil
}

// PlanService returns the full mesh of N×(N−1) probes of svc's N sites,
// with the ping flavour its type needs:
//
//   - E-LINE (l2circuit): request-ping-l2circuit-interface per pseudowire
//     end (or -virtual-circuit with ByVirtualCircuit);
//   - E-LINE over BGP l2vpn: request-ping-l2vpn-interface;
//   - VPLS: request-ping-lsp-end-point to each remote PE's loopback, the
//     transport a VPLS pseudowire rides on (Junos has no per-neighbor LDP
//     VPLS ping);
//   - L3VPN: request-ping-l3vpn to the remote site's prefix (its first
//     static route, else its PE–CE subnet); hub-and-spoke plans only the
//     pairs that involve a hub, since spokes must not reach each other;
//   - RSVP LSPs: request-ping-rsvp-lsp per LSP.
//
// PlanService is pure. Errors wrap ErrInvalid (a site the probe cannot be
// built for) or ErrUnsupported (static LSPs).
func PlanService(svc design.Service, o PlanOptions) (Plan, error) {
	if err := o.Validate(); err != nil {
		return Plan{}, err
	}
	p := Plan{Service: svc.Name, Type: svc.Type}
	fail := func(format string, a ...any) (Plan, error) {
		return Plan{}, fmt.Errorf("oam: plan service %q: %s: %w", svc.Name, fmt.Sprintf(format, a...), ErrInvalid)
	}
	byLoop := map[netip.Addr]*design.DeviceIntent{}
	for i := range svc.Devices {
		byLoop[svc.Devices[i].Loopback] = &svc.Devices[i]
	}
	add := func(pr Probe) {
		pr.Count = o.Count
		p.Probes = append(p.Probes, pr)
	}
	switch svc.Type {
	case design.TypeELine:
		for _, d := range svc.Devices {
			if len(d.L2Circuits) == 0 {
				continue
			}
			for _, c := range d.L2Circuits {
				p.Sites = append(p.Sites, Site{Name: siteName(d.Device, c.Interface, len(d.L2Circuits)), Device: d.Device, Loopback: d.Loopback, Interface: c.Interface})
			}
		}
		for _, d := range svc.Devices {
			for _, c := range d.L2Circuits {
				r, ok := byLoop[c.Neighbor]
				if !ok {
					return fail("%s: l2circuit neighbor %s is not a device of the service", d.Device, c.Neighbor)
				}
				rc, ok := remoteCircuit(r, d.Loopback, c.VCID)
				if !ok {
					return fail("%s: l2circuit %s (vc %d): %s has no matching end", d.Device, c.Interface, c.VCID, r.Device)
				}
				pr := Probe{From: siteName(d.Device, c.Interface, len(d.L2Circuits)), To: siteName(r.Device, rc.Interface, len(r.L2Circuits)),
					FromDevice: d.Device, ToDevice: r.Device, Peer: r.Loopback, Interface: c.Interface, VCID: uint32(c.VCID), MTU: c.MTU, Kind: KindL2CircuitInterface}
				if o.ByVirtualCircuit {
					pr.Kind = KindL2CircuitVC
				}
				add(pr)
			}
		}
	case design.TypeELineBGP:
		var ends []design.DeviceIntent
		for _, d := range svc.Devices {
			if d.L2VPN != nil {
				ends = append(ends, d)
				p.Sites = append(p.Sites, Site{Name: d.Device, Device: d.Device, Loopback: d.Loopback, Interface: d.L2VPN.Interface})
			}
		}
		for _, a := range ends {
			for _, b := range ends {
				if a.Device != b.Device {
					add(Probe{From: a.Device, To: b.Device, FromDevice: a.Device, ToDevice: b.Device, Peer: b.Loopback,
						Kind: KindL2VPNInterface, Interface: a.L2VPN.Interface, Instance: a.L2VPN.Name})
				}
			}
		}
	case design.TypeVPLS:
		var ends []design.DeviceIntent
		for _, d := range svc.Devices {
			if d.VPLS != nil {
				ends = append(ends, d)
				p.Sites = append(p.Sites, Site{Name: d.Device, Device: d.Device, Loopback: d.Loopback, Interface: first(d.VPLS.Interfaces)})
			}
		}
		for _, a := range ends {
			for _, b := range ends {
				if a.Device != b.Device {
					add(Probe{From: a.Device, To: b.Device, FromDevice: a.Device, ToDevice: b.Device, Peer: b.Loopback,
						Kind: KindLSPEndPoint, Prefix: netip.PrefixFrom(b.Loopback, b.Loopback.BitLen()), Instance: a.VPLS.Name, Interface: first(a.VPLS.Interfaces)})
				}
			}
		}
	case design.TypeL3VPN:
		var ends []design.DeviceIntent
		for _, d := range svc.Devices {
			if d.VRF != nil {
				ends = append(ends, d)
				p.Sites = append(p.Sites, Site{Name: d.Device, Device: d.Device, Loopback: d.Loopback, Interface: first(d.VRF.Interfaces)})
			}
		}
		hubSpoke := svc.Params.Topology == design.TopologyHubAndSpoke
		for _, a := range ends {
			for _, b := range ends {
				if a.Device == b.Device || (hubSpoke && a.Role != design.RoleHub && b.Role != design.RoleHub) {
					continue
				}
				pfx, ok := sitePrefix(b)
				if !ok {
					return fail("%s: no prefix to ping (no static route and no PE–CE address)", b.Device)
				}
				add(Probe{From: a.Device, To: b.Device, FromDevice: a.Device, ToDevice: b.Device, Peer: b.Loopback,
					Kind: KindL3VPN, Instance: a.VRF.Name, Prefix: pfx, Interface: first(a.VRF.Interfaces)})
			}
		}
	case design.TypeLSP:
		seen := map[string]bool{}
		addSite := func(d *design.DeviceIntent) {
			if !seen[d.Device] {
				seen[d.Device] = true
				p.Sites = append(p.Sites, Site{Name: d.Device, Device: d.Device, Loopback: d.Loopback})
			}
		}
		for i := range svc.Devices {
			d := &svc.Devices[i]
			for _, l := range d.LSPs {
				r, ok := byLoop[l.To]
				if !ok {
					return fail("%s: lsp %s: destination %s is not a device of the service", d.Device, l.Name, l.To)
				}
				addSite(d)
				addSite(r)
				add(Probe{From: d.Device, To: r.Device, FromDevice: d.Device, ToDevice: r.Device, Peer: r.Loopback, Kind: KindRSVP, LSP: l.Name})
			}
		}
	case design.TypeStaticLSP:
		return Plan{}, fmt.Errorf("oam: plan service %q: type %s: %w: no ping mpls flavour for static LSPs", svc.Name, svc.Type, ErrUnsupported)
	default:
		return fail("type %s", svc.Type)
	}
	if len(p.Sites) < 2 {
		return fail("%d sites: need at least 2", len(p.Sites))
	}
	slices.SortFunc(p.Sites, func(a, b Site) int { return strings.Compare(a.Name, b.Name) })
	slices.SortStableFunc(p.Probes, func(a, b Probe) int {
		if c := strings.Compare(a.From, b.From); c != 0 {
			return c
		}
		return strings.Compare(a.To, b.To)
	})
	return p, nil
}

// Involving returns the plan reduced to the probes that start or end at
// one of the named sites: after adding a site to a VPN, only the new pairs
// need testing. Sites are kept whole so that the matrix keeps its shape.
func (p Plan) Involving(sites ...string) Plan {
	out := Plan{Service: p.Service, Type: p.Type, Sites: p.Sites}
	for _, pr := range p.Probes {
		if slices.Contains(sites, pr.From) || slices.Contains(sites, pr.To) {
			out.Probes = append(out.Probes, pr)
		}
	}
	return out
}

// siteName is the device name, or "device:interface" when the device has
// several ends in the service.
func siteName(dev, ifl string, n int) string {
	if n > 1 {
		return dev + ":" + ifl
	}
	return dev
}

func remoteCircuit(r *design.DeviceIntent, back netip.Addr, vc netid.VCID) (design.L2Circuit, bool) {
	for _, c := range r.L2Circuits {
		if c.Neighbor == back && c.VCID == vc {
			return c, true
		}
	}
	return design.L2Circuit{}, false
}

func sitePrefix(d design.DeviceIntent) (netip.Prefix, bool) {
	if len(d.VRF.StaticRoutes) > 0 {
		return d.VRF.StaticRoutes[0].Prefix, true
	}
	for _, a := range d.Attachments {
		if a.Address.IsValid() {
			return a.Address.Masked(), true
		}
	}
	return netip.Prefix{}, false
}

func first(s []string) string {
	if len(s) == 0 {
		return ""
	}
	return s[0]
}
