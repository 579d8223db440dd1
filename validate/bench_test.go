package validate_test

import (
	"context"
	"fmt"
	"net/netip"
	"strings"
	"testing"

	"github.com/carrierkit/carrierkit/design"
	"github.com/carrierkit/carrierkit/netid"
	"github.com/carrierkit/carrierkit/pool"
	"github.com/carrierkit/carrierkit/render"
	"github.com/carrierkit/carrierkit/store"
	"github.com/carrierkit/carrierkit/validate"
)

// bigL3VPN designs an n-site L3VPN (one site per PE) of definition def, and
// returns it with the pools' claims (the VPN's and 200 other owners') and
// each PE's configuration: base LDP, the VPN as rendered, and 20 unrelated
// units.
func bigL3VPN(b *testing.B, n int, def string) (design.Service, []pool.Claim, map[string]*validate.Config) {
	b.Helper()
	ctx := context.Background()
	mx := design.Platform{Vendor: design.VendorJuniper, Model: "mx480", Series: "MX"}
	devs := make([]design.Device, n)
	eps := make([]design.Endpoint, n)
	for i := range devs {
		name := fmt.Sprintf("pe%04d", i)
		devs[i] = design.Device{Name: name, Platform: mx, Loopback: netip.AddrFrom4([4]byte{10, 255, byte(i / 250), byte(1 + i%250)}), ASN: 65000,
			Interfaces: []design.Interface{{Name: "xe-0/0/0", Role: design.NNI}, {Name: "ge-0/0/1", Role: design.UNI}}}
		eps[i] = design.Endpoint{Device: name, Interface: "ge-0/0/1"}
		if def == design.DefL3VPNHubSpoke {
			eps[i].Role = design.RoleSpoke
			if i < 2 {
				eps[i].Role = design.RoleHub
			}
		}
	}
	inv, err := design.NewInventory(devs)
	if err != nil {
		b.Fatal(err)
	}
	m := pool.New(store.NewMemory())
	for _, s := range design.DefaultPools() {
		if err := m.CreatePool(ctx, s); err != nil {
			b.Fatal(err)
		}
	}
	for i := range 200 {
		if _, err := m.Claim(ctx, fmt.Sprintf("other-%03d", i), pool.Request{Name: "rd", Pool: design.PoolRD}, pool.Request{Name: "rt", Pool: design.PoolRT},
			pool.Request{Name: "vc", Pool: design.PoolVCID}); err != nil {
			b.Fatal(err)
		}
	}
	cat, _ := design.NewCatalog()
	d, _ := cat.Lookup(def)
	svc, err := design.Design(ctx, m, inv, d, &design.Order{Name: "vpn-big", Definition: def, Endpoints: eps})
	if err != nil {
		b.Fatal(err)
	}
	claims, err := m.Claims(ctx, "")
	if err != nil {
		b.Fatal(err)
	}
	arts, err := render.All(svc, render.FormatSet)
	if err != nil {
		b.Fatal(err)
	}
	cfgs := map[string]*validate.Config{}
	for _, a := range arts {
		var sb strings.Builder
		sb.WriteString("set protocols ldp interface xe-0/0/0.0\nset protocols mpls interface xe-0/0/0.0\n")
		for u := range 20 {
			fmt.Fprintf(&sb, "set interfaces ge-0/0/2 unit %d vlan-id %d\nset interfaces ge-0/0/2 unit %d encapsulation vlan-ccc\n", 10+u, 10+u, 10+u)
		}
		sb.Write(a.Body)
		c, err := validate.ParseSet([]byte(sb.String()))
		if err != nil {
			b.Fatal(err)
		}
		cfgs[a.Device] = c
	}
	return svc, claims, cfgs
}

// BenchmarkPre1000SiteL3VPN is pre-validation of a 1,000-site L3VPN: the
// design rules, pool collisions against 1,201 claims, collisions against
// 1,000 devices' configuration and LSP coverage of every importing PE pair
// (999,000 pairs).
func BenchmarkPre1000SiteL3VPN(b *testing.B) {
	for _, def := range []string{design.DefL3VPNFullMesh, design.DefL3VPNHubSpoke} {
		b.Run(def, func(b *testing.B) {
			svc, claims, cfgs := bigL3VPN(b, 1000, def)
			tr := validate.TransportFromConfigs(cfgs)
			b.ResetTimer()
			for b.Loop() {
				rules := append(validate.DesignRules(), validate.PoolCollisions(claims), validate.ConfigCollisions(cfgs), validate.LSPCoverage(tr))
				if fs := validate.Check(&svc, rules...); validate.Refuse(fs) != nil {
					b.Fatal(validate.Refuse(fs))
				}
			}
		})
	}
}

