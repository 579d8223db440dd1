package design

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/carrierkit/carrierkit/netid"
)

// ParamType is the type of a definition [Parameter]: "int", "string",
// "bool", "bitrate", "enum", "vlan" or "asn".
type ParamType string

// The parameter types.
const (
	ParamInt     ParamType = "int"
	ParamString  ParamType = "string"
	ParamBool    ParamType = "bool"
	ParamBitrate ParamType = "bitrate"
	ParamEnum    ParamType = "enum"
	ParamVLAN    ParamType = "vlan"
	ParamASN     ParamType = "asn"
)

// Parameter is one attribute of a [Definition]: its type, default and
// constraints, and whether an order may override it. Values are written in
// text form ("9100", "100M", "true", "ethernet-vlan").
//
// In a custom definition a parameter names an attribute of its base and
// overrides what it states: Type may be left empty (it must equal the
// attribute's type when given), Default, Min, Max, Enum and Pattern replace
// the base's, and Overridable when given replaces the base's.
type Parameter struct {
	// Name is the attribute ("mtu", "bandwidth", "controlWord", …).
	Name string    `json:"name" yaml:"name"`
	Type ParamType `json:"type,omitempty" yaml:"type,omitempty"`
	// Default is the value used when the order gives none; empty means
	// unset.
	Default string `json:"default,omitempty" yaml:"default,omitempty"`
	// Min and Max bound int, vlan, asn and bitrate values (text form).
	Min string `json:"min,omitempty" yaml:"min,omitempty"`
	Max string `json:"max,omitempty" yaml:"max,omitempty"`
	// Enum lists the allowed values of an enum (or narrows any type).
	Enum []string `json:"enum,omitempty" yaml:"enum,omitempty"`
	// Pattern is a regular expression a string value must match entirely.
	Pattern string `json:"pattern,omitempty" yaml:"pattern,omitempty"`
	// Overridable says whether orders may set the attribute; nil (in a
	// custom definition) keeps the base's choice, and false elsewhere.
	Overridable *bool `json:"overridable,omitempty" yaml:"overridable,omitempty"`
	// Description is free text for operators.
	Description string `json:"description,omitempty" yaml:"description,omitempty"`

	re *regexp.Regexp
}

// CanOverride reports whether an order may set the parameter.
func (p *Parameter) CanOverride() bool { return p.Overridable != nil && *p.Overridable }

// attribute is one settable field of Params.
type attribute struct {
	typ  ParamType
	enum []string // allowed values for enums
	set  func(*Params, string) error
}

func setUint(dst *uint32) func(string) error {
	return func(s string) error {
		n, err := strconv.ParseUint(s, 10, 32)
		if err != nil {
			return fmt.Errorf("not a whole number")
		}
		*dst = uint32(n)
		return nil
	}
}

