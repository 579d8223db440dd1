package timing

import (
	"errors"
	"fmt"
	"net/netip"
	"slices"
	"strconv"
	"strings"
)

// ErrInvalid is wrapped by every error [Domain.Validate] returns.
var ErrInvalid = errors.New("timing: invalid domain")

// Profile is a PTP profile. The zero Profile is invalid ("unset").
type Profile uint8

// The profiles this package designs for.
const (
	_ Profile = iota
	// Default1588 is the IEEE 1588-2008 default profile (any transport).
	Default1588
	// G82751 is ITU-T G.8275.1: full timing support, Ethernet multicast,
	// every node a boundary or transparent clock.
	G82751
	// G82752 is ITU-T G.8275.2: partial timing support, IPv4 unicast.
	G82752
)

var profileNames = [...]string{"", "default-1588", "g.8275.1", "g.8275.2"}

// String returns "default-1588", "g.8275.1" or "g.8275.2".
func (p Profile) String() string {
	if int(p) < len(profileNames) && p != 0 {
		return profileNames[p]
	}
	return "profile(" + strconv.Itoa(int(p)) + ")"
}

// IsValid reports whether p is one of the defined profiles.
func (p Profile) IsValid() bool { return p >= Default1588 && p <= G82752 }

// DomainRange returns the PTP domain numbers the profile allows.
// G.8275.1 uses 24–43 and G.8275.2 44–63; the default profile 0–127
// (Junos' range).
func (p Profile) DomainRange() (lo, hi int) {
	switch p {
	case G82751:
		return 24, 43
	case G82752:
		return 44, 63
	}
	return 0, 127
}

// MaxHops is the longest chain of boundary clocks from the grandmaster
// that the package accepts for the profile: 20 for G.8275.1 (the
// G.8271.1 reference chain), 10 for G.8275.2 (partial support, no
// on-path help assumed) and 32 for the default profile. A
// [Template.MaxHops] overrides it.
func (p Profile) MaxHops() int {
	switch p {
	case G82751:
		return 20
	case G82752:
		return 10
	}
	return 32
}

// ClockMode is what a device is in the domain. The zero ClockMode means
// "assign it": boundary when the device has PTP links downstream, else
// ordinary slave.
type ClockMode uint8

// Clock modes.
const (
	Auto ClockMode = iota
	Grandmaster
	Boundary
	Slave
	Transparent
)

var modeNames = [...]string{"auto", "grandmaster", "boundary", "slave", "transparent"}

// String returns the mode's lower-case name.
func (m ClockMode) String() string {
	if int(m) < len(modeNames) {
		return modeNames[m]
	}
	return "mode(" + strconv.Itoa(int(m)) + ")"
}

// Transport is how PTP messages travel. The zero Transport means the
// profile's own: Ethernet for G.8275.1, IPv4 for G.8275.2 and the default
// profile.
type Transport uint8

// Transports.
const (
	ProfileTransport Transport = iota
	Ethernet                   // IEEE 802.3 multicast, link-local
	IPv4                       // UDP/IPv4 unicast
)

var transportNames = [...]string{"profile", "ethernet", "ipv4"}

// String returns "profile", "ethernet" or "ipv4".
func (t Transport) String() string {
	if int(t) < len(transportNames) {
		return transportNames[t]
	}
	return "transport(" + strconv.Itoa(int(t)) + ")"
}

// LogInterval is a PTP message interval as log2 seconds (-3 means eight
// per second). The zero LogInterval is unset: the profile's default.
type LogInterval struct {
	v  int
	ok bool
}

// IntervalOf returns the log interval n (2^n seconds). Whether n is in
// range for its message is checked by [Domain.Validate].
func IntervalOf(n int) LogInterval { return LogInterval{v: n, ok: true} }

// IsValid reports whether the interval is set.
func (l LogInterval) IsValid() bool { return l.ok }

// Log returns the log2 value; 0 when unset.
func (l LogInterval) Log() int { return l.v }

// String returns the log value, or "default" when unset.
func (l LogInterval) String() string {
	if !l.ok {
		return "default"
	}
	return strconv.Itoa(l.v)
}

// QualityLevel is a SyncE (ESMC) quality level as Junos names it, such
// as "prc" or "ssu-a". Empty means none configured.
type QualityLevel string

// qualityOption1/2 are the levels each SyncE network option allows.
var (
	qualityOption1 = []QualityLevel{"prc", "ssu-a", "ssu-b", "sec"}
	qualityOption2 = []QualityLevel{"prs", "stu", "st2", "tnc", "st3e", "st3", "smc", "st4"}
)

// SyncE is the synchronous Ethernet part of a template. The zero SyncE is
// disabled.
type SyncE struct {
	// Enabled turns on chassis synchronization on every member.
	Enabled bool
	// NetworkOption is 1 (EEC1, SDH) or 2 (EEC2, SONET); 0 means 1.
	NetworkOption int
	// ESMC turns on quality mode and ESMC transmission on the ports
	// towards downstream devices.
	ESMC bool
	// Quality is the quality level configured on each source; empty for
	// none (the received ESMC level is used).
	Quality QualityLevel
}

