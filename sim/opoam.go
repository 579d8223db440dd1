package sim

// OAM from the network state: MPLS ping (lsping-results) and Ethernet CFM
// delay, loss and SLA-iterator statistics. Measurements follow the path
// netstate computed: one-way delay is the sum of the links' delays, each
// link adds up to its jitter, and frames are lost with the path's loss
// probability. A pseudo-random sequence seeded by the device and the
// request makes every answer deterministic: asking twice gives the same
// numbers, a different count or a different target gives others.

import (
	"context"
	"fmt"
	"hash/fnv"
	"math"
	"math/rand/v2"
	"net/netip"
	"strconv"
	"strings"
	"time"

	"github.com/carrierkit/carrierkit/sim/netstate"
)

// perHop is the forwarding time each router on a path adds, each way.
const perHop = 20 * time.Microsecond

// seededRand returns a generator seeded by the device and key.
func (d *Device) seededRand(key string) *rand.Rand {
	h := fnv.New64a()
	h.Write([]byte(d.Hostname()))
	h.Write([]byte{0})
	h.Write([]byte(key))
	s := h.Sum64()
	return rand.New(rand.NewPCG(s, s^0x9e3779b97f4a7c15))
}

// sample returns one round trip over p (and whether it was lost): two
// one-way trips, each the path delay plus uniform jitter in [0, Jitter)
// plus per-hop forwarding.
func sample(rng *rand.Rand, p netstate.Path) (time.Duration, bool) {
	lost := rng.Float64() < p.Loss || rng.Float64() < p.Loss
	one := func() time.Duration {
		t := p.Delay + time.Duration(len(p.Hops))*perHop
		if p.Jitter > 0 {
			t += time.Duration(rng.Int64N(int64(p.Jitter)))
		}
		return t
	}
	return one() + one(), lost
}

// pingTarget is what an MPLS ping resolved to.
type pingTarget struct {
	path   netstate.Path
	egress netip.Addr // replying router's address
	label  uint32     // top label pushed
	up     bool       // false: echo requests go nowhere (all time out)
}

// pingError is the error a device gives when it cannot even send probes.
func pingError(msg string) error { return &dbError{"operation-failed", "error: " + msg} }

func pingCount(r opRequest) (int, error) {
	c := r.arg("count")
	if c == "" {
		return 5, nil
	}
	n, err := strconv.Atoi(c)
	if err != nil || n < 1 || n > 1000000 {
		return 0, &dbError{"invalid-value", fmt.Sprintf("error: count %q: value out of range (1..1000000)", c)}
	}
	return n, nil
}

