package sdwan

import (
	"fmt"
	"net/netip"
	"slices"

	"github.com/carrierkit/carrierkit/internal/jtree"
)

// SteeringConfig is the application steering of one site.
type SteeringConfig struct {
	// SecurityXML holds the advance-policy-based-routing profile and its
	// attachment to the LAN zone; RoutingXML the forwarding instance per
	// transport. Set is both as set lines.
	SecurityXML, RoutingXML, Set []byte
}

// RenderSteering writes one site's application steering (advanced
// policy-based routing) for the decisions of Steer: a forwarding routing
// instance per WAN transport ("<tenant>-<network>-<transport>") whose
// routes to the other sites and to the Internet use only that transport's
// tunnels (in the order Render prefers them), and an APBR profile on the
// LAN zone with one rule per application policy, matching its
// applications and sending them to the chosen transport's instance.
// Errors wrap ErrInvalid: an unknown site or transport, a policy missing
// from the steering, or a tunnel without an address.
func RenderSteering(d Design, site string, p Policies, steer []Steering) (SteeringConfig, error) {
	n := d.Network
	s := n.site(site)
	if s == nil {
		return SteeringConfig{}, fmt.Errorf("sdwan: steering %q: not in the network: %w", site, ErrInvalid)
	}
	if err := p.Validate(); err != nil {
		return SteeringConfig{}, err
	}
	prefix := n.Tenant + "-" + n.Name
	rt := jtree.New()
	ris := rt.Container(jtree.Root, "routing-instances")
	for _, l := range s.Links {
		ri := rt.Own(rt.NamelessEntry(ris, "instance", prefix+"-"+l.Transport))
		rt.Leaf(ri, "instance-type", "forwarding")
		static := rt.Container(rt.Container(ri, "routing-options"), "static")
		only := func(ts []Tunnel) []Tunnel {
			return slices.DeleteFunc(ts, func(t Tunnel) bool { return t.Transport != l.Transport })
		}
		for _, o := range n.Sites {
			if o.Name == site {
				continue
			}
			ts, _ := d.candidates(site, o.Name)
			if err := addressedAll(ts); err != nil {
				return SteeringConfig{}, err
			}
			addRoute(rt, static, o.LAN.Masked(), site, only(ts), netip.Addr{})
		}
		if n.hubRank(site) == 0 {
			ts, _ := d.candidates(site, "")
			if n.Breakout == BreakoutCentral {
				ts, _ = d.candidates(site, n.CentralSite)
			}
			var gw netip.Addr
			if n.Breakout == BreakoutLocal && l.Transport == n.BreakoutTransport {
				gw = l.Gateway
			}
			addRoute(rt, static, netip.MustParsePrefix("0.0.0.0/0"), site, only(ts), gw)
		}
	}
	st := jtree.New()
	sec := st.Container(jtree.Root, "security")
	prof := st.Own(st.Entry(st.Container(sec, "advance-policy-based-routing"), "profile", prefix))
	for _, a := range p.Apps {
		i := slices.IndexFunc(steer, func(x Steering) bool { return x.App == a.Name })
		if i < 0 {
			return SteeringConfig{}, fmt.Errorf("sdwan: steering %s: application policy %q has no decision: %w", site, a.Name, ErrInvalid)
		}
		if !slices.ContainsFunc(s.Links, func(l Link) bool { return l.Transport == steer[i].Transport }) {
			return SteeringConfig{}, fmt.Errorf("sdwan: steering %s: %q steered to transport %q the site lacks: %w", site, a.Name, steer[i].Transport, ErrInvalid)
		}
		r := st.Entry(prof, "rule", a.Name)
		m := st.Container(r, "match")
		for _, app := range a.Applications {
			st.LeafList(m, "dynamic-application", app)
		}
		st.WrappedLeaf(st.Container(r, "then"), "routing-instance", "routing-instance-name", prefix+"-"+steer[i].Transport)
	}
	z := st.Entry(st.Container(sec, "zones"), "security-zone", ZoneLAN)
	st.Leaf(st.Own(st.Container(z, "advance-policy-based-routing-profile")), "profile", prefix)
	for _, err := range []error{rt.Err(), st.Err()} {
		if err != nil {
			return SteeringConfig{}, fmt.Errorf("sdwan: steering %s: %w: %w", site, ErrInvalid, err)
		}
	}
	return SteeringConfig{SecurityXML: st.AppendXML(nil), RoutingXML: rt.AppendXML(nil), Set: rt.AppendSet(st.AppendSet(nil))}, nil
}

func addressedAll(ts []Tunnel) error {
	for _, t := range ts {
		if !t.Address.IsValid() {
			return fmt.Errorf("sdwan: tunnel %s has no address: %w", t.ID(), ErrInvalid)
		}
	}
	return nil
}
