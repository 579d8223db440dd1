package vnf

import (
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/carrierkit/carrierkit/device"
)

// Session is what a Manager needs from a device: read state, stage a change,
// commit it, and discard it when something fails. A device.Session satisfies
// it (device/netconf against an NFX or the simulator's nfx250).
type Session interface {
	Get(ctx context.Context, q device.Query) ([]byte, error)
	Load(ctx context.Context, c device.Change) error
	Commit(ctx context.Context, o device.CommitOptions) error
	Rollback(ctx context.Context, n int) error
}

var _ Session = device.Session(nil)

// ErrNotRunning: a change was committed but the device did not start one of
// the chain's VNFs, or one crashed; the change was rolled back. The error
// names each such VNF with the state the device reports.
var ErrNotRunning = errors.New("vnf: not running")

// Manager runs the lifecycle of the service chains on one NFX: deploy,
// update, scale, remove, and reading their state back. Every change is
// placed first (so a chain that does not fit never reaches the device),
// loaded as XML and committed in one commit; a refused load or commit is
// rolled back. After a deploy, update or scale commits, the Manager reads
// the VNF states once: if the device did not start one of the chain's VNFs
// (it reports it "Shutdown": no room left, an image it cannot boot) or one
// crashed, the Manager takes its commit back (rollback 1 and a second
// commit, so the device is exactly as before) and the error
// (ErrNotRunning) names them. A VNF that runs but is not alive yet (its
// guest still booting) does not fail the change; [Manager.State] shows when
// it is. The Manager's record changes only after a change succeeded; if
// taking a commit back fails as well, the error says so and the device may
// still hold the change.
//
// The Manager's record of placed chains lives in memory; callers that need
// it across restarts keep the Plans (Chains) and pass them to New.
//
// A Manager is safe for concurrent use; changes are serialized.
type Manager struct {
	mu    sync.Mutex
	s     Session
	host  Host
	cat   *Catalog
	plans []Plan
}

// New returns a Manager for the NFX reached by s, with capacity h, placing
// functions from cat. placed are chains already on the device (nil for none).
// Errors wrap ErrInvalid.
func New(s Session, h Host, cat *Catalog, placed ...Plan) (*Manager, error) {
	if s == nil || cat == nil {
		return nil, fmt.Errorf("vnf: new manager: nil session or catalog: %w", ErrInvalid)
	}
	if err := h.Validate(); err != nil {
		return nil, err
	}
	return &Manager{s: s, host: h, cat: cat, plans: slices.Clone(placed)}, nil
}

// Deploy places c beside the chains deployed already, commits its
// configuration and checks that the device runs its VNFs. Errors:
// ErrInvalid, ErrNotFound, ErrExists, a *FitError (ErrNoFit) — all before
// the device is touched — or the device's error (a *device.RejectedError
// when it refuses), after which the candidate is rolled back; or
// ErrNotRunning, after which the commit is rolled back.
func (m *Manager) Deploy(ctx context.Context, c Chain) (Plan, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	p, err := Place(m.host, m.plans, c, m.cat)
	if err != nil {
		return Plan{}, err
	}
	add, err := Render(p)
	if err != nil {
		return Plan{}, err
	}
	op := "deploy " + c.Tenant + "/" + c.Name
	if err := m.apply(ctx, op, add.XML); err != nil {
		return Plan{}, err
	}
	if err := m.verify(ctx, op, p); err != nil {
		return Plan{}, err
	}
	m.plans = append(m.plans, p)
	return p, nil
}

// Update replaces the tenant's chain of c's name with c (other functions,
// versions, sizes or VLANs) in one commit. Errors are Deploy's, and
// ErrNotFound when the tenant has no such chain; after ErrNotRunning the
// device has the chain as it was.
func (m *Manager) Update(ctx context.Context, c Chain) (Plan, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.update(ctx, c, "update")
}

