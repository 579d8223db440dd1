package netstate

import (
	"net/netip"
	"strings"
	"testing"
	"time"
)

func elineLab(t *testing.T, pe1, pe2 string) Input {
	l := newLab(t, "pe1", "p", "pe2").
		link("pe1", "p", 2*time.Millisecond).link("p", "pe2", 3*time.Millisecond).
		ce("pe1").ce("pe2")
	l.add("pe1", pe1)
	l.add("pe2", pe2)
	return l.input()
}

func TestELine(t *testing.T) {
	ok := eline("192.0.2.3", 1100, "mtu 9100;")
	okB := eline("192.0.2.1", 1100, "mtu 9100;")
	tests := []struct {
		name       string
		pe1, pe2   string
		mod        func(Input) Input
		want       string
		reasonPart string
	}{
		{name: "correct E-LINE", pe1: ok, pe2: okB, want: "Up"},
		{name: "VC ID mismatch", pe1: ok, pe2: eline("192.0.2.1", 1001, "mtu 9100;"), want: "OL", reasonPart: "remote VC ID 1001 differs"},
		{name: "MTU mismatch", pe1: ok, pe2: eline("192.0.2.1", 1100, "mtu 1500;"), want: "MM", reasonPart: "local 9100 remote 1500"},
		{name: "MTU mismatch ignored", pe1: ok, pe2: eline("192.0.2.1", 1100, "mtu 1500; ignore-mtu-mismatch;"), want: "Up"},
		{name: "encapsulation mismatch", pe1: ok, pe2: eline("192.0.2.1", 1100, "mtu 9100; encapsulation-type ethernet;"), want: "EM"},
		{name: "control word mismatch", pe1: ok, pe2: eline("192.0.2.1", 1100, "mtu 9100; no-control-word;"), want: "CM"},
		{name: "remote not configured", pe1: ok, pe2: "", want: "OL", reasonPart: "no LDP session"},
		{name: "unit not CCC", pe1: strings.Replace(ok, "encapsulation vlan-ccc;", "", 1), pe2: okB, want: "NC"},
		{name: "attachment circuit down", pe1: ok, pe2: okB, want: "LD", reasonPart: "ge-0/0/1.100 down",
			mod: func(in Input) Input { return cut(in, "pe1", "ce-pe1") }},
		{name: "remote attachment circuit down", pe1: ok, pe2: okB, want: "OL", reasonPart: "remote interface",
			mod: func(in Input) Input { return cut(in, "pe2", "ce-pe2") }},
		{name: "remote AC down with status TLV", pe1: eline("192.0.2.3", 1100, "mtu 9100; pseudowire-status-tlv;"),
			pe2: eline("192.0.2.1", 1100, "mtu 9100; pseudowire-status-tlv;"), want: "RD",
			mod: func(in Input) Input { return cut(in, "pe2", "ce-pe2") }},
		{name: "core cut, no path", pe1: ok, pe2: okB, want: "OL", reasonPart: "no LDP session",
			mod: func(in Input) Input { return cut(in, "p", "pe2") }},
		{name: "remote PE down", pe1: ok, pe2: okB, want: "OL", reasonPart: "no LDP session",
			mod: func(in Input) Input { in.Devices[2].Up = false; return in }},
		{name: "local PE down", pe1: ok, pe2: okB, want: "Dn",
			mod: func(in Input) Input { in.Devices[0].Up = false; return in }},
		{name: "port not present", pe1: ok, pe2: okB, want: "NP",
			mod: func(in Input) Input { in.Devices[0].Ports = []string{"xe-0/1/0"}; return in }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in := elineLab(t, tc.pe1, tc.pe2)
			if tc.mod != nil {
				in = tc.mod(in)
			}
			s := Compute(in)
			pw := s.Pseudowire("pe1", "192.0.2.3", "ge-0/0/1.100", 0)
			if pw.Status != tc.want || !strings.Contains(pw.Reason, tc.reasonPart) {
				t.Fatalf("status %q reason %q, want %q containing %q", pw.Status, pw.Reason, tc.want, tc.reasonPart)
			}
			if tc.want == "Up" {
				back := s.Pseudowire("pe2", "192.0.2.1", "ge-0/0/1.100", 1100)
				if back.Status != "Up" || pw.OutLabel != back.InLabel || back.OutLabel != pw.InLabel || pw.InLabel < LabelBase {
					t.Fatalf("labels: pe1 in %d out %d, pe2 %+v", pw.InLabel, pw.OutLabel, back)
				}
				if pw.Path.Delay != 5*time.Millisecond || len(pw.Path.Hops) != 2 {
					t.Fatalf("path %+v", pw.Path)
				}
				if m := s.Routes("pe1", "mpls.0"); len(m) != 1 || m[0].Label != pw.InLabel || m[0].Via != "ge-0/0/1.100" {
					t.Fatalf("mpls.0 %+v", m)
				}
			}
		})
	}
}

