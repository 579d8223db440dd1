package sla

import (
	"cmp"
	"fmt"
	"hash/fnv"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/carrierkit/carrierkit/design"
)

// MEPID is a CFM maintenance association end point identifier, 1..8191.
// The zero MEPID is invalid ("unset").
type MEPID uint16

// ParseMEPID parses a decimal MEP ID without sign or leading zeros.
// Errors wrap [ErrInvalid] and quote s.
func ParseMEPID(s string) (MEPID, error) {
	n, err := strconv.ParseUint(s, 10, 16)
	if err != nil || n < 1 || n > 8191 || (len(s) > 1 && s[0] == '0') {
		return 0, fmt.Errorf("sla: MEP ID %q: want 1..8191: %w", s, ErrInvalid)
	}
	return MEPID(n), nil
}

// IsValid reports whether m is in 1..8191.
func (m MEPID) IsValid() bool { return m >= 1 && m <= 8191 }

// String returns m in decimal.
func (m MEPID) String() string { return strconv.Itoa(int(m)) }

// AppendText appends m's decimal form.
func (m MEPID) AppendText(b []byte) ([]byte, error) { return strconv.AppendUint(b, uint64(m), 10), nil }

// MarshalText is m's decimal form; an invalid MEPID is an error.
func (m MEPID) MarshalText() ([]byte, error) {
	if !m.IsValid() {
		return nil, fmt.Errorf("sla: MEP ID %d: want 1..8191: %w", uint16(m), ErrInvalid)
	}
	return m.AppendText(nil)
}

// UnmarshalText parses b as [ParseMEPID] does.
func (m *MEPID) UnmarshalText(b []byte) error {
	v, err := ParseMEPID(string(b))
	if err == nil {
		*m = v
	}
	return err
}

// Compare orders MEP IDs numerically.
func (m MEPID) Compare(o MEPID) int { return cmp.Compare(m, o) }

// CCInterval is a continuity-check (CCM) transmission interval, one of the
// values Junos accepts. The zero CCInterval means the default, 1 s.
type CCInterval time.Duration

// The continuity-check intervals of IEEE 802.1ag / Junos.
const (
	CC3ms3  = CCInterval(3300 * time.Microsecond)
	CC10ms  = CCInterval(10 * time.Millisecond)
	CC100ms = CCInterval(100 * time.Millisecond)
	CC1s    = CCInterval(time.Second)
	CC10s   = CCInterval(10 * time.Second)
	CC1m    = CCInterval(time.Minute)
	CC10m   = CCInterval(10 * time.Minute)
)

var ccNames = map[CCInterval]string{CC3ms3: "3.3ms", CC10ms: "10ms", CC100ms: "100ms", CC1s: "1s", CC10s: "10s", CC1m: "1m", CC10m: "10m"}

// String is the Junos spelling ("3.3ms", "1s", "10m"); the zero value is
// "1s"; an unsupported interval prints as a Go duration.
func (c CCInterval) String() string {
	if c == 0 {
		return "1s"
	}
	if s, ok := ccNames[c]; ok {
		return s
	}
	return time.Duration(c).String()
}

// IsValid reports whether c is zero or one of the supported intervals.
func (c CCInterval) IsValid() bool { _, ok := ccNames[c]; return ok || c == 0 }

// MeasurementType is what an SLA iterator measures. The zero value is
// invalid.
type MeasurementType uint8

const (
	// MeasureTwoWayDelay sends Y.1731 DMM/DMR (ETH-DM); Junos reports two-way and
	// one-way delay and delay variation from it.
	MeasureTwoWayDelay MeasurementType = iota + 1
	// MeasureOneWayDelay is reported from the same DMM/DMR exchange as
	// MeasureTwoWayDelay (the one-way halves, which need synchronised
	// clocks); Junos configures it as measurement-type two-way-delay.
	MeasureOneWayDelay
	// MeasureLoss sends Y.1731 LMM/LMR (ETH-LM, service frame counters).
	MeasureLoss
	// MeasureSyntheticLoss sends Y.1731 SLM/SLR (ETH-SLM).
	MeasureSyntheticLoss
)

