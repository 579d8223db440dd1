package sdwan

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/carrierkit/carrierkit/internal/jtree"
	"github.com/carrierkit/carrierkit/netid"
)

// Forwarding classes RenderCoS keeps at their Junos default queues: traffic
// no classifier entry matches lands in best-effort, and the device's own
// routing and control traffic in network-control. They are shared by
// everything on the device, so their names carry no tenant prefix.
const (
	ClassBestEffort     = "best-effort"
	ClassNetworkControl = "network-control"
)

// cosQueues are the output queues traffic types take, in priority order:
// the eight queues of an SRX less 0 (best-effort) and 3 (network-control).
var cosQueues = [...]int{1, 2, 4, 5, 6, 7}

// MaxTrafficTypes is the most traffic types RenderCoS can give a queue of
// their own.
const MaxTrafficTypes = len(cosQueues)

// Bounds of a scheduler's transmit rate on Junos, in bits per second.
const (
	minTransmitRate netid.Bitrate = 3_200
	maxTransmitRate netid.Bitrate = 160_000_000_000
)

// networkControlPercent is the share of a link the network-control
// scheduler reserves.
const networkControlPercent = 5

// CoSClass is one forwarding class of a site's class of service.
type CoSClass struct {
	// Name is the forwarding class: "<tenant>-<network>-<traffic type>",
	// or ClassBestEffort or ClassNetworkControl.
	Name string
	// Traffic is the traffic type it carries; "" for the two default
	// classes.
	Traffic string
	// Queue is the output queue, 0–7.
	Queue int
	// Priority is the Junos scheduling priority: "strict-high", "high",
	// "medium-high", "medium-low" or "low".
	Priority string
}

// CoSConfig is one site's rendered class of service.
type CoSConfig struct {
	Site string
	// Classes are the forwarding classes by queue number.
	Classes []CoSClass
	// XML is a <configuration> document holding the class-of-service
	// hierarchy; Set is the same as set lines.
	XML, Set []byte
}

