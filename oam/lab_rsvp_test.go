package oam_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/carrierkit/carrierkit/design"
	"github.com/carrierkit/carrierkit/oam"
)

// lspMesh is an RSVP LSP between every ordered pair of the PEs.
func (l *lab) lspMesh(pes ...string) design.Service {
	svc := design.Service{Name: "mesh1", Definition: design.DefLSPMesh, Type: design.TypeLSP,
		Params: design.Params{Signalling: design.SignallingRSVP, Topology: design.TopologyFullMesh}}
	for _, a := range pes {
		d := design.DeviceIntent{Device: a, Platform: mx(), Loopback: l.loops[a]}
		for _, b := range pes {
			if a != b {
				d.LSPs = append(d.LSPs, design.LSP{Name: fmt.Sprintf("MESH1-%s-%s", strings.ToUpper(a), strings.ToUpper(b)), To: l.loops[b],
					Primary: &design.LSPPath{Name: "dynamic"}})
			}
		}
		svc.Devices = append(svc.Devices, d)
	}
	slices.SortFunc(svc.Devices, func(a, b design.DeviceIntent) int { return strings.Compare(a.Device, b.Device) })
	return svc
}

func TestLiveRSVPMesh(t *testing.T) {
	l := startStar(t, "127.0.96", 3)
	for _, pe := range l.pes {
		l.commit(t, l.sess[pe], "set protocols rsvp interface xe-0/0/0.0")
	}
	l.rsvpCore(t, 3)
	svc := l.lspMesh(l.pes...)
	l.deploy(t, svc)
	rep := runAndDiagnose(t, l, svc)
	var tb strings.Builder
	rep.WriteTable(&tb)
	if len(rep.Results) != 6 || !rep.OK() {
		t.Fatalf("healthy RSVP mesh: want 6 ok probes:\n%s", tb.String())
	}
	if err := l.nw.SetLink("pe3:eth1", "p1:eth3", false); err != nil {
		t.Fatal(err)
	}
	l.nw.Sync()
	rep = runAndDiagnose(t, l, svc)
	tb.Reset()
	rep.WriteTable(&tb)
	if rep.Counts()[oam.StatusFailed] != 4 {
		t.Fatalf("want the 4 LSPs to and from pe3 failed:\n%s", tb.String())
	}
	for _, f := range rep.Findings {
		lsp := fmt.Sprintf("MESH1-%s-%s", strings.ToUpper(f.From), strings.ToUpper(f.To))
		if f.Cause != oam.CauseLSPDown || f.Statement != "protocols mpls label-switched-path "+lsp || !strings.Contains(f.Message, "pe3: core interface xe-0/0/0 is down") {
			t.Errorf("%s: want lsp-down of %s explained by pe3's cut link, got %+v", f.Probe, lsp, f)
		}
	}
}
