package validate

import (
	"context"
	"encoding/xml"
	"fmt"
	"net/netip"
	"slices"
	"strings"
	"sync"

	"github.com/carrierkit/carrierkit/design"
	"github.com/carrierkit/carrierkit/device"
)

// Rule names of operational validation.
const (
	RulePseudowireUp = "pseudowire-up"
	RuleVPLSUp       = "vpls-up"
	RuleL2VPNUp      = "l2vpn-up"
	RuleLSPUp        = "lsp-up"
	RuleLDPSession   = "ldp-session"
	RuleBGPSession   = "bgp-session"
	RuleVRFRoutes    = "vrf-routes"
	RuleOperRead     = "oper-read"
)

// statusText explains Junos l2circuit / VPLS / l2vpn connection status codes.
var statusText = map[string]string{
	"Up": "operational", "Dn": "down", "VC-Dn": "virtual circuit down", "OL": "no outgoing label",
	"MM": "MTU mismatch", "EM": "encapsulation mismatch", "CM": "control-word mismatch", "VM": "VLAN ID mismatch",
	"EI": "encapsulation invalid", "NC": "interface encapsulation not CCC/TCC/VPLS", "NP": "interface hardware not present",
	"LD": "local site signaled down", "RD": "remote site signaled down", "CN": "circuit not provisioned",
	"IL": "no incoming label", "OR": "out of range", "SC": "local and remote site ID collision", "BK": "backup connection",
	"LN": "local site not designated", "RN": "remote site not designated", "LM": "local site ID not minimum designated",
	"RM": "remote site ID not minimum designated",
	"ST": "standby connection", "XX": "unknown connection status", "WE": "interface and instance encapsulation not same",
}

// standby lists the connection codes of a designated-forwarder choice or a
// backup, not a failure.
var standby = map[string]bool{"LN": true, "RN": true, "LM": true, "RM": true, "BK": true, "ST": true}

func statusMsg(code string) string {
	if t, ok := statusText[code]; ok {
		return code + " (" + t + ")"
	}
	return code
}

// Reply shapes (local element names; Junos puts them in per-daemon
// namespaces, which encoding/xml ignores when a tag names none).
type connXML struct {
	ID       string `xml:"connection-id"`
	Status   string `xml:"connection-status"`
	RemotePE string `xml:"remote-pe"`
	Iface    string `xml:"local-interface>interface-name"`
}

type l2cktReply struct {
	Neighbors []struct {
		Addr  string    `xml:"neighbor-address"`
		Conns []connXML `xml:"connection"`
	} `xml:"l2circuit-neighbor"`
}

type vplsReply struct {
	Instances []struct {
		Name  string `xml:"instance-name"`
		Sites []struct {
			Conns []connXML `xml:"connection"`
		} `xml:"reference-site"`
		LDPSites []struct {
			Conns []connXML `xml:"connection"`
		} `xml:"ldp-vpls-reference-site"`
	} `xml:"instance"`
}

type lspReply struct {
	Data []struct {
		Type     string `xml:"session-type"`
		Sessions []struct {
			Name  string `xml:"mpls-lsp>name"`
			State string `xml:"mpls-lsp>lsp-state"`
			To    string `xml:"mpls-lsp>destination-address"`
		} `xml:"rsvp-session"`
	} `xml:"rsvp-session-data"`
}

type ldpReply struct {
	Sessions []struct {
		Addr  string `xml:"ldp-neighbor-address"`
		State string `xml:"ldp-session-state"`
	} `xml:"ldp-session"`
}

type bgpReply struct {
	Peers []struct {
		Addr     string `xml:"peer-address"`
		State    string `xml:"peer-state"`
		Instance string `xml:"peer-instance"`
		Reason   string `xml:"peer-down-reason"`
	} `xml:"bgp-peer"`
}

type routeReply struct {
	Tables []struct {
		Name  string   `xml:"table-name"`
		Dests []string `xml:"rt>rt-destination"`
	} `xml:"route-table"`
}