func (m *Manager) update(ctx context.Context, c Chain, op string) (Plan, error) {
	i := m.find(c.Tenant, c.Name)
	if i < 0 {
		return Plan{}, fmt.Errorf("vnf: %s chain %s/%s: %w", op, c.Tenant, c.Name, ErrNotFound)
	}
	others := slices.Delete(slices.Clone(m.plans), i, i+1)
	p, err := Place(m.host, others, c, m.cat)
	if err != nil {
		return Plan{}, err
	}
	del, err := RenderRemoval(m.plans[i])
	if err != nil {
		return Plan{}, err
	}
	add, err := Render(p)
	if err != nil {
		return Plan{}, err
	}
	op += " " + c.Tenant + "/" + c.Name
	if err := m.apply(ctx, op, del.XML, add.XML); err != nil {
		return Plan{}, err
	}
	if err := m.verify(ctx, op, p); err != nil {
		return Plan{}, err
	}
	m.plans[i] = p
	return p, nil
}

// Scale sets the vCPUs and memory of function fn (0-based) of the tenant's
// chain; zero keeps the descriptor's size. Errors are Update's, and
// ErrInvalid when fn is out of range.
func (m *Manager) Scale(ctx context.Context, tenant, chain string, fn, vcpus, memoryMB int) (Plan, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	i := m.find(tenant, chain)
	if i < 0 {
		return Plan{}, fmt.Errorf("vnf: scale chain %s/%s: %w", tenant, chain, ErrNotFound)
	}
	c := m.plans[i].Chain
	if fn < 0 || fn >= len(c.Functions) {
		return Plan{}, fmt.Errorf("vnf: scale chain %s/%s: function %d of %d: %w", tenant, chain, fn, len(c.Functions), ErrInvalid)
	}
	c.Functions = slices.Clone(c.Functions)
	c.Functions[fn].VCPUs, c.Functions[fn].MemoryMB = vcpus, memoryMB
	return m.update(ctx, c, "scale")
}

// Remove deletes the tenant's chain from the device and frees its capacity.
// Errors: ErrNotFound (no such chain for this tenant; another tenant's
// chain of that name is never touched), or the device's error.
func (m *Manager) Remove(ctx context.Context, tenant, chain string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	i := m.find(tenant, chain)
	if i < 0 {
		return fmt.Errorf("vnf: remove chain %s/%s: %w", tenant, chain, ErrNotFound)
	}
	del, err := RenderRemoval(m.plans[i])
	if err != nil {
		return err
	}
	if err := m.apply(ctx, "remove "+tenant+"/"+chain, del.XML); err != nil {
		return err
	}
	m.plans = slices.Delete(m.plans, i, i+1)
	return nil
}

// Chains returns the tenant's placed chains, in deployment order.
func (m *Manager) Chains(tenant string) []Plan {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []Plan
	for _, p := range m.plans {
		if p.Chain.Tenant == tenant {
			out = append(out, p)
		}
	}
	return out
}

func (m *Manager) find(tenant, chain string) int {
	return slices.IndexFunc(m.plans, func(p Plan) bool { return p.Chain.Tenant == tenant && p.Chain.Name == chain })
}

func (m *Manager) apply(ctx context.Context, op string, docs ...[]byte) error {
	var err error
	for _, d := range docs {
		if err = m.s.Load(ctx, device.Change{Format: device.XML, Data: d}); err != nil {
			break
		}
	}
	if err == nil {
		err = m.s.Commit(ctx, device.CommitOptions{Comment: "carrierkit vnf: " + op})
	}
	if err != nil {
		if rerr := m.s.Rollback(ctx, 0); rerr != nil {
			err = errors.Join(err, fmt.Errorf("roll back: %w", rerr))
		}
		return fmt.Errorf("vnf: %s on %q: %w", op, m.host.Name, err)
	}
	return nil
}

// verify reads the VNF states after op committed p and, when one of p's
// VNFs is not running or the states cannot be read, takes the commit back
// (rollback 1 and commit), so the device is as it was before op.
func (m *Manager) verify(ctx context.Context, op string, p Plan) error {
	b, err := m.s.Get(ctx, device.RPCQuery("<get-virtual-network-functions-information/>"))
	var all []State
	if err == nil {
		all, err = ParseState(b)
	}
	if err != nil {
		err = fmt.Errorf("vnf: %s on %q: reading the VNF states: %w", op, m.host.Name, err)
	} else if bad := notRunning(p, all); bad != "" {
		err = fmt.Errorf("vnf: %s on %q: %s: %w", op, m.host.Name, bad, ErrNotRunning)
	}
	if err == nil {
		return nil
	}
	rerr := m.s.Rollback(ctx, 1)
	if rerr == nil {
		rerr = m.s.Commit(ctx, device.CommitOptions{Comment: "carrierkit vnf: roll back " + op})
	}
	if rerr != nil {
		if r0 := m.s.Rollback(ctx, 0); r0 != nil {
			rerr = errors.Join(rerr, r0)
		}
		return errors.Join(err, fmt.Errorf("roll back: %w", rerr))
	}
	return fmt.Errorf("%w; rolled back", err)
}

