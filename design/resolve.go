package design

import (
	"cmp"
	"context"
	"fmt"
	"net/netip"
	"slices"
	"strconv"
	"strings"

	"github.com/carrierkit/carrierkit/netid"
	"github.com/carrierkit/carrierkit/pool"
)

// Result is one designed service and the claim it holds.
type Result struct {
	Service Service
	// Claim is what the service holds in pool (owner = service name);
	// empty for services that claim nothing (RSVP LSPs).
	Claim pool.Claim
}

// Design checks o against def and inv, claims every value the service
// needs from cl in one claim (owner = o.Name) and returns the service.
// Designing the same order again returns the same service: claims are
// idempotent. An order of a bulk definition (mobile backhaul) designs
// several services; use [DesignAll] for it.
//
// Errors wrap [ErrInvalid] for a bad order, or come from cl (pool.ErrTaken,
// pool.ErrExhausted, pool.ErrMismatch, …).
func Design(ctx context.Context, cl Claimer, inv *Inventory, def *Definition, o *Order) (Service, error) {
	if def != nil && def.realisation == DefMobileBackhaul {
		return Service{}, orderErr(o, fieldErr("definition", o.Definition, "designs one service per cell site; use DesignAll"))
	}
	rs, err := DesignAll(ctx, cl, inv, def, o)
	if err != nil {
		return Service{}, err
	}
	return rs[0].Service, nil
}

// DesignAll designs every service of o: one, or one per cell site for
// mobile backhaul, each with its own claim. The whole order is checked
// before anything is claimed; if a claim then fails, the services claimed
// before it keep their values, and designing the order again resumes
// where it stopped.
func DesignAll(ctx context.Context, cl Claimer, inv *Inventory, def *Definition, o *Order) ([]Result, error) {
	return run(ctx, cl.Claim, inv, def, o)
}

// Plan is the dry run of [DesignAll]: it previews the claims and builds the
// services, keeping nothing. Previews of a bulk order's services are made
// independently, so two of them may show the same value.
func Plan(ctx context.Context, cl Claimer, inv *Inventory, def *Definition, o *Order) ([]Result, error) {
	return run(ctx, cl.Preview, inv, def, o)
}

type claimFunc func(ctx context.Context, owner string, reqs ...pool.Request) (pool.Claim, error)

func run(ctx context.Context, claim claimFunc, inv *Inventory, def *Definition, o *Order) ([]Result, error) {
	j, err := prepare(inv, def, o)
	if err != nil {
		return nil, err
	}
	jobs := []*job{j}
	if def.realisation == DefMobileBackhaul {
		jobs = j.split()
	}
	out := make([]Result, 0, len(jobs))
	var reqs []pool.Request
	for _, j := range jobs {
		reqs, err = j.requests(reqs[:0])
		if err != nil {
			return out, err
		}
		var c pool.Claim
		if len(reqs) > 0 {
			c, err = claim(ctx, j.o.Name, reqs...)
			if err != nil {
				return out, fmt.Errorf("design: order %q: claim: %w", j.o.Name, err)
			}
		}
		svc, err := j.build(c)
		if err != nil {
			return out, err
		}
		out = append(out, Result{Service: svc, Claim: c})
	}
	return out, nil
}

// split turns a mobile backhaul job into one E-LINE job per cell site.
func (j *job) split() []*job {
	o := j.o
	out := make([]*job, len(o.CellSites))
	subs := make([]Order, len(o.CellSites))
	eps := make([]Endpoint, 2*len(o.CellSites))
	for i := range o.CellSites {
		c := &o.CellSites[i]
		h := j.hubs[i%len(j.hubs)]
		if c.Hub != nil {
			h = *c.Hub
		}
		hub := o.Endpoints[h]
		e := eps[2*i : 2*i+2 : 2*i+2]
		e[0] = Endpoint{Device: c.Device, Interface: c.Interface, VLAN: c.VLAN, Site: c.Name, Description: hub.Description}
		e[1] = Endpoint{Device: hub.Device, Interface: hub.Interface, VLAN: c.HubVLAN, Role: RoleHub, Site: c.Name, Description: hub.Description}
		subs[i] = Order{Name: o.Name + "-" + c.Name, Definition: o.Definition, Description: o.Description, Attributes: o.Attributes, Endpoints: e}
		cell, _ := deviceOf(j, c.Device)
		out[i] = &job{invent: j.invent, o: &subs[i], def: j.def, params: j.params, devs: []*Device{cell, j.devs[h]}, hubs: []int{1}}
	}
	return out
}

