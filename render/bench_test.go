package render

import (
	"bytes"
	"fmt"
	"net/netip"
	"runtime"
	"strconv"
	"testing"
	"text/template"
	"time"

	"github.com/carrierkit/carrierkit/design"
	"github.com/carrierkit/carrierkit/internal/jtree"
	"github.com/carrierkit/carrierkit/netid"
)

// Benchmarks: 500,000 E-LINE services (1,000,000 endpoint configurations)
// as set lines, and a 1,000-site L3VPN, next to a naive text/template
// baseline that writes the same set lines.
//
//	go test ./render -run '^$' -bench . -benchmem -benchtime 1x   (the 500k run)
//	go test ./render -run '^$' -bench 'ELine/' -benchmem          (per service)

const benchPorts = 48

// elineGen fills one reusable E-LINE service per index: PE pair, port,
// VLAN and VC ID vary with i; nothing is allocated per service.
type elineGen struct {
	svc    design.Service
	units  []string // "ge-0/0/p.v" by port*4094 + vlan-1
	ports  []string
	loops  []netip.Addr
	devs   []string
	aAtt   [1]design.Attachment
	zAtt   [1]design.Attachment
	aPW    [1]design.L2Circuit
	zPW    [1]design.L2Circuit
	devBuf [2]design.DeviceIntent
}

func newElineGen() *elineGen {
	g := &elineGen{}
	for p := range benchPorts {
		g.ports = append(g.ports, fmt.Sprintf("ge-0/0/%d", p))
	}
	g.units = make([]string, benchPorts*4094)
	for p := range benchPorts {
		for v := 1; v <= 4094; v++ {
			g.units[p*4094+v-1] = g.ports[p] + "." + strconv.Itoa(v)
		}
	}
	for n := range 1000 {
		g.loops = append(g.loops, netip.AddrFrom4([4]byte{10, 255, byte(n >> 8), byte(n)}))
		g.devs = append(g.devs, fmt.Sprintf("pe%04d", n))
	}
	mx := design.Platform{Vendor: design.VendorJuniper, Model: "mx480", Series: "MX"}
	g.devBuf[0] = design.DeviceIntent{Platform: mx, Attachments: g.aAtt[:], L2Circuits: g.aPW[:]}
	g.devBuf[1] = design.DeviceIntent{Platform: mx, Attachments: g.zAtt[:], L2Circuits: g.zPW[:]}
	g.svc = design.Service{Name: "eline-bench", Definition: design.DefELineLDP, Type: design.TypeELine,
		Description: `E-LINE "bench" 100M`, Params: design.Params{Encapsulation: design.EncapEthernetVLAN, MTU: 9100},
		Devices: g.devBuf[:]}
	return g
}

func (g *elineGen) at(i int) *design.Service {
	a, z := i%1000, (i/1000+1+i)%1000
	if z == a {
		z = (a + 1) % 1000
	}
	if g.devs[a] > g.devs[z] {
		a, z = z, a
	}
	vlan := 1 + (i/benchPorts)%4094
	pa, pz := i%benchPorts, (i+7)%benchPorts
	set := func(d *design.DeviceIntent, dev, peer, port int) {
		d.Device, d.Loopback = g.devs[dev], g.loops[dev]
		d.Attachments[0] = design.Attachment{Interface: g.ports[port], Unit: uint32(vlan), Encapsulation: design.UnitVLANCCC,
			VLAN: netid.VLANID(vlan), VLANMap: design.VLANMapPop}
		d.L2Circuits[0] = design.L2Circuit{Neighbor: g.loops[peer], Interface: g.units[port*4094+vlan-1], VCID: netid.VCID(i + 1),
			Encapsulation: design.EncapEthernetVLAN, MTU: 9100}
	}
	set(&g.svc.Devices[0], a, z, pa)
	set(&g.svc.Devices[1], z, a, pz)
	return &g.svc
}

// The text/template baseline: the same set lines, from a template.
var elineTemplate = template.Must(template.New("eline").Funcs(template.FuncMap{
	"q": func(s string) string { return string(jtree.AppendQuoted(nil, s)) },
}).Parse(`set interfaces {{.IFD}} flexible-vlan-tagging
set interfaces {{.IFD}} encapsulation flexible-ethernet-services
set interfaces {{.IFD}} unit {{.Unit}} description {{q .Desc}}
set interfaces {{.IFD}} unit {{.Unit}} encapsulation vlan-ccc
set interfaces {{.IFD}} unit {{.Unit}} vlan-id {{.VLAN}}
set interfaces {{.IFD}} unit {{.Unit}} input-vlan-map pop
set interfaces {{.IFD}} unit {{.Unit}} output-vlan-map push
set protocols l2circuit neighbor {{.Neighbor}} interface {{.IFL}} virtual-circuit-id {{.VCID}}
set protocols l2circuit neighbor {{.Neighbor}} interface {{.IFL}} description {{q .Desc}}
set protocols l2circuit neighbor {{.Neighbor}} interface {{.IFL}} no-control-word
set protocols l2circuit neighbor {{.Neighbor}} interface {{.IFL}} mtu {{.MTU}}
set protocols l2circuit neighbor {{.Neighbor}} interface {{.IFL}} encapsulation-type {{.Encap}}
`))