// RenderCoS writes the class of service that carries p's traffic types
// across one site's WAN links:
//
//   - a forwarding class per traffic type, "<tenant>-<network>-<name>",
//     on queues 1, 2, 4, 5, 6 and 7 in order of Priority (ties in the
//     order of p.Traffic), beside best-effort on queue 0 and
//     network-control on queue 3 (see ClassBestEffort);
//   - a DSCP classifier "<tenant>-<network>" mapping each type's code
//     point (and 000000 to best-effort, unless a type takes it) at loss
//     priority low, applied to the LAN unit; other code points land in
//     best-effort;
//   - a DSCP rewrite rule of the same name marking each type's packets
//     with its code point, applied to every WAN link's unit;
//   - a scheduler per class: a type with a Bandwidth gets it as its
//     transmit rate, one without gets a share of the remainder, as does
//     best-effort; network-control reserves 5 percent. Priority 1 maps to
//     strict-high, 2 to high, 3 to medium-high, 4 to medium-low and 5–8 to
//     low; best-effort is low and network-control high. Junos serves a
//     strict-high queue ahead of the others whatever its transmit rate,
//     and RenderCoS adds no policer to bound it;
//   - a scheduler map "<tenant>-<network>" on the physical interface of
//     every WAN link (at the interface, not the unit, which would need
//     per-unit-scheduler on the interface).
//
// linkRates, keyed by transport, is the rate each WAN link carries, when
// known (nil: none is). A link with a rate is shaped to it (shaping-rate on
// its physical interface), and the reserved bandwidth with network-control's
// share must fit in it.
//
// Errors wrap ErrInvalid and name the input: an unknown site, invalid
// policies, more than MaxTrafficTypes traffic types, a traffic type named
// like a default class, two types with one DSCP code point, more than one
// of priority 1 (Junos allows one strict-high queue per interface), a
// bandwidth outside 3200 bit/s – 160 Gbit/s, a rate for a transport the
// site lacks, or a link whose rate the reservations exceed. RenderCoS is
// pure and deterministic.
func RenderCoS(d Design, site string, p Policies, linkRates map[string]netid.Bitrate) (CoSConfig, error) {
	n := d.Network
	prefix := n.Tenant + "-" + n.Name
	bad := func(format string, a ...any) error {
		return fmt.Errorf("sdwan: class of service %s/%s at %s: %s: %w", n.Tenant, n.Name, site, fmt.Sprintf(format, a...), ErrInvalid)
	}
	s := n.site(site)
	if s == nil {
		return CoSConfig{}, bad("site %q: not in the network", site)
	}
	if err := p.Validate(); err != nil {
		return CoSConfig{}, err
	}
	if len(p.Traffic) > MaxTrafficTypes {
		return CoSConfig{}, bad("%d traffic types, %q the first without a queue: at most %d (queues %v; 0 is %s, 3 %s)",
			len(p.Traffic), p.Traffic[MaxTrafficTypes].Name, MaxTrafficTypes, cosQueues, ClassBestEffort, ClassNetworkControl)
	}
	byDSCP := map[uint8]string{}
	strict := ""
	for _, t := range p.Traffic {
		if t.Name == ClassBestEffort || t.Name == ClassNetworkControl {
			return CoSConfig{}, bad("traffic type %q: the name of a default forwarding class", t.Name)
		}
		if o, dup := byDSCP[t.DSCP]; dup {
			return CoSConfig{}, bad("traffic type %q: dscp %d (%06b) is %q's too", t.Name, t.DSCP, t.DSCP, o)
		}
		byDSCP[t.DSCP] = t.Name
		if t.Priority == 1 {
			if strict != "" {
				return CoSConfig{}, bad("traffic type %q: priority 1 (strict-high) is %q's already: one strict-high queue per interface", t.Name, strict)
			}
			strict = t.Name
		}
		if t.Bandwidth != 0 && (t.Bandwidth < minTransmitRate || t.Bandwidth > maxTransmitRate) {
			return CoSConfig{}, bad("traffic type %q: bandwidth %v outside %v-%v", t.Name, t.Bandwidth, minTransmitRate, maxTransmitRate)
		}
	}
	ifl := func(name string) (ifd, unit string, err error) {
		if err := checkIfl(name); err != nil {
			return "", "", bad("%v", err)
		}
		ifd, unit, _ = strings.Cut(name, ".")
		return ifd, unit, nil
	}
	for tr := range linkRates {
		if !slices.ContainsFunc(s.Links, func(l Link) bool { return l.Transport == tr }) {
			return CoSConfig{}, bad("link rate for transport %q: the site has no such link", tr)
		}
	}

	// Queues by priority, ties in the policies' order.
	order := slices.Clone(p.Traffic)
	slices.SortStableFunc(order, func(a, b TrafficType) int { return cmp.Compare(a.Priority, b.Priority) })
	classes := []CoSClass{{Name: ClassBestEffort, Queue: 0, Priority: "low"}, {Name: ClassNetworkControl, Queue: 3, Priority: "high"}}
	for i, tt := range order {
		classes = append(classes, CoSClass{Name: prefix + "-" + tt.Name, Traffic: tt.Name, Queue: cosQueues[i], Priority: schedPriority(tt.Priority)})
	}
	slices.SortFunc(classes, func(a, b CoSClass) int { return cmp.Compare(a.Queue, b.Queue) })
	bw := func(c CoSClass) netid.Bitrate {
		if c.Traffic == "" {
			return 0
		}
		return p.Traffic[slices.IndexFunc(p.Traffic, func(t TrafficType) bool { return t.Name == c.Traffic })].Bandwidth
	}
	dscp := func(c CoSClass) string {
		return fmt.Sprintf("%06b", p.Traffic[slices.IndexFunc(p.Traffic, func(t TrafficType) bool { return t.Name == c.Traffic })].DSCP)
	}

	// The reservations must fit every link whose rate is known.
	for _, l := range s.Links {
		rate, ok := linkRates[l.Transport]
		if !ok {
			continue
		}
		if rate < minTransmitRate || rate > maxTransmitRate {
			return CoSConfig{}, bad("link %q: rate %v outside %v-%v", l.Transport, rate, minTransmitRate, maxTransmitRate)
		}
		avail := rate / 100 * (100 - networkControlPercent)
		var sum netid.Bitrate
		for _, c := range classes {
			if sum += bw(c); sum > avail {
				return CoSConfig{}, bad("traffic type %q: reservations reach %v on link %q, more than the %v left of its %v after %s's %d%%",
					c.Traffic, sum, l.Transport, avail, rate, ClassNetworkControl, networkControlPercent)
			}
		}
	}

	t := jtree.New()
	cos := t.Container(jtree.Root, "class-of-service")

	// classifiers
	cl := t.Own(t.Entry(t.Container(cos, "classifiers"), "dscp", prefix))
	if _, taken := byDSCP[0]; !taken {
		t.LeafList(t.Entry(t.Entry(cl, "forwarding-class", ClassBestEffort), "loss-priority", "low"), "code-points", "000000")
	}
	for _, c := range classes {
		if c.Traffic != "" {
			t.LeafList(t.Entry(t.Entry(cl, "forwarding-class", c.Name), "loss-priority", "low"), "code-points", dscp(c))
		}
	}

	// forwarding-classes
	fcs := t.Container(cos, "forwarding-classes")
	for _, c := range classes {
		e := t.Entry(fcs, "class", c.Name)
		if c.Traffic != "" {
			t.Own(e)
		}
		t.SetStyle(e, jtree.Oneliner)
		t.Leaf(e, "queue-num", strconv.Itoa(c.Queue))
	}

	// interfaces: the classifier on the LAN unit, the rewrite rule on the
	// WAN units, the scheduler map (and shaping) on the WAN ports.
	ifs := t.Container(cos, "interfaces")
	ifd, unit, err := ifl(s.LANInterface)
	if err != nil {
		return CoSConfig{}, err
	}
	lu := t.Entry(t.NamelessEntry(ifs, "interface", ifd), "unit", unit)
	t.Own(t.Entry(t.Container(lu, "classifiers"), "dscp", prefix))
	for _, l := range s.Links {
		ifd, unit, err := ifl(l.Interface)
		if err != nil {
			return CoSConfig{}, err
		}
		wi := t.NamelessEntry(ifs, "interface", ifd)
		t.Own(t.Leaf(wi, "scheduler-map", prefix))
		if rate, ok := linkRates[l.Transport]; ok {
			t.Own(t.WrappedLeaf(wi, "shaping-rate", "rate", junosRate(rate)))
		}
		t.Own(t.Entry(t.Container(t.Entry(wi, "unit", unit), "rewrite-rules"), "dscp", prefix))
	}

	// rewrite-rules
	rw := t.Own(t.Entry(t.Container(cos, "rewrite-rules"), "dscp", prefix))
	for _, c := range classes {
		if c.Traffic != "" {
			t.Leaf(t.Entry(t.Entry(rw, "forwarding-class", c.Name), "loss-priority", "low"), "code-point", dscp(c))
		}
	}

	// scheduler-maps and schedulers
	sm := t.Own(t.Entry(cos, "scheduler-maps", prefix))
	for _, c := range classes {
		t.Leaf(t.Entry(sm, "forwarding-class", c.Name), "scheduler", schedName(prefix, c))
	}
	for _, c := range classes {
		sc := t.Own(t.Entry(cos, "schedulers", schedName(prefix, c)))
		switch r := bw(c); {
		case c.Name == ClassNetworkControl:
			t.Leaf(t.Container(sc, "transmit-rate"), "percent", strconv.Itoa(networkControlPercent))
		case r != 0:
			t.WrappedLeaf(sc, "transmit-rate", "rate", junosRate(r))
		default:
			t.Flag(t.Container(sc, "transmit-rate"), "remainder")
		}
		t.Leaf(sc, "priority", c.Priority)
	}
	if err := t.Err(); err != nil {
		return CoSConfig{}, bad("%v", err)
	}
	return CoSConfig{Site: site, Classes: classes, XML: t.AppendXML(nil), Set: t.AppendSet(nil)}, nil
}

// schedName is the scheduler of class c: the class name for traffic types
// (already prefixed), the prefixed default class name otherwise.
func schedName(prefix string, c CoSClass) string {
	if c.Traffic != "" {
		return c.Name
	}
	return prefix + "-" + c.Name
}

// schedPriority maps a traffic type's Priority (1 highest … 8 lowest) to a
// Junos scheduling priority.
func schedPriority(p int) string {
	switch p {
	case 1:
		return "strict-high"
	case 2:
		return "high"
	case 3:
		return "medium-high"
	case 4:
		return "medium-low"
	}
	return "low"
}

// junosRate writes r as Junos reads a rate: a whole number with the largest
// of k, m or g that divides it ("2m", "1500k", "3200").
func junosRate(r netid.Bitrate) string {
	for _, u := range []struct {
		div    netid.Bitrate
		suffix string
	}{{1e9, "g"}, {1e6, "m"}, {1e3, "k"}} {
		if r%u.div == 0 {
			return strconv.FormatUint(uint64(r/u.div), 10) + u.suffix
		}
	}
	return strconv.FormatUint(uint64(r), 10)
}
