package inventory

import (
	"fmt"
	"net/netip"
	"slices"
	"strconv"
	"strings"
)

// config is what the committed configuration says that prestaging and
// brownfield import need.
type config struct {
	Interfaces map[string]*ifConfig // by physical name
	// Protocols lists, per logical interface ("xe-0/0/0.0"), the core
	// protocols it is configured in: mpls, isis, ospf, ospf3, ldp, rsvp.
	Protocols  map[string][]string
	L2Circuits []l2circuit
	Instances  []instance
	// Communities are policy-options communities by name.
	Communities map[string][]string
	// Policies maps a policy-statement to the communities it names.
	Policies map[string][]string
	Loopback netip.Addr
	ASN      string
}

type ifConfig struct {
	Name        string
	Description string
	Disabled    bool
	Tagging     string // "vlan-tagging", "flexible-vlan-tagging", "stacked-vlan-tagging" or ""
	Encap       string
	Units       []unitConfig
	// Other is true when the interface has statements beyond its name,
	// description and units (mtu, speed, gigether-options …).
	Other bool
}

type unitConfig struct {
	Name        string // "100"
	Description string
	VLAN        int // vlan-id or outer tag; 0 if none
	Inner       int // inner tag of vlan-tags; 0 if none
	Encap       string
	Families    []string
	Addresses   []netip.Prefix
}

type l2circuit struct {
	Neighbor  netip.Addr
	Interface string // logical interface, "ge-1/0/0.100"
	VCID      uint64
}

type instance struct {
	Name       string
	Type       string
	Interfaces []string
	RD         string
	Import     []string // route targets, "target:65000:1"
	Export     []string
	VPLSID     string
}

// parseConfig reads a <configuration> element.
func parseConfig(data []byte) (*config, error) {
	root, err := parseXML("get-configuration", data)
	if err != nil {
		return nil, err
	}
	c := root.find("configuration")
	if c == nil {
		return nil, fmt.Errorf("inventory: get-configuration: no <configuration> in the reply")
	}
	cfg := &config{
		Interfaces:  map[string]*ifConfig{},
		Protocols:   map[string][]string{},
		Communities: map[string][]string{},
		Policies:    map[string][]string{},
	}
	for _, in := range c.path("interfaces").all("interface") {
		ic := &ifConfig{Name: in.text("name")}
		for _, k := range in.Kids {
			switch k.XMLName.Local {
			case "name":
			case "description":
				ic.Description = strings.TrimSpace(k.Text)
			case "disable":
				ic.Disabled = true
			case "vlan-tagging", "flexible-vlan-tagging", "stacked-vlan-tagging":
				ic.Tagging = k.XMLName.Local
			case "encapsulation":
				ic.Encap = strings.TrimSpace(k.Text)
			case "unit":
				u, err := parseUnit(ic.Name, &k)
				if err != nil {
					return nil, err
				}
				ic.Units = append(ic.Units, u)
			default:
				ic.Other = true
			}
		}
		if ic.Name == "" {
			return nil, fmt.Errorf("inventory: configuration: an interface without a name")
		}
		cfg.Interfaces[ic.Name] = ic
	}
	if lo := cfg.Interfaces["lo0"]; lo != nil {
		for _, u := range lo.Units {
			if u.Name != "0" {
				continue
			}
			for _, p := range u.Addresses {
				if p.Addr().Is4() && p.Bits() == 32 {
					cfg.Loopback = p.Addr()
					break
				}
			}
		}
	}
	if !cfg.Loopback.IsValid() {
		if a, err := netip.ParseAddr(c.text("routing-options", "router-id")); err == nil {
			cfg.Loopback = a
		}
	}
	cfg.ASN = c.text("routing-options", "autonomous-system", "as-number")
	if cfg.ASN == "" {
		cfg.ASN = c.text("routing-options", "autonomous-system")
	}

	protos := c.path("protocols")
	for _, p := range []string{"mpls", "isis", "ldp", "rsvp"} {
		for _, in := range protos.path(p).all("interface") {
			addProto(cfg.Protocols, in.text("name"), p)
		}
	}
	for _, p := range []string{"ospf", "ospf3"} {
		for _, area := range protos.path(p).all("area") {
			for _, in := range area.all("interface") {
				addProto(cfg.Protocols, in.text("name"), p)
			}
		}
	}
	for _, nb := range protos.path("l2circuit").all("neighbor") {
		a, err := netip.ParseAddr(nb.text("name"))
		if err != nil {
			return nil, fmt.Errorf("inventory: configuration: l2circuit neighbor %q: not an address", nb.text("name"))
		}
		for _, in := range nb.all("interface") {
			vc, err := strconv.ParseUint(in.text("virtual-circuit-id"), 10, 32)
			if err != nil {
				return nil, fmt.Errorf("inventory: configuration: l2circuit neighbor %s interface %q: virtual-circuit-id %q: not a number", a, in.text("name"), in.text("virtual-circuit-id"))
			}
			cfg.L2Circuits = append(cfg.L2Circuits, l2circuit{Neighbor: a, Interface: in.text("name"), VCID: vc})
		}
	}

	po := c.path("policy-options")
	for _, cm := range po.all("community") {
		for _, m := range cm.all("members") {
			cfg.Communities[cm.text("name")] = append(cfg.Communities[cm.text("name")], strings.TrimSpace(m.Text))
		}
	}
	for _, ps := range po.all("policy-statement") {
		var names []string
		collectCommunities(ps, &names)
		cfg.Policies[ps.text("name")] = names
	}

	for _, ri := range c.path("routing-instances").all("instance") {
		in := instance{Name: ri.text("name"), Type: ri.text("instance-type"), RD: ri.text("route-distinguisher", "rd-type")}
		if in.RD == "" {
			in.RD = ri.text("route-distinguisher")
		}
		for _, i := range ri.all("interface") {
			in.Interfaces = append(in.Interfaces, i.text("name"))
		}
		if vt := ri.child("vrf-target"); vt != nil {
			if s := vt.text("community"); s != "" {
				in.Import = append(in.Import, s)
				in.Export = append(in.Export, s)
			}
			if s := vt.text("import"); s != "" {
				in.Import = append(in.Import, s)
			}
			if s := vt.text("export"); s != "" {
				in.Export = append(in.Export, s)
			}
			if s := strings.TrimSpace(vt.Text); s != "" && len(vt.Kids) == 0 {
				in.Import = append(in.Import, s)
				in.Export = append(in.Export, s)
			}
		}
		for _, pol := range ri.all("vrf-import") {
			in.Import = append(in.Import, cfg.policyTargets(strings.TrimSpace(pol.Text))...)
		}
		for _, pol := range ri.all("vrf-export") {
			in.Export = append(in.Export, cfg.policyTargets(strings.TrimSpace(pol.Text))...)
		}
		in.VPLSID = ri.text("protocols", "vpls", "vpls-id")
		in.Import = uniq(in.Import)
		in.Export = uniq(in.Export)
		cfg.Instances = append(cfg.Instances, in)
	}
	return cfg, nil
}

