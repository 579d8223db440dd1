package timing

import (
	"errors"
	"fmt"
	"net/netip"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// chain returns a G.8275.1 domain gm – n1 – n2 – … (ge-0/0/1 towards the
// next device, ge-0/0/0 towards the previous one), all acx710.
func chain(n int) *Domain {
	d := &Domain{Name: "t", Template: Template{Profile: G82751, Domain: 24}}
	d.Members = append(d.Members, Member{Name: "gm", Platform: "acx710", Mode: Grandmaster})
	prev := "gm"
	for i := 1; i <= n; i++ {
		name := fmt.Sprintf("n%d", i)
		d.Members = append(d.Members, Member{Name: name, Platform: "acx710"})
		d.Links = append(d.Links, Link{A: End{Device: prev, Interface: "ge-0/0/1"}, B: End{Device: name, Interface: "ge-0/0/0"}})
		prev = name
	}
	return d
}

func link(a, ai, b, bi, master string) Link {
	return Link{A: End{Device: a, Interface: ai}, B: End{Device: b, Interface: bi}, Master: master}
}

func edit(d *Domain, f func(*Domain)) *Domain { f(d); return d }

func setMember(d *Domain, name string, f func(*Member)) {
	for i := range d.Members {
		if d.Members[i].Name == name {
			f(&d.Members[i])
		}
	}
}

func intp(n int) *int { return &n }

func TestCheck(t *testing.T) {
	t.Parallel()
	type fd struct{ Rule, Device, Msg string } // Msg: substring of the message
	tests := []struct {
		name   string
		in     *Domain
		want   []fd
		reason string
	}{
		{name: "clean chain", in: chain(3)},
		{name: "two grandmasters", in: edit(chain(2), func(d *Domain) { setMember(d, "n2", func(m *Member) { m.Mode = Grandmaster }) }),
			want:   []fd{{RuleGrandmasters, "gm", "gm, n2"}, {RuleGrandmasters, "n2", "gm, n2"}},
			reason: "each primary is named, and each finding names both"},
		{name: "no grandmaster", in: edit(chain(2), func(d *Domain) { d.Members[0].Mode = Auto }),
			want: []fd{{RuleGrandmasters, "", "no primary grandmaster"}}},
		{name: "primary and backup", in: edit(chain(2), func(d *Domain) {
			d.Members = append(d.Members, Member{Name: "gm2", Platform: "mx480", Mode: Grandmaster, Backup: true})
			d.Links = append(d.Links, link("gm2", "xe-0/0/0", "n2", "ge-0/0/5", ""))
		})},
		{name: "two backups", in: edit(chain(1), func(d *Domain) {
			d.Members = append(d.Members, Member{Name: "b1", Platform: "mx480", Mode: Grandmaster, Backup: true},
				Member{Name: "b2", Platform: "mx480", Mode: Grandmaster, Backup: true})
			d.Links = append(d.Links, link("b1", "xe-0/0/0", "n1", "ge-0/0/5", ""), link("b2", "xe-0/0/0", "n1", "ge-0/0/6", ""))
		}), want: []fd{{RuleGrandmasters, "b1", "b1, b2"}, {RuleGrandmasters, "b2", "b1, b2"}}},
		{name: "pinned loop", in: edit(chain(1), func(d *Domain) {
			d.Members = append(d.Members, Member{Name: "a", Platform: "acx710"}, Member{Name: "b", Platform: "acx710"})
			d.Links = append(d.Links, link("n1", "ge-0/0/1", "a", "ge-0/0/0", "n1"), link("a", "ge-0/0/1", "b", "ge-0/0/0", "a"),
				link("b", "ge-0/0/1", "n1", "ge-0/0/2", "b"))
		}), want: []fd{{RuleLoop, "a", "a → b → n1 → a"}},
			reason: "n1 is fed by gm and also pinned as slave of b, which it feeds through a"},
		{name: "isolated device", in: edit(chain(1), func(d *Domain) { d.Members = append(d.Members, Member{Name: "x", Platform: "acx2100"}) }),
			want: []fd{{RuleNoPath, "x", "no PTP path from grandmaster gm"}}},
		{name: "pinned the wrong way", in: edit(chain(2), func(d *Domain) { d.Links[1].Master = "n2" }),
			want: []fd{{RuleNoPath, "n2", "no PTP path"}}, reason: "n2 only sends to n1, nobody sends to n2"},
		{name: "hop limit", in: edit(chain(3), func(d *Domain) { d.Template.MaxHops = 2 }),
			want: []fd{{RuleHops, "n3", "3 clocks from the grandmaster, profile g.8275.1 allows 2"}}},
		{name: "transparent clocks do not count", in: edit(chain(3), func(d *Domain) {
			d.Template.MaxHops = 2
			setMember(d, "n1", func(m *Member) { m.Mode = Transparent })
		})},
		{name: "profile mismatch", in: edit(chain(2), func(d *Domain) { setMember(d, "n2", func(m *Member) { m.Profile = G82752 }) }),
			want: []fd{{RuleProfile, "n2", "runs profile g.8275.2 but its upstream n1 runs g.8275.1"}}},
		{name: "domain mismatch", in: edit(chain(2), func(d *Domain) { setMember(d, "n1", func(m *Member) { m.Domain = intp(25) }) }),
			want: []fd{{RuleDomainNumber, "n1", "domain 25 but its upstream gm runs domain 24"}, {RuleDomainNumber, "n2", "domain 24 but its upstream n1 runs domain 25"}}},
		{name: "grandmaster pinned as slave", in: edit(chain(1), func(d *Domain) { d.Links[0].Master = "n1" }),
			want: []fd{{RuleGMUpstream, "gm", "slave of n1"}, {RuleNoPath, "n1", "no PTP path"}}},
		{name: "slave pinned as master", in: edit(chain(2), func(d *Domain) {
			setMember(d, "n1", func(m *Member) { m.Mode = Slave })
			d.Links[1].Master = "n1"
		}), want: []fd{{RuleSlaveServes, "n1", "ordinary slave pinned as master of n2"}}},
		{name: "auto tree does not pass an ordinary slave", in: edit(chain(2), func(d *Domain) { setMember(d, "n1", func(m *Member) { m.Mode = Slave }) }),
			want: []fd{{RuleNoPath, "n2", "no PTP path"}}},
		{name: "platform", in: edit(chain(2), func(d *Domain) {
			setMember(d, "n1", func(m *Member) { m.Platform = "srx345" })
			setMember(d, "n2", func(m *Member) { m.Platform = "" })
		}), want: []fd{{RulePlatform, "n1", "ACX, MX and PTX only"}, {RulePlatform, "n2", "no platform given"}}},
		{name: "g.8275.1 priority1", in: edit(chain(1), func(d *Domain) { d.Template.Priority1 = 100 }),
			want: []fd{{RulePriority, "", "fixes priority1 at 128"}}},
		{name: "synce clean", in: edit(chain(3), func(d *Domain) { d.Template.SyncE = SyncE{Enabled: true, ESMC: true} })},
		{name: "synce loop", in: edit(chain(2), func(d *Domain) {
			d.Template.SyncE = SyncE{Enabled: true}
			setMember(d, "n1", func(m *Member) { m.SyncESources = []Source{{"ge-0/0/1", 1}} })
			setMember(d, "n2", func(m *Member) { m.SyncESources = []Source{{"ge-0/0/0", 1}} })
		}), want: []fd{{RuleSyncELoop, "n1", "n1 → n2 → n1"}}},
		{name: "synce secondary source loop", in: edit(chain(2), func(d *Domain) {
			d.Template.SyncE = SyncE{Enabled: true}
			setMember(d, "n1", func(m *Member) { m.SyncESources = []Source{{"ge-0/0/0", 1}, {"ge-0/0/1", 2}} })
		}), want: []fd{{RuleSyncELoop, "n1", "n1 → n2 → n1"}}, reason: "n1's second choice is n2, which takes from n1"},
		{name: "synce source off the domain", in: edit(chain(1), func(d *Domain) {
			d.Template.SyncE = SyncE{Enabled: true}
			setMember(d, "n1", func(m *Member) { m.SyncESources = []Source{{"ge-0/0/7", 1}} })
		}), want: []fd{{RuleSyncESource, "n1", "ge-0/0/7 is not on a link"}}},
		{name: "synce source on the grandmaster", in: edit(chain(1), func(d *Domain) {
			d.Template.SyncE = SyncE{Enabled: true}
			setMember(d, "gm", func(m *Member) { m.SyncESources = []Source{{"ge-0/0/1", 1}} })
		}), want: []fd{{RuleSyncESource, "gm", "reference"}}},
		{name: "transparent in g.8275.2", in: edit(chain(2), func(d *Domain) {
			d.Template = Template{Profile: G82752, Domain: 44}
			for i := range d.Links {
				d.Links[i].A.Addr = netip.MustParsePrefix(fmt.Sprintf("10.0.%d.1/30", i))
				d.Links[i].B.Addr = netip.MustParsePrefix(fmt.Sprintf("10.0.%d.2/30", i))
			}
			setMember(d, "n1", func(m *Member) { m.Mode = Transparent })
		}), want: []fd{{RuleTransparent, "n1", "no transparent clocks"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			fs, err := Check(tt.in)
			if err != nil {
				t.Fatal(err)
			}
			var got []fd
			for i, f := range fs {
				g := fd{f.Rule, f.Device, f.Message}
				if i < len(tt.want) && f.Rule == tt.want[i].Rule && f.Device == tt.want[i].Device && strings.Contains(f.Message, tt.want[i].Msg) {
					g.Msg = tt.want[i].Msg
				}
				got = append(got, g)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("findings (-want +got):\n%s\nreason: %s", diff, tt.reason)
			}
		})
	}
}

func TestCheckSorted(t *testing.T) {
	t.Parallel()
	d := edit(chain(3), func(d *Domain) {
		d.Template.MaxHops = 1
		setMember(d, "n3", func(m *Member) { m.Mode = Grandmaster })
	})
	fs, err := Check(d)
	if err != nil {
		t.Fatal(err)
	}
	for i := 1; i < len(fs); i++ {
		if fs[i-1].Compare(fs[i]) > 0 {
			t.Fatalf("not sorted: %v before %v", fs[i-1], fs[i])
		}
	}
	if len(fs) != 3 {
		t.Fatalf("findings %v, want gm and n3 grandmaster-count and n2 hop-limit", fs)
	}
}

func TestNewPlanRefuses(t *testing.T) {
	t.Parallel()
	d := edit(chain(2), func(d *Domain) { setMember(d, "n2", func(m *Member) { m.Mode = Grandmaster }) })
	p, err := NewPlan(d)
	var re *RefusedError
	if p != nil || !errors.As(err, &re) || !errors.Is(err, ErrRefused) {
		t.Fatalf("NewPlan = %v, %v; want a RefusedError", p, err)
	}
	if len(re.Findings) != 2 || re.Findings[0].Device != "gm" || re.Findings[1].Device != "n2" {
		t.Fatalf("findings %v", re.Findings)
	}
	if !strings.Contains(err.Error(), `domain "t" refused`) || !strings.Contains(err.Error(), "gm, n2") {
		t.Fatalf("message %q", err)
	}
	// warnings do not refuse
	w := edit(chain(1), func(d *Domain) { d.Members[1].Platform = "" })
	if _, err := NewPlan(w); err != nil {
		t.Fatalf("warning refused: %v", err)
	}
}

func TestPlanRing(t *testing.T) {
	t.Parallel()
	// gm – a – b – c – gm: two arms, the b–c link carries no PTP
	d := &Domain{Name: "ring", Template: Template{Profile: G82751, Domain: 24, SyncE: SyncE{Enabled: true, ESMC: true}},
		Members: []Member{{Name: "gm", Platform: "mx480", Mode: Grandmaster}, {Name: "a", Platform: "acx710"}, {Name: "b", Platform: "acx710"}, {Name: "c", Platform: "acx710"}},
		Links: []Link{link("gm", "xe-0/0/0", "a", "xe-0/0/0", ""), link("a", "xe-0/0/1", "b", "xe-0/0/0", ""),
			link("b", "xe-0/0/1", "c", "xe-0/0/1", ""), link("c", "xe-0/0/0", "gm", "xe-0/0/1.0", "")}}
	p, err := NewPlan(d)
	if err != nil {
		t.Fatal(err)
	}
	type dev struct {
		Name, Up string
		Mode     ClockMode
		Hops     int
		Ports    []string
		Sources  []Source
		ESMC     []string
	}
	var got []dev
	for _, x := range p.Devices {
		v := dev{Name: x.Name, Up: x.Upstream, Mode: x.Mode, Hops: x.Hops, Sources: x.SyncESources, ESMC: x.ESMCPorts}
		for _, pt := range x.Ports {
			v.Ports = append(v.Ports, pt.Role.String()+" "+pt.Interface+" "+pt.Peer)
		}
		got = append(got, v)
	}
	want := []dev{
		{Name: "gm", Mode: Grandmaster, Ports: []string{"master xe-0/0/0.0 a", "master xe-0/0/1.0 c"}, ESMC: []string{"xe-0/0/0", "xe-0/0/1"}},
		{Name: "a", Up: "gm", Mode: Boundary, Hops: 1, Ports: []string{"slave xe-0/0/0.0 gm", "master xe-0/0/1.0 b"}, Sources: []Source{{"xe-0/0/0", 1}}, ESMC: []string{"xe-0/0/1"}},
		{Name: "c", Up: "gm", Mode: Slave, Hops: 1, Ports: []string{"slave xe-0/0/0.0 gm"}, Sources: []Source{{"xe-0/0/0", 1}}},
		{Name: "b", Up: "a", Mode: Slave, Hops: 2, Ports: []string{"slave xe-0/0/0.0 a"}, Sources: []Source{{"xe-0/0/0", 1}}},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("plan (-want +got):\n%s", diff)
	}
	if o := p.Order(); strings.Join(o, " ") != "gm a c b" || p.Primary != "gm" {
		t.Errorf("order %v primary %q", o, p.Primary)
	}
}

func TestPlanBackup(t *testing.T) {
	t.Parallel()
	d := edit(chain(2), func(d *Domain) {
		d.Members = append(d.Members, Member{Name: "gm2", Platform: "mx480", Mode: Grandmaster, Backup: true})
		d.Links = append(d.Links, link("gm2", "xe-0/0/0", "n2", "ge-0/0/5", ""))
		d.Template.SyncE = SyncE{Enabled: true}
	})
	p, err := NewPlan(d)
	if err != nil {
		t.Fatal(err)
	}
	n2, _ := p.Device("n2")
	if len(n2.Ports) != 2 || n2.Ports[0].Peer != "n1" || n2.Ports[1].Peer != "gm2" || n2.Ports[1].Role != SlavePort {
		t.Fatalf("n2 ports %+v, want slave to n1 and to the backup", n2.Ports)
	}
	if diff := cmp.Diff([]Source{{"ge-0/0/0", 1}, {"ge-0/0/5", 2}}, n2.SyncESources); diff != "" {
		t.Errorf("n2 sources (-want +got):\n%s", diff)
	}
	if p.Backup != "gm2" || strings.Join(p.Order(), " ") != "gm n1 n2 gm2" {
		t.Fatalf("backup %q order %v", p.Backup, p.Order())
	}
}

func TestValidate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   *Domain
		want string
	}{
		{"no name", edit(chain(1), func(d *Domain) { d.Name = "" }), "empty name"},
		{"no profile", edit(chain(1), func(d *Domain) { d.Template.Profile = 0 }), "profile profile(0)"},
		{"g.8275.1 domain 0", edit(chain(1), func(d *Domain) { d.Template.Domain = 0 }), "domain 0 is outside 24..43"},
		{"g.8275.2 domain", edit(chain(1), func(d *Domain) { d.Template = Template{Profile: G82752, Domain: 24} }), "outside 44..63"},
		{"priority", edit(chain(1), func(d *Domain) { d.Template.Priority2 = 256 }), "priority2 256"},
		{"announce", edit(chain(1), func(d *Domain) { d.Template.AnnounceInterval = IntervalOf(5) }), "announce interval 5"},
		{"sync", edit(chain(1), func(d *Domain) { d.Template.SyncInterval = IntervalOf(-8) }), "sync interval -8"},
		{"g.8275.1 over ipv4", edit(chain(1), func(d *Domain) { d.Template.Transport = IPv4 }), "runs over ethernet, not ipv4"},
		{"g.8275.2 over ethernet", edit(chain(1), func(d *Domain) { d.Template = Template{Profile: G82752, Domain: 44, Transport: Ethernet} }), "runs over ipv4"},
		{"ipv4 without addresses", edit(chain(1), func(d *Domain) { d.Template = Template{Profile: Default1588} }), "needs an IPv4 interface address"},
		{"synce quality", edit(chain(1), func(d *Domain) { d.Template.SyncE = SyncE{Enabled: true, Quality: "prs"} }), `quality level "prs"`},
		{"synce off", edit(chain(1), func(d *Domain) { d.Template.SyncE = SyncE{ESMC: true} }), "synce not enabled"},
		{"no members", &Domain{Name: "x", Template: Template{Profile: G82751, Domain: 24}}, "no members"},
		{"twice", edit(chain(1), func(d *Domain) { d.Members = append(d.Members, d.Members[1]) }), `"n1" listed twice`},
		{"backup slave", edit(chain(1), func(d *Domain) { d.Members[1].Backup = true }), "backup is for a grandmaster"},
		{"unknown device", edit(chain(1), func(d *Domain) { d.Links[0].B.Device = "zz" }), `device "zz" is not a member`},
		{"bad interface", edit(chain(1), func(d *Domain) { d.Links[0].B.Interface = "eth1" }), `interface "eth1"`},
		{"port twice", edit(chain(2), func(d *Domain) { d.Links[1].A.Interface = "ge-0/0/0" }), "n1 ge-0/0/0 is on two links"},
		{"master not an end", edit(chain(1), func(d *Domain) { d.Links[0].Master = "x" }), `master "x" is neither end`},
		{"self link", edit(chain(1), func(d *Domain) { d.Links[0].B.Device = "gm" }), `both ends on "gm"`},
		{"source priority", edit(chain(1), func(d *Domain) { d.Members[1].SyncESources = []Source{{"ge-0/0/0", 6}} }), "priority 6 is outside 1..5"},
		{"source twice", edit(chain(1), func(d *Domain) { d.Members[1].SyncESources = []Source{{"ge-0/0/0", 1}, {"ge-0/0/2", 1}} }), "priority 1 used twice"},
		{"member domain", edit(chain(1), func(d *Domain) { d.Members[1].Domain = intp(200) }), "domain 200"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := tt.in.Validate()
			if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Validate() = %v, want ErrInvalid containing %q", err, tt.want)
			}
			if _, err2 := Check(tt.in); !errors.Is(err2, ErrInvalid) {
				t.Fatalf("Check error %v, want ErrInvalid", err2)
			}
		})
	}
}

func TestCheckExtraRule(t *testing.T) {
	t.Parallel()
	noACXGM := func(d *Domain) []Finding {
		var fs []Finding
		for _, m := range d.Members {
			if m.Mode == Grandmaster && strings.HasPrefix(m.Platform, "acx") {
				fs = append(fs, Finding{"site-gm-platform", Warning, m.Name, "grandmaster on an ACX"})
			}
		}
		return fs
	}
	fs, err := Check(chain(2), noACXGM)
	if err != nil || len(fs) != 1 || fs[0].Rule != "site-gm-platform" || fs[0].Device != "gm" {
		t.Fatalf("findings %v, %v", fs, err)
	}
	if p, err := NewPlan(chain(2)); err != nil || len(p.Devices) != 3 {
		t.Fatalf("plan %v %v", p, err)
	}
}
