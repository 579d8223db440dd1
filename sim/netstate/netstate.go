package netstate

import (
	"net/netip"
	"slices"
	"strings"
	"time"

	"github.com/carrierkit/carrierkit/netid"
	"github.com/carrierkit/carrierkit/sim/junosconf"
)

// NotComputed is the status of an item this package does not model: a
// caller must never mistake it for a working service.
const NotComputed = "not computed"

// LabelBase is the first label of Junos' dynamic label range; every device
// allocates its labels from here upwards.
const LabelBase = 299776

// Device is one simulated router as Compute sees it.
type Device struct {
	Name   string
	Family junosconf.Family
	// Config is the committed configuration. It is read, never changed, and
	// a Computer keeps a parsed view of it keyed by the pointer, so a
	// committed tree must never be mutated after it was passed in: commit a
	// new *Tree (or a Clone) instead.
	Config *junosconf.Tree
	Up     bool
	// Ports lists the platform's physical ports. When it is not empty, a
	// port missing from it does not exist ("NP": hardware not present).
	Ports []string
}

// Endpoint is one end of a link: a device and a physical port.
type Endpoint struct{ Device, Interface string }

// Link is a cable between two ports with its impairments.
type Link struct {
	A, B      Endpoint
	Up        bool
	Delay     time.Duration // one way
	Jitter    time.Duration
	Loss      float64       // 0..1
	Bandwidth netid.Bitrate // 0 = unlimited
}

// Input is everything the control plane depends on.
type Input struct {
	Devices []Device
	Links   []Link
	// Previous is the State computed before this change, or nil. It is used
	// only for clock holdover (a PTP or SyncE clock that was locked and lost
	// its reference goes to HOLDOVER instead of FREERUN).
	Previous *State
}

// Path is a sequence of hops between two devices with the sums of the
// one-way impairments of the links crossed. Loss combines as
// 1-∏(1-loss).
type Path struct {
	Hops   []Hop
	Delay  time.Duration
	Jitter time.Duration
	Loss   float64
}

// Hop is one link crossed: Device is the device reached, OutInterface the
// logical interface left on the previous device, InInterface the logical
// interface entered on Device and Addr that interface's inet address
// (invalid when it has none).
type Hop struct {
	Device       string
	OutInterface string
	InInterface  string
	Addr         netip.Addr
}

// Adjacency is an IGP neighbour.
type Adjacency struct {
	Protocol  string // "IS-IS" or "OSPF"
	Interface string // local logical interface
	Neighbor  string // neighbour's device name (IS-IS system name)
	Address   netip.Addr
	State     string // "Up"
	Metric    int
}

// LDPSession is an LDP session with a peer's loopback.
type LDPSession struct {
	Peer     netip.Addr
	PeerName string
	State    string // "Operational" or "Nonexistent"
	Targeted bool   // session set up by targeted hellos (l2circuit/VPLS)
	Link     bool   // session over a directly connected LDP interface
}

// BGPPeer is one configured BGP neighbour.
type BGPPeer struct {
	Peer         netip.Addr
	Group        string
	Instance     string // "" for the master instance, else the routing instance
	Type         string // "internal" or "external"
	LocalAddress netip.Addr
	PeerAS       uint32
	LocalAS      uint32
	State        string // "Established", "Active" or "Idle"
	Reason       string // why the session is not Established
	Families     []string
	Received     int // VPN routes received from the peer
	Accepted     int // of which imported into some local VRF
}

// LSP is an ingress RSVP, static or P2MP branch LSP.
type LSP struct {
	Name       string
	Kind       string // "rsvp", "static" or "p2mp"
	P2MP       string // P2MP tree name for a branch LSP
	From, To   netip.Addr
	Up         bool
	ActivePath string // "primary NAME", "secondary NAME", or "" (dynamic or down)
	Path       Path
	LabelOut   uint32 // 3 (implicit null) when the next hop is the egress
	Bandwidth  netid.Bitrate
	Reason     string // why it is down
}

// PW is the state of one l2circuit pseudowire.
type PW struct {
	Neighbor  netip.Addr
	Interface string
	VCID      uint32
	// Status is the Junos connection-status code: "Up", "OL", "NC", "EI",
	// "MM", "EM", "CM", "LD", "RD", "NP", "VC-Dn"; see the package
	// documentation for when each is given.
	Status   string
	InLabel  uint32
	OutLabel uint32
	Reason   string
	Remote   string // remote PE device name, "" if unknown
	MTU      int
	Encap    string // encapsulation-type
	LocalUp  bool   // attachment interface up
	Path     Path   // transport path to the neighbour when Up
	ref      pathRef
}

// VPLSConn is one VPLS (or BGP l2vpn) pseudowire.
type VPLSConn struct {
	Neighbor   netip.Addr // remote PE loopback
	RemoteSite uint32     // BGP: remote site id
	LocalSite  uint32
	Interface  string // l2vpn: local interface of the connection
	MeshGroup  string // LDP: mesh group, "" for the default
	Status     string // "Up", "OL", "LD", "RD", "LN", "RN", "OR", "EM", "MM", "VC-Dn"
	InLabel    uint32
	OutLabel   uint32
	Reason     string
}

