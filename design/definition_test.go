package design_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/carrierkit/carrierkit/design"
)

// TestDecodeDefinitionsErrors checks that every problem in a custom
// definition is refused with the file, the definition and the parameter.
func TestDecodeDefinitionsErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		yaml string
		want string
	}{
		{"default above max", `
definitions:
  - name: gold-eline
    base: eline-ldp
    parameters:
      - {name: mtu, default: "20000"}`, `definitions.yaml: definition "gold-eline": parameter "mtu": default 20000 above max 9216`},
		{"default below custom min", `
definitions:
  - {name: g, base: eline-ldp, parameters: [{name: bandwidth, default: 1M, min: 10M}]}`, `definition "g": parameter "bandwidth": default 1M below min 10M`},
		{"min above max", `
definitions:
  - {name: g, base: eline-ldp, parameters: [{name: mtu, min: "9000", max: "2000", default: ""}]}`, `parameter "mtu": min 9000 above max 2000`},
		{"unparseable bound", `
definitions:
  - {name: g, base: eline-ldp, parameters: [{name: bandwidth, max: fast}]}`, `parameter "bandwidth": max "fast"`},
		{"unknown attribute", `
definitions:
  - {name: g, base: eline-ldp, parameters: [{name: colour, default: red}]}`, `parameter "colour": unknown attribute`},
		{"attribute of another service type", `
definitions:
  - {name: g, base: eline-ldp, parameters: [{name: pece, default: bgp}]}`, `parameter "pece": not an attribute of base eline-ldp`},
		{"wrong type", `
definitions:
  - {name: g, base: eline-ldp, parameters: [{name: mtu, type: string}]}`, `parameter "mtu": type "string", but the attribute is of type int`},
		{"enum value unknown", `
definitions:
  - {name: g, base: eline-ldp, parameters: [{name: vlanMap, enum: [pop, flip]}]}`, `parameter "vlanMap": enum value "flip"`},
		{"default outside narrowed enum", `
definitions:
  - {name: g, base: l3vpn-full-mesh, parameters: [{name: pece, enum: [bgp]}]}`, `parameter "pece": default static want one of bgp`},
		{"bad pattern", `
definitions:
  - {name: g, base: eline-ldp, parameters: [{name: qosProfile, pattern: "(gold"}]}`, `parameter "qosProfile": pattern "(gold"`},
		{"pattern on an int", `
definitions:
  - {name: g, base: eline-ldp, parameters: [{name: mtu, pattern: "9.*"}]}`, `parameter "mtu": pattern given for type int`},
		{"default against pattern", `
definitions:
  - {name: g, base: eline-ldp, parameters: [{name: qosProfile, default: silver, pattern: "gold.*"}]}`, `parameter "qosProfile": default silver does not match pattern`},
		{"parameter twice", `
definitions:
  - {name: g, base: eline-ldp, parameters: [{name: mtu}, {name: mtu}]}`, `parameter "mtu": given twice`},
		{"no base", `
definitions:
  - {name: g}`, `definition "g": base: required`},
		{"unknown base", `
definitions:
  - {name: g, base: eline-mpls}`, `definition "g": base "eline-mpls": no such definition`},
		{"type differs from base", `
definitions:
  - {name: g, base: eline-ldp, type: vpls}`, `definition "g": type "vpls": differs from base`},
		{"unknown type", `
definitions:
  - {name: g, base: eline-ldp, type: evpn}`, `parse service type "evpn"`},
		{"redefines a catalog entry", `
definitions:
  - {name: eline-ldp, base: eline-ldp}`, `definition "eline-ldp": name "eline-ldp": already defined`},
		{"hostile name", "definitions:\n  - {name: \"g\\nset system\", base: eline-ldp}", `definition "g\nset system": name`},
		{"unknown field", `
definitions:
  - {name: g, base: eline-ldp, colour: red}`, `line 3: field colour not found`},
		{"missing defaults broken", `
definitions:
  - {name: g, base: eline-ldp, parameters: [{name: vlanMap, default: swap}]}`, `defaults: normalVlan: required with vlanMap swap`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := design.DecodeDefinitions("definitions.yaml", []byte(tt.yaml), design.FormatYAML)
			if err == nil {
				t.Fatal("accepted")
			}
			if !errors.Is(err, design.ErrInvalid) {
				t.Errorf("error does not wrap ErrInvalid: %v", err)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error\n  %s\ndoes not contain\n  %s", err, tt.want)
			}
			if !strings.HasPrefix(err.Error(), "definitions.yaml: ") {
				t.Errorf("error %q does not start with the file name", err)
			}
		})
	}
}

