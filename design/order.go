package design

import (
	"encoding/json"
	"fmt"
	"net/netip"
	"strconv"

	"github.com/carrierkit/carrierkit/netid"
)

// Order asks for one service (or, for mobile backhaul, one service per cell
// site) from a definition. It is plain data, read from YAML or JSON with
// [DecodeOrder] or built in Go.
type Order struct {
	// Name is the service name and its pool owner key: 1–64 characters
	// from [A-Za-z0-9._-]. Mobile backhaul services are named
	// "<Name>-<cell site>".
	Name string `json:"name" yaml:"name"`
	// Definition names the catalog entry or custom definition.
	Definition string `json:"definition" yaml:"definition"`
	// Description is free text, carried into device descriptions.
	Description string `json:"description,omitempty" yaml:"description,omitempty"`
	// Attributes override the definition's defaults (attribute → text
	// value); only overridable parameters may be given.
	Attributes Attributes `json:"attributes,omitempty" yaml:"attributes,omitempty"`
	// Endpoints are the service's attachment points: UNIs for layer-2 and
	// layer-3 services, PEs for LSPs (interface optional), the path for a
	// static LSP, the hubs of a mobile backhaul order.
	Endpoints []Endpoint `json:"endpoints" yaml:"endpoints"`
	// CellSites lists the cell sites of a mobile backhaul order.
	CellSites []CellSite `json:"cellSites,omitempty" yaml:"cellSites,omitempty"`
	// Via lists devices an RSVP LSP should pass through (loose hops by
	// loopback), in order.
	Via []string `json:"via,omitempty" yaml:"via,omitempty"`
}

// Attributes are an order's overrides: attribute name → value in text
// form. In JSON a value may be a string, a number or a boolean, as in YAML.
type Attributes map[string]string

// UnmarshalJSON accepts strings, numbers and booleans as values.
func (a *Attributes) UnmarshalJSON(b []byte) error {
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	if raw == nil {
		*a = nil
		return nil
	}
	out := make(Attributes, len(raw))
	for k, v := range raw {
		var s string
		switch {
		case len(v) > 0 && v[0] == '"':
			if err := json.Unmarshal(v, &s); err != nil {
				return err
			}
		case string(v) == "true", string(v) == "false", len(v) > 0 && (v[0] == '-' || v[0] >= '0' && v[0] <= '9'):
			s = string(v)
		default:
			return fmt.Errorf("attribute %q: want a string, number or boolean, not %s", k, v)
		}
		out[k] = s
	}
	*a = out
	return nil
}

// Endpoint is one attachment of an order.
type Endpoint struct {
	Device    string `json:"device" yaml:"device"`
	Interface string `json:"interface,omitempty" yaml:"interface,omitempty"`
	// VLAN is an explicit (brownfield or operator-chosen) VLAN; zero
	// lets the pool pick for VLAN-based services. Refused for port-based
	// ones.
	VLAN      netid.VLANID `json:"vlan,omitempty" yaml:"vlan,omitempty"`
	InnerVLAN netid.VLANID `json:"innerVlan,omitempty" yaml:"innerVlan,omitempty"`
	// Address and Address6 are explicit PE addresses on an L3VPN UNI
	// (host bits kept, "10.1.0.0/31"); the CE is the other address of a
	// /31 or /127. Zero lets the pool pick a subnet.
	Address  netip.Prefix `json:"address,omitzero" yaml:"address,omitempty"`
	Address6 netip.Prefix `json:"address6,omitzero" yaml:"address6,omitempty"`
	// Role is RoleHub or RoleSpoke in hub-and-spoke services.
	Role Role `json:"role,omitempty" yaml:"role,omitempty"`
	// Site names the customer site; endpoints of one site on two PEs are
	// multihomed. Defaults to the device name.
	Site string `json:"site,omitempty" yaml:"site,omitempty"`
	// SitePreference is SitePrimary or SiteBackup for a multihomed site.
	SitePreference string `json:"sitePreference,omitempty" yaml:"sitePreference,omitempty"`
	// PeerAS is the CE's AS for PE–CE BGP; zero uses the ceAs attribute.
	PeerAS netid.ASN `json:"peerAs,omitempty" yaml:"peerAs,omitempty"`
	// Routes are customer prefixes behind the CE (PE–CE static).
	Routes []netip.Prefix `json:"routes,omitempty" yaml:"routes,omitempty"`
	// Description is free text for this attachment.
	Description string `json:"description,omitempty" yaml:"description,omitempty"`
}

