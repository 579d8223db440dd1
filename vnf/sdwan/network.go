package sdwan

import (
	"errors"
	"fmt"
	"net/netip"
	"slices"

	"github.com/carrierkit/carrierkit/internal/jtree"
)

// Sentinels; errors from this package wrap one of them.
var (
	// ErrInvalid: a network, site, link or policy is not acceptable.
	ErrInvalid = errors.New("sdwan: invalid")
	// ErrNoPath: no overlay path reaches a destination.
	ErrNoPath = errors.New("sdwan: no path")
)

// Topology is the overlay's shape.
type Topology uint8

const (
	// TopologyNone is the zero value: unset, invalid.
	TopologyNone Topology = iota
	// HubAndSpoke: every spoke has tunnels to each hub (one or two, in
	// order of preference) and reaches other spokes through them.
	HubAndSpoke
	// FullMesh: hub-and-spoke tunnels, brought up at once, plus a tunnel
	// between every two spokes that comes up on traffic (dynamic mesh).
	FullMesh
	// PartialMesh: hub-and-spoke, plus a tunnel between every two spokes
	// of the same cluster, brought up at once.
	PartialMesh
)

func (t Topology) String() string {
	return [...]string{"", "hub-and-spoke", "full-mesh", "partial-mesh", "?"}[min(int(t), 4)]
}

// LinkRole says whether a site prefers a WAN link.
type LinkRole uint8

const (
	// RoleNone is the zero LinkRole: unset, invalid.
	RoleNone LinkRole = iota
	// Primary links carry traffic while their tunnels are up.
	Primary
	// Backup links carry traffic only when no primary path is up.
	Backup
)

func (r LinkRole) String() string { return [...]string{"", "primary", "backup", "?"}[min(int(r), 3)] }

// Encapsulation is how overlay traffic is carried.
type Encapsulation uint8

const (
	// IPsec (the zero value): route-based IPsec on st0 units.
	IPsec Encapsulation = iota
	// GREoverIPsec: a GRE tunnel (gr-0/0/0 unit) between the two ends'
	// st0 addresses, so multicast and routing protocols can cross; it
	// takes a second /31 per tunnel.
	GREoverIPsec
)

// Link is one WAN link of a site.
type Link struct {
	// Transport names the underlay network ("mpls", "inet", "lte"):
	// tunnels form only between links of the same transport. 1–8 of
	// [a-z0-9], starting with a letter.
	Transport string
	// Interface is the logical interface on the link ("ge-0/0/0.0").
	Interface string
	// Address is the link's underlay address, with its prefix length.
	Address netip.Prefix
	// Role is Primary or Backup.
	Role LinkRole
	// Gateway is the underlay next hop; required on the link a site breaks
	// out to the Internet on (BreakoutLocal). When set, Render routes the
	// far end of each tunnel over this link through it (a /32 next-hop
	// Gateway), so IKE to that peer leaves by this link.
	Gateway netip.Addr
}

// Breakout says where a site's Internet traffic leaves the overlay.
type Breakout uint8

const (
	// BreakoutHub (the zero value) sends Internet traffic to the hubs,
	// preferred hub first, which break it out.
	BreakoutHub Breakout = iota
	// BreakoutLocal sends it out of the site's own link of transport
	// Network.BreakoutTransport, source-NATed to that link's address;
	// the overlay through the hubs is the fallback.
	BreakoutLocal
	// BreakoutCentral sends it to Network.CentralSite (a data centre
	// site), directly or through a hub.
	BreakoutCentral
)

// Site is one branch or hub.
type Site struct {
	// Name is 1–24 of [a-z0-9-], starting with a letter.
	Name string
	// Cluster groups spokes for PartialMesh (same naming; "" none).
	Cluster string
	// Links are the WAN links, at least one; transports unique.
	Links []Link
	// LAN is the site's LAN prefix, on LANInterface ("ge-0/0/2.0").
	LAN          netip.Prefix
	LANInterface string
}

// Network is one tenant's SD-WAN overlay.
type Network struct {
	// Tenant owns the network; Name identifies it within the tenant. Both
	// 1–16 of [a-z0-9-], starting with a letter.
	Tenant, Name string
	Topology     Topology
	// Encapsulation is IPsec (zero) or GREoverIPsec.
	Encapsulation Encapsulation
	// Hubs name one or two hub sites, preferred first.
	Hubs []string
	// Sites are all sites, hubs included, in a stable order (tunnel and
	// unit numbering follows it).
	Sites []Site
	// PreSharedKey authenticates IKE: 8–64 printable ASCII characters. It
	// appears in the rendered configuration (quoted) and nowhere else.
	PreSharedKey string
	// Breakout is where spokes' Internet traffic leaves; BreakoutTransport
	// names the link for BreakoutLocal, CentralSite the site for
	// BreakoutCentral.
	Breakout          Breakout
	BreakoutTransport string
	CentralSite       string
}