// lsping runs count probes to t and renders Junos' lsping-results.
func (d *Device) lsping(r opRequest, t pingTarget) (*reply, error) {
	count, err := pingCount(r)
	if err != nil {
		return nil, err
	}
	rng := d.seededRand(r.xml())
	var w xw
	w.open("lsping-results", "xmlns", d.ns("junos-ping"))
	var text, marks strings.Builder
	detail := r.flag("detail")
	var rtts []float64
	for i := 1; i <= count; i++ {
		rtt, lost := sample(rng, t.path)
		if detail {
			fmt.Fprintf(&text, "Request for seq %d, to interface 0, label %d, packet size 100\n", i, t.label)
		}
		w.open("lsping-probe-request").leaf("lsping-sequence-number", strconv.Itoa(i)).leaf("lsping-label", strconv.FormatUint(uint64(t.label), 10)).close("lsping-probe-request")
		if !t.up || lost {
			if detail {
				fmt.Fprintf(&text, "Timeout for seq %d\n", i)
			}
			marks.WriteByte('.')
			continue
		}
		ms := float64(rtt) / float64(time.Millisecond)
		rtts = append(rtts, ms)
		w.open("lsping-probe-reply").leaf("lsping-sequence-number", strconv.Itoa(i)).leaf("lsping-return-code", "Egress-ok")
		w.leaf("lsping-round-trip-time", fmt.Sprintf("%.3f", ms)).leaf("lsping-ip-address", t.egress.String()).close("lsping-probe-reply")
		if detail {
			fmt.Fprintf(&text, "Reply for seq %d, return code: Egress-ok, time: %.3f ms\n", i, ms)
		}
		marks.WriteByte('!')
	}
	if !detail {
		text.WriteString(marks.String() + "\n")
	}
	recv := len(rtts)
	loss := 100 * (count - recv) / count
	w.open("lsping-results-summary").leaf("lsping-packets-transmitted", strconv.Itoa(count)).leaf("lsping-packets-received", strconv.Itoa(recv))
	w.leaf("lsping-packet-loss", strconv.Itoa(loss))
	fmt.Fprintf(&text, "\n--- lsping statistics ---\n%d packets transmitted, %d packets received, %d%% packet loss\n", count, recv, loss)
	if recv > 0 {
		mn, avg, mx, sd := stats(rtts)
		w.leaf("lsping-packet-time-minimum", fmt.Sprintf("%.3f", mn)).leaf("lsping-packet-time-average", fmt.Sprintf("%.3f", avg))
		w.leaf("lsping-packet-time-maximum", fmt.Sprintf("%.3f", mx)).leaf("lsping-packet-time-stddev", fmt.Sprintf("%.3f", sd))
		fmt.Fprintf(&text, "round-trip min/avg/max/stddev = %.3f/%.3f/%.3f/%.3f ms\n", mn, avg, mx, sd)
	}
	w.close("lsping-results-summary")
	if recv > 0 {
		w.empty("lsping-success")
	} else {
		w.empty("lsping-failure")
	}
	w.close("lsping-results")
	return &reply{xml: w.bytes(), text: text.String()}, nil
}

func stats(xs []float64) (mn, avg, mx, sd float64) {
	mn, mx = math.Inf(1), math.Inf(-1)
	for _, x := range xs {
		avg += x
		mn, mx = math.Min(mn, x), math.Max(mx, x)
	}
	avg /= float64(len(xs))
	for _, x := range xs {
		sd += (x - avg) * (x - avg)
	}
	sd = math.Sqrt(sd / float64(len(xs)))
	return
}

// needNet returns the network view or the error a lone device gives.
func (d *Device) needNet() (*netstate.State, string, error) {
	st, name := d.netView()
	if st == nil {
		return nil, "", pingError("no route to the destination (device not connected to a network)")
	}
	return st, name, nil
}

func required(r opRequest, names ...string) error {
	for _, n := range names {
		if r.arg(n) == "" {
			return &dbError{"missing-element", fmt.Sprintf("syntax error: missing argument <%s>", n)}
		}
	}
	return nil
}

// pwTarget turns a pseudowire into a ping target.
func pwTarget(st *netstate.State, name string, pw netstate.PW) (pingTarget, error) {
	if pw.OutLabel == 0 || pw.Status == "OL" {
		return pingTarget{}, pingError(fmt.Sprintf("no outgoing label for l2circuit %s (vc %d) to %s: connection status %s", pw.Interface, pw.VCID, pw.Neighbor, pw.Status))
	}
	t := pingTarget{egress: pw.Neighbor, label: pw.OutLabel, up: pw.Status == "Up", path: pw.Path}
	if !t.up {
		t.path, _ = st.Path(name, pw.Neighbor)
	}
	return t, nil
}

func opPingL2circuitIf(_ context.Context, d *Device, _ *session, r opRequest) (*reply, error) {
	if err := required(r, "interface-name"); err != nil {
		return nil, err
	}
	st, name, err := d.needNet()
	if err != nil {
		return nil, err
	}
	ifl := r.arg("interface-name")
	for _, pw := range st.Pseudowires(name) {
		if pw.Interface == ifl {
			t, err := pwTarget(st, name, pw)
			if err != nil {
				return nil, err
			}
			return d.lsping(r, t)
		}
	}
	return nil, pingError(fmt.Sprintf("no l2circuit connection on interface %s", ifl))
}