// deviceOf finds a device by name among the inventory entries the job
// resolved; the cell site devices were checked by prepare.
func deviceOf(j *job, name string) (*Device, bool) {
	return j.invent.Device(name)
}

// Request names within a claim.
const (
	reqVCID      = "vcid"
	reqVPLSID    = "vpls-id"
	reqSpokeVCID = "spoke-vcid"
	reqRT        = "rt"
	reqRTHub     = "rt-hub"
	reqRTSpoke   = "rt-spoke"
)

func reqVLAN(i int) string  { return "vlan." + strconv.Itoa(i) }
func reqPort(i int) string  { return "port." + strconv.Itoa(i) }
func reqV4(i int) string    { return "v4." + strconv.Itoa(i) }
func reqV6(i int) string    { return "v6." + strconv.Itoa(i) }
func reqRD(d string) string { return "rd." + d }
func reqLabel(i int) string { return "label." + strconv.Itoa(i) }

// sameVLAN returns the one explicit VLAN of a layer-2 job without VLAN
// normalisation, where every UNI must use the same VLAN; it is an error
// for endpoints to name different ones.
func (j *job) sameVLAN() (netid.VLANID, error) {
	o := j.o
	if j.def.Type == TypeL3VPN || j.params.VLANMap != VLANMapNone {
		return 0, nil
	}
	var fixed netid.VLANID
	for i := range o.Endpoints {
		e := &o.Endpoints[i]
		if !j.vlanBased(i) || e.VLAN == 0 {
			continue
		}
		if fixed != 0 && e.VLAN != fixed {
			return 0, epErr(o, i, e, fieldErr("vlan", e.VLAN.String(), "differs from VLAN "+fixed.String()+" of another endpoint; without a vlanMap every UNI uses one VLAN"))
		}
		fixed = e.VLAN
	}
	return fixed, nil
}

// vlanBased reports whether endpoint i's unit is VLAN-tagged.
func (j *job) vlanBased(i int) bool {
	switch j.def.Type {
	case TypeL3VPN:
		return j.params.VLANMode != VLANModePort
	case TypeELine, TypeELineBGP, TypeVPLS:
		if j.def.realisation == DefMobileBackhaul && j.o.Endpoints[i].Role == RoleHub {
			return true // many pseudowires end on one hub port
		}
		return j.params.VLANMode != VLANModePort
	}
	return false
}

