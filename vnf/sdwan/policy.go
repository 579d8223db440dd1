package sdwan

import (
	"cmp"
	"fmt"
	"slices"
	"time"

	"github.com/carrierkit/carrierkit/netid"
)

// TrafficType is a class of application traffic.
type TrafficType struct {
	// Name identifies it ("voice", "business", "bulk").
	Name string
	// DSCP is the code point the class is marked with, 0–63.
	DSCP uint8
	// Priority orders classes when links are short of bandwidth: 1 is
	// the highest, 8 the lowest.
	Priority int
	// Bandwidth is the rate the class needs per site; zero means no
	// reservation.
	Bandwidth netid.Bitrate
}

// SLAProfile is what a link must deliver for an application.
type SLAProfile struct {
	Name string
	// MaxLoss is the highest packet loss allowed, in percent (0–100).
	MaxLoss float64
	// MaxRTT and MaxJitter are the highest round-trip time and jitter
	// allowed; zero means no limit.
	MaxRTT, MaxJitter time.Duration
}

// AppPolicy steers applications of one traffic type by an SLA profile.
type AppPolicy struct {
	Name string
	// Applications are application signatures ("junos:SIP", "junos:HTTP").
	Applications []string
	Traffic      string // a TrafficType name
	SLA          string // an SLAProfile name
}

// Policies is a network's application policy set.
type Policies struct {
	Traffic []TrafficType
	SLAs    []SLAProfile
	Apps    []AppPolicy
}

// Validate checks names, ranges and references. Errors wrap ErrInvalid.
func (p Policies) Validate() error {
	bad := func(format string, a ...any) error {
		return fmt.Errorf("sdwan: policies: %s: %w", fmt.Sprintf(format, a...), ErrInvalid)
	}
	tt := map[string]bool{}
	for _, t := range p.Traffic {
		if err := checkName("traffic type", t.Name, 24); err != nil {
			return bad("%v", err)
		}
		if tt[t.Name] {
			return bad("traffic type %q twice", t.Name)
		}
		tt[t.Name] = true
		if t.DSCP > 63 || t.Priority < 1 || t.Priority > 8 {
			return bad("traffic type %q: dscp %d (0-63), priority %d (1-8)", t.Name, t.DSCP, t.Priority)
		}
	}
	sla := map[string]bool{}
	for _, s := range p.SLAs {
		if err := checkName("sla profile", s.Name, 24); err != nil {
			return bad("%v", err)
		}
		if sla[s.Name] {
			return bad("sla profile %q twice", s.Name)
		}
		sla[s.Name] = true
		if !(s.MaxLoss >= 0 && s.MaxLoss <= 100) || s.MaxRTT < 0 || s.MaxJitter < 0 {
			return bad("sla profile %q: loss %v%% or negative delays", s.Name, s.MaxLoss)
		}
	}
	apps := map[string]bool{}
	for _, a := range p.Apps {
		if err := checkName("application policy", a.Name, 24); err != nil {
			return bad("%v", err)
		}
		if apps[a.Name] {
			return bad("application policy %q twice", a.Name)
		}
		apps[a.Name] = true
		if !tt[a.Traffic] || !sla[a.SLA] {
			return bad("application policy %q: unknown traffic type %q or sla profile %q", a.Name, a.Traffic, a.SLA)
		}
		if len(a.Applications) == 0 {
			return bad("application policy %q: no applications", a.Name)
		}
	}
	return nil
}

// Measurement is what a site measured on one WAN link (the tunnels over it).
type Measurement struct {
	Transport string
	Role      LinkRole
	Up        bool
	Loss      float64 // percent
	RTT       time.Duration
	Jitter    time.Duration
}

// Meets reports whether m satisfies s.
func (m Measurement) Meets(s SLAProfile) bool {
	return m.Up && m.Loss <= s.MaxLoss && (s.MaxRTT == 0 || m.RTT <= s.MaxRTT) && (s.MaxJitter == 0 || m.Jitter <= s.MaxJitter)
}

// Steering is the link chosen for an application policy.
type Steering struct {
	App       string
	Transport string
	// MeetsSLA is false when no link meets the profile and the least bad
	// link was chosen.
	MeetsSLA bool
}

// Steer picks a link for every application policy from the measurements:
// among the links that meet the policy's SLA profile, primary before
// backup, then the lowest RTT; when none meets it, the up link with the
// lowest loss, then RTT (MeetsSLA false). The result follows p.Apps' order.
// Steer is pure. Errors wrap ErrInvalid (bad policies) or ErrNoPath (no
// link up).
func Steer(p Policies, ms []Measurement) ([]Steering, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	out := make([]Steering, 0, len(p.Apps))
	for _, a := range p.Apps {
		prof := p.SLAs[slices.IndexFunc(p.SLAs, func(s SLAProfile) bool { return s.Name == a.SLA })]
		var best *Measurement
		met := false
		for i := range ms {
			m := &ms[i]
			if !m.Up {
				continue
			}
			ok := m.Meets(prof)
			switch {
			case best == nil, ok && !met:
				best, met = m, ok
			case ok == met && ok:
				if cmp.Or(cmp.Compare(m.Role, best.Role), cmp.Compare(m.RTT, best.RTT)) < 0 {
					best = m
				}
			case ok == met:
				if cmp.Or(cmp.Compare(m.Loss, best.Loss), cmp.Compare(m.RTT, best.RTT)) < 0 {
					best = m
				}
			}
		}
		if best == nil {
			return nil, fmt.Errorf("sdwan: steer %q: no link up: %w", a.Name, ErrNoPath)
		}
		out = append(out, Steering{App: a.Name, Transport: best.Transport, MeetsSLA: met})
	}
	return out, nil
}