// Junos is the measurement-type keyword Junos uses.
func (m MeasurementType) Junos() string {
	switch m {
	case MeasureTwoWayDelay, MeasureOneWayDelay:
		return "two-way-delay"
	case MeasureLoss:
		return "loss"
	case MeasureSyntheticLoss:
		return "slm"
	}
	return ""
}

// String names m ("two-way-delay", "one-way-delay", "loss", "synthetic-loss").
func (m MeasurementType) String() string {
	switch m {
	case MeasureOneWayDelay:
		return "one-way-delay"
	case MeasureSyntheticLoss:
		return "synthetic-loss"
	}
	if s := m.Junos(); s != "" {
		return s
	}
	return "invalid"
}

// IteratorProfile is a Junos SLA iterator profile: one Y.1731 measurement
// sent every CycleTime, grouped into iterations of IterationPeriod cycles.
type IteratorProfile struct {
	// Name is the profile name (1–32 of [A-Za-z0-9._-]).
	Name string `json:"name"`
	// Type is what the iterator measures; required.
	Type MeasurementType `json:"type"`
	// CycleTime is the time between two measurement frames, a whole number
	// of milliseconds in 10 ms..1 h; zero means 1 s.
	CycleTime time.Duration `json:"cycleTime,omitempty"`
	// IterationPeriod is the number of cycles per iteration, 1..2000; zero
	// means Junos' default 2000.
	IterationPeriod int `json:"iterationPeriod,omitempty"`
	// DelayWeight and DelayVariationWeight are the calculation weights
	// (1..65535) Junos applies to average delay and delay variation; zero
	// leaves Junos' default (1). Only delay profiles take them.
	DelayWeight          int `json:"delayWeight,omitempty"`
	DelayVariationWeight int `json:"delayVariationWeight,omitempty"`
}

// Validate checks p; errors wrap [ErrInvalid] and name the profile.
func (p IteratorProfile) Validate() error {
	bad := func(f string, a ...any) error {
		return fmt.Errorf("sla: iterator profile %q: %s: %w", p.Name, fmt.Sprintf(f, a...), ErrInvalid)
	}
	if !validName(p.Name, 32) {
		return bad("name must be 1–32 of [A-Za-z0-9._-]")
	}
	if p.Type.Junos() == "" {
		return bad("measurement type unset")
	}
	if p.CycleTime != 0 && (p.CycleTime%time.Millisecond != 0 || p.CycleTime < 10*time.Millisecond || p.CycleTime > time.Hour) {
		return bad("cycle time %v: want whole milliseconds in 10ms..1h", p.CycleTime)
	}
	if p.IterationPeriod < 0 || p.IterationPeriod > 2000 {
		return bad("iteration period %d: want 1..2000", p.IterationPeriod)
	}
	for _, w := range []int{p.DelayWeight, p.DelayVariationWeight} {
		if w < 0 || w > 65535 {
			return bad("calculation weight %d: want 1..65535", w)
		}
		if w != 0 && p.Type != MeasureTwoWayDelay && p.Type != MeasureOneWayDelay {
			return bad("calculation weights apply to delay measurements only")
		}
	}
	return nil
}

// ActionProfile is a device-side CFM action profile: when one of its events
// happens on a remote MEP, the device runs its actions.
type ActionProfile struct {
	// Name is the profile name (1–32 of [A-Za-z0-9._-]).
	Name string `json:"name"`
	// Events: AdjacencyLoss (CCMs stop arriving), RDI (the far end reports
	// a defect), InterfaceStatusDown (the interface-status TLV says down).
	// At least one must be set.
	AdjacencyLoss, RDI, InterfaceStatusDown bool
	// Actions: InterfaceDown takes the MEP's interface down;
	// LogAndGenerateAIS logs and sends AIS to the level above. At least
	// one must be set.
	InterfaceDown, LogAndGenerateAIS bool
}

