package render

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/carrierkit/carrierkit/design"
	"github.com/carrierkit/carrierkit/internal/jtree"
	"github.com/carrierkit/carrierkit/netid"
)

// Renderer renders Junos configuration reusing its working memory between
// calls, for bulk rendering. The zero Renderer is ready to use. A Renderer
// is not safe for concurrent use; use one per goroutine. The package-level
// functions make a fresh one per call.
type Renderer struct {
	t     *jtree.Tree
	units map[string]bool
	used  map[string]int
	refs  []ref
	num   []byte
}

// ref is one reference from a pseudowire or instance to a logical
// interface, for checkRefs; the field name is built only for errors.
type ref struct {
	format string // "l2circuits[%d].interface", or a plain name if idx < 0
	idx    int
	name   string
}

func (x ref) field() string {
	if x.idx < 0 {
		return x.format
	}
	return fmt.Sprintf(x.format, x.idx)
}

// Junos renders the configuration device intent d of service svc asks of a
// Juniper device, in format f (FormatSet, FormatText or FormatXML). It
// checks d with its Validate method first. Errors are *[Error] wrapping
// [ErrInvalid], [ErrUnsupported] or [ErrFormat].
func Junos(svc design.Service, d design.DeviceIntent, f Format) (Artifact, error) {
	var r Renderer
	return r.Junos(svc, &d, f)
}

// Junos is like the package-level [Junos] but reuses r's memory; the
// returned Body is never shared.
func (r *Renderer) Junos(svc design.Service, d *design.DeviceIntent, f Format) (Artifact, error) {
	if err := checkDevice(&svc, d); err != nil {
		return Artifact{}, err
	}
	body, err := r.junos(nil, &svc, d, f, false)
	if err != nil {
		return Artifact{}, err
	}
	return Artifact{Device: d.Device, Vendor: design.VendorJuniper, Format: f, Body: body}, nil
}

// AppendJunos appends the configuration of d (as [Renderer.Junos]) to b.
// The intent must have passed [design.Service.Validate]; AppendJunos does
// not check it again, which is what makes it fast for bulk rendering.
func (r *Renderer) AppendJunos(b []byte, svc *design.Service, d *design.DeviceIntent, f Format) ([]byte, error) {
	return r.junos(b, svc, d, f, false)
}

func checkDevice(svc *design.Service, d *design.DeviceIntent) error {
	if err := design.CheckName("name", svc.Name); err != nil {
		return &Error{Service: svc.Name, Field: "name", Err: fmt.Errorf("%w: %w", ErrInvalid, err)}
	}
	if err := d.Validate(); err != nil {
		return &Error{Service: svc.Name, Device: d.Device, Err: fmt.Errorf("%w: %w", ErrInvalid, err)}
	}
	return nil
}

// junos builds the tree for d and prints it (or its removal) in f.
func (r *Renderer) junos(b []byte, svc *design.Service, d *design.DeviceIntent, f Format, remove bool) ([]byte, error) {
	if d.Platform.Vendor != design.VendorJuniper {
		return nil, &Error{Service: svc.Name, Device: d.Device, Field: "platform.vendor",
			Err: fmt.Errorf("%w: %q is not a Juniper device", ErrUnsupported, d.Platform.Vendor)}
	}
	if f != FormatSet && f != FormatText && f != FormatXML {
		return nil, &Error{Service: svc.Name, Device: d.Device, Err: fmt.Errorf("%w: %s for Junos", ErrFormat, f)}
	}
	if r.t == nil {
		r.t = jtree.New()
	} else {
		r.t.Reset()
	}
	if err := r.build(svc, d); err != nil {
		return nil, err
	}
	if err := r.t.Err(); err != nil {
		return nil, &Error{Service: svc.Name, Device: d.Device, Err: fmt.Errorf("%w: %w", ErrInvalid, err)}
	}
	if err := guardFamily(r.t, d.Platform); err != nil {
		return nil, &Error{Service: svc.Name, Device: d.Device, Err: err}
	}
	if b == nil {
		b = make([]byte, 0, 64*r.t.Len())
	}
	switch {
	case f == FormatSet && !remove:
		b = r.t.AppendSet(b)
	case f == FormatSet:
		b = r.t.AppendDeleteSet(b)
	case f == FormatText && !remove:
		b = r.t.AppendText(b)
	case f == FormatText:
		b = r.t.AppendDeleteText(b)
	case !remove:
		b = r.t.AppendXML(b)
	default:
		b = r.t.AppendDeleteXML(b)
	}
	return b, nil
}

