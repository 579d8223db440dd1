package inventory_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/carrierkit/carrierkit/design"
	"github.com/carrierkit/carrierkit/device"
	"github.com/carrierkit/carrierkit/inventory"
	"github.com/carrierkit/carrierkit/netid"
)

func TestDiscoverLab(t *testing.T) {
	l := startLab(t, nil)
	ctx := context.Background()
	rep, err := l.inv.Discover(ctx, labNet+"1-"+labNet+"5")
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Results) != 5 || rep.Reached() != 4 {
		t.Fatalf("results %d, reached %d; want 5 and 4: %+v", len(rep.Results), rep.Reached(), rep.Failed())
	}
	failed := rep.Failed()
	if len(failed) != 1 || failed[0].Target.Addr.Addr().String() != labNet+"5" || failed[0].Kind != inventory.KindUnreachable || !errors.Is(failed[0].Err, device.ErrUnreachable) {
		t.Fatalf("failed = %+v, want %s5 unreachable", failed, labNet)
	}
	for _, r := range rep.Results[:4] {
		if !r.New || len(r.Changes) != 1 || r.Changes[0].What != "device" {
			t.Errorf("%s: new %v changes %v, want a new device", r.Device, r.New, r.Changes)
		}
	}

	pe1, err := l.inv.Device(ctx, "pe1")
	if err != nil {
		t.Fatal(err)
	}
	sd := l.devs["pe1"]
	if pe1.Model != "mx480" || pe1.Series != "MX" || pe1.Version != sd.Platform().Version || pe1.Serial != sd.Serial() {
		t.Errorf("pe1 facts = %q %q %q %q, want mx480 MX %s %s", pe1.Model, pe1.Series, pe1.Version, pe1.Serial, sd.Platform().Version, sd.Serial())
	}
	if pe1.Loopback.String() != "10.255.0.1" || pe1.ASN != "65000" || !pe1.Reachable {
		t.Errorf("pe1 loopback %v asn %q reachable %v", pe1.Loopback, pe1.ASN, pe1.Reachable)
	}
	if len(pe1.FPCs) != len(sd.Platform().FPCs) || len(pe1.FPCs) == 0 {
		t.Fatalf("pe1 FPCs = %d, platform has %d", len(pe1.FPCs), len(sd.Platform().FPCs))
	}
	for i, f := range pe1.FPCs {
		if f.Slot != i || f.Serial == "" || len(f.PICs) != len(sd.Platform().FPCs[i].PICs) {
			t.Errorf("FPC %d = %+v, want %d PICs", i, f, len(sd.Platform().FPCs[i].PICs))
		}
	}
	ports := sd.Platform().Ports()
	for _, p := range ports {
		in, ok := pe1.Interface(p.Name)
		if !ok {
			t.Errorf("pe1 lacks %s", p.Name)
			continue
		}
		if in.Speed != netid.Bitrate(p.SpeedMbps)*1e6 || in.Admin != inventory.Up || in.Oper == "" {
			t.Errorf("pe1 %s = %+v, want %d Mbps, admin up", p.Name, in, p.SpeedMbps)
		}
	}
	if _, ok := pe1.Interface("fxp0"); !ok {
		t.Error("pe1 lacks its management interface fxp0")
	}
	if pe1.ConfigDigest == "" || len(pe1.Config) == 0 {
		t.Error("pe1 configuration not recorded")
	}

	// A second sweep finds nothing new.
	rep2, err := l.inv.Discover(ctx, labNet+"0/29")
	if err != nil {
		t.Fatal(err)
	}
	if len(rep2.Results) != 6 { // .1-.6 of the /29
		t.Fatalf("subnet sweep: %d targets, want 6", len(rep2.Results))
	}
	if c := rep2.Changes(); len(c) != 0 {
		t.Errorf("re-discovery of an unchanged network reports %v", c)
	}

	// By host name: the same record, now with the name it was listed by;
	// an unknown name is a bad spec.
	rep3, err := l.inv.Discover(ctx, "pe2.lab,p1.lab")
	if err != nil {
		t.Fatal(err)
	}
	if rep3.Reached() != 2 || rep3.Results[0].Device != "pe2" || rep3.Results[0].New || rep3.Results[1].Device != "p1" {
		t.Fatalf("by name: %+v", rep3.Results)
	}
	if d, _ := l.inv.Device(ctx, "pe2"); d.Host != "pe2.lab" {
		t.Errorf("pe2 host %q, want pe2.lab", d.Host)
	}
	if _, err := l.inv.Discover(ctx, "pe9.lab"); err == nil || !strings.Contains(err.Error(), "pe9.lab") {
		t.Errorf("unknown host name: %v", err)
	}
}