// Validate checks a; errors wrap [ErrInvalid] and name the profile.
func (a ActionProfile) Validate() error {
	if !validName(a.Name, 32) {
		return fmt.Errorf("sla: action profile %q: name must be 1–32 of [A-Za-z0-9._-]: %w", a.Name, ErrInvalid)
	}
	if !a.AdjacencyLoss && !a.RDI && !a.InterfaceStatusDown {
		return fmt.Errorf("sla: action profile %q: no event: %w", a.Name, ErrInvalid)
	}
	if !a.InterfaceDown && !a.LogAndGenerateAIS {
		return fmt.Errorf("sla: action profile %q: no action: %w", a.Name, ErrInvalid)
	}
	return nil
}

func validName(s string, maxLen int) bool {
	if s == "" || len(s) > maxLen {
		return false
	}
	for _, c := range []byte(s) {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

// CFMSpec is the CFM and performance monitoring an operator wants on a
// service. The zero value of each field is a documented default.
type CFMSpec struct {
	// Domain is the service-level maintenance domain name; "" means
	// "MD-L<level>" (one domain per level, shared by services).
	Domain string `json:"domain,omitempty"`
	// Level is the service-level MD level, 0..7; nil means 5 (a
	// provider/EVC level below the customer's 6–7).
	Level *int `json:"level,omitempty"`
	// CCInterval is the continuity-check interval; zero means 1 s.
	CCInterval CCInterval `json:"ccInterval,omitempty"`
	// LossThreshold is how many CCMs may be missed before the remote MEP
	// fails, 3..256; zero leaves Junos' default 3.
	LossThreshold int `json:"lossThreshold,omitempty"`
	// Port adds port-level CFM: a down MEP (ID 1, remote MEP 2, the CE)
	// on each UNI's physical port, in domain "MD-PORT" at PortLevel.
	Port bool `json:"port,omitempty"`
	// PortLevel is the port-level MD level, 0..7, below Level; nil means 1.
	PortLevel *int `json:"portLevel,omitempty"`
	// Profiles are the SLA iterator profiles attached to every remote MEP
	// of the service-level MA.
	Profiles []IteratorProfile `json:"profiles,omitempty"`
	// Action, if set, is attached to every service-level remote MEP.
	Action *ActionProfile `json:"action,omitempty"`
	// Fixed pins MEP IDs, keyed "device:interface.unit" (the attachment's
	// Name): the IDs of an existing deployment, kept when endpoints are
	// added so running measurements keep their keys.
	Fixed map[string]MEPID `json:"fixed,omitempty"`
}

func (s CFMSpec) level() int {
	if s.Level == nil {
		return 5
	}
	return *s.Level
}

func (s CFMSpec) portLevel() int {
	if s.PortLevel == nil {
		return 1
	}
	return *s.PortLevel
}

func (s CFMSpec) domain() string {
	if s.Domain == "" {
		return "MD-L" + strconv.Itoa(s.level())
	}
	return s.Domain
}

// Validate checks s; errors wrap [ErrInvalid] and name the bad field.
func (s CFMSpec) Validate() error {
	if l := s.level(); l < 0 || l > 7 {
		return fmt.Errorf("sla: cfm: level %d: want 0..7: %w", l, ErrInvalid)
	}
	if s.Port {
		if l := s.portLevel(); l < 0 || l > 7 || l >= s.level() {
			return fmt.Errorf("sla: cfm: port level %d: want 0..7 and below the service level %d: %w", l, s.level(), ErrInvalid)
		}
	}
	if !validName(s.domain(), 45) {
		return fmt.Errorf("sla: cfm: domain %q: want 1–45 of [A-Za-z0-9._-]: %w", s.domain(), ErrInvalid)
	}
	if !s.CCInterval.IsValid() {
		return fmt.Errorf("sla: cfm: continuity-check interval %v: want 3.3ms, 10ms, 100ms, 1s, 10s, 1m or 10m: %w", time.Duration(s.CCInterval), ErrInvalid)
	}
	if s.LossThreshold != 0 && (s.LossThreshold < 3 || s.LossThreshold > 256) {
		return fmt.Errorf("sla: cfm: loss threshold %d: want 3..256: %w", s.LossThreshold, ErrInvalid)
	}
	seen := map[string]bool{}
	for _, p := range s.Profiles {
		if err := p.Validate(); err != nil {
			return err
		}
		if seen[p.Name] {
			return fmt.Errorf("sla: cfm: iterator profile %q twice: %w", p.Name, ErrInvalid)
		}
		seen[p.Name] = true
	}
	if s.Action != nil {
		if err := s.Action.Validate(); err != nil {
			return err
		}
	}
	ids := map[MEPID]string{}
	for _, k := range slices.Sorted(mapKeys(s.Fixed)) {
		id := s.Fixed[k]
		if !id.IsValid() {
			return fmt.Errorf("sla: cfm: fixed MEP ID %d for %q: want 1..8191: %w", uint16(id), k, ErrInvalid)
		}
		if o, dup := ids[id]; dup {
			return fmt.Errorf("sla: cfm: fixed MEP ID %d given to both %q and %q: %w", id, o, k, ErrInvalid)
		}
		ids[id] = k
	}
	return nil
}

func mapKeys[M ~map[K]V, K comparable, V any](m M) func(func(K) bool) {
	return func(yield func(K) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// MEP is one maintenance association end point of a [Plan].
type MEP struct {
	// Device is the inventory name of the router the MEP is on.
	Device string `json:"device"`
	// Domain and Level are the maintenance domain and its level (0..7).
	Domain string `json:"domain"`
	Level  int    `json:"level"`
	// MA is the maintenance association, ID the MEP's ID in it.
	MA string `json:"ma"`
	ID MEPID  `json:"id"`
	// Interface is the logical (service level) or physical (port level)
	// interface the MEP sits on.
	Interface string `json:"interface"`
	// Up is true for an up MEP (service level, facing the bridge/pseudowire),
	// false for a down MEP (port level, facing the wire).
	Up bool `json:"up"`
	// Remote are the remote MEPs this one expects, ascending.
	Remote []MEPID `json:"remote"`
	// Profiles are the iterator profiles attached to each remote MEP.
	Profiles []string `json:"profiles,omitempty"`
	// Action is the action profile attached to each remote MEP, or "".
	Action string `json:"action,omitempty"`
	// Port marks a port-level MEP.
	Port bool `json:"port,omitempty"`
}

// Key identifies a measured MEP pair: "device/domain/ma/mep/remote".
func (m MEP) Key(remote MEPID) string {
	return m.Device + "/" + m.Domain + "/" + m.MA + "/" + m.ID.String() + "/" + remote.String()
}

// Plan is the CFM design of one service: its MEPs on every device, sorted
// by device, domain, MA and ID, and the profiles they use.
type Plan struct {
	// Service is the service's name.
	Service string `json:"service"`
	// CCInterval is the continuity-check interval of every MA (never zero
	// in a plan from Design).
	CCInterval CCInterval `json:"ccInterval"`
	// LossThresh is the continuity-check loss threshold; 0 = Junos' default.
	LossThresh int `json:"lossThreshold,omitempty"`
	// MEPs are all MEPs, sorted by device, domain, MA and ID.
	MEPs []MEP `json:"meps"`
	// Profiles are the iterator profiles, sorted by name.
	Profiles []IteratorProfile `json:"profiles,omitempty"`
	// Action is the action profile, or nil.
	Action *ActionProfile `json:"action,omitempty"`
}

// MAName derives the maintenance association name of a service: the
// service name when it fits CFM's 45-character short name, otherwise its
// first 36 characters, "-" and 8 hex digits of an FNV-1a hash of the whole
// name (deterministic, and distinct for names sharing a prefix).
func MAName(service string) string {
	if len(service) <= 45 {
		return service
	}
	h := fnv.New32a()
	h.Write([]byte(service))
	return fmt.Sprintf("%s-%08x", service[:36], h.Sum32())
}

// Design builds the CFM plan for svc, an E-LINE (l2circuit or BGP l2vpn)
// or VPLS service: one service-level MA named [MAName](svc.Name) in the
// spec's domain, an up MEP on every attachment, and (with spec.Port) a
// port-level down MEP on every UNI port. MEP IDs are unique within the MA:
// pinned ones from spec.Fixed first, then the lowest free IDs in
// attachment order (device, interface, unit). In a hub-and-spoke service a
// spoke expects only the hubs. Errors wrap [ErrInvalid] (bad spec, a
// service type without Ethernet attachments, fewer than two attachments,
// more than 8191).
func Design(svc design.Service, spec CFMSpec) (Plan, error) {
	if err := spec.Validate(); err != nil {
		return Plan{}, err
	}
	switch svc.Type {
	case design.TypeELine, design.TypeELineBGP, design.TypeVPLS:
	default:
		return Plan{}, fmt.Errorf("sla: cfm: service %q is %s: CFM needs an E-LINE or VPLS service: %w", svc.Name, svc.Type, ErrInvalid)
	}
	type att struct {
		dev, key, ifl, port string
		hub, spoke          bool
	}
	var atts []att
	for _, d := range svc.Devices {
		for _, a := range d.Attachments {
			atts = append(atts, att{dev: d.Device, key: d.Device + ":" + a.Name(), ifl: a.Name(), port: a.Interface,
				hub: d.Role == design.RoleHub, spoke: d.Role == design.RoleSpoke})
		}
	}
	slices.SortFunc(atts, func(a, b att) int { return strings.Compare(a.key, b.key) })
	if len(atts) < 2 {
		return Plan{}, fmt.Errorf("sla: cfm: service %q has %d attachments: need two or more: %w", svc.Name, len(atts), ErrInvalid)
	}
	if len(atts) > 8191 {
		return Plan{}, fmt.Errorf("sla: cfm: service %q has %d attachments: an MA holds at most 8191 MEPs: %w", svc.Name, len(atts), ErrInvalid)
	}
	used := map[MEPID]bool{}
	ids := make([]MEPID, len(atts))
	for i, a := range atts {
		if id, ok := spec.Fixed[a.key]; ok {
			ids[i], used[id] = id, true
		}
	}
	next := MEPID(1)
	for i := range atts {
		if ids[i] != 0 {
			continue
		}
		for used[next] {
			next++
		}
		ids[i], used[next] = next, true
	}
	var profs []string
	for _, p := range spec.Profiles {
		profs = append(profs, p.Name)
	}
	slices.Sort(profs)
	action := ""
	if spec.Action != nil {
		action = spec.Action.Name
	}
	p := Plan{Service: svc.Name, CCInterval: spec.CCInterval, LossThresh: spec.LossThreshold,
		Profiles: slices.Clone(spec.Profiles), Action: spec.Action}
	if p.CCInterval == 0 {
		p.CCInterval = CC1s
	}
	slices.SortFunc(p.Profiles, func(a, b IteratorProfile) int { return strings.Compare(a.Name, b.Name) })
	ma := MAName(svc.Name)
	ports := map[string]bool{}
	for i, a := range atts {
		var remote []MEPID
		for j, b := range atts {
			if j == i || (a.spoke && !b.hub) {
				continue
			}
			remote = append(remote, ids[j])
		}
		slices.Sort(remote)
		p.MEPs = append(p.MEPs, MEP{Device: a.dev, Domain: spec.domain(), Level: spec.level(), MA: ma, ID: ids[i],
			Interface: a.ifl, Up: true, Remote: remote, Profiles: profs, Action: action})
		if spec.Port && !ports[a.dev+":"+a.port] {
			ports[a.dev+":"+a.port] = true
			p.MEPs = append(p.MEPs, MEP{Device: a.dev, Domain: "MD-PORT", Level: spec.portLevel(), MA: portMA(a.port),
				ID: 1, Interface: a.port, Remote: []MEPID{2}, Port: true})
		}
	}
	slices.SortFunc(p.MEPs, func(a, b MEP) int {
		return cmp.Or(strings.Compare(a.Device, b.Device), strings.Compare(a.Domain, b.Domain), strings.Compare(a.MA, b.MA), a.ID.Compare(b.ID))
	})
	return p, nil
}

// portMA names the port-level MA of a physical port: "ge-0/0/1" → "P-ge-0-0-1".
func portMA(port string) string { return "P-" + strings.NewReplacer("/", "-", ":", "-").Replace(port) }

// Devices returns the devices of p, sorted, once each.
func (p Plan) Devices() []string {
	var out []string
	for _, m := range p.MEPs {
		if len(out) == 0 || out[len(out)-1] != m.Device {
			out = append(out, m.Device)
		}
	}
	return out
}
