package inventory

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/netip"
	"slices"
	"strconv"
	"strings"

	"github.com/carrierkit/carrierkit/design"
	"github.com/carrierkit/carrierkit/pool"
	"github.com/carrierkit/carrierkit/store"
)

// OwnerPrefix starts every pool owner key brownfield import claims under:
// "brownfield:<device>" for values of no recognised service,
// "brownfield:service:<id>" for a recognised service's.
const OwnerPrefix = "brownfield:"

// probeOwner is the owner dry runs are made for; it is outside OwnerPrefix
// and never holds anything (Preview keeps nothing).
const probeOwner = "inventory-dry-run"

// ServiceType is the kind of a recognised service.
type ServiceType string

// Service types.
const (
	ELine ServiceType = "e-line" // an l2circuit whose two ends name each other
	VPLS  ServiceType = "vpls"   // vpls instances sharing a vpls-id or route target
	L3VPN ServiceType = "l3vpn"  // vrf instances sharing route targets
)

// Endpoint is one device's part of a recognised service.
type Endpoint struct {
	Device    string `json:"device"`
	Interface string `json:"interface"` // logical, "ge-1/0/0.100"
	VLAN      int    `json:"vlan,omitempty"`
	Instance  string `json:"instance,omitempty"`
	RD        string `json:"rd,omitempty"`
	// Neighbor is, for an E-LINE end, the remote PE address it names.
	Neighbor netip.Addr     `json:"neighbor,omitzero"`
	Address  []netip.Prefix `json:"address,omitempty"`
}

// Service is a service found configured in the network, stored under
// inventory/service/<ID>.
type Service struct {
	// ID is "e-line:<vcid>", "vpls:<vpls-id or first RT>" or
	// "l3vpn:<first RT>".
	ID        string      `json:"id"`
	Type      ServiceType `json:"type"`
	Name      string      `json:"name,omitempty"` // instance name or interface description
	Endpoints []Endpoint  `json:"endpoints"`
	VCID      uint64      `json:"vcid,omitempty"`
	RTs       []string    `json:"rts,omitempty"`
	// Owner is the pool owner its values are claimed under.
	Owner string `json:"owner"`
	// ManagedBy is set when the values were already held by another owner
	// (the carrierkit order that deployed the service): the service is not
	// brownfield then.
	ManagedBy string `json:"managedBy,omitempty"`
}

