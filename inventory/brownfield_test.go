package inventory_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/carrierkit/carrierkit/design"
	"github.com/carrierkit/carrierkit/inventory"
	"github.com/carrierkit/carrierkit/pool"
)

func TestBrownfieldImport(t *testing.T) {
	l := startLab(t, nil)
	ctx := context.Background()
	if _, err := l.inv.Discover(ctx, labNet+"1-5"); err != nil {
		t.Fatal(err)
	}
	if _, err := l.inv.Prestage(ctx); err != nil {
		t.Fatal(err)
	}
	pm := pool.New(l.st)
	for _, s := range design.DefaultPools() {
		if err := pm.CreatePool(ctx, s); err != nil {
			t.Fatal(err)
		}
	}
	rep, err := l.inv.ImportBrownfield(ctx, pm)
	if err != nil {
		t.Fatal(err)
	}

	// The services: the l2circuit pe1<->pe2, the VRF on three PEs, the
	// VPLS on two.
	svcs, err := l.inv.Services(ctx)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, s := range svcs {
		got[s.ID] = string(s.Type) + " " + strings.Join(s.Devices(), ",")
	}
	want := map[string]string{
		"e-line:5100":     "e-line pe1,pe2",
		"l3vpn:65000:100": "l3vpn pe1,pe2,pe3",
		"vpls:65000:300":  "vpls pe1,pe2",
	}
	if len(got) != len(want) {
		t.Fatalf("services %v, want %v", got, want)
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("service %s = %q, want %q", k, got[k], v)
		}
	}
	if s, err := l.inv.Service(ctx, "vpls:65000:300"); err != nil || s.Type != inventory.VPLS || len(s.Endpoints) != 2 || s.Endpoints[0].Instance != "VPLS-B" || s.Endpoints[1].RD != "65000:302" {
		t.Errorf("vpls record %+v, %v", s, err)
	}
	for _, s := range svcs {
		if s.ID == "e-line:5100" {
			if s.VCID != 5100 || len(s.Endpoints) != 2 || s.Endpoints[0].Interface != "ge-1/0/0.100" || s.Endpoints[0].VLAN != 100 || s.Name != "E-LINE to pe2" {
				t.Errorf("e-line record %+v", s)
			}
		}
	}

	// The values are held under the services' owners.
	c, err := pm.Lookup(ctx, "brownfield:service:l3vpn:65000:100")
	if err != nil {
		t.Fatal(err)
	}
	var held []string
	for _, it := range c.Items {
		held = append(held, it.Pool+" "+it.Scope+" "+it.Value.String())
	}
	for _, w := range []string{"rt  target:65000:100", "rd  65000:101", "rd  65000:102", "vlan pe1:ge-1/0/1 200", "vlan pe3:ge-0/0/1 400", "pe-ce-v4  100.64.0.0/31", "pe-ce-v4  100.64.0.4/31"} {
		if !slices.Contains(held, w) {
			t.Errorf("l3vpn claim lacks %q: %v", w, held)
		}
	}
	// pe3's RD has another administrator, its VLAN 4050 is outside
	// 100-3999: both reported, neither fatal.
	var skipped []string
	for _, s := range rep.Skipped {
		skipped = append(skipped, s.Pool+" "+s.Scope+" "+s.Value)
	}
	slices.Sort(skipped)
	if w := []string{"rd  10.255.0.3:103", "vlan pe3:ge-0/0/1 4050"}; !slices.Equal(skipped, w) {
		t.Errorf("skipped %v, want %v", skipped, w)
	}

	// A new E-LINE on the same UNIs gets another VLAN; asking for the
	// brownfield one is refused, naming the holder.
	dinv, err := l.inv.Design(ctx)
	if err != nil {
		t.Fatal(err)
	}
	cat, _ := design.NewCatalog()
	def, _ := cat.Lookup("eline-ldp")
	order := func(name string, vlan string) *design.Order {
		src := "name: " + name + "\ndefinition: eline-ldp\nendpoints:\n  - {device: pe1, interface: ge-1/0/0" + vlan + "}\n  - {device: pe2, interface: ge-1/0/0" + vlan + "}\n"
		o, err := design.DecodeOrder("order.yaml", []byte(src), design.FormatYAML)
		if err != nil {
			t.Fatal(err)
		}
		return o
	}
	svc, err := design.Design(ctx, pm, dinv, def, order("new-eline", ""))
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range svc.Devices {
		if v := d.Attachments[0].VLAN; v == 100 {
			t.Errorf("%s: new service got the brownfield VLAN 100", d.Device)
		}
		if vc := d.L2Circuits[0].VCID; vc == 5100 {
			t.Errorf("%s: new service got the brownfield VC ID", d.Device)
		}
	}
	_, err = design.Design(ctx, pm, dinv, def, order("clash", ", vlan: 100"))
	var pe *pool.Error
	if !errors.Is(err, pool.ErrTaken) || !errors.As(err, &pe) || pe.Holder != "brownfield:service:e-line:5100" {
		t.Fatalf("order on VLAN 100: %v, want taken by the brownfield e-line", err)
	}
	// An order on a port that is not a UNI is refused by design.
	bad := "name: bad\ndefinition: eline-ldp\nendpoints:\n  - {device: pe1, interface: fxp0}\n  - {device: pe2, interface: ge-1/0/0}\n"
	o, _ := design.DecodeOrder("order.yaml", []byte(bad), design.FormatYAML)
	if _, err := design.Design(ctx, pm, dinv, def, o); err == nil {
		t.Fatal("an order on fxp0 was accepted")
	}

	// Importing again changes nothing.
	rep2, err := l.inv.ImportBrownfield(ctx, pm)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep2.Claimed) != 0 || rep2.Unchanged == 0 {
		t.Errorf("second import claimed %v (unchanged %d)", rep2.Claimed, rep2.Unchanged)
	}
	if err := pm.Verify(ctx); err != nil {
		t.Fatal(err)
	}

	// carrierkit deploys the new E-LINE (as provisioning would): after
	// re-discovery it is recognised, but as managed by its order, and its
	// values stay with the order.
	loops := map[string]string{"pe1": "10.255.0.2", "pe2": "10.255.0.1"}
	for _, d := range svc.Devices {
		vlan, vc := d.Attachments[0].VLAN.String(), d.L2Circuits[0].VCID.String()
		l.commit(t, d.Device,
			"set interfaces ge-1/0/0 unit "+vlan+" encapsulation vlan-ccc vlan-id "+vlan,
			"set protocols l2circuit neighbor "+loops[d.Device]+" interface ge-1/0/0."+vlan+" virtual-circuit-id "+vc)
	}
	if _, err := l.inv.Discover(ctx, labNet+"1-2"); err != nil {
		t.Fatal(err)
	}
	if _, err := l.inv.Prestage(ctx); err != nil {
		t.Fatal(err)
	}
	rep3, err := l.inv.ImportBrownfield(ctx, pm)
	if err != nil {
		t.Fatal(err)
	}
	own, err := l.inv.Service(ctx, "e-line:"+svc.Devices[0].L2Circuits[0].VCID.String())
	if err != nil || own.ManagedBy != "new-eline" {
		t.Errorf("deployed service record %+v, %v: want managed by new-eline", own, err)
	}
	if held, _ := pm.Lookup(ctx, "new-eline"); len(held.Items) != 3 {
		t.Errorf("the order's claim changed: %+v", held.Items)
	}
	if old, _ := l.inv.Service(ctx, "e-line:5100"); old.ManagedBy != "" {
		t.Errorf("brownfield e-line marked managed by %q", old.ManagedBy)
	}
	if n := rep3.Claimed["vlan"]; n != 0 {
		t.Errorf("import after deploy claimed %d VLANs", n)
	}

	// The VLAN pool grows to hold pe3's VLAN 4050: the next import marks it.
	spec := design.DefaultPools()[0]
	spec.Ranges = []string{"100-4094"}
	if err := pm.UpdatePool(ctx, spec); err != nil {
		t.Fatal(err)
	}
	if _, err := l.inv.ImportBrownfield(ctx, pm); err != nil {
		t.Fatal(err)
	}
	c, _ = pm.Lookup(ctx, "brownfield:service:l3vpn:65000:100")
	if _, ok := c.Get("vlan:pe3:ge-0/0/1:4050"); !ok {
		t.Errorf("VLAN 4050 not marked after the pool grew: %+v", c.Items)
	}

	// The l2circuit is removed from pe2: the E-LINE record goes, pe1's end
	// stays marked under pe1's owner.
	l.commit(t, "pe2", "delete protocols l2circuit neighbor 10.255.0.1 interface ge-1/0/0.100")
	if _, err := l.inv.Discover(ctx, labNet+"2"); err != nil {
		t.Fatal(err)
	}
	if _, err := l.inv.ImportBrownfield(ctx, pm); err != nil {
		t.Fatal(err)
	}
	svcs, _ = l.inv.Services(ctx)
	for _, s := range svcs {
		if s.ID == "e-line:5100" {
			t.Errorf("e-line record %s survived the removal of one end", s.ID)
		}
	}
	c, err = pm.Lookup(ctx, "brownfield:pe1")
	if err != nil {
		t.Fatal(err)
	}
	if v, ok := c.Get("vcid:5100"); !ok || v.String() != "5100" {
		t.Errorf("pe1's claim %+v lacks vcid 5100", c.Items)
	}
	if _, err := pm.Lookup(ctx, "brownfield:service:e-line:5100"); !errors.Is(err, pool.ErrNoClaim) {
		t.Errorf("the gone service's claim: %v, want released", err)
	}
}

