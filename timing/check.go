package timing

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// Severity says how bad a [Finding] is.
type Severity uint8

// Severities. An Error stops [NewPlan]; a Warning does not.
const (
	Error Severity = iota + 1
	Warning
)

// String returns "error" or "warning".
func (s Severity) String() string {
	switch s {
	case Error:
		return "error"
	case Warning:
		return "warning"
	}
	return "severity(?)"
}

// Finding is one problem [Check] found in a design.
type Finding struct {
	Rule     string // e.g. "grandmaster-count", "timing-loop"
	Severity Severity
	Device   string // the device it is about; "" for the domain as a whole
	Message  string
}

// String returns "error grandmaster-count gm2: …".
func (f Finding) String() string {
	d := f.Device
	if d == "" {
		d = "-"
	}
	return fmt.Sprintf("%s %s %s: %s", f.Severity, f.Rule, d, f.Message)
}

// Compare orders findings by device, rule, severity and message.
func (f Finding) Compare(g Finding) int {
	return cmp.Or(cmp.Compare(f.Device, g.Device), cmp.Compare(f.Rule, g.Rule),
		cmp.Compare(f.Severity, g.Severity), cmp.Compare(f.Message, g.Message))
}

// The rules [Check] applies.
const (
	RuleGrandmasters = "grandmaster-count"    // exactly one primary, at most one backup
	RuleNoPath       = "no-path"              // a clock with no PTP path from a grandmaster
	RuleLoop         = "timing-loop"          // master→slave relations that go round
	RuleHops         = "hop-limit"            // more boundary clocks than the profile allows
	RuleProfile      = "profile-mismatch"     // a device on a path runs another profile
	RuleDomainNumber = "domain-mismatch"      // a device on a path runs another domain number
	RuleGMUpstream   = "grandmaster-upstream" // a grandmaster with a slave port
	RuleSlaveServes  = "slave-downstream"     // an ordinary slave pinned as master of a link
	RuleSyncELoop    = "synce-loop"           // SyncE sources that go round
	RuleSyncESource  = "synce-source"         // a SyncE source not on a link of the domain
	RulePlatform     = "platform"             // a device this package does not render for
	RulePriority     = "priority"             // a priority the profile fixes
	RuleTransparent  = "transparent-clock"    // a transparent clock where the profile has none
)

// Rule is an extra check of a valid domain, run by [Check] after its
// own rules (a site policy such as "no grandmaster on an ACX2100").
type Rule func(*Domain) []Finding

// Check validates d and returns the problems of its timing design, its
// own rules' and those of extra, sorted with [Finding.Compare]. The error
// is non-nil only when d itself is invalid ([Domain.Validate], wrapping
// [ErrInvalid]); the design's problems are findings. Check is pure and
// does not modify d.
func Check(d *Domain, extra ...Rule) ([]Finding, error) {
	if err := d.Validate(); err != nil {
		return nil, err
	}
	var fs []Finding
	add := func(rule string, sev Severity, dev, format string, a ...any) {
		fs = append(fs, Finding{rule, sev, dev, fmt.Sprintf(format, a...)})
	}
	g := build(d)
	t := d.Template

	switch {
	case len(g.primary) == 0:
		add(RuleGrandmasters, Error, "", "domain %q has no primary grandmaster", d.Name)
	case len(g.primary) > 1:
		for _, p := range g.primary {
			add(RuleGrandmasters, Error, p, "%d primary grandmasters (%s); a domain has exactly one, plus at most one backup", len(g.primary), strings.Join(g.primary, ", "))
		}
	}
	if len(g.backup) > 1 {
		for _, b := range g.backup {
			add(RuleGrandmasters, Error, b, "%d backup grandmasters (%s); at most one", len(g.backup), strings.Join(g.backup, ", "))
		}
	}

	for _, e := range g.edges {
		if d.mode(e.slave.Device) == Grandmaster {
			add(RuleGMUpstream, Error, e.slave.Device, "grandmaster pinned as slave of %s on %s", e.master.Device, e.slave.Interface)
		}
		if d.mode(e.master.Device) == Slave {
			add(RuleSlaveServes, Error, e.master.Device, "ordinary slave pinned as master of %s on %s", e.slave.Device, e.master.Interface)
		}
		if d.Links[e.link].Master != "" && (d.mode(e.master.Device) == Transparent || d.mode(e.slave.Device) == Transparent) {
			// transparent clocks have no master or slave ports; pinning
			// one is the same mistake as pinning a slave as master.
			dev := e.master.Device
			if d.mode(e.slave.Device) == Transparent {
				dev = e.slave.Device
			}
			add(RuleSlaveServes, Error, dev, "transparent clock pinned as a %s end on link to %s", map[bool]string{true: "master", false: "slave"}[dev == e.master.Device], map[bool]string{true: e.slave.Device, false: e.master.Device}[dev == e.master.Device])
		}
	}

	for _, c := range cycles(d, g.edges) {
		add(RuleLoop, Error, c[0], "PTP timing loop %s", strings.Join(append(c, c[0]), " → "))
	}

	maxHops := t.maxHops()
	for _, m := range d.Members {
		h, reached := g.hops[m.Name]
		switch {
		case m.Mode == Grandmaster:
		case !reached && len(g.primary) > 0:
			add(RuleNoPath, Error, m.Name, "no PTP path from grandmaster %s", strings.Join(append(slices.Clone(g.primary), g.backup...), " or "))
		case reached && h > maxHops:
			add(RuleHops, Error, m.Name, "%d clocks from the grandmaster, profile %s allows %d", h, t.Profile, maxHops)
		}
		switch p := strings.ToLower(m.Platform); {
		case p == "":
			add(RulePlatform, Warning, m.Name, "no platform given; rendered as Junos ACX/MX/PTX")
		case !strings.HasPrefix(p, "acx") && !strings.HasPrefix(p, "mx") && !strings.HasPrefix(p, "ptx"):
			add(RulePlatform, Error, m.Name, "platform %q: timing is rendered for ACX, MX and PTX only", m.Platform)
		}
		if m.Mode == Transparent && t.Profile == G82752 {
			add(RuleTransparent, Error, m.Name, "profile g.8275.2 has no transparent clocks")
		}
	}
	if t.Profile == G82751 && t.Priority1 != 0 && t.Priority1 != 128 {
		add(RulePriority, Warning, "", "profile g.8275.1 fixes priority1 at 128, template has %d", t.Priority1)
	}

	// profile and domain number along each path (upstream → device)
	for _, name := range g.order {
		up, ok := g.upstream[name]
		if !ok {
			continue
		}
		m, _ := d.member(name)
		u, _ := d.member(up)
		mp, up2 := effProfile(d, m), effProfile(d, u)
		if mp != up2 {
			add(RuleProfile, Error, name, "runs profile %s but its upstream %s runs %s", mp, up, up2)
		}
		if md, ud := effDomain(d, m), effDomain(d, u); md != ud {
			add(RuleDomainNumber, Error, name, "runs domain %d but its upstream %s runs domain %d", md, up, ud)
		}
	}

	if t.SyncE.Enabled {
		fs = append(fs, checkSyncE(d, g)...)
	}
	for _, r := range extra {
		fs = append(fs, r(d)...)
	}
	slices.SortFunc(fs, Finding.Compare)
	return fs, nil
}