func TestELineMissingTransportLSP(t *testing.T) {
	// LDP is not enabled on the P router's core interfaces: the targeted
	// session comes up over IS-IS, but no LDP LSP reaches the far PE.
	l := newLab(t, "pe1", "p", "pe2").link("pe1", "p", time.Millisecond).link("p", "pe2", time.Millisecond).ce("pe1").ce("pe2")
	l.noLDP["p xe-0/1/0.0"] = true
	l.noLDP["p xe-0/1/1.0"] = true
	l.add("pe1", eline("192.0.2.3", 7, ""))
	l.add("pe2", eline("192.0.2.1", 7, ""))
	s := Compute(l.input())
	pw := s.Pseudowire("pe1", "192.0.2.3", "ge-0/0/1.100", 7)
	if pw.Status != "VC-Dn" || !strings.Contains(pw.Reason, "no LSP to 192.0.2.3") {
		t.Fatalf("got %+v", pw)
	}
	if got := s.Routes("pe1", "inet.3"); len(got) != 0 {
		t.Fatalf("inet.3 = %+v, want empty (no LDP on the P router)", got)
	}
	if got := s.LDPSessions("pe1"); len(got) != 1 || !got[0].Targeted || got[0].State != "Operational" {
		t.Fatalf("LDP sessions %+v, want the targeted session to pe2", got)
	}
	if !s.Reachable("pe1", netip.MustParseAddr("192.0.2.3")) {
		t.Fatal("pe2 loopback not reachable over IS-IS")
	}
}

func TestLinkCutRingVsChain(t *testing.T) {
	build := func(ring bool) Input {
		l := newLab(t, "pe1", "p", "pe2").link("pe1", "p", time.Millisecond).link("p", "pe2", time.Millisecond).ce("pe1").ce("pe2")
		if ring {
			l.link("pe1", "pe2", 10*time.Millisecond)
		}
		l.add("pe1", eline("192.0.2.3", 1, ""))
		l.add("pe2", eline("192.0.2.1", 1, ""))
		return l.input()
	}
	for _, ring := range []bool{true, false} {
		in := cut(build(ring), "p", "pe2")
		s := Compute(in)
		pw := s.Pseudowire("pe1", "192.0.2.3", "ge-0/0/1.100", 1)
		want := "OL"
		if ring {
			want = "Up"
		}
		if pw.Status != want {
			t.Fatalf("ring=%v: status %s (%s), want %s", ring, pw.Status, pw.Reason, want)
		}
		if ring && pw.Path.Delay != 10*time.Millisecond {
			t.Fatalf("ring path after cut %+v, want the direct 10ms link", pw.Path)
		}
	}
}

func TestL2CircuitBackupNeighbor(t *testing.T) {
	l := newLab(t, "pe1", "pe2", "pe3").link("pe1", "pe2", time.Millisecond).link("pe1", "pe3", time.Millisecond).ce("pe1").ce("pe2").ce("pe3")
	l.add("pe1", eline("192.0.2.2", 9, "backup-neighbor 192.0.2.3 { standby; }"))
	l.add("pe2", eline("192.0.2.1", 9, ""))
	l.add("pe3", eline("192.0.2.1", 9, ""))
	in := l.input()
	s := Compute(in)
	if p, b := s.Pseudowire("pe1", "192.0.2.2", "ge-0/0/1.100", 9), s.Pseudowire("pe1", "192.0.2.3", "ge-0/0/1.100", 9); p.Status != "Up" || b.Status != "ST" {
		t.Fatalf("primary %s backup %s (%s)", p.Status, b.Status, b.Reason)
	}
	s = Compute(cut(in, "pe1", "pe2"))
	if p, b := s.Pseudowire("pe1", "192.0.2.2", "ge-0/0/1.100", 9), s.Pseudowire("pe1", "192.0.2.3", "ge-0/0/1.100", 9); p.Status != "OL" || b.Status != "Up" {
		t.Fatalf("after the primary's core cut: primary %s backup %s (%s)", p.Status, b.Status, b.Reason)
	}
}
