package inventory

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/netip"
	"path"
	"regexp"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/carrierkit/carrierkit/design"
	"github.com/carrierkit/carrierkit/netid"
	"github.com/carrierkit/carrierkit/store"
)

// Role is a device's place in the network.
type Role string

// Roles the default rules assign; rules may name others.
const (
	RolePE  Role = "N-PE"
	RoleP   Role = "P"
	RoleCPE Role = "CPE"
)

// Rules say how prestaging assigns device roles and qualifies interfaces.
// They are data: ParseRules reads them from YAML or JSON.
type Rules struct {
	// Roles are tried in order; the first that matches a device gives its
	// role. A device no rule matches is not qualified.
	Roles []RoleRule `json:"roles" yaml:"roles"`
	// UNIRoles are the roles whose devices may have UNIs; on other devices
	// customer-facing candidates are left unqualified.
	UNIRoles []Role `json:"uniRoles" yaml:"uniRoles"`
	// CoreProtocols: an interface with family mpls on a unit that is also
	// in one of these protocols is an NNI.
	CoreProtocols []string `json:"coreProtocols" yaml:"coreProtocols"`
	// Ports are name patterns (path.Match, "ge-*") of the data ports that
	// may be UNIs or NNIs; everything else (management, loopback, irb,
	// internal ports) is neither.
	Ports []string `json:"ports" yaml:"ports"`
	// Exclude lists operator exclusions.
	Exclude []Exclusion `json:"exclude,omitempty" yaml:"exclude,omitempty"`
}

// RoleRule assigns Role to devices matching every condition it sets.
type RoleRule struct {
	Role Role `json:"role" yaml:"role"`
	// Series lists platform series ("MX", "PTX"); empty matches any.
	Series []string `json:"series,omitempty" yaml:"series,omitempty"`
	// Hostname is a regular expression the host name must match.
	Hostname string `json:"hostname,omitempty" yaml:"hostname,omitempty"`
	// HasUNI, if set, requires the device to have (true) or lack (false)
	// customer-facing ports that qualify as UNIs.
	HasUNI *bool `json:"hasUNI,omitempty" yaml:"hasUNI,omitempty"`
	// HasNNI likewise for core-facing ports.
	HasNNI *bool `json:"hasNNI,omitempty" yaml:"hasNNI,omitempty"`

	re *regexp.Regexp
}

// Exclusion keeps a device, or some of its interfaces, out of service.
type Exclusion struct {
	// Device is a path.Match pattern of host names ("lab-*").
	Device string `json:"device" yaml:"device"`
	// Interface, if set, is a pattern of interface names on those devices;
	// empty excludes the whole device.
	Interface string `json:"interface,omitempty" yaml:"interface,omitempty"`
	Reason    string `json:"reason,omitempty" yaml:"reason,omitempty"`
}

func ptr(b bool) *bool { return &b }

// DefaultRules returns the rules used when none are given: host names
// "cpe…"/"ce…" and SRX/NFX platforms are CPE, PTX and host names "p1", "p2" …
// are P, a device with UNI candidates is an N-PE, one with only NNIs a P.
// Only N-PE and CPE have UNIs. Data ports are ge-, xe-, et-, mge- and ae-
// interfaces; NNIs need family mpls and IS-IS, OSPF, LDP or RSVP.
func DefaultRules() *Rules {
	r := &Rules{
		Roles: []RoleRule{
			{Role: RoleCPE, Hostname: `^(cpe|ce)[0-9._-]`},
			{Role: RoleCPE, Series: []string{"SRX", "NFX"}},
			{Role: RoleP, Series: []string{"PTX"}},
			{Role: RoleP, Hostname: `^p[0-9]+([._-]|$)`},
			{Role: RolePE, HasUNI: ptr(true)},
			{Role: RoleP, HasUNI: ptr(false), HasNNI: ptr(true)},
		},
		UNIRoles:      []Role{RolePE, RoleCPE},
		CoreProtocols: []string{"isis", "ospf", "ospf3", "ldp", "rsvp"},
		Ports:         []string{"ge-*", "xe-*", "et-*", "mge-*", "ae*"},
	}
	if err := r.Validate(); err != nil {
		panic(err)
	}
	return r
}

