package sdwan

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/carrierkit/carrierkit/internal/simtest"
	"github.com/carrierkit/carrierkit/netid"
)

// TestCommitCoSOnSimulatedSRX commits a spoke's SD-WAN configuration with
// its class of service to the simulator's srx345 over NETCONF and reads
// every class-of-service statement back from the committed configuration.
func TestCommitCoSOnSimulatedSRX(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	d := addressed(t, network(4, HubAndSpoke))
	cos, err := RenderCoS(d, "s02", cosPolicies(), map[string]netid.Bitrate{"inet": 50_000_000})
	if err != nil {
		t.Fatal(err)
	}
	c, err := Render(d, "s02")
	if err != nil {
		t.Fatal(err)
	}
	s := simtest.Dial(t, ctx, simtest.Start(t, ctx, "s02", "srx345"), simtest.User, simtest.Password)
	got := simtest.Commit(t, ctx, s, c.XML, c.RoutingXML, c.PoliciesXML, cos.XML)
	lines := strings.Split(strings.TrimSpace(string(cos.Set)), "\n")
	for _, w := range lines {
		if !strings.Contains(got, w+"\n") {
			t.Errorf("committed configuration lacks %q", w)
		}
	}
	if n := strings.Count(got, "set class-of-service "); n != len(lines) {
		t.Errorf("committed configuration has %d class-of-service lines, want %d:\n%s", n, len(lines), got)
	}
}
