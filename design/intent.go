package design

import (
	"errors"
	"fmt"
	"net/netip"
	"slices"
	"strconv"
	"strings"

	"github.com/carrierkit/carrierkit/netid"
)

// ServiceType is the kind of service a [Service] realises. The zero
// ServiceType is invalid. Its text form ("eline", "eline-bgp", "vpls",
// "l3vpn", "rsvp-lsp", "static-lsp") is what definitions name as a type.
type ServiceType uint8

// The service types.
const (
	// ELine is a point-to-point Ethernet service over an LDP-signalled
	// pseudowire (Junos l2circuit, Martini / FEC 128). Mobile backhaul
	// pseudowires are TypeELine services too.
	TypeELine ServiceType = iota + 1
	// ELineBGP is a point-to-point Ethernet service in a BGP-signalled
	// l2vpn routing instance (Kompella).
	TypeELineBGP
	// VPLS is a multipoint Ethernet service (E-LAN) in a vpls routing
	// instance, BGP- or LDP-signalled, full mesh, hub-and-spoke (H-VPLS)
	// or multihomed; see [Params.Signalling] and [Params.Topology].
	TypeVPLS
	// L3VPN is an IP VPN in vrf routing instances (RFC 4364).
	TypeL3VPN
	// LSP is a set of RSVP-TE label-switched paths: point-to-point,
	// point-to-multipoint or a full mesh between PEs.
	TypeLSP
	// StaticLSP is a statically labelled LSP: an ingress push and transit
	// swaps along a path.
	TypeStaticLSP
)

var serviceTypeNames = [...]string{
	TypeELine:     "eline",
	TypeELineBGP:  "eline-bgp",
	TypeVPLS:      "vpls",
	TypeL3VPN:     "l3vpn",
	TypeLSP:       "rsvp-lsp",
	TypeStaticLSP: "static-lsp",
}

// IsValid reports whether t is one of the defined service types.
func (t ServiceType) IsValid() bool {
	return t >= TypeELine && int(t) < len(serviceTypeNames)
}

// String returns the type's text form, or "invalid service type".
func (t ServiceType) String() string {
	if !t.IsValid() {
		return "invalid service type"
	}
	return serviceTypeNames[t]
}

// ParseServiceType parses the text form written by [ServiceType.String].
func ParseServiceType(s string) (ServiceType, error) {
	for i, n := range serviceTypeNames {
		if n != "" && n == s {
			return ServiceType(i), nil
		}
	}
	return 0, fmt.Errorf("design: parse service type %q: want one of %s: %w", s, strings.Join(serviceTypeNames[1:], ", "), ErrInvalid)
}

// MarshalText implements encoding.TextMarshaler; the zero type marshals as
// empty text.
func (t ServiceType) MarshalText() ([]byte, error) {
	if t == 0 {
		return nil, nil
	}
	if !t.IsValid() {
		return nil, fmt.Errorf("design: marshal service type %d: %w", uint8(t), ErrInvalid)
	}
	return []byte(t.String()), nil
}

// UnmarshalText implements encoding.TextUnmarshaler; empty text is the zero
// type.
func (t *ServiceType) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*t = 0
		return nil
	}
	v, err := ParseServiceType(string(b))
	if err != nil {
		return err
	}
	*t = v
	return nil
}

// Values of the string-valued attributes of [Params] and the intent types.
// They are plain strings so that definitions and orders can name them; each
// Validate method checks them against these lists.
const (
	// Pseudowire and l2vpn encapsulation-type.
	EncapEthernet     = "ethernet"      // port based (ethernet-ccc / ethernet-vpls units)
	EncapEthernetVLAN = "ethernet-vlan" // VLAN based (vlan-ccc / vlan-vpls units)

	// Signalling.
	SignallingLDP    = "ldp"
	SignallingBGP    = "bgp"
	SignallingRSVP   = "rsvp"
	SignallingStatic = "static"

	// Topology.
	TopologyP2P         = "p2p"
	TopologyP2MP        = "p2mp"
	TopologyFullMesh    = "full-mesh"
	TopologyHubAndSpoke = "hub-and-spoke"
	TopologyMultihomed  = "multihomed"

	// PE–CE routing of an L3VPN attachment.
	PECEStatic = "static"
	PECEBGP    = "bgp"

	// VLAN mode of a layer-2 attachment.
	VLANModePort = "port"
	VLANModeVLAN = "vlan"

	// VLAN normalisation of a layer-2 attachment (input-vlan-map /
	// output-vlan-map). VLANMapPop: pop the UNI tag on input, push it on
	// output. VLANMapPush: push NormalVLAN on input, pop on output.
	// VLANMapSwap: swap the UNI tag for NormalVLAN on input and back on
	// output.
	VLANMapNone = ""
	VLANMapPop  = "pop"
	VLANMapPush = "push"
	VLANMapSwap = "swap"

	// Site preference of a multihomed VPLS site.
	SitePrimary = "primary"
	SiteBackup  = "backup"

	// Junos unit encapsulations an [Attachment] asks for.
	UnitVLANCCC      = "vlan-ccc"
	UnitEthernetCCC  = "ethernet-ccc"
	UnitVLANVPLS     = "vlan-vpls"
	UnitEthernetVPLS = "ethernet-vpls"
	UnitInet         = "inet" // plain routed unit (family inet / inet6)
)

