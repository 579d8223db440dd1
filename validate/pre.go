package validate

import (
	"fmt"
	"net/netip"
	"slices"
	"strconv"
	"strings"

	"github.com/carrierkit/carrierkit/design"
	"github.com/carrierkit/carrierkit/netid"
	"github.com/carrierkit/carrierkit/pool"
)

// Rule names of the predefined rules, as Finding.Rule carries them.
const (
	RuleVLANCollision  = "vlan-collision"
	RuleVCIDCollision  = "vcid-collision"
	RuleRTCollision    = "rt-collision"
	RuleRDCollision    = "rd-collision"
	RuleSpokeIsolation = "spoke-isolation"
	RuleReachability   = "site-reachability"
	RuleLSPCoverage    = "lsp-coverage"
	RulePWAgreement    = "pseudowire-agreement"
)

// DesignRules returns the rules that need nothing but the service:
// [SpokeIsolation], [Reachability] and [PseudowireAgreement].
func DesignRules() []Rule {
	return []Rule{SpokeIsolation, Reachability, PseudowireAgreement}
}

// SpokeIsolation checks that a hub-and-spoke L3VPN really isolates its
// spokes: no spoke imports a route target that another spoke exports.
func SpokeIsolation(svc *design.Service) []Finding {
	var out []Finding
	for i := range svc.Devices {
		a := &svc.Devices[i]
		if a.VRF == nil || a.Role != design.RoleSpoke {
			continue
		}
		for j := range svc.Devices {
			b := &svc.Devices[j]
			if i == j || b.VRF == nil || b.Role != design.RoleSpoke {
				continue
			}
			for _, rt := range a.VRF.ImportRTs {
				if slices.Contains(b.VRF.ExportRTs, rt) {
					out = append(out, Finding{Rule: RuleSpokeIsolation, Severity: Error, Device: a.Device,
						Path:    "routing-instances " + a.VRF.Name + " vrf-import",
						Message: fmt.Sprintf("spoke %s imports %s, which spoke %s exports: spokes reach each other directly", a.Device, rt, b.Device)})
				}
			}
		}
	}
	return out
}

// rtSets returns the route targets a device imports and exports for the
// service (VRF, BGP VPLS or BGP l2vpn), or nil for devices without any.
func rtSets(d *design.DeviceIntent) (imp, exp []netid.RT) {
	switch {
	case d.VRF != nil:
		return d.VRF.ImportRTs, d.VRF.ExportRTs
	case d.VPLS != nil && d.VPLS.Signalling == design.SignallingBGP:
		return []netid.RT{d.VPLS.RT}, []netid.RT{d.VPLS.RT}
	case d.L2VPN != nil:
		return []netid.RT{d.L2VPN.RT}, []netid.RT{d.L2VPN.RT}
	}
	return nil, nil
}

func overlaps(a, b []netid.RT) bool {
	for _, x := range a {
		if slices.Contains(b, x) {
			return true
		}
	}
	return false
}

