package sdwan

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/carrierkit/carrierkit/internal/yangcheck"
	"github.com/carrierkit/carrierkit/netid"
)

// cosPolicies has four traffic types out of priority order, so queue
// numbers must come from Priority, not from the slice.
func cosPolicies() Policies {
	return Policies{Traffic: []TrafficType{
		{Name: "bulk", DSCP: 10, Priority: 6, Bandwidth: 1_500_000},
		{Name: "voice", DSCP: 46, Priority: 1, Bandwidth: 2_000_000},
		{Name: "business", DSCP: 26, Priority: 3},
		{Name: "video", DSCP: 34, Priority: 2, Bandwidth: 10_000_000},
	}}
}

func cosDesign(t *testing.T) Design {
	t.Helper()
	d, err := Plan(network(2, HubAndSpoke))
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestRenderCoS(t *testing.T) {
	t.Parallel()
	c, err := RenderCoS(cosDesign(t), "s01", cosPolicies(), map[string]netid.Bitrate{"inet": 50_000_000})
	if err != nil {
		t.Fatal(err)
	}
	wantClasses := []CoSClass{
		{Name: "best-effort", Queue: 0, Priority: "low"},
		{Name: "acme-wan-voice", Traffic: "voice", Queue: 1, Priority: "strict-high"},
		{Name: "acme-wan-video", Traffic: "video", Queue: 2, Priority: "high"},
		{Name: "network-control", Queue: 3, Priority: "high"},
		{Name: "acme-wan-business", Traffic: "business", Queue: 4, Priority: "medium-high"},
		{Name: "acme-wan-bulk", Traffic: "bulk", Queue: 5, Priority: "low"},
	}
	if d := cmp.Diff(wantClasses, c.Classes); d != "" {
		t.Errorf("classes (-want +got):\n%s", d)
	}
	// The whole configuration: code points in binary (46 = 101110), queues
	// by priority, the classifier on the LAN unit (ge-0/0/2.0), rewrite
	// rules on both WAN units, the scheduler map on both WAN ports and the
	// inet port shaped to its 50 Mbit/s.
	want := `set class-of-service classifiers dscp acme-wan forwarding-class best-effort loss-priority low code-points 000000
set class-of-service classifiers dscp acme-wan forwarding-class acme-wan-voice loss-priority low code-points 101110
set class-of-service classifiers dscp acme-wan forwarding-class acme-wan-video loss-priority low code-points 100010
set class-of-service classifiers dscp acme-wan forwarding-class acme-wan-business loss-priority low code-points 011010
set class-of-service classifiers dscp acme-wan forwarding-class acme-wan-bulk loss-priority low code-points 001010
set class-of-service forwarding-classes class best-effort queue-num 0
set class-of-service forwarding-classes class acme-wan-voice queue-num 1
set class-of-service forwarding-classes class acme-wan-video queue-num 2
set class-of-service forwarding-classes class network-control queue-num 3
set class-of-service forwarding-classes class acme-wan-business queue-num 4
set class-of-service forwarding-classes class acme-wan-bulk queue-num 5
set class-of-service interfaces ge-0/0/2 unit 0 classifiers dscp acme-wan
set class-of-service interfaces ge-0/0/0 scheduler-map acme-wan
set class-of-service interfaces ge-0/0/0 unit 0 rewrite-rules dscp acme-wan
set class-of-service interfaces ge-0/0/1 scheduler-map acme-wan
set class-of-service interfaces ge-0/0/1 shaping-rate 50m
set class-of-service interfaces ge-0/0/1 unit 0 rewrite-rules dscp acme-wan
set class-of-service rewrite-rules dscp acme-wan forwarding-class acme-wan-voice loss-priority low code-point 101110
set class-of-service rewrite-rules dscp acme-wan forwarding-class acme-wan-video loss-priority low code-point 100010
set class-of-service rewrite-rules dscp acme-wan forwarding-class acme-wan-business loss-priority low code-point 011010
set class-of-service rewrite-rules dscp acme-wan forwarding-class acme-wan-bulk loss-priority low code-point 001010
set class-of-service scheduler-maps acme-wan forwarding-class best-effort scheduler acme-wan-best-effort
set class-of-service scheduler-maps acme-wan forwarding-class acme-wan-voice scheduler acme-wan-voice
set class-of-service scheduler-maps acme-wan forwarding-class acme-wan-video scheduler acme-wan-video
set class-of-service scheduler-maps acme-wan forwarding-class network-control scheduler acme-wan-network-control
set class-of-service scheduler-maps acme-wan forwarding-class acme-wan-business scheduler acme-wan-business
set class-of-service scheduler-maps acme-wan forwarding-class acme-wan-bulk scheduler acme-wan-bulk
set class-of-service schedulers acme-wan-best-effort transmit-rate remainder
set class-of-service schedulers acme-wan-best-effort priority low
set class-of-service schedulers acme-wan-voice transmit-rate 2m
set class-of-service schedulers acme-wan-voice priority strict-high
set class-of-service schedulers acme-wan-video transmit-rate 10m
set class-of-service schedulers acme-wan-video priority high
set class-of-service schedulers acme-wan-network-control transmit-rate percent 5
set class-of-service schedulers acme-wan-network-control priority high
set class-of-service schedulers acme-wan-business transmit-rate remainder
set class-of-service schedulers acme-wan-business priority medium-high
set class-of-service schedulers acme-wan-bulk transmit-rate 1500k
set class-of-service schedulers acme-wan-bulk priority low
`
	if d := cmp.Diff(want, string(c.Set)); d != "" {
		t.Errorf("set lines (-want +got):\n%s", d)
	}
	// Same input, same output.
	again, _ := RenderCoS(cosDesign(t), "s01", cosPolicies(), map[string]netid.Bitrate{"inet": 50_000_000})
	if string(again.XML) != string(c.XML) || string(again.Set) != string(c.Set) {
		t.Error("two renders differ")
	}
}

func TestRenderCoSVariants(t *testing.T) {
	t.Parallel()
	d := cosDesign(t)
	// A type on DSCP 0 takes 000000 from best-effort; equal priorities keep
	// the policies' order; without link rates nothing is shaped.
	p := Policies{Traffic: []TrafficType{{Name: "scavenger", DSCP: 0, Priority: 8}, {Name: "web", DSCP: 18, Priority: 5},
		{Name: "mail", DSCP: 20, Priority: 5}}}
	c, err := RenderCoS(d, "h1", p, nil)
	if err != nil {
		t.Fatal(err)
	}
	set := string(c.Set)
	for _, w := range []string{
		"set class-of-service forwarding-classes class acme-wan-web queue-num 1\n",
		"set class-of-service forwarding-classes class acme-wan-mail queue-num 2\n",
		"set class-of-service forwarding-classes class acme-wan-scavenger queue-num 4\n",
		"set class-of-service classifiers dscp acme-wan forwarding-class acme-wan-scavenger loss-priority low code-points 000000\n",
		"set class-of-service classifiers dscp acme-wan forwarding-class acme-wan-mail loss-priority low code-points 010100\n",
		"set class-of-service schedulers acme-wan-web priority low\n",
	} {
		if !strings.Contains(set, w) {
			t.Errorf("lacks %q:\n%s", w, set)
		}
	}
	for _, no := range []string{"forwarding-class best-effort loss-priority", "shaping-rate", "strict-high"} {
		if strings.Contains(set, no) {
			t.Errorf("has %q:\n%s", no, set)
		}
	}
	// Six types fill every free queue; rates are written in Junos units.
	p = Policies{}
	for i, name := range []string{"t1", "t2", "t3", "t4", "t5", "t6"} {
		p.Traffic = append(p.Traffic, TrafficType{Name: name, DSCP: uint8(8 * (i + 1)), Priority: i + 2,
			Bandwidth: []netid.Bitrate{3_200, 64_000, 1_000_000_000, 2_500_000, 7_000_001, 0}[i]})
	}
	c, err = RenderCoS(d, "h1", p, nil)
	if err != nil {
		t.Fatal(err)
	}
	set = string(c.Set)
	for _, w := range []string{
		"schedulers acme-wan-t1 transmit-rate 3200\n", "schedulers acme-wan-t2 transmit-rate 64k\n",
		"schedulers acme-wan-t3 transmit-rate 1g\n", "schedulers acme-wan-t4 transmit-rate 2500k\n",
		"schedulers acme-wan-t5 transmit-rate 7000001\n", "schedulers acme-wan-t6 transmit-rate remainder\n",
		"forwarding-classes class acme-wan-t6 queue-num 7\n", "classifiers dscp acme-wan forwarding-class acme-wan-t6 loss-priority low code-points 110000\n",
	} {
		if !strings.Contains(set, w) {
			t.Errorf("lacks %q:\n%s", w, set)
		}
	}
}

func TestRenderCoSYANG(t *testing.T) {
	t.Parallel()
	chk := yangcheck.ForTest(t)
	ctx := context.Background()
	d := addressed(t, network(2, HubAndSpoke))
	c, err := RenderCoS(d, "s02", cosPolicies(), map[string]netid.Bitrate{"mpls": 20_000_000, "inet": 100_000_000})
	if err != nil {
		t.Fatal(err)
	}
	r, err := Render(d, "s02")
	if err != nil {
		t.Fatal(err)
	}
	if err := chk.Validate(ctx, yangcheck.FamilyES, yangcheck.Doc{Name: "cos", XML: c.XML}, yangcheck.Doc{Name: "site", XML: r.XML}); err != nil {
		t.Fatal(err)
	}
	// The checker is live: a classifier written with the rewrite rule's
	// singular code-point fails.
	wrong := strings.ReplaceAll(string(c.XML), "code-points>", "code-point>")
	if err := chk.Validate(ctx, yangcheck.FamilyES, yangcheck.Doc{Name: "cos", XML: []byte(wrong)}); err == nil {
		t.Error("classifier with code-point (not code-points) passed the YANG check")
	}
	// The junos-nfx models have no class-of-service module (the NFX's
	// class of service is not in Juniper's published NFX YANG), so the
	// NFX family cannot check it: the checker must say so rather than
	// pass.
	if err := chk.Validate(ctx, yangcheck.FamilyNFX, yangcheck.Doc{Name: "cos", XML: c.XML}); err == nil || !strings.Contains(err.Error(), "class-of-service") {
		t.Errorf("junos-nfx: want no class-of-service module, got %v", err)
	}
}

func TestRenderCoSBadInput(t *testing.T) {
	t.Parallel()
	d := cosDesign(t)
	with := func(f func(*Policies)) Policies {
		p := cosPolicies()
		p.Traffic = append([]TrafficType(nil), p.Traffic...)
		f(&p)
		return p
	}
	seven := Policies{}
	for i := range 7 {
		seven.Traffic = append(seven.Traffic, TrafficType{Name: "t" + string(rune('a'+i)), DSCP: uint8(i), Priority: 2 + i%7})
	}
	tests := []struct {
		name  string
		site  string
		p     Policies
		rates map[string]netid.Bitrate
		want  string // in the message
	}{
		{"unknown site", "nowhere", cosPolicies(), nil, `"nowhere"`},
		{"same dscp", "s01", with(func(p *Policies) { p.Traffic[2].DSCP = 46 }), nil, `"business": dscp 46 (101110) is "voice"'s`},
		{"too many types", "s01", seven, nil, `"tg" the first without a queue`},
		{"two strict-high", "s01", with(func(p *Policies) { p.Traffic[3].Priority = 1 }), nil, `"video": priority 1`},
		{"default class name", "s01", with(func(p *Policies) { p.Traffic[0].Name = "best-effort" }), nil, `"best-effort"`},
		{"bandwidth too small", "s01", with(func(p *Policies) { p.Traffic[0].Bandwidth = 100 }), nil, `"bulk": bandwidth 100`},
		{"bandwidth too large", "s01", with(func(p *Policies) { p.Traffic[0].Bandwidth = 200_000_000_000 }), nil, `"bulk": bandwidth 200G`},
		{"invalid policies", "s01", with(func(p *Policies) { p.Traffic[0].Priority = 9 }), nil, `"bulk"`},
		// 2m + 10m + 1.5m = 13.5m; 95% of 13m is 12.35m, reached with bulk.
		{"oversubscribed link", "s01", cosPolicies(), map[string]netid.Bitrate{"mpls": 13_000_000}, `"bulk": reservations reach 13500K on link "mpls"`},
		{"unknown transport", "s01", cosPolicies(), map[string]netid.Bitrate{"lte": 10_000_000}, `"lte"`},
		{"link rate too small", "s01", cosPolicies(), map[string]netid.Bitrate{"inet": 1000}, `link "inet": rate 1K`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, err := RenderCoS(d, tt.site, tt.p, tt.rates)
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("want ErrInvalid, got %v", err)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q does not say %q", err, tt.want)
			}
			if c.XML != nil || c.Set != nil || c.Classes != nil {
				t.Error("configuration returned with an error")
			}
		})
	}
	// The rate that just fits: 13.5m reserved is 95% of 14.21m.
	if _, err := RenderCoS(d, "s01", cosPolicies(), map[string]netid.Bitrate{"mpls": 14_210_600}); err != nil {
		t.Errorf("fitting rate: %v", err)
	}
	// A link interface that is not a logical interface.
	bad := d
	bad.Network.Sites = append([]Site(nil), d.Network.Sites...)
	bad.Network.Sites[2].LANInterface = "ge-0/0/2"
	if _, err := RenderCoS(bad, bad.Network.Sites[2].Name, cosPolicies(), nil); !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "ge-0/0/2") {
		t.Errorf("LAN interface without a unit: %v", err)
	}
}