// requests appends the pool requests of the job to reqs.
func (j *job) requests(reqs []pool.Request) ([]pool.Request, error) {
	o := j.o
	r := j.def.realisation
	// VLANs. Layer-2 services without VLAN normalisation need one VLAN at
	// every UNI: the explicit one if any endpoint names it, else a number
	// free on every UNI.
	same := j.def.Type != TypeL3VPN && j.params.VLANMap == VLANMapNone
	fixedVLAN, err := j.sameVLAN()
	if err != nil {
		return nil, err
	}
	root := ""
	for i := range o.Endpoints {
		if !j.vlanBased(i) {
			if j.def.Type == TypeELine || j.def.Type == TypeELineBGP || j.def.Type == TypeVPLS || j.def.Type == TypeL3VPN {
				e := &o.Endpoints[i]
				reqs = append(reqs, pool.Request{Name: reqPort(i), Pool: PoolPort, Scope: e.Device + ":" + e.Interface, Value: "1"})
			}
			continue
		}
		e := &o.Endpoints[i]
		rq := pool.Request{Name: reqVLAN(i), Pool: PoolVLAN, Scope: e.Device + ":" + e.Interface}
		switch {
		case e.VLAN != 0:
			rq.Value = e.VLAN.String()
		case same && fixedVLAN != 0:
			rq.Value = fixedVLAN.String()
		case same && root != "":
			rq.SameAs = root
		}
		if same && root == "" {
			root = rq.Name
		}
		reqs = append(reqs, rq)
	}
	switch r {
	case DefELineLDP, DefMobileBackhaul:
		reqs = append(reqs, pool.Request{Name: reqVCID, Pool: PoolVCID})
	case DefVPLSLDP:
		reqs = append(reqs, pool.Request{Name: reqVPLSID, Pool: PoolVCID})
	case DefVPLSHubSpoke:
		reqs = append(reqs, pool.Request{Name: reqVPLSID, Pool: PoolVCID}, pool.Request{Name: reqSpokeVCID, Pool: PoolVCID})
	case DefStaticLSP:
		for i := 1; i < len(o.Endpoints)-1; i++ {
			reqs = append(reqs, pool.Request{Name: reqLabel(i), Pool: PoolStaticLabel, Scope: o.Endpoints[i].Device})
		}
	}
	switch r {
	case DefELineBGP, DefVPLSBGP, DefVPLSMultihoming, DefL3VPNFullMesh:
		reqs = append(reqs, pool.Request{Name: reqRT, Pool: PoolRT})
	case DefL3VPNHubSpoke:
		reqs = append(reqs, pool.Request{Name: reqRTHub, Pool: PoolRT}, pool.Request{Name: reqRTSpoke, Pool: PoolRT})
	}
	switch r {
	case DefELineBGP, DefVPLSBGP, DefVPLSMultihoming, DefL3VPNFullMesh, DefL3VPNHubSpoke:
		for _, d := range j.deviceNames() {
			reqs = append(reqs, pool.Request{Name: reqRD(d), Pool: PoolRD})
		}
	}
	if j.def.Type == TypeL3VPN {
		for i := range o.Endpoints {
			e := &o.Endpoints[i]
			if j.params.IPv4 && !e.Address.IsValid() {
				reqs = append(reqs, pool.Request{Name: reqV4(i), Pool: PoolPECE4, Length: 31})
			}
			if j.params.IPv6 && !e.Address6.IsValid() {
				reqs = append(reqs, pool.Request{Name: reqV6(i), Pool: PoolPECE6, Length: 127})
			}
		}
	}
	return reqs, nil
}

// deviceNames returns the endpoints' distinct device names, sorted.
func (j *job) deviceNames() []string {
	ns := make([]string, 0, len(j.devs))
	for _, d := range j.devs {
		ns = append(ns, d.Name)
	}
	slices.Sort(ns)
	return slices.Compact(ns)
}

// claimed reads the values of a claim by request name.
type claimed struct {
	c   pool.Claim
	err error
}

func (c *claimed) get(name string) pool.Value {
	for _, it := range c.c.Items {
		if it.Name == name {
			return it.Value
		}
	}
	if c.err == nil {
		c.err = fmt.Errorf("design: claim %q has no value %q: %w", c.c.Owner, name, ErrInvalid)
	}
	return pool.Value{}
}

// builder accumulates device intents.
type builder struct {
	j    *job
	svc  Service
	devs []*DeviceIntent // in order of first use
	cl   *claimed
}

func (b *builder) dev(d *Device) *DeviceIntent {
	for _, di := range b.devs {
		if di.Device == d.Name {
			return di
		}
	}
	di := &DeviceIntent{Device: d.Name, Platform: d.Platform, Loopback: d.Loopback}
	b.devs = append(b.devs, di)
	return di
}

// build computes the service from the job and its claim.
func (j *job) build(c pool.Claim) (Service, error) {
	o := j.o
	b := &builder{j: j, devs: make([]*DeviceIntent, 0, len(j.devs)), cl: &claimed{c: c}}
	b.svc = Service{Name: o.Name, Definition: j.def.Name, Type: j.def.Type, Description: o.Description, Params: j.params}
	p := &b.svc.Params
	if p.Encapsulation == "" && (j.def.Type == TypeELine || j.def.Type == TypeELineBGP || j.def.Type == TypeVPLS) {
		// VLAN-based E-LINEs carry the tag (ethernet-vlan); port-based
		// ones, popped tags and VPLS (whose Junos default is ethernet, which
		// H-VPLS spokes must match) use ethernet.
		p.Encapsulation = EncapEthernetVLAN
		if p.VLANMode == VLANModePort || p.VLANMap == VLANMapPop || j.def.Type == TypeVPLS {
			p.Encapsulation = EncapEthernet
		}
	}
	var err error
	switch j.def.realisation {
	case DefELineLDP, DefMobileBackhaul:
		b.eline()
	case DefELineBGP:
		b.elineBGP()
	case DefVPLSBGP, DefVPLSMultihoming:
		err = b.vplsBGP()
	case DefVPLSLDP:
		b.vplsLDP()
	case DefVPLSHubSpoke:
		b.hvpls()
	case DefL3VPNFullMesh, DefL3VPNHubSpoke:
		err = b.l3vpn()
	case DefLSPP2P, DefLSPP2MP, DefLSPMesh:
		b.lsps()
	case DefStaticLSP:
		b.staticLSP()
	default:
		err = orderErr(o, fieldErr("definition", j.def.Name, "no realisation "+j.def.realisation))
	}
	if err == nil {
		err = b.cl.err
	}
	if err != nil {
		return Service{}, err
	}
	b.svc.Devices = make([]DeviceIntent, 0, len(b.devs))
	for _, di := range b.devs {
		sortIntent(di)
		b.svc.Devices = append(b.svc.Devices, *di)
	}
	slices.SortFunc(b.svc.Devices, func(x, y DeviceIntent) int { return strings.Compare(x.Device, y.Device) })
	return b.svc, nil
}