// Params are a service's resolved attributes: a definition's defaults with
// the order's overrides applied. The zero value of each field means "not
// set; render leaves the device default".
type Params struct {
	// MTU is the pseudowire / VPLS MTU in bytes (l2circuit mtu), 0 = unset.
	MTU uint32 `json:"mtu,omitempty" yaml:"mtu,omitempty"`
	// Encapsulation is the pseudowire encapsulation-type: EncapEthernet or
	// EncapEthernetVLAN.
	Encapsulation string `json:"encapsulation,omitempty" yaml:"encapsulation,omitempty"`
	// ControlWord asks for the pseudowire control word; false renders
	// no-control-word on l2circuits.
	ControlWord bool `json:"controlWord,omitempty" yaml:"controlWord,omitempty"`
	// Bandwidth is the committed rate: the RSVP LSP bandwidth, and the
	// policer/shaper rate of UNIs when render applies QoS.
	Bandwidth netid.Bitrate `json:"bandwidth,omitempty" yaml:"bandwidth,omitempty"`
	// QoSProfile names a QoS profile (class of service) known to the
	// operator; free of spaces ([A-Za-z0-9._-]).
	QoSProfile string `json:"qosProfile,omitempty" yaml:"qosProfile,omitempty"`
	// Signalling is SignallingLDP, SignallingBGP, SignallingRSVP or
	// SignallingStatic.
	Signalling string `json:"signalling,omitempty" yaml:"signalling,omitempty"`
	// Topology is TopologyP2P, TopologyP2MP, TopologyFullMesh,
	// TopologyHubAndSpoke or TopologyMultihomed.
	Topology string `json:"topology,omitempty" yaml:"topology,omitempty"`
	// PECE is the PE–CE routing of an L3VPN: PECEStatic or PECEBGP.
	PECE string `json:"pece,omitempty" yaml:"pece,omitempty"`
	// VLANMode is VLANModePort or VLANModeVLAN for layer-2 services.
	VLANMode string `json:"vlanMode,omitempty" yaml:"vlanMode,omitempty"`
	// VLANMap is the VLAN normalisation applied at every UNI (VLANMap*).
	VLANMap string `json:"vlanMap,omitempty" yaml:"vlanMap,omitempty"`
	// NormalVLAN is the service-wide VLAN that VLANMapPush/VLANMapSwap
	// normalise to.
	NormalVLAN netid.VLANID `json:"normalVlan,omitempty" yaml:"normalVlan,omitempty"`
	// SiteRange is the VPLS / l2vpn site-range, 0 = unset.
	SiteRange uint32 `json:"siteRange,omitempty" yaml:"siteRange,omitempty"`
	// MACTableSize is the VPLS mac-table-size limit, 0 = unset.
	MACTableSize uint32 `json:"macTableSize,omitempty" yaml:"macTableSize,omitempty"`
	// IPv4 and IPv6 say which address families an L3VPN attachment gets.
	IPv4 bool `json:"ipv4,omitempty" yaml:"ipv4,omitempty"`
	IPv6 bool `json:"ipv6,omitempty" yaml:"ipv6,omitempty"`
	// CEAS is the customer AS for PE–CE BGP when the order gives none per
	// site.
	CEAS netid.ASN `json:"ceAs,omitempty" yaml:"ceAs,omitempty"`
	// NoCSPF turns off constrained path computation on RSVP LSPs.
	NoCSPF bool `json:"noCspf,omitempty" yaml:"noCspf,omitempty"`
	// StandbySecondary makes RSVP LSPs signal a standby secondary path.
	StandbySecondary bool `json:"standbySecondary,omitempty" yaml:"standbySecondary,omitempty"`
}

// Validate reports the first attribute outside its allowed values.
func (p Params) Validate() error {
	if err := oneOf("encapsulation", p.Encapsulation, "", EncapEthernet, EncapEthernetVLAN); err != nil {
		return err
	}
	if err := oneOf("signalling", p.Signalling, "", SignallingLDP, SignallingBGP, SignallingRSVP, SignallingStatic); err != nil {
		return err
	}
	if err := oneOf("topology", p.Topology, "", TopologyP2P, TopologyP2MP, TopologyFullMesh, TopologyHubAndSpoke, TopologyMultihomed); err != nil {
		return err
	}
	if err := oneOf("pece", p.PECE, "", PECEStatic, PECEBGP); err != nil {
		return err
	}
	if err := oneOf("vlanMode", p.VLANMode, "", VLANModePort, VLANModeVLAN); err != nil {
		return err
	}
	if err := oneOf("vlanMap", p.VLANMap, VLANMapNone, VLANMapPop, VLANMapPush, VLANMapSwap); err != nil {
		return err
	}
	if p.MTU != 0 && (p.MTU < 64 || p.MTU > 9216) {
		return fieldErr("mtu", strconv.FormatUint(uint64(p.MTU), 10), "out of range 64-9216")
	}
	if p.QoSProfile != "" {
		if err := CheckName("qosProfile", p.QoSProfile); err != nil {
			return err
		}
	}
	if p.NormalVLAN != 0 && !p.NormalVLAN.IsValid() {
		return fieldErr("normalVlan", p.NormalVLAN.String(), "out of range 1-4094")
	}
	if (p.VLANMap == VLANMapPush || p.VLANMap == VLANMapSwap) && p.NormalVLAN == 0 {
		return fieldErr("normalVlan", "", "required with vlanMap "+p.VLANMap)
	}
	if p.SiteRange > 65534 {
		return fieldErr("siteRange", strconv.FormatUint(uint64(p.SiteRange), 10), "out of range 1-65534")
	}
	return nil
}