func opPingL2circuitVC(_ context.Context, d *Device, _ *session, r opRequest) (*reply, error) {
	if err := required(r, "neighbor", "virtual-circuit-id"); err != nil {
		return nil, err
	}
	st, name, err := d.needNet()
	if err != nil {
		return nil, err
	}
	vc, err := strconv.ParseUint(r.arg("virtual-circuit-id"), 10, 32)
	if err != nil {
		return nil, &dbError{"invalid-value", fmt.Sprintf("error: virtual-circuit-id %q: want a number", r.arg("virtual-circuit-id"))}
	}
	nb := r.arg("neighbor")
	for _, pw := range st.Pseudowires(name) {
		if pw.Neighbor.String() == nb && pw.VCID == uint32(vc) {
			t, err := pwTarget(st, name, pw)
			if err != nil {
				return nil, err
			}
			return d.lsping(r, t)
		}
	}
	return nil, pingError(fmt.Sprintf("no l2circuit with virtual circuit %d to neighbor %s", vc, nb))
}

// vplsConnTarget turns an l2vpn connection into a ping target.
func vplsConnTarget(st *netstate.State, name string, c netstate.VPLSConn) (pingTarget, error) {
	if c.OutLabel == 0 || c.Status == "OL" {
		return pingTarget{}, pingError(fmt.Sprintf("no outgoing label for the connection to site %d: connection status %s", c.RemoteSite, c.Status))
	}
	p, ok := st.Path(name, c.Neighbor)
	return pingTarget{path: p, egress: c.Neighbor, label: c.OutLabel, up: ok && c.Status == "Up"}, nil
}

func (d *Device) l2vpnInstances(s *session) []string {
	v := newCfgView(s.committed())
	var out []string
	for _, n := range v.keys("routing-instances") {
		if v.value("routing-instances", n, "instance-type") == "l2vpn" {
			out = append(out, n)
		}
	}
	return out
}

func opPingL2vpnIf(_ context.Context, d *Device, s *session, r opRequest) (*reply, error) {
	if err := required(r, "interface-name"); err != nil {
		return nil, err
	}
	st, name, err := d.needNet()
	if err != nil {
		return nil, err
	}
	ifl := r.arg("interface-name")
	for _, inst := range d.l2vpnInstances(s) {
		for _, c := range st.L2VPN(name, inst).Connections {
			if c.Interface == ifl {
				t, err := vplsConnTarget(st, name, c)
				if err != nil {
					return nil, err
				}
				return d.lsping(r, t)
			}
		}
	}
	return nil, pingError(fmt.Sprintf("no l2vpn connection on interface %s", ifl))
}

func opPingL2vpnInstance(_ context.Context, d *Device, s *session, r opRequest) (*reply, error) {
	if err := required(r, "instance-name", "local-site-id", "remote-site-id"); err != nil {
		return nil, err
	}
	st, name, err := d.needNet()
	if err != nil {
		return nil, err
	}
	inst := r.arg("instance-name")
	vi := st.L2VPN(name, inst)
	if vi.Signalling == "" {
		return nil, pingError(fmt.Sprintf("l2vpn instance %s not found", inst))
	}
	for _, c := range vi.Connections {
		if strconv.FormatUint(uint64(c.LocalSite), 10) == r.arg("local-site-id") && strconv.FormatUint(uint64(c.RemoteSite), 10) == r.arg("remote-site-id") {
			t, err := vplsConnTarget(st, name, c)
			if err != nil {
				return nil, err
			}
			return d.lsping(r, t)
		}
	}
	return nil, pingError(fmt.Sprintf("no connection between local site %s and remote site %s in instance %s", r.arg("local-site-id"), r.arg("remote-site-id"), inst))
}

