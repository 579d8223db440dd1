package inventory

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/netip"
	"slices"
	"strings"
	"sync"

	"github.com/carrierkit/carrierkit/device"
	"github.com/carrierkit/carrierkit/store"
)

// ErrorKind classifies why a target could not be discovered.
type ErrorKind string

// Error kinds, from the device package's sentinels.
const (
	KindUnreachable ErrorKind = "unreachable" // device.ErrUnreachable
	KindAuth        ErrorKind = "auth"        // device.ErrAuth
	KindHostKey     ErrorKind = "host-key"    // device.ErrHostKey
	KindTimeout     ErrorKind = "timeout"     // device.ErrTimeout or a context error
	KindRejected    ErrorKind = "rejected"    // *device.RejectedError: an RPC refused
	KindBadReply    ErrorKind = "bad-reply"   // the device answered something unreadable
	KindConflict    ErrorKind = "conflict"    // two addresses report one host name
	KindOther       ErrorKind = "other"       // anything else
)

// ErrBadReply is wrapped by errors about replies that cannot be read.
var ErrBadReply = errors.New("unreadable reply")

// ErrDuplicateName is wrapped when two targets report the same host name.
var ErrDuplicateName = errors.New("host name reported by another address")

// KindOf classifies err.
func KindOf(err error) ErrorKind {
	var rej *device.RejectedError
	switch {
	case err == nil:
		return ""
	case errors.Is(err, device.ErrAuth):
		return KindAuth
	case errors.Is(err, device.ErrHostKey):
		return KindHostKey
	case errors.Is(err, device.ErrTimeout), errors.Is(err, context.DeadlineExceeded), errors.Is(err, context.Canceled):
		return KindTimeout
	case errors.Is(err, device.ErrUnreachable), errors.Is(err, device.ErrClosed):
		return KindUnreachable
	case errors.As(err, &rej):
		return KindRejected
	case errors.Is(err, ErrBadReply):
		return KindBadReply
	case errors.Is(err, ErrDuplicateName):
		return KindConflict
	}
	return KindOther
}

// Change is one difference re-discovery found on a device.
type Change struct {
	Device string `json:"device"`
	// What changed: "device" (first seen), "address", "model", "version",
	// "serial", "module", "interface-added", "interface-removed",
	// "interface-status", "interface-speed", "config", "reachable".
	What string `json:"what"`
	Item string `json:"item,omitempty"` // the interface or module concerned
	Old  string `json:"old,omitempty"`
	New  string `json:"new,omitempty"`
}

// String renders the change for people: "pe1: version 23.4R1 -> 23.4R2".
func (c Change) String() string {
	var b strings.Builder
	b.WriteString(c.Device + ": " + c.What)
	if c.Item != "" {
		b.WriteString(" " + c.Item)
	}
	if c.Old != "" || c.New != "" {
		b.WriteString(" " + quoteEmpty(c.Old) + " -> " + quoteEmpty(c.New))
	}
	return b.String()
}

func quoteEmpty(s string) string {
	if s == "" {
		return `""`
	}
	return s
}

// TargetResult is the outcome of discovering one target.
type TargetResult struct {
	Target Target
	// Device is the host name the target reported ("" if it could not be
	// read); New is true if it was not in the inventory before.
	Device string
	New    bool
	// Err is why the target could not be discovered, nil on success; Kind
	// classifies it.
	Err  error
	Kind ErrorKind
	// Changes are what differs from the stored record.
	Changes []Change
}

// DiscoveryReport is the outcome of one Discover run, one result per target
// in target order.
type DiscoveryReport struct {
	Results []TargetResult
}

// Reached returns the number of targets discovered.
func (r *DiscoveryReport) Reached() int {
	n := 0
	for _, t := range r.Results {
		if t.Err == nil {
			n++
		}
	}
	return n
}

// Failed returns the results of the targets that could not be discovered.
func (r *DiscoveryReport) Failed() []TargetResult {
	var out []TargetResult
	for _, t := range r.Results {
		if t.Err != nil {
			out = append(out, t)
		}
	}
	return out
}

// Changes returns every change of every target, in target order.
func (r *DiscoveryReport) Changes() []Change {
	var out []Change
	for _, t := range r.Results {
		out = append(out, t.Changes...)
	}
	return out
}