// attributes are the attributes definitions may set, by name.
var attributes = map[string]attribute{
	"mtu":              {typ: ParamInt, set: func(p *Params, s string) error { return setUint(&p.MTU)(s) }},
	"encapsulation":    {typ: ParamEnum, enum: []string{"auto", EncapEthernet, EncapEthernetVLAN}, set: func(p *Params, s string) error { p.Encapsulation = noneEmpty(s, "auto"); return nil }},
	"controlWord":      {typ: ParamBool, set: func(p *Params, s string) error { return setBool(&p.ControlWord, s) }},
	"bandwidth":        {typ: ParamBitrate, set: func(p *Params, s string) error { return setText(&p.Bandwidth, s) }},
	"qosProfile":       {typ: ParamString, set: func(p *Params, s string) error { p.QoSProfile = s; return nil }},
	"signalling":       {typ: ParamEnum, enum: []string{SignallingLDP, SignallingBGP, SignallingRSVP, SignallingStatic}, set: func(p *Params, s string) error { p.Signalling = s; return nil }},
	"topology":         {typ: ParamEnum, enum: []string{TopologyP2P, TopologyP2MP, TopologyFullMesh, TopologyHubAndSpoke, TopologyMultihomed}, set: func(p *Params, s string) error { p.Topology = s; return nil }},
	"pece":             {typ: ParamEnum, enum: []string{PECEStatic, PECEBGP}, set: func(p *Params, s string) error { p.PECE = s; return nil }},
	"vlanMode":         {typ: ParamEnum, enum: []string{VLANModePort, VLANModeVLAN}, set: func(p *Params, s string) error { p.VLANMode = s; return nil }},
	"vlanMap":          {typ: ParamEnum, enum: []string{"none", VLANMapPop, VLANMapPush, VLANMapSwap}, set: func(p *Params, s string) error { p.VLANMap = noneEmpty(s, "none"); return nil }},
	"normalVlan":       {typ: ParamVLAN, set: func(p *Params, s string) error { return setText(&p.NormalVLAN, s) }},
	"siteRange":        {typ: ParamInt, set: func(p *Params, s string) error { return setUint(&p.SiteRange)(s) }},
	"macTableSize":     {typ: ParamInt, set: func(p *Params, s string) error { return setUint(&p.MACTableSize)(s) }},
	"ipv4":             {typ: ParamBool, set: func(p *Params, s string) error { return setBool(&p.IPv4, s) }},
	"ipv6":             {typ: ParamBool, set: func(p *Params, s string) error { return setBool(&p.IPv6, s) }},
	"ceAs":             {typ: ParamASN, set: func(p *Params, s string) error { return setText(&p.CEAS, s) }},
	"noCspf":           {typ: ParamBool, set: func(p *Params, s string) error { return setBool(&p.NoCSPF, s) }},
	"standbySecondary": {typ: ParamBool, set: func(p *Params, s string) error { return setBool(&p.StandbySecondary, s) }},
}

func noneEmpty(s, none string) string {
	if s == none {
		return ""
	}
	return s
}

func setBool(dst *bool, s string) error {
	switch s {
	case "true":
		*dst = true
	case "false":
		*dst = false
	default:
		return fmt.Errorf("want true or false")
	}
	return nil
}

type textUnmarshaler interface{ UnmarshalText([]byte) error }

func setText(dst textUnmarshaler, s string) error {
	if err := dst.UnmarshalText([]byte(s)); err != nil {
		// netid errors quote the input already; keep the reason only.
		msg := err.Error()
		if i := strings.LastIndex(msg, ": "); i >= 0 {
			msg = msg[i+2:]
		}
		return fmt.Errorf("%s", msg)
	}
	return nil
}

// Definition is a service definition: a predefined catalog entry or an
// operator's custom definition built on one. It says which base
// realisation to use (Base, or the entry itself) and the attributes with
// their defaults and constraints.
type Definition struct {
	// Name identifies the definition ([A-Za-z0-9._-]).
	Name string `json:"name" yaml:"name"`
	// Base names the definition this one builds on; empty for catalog
	// entries.
	Base string `json:"base,omitempty" yaml:"base,omitempty"`
	// Type is the base service type; in a custom definition it may be left
	// empty and must equal the base's when given.
	Type ServiceType `json:"type,omitempty" yaml:"type,omitempty"`
	// Description is free text.
	Description string `json:"description,omitempty" yaml:"description,omitempty"`
	// Parameters are the attributes with defaults and constraints.
	Parameters []Parameter `json:"parameters,omitempty" yaml:"parameters,omitempty"`

	realisation string  // catalog entry whose builder realises it
	defaults    *Params // the resolved defaults, set when the catalog is built
}

// Realisation returns the name of the catalog entry that realises the
// definition, or "" for a definition that did not come from a [Catalog].
func (d *Definition) Realisation() string { return d.realisation }

// Param returns the parameter named name.
func (d *Definition) Param(name string) (*Parameter, bool) {
	for i := range d.Parameters {
		if d.Parameters[i].Name == name {
			return &d.Parameters[i], true
		}
	}
	return nil, false
}

