package vnf

import (
	"fmt"
	"strings"
	"testing"

	"github.com/carrierkit/carrierkit/netid"
)

// BenchmarkPlaceRender places and renders a three-function chain beside
// seven placed chains.
func BenchmarkPlaceRender(b *testing.B) {
	cat := testCatalog(b)
	h := testHost()
	h.Cores, h.MemoryMB, h.DiskGB = 64, 1<<20, 1<<12
	h.Ports = nil
	var placed []Plan
	for i := range 8 {
		h.Ports = append(h.Ports, fmt.Sprintf("ge-0/0/%d", 2*i), fmt.Sprintf("ge-0/0/%d", 2*i+1))
	}
	for i := range 7 {
		c := threeChain()
		c.Name = fmt.Sprintf("c%d", i)
		c.LAN, c.WAN = h.Ports[2*i], h.Ports[2*i+1]
		c.FirstVLAN = netid.VLANID(200 + 10*i)
		p, err := Place(h, placed, c, cat)
		if err != nil {
			b.Fatal(err)
		}
		placed = append(placed, p)
	}
	c := threeChain()
	c.LAN, c.WAN = h.Ports[14], h.Ports[15]
	c.FirstVLAN = 1000
	b.ReportAllocs()
	for b.Loop() {
		p, err := Place(h, placed, c, cat)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := Render(p); err != nil {
			b.Fatal(err)
		}
	}
}

func FuzzParseState(f *testing.F) {
	f.Add([]byte(`<vnf-information><vnf-instance><name>a_b_1-c</name><state>Running</state><vcpus>2</vcpus></vnf-instance></vnf-information>`))
	f.Add([]byte(`<vnf-information/>`))
	f.Fuzz(func(t *testing.T, b []byte) {
		st, err := ParseState(b)
		if err != nil {
			return
		}
		// Chain is derived from the instance name: tenant and chain are
		// its first two '_'-separated fields.
		for _, s := range st {
			if s.Chain == "" {
				continue
			}
			tenant, chain, _ := strings.Cut(s.Chain, "/")
			if !strings.HasPrefix(s.Instance, tenant+"_"+chain+"_") {
				t.Errorf("chain %q from instance %q", s.Chain, s.Instance)
			}
		}
	})
}