// Discover expands specs (see ParseTargets) and discovers every target. An
// error is returned only for bad specs, a failing store or ctx ending; a
// target that cannot be reached or read is reported in its TargetResult.
func (inv *Inventory) Discover(ctx context.Context, specs ...string) (*DiscoveryReport, error) {
	ts, err := ParseTargets(ctx, inv.o.Resolver, inv.o.Port, specs...)
	if err != nil {
		return nil, err
	}
	return inv.DiscoverTargets(ctx, ts)
}

// DiscoverTargets discovers ts, at most Options.Parallel at a time, and
// stores what it learns: new devices are added, known ones updated (and
// their changes reported), unreachable known devices marked so but kept.
// When two targets report the same host name, the one at the address the
// inventory already has for it wins (else the first in ts), and the other
// is reported with KindConflict.
func (inv *Inventory) DiscoverTargets(ctx context.Context, ts []Target) (*DiscoveryReport, error) {
	rep := &DiscoveryReport{Results: make([]TargetResult, len(ts))}
	found := make([]*Device, len(ts))
	inv.parallel(ctx, len(ts), func(i int) {
		rep.Results[i].Target = ts[i]
		d, err := inv.probe(ctx, ts[i])
		if err != nil {
			rep.Results[i].Err, rep.Results[i].Kind = err, KindOf(err)
			return
		}
		found[i] = d
	})
	if err := ctx.Err(); err != nil {
		return nil, err
	}

	// One address per host name.
	byName := map[string][]int{}
	var names []string
	for i, d := range found {
		if d != nil {
			if _, ok := byName[d.Name]; !ok {
				names = append(names, d.Name)
			}
			byName[d.Name] = append(byName[d.Name], i)
		}
	}
	for _, name := range names {
		idx := byName[name]
		if len(idx) < 2 {
			continue
		}
		win := idx[0]
		if old, _, err := inv.getDevice(ctx, name); err == nil {
			for _, i := range idx {
				if found[i].Address == old.Address {
					win = i
				}
			}
		}
		for _, i := range idx {
			if i == win {
				continue
			}
			err := fmt.Errorf("inventory: target %s reports host name %q, as target %s does: %w", ts[i], name, ts[win], ErrDuplicateName)
			rep.Results[i].Err, rep.Results[i].Kind = err, KindConflict
			found[i] = nil
		}
	}

	byAddr, err := inv.addressIndex(ctx)
	if err != nil {
		return nil, err
	}
	var mu sync.Mutex
	var storeErr error
	inv.parallel(ctx, len(ts), func(i int) {
		res := &rep.Results[i]
		var err error
		if d := found[i]; d != nil {
			res.Device = d.Name
			res.New, res.Changes, err = inv.save(ctx, d)
			if err != nil {
				res.Err, res.Kind = err, KindOther
			}
			// Another record at this address (the device was renamed)
			// is no longer reachable there.
			for _, other := range byAddr[d.Address] {
				if other != d.Name && err == nil {
					err = inv.markStale(ctx, other, d.Address, fmt.Sprintf("address %s now reports host name %q", d.Address, d.Name))
				}
			}
		} else if res.Kind != KindConflict {
			for _, name := range byAddr[ts[i].Addr] {
				if err == nil {
					err = inv.markStale(ctx, name, ts[i].Addr, res.Err.Error())
				}
			}
		}
		if err != nil {
			mu.Lock()
			storeErr = errors.Join(storeErr, err)
			mu.Unlock()
		}
	})
	if storeErr != nil {
		return rep, storeErr
	}
	return rep, ctx.Err()
}

// parallel calls fn(0) … fn(n-1), at most Options.Parallel at a time, and
// stops starting new calls when ctx ends.
func (inv *Inventory) parallel(ctx context.Context, n int, fn func(int)) {
	sem := make(chan struct{}, inv.o.Parallel)
	var wg sync.WaitGroup
	for i := range n {
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
			wg.Wait()
			return
		}
		wg.Add(1)
		go func() {
			defer func() { <-sem; wg.Done() }()
			fn(i)
		}()
	}
	wg.Wait()
}