func opPingL3vpn(_ context.Context, d *Device, s *session, r opRequest) (*reply, error) {
	if err := required(r, "l3vpn-name", "prefix"); err != nil {
		return nil, err
	}
	st, name, err := d.needNet()
	if err != nil {
		return nil, err
	}
	vrf := r.arg("l3vpn-name")
	pfx, err := parsePrefixOrAddr(r.arg("prefix"))
	if err != nil {
		return nil, &dbError{"invalid-value", fmt.Sprintf("error: prefix %q: want an address or prefix", r.arg("prefix"))}
	}
	if !containsStr(tablesOf(newCfgView(s.committed())), vrf+".inet.0") {
		return nil, pingError(fmt.Sprintf("routing instance %s not found or not a VRF", vrf))
	}
	rt, ok := bestRoute(st.Routes(name, vrf+".inet.0"), pfx.Addr())
	if !ok {
		return nil, pingError(fmt.Sprintf("no route to %s in routing instance %s", pfx, vrf))
	}
	if rt.Protocol != "BGP" {
		return nil, pingError(fmt.Sprintf("%s is a local route in %s: nothing to ping over MPLS", pfx, vrf))
	}
	p, up := st.Path(name, rt.NextHop)
	return d.lsping(r, pingTarget{path: p, egress: rt.NextHop, label: rt.Label, up: up})
}

func opPingRSVP(_ context.Context, d *Device, _ *session, r opRequest) (*reply, error) {
	if err := required(r, "lsp-name"); err != nil {
		return nil, err
	}
	st, name, err := d.needNet()
	if err != nil {
		return nil, err
	}
	l := st.LSP(name, r.arg("lsp-name"))
	if l.Reason == "no such LSP" {
		return nil, pingError(fmt.Sprintf("RSVP LSP %s not found", r.arg("lsp-name")))
	}
	return d.lsping(r, pingTarget{path: l.Path, egress: l.To, label: l.LabelOut, up: l.Up})
}

// transportPing pings the inet.3 route to a FEC (LDP only when ldpOnly).
func (d *Device) transportPing(r opRequest, arg string, ldpOnly bool) (*reply, error) {
	if err := required(r, arg); err != nil {
		return nil, err
	}
	st, name, err := d.needNet()
	if err != nil {
		return nil, err
	}
	pfx, err := parsePrefixOrAddr(r.arg(arg))
	if err != nil {
		return nil, &dbError{"invalid-value", fmt.Sprintf("error: %s %q: want an address or prefix", arg, r.arg(arg))}
	}
	for _, rt := range st.Routes(name, "inet.3") {
		if !rt.Prefix.Contains(pfx.Addr()) || (ldpOnly && rt.Protocol != "LDP") {
			continue
		}
		p, up := st.Path(name, pfx.Addr())
		return d.lsping(r, pingTarget{path: p, egress: pfx.Addr(), label: rt.Label, up: up})
	}
	if ldpOnly {
		return nil, pingError(fmt.Sprintf("no LDP LSP to FEC %s", pfx))
	}
	return nil, pingError(fmt.Sprintf("no LSP to %s", pfx))
}

func opPingLDP(_ context.Context, d *Device, _ *session, r opRequest) (*reply, error) {
	return d.transportPing(r, "fec", true)
}

func opPingEndPoint(_ context.Context, d *Device, _ *session, r opRequest) (*reply, error) {
	return d.transportPing(r, "prefix", false)
}

// ---- CFM performance monitoring ----

// cfmSession is one local MEP / remote MEP pair selected by a request.
type cfmSession struct {
	md, ma, mep, rmep, ifn, level string
	st                            netstate.MEPState
}

const cfmBase = "protocols oam ethernet connectivity-fault-management maintenance-domain"

// cfmSessions lists the local/remote MEP pairs matching the request.
func (d *Device) cfmSessions(s *session, r opRequest) ([]cfmSession, error) {
	if err := required(r, "maintenance-domain", "maintenance-association"); err != nil {
		return nil, err
	}
	v := newCfgView(s.committed())
	base := strings.Fields(cfmBase)
	md, ma := r.arg("maintenance-domain"), r.arg("maintenance-association")
	if !v.exists(cat(base, md, "maintenance-association", ma)...) {
		return nil, &dbError{"invalid-value", fmt.Sprintf("error: maintenance association %s in domain %s not found", ma, md)}
	}
	st, name := d.netView()
	mab := cat(base, md, "maintenance-association", ma, "mep")
	var out []cfmSession
	for _, mep := range v.keys(mab...) {
		if f := r.arg("local-mep"); f != "" && f != mep {
			continue
		}
		for _, rm := range v.keys(cat(mab, mep, "remote-mep")...) {
			if f := r.arg("remote-mep"); f != "" && f != rm {
				continue
			}
			cs := cfmSession{md: md, ma: ma, mep: mep, rmep: rm, ifn: v.value(cat(mab, mep, "interface")...),
				level: v.value(cat(base, md, "level")...), st: netstate.MEPState{State: "failed"}}
			if st != nil {
				m, _ := strconv.Atoi(mep)
				x, _ := strconv.Atoi(rm)
				cs.st = st.RemoteMEP(name, md, ma, m, x)
			}
			out = append(out, cs)
		}
	}
	return out, nil
}

