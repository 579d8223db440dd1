package oam

import (
	"context"
	"fmt"
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// Cause is the most likely reason a probe did not come back clean.
type Cause string

// The causes diagnosis names.
const (
	CauseUnreachable    Cause = "device-unreachable"     // no session to the device
	CauseAttachmentDown Cause = "attachment-down"        // a site's UNI is disabled or has no link
	CauseSiteIsolated   Cause = "site-isolated"          // a PE's core interfaces are down: no LSP in or out
	CauseTransportDown  Cause = "transport-down"         // no LSP (inet.3 route) to the far PE
	CauseLSPDown        Cause = "lsp-down"               // the RSVP LSP is down
	CausePseudowireDown Cause = "pseudowire-down"        // pseudowire down for another reason (see Code)
	CauseMTUMismatch    Cause = "mtu-mismatch"           // the two ends signal different MTUs (MM)
	CauseEncapMismatch  Cause = "encapsulation-mismatch" // the two ends signal different encapsulations (EM)
	CauseCWMismatch     Cause = "control-word-mismatch"  // CM
	CauseVCIDMismatch   Cause = "vc-id-mismatch"         // the ends use different virtual-circuit-ids
	CauseMissingEnd     Cause = "missing-end"            // the far end has no matching circuit or instance
	CauseRTMismatch     Cause = "route-target-mismatch"  // import and export route targets do not meet
	CauseRouteMissing   Cause = "route-missing"          // the far prefix is not in the VRF
	CauseOneWay         Cause = "one-way"                // A→B fails while B→A works, nothing else found
	CauseFlapping       Cause = "flapping"               // failed, then succeeded on retry
	CausePacketLoss     Cause = "packet-loss"            // succeeded with loss
	CauseUnknown        Cause = "unknown"                // nothing in the state explains it
)

// Finding explains one probe that was not ok.
type Finding struct {
	// Probe is the probe's ID ("pe1→pe2"); From and To its sites.
	Probe string `json:"probe"`
	From  string `json:"from"`
	To    string `json:"to"`
	Cause Cause  `json:"cause"`
	// Code is the Junos pseudowire status code, when one applies.
	Code string `json:"code,omitempty"`
	// Device, Interface and Statement locate the fault: the device to look
	// at, the interface involved, the configuration statement (set form
	// without "set") involved.
	Device    string `json:"device,omitempty"`
	Interface string `json:"interface,omitempty"`
	Statement string `json:"statement,omitempty"`
	// OneWay says the reverse probe succeeded.
	OneWay  bool   `json:"oneWay,omitempty"`
	Message string `json:"message"`
}

// Diagnose reads the facts of every device at either end of a probe that
// was not ok (at most parallel devices at once; 0 = 8) and explains each
// such probe with [Explain]. A device whose facts cannot be read is
// recorded as unreachable, not returned as an error; the error is ctx's.
func Diagnose(ctx context.Context, conn Connector, p Plan, res []Result, parallel int) ([]Finding, map[string]*Facts, error) {
	if parallel <= 0 {
		parallel = 8
	}
	need := map[string]bool{}
	vrfs := map[string][]string{}
	for _, r := range res {
		if r.Status == StatusOK {
			continue
		}
		need[r.Probe.FromDevice], need[r.Probe.ToDevice] = true, true
	}
	for _, r := range res {
		if r.Probe.Kind == KindL3VPN && need[r.Probe.FromDevice] {
			t := r.Probe.Instance + ".inet.0"
			if !slices.Contains(vrfs[r.Probe.FromDevice], t) {
				vrfs[r.Probe.FromDevice] = append(vrfs[r.Probe.FromDevice], t)
			}
		}
	}
	facts := map[string]*Facts{}
	var mu sync.Mutex
	var wg sync.WaitGroup
	sem := make(chan struct{}, parallel)
	for dev := range need {
		wg.Add(1)
		go func() {
			defer wg.Done()
			select {
			case sem <- struct{}{}:
			case <-ctx.Done():
				return
			}
			defer func() { <-sem }()
			f, err := func() (*Facts, error) {
				s, release, err := conn(ctx, dev)
				if err != nil {
					return nil, err
				}
				defer release()
				return Gather(ctx, s, dev, vrfs[dev]...)
			}()
			if err != nil {
				f = &Facts{Device: dev, Unreachable: err.Error()}
			}
			mu.Lock()
			facts[dev] = f
			mu.Unlock()
		}()
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, facts, err
	}
	return Explain(p, res, facts), facts, nil
}

// Explain is the pure half of [Diagnose]: given the results and the facts
// of the devices involved, it returns one Finding per result that is not
// ok, sorted by source then destination site.
func Explain(p Plan, res []Result, facts map[string]*Facts) []Finding {
	status := map[string]Status{}
	for _, r := range res {
		status[r.Probe.ID()] = r.Status
	}
	sites := map[string]Site{}
	for _, s := range p.Sites {
		sites[s.Name] = s
	}
	var out []Finding
	for _, r := range res {
		if r.Status == StatusOK || r.Status == StatusNotRun {
			continue
		}
		pr := r.Probe
		f := Finding{Probe: pr.ID(), From: pr.From, To: pr.To}
		switch r.Status {
		case StatusFlapping:
			fails := len(r.Attempts) - 1
			f.Cause, f.Device, f.Interface = CauseFlapping, pr.FromDevice, pr.Interface
			f.Message = fmt.Sprintf("%s: failed %d of %d attempts before succeeding (first error: %s)", pr.ID(), fails, len(r.Attempts), attemptText(r.Attempts[0]))
		case StatusDegraded:
			l := r.Last().Ping
			f.Cause, f.Device = CausePacketLoss, pr.FromDevice
			f.Message = fmt.Sprintf("%s: %d of %d echo replies lost (%d%%)", pr.ID(), l.Sent-l.Received, l.Sent, l.Loss)
		default:
			explainFailure(&f, pr, facts[pr.FromDevice], facts[pr.ToDevice], sites[pr.To], r, facts)
		}
		rev := Probe{From: pr.To, To: pr.From}.ID()
		if st, ok := status[rev]; ok && (st == StatusOK || st == StatusDegraded) && r.Status != StatusFlapping && r.Status != StatusDegraded {
			f.OneWay = true
			if f.Cause == CauseUnknown {
				f.Cause = CauseOneWay
				f.Device = pr.FromDevice
			}
			f.Message = "one-way (" + rev + " works): " + f.Message
		}
		out = append(out, f)
	}
	slices.SortFunc(out, func(a, b Finding) int {
		if c := strings.Compare(a.From, b.From); c != 0 {
			return c
		}
		return strings.Compare(a.To, b.To)
	})
	return out
}

func attemptText(a Attempt) string {
	if a.Error != "" {
		return a.Error
	}
	return fmt.Sprintf("%d of %d replies", a.Ping.Received, a.Ping.Sent)
}

// explainFailure fills f for a failed (or unrunnable) probe.
func explainFailure(f *Finding, pr Probe, fa, fb *Facts, dst Site, r Result, all map[string]*Facts) {
	set := func(c Cause, dev, ifl, stmt, format string, a ...any) {
		f.Cause, f.Device, f.Interface, f.Statement, f.Message = c, dev, ifl, stmt, fmt.Sprintf(format, a...)
	}
	if fa == nil {
		set(CauseUnknown, pr.FromDevice, pr.Interface, "", "%s: %s (no device state read)", pr.ID(), attemptText(r.Last()))
		return
	}
	if fa.Unreachable != "" {
		set(CauseUnreachable, pr.FromDevice, "", "", "%s: state could not be read: %s", pr.FromDevice, fa.Unreachable)
		return
	}
	if fb == nil {
		fb = &Facts{Device: pr.ToDevice}
	}
	// The sites' attachments.
	if c, ok := attachmentDown(fa, pr.Interface); ok {
		set(CauseAttachmentDown, pr.FromDevice, pr.Interface, c.stmt, "%s: attachment %s %s", pr.FromDevice, pr.Interface, c.why)
		return
	}
	if fb.Unreachable == "" {
		if c, ok := attachmentDown(fb, dst.Interface); ok {
			set(CauseAttachmentDown, pr.ToDevice, dst.Interface, c.stmt, "%s: attachment %s %s", pr.ToDevice, dst.Interface, c.why)
			return
		}
	}
	if fb.Unreachable != "" {
		set(CauseUnreachable, pr.ToDevice, "", "", "%s: state could not be read: %s", pr.ToDevice, fb.Unreachable)
		return
	}
	transport := func() bool {
		if fa.reaches(pr.Peer) {
			return false
		}
		for _, x := range []struct {
			f   *Facts
			dev string
		}{{fa, pr.FromDevice}, {fb, pr.ToDevice}} {
			if down := x.f.coreDown(); len(down) > 0 {
				set(CauseSiteIsolated, x.dev, down[0], "", "%s: core interface %s is down (no link): %s has no LSP to %s (%s)",
					x.dev, strings.Join(down, ", "), pr.FromDevice, pr.ToDevice, pr.Peer)
				return true
			}
		}
		set(CauseTransportDown, pr.FromDevice, "", "", "%s: no LSP to %s (%s not in inet.3)", pr.FromDevice, pr.ToDevice, pr.Peer)
		return true
	}
	switch pr.Kind {
	case KindL2CircuitInterface, KindL2CircuitVC:
		if explainCircuit(f, pr, fa, fb, dst, set, transport) {
			return
		}
	case KindRSVP:
		for _, l := range fa.LSPs {
			if l.Name == pr.LSP && !l.Up {
				if transport() {
					f.Cause = CauseLSPDown
					f.Statement = "protocols mpls label-switched-path " + pr.LSP
					f.Message = fmt.Sprintf("%s: LSP %s to %s is down; ", pr.FromDevice, pr.LSP, pr.Peer) + f.Message
					return
				}
				set(CauseLSPDown, pr.FromDevice, "", "protocols mpls label-switched-path "+pr.LSP, "%s: LSP %s to %s is down", pr.FromDevice, pr.LSP, pr.Peer)
				return
			}
		}
		if transport() {
			return
		}
	case KindL3VPN:
		table := pr.Instance + ".inet.0"
		if !hasRoute(fa.Routes[table], pr.Prefix) {
			imp, _ := vrfTargets(fa, pr.Instance)
			_, exp := vrfTargets(fb, pr.Instance)
			if len(imp) > 0 && len(exp) > 0 && !intersects(imp, exp) {
				// Blame the end whose route targets most other sites do not
				// share; on a tie, the exporting end.
				if odd(pr.Instance, fa, fb, all) == fa {
					set(CauseRTMismatch, pr.FromDevice, "", targetStmt(fa, pr.Instance, "import "),
						"%s: routing-instances %s imports %s but %s exports %s: %s is not in %s's %s",
						pr.FromDevice, pr.Instance, strings.Join(imp, " "), pr.ToDevice, strings.Join(exp, " "), pr.Prefix, pr.FromDevice, table)
					return
				}
				set(CauseRTMismatch, pr.ToDevice, "", targetStmt(fb, pr.Instance, "export "),
					"%s: routing-instances %s exports %s but %s imports %s: %s is not in %s's %s",
					pr.ToDevice, pr.Instance, strings.Join(exp, " "), pr.FromDevice, strings.Join(imp, " "), pr.Prefix, pr.FromDevice, table)
				return
			}
			if transport() {
				return
			}
			set(CauseRouteMissing, pr.FromDevice, "", "", "%s: no route to %s in %s", pr.FromDevice, pr.Prefix, table)
			return
		}
		if transport() {
			return
		}
	default:
		if transport() {
			return
		}
		if pr.Kind == KindLSPEndPoint {
			for _, c := range fa.VPLS {
				if c.Instance == pr.Instance && c.RemotePE == pr.Peer && c.Status != "Up" {
					f.Code = c.Status
					set(CausePseudowireDown, pr.FromDevice, "", "routing-instances "+pr.Instance, "%s: VPLS %s connection to %s is %s", pr.FromDevice, pr.Instance, pr.Peer, c.Status)
					return
				}
			}
		}
	}
	set(CauseUnknown, pr.FromDevice, pr.Interface, "", "%s: %s", pr.ID(), attemptText(r.Last()))
}

type downWhy struct{ why, stmt string }

// attachmentDown reports whether the logical interface ifl (or its port) is
// disabled or has no link, with the disabling statement when there is one.
func attachmentDown(f *Facts, ifl string) (downWhy, bool) {
	if ifl == "" {
		return downWhy{}, false
	}
	phys, unit, _ := strings.Cut(ifl, ".")
	if f.has("interfaces " + phys + " disable") {
		return downWhy{"is administratively down", "interfaces " + phys + " disable"}, true
	}
	if unit != "" && f.has("interfaces "+phys+" unit "+unit+" disable") {
		return downWhy{"is administratively down", "interfaces " + phys + " unit " + unit + " disable"}, true
	}
	if st, ok := f.Interfaces[phys]; ok && !st.Oper {
		return downWhy{"is down (port " + phys + " has no link)", ""}, true
	}
	if st, ok := f.Interfaces[ifl]; ok && !st.Oper {
		return downWhy{"is down", ""}, true
	}
	return downWhy{}, false
}

func explainCircuit(f *Finding, pr Probe, fa, fb *Facts, dst Site, set func(Cause, string, string, string, string, ...any), transport func() bool) bool {
	c, ok := fa.circuit(pr.Interface, pr.Peer)
	base := func(nb netip.Addr, ifl string) string {
		return "protocols l2circuit neighbor " + nb.String() + " interface " + ifl
	}
	if !ok {
		set(CauseMissingEnd, pr.FromDevice, pr.Interface, base(pr.Peer, pr.Interface), "%s: no l2circuit on %s to %s", pr.FromDevice, pr.Interface, pr.Peer)
		return true
	}
	f.Code = c.Status
	// B's end: the circuit on the destination site's interface.
	var cb Circuit
	okB := false
	for _, x := range fb.Circuits {
		if x.Interface == dst.Interface {
			cb, okB = x, true
			break
		}
	}
	stmtA := base(pr.Peer, pr.Interface)
	stmtB := ""
	if okB {
		stmtB = base(cb.Neighbor, cb.Interface)
	}
	compare := func(cause Cause, leaf, dflt, want string) bool {
		va, vb := fa.value(stmtA+" "+leaf), fb.value(stmtB+" "+leaf)
		if va == vb {
			return false
		}
		show := func(v string) string {
			if v == "" {
				return "unset (" + dflt + ")"
			}
			return v
		}
		// Blame the end that differs from the intent (want); without one,
		// the end with an explicit statement when only one has it, else
		// the far end.
		dev, ifl, stmt, v, other, ov := pr.ToDevice, cb.Interface, stmtB+" "+leaf, vb, pr.FromDevice, va
		if (va != want && vb == want) || (vb == "" && !(va == want && vb != want)) {
			dev, ifl, stmt, v, other, ov = pr.FromDevice, pr.Interface, stmtA+" "+leaf, va, pr.ToDevice, vb
		}
		set(cause, dev, ifl, stmt+" "+v, "%s: %s %s differs from %s's %s", dev, stmt, show(v), other, show(ov))
		return true
	}
	switch c.Status {
	case "Up":
	case "MM":
		if okB && compare(CauseMTUMismatch, "mtu", "default", mtuText(pr.MTU)) {
			return true
		}
		set(CauseMTUMismatch, pr.FromDevice, pr.Interface, stmtA, "%s: l2circuit %s to %s reports MTU mismatch (MM)", pr.FromDevice, pr.Interface, pr.Peer)
		return true
	case "EM":
		if okB && compare(CauseEncapMismatch, "encapsulation-type", "default", "") {
			return true
		}
		set(CauseEncapMismatch, pr.FromDevice, pr.Interface, stmtA, "%s: l2circuit %s to %s reports encapsulation mismatch (EM)", pr.FromDevice, pr.Interface, pr.Peer)
		return true
	case "CM":
		set(CauseCWMismatch, pr.FromDevice, pr.Interface, stmtA+" control-word", "%s: l2circuit %s to %s: control-word mismatch (CM): one end has no-control-word", pr.FromDevice, pr.Interface, pr.Peer)
		return true
	case "LD":
		set(CauseAttachmentDown, pr.FromDevice, pr.Interface, "", "%s: l2circuit %s: local site signalled down (LD)", pr.FromDevice, pr.Interface)
		return true
	case "RD":
		set(CauseAttachmentDown, pr.ToDevice, dst.Interface, "", "%s: l2circuit %s: remote site %s signalled down (RD)", pr.FromDevice, pr.Interface, pr.ToDevice)
		return true
	}
	if transport() {
		f.Code = c.Status
		return true
	}
	if c.Status == "OL" || c.Status == "NC" || c.Status == "Dn" {
		if !okB {
			set(CauseMissingEnd, pr.ToDevice, dst.Interface, "", "%s: no l2circuit on %s back to %s: %s reports %s", pr.ToDevice, dst.Interface, pr.FromDevice, pr.FromDevice, c.Status)
			return true
		}
		if cb.VCID != c.VCID {
			set(CauseVCIDMismatch, pr.ToDevice, cb.Interface, fmt.Sprintf("%s virtual-circuit-id %d", stmtB, cb.VCID),
				"%s: %s virtual-circuit-id %d differs from %s's %d", pr.ToDevice, stmtB, cb.VCID, pr.FromDevice, c.VCID)
			return true
		}
	}
	if c.Status != "Up" {
		set(CausePseudowireDown, pr.FromDevice, pr.Interface, stmtA, "%s: l2circuit %s to %s is %s", pr.FromDevice, pr.Interface, pr.Peer, c.Status)
		return true
	}
	return false
}

func hasRoute(rs []netip.Prefix, p netip.Prefix) bool {
	for _, r := range rs {
		if r.Contains(p.Addr()) && r.Bits() <= p.Bits() {
			return true
		}
	}
	return false
}

// vrfTargets returns the import and export route targets of a
// vrf-target-configured instance ("target:65000:1").
func vrfTargets(f *Facts, inst string) (imp, exp []string) {
	if f == nil {
		return nil, nil
	}
	p := "set routing-instances " + inst + " vrf-target "
	for _, l := range f.Config {
		if !strings.HasPrefix(l, p) {
			continue
		}
		v := strings.TrimSpace(l[len(p):])
		switch {
		case strings.HasPrefix(v, "import "):
			imp = append(imp, strings.TrimPrefix(v, "import "))
		case strings.HasPrefix(v, "export "):
			exp = append(exp, strings.TrimPrefix(v, "export "))
		default:
			imp, exp = append(imp, v), append(exp, v)
		}
	}
	return imp, exp
}

func intersects(a, b []string) bool {
	for _, x := range a {
		if slices.Contains(b, x) {
			return true
		}
	}
	return false
}

func mtuText(m uint32) string {
	if m == 0 {
		return ""
	}
	return strconv.FormatUint(uint64(m), 10)
}

// odd returns whichever of a and b has the instance's vrf-target
// statements that fewer of the devices in all share (b on a tie).
func odd(inst string, a, b *Facts, all map[string]*Facts) *Facts {
	key := func(f *Facts) string {
		imp, exp := vrfTargets(f, inst)
		return strings.Join(imp, ",") + "|" + strings.Join(exp, ",")
	}
	count := map[string]int{}
	for _, f := range all {
		if f != nil && f.Unreachable == "" {
			count[key(f)]++
		}
	}
	if count[key(a)] < count[key(b)] {
		return a
	}
	return b
}

// targetStmt returns the vrf-target statement (without "set") that gives
// the instance its import or export target (dir is "import " or "export ").
func targetStmt(f *Facts, inst, dir string) string {
	p := "set routing-instances " + inst + " vrf-target "
	other := "export "
	if dir == other {
		other = "import "
	}
	for _, l := range f.Config {
		if strings.HasPrefix(l, p) && !strings.HasPrefix(l[len(p):], other) {
			return strings.TrimSpace(strings.TrimPrefix(l, "set "))
		}
	}
	return strings.TrimSpace(p[len("set "):])
}
