package inventory

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"strconv"
	"strings"

	"github.com/carrierkit/carrierkit/netid"
)

// node is one element of a Junos XML document, namespaces dropped.
type node struct {
	XMLName xml.Name
	Text    string `xml:",chardata"`
	Kids    []node `xml:",any"`
}

// parseXML reads data into a node tree under a wrapper root, so that an
// RPC reply's several top-level elements parse as one document; callers
// find what they want below the root. Undeclared prefixes (junos:style in
// reply fragments) are accepted, as encoding/xml does.
func parseXML(what string, data []byte) (*node, error) {
	var buf bytes.Buffer
	buf.Grow(len(data) + 16)
	buf.WriteString("<reply>")
	buf.Write(stripDecl(data))
	buf.WriteString("</reply>")
	var root node
	d := xml.NewDecoder(&buf)
	if err := d.Decode(&root); err != nil {
		return nil, fmt.Errorf("inventory: %s: reply is not XML: %w", what, err)
	}
	return &root, nil
}

// stripDecl drops a leading <?xml …?> declaration, which may not appear
// inside the wrapper element.
func stripDecl(b []byte) []byte {
	t := bytes.TrimSpace(b)
	if bytes.HasPrefix(t, []byte("<?xml")) {
		if i := bytes.Index(t, []byte("?>")); i >= 0 {
			return t[i+2:]
		}
	}
	return t
}

// child returns the first child element called name, or nil.
func (n *node) child(name string) *node {
	if n == nil {
		return nil
	}
	for i := range n.Kids {
		if n.Kids[i].XMLName.Local == name {
			return &n.Kids[i]
		}
	}
	return nil
}

// path follows child elements by name.
func (n *node) path(names ...string) *node {
	for _, s := range names {
		n = n.child(s)
	}
	return n
}

// all returns every child element called name.
func (n *node) all(name string) []*node {
	if n == nil {
		return nil
	}
	var out []*node
	for i := range n.Kids {
		if n.Kids[i].XMLName.Local == name {
			out = append(out, &n.Kids[i])
		}
	}
	return out
}

// find returns the first element called name at any depth (n itself
// included), breadth first.
func (n *node) find(name string) *node {
	if n == nil {
		return nil
	}
	queue := []*node{n}
	for len(queue) > 0 {
		c := queue[0]
		queue = queue[1:]
		if c.XMLName.Local == name {
			return c
		}
		for i := range c.Kids {
			queue = append(queue, &c.Kids[i])
		}
	}
	return nil
}

// text returns the trimmed text of the element at path, "" if absent.
func (n *node) text(names ...string) string {
	c := n.path(names...)
	if c == nil {
		return ""
	}
	return strings.TrimSpace(c.Text)
}

// Facts are what the operational RPCs say about a device.
type facts struct {
	Hostname   string
	Model      string
	Version    string
	Serial     string
	Modules    []Module
	FPCs       []FPC
	Interfaces []Interface
}

// parseSoftware reads a get-software-information reply.
func parseSoftware(f *facts, data []byte) error {
	root, err := parseXML("get-software-information", data)
	if err != nil {
		return err
	}
	si := root.find("software-information")
	if si == nil {
		return fmt.Errorf("inventory: get-software-information: no <software-information> in the reply")
	}
	// A multi-RE or virtual-chassis reply nests one per member; the first
	// routing engine speaks for the chassis.
	if si.child("host-name") == nil {
		if m := si.find("multi-routing-engine-item"); m != nil {
			if s := m.find("software-information"); s != nil {
				si = s
			}
		}
	}
	f.Hostname = si.text("host-name")
	f.Model = si.text("product-model")
	if f.Model == "" {
		f.Model = si.text("product-name")
	}
	f.Version = si.text("junos-version")
	if f.Version == "" {
		// Older releases put it in the package comment:
		// "JUNOS Software Release [15.1R7.9]".
		for _, p := range si.all("package-information") {
			c := p.text("comment")
			if i, j := strings.IndexByte(c, '['), strings.IndexByte(c, ']'); i >= 0 && j > i {
				f.Version = c[i+1 : j]
				break
			}
		}
	}
	if f.Hostname == "" || f.Model == "" || f.Version == "" {
		return fmt.Errorf("inventory: get-software-information: reply lacks host-name, product-model or junos-version (host %q, model %q, version %q)", f.Hostname, f.Model, f.Version)
	}
	return nil
}