// CellSite is one cell site of a mobile backhaul order: its UNI on the cell
// site router.
type CellSite struct {
	// Name identifies the site; the pseudowire's service is
	// "<order>-<name>".
	Name      string       `json:"name" yaml:"name"`
	Device    string       `json:"device" yaml:"device"`
	Interface string       `json:"interface" yaml:"interface"`
	VLAN      netid.VLANID `json:"vlan,omitempty" yaml:"vlan,omitempty"`
	// HubVLAN is an explicit VLAN on the hub interface; zero lets the
	// pool pick.
	HubVLAN netid.VLANID `json:"hubVlan,omitempty" yaml:"hubVlan,omitempty"`
	// Hub selects the hub endpoint (index into Endpoints); nil spreads
	// sites over the hubs in turn.
	Hub *int `json:"hub,omitempty" yaml:"hub,omitempty"`
}

// orderErr formats an error about an order.
func orderErr(o *Order, err error) error {
	return fmt.Errorf("design: order %q: %w", o.Name, err)
}

func epErr(o *Order, i int, e *Endpoint, err error) error {
	where := "endpoints[" + strconv.Itoa(i) + "]"
	if e.Device != "" {
		where += " (" + e.Device
		if e.Interface != "" {
			where += " " + e.Interface
		}
		where += ")"
	}
	return fmt.Errorf("design: order %q: %s: %w", o.Name, where, err)
}

// Validate checks the order against its definition and the inventory, and
// resolves its attributes. Errors wrap [ErrInvalid] and name the order, the
// endpoint (index and device) and the field:
//
//	design: order "cust1": endpoints[1] (pe2 ge-0/0/9): interface "ge-0/0/9": not on device pe2
func (o *Order) Validate(inv *Inventory, def *Definition) error {
	_, err := prepare(inv, def, o)
	return err
}

// job is a validated order with what building it needs.
type job struct {
	invent *Inventory
	o      *Order
	def    *Definition
	params Params
	devs   []*Device // per endpoint
	via    []*Device
	hubs   []int // endpoint indexes with role hub
	spokes []int
}