// VPLSInstance is a VPLS or l2vpn routing instance on one device.
type VPLSInstance struct {
	Name        string
	Type        string // "vpls" or "l2vpn"
	Signalling  string // "bgp" or "ldp"; "" when the instance does not exist
	VPLSID      uint32
	Sites       []Site
	Connections []VPLSConn
}

// Site is a local BGP VPLS/l2vpn site.
type Site struct {
	Name       string
	ID         uint32
	Preference int    // 65535 primary, 1 backup, default 100
	State      string // "active", "standby" (multihomed, not designated) or "down"
	Interfaces []string
}

// Route is a routing table entry.
type Route struct {
	Prefix      netip.Prefix
	Protocol    string // "Direct", "Local", "Static", "IS-IS", "OSPF", "BGP", "LDP", "RSVP"
	NextHop     netip.Addr
	Via         string // outgoing interface
	Metric      int
	Communities []string
	RD          string
	LSP         string // RSVP LSP name for inet.3 entries
	Label       uint32
	// Preference is a static route's, from the next hop in use (a
	// qualified next hop may have its own); 0 means the protocol's default.
	Preference int
}

// MEPState is the state of a remote MEP seen from a local MEP.
type MEPState struct {
	State     string // "ok" or "failed"
	RemoteMAC string
	Level     int
	Path      Path
	Reason    string
}

// PTPState is the PTP clock of a device.
type PTPState struct {
	Role       string // "master" (grandmaster), "slave", "boundary" or "none"
	Lock       string // "FREERUN", "PHASE ALIGNED" or "HOLDOVER"
	Master     string // device that is the selected master, "" when none
	SlavePort  string // local slave interface in use
	Hops       int    // steps removed from the grandmaster
	ClockClass int    // 6 locked/grandmaster, 7 holdover, 248 free-running
	GMID       string // grandmaster identity (derived from its name)
}

// SyncEState is the synchronous Ethernet clock of a device.
type SyncEState struct {
	Configured bool
	State      string // "locked", "free-run" or "holdover"
	Source     string // selected source interface
	Upstream   string // device at the other end of Source
}

// Stats counts what Compute produced.
type Stats struct {
	Devices, Links, LinksUp     int
	Adjacencies                 int
	LDPSessionsUp               int
	BGPSessions, BGPEstablished int
	LSPsUp, LSPsDown            int
	PWsUp, PWsDown              int
	VPLSConnsUp, VPLSConnsDown  int
	VRFRoutes                   int
}

// LinkUp reports whether the physical port ifd of dev is up: its link is up,
// both devices are up and neither end is disabled.
func (s *State) LinkUp(dev, ifd string) bool {
	d := s.dev(dev)
	if d == nil {
		return false
	}
	if i := strings.IndexByte(ifd, '.'); i >= 0 {
		return s.unitUp(d, ifd)
	}
	if strings.HasPrefix(ifd, "lo") {
		return d.in.Up && !d.cfg.portOff[ifd]
	}
	return d.portUp[ifd]
}

// InterfaceUp reports whether a logical interface ("ge-0/0/1.100", "lo0.0")
// is up: its port is up and neither the port nor the unit is disabled.
func (s *State) InterfaceUp(dev, ifl string) bool {
	d := s.dev(dev)
	return d != nil && s.unitUp(d, ifl)
}

// Loopback returns the lo0.0 inet address of dev (the router-id when lo0.0
// has none), or the zero Addr.
func (s *State) Loopback(dev string) netip.Addr {
	if d := s.dev(dev); d != nil {
		return d.cfg.loopback
	}
	return netip.Addr{}
}

// Reachable reports whether from has a route to the address to: it is one
// of from's own addresses, on a directly connected up subnet, or advertised
// into the IGP by a device from reaches.
func (s *State) Reachable(from string, to netip.Addr) bool {
	_, ok := s.Path(from, to)
	return ok
}

// Path returns the IGP shortest path (lowest metric, then lowest delay) from
// the device from to the device owning the address to.
func (s *State) Path(from string, to netip.Addr) (Path, bool) {
	d := s.dev(from)
	if d == nil || !d.in.Up {
		return Path{}, false
	}
	return s.pathTo(d.idx, to)
}

// ISISAdjacencies returns dev's IGP adjacencies (IS-IS and OSPF), sorted by
// interface.
func (s *State) ISISAdjacencies(dev string) []Adjacency {
	if d := s.dev(dev); d != nil {
		return slices.Clone(d.adj)
	}
	return nil
}

// LDPSessions returns dev's LDP sessions sorted by peer address.
func (s *State) LDPSessions(dev string) []LDPSession {
	if d := s.dev(dev); d != nil {
		return slices.Clone(d.ldpSess)
	}
	return nil
}