// Devices returns the names of the devices the service spans.
func (s *Service) Devices() []string {
	var out []string
	for _, e := range s.Endpoints {
		out = append(out, e.Device)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// Skipped is a configured value that could not be marked in a pool.
type Skipped struct {
	Owner string
	Pool  string
	Scope string
	Value string
	// Reason: "out of range", "held by <owner>", "not a value of the pool",
	// "no pool <name>".
	Reason string
	// Holder is the owner holding Value, for "held by".
	Holder string
}

// ImportReport is the outcome of ImportBrownfield.
type ImportReport struct {
	Services []Service
	// Claimed counts the values marked per pool; Skipped lists the others.
	Claimed map[string]int
	Skipped []Skipped
	// Unchanged counts owners whose claim was already what the network
	// shows.
	Unchanged int
}

// ImportBrownfield reads every stored device's configuration, recognises
// services spanning several devices, and marks what is configured as used
// in pools (design's pool names, see design.DefaultPools): VLANs of UNI
// units (scope "device:interface"), l2circuit VC IDs and VPLS IDs, RDs and
// RTs of routing instances, and the PE–CE subnets of UNI units. Values a
// pool cannot hold (outside its ranges, another administrator) and values
// another owner holds (carrierkit's own services) are reported in Skipped,
// never fatal. Prestage first, so that UNIs are known.
//
// Running it again with nothing changed claims nothing; an owner whose
// values changed has its claim released and claimed anew, and owners whose
// services disappeared are released. Service records are replaced in one
// store transaction.
func (inv *Inventory) ImportBrownfield(ctx context.Context, pm *pool.Manager) (*ImportReport, error) {
	devs, err := inv.Devices(ctx)
	if err != nil {
		return nil, err
	}
	pres, err := inv.Prestages(ctx)
	if err != nil {
		return nil, err
	}
	uni := map[string]bool{} // "device:ifname"
	for _, p := range pres {
		for _, q := range p.Interfaces {
			if q.Role == design.UNI {
				uni[p.Device+":"+q.Interface] = true
			}
		}
	}
	cfgs := map[string]*config{}
	byLoop := map[netip.Addr]string{}
	for i := range devs {
		c, err := devs[i].config()
		if err != nil {
			return nil, err
		}
		cfgs[devs[i].Name] = c
		if devs[i].Loopback.IsValid() {
			byLoop[devs[i].Loopback] = devs[i].Name
		}
	}
	services := recognise(devs, cfgs, byLoop)

	// owner → requests; each value goes to the service that uses it, or to
	// the device.
	reqs := map[string][]pool.Request{}
	taken := map[string]bool{} // "pool\x00scope\x00value" already requested
	add := func(owner, poolName, scope, value string) {
		k := poolName + "\x00" + scope + "\x00" + value
		if taken[k] {
			return
		}
		taken[k] = true
		name := poolName + ":" + value
		if scope != "" {
			name = poolName + ":" + scope + ":" + value
		}
		reqs[owner] = append(reqs[owner], pool.Request{Name: name, Pool: poolName, Scope: scope, Value: value})
	}
	unitVLAN := func(owner, dev, logical string) {
		phys, _, _ := strings.Cut(logical, ".")
		if !uni[dev+":"+phys] {
			return
		}
		_, u := cfgs[dev].unit(logical)
		if u == nil {
			return
		}
		if u.VLAN > 0 {
			add(owner, design.PoolVLAN, dev+":"+phys, strconv.Itoa(u.VLAN))
		}
		for _, p := range u.Addresses {
			pn := design.PoolPECE4
			if p.Addr().Is6() {
				pn = design.PoolPECE6
			}
			add(owner, pn, "", p.Masked().String())
		}
	}
	for i := range services {
		s := &services[i]
		s.Owner = OwnerPrefix + "service:" + s.ID
		if s.VCID != 0 {
			add(s.Owner, design.PoolVCID, "", strconv.FormatUint(s.VCID, 10))
		}
		for _, rt := range s.RTs {
			add(s.Owner, design.PoolRT, "", strings.TrimPrefix(rt, "target:"))
		}
		for _, e := range s.Endpoints {
			if e.RD != "" {
				add(s.Owner, design.PoolRD, "", e.RD)
			}
			unitVLAN(s.Owner, e.Device, e.Interface)
		}
	}
	// What no service claimed stays with its device.
	for _, d := range devs {
		c := cfgs[d.Name]
		owner := OwnerPrefix + d.Name
		for _, l := range c.L2Circuits {
			add(owner, design.PoolVCID, "", strconv.FormatUint(l.VCID, 10))
		}
		for _, ri := range c.Instances {
			if ri.RD != "" {
				add(owner, design.PoolRD, "", ri.RD)
			}
			for _, rt := range append(slices.Clone(ri.Import), ri.Export...) {
				add(owner, design.PoolRT, "", strings.TrimPrefix(rt, "target:"))
			}
		}
		for _, name := range sortedIfaces(c) {
			for _, u := range c.Interfaces[name].Units {
				unitVLAN(owner, d.Name, name+"."+u.Name)
			}
		}
	}

	rep := &ImportReport{Claimed: map[string]int{}}
	owners := make([]string, 0, len(reqs))
	for o := range reqs {
		owners = append(owners, o)
	}
	slices.Sort(owners)

	// Owners that no longer exist are released first. A changed owner is
	// released and claimed again at once, one owner at a time, so that a
	// value stays free only for the moment between the two; device owners
	// go before service owners, since values move from a device to a
	// service when its other end appears. A value still held by another
	// brownfield owner that is yet to change is retried after it.
	held, err := pm.Claims(ctx, OwnerPrefix)
	if err != nil {
		return nil, fmt.Errorf("inventory: brownfield: %w", err)
	}
	isHeld := map[string]bool{}
	for _, c := range held {
		isHeld[c.Owner] = true
	}
	lastDigest := map[string]string{}
	if err := inv.st.List(ctx, importPrefix, func(it store.Item) error {
		lastDigest[strings.TrimPrefix(it.Key, importPrefix)] = string(it.Value)
		return nil
	}); err != nil {
		return nil, err
	}
	// An owner is redone when its requests or the pools' specs changed
	// (a pool grown to hold a value skipped before).
	specs, err := pm.Pools(ctx)
	if err != nil {
		return nil, fmt.Errorf("inventory: brownfield: %w", err)
	}
	specJSON, _ := json.Marshal(specs)
	digests := map[string]string{}
	var todo []string
	for _, o := range owners {
		b, _ := json.Marshal(reqs[o])
		digests[o] = digest(append(b, specJSON...))
		if lastDigest[o] != digests[o] {
			todo = append(todo, o)
		} else {
			rep.Unchanged++
		}
	}
	slices.SortStableFunc(todo, func(a, b string) int {
		return cmpBool(strings.HasPrefix(a, OwnerPrefix+"service:"), strings.HasPrefix(b, OwnerPrefix+"service:"))
	})
	for _, c := range held {
		if _, want := reqs[c.Owner]; !want {
			if _, err := pm.Release(ctx, c.Owner); err != nil && !errors.Is(err, pool.ErrNoClaim) {
				return nil, fmt.Errorf("inventory: brownfield: %w", err)
			}
		}
	}
	var ops []store.Op
	for o := range lastDigest {
		if _, want := reqs[o]; !want {
			ops = append(ops, store.Delete(importPrefix+o))
		}
	}
	pending := map[string]bool{}
	for _, o := range todo {
		pending[o] = true
	}
	results := map[string][]Skipped{}
	claimed := map[string]pool.Claim{}
	run := func(o string) error {
		if isHeld[o] {
			if _, err := pm.Release(ctx, o); err != nil && !errors.Is(err, pool.ErrNoClaim) {
				return fmt.Errorf("inventory: brownfield: %w", err)
			}
		}
		c, skipped, err := claimSkipping(ctx, pm, o, reqs[o])
		if err != nil {
			return fmt.Errorf("inventory: brownfield: %w", err)
		}
		isHeld[o] = len(c.Items) > 0
		delete(pending, o)
		results[o], claimed[o] = skipped, c
		return nil
	}
	var retry []string
	for _, o := range todo {
		if err := run(o); err != nil {
			return nil, err
		}
		for _, sk := range results[o] {
			if pending[sk.Holder] {
				retry = append(retry, o)
				break
			}
		}
	}
	for _, o := range retry {
		if err := run(o); err != nil {
			return nil, err
		}
	}
	for _, o := range todo {
		rep.Skipped = append(rep.Skipped, results[o]...)
		for _, it := range claimed[o].Items {
			rep.Claimed[it.Pool]++
		}
		if !slices.ContainsFunc(results[o], func(s Skipped) bool { return s.Holder != "" }) {
			ops = append(ops, store.Put(importPrefix+o, []byte(digests[o])))
		} else {
			// Try again next time: what another owner holds now may be
			// released by then.
			ops = append(ops, store.Delete(importPrefix+o))
		}
	}
	// A service every value of which another (non-brownfield) owner holds
	// is one carrierkit deployed itself.
	for i := range services {
		s := &services[i]
		sk, ran := results[s.Owner]
		if !ran {
			continue
		}
		holder := ""
		for _, x := range sk {
			if holder == "" {
				holder = x.Holder
			}
			if x.Holder == "" || x.Holder != holder || strings.HasPrefix(x.Holder, OwnerPrefix) {
				holder = ""
				break
			}
		}
		if len(claimed[s.Owner].Items) == 0 && holder != "" {
			s.ManagedBy = holder
		}
	}

	// Service records: replace the set.
	want := map[string]bool{}
	for _, s := range services {
		b, err := json.Marshal(s)
		if err != nil {
			return nil, err
		}
		want[ServicePrefix+s.ID] = true
		ops = append(ops, store.Put(ServicePrefix+s.ID, b))
	}
	if err := inv.st.List(ctx, ServicePrefix, func(it store.Item) error {
		if !want[it.Key] {
			ops = append(ops, store.Delete(it.Key))
		}
		return nil
	}); err != nil {
		return nil, err
	}
	if len(ops) > 0 {
		if _, err := inv.st.Txn(ctx, nil, ops); err != nil {
			return nil, fmt.Errorf("inventory: brownfield: store services: %w", err)
		}
	}
	rep.Services = services
	return rep, nil
}

// claimSkipping claims reqs for owner, dropping (and reporting) requests
// the pool refuses one by one: out of range, held by another owner, not a
// value of the pool, no such pool.
func claimSkipping(ctx context.Context, pm *pool.Manager, owner string, reqs []pool.Request) (pool.Claim, []Skipped, error) {
	var skipped []Skipped
	reqs = slices.Clone(reqs)
	for len(reqs) > 0 {
		c, err := pm.Claim(ctx, owner, reqs...)
		if err == nil {
			return c, skipped, nil
		}
		var pe *pool.Error
		if !errors.As(err, &pe) {
			return pool.Claim{}, skipped, err
		}
		reason := ""
		switch {
		case errors.Is(err, pool.ErrOutOfRange):
			reason = "out of range"
		case errors.Is(err, pool.ErrTaken):
			reason = "held by " + pe.Holder
		case errors.Is(err, pool.ErrUnknownPool):
			reason = "no pool " + pe.Pool
		case errors.Is(err, pool.ErrInvalid):
			reason = "not a value of the pool: " + pe.Detail
		default:
			return pool.Claim{}, skipped, err
		}
		var cands []int
		for i, r := range reqs {
			if r.Pool == pe.Pool && (pe.Scope == "" || r.Scope == pe.Scope) && (pe.Value == "" || r.Value == pe.Value || valueMatches(r.Value, pe.Value)) {
				cands = append(cands, i)
			}
		}
		i := -1
		if len(cands) == 1 {
			i = cands[0]
		} else {
			// The error does not say which request: try each alone
			// (a dry run, under an owner that holds nothing).
			for _, j := range cands {
				if _, perr := pm.Preview(ctx, probeOwner, reqs[j]); perr != nil {
					i = j
					break
				}
			}
		}
		if i < 0 {
			return pool.Claim{}, skipped, err
		}
		r := reqs[i]
		if errors.Is(err, pool.ErrInvalid) && pe.Detail == "" {
			reason = "not a value of the pool"
		}
		sk := Skipped{Owner: owner, Pool: r.Pool, Scope: r.Scope, Value: r.Value, Reason: reason}
		if errors.Is(err, pool.ErrTaken) {
			sk.Holder = pe.Holder
		}
		skipped = append(skipped, sk)
		reqs = slices.Delete(reqs, i, i+1)
	}
	return pool.Claim{Owner: owner}, skipped, nil
}

// valueMatches compares a requested value with the pool's rendering of it
// ("65000:100" against "target:65000:100").
func valueMatches(req, got string) bool {
	return strings.HasSuffix(got, ":"+req) || strings.HasSuffix(req, ":"+got) || strings.TrimPrefix(got, "target:") == req
}

func sortedIfaces(c *config) []string {
	out := make([]string, 0, len(c.Interfaces))
	for n := range c.Interfaces {
		out = append(out, n)
	}
	slices.Sort(out)
	return out
}

// recognise finds services spanning devices.
func recognise(devs []Device, cfgs map[string]*config, byLoop map[netip.Addr]string) []Service {
	var out []Service
	// E-LINE: an l2circuit on A to B's loopback with VC ID v, and one on B
	// to A's loopback with the same v.
	type end struct {
		dev string
		l   l2circuit
	}
	byVC := map[uint64][]end{}
	for _, d := range devs {
		for _, l := range cfgs[d.Name].L2Circuits {
			byVC[l.VCID] = append(byVC[l.VCID], end{d.Name, l})
		}
	}
	vcs := make([]uint64, 0, len(byVC))
	for v := range byVC {
		vcs = append(vcs, v)
	}
	slices.Sort(vcs)
	loopOf := map[string]netip.Addr{}
	for _, d := range devs {
		loopOf[d.Name] = d.Loopback
	}
	for _, v := range vcs {
		ends := byVC[v]
		used := make([]bool, len(ends))
		for i := range ends {
			for j := i + 1; j < len(ends); j++ {
				a, b := ends[i], ends[j]
				if used[i] || used[j] || byLoop[a.l.Neighbor] != b.dev || byLoop[b.l.Neighbor] != a.dev {
					continue
				}
				used[i], used[j] = true, true
				s := Service{ID: "e-line:" + strconv.FormatUint(v, 10), Type: ELine, VCID: v}
				if n := len(out); n > 0 && out[n-1].ID == s.ID {
					s.ID += ":" + a.dev + "-" + b.dev // the same VC ID on another pair
				}
				for _, e := range []end{a, b} {
					ep := Endpoint{Device: e.dev, Interface: e.l.Interface, Neighbor: e.l.Neighbor}
					if ic, u := cfgs[e.dev].unit(e.l.Interface); u != nil {
						ep.VLAN, ep.Address = u.VLAN, u.Addresses
						if s.Name == "" {
							s.Name = u.Description
						}
						if s.Name == "" {
							s.Name = ic.Description
						}
					}
					s.Endpoints = append(s.Endpoints, ep)
				}
				out = append(out, s)
			}
		}
	}

	// VPLS and L3VPN: instances grouped by shared identifiers with a
	// union-find over (device, instance).
	type inst struct {
		dev string
		ri  instance
	}
	group := func(kind string, keys func(instance) []string) {
		var all []inst
		for _, d := range devs {
			for _, ri := range cfgs[d.Name].Instances {
				if ri.Type == kind {
					all = append(all, inst{d.Name, ri})
				}
			}
		}
		parent := make([]int, len(all))
		for i := range parent {
			parent[i] = i
		}
		var find func(int) int
		find = func(i int) int {
			for parent[i] != i {
				parent[i] = parent[parent[i]]
				i = parent[i]
			}
			return i
		}
		first := map[string]int{}
		for i, x := range all {
			for _, k := range keys(x.ri) {
				if j, ok := first[k]; ok {
					parent[find(i)] = find(j)
				} else {
					first[k] = i
				}
			}
		}
		groups := map[int][]int{}
		var roots []int
		for i := range all {
			r := find(i)
			if _, ok := groups[r]; !ok {
				roots = append(roots, r)
			}
			groups[r] = append(groups[r], i)
		}
		for _, r := range roots {
			var ids, rts []string
			s := Service{Type: ServiceType(kind), Name: all[r].ri.Name}
			if kind == "vrf" {
				s.Type = L3VPN
			}
			for _, i := range groups[r] {
				x := all[i]
				ids = append(ids, keys(x.ri)...)
				rts = append(rts, x.ri.Import...)
				rts = append(rts, x.ri.Export...)
				for _, ifn := range x.ri.Interfaces {
					ep := Endpoint{Device: x.dev, Interface: ifn, Instance: x.ri.Name, RD: x.ri.RD}
					if _, u := cfgs[x.dev].unit(ifn); u != nil {
						ep.VLAN, ep.Address = u.VLAN, u.Addresses
					}
					s.Endpoints = append(s.Endpoints, ep)
				}
				if len(x.ri.Interfaces) == 0 {
					s.Endpoints = append(s.Endpoints, Endpoint{Device: x.dev, Instance: x.ri.Name, RD: x.ri.RD})
				}
			}
			s.RTs = uniq(rts)
			ids = uniq(ids)
			if len(ids) == 0 {
				continue // an instance with no identifiers is not a service
			}
			s.ID = string(s.Type) + ":" + strings.TrimPrefix(ids[0], "target:")
			if kind == "vpls" {
				for _, i := range groups[r] {
					if v := all[i].ri.VPLSID; v != "" {
						s.VCID, _ = strconv.ParseUint(v, 10, 32)
						s.ID = "vpls:" + v
					}
				}
			}
			out = append(out, s)
		}
	}
	group("vpls", func(ri instance) []string {
		if ri.VPLSID != "" {
			return []string{"vpls-id:" + ri.VPLSID}
		}
		return append(slices.Clone(ri.Import), ri.Export...)
	})
	group("vrf", func(ri instance) []string { return append(slices.Clone(ri.Import), ri.Export...) })
	return out
}

// Services returns the stored service records, by ID.
func (inv *Inventory) Services(ctx context.Context) ([]Service, error) {
	var out []Service
	err := inv.st.List(ctx, ServicePrefix, func(it store.Item) error {
		var s Service
		if err := json.Unmarshal(it.Value, &s); err != nil {
			return fmt.Errorf("inventory: record %q: %w", it.Key, err)
		}
		out = append(out, s)
		return nil
	})
	return out, err
}

// Service returns the stored service record id; the error wraps
// store.ErrNotFound if there is none.
func (inv *Inventory) Service(ctx context.Context, id string) (Service, error) {
	it, err := inv.st.Get(ctx, ServicePrefix+id)
	if err != nil {
		return Service{}, fmt.Errorf("inventory: service %q: %w", id, err)
	}
	var s Service
	if err := json.Unmarshal(it.Value, &s); err != nil {
		return Service{}, fmt.Errorf("inventory: record %q: %w", it.Key, err)
	}
	return s, nil
}

func cmpBool(a, b bool) int {
	switch {
	case a == b:
		return 0
	case !a:
		return -1
	}
	return 1
}