// Validate reports what is wrong with n. Errors wrap ErrInvalid and name the
// field.
func (n Network) Validate() error {
	bad := func(format string, a ...any) error {
		return fmt.Errorf("sdwan: network %s/%s: %s: %w", n.Tenant, n.Name, fmt.Sprintf(format, a...), ErrInvalid)
	}
	if err := checkName("tenant", n.Tenant, 16); err != nil {
		return fmt.Errorf("sdwan: network: %w", err)
	}
	if err := checkName("network", n.Name, 16); err != nil {
		return fmt.Errorf("sdwan: network of %q: %w", n.Tenant, err)
	}
	if n.Topology < HubAndSpoke || n.Topology > PartialMesh {
		return bad("no topology")
	}
	if n.Encapsulation > GREoverIPsec {
		return bad("unknown encapsulation %d", n.Encapsulation)
	}
	if len(n.Hubs) < 1 || len(n.Hubs) > 2 || len(n.Hubs) == 2 && n.Hubs[0] == n.Hubs[1] {
		return bad("want one or two distinct hubs, have %q", n.Hubs)
	}
	if len(n.PreSharedKey) < 8 || len(n.PreSharedKey) > 64 {
		return bad("pre-shared key: want 8-64 characters")
	}
	for i := 0; i < len(n.PreSharedKey); i++ {
		if c := n.PreSharedKey[i]; c < 0x20 || c > 0x7e {
			return bad("pre-shared key: printable ASCII only")
		}
	}
	names := map[string]bool{}
	addrs := map[netip.Addr]string{}
	for i, s := range n.Sites {
		if err := checkName("site", s.Name, 24); err != nil {
			return bad("sites[%d]: %v", i, err)
		}
		if names[s.Name] {
			return bad("site %q twice", s.Name)
		}
		names[s.Name] = true
		if s.Cluster != "" {
			if err := checkName("cluster", s.Cluster, 24); err != nil {
				return bad("site %q: %v", s.Name, err)
			}
		}
		if !s.LAN.IsValid() || checkIfl(s.LANInterface) != nil {
			return bad("site %q: want a LAN prefix and a LAN interface such as ge-0/0/2.0", s.Name)
		}
		if len(s.Links) == 0 {
			return bad("site %q: no WAN links", s.Name)
		}
		seen := map[string]bool{}
		primary := false
		for _, l := range s.Links {
			if err := checkName("transport", l.Transport, 8); err != nil {
				return bad("site %q: %v", s.Name, err)
			}
			if seen[l.Transport] {
				return bad("site %q: transport %q twice", s.Name, l.Transport)
			}
			seen[l.Transport] = true
			if err := checkIfl(l.Interface); err != nil {
				return bad("site %q link %q: %v", s.Name, l.Transport, err)
			}
			if !l.Address.IsValid() || !l.Address.Addr().Is4() {
				return bad("site %q link %q: want an IPv4 underlay address", s.Name, l.Transport)
			}
			if o, dup := addrs[l.Address.Addr()]; dup {
				return bad("site %q link %q: address %s is %s's too", s.Name, l.Transport, l.Address.Addr(), o)
			}
			addrs[l.Address.Addr()] = s.Name
			if l.Role != Primary && l.Role != Backup {
				return bad("site %q link %q: role must be primary or backup", s.Name, l.Transport)
			}
			primary = primary || l.Role == Primary
		}
		if !primary {
			return bad("site %q: no primary link", s.Name)
		}
	}
	for _, h := range n.Hubs {
		if !names[h] {
			return bad("hub %q is not a site", h)
		}
	}
	switch n.Breakout {
	case BreakoutHub:
	case BreakoutLocal:
		for _, s := range n.Sites {
			i := slices.IndexFunc(s.Links, func(l Link) bool { return l.Transport == n.BreakoutTransport })
			if i < 0 || !s.Links[i].Gateway.Is4() {
				return bad("local breakout: site %q has no %q link with a gateway", s.Name, n.BreakoutTransport)
			}
		}
	case BreakoutCentral:
		if !names[n.CentralSite] {
			return bad("central breakout site %q is not a site", n.CentralSite)
		}
	default:
		return bad("unknown breakout %d", n.Breakout)
	}
	return nil
}

func (n Network) site(name string) *Site {
	i := slices.IndexFunc(n.Sites, func(s Site) bool { return s.Name == name })
	if i < 0 {
		return nil
	}
	return &n.Sites[i]
}

func (n Network) hubRank(site string) int {
	return slices.Index(n.Hubs, site) + 1
}

func checkName(what, s string, max int) error {
	ok := len(s) > 0 && len(s) <= max && s[0] >= 'a' && s[0] <= 'z' && s[len(s)-1] != '-'
	for i := 0; ok && i < len(s); i++ {
		c := s[i]
		ok = c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' && what != "transport"
	}
	if !ok {
		return fmt.Errorf("%s %q: want 1-%d of a-z, 0-9 and '-', starting with a letter: %w", what, s, max, ErrInvalid)
	}
	return nil
}

// checkIfl accepts a logical interface name such as ge-0/0/0.0.
func checkIfl(s string) error {
	ok := len(s) > 5 && len(s) <= 32 && jtree.CheckValue(s) == nil && s[2] == '-'
	dot := false
	for i := 3; ok && i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
		case c == '/' && !dot:
		case c == '.' && !dot && i > 3 && i < len(s)-1:
			dot = true
		default:
			ok = false
		}
	}
	if !ok || !dot {
		return fmt.Errorf("interface %q: want a logical interface such as ge-0/0/0.0", s)
	}
	return nil
}