func TestRediscoveryReportsChanges(t *testing.T) {
	l := startLab(t, nil)
	ctx := context.Background()
	if _, err := l.inv.Discover(ctx, labNet+"1"); err != nil {
		t.Fatal(err)
	}
	l.commit(t, "pe1", "set interfaces ge-1/0/5 disable", "set interfaces ge-1/0/5 description parked")
	rep, err := l.inv.Discover(ctx, labNet+"1")
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, c := range rep.Changes() {
		got[c.What+" "+c.Item] = c.Old + " -> " + c.New
	}
	if got["interface-status ge-1/0/5"] != "up/down -> down/down" {
		t.Errorf("changes %v: want ge-1/0/5 status up/down -> down/down", got)
	}
	if _, ok := got["config "]; !ok {
		t.Errorf("changes %v: want a config change", got)
	}

	// The device goes away: it is kept, marked unreachable, and the sweep
	// says so.
	l.devs["pe1"].Close()
	rep, err = l.inv.Discover(ctx, labNet+"1")
	if err != nil {
		t.Fatal(err)
	}
	if rep.Reached() != 0 || rep.Results[0].Kind != inventory.KindUnreachable {
		t.Fatalf("after close: %+v", rep.Results)
	}
	d, err := l.inv.Device(ctx, "pe1")
	if err != nil || d.Reachable || d.LastError == "" {
		t.Fatalf("pe1 after close: reachable %v lastError %q err %v", d.Reachable, d.LastError, err)
	}
}

func TestDiscoverAuthFailure(t *testing.T) {
	l := startLab(t, nil)
	bad, err := inventory.New(l.st, netconfDial(), inventory.Options{Credentials: device.Password("admin", "wrong"), HostKeys: device.PinnedKeys(l.keys...)})
	if err != nil {
		t.Fatal(err)
	}
	rep, err := bad.Discover(context.Background(), labNet+"2")
	if err != nil {
		t.Fatal(err)
	}
	if f := rep.Failed(); len(f) != 1 || f[0].Kind != inventory.KindAuth || !errors.Is(f[0].Err, device.ErrAuth) {
		t.Fatalf("failed = %+v, want an auth failure", f)
	}
	// Wrong host keys are a host-key failure.
	bad2, _ := inventory.New(l.st, netconfDial(), inventory.Options{Credentials: device.Password("admin", "lab-pass"), HostKeys: device.PinnedKeys(l.keys[0])})
	rep, _ = bad2.Discover(context.Background(), labNet+"2")
	if f := rep.Failed(); len(f) != 1 || f[0].Kind != inventory.KindHostKey {
		t.Fatalf("failed = %+v, want a host-key failure", f)
	}
}