func sortIntent(di *DeviceIntent) {
	slices.SortFunc(di.Attachments, func(x, y Attachment) int {
		return cmp.Or(strings.Compare(x.Interface, y.Interface), cmp.Compare(x.Unit, y.Unit))
	})
	slices.SortFunc(di.L2Circuits, func(x, y L2Circuit) int {
		return cmp.Or(x.Neighbor.Compare(y.Neighbor), strings.Compare(x.Interface, y.Interface))
	})
	slices.SortFunc(di.LSPs, func(x, y LSP) int { return strings.Compare(x.Name, y.Name) })
	slices.SortFunc(di.StaticLSPs, func(x, y StaticLSP) int {
		return cmp.Or(strings.Compare(x.Name, y.Name), cmp.Compare(x.InLabel, y.InLabel))
	})
	if di.VPLS != nil {
		slices.Sort(di.VPLS.Interfaces)
		slices.SortFunc(di.VPLS.Neighbors, netip.Addr.Compare)
	}
	if di.VRF != nil {
		slices.Sort(di.VRF.Interfaces)
		slices.SortFunc(di.VRF.StaticRoutes, func(x, y StaticRoute) int {
			return cmp.Or(x.Prefix.Addr().Compare(y.Prefix.Addr()), cmp.Compare(x.Prefix.Bits(), y.Prefix.Bits()), x.NextHop.Compare(y.NextHop))
		})
		slices.SortFunc(di.VRF.BGPNeighbors, func(x, y CEPeer) int { return x.Addr.Compare(y.Addr) })
	}
}

// attach adds endpoint i's UNI to its device and returns the logical
// interface name.
func (b *builder) attach(i int, l2enc, portEnc string) (*DeviceIntent, *Attachment) {
	j := b.j
	e := &j.o.Endpoints[i]
	di := b.dev(j.devs[i])
	a := Attachment{Interface: e.Interface, Encapsulation: portEnc, Bandwidth: j.params.Bandwidth, QoSProfile: j.params.QoSProfile, Description: e.Description}
	if a.Description == "" {
		a.Description = j.o.Description
	}
	if j.vlanBased(i) {
		v := b.cl.get(reqVLAN(i)).VLAN()
		a.VLAN, a.InnerVLAN, a.Unit, a.Encapsulation = v, e.InnerVLAN, uint32(v), l2enc
		if j.def.Type != TypeL3VPN {
			a.VLANMap, a.NormalVLAN = j.params.VLANMap, j.params.NormalVLAN
		}
	}
	di.Attachments = append(di.Attachments, a)
	return di, &di.Attachments[len(di.Attachments)-1]
}

func (b *builder) circuit(to *Device, ifc string, vc netid.VCID) L2Circuit {
	p := &b.svc.Params
	return L2Circuit{Neighbor: to.Loopback, Interface: ifc, VCID: vc, Encapsulation: p.Encapsulation, MTU: p.MTU, ControlWord: p.ControlWord, Description: b.svc.Description}
}

func (b *builder) eline() {
	vc := b.cl.get(reqVCID).VCID()
	for i := range 2 {
		di, a := b.attach(i, UnitVLANCCC, UnitEthernetCCC)
		di.Role = b.j.o.Endpoints[i].Role
		di.L2Circuits = append(di.L2Circuits, b.circuit(b.j.devs[1-i], a.Name(), vc))
	}
}