// probe connects to t and reads everything discovery records.
func (inv *Inventory) probe(ctx context.Context, t Target) (*Device, error) {
	ctx, cancel := context.WithTimeout(ctx, inv.o.Timeout)
	defer cancel()
	dt := device.Target{Name: t.Host, Addr: t.Addr, Credentials: inv.o.Credentials, HostKeys: inv.o.HostKeys}
	s, err := inv.dial(ctx, dt)
	if err != nil {
		return nil, fmt.Errorf("inventory: target %s: %w", t, err)
	}
	defer s.Close()
	var f facts
	steps := []struct {
		rpc   string
		parse func(*facts, []byte) error
	}{
		{"<get-software-information/>", parseSoftware},
		{"<get-chassis-inventory/>", parseChassis},
		{"<get-interface-information/>", parseInterfaces},
	}
	for _, st := range steps {
		b, err := s.Get(ctx, device.RPCQuery(st.rpc))
		if err != nil {
			return nil, fmt.Errorf("inventory: target %s: %s: %w", t, st.rpc, err)
		}
		if err := st.parse(&f, b); err != nil {
			return nil, fmt.Errorf("inventory: target %s: %w: %w", t, ErrBadReply, err)
		}
	}
	cb, err := s.Get(ctx, device.ConfigQuery(device.Committed, device.XML))
	if err != nil {
		return nil, fmt.Errorf("inventory: target %s: get-configuration: %w", t, err)
	}
	cfg, err := parseConfig(cb)
	if err != nil {
		return nil, fmt.Errorf("inventory: target %s: %w: %w", t, ErrBadReply, err)
	}
	now := inv.o.Now().UTC()
	d := &Device{
		Name: f.Hostname, Address: t.Addr, Host: t.Host,
		Model: f.Model, Series: seriesOf(f.Model), Version: f.Version, Serial: f.Serial,
		Modules: f.Modules, FPCs: f.FPCs, Interfaces: f.Interfaces,
		Loopback: cfg.Loopback, ASN: cfg.ASN,
		Config: string(cb), ConfigDigest: digest(stripConfigStamp(cb)),
		Reachable: true, FirstSeen: now, LastSeen: now,
	}
	return d, nil
}

// stripConfigStamp drops the commit time attributes of the <configuration>
// element so that the digest changes only when the configuration does
// (a commit that changes nothing keeps it).
func stripConfigStamp(b []byte) []byte {
	s := string(b)
	i := strings.Index(s, "<configuration")
	if i < 0 {
		return b
	}
	j := strings.IndexByte(s[i:], '>')
	if j < 0 {
		return b
	}
	return []byte(s[:i] + "<configuration>" + s[i+j+1:])
}

// save writes d, merging it with the stored record, and returns what
// changed.
func (inv *Inventory) save(ctx context.Context, d *Device) (bool, []Change, error) {
	key := devicePrefix + d.Name
	for attempt := 0; ; attempt++ {
		old, rev, err := inv.getDevice(ctx, d.Name)
		var cond store.Cond
		var changes []Change
		isNew := false
		switch {
		case errors.Is(err, store.ErrNotFound):
			cond = store.Absent(key)
			isNew = true
			changes = []Change{{Device: d.Name, What: "device", New: d.Model + " " + d.Version}}
		case err != nil:
			return false, nil, err
		default:
			cond = store.Unchanged(key, rev)
			d.FirstSeen = old.FirstSeen
			changes = diffDevices(&old, d)
		}
		b, err := json.Marshal(d)
		if err != nil {
			return false, nil, fmt.Errorf("inventory: device %q: %w", d.Name, err)
		}
		_, err = inv.st.Txn(ctx, []store.Cond{cond}, []store.Op{store.Put(key, b)})
		if errors.Is(err, store.ErrConflict) && attempt < 8 {
			continue
		}
		if err != nil {
			return false, nil, fmt.Errorf("inventory: store device %q: %w", d.Name, err)
		}
		return isNew, changes, nil
	}
}

// addressIndex maps each stored device's address to its names (normally
// one), from one listing.
func (inv *Inventory) addressIndex(ctx context.Context) (map[netip.AddrPort][]string, error) {
	idx := map[netip.AddrPort][]string{}
	err := inv.st.List(ctx, devicePrefix, func(it store.Item) error {
		var d struct {
			Name    string         `json:"name"`
			Address netip.AddrPort `json:"address"`
		}
		if err := json.Unmarshal(it.Value, &d); err != nil {
			return fmt.Errorf("inventory: record %q: %w", it.Key, err)
		}
		idx[d.Address] = append(idx[d.Address], d.Name)
		return nil
	})
	return idx, err
}

