package sdwan

import (
	"testing"
)

// BenchmarkPlanRender50 plans a 50-spoke, two-hub, two-transport network
// and renders one hub (204 tunnels in the network, 102 at each hub).
func BenchmarkPlanRender50(b *testing.B) {
	d := addressed(b, network(50, HubAndSpoke))
	n := d.Network
	b.ReportAllocs()
	for b.Loop() {
		p, err := Plan(n)
		if err != nil {
			b.Fatal(err)
		}
		p.Tunnels = d.Tunnels
		if _, err := Render(p, "h1"); err != nil {
			b.Fatal(err)
		}
	}
}