// Service is one designed service: everything render needs to configure
// every device it touches. Services are plain data; design builds them and
// nothing else mutates them.
type Service struct {
	// Name is the service's unique name and its owner key in pool:
	// 1–64 characters from [A-Za-z0-9._-], starting with a letter or digit.
	Name string `json:"name"`
	// Definition is the catalog or custom definition it was designed from.
	Definition string `json:"definition"`
	// Type is the base service type.
	Type ServiceType `json:"type"`
	// Description is free user text. Render must quote or escape it.
	Description string `json:"description,omitempty"`
	// Params are the resolved attributes.
	Params Params `json:"params"`
	// Devices holds one intent per device touched, sorted by device name.
	Devices []DeviceIntent `json:"devices"`
}

// Validate checks the service and every device intent in it: the name, the
// type, the parameters, that devices are sorted and unique.
func (s *Service) Validate() error {
	if err := CheckName("name", s.Name); err != nil {
		return svcErr(s.Name, err)
	}
	if !s.Type.IsValid() {
		return svcErr(s.Name, fieldErr("type", s.Type.String(), "unknown"))
	}
	if err := s.Params.Validate(); err != nil {
		return svcErr(s.Name, err)
	}
	if len(s.Devices) == 0 {
		return svcErr(s.Name, fieldErr("devices", "", "empty"))
	}
	for i := range s.Devices {
		d := &s.Devices[i]
		if i > 0 && s.Devices[i-1].Device >= d.Device {
			return svcErr(s.Name, fieldErr(fmt.Sprintf("devices[%d].device", i), d.Device, "not sorted or duplicate"))
		}
		if err := d.Validate(); err != nil {
			return svcErr(s.Name, fmt.Errorf("devices[%d] (%s): %w", i, d.Device, err))
		}
	}
	return nil
}

// Device returns the intent for the named device, if the service touches it.
func (s *Service) Device(name string) (*DeviceIntent, bool) {
	i, ok := slices.BinarySearchFunc(s.Devices, name, func(d DeviceIntent, n string) int { return strings.Compare(d.Device, n) })
	if !ok {
		return nil, false
	}
	return &s.Devices[i], true
}

// Vendors of a [Platform].
const (
	VendorJuniper = "juniper"
	VendorNokia   = "nokia"
)

// Platform identifies the kind of device: Vendor (VendorJuniper or
// VendorNokia), Model ("mx480", "acx7100-48l", "7750-sr1") and Series ("MX",
// "ACX", "PTX", "SRX", "NFX", "7750").
type Platform struct {
	Vendor string `json:"vendor" yaml:"vendor"`
	Model  string `json:"model" yaml:"model"`
	Series string `json:"series" yaml:"series"`
}

// Validate checks that the vendor is known and the model and series are
// safe names.
func (p Platform) Validate() error {
	if err := oneOf("platform.vendor", p.Vendor, VendorJuniper, VendorNokia); err != nil {
		return err
	}
	if p.Model != "" {
		if err := CheckName("platform.model", p.Model); err != nil {
			return err
		}
	}
	if p.Series != "" {
		if err := CheckName("platform.series", p.Series); err != nil {
			return err
		}
	}
	return nil
}

// Role is a device's or site's role in a hub-and-spoke service: RoleNone,
// RoleHub or RoleSpoke.
type Role string

// The roles.
const (
	RoleNone  Role = ""
	RoleHub   Role = "hub"
	RoleSpoke Role = "spoke"
)

// IsValid reports whether r is one of the defined roles.
func (r Role) IsValid() bool { return r == RoleNone || r == RoleHub || r == RoleSpoke }

// DeviceIntent is what one service asks of one device. Everything render
// writes is here, including every name it uses (unit numbers, instance,
// policy, community and LSP names): design decides names once so that
// render, validation, the simulator and decommissioning agree.
type DeviceIntent struct {
	// Device is the inventory name ([A-Za-z0-9._-]).
	Device   string   `json:"device"`
	Platform Platform `json:"platform"`
	// Loopback is the device's router ID: the address other PEs use as
	// l2circuit/VPLS neighbor and LSP destination.
	Loopback netip.Addr `json:"loopback"`
	// Role is the device's role in a hub-and-spoke service.
	Role Role `json:"role,omitempty"`
	// Attachments are the UNIs (customer-facing logical units) the
	// service uses on this device, sorted by interface then unit.
	Attachments []Attachment `json:"attachments,omitempty"`
	// L2Circuits are LDP pseudowires (protocols l2circuit), sorted by
	// neighbor then interface.
	L2Circuits []L2Circuit `json:"l2circuits,omitempty"`
	// L2VPN is the BGP-signalled E-LINE instance, if any.
	L2VPN *L2VPNInstance `json:"l2vpn,omitempty"`
	// VPLS is the VPLS instance, if any.
	VPLS *VPLSInstance `json:"vpls,omitempty"`
	// VRF is the L3VPN instance, if any.
	VRF *VRFInstance `json:"vrf,omitempty"`
	// LSPs are RSVP LSPs this device is the ingress of, sorted by name.
	LSPs []LSP `json:"lsps,omitempty"`
	// StaticLSPs are static LSP ingress and transit entries on this
	// device, sorted by name.
	StaticLSPs []StaticLSP `json:"staticLsps,omitempty"`
}