func cfmCount(r opRequest, def int) (int, error) {
	c := r.arg("count")
	if c == "" {
		return def, nil
	}
	n, err := strconv.Atoi(c)
	if err != nil || n < 1 || n > 100 {
		return 0, &dbError{"invalid-value", fmt.Sprintf("error: count %q: value out of range (1..100)", c)}
	}
	return n, nil
}

func usec(d time.Duration) string { return strconv.FormatInt(int64(d/time.Microsecond), 10) }

// delaySummary is what a series of two-way delay measurements yields.
type delaySummary struct {
	oneway, twoway                  []time.Duration
	avg2, var2, best2, worst2, avg1 time.Duration
	best1, worst1, var1             time.Duration
}

// measureDelay runs n ETH-DM exchanges (or fewer when frames are lost).
func measureDelay(rng *rand.Rand, p netstate.Path, n int) delaySummary {
	var s delaySummary
	for i := 0; i < n; i++ {
		rtt, lost := sample(rng, p)
		if lost {
			continue
		}
		one := p.Delay + time.Duration(len(p.Hops))*perHop
		if p.Jitter > 0 {
			one += time.Duration(rng.Int64N(int64(p.Jitter)))
		}
		s.twoway = append(s.twoway, rtt)
		s.oneway = append(s.oneway, one)
	}
	sum := func(xs []time.Duration) (avg, vari, best, worst time.Duration) {
		if len(xs) == 0 {
			return
		}
		best, worst = xs[0], xs[0]
		var tot, vtot time.Duration
		for i, x := range xs {
			tot += x
			best, worst = min(best, x), max(worst, x)
			if i > 0 {
				dv := x - xs[i-1]
				if dv < 0 {
					dv = -dv
				}
				vtot += dv
			}
		}
		avg = tot / time.Duration(len(xs))
		if len(xs) > 1 {
			vari = vtot / time.Duration(len(xs)-1)
		}
		return
	}
	s.avg2, s.var2, s.best2, s.worst2 = sum(s.twoway)
	s.avg1, s.var1, s.best1, s.worst1 = sum(s.oneway)
	return s
}

func (cs cfmSession) key(kind string) string {
	return strings.Join([]string{kind, cs.md, cs.ma, cs.mep, cs.rmep}, "/")
}

func (cs cfmSession) open(w *xw) {
	w.open("cfm-entry")
	w.open("cfm-interface-entry").leaf("cfm-interface-name", cs.ifn).close("cfm-interface-entry")
	w.leaf("cfm-maintenance-domain-name", cs.md).leaf("cfm-maintenance-association-name", cs.ma).leaf("cfm-level", cs.level)
	w.leaf("cfm-local-mep-identifier", cs.mep).leaf("cfm-remote-mep-identifier", cs.rmep).leaf("cfm-remote-mep-state", cs.st.State)
	if cs.st.RemoteMAC != "" {
		w.leaf("cfm-remote-mep-mac-address", cs.st.RemoteMAC)
	}
}

