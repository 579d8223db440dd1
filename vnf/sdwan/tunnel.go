package sdwan

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net/netip"
	"slices"

	"github.com/carrierkit/carrierkit/pool"
)

// Tunnel is one overlay tunnel between two sites over one transport.
type Tunnel struct {
	// A and B are the sites; Transport the underlay both links share.
	A, B, Transport string
	// HubRank is the hub's preference (1 or 2) for a spoke–hub tunnel,
	// and 0 for spoke–spoke and hub–hub tunnels.
	HubRank int
	// Role is Backup when either end's link is a backup link.
	Role LinkRole
	// OnTraffic tunnels come up when traffic needs them (dynamic mesh);
	// the others are established at once.
	OnTraffic bool
	// AUnit and BUnit are the st0 units at each end.
	AUnit, BUnit int
	// Address is the tunnel's /31: A has the first address, B the second.
	// It is zero until AssignAddresses.
	Address netip.Prefix
	// GREAddress is the /31 of the GRE tunnel inside (GREoverIPsec only).
	GREAddress netip.Prefix
}

// ID names the tunnel: "a--b--transport".
func (t Tunnel) ID() string { return t.A + "--" + t.B + "--" + t.Transport }

// Design is a network's computed overlay.
type Design struct {
	Network Network
	Tunnels []Tunnel
}

// Plan validates n and computes its tunnels: spoke–hub for every hub and
// every transport both sites have, hub–hub between two hubs, and spoke–spoke
// as the topology says. The order is deterministic: by site order, then
// the site's link order. Errors wrap ErrInvalid.
func Plan(n Network) (Design, error) {
	if err := n.Validate(); err != nil {
		return Design{}, err
	}
	n.Sites = slices.Clone(n.Sites)
	d := Design{Network: n}
	units := map[string]int{}
	add := func(a, b *Site, hubRank int, onTraffic bool) {
		for _, la := range a.Links {
			for _, lb := range b.Links {
				if la.Transport != lb.Transport {
					continue
				}
				role := Primary
				if la.Role == Backup || lb.Role == Backup {
					role = Backup
				}
				units[a.Name]++
				units[b.Name]++
				d.Tunnels = append(d.Tunnels, Tunnel{A: a.Name, B: b.Name, Transport: la.Transport, HubRank: hubRank,
					Role: role, OnTraffic: onTraffic, AUnit: units[a.Name], BUnit: units[b.Name]})
			}
		}
	}
	if len(n.Hubs) == 2 {
		add(n.site(n.Hubs[0]), n.site(n.Hubs[1]), 0, false)
	}
	for i := range n.Sites {
		s := &n.Sites[i]
		if n.hubRank(s.Name) > 0 {
			continue
		}
		for r, h := range n.Hubs {
			add(s, n.site(h), r+1, false)
		}
	}
	if n.Topology == HubAndSpoke {
		return d, nil
	}
	for i := range n.Sites {
		for j := i + 1; j < len(n.Sites); j++ {
			a, b := &n.Sites[i], &n.Sites[j]
			if n.hubRank(a.Name) > 0 || n.hubRank(b.Name) > 0 {
				continue
			}
			switch {
			case n.Topology == FullMesh:
				add(a, b, 0, true)
			case a.Cluster != "" && a.Cluster == b.Cluster:
				add(a, b, 0, false)
			}
		}
	}
	return d, nil
}

// Claimer hands out prefixes from a pool; *pool.Manager satisfies it.
type Claimer interface {
	Claim(ctx context.Context, owner string, reqs ...pool.Request) (pool.Claim, error)
}

var _ Claimer = (*pool.Manager)(nil)

// OwnerPrefix is the pool owner key prefix of a network's tunnels:
// "sdwan/<tenant>/<network>/"; each tunnel's owner appends its ID.
func (n Network) OwnerPrefix() string { return "sdwan/" + n.Tenant + "/" + n.Name + "/" }

// AssignAddresses claims a /31 for every tunnel of d from the IPv4 pool
// poolName (two with GREoverIPsec: the st0 and the GRE addresses), one claim
// per tunnel owned by OwnerPrefix()+ID, and stores them in d. Claims are idempotent, so running it again returns the same
// addresses. On error d is unchanged. Errors are the pool's (wrapping
// pool.ErrExhausted, pool.ErrUnknownPool …) naming the tunnel.
func AssignAddresses(ctx context.Context, c Claimer, poolName string, d *Design) error {
	names := []string{"overlay"}
	if d.Network.Encapsulation == GREoverIPsec {
		names = append(names, "gre")
	}
	addrs := make([][2]netip.Prefix, len(d.Tunnels))
	for i, t := range d.Tunnels {
		var reqs []pool.Request
		for _, n := range names {
			reqs = append(reqs, pool.Request{Name: n, Pool: poolName, Length: 31})
		}
		cl, err := c.Claim(ctx, d.Network.OwnerPrefix()+t.ID(), reqs...)
		if err != nil {
			return fmt.Errorf("sdwan: address tunnel %s: %w", t.ID(), err)
		}
		for k, n := range names {
			v, ok := cl.Get(n)
			if !ok || !v.Prefix().Addr().Is4() || v.Prefix().Bits() != 31 {
				return fmt.Errorf("sdwan: address tunnel %s: pool %q gave %v, want an IPv4 /31: %w", t.ID(), poolName, v, ErrInvalid)
			}
			addrs[i][k] = v.Prefix()
		}
	}
	for i := range d.Tunnels {
		d.Tunnels[i].Address, d.Tunnels[i].GREAddress = addrs[i][0], addrs[i][1]
	}
	return nil
}

