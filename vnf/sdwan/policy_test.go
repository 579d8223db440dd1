package sdwan

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/carrierkit/carrierkit/internal/yangcheck"
)

func TestSteer(t *testing.T) {
	t.Parallel()
	p := Policies{
		Traffic: []TrafficType{{Name: "voice", DSCP: 46, Priority: 1, Bandwidth: 2_000_000}, {Name: "bulk", DSCP: 10, Priority: 6}},
		SLAs: []SLAProfile{{Name: "realtime", MaxLoss: 1, MaxRTT: 150 * time.Millisecond, MaxJitter: 30 * time.Millisecond},
			{Name: "besteffort", MaxLoss: 5}},
		Apps: []AppPolicy{{Name: "sip", Applications: []string{"junos:SIP"}, Traffic: "voice", SLA: "realtime"},
			{Name: "backup", Applications: []string{"junos:FTP"}, Traffic: "bulk", SLA: "besteffort"}},
	}
	good := func(tr string, role LinkRole, rtt time.Duration) Measurement {
		return Measurement{Transport: tr, Role: role, Up: true, Loss: 0.1, RTT: rtt, Jitter: 5 * time.Millisecond}
	}
	tests := []struct {
		name string
		ms   []Measurement
		want []Steering
	}{
		{"both meet: primary wins over faster backup",
			[]Measurement{good("mpls", Primary, 40*time.Millisecond), good("inet", Backup, 20*time.Millisecond)},
			[]Steering{{"sip", "mpls", true}, {"backup", "mpls", true}}},
		{"primary lossy: voice moves, bulk stays",
			[]Measurement{{Transport: "mpls", Role: Primary, Up: true, Loss: 3, RTT: 40 * time.Millisecond}, good("inet", Backup, 60*time.Millisecond)},
			[]Steering{{"sip", "inet", true}, {"backup", "mpls", true}}},
		{"primary down",
			[]Measurement{{Transport: "mpls", Role: Primary}, good("inet", Backup, 60*time.Millisecond)},
			[]Steering{{"sip", "inet", true}, {"backup", "inet", true}}},
		{"nothing meets realtime: least loss",
			[]Measurement{{Transport: "mpls", Role: Primary, Up: true, Loss: 4, RTT: 300 * time.Millisecond},
				{Transport: "lte", Role: Backup, Up: true, Loss: 2, RTT: 400 * time.Millisecond}},
			[]Steering{{"sip", "lte", false}, {"backup", "mpls", true}}},
		{"two primaries meet: lower RTT",
			[]Measurement{good("mpls", Primary, 40*time.Millisecond), good("inet", Primary, 20*time.Millisecond)},
			[]Steering{{"sip", "inet", true}, {"backup", "inet", true}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := Steer(p, tt.ms)
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(tt.want, got); d != "" {
				t.Errorf("(-want +got):\n%s", d)
			}
		})
	}
	if _, err := Steer(p, []Measurement{{Transport: "mpls"}}); !errors.Is(err, ErrNoPath) {
		t.Errorf("all down: %v", err)
	}
	bad := p
	bad.Apps = []AppPolicy{{Name: "x", Applications: []string{"a"}, Traffic: "nope", SLA: "realtime"}}
	if _, err := Steer(bad, nil); !errors.Is(err, ErrInvalid) {
		t.Errorf("unknown traffic type: %v", err)
	}
	bad = p
	bad.Traffic = []TrafficType{{Name: "voice", DSCP: 64, Priority: 1}}
	if err := bad.Validate(); !errors.Is(err, ErrInvalid) {
		t.Errorf("dscp 64: %v", err)
	}
}

func TestRenderSteeringYANG(t *testing.T) {
	t.Parallel()
	chk := yangcheck.ForTest(t)
	d := addressed(t, network(4, HubAndSpoke))
	p := Policies{
		Traffic: []TrafficType{{Name: "voice", DSCP: 46, Priority: 1}, {Name: "bulk", DSCP: 10, Priority: 6}},
		SLAs:    []SLAProfile{{Name: "realtime", MaxLoss: 1, MaxRTT: 150 * time.Millisecond}, {Name: "besteffort", MaxLoss: 5}},
		Apps: []AppPolicy{{Name: "sip", Applications: []string{"junos:SIP", "junos:RTP"}, Traffic: "voice", SLA: "realtime"},
			{Name: "ftp", Applications: []string{"junos:FTP"}, Traffic: "bulk", SLA: "besteffort"}},
	}
	steer, err := Steer(p, []Measurement{{Transport: "mpls", Role: Primary, Up: true, Loss: 3, RTT: 40 * time.Millisecond},
		{Transport: "inet", Role: Backup, Up: true, Loss: 0.1, RTT: 60 * time.Millisecond}})
	if err != nil {
		t.Fatal(err)
	}
	c, err := RenderSteering(d, "s02", p, steer)
	if err != nil {
		t.Fatal(err)
	}
	set := string(c.Set)
	for _, w := range []string{
		"set security advance-policy-based-routing profile acme-wan rule sip match dynamic-application junos:SIP",
		"set security advance-policy-based-routing profile acme-wan rule sip then routing-instance acme-wan-inet",
		"set security advance-policy-based-routing profile acme-wan rule ftp then routing-instance acme-wan-mpls",
		"set security zones security-zone trust advance-policy-based-routing-profile profile acme-wan",
		"set routing-instances acme-wan-inet instance-type forwarding",
		"set routing-instances acme-wan-inet routing-options static route 0.0.0.0/0 next-hop",
	} {
		if !strings.Contains(set, w) {
			t.Errorf("steering lacks %q:\n%s", w, set)
		}
	}
	if err := chk.Validate(context.Background(), yangcheck.FamilyES, yangcheck.Doc{Name: "apbr", XML: c.SecurityXML},
		yangcheck.Doc{Name: "instances", XML: c.RoutingXML}); err != nil {
		t.Fatal(err)
	}
	if err := chk.Validate(context.Background(), yangcheck.FamilyNFX, yangcheck.Doc{Name: "apbr", XML: c.SecurityXML}); err != nil {
		t.Fatal(err)
	}
	bad := slices.Clone(steer)
	bad[0].Transport = "lte"
	if _, err := RenderSteering(d, "s02", p, bad); !errors.Is(err, ErrInvalid) {
		t.Errorf("unknown transport: %v", err)
	}
	if _, err := RenderSteering(d, "s02", p, steer[1:]); !errors.Is(err, ErrInvalid) {
		t.Errorf("missing decision: %v", err)
	}
}