// Validate checks the device intent and everything in it.
func (d *DeviceIntent) Validate() error {
	if err := CheckName("device", d.Device); err != nil {
		return err
	}
	if err := d.Platform.Validate(); err != nil {
		return err
	}
	if !d.Loopback.IsValid() {
		return fieldErr("loopback", "", "required")
	}
	if !d.Role.IsValid() {
		return fieldErr("role", string(d.Role), "want hub, spoke or empty")
	}
	for i := range d.Attachments {
		if err := d.Attachments[i].Validate(); err != nil {
			return fmt.Errorf("attachments[%d]: %w", i, err)
		}
	}
	for i := range d.L2Circuits {
		if err := d.L2Circuits[i].Validate(); err != nil {
			return fmt.Errorf("l2circuits[%d]: %w", i, err)
		}
	}
	if d.L2VPN != nil {
		if err := d.L2VPN.Validate(); err != nil {
			return fmt.Errorf("l2vpn: %w", err)
		}
	}
	if d.VPLS != nil {
		if err := d.VPLS.Validate(); err != nil {
			return fmt.Errorf("vpls: %w", err)
		}
	}
	if d.VRF != nil {
		if err := d.VRF.Validate(); err != nil {
			return fmt.Errorf("vrf: %w", err)
		}
	}
	for i := range d.LSPs {
		if err := d.LSPs[i].Validate(); err != nil {
			return fmt.Errorf("lsps[%d]: %w", i, err)
		}
	}
	for i := range d.StaticLSPs {
		if err := d.StaticLSPs[i].Validate(); err != nil {
			return fmt.Errorf("staticLsps[%d]: %w", i, err)
		}
	}
	return nil
}

// Attachment is one customer-facing logical interface (UNI) of a service.
type Attachment struct {
	// Interface is the physical interface ("ge-0/0/1").
	Interface string `json:"interface"`
	// Unit is the logical unit: the VLAN ID for VLAN-based services, 0 for
	// port-based ones.
	Unit uint32 `json:"unit"`
	// Encapsulation is the unit encapsulation render writes: UnitVLANCCC,
	// UnitEthernetCCC, UnitVLANVPLS, UnitEthernetVPLS or UnitInet. For a
	// VLAN-tagged unit render also sets flexible-vlan-tagging and
	// encapsulation flexible-ethernet-services on the interface.
	Encapsulation string `json:"encapsulation"`
	// VLAN is the outer VLAN of the unit; 0 means port mode (untagged,
	// whole port).
	VLAN netid.VLANID `json:"vlan,omitempty"`
	// InnerVLAN is the inner tag of a double-tagged (QinQ) unit; 0 = none.
	InnerVLAN netid.VLANID `json:"innerVlan,omitempty"`
	// VLANMap is the normalisation (VLANMapNone, VLANMapPop, VLANMapPush,
	// VLANMapSwap) and NormalVLAN the VLAN pushed or swapped to.
	VLANMap    string       `json:"vlanMap,omitempty"`
	NormalVLAN netid.VLANID `json:"normalVlan,omitempty"`
	// Address and Address6 are the PE's addresses on an L3 unit, host bits
	// kept ("10.0.0.0/31"); zero when not used.
	Address  netip.Prefix `json:"address,omitzero"`
	Address6 netip.Prefix `json:"address6,omitzero"`
	// Bandwidth and QoSProfile are the service's rate and class, repeated
	// here for render's input/output policers; zero when unset.
	Bandwidth  netid.Bitrate `json:"bandwidth,omitempty"`
	QoSProfile string        `json:"qosProfile,omitempty"`
	// Description is free text (render quotes it).
	Description string `json:"description,omitempty"`
}

// Name returns the logical interface name "ge-0/0/1.100".
func (a Attachment) Name() string {
	return a.Interface + "." + strconv.FormatUint(uint64(a.Unit), 10)
}

// Validate checks the attachment.
func (a Attachment) Validate() error {
	if err := CheckInterface("interface", a.Interface); err != nil {
		return err
	}
	if err := oneOf("encapsulation", a.Encapsulation, UnitVLANCCC, UnitEthernetCCC, UnitVLANVPLS, UnitEthernetVPLS, UnitInet); err != nil {
		return err
	}
	if a.VLAN != 0 && !a.VLAN.IsValid() {
		return fieldErr("vlan", a.VLAN.String(), "out of range 1-4094")
	}
	if a.InnerVLAN != 0 && (!a.InnerVLAN.IsValid() || a.VLAN == 0) {
		return fieldErr("innerVlan", a.InnerVLAN.String(), "needs a valid outer vlan")
	}
	switch a.Encapsulation {
	case UnitVLANCCC, UnitVLANVPLS:
		if a.VLAN == 0 {
			return fieldErr("vlan", "", "required with encapsulation "+a.Encapsulation)
		}
	case UnitEthernetCCC, UnitEthernetVPLS:
		if a.VLAN != 0 || a.Unit != 0 {
			return fieldErr("vlan", a.VLAN.String(), "port-based unit must be unit 0 without vlan")
		}
	}
	if err := oneOf("vlanMap", a.VLANMap, VLANMapNone, VLANMapPop, VLANMapPush, VLANMapSwap); err != nil {
		return err
	}
	if a.VLANMap != VLANMapNone && a.VLAN == 0 {
		return fieldErr("vlanMap", a.VLANMap, "needs a vlan")
	}
	if (a.VLANMap == VLANMapPush || a.VLANMap == VLANMapSwap) && !a.NormalVLAN.IsValid() {
		return fieldErr("normalVlan", a.NormalVLAN.String(), "required with vlanMap "+a.VLANMap)
	}
	if a.Address.IsValid() && !a.Address.Addr().Is4() {
		return fieldErr("address", a.Address.String(), "not IPv4")
	}
	if a.Address6.IsValid() && !a.Address6.Addr().Is6() {
		return fieldErr("address6", a.Address6.String(), "not IPv6")
	}
	if a.QoSProfile != "" {
		if err := CheckName("qosProfile", a.QoSProfile); err != nil {
			return err
		}
	}
	return nil
}