// Resolve applies overrides (attribute name → text value) to the
// definition's defaults and returns the resulting Params. Every override
// must name an overridable parameter and satisfy its constraints.
func (d *Definition) Resolve(overrides map[string]string) (Params, error) {
	if d.defaults != nil {
		return d.resolveOver(overrides)
	}
	var p Params
	for i := range d.Parameters {
		pr := &d.Parameters[i]
		v, given := overrides[pr.Name]
		if !given {
			v = pr.Default
		} else if !pr.CanOverride() {
			return Params{}, fieldErr("attributes."+pr.Name, v, "not overridable in definition "+d.Name)
		}
		if v == "" {
			continue
		}
		if err := pr.check(v); err != nil {
			return Params{}, fieldErr("attributes."+pr.Name, v, err.Error())
		}
		if err := attributes[pr.Name].set(&p, v); err != nil {
			return Params{}, fieldErr("attributes."+pr.Name, v, err.Error())
		}
	}
	for _, k := range sortedKeys(overrides) {
		if _, ok := d.Param(k); !ok {
			return Params{}, fieldErr("attributes."+k, overrides[k], "no such parameter in definition "+d.Name)
		}
	}
	if err := p.Validate(); err != nil {
		return Params{}, err
	}
	return p, nil
}

// resolveOver applies overrides to the precomputed defaults.
func (d *Definition) resolveOver(overrides map[string]string) (Params, error) {
	p := *d.defaults
	if len(overrides) == 0 {
		return p, nil
	}
	for _, k := range sortedKeys(overrides) {
		v := overrides[k]
		pr, ok := d.Param(k)
		if !ok {
			return Params{}, fieldErr("attributes."+k, v, "no such parameter in definition "+d.Name)
		}
		if !pr.CanOverride() {
			return Params{}, fieldErr("attributes."+k, v, "not overridable in definition "+d.Name)
		}
		if v == "" {
			continue // the default stays
		}
		if err := pr.check(v); err != nil {
			return Params{}, fieldErr("attributes."+k, v, err.Error())
		}
		if err := attributes[k].set(&p, v); err != nil {
			return Params{}, fieldErr("attributes."+k, v, err.Error())
		}
	}
	if err := p.Validate(); err != nil {
		return Params{}, err
	}
	return p, nil
}

// prime computes the resolved defaults once, so Resolve need not.
func (d *Definition) prime() error {
	d.defaults = nil
	p, err := d.Resolve(nil)
	if err != nil {
		return err
	}
	d.defaults = &p
	return nil
}

func sortedKeys(m map[string]string) []string {
	if len(m) == 0 {
		return nil
	}
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}

// number parses v as the parameter's ordered type, for min/max checks.
func (p *Parameter) number(v string) (uint64, error) {
	switch p.Type {
	case ParamInt:
		n, err := strconv.ParseUint(v, 10, 32)
		if err != nil {
			return 0, fmt.Errorf("not a whole number")
		}
		return n, nil
	case ParamVLAN:
		x, err := netid.ParseVLANID(v)
		return uint64(x), stripErr(err)
	case ParamASN:
		x, err := netid.ParseASN(v)
		return uint64(x), stripErr(err)
	case ParamBitrate:
		x, err := netid.ParseBitrate(v)
		return uint64(x), stripErr(err)
	}
	return 0, fmt.Errorf("type %s has no order", p.Type)
}

func stripErr(err error) error {
	if err == nil {
		return nil
	}
	msg := err.Error()
	if i := strings.LastIndex(msg, ": "); i >= 0 {
		msg = msg[i+2:]
	}
	return fmt.Errorf("%s", msg)
}

