package vnf

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/carrierkit/carrierkit/device"
)

func TestPlace(t *testing.T) {
	t.Parallel()
	cat := testCatalog(t)
	first, err := Place(testHost(), nil, threeChain(), cat)
	if err != nil {
		t.Fatal(err)
	}
	if first.VCPUs != 4 || first.MemoryMB != 7168 || first.DiskGB != 26 {
		t.Fatalf("three-chain uses %d vcpus %d MiB %d GB, want 4, 7168, 26", first.VCPUs, first.MemoryMB, first.DiskGB)
	}
	second := Chain{Tenant: "globex", Name: "fw", LAN: "ge-0/0/2", WAN: "ge-0/0/3", FirstVLAN: 201,
		Functions: []Function{{VNF: "vrouter"}}}
	tests := []struct {
		name    string
		host    func(*Host)
		chain   func(*Chain)
		wantErr error
		fit     *FitError
	}{
		{name: "fits beside the first"},
		{name: "too many vcpus", chain: func(c *Chain) { c.Functions[0].VCPUs = 3 }, wantErr: ErrNoFit,
			fit: &FitError{Host: "nfx1", Tenant: "globex", Chain: "fw", Resource: "vcpus", Need: 3, Free: 2}},
		{name: "too much memory", chain: func(c *Chain) { c.Functions[0].MemoryMB = 10000 }, wantErr: ErrNoFit,
			fit: &FitError{Host: "nfx1", Tenant: "globex", Chain: "fw", Resource: "memory MiB", Need: 10000, Free: 9216}},
		{name: "too little disk", host: func(h *Host) { h.DiskGB = 27 }, wantErr: ErrNoFit,
			fit: &FitError{Host: "nfx1", Tenant: "globex", Chain: "fw", Resource: "disk GB", Need: 2, Free: 1}},
		{name: "port taken by first chain", chain: func(c *Chain) { c.LAN = "ge-0/0/1" }, wantErr: ErrNoFit,
			fit: &FitError{Host: "nfx1", Tenant: "globex", Chain: "fw", Resource: "port ge-0/0/1", Need: 1, Free: 0}},
		{name: "port not on host", chain: func(c *Chain) { c.WAN = "ge-0/0/9" }, wantErr: ErrNoFit,
			fit: &FitError{Host: "nfx1", Tenant: "globex", Chain: "fw", Resource: "port ge-0/0/9", Need: 1, Free: 0}},
		{name: "vlan overlap", chain: func(c *Chain) { c.FirstVLAN = 104 }, wantErr: ErrNoFit,
			fit: &FitError{Host: "nfx1", Tenant: "globex", Chain: "fw", Resource: "vlan 104", Need: 1, Free: 0}},
		{name: "same name other tenant is fine", chain: func(c *Chain) { c.Name = "branch" }},
		{name: "same tenant and name", chain: func(c *Chain) { c.Tenant, c.Name = "acme", "branch" }, wantErr: ErrExists},
		{name: "unknown vnf", chain: func(c *Chain) { c.Functions[0].VNF = "nope" }, wantErr: ErrNotFound},
		{name: "unknown version", chain: func(c *Chain) { c.Functions[0].Version = "9" }, wantErr: ErrNotFound},
		{name: "scaled below descriptor", chain: func(c *Chain) { c.Functions[0].MemoryMB = 512 }, wantErr: ErrInvalid},
		{name: "hostile tenant", chain: func(c *Chain) { c.Tenant = "a;b" }, wantErr: ErrInvalid},
		{name: "underscore in chain name", chain: func(c *Chain) { c.Name = "a_b" }, wantErr: ErrInvalid},
		{name: "hostile port", chain: func(c *Chain) { c.LAN = "ge-0/0/2 unit 5" }, wantErr: ErrInvalid},
		{name: "site with newline", chain: func(c *Chain) { c.Site = "x\nset system" }, wantErr: ErrInvalid},
		{name: "LAN equals WAN", chain: func(c *Chain) { c.WAN = c.LAN }, wantErr: ErrInvalid},
		{name: "no functions", chain: func(c *Chain) { c.Functions = nil }, wantErr: ErrInvalid},
		{name: "vlans past 4094", chain: func(c *Chain) { c.FirstVLAN = 4094 }, wantErr: ErrInvalid},
		{name: "bad host port", host: func(h *Host) { h.Ports = append(h.Ports, "eth0\n") }, wantErr: ErrInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			h := testHost()
			h.Ports = slices.Clone(h.Ports)
			if tt.host != nil {
				tt.host(&h)
			}
			c := second
			c.Functions = slices.Clone(second.Functions)
			if tt.chain != nil {
				tt.chain(&c)
			}
			p, err := Place(h, []Plan{first}, c, cat)
			if !errors.Is(err, tt.wantErr) || (tt.wantErr == nil) != (err == nil) {
				t.Fatalf("Place: %v, want %v", err, tt.wantErr)
			}
			if tt.fit != nil {
				var fe *FitError
				if !errors.As(err, &fe) {
					t.Fatalf("error %v is not a *FitError", err)
				}
				if d := cmp.Diff(tt.fit, fe); d != "" {
					t.Errorf("FitError (-want +got):\n%s", d)
				}
			}
			if err == nil && (len(p.Instances) != len(c.Functions) || len(p.VLANs) != len(c.Functions)+1) {
				t.Errorf("plan has %d instances, %d vlans", len(p.Instances), len(p.VLANs))
			}
		})
	}
}