// notRunning lists the instances of p that all does not show as running,
// with their state and the device's reason ("" when every one runs). A VNF that runs
// but is not alive yet counts as running: its guest may still be booting.
func notRunning(p Plan, all []State) string {
	var bad []string
	for _, in := range p.Instances {
		i := slices.IndexFunc(all, func(s State) bool { return s.Instance == in.Name })
		switch {
		case i < 0:
			bad = append(bad, in.Name+" is not reported by the device")
		case all[i].State != "Running":
			d := in.Name + " is " + all[i].State
			if all[i].Reason != "" {
				d += " (" + all[i].Reason + ")"
			}
			bad = append(bad, d)
		}
	}
	return strings.Join(bad, ", ")
}

// State is one VNF as the NFX reports it.
type State struct {
	// Chain is the chain it belongs to; Instance its name on the device.
	Chain, Instance string
	// State ("Running", "Shutdown" …) and Liveliness ("alive", "down")
	// are the device's words.
	State, Liveliness string
	// VCPUs and MemoryKiB are what it runs with, when reported.
	VCPUs, MemoryKiB int
	// Reason is why it is not running and alive, when the device says
	// (vnf_err_str); "" otherwise.
	Reason string
}

// Running reports whether the VNF is running and alive.
func (s State) Running() bool { return s.State == "Running" && s.Liveliness == "alive" }

// State reads get-virtual-network-functions-information and returns the
// tenant's VNFs in the device's order; other tenants' VNFs are left out.
// Errors are the device's, or a parse error naming the reply.
func (m *Manager) State(ctx context.Context, tenant string) ([]State, error) {
	b, err := m.s.Get(ctx, device.RPCQuery("<get-virtual-network-functions-information/>"))
	if err != nil {
		return nil, fmt.Errorf("vnf: state of %q: %w", m.host.Name, err)
	}
	all, err := ParseState(b)
	if err != nil {
		return nil, fmt.Errorf("vnf: state of %q: %w", m.host.Name, err)
	}
	var out []State
	for _, s := range all {
		if t, _, ok := strings.Cut(s.Chain, "/"); ok && t == tenant {
			out = append(out, s)
		}
	}
	return out, nil
}

// ParseState parses a vnf-information reply. Instances named as this package
// names them (tenant_chain_N-vnf) get Chain "tenant/chain"; others none.
// Errors wrap ErrInvalid.
func ParseState(b []byte) ([]State, error) {
	var doc struct {
		Instances []struct {
			Name       string `xml:"name"`
			State      string `xml:"state"`
			Liveliness string `xml:"liveliness"`
			VCPUs      string `xml:"vcpus"`
			MaxMem     string `xml:"max-mem"`
			Err        string `xml:"vnf_err_str"`
		} `xml:"vnf-instance"`
	}
	if err := xml.Unmarshal(b, &doc); err != nil {
		return nil, fmt.Errorf("vnf: parse vnf-information: %w: %w", ErrInvalid, err)
	}
	out := make([]State, 0, len(doc.Instances))
	for _, in := range doc.Instances {
		s := State{Instance: strings.TrimSpace(in.Name), State: strings.TrimSpace(in.State), Liveliness: strings.TrimSpace(in.Liveliness),
			Reason: strings.TrimSpace(in.Err)}
		s.VCPUs, _ = strconv.Atoi(strings.TrimSpace(in.VCPUs))
		s.MemoryKiB, _ = strconv.Atoi(strings.TrimSpace(in.MaxMem))
		if parts := strings.SplitN(s.Instance, "_", 3); len(parts) == 3 {
			s.Chain = parts[0] + "/" + parts[1]
		}
		out = append(out, s)
	}
	return out, nil
}