// BGPPeers returns dev's configured BGP neighbours sorted by instance, then
// address.
func (s *State) BGPPeers(dev string) []BGPPeer {
	if d := s.dev(dev); d != nil {
		return slices.Clone(d.bgp)
	}
	return nil
}

// LSP returns the ingress LSP name of dev; a missing LSP has Reason
// "no such LSP".
func (s *State) LSP(dev, name string) LSP {
	if d := s.dev(dev); d != nil {
		for _, l := range d.lsps {
			if l.Name == name {
				return l
			}
		}
	}
	return LSP{Name: name, Reason: "no such LSP"}
}

// LSPs returns dev's ingress LSPs (RSVP, P2MP branches, static) sorted by
// name.
func (s *State) LSPs(dev string) []LSP {
	if d := s.dev(dev); d != nil {
		return slices.Clone(d.lsps)
	}
	return nil
}

// TransitLSPs returns how many up RSVP LSPs cross dev without starting or
// ending there.
func (s *State) TransitLSPs(dev string) int {
	if d := s.dev(dev); d != nil {
		return d.transit
	}
	return 0
}

// EgressLSPs returns how many up RSVP LSPs end at dev.
func (s *State) EgressLSPs(dev string) int {
	if d := s.dev(dev); d != nil {
		return d.egress
	}
	return 0
}

// Pseudowire returns the state of dev's l2circuit to neighbor on the logical
// interface ifl. vcid 0 matches any VC ID. A pseudowire that is not
// configured has Status "" and Reason "not configured".
func (s *State) Pseudowire(dev, neighbor, ifl string, vcid uint32) PW {
	if d := s.dev(dev); d != nil {
		for _, p := range d.pws {
			if p.Neighbor.String() == neighbor && p.Interface == ifl && (vcid == 0 || vcid == p.VCID) {
				p.Path, p.ref = s.refPath(p.ref), pathRef{}
				return p
			}
		}
	}
	return PW{Interface: ifl, VCID: vcid, Reason: "not configured"}
}

// Pseudowires returns all of dev's l2circuits sorted by neighbour, then
// interface.
func (s *State) Pseudowires(dev string) []PW {
	if d := s.dev(dev); d != nil {
		out := slices.Clone(d.pws)
		for i := range out {
			out[i].Path, out[i].ref = s.refPath(out[i].ref), pathRef{}
		}
		return out
	}
	return nil
}

// VPLS returns the VPLS instance of dev; Signalling is "" when dev has no
// such instance.
func (s *State) VPLS(dev, instance string) VPLSInstance {
	return s.inst(dev, instance, "vpls")
}

// L2VPN returns the BGP-signalled l2vpn (E-LINE) instance of dev.
func (s *State) L2VPN(dev, instance string) VPLSInstance {
	return s.inst(dev, instance, "l2vpn")
}

func (s *State) inst(dev, instance, typ string) VPLSInstance {
	if d := s.dev(dev); d != nil {
		if v, ok := d.vpls[instance]; ok && (v.Type == typ || v.Signalling == NotComputed) {
			v.Sites = slices.Clone(v.Sites)
			v.Connections = slices.Clone(v.Connections)
			return v
		}
	}
	return VPLSInstance{Name: instance}
}

// Routes returns a routing table of dev: "inet.0", "inet.3", "mpls.0",
// "bgp.l3vpn.0" or "NAME.inet.0" for a VRF, sorted by prefix. Tables are
// built on each call from the computed state.
func (s *State) Routes(dev, table string) []Route {
	d := s.dev(dev)
	if d == nil || !d.in.Up {
		return nil
	}
	return s.routes(d, table)
}

// RemoteMEP returns the state of remote MEP rmep as seen by the local MEP
// mep of maintenance association ma in domain md on dev.
func (s *State) RemoteMEP(dev, md, ma string, mep, rmep int) MEPState {
	d := s.dev(dev)
	if d == nil {
		return MEPState{State: "failed", Reason: "no such device"}
	}
	return s.remoteMEP(d, md, ma, mep, rmep)
}

// PTP returns the PTP clock state of dev.
func (s *State) PTP(dev string) PTPState {
	if d := s.dev(dev); d != nil {
		return d.ptp
	}
	return PTPState{Role: "none", Lock: "FREERUN", ClockClass: 248}
}

// SyncE returns the synchronous Ethernet state of dev.
func (s *State) SyncE(dev string) SyncEState {
	if d := s.dev(dev); d != nil {
		return d.synce
	}
	return SyncEState{State: "free-run"}
}

// Stats returns counts of what Compute produced.
func (s *State) Stats() Stats { return s.stats }

// Devices returns the device names in input order.
func (s *State) Devices() []string {
	out := make([]string, len(s.devs))
	for i, d := range s.devs {
		out[i] = d.in.Name
	}
	return out
}

func (s *State) dev(name string) *devState {
	if i, ok := s.byName[name]; ok {
		return s.devs[i]
	}
	return nil
}