// L2Circuit is one LDP-signalled pseudowire end (protocols l2circuit
// neighbor N interface I).
type L2Circuit struct {
	// Neighbor is the remote PE's loopback.
	Neighbor netip.Addr `json:"neighbor"`
	// Interface is the local logical interface ("ge-0/0/1.100").
	Interface string `json:"interface"`
	// VCID is the virtual-circuit-id, equal at both ends.
	VCID netid.VCID `json:"vcid"`
	// Encapsulation is EncapEthernet or EncapEthernetVLAN.
	Encapsulation string `json:"encapsulation"`
	// MTU is the pseudowire MTU; 0 = unset.
	MTU uint32 `json:"mtu,omitempty"`
	// ControlWord false renders no-control-word.
	ControlWord bool `json:"controlWord,omitempty"`
	// Description is free text.
	Description string `json:"description,omitempty"`
	// Backup is a standby backup neighbor, if any.
	Backup *BackupNeighbor `json:"backup,omitempty"`
}

// BackupNeighbor is an l2circuit backup-neighbor.
type BackupNeighbor struct {
	Neighbor netip.Addr `json:"neighbor"`
	// VCID is the backup pseudowire's virtual-circuit-id; 0 = same as the
	// primary.
	VCID    netid.VCID `json:"vcid,omitempty"`
	Standby bool       `json:"standby,omitempty"`
}

// Validate checks the pseudowire.
func (c L2Circuit) Validate() error {
	if !c.Neighbor.IsValid() {
		return fieldErr("neighbor", "", "required")
	}
	if err := CheckInterface("interface", c.Interface); err != nil {
		return err
	}
	if !c.VCID.IsValid() {
		return fieldErr("vcid", c.VCID.String(), "required")
	}
	if err := oneOf("encapsulation", c.Encapsulation, EncapEthernet, EncapEthernetVLAN); err != nil {
		return err
	}
	if c.Backup != nil {
		if !c.Backup.Neighbor.IsValid() {
			return fieldErr("backup.neighbor", "", "required")
		}
		if c.Backup.Neighbor == c.Neighbor {
			return fieldErr("backup.neighbor", c.Backup.Neighbor.String(), "same as neighbor")
		}
	}
	return nil
}

// L2VPNInstance is a BGP-signalled E-LINE routing instance (instance-type
// l2vpn) with one local site.
type L2VPNInstance struct {
	// Name is the routing-instance name ("L2VPN-<SERVICE>").
	Name string   `json:"name"`
	RD   netid.RD `json:"rd"`
	RT   netid.RT `json:"rt"`
	// Encapsulation is EncapEthernet or EncapEthernetVLAN.
	Encapsulation string `json:"encapsulation"`
	ControlWord   bool   `json:"controlWord,omitempty"`
	MTU           uint32 `json:"mtu,omitempty"`
	// SiteName, SiteID: the local site; RemoteSiteID the other end's.
	SiteName     string `json:"siteName"`
	SiteID       uint32 `json:"siteId"`
	RemoteSiteID uint32 `json:"remoteSiteId"`
	// Interface is the local logical interface ("ge-0/0/2.512").
	Interface   string `json:"interface"`
	Description string `json:"description,omitempty"`
}

// Validate checks the instance.
func (l *L2VPNInstance) Validate() error {
	if err := CheckName("name", l.Name); err != nil {
		return err
	}
	if !l.RD.IsValid() {
		return fieldErr("rd", "", "required")
	}
	if !l.RT.IsValid() {
		return fieldErr("rt", "", "required")
	}
	if err := oneOf("encapsulation", l.Encapsulation, EncapEthernet, EncapEthernetVLAN); err != nil {
		return err
	}
	if err := CheckName("siteName", l.SiteName); err != nil {
		return err
	}
	if l.SiteID == 0 || l.SiteID > 65534 || l.RemoteSiteID == 0 || l.RemoteSiteID > 65534 || l.SiteID == l.RemoteSiteID {
		return fieldErr("siteId", fmt.Sprintf("%d/%d", l.SiteID, l.RemoteSiteID), "site IDs must be distinct, 1-65534")
	}
	return CheckInterface("interface", l.Interface)
}