func upper(s string) string { return strings.ToUpper(s) }

func (b *builder) elineBGP() {
	rt := b.cl.get(reqRT).RT()
	for i := range 2 {
		di, a := b.attach(i, UnitVLANCCC, UnitEthernetCCC)
		p := &b.svc.Params
		di.L2VPN = &L2VPNInstance{
			Name: "L2VPN-" + upper(b.svc.Name), RD: b.cl.get(reqRD(di.Device)).RD(), RT: rt,
			Encapsulation: p.Encapsulation, ControlWord: p.ControlWord, MTU: p.MTU,
			SiteName: siteOf(&b.j.o.Endpoints[i]), SiteID: uint32(i + 1), RemoteSiteID: uint32(2 - i),
			Interface: a.Name(), Description: b.svc.Description,
		}
	}
}

func (b *builder) vpls(di *DeviceIntent, sig string) *VPLSInstance {
	if di.VPLS == nil {
		p := &b.svc.Params
		di.VPLS = &VPLSInstance{Name: "VPLS-" + upper(b.svc.Name), Description: b.svc.Description, Signalling: sig,
			NoTunnelServices: true, MACTableSize: p.MACTableSize, MTU: p.MTU}
		if p.Encapsulation == EncapEthernetVLAN {
			di.VPLS.Encapsulation = EncapEthernetVLAN
		}
	}
	return di.VPLS
}

func (b *builder) vplsBGP() error {
	o := b.j.o
	rt := b.cl.get(reqRT).RT()
	ids := map[string]uint32{}
	for i := range o.Endpoints {
		e := &o.Endpoints[i]
		s := siteOf(e)
		if _, ok := ids[s]; !ok {
			ids[s] = uint32(len(ids) + 1)
		}
		di, a := b.attach(i, UnitVLANVPLS, UnitEthernetVPLS)
		v := b.vpls(di, SignallingBGP)
		v.RD, v.RT, v.SiteName, v.SiteID, v.SiteRange = b.cl.get(reqRD(di.Device)).RD(), rt, s, ids[s], b.svc.Params.SiteRange
		v.Interfaces = append(v.Interfaces, a.Name())
		if b.j.def.realisation == DefVPLSMultihoming && b.multihomed(s) {
			v.Multihomed = true
			v.SitePreference = e.SitePreference
			if v.SitePreference == "" {
				v.SitePreference = SiteBackup
				// A site needs a primary: when none is named, the first PE
				// without a preference of its own is it.
				if b.firstUnset(s) == e.Device && !b.hasPrimary(s) {
					v.SitePreference = SitePrimary
				}
			}
		}
	}
	if r := b.svc.Params.SiteRange; r != 0 && uint32(len(ids)) >= r {
		return orderErr(o, fieldErr("attributes.siteRange", strconv.FormatUint(uint64(r), 10), strconv.Itoa(len(ids))+" sites need a larger site range"))
	}
	return nil
}

func (b *builder) multihomed(site string) bool {
	var pe string
	for i := range b.j.o.Endpoints {
		e := &b.j.o.Endpoints[i]
		if siteOf(e) == site {
			if pe != "" && pe != e.Device {
				return true
			}
			pe = e.Device
		}
	}
	return false
}

// firstUnset returns the device of the site's first endpoint that names no
// site preference, or "".
func (b *builder) firstUnset(site string) string {
	for i := range b.j.o.Endpoints {
		e := &b.j.o.Endpoints[i]
		if siteOf(e) == site && e.SitePreference == "" {
			return e.Device
		}
	}
	return ""
}

func (b *builder) hasPrimary(site string) bool {
	for i := range b.j.o.Endpoints {
		e := &b.j.o.Endpoints[i]
		if siteOf(e) == site && e.SitePreference == SitePrimary {
			return true
		}
	}
	return false
}

func (b *builder) vplsLDP() {
	id := b.cl.get(reqVPLSID).VCID()
	for i := range b.j.o.Endpoints {
		di, a := b.attach(i, UnitVLANVPLS, UnitEthernetVPLS)
		v := b.vpls(di, SignallingLDP)
		v.VPLSID = id
		v.Interfaces = append(v.Interfaces, a.Name())
	}
	for _, di := range b.devs {
		for _, d := range b.j.devs {
			if d.Name != di.Device && !slices.Contains(di.VPLS.Neighbors, d.Loopback) {
				di.VPLS.Neighbors = append(di.VPLS.Neighbors, d.Loopback)
			}
		}
	}
}