// Reachability checks that every site of a multipoint service can reach the
// others. For route-target services (L3VPN, BGP VPLS, BGP E-LINE) it
// computes the closure of "imports what the other exports": in a full mesh
// every site must import every other site's routes directly; in a
// hub-and-spoke VPN every spoke must import every hub and every hub every
// spoke.
// For LDP VPLS every PE (an H-VPLS hub included) must name every other PE
// of the instance as a neighbor, with one VPLS ID; H-VPLS spokes are
// l2circuits, checked by [PseudowireAgreement].
func Reachability(svc *design.Service) []Finding {
	var out []Finding
	hubSpoke := svc.Params.Topology == design.TopologyHubAndSpoke
	var rtDevs []*design.DeviceIntent
	for i := range svc.Devices {
		if imp, _ := rtSets(&svc.Devices[i]); imp != nil {
			rtDevs = append(rtDevs, &svc.Devices[i])
		}
	}
	for _, a := range rtDevs {
		ai, _ := rtSets(a)
		for _, b := range rtDevs {
			if a == b {
				continue
			}
			_, be := rtSets(b)
			// In a hub-and-spoke VPN spokes reach each other through a
			// hub, and hubs need not import each other.
			need := !(hubSpoke && a.Role == b.Role)
			if need && !overlaps(ai, be) {
				out = append(out, Finding{Rule: RuleReachability, Severity: Error, Device: a.Device, Path: instancePath(a),
					Message: fmt.Sprintf("site %s imports none of the route targets %s exports (%s): it cannot reach that site", a.Device, b.Device, rtList(be))})
			}
		}
		if hubSpoke && a.Role == design.RoleSpoke {
			ok := false
			for _, b := range rtDevs {
				if _, be := rtSets(b); b.Role == design.RoleHub && overlaps(ai, be) {
					ok = true
				}
			}
			if !ok {
				out = append(out, Finding{Rule: RuleReachability, Severity: Error, Device: a.Device, Path: instancePath(a),
					Message: fmt.Sprintf("spoke %s imports no hub's route target: it reaches no site", a.Device)})
			}
		}
	}
	// LDP VPLS: the pseudowire mesh.
	var ldp []*design.DeviceIntent
	for i := range svc.Devices {
		if v := svc.Devices[i].VPLS; v != nil && v.Signalling == design.SignallingLDP {
			ldp = append(ldp, &svc.Devices[i])
		}
	}
	for _, a := range ldp {
		for _, b := range ldp {
			if a == b {
				continue
			}
			if a.VPLS.VPLSID != b.VPLS.VPLSID {
				out = append(out, Finding{Rule: RuleReachability, Severity: Error, Device: a.Device, Path: instancePath(a) + " protocols vpls vpls-id",
					Message: fmt.Sprintf("vpls-id %d differs from %s's %d", a.VPLS.VPLSID, b.Device, b.VPLS.VPLSID)})
			}
			if !ldpReaches(a, b) {
				out = append(out, Finding{Rule: RuleReachability, Severity: Error, Device: a.Device, Path: instancePath(a) + " protocols vpls neighbor",
					Message: fmt.Sprintf("%s does not name %s (%s) as a VPLS neighbor: no pseudowire between them (split horizon forwards nothing between neighbors)", a.Device, b.Device, b.Loopback)})
			}
		}
	}
	return out
}

func ldpReaches(a, b *design.DeviceIntent) bool {
	if slices.Contains(a.VPLS.Neighbors, b.Loopback) {
		return true
	}
	for _, mg := range a.VPLS.MeshGroups {
		if slices.Contains(mg.Neighbors, b.Loopback) {
			return true
		}
	}
	return false
}

func instancePath(d *design.DeviceIntent) string {
	switch {
	case d.VRF != nil:
		return "routing-instances " + d.VRF.Name
	case d.VPLS != nil:
		return "routing-instances " + d.VPLS.Name
	case d.L2VPN != nil:
		return "routing-instances " + d.L2VPN.Name
	}
	return ""
}

func rtList(rts []netid.RT) string {
	s := make([]string, len(rts))
	for i, r := range rts {
		s[i] = r.String()
	}
	return strings.Join(s, ", ")
}