// VPLSInstance is a VPLS routing instance (instance-type vpls).
type VPLSInstance struct {
	// Name is the routing-instance name ("VPLS-<SERVICE>").
	Name        string `json:"name"`
	Description string `json:"description,omitempty"`
	// Signalling is SignallingBGP (RD, RT, site) or SignallingLDP
	// (VPLSID, Neighbors, MeshGroups).
	Signalling string   `json:"signalling"`
	RD         netid.RD `json:"rd,omitzero"`
	RT         netid.RT `json:"rt,omitzero"`
	// VPLSID is the LDP vpls-id, equal on every PE.
	VPLSID netid.VCID `json:"vplsId,omitempty"`
	// SiteName, SiteID, SiteRange: the BGP site. Multihomed sites share
	// SiteID across PEs and set SitePreference (SitePrimary, SiteBackup).
	SiteName       string `json:"siteName,omitempty"`
	SiteID         uint32 `json:"siteId,omitempty"`
	SiteRange      uint32 `json:"siteRange,omitempty"`
	SitePreference string `json:"sitePreference,omitempty"`
	// Multihomed marks a site attached to several PEs. Render writes
	// site-preference; it omits the multi-homing statement for two-PE
	// sites (see junos.md A.2).
	Multihomed bool `json:"multihomed,omitempty"`
	// NoTunnelServices asks for lsi interfaces instead of vt-.
	NoTunnelServices bool `json:"noTunnelServices,omitempty"`
	// Encapsulation is the pseudowire encapsulation-type the instance
	// signals when it is not the Junos default (ethernet):
	// EncapEthernetVLAN, or empty. Spoke l2circuits of an H-VPLS use the
	// same type, since both ends of a pseudowire must agree.
	Encapsulation string `json:"encapsulation,omitempty"`
	// MACTableSize limit; 0 = unset.
	MACTableSize uint32 `json:"macTableSize,omitempty"`
	MTU          uint32 `json:"mtu,omitempty"`
	// Interfaces are the local logical interfaces in the instance.
	Interfaces []string `json:"interfaces"`
	// Neighbors are the other PEs' loopbacks (LDP full mesh / hub core).
	Neighbors []netip.Addr `json:"neighbors,omitempty"`
	// MeshGroups terminate spoke pseudowires on a hub (H-VPLS).
	MeshGroups []MeshGroup `json:"meshGroups,omitempty"`
}

// MeshGroup is an LDP VPLS mesh group: on an H-VPLS hub, the spokes.
type MeshGroup struct {
	Name string `json:"name"`
	// VPLSID equals the virtual-circuit-id the spokes' l2circuits use.
	VPLSID         netid.VCID   `json:"vplsId"`
	LocalSwitching bool         `json:"localSwitching,omitempty"`
	Neighbors      []netip.Addr `json:"neighbors"`
}

// Validate checks the instance.
func (v *VPLSInstance) Validate() error {
	if err := CheckName("name", v.Name); err != nil {
		return err
	}
	switch v.Signalling {
	case SignallingBGP:
		if !v.RD.IsValid() || !v.RT.IsValid() {
			return fieldErr("rd", "", "rd and rt required with bgp signalling")
		}
		if err := CheckName("siteName", v.SiteName); err != nil {
			return err
		}
		if v.SiteID == 0 || (v.SiteRange != 0 && v.SiteID >= v.SiteRange) {
			return fieldErr("siteId", strconv.FormatUint(uint64(v.SiteID), 10), "must be 1 and below siteRange")
		}
		if len(v.MeshGroups) > 0 || len(v.Neighbors) > 0 {
			return fieldErr("neighbors", "", "not with bgp signalling")
		}
	case SignallingLDP:
		if !v.VPLSID.IsValid() {
			return fieldErr("vplsId", "", "required with ldp signalling")
		}
		if v.Multihomed {
			return fieldErr("multihomed", "true", "not with ldp signalling")
		}
	default:
		return fieldErr("signalling", v.Signalling, "want bgp or ldp")
	}
	if err := oneOf("sitePreference", v.SitePreference, "", SitePrimary, SiteBackup); err != nil {
		return err
	}
	if err := oneOf("encapsulation", v.Encapsulation, "", EncapEthernetVLAN); err != nil {
		return err
	}
	if len(v.Interfaces) == 0 && len(v.MeshGroups) == 0 {
		return fieldErr("interfaces", "", "empty")
	}
	for i, n := range v.Interfaces {
		if err := CheckInterface(fmt.Sprintf("interfaces[%d]", i), n); err != nil {
			return err
		}
	}
	for i, g := range v.MeshGroups {
		if err := CheckName(fmt.Sprintf("meshGroups[%d].name", i), g.Name); err != nil {
			return err
		}
		if !g.VPLSID.IsValid() {
			return fieldErr(fmt.Sprintf("meshGroups[%d].vplsId", i), "", "required")
		}
		if len(g.Neighbors) == 0 {
			return fieldErr(fmt.Sprintf("meshGroups[%d].neighbors", i), "", "empty")
		}
	}
	return nil
}