func parseUnit(ifname string, u *node) (unitConfig, error) {
	uc := unitConfig{Name: u.text("name"), Description: u.text("description"), Encap: u.text("encapsulation")}
	bad := func(field, v string) error {
		return fmt.Errorf("inventory: configuration: interface %s unit %s: %s %q: not a VLAN ID", ifname, uc.Name, field, v)
	}
	if s := u.text("vlan-id"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil {
			return uc, bad("vlan-id", s)
		}
		uc.VLAN = n
	}
	if vt := u.child("vlan-tags"); vt != nil {
		if s := vt.text("outer"); s != "" {
			// "0x8100.200" carries a TPID before the tag.
			if i := strings.LastIndexByte(s, '.'); i >= 0 {
				s = s[i+1:]
			}
			n, err := strconv.Atoi(s)
			if err != nil {
				return uc, bad("vlan-tags outer", s)
			}
			uc.VLAN = n
		}
		if s := vt.text("inner"); s != "" {
			if i := strings.LastIndexByte(s, '.'); i >= 0 {
				s = s[i+1:]
			}
			n, err := strconv.Atoi(s)
			if err != nil {
				return uc, bad("vlan-tags inner", s)
			}
			uc.Inner = n
		}
	}
	if fam := u.child("family"); fam != nil {
		for _, f := range fam.Kids {
			uc.Families = append(uc.Families, f.XMLName.Local)
			for _, a := range f.all("address") {
				if p, err := netip.ParsePrefix(a.text("name")); err == nil {
					uc.Addresses = append(uc.Addresses, p)
				}
			}
		}
	}
	return uc, nil
}

func addProto(m map[string][]string, ifname, proto string) {
	if ifname == "" {
		return
	}
	if !slices.Contains(m[ifname], proto) {
		m[ifname] = append(m[ifname], proto)
	}
}

// collectCommunities gathers every community a policy names: "from
// community X" and "then community add|set X".
func collectCommunities(n *node, out *[]string) {
	for i := range n.Kids {
		k := &n.Kids[i]
		if k.XMLName.Local == "community" {
			if len(k.Kids) == 0 {
				*out = append(*out, strings.TrimSpace(k.Text))
			} else {
				if s := k.text("community-name"); s != "" {
					*out = append(*out, s)
				}
				for _, op := range []string{"add", "set"} {
					if s := k.text(op); s != "" {
						*out = append(*out, s)
					}
				}
			}
			continue
		}
		collectCommunities(k, out)
	}
}

// policyTargets returns the route targets of the communities policy names.
func (c *config) policyTargets(policy string) []string {
	var out []string
	for _, name := range c.Policies[policy] {
		for _, m := range c.Communities[name] {
			if strings.HasPrefix(m, "target:") {
				out = append(out, m)
			}
		}
	}
	return out
}

// unit returns the configuration of logical interface "ge-1/0/0.100".
func (c *config) unit(logical string) (*ifConfig, *unitConfig) {
	phys, u, ok := strings.Cut(logical, ".")
	if !ok {
		u = "0"
	}
	ic := c.Interfaces[phys]
	if ic == nil {
		return nil, nil
	}
	for i := range ic.Units {
		if ic.Units[i].Name == u {
			return ic, &ic.Units[i]
		}
	}
	return ic, nil
}

func uniq(s []string) []string {
	slices.Sort(s)
	return slices.Compact(s)
}