// Template is the timing service every member of a domain gets.
type Template struct {
	// Profile is required.
	Profile Profile
	// Domain is the PTP domain number; it must be in the profile's
	// [Profile.DomainRange] (0 is therefore wrong for the ITU profiles).
	Domain int
	// Priority1 and Priority2 are the grandmaster's BMCA priorities; 0
	// means 128. The backup grandmaster gets Priority2+1.
	Priority1, Priority2 int
	// AnnounceInterval (-3..4) and SyncInterval (-7..7) are rendered on
	// master and slave ports when set.
	AnnounceInterval, SyncInterval LogInterval
	// Transport: see [Transport]. G.8275.1 needs Ethernet, G.8275.2 IPv4.
	Transport Transport
	// MaxHops overrides [Profile.MaxHops] when positive.
	MaxHops int
	// SyncE is the frequency distribution that goes with PTP.
	SyncE SyncE
}

func (t Template) transport() Transport {
	if t.Transport != ProfileTransport {
		return t.Transport
	}
	if t.Profile == G82751 {
		return Ethernet
	}
	return IPv4
}

func (t Template) maxHops() int {
	if t.MaxHops > 0 {
		return t.MaxHops
	}
	return t.Profile.MaxHops()
}

func prio(p int) int {
	if p == 0 {
		return 128
	}
	return p
}

// Member is one device of a domain.
type Member struct {
	// Name is the device's inventory name (required, unique).
	Name string
	// Platform is the device model, e.g. "acx710", "mx480", "ptx10003".
	Platform string
	// Mode is the device's clock; [Auto] lets [Plan] choose.
	Mode ClockMode
	// Backup marks the second grandmaster of the domain.
	Backup bool
	// Profile and Domain, when set, are what the device runs already or
	// must run (a device shared with another domain); [Check] reports a
	// path whose members disagree. Nil Domain and zero Profile mean the
	// template's.
	Profile Profile
	Domain  *int
	// SyncESources, when set, replace the planned SyncE sources of the
	// device (interfaces towards upstream devices, with priorities 1–5).
	SyncESources []Source
}

// Source is one SyncE clock source of a device.
type Source struct {
	Interface string // physical port, e.g. "ge-0/0/1"
	Priority  int    // 1 (best) .. 5
}

// End is one end of a timing link: a device and its interface.
type End struct {
	Device    string
	Interface string // physical port ("ge-0/0/0") or unit ("ge-0/0/0.0")
	// Addr is the interface address, needed for IPv4 transport.
	Addr netip.Prefix
}

// Link is a link over which PTP may run.
type Link struct {
	A, B End
	// Master, when set, pins the direction: the name of the end that is
	// the PTP master on this link. Empty lets [Plan] choose from the
	// grandmaster outwards.
	Master string
}

// Domain is a named timing domain: its members, the links between them
// and the template they share.
type Domain struct {
	Name     string
	Template Template
	Members  []Member
	Links    []Link
}

func (d *Domain) member(name string) (Member, bool) {
	for _, m := range d.Members {
		if m.Name == name {
			return m, true
		}
	}
	return Member{}, false
}

