package timing

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/carrierkit/carrierkit/internal/yangcheck"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden")

// renderCases are the designs whose configuration is golden-tested and
// checked against the YANG models.
func renderCases() map[string]*Domain {
	ring := &Domain{Name: "ring", Template: Template{Profile: G82751, Domain: 24, SyncE: SyncE{Enabled: true, ESMC: true, Quality: "prc"}},
		Members: []Member{{Name: "gm", Platform: "mx204", Mode: Grandmaster}, {Name: "a", Platform: "acx710"}, {Name: "b", Platform: "acx2100"}, {Name: "c", Platform: "ptx10003"}},
		Links: []Link{link("gm", "xe-0/1/0", "a", "xe-0/0/0", ""), link("a", "xe-0/0/1", "b", "xe-0/1/0", ""),
			link("b", "xe-0/1/1", "c", "et-0/0/1", ""), link("c", "et-0/0/0", "gm", "xe-0/1/1", "")}}

	ipv4 := edit(chain(2), func(d *Domain) {
		d.Name = "g82752"
		d.Template = Template{Profile: G82752, Domain: 44, Priority1: 100, Priority2: 110,
			AnnounceInterval: IntervalOf(-3), SyncInterval: IntervalOf(-6)}
		d.Members = append(d.Members, Member{Name: "gm2", Platform: "mx480", Mode: Grandmaster, Backup: true})
		d.Links = append(d.Links, link("gm2", "xe-0/0/0", "n2", "ge-0/0/5", ""))
		for i := range d.Links {
			d.Links[i].A.Addr = netip.MustParsePrefix(fmt.Sprintf("10.1.%d.1/30", i))
			d.Links[i].B.Addr = netip.MustParsePrefix(fmt.Sprintf("10.1.%d.2/30", i))
		}
	})

	tc := edit(chain(2), func(d *Domain) {
		d.Name = "default-tc"
		d.Template = Template{Profile: Default1588, Domain: 0, Transport: Ethernet, SyncE: SyncE{Enabled: true, NetworkOption: 2, Quality: "prs"}}
		setMember(d, "n1", func(m *Member) { m.Mode = Transparent })
	})
	return map[string]*Domain{"g82751-ring": ring, "g82752-ipv4": ipv4, "default-transparent": tc}
}

func TestRenderGolden(t *testing.T) {
	t.Parallel()
	for name, d := range renderCases() {
		for _, f := range []Format{Set, Text, XML} {
			t.Run(name+"."+f.String(), func(t *testing.T) {
				t.Parallel()
				p, err := NewPlan(d)
				if err != nil {
					t.Fatal(err)
				}
				arts, err := Render(p, f)
				if err != nil {
					t.Fatal(err)
				}
				var b bytes.Buffer
				for _, a := range arts {
					fmt.Fprintf(&b, "## %s\n%s", a.Device, a.Body)
				}
				path := filepath.Join("testdata", name+"."+f.String()+".golden")
				if *update {
					if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
						t.Fatal(err)
					}
					return
				}
				want, err := os.ReadFile(path)
				if err != nil {
					t.Fatalf("%v (run go test ./timing -update)", err)
				}
				if !bytes.Equal(want, b.Bytes()) {
					t.Errorf("%s differs from the rendering; got:\n%s", path, b.Bytes())
				}
			})
		}
	}
}

func TestRenderDetails(t *testing.T) {
	t.Parallel()
	p, err := NewPlan(renderCases()["g82752-ipv4"])
	if err != nil {
		t.Fatal(err)
	}
	arts, err := Render(p, Set)
	if err != nil {
		t.Fatal(err)
	}
	body := map[string]string{}
	for _, a := range arts {
		body[a.Device] = string(a.Body)
	}
	for dev, lines := range map[string][]string{
		"gm":  {"priority1 100", "priority2 110", "master announce-interval -3", "master sync-interval -6", "master interface ge-0/0/1.0 unicast-mode clock-client 10.1.0.2/32 local-ip-address 10.1.0.1"},
		"gm2": {"priority2 111", "clock-mode ordinary"},
		"n1":  {"clock-mode boundary", "slave interface ge-0/0/0.0 unicast-mode transport ipv4", "slave interface ge-0/0/0.0 unicast-mode clock-source 10.1.0.1 local-ip-address 10.1.0.2"},
		"n2":  {"slave interface ge-0/0/5.0 unicast-mode clock-source 10.1.2.1 local-ip-address 10.1.2.2", "profile-type g.8275.2", "domain 44"},
	} {
		for _, l := range lines {
			if !strings.Contains(body[dev], "set protocols ptp "+l+"\n") {
				t.Errorf("%s lacks %q:\n%s", dev, l, body[dev])
			}
		}
	}
	if strings.Contains(body["n1"], "priority1") {
		t.Errorf("priorities rendered on a boundary clock:\n%s", body["n1"])
	}
	if _, err := Render(p, Format(9)); !errors.Is(err, ErrFormat) {
		t.Fatalf("format 9: %v", err)
	}
	// a transparent clock gets e2e-transparent and no ports
	p, _ = NewPlan(renderCases()["default-transparent"])
	arts, _ = Render(p, Set)
	for _, a := range arts {
		if a.Device == "n1" && (!strings.Contains(string(a.Body), "set protocols ptp e2e-transparent\n") || strings.Contains(string(a.Body), "ptp master") || strings.Contains(string(a.Body), "ptp slave")) {
			t.Errorf("transparent n1:\n%s", a.Body)
		}
	}
}

// TestRenderYANG validates every rendered XML document against Juniper's
// 23.4R2 models.
func TestRenderYANG(t *testing.T) {
	c := yangcheck.ForTest(t)
	var docs []yangcheck.Doc
	for name, d := range renderCases() {
		p, err := NewPlan(d)
		if err != nil {
			t.Fatal(err)
		}
		arts, err := Render(p, XML)
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range arts {
			docs = append(docs, yangcheck.Doc{Name: name + " " + a.Device, XML: a.Body})
		}
	}
	if err := c.Validate(context.Background(), yangcheck.FamilyJunos, docs...); err != nil {
		t.Fatal(err)
	}
	// and the checker does catch a wrong leaf here
	bad := yangcheck.Doc{Name: "bad", XML: []byte("<configuration><protocols><ptp><clock-mode>grandmaster</clock-mode></ptp></protocols></configuration>")}
	if err := c.Validate(context.Background(), yangcheck.FamilyJunos, bad); !errors.Is(err, yangcheck.ErrInvalid) {
		t.Fatalf("bad clock-mode accepted: %v", err)
	}
}