// TestCustomDefinition checks that a custom definition inherits its base's
// parameters and changes only what it states.
func TestCustomDefinition(t *testing.T) {
	t.Parallel()
	cat := testCatalog(t)
	gold, ok := cat.Lookup("gold-eline")
	if !ok {
		t.Fatal("gold-eline missing")
	}
	if gold.Realisation() != design.DefELineLDP || gold.Type != design.TypeELine {
		t.Errorf("gold-eline realised by %q as %v", gold.Realisation(), gold.Type)
	}
	p, err := gold.Resolve(nil)
	if err != nil {
		t.Fatal(err)
	}
	if p.MTU != 9000 || !p.ControlWord || p.Bandwidth != 1e9 || p.QoSProfile != "gold" || p.Signalling != "ldp" || p.VLANMode != "vlan" {
		t.Errorf("gold-eline defaults: %+v", p)
	}
	p, err = gold.Resolve(map[string]string{"bandwidth": "10G", "vlanMap": "pop", "qosProfile": "gold-plus"})
	if err != nil {
		t.Fatal(err)
	}
	if p.Bandwidth != 10e9 || p.VLANMap != "pop" || p.QoSProfile != "gold-plus" {
		t.Errorf("gold-eline overridden: %+v", p)
	}
	base, _ := cat.Lookup("eline-ldp")
	if q, _ := base.Param("mtu"); q.Default != "9100" || !q.CanOverride() {
		t.Errorf("the custom definition changed its base: %+v", q)
	}
	// Every predefined entry resolves with its defaults alone.
	for _, d := range design.Builtins() {
		if _, ok := cat.Lookup(d.Name); !ok {
			t.Errorf("catalog lacks %s", d.Name)
		}
		if _, err := d.Resolve(nil); err != nil {
			t.Errorf("%s: defaults do not resolve: %v", d.Name, err)
		}
	}
}