// ParseRules reads rules from YAML or JSON; unknown fields are errors. Fields
// left out take the defaults of DefaultRules (roles, UNI roles, protocols,
// ports), so a file may hold only exclusions.
func ParseRules(data []byte) (*Rules, error) {
	var r Rules
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&r); err != nil {
		return nil, fmt.Errorf("inventory: rules: %w", err)
	}
	def := DefaultRules()
	if r.Roles == nil {
		r.Roles = def.Roles
	}
	if r.UNIRoles == nil {
		r.UNIRoles = def.UNIRoles
	}
	if r.CoreProtocols == nil {
		r.CoreProtocols = def.CoreProtocols
	}
	if r.Ports == nil {
		r.Ports = def.Ports
	}
	if err := r.Validate(); err != nil {
		return nil, err
	}
	return &r, nil
}

// Validate checks every pattern and role, naming the bad one.
func (r *Rules) Validate() error {
	for i := range r.Roles {
		rr := &r.Roles[i]
		if rr.Role == "" {
			return fmt.Errorf("inventory: rules: roles[%d]: role is required", i)
		}
		if rr.Hostname != "" {
			re, err := regexp.Compile(rr.Hostname)
			if err != nil {
				return fmt.Errorf("inventory: rules: roles[%d].hostname %q: %w", i, rr.Hostname, err)
			}
			rr.re = re
		}
	}
	for i, p := range r.Ports {
		if _, err := path.Match(p, ""); err != nil {
			return fmt.Errorf("inventory: rules: ports[%d] %q: %w", i, p, err)
		}
	}
	for i, e := range r.Exclude {
		if e.Device == "" {
			return fmt.Errorf("inventory: rules: exclude[%d]: device is required (\"*\" for all)", i)
		}
		for _, p := range []string{e.Device, e.Interface} {
			if _, err := path.Match(p, ""); err != nil {
				return fmt.Errorf("inventory: rules: exclude[%d] %q: %w", i, p, err)
			}
		}
	}
	return nil
}

// match is path.Match with '*' also matching '/', as interface names
// ("ge-1/0/0") need.
func match(pattern, s string) bool {
	ok, _ := path.Match(strings.ReplaceAll(pattern, "/", "|"), strings.ReplaceAll(s, "/", "|"))
	return ok
}

// Qualification is prestaging's verdict on one interface.
type Qualification struct {
	Interface string `json:"interface"`
	// Role is UNI or NNI; "" means the interface is not qualified.
	Role design.InterfaceRole `json:"role,omitempty"`
	// InUse is true for a UNI that already carries services.
	InUse  bool   `json:"inUse,omitempty"`
	Reason string `json:"reason"`
	// PeerAddress is, on an NNI with a /30 or /31, the other end's address.
	PeerAddress netip.Addr `json:"peerAddress,omitzero"`
}

// Prestage is prestaging's record of one device, stored under
// inventory/prestage/<device>.
type Prestage struct {
	Device string `json:"device"`
	Role   Role   `json:"role,omitempty"`
	// Qualified devices (a role, a loopback, not excluded) go into
	// design inventories; Reason says why not otherwise.
	Qualified  bool            `json:"qualified"`
	Reason     string          `json:"reason,omitempty"`
	Interfaces []Qualification `json:"interfaces"`
	// Fingerprint digests what the verdict was computed from (the
	// device's ports and configuration, and the rules); Syncs counts the
	// times it was (re)computed.
	Fingerprint string `json:"fingerprint"`
	Syncs       int    `json:"syncs"`
}

// Qualification returns the verdict on interface name.
func (p *Prestage) Qualification(name string) (Qualification, bool) {
	for _, q := range p.Interfaces {
		if q.Interface == name {
			return q, true
		}
	}
	return Qualification{}, false
}

// PrestageAction says what a prestaging run did with a device.
type PrestageAction string

// Actions.
const (
	Prestaged PrestageAction = "prestaged" // first time
	Resynced  PrestageAction = "resynced"  // the device or the rules changed
	Unchanged PrestageAction = "unchanged" // nothing to do
)

// PrestageResult is one device's outcome.
type PrestageResult struct {
	Device string
	Action PrestageAction
	Role   Role
	// OldRole is the role before a resync; Changes list interface verdicts
	// that changed ("ge-1/0/2: uni -> none").
	OldRole Role
	Changes []string
}