// check reports whether v is a valid value of the parameter.
func (p *Parameter) check(v string) error {
	switch p.Type {
	case ParamInt, ParamVLAN, ParamASN, ParamBitrate:
		n, err := p.number(v)
		if err != nil {
			return err
		}
		if p.Min != "" {
			if m, _ := p.number(p.Min); n < m {
				return fmt.Errorf("below min %s", p.Min)
			}
		}
		if p.Max != "" {
			if m, _ := p.number(p.Max); n > m {
				return fmt.Errorf("above max %s", p.Max)
			}
		}
	case ParamBool:
		if v != "true" && v != "false" {
			return fmt.Errorf("want true or false")
		}
	case ParamString:
		if err := CheckName("value", v); err != nil {
			return fmt.Errorf("want letters, digits, '.', '_' or '-'")
		}
		if p.re != nil && !p.re.MatchString(v) {
			return fmt.Errorf("does not match pattern %q", p.Pattern)
		}
	}
	if len(p.Enum) > 0 && !slices.Contains(p.Enum, v) {
		return fmt.Errorf("want one of %s", strings.Join(p.Enum, ", "))
	}
	return nil
}

// validate checks the parameter's own consistency: a known attribute of
// the right type, parseable constraints, a default that satisfies them.
func (p *Parameter) validate() error {
	a, ok := attributes[p.Name]
	if !ok {
		return fmt.Errorf("unknown attribute; known: %s", strings.Join(attributeNames(), ", "))
	}
	if p.Type != a.typ {
		return fmt.Errorf("type %q, but the attribute is of type %s", p.Type, a.typ)
	}
	for _, b := range [...][2]string{{"min", p.Min}, {"max", p.Max}} {
		if b[1] == "" {
			continue
		}
		if _, err := p.number(b[1]); err != nil {
			return fmt.Errorf("%s %q: %v", b[0], b[1], err)
		}
	}
	if p.Min != "" && p.Max != "" {
		lo, _ := p.number(p.Min)
		hi, _ := p.number(p.Max)
		if lo > hi {
			return fmt.Errorf("min %s above max %s", p.Min, p.Max)
		}
	}
	if p.Pattern != "" {
		if p.Type != ParamString {
			return fmt.Errorf("pattern given for type %s", p.Type)
		}
		re, err := regexp.Compile("^(?:" + p.Pattern + ")$")
		if err != nil {
			return fmt.Errorf("pattern %q: %v", p.Pattern, err)
		}
		p.re = re
	}
	if a.enum != nil {
		if len(p.Enum) == 0 {
			p.Enum = slices.Clone(a.enum)
		}
		for _, e := range p.Enum {
			if !slices.Contains(a.enum, e) {
				return fmt.Errorf("enum value %q: want one of %s", e, strings.Join(a.enum, ", "))
			}
		}
	}
	for _, e := range p.Enum {
		if a.enum == nil {
			saved := p.Enum
			p.Enum = nil
			err := p.check(e)
			p.Enum = saved
			if err != nil {
				return fmt.Errorf("enum value %q: %v", e, err)
			}
		}
	}
	if p.Default != "" {
		if err := p.check(p.Default); err != nil {
			return fmt.Errorf("default %s %v", p.Default, err)
		}
		var scratch Params
		if err := a.set(&scratch, p.Default); err != nil {
			return fmt.Errorf("default %s: %v", p.Default, err)
		}
	}
	return nil
}

func attributeNames() []string {
	ns := make([]string, 0, len(attributes))
	for n := range attributes {
		ns = append(ns, n)
	}
	slices.Sort(ns)
	return ns
}

// Catalog is a set of definitions: the predefined entries of [Builtins]
// and custom definitions built on them. It is immutable once built.
type Catalog struct {
	defs  []Definition
	index map[string]int
}