// markStale records on the stored device name, if it is still at addr,
// that it is no longer reachable there, with why.
func (inv *Inventory) markStale(ctx context.Context, name string, addr netip.AddrPort, why string) error {
	key := devicePrefix + name
	for attempt := 0; attempt < 8; attempt++ {
		cur, rev, err := inv.getDevice(ctx, name)
		if errors.Is(err, store.ErrNotFound) {
			return nil
		}
		if err != nil {
			return err
		}
		if cur.Address != addr || (!cur.Reachable && cur.LastError == why) {
			return nil
		}
		cur.Reachable, cur.LastError = false, why
		b, err := json.Marshal(cur)
		if err != nil {
			return err
		}
		_, err = inv.st.Txn(ctx, []store.Cond{store.Unchanged(key, rev)}, []store.Op{store.Put(key, b)})
		if errors.Is(err, store.ErrConflict) {
			continue
		}
		return err
	}
	return fmt.Errorf("inventory: device %q: %w after repeated attempts", name, store.ErrConflict)
}

// diffDevices lists what differs between the stored record and a fresh
// discovery of the same device.
func diffDevices(old, cur *Device) []Change {
	var out []Change
	add := func(what, item, o, n string) {
		out = append(out, Change{Device: cur.Name, What: what, Item: item, Old: o, New: n})
	}
	if !old.Reachable {
		add("reachable", "", "false", "true")
	}
	if old.Address != cur.Address {
		add("address", "", old.Address.String(), cur.Address.String())
	}
	if old.Model != cur.Model {
		add("model", "", old.Model, cur.Model)
	}
	if old.Version != cur.Version {
		add("version", "", old.Version, cur.Version)
	}
	if old.Serial != cur.Serial {
		add("serial", "", old.Serial, cur.Serial)
	}
	oldMods, curMods := flatModules(old.Modules), flatModules(cur.Modules)
	for _, k := range sortedKeys(oldMods, curMods) {
		if oldMods[k] != curMods[k] {
			add("module", k, oldMods[k], curMods[k])
		}
	}
	oi := map[string]Interface{}
	for _, in := range old.Interfaces {
		oi[in.Name] = in
	}
	ci := map[string]bool{}
	for _, in := range cur.Interfaces {
		ci[in.Name] = true
		o, ok := oi[in.Name]
		switch {
		case !ok:
			add("interface-added", in.Name, "", string(in.Admin)+"/"+string(in.Oper))
		default:
			if o.Admin != in.Admin || o.Oper != in.Oper {
				add("interface-status", in.Name, string(o.Admin)+"/"+string(o.Oper), string(in.Admin)+"/"+string(in.Oper))
			}
			if o.Speed != in.Speed {
				add("interface-speed", in.Name, o.Speed.String(), in.Speed.String())
			}
		}
	}
	for _, in := range old.Interfaces {
		if !ci[in.Name] {
			add("interface-removed", in.Name, string(in.Admin)+"/"+string(in.Oper), "")
		}
	}
	if old.ConfigDigest != cur.ConfigDigest {
		add("config", "", short(old.ConfigDigest), short(cur.ConfigDigest))
	}
	return out
}

func short(d string) string {
	if len(d) > 12 {
		return d[:12]
	}
	return d
}

// flatModules maps "FPC 0/PIC 1" to "description serial".
func flatModules(ms []Module) map[string]string {
	out := map[string]string{}
	var walk func(prefix string, ms []Module)
	walk = func(prefix string, ms []Module) {
		for _, m := range ms {
			k := prefix + m.Name
			out[k] = strings.TrimSpace(m.Description + " " + m.Serial)
			walk(k+"/", m.Modules)
		}
	}
	walk("", ms)
	return out
}

func sortedKeys(ms ...map[string]string) []string {
	var ks []string
	for _, m := range ms {
		for k := range m {
			ks = append(ks, k)
		}
	}
	slices.Sort(ks)
	return slices.Compact(ks)
}