// VRFInstance is an L3VPN routing instance (instance-type vrf).
//
// When ImportPolicy and ExportPolicy are empty, render writes vrf-target:
// the one RT as "vrf-target target:…" when ImportRTs and ExportRTs are the
// same single RT. When they are set (hub-and-spoke), render writes
// community ImportCommunity with members ImportRTs and ExportCommunity with
// members ExportRTs, a policy-statement ImportPolicy (term 1: from community
// ImportCommunity then accept; term 2: then reject) and ExportPolicy (term 1:
// then community add ExportCommunity, accept), and vrf-import/vrf-export.
type VRFInstance struct {
	// Name is the routing-instance name ("VRF-<SERVICE>").
	Name        string     `json:"name"`
	Description string     `json:"description,omitempty"`
	RD          netid.RD   `json:"rd"`
	ImportRTs   []netid.RT `json:"importRts"`
	ExportRTs   []netid.RT `json:"exportRts"`
	// Policy and community names for hub-and-spoke; empty for full mesh.
	ImportPolicy    string `json:"importPolicy,omitempty"`
	ExportPolicy    string `json:"exportPolicy,omitempty"`
	ImportCommunity string `json:"importCommunity,omitempty"`
	ExportCommunity string `json:"exportCommunity,omitempty"`
	// Interfaces are the local logical interfaces in the VRF.
	Interfaces []string `json:"interfaces"`
	// StaticRoutes towards CEs (PE–CE static).
	StaticRoutes []StaticRoute `json:"staticRoutes,omitempty"`
	// BGPGroup is the PE–CE BGP group name; BGPNeighbors its CE peers.
	BGPGroup     string   `json:"bgpGroup,omitempty"`
	BGPNeighbors []CEPeer `json:"bgpNeighbors,omitempty"`
	// VRFTableLabel asks for vrf-table-label.
	VRFTableLabel bool `json:"vrfTableLabel,omitempty"`
}

// StaticRoute is a static route in a VRF.
type StaticRoute struct {
	Prefix  netip.Prefix `json:"prefix"`
	NextHop netip.Addr   `json:"nextHop"`
}

// CEPeer is a PE–CE eBGP neighbor.
type CEPeer struct {
	Addr   netip.Addr `json:"addr"`
	PeerAS netid.ASN  `json:"peerAs"`
	// ASOverride renders as-override (hub-and-spoke and same-AS sites).
	ASOverride bool `json:"asOverride,omitempty"`
}

// Validate checks the instance.
func (v *VRFInstance) Validate() error {
	if err := CheckName("name", v.Name); err != nil {
		return err
	}
	if !v.RD.IsValid() {
		return fieldErr("rd", "", "required")
	}
	if len(v.ImportRTs) == 0 || len(v.ExportRTs) == 0 {
		return fieldErr("importRts", "", "import and export route targets required")
	}
	for _, rt := range append(slices.Clip(v.ImportRTs), v.ExportRTs...) {
		if !rt.IsValid() {
			return fieldErr("importRts", "", "invalid route target")
		}
	}
	pol := v.ImportPolicy != "" || v.ExportPolicy != "" || v.ImportCommunity != "" || v.ExportCommunity != ""
	if pol {
		for _, f := range [...][2]string{{"importPolicy", v.ImportPolicy}, {"exportPolicy", v.ExportPolicy}, {"importCommunity", v.ImportCommunity}, {"exportCommunity", v.ExportCommunity}} {
			if err := CheckName(f[0], f[1]); err != nil {
				return err
			}
		}
	} else if len(v.ImportRTs) != 1 || len(v.ExportRTs) != 1 {
		return fieldErr("importPolicy", "", "required with more than one import or export route target")
	}
	if len(v.Interfaces) == 0 {
		return fieldErr("interfaces", "", "empty")
	}
	for i, n := range v.Interfaces {
		if err := CheckInterface(fmt.Sprintf("interfaces[%d]", i), n); err != nil {
			return err
		}
	}
	for i, r := range v.StaticRoutes {
		if !r.Prefix.IsValid() || !r.NextHop.IsValid() || r.Prefix.Addr().Is4() != r.NextHop.Is4() {
			return fieldErr(fmt.Sprintf("staticRoutes[%d]", i), r.Prefix.String()+" via "+r.NextHop.String(), "invalid or mixed families")
		}
	}
	if len(v.BGPNeighbors) > 0 {
		if err := CheckName("bgpGroup", v.BGPGroup); err != nil {
			return err
		}
	}
	for i, p := range v.BGPNeighbors {
		if !p.Addr.IsValid() || !p.PeerAS.IsValid() {
			return fieldErr(fmt.Sprintf("bgpNeighbors[%d]", i), p.Addr.String(), "address and peer AS required")
		}
	}
	return nil
}

// LSP is an RSVP-TE label-switched path from this device.
type LSP struct {
	// Name is the label-switched-path name ("<SERVICE>-<FROM>-<TO>").
	Name string     `json:"name"`
	To   netip.Addr `json:"to"`
	// Bandwidth is the reserved bandwidth; 0 = none.
	Bandwidth netid.Bitrate `json:"bandwidth,omitempty"`
	// Primary and Secondary are named paths; a path with no hops is
	// dynamic ("path any;").
	Primary   *LSPPath `json:"primary,omitempty"`
	Secondary *LSPPath `json:"secondary,omitempty"`
	NoCSPF    bool     `json:"noCspf,omitempty"`
	// P2MP names the point-to-multipoint tree this LSP is a branch of;
	// empty for point-to-point LSPs.
	P2MP string `json:"p2mp,omitempty"`
}

