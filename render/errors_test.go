package render

import (
	"errors"
	"net/netip"
	"strings"
	"testing"

	"github.com/carrierkit/carrierkit/design"
	"github.com/carrierkit/carrierkit/internal/jtree"
)

func TestErrors(t *testing.T) {
	tests := []struct {
		name    string
		svc     func() design.Service
		format  Format
		wantErr error
		want    []string // substrings
	}{
		{"bad format", func() design.Service { return elineVLAN(platMX) }, Format(9), ErrFormat, []string{"unknown format"}},
		{"md-cli for Juniper", func() design.Service { return elineVLAN(platMX) }, FormatMDCLI, ErrFormat, []string{`device "pe1"`, "md-cli"}},
		{"vpls on PTX", func() design.Service { return vplsLDP(platPTX) }, FormatSet, ErrUnsupported, []string{`device "pe1"`, "vpls", "PTX"}},
		{"ACX port-based VPLS", func() design.Service {
			s := vplsLDP(platACX)
			d := &s.Devices[0]
			d.Attachments[0] = design.Attachment{Interface: "ge-0/0/4", Encapsulation: design.UnitEthernetVPLS}
			d.VPLS.Interfaces = []string{"ge-0/0/4.0"}
			return s
		}, FormatSet, ErrUnsupported, []string{`device "pe1"`, "attachments[0].encapsulation", "ethernet-vpls"}},
		{"two values for one leaf", func() design.Service {
			s := elinePort(platMX)
			d := &s.Devices[0]
			d.Attachments = append(d.Attachments, design.Attachment{Interface: d.Attachments[0].Interface, Encapsulation: design.UnitEthernetVPLS})
			return s
		}, FormatText, ErrInvalid, []string{`device "pe1"`, "conflicting values", "encapsulation"}},
		{"ACX double tag", func() design.Service { return elineQinQ(platACX) }, FormatXML, ErrUnsupported, []string{"innerVlan", "ACX"}},
		{"pseudowire twice on one unit", func() design.Service {
			s := elineVLAN(platMX)
			d := &s.Devices[0]
			c := d.L2Circuits[0]
			c.Neighbor, c.Backup = lo(9), nil
			d.L2Circuits = append(d.L2Circuits, c)
			return s
		}, FormatSet, ErrInvalid, []string{"l2circuits[1].interface", "already used by l2circuits[0]"}},
		{"routed unit without address", func() design.Service {
			s := l3vpnStatic(platMX)
			s.Devices[0].Attachments[0].Address = zeroPrefix
			s.Devices[0].Attachments[0].Address6 = zeroPrefix
			return s
		}, FormatSet, ErrInvalid, []string{"attachments[0].address"}},
		{"Nokia BGP VPLS", func() design.Service {
			s := vplsBGP(platMX)
			s.Devices[1].Platform = platSROS.platform
			return s
		}, FormatSet, ErrUnsupported, []string{`device "pe2"`, "vpls.signalling", "Nokia"}},
		{"Nokia LSP", func() design.Service {
			s := lspP2P(platMX)
			s.Devices[0].Platform = platSROS.platform
			return s
		}, FormatSet, ErrUnsupported, []string{`device "pe1"`, "lsps"}},
		{"Nokia backup pseudowire", func() design.Service {
			s := elineVLAN(platMX)
			s.Devices[0].Platform = platSROS.platform
			return s
		}, FormatSet, ErrUnsupported, []string{"l2circuits[0].backup"}},
		{"Nokia SDP id collision", func() design.Service {
			s := vplsLDP(platSROS)
			v := s.Devices[0].VPLS
			v.Neighbors = append(v.Neighbors, mustAddr("198.51.2.2")) // low bits equal 192.0.2.2
			return s
		}, FormatSet, ErrUnsupported, []string{"vpls.neighbors[2]", "same SDP id"}},
		{"unknown vendor", func() design.Service {
			s := elineVLAN(platMX)
			s.Devices[0].Platform.Vendor = "cisco"
			return s
		}, FormatSet, ErrInvalid, []string{"platform.vendor"}},
		{"devices not sorted", func() design.Service {
			s := elineVLAN(platMX)
			s.Devices[0], s.Devices[1] = s.Devices[1], s.Devices[0]
			return s
		}, FormatSet, ErrInvalid, []string{"not sorted"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			for _, fn := range []func(design.Service, Format) ([]Artifact, error){All, Remove} {
				arts, err := fn(tt.svc(), tt.format)
				if arts != nil || !errors.Is(err, tt.wantErr) {
					t.Fatalf("got %d artifacts, error %v; want %v", len(arts), err, tt.wantErr)
				}
				var re *Error
				if !errors.As(err, &re) || re.Service == "" {
					t.Fatalf("error %v is not a *render.Error with a service", err)
				}
				for _, w := range tt.want {
					if !strings.Contains(err.Error(), w) {
						t.Errorf("error %q does not mention %q", err, w)
					}
				}
			}
		})
	}
}

