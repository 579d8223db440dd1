package oam_test

import (
	"net/netip"
	"strings"
	"testing"

	"github.com/carrierkit/carrierkit/design"
	"github.com/carrierkit/carrierkit/oam"
)

// healthy returns facts of a PE that reaches every other PE of n over a
// working core interface.
func healthy(i, n int) *oam.Facts {
	f := &oam.Facts{Device: pe(i), Interfaces: map[string]oam.IfState{
		"xe-0/0/0": {Admin: true, Oper: true, Families: []string{"inet", "mpls"}},
		"xe-0/0/1": {Admin: true, Oper: true}, "xe-0/0/1.100": {Admin: true, Oper: true},
	}, Routes: map[string][]netip.Prefix{}}
	for j := 1; j <= n; j++ {
		if j != i {
			f.Transport = append(f.Transport, netip.PrefixFrom(loop(j), 32))
		}
	}
	return f
}

func failed(pr oam.Probe, rejected bool, msg string) oam.Result {
	return oam.Result{Probe: pr, Status: oam.StatusFailed, Attempts: []oam.Attempt{{Error: msg, Rejected: rejected}}}
}

func okResult(pr oam.Probe) oam.Result {
	return oam.Result{Probe: pr, Status: oam.StatusOK, Attempts: []oam.Attempt{{Ping: oam.Ping{Success: true, Sent: 5, Received: 5}}}}
}