// Values move from a device's owner to a service's when the service's other
// end is discovered later.
func TestBrownfieldValuesMoveToService(t *testing.T) {
	l := startLab(t, nil)
	ctx := context.Background()
	pm := pool.New(l.st)
	for _, s := range design.DefaultPools() {
		if err := pm.CreatePool(ctx, s); err != nil {
			t.Fatal(err)
		}
	}
	step := func(spec string) *inventory.ImportReport {
		t.Helper()
		if _, err := l.inv.Discover(ctx, spec); err != nil {
			t.Fatal(err)
		}
		if _, err := l.inv.Prestage(ctx); err != nil {
			t.Fatal(err)
		}
		rep, err := l.inv.ImportBrownfield(ctx, pm)
		if err != nil {
			t.Fatal(err)
		}
		return rep
	}
	step(labNet + "1")
	c, err := pm.Lookup(ctx, "brownfield:pe1")
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := c.Get("vcid:5100"); !ok {
		t.Fatalf("pe1 alone: its owner lacks vcid 5100: %+v", c.Items)
	}
	if v, ok := c.Get("vlan:pe1:ge-1/0/0:100"); !ok || v.String() != "100" {
		t.Fatalf("pe1 alone: its owner lacks VLAN 100: %+v", c.Items)
	}
	rep := step(labNet + "2")
	if len(rep.Skipped) != 0 {
		t.Errorf("skipped %+v", rep.Skipped)
	}
	sc, err := pm.Lookup(ctx, "brownfield:service:e-line:5100")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"vcid:5100", "vlan:pe1:ge-1/0/0:100", "vlan:pe2:ge-1/0/0:100"} {
		if _, ok := sc.Get(name); !ok {
			t.Errorf("service owner lacks %s: %+v", name, sc.Items)
		}
	}
	c, _ = pm.Lookup(ctx, "brownfield:pe1")
	if _, ok := c.Get("vcid:5100"); ok {
		t.Error("pe1's owner still holds vcid 5100")
	}
	if err := pm.Verify(ctx); err != nil {
		t.Fatal(err)
	}
}