// rpc runs one RPC and decodes its reply into v.
func rpc(ctx context.Context, g Getter, req string, v any) error {
	b, err := g.Get(ctx, device.RPCQuery(req))
	if err != nil {
		return err
	}
	if err := xml.Unmarshal(b, v); err != nil {
		return fmt.Errorf("validate: reply to %s: %w: %v", req, ErrSyntax, err)
	}
	return nil
}

// Oper is operational validation of a deployed service: on every Juniper
// device of svc (at most parallel at a time; 0 means 8) it runs the Junos
// RPCs the service's intent calls for and checks that pseudowires are up at
// both ends (get-l2ckt-connection-information, with the Junos status code
// when not), VPLS and l2vpn connections are up to every other PE
// (get-vpls-/get-l2vpn-connection-information), the service's RSVP LSPs are
// up (get-mpls-lsp-information), the LDP sessions its pseudowires need are
// operational (get-ldp-session-information), BGP sessions are established
// (get-bgp-summary-information: a core session for BGP-signalled services,
// the PE–CE peers in the VRF), and the VRF holds the other sites' routes
// (get-route-information). A device that cannot be read or answers with an
// RPC error gives an oper-read error finding; the returned error is only for
// a cancelled ctx.
func Oper(ctx context.Context, svc *design.Service, devs Devices, parallel int) ([]Finding, error) {
	var mu sync.Mutex
	var out []Finding
	var names []string
	for _, d := range svc.Devices {
		if d.Platform.Vendor != design.VendorNokia {
			names = append(names, d.Device)
		}
	}
	err := forEach(ctx, names, parallel, func(ctx context.Context, name string) error {
		d, _ := svc.Device(name)
		fs := operDevice(ctx, svc, d, devs)
		mu.Lock()
		out = append(out, fs...)
		mu.Unlock()
		return ctx.Err()
	})
	if err != nil {
		return nil, err
	}
	return Sort(out), nil
}