func TestExplain(t *testing.T) {
	t.Parallel()
	const stmt1 = "protocols l2circuit neighbor 10.255.0.2 interface xe-0/0/1.100"
	const stmt2 = "protocols l2circuit neighbor 10.255.0.1 interface xe-0/0/1.100"
	circ := func(nb int, vc uint32, st string) []oam.Circuit {
		return []oam.Circuit{{Neighbor: loop(nb), Interface: "xe-0/0/1.100", VCID: vc, Status: st}}
	}
	type want struct {
		cause                  oam.Cause
		device, ifl, statement string
		code                   string
		oneWay                 bool
		msg                    string
	}
	tests := []struct {
		name    string
		typ     design.ServiceType
		facts   func(a, b *oam.Facts)
		reverse oam.Status // status of the B→A probe
		want    want
		reason  string
	}{
		{name: "mtu mismatch", typ: design.TypeELine, reverse: oam.StatusFailed,
			facts: func(a, b *oam.Facts) {
				a.Circuits, b.Circuits = circ(2, 1000, "MM"), circ(1, 1000, "MM")
				b.Config = []string{"set " + stmt2 + " virtual-circuit-id 1000", "set " + stmt2 + " mtu 9100"}
			},
			want: want{cause: oam.CauseMTUMismatch, device: pe(2), ifl: "xe-0/0/1.100", statement: stmt2 + " mtu 9100", code: "MM",
				msg: "pe002: " + stmt2 + " mtu 9100 differs from pe001's unset (default)"}},
		{name: "mtu mismatch blamed on the end that sets it", typ: design.TypeELine, reverse: oam.StatusFailed,
			facts: func(a, b *oam.Facts) {
				a.Circuits, b.Circuits = circ(2, 1000, "MM"), circ(1, 1000, "MM")
				a.Config = []string{"set " + stmt1 + " mtu 1500"}
			},
			want: want{cause: oam.CauseMTUMismatch, device: pe(1), statement: stmt1 + " mtu 1500", ifl: "xe-0/0/1.100", code: "MM"}},
		{name: "encapsulation mismatch", typ: design.TypeELine, reverse: oam.StatusFailed,
			facts: func(a, b *oam.Facts) {
				a.Circuits, b.Circuits = circ(2, 1000, "EM"), circ(1, 1000, "EM")
				b.Config = []string{"set " + stmt2 + " encapsulation-type ethernet"}
			},
			want: want{cause: oam.CauseEncapMismatch, device: pe(2), ifl: "xe-0/0/1.100", statement: stmt2 + " encapsulation-type ethernet", code: "EM"}},
		{name: "vc id mismatch", typ: design.TypeELine, reverse: oam.StatusFailed,
			facts: func(a, b *oam.Facts) { a.Circuits, b.Circuits = circ(2, 1000, "OL"), circ(1, 1001, "OL") },
			want:  want{cause: oam.CauseVCIDMismatch, device: pe(2), ifl: "xe-0/0/1.100", statement: stmt2 + " virtual-circuit-id 1001", code: "OL"}},
		{name: "far end missing", typ: design.TypeELine, reverse: oam.StatusFailed,
			facts: func(a, b *oam.Facts) { a.Circuits = circ(2, 1000, "OL") },
			want:  want{cause: oam.CauseMissingEnd, device: pe(2), ifl: "xe-0/0/1.100", code: "OL"}},
		{name: "remote attachment disabled", typ: design.TypeELine, reverse: oam.StatusFailed,
			facts: func(a, b *oam.Facts) {
				a.Circuits, b.Circuits = circ(2, 1000, "RD"), circ(1, 1000, "LD")
				b.Config = []string{"set interfaces xe-0/0/1 disable"}
				b.Interfaces["xe-0/0/1"] = oam.IfState{}
			},
			want: want{cause: oam.CauseAttachmentDown, device: pe(2), ifl: "xe-0/0/1.100", statement: "interfaces xe-0/0/1 disable"}},
		{name: "local attachment without link", typ: design.TypeELine, reverse: oam.StatusFailed,
			facts: func(a, b *oam.Facts) { a.Interfaces["xe-0/0/1"] = oam.IfState{Admin: true} },
			want:  want{cause: oam.CauseAttachmentDown, device: pe(1), ifl: "xe-0/0/1.100"}},
		{name: "pseudowire down, no LSP: the far PE is cut off", typ: design.TypeELine, reverse: oam.StatusFailed,
			facts: func(a, b *oam.Facts) {
				a.Circuits, b.Circuits = circ(2, 1000, "VC-Dn"), circ(1, 1000, "VC-Dn")
				a.Transport, b.Transport = nil, nil
				b.Interfaces["xe-0/0/0"] = oam.IfState{Admin: true, Families: []string{"mpls"}}
			},
			want: want{cause: oam.CauseSiteIsolated, device: pe(2), ifl: "xe-0/0/0", code: "VC-Dn"}},
		{name: "vpls transport down", typ: design.TypeVPLS, reverse: oam.StatusFailed,
			facts: func(a, b *oam.Facts) { a.Transport = nil },
			want:  want{cause: oam.CauseTransportDown, device: pe(1), msg: "pe001: no LSP to pe002 (10.255.0.2 not in inet.3)"}},
		{name: "vpls connection down over working transport", typ: design.TypeVPLS, reverse: oam.StatusFailed,
			facts: func(a, b *oam.Facts) {
				a.VPLS = []oam.Connection{{Instance: "VPLS-S1", RemotePE: loop(2), Status: "OL"}}
			},
			want: want{cause: oam.CausePseudowireDown, device: pe(1), statement: "routing-instances VPLS-S1", code: "OL"}},
		{name: "rsvp lsp down", typ: design.TypeLSP, reverse: oam.StatusOK,
			facts: func(a, b *oam.Facts) {
				a.LSPs = []oam.LSPState{{Name: "S1-pe001-pe002", To: loop(2)}}
			},
			want: want{cause: oam.CauseLSPDown, device: pe(1), statement: "protocols mpls label-switched-path S1-pe001-pe002", oneWay: true}},
		{name: "route target mismatch", typ: design.TypeL3VPN, reverse: oam.StatusFailed,
			facts: func(a, b *oam.Facts) {
				a.Config = []string{"set routing-instances VRF-S1 vrf-target target:65000:1"}
				b.Config = []string{"set routing-instances VRF-S1 vrf-target target:65000:9"}
			},
			want: want{cause: oam.CauseRTMismatch, device: pe(2), statement: "routing-instances VRF-S1 vrf-target target:65000:9",
				msg: "pe002: routing-instances VRF-S1 exports target:65000:9 but pe001 imports target:65000:1: 100.64.2.0/31 is not in pe001's VRF-S1.inet.0"}},
		{name: "route missing, targets agree", typ: design.TypeL3VPN, reverse: oam.StatusFailed,
			facts: func(a, b *oam.Facts) {
				a.Config = []string{"set routing-instances VRF-S1 vrf-target import target:65000:1"}
				b.Config = []string{"set routing-instances VRF-S1 vrf-target export target:65000:1"}
			},
			want: want{cause: oam.CauseRouteMissing, device: pe(1)}},
		{name: "one way only", typ: design.TypeL3VPN, reverse: oam.StatusOK, reason: "state shows nothing wrong, but B→A works",
			facts: func(a, b *oam.Facts) {
				a.Routes["VRF-S1.inet.0"] = []netip.Prefix{netip.MustParsePrefix("100.64.2.0/31")}
			},
			want: want{cause: oam.CauseOneWay, device: pe(1), ifl: "xe-0/0/1.100", oneWay: true}},
		{name: "unreachable far end", typ: design.TypeVPLS, reverse: oam.StatusFailed,
			facts: func(a, b *oam.Facts) { *b = oam.Facts{Device: pe(2), Unreachable: "connection refused"} },
			want:  want{cause: oam.CauseUnreachable, device: pe(2)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p, err := oam.PlanService(meshService(tt.typ, 2), oam.PlanOptions{})
			if err != nil {
				t.Fatal(err)
			}
			a, b := healthy(1, 2), healthy(2, 2)
			tt.facts(a, b)
			rev := failed(p.Probes[1], true, "no route")
			if tt.reverse == oam.StatusOK {
				rev = okResult(p.Probes[1])
			}
			res := []oam.Result{failed(p.Probes[0], true, "rpc error"), rev}
			fs := oam.Explain(p, res, map[string]*oam.Facts{pe(1): a, pe(2): b})
			var f oam.Finding
			for _, x := range fs {
				if x.Probe == p.Probes[0].ID() {
					f = x
				}
			}
			got := want{cause: f.Cause, device: f.Device, ifl: f.Interface, statement: f.Statement, code: f.Code, oneWay: f.OneWay, msg: tt.want.msg}
			if tt.want.msg != "" && !strings.Contains(f.Message, tt.want.msg) {
				got.msg = f.Message
			}
			if got != tt.want {
				t.Errorf("finding %+v\n got %+v\nwant %+v (%s)", f, got, tt.want, tt.reason)
			}
		})
	}
}