func writeDelaySummary(w *xw, text *strings.Builder, s delaySummary) {
	w.open("cfm-ethdm-oneway-delay-summary").leaf("cfm-ethdm-average-oneway-delay", usec(s.avg1)).leaf("cfm-ethdm-average-oneway-delay-variation", usec(s.var1))
	w.leaf("cfm-ethdm-bestcase-oneway-delay", usec(s.best1)).leaf("cfm-ethdm-worstcase-oneway-delay", usec(s.worst1)).close("cfm-ethdm-oneway-delay-summary")
	w.open("cfm-ethdm-twoway-delay-summary").leaf("cfm-ethdm-average-twoway-delay", usec(s.avg2)).leaf("cfm-ethdm-average-twoway-delay-variation", usec(s.var2))
	w.leaf("cfm-ethdm-bestcase-twoway-delay", usec(s.best2)).leaf("cfm-ethdm-worstcase-twoway-delay", usec(s.worst2)).close("cfm-ethdm-twoway-delay-summary")
	fmt.Fprintf(text, "  Average one-way delay                : %s usec\n  Average one-way delay variation      : %s usec\n  Best case one-way delay              : %s usec\n  Worst case one-way delay             : %s usec\n",
		usec(s.avg1), usec(s.var1), usec(s.best1), usec(s.worst1))
	fmt.Fprintf(text, "  Average two-way delay                : %s usec\n  Average two-way delay variation      : %s usec\n  Best case two-way delay              : %s usec\n  Worst case two-way delay             : %s usec\n",
		usec(s.avg2), usec(s.var2), usec(s.best2), usec(s.worst2))
}

func opCFMDelay(_ context.Context, d *Device, s *session, r opRequest) (*reply, error) {
	sessions, err := d.cfmSessions(s, r)
	if err != nil {
		return nil, err
	}
	n, err := cfmCount(r, 10)
	if err != nil {
		return nil, err
	}
	var w xw
	w.open("cfm-delay-statistics", "xmlns", d.ns("junos-cfm"))
	var text strings.Builder
	for _, cs := range sessions {
		cs.open(&w)
		fmt.Fprintf(&text, "MEP identifier: %s, MAC address: %s\n  Remote MEP count: 1\n    Identifier: %s, MAC address: %s\n", cs.mep, macFor(d.Hostname(), cs.ifn), cs.rmep, cs.st.RemoteMAC)
		if cs.st.State != "ok" {
			text.WriteString("  Delay measurement statistics:\n  No entries\n\n")
			w.close("cfm-entry")
			continue
		}
		sum := measureDelay(d.seededRand(cs.key("dm")+"/"+strconv.Itoa(n)), cs.st.Path, n)
		text.WriteString("  Delay measurement statistics:\n  Index      One-way delay   Two-way delay\n             (usec)          (usec)\n")
		for i := range sum.twoway {
			w.open("cfm-ethdm-delay-entry").leaf("cfm-ethdm-delay-entry-index", strconv.Itoa(i+1))
			w.leaf("cfm-ethdm-oneway-delay", usec(sum.oneway[i])).leaf("cfm-ethdm-twoway-delay", usec(sum.twoway[i])).close("cfm-ethdm-delay-entry")
			fmt.Fprintf(&text, "    %-9d%-16s%s\n", i+1, usec(sum.oneway[i]), usec(sum.twoway[i]))
		}
		writeDelaySummary(&w, &text, sum)
		text.WriteString("\n")
		w.close("cfm-entry")
	}
	w.close("cfm-delay-statistics")
	return &reply{xml: w.bytes(), text: trimLines(text.String())}, nil
}

// lossFrames is how many frames each loss-measurement interval counts.
const lossFrames = 1000

// countLoss draws how many of n frames a path with loss probability p loses.
func countLoss(rng *rand.Rand, n int, p float64) int {
	lost := 0
	if p <= 0 {
		return 0
	}
	for i := 0; i < n; i++ {
		if rng.Float64() < p {
			lost++
		}
	}
	return lost
}

