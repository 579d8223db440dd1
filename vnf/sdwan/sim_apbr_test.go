package sdwan

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/carrierkit/carrierkit/internal/simtest"
)

// TestCommitSteeringOnSimulatedSRX commits a spoke with its APBR steering
// (profile, zone binding, forwarding instances) to the simulator's srx345.
func TestCommitSteeringOnSimulatedSRX(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	d := addressed(t, network(4, HubAndSpoke))
	p := Policies{Traffic: []TrafficType{{Name: "voice", DSCP: 46, Priority: 1}}, SLAs: []SLAProfile{{Name: "rt", MaxLoss: 1}},
		Apps: []AppPolicy{{Name: "sip", Applications: []string{"junos:SIP"}, Traffic: "voice", SLA: "rt"}}}
	steer := []Steering{{App: "sip", Transport: "inet", MeetsSLA: true}}
	sc, err := RenderSteering(d, "s02", p, steer)
	if err != nil {
		t.Fatal(err)
	}
	c, _ := Render(d, "s02")
	s := simtest.Dial(t, ctx, simtest.Start(t, ctx, "s02", "srx345"), simtest.User, simtest.Password)
	b := simtest.Commit(t, ctx, s, c.XML, c.RoutingXML, c.PoliciesXML, sc.SecurityXML, sc.RoutingXML)
	for _, w := range strings.Split(strings.TrimSpace(string(sc.Set)), "\n") {
		if !strings.Contains(b, w) {
			t.Errorf("lacks %q", w)
		}
	}
}