// Validate reports the first thing wrong with the domain's data (a
// missing name, an unknown device on a link, a value out of range), as
// an error wrapping [ErrInvalid] that names the field. It says nothing
// about the timing design itself; that is [Check]'s job.
func (d *Domain) Validate() error {
	bad := func(format string, a ...any) error {
		return fmt.Errorf("%w %q: %s", ErrInvalid, d.Name, fmt.Sprintf(format, a...))
	}
	if strings.TrimSpace(d.Name) == "" {
		return fmt.Errorf("%w: empty name", ErrInvalid)
	}
	t := d.Template
	if !t.Profile.IsValid() {
		return bad("template: profile %s is not one of default-1588, g.8275.1, g.8275.2", t.Profile)
	}
	if lo, hi := t.Profile.DomainRange(); t.Domain < lo || t.Domain > hi {
		return bad("template: domain %d is outside %d..%d for profile %s", t.Domain, lo, hi, t.Profile)
	}
	for _, p := range []struct {
		n string
		v int
	}{{"priority1", t.Priority1}, {"priority2", t.Priority2}} {
		if p.v < 0 || p.v > 255 {
			return bad("template: %s %d is outside 0..255", p.n, p.v)
		}
	}
	if t.Priority2 == 255 {
		return bad("template: priority2 255 leaves no room for the backup grandmaster's priority2+1")
	}
	if t.AnnounceInterval.IsValid() && (t.AnnounceInterval.Log() < -3 || t.AnnounceInterval.Log() > 4) {
		return bad("template: announce interval %s is outside -3..4", t.AnnounceInterval)
	}
	if t.SyncInterval.IsValid() && (t.SyncInterval.Log() < -7 || t.SyncInterval.Log() > 7) {
		return bad("template: sync interval %s is outside -7..7", t.SyncInterval)
	}
	if t.Transport > IPv4 {
		return bad("template: unknown transport %s", t.Transport)
	}
	if t.Profile == G82751 && t.transport() != Ethernet {
		return bad("template: profile g.8275.1 runs over ethernet, not %s", t.transport())
	}
	if t.Profile == G82752 && t.transport() != IPv4 {
		return bad("template: profile g.8275.2 runs over ipv4, not %s", t.transport())
	}
	if t.MaxHops < 0 {
		return bad("template: negative max hops %d", t.MaxHops)
	}
	if s := t.SyncE; s.Enabled {
		if s.NetworkOption < 0 || s.NetworkOption > 2 {
			return bad("template: synce network option %d is not 1 or 2", s.NetworkOption)
		}
		if s.Quality != "" {
			ok := qualityOption1
			if s.NetworkOption == 2 {
				ok = qualityOption2
			}
			if !slices.Contains(ok, s.Quality) {
				return bad("template: synce quality level %q is not one of %v for network option %d", s.Quality, ok, max(s.NetworkOption, 1))
			}
		}
	} else if s != (SyncE{}) {
		return bad("template: synce settings given but synce not enabled")
	}
	if len(d.Members) == 0 {
		return bad("no members")
	}
	seen := map[string]bool{}
	for i, m := range d.Members {
		if m.Name == "" || strings.ContainsAny(m.Name, " \t\n\"") {
			return bad("member %d: bad name %q", i, m.Name)
		}
		if seen[m.Name] {
			return bad("member %q listed twice", m.Name)
		}
		seen[m.Name] = true
		if m.Mode > Transparent {
			return bad("member %q: unknown clock mode %s", m.Name, m.Mode)
		}
		if m.Backup && m.Mode != Grandmaster {
			return bad("member %q: backup is for a grandmaster, mode is %s", m.Name, m.Mode)
		}
		if m.Profile != 0 && !m.Profile.IsValid() {
			return bad("member %q: unknown profile %s", m.Name, m.Profile)
		}
		if m.Domain != nil && (*m.Domain < 0 || *m.Domain > 127) {
			return bad("member %q: domain %d is outside 0..127", m.Name, *m.Domain)
		}
		prios := map[int]bool{}
		for _, s := range m.SyncESources {
			if err := checkPort(s.Interface); err != nil {
				return bad("member %q: synce source: %v", m.Name, err)
			}
			if s.Priority < 1 || s.Priority > 5 {
				return bad("member %q: synce source %s: priority %d is outside 1..5", m.Name, s.Interface, s.Priority)
			}
			if prios[s.Priority] {
				return bad("member %q: synce priority %d used twice", m.Name, s.Priority)
			}
			prios[s.Priority] = true
		}
	}
	used := map[string]bool{}
	for i, l := range d.Links {
		for _, e := range []End{l.A, l.B} {
			if !seen[e.Device] {
				return bad("link %d: device %q is not a member", i, e.Device)
			}
			if err := checkPort(e.Interface); err != nil {
				return bad("link %d: %s: %v", i, e.Device, err)
			}
			k := e.Device + " " + port(e.Interface)
			if used[k] {
				return bad("link %d: %s %s is on two links", i, e.Device, e.Interface)
			}
			used[k] = true
			if t.transport() == IPv4 && (!e.Addr.IsValid() || !e.Addr.Addr().Is4()) {
				return bad("link %d: %s %s needs an IPv4 interface address for ipv4 transport", i, e.Device, e.Interface)
			}
		}
		if l.A.Device == l.B.Device {
			return bad("link %d: both ends on %q", i, l.A.Device)
		}
		if l.Master != "" && l.Master != l.A.Device && l.Master != l.B.Device {
			return bad("link %d: master %q is neither end", i, l.Master)
		}
	}
	return nil
}

// checkPort accepts a Junos interface name such as ge-0/0/1 or xe-0/1/0.0.
func checkPort(s string) error {
	typ, rest, ok := strings.Cut(s, "-")
	if !ok || typ == "" || rest == "" || strings.ContainsAny(s, " \t\n\"{};") {
		return fmt.Errorf("interface %q is not a Junos interface name such as ge-0/0/1", s)
	}
	p, unit, hasUnit := strings.Cut(rest, ".")
	if strings.Count(p, "/") != 2 {
		return fmt.Errorf("interface %q is not a Junos interface name such as ge-0/0/1", s)
	}
	if hasUnit {
		if _, err := strconv.ParseUint(unit, 10, 32); err != nil {
			return fmt.Errorf("interface %q has a bad unit %q", s, unit)
		}
	}
	return nil
}

// port returns the physical port of an interface name.
func port(s string) string { p, _, _ := strings.Cut(s, "."); return p }

// unit returns the logical interface PTP runs on (unit 0 by default).
func unit(s string) string {
	if strings.Contains(s, ".") {
		return s
	}
	return s + ".0"
}