func operDevice(ctx context.Context, svc *design.Service, d *design.DeviceIntent, devs Devices) []Finding {
	var out []Finding
	add := func(rule, path, format string, args ...any) {
		out = append(out, Finding{Rule: rule, Severity: Error, Service: svc.Name, Device: d.Device, Path: path, Message: fmt.Sprintf(format, args...)})
	}
	g, err := devs.get(d.Device)
	if err != nil {
		add(RuleOperRead, "", "%v", err)
		return out
	}
	failed := func(what string, err error) bool {
		if err != nil {
			add(RuleOperRead, "", "%s: %v", what, err)
			return true
		}
		return false
	}
	// Pseudowires.
	ldpPeers := map[netip.Addr]string{}
	if len(d.L2Circuits) > 0 {
		var r l2cktReply
		if !failed("get-l2ckt-connection-information", rpc(ctx, g, "<get-l2ckt-connection-information/>", &r)) {
			for _, c := range d.L2Circuits {
				path := "protocols l2circuit neighbor " + c.Neighbor.String() + " interface " + c.Interface
				ldpPeers[c.Neighbor] = path
				want := fmt.Sprintf("%s(vc %d)", c.Interface, c.VCID)
				var found *connXML
				for _, n := range r.Neighbors {
					if n.Addr != c.Neighbor.String() {
						continue
					}
					for k := range n.Conns {
						cc := &n.Conns[k]
						if cc.ID == want || found == nil && strings.HasPrefix(cc.ID, c.Interface+"(") {
							found = cc
						}
					}
				}
				switch {
				case found == nil:
					add(RulePseudowireUp, path, "no l2circuit connection on %s to %s", c.Interface, c.Neighbor)
				case found.ID != want:
					add(RulePseudowireUp, path, "connection %s is %s, intended virtual-circuit-id %d", found.ID, statusMsg(found.Status), c.VCID)
				case found.Status != "Up":
					add(RulePseudowireUp, path, "pseudowire %s to %s is %s", found.ID, c.Neighbor, statusMsg(found.Status))
				}
			}
		}
	}
	// VPLS and l2vpn instances.
	byLo := map[netip.Addr]string{}
	for _, o := range svc.Devices {
		byLo[o.Loopback] = o.Device
	}
	if v := d.VPLS; v != nil {
		var want []netip.Addr
		if v.Signalling == design.SignallingLDP {
			want = slices.Clone(v.Neighbors)
			for _, mg := range v.MeshGroups {
				want = append(want, mg.Neighbors...)
			}
			for _, n := range want {
				ldpPeers[n] = "routing-instances " + v.Name + " protocols vpls"
			}
		} else {
			for _, o := range svc.Devices {
				if o.Device != d.Device && o.VPLS != nil && o.VPLS.RT == v.RT && o.Loopback != d.Loopback && o.VPLS.SitePreference != design.SiteBackup {
					want = append(want, o.Loopback)
				}
			}
		}
		var r vplsReply
		if !failed("get-vpls-connection-information", rpc(ctx, g, "<get-vpls-connection-information/>", &r)) {
			out = append(out, checkInstance(svc.Name, d.Device, RuleVPLSUp, v.Name, want, byLo, instConns(r, v.Name))...)
		}
	}
	if v := d.L2VPN; v != nil {
		var want []netip.Addr
		for _, o := range svc.Devices {
			if o.Device != d.Device && o.L2VPN != nil && o.L2VPN.RT == v.RT {
				want = append(want, o.Loopback)
			}
		}
		var r vplsReply
		if !failed("get-l2vpn-connection-information", rpc(ctx, g, "<get-l2vpn-connection-information/>", &r)) {
			out = append(out, checkInstance(svc.Name, d.Device, RuleL2VPNUp, v.Name, want, byLo, instConns(r, v.Name))...)
		}
	}
	// RSVP LSPs of the service.
	if len(d.LSPs) > 0 {
		var r lspReply
		if !failed("get-mpls-lsp-information", rpc(ctx, g, "<get-mpls-lsp-information/>", &r)) {
			state := map[string]string{}
			for _, sd := range r.Data {
				if sd.Type != "" && sd.Type != "Ingress" {
					continue
				}
				for _, s := range sd.Sessions {
					state[s.Name] = s.State
				}
			}
			for _, l := range d.LSPs {
				path := "protocols mpls label-switched-path " + l.Name
				switch st, ok := state[l.Name]; {
				case !ok:
					add(RuleLSPUp, path, "LSP %s to %s is not signalled", l.Name, l.To)
				case st != "Up":
					add(RuleLSPUp, path, "LSP %s to %s is %s", l.Name, l.To, st)
				}
			}
		}
	}
	// LDP sessions the pseudowires need.
	if len(ldpPeers) > 0 {
		var r ldpReply
		if !failed("get-ldp-session-information", rpc(ctx, g, "<get-ldp-session-information/>", &r)) {
			state := map[string]string{}
			for _, s := range r.Sessions {
				state[s.Addr] = s.State
			}
			peers := make([]netip.Addr, 0, len(ldpPeers))
			for p := range ldpPeers {
				peers = append(peers, p)
			}
			slices.SortFunc(peers, netip.Addr.Compare)
			for _, p := range peers {
				if st := state[p.String()]; st != "Operational" {
					add(RuleLDPSession, "protocols ldp", "LDP session to %s (%s), which %s needs, is %s", or(byLo[p], p.String()), p, ldpPeers[p], or(st, "absent"))
				}
			}
		}
	}
	// BGP: a core session for BGP-signalled services; PE–CE peers.
	bgpCore := d.VRF != nil || d.L2VPN != nil || d.VPLS != nil && d.VPLS.Signalling == design.SignallingBGP
	if bgpCore || d.VRF != nil && len(d.VRF.BGPNeighbors) > 0 {
		var r bgpReply
		if !failed("get-bgp-summary-information", rpc(ctx, g, "<get-bgp-summary-information/>", &r)) {
			if bgpCore {
				up := false
				var down []string
				for _, p := range r.Peers {
					if p.Instance != "" && p.Instance != "master" {
						continue
					}
					if p.State == "Established" {
						up = true
					} else {
						down = append(down, p.Addr+" "+p.State)
					}
				}
				if !up {
					add(RuleBGPSession, "protocols bgp", "no established core BGP session (%s) to carry the service's routes", or(strings.Join(down, ", "), "no peers"))
				}
			}
			if d.VRF != nil {
				for _, ce := range d.VRF.BGPNeighbors {
					st := "absent"
					for _, p := range r.Peers {
						if p.Addr == ce.Addr.String() && (p.Instance == "" || p.Instance == d.VRF.Name) {
							st = p.State
							if p.Reason != "" && st != "Established" {
								st += " (" + p.Reason + ")"
							}
						}
					}
					if st != "Established" {
						add(RuleBGPSession, "routing-instances "+d.VRF.Name+" protocols bgp group "+d.VRF.BGPGroup+" neighbor "+ce.Addr.String(),
							"PE–CE BGP session to %s is %s", ce.Addr, st)
					}
				}
			}
		}
	}
	// VRF routes: the other sites' attachment subnets and static routes.
	if v := d.VRF; v != nil {
		var r routeReply
		req := "<get-route-information><table>" + v.Name + ".inet.0</table></get-route-information>"
		if !failed("get-route-information", rpc(ctx, g, req, &r)) {
			have := map[string]bool{}
			for _, t := range r.Tables {
				for _, dst := range t.Dests {
					have[dst] = true
				}
			}
			for _, o := range svc.Devices {
				if o.Device == d.Device || o.VRF == nil || !overlaps(v.ImportRTs, o.VRF.ExportRTs) {
					continue
				}
				var want []netip.Prefix
				for _, a := range o.Attachments {
					if a.Address.IsValid() {
						want = append(want, a.Address.Masked())
					}
				}
				for _, sr := range o.VRF.StaticRoutes {
					if sr.Prefix.Addr().Is4() {
						want = append(want, sr.Prefix.Masked())
					}
				}
				for _, p := range want {
					if !have[p.String()] {
						add(RuleVRFRoutes, "routing-instances "+v.Name, "route %s from site %s is missing from %s.inet.0", p, o.Device, v.Name)
					}
				}
			}
		}
	}
	return out
}

