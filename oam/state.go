package oam

import (
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"net/netip"
	"slices"
	"strconv"
	"strings"

	"github.com/carrierkit/carrierkit/device"
)

// Facts is what diagnosis knows about one device: its interfaces,
// pseudowires, VPLS connections, LSPs, transport routes and committed
// configuration, each parsed from one operational RPC.
type Facts struct {
	Device string `json:"device"`
	// Unreachable is set when no session could be had; the rest is empty.
	Unreachable string `json:"unreachable,omitempty"`
	// Interfaces by physical and logical name.
	Interfaces map[string]IfState `json:"interfaces,omitempty"`
	Circuits   []Circuit          `json:"circuits,omitempty"`
	VPLS       []Connection       `json:"vpls,omitempty"`
	LSPs       []LSPState         `json:"lsps,omitempty"`
	// Transport holds the inet.3 destinations (LSP endpoints) the device has.
	Transport []netip.Prefix `json:"transport,omitempty"`
	// Routes holds, per routing table read, the destinations in it.
	Routes map[string][]netip.Prefix `json:"routes,omitempty"`
	// Config is the committed configuration as set lines.
	Config []string `json:"-"`
}

// IfState is the state of one interface.
type IfState struct {
	Admin    bool     `json:"admin"`
	Oper     bool     `json:"oper"`
	Families []string `json:"families,omitempty"`
}

// Circuit is one l2circuit connection as get-l2ckt-connection-information
// reports it.
type Circuit struct {
	Neighbor  netip.Addr `json:"neighbor"`
	Interface string     `json:"interface"`
	VCID      uint32     `json:"vcid"`
	// Status is the Junos connection status code (Up, OL, VC-Dn, MM, EM,
	// CM, LD, RD, …).
	Status   string `json:"status"`
	IfStatus string `json:"ifStatus,omitempty"`
}

// Connection is one VPLS or l2vpn connection of get-vpls-connection-information.
type Connection struct {
	Instance string     `json:"instance"`
	RemotePE netip.Addr `json:"remotePe,omitzero"`
	ID       string     `json:"id"`
	Status   string     `json:"status"`
}

// LSPState is one ingress LSP of get-mpls-lsp-information.
type LSPState struct {
	Name string     `json:"name"`
	To   netip.Addr `json:"to"`
	Up   bool       `json:"up"`
}

func parseErr(what string, b []byte, err error) error {
	return fmt.Errorf("oam: parse %s %q: %v: %w", what, clip(b), err, ErrInvalid)
}

// ParseInterfaces parses get-interface-information.
func ParseInterfaces(b []byte) (map[string]IfState, error) {
	var raw struct {
		Phys []struct {
			Name    string `xml:"name"`
			Admin   string `xml:"admin-status"`
			Oper    string `xml:"oper-status"`
			Logical []struct {
				Name     string   `xml:"name"`
				Admin    string   `xml:"admin-status"`
				Oper     string   `xml:"oper-status"`
				Families []string `xml:"address-family>address-family-name"`
			} `xml:"logical-interface"`
		} `xml:"physical-interface"`
	}
	el, err := findElement(b, "interface-information")
	if err == nil {
		err = xml.Unmarshal(el, &raw)
	}
	if err != nil {
		return nil, parseErr("interface-information", b, err)
	}
	out := map[string]IfState{}
	up := func(s string) bool { return strings.TrimSpace(s) == "up" }
	for _, p := range raw.Phys {
		st := IfState{Admin: up(p.Admin), Oper: up(p.Oper)}
		for _, l := range p.Logical {
			ls := IfState{Admin: up(l.Admin), Oper: up(l.Oper), Families: l.Families}
			st.Families = append(st.Families, l.Families...)
			out[strings.TrimSpace(l.Name)] = ls
		}
		out[strings.TrimSpace(p.Name)] = st
	}
	return out, nil
}