func (b *builder) hvpls() {
	j := b.j
	id := b.cl.get(reqVPLSID).VCID()
	spokeVC := b.cl.get(reqSpokeVCID).VCID()
	var hubs, spokes []*Device
	for _, i := range j.hubs {
		if !slices.Contains(hubs, j.devs[i]) {
			hubs = append(hubs, j.devs[i])
		}
	}
	for _, i := range j.spokes {
		spokes = append(spokes, j.devs[i])
	}
	for _, i := range j.hubs {
		di, a := b.attach(i, UnitVLANVPLS, UnitEthernetVPLS)
		di.Role = RoleHub
		v := b.vpls(di, SignallingLDP)
		v.VPLSID = id
		v.Interfaces = append(v.Interfaces, a.Name())
		if len(v.MeshGroups) == 0 {
			g := MeshGroup{Name: "spokes", VPLSID: spokeVC, LocalSwitching: true}
			for _, s := range spokes {
				g.Neighbors = append(g.Neighbors, s.Loopback)
			}
			slices.SortFunc(g.Neighbors, netip.Addr.Compare)
			v.MeshGroups = []MeshGroup{g}
			for _, h := range hubs {
				if h.Name != di.Device {
					v.Neighbors = append(v.Neighbors, h.Loopback)
				}
			}
		}
	}
	for _, i := range j.spokes {
		di, a := b.attach(i, UnitVLANCCC, UnitEthernetCCC)
		di.Role = RoleSpoke
		c := b.circuit(hubs[0], a.Name(), spokeVC)
		if len(hubs) > 1 {
			c.Backup = &BackupNeighbor{Neighbor: hubs[1].Loopback, Standby: true}
		}
		di.L2Circuits = append(di.L2Circuits, c)
	}
}

// peerOf returns the CE's address on the PE–CE subnet of pe.
func peerOf(pe netip.Prefix) netip.Addr {
	a := pe.Addr()
	if pe.Bits() == a.BitLen()-1 { // /31, /127: the other address
		b := a.AsSlice()
		b[len(b)-1] ^= 1
		x, _ := netip.AddrFromSlice(b)
		return x
	}
	n := a.Next()
	if n.IsValid() && pe.Masked().Contains(n) && pe.Masked().Contains(n.Next()) {
		return n
	}
	return a.Prev()
}

