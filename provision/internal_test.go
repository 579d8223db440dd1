package provision

import (
	"context"
	"errors"
	"net/netip"
	"strings"
	"testing"

	"github.com/carrierkit/carrierkit/design"
	"github.com/carrierkit/carrierkit/device/devicetest"
	"github.com/carrierkit/carrierkit/pool"
	"github.com/carrierkit/carrierkit/store"
)

func TestTransitions(t *testing.T) {
	tests := []struct {
		from, to State
		ok       bool
	}{
		{Requested, Validated, true},
		{Requested, Invalid, true},
		{Requested, Deploying, false},
		{Validated, Deploying, true},
		{Validated, Deployed, false},
		{Deploying, Deployed, true},
		{Deploying, RolledBack, true},
		{Deploying, Failed, true},
		{Deploying, Verified, false},
		{Deployed, Verified, true},
		{Deployed, Deploying, true},
		{Verified, Decommissioning, true},
		{Decommissioning, Decommissioned, true},
		{Decommissioned, Deploying, false},
		{Invalid, Deploying, false},
		{Failed, RolledBack, true},
	}
	for _, tt := range tests {
		if got := CanTransition(tt.from, tt.to); got != tt.ok {
			t.Errorf("CanTransition(%s, %s) = %v, want %v", tt.from, tt.to, got, tt.ok)
		}
	}
}

// svc2 is a designed E-LINE between pe1 and pe2 with the given MTU.
func svc2(t *testing.T, mtu string, pe2if string) *design.Service {
	t.Helper()
	ctx := context.Background()
	m := pool.New(store.NewMemory())
	for _, s := range design.DefaultPools() {
		m.CreatePool(ctx, s)
	}
	var devs []design.Device
	for i, n := range []string{"pe1", "pe2"} {
		devs = append(devs, design.Device{Name: n, Platform: design.Platform{Vendor: "juniper", Model: "mx480", Series: "MX"},
			Loopback:   netip.AddrFrom4([4]byte{192, 0, 2, byte(i + 1)}),
			Interfaces: []design.Interface{{Name: "ge-0/0/1", Role: design.UNI}, {Name: "ge-0/0/2", Role: design.UNI}}})
	}
	inv, _ := design.NewInventory(devs)
	cat, _ := design.NewCatalog()
	def, _ := cat.Lookup(design.DefELineLDP)
	o := design.Order{Name: "e1", Definition: design.DefELineLDP, Attributes: design.Attributes{"mtu": mtu},
		Endpoints: []design.Endpoint{{Device: "pe1", Interface: "ge-0/0/1"}, {Device: "pe2", Interface: pe2if}}}
	s, err := design.Design(ctx, m, inv, def, &o)
	if err != nil {
		t.Fatal(err)
	}
	return &s
}

// TestChanges: a deploy adds, a decommission removes, a modify sends the
// removal and the addition in one change and skips unchanged devices.
func TestChanges(t *testing.T) {
	a, b, c := svc2(t, "9100", "ge-0/0/1"), svc2(t, "9000", "ge-0/0/1"), svc2(t, "9100", "ge-0/0/2")
	add, err := changes(nil, a)
	if err != nil || len(add) != 2 || strings.Contains(string(add[0].Data), "delete") {
		t.Fatalf("deploy changes: %v %q", err, add)
	}
	rm, _ := changes(a, nil)
	if len(rm) != 2 || strings.Contains(string(rm[0].Data), "set ") || !strings.Contains(string(rm[0].Data), "delete ") {
		t.Errorf("decommission changes: %q", rm)
	}
	mod, _ := changes(a, b)
	if len(mod) != 2 {
		t.Fatalf("mtu change touches %d devices, want 2", len(mod))
	}
	d := string(mod[0].Data)
	if i, j := strings.Index(d, "delete "), strings.Index(d, "mtu 9000"); i < 0 || j < i {
		t.Errorf("modify change is not removal then addition:\n%s", d)
	}
	// Moving pe2's end to another port changes pe2 only: pe1's pseudowire
	// still points at pe2's loopback.
	if mig, _ := changes(a, c); len(mig) != 1 || mig[0].Device != "pe2" || !strings.Contains(string(mig[0].Data), "ge-0/0/2.100") {
		t.Errorf("migrate changes: %q", mig)
	}
	if same, _ := changes(a, a); len(same) != 0 {
		t.Errorf("no-op modify changes %d devices", len(same))
	}
}

// TestOurCommits reads the rollback number from the commit history.
func TestOurCommits(t *testing.T) {
	hist := func(logs ...string) string {
		var b strings.Builder
		b.WriteString("<commit-information>")
		for _, l := range logs {
			b.WriteString("<commit-history><user>a</user>")
			if l != "" {
				b.WriteString("<log>" + l + "</log>")
			}
			b.WriteString("</commit-history>")
		}
		b.WriteString("</commit-information>")
		return b.String()
	}
	tests := []struct {
		name    string
		logs    []string
		want    int
		wantErr error
	}{
		{"never committed", []string{"", ""}, 0, nil},
		{"confirmed pending", []string{"carrierkit x#1 confirmed", ""}, 1, nil},
		{"confirmed and confirm", []string{"carrierkit x#1 confirm", "carrierkit x#1 confirmed", ""}, 2, nil},
		{"rolled back by itself", []string{autoRollbackLog, "carrierkit x#1 confirmed", ""}, 0, nil},
		{"already reverted", []string{"carrierkit x#1 rollback", "carrierkit x#1 confirmed", ""}, 0, nil},
		{"someone else on top", []string{"", "carrierkit x#1 confirm", "carrierkit x#1 confirmed"}, 0, errForeign},
		{"other operation", []string{"carrierkit x#2 confirmed", "carrierkit x#1 confirmed"}, 0, errForeign},
		{"prefix of another id", []string{"carrierkit x#11 confirmed", ""}, 0, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := devicetest.New("pe1")
			s.Reply("<get-commit-information/>", []byte(hist(tt.logs...)))
			got, err := (&Orchestrator{}).ourCommits(context.Background(), s, "x#1")
			if !errors.Is(err, tt.wantErr) || got != tt.want {
				t.Errorf("ourCommits = %d, %v; want %d, %v", got, err, tt.want, tt.wantErr)
			}
		})
	}
}