func opCFMLoss(_ context.Context, d *Device, s *session, r opRequest) (*reply, error) {
	sessions, err := d.cfmSessions(s, r)
	if err != nil {
		return nil, err
	}
	n, err := cfmCount(r, 10)
	if err != nil {
		return nil, err
	}
	var w xw
	w.open("cfm-loss-statistics", "xmlns", d.ns("junos-cfm"))
	var text strings.Builder
	for _, cs := range sessions {
		cs.open(&w)
		fmt.Fprintf(&text, "MEP identifier: %s, MAC address: %s\n  Remote MEP count: 1\n    Identifier: %s, MAC address: %s\n", cs.mep, macFor(d.Hostname(), cs.ifn), cs.rmep, cs.st.RemoteMAC)
		if cs.st.State != "ok" {
			text.WriteString("  Loss measurement statistics:\n  No entries\n\n")
			w.close("cfm-entry")
			continue
		}
		rng := d.seededRand(cs.key("lm") + "/" + strconv.Itoa(n))
		text.WriteString("  Loss measurement statistics:\n  Index  Near-end loss  Far-end loss  (frames of 1000)\n")
		var nearTot, farTot int
		for i := 1; i <= n; i++ {
			near, far := countLoss(rng, lossFrames, cs.st.Path.Loss), countLoss(rng, lossFrames, cs.st.Path.Loss)
			nearTot, farTot = nearTot+near, farTot+far
			w.open("cfm-ethlm-cir-loss-entry").leaf("cfm-ethlm-cir-loss-entry-index", strconv.Itoa(i))
			w.leaf("cfm-ethlm-near-end-cir-frame-loss", strconv.Itoa(near)).leaf("cfm-ethlm-far-end-cir-frame-loss", strconv.Itoa(far))
			w.leaf("cfm-ethlm-near-end-total-cir-tx", strconv.Itoa(lossFrames)).leaf("cfm-ethlm-far-end-total-cir-rx", strconv.Itoa(lossFrames-far))
			w.close("cfm-ethlm-cir-loss-entry")
			fmt.Fprintf(&text, "    %-7d%-15d%d\n", i, near, far)
		}
		tot := n * lossFrames
		w.open("cfm-ethlm-cir-loss-summary").leaf("cfm-ethlm-total-near-end-cir-loss", strconv.Itoa(nearTot))
		w.leaf("cfm-ethlm-total-near-end-cir-loss-ratio", lossRatio(nearTot, tot)).leaf("cfm-ethlm-total-far-end-cir-loss", strconv.Itoa(farTot))
		w.leaf("cfm-ethlm-total-far-end-cir-loss-ratio", lossRatio(farTot, tot)).close("cfm-ethlm-cir-loss-summary")
		fmt.Fprintf(&text, "  Total near-end loss: %d frames (%s%%)\n  Total far-end loss : %d frames (%s%%)\n\n", nearTot, lossRatio(nearTot, tot), farTot, lossRatio(farTot, tot))
		w.close("cfm-entry")
	}
	w.close("cfm-loss-statistics")
	return &reply{xml: w.bytes(), text: trimLines(text.String())}, nil
}

func lossRatio(lost, total int) string {
	if total == 0 {
		return "0.00"
	}
	return fmt.Sprintf("%.2f", 100*float64(lost)/float64(total))
}

const slaBase = "protocols oam ethernet connectivity-fault-management performance-monitoring sla-iterator-profiles"