func (b *builder) l3vpn() error {
	j := b.j
	o := j.o
	p := &b.svc.Params
	hs := j.def.realisation == DefL3VPNHubSpoke
	var rtAll, rtHub, rtSpoke netid.RT
	if hs {
		rtHub, rtSpoke = b.cl.get(reqRTHub).RT(), b.cl.get(reqRTSpoke).RT()
	} else {
		rtAll = b.cl.get(reqRT).RT()
	}
	asCount := map[netid.ASN]int{}
	for i := range o.Endpoints {
		as := o.Endpoints[i].PeerAS
		if as == 0 {
			as = p.CEAS
		}
		asCount[as]++
	}
	up := upper(b.svc.Name)
	for i := range o.Endpoints {
		e := &o.Endpoints[i]
		di, a := b.attach(i, UnitInet, UnitInet)
		if di.VRF == nil {
			v := &VRFInstance{Name: "VRF-" + up, Description: b.svc.Description, RD: b.cl.get(reqRD(di.Device)).RD(), VRFTableLabel: true}
			switch {
			case !hs:
				v.ImportRTs, v.ExportRTs = []netid.RT{rtAll}, []netid.RT{rtAll}
			case e.Role == RoleHub:
				di.Role = RoleHub
				v.ImportRTs, v.ExportRTs = []netid.RT{rtSpoke}, []netid.RT{rtHub}
				v.ImportPolicy, v.ExportPolicy = up+"-HUB-IMPORT", up+"-HUB-EXPORT"
				v.ImportCommunity, v.ExportCommunity = up+"-SPOKE", up+"-HUB"
			default:
				di.Role = RoleSpoke
				v.ImportRTs, v.ExportRTs = []netid.RT{rtHub}, []netid.RT{rtSpoke}
				v.ImportPolicy, v.ExportPolicy = up+"-SPOKE-IMPORT", up+"-SPOKE-EXPORT"
				v.ImportCommunity, v.ExportCommunity = up+"-HUB", up+"-SPOKE"
			}
			di.VRF = v
		}
		v := di.VRF
		v.Interfaces = append(v.Interfaces, a.Name())
		var ce4, ce6 netip.Addr
		if p.IPv4 {
			a.Address = e.Address
			if !a.Address.IsValid() {
				a.Address = netip.PrefixFrom(b.cl.get(reqV4(i)).Addr(), 31)
			}
			ce4 = peerOf(a.Address)
		}
		if p.IPv6 {
			a.Address6 = e.Address6
			if !a.Address6.IsValid() {
				a.Address6 = netip.PrefixFrom(b.cl.get(reqV6(i)).Addr(), 127)
			}
			ce6 = peerOf(a.Address6)
		}
		switch p.PECE {
		case PECEStatic:
			for _, rt := range e.Routes {
				nh := ce4
				if rt.Addr().Is6() {
					nh = ce6
				}
				v.StaticRoutes = append(v.StaticRoutes, StaticRoute{Prefix: rt, NextHop: nh})
			}
		case PECEBGP:
			as := e.PeerAS
			if as == 0 {
				as = p.CEAS
			}
			v.BGPGroup = "CE"
			for _, ce := range []netip.Addr{ce4, ce6} {
				if ce.IsValid() {
					v.BGPNeighbors = append(v.BGPNeighbors, CEPeer{Addr: ce, PeerAS: as, ASOverride: asCount[as] > 1})
				}
			}
		}
	}
	return nil
}

func (b *builder) lsps() {
	j := b.j
	p := &b.svc.Params
	name := b.svc.Name
	mk := func(from, to *Device, lspName string) {
		l := LSP{Name: lspName, To: to.Loopback, Bandwidth: p.Bandwidth, NoCSPF: p.NoCSPF}
		if len(j.via) > 0 && j.def.realisation == DefLSPP2P {
			pp := &LSPPath{Name: name + "-via"}
			for _, d := range j.via {
				pp.Hops = append(pp.Hops, Hop{Addr: d.Loopback})
			}
			l.Primary = pp
		}
		if p.StandbySecondary && j.def.realisation != DefLSPP2MP {
			l.Secondary = &LSPPath{Name: name + "-secondary", Standby: true}
		}
		if j.def.realisation == DefLSPP2MP {
			l.P2MP = name
		}
		di := b.dev(from)
		di.LSPs = append(di.LSPs, l)
	}
	switch j.def.realisation {
	case DefLSPP2P:
		mk(j.devs[0], j.devs[1], name)
	case DefLSPP2MP:
		for _, leaf := range j.devs[1:] {
			mk(j.devs[0], leaf, name+"-"+leaf.Name)
		}
	case DefLSPMesh:
		for _, from := range j.devs {
			for _, to := range j.devs {
				if from != to {
					mk(from, to, name+"-"+from.Name+"-"+to.Name)
				}
			}
		}
	}
	for _, d := range j.devs { // leaves and egresses appear with no LSPs
		b.dev(d)
	}
}

func (b *builder) staticLSP() {
	j := b.j
	o := j.o
	n := len(o.Endpoints)
	label := func(i int) netid.Label { return netid.Label(b.cl.get(reqLabel(i)).Number()) }
	nh := func(i int) netip.Addr {
		f, _ := j.devs[i].interfaceOf(o.Endpoints[i].Interface)
		return f.PeerAddress
	}
	di := b.dev(j.devs[0])
	di.StaticLSPs = append(di.StaticLSPs, StaticLSP{Name: b.svc.Name, Ingress: true, To: j.devs[n-1].Loopback, NextHop: nh(0), Push: label(1)})
	for i := 1; i < n-1; i++ {
		s := StaticLSP{Name: b.svc.Name, InLabel: label(i), NextHop: nh(i)}
		if i+1 < n-1 {
			s.Swap = label(i + 1)
		}
		di := b.dev(j.devs[i])
		di.StaticLSPs = append(di.StaticLSPs, s)
	}
	b.dev(j.devs[n-1])
}
