package sla

import (
	"encoding/xml"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// RemoteMEP is one remote MEP as a device's MEP database reports it.
type RemoteMEP struct {
	// Domain, MA and Level identify the maintenance association.
	Domain, MA string
	Level      int
	// Local is the device's MEP, Remote the far one.
	Local  MEPID
	Remote MEPID
	// State is the device's word: "ok" or "failed" (others kept as read).
	State string
	// Interface is the local MEP's interface.
	Interface string
}

// OK reports whether the remote MEP's continuity check is up.
func (r RemoteMEP) OK() bool { return r.State == "ok" }

// DelayResult is one MEP pair's ETH-DM result: the individual delays and
// the device's own summary.
type DelayResult struct {
	RemoteMEP
	OneWay, TwoWay []time.Duration
	// AvgTwoWay … are the device's summary (microsecond precision).
	AvgTwoWay, AvgTwoWayVariation, BestTwoWay, WorstTwoWay time.Duration
	AvgOneWay, AvgOneWayVariation, BestOneWay, WorstOneWay time.Duration
}

// LossResult is one MEP pair's ETH-LM result, interval by interval.
type LossResult struct {
	RemoteMEP
	Intervals []Loss
}

// Total sums the intervals.
func (l LossResult) Total() Loss {
	var t Loss
	for _, x := range l.Intervals {
		t = t.Add(x)
	}
	return t
}

// IteratorResult is one MEP pair's SLA iterator statistics.
type IteratorResult struct {
	RemoteMEP
	// Profile and Type are the iterator profile and its measurement type.
	Profile, Type string
	// CycleTime and IterationPeriod are as configured.
	CycleTime       time.Duration
	IterationPeriod int
	Completed       int // completed iterations
	Current         int // cycles in the current iteration
	// Delay measurements: count and the device's summary.
	Measurements                                           int
	AvgTwoWay, AvgTwoWayVariation, BestTwoWay, WorstTwoWay time.Duration
	AvgOneWay, AvgOneWayVariation, BestOneWay, WorstOneWay time.Duration
	// Loss measurements over the current iteration's Current frames.
	NearEndLost, FarEndLost int
}

// Loss is the iterator's loss over its current cycles (one frame per cycle).
func (r IteratorResult) Loss() Loss {
	return Loss{FarEndLost: uint64(r.FarEndLost), FarEndSent: uint64(r.Current), NearEndLost: uint64(r.NearEndLost), NearEndSent: uint64(r.Current)}
}

// xnode is a generic element: name, text and children, namespaces dropped.
type xnode struct {
	XMLName xml.Name
	Text    string  `xml:",chardata"`
	Kids    []xnode `xml:",any"`
}

func (n *xnode) child(name string) *xnode {
	for i := range n.Kids {
		if n.Kids[i].XMLName.Local == name {
			return &n.Kids[i]
		}
	}
	return nil
}

func (n *xnode) all(name string) []*xnode {
	var out []*xnode
	for i := range n.Kids {
		if n.Kids[i].XMLName.Local == name {
			out = append(out, &n.Kids[i])
		}
	}
	return out
}

// str returns the trimmed text of the descendant at path, "" if missing.
func (n *xnode) str(path ...string) string {
	c := n
	for _, p := range path {
		if c = c.child(p); c == nil {
			return ""
		}
	}
	return strings.TrimSpace(c.Text)
}

// reader collects the first parse error of a reply.
type reader struct {
	rpc string
	err error
}

func (r *reader) fail(what, v string) {
	if r.err == nil {
		r.err = fmt.Errorf("sla: %s reply: %s %q: %w", r.rpc, what, v, ErrBadReply)
	}
}

func (r *reader) int(n *xnode, path ...string) int {
	s := n.str(path...)
	if s == "" {
		return 0
	}
	v, err := strconv.Atoi(s)
	if err != nil || v < 0 {
		r.fail(strings.Join(path, "/"), s)
	}
	return v
}

// usec reads a microsecond count.
func (r *reader) usec(n *xnode, path ...string) time.Duration {
	return time.Duration(r.int(n, path...)) * time.Microsecond
}

func (r *reader) mep(n *xnode, path ...string) MEPID {
	s := n.str(path...)
	id, err := ParseMEPID(s)
	if err != nil {
		r.fail(strings.Join(path, "/"), s)
	}
	return id
}

// root parses b and finds the element named want, either b's root or
// (for a full rpc-reply) a descendant.
func (r *reader) root(b []byte, want string) *xnode {
	n, err := parseTree(b)
	if err != nil {
		r.err = fmt.Errorf("sla: %s reply: %w: %w", r.rpc, err, ErrBadReply)
		return nil
	}
	var find func(*xnode) *xnode
	find = func(x *xnode) *xnode {
		if x.XMLName.Local == want {
			return x
		}
		for i := range x.Kids {
			if f := find(&x.Kids[i]); f != nil {
				return f
			}
		}
		return nil
	}
	f := find(&n)
	if f == nil {
		r.err = fmt.Errorf("sla: %s reply: no <%s> element in %.80q: %w", r.rpc, want, b, ErrBadReply)
	}
	return f
}

func (r *reader) entry(e *xnode) RemoteMEP {
	return RemoteMEP{Domain: e.str("cfm-maintenance-domain-name"), MA: e.str("cfm-maintenance-association-name"),
		Level: r.int(e, "cfm-level"), Local: r.mep(e, "cfm-local-mep-identifier"), Remote: r.mep(e, "cfm-remote-mep-identifier"),
		State: e.str("cfm-remote-mep-state"), Interface: e.str("cfm-interface-entry", "cfm-interface-name")}
}

// ParseMEPDatabase reads a get-cfm-mep-database reply (the
// <cfm-mep-database> element or an rpc-reply holding it): one RemoteMEP per
// local/remote pair, in reply order. Errors wrap [ErrBadReply].
func ParseMEPDatabase(b []byte) ([]RemoteMEP, error) {
	r := &reader{rpc: "get-cfm-mep-database"}
	root := r.root(b, "cfm-mep-database")
	if root == nil {
		return nil, r.err
	}
	var out []RemoteMEP
	for _, e := range root.all("cfm-entry") {
		base := RemoteMEP{Domain: e.str("cfm-maintenance-domain-name"), MA: e.str("cfm-maintenance-association-name"),
			Level: r.int(e, "cfm-level"), Local: r.mep(e, "cfm-local-mep-identifier"), Interface: e.str("cfm-interface-name")}
		rms := e.child("cfm-remote-meps")
		if rms == nil {
			continue
		}
		for _, rm := range rms.all("cfm-remote-mep") {
			x := base
			x.Remote, x.State = r.mep(rm, "cfm-remote-mep-identifier"), rm.str("cfm-remote-mep-state")
			out = append(out, x)
		}
	}
	return out, r.err
}

// ParseDelayStatistics reads a get-cfm-delay-statistics reply. Delays are
// in microseconds on the wire. Errors wrap [ErrBadReply].
func ParseDelayStatistics(b []byte) ([]DelayResult, error) {
	r := &reader{rpc: "get-cfm-delay-statistics"}
	root := r.root(b, "cfm-delay-statistics")
	if root == nil {
		return nil, r.err
	}
	var out []DelayResult
	for _, e := range root.all("cfm-entry") {
		d := DelayResult{RemoteMEP: r.entry(e)}
		for _, m := range e.all("cfm-ethdm-delay-entry") {
			d.OneWay = append(d.OneWay, r.usec(m, "cfm-ethdm-oneway-delay"))
			d.TwoWay = append(d.TwoWay, r.usec(m, "cfm-ethdm-twoway-delay"))
		}
		r.delaySummary(e, &d.AvgTwoWay, &d.AvgTwoWayVariation, &d.BestTwoWay, &d.WorstTwoWay, &d.AvgOneWay, &d.AvgOneWayVariation, &d.BestOneWay, &d.WorstOneWay)
		out = append(out, d)
	}
	return out, r.err
}

func (r *reader) delaySummary(e *xnode, a2, v2, b2, w2, a1, v1, b1, w1 *time.Duration) {
	const s2, s1 = "cfm-ethdm-twoway-delay-summary", "cfm-ethdm-oneway-delay-summary"
	*a2, *v2 = r.usec(e, s2, "cfm-ethdm-average-twoway-delay"), r.usec(e, s2, "cfm-ethdm-average-twoway-delay-variation")
	*b2, *w2 = r.usec(e, s2, "cfm-ethdm-bestcase-twoway-delay"), r.usec(e, s2, "cfm-ethdm-worstcase-twoway-delay")
	*a1, *v1 = r.usec(e, s1, "cfm-ethdm-average-oneway-delay"), r.usec(e, s1, "cfm-ethdm-average-oneway-delay-variation")
	*b1, *w1 = r.usec(e, s1, "cfm-ethdm-bestcase-oneway-delay"), r.usec(e, s1, "cfm-ethdm-worstcase-oneway-delay")
}

// ParseLossStatistics reads a get-cfm-loss-statistics reply: per pair, each
// interval's near- and far-end loss with the frames sent. Errors wrap
// [ErrBadReply].
func ParseLossStatistics(b []byte) ([]LossResult, error) {
	r := &reader{rpc: "get-cfm-loss-statistics"}
	root := r.root(b, "cfm-loss-statistics")
	if root == nil {
		return nil, r.err
	}
	var out []LossResult
	for _, e := range root.all("cfm-entry") {
		l := LossResult{RemoteMEP: r.entry(e)}
		for _, m := range e.all("cfm-ethlm-cir-loss-entry") {
			tx := uint64(r.int(m, "cfm-ethlm-near-end-total-cir-tx"))
			near, far := uint64(r.int(m, "cfm-ethlm-near-end-cir-frame-loss")), uint64(r.int(m, "cfm-ethlm-far-end-cir-frame-loss"))
			if near > tx || far > tx {
				r.fail("loss larger than frames sent", fmt.Sprintf("near %d far %d of %d", near, far, tx))
			}
			l.Intervals = append(l.Intervals, Loss{FarEndLost: far, FarEndSent: tx, NearEndLost: near, NearEndSent: tx})
		}
		out = append(out, l)
	}
	return out, r.err
}

// ParseIteratorStatistics reads a get-cfm-iterator-statistics reply.
// Errors wrap [ErrBadReply].
func ParseIteratorStatistics(b []byte) ([]IteratorResult, error) {
	r := &reader{rpc: "get-cfm-iterator-statistics"}
	root := r.root(b, "cfm-iterator-statistics")
	if root == nil {
		return nil, r.err
	}
	var out []IteratorResult
	for _, e := range root.all("cfm-entry") {
		it := IteratorResult{RemoteMEP: r.entry(e), Profile: e.str("cfm-iter-info", "cfm-iter-profile-name"),
			Type: e.str("cfm-iter-info", "cfm-iter-measurement-type"), CycleTime: time.Duration(r.int(e, "cfm-iter-info", "cfm-iter-cycle-time")) * time.Millisecond,
			IterationPeriod: r.int(e, "cfm-iter-info", "cfm-iter-iteration-period"), Completed: r.int(e, "cfm-iter-info", "cfm-iter-completed-iterations"),
			Current: r.int(e, "cfm-iter-info", "cfm-iter-current-cycles"), Measurements: r.int(e, "cfm-iter-ethdm-entry", "cfm-iter-ethdm-measurements"),
			NearEndLost: r.int(e, "cfm-iter-ethlm-entry", "cfm-ethlm-total-near-end-cir-loss"), FarEndLost: r.int(e, "cfm-iter-ethlm-entry", "cfm-ethlm-total-far-end-cir-loss")}
		r.delaySummary(e, &it.AvgTwoWay, &it.AvgTwoWayVariation, &it.BestTwoWay, &it.WorstTwoWay, &it.AvgOneWay, &it.AvgOneWayVariation, &it.BestOneWay, &it.WorstOneWay)
		if it.NearEndLost > it.Current || it.FarEndLost > it.Current {
			r.fail("loss larger than cycles", fmt.Sprintf("near %d far %d of %d", it.NearEndLost, it.FarEndLost, it.Current))
		}
		out = append(out, it)
	}
	return out, r.err
}