func TestPrestageLab(t *testing.T) {
	l := startLab(t, nil)
	ctx := context.Background()
	if _, err := l.inv.Discover(ctx, labNet+"1-4"); err != nil {
		t.Fatal(err)
	}
	rep, err := l.inv.Prestage(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Count(inventory.Prestaged) != 4 {
		t.Fatalf("prestaged %d, want 4: %+v", rep.Count(inventory.Prestaged), rep.Results)
	}
	want := map[string]inventory.Role{"pe1": inventory.RolePE, "pe2": inventory.RolePE, "pe3": inventory.RolePE, "p1": inventory.RoleP}
	for _, r := range rep.Results {
		if r.Role != want[r.Device] {
			t.Errorf("%s role %q, want %q", r.Device, r.Role, want[r.Device])
		}
	}
	inv, err := l.inv.Design(ctx)
	if err != nil {
		t.Fatal(err)
	}
	roles := map[[2]string]design.InterfaceRole{
		{"pe1", "xe-0/0/0"}: design.NNI, // mpls + isis + ldp
		{"pe1", "ge-1/0/0"}: design.UNI, // l2circuit
		{"pe1", "ge-1/0/1"}: design.UNI, // vrf
		{"pe1", "ge-1/0/3"}: design.UNI, // unused
		{"pe3", "ge-0/0/0"}: design.NNI, // mpls + ospf + rsvp
		{"p1", "et-0/0/0"}:  design.NNI,
		{"p1", "et-0/0/2"}:  design.NNI, // ospf
	}
	for k, r := range roles {
		if got, ok := inv.Interface(k[0], k[1]); !ok || got != r {
			t.Errorf("%s %s: role %q (present %v), want %q", k[0], k[1], got, ok, r)
		}
	}
	for _, k := range [][2]string{
		{"pe1", "fxp0"},     // management
		{"pe1", "lo0"},      // loopback
		{"pe3", "ge-0/0/2"}, // a plain routed port: neither
		{"p1", "et-0/0/5"},  // unused, but a P has no UNIs
	} {
		if _, ok := inv.Interface(k[0], k[1]); ok {
			t.Errorf("%s %s is in the design inventory", k[0], k[1])
		}
	}
	d, _ := inv.Device("pe1")
	if nni := d.Interfaces[0]; nni.Name != "xe-0/0/0" || nni.PeerAddress.String() != "10.0.1.1" {
		t.Errorf("pe1 first interface %+v, want xe-0/0/0 with peer 10.0.1.1", nni)
	}

	// A second run is a no-op.
	rep, err = l.inv.Prestage(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Count(inventory.Unchanged) != 4 {
		t.Fatalf("second run: %+v, want all unchanged", rep.Results)
	}

	// The unused UNI gets core config on the device: re-discovery and
	// prestaging turn it into an NNI, and only pe1 is re-synchronised.
	l.commit(t, "pe1",
		"set interfaces ge-1/0/3 unit 0 family inet address 10.0.9.0/31",
		"set interfaces ge-1/0/3 unit 0 family mpls",
		"set protocols isis interface ge-1/0/3.0",
		"set interfaces ge-1/0/4 unit 0 family inet address 192.0.2.1/24")
	if _, err := l.inv.Discover(ctx, labNet+"1"); err != nil {
		t.Fatal(err)
	}
	rep, err = l.inv.Prestage(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Count(inventory.Resynced) != 1 || rep.Count(inventory.Unchanged) != 3 {
		t.Fatalf("after change: %+v", rep.Results)
	}
	for _, r := range rep.Results {
		if r.Device == "pe1" && (r.Action != inventory.Resynced || len(r.Changes) != 2) {
			t.Errorf("pe1: %+v, want resynced with 2 interface changes", r)
		}
	}
	inv, _ = l.inv.Design(ctx)
	if r, _ := inv.Interface("pe1", "ge-1/0/3"); r != design.NNI {
		t.Errorf("pe1 ge-1/0/3 role %q after the change, want nni", r)
	}
	if _, ok := inv.Interface("pe1", "ge-1/0/4"); ok {
		t.Error("pe1 ge-1/0/4 carries routed config but is still offered")
	}
}

func TestPrestageExclusions(t *testing.T) {
	rules, err := inventory.ParseRules([]byte(`
exclude:
  - device: pe2
    reason: under maintenance
  - device: pe1
    interface: ge-1/0/[3-5]
`))
	if err != nil {
		t.Fatal(err)
	}
	l := startLab(t, rules)
	ctx := context.Background()
	if _, err := l.inv.Discover(ctx, labNet+"1-2"); err != nil {
		t.Fatal(err)
	}
	if _, err := l.inv.Prestage(ctx); err != nil {
		t.Fatal(err)
	}
	inv, err := l.inv.Design(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := inv.Device("pe2"); ok {
		t.Error("excluded pe2 is in the design inventory")
	}
	for _, name := range []string{"ge-1/0/3", "ge-1/0/4", "ge-1/0/5"} {
		if _, ok := inv.Interface("pe1", name); ok {
			t.Errorf("excluded pe1 %s is in the design inventory", name)
		}
	}
	if r, ok := inv.Interface("pe1", "ge-1/0/6"); !ok || r != design.UNI {
		t.Errorf("pe1 ge-1/0/6: %q %v, want uni", r, ok)
	}
	ps, _ := l.inv.Prestages(ctx)
	for _, p := range ps {
		if p.Device == "pe2" && (p.Qualified || p.Reason != "excluded by operator: under maintenance") {
			t.Errorf("pe2 prestage %+v", p)
		}
	}
}
