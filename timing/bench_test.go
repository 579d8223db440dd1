package timing

import (
	"context"
	"fmt"
	"testing"
)

// bigDomain is a grandmaster with n access rings of 8 ACX routers each
// hung off it: n*8+1 devices, n*9 links, at most 4 hops.
func bigDomain(n int) *Domain {
	d := &Domain{Name: "big", Template: Template{Profile: G82751, Domain: 24, SyncE: SyncE{Enabled: true, ESMC: true}}}
	d.Members = append(d.Members, Member{Name: "gm", Platform: "mx960", Mode: Grandmaster})
	for r := 0; r < n; r++ {
		prev, prevIf := "gm", fmt.Sprintf("xe-%d/0/0", r)
		for i := 0; i < 8; i++ {
			name := fmt.Sprintf("r%d-%d", r, i)
			d.Members = append(d.Members, Member{Name: name, Platform: "acx710"})
			d.Links = append(d.Links, link(prev, prevIf, name, "xe-0/0/0", ""))
			prev, prevIf = name, "xe-0/0/1"
		}
		d.Links = append(d.Links, link(prev, "xe-0/0/1", "gm", fmt.Sprintf("xe-%d/0/1", r), ""))
	}
	return d
}

func BenchmarkCheck(b *testing.B) {
	for _, n := range []int{10, 125} {
		d := bigDomain(n)
		b.Run(fmt.Sprintf("devices=%d", len(d.Members)), func(b *testing.B) {
			for b.Loop() {
				fs, err := Check(d)
				if err != nil || len(fs) != 0 {
					b.Fatal(err, fs)
				}
			}
		})
	}
}

func BenchmarkPlanRender(b *testing.B) {
	for _, n := range []int{10, 125} {
		d := bigDomain(n)
		b.Run(fmt.Sprintf("devices=%d", len(d.Members)), func(b *testing.B) {
			for b.Loop() {
				p, err := NewPlan(d)
				if err != nil {
					b.Fatal(err)
				}
				if _, err := Render(p, XML); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkPoll(b *testing.B) {
	g := &fakeGet{replies: map[string]string{
		rpcPTPClock:  ptpClock(6, 2, "<ptp-lock-state>PHASE ALIGNED</ptp-lock-state>"),
		rpcPTPLock:   `<ptp-lock-status><ptp-spll-lock-state>PHASE ALIGNED</ptp-spll-lock-state><ptp-slave-interface>xe-0/0/0.0</ptp-slave-interface></ptp-lock-status>`,
		rpcClockSync: `<clock-synchronization><clock-status>locked</clock-status></clock-synchronization>`,
	}}
	ctx := context.Background()
	for b.Loop() {
		if h := Poll(ctx, "r", g); h.PTP != Locked {
			b.Fatal(h)
		}
	}
}
