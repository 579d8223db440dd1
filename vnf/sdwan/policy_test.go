package sdwan

import (
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
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