type elineVars struct {
	IFD, IFL, Desc, Encap string
	Unit                  uint32
	VLAN                  netid.VLANID
	Neighbor              netip.Addr
	VCID                  netid.VCID
	MTU                   uint32
}

func templateELine(buf *bytes.Buffer, svc *design.Service) error {
	for i := range svc.Devices {
		d := &svc.Devices[i]
		a, c := &d.Attachments[0], &d.L2Circuits[0]
		err := elineTemplate.Execute(buf, elineVars{IFD: a.Interface, IFL: c.Interface, Desc: svc.Description, Encap: c.Encapsulation,
			Unit: a.Unit, VLAN: a.VLAN, Neighbor: c.Neighbor, VCID: c.VCID, MTU: c.MTU})
		if err != nil {
			return err
		}
	}
	return nil
}

func renderELine(r *Renderer, buf []byte, svc *design.Service) ([]byte, error) {
	var err error
	for i := range svc.Devices {
		if buf, err = r.AppendJunos(buf, svc, &svc.Devices[i], FormatSet); err != nil {
			return nil, err
		}
	}
	return buf, nil
}

// TestBenchBaselineMatches: the template baseline writes exactly what
// render writes, so the benchmarks compare like with like.
func TestBenchBaselineMatches(t *testing.T) {
	g := newElineGen()
	var r Renderer
	for _, i := range []int{0, 1, 4093, 49999, 499999} {
		svc := g.at(i)
		if err := svc.Validate(); err != nil {
			t.Fatal(err)
		}
		got, err := renderELine(&r, nil, svc)
		if err != nil {
			t.Fatal(err)
		}
		var tb bytes.Buffer
		if err := templateELine(&tb, svc); err != nil {
			t.Fatal(err)
		}
		if tb.String() != string(got) {
			t.Fatalf("service %d: template baseline differs:\n%s\nrender:\n%s", i, tb.String(), got)
		}
	}
}

// BenchmarkELine is one E-LINE service (two endpoint configurations) per
// op: render through the bulk Renderer, through All (validates, one
// artifact per device), and the template baseline.
func BenchmarkELine(b *testing.B) {
	g := newElineGen()
	b.Run("render", func(b *testing.B) {
		var r Renderer
		buf := make([]byte, 0, 4096)
		b.ReportAllocs()
		for i := range b.N {
			var err error
			if buf, err = renderELine(&r, buf[:0], g.at(i%500000)); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "services/s")
	})
	b.Run("all", func(b *testing.B) {
		b.ReportAllocs()
		for i := range b.N {
			if _, err := All(*g.at(i % 500000), FormatSet); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "services/s")
	})
	b.Run("template", func(b *testing.B) {
		var buf bytes.Buffer
		b.ReportAllocs()
		for i := range b.N {
			buf.Reset()
			if err := templateELine(&buf, g.at(i%500000)); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "services/s")
	})
}

// BenchmarkELine500k renders 500,000 E-LINE services (1,000,000 endpoint
// configurations) as set lines with render and with the template
// baseline, in the same run, and reports both rates and their ratio. Run
// it with -benchtime 1x.
func BenchmarkELine500k(b *testing.B) {
	const n = 500000
	g := newElineGen()
	var r Renderer
	buf := make([]byte, 0, 8192)
	var tb bytes.Buffer
	var renderTime, tmplTime time.Duration
	var bytesOut int
	var ms0, ms1 runtime.MemStats
	var mallocs, alloc uint64
	b.ReportAllocs()
	for range b.N {
		runtime.ReadMemStats(&ms0)
		start := time.Now()
		for i := range n {
			var err error
			if buf, err = renderELine(&r, buf[:0], g.at(i)); err != nil {
				b.Fatal(err)
			}
			bytesOut += len(buf)
		}
		renderTime += time.Since(start)
		runtime.ReadMemStats(&ms1)
		mallocs += ms1.Mallocs - ms0.Mallocs
		alloc += ms1.TotalAlloc - ms0.TotalAlloc
		start = time.Now()
		for i := range n {
			tb.Reset()
			if err := templateELine(&tb, g.at(i)); err != nil {
				b.Fatal(err)
			}
		}
		tmplTime += time.Since(start)
	}
	services := float64(n * b.N)
	b.ReportMetric(services/renderTime.Seconds(), "render-services/s")
	b.ReportMetric(services/tmplTime.Seconds(), "template-services/s")
	b.ReportMetric(tmplTime.Seconds()/renderTime.Seconds(), "speedup-x")
	b.ReportMetric(float64(alloc)/services, "render-B/service")
	b.ReportMetric(float64(mallocs)/services, "render-allocs/service")
	b.ReportMetric(float64(bytesOut)/float64(b.N)/1e6, "MB-set-lines")
}