func instConns(r vplsReply, name string) []connXML {
	for _, in := range r.Instances {
		if in.Name != name {
			continue
		}
		var cs []connXML
		for _, s := range in.Sites {
			cs = append(cs, s.Conns...)
		}
		for _, s := range in.LDPSites {
			cs = append(cs, s.Conns...)
		}
		return cs
	}
	return nil
}

func checkInstance(svc, dev, rule, inst string, want []netip.Addr, byLo map[netip.Addr]string, conns []connXML) []Finding {
	var out []Finding
	path := "routing-instances " + inst
	seen := map[string]bool{}
	for _, c := range conns {
		seen[c.RemotePE] = seen[c.RemotePE] || c.Status == "Up"
		if c.Status != "Up" {
			sev := Error
			if standby[c.Status] {
				sev = Info // a multihomed site's backup is meant to stay down
			}
			out = append(out, Finding{Rule: rule, Severity: sev, Service: svc, Device: dev, Path: path,
				Message: fmt.Sprintf("connection %s to %s is %s", c.ID, or(c.RemotePE, "?"), statusMsg(c.Status))})
		}
	}
	for _, w := range want {
		if _, ok := seen[w.String()]; !ok {
			out = append(out, Finding{Rule: rule, Severity: Error, Service: svc, Device: dev, Path: path,
				Message: fmt.Sprintf("no connection to %s (%s)", or(byLo[w], w.String()), w)})
		}
	}
	return out
}