// PseudowireAgreement checks both ends of every pseudowire of the service:
// each l2circuit has a far end (the device whose loopback it names, with a
// circuit back) with the same VC ID, encapsulation type, MTU and control
// word; BGP l2vpn and VPLS instances agree on MTU and encapsulation across
// PEs.
func PseudowireAgreement(svc *design.Service) []Finding {
	var out []Finding
	byLo := map[netip.Addr]*design.DeviceIntent{}
	for i := range svc.Devices {
		byLo[svc.Devices[i].Loopback] = &svc.Devices[i]
	}
	for i := range svc.Devices {
		a := &svc.Devices[i]
		for _, c := range a.L2Circuits {
			path := "protocols l2circuit neighbor " + c.Neighbor.String() + " interface " + c.Interface
			b := byLo[c.Neighbor]
			if b == nil {
				out = append(out, Finding{Rule: RulePWAgreement, Severity: Warning, Device: a.Device, Path: path,
					Message: fmt.Sprintf("far end %s is not a device of the service; its end cannot be checked", c.Neighbor)})
				continue
			}
			var far *design.L2Circuit
			for k := range b.L2Circuits {
				if fc := &b.L2Circuits[k]; fc.Neighbor == a.Loopback && fc.VCID == c.VCID {
					far = fc
				}
			}
			if far == nil && b.VPLS != nil {
				if mgAccepts(b.VPLS, a.Loopback, c.VCID) {
					if b.VPLS.Encapsulation != "" && b.VPLS.Encapsulation != c.Encapsulation || b.VPLS.Encapsulation == "" && c.Encapsulation != design.EncapEthernet {
						out = append(out, Finding{Rule: RulePWAgreement, Severity: Error, Device: a.Device, Path: path + " encapsulation-type",
							Message: fmt.Sprintf("encapsulation %s, hub %s's VPLS signals %s", c.Encapsulation, b.Device, or(b.VPLS.Encapsulation, design.EncapEthernet))})
					}
					if b.VPLS.MTU != c.MTU {
						out = append(out, Finding{Rule: RulePWAgreement, Severity: Error, Device: a.Device, Path: path + " mtu",
							Message: fmt.Sprintf("mtu %d, hub %s's VPLS has %d", c.MTU, b.Device, b.VPLS.MTU)})
					}
					continue
				}
			}
			if far == nil {
				msg := fmt.Sprintf("%s has no l2circuit back to %s with virtual-circuit-id %d", b.Device, a.Loopback, c.VCID)
				for _, fc := range b.L2Circuits {
					if fc.Neighbor == a.Loopback {
						msg = fmt.Sprintf("virtual-circuit-id %d, but %s's end towards %s has %d", c.VCID, b.Device, a.Loopback, fc.VCID)
					}
				}
				out = append(out, Finding{Rule: RulePWAgreement, Severity: Error, Device: a.Device, Path: path + " virtual-circuit-id", Message: msg})
				continue
			}
			if i > slices.IndexFunc(svc.Devices, func(d design.DeviceIntent) bool { return d.Device == b.Device }) {
				continue // report each pair once, from the lower device
			}
			if c.Encapsulation != far.Encapsulation {
				out = append(out, Finding{Rule: RulePWAgreement, Severity: Error, Device: a.Device, Path: path + " encapsulation-type",
					Message: fmt.Sprintf("encapsulation %s, but %s's end has %s", c.Encapsulation, b.Device, far.Encapsulation)})
			}
			if c.MTU != far.MTU {
				out = append(out, Finding{Rule: RulePWAgreement, Severity: Error, Device: a.Device, Path: path + " mtu",
					Message: fmt.Sprintf("mtu %d, but %s's end has %d", c.MTU, b.Device, far.MTU)})
			}
			if c.ControlWord != far.ControlWord {
				out = append(out, Finding{Rule: RulePWAgreement, Severity: Error, Device: a.Device, Path: path + " no-control-word",
					Message: fmt.Sprintf("control word %t, but %s's end has %t", c.ControlWord, b.Device, far.ControlWord)})
			}
		}
	}
	// Instances: every PE of the service signals the same MTU and encapsulation.
	var first *design.DeviceIntent
	for i := range svc.Devices {
		d := &svc.Devices[i]
		mtu, enc, ok := instanceLink(d)
		if !ok {
			continue
		}
		if first == nil {
			first = d
			continue
		}
		fm, fe, _ := instanceLink(first)
		if mtu != fm {
			out = append(out, Finding{Rule: RulePWAgreement, Severity: Error, Device: d.Device, Path: instancePath(d) + " mtu",
				Message: fmt.Sprintf("mtu %d, but %s has %d", mtu, first.Device, fm)})
		}
		if enc != fe {
			out = append(out, Finding{Rule: RulePWAgreement, Severity: Error, Device: d.Device, Path: instancePath(d) + " encapsulation-type",
				Message: fmt.Sprintf("encapsulation %s, but %s has %s", enc, first.Device, fe)})
		}
	}
	return out
}

func mgAccepts(v *design.VPLSInstance, lo netip.Addr, vc netid.VCID) bool {
	for _, mg := range v.MeshGroups {
		if mg.VPLSID == vc && slices.Contains(mg.Neighbors, lo) {
			return true
		}
	}
	return false
}

func instanceLink(d *design.DeviceIntent) (uint32, string, bool) {
	switch {
	case d.L2VPN != nil:
		return d.L2VPN.MTU, d.L2VPN.Encapsulation, true
	case d.VPLS != nil:
		return d.VPLS.MTU, or(d.VPLS.Encapsulation, design.EncapEthernet), true
	}
	return 0, "", false
}