func prepare(inv *Inventory, def *Definition, o *Order) (*job, error) {
	if err := CheckName("name", o.Name); err != nil {
		return nil, orderErr(o, err)
	}
	if len(o.Name) > 64 {
		return nil, orderErr(o, fieldErr("name", o.Name, "longer than 64 characters"))
	}
	if def == nil || def.realisation == "" {
		return nil, orderErr(o, fieldErr("definition", o.Definition, "not a catalog definition"))
	}
	if o.Definition != def.Name {
		return nil, orderErr(o, fieldErr("definition", o.Definition, "order names another definition than "+def.Name))
	}
	params, err := def.Resolve(o.Attributes)
	if err != nil {
		return nil, orderErr(o, err)
	}
	j := &job{invent: inv, o: o, def: def, params: params, devs: make([]*Device, len(o.Endpoints))}
	r := def.realisation
	l2 := def.Type == TypeELine || def.Type == TypeELineBGP || def.Type == TypeVPLS
	port := l2 && params.VLANMode == VLANModePort
	lsp := def.Type == TypeLSP
	hubSpoke := r == DefVPLSHubSpoke || r == DefL3VPNHubSpoke || r == DefMobileBackhaul
	type key struct {
		dev, ifc string
		vlan     netid.VLANID
	}
	seen := newKeySet[key](len(o.Endpoints))
	for i := range o.Endpoints {
		e := &o.Endpoints[i]
		bad := func(err error) error { return epErr(o, i, e, err) }
		d, ok := inv.Device(e.Device)
		if !ok {
			return nil, bad(fieldErr("device", e.Device, "not in the inventory"))
		}
		j.devs[i] = d
		switch {
		case e.Interface == "" && (lsp || r == DefStaticLSP && i == len(o.Endpoints)-1):
		case e.Interface == "":
			return nil, bad(fieldErr("interface", "", "required"))
		default:
			f, ok := d.interfaceOf(e.Interface)
			if !ok {
				return nil, bad(fieldErr("interface", e.Interface, "not on device "+d.Name))
			}
			want := UNI
			if lsp || r == DefStaticLSP {
				want = NNI
			}
			if f.Role != want {
				return nil, bad(fieldErr("interface", e.Interface, "is an "+string(f.Role)+", not a "+string(want)))
			}
			if r == DefStaticLSP && !f.PeerAddress.IsValid() {
				return nil, bad(fieldErr("interface", e.Interface, "has no peerAddress in the inventory (the static LSP's next hop)"))
			}
		}
		if e.VLAN != 0 && !e.VLAN.IsValid() || e.InnerVLAN != 0 && !e.InnerVLAN.IsValid() {
			return nil, bad(fieldErr("vlan", e.VLAN.String(), "out of range 1-4094"))
		}
		if e.VLAN != 0 && (port || lsp || r == DefStaticLSP) {
			return nil, bad(fieldErr("vlan", e.VLAN.String(), "given for a port-based service"))
		}
		if e.InnerVLAN != 0 && e.VLAN == 0 {
			return nil, bad(fieldErr("innerVlan", e.InnerVLAN.String(), "needs an outer vlan"))
		}
		if def.Type != TypeL3VPN {
			if e.Address.IsValid() || e.Address6.IsValid() || len(e.Routes) > 0 || e.PeerAS != 0 {
				return nil, bad(fieldErr("address", e.Address.String(), "addresses, routes and peerAs are for L3VPN endpoints only"))
			}
		} else if err := checkL3(e, params); err != nil {
			return nil, bad(err)
		}
		switch {
		case !e.Role.IsValid():
			return nil, bad(fieldErr("role", string(e.Role), "want hub or spoke"))
		case e.Role != RoleNone && !hubSpoke:
			return nil, bad(fieldErr("role", string(e.Role), "definition "+def.Name+" has no hub-and-spoke roles"))
		case e.Role == RoleNone && hubSpoke && r != DefMobileBackhaul:
			return nil, bad(fieldErr("role", "", "required: hub or spoke"))
		case e.Role == RoleSpoke && r == DefMobileBackhaul:
			return nil, bad(fieldErr("role", string(e.Role), "mobile backhaul endpoints are hubs; cell sites go in cellSites"))
		case e.Role == RoleHub:
			j.hubs = append(j.hubs, i)
		case e.Role == RoleSpoke:
			j.spokes = append(j.spokes, i)
		}
		if r == DefMobileBackhaul && e.Role == RoleNone {
			j.hubs = append(j.hubs, i)
		}
		if e.Site != "" {
			if err := CheckName("site", e.Site); err != nil {
				return nil, bad(err)
			}
		}
		if e.SitePreference != "" && r != DefVPLSMultihoming {
			return nil, bad(fieldErr("sitePreference", e.SitePreference, "only for multihomed VPLS"))
		}
		if err := oneOf("sitePreference", e.SitePreference, "", SitePrimary, SiteBackup); err != nil {
			return nil, bad(err)
		}
		if e.Interface != "" || !lsp {
			// Two endpoints on one UNI need distinct explicit VLANs.
			k := key{e.Device, e.Interface, e.VLAN}
			if first, dup := seen.add(k, i); dup {
				return nil, bad(fieldErr("interface", e.Interface, "duplicate of endpoints["+strconv.Itoa(first)+"]"))
			}
		} else if first, dup := seen.add(key{dev: e.Device}, i); dup {
			return nil, bad(fieldErr("device", e.Device, "duplicate of endpoints["+strconv.Itoa(first)+"]"))
		}
	}
	if err := j.checkShape(); err != nil {
		return nil, err
	}
	if _, err := j.sameVLAN(); err != nil {
		return nil, err
	}
	for i, name := range o.Via {
		d, ok := inv.Device(name)
		if !ok {
			return nil, orderErr(o, fieldErr("via["+strconv.Itoa(i)+"]", name, "not in the inventory"))
		}
		if r != DefLSPP2P {
			return nil, orderErr(o, fieldErr("via", name, "only for point-to-point RSVP LSPs"))
		}
		j.via = append(j.via, d)
	}
	if len(o.CellSites) > 0 && r != DefMobileBackhaul {
		return nil, orderErr(o, fieldErr("cellSites", "", "only for mobile backhaul"))
	}
	if r == DefMobileBackhaul {
		if err := j.checkCellSites(inv, port); err != nil {
			return nil, err
		}
	}
	return j, nil
}

