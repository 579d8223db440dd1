package oam_test

import (
	"bytes"
	"context"
	"encoding/xml"
	"fmt"
	"io"
	"net/netip"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/ssh"

	"github.com/carrierkit/carrierkit/design"
	"github.com/carrierkit/carrierkit/device"
	"github.com/carrierkit/carrierkit/device/netconf"
	"github.com/carrierkit/carrierkit/netid"
	"github.com/carrierkit/carrierkit/oam"
	"github.com/carrierkit/carrierkit/render"
	"github.com/carrierkit/carrierkit/sim"
)

const labPass = "oam-pass"

// lab is a star: pe1..peN each linked by eth1 (xe-0/0/0) to p1, and by
// eth2 (xe-0/0/1) to a CE, so attachments have link.
type lab struct {
	nw    *sim.Network
	pes   []string
	sess  map[string]*netconf.Session
	conn  oam.Connector
	loops map[string]netip.Addr
	p1    *netconf.Session
}

// rsvpCore turns on RSVP on p1's n PE-facing interfaces.
func (l *lab) rsvpCore(t testing.TB, n int) {
	t.Helper()
	var lines []string
	for i := 1; i <= n; i++ {
		lines = append(lines, fmt.Sprintf("set protocols rsvp interface xe-0/%d/%d.0", (i-1)/10, (i-1)%10))
	}
	l.commit(t, l.p1, lines...)
}

func mx() design.Platform {
	return design.Platform{Vendor: design.VendorJuniper, Model: "mx480", Series: "MX"}
}