// LSPPath is a named explicit path (protocols mpls path NAME).
type LSPPath struct {
	Name string `json:"name"`
	Hops []Hop  `json:"hops,omitempty"`
	// Standby signals the path before it is needed (secondary only).
	Standby bool `json:"standby,omitempty"`
}

// Hop is one hop of an explicit path.
type Hop struct {
	Addr   netip.Addr `json:"addr"`
	Strict bool       `json:"strict,omitempty"` // false = loose
}

// Validate checks the LSP.
func (l LSP) Validate() error {
	if err := CheckName("name", l.Name); err != nil {
		return err
	}
	if !l.To.IsValid() {
		return fieldErr("to", "", "required")
	}
	for _, p := range []*LSPPath{l.Primary, l.Secondary} {
		if p == nil {
			continue
		}
		if err := CheckName("path.name", p.Name); err != nil {
			return err
		}
		for i, h := range p.Hops {
			if !h.Addr.IsValid() {
				return fieldErr(fmt.Sprintf("path %s hops[%d]", p.Name, i), "", "invalid address")
			}
		}
	}
	if l.P2MP != "" {
		if err := CheckName("p2mp", l.P2MP); err != nil {
			return err
		}
		if l.Secondary != nil {
			return fieldErr("secondary", l.Secondary.Name, "not allowed on a p2mp branch")
		}
	}
	return nil
}

// StaticLSP is one device's part of a static LSP: the ingress (To, NextHop,
// Push) or a transit entry (InLabel, NextHop, Swap; Swap zero = pop).
type StaticLSP struct {
	// Name is the static-label-switched-path name.
	Name string `json:"name"`
	// Ingress is true on the head end.
	Ingress bool        `json:"ingress,omitempty"`
	To      netip.Addr  `json:"to,omitzero"`
	NextHop netip.Addr  `json:"nextHop"`
	Push    netid.Label `json:"push,omitempty"`
	// InLabel is the label a transit entry matches ("transit <label>").
	InLabel netid.Label `json:"inLabel,omitempty"`
	Swap    netid.Label `json:"swap,omitempty"`
}

// Validate checks the entry.
func (s StaticLSP) Validate() error {
	if err := CheckName("name", s.Name); err != nil {
		return err
	}
	if !s.NextHop.IsValid() {
		return fieldErr("nextHop", "", "required")
	}
	if s.Ingress {
		if !s.To.IsValid() || !s.Push.IsValid() {
			return fieldErr("push", s.Push.String(), "ingress needs to and push label")
		}
		return nil
	}
	if !s.InLabel.IsValid() {
		return fieldErr("inLabel", s.InLabel.String(), "transit needs an incoming label")
	}
	return nil
}

// CheckName reports whether s is a safe configuration identifier: 1–64
// characters from letters, digits, '.', '_' and '-', starting with a letter
// or digit. Names that end up in device configuration (services, sites,
// instances, devices, profiles) must pass it; field names the field in
// the error.
func CheckName(field, s string) error {
	if s == "" {
		return fieldErr(field, s, "required")
	}
	if len(s) > 64 {
		return fieldErr(field, s, "longer than 64 characters")
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		case (c == '.' || c == '_' || c == '-') && i > 0:
		default:
			return fieldErr(field, s, "want letters, digits, '.', '_' or '-', starting with a letter or digit")
		}
	}
	return nil
}

// CheckInterface reports whether s is a safe interface name ("ge-0/0/1",
// "ge-0/0/1.100", "1/1/c1/1", "lag-1"): 1–64 characters from letters,
// digits, '/', ':', '.', '_' and '-', starting with a letter or digit.
func CheckInterface(field, s string) error {
	if s == "" {
		return fieldErr(field, s, "required")
	}
	if len(s) > 64 {
		return fieldErr(field, s, "longer than 64 characters")
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		case (c == '/' || c == ':' || c == '.' || c == '_' || c == '-') && i > 0:
		default:
			return fieldErr(field, s, "want an interface name of letters, digits, '/', ':', '.', '_' or '-'")
		}
	}
	return nil
}

func oneOf(field, v string, allowed ...string) error {
	if slices.Contains(allowed, v) {
		return nil
	}
	var want []string
	for _, a := range allowed {
		if a == "" {
			a = `""`
		}
		want = append(want, a)
	}
	return fieldErr(field, v, "want one of "+strings.Join(want, ", "))
}

// FieldError is the structured error of this package: a problem with one
// field of one input. It wraps ErrInvalid.
type FieldError struct {
	// Field is the path of the field ("endpoints[1].vlan").
	Field string
	// Value is the offending input as given; may be empty.
	Value string
	// Reason says what is wrong.
	Reason string
}

// Error formats the error as `field "value": reason`.
func (e *FieldError) Error() string {
	if e.Value == "" {
		return e.Field + ": " + e.Reason
	}
	return e.Field + " " + strconv.Quote(e.Value) + ": " + e.Reason
}

// Unwrap returns ErrInvalid.
func (e *FieldError) Unwrap() error { return ErrInvalid }

func fieldErr(field, value, reason string) error {
	return &FieldError{Field: field, Value: value, Reason: reason}
}

func svcErr(name string, err error) error {
	return fmt.Errorf("design: service %q: %w", name, err)
}

// ErrInvalid is wrapped by every error about bad input: definitions,
// orders, inventory, intent.
var ErrInvalid = errors.New("invalid")