func TestExplainFlappingAndLoss(t *testing.T) {
	t.Parallel()
	p, _ := oam.PlanService(meshService(design.TypeVPLS, 2), oam.PlanOptions{})
	flap := oam.Result{Probe: p.Probes[0], Status: oam.StatusFlapping, Attempts: []oam.Attempt{{Ping: oam.Ping{Sent: 5}}, {Ping: oam.Ping{Success: true, Sent: 5, Received: 5}}}}
	lossy := oam.Result{Probe: p.Probes[1], Status: oam.StatusDegraded, Attempts: []oam.Attempt{{Ping: oam.Ping{Success: true, Sent: 5, Received: 4, Loss: 20}}}}
	fs := oam.Explain(p, []oam.Result{flap, lossy}, nil)
	if len(fs) != 2 || fs[0].Cause != oam.CauseFlapping || fs[1].Cause != oam.CausePacketLoss {
		t.Fatalf("findings = %+v", fs)
	}
	if !strings.Contains(fs[0].Message, "failed 1 of 2 attempts") || !strings.Contains(fs[1].Message, "1 of 5 echo replies lost (20%)") {
		t.Errorf("messages: %q / %q", fs[0].Message, fs[1].Message)
	}
	if fs[0].OneWay {
		t.Errorf("a flapping probe is not one-way")
	}
}