// opCFMIterator reports an SLA iterator's statistics: the iterator runs one
// measurement per cycle-time since the last commit (device clock, so a
// VirtualClock drives it), at most iteration-period per iteration.
func opCFMIterator(_ context.Context, d *Device, s *session, r opRequest) (*reply, error) {
	if err := required(r, "sla-iterator", "maintenance-domain", "maintenance-association", "local-mep", "remote-mep"); err != nil {
		return nil, err
	}
	v := newCfgView(s.committed())
	prof := r.arg("sla-iterator")
	pb := append(strings.Fields(slaBase), prof)
	if !v.exists(pb...) {
		return nil, &dbError{"invalid-value", fmt.Sprintf("error: sla-iterator-profile %s not configured", prof)}
	}
	base := strings.Fields(cfmBase)
	rb := cat(base, r.arg("maintenance-domain"), "maintenance-association", r.arg("maintenance-association"), "mep", r.arg("local-mep"), "remote-mep", r.arg("remote-mep"))
	if !containsStr(v.keys(cat(rb, "sla-iterator-profile")...), prof) {
		return nil, &dbError{"invalid-value", fmt.Sprintf("error: sla-iterator-profile %s is not attached to remote MEP %s of MEP %s", prof, r.arg("remote-mep"), r.arg("local-mep"))}
	}
	sessions, err := d.cfmSessions(s, r)
	if err != nil {
		return nil, err
	}
	cycle := 1000 * time.Millisecond
	if c, err := strconv.Atoi(v.value(cat(pb, "cycle-time")...)); err == nil && c > 0 {
		cycle = time.Duration(c) * time.Millisecond
	}
	period := 2000
	if p, err := strconv.Atoi(v.value(cat(pb, "iteration-period")...)); err == nil && p > 0 {
		period = p
	}
	mtype := v.value(cat(pb, "measurement-type")...)
	if mtype == "" {
		mtype = "two-way-delay"
	}
	elapsed := d.clock.Now().Sub(d.committedAt())
	cycles := 0
	if elapsed > 0 {
		cycles = int(elapsed / cycle)
	}
	iterations := cycles / period
	current := cycles % period
	if iterations > 0 && current == 0 {
		current = period
	}
	var w xw
	w.open("cfm-iterator-statistics", "xmlns", d.ns("junos-cfm"))
	var text strings.Builder
	for _, cs := range sessions {
		cs.open(&w)
		w.open("cfm-iter-info").leaf("cfm-iter-profile-name", prof).leaf("cfm-iter-measurement-type", mtype)
		w.leaf("cfm-iter-cycle-time", strconv.Itoa(int(cycle/time.Millisecond))).leaf("cfm-iter-iteration-period", strconv.Itoa(period))
		w.leaf("cfm-iter-completed-iterations", strconv.Itoa(iterations)).leaf("cfm-iter-current-cycles", strconv.Itoa(current)).close("cfm-iter-info")
		fmt.Fprintf(&text, "Iterator: %s, Measurement type: %s, Cycle time: %d ms, Iteration period: %d cycles\n  MEP: %s, Remote MEP: %s, State: %s\n  Cycles this iteration: %d, Completed iterations: %d\n",
			prof, mtype, cycle/time.Millisecond, period, cs.mep, cs.rmep, cs.st.State, current, iterations)
		n := min(current, 10000) // statistics over the current iteration's measurements (bounded)
		if cs.st.State != "ok" || n == 0 {
			w.close("cfm-entry")
			text.WriteString("  No measurements\n\n")
			continue
		}
		rng := d.seededRand(cs.key("iter/"+prof) + "/" + strconv.Itoa(cycles))
		switch mtype {
		case "loss", "statistical-frame-loss", "slm":
			near, far := countLoss(rng, n, cs.st.Path.Loss), countLoss(rng, n, cs.st.Path.Loss)
			w.open("cfm-iter-ethlm-entry").leaf("cfm-ethlm-total-near-end-cir-loss", strconv.Itoa(near)).leaf("cfm-ethlm-total-far-end-cir-loss", strconv.Itoa(far))
			w.leaf("cfm-ethlm-total-near-end-cir-loss-ratio", lossRatio(near, n)).leaf("cfm-ethlm-total-far-end-cir-loss-ratio", lossRatio(far, n)).close("cfm-iter-ethlm-entry")
			fmt.Fprintf(&text, "  Near-end loss: %d of %d (%s%%), far-end loss: %d of %d (%s%%)\n\n", near, n, lossRatio(near, n), far, n, lossRatio(far, n))
		default:
			sum := measureDelay(rng, cs.st.Path, n)
			w.open("cfm-iter-ethdm-entry").leaf("cfm-iter-ethdm-measurements", strconv.Itoa(len(sum.twoway))).close("cfm-iter-ethdm-entry")
			fmt.Fprintf(&text, "  Measurements: %d\n", len(sum.twoway))
			writeDelaySummary(&w, &text, sum)
			text.WriteString("\n")
		}
		w.close("cfm-entry")
	}
	w.close("cfm-iterator-statistics")
	return &reply{xml: w.bytes(), text: trimLines(text.String())}, nil
}