// manyELines returns n E-LINE services between pe1 and pe2 (VLAN-based,
// spread over 4 UNIs) and both devices' configuration holding all of them.
func manyELines(b *testing.B, n int) ([]design.Service, map[string]*validate.Config) {
	b.Helper()
	mx := design.Platform{Vendor: design.VendorJuniper, Model: "mx480", Series: "MX"}
	lo := [2]netip.Addr{netip.MustParseAddr("192.0.2.1"), netip.MustParseAddr("192.0.2.2")}
	svcs := make([]design.Service, n)
	var body [2]strings.Builder
	for i := range svcs {
		vlan := netid.VLANID(100 + i%3800)
		ifd := fmt.Sprintf("ge-0/0/%d", i/3800)
		svcs[i] = design.Service{Name: fmt.Sprintf("eline-%05d", i), Definition: design.DefELineLDP, Type: design.TypeELine,
			Params: design.Params{MTU: 9100, Encapsulation: design.EncapEthernetVLAN, Signalling: design.SignallingLDP, Topology: design.TopologyP2P, VLANMode: design.VLANModeVLAN}}
		for k, dev := range []string{"pe1", "pe2"} {
			svcs[i].Devices = append(svcs[i].Devices, design.DeviceIntent{Device: dev, Platform: mx, Loopback: lo[k],
				Attachments: []design.Attachment{{Interface: ifd, Unit: uint32(vlan), Encapsulation: design.UnitVLANCCC, VLAN: vlan, Description: "cell " + svcs[i].Name}},
				L2Circuits: []design.L2Circuit{{Neighbor: lo[1-k], Interface: fmt.Sprintf("%s.%d", ifd, vlan), VCID: netid.VCID(1000 + i),
					Encapsulation: design.EncapEthernetVLAN, MTU: 9100, Description: "cell " + svcs[i].Name}}})
		}
		arts, err := render.All(svcs[i], render.FormatSet)
		if err != nil {
			b.Fatal(err)
		}
		for k := range arts {
			body[k].Write(arts[k].Body)
		}
	}
	cfgs := map[string]*validate.Config{}
	for k, dev := range []string{"pe1", "pe2"} {
		c, err := validate.ParseSet([]byte(body[k].String()))
		if err != nil {
			b.Fatal(err)
		}
		cfgs[dev] = c
	}
	return svcs, cfgs
}

// BenchmarkPost10kServices is post-validation (check-sync) of 10,000
// E-LINEs on two PEs (20,000 service ends, about 180,000 statements).
// CheckSync compares pre-parsed intent; Post renders each service's set
// lines and parses them too; ParseConfig is reading one PE's configuration.
func BenchmarkPost10kServices(b *testing.B) {
	svcs, cfgs := manyELines(b, 10000)
	b.Run("CheckSync", func(b *testing.B) {
		type pair struct {
			svc, dev string
			in       *validate.Intent
		}
		var ps []pair
		for i := range svcs {
			arts, _ := render.All(svcs[i], render.FormatSet)
			for _, a := range arts {
				in, err := validate.ParseIntent(a.Body)
				if err != nil {
					b.Fatal(err)
				}
				ps = append(ps, pair{svcs[i].Name, a.Device, in})
			}
		}
		b.ResetTimer()
		for b.Loop() {
			for _, p := range ps {
				if fs := validate.CheckSync(p.svc, p.dev, p.in, cfgs[p.dev]); len(fs) != 0 {
					b.Fatal(fs)
				}
			}
		}
	})
	b.Run("Post", func(b *testing.B) {
		for b.Loop() {
			for i := range svcs {
				fs, err := validate.Post(&svcs[i], cfgs)
				if err != nil || len(fs) != 0 {
					b.Fatal(err, fs)
				}
			}
		}
	})
	b.Run("ParseConfig", func(b *testing.B) {
		text := []byte("set " + strings.Join(cfgs["pe1"].Statements(), "\nset ") + "\n")
		b.SetBytes(int64(len(text)))
		b.ResetTimer()
		for b.Loop() {
			if _, err := validate.ParseSet(text); err != nil {
				b.Fatal(err)
			}
		}
	})
}