// l3vpnSites is one hub-and-spoke L3VPN with n sites, one PE each, PE–CE
// BGP and a static route per site.
func l3vpnSites(n int) design.Service {
	mx := design.Platform{Vendor: design.VendorJuniper, Model: "mx480", Series: "MX"}
	hub, spoke := netid.MustParseRT("target:65000:1"), netid.MustParseRT("target:65000:2")
	devs := make([]design.DeviceIntent, n)
	for i := range n {
		d := design.DeviceIntent{Device: fmt.Sprintf("pe%04d", i), Platform: mx, Loopback: netip.AddrFrom4([4]byte{10, 255, byte(i >> 8), byte(i)})}
		a := design.Attachment{Interface: "ge-0/0/5", Unit: 100, Encapsulation: design.UnitInet, VLAN: 100,
			Address:  netip.PrefixFrom(netip.AddrFrom4([4]byte{10, byte(i >> 8), byte(i), 0}), 31),
			Address6: netip.PrefixFrom(netip.AddrFrom16([16]byte{0x20, 0x01, 0x0d, 0xb8, byte(i >> 8), byte(i)}), 127)}
		d.Attachments = []design.Attachment{a}
		v := &design.VRFInstance{Name: "VRF-big", RD: netid.MustParseRD(fmt.Sprintf("10.255.%d.%d:1", i>>8, i&255)),
			Interfaces: []string{a.Name()}, VRFTableLabel: true, BGPGroup: "CE",
			StaticRoutes: []design.StaticRoute{{Prefix: netip.PrefixFrom(netip.AddrFrom4([4]byte{172, 16 + byte(i>>8), byte(i), 0}), 24),
				NextHop: netip.AddrFrom4([4]byte{10, byte(i >> 8), byte(i), 1})}},
			BGPNeighbors: []design.CEPeer{{Addr: netip.AddrFrom4([4]byte{10, byte(i >> 8), byte(i), 1}), PeerAS: 65100, ASOverride: true}}}
		if i == 0 {
			d.Role = design.RoleHub
			v.ImportRTs, v.ExportRTs = []netid.RT{spoke}, []netid.RT{hub}
			v.ImportPolicy, v.ExportPolicy, v.ImportCommunity, v.ExportCommunity = "big-HUB-IMPORT", "big-HUB-EXPORT", "big-SPOKE", "big-HUB"
		} else {
			d.Role = design.RoleSpoke
			v.ImportRTs, v.ExportRTs = []netid.RT{hub}, []netid.RT{spoke}
			v.ImportPolicy, v.ExportPolicy, v.ImportCommunity, v.ExportCommunity = "big-SPOKE-IMPORT", "big-SPOKE-EXPORT", "big-HUB", "big-SPOKE"
		}
		d.VRF = v
		devs[i] = d
	}
	return design.Service{Name: "l3vpn-1000", Definition: design.DefL3VPNHubSpoke, Type: design.TypeL3VPN, Description: "1000 sites",
		Params: design.Params{PECE: design.PECEBGP, IPv4: true, IPv6: true, Topology: design.TopologyHubAndSpoke}, Devices: devs}
}

// BenchmarkL3VPN1000Sites renders a 1,000-site hub-and-spoke L3VPN (one
// service, 1,000 device configurations) with All, in set form.
func BenchmarkL3VPN1000Sites(b *testing.B) {
	svc := l3vpnSites(1000)
	b.ReportAllocs()
	for range b.N {
		arts, err := All(svc, FormatSet)
		if err != nil {
			b.Fatal(err)
		}
		if len(arts) != 1000 {
			b.Fatal(len(arts))
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "services/s")
	b.ReportMetric(float64(b.N*1000)/b.Elapsed().Seconds(), "sites/s")
}