// Family of a Junos platform, for the statements only some families have.
type family uint8

const (
	famJunos family = iota // MX, ACX, PTX, M, EX…
	famES                  // SRX, vSRX
	famNFX                 // NFX
)

func familyOf(p design.Platform) family {
	switch strings.ToUpper(p.Series) {
	case "SRX", "VSRX":
		return famES
	case "NFX":
		return famNFX
	}
	return famJunos
}

// familyOnly lists top-level statements that exist only in some families
// (junos.md, "Validating Junos XML"): security in junos-es and junos-nfx,
// the VNF and vmhost trees in junos-nfx.
var familyOnly = map[string][]family{
	"security":                  {famES, famNFX},
	"virtual-network-functions": {famNFX},
	"vmhost":                    {famNFX},
}

// guardFamily refuses a tree with statements the platform's family lacks,
// so that SRX/NFX-only configuration never reaches an MX.
func guardFamily(t *jtree.Tree, p design.Platform) error {
	fam := familyOf(p)
	var err error
	for st := range t.TopLevel {
		fams, ok := familyOnly[st]
		if !ok {
			continue
		}
		allowed := false
		for _, f := range fams {
			allowed = allowed || f == fam
		}
		if !allowed {
			err = fmt.Errorf("%w: %q statements exist only on SRX/NFX, not on %s %s", ErrUnsupported, st, p.Series, p.Model)
			break
		}
	}
	return err
}

func isACX(p design.Platform) bool { return strings.EqualFold(p.Series, "ACX") }
func isPTX(p design.Platform) bool { return strings.EqualFold(p.Series, "PTX") }

// fieldErr is an *Error for one field of device d.
func fieldErr(svc *design.Service, d *design.DeviceIntent, field string, sentinel error, format string, args ...any) error {
	return &Error{Service: svc.Name, Device: d.Device, Field: field, Err: fmt.Errorf("%w: %s", sentinel, fmt.Sprintf(format, args...))}
}