// parseChassis reads a get-chassis-inventory reply.
func parseChassis(f *facts, data []byte) error {
	root, err := parseXML("get-chassis-inventory", data)
	if err != nil {
		return err
	}
	ch := root.find("chassis")
	if ch == nil {
		return fmt.Errorf("inventory: get-chassis-inventory: no <chassis> in the reply")
	}
	f.Serial = ch.text("serial-number")
	f.Modules = nil
	f.FPCs = nil
	for _, m := range ch.all("chassis-module") {
		mod := module(m)
		f.Modules = append(f.Modules, mod)
		slot, ok := slotOf(mod.Name, "FPC ")
		if !ok {
			continue
		}
		fpc := FPC{Slot: slot, Description: mod.Description, PartNumber: mod.PartNumber, Serial: mod.Serial}
		for _, sm := range mod.Modules {
			if ps, ok := slotOf(sm.Name, "PIC "); ok {
				fpc.PICs = append(fpc.PICs, PIC{Slot: ps, Description: sm.Description, Serial: sm.Serial})
			}
		}
		f.FPCs = append(f.FPCs, fpc)
	}
	return nil
}

func module(m *node) Module {
	mod := Module{
		Name:        m.text("name"),
		Version:     m.text("version"),
		PartNumber:  m.text("part-number"),
		Serial:      m.text("serial-number"),
		Description: m.text("description"),
	}
	for _, k := range m.Kids {
		if strings.HasPrefix(k.XMLName.Local, "chassis-") && strings.HasSuffix(k.XMLName.Local, "module") {
			mod.Modules = append(mod.Modules, module(&k))
		}
	}
	return mod
}

// slotOf parses "FPC 3" (with prefix "FPC ") into 3.
func slotOf(name, prefix string) (int, bool) {
	rest, ok := strings.CutPrefix(name, prefix)
	if !ok {
		return 0, false
	}
	n, err := strconv.Atoi(rest)
	return n, err == nil && n >= 0
}

// parseInterfaces reads a get-interface-information reply (terse or not).
func parseInterfaces(f *facts, data []byte) error {
	root, err := parseXML("get-interface-information", data)
	if err != nil {
		return err
	}
	ii := root.find("interface-information")
	if ii == nil {
		return fmt.Errorf("inventory: get-interface-information: no <interface-information> in the reply")
	}
	f.Interfaces = nil
	seen := map[string]bool{}
	for _, p := range ii.all("physical-interface") {
		name := p.text("name")
		if name == "" {
			return fmt.Errorf("inventory: get-interface-information: a physical-interface without a name")
		}
		if seen[name] {
			return fmt.Errorf("inventory: get-interface-information: interface %q listed twice", name)
		}
		seen[name] = true
		in := Interface{
			Name:  name,
			Admin: status(p.text("admin-status")),
			Oper:  status(p.text("oper-status")),
			MAC:   p.text("current-physical-address"),
		}
		if s := p.text("speed"); s != "" {
			sp, err := parseSpeed(s)
			if err != nil {
				return fmt.Errorf("inventory: get-interface-information: interface %q: %w", name, err)
			}
			in.Speed = sp
		}
		f.Interfaces = append(f.Interfaces, in)
	}
	return nil
}

// status normalises Junos' admin/oper status words.
func status(s string) Status {
	switch strings.ToLower(s) {
	case "up":
		return Up
	case "down":
		return Down
	case "":
		return ""
	default:
		return Status(strings.ToLower(s))
	}
}

// parseSpeed reads Junos' speed text: "10Gbps", "1000mbps", "100Gbps",
// "800mbps"; "Unlimited", "Auto" and "Unspecified" are unknown (zero).
func parseSpeed(s string) (netid.Bitrate, error) {
	l := strings.ToLower(strings.TrimSpace(s))
	switch l {
	case "unlimited", "auto", "unspecified", "auto-negotiation":
		return 0, nil
	}
	mult := uint64(1)
	switch {
	case strings.HasSuffix(l, "tbps"):
		mult, l = 1e12, strings.TrimSuffix(l, "tbps")
	case strings.HasSuffix(l, "gbps"):
		mult, l = 1e9, strings.TrimSuffix(l, "gbps")
	case strings.HasSuffix(l, "mbps"):
		mult, l = 1e6, strings.TrimSuffix(l, "mbps")
	case strings.HasSuffix(l, "kbps"):
		mult, l = 1e3, strings.TrimSuffix(l, "kbps")
	case strings.HasSuffix(l, "bps"):
		l = strings.TrimSuffix(l, "bps")
	default:
		return 0, fmt.Errorf("speed %q: want a number and bps, kbps, mbps, Gbps or Tbps", s)
	}
	if strings.Contains(l, ".") {
		v, err := strconv.ParseFloat(l, 64)
		if err != nil || v < 0 {
			return 0, fmt.Errorf("speed %q: not a number", s)
		}
		return netid.Bitrate(v * float64(mult)), nil
	}
	n, err := strconv.ParseUint(l, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("speed %q: not a number", s)
	}
	return netid.Bitrate(n * mult), nil
}