// NewCatalog returns the predefined definitions plus custom, each custom
// definition merged over its base (a predefined entry or a custom
// definition earlier in custom) and validated. Errors name the definition
// and the parameter:
//
//	definition "gold-eline": parameter "mtu": default 20000 above max 9216
func NewCatalog(custom ...Definition) (*Catalog, error) {
	c := &Catalog{index: make(map[string]int)}
	for _, d := range Builtins() {
		c.index[d.Name] = len(c.defs)
		c.defs = append(c.defs, d)
	}
	for i := range custom {
		d, err := c.merge(custom[i])
		if err != nil {
			return nil, err
		}
		c.index[d.Name] = len(c.defs)
		c.defs = append(c.defs, d)
	}
	return c, nil
}

func (c *Catalog) merge(in Definition) (Definition, error) {
	wrap := func(err error) error {
		return fmt.Errorf("design: definition %q: %w", in.Name, err)
	}
	if err := CheckName("name", in.Name); err != nil {
		return Definition{}, wrap(err)
	}
	if _, dup := c.index[in.Name]; dup {
		return Definition{}, wrap(fieldErr("name", in.Name, "already defined"))
	}
	if in.Base == "" {
		return Definition{}, wrap(fieldErr("base", "", "required: the definition it builds on"))
	}
	bi, ok := c.index[in.Base]
	if !ok {
		return Definition{}, wrap(fieldErr("base", in.Base, "no such definition"))
	}
	base := &c.defs[bi]
	if in.Type != 0 && in.Type != base.Type {
		return Definition{}, wrap(fieldErr("type", in.Type.String(), "differs from base "+base.Name+"'s type "+base.Type.String()))
	}
	out := Definition{Name: in.Name, Base: in.Base, Type: base.Type, Description: in.Description, realisation: base.realisation}
	out.Parameters = slices.Clone(base.Parameters)
	seen := map[string]bool{}
	for _, p := range in.Parameters {
		if seen[p.Name] {
			return Definition{}, wrap(fmt.Errorf("parameter %q: given twice: %w", p.Name, ErrInvalid))
		}
		seen[p.Name] = true
		j := slices.IndexFunc(out.Parameters, func(q Parameter) bool { return q.Name == p.Name })
		if j < 0 {
			if _, known := attributes[p.Name]; known {
				return Definition{}, wrap(fmt.Errorf("parameter %q: not an attribute of base %s: %w", p.Name, base.Name, ErrInvalid))
			}
			return Definition{}, wrap(fmt.Errorf("parameter %q: unknown attribute; known: %s: %w", p.Name, strings.Join(attributeNames(), ", "), ErrInvalid))
		}
		q := out.Parameters[j]
		if p.Type != "" && p.Type != q.Type {
			return Definition{}, wrap(fmt.Errorf("parameter %q: type %q, but the attribute is of type %s: %w", p.Name, p.Type, q.Type, ErrInvalid))
		}
		if p.Default != "" {
			q.Default = p.Default
		}
		if p.Min != "" {
			q.Min = p.Min
		}
		if p.Max != "" {
			q.Max = p.Max
		}
		if p.Enum != nil {
			q.Enum = slices.Clone(p.Enum)
		}
		if p.Pattern != "" {
			q.Pattern = p.Pattern
		}
		if p.Overridable != nil {
			b := *p.Overridable
			q.Overridable = &b
		}
		if p.Description != "" {
			q.Description = p.Description
		}
		if err := q.validate(); err != nil {
			return Definition{}, wrap(fmt.Errorf("parameter %q: %v: %w", p.Name, err, ErrInvalid))
		}
		out.Parameters[j] = q
	}
	if err := out.prime(); err != nil {
		return Definition{}, wrap(fmt.Errorf("defaults: %w", err))
	}
	return out, nil
}

// Lookup returns the named definition.
func (c *Catalog) Lookup(name string) (*Definition, bool) {
	i, ok := c.index[name]
	if !ok {
		return nil, false
	}
	return &c.defs[i], true
}

// Definitions returns every definition, predefined ones first, then custom
// ones in the order given. The slice is shared: do not modify it.
func (c *Catalog) Definitions() []Definition { return c.defs }