func checkL3(e *Endpoint, p Params) error {
	if e.Address.IsValid() {
		if !p.IPv4 {
			return fieldErr("address", e.Address.String(), "ipv4 is off for this service")
		}
		if !e.Address.Addr().Is4() || e.Address.Bits() < 24 || e.Address.Bits() > 31 {
			return fieldErr("address", e.Address.String(), "want an IPv4 address with a /24 to /31 prefix length")
		}
	}
	if e.Address6.IsValid() {
		if !p.IPv6 {
			return fieldErr("address6", e.Address6.String(), "ipv6 is off for this service")
		}
		if !e.Address6.Addr().Is6() || e.Address6.Addr().Is4In6() || e.Address6.Bits() < 64 {
			return fieldErr("address6", e.Address6.String(), "want an IPv6 address with a /64 to /127 prefix length")
		}
	}
	for k, rt := range e.Routes {
		if !rt.IsValid() || rt != rt.Masked() {
			return fieldErr("routes["+strconv.Itoa(k)+"]", rt.String(), "want a network prefix (host bits zero)")
		}
		if rt.Addr().Is4() && !p.IPv4 || rt.Addr().Is6() && !p.IPv6 {
			return fieldErr("routes["+strconv.Itoa(k)+"]", rt.String(), "address family is off for this service")
		}
	}
	if len(e.Routes) > 0 && p.PECE != PECEStatic {
		return fieldErr("routes", e.Routes[0].String(), "static routes given, but pece is "+p.PECE)
	}
	if p.PECE == PECEBGP && e.PeerAS == 0 && p.CEAS == 0 {
		return fieldErr("peerAs", "", "required for PE–CE BGP (or set attribute ceAs)")
	}
	if p.PECE != PECEBGP && e.PeerAS != 0 {
		return fieldErr("peerAs", e.PeerAS.String(), "given, but pece is "+p.PECE)
	}
	return nil
}