func TestPlaceResolvesNewestVersion(t *testing.T) {
	t.Parallel()
	c := threeChain()
	c.Functions[1].Version = ""
	p, err := Place(testHost(), nil, c, testCatalog(t))
	if err != nil {
		t.Fatal(err)
	}
	if got := p.Chain.Functions[1].Version; got != "21.2" {
		t.Errorf("placed vsrx %q, want the newest 21.2", got)
	}
	if c.Functions[1].Version != "" {
		t.Error("Place changed its input chain")
	}
}

// fakeSession records calls and fails the first call of op failOp.
type fakeSession struct {
	failOp string
	ops    []string
}

func (f *fakeSession) do(op string) error {
	f.ops = append(f.ops, op)
	if op == f.failOp {
		return device.NewRejected("nfx1", op, []device.Issue{{Message: "refused by test"}}, "")
	}
	return nil
}
func (f *fakeSession) Get(context.Context, device.Query) ([]byte, error)  { return nil, f.do("get") }
func (f *fakeSession) Load(context.Context, device.Change) error          { return f.do("load") }
func (f *fakeSession) Commit(context.Context, device.CommitOptions) error { return f.do("commit") }
func (f *fakeSession) Rollback(context.Context, int) error                { return f.do("rollback") }

func TestManagerRollsBackRefusedChanges(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		failOp  string
		op      func(context.Context, *Manager) error
		wantOps []string
		reason  string
	}{
		{name: "deploy refused at load", failOp: "load", op: deployOther, wantOps: []string{"load", "rollback"},
			reason: "Junos keeps what it accepted of a refused load, so the candidate is rolled back"},
		{name: "deploy refused at commit", failOp: "commit", op: deployOther, wantOps: []string{"load", "commit", "rollback"}},
		{name: "update refused at commit", failOp: "commit", wantOps: []string{"load", "load", "commit", "rollback"},
			op: func(ctx context.Context, m *Manager) error {
				_, err := m.Scale(ctx, "acme", "branch", 0, 2, 0)
				return err
			}},
		{name: "remove refused at commit", failOp: "commit", wantOps: []string{"load", "commit", "rollback"},
			op: func(ctx context.Context, m *Manager) error { return m.Remove(ctx, "acme", "branch") }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			cat := testCatalog(t)
			first, err := Place(testHost(), nil, threeChain(), cat)
			if err != nil {
				t.Fatal(err)
			}
			f := &fakeSession{failOp: tt.failOp}
			m, err := New(f, testHost(), cat, first)
			if err != nil {
				t.Fatal(err)
			}
			err = tt.op(context.Background(), m)
			var rej *device.RejectedError
			if !errors.As(err, &rej) {
				t.Fatalf("error %v is not the device's refusal", err)
			}
			if d := cmp.Diff(tt.wantOps, f.ops); d != "" {
				t.Errorf("calls (-want +got):\n%s", d)
			}
			// The record is unchanged: the first chain only, as placed.
			got := m.Chains("acme")
			if len(got) != 1 || got[0].VCPUs != first.VCPUs || len(m.Chains("globex")) != 0 {
				t.Errorf("record changed by a refused change: %+v", got)
			}
		})
	}
}

func deployOther(ctx context.Context, m *Manager) error {
	_, err := m.Deploy(ctx, Chain{Tenant: "globex", Name: "fw", LAN: "ge-0/0/2", WAN: "ge-0/0/3", FirstVLAN: 201,
		Functions: []Function{{VNF: "vrouter"}}})
	return err
}

func TestParseState(t *testing.T) {
	t.Parallel()
	in := `<vnf-information xmlns="x"><vnf-instance><id>1</id><name>acme_br_1-vsrx</name><state>Running</state>
<liveliness>alive</liveliness><vcpus>2</vcpus><max-mem>4194304</max-mem></vnf-instance>
<vnf-instance><id>2</id><name>centos1</name><state>Shutdown</state><liveliness>down</liveliness></vnf-instance></vnf-information>`
	got, err := ParseState([]byte(in))
	if err != nil {
		t.Fatal(err)
	}
	want := []State{
		{Chain: "acme/br", Instance: "acme_br_1-vsrx", State: "Running", Liveliness: "alive", VCPUs: 2, MemoryKiB: 4194304},
		{Instance: "centos1", State: "Shutdown", Liveliness: "down"},
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
	if !got[0].Running() || got[1].Running() {
		t.Error("Running wrong")
	}
	if _, err := ParseState([]byte("<vnf-information><vnf-instance>")); !errors.Is(err, ErrInvalid) {
		t.Errorf("truncated reply: %v", err)
	}
}