func or(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// Transport says between which PEs label-switched paths exist: RSVP (or
// static) LSPs by ingress device and destination, and the devices that run
// LDP (which gives an LSP to every other LDP router's loopback).
type Transport struct {
	// LSPs maps an ingress device name to the destinations of its LSPs.
	LSPs map[string][]netip.Addr
	// LDP holds the devices that run LDP on at least one core interface.
	LDP map[string]bool
}

// Reaches reports whether device from has an LSP to the PE with loopback
// to (named toDev).
func (t Transport) Reaches(from, toDev string, to netip.Addr) bool {
	if t.LDP[from] && t.LDP[toDev] {
		return true
	}
	return slices.Contains(t.LSPs[from], to)
}

// TransportFromConfigs builds a Transport from devices' configuration:
// `protocols mpls label-switched-path L to A` and static ingress LSPs give
// LSPs, `protocols ldp interface X` (other than lo0) makes a device an LDP
// router.
func TransportFromConfigs(configs map[string]*Config) Transport {
	t := Transport{LSPs: map[string][]netip.Addr{}, LDP: map[string]bool{}}
	for dev, c := range configs {
		for _, w := range c.stmts {
			if len(w) >= 6 && w[0] == "protocols" && w[1] == "mpls" && (w[2] == "label-switched-path" || w[2] == "static-label-switched-path") && w[4] == "to" ||
				len(w) >= 7 && w[0] == "protocols" && w[1] == "mpls" && w[2] == "static-label-switched-path" && w[4] == "ingress" && w[5] == "to" {
				if a, err := netip.ParseAddr(w[len(w)-1]); err == nil && !slices.Contains(t.LSPs[dev], a) {
					t.LSPs[dev] = append(t.LSPs[dev], a)
				}
			}
			if len(w) >= 4 && w[0] == "protocols" && w[1] == "ldp" && w[2] == "interface" && !strings.HasPrefix(w[3], "lo0") {
				t.LDP[dev] = true
			}
		}
	}
	return t
}

// LSPCoverage returns a rule checking that every PE pair the service needs
// has transport: each pseudowire end to its neighbor, each LDP VPLS PE to
// its neighbors, each BGP VPLS, l2vpn or VRF site to every other PE of the
// service whose routes it imports.
func LSPCoverage(t Transport) Rule {
	return func(svc *design.Service) []Finding {
		var out []Finding
		byLo := map[netip.Addr]string{}
		for _, d := range svc.Devices {
			byLo[d.Loopback] = d.Device
		}
		check := func(from *design.DeviceIntent, to netip.Addr, why string) {
			if !t.Reaches(from.Device, byLo[to], to) {
				out = append(out, Finding{Rule: RuleLSPCoverage, Severity: Error, Device: from.Device, Path: "protocols mpls",
					Message: fmt.Sprintf("no LSP from %s to %s (%s), which %s needs", from.Device, or(byLo[to], to.String()), to, why)})
			}
		}
		seen := map[netip.Addr]bool{}
		for i := range svc.Devices {
			a := &svc.Devices[i]
			clear(seen)
			for _, c := range a.L2Circuits {
				if !seen[c.Neighbor] {
					seen[c.Neighbor] = true
					check(a, c.Neighbor, "the pseudowire on "+c.Interface)
				}
			}
			if a.VPLS != nil {
				for _, n := range a.VPLS.Neighbors {
					if !seen[n] {
						seen[n] = true
						check(a, n, "VPLS "+a.VPLS.Name)
					}
				}
				for _, mg := range a.VPLS.MeshGroups {
					for _, n := range mg.Neighbors {
						if !seen[n] {
							seen[n] = true
							check(a, n, "VPLS "+a.VPLS.Name+" mesh-group "+mg.Name)
						}
					}
				}
			}
			ai, _ := rtSets(a)
			if ai == nil {
				continue
			}
			why := "routing instance " + instancePath(a)[len("routing-instances "):]
			for j := range svc.Devices {
				b := &svc.Devices[j]
				if _, be := rtSets(b); i != j && be != nil && !seen[b.Loopback] && overlaps(ai, be) {
					seen[b.Loopback] = true
					check(a, b.Loopback, why)
				}
			}
		}
		return out
	}
}

// used is one pool-kind value a service uses, where.
type used struct {
	kind  pool.Kind
	scope string // VLANs: "device:interface"
	num   uint64
	rd    netid.RD
	rt    netid.RT
	dev   string
	path  string
}

func serviceValues(svc *design.Service) []used {
	var out []used
	for i := range svc.Devices {
		d := &svc.Devices[i]
		for _, a := range d.Attachments {
			if a.VLAN != 0 {
				out = append(out, used{kind: pool.KindVLAN, scope: d.Device + ":" + a.Interface, num: uint64(a.VLAN), dev: d.Device,
					path: fmt.Sprintf("interfaces %s unit %d vlan-id", a.Interface, a.Unit)})
			}
		}
		for _, c := range d.L2Circuits {
			out = append(out, used{kind: pool.KindVCID, num: uint64(c.VCID), dev: d.Device,
				path: "protocols l2circuit neighbor " + c.Neighbor.String() + " interface " + c.Interface + " virtual-circuit-id"})
		}
		if v := d.VPLS; v != nil {
			if v.VPLSID != 0 {
				out = append(out, used{kind: pool.KindVCID, num: uint64(v.VPLSID), dev: d.Device, path: "routing-instances " + v.Name + " protocols vpls vpls-id"})
			}
			if v.RD.IsValid() {
				out = append(out, used{kind: pool.KindRD, rd: v.RD, dev: d.Device, path: "routing-instances " + v.Name + " route-distinguisher"})
			}
			if v.RT.IsValid() {
				out = append(out, used{kind: pool.KindRT, rt: v.RT, dev: d.Device, path: "routing-instances " + v.Name + " vrf-target"})
			}
		}
		if v := d.L2VPN; v != nil {
			out = append(out, used{kind: pool.KindRD, rd: v.RD, dev: d.Device, path: "routing-instances " + v.Name + " route-distinguisher"},
				used{kind: pool.KindRT, rt: v.RT, dev: d.Device, path: "routing-instances " + v.Name + " vrf-target"})
		}
		if v := d.VRF; v != nil {
			out = append(out, used{kind: pool.KindRD, rd: v.RD, dev: d.Device, path: "routing-instances " + v.Name + " route-distinguisher"})
			var rts []netid.RT
			for _, r := range append(slices.Clone(v.ImportRTs), v.ExportRTs...) {
				if !slices.Contains(rts, r) {
					rts = append(rts, r)
				}
			}
			for _, r := range rts {
				out = append(out, used{kind: pool.KindRT, rt: r, dev: d.Device, path: "routing-instances " + v.Name + " vrf-target"})
			}
		}
	}
	return out
}

func (u used) text() string {
	switch u.kind {
	case pool.KindRD:
		return "route-distinguisher " + u.rd.String()
	case pool.KindRT:
		return "route target " + u.rt.String()
	case pool.KindVLAN:
		return "VLAN " + strconv.FormatUint(u.num, 10) + " on " + u.scope
	}
	return "VC ID " + strconv.FormatUint(u.num, 10)
}

func (u used) rule() string {
	switch u.kind {
	case pool.KindRD:
		return RuleRDCollision
	case pool.KindRT:
		return RuleRTCollision
	case pool.KindVLAN:
		return RuleVLANCollision
	}
	return RuleVCIDCollision
}

type valueKey struct {
	kind  pool.Kind
	scope string
	num   uint64
	rd    netid.RD
	rt    netid.RT
}

func (u used) key() valueKey { return valueKey{u.kind, u.scope, u.num, u.rd, u.rt} }

// PoolCollisions returns a rule that checks the service's VLANs, VC IDs,
// VPLS IDs, RDs and RTs against the claims of other owners (as
// pool.Manager.Claims returns them): a value another owner holds is an
// error naming that owner. Values the service's own claim (owner = service
// name) holds are fine. RD uniqueness within the service is checked too.
func PoolCollisions(claims []pool.Claim) Rule {
	held := map[valueKey]string{}
	for _, c := range claims {
		for _, it := range c.Items {
			k := valueKey{kind: it.Value.Kind()}
			switch k.kind {
			case pool.KindVLAN:
				k.scope, k.num = it.Scope, uint64(it.Value.VLAN())
			case pool.KindVCID:
				k.num = uint64(it.Value.VCID())
			case pool.KindRD:
				k.rd = it.Value.RD()
			case pool.KindRT:
				k.rt = it.Value.RT()
			default:
				continue
			}
			if _, ok := held[k]; !ok {
				held[k] = c.Owner
			}
		}
	}
	return func(svc *design.Service) []Finding {
		var out []Finding
		rds := map[netid.RD]string{}
		for _, u := range serviceValues(svc) {
			if owner, ok := held[u.key()]; ok && owner != svc.Name {
				out = append(out, Finding{Rule: u.rule(), Severity: Error, Device: u.dev, Path: u.path,
					Message: fmt.Sprintf("%s is held in the pools by %s", u.text(), owner)})
			}
			if u.kind == pool.KindRD {
				if other, ok := rds[u.rd]; ok && other != u.dev {
					out = append(out, Finding{Rule: RuleRDCollision, Severity: Error, Device: u.dev, Path: u.path,
						Message: fmt.Sprintf("route-distinguisher %s is used on %s too: RDs must be unique per PE", u.rd, other)})
				}
				rds[u.rd] = u.dev
			}
		}
		return out
	}
}