// PrestageReport lists every device's outcome, by name.
type PrestageReport struct {
	Results []PrestageResult
}

// Count returns how many devices got action a.
func (r *PrestageReport) Count(a PrestageAction) int {
	n := 0
	for _, x := range r.Results {
		if x.Action == a {
			n++
		}
	}
	return n
}

// Prestage assigns roles and qualifies interfaces of every discovered
// device. A device already prestaged from the same configuration and rules
// is left alone (Unchanged); one whose ports, configuration or rules changed
// since is re-synchronised. Records are written with store conditions, so
// concurrent runs do not lose updates.
func (inv *Inventory) Prestage(ctx context.Context) (*PrestageReport, error) {
	devs, err := inv.Devices(ctx)
	if err != nil {
		return nil, err
	}
	rulesJSON, err := json.Marshal(inv.o.Rules)
	if err != nil {
		return nil, err
	}
	rep := &PrestageReport{}
	for i := range devs {
		d := &devs[i]
		res, err := inv.prestageOne(ctx, d, rulesJSON)
		if err != nil {
			return rep, err
		}
		rep.Results = append(rep.Results, res)
	}
	return rep, nil
}

// Prestages returns every stored prestage record, by device name.
func (inv *Inventory) Prestages(ctx context.Context) ([]Prestage, error) {
	var out []Prestage
	err := inv.st.List(ctx, prestagePref, func(it store.Item) error {
		var p Prestage
		if err := json.Unmarshal(it.Value, &p); err != nil {
			return fmt.Errorf("inventory: record %q: %w", it.Key, err)
		}
		out = append(out, p)
		return nil
	})
	return out, err
}

func (inv *Inventory) prestageOne(ctx context.Context, d *Device, rulesJSON []byte) (PrestageResult, error) {
	names := make([]string, 0, len(d.Interfaces))
	for _, in := range d.Interfaces {
		names = append(names, in.Name)
	}
	fp := digest([]byte(d.Name + "\x00" + d.Model + "\x00" + strings.Join(names, ",") + "\x00" + d.ConfigDigest + "\x00" + string(rulesJSON)))
	key := prestagePref + d.Name
	for attempt := 0; ; attempt++ {
		var old Prestage
		var cond store.Cond
		it, err := inv.st.Get(ctx, key)
		switch {
		case errors.Is(err, store.ErrNotFound):
			cond = store.Absent(key)
		case err != nil:
			return PrestageResult{}, err
		default:
			if err := json.Unmarshal(it.Value, &old); err != nil {
				return PrestageResult{}, fmt.Errorf("inventory: record %q: %w", key, err)
			}
			if old.Fingerprint == fp {
				return PrestageResult{Device: d.Name, Action: Unchanged, Role: old.Role, OldRole: old.Role}, nil
			}
			cond = store.Unchanged(key, it.Revision)
		}
		cfg, err := d.config()
		if err != nil {
			return PrestageResult{}, err
		}
		p := inv.o.Rules.evaluate(d, cfg)
		p.Fingerprint, p.Syncs = fp, old.Syncs+1
		res := PrestageResult{Device: d.Name, Action: Prestaged, Role: p.Role}
		if old.Fingerprint != "" {
			res.Action, res.OldRole = Resynced, old.Role
			res.Changes = diffQualifications(&old, &p)
		}
		b, err := json.Marshal(p)
		if err != nil {
			return PrestageResult{}, err
		}
		_, err = inv.st.Txn(ctx, []store.Cond{cond}, []store.Op{store.Put(key, b)})
		if errors.Is(err, store.ErrConflict) && attempt < 8 {
			continue
		}
		if err != nil {
			return PrestageResult{}, fmt.Errorf("inventory: store prestage %q: %w", d.Name, err)
		}
		return res, nil
	}
}

func diffQualifications(old, cur *Prestage) []string {
	var out []string
	if old.Qualified != cur.Qualified {
		out = append(out, fmt.Sprintf("qualified: %v -> %v", old.Qualified, cur.Qualified))
	}
	roleOf := func(q Qualification) string {
		if q.Role == "" {
			return "none"
		}
		return string(q.Role)
	}
	seen := map[string]bool{}
	for _, q := range cur.Interfaces {
		seen[q.Interface] = true
		o, ok := old.Qualification(q.Interface)
		if !ok {
			out = append(out, q.Interface+": new -> "+roleOf(q))
		} else if o.Role != q.Role || o.InUse != q.InUse {
			out = append(out, fmt.Sprintf("%s: %s -> %s (%s)", q.Interface, roleOf(o), roleOf(q), q.Reason))
		}
	}
	for _, o := range old.Interfaces {
		if !seen[o.Interface] {
			out = append(out, o.Interface+": "+roleOf(o)+" -> removed")
		}
	}
	return out
}