// ends returns the local and remote tunnel addresses as seen from site.
func (t Tunnel) ends(site string) (local, remote netip.Prefix) { return t.endsOf(t.Address, site) }

// hopEnds returns the addresses routes use: the GRE ones when there are.
func (t Tunnel) hopEnds(site string) (local, remote netip.Prefix) {
	if t.GREAddress.IsValid() {
		return t.endsOf(t.GREAddress, site)
	}
	return t.ends(site)
}

func (t Tunnel) endsOf(p netip.Prefix, site string) (local, remote netip.Prefix) {
	a := p.Masked().Addr()
	b := a.Next()
	if site == t.A {
		return netip.PrefixFrom(a, 31), netip.PrefixFrom(b, 31)
	}
	return netip.PrefixFrom(b, 31), netip.PrefixFrom(a, 31)
}

func (t Tunnel) peer(site string) string {
	if site == t.A {
		return t.B
	}
	return t.A
}

func (t Tunnel) unit(site string) int {
	if site == t.A {
		return t.AUnit
	}
	return t.BUnit
}

func (t Tunnel) has(site string) bool { return t.A == site || t.B == site }

// candidates returns the tunnels site may use toward dest's LAN, best
// first: direct tunnels, then tunnels to the hubs by rank (for a hub: to the
// other hub); primary before backup, then by site link order. via is the
// hub a candidate goes through ("" for direct).
func (d Design) candidates(site, dest string) (ts []Tunnel, via []string) {
	type cand struct {
		t     Tunnel
		class int
		via   string
	}
	var cs []cand
	n := d.Network
	for _, t := range d.Tunnels {
		if !t.has(site) {
			continue
		}
		p := t.peer(site)
		switch {
		case p == dest:
			cs = append(cs, cand{t, 0, ""})
		case n.hubRank(p) > 0:
			cs = append(cs, cand{t, n.hubRank(p), p})
		}
	}
	s := n.site(site)
	linkIdx := func(tr string) int {
		return slices.IndexFunc(s.Links, func(l Link) bool { return l.Transport == tr })
	}
	slices.SortStableFunc(cs, func(a, b cand) int {
		return cmp.Or(cmp.Compare(a.class, b.class), cmp.Compare(a.t.Role, b.t.Role), cmp.Compare(linkIdx(a.t.Transport), linkIdx(b.t.Transport)))
	})
	for _, c := range cs {
		ts, via = append(ts, c.t), append(via, c.via)
	}
	return ts, via
}

// LinkRef names one WAN link of a site.
type LinkRef struct{ Site, Transport string }

// Failures are the sites and links that are down.
type Failures struct {
	Sites []string
	Links []LinkRef
}

func (f Failures) tunnelUp(t Tunnel) bool {
	for _, s := range []string{t.A, t.B} {
		if slices.Contains(f.Sites, s) || slices.Contains(f.Links, LinkRef{s, t.Transport}) {
			return false
		}
	}
	return true
}

// Path returns the tunnel site uses toward dest's LAN while f is down — the
// first candidate (in the order the rendered routes prefer them) whose
// tunnel is up and, through a hub, whose hub still has a tunnel up to dest —
// and the hub it goes through ("" for a direct tunnel). It models what
// the rendered qualified next hops do when tunnels fail. Errors wrap
// ErrNoPath, or ErrInvalid for an unknown site.
func (d Design) Path(site, dest string, f Failures) (Tunnel, string, error) {
	if d.Network.site(site) == nil || d.Network.site(dest) == nil || site == dest {
		return Tunnel{}, "", fmt.Errorf("sdwan: path %s to %s: unknown or equal sites: %w", site, dest, ErrInvalid)
	}
	ts, via := d.candidates(site, dest)
	for i, t := range ts {
		if !f.tunnelUp(t) {
			continue
		}
		if via[i] == "" || d.hubReaches(via[i], dest, f) {
			return t, via[i], nil
		}
	}
	return Tunnel{}, "", fmt.Errorf("sdwan: path %s to %s: %w", site, dest, ErrNoPath)
}

func (d Design) hubReaches(hub, dest string, f Failures) bool {
	for _, t := range d.Tunnels {
		if t.has(hub) && t.peer(hub) == dest && f.tunnelUp(t) {
			return true
		}
	}
	return false
}

// Releaser frees what an owner holds; *pool.Manager satisfies it.
type Releaser interface {
	Release(ctx context.Context, owner string) (pool.Claim, error)
}

var _ Releaser = (*pool.Manager)(nil)

// ReleaseAddresses frees the addresses of d's tunnels: only owners under
// d.Network.OwnerPrefix(), so one tenant's network can never release
// another's. A tunnel that holds nothing is skipped (pool.ErrNoClaim); other
// errors stop the release and are returned, naming the tunnel. The
// tunnels' addresses are cleared in d for those released.
func ReleaseAddresses(ctx context.Context, r Releaser, d *Design) error {
	for i, t := range d.Tunnels {
		if _, err := r.Release(ctx, d.Network.OwnerPrefix()+t.ID()); err != nil && !errors.Is(err, pool.ErrNoClaim) {
			return fmt.Errorf("sdwan: release tunnel %s: %w", t.ID(), err)
		}
		d.Tunnels[i].Address, d.Tunnels[i].GREAddress = netip.Prefix{}, netip.Prefix{}
	}
	return nil
}