func effProfile(d *Domain, m Member) Profile {
	if m.Profile != 0 {
		return m.Profile
	}
	return d.Template.Profile
}

func effDomain(d *Domain, m Member) int {
	if m.Domain != nil {
		return *m.Domain
	}
	return d.Template.Domain
}

// checkSyncE builds the graph device → source device of every SyncE
// source (planned or given) and reports sources off the domain's links
// and cycles: a clock that could end up taking frequency from itself.
func checkSyncE(d *Domain, g *graph) []Finding {
	var fs []Finding
	var edges []edge
	for _, m := range d.Members {
		if m.Mode == Grandmaster {
			if len(m.SyncESources) > 0 {
				fs = append(fs, Finding{RuleSyncESource, Error, m.Name, "grandmaster has SyncE interface sources; it is the domain's reference"})
			}
			continue
		}
		for _, s := range syncSources(d, g, m) {
			far, ok := peerOf(d, m.Name, s.Interface)
			if !ok {
				fs = append(fs, Finding{RuleSyncESource, Error, m.Name, fmt.Sprintf("SyncE source %s is not on a link of the domain", s.Interface)})
				continue
			}
			edges = append(edges, edge{master: far, slave: End{Device: m.Name, Interface: s.Interface}})
		}
	}
	for _, c := range cycles(d, edges) {
		fs = append(fs, Finding{RuleSyncELoop, Error, c[0], "SyncE source loop " + strings.Join(append(c, c[0]), " → ")})
	}
	return fs
}

func peerOf(d *Domain, dev, ifc string) (End, bool) {
	for _, l := range d.Links {
		if l.A.Device == dev && port(l.A.Interface) == port(ifc) {
			return l.B, true
		}
		if l.B.Device == dev && port(l.B.Interface) == port(ifc) {
			return l.A, true
		}
	}
	return End{}, false
}

// cycles returns each cycle of the directed graph master → slave once,
// as device names starting at the smallest, found by depth-first search
// in member order.
func cycles(d *Domain, edges []edge) [][]string {
	next := map[string][]string{}
	for _, e := range edges {
		if !slices.Contains(next[e.master.Device], e.slave.Device) {
			next[e.master.Device] = append(next[e.master.Device], e.slave.Device)
		}
	}
	const (
		white = iota
		grey
		black
	)
	color := map[string]int{}
	var stack []string
	seen := map[string]bool{}
	var out [][]string
	var dfs func(u string)
	dfs = func(u string) {
		color[u] = grey
		stack = append(stack, u)
		for _, v := range next[u] {
			switch color[v] {
			case white:
				dfs(v)
			case grey:
				i := slices.Index(stack, v)
				c := slices.Clone(stack[i:])
				// rotate to start at the smallest name, for a stable key
				k := slices.Index(c, slices.Min(c))
				c = append(c[k:], c[:k]...)
				if key := strings.Join(c, " "); !seen[key] {
					seen[key] = true
					out = append(out, c)
				}
			}
		}
		stack = stack[:len(stack)-1]
		color[u] = black
	}
	for _, m := range d.Members {
		if color[m.Name] == white {
			dfs(m.Name)
		}
	}
	return out
}