// serviceFamilies and serviceEncaps mark units that carry customer services.
var (
	serviceFamilies = []string{"ccc", "vpls", "bridge", "ethernet-switching"}
	serviceEncaps   = []string{"vlan-ccc", "ethernet-ccc", "vlan-vpls", "ethernet-vpls", "vlan-bridge", "ethernet-bridge", "flexible-ethernet-services", "extended-vlan-ccc", "extended-vlan-vpls"}
)

// evaluate applies the rules to one device.
func (r *Rules) evaluate(d *Device, cfg *config) Prestage {
	p := Prestage{Device: d.Name}
	// Logical interfaces bound to services: routing instances and
	// l2circuits.
	bound := map[string]string{}
	for _, ri := range cfg.Instances {
		for _, in := range ri.Interfaces {
			bound[in] = "routing-instance " + ri.Name
		}
	}
	for _, l := range cfg.L2Circuits {
		bound[l.Interface] = fmt.Sprintf("l2circuit %d", l.VCID)
	}
	devExcluded := ""
	for _, e := range r.Exclude {
		if e.Interface == "" && match(e.Device, d.Name) {
			devExcluded = "excluded by operator"
			if e.Reason != "" {
				devExcluded += ": " + e.Reason
			}
		}
	}
	hasUNI, hasNNI := false, false
	for _, in := range d.Interfaces {
		q := Qualification{Interface: in.Name}
		q.Role, q.InUse, q.Reason, q.PeerAddress = r.qualify(in, cfg, bound)
		for _, e := range r.Exclude {
			if e.Interface != "" && match(e.Device, d.Name) && match(e.Interface, in.Name) {
				q.Role, q.InUse, q.PeerAddress = "", false, netip.Addr{}
				q.Reason = "excluded by operator"
				if e.Reason != "" {
					q.Reason += ": " + e.Reason
				}
			}
		}
		hasUNI = hasUNI || q.Role == design.UNI
		hasNNI = hasNNI || q.Role == design.NNI
		p.Interfaces = append(p.Interfaces, q)
	}
	for _, rr := range r.Roles {
		if rr.matches(d, hasUNI, hasNNI) {
			p.Role = rr.Role
			break
		}
	}
	if p.Role != "" && !slices.Contains(r.UNIRoles, p.Role) {
		for i := range p.Interfaces {
			if p.Interfaces[i].Role == design.UNI {
				p.Interfaces[i].Role, p.Interfaces[i].InUse = "", false
				p.Interfaces[i].Reason = "role " + string(p.Role) + " has no UNIs"
			}
		}
	}
	switch {
	case devExcluded != "":
		p.Reason = devExcluded
	case p.Role == "":
		p.Reason = "no role rule matches"
	case !d.Loopback.IsValid():
		p.Reason = "no loopback address (lo0.0 inet /32 or router-id)"
	default:
		p.Qualified = true
	}
	return p
}

func (rr *RoleRule) matches(d *Device, hasUNI, hasNNI bool) bool {
	if len(rr.Series) > 0 && !slices.ContainsFunc(rr.Series, func(s string) bool { return strings.EqualFold(s, d.Series) }) {
		return false
	}
	if rr.re != nil && !rr.re.MatchString(d.Name) {
		return false
	}
	if rr.HasUNI != nil && *rr.HasUNI != hasUNI {
		return false
	}
	if rr.HasNNI != nil && *rr.HasNNI != hasNNI {
		return false
	}
	return true
}