// checkShape checks endpoint counts and roles per realisation.
func (j *job) checkShape() error {
	o := j.o
	n := len(o.Endpoints)
	need := func(min int, what string) error {
		if n < min {
			return orderErr(o, fieldErr("endpoints", strconv.Itoa(n), "need at least "+strconv.Itoa(min)+" "+what))
		}
		return nil
	}
	exactly := func(k int) error {
		if n != k {
			return orderErr(o, fieldErr("endpoints", strconv.Itoa(n), "need exactly "+strconv.Itoa(k)+" for a point-to-point service"))
		}
		return nil
	}
	distinctDevs := func() error {
		first := map[string]int{}
		for i, d := range j.devs {
			if k, dup := first[d.Name]; dup {
				return epErr(o, i, &o.Endpoints[i], fieldErr("device", d.Name, "same device as endpoints["+strconv.Itoa(k)+"]; this service needs distinct devices"))
			}
			first[d.Name] = i
		}
		return nil
	}
	hubSpoke := func() error {
		if len(j.spokes) > 0 && len(j.hubs) == 0 {
			i := j.spokes[0]
			return epErr(o, i, &o.Endpoints[i], fieldErr("role", "spoke", "spoke without a hub"))
		}
		if len(j.hubs) == 0 {
			return orderErr(o, fieldErr("endpoints", "", "need at least one hub"))
		}
		if len(j.spokes) == 0 {
			return orderErr(o, fieldErr("endpoints", "", "need at least one spoke"))
		}
		return nil
	}
	switch j.def.realisation {
	case DefELineLDP, DefELineBGP, DefLSPP2P:
		if err := exactly(2); err != nil {
			return err
		}
		return distinctDevs()
	case DefVPLSBGP, DefVPLSLDP, DefL3VPNFullMesh:
		if err := need(2, "for a multipoint service"); err != nil {
			return err
		}
		if j.def.realisation == DefVPLSBGP {
			return j.oneSitePerDevice()
		}
	case DefVPLSMultihoming:
		if err := need(2, "for a multipoint service"); err != nil {
			return err
		}
		if err := j.oneSitePerDevice(); err != nil {
			return err
		}
		return j.checkMultihoming()
	case DefVPLSHubSpoke:
		if err := need(2, "for a multipoint service"); err != nil {
			return err
		}
		if err := hubSpoke(); err != nil {
			return err
		}
		seen := map[string]int{}
		for _, i := range j.spokes {
			d := j.devs[i].Name
			if k, dup := seen[d]; dup {
				return epErr(o, i, &o.Endpoints[i], fieldErr("device", d, "spoke device already used by endpoints["+strconv.Itoa(k)+"]"))
			}
			seen[d] = i
		}
		for _, i := range j.hubs {
			if k, dup := seen[j.devs[i].Name]; dup {
				return epErr(o, i, &o.Endpoints[i], fieldErr("device", j.devs[i].Name, "device is a spoke in endpoints["+strconv.Itoa(k)+"] and a hub"))
			}
		}
	case DefL3VPNHubSpoke:
		if err := need(2, "for a multipoint service"); err != nil {
			return err
		}
		if err := hubSpoke(); err != nil {
			return err
		}
		role := map[string]Role{}
		for i, d := range j.devs {
			r := o.Endpoints[i].Role
			if prev, ok := role[d.Name]; ok && prev != r {
				return epErr(o, i, &o.Endpoints[i], fieldErr("role", string(r), "device "+d.Name+" already has role "+string(prev)))
			}
			role[d.Name] = r
		}
	case DefLSPP2MP, DefLSPMesh:
		if err := need(2, "PEs"); err != nil {
			return err
		}
		return distinctDevs()
	case DefStaticLSP:
		if err := need(3, "devices: ingress, transit and egress"); err != nil {
			return err
		}
		return distinctDevs()
	case DefMobileBackhaul:
		if len(j.hubs) == 0 {
			return orderErr(o, fieldErr("endpoints", "", "need at least one hub"))
		}
		if len(o.CellSites) == 0 {
			return orderErr(o, fieldErr("cellSites", "", "need at least one cell site"))
		}
	}
	return nil
}

func siteOf(e *Endpoint) string {
	if e.Site != "" {
		return e.Site
	}
	return e.Device
}

func (j *job) oneSitePerDevice() error {
	site := map[string]string{}
	for i, d := range j.devs {
		e := &j.o.Endpoints[i]
		s := siteOf(e)
		if prev, ok := site[d.Name]; ok && prev != s {
			return epErr(j.o, i, e, fieldErr("site", s, "device "+d.Name+" already has site "+prev+"; one site per PE"))
		}
		site[d.Name] = s
	}
	return nil
}

func (j *job) checkMultihoming() error {
	o := j.o
	pes := map[string][]int{}
	var order []string
	for i := range o.Endpoints {
		s := siteOf(&o.Endpoints[i])
		if _, ok := pes[s]; !ok {
			order = append(order, s)
		}
		pes[s] = append(pes[s], i)
	}
	multi := false
	for _, s := range order {
		idx := pes[s]
		devs := map[string]bool{}
		for _, i := range idx {
			devs[j.devs[i].Name] = true
		}
		if len(devs) > 2 {
			return epErr(o, idx[2], &o.Endpoints[idx[2]], fieldErr("site", s, "a site is multihomed to at most two PEs"))
		}
		if len(devs) == 2 {
			multi = true
			prim, backup := 0, 0
			for _, i := range idx {
				switch o.Endpoints[i].SitePreference {
				case SitePrimary:
					prim++
				case SiteBackup:
					backup++
				}
			}
			if prim > 1 {
				return epErr(o, idx[1], &o.Endpoints[idx[1]], fieldErr("sitePreference", SitePrimary, "site "+s+" has two primaries"))
			}
			if backup == len(idx) {
				return epErr(o, idx[len(idx)-1], &o.Endpoints[idx[len(idx)-1]], fieldErr("sitePreference", SiteBackup, "site "+s+" has no primary"))
			}
		}
	}
	if !multi {
		return orderErr(o, fieldErr("endpoints", "", "no site is attached to two PEs (give two endpoints the same site)"))
	}
	return nil
}