func startStar(t testing.TB, subnet string, n int) *lab {
	t.Helper()
	var b strings.Builder
	fmt.Fprintf(&b, "name: oam\ntopology:\n  defaults:\n    kind: linux\n    env:\n      CARRIERKIT_PASSWORD: %s\n    labels:\n      carrierkit.sim/platform: mx480\n  nodes:\n", labPass)
	fmt.Fprintf(&b, "    p1:\n      labels:\n        carrierkit.sim/address: %s.250\n", subnet)
	l := &lab{sess: map[string]*netconf.Session{}, loops: map[string]netip.Addr{}}
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, "    pe%d:\n      labels:\n        carrierkit.sim/address: %s.%d\n        carrierkit.sim/platform: mx480\n", i, subnet, i)
		fmt.Fprintf(&b, "    ce%d:\n      labels:\n        carrierkit.sim/address: %s.%d\n        carrierkit.sim/platform: mx480\n", i, subnet, 100+i)
		l.pes = append(l.pes, fmt.Sprintf("pe%d", i))
	}
	b.WriteString("  links:\n")
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, "    - endpoints: [\"pe%d:eth1\", \"p1:eth%d\"]\n      vars:\n        %s: 1ms\n", i, i, sim.VarDelay)
		fmt.Fprintf(&b, "    - endpoints: [\"pe%d:eth2\", \"ce%d:eth1\"]\n", i, i)
	}
	topo, err := sim.ParseTopology([]byte(b.String()), sim.TopologyOptions{LookupEnv: func(k string) (string, bool) {
		return "", false
	}})
	if err != nil {
		t.Fatalf("topology: %v\n%s", err, b.String())
	}
	nw, err := sim.StartNetwork(context.Background(), topo, sim.NetworkOptions{AnyPort: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { nw.Close() })
	l.nw = nw
	ctx := context.Background()
	dial := func(name string) *netconf.Session {
		d := nw.Device(name)
		key := strings.TrimSpace(string(ssh.MarshalAuthorizedKey(d.HostKey())))
		s, err := netconf.Dial(ctx, device.Target{Name: name, Addr: d.Addr(), Credentials: device.Password("admin", labPass), HostKeys: device.PinnedKeys(key)})
		if err != nil {
			t.Fatalf("dial %s: %v", name, err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	}
	p1 := dial("p1")
	var pcore []string
	for i := 1; i <= n; i++ {
		pcore = append(pcore, fmt.Sprintf("xe-0/%d/%d=10.1.%d.2/30", (i-1)/10, (i-1)%10, i))
	}
	l.commit(t, p1, coreSet(99, pcore)...)
	for i := 1; i <= n; i++ {
		name := fmt.Sprintf("pe%d", i)
		s := dial(name)
		l.sess[name] = s
		l.loops[name] = netip.MustParseAddr(fmt.Sprintf("10.255.0.%d", i))
		l.commit(t, s, coreSet(i, []string{fmt.Sprintf("xe-0/0/0=10.1.%d.1/30", i)})...)
	}
	l.p1 = p1
	m := map[string]oam.Session{}
	for k, v := range l.sess {
		m[k] = v
	}
	l.conn = oam.Sessions(m)
	return l
}

func (l *lab) commit(t testing.TB, s *netconf.Session, lines ...string) {
	t.Helper()
	ctx := context.Background()
	if err := s.Load(ctx, device.Change{Format: device.Set, Data: []byte(strings.Join(lines, "\n"))}); err != nil {
		t.Fatalf("load: %v\n%s", err, strings.Join(lines, "\n"))
	}
	if err := s.Commit(ctx, device.CommitOptions{}); err != nil {
		t.Fatalf("commit: %v", err)
	}
}

// deploy renders svc and commits it on every device.
func (l *lab) deploy(t testing.TB, svc design.Service) {
	t.Helper()
	arts, err := render.All(svc, render.FormatSet)
	if err != nil {
		t.Fatalf("render: %v", err)
	}
	for _, a := range arts {
		l.commit(t, l.sess[a.Device], strings.Split(strings.TrimSpace(string(a.Body)), "\n")...)
	}
	l.nw.Sync()
}

// coreSet is IS-IS + LDP + MPLS with loopback 10.255.0.N; ifs are
// "port=address/len".
func coreSet(n int, ifs []string) []string {
	lo := fmt.Sprintf("10.255.0.%d", n)
	out := []string{
		"set interfaces lo0 unit 0 family inet address " + lo + "/32",
		fmt.Sprintf("set interfaces lo0 unit 0 family iso address 49.0001.0000.0000.%04d.00", n),
		"set routing-options router-id " + lo,
		"set protocols isis interface lo0.0 passive",
		"set protocols ldp interface lo0.0",
	}
	for _, x := range ifs {
		ifd, addr, _ := strings.Cut(x, "=")
		out = append(out,
			"set interfaces "+ifd+" unit 0 family inet address "+addr,
			"set interfaces "+ifd+" unit 0 family iso",
			"set interfaces "+ifd+" unit 0 family mpls",
			"set protocols isis interface "+ifd+".0",
			"set protocols mpls interface "+ifd+".0",
			"set protocols ldp interface "+ifd+".0",
		)
	}
	return out
}

// vplsService is an LDP VPLS over the given PEs, VLAN 300 on xe-0/0/1.
func (l *lab) vplsService(pes ...string) design.Service {
	svc := design.Service{Name: "lan1", Definition: design.DefVPLSLDP, Type: design.TypeVPLS,
		Params: design.Params{Signalling: design.SignallingLDP, Topology: design.TopologyFullMesh, VLANMode: design.VLANModeVLAN}}
	for _, pe := range pes {
		var nbs []netip.Addr
		for _, o := range pes {
			if o != pe {
				nbs = append(nbs, l.loops[o])
			}
		}
		svc.Devices = append(svc.Devices, design.DeviceIntent{Device: pe, Platform: mx(), Loopback: l.loops[pe],
			Attachments: []design.Attachment{{Interface: "xe-0/0/1", Unit: 300, Encapsulation: design.UnitVLANVPLS, VLAN: 300}},
			VPLS: &design.VPLSInstance{Name: "VPLS-LAN1", Signalling: design.SignallingLDP, VPLSID: 3000,
				Interfaces: []string{"xe-0/0/1.300"}, Neighbors: nbs}})
	}
	slices.SortFunc(svc.Devices, func(a, b design.DeviceIntent) int { return strings.Compare(a.Device, b.Device) })
	return svc
}

// elineService is an LDP E-LINE between a and b, VLAN 200 on xe-0/0/1.
func (l *lab) elineService(a, b string) design.Service {
	svc := design.Service{Name: "line1", Definition: design.DefELineLDP, Type: design.TypeELine,
		Params: design.Params{Encapsulation: design.EncapEthernetVLAN, Signalling: design.SignallingLDP, VLANMode: design.VLANModeVLAN}}
	for _, pair := range [][2]string{{a, b}, {b, a}} {
		svc.Devices = append(svc.Devices, design.DeviceIntent{Device: pair[0], Platform: mx(), Loopback: l.loops[pair[0]],
			Attachments: []design.Attachment{{Interface: "xe-0/0/1", Unit: 200, Encapsulation: design.UnitVLANCCC, VLAN: 200}},
			L2Circuits:  []design.L2Circuit{{Neighbor: l.loops[pair[1]], Interface: "xe-0/0/1.200", VCID: netid.VCID(2000), Encapsulation: design.EncapEthernetVLAN}}})
	}
	return svc
}

func runAndDiagnose(t testing.TB, l *lab, svc design.Service) oam.Report {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	p, err := oam.PlanService(svc, oam.PlanOptions{Count: 3})
	if err != nil {
		t.Fatal(err)
	}
	res, err := oam.Run(ctx, l.conn, p, oam.Options{Attempts: 2})
	if err != nil {
		t.Fatal(err)
	}
	f, _, err := oam.Diagnose(ctx, l.conn, p, res, 0)
	if err != nil {
		t.Fatal(err)
	}
	return oam.NewReport(p, res, f)
}

func TestLiveVPLSAndELine(t *testing.T) {
	l := startStar(t, "127.0.93", 4)
	vpls := l.vplsService(l.pes...)
	eline := l.elineService("pe1", "pe2")
	l.deploy(t, vpls)
	l.deploy(t, eline)

	rep := runAndDiagnose(t, l, vpls)
	var tb strings.Builder
	rep.WriteTable(&tb)
	if len(rep.Results) != 12 || !rep.OK() || len(rep.Findings) != 0 {
		t.Fatalf("healthy VPLS: want 12 ok probes, no findings:\n%s", tb.String())
	}
	rep = runAndDiagnose(t, l, eline)
	tb.Reset()
	rep.WriteTable(&tb)
	if len(rep.Results) != 2 || !rep.OK() {
		t.Fatalf("healthy E-LINE: want 2 ok probes:\n%s", tb.String())
	}

	t.Run("link cut isolates pe4", func(t *testing.T) {
		if err := l.nw.SetLink("pe4:eth1", "p1:eth4", false); err != nil {
			t.Fatal(err)
		}
		l.nw.Sync()
		defer func() { l.nw.SetLink("pe4:eth1", "p1:eth4", true); l.nw.Sync() }()
		rep := runAndDiagnose(t, l, vpls)
		var tb strings.Builder
		rep.WriteTable(&tb)
		writeSVG(t, rep, "vpls-link-cut")
		if got := rep.Counts()[oam.StatusFailed]; got != 6 {
			t.Fatalf("want the 6 probes to and from pe4 failed, got %d:\n%s", got, tb.String())
		}
		for _, f := range rep.Findings {
			if f.From != "pe4" && f.To != "pe4" {
				t.Errorf("finding on a pair without pe4: %+v", f)
			}
			if f.Cause != oam.CauseSiteIsolated || f.Device != "pe4" || f.Interface != "xe-0/0/0" {
				t.Errorf("%s: want site-isolated on pe4 xe-0/0/0, got %s on %s %s: %s", f.Probe, f.Cause, f.Device, f.Interface, f.Message)
			}
		}
	})

	t.Run("attachment down on one E-LINE end", func(t *testing.T) {
		l.commit(t, l.sess["pe2"], "set interfaces xe-0/0/1 disable")
		l.nw.Sync()
		defer func() { l.commit(t, l.sess["pe2"], "delete interfaces xe-0/0/1 disable"); l.nw.Sync() }()
		rep := runAndDiagnose(t, l, eline)
		if len(rep.Findings) != 2 {
			t.Fatalf("want 2 findings, got %+v", rep.Findings)
		}
		for _, f := range rep.Findings {
			if f.Cause != oam.CauseAttachmentDown || f.Device != "pe2" || f.Interface != "xe-0/0/1.200" || f.Statement != "interfaces xe-0/0/1 disable" {
				t.Errorf("%s: want attachment-down on pe2 xe-0/0/1.200, got %+v", f.Probe, f)
			}
		}
	})

	t.Run("vc id mismatch", func(t *testing.T) {
		base := "protocols l2circuit neighbor 10.255.0.1 interface xe-0/0/1.200 virtual-circuit-id"
		l.commit(t, l.sess["pe2"], "set "+base+" 2001")
		l.nw.Sync()
		defer func() { l.commit(t, l.sess["pe2"], "set "+base+" 2000"); l.nw.Sync() }()
		rep := runAndDiagnose(t, l, eline)
		var got *oam.Finding
		for i, f := range rep.Findings {
			if f.Probe == "pe1→pe2" {
				got = &rep.Findings[i]
			}
		}
		if got == nil || got.Cause != oam.CauseVCIDMismatch || got.Device != "pe2" || got.Statement != base+" 2001" {
			t.Fatalf("pe1→pe2: want vc-id-mismatch naming pe2's %q, got %+v", base+" 2001", rep.Findings)
		}
	})

	t.Run("mtu mismatch on one E-LINE end", func(t *testing.T) {
		stmt := "protocols l2circuit neighbor 10.255.0.1 interface xe-0/0/1.200 mtu"
		l.commit(t, l.sess["pe2"], "set "+stmt+" 9100")
		l.nw.Sync()
		defer func() { l.commit(t, l.sess["pe2"], "delete "+stmt); l.nw.Sync() }()
		rep := runAndDiagnose(t, l, eline)
		var tb strings.Builder
		rep.WriteTable(&tb)
		if len(rep.Findings) != 2 {
			t.Fatalf("want 2 findings:\n%s", tb.String())
		}
		for _, f := range rep.Findings {
			if f.Cause != oam.CauseMTUMismatch || f.Device != "pe2" || f.Statement != stmt+" 9100" || f.Code != "MM" {
				t.Errorf("%s: want mtu-mismatch on pe2 naming %q, got %+v", f.Probe, stmt+" 9100", f)
			}
			if !strings.Contains(f.Message, "pe2: "+stmt+" 9100 differs from pe1's unset") {
				t.Errorf("message %q does not name the statement", f.Message)
			}
		}
	})

	// Last: the NETCONF session to pe3 does not survive the power cut.
	t.Run("pe down", func(t *testing.T) {
		if err := l.nw.SetDevice("pe3", false); err != nil {
			t.Fatal(err)
		}
		l.nw.Sync()
		rep := runAndDiagnose(t, l, vpls)
		writeSVG(t, rep, "vpls-pe-down")
		c := rep.Counts()
		if c[oam.StatusError] != 3 || c[oam.StatusFailed] != 3 || c[oam.StatusOK] != 6 {
			t.Fatalf("want 3 error (from pe3), 3 failed (to pe3), 6 ok: %v", c)
		}
		for _, f := range rep.Findings {
			if f.Cause != oam.CauseUnreachable || f.Device != "pe3" {
				t.Errorf("%s: want device-unreachable pe3, got %+v", f.Probe, f)
			}
		}
	})
}

// writeSVG checks the report's matrix is well-formed and, when
// OAM_SVG_DIR is set, keeps it there for a person to look at.
func writeSVG(t testing.TB, rep oam.Report, name string) {
	t.Helper()
	var b bytes.Buffer
	if err := rep.WriteSVG(&b); err != nil {
		t.Fatal(err)
	}
	checkXML(t, b.Bytes())
	if dir := os.Getenv("OAM_SVG_DIR"); dir != "" {
		if err := os.WriteFile(filepath.Join(dir, name+".svg"), b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func checkXML(t testing.TB, b []byte) {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader(b))
	for {
		_, err := d.Token()
		if err == io.EOF {
			return
		}
		if err != nil {
			t.Fatalf("SVG is not well-formed XML: %v", err)
		}
	}
}
