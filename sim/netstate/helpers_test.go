package netstate

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/carrierkit/carrierkit/sim/junosconf"
)

// lab builds small networks for tests: routers with a loopback 192.0.2.N,
// core links 10.0.K.0/30 running IS-IS, LDP, RSVP and MPLS, and per-device
// extra configuration in Junos text.
type lab struct {
	t      testing.TB
	names  []string
	extra  map[string][]string
	core   map[string][]string // device → core interface stanzas
	proto  map[string][]string // device → core interface names
	links  []Link
	nlinks int
	noLDP  map[string]bool // "dev ifl" without LDP
}

func newLab(t testing.TB, names ...string) *lab {
	return &lab{t: t, names: names, extra: map[string][]string{}, core: map[string][]string{},
		proto: map[string][]string{}, noLDP: map[string]bool{}}
}

func (l *lab) idx(name string) int {
	for i, n := range l.names {
		if n == name {
			return i + 1
		}
	}
	l.t.Fatalf("no device %s", name)
	return 0
}

// link connects a and b on new ports xe-0/0/K with a /30 and a delay.
func (l *lab) link(a, b string, delay time.Duration) *lab {
	k := l.nlinks
	l.nlinks++
	pa, pb := fmt.Sprintf("xe-0/1/%d", k), fmt.Sprintf("xe-0/1/%d", k)
	l.core[a] = append(l.core[a], fmt.Sprintf("%s { unit 0 { family inet { address 10.0.%d.1/30; } family iso; family mpls; } }", pa, k))
	l.core[b] = append(l.core[b], fmt.Sprintf("%s { unit 0 { family inet { address 10.0.%d.2/30; } family iso; family mpls; } }", pb, k))
	l.proto[a] = append(l.proto[a], pa+".0")
	l.proto[b] = append(l.proto[b], pb+".0")
	l.links = append(l.links, Link{A: Endpoint{a, pa}, B: Endpoint{b, pb}, Up: true, Delay: delay})
	return l
}

func (l *lab) add(dev string, text ...string) *lab {
	l.extra[dev] = append(l.extra[dev], text...)
	return l
}

func (l *lab) config(dev string) string {
	var b strings.Builder
	n := l.idx(dev)
	fmt.Fprintf(&b, "interfaces { lo0 { unit 0 { family inet { address 192.0.2.%d/32; } family iso { address 49.0001.0000.0000.%04d.00; } } }\n", n, n)
	for _, c := range l.core[dev] {
		b.WriteString(c + "\n")
	}
	b.WriteString("}\n")
	fmt.Fprintf(&b, "routing-options { router-id 192.0.2.%d; autonomous-system 65000; }\n", n)
	b.WriteString("protocols { isis { interface lo0.0 { passive; }\n")
	for _, p := range l.proto[dev] {
		fmt.Fprintf(&b, "interface %s { point-to-point; }\n", p)
	}
	b.WriteString("}\nldp { interface lo0.0;\n")
	for _, p := range l.proto[dev] {
		if !l.noLDP[dev+" "+p] {
			fmt.Fprintf(&b, "interface %s;\n", p)
		}
	}
	b.WriteString("}\nrsvp {\n")
	for _, p := range l.proto[dev] {
		fmt.Fprintf(&b, "interface %s;\n", p)
	}
	b.WriteString("}\nmpls {\n")
	for _, p := range l.proto[dev] {
		fmt.Fprintf(&b, "interface %s;\n", p)
	}
	b.WriteString("} }\n")
	for _, e := range l.extra[dev] {
		b.WriteString(e + "\n")
	}
	return b.String()
}

func (l *lab) input() Input {
	var in Input
	for _, n := range l.names {
		in.Devices = append(in.Devices, Device{Name: n, Family: junosconf.FamilyJunos, Up: true, Config: mustParse(l.t, l.config(n))})
	}
	in.Links = append([]Link(nil), l.links...)
	return in
}

func mustParse(t testing.TB, text string) *junosconf.Tree {
	t.Helper()
	tr, err := junosconf.Parse(junosconf.FormatText, []byte(text), junosconf.FamilyJunos)
	if err != nil {
		t.Fatalf("parse: %v\n%s", err, text)
	}
	return tr
}

// cut returns in with the link between a and b down.
func cut(in Input, a, b string) Input {
	in.Links = append([]Link(nil), in.Links...)
	for i, l := range in.Links {
		if (l.A.Device == a && l.B.Device == b) || (l.A.Device == b && l.B.Device == a) {
			in.Links[i].Up = false
		}
	}
	return in
}

// eline returns the l2circuit configuration of one end of an E-LINE on
// ge-0/0/1.100 towards neighbor n with extra circuit statements.
func eline(n string, vcid int, extra string) string {
	return fmt.Sprintf(`interfaces { ge-0/0/1 { flexible-vlan-tagging; encapsulation flexible-ethernet-services;
  unit 100 { encapsulation vlan-ccc; vlan-id 100; } } }
protocols { l2circuit { neighbor %s { interface ge-0/0/1.100 { virtual-circuit-id %d; %s } } } }`, n, vcid, extra)
}

// ce adds a customer-facing port ge-0/0/1 of dev with a link to a CE
// device that is always up, so the attachment circuit's link is up.
func (l *lab) ce(dev string) *lab {
	ce := "ce-" + dev
	l.names = append(l.names, ce)
	l.links = append(l.links, Link{A: Endpoint{dev, "ge-0/0/1"}, B: Endpoint{ce, "ge-0/0/0"}, Up: true, Delay: time.Millisecond})
	return l
}