// ParseCircuits parses get-l2ckt-connection-information.
func ParseCircuits(b []byte) ([]Circuit, error) {
	var x struct {
		Neighbors []struct {
			Addr  string `xml:"neighbor-address"`
			Conns []struct {
				ID     string `xml:"connection-id"`
				Status string `xml:"connection-status"`
				If     struct {
					Name   string `xml:"interface-name"`
					Status string `xml:"interface-status"`
				} `xml:"local-interface"`
			} `xml:"connection"`
		} `xml:"l2circuit-neighbor"`
	}
	el, err := findElement(b, "l2circuit-connection-information")
	if err == nil {
		err = xml.Unmarshal(el, &x)
	}
	if err != nil {
		return nil, parseErr("l2circuit-connection-information", b, err)
	}
	var out []Circuit
	for _, n := range x.Neighbors {
		nb, err := netip.ParseAddr(strings.TrimSpace(n.Addr))
		if err != nil {
			return nil, parseErr("l2circuit-connection-information", b, err)
		}
		for _, c := range n.Conns {
			// connection-id is "ge-0/0/1.100(vc 1100)".
			id := strings.TrimSpace(c.ID)
			ifl, vc := id, uint64(0)
			if i := strings.Index(id, "(vc "); i >= 0 && strings.HasSuffix(id, ")") {
				ifl = id[:i]
				if vc, err = strconv.ParseUint(id[i+4:len(id)-1], 10, 32); err != nil {
					return nil, parseErr("connection-id", []byte(id), err)
				}
			}
			if c.If.Name != "" {
				ifl = strings.TrimSpace(c.If.Name)
			}
			out = append(out, Circuit{Neighbor: nb, Interface: ifl, VCID: uint32(vc), Status: strings.TrimSpace(c.Status), IfStatus: strings.TrimSpace(c.If.Status)})
		}
	}
	return out, nil
}

// ParseVPLS parses get-vpls-connection-information (or
// get-l2vpn-connection-information).
func ParseVPLS(b []byte) ([]Connection, error) {
	type conn struct {
		ID       string `xml:"connection-id"`
		Status   string `xml:"connection-status"`
		RemotePE string `xml:"remote-pe"`
	}
	var x struct {
		Instances []struct {
			Name string `xml:"instance-name"`
			LDP  []struct {
				Conns []conn `xml:"connection"`
			} `xml:"ldp-vpls-reference-site"`
			BGP []struct {
				Conns []conn `xml:"connection"`
			} `xml:"reference-site"`
		} `xml:"instance"`
	}
	el, err := findElement(b, "vpls-connection-information")
	if err != nil {
		el, err = findElement(b, "l2vpn-connection-information")
	}
	if err == nil {
		err = xml.Unmarshal(el, &x)
	}
	if err != nil {
		return nil, parseErr("vpls-connection-information", b, err)
	}
	var out []Connection
	for _, in := range x.Instances {
		var cs []conn
		for _, s := range in.LDP {
			cs = append(cs, s.Conns...)
		}
		for _, s := range in.BGP {
			cs = append(cs, s.Conns...)
		}
		for _, c := range cs {
			pe, _ := netip.ParseAddr(strings.TrimSpace(c.RemotePE))
			out = append(out, Connection{Instance: strings.TrimSpace(in.Name), RemotePE: pe, ID: strings.TrimSpace(c.ID), Status: strings.TrimSpace(c.Status)})
		}
	}
	return out, nil
}

// ParseLSPs parses get-mpls-lsp-information (ingress LSPs).
func ParseLSPs(b []byte) ([]LSPState, error) {
	var x struct {
		Data []struct {
			Type     string `xml:"session-type"`
			Sessions []struct {
				LSP struct {
					Name  string `xml:"name"`
					To    string `xml:"destination-address"`
					State string `xml:"lsp-state"`
				} `xml:"mpls-lsp"`
			} `xml:"rsvp-session"`
		} `xml:"rsvp-session-data"`
	}
	el, err := findElement(b, "mpls-lsp-information")
	if err == nil {
		err = xml.Unmarshal(el, &x)
	}
	if err != nil {
		return nil, parseErr("mpls-lsp-information", b, err)
	}
	var out []LSPState
	for _, d := range x.Data {
		if strings.TrimSpace(d.Type) != "Ingress" {
			continue
		}
		for _, s := range d.Sessions {
			to, _ := netip.ParseAddr(strings.TrimSpace(s.LSP.To))
			out = append(out, LSPState{Name: strings.TrimSpace(s.LSP.Name), To: to, Up: strings.TrimSpace(s.LSP.State) == "Up"})
		}
	}
	return out, nil
}

// ParseRoutes parses get-route-information: the destinations per table.
func ParseRoutes(b []byte) (map[string][]netip.Prefix, error) {
	var x struct {
		Tables []struct {
			Name string   `xml:"table-name"`
			Dest []string `xml:"rt>rt-destination"`
		} `xml:"route-table"`
	}
	el, err := findElement(b, "route-information")
	if err == nil {
		err = xml.Unmarshal(el, &x)
	}
	if err != nil {
		return nil, parseErr("route-information", b, err)
	}
	out := map[string][]netip.Prefix{}
	for _, t := range x.Tables {
		name := strings.TrimSpace(t.Name)
		for _, d := range t.Dest {
			p, err := netip.ParsePrefix(strings.TrimSpace(d))
			if err != nil {
				continue // not an IP destination (mpls.0 labels)
			}
			out[name] = append(out[name], p)
		}
	}
	return out, nil
}