func TestGuardFamily(t *testing.T) {
	tr := jtree.New()
	tr.Flag(tr.Container(tr.Container(jtree.Root, "security"), "zones"), "x")
	for _, tt := range []struct {
		series string
		ok     bool
	}{{"MX", false}, {"ACX", false}, {"PTX", false}, {"SRX", true}, {"NFX", true}} {
		err := guardFamily(tr, design.Platform{Vendor: design.VendorJuniper, Series: tt.series})
		if (err == nil) != tt.ok || (err != nil && !errors.Is(err, ErrUnsupported)) {
			t.Errorf("%s: guard = %v, want ok=%v", tt.series, err, tt.ok)
		}
	}
	tr.Reset()
	tr.Container(jtree.Root, "virtual-network-functions")
	if err := guardFamily(tr, design.Platform{Series: "SRX"}); err == nil {
		t.Error("virtual-network-functions allowed on SRX")
	}
	if err := guardFamily(tr, design.Platform{Series: "NFX"}); err != nil {
		t.Errorf("NFX: %v", err)
	}
}

func TestDescription(t *testing.T) {
	for in, want := range map[string]string{
		"plain":                 "plain",
		"  two  spaces  ":       "two spaces",
		"a\nb\r\nc":             "a b c",
		"tab\there":             "tab here",
		"\x00\x01":              "",
		"nel\u0085ls\u2028ps":   "nel ls ps",
		"bad\xffutf8":           "bad\uFFFDutf8",
		"Zürich ✓":              "Zürich ✓",
		`quotes "stay" \ too ;`: `quotes "stay" \ too ;`,
	} {
		if got := Description(in); got != want {
			t.Errorf("Description(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestFormats(t *testing.T) {
	for _, f := range []Format{FormatSet, FormatText, FormatXML, FormatMDCLI} {
		g, err := ParseFormat(f.String())
		if err != nil || g != f {
			t.Errorf("ParseFormat(%q) = %v, %v", f, g, err)
		}
	}
	if _, err := ParseFormat("SET"); !errors.Is(err, ErrFormat) {
		t.Errorf("ParseFormat(SET) = %v", err)
	}
	if Format(0).IsValid() || Format(0).String() != "invalid format" {
		t.Error("zero Format is valid")
	}
}

// TestRendererReuse: a Renderer reused across services gives the same
// bytes as fresh calls, and never hands out shared memory.
func TestRendererReuse(t *testing.T) {
	var r Renderer
	var prev []byte
	for _, gc := range goldenCases {
		svc := gc.build(gc.plats[0])
		for i := range svc.Devices {
			d := &svc.Devices[i]
			if d.Platform.Vendor != design.VendorJuniper {
				continue
			}
			a, err := r.Junos(svc, d, FormatSet)
			if err != nil {
				t.Fatal(err)
			}
			fresh, err := Junos(svc, *d, FormatSet)
			if err != nil {
				t.Fatal(err)
			}
			if string(a.Body) != string(fresh.Body) {
				t.Fatalf("%s/%s: reused renderer differs", gc.name, d.Device)
			}
			if len(prev) > 0 && len(a.Body) > 0 && &prev[0] == &a.Body[0] {
				t.Fatal("bodies share memory")
			}
			prev = a.Body
		}
	}
}

var zeroPrefix netip.Prefix

func mustPrefix(s string) netip.Prefix { return netip.MustParsePrefix(s) }
func mustAddr(s string) netip.Addr     { return netip.MustParseAddr(s) }