// Description returns text made safe for configuration: each run of
// control characters, line or paragraph separators, U+FFFE/U+FFFF and
// spaces becomes one space, invalid UTF-8 becomes U+FFFD, and the result is trimmed.
// Quoting and escaping of what remains is left to the printers. Render
// applies it to every description; names are never rewritten (design
// restricts them, and the printers refuse control characters in any
// value).
func Description(s string) string {
	clean := true
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f || c == ' ' && (i == 0 || i == len(s)-1 || s[i-1] == ' ') {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	var sb strings.Builder
	space := false
	for _, c := range s {
		if c == utf8.RuneError || !(jtree.IsControl(c) || c == ' ') {
			if space && sb.Len() > 0 {
				sb.WriteByte(' ')
			}
			space = false
			sb.WriteRune(c)
			continue
		}
		space = true
	}
	return sb.String()
}

func pick(a, b string) string {
	if a != "" {
		return Description(a)
	}
	return Description(b)
}

// smallNumbers holds the text of 0-4095 (units, VLAN IDs), so that the
// commonest numbers cost no allocation.
var smallNumbers = func() (t [4096]string) {
	for i := range t {
		t[i] = strconv.Itoa(i)
	}
	return t
}()

func (r *Renderer) itoa(v uint64) string {
	if v < uint64(len(smallNumbers)) {
		return smallNumbers[v]
	}
	r.num = strconv.AppendUint(r.num[:0], v, 10)
	return string(r.num)
}

// bandwidth writes a bit rate as Junos takes it: bits per second or a
// number with k, m or g.
func bandwidth(b netid.Bitrate) string {
	switch {
	case b%1_000_000_000 == 0:
		return strconv.FormatUint(uint64(b/1_000_000_000), 10) + "g"
	case b%1_000_000 == 0:
		return strconv.FormatUint(uint64(b/1_000_000), 10) + "m"
	case b%1_000 == 0:
		return strconv.FormatUint(uint64(b/1_000), 10) + "k"
	}
	return strconv.FormatUint(uint64(b), 10)
}

// build fills r.t with everything d asks for. Statements are added in the
// order Junos displays them; list entries keep intent order (design sorts
// them).
func (r *Renderer) build(svc *design.Service, d *design.DeviceIntent) error {
	t := r.t
	if err := r.checkRefs(svc, d); err != nil {
		return err
	}
	if len(d.Attachments) > 0 {
		if err := r.interfaces(svc, d); err != nil {
			return err
		}
	}
	// protocols: mpls (LSPs), l2circuit.
	if len(d.LSPs) > 0 || len(d.StaticLSPs) > 0 {
		r.mpls(svc, d)
	}
	if len(d.L2Circuits) > 0 {
		l2c := t.Container(t.Container(jtree.Root, "protocols"), "l2circuit")
		for i := range d.L2Circuits {
			c := &d.L2Circuits[i]
			nb := t.Entry(l2c, "neighbor", c.Neighbor.String())
			ifc := t.Own(t.Entry(nb, "interface", c.Interface))
			t.Leaf(ifc, "virtual-circuit-id", r.itoa(uint64(c.VCID)))
			if desc := pick(c.Description, svc.Description); desc != "" {
				t.Leaf(ifc, "description", desc)
			}
			if !c.ControlWord {
				t.Flag(ifc, "no-control-word")
			}
			if c.MTU != 0 {
				t.Leaf(ifc, "mtu", r.itoa(uint64(c.MTU)))
			}
			t.Leaf(ifc, "encapsulation-type", c.Encapsulation)
			if c.Backup != nil {
				bn := t.Entry(ifc, "backup-neighbor", c.Backup.Neighbor.String())
				if c.Backup.VCID != 0 {
					t.Leaf(bn, "virtual-circuit-id", r.itoa(uint64(c.Backup.VCID)))
				}
				if c.Backup.Standby {
					t.Flag(bn, "standby")
				}
			}
		}
	}
	if d.VRF != nil && d.VRF.ImportPolicy != "" {
		r.policies(d.VRF)
	}
	if d.L2VPN != nil {
		r.l2vpn(svc, d.L2VPN)
	}
	if d.VPLS != nil {
		if isPTX(d.Platform) {
			return fieldErr(svc, d, "vpls", ErrUnsupported, "carrierkit renders no VPLS on PTX (core LSR) devices")
		}
		r.vpls(svc, d.VPLS)
	}
	if d.VRF != nil {
		r.vrf(svc, d.VRF)
	}
	return nil
}

// checkRefs checks that every logical interface the instances and
// pseudowires name is one of the device's attachments, and that no unit
// is used twice.
func (r *Renderer) checkRefs(svc *design.Service, d *design.DeviceIntent) error {
	if len(d.Attachments) == 0 && len(d.L2Circuits) == 0 && d.L2VPN == nil && d.VPLS == nil && d.VRF == nil {
		return nil
	}
	has := func(name string) bool {
		for i := range d.Attachments {
			a := &d.Attachments[i]
			if len(name) > len(a.Interface) && name[len(a.Interface)] == '.' && strings.HasPrefix(name, a.Interface) &&
				name[len(a.Interface)+1:] == r.itoa(uint64(a.Unit)) {
				return true
			}
		}
		return false
	}
	if len(d.Attachments) > 16 {
		if r.units == nil {
			r.units = make(map[string]bool)
		}
		clear(r.units)
		for i := range d.Attachments {
			n := d.Attachments[i].Name()
			if r.units[n] {
				return fieldErr(svc, d, fmt.Sprintf("attachments[%d]", i), ErrInvalid, "unit %s appears twice", n)
			}
			r.units[n] = true
		}
		has = func(name string) bool { return r.units[name] }
	}
	r.refs = r.refs[:0]
	for i := range d.L2Circuits {
		r.refs = append(r.refs, ref{"l2circuits[%d].interface", i, d.L2Circuits[i].Interface})
	}
	if d.L2VPN != nil {
		r.refs = append(r.refs, ref{"l2vpn.interface", -1, d.L2VPN.Interface})
	}
	if d.VPLS != nil {
		for i, n := range d.VPLS.Interfaces {
			r.refs = append(r.refs, ref{"vpls.interfaces[%d]", i, n})
		}
	}
	if d.VRF != nil {
		for i, n := range d.VRF.Interfaces {
			r.refs = append(r.refs, ref{"vrf.interfaces[%d]", i, n})
		}
	}
	big := len(r.refs) > 16
	if big {
		if r.used == nil {
			r.used = make(map[string]int)
		}
		clear(r.used)
	}
	for i, x := range r.refs {
		if !has(x.name) {
			return fieldErr(svc, d, x.field(), ErrInvalid, "interface %s is not one of the device's attachments", x.name)
		}
		prev := -1
		if big {
			if j, ok := r.used[x.name]; ok {
				prev = j
			}
			r.used[x.name] = i
		} else {
			for j := range i {
				if r.refs[j].name == x.name {
					prev = j
					break
				}
			}
		}
		if prev >= 0 {
			return fieldErr(svc, d, x.field(), ErrInvalid, "interface %s is already used by %s", x.name, r.refs[prev].field())
		}
	}
	return nil
}

// interfaces writes the attachments' units. Physical-interface statements
// (tagging mode, flexible-ethernet-services) are shared with other
// services and never removed; units, and the encapsulation of a port a
// port-based service owns, are.
func (r *Renderer) interfaces(svc *design.Service, d *design.DeviceIntent) error {
	t := r.t
	ifs := t.Container(jtree.Root, "interfaces")
	acx := isACX(d.Platform)
	for i := range d.Attachments {
		a := &d.Attachments[i]
		field := func(sub string) string { return fmt.Sprintf("attachments[%d]%s", i, sub) }
		ifd := t.NamelessEntry(ifs, "interface", a.Interface)
		tagged := a.VLAN != 0
		if tagged {
			switch {
			case acx && a.InnerVLAN != 0:
				return fieldErr(svc, d, field(".innerVlan"), ErrUnsupported, "carrierkit renders no double-tagged UNIs on ACX")
			case acx:
				// ACX: plain 802.1Q tagging; flexible-ethernet-services is
				// one of the port encapsulations ACX takes (see doc.go,
				// "Platforms").
				t.Flag(ifd, "vlan-tagging")
				t.Leaf(ifd, "encapsulation", "flexible-ethernet-services")
			default:
				t.Flag(ifd, "flexible-vlan-tagging")
				t.Leaf(ifd, "encapsulation", "flexible-ethernet-services")
			}
		}
		switch a.Encapsulation {
		case design.UnitEthernetVPLS:
			if acx {
				return fieldErr(svc, d, field(".encapsulation"), ErrUnsupported, "ACX ports take no ethernet-vpls encapsulation")
			}
			fallthrough
		case design.UnitEthernetCCC:
			t.Own(t.Leaf(ifd, "encapsulation", a.Encapsulation))
		}
		unit := t.Own(t.Entry(ifd, "unit", r.itoa(uint64(a.Unit))))
		if desc := pick(a.Description, svc.Description); desc != "" {
			t.Leaf(unit, "description", desc)
		}
		switch a.Encapsulation {
		case design.UnitVLANCCC, design.UnitVLANVPLS:
			t.Leaf(unit, "encapsulation", a.Encapsulation)
		}
		if tagged {
			if a.InnerVLAN != 0 {
				vt := t.SetStyle(t.Container(unit, "vlan-tags"), jtree.Oneliner)
				t.Leaf(vt, "outer", r.itoa(uint64(a.VLAN)))
				t.Leaf(vt, "inner", r.itoa(uint64(a.InnerVLAN)))
			} else {
				t.Leaf(unit, "vlan-id", r.itoa(uint64(a.VLAN)))
			}
		}
		switch a.VLANMap {
		case design.VLANMapPop:
			t.Flag(t.Container(unit, "input-vlan-map"), "pop")
			t.Flag(t.Container(unit, "output-vlan-map"), "push")
		case design.VLANMapPush:
			in := t.Container(unit, "input-vlan-map")
			t.Flag(in, "push")
			t.Leaf(in, "vlan-id", r.itoa(uint64(a.NormalVLAN)))
			t.Flag(t.Container(unit, "output-vlan-map"), "pop")
		case design.VLANMapSwap:
			in := t.Container(unit, "input-vlan-map")
			t.Flag(in, "swap")
			t.Leaf(in, "vlan-id", r.itoa(uint64(a.NormalVLAN)))
			t.Flag(t.Container(unit, "output-vlan-map"), "swap")
		}
		switch a.Encapsulation {
		case design.UnitEthernetCCC:
			t.Flag(t.SetStyle(t.Container(unit, "family"), jtree.Flat), "ccc")
		case design.UnitVLANVPLS, design.UnitEthernetVPLS:
			t.Flag(t.SetStyle(t.Container(unit, "family"), jtree.Flat), "vpls")
		case design.UnitInet:
			if !a.Address.IsValid() && !a.Address6.IsValid() {
				return fieldErr(svc, d, field(".address"), ErrInvalid, "a routed unit needs an IPv4 or IPv6 address")
			}
			fam := t.SetStyle(t.Container(unit, "family"), jtree.Flat)
			if a.Address.IsValid() {
				t.Entry(t.Container(fam, "inet"), "address", a.Address.String())
			}
			if a.Address6.IsValid() {
				t.Entry(t.Container(fam, "inet6"), "address", a.Address6.String())
			}
		}
	}
	return nil
}

func (r *Renderer) mpls(svc *design.Service, d *design.DeviceIntent) {
	t := r.t
	mpls := t.Container(t.Container(jtree.Root, "protocols"), "mpls")
	for i := range d.LSPs {
		l := &d.LSPs[i]
		lsp := t.Own(t.Entry(mpls, "label-switched-path", l.Name))
		t.Leaf(lsp, "to", l.To.String())
		bw := l.Bandwidth
		if bw == 0 {
			bw = svc.Params.Bandwidth
		}
		if bw != 0 {
			t.WrappedLeaf(lsp, "bandwidth", "per-traffic-class-bandwidth", bandwidth(bw))
		}
		if l.NoCSPF || svc.Params.NoCSPF {
			t.Flag(lsp, "no-cspf")
		}
		if l.P2MP != "" {
			t.WrappedLeaf(lsp, "p2mp", "path_name", l.P2MP)
		}
		if l.Primary != nil {
			t.Entry(lsp, "primary", l.Primary.Name)
		}
		if l.Secondary != nil {
			sec := t.Entry(lsp, "secondary", l.Secondary.Name)
			if l.Secondary.Standby || svc.Params.StandbySecondary {
				t.Flag(sec, "standby")
			}
		}
	}
	for i := range d.LSPs {
		for _, p := range []*design.LSPPath{d.LSPs[i].Primary, d.LSPs[i].Secondary} {
			if p == nil {
				continue
			}
			path := t.Entry(mpls, "path", p.Name)
			if len(p.Hops) == 0 {
				// A dynamic path ("path any;") may serve other LSPs:
				// shared, never removed.
				continue
			}
			t.Own(path)
			for _, h := range p.Hops {
				hop := t.SetStyle(t.NamelessEntry(path, "path-list", h.Addr.String()), jtree.Oneliner)
				if h.Strict {
					t.Flag(hop, "strict")
				} else {
					t.Flag(hop, "loose")
				}
			}
		}
	}
	for i := range d.StaticLSPs {
		s := &d.StaticLSPs[i]
		sl := t.Own(t.Entry(mpls, "static-label-switched-path", s.Name))
		if s.Ingress {
			in := t.Container(sl, "ingress")
			t.Leaf(in, "to", s.To.String())
			t.Leaf(in, "next-hop", s.NextHop.String())
			t.Leaf(in, "push", r.itoa(uint64(s.Push)))
			continue
		}
		tr := t.Entry(sl, "transit", r.itoa(uint64(s.InLabel)))
		t.Leaf(tr, "next-hop", s.NextHop.String())
		if s.Swap.IsValid() {
			t.Leaf(tr, "swap", r.itoa(uint64(s.Swap)))
		} else {
			t.Flag(tr, "pop")
		}
	}
}

// instance opens routing-instances NAME with its description and type.
func (r *Renderer) instance(name, desc, typ string) jtree.Ref {
	t := r.t
	ri := t.Own(t.NamelessEntry(t.Container(jtree.Root, "routing-instances"), "instance", name))
	if desc != "" {
		t.Leaf(ri, "description", desc)
	}
	t.Leaf(ri, "instance-type", typ)
	return ri
}

func (r *Renderer) l2vpn(svc *design.Service, l *design.L2VPNInstance) {
	t := r.t
	ri := r.instance(l.Name, pick(l.Description, svc.Description), "l2vpn")
	t.Entry(ri, "interface", l.Interface)
	t.WrappedLeaf(ri, "route-distinguisher", "rd-type", l.RD.String())
	t.WrappedLeaf(ri, "vrf-target", "community", l.RT.String())
	p := t.Container(t.Container(ri, "protocols"), "l2vpn")
	t.Leaf(p, "encapsulation-type", l.Encapsulation)
	if !l.ControlWord {
		t.Flag(p, "no-control-word")
	}
	if l.MTU != 0 {
		t.Leaf(p, "mtu", r.itoa(uint64(l.MTU)))
	}
	site := t.Entry(p, "site", l.SiteName)
	t.Leaf(site, "site-identifier", r.itoa(uint64(l.SiteID)))
	t.Leaf(t.Entry(site, "interface", l.Interface), "remote-site-id", r.itoa(uint64(l.RemoteSiteID)))
}

func (r *Renderer) vpls(svc *design.Service, v *design.VPLSInstance) {
	t := r.t
	ri := r.instance(v.Name, pick(v.Description, svc.Description), "vpls")
	for _, n := range v.Interfaces {
		t.Entry(ri, "interface", n)
	}
	if v.Signalling == design.SignallingBGP {
		t.WrappedLeaf(ri, "route-distinguisher", "rd-type", v.RD.String())
		t.WrappedLeaf(ri, "vrf-target", "community", v.RT.String())
	}
	p := t.Container(t.Container(ri, "protocols"), "vpls")
	if v.SiteRange != 0 {
		t.Leaf(p, "site-range", r.itoa(uint64(v.SiteRange)))
	}
	if v.NoTunnelServices {
		t.Flag(p, "no-tunnel-services")
	}
	if v.MACTableSize != 0 {
		t.WrappedLeaf(p, "mac-table-size", "limit", r.itoa(uint64(v.MACTableSize)))
	}
	// Junos' order (23.4R2 YANG): vpls-id, then mtu, then the neighbors.
	if v.Signalling == design.SignallingLDP {
		t.Leaf(p, "vpls-id", r.itoa(uint64(v.VPLSID)))
	}
	if v.MTU != 0 {
		t.Leaf(p, "mtu", r.itoa(uint64(v.MTU)))
	}
	if v.Signalling == design.SignallingLDP {
		for _, n := range v.Neighbors {
			t.Entry(p, "neighbor", n.String())
		}
		for _, g := range v.MeshGroups {
			mg := t.Entry(p, "mesh-group", g.Name)
			t.Leaf(mg, "vpls-id", r.itoa(uint64(g.VPLSID)))
			if g.LocalSwitching {
				t.Flag(mg, "local-switching")
			}
			for _, n := range g.Neighbors {
				t.Entry(mg, "neighbor", n.String())
			}
		}
		return
	}
	site := t.Entry(p, "site", v.SiteName)
	t.Leaf(site, "site-identifier", r.itoa(uint64(v.SiteID)))
	if v.SitePreference != "" {
		t.Leaf(site, "site-preference", v.SitePreference)
	}
	for _, n := range v.Interfaces {
		t.Entry(site, "interface", n)
	}
}

// policies writes the communities and policy statements of a
// hub-and-spoke VRF (see design.VRFInstance).
func (r *Renderer) policies(v *design.VRFInstance) {
	t := r.t
	po := t.Container(jtree.Root, "policy-options")
	ip := t.Own(t.Entry(po, "policy-statement", v.ImportPolicy))
	t1 := t.Entry(ip, "term", "1")
	t.LeafList(t.Container(t1, "from"), "community", v.ImportCommunity)
	t.Flag(t.Container(t1, "then"), "accept")
	t.Flag(t.Container(t.Entry(ip, "term", "2"), "then"), "reject")
	if v.ExportPolicy != v.ImportPolicy {
		ep := t.Own(t.Entry(po, "policy-statement", v.ExportPolicy))
		then := t.Container(t.Entry(ep, "term", "1"), "then")
		t.KeywordEntry(then, "community", "add", "community-name", v.ExportCommunity)
		t.Flag(then, "accept")
	}
	imp := t.Own(t.Entry(po, "community", v.ImportCommunity))
	for _, rt := range v.ImportRTs {
		t.LeafList(imp, "members", rt.String())
	}
	if v.ExportCommunity != v.ImportCommunity {
		exp := t.Own(t.Entry(po, "community", v.ExportCommunity))
		for _, rt := range v.ExportRTs {
			t.LeafList(exp, "members", rt.String())
		}
	}
}

func (r *Renderer) vrf(svc *design.Service, v *design.VRFInstance) {
	t := r.t
	ri := r.instance(v.Name, pick(v.Description, svc.Description), "vrf")
	for _, n := range v.Interfaces {
		t.Entry(ri, "interface", n)
	}
	t.WrappedLeaf(ri, "route-distinguisher", "rd-type", v.RD.String())
	switch {
	case v.ImportPolicy != "":
		t.LeafList(ri, "vrf-import", v.ImportPolicy)
		t.LeafList(ri, "vrf-export", v.ExportPolicy)
	case v.ImportRTs[0] == v.ExportRTs[0]:
		t.WrappedLeaf(ri, "vrf-target", "community", v.ImportRTs[0].String())
	default:
		vt := t.Container(ri, "vrf-target")
		t.Leaf(vt, "import", v.ImportRTs[0].String())
		t.Leaf(vt, "export", v.ExportRTs[0].String())
	}
	if v.VRFTableLabel {
		t.Flag(ri, "vrf-table-label")
	}
	if len(v.StaticRoutes) > 0 {
		ro := t.Container(ri, "routing-options")
		var st4, st6 jtree.Ref = -1, -1
		for _, s := range v.StaticRoutes {
			var st jtree.Ref
			if s.Prefix.Addr().Is4() {
				if st4 < 0 {
					st4 = t.Container(ro, "static")
				}
				st = st4
			} else {
				if st6 < 0 {
					st6 = t.Container(t.Entry(ro, "rib", v.Name+".inet6.0"), "static")
				}
				st = st6
			}
			rt := t.SetStyle(t.Entry(st, "route", s.Prefix.Masked().String()), jtree.Oneliner)
			t.LeafList(rt, "next-hop", s.NextHop.String())
		}
	}
	if len(v.BGPNeighbors) > 0 {
		g := t.Entry(t.Container(t.Container(ri, "protocols"), "bgp"), "group", v.BGPGroup)
		t.Leaf(g, "type", "external")
		for _, p := range v.BGPNeighbors {
			if p.ASOverride {
				t.Flag(g, "as-override")
				break
			}
		}
		for _, p := range v.BGPNeighbors {
			nb := t.Entry(g, "neighbor", p.Addr.String())
			if p.Addr.Is6() {
				t.Flag(t.Container(t.SetStyle(t.Container(nb, "family"), jtree.Flat), "inet6"), "unicast")
			}
			t.Leaf(nb, "peer-as", p.PeerAS.String())
		}
	}
}

// keptSet renders the set lines of the statements a removal of d leaves
// in place (for tests).
func (r *Renderer) keptSet(svc *design.Service, d *design.DeviceIntent) ([]byte, error) {
	if _, err := r.junos(nil, svc, d, FormatSet, false); err != nil {
		return nil, err
	}
	return r.t.AppendKeptSet(nil), nil
}