// Gather reads the facts of one device over s: interfaces, l2circuits,
// VPLS connections, LSPs, inet.3 and the given VRF tables, and the
// committed configuration. A state RPC the device refuses (a
// *device.RejectedError, e.g. a protocol that is not running) leaves that
// part empty; any other failed read is returned as an error naming the
// device and the RPC.
func Gather(ctx context.Context, s Session, dev string, vrfTables ...string) (*Facts, error) {
	f := &Facts{Device: dev, Routes: map[string][]netip.Prefix{}}
	get := func(rpc string) ([]byte, error) {
		b, err := s.Get(ctx, device.RPCQuery(rpc))
		var rej *device.RejectedError
		if errors.As(err, &rej) && !strings.HasPrefix(rpc, "<get-interface-information") {
			return nil, nil
		}
		if err != nil {
			return nil, fmt.Errorf("oam: device %s: %s: %w", dev, rpc, err)
		}
		return b, nil
	}
	b, err := get("<get-interface-information/>")
	if err != nil {
		return nil, err
	}
	if f.Interfaces, err = ParseInterfaces(b); err != nil {
		return nil, err
	}
	if b, err = get("<get-l2ckt-connection-information/>"); err != nil {
		return nil, err
	}
	if b != nil {
		if f.Circuits, err = ParseCircuits(b); err != nil {
			return nil, err
		}
	}
	if b, err = get("<get-vpls-connection-information/>"); err != nil {
		return nil, err
	}
	if b != nil {
		if f.VPLS, err = ParseVPLS(b); err != nil {
			return nil, err
		}
	}
	if b, err = get("<get-mpls-lsp-information/>"); err != nil {
		return nil, err
	}
	if b != nil {
		if f.LSPs, err = ParseLSPs(b); err != nil {
			return nil, err
		}
	}
	for _, t := range append([]string{"inet.3"}, vrfTables...) {
		if b, err = get("<get-route-information><table>" + t + "</table></get-route-information>"); err != nil {
			return nil, err
		}
		if b == nil {
			continue
		}
		rs, err := ParseRoutes(b)
		if err != nil {
			return nil, err
		}
		f.Routes[t] = rs[t]
	}
	f.Transport = f.Routes["inet.3"]
	cfg, err := s.Get(ctx, device.ConfigQuery(device.Committed, device.Set))
	if err != nil {
		return nil, fmt.Errorf("oam: device %s: get committed configuration: %w", dev, err)
	}
	f.Config = strings.Split(strings.TrimSpace(string(cfg)), "\n")
	return f, nil
}

// value returns the rest of the first config line that starts with
// "set "+prefix+" ", or "".
func (f *Facts) value(prefix string) string {
	if f == nil {
		return ""
	}
	p := "set " + prefix + " "
	for _, l := range f.Config {
		if strings.HasPrefix(l, p) {
			return strings.TrimSpace(l[len(p):])
		}
	}
	return ""
}

// has reports whether the config has the exact line "set "+stmt.
func (f *Facts) has(stmt string) bool {
	if f == nil {
		return false
	}
	for _, l := range f.Config {
		if strings.TrimSpace(l) == "set "+stmt {
			return true
		}
	}
	return false
}

// reaches reports whether the device has an inet.3 route covering a.
func (f *Facts) reaches(a netip.Addr) bool {
	for _, p := range f.Transport {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

func (f *Facts) circuit(ifl string, nb netip.Addr) (Circuit, bool) {
	for _, c := range f.Circuits {
		if c.Interface == ifl && (!nb.IsValid() || c.Neighbor == nb) {
			return c, true
		}
	}
	return Circuit{}, false
}

// coreDown lists the device's physical core interfaces (a unit with family
// mpls) that are administratively up but operationally down.
func (f *Facts) coreDown() []string {
	var out []string
	for name, st := range f.Interfaces {
		if strings.Contains(name, ".") || !st.Admin || st.Oper || !containsString(st.Families, "mpls") {
			continue
		}
		out = append(out, name)
	}
	slices.Sort(out)
	return out
}