func TestDecodeFormats(t *testing.T) {
	t.Parallel()
	js := `{"name": "j1", "definition": "eline-ldp", "attributes": {"mtu": 9000, "controlWord": true, "vlanMap": "pop"}, "endpoints": [{"device": "pe1", "interface": "ge-0/0/1", "vlan": "300"}, {"device": "pe2", "interface": "ge-0/0/1"}]}`
	o, err := design.DecodeOrder("o.json", []byte(js), design.FormatOf("o.json"))
	if err != nil {
		t.Fatal(err)
	}
	if o.Endpoints[0].VLAN != 300 || o.Name != "j1" || o.Attributes["mtu"] != "9000" || o.Attributes["controlWord"] != "true" || o.Attributes["vlanMap"] != "pop" {
		t.Errorf("decoded %+v", o)
	}
	if _, err := design.DecodeOrder("o", []byte(js), design.FormatAuto); err != nil {
		t.Errorf("auto-detected JSON: %v", err)
	}
	tests := []struct {
		name, data, want string
		f                design.Format
	}{
		{"json unknown field", `{"name": "x", "colour": 1}`, `o.json: json: unknown field "colour"`, design.FormatJSON},
		{"json syntax", "{\n\"name\": \"x\",,}", "o.json: line 2:", design.FormatJSON},
		{"json attribute object", `{"attributes": {"mtu": {"a": 1}}}`, `attribute "mtu": want a string, number or boolean`, design.FormatJSON},
		{"json trailing", `{"name": "x"} {}`, "data after the first JSON value", design.FormatJSON},
		{"json bad vlan", `{"endpoints": [{"vlan": "4095"}]}`, `parse VLAN ID "4095"`, design.FormatJSON},
		{"yaml unknown field", "name: x\nendpoints:\n  - {device: pe1, port: 3}\n", "o.json: yaml: unmarshal errors:\n  line 3: field port not found", design.FormatYAML},
		{"yaml two documents", "name: x\n---\nname: y\n", "more than one YAML document", design.FormatYAML},
		{"yaml empty", "", "empty document", design.FormatYAML},
		{"yaml bad address", "endpoints:\n  - {address: 10.0.0.300/31}\n", `10.0.0.300/31`, design.FormatYAML},
		{"yaml wrong type", "endpoints: 3\n", "line 1: cannot unmarshal", design.FormatYAML},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := design.DecodeOrder("o.json", []byte(tt.data), tt.f)
			if err == nil || !strings.Contains(err.Error(), tt.want) || !errors.Is(err, design.ErrInvalid) {
				t.Errorf("got %v, want an ErrInvalid containing %q", err, tt.want)
			}
		})
	}
	_, err = design.DecodeInventory("inv.yaml", []byte("devices:\n  - {name: a, platform: {vendor: cisco}, loopback: 192.0.2.1}\n"), design.FormatYAML)
	if err == nil || !strings.Contains(err.Error(), `inv.yaml: inventory: device "a": platform.vendor "cisco"`) {
		t.Errorf("inventory error: %v", err)
	}
}

// TestInventoryErrors checks the inventory's own checks.
func TestInventoryErrors(t *testing.T) {
	t.Parallel()
	mx := design.Platform{Vendor: "juniper", Model: "mx480", Series: "MX"}
	lo := ip("192.0.2.1")
	tests := []struct {
		name string
		devs []design.Device
		want string
	}{
		{"duplicate device", []design.Device{{Name: "a", Platform: mx, Loopback: lo}, {Name: "a", Platform: mx, Loopback: ip("192.0.2.2")}}, `device "a": name "a": defined twice`},
		{"duplicate loopback", []design.Device{{Name: "a", Platform: mx, Loopback: lo}, {Name: "b", Platform: mx, Loopback: lo}}, `device "b": loopback "192.0.2.1": also used by device a`},
		{"no loopback", []design.Device{{Name: "a", Platform: mx}}, `loopback: required`},
		{"hostile device name", []design.Device{{Name: "a;b", Platform: mx, Loopback: lo}}, `device "a;b": name "a;b"`},
		{"path in device name", []design.Device{{Name: "../etc", Platform: mx, Loopback: lo}}, `name "../etc"`},
		{"hostile interface", []design.Device{{Name: "a", Platform: mx, Loopback: lo, Interfaces: []design.Interface{{Name: "ge-0/0/1 unit 5", Role: design.UNI}}}}, `interfaces[0].name "ge-0/0/1 unit 5"`},
		{"unit in interface", []design.Device{{Name: "a", Platform: mx, Loopback: lo, Interfaces: []design.Interface{{Name: "ge-0/0/1.5", Role: design.UNI}}}}, `without a unit`},
		{"bad role", []design.Device{{Name: "a", Platform: mx, Loopback: lo, Interfaces: []design.Interface{{Name: "ge-0/0/1", Role: "core"}}}}, `interfaces[0].role "core"`},
		{"interface twice", []design.Device{{Name: "a", Platform: mx, Loopback: lo, Interfaces: []design.Interface{{Name: "ge-0/0/1", Role: design.UNI}, {Name: "ge-0/0/1", Role: design.NNI}}}}, `interfaces[1].name "ge-0/0/1": defined twice`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := design.NewInventory(tt.devs)
			if err == nil || !strings.Contains(err.Error(), tt.want) || !errors.Is(err, design.ErrInvalid) {
				t.Errorf("got %v, want an ErrInvalid containing %q", err, tt.want)
			}
		})
	}
}