func (j *job) checkCellSites(inv *Inventory, port bool) error {
	o := j.o
	names := make(map[string]int, len(o.CellSites))
	unis := make(map[string]int, len(o.CellSites))
	for i := range o.CellSites {
		c := &o.CellSites[i]
		bad := func(err error) error {
			return fmt.Errorf("design: order %q: cellSites[%d] (%s): %w", o.Name, i, c.Name, err)
		}
		if err := CheckName("name", c.Name); err != nil {
			return bad(err)
		}
		if len(o.Name)+1+len(c.Name) > 64 {
			return bad(fieldErr("name", c.Name, "service name "+o.Name+"-"+c.Name+" longer than 64 characters"))
		}
		if k, dup := names[c.Name]; dup {
			return bad(fieldErr("name", c.Name, "duplicate of cellSites["+strconv.Itoa(k)+"]"))
		}
		names[c.Name] = i
		d, ok := inv.Device(c.Device)
		if !ok {
			return bad(fieldErr("device", c.Device, "not in the inventory"))
		}
		f, ok := d.interfaceOf(c.Interface)
		if !ok {
			return bad(fieldErr("interface", c.Interface, "not on device "+d.Name))
		}
		if f.Role != UNI {
			return bad(fieldErr("interface", c.Interface, "is an nni, not a uni"))
		}
		if c.VLAN != 0 && port || c.HubVLAN != 0 && port {
			return bad(fieldErr("vlan", c.VLAN.String(), "given for a port-based service"))
		}
		if c.VLAN != 0 && !c.VLAN.IsValid() || c.HubVLAN != 0 && !c.HubVLAN.IsValid() {
			return bad(fieldErr("vlan", c.VLAN.String(), "out of range 1-4094"))
		}
		if c.Hub != nil && (*c.Hub < 0 || *c.Hub >= len(o.Endpoints)) {
			return bad(fieldErr("hub", strconv.Itoa(*c.Hub), "no such endpoint"))
		}
		if port {
			k := c.Device + "\x00" + c.Interface
			if prev, dup := unis[k]; dup {
				return bad(fieldErr("interface", c.Interface, "port already used by cellSites["+strconv.Itoa(prev)+"]"))
			}
			unis[k] = i
		}
		for _, h := range j.hubs {
			if j.devs[h].Name == d.Name {
				return bad(fieldErr("device", d.Name, "is also a hub"))
			}
		}
	}
	return nil
}

// keySet remembers keys with the index that added them: a slice for the
// few endpoints of most orders, a map beyond.
type keySet[K comparable] struct {
	keys []K
	idx  []int
	m    map[K]int
}

func newKeySet[K comparable](n int) *keySet[K] {
	if n > 16 {
		return &keySet[K]{m: make(map[K]int, n)}
	}
	return &keySet[K]{keys: make([]K, 0, n), idx: make([]int, 0, n)}
}

// add records k for index i, or returns the index that recorded it first.
func (s *keySet[K]) add(k K, i int) (int, bool) {
	if s.m != nil {
		if first, ok := s.m[k]; ok {
			return first, true
		}
		s.m[k] = i
		return 0, false
	}
	for j, x := range s.keys {
		if x == k {
			return s.idx[j], true
		}
	}
	s.keys = append(s.keys, k)
	s.idx = append(s.idx, i)
	return 0, false
}