// qualify decides one interface's role.
func (r *Rules) qualify(in Interface, cfg *config, bound map[string]string) (design.InterfaceRole, bool, string, netip.Addr) {
	if !slices.ContainsFunc(r.Ports, func(p string) bool { return match(p, in.Name) }) {
		return "", false, "not a data port", netip.Addr{}
	}
	ic := cfg.Interfaces[in.Name]
	if ic == nil {
		if in.Admin == Down {
			return "", false, "administratively down", netip.Addr{}
		}
		return design.UNI, false, "unused customer-facing port", netip.Addr{}
	}
	if ic.Disabled {
		return "", false, "disabled in the configuration", netip.Addr{}
	}
	// Core: a unit with family mpls that a core protocol runs on.
	for _, u := range ic.Units {
		logical := in.Name + "." + u.Name
		if !slices.Contains(u.Families, "mpls") {
			continue
		}
		var protos []string
		for _, pr := range cfg.Protocols[logical] {
			if slices.Contains(r.CoreProtocols, pr) {
				protos = append(protos, pr)
			}
		}
		if len(protos) == 0 {
			return "", false, "family mpls on " + logical + " but no " + strings.Join(r.CoreProtocols, "/") + " on it", netip.Addr{}
		}
		return design.NNI, false, "core-facing: mpls and " + strings.Join(protos, ", ") + " on " + logical, peerOf(u.Addresses)
	}
	if len(ic.Units) == 0 && !ic.Other && ic.Encap == "" {
		// Only a description or a tagging mode: still unused.
		return design.UNI, false, "unused customer-facing port", netip.Addr{}
	}
	// Customer-facing: every unit carries a service (a routing instance, an
	// l2circuit, or a layer-2 family/encapsulation).
	for i := range ic.Units {
		if !isServiceUnit(in.Name, &ic.Units[i], bound) {
			return "", false, fmt.Sprintf("unit %s carries configuration that is not a customer service", ic.Units[i].Name), netip.Addr{}
		}
	}
	if len(ic.Units) == 0 {
		return "", false, "carries configuration but no units", netip.Addr{}
	}
	if ic.Tagging == "" {
		return design.UNI, true, "customer-facing port in use (untagged service)", netip.Addr{}
	}
	return design.UNI, true, "customer-facing port in use", netip.Addr{}
}

func isServiceUnit(ifname string, u *unitConfig, bound map[string]string) bool {
	if _, ok := bound[ifname+"."+u.Name]; ok {
		return true
	}
	for _, f := range u.Families {
		if slices.Contains(serviceFamilies, f) {
			return true
		}
	}
	return slices.Contains(serviceEncaps, u.Encap)
}

// peerOf returns the other end of a point-to-point /31 or /30.
func peerOf(addrs []netip.Prefix) netip.Addr {
	for _, p := range addrs {
		if !p.Addr().Is4() {
			continue
		}
		a := p.Addr().As4()
		switch p.Bits() {
		case 31:
			a[3] ^= 1
			return netip.AddrFrom4(a)
		case 30:
			switch a[3] & 3 {
			case 1:
				a[3]++
			case 2:
				a[3]--
			default:
				continue
			}
			return netip.AddrFrom4(a)
		}
	}
	return netip.Addr{}
}

// Design returns a design inventory of the qualified devices with their
// qualified interfaces only (UNIs and NNIs), so that orders naming any other
// device or port are refused by design.
func (inv *Inventory) Design(ctx context.Context) (*design.Inventory, error) {
	devs, err := inv.Devices(ctx)
	if err != nil {
		return nil, err
	}
	pres, err := inv.Prestages(ctx)
	if err != nil {
		return nil, err
	}
	byName := map[string]*Prestage{}
	for i := range pres {
		byName[pres[i].Device] = &pres[i]
	}
	var out []design.Device
	for _, d := range devs {
		p := byName[d.Name]
		if p == nil || !p.Qualified {
			continue
		}
		dd := design.Device{
			Name:     d.Name,
			Platform: design.Platform{Vendor: design.VendorJuniper, Model: d.Model, Series: d.Series},
			Loopback: d.Loopback,
		}
		if d.ASN != "" {
			if a, err := netid.ParseASN(d.ASN); err == nil {
				dd.ASN = a
			}
		}
		for _, q := range p.Interfaces {
			if q.Role == "" {
				continue
			}
			in, _ := d.Interface(q.Interface)
			dd.Interfaces = append(dd.Interfaces, design.Interface{Name: q.Interface, Role: q.Role, Speed: in.Speed, PeerAddress: q.PeerAddress})
		}
		out = append(out, dd)
	}
	return design.NewInventory(out)
}
