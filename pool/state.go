package pool

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/netip"

	"github.com/carrierkit/carrierkit/pool/internal/numset"
	"github.com/carrierkit/carrierkit/pool/internal/prefixset"
	"github.com/carrierkit/carrierkit/store"
)

// defRecord is what the store holds under a pool's def key. Next is set
// while a change that may remove values is being checked (see
// [Manager.UpdatePool]): claims then draw only from what both Spec and Next
// allow; Deleting is set while a deletion is.
type defRecord struct {
	Spec     Spec  `json:"spec"`
	Next     *Spec `json:"next,omitempty"`
	Deleting bool  `json:"deleting,omitempty"` // claims draw nothing
}

// poolState is a Manager's in-memory copy of one pool: its definition and
// every value held, per scope, plus the values of claims still being
// written. The store stays the authority: the copy only proposes values,
// and each claim's store conditions prove them free.
type poolState struct {
	name string
	rec  defRecord
	rev  int64     // revision of the def record
	c    *compiled // what claims may draw from now

	scopes  map[string]*scopeState // per scope: held values and bookkeeping
	heat    heat                   // races lost in any scope
	pending map[string]held        // alloc key → value of a claim being written
	defKey  string
}

// scopeState is what a poolState knows of one scope.
type scopeState struct {
	prefix  string         // scopeAllocPrefix of the pool and scope
	num     numset.Set     // held numbers (numeric kinds)
	ip      *prefixset.Set // held prefixes (ip kinds)
	cursor  uint64         // round-robin: last number handed out, if hasLast
	cursorA netip.Addr     // round-robin: last prefix handed out
	hasLast bool
	heat    heat
}

// heat counts the races a pool or scope recently lost to other writers
// sharing the store; see spread.
type heat struct {
	hot  int // lost races, less cool-downs
	calm int // claims won since the last loss or cool-down
}

// lost records a lost race.
func (h *heat) lost() { h.hot, h.calm = min(h.hot+1, 13), 0 }

// won records a claim written, cooling one step per 64.
func (h *heat) won() {
	if h.hot == 0 {
		return
	}
	if h.calm++; h.calm >= 64 {
		h.hot, h.calm = h.hot-1, 0
	}
}

// scope returns the state of scope, creating it on first use.
func (ps *poolState) scope(scope string) *scopeState {
	ss := ps.scopes[scope]
	if ss == nil {
		ss = &scopeState{prefix: scopeAllocPrefix(ps.name, scope)}
		if ps.c.spec.Kind.ip() {
			ss.ip = new(prefixset.Set)
		}
		ps.scopes[scope] = ss
	}
	return ss
}

// held reports how many values (prefixes) the scope holds.
func (ss *scopeState) held() int {
	if ss.ip != nil {
		return ss.ip.Len()
	}
	return ss.num.Len()
}

// held is one value placed in a poolState.
type held struct {
	ps    *poolState
	ss    *scopeState
	scope string
	v     Value
	name  string
	key   string // the value's alloc key
}

// newHeld returns the held value v of request name in scope of ps.
func (ps *poolState) newHeld(ss *scopeState, scope string, v Value, name string) held {
	return held{ps: ps, ss: ss, scope: scope, v: v, name: name, key: ss.prefix + valueKeySuffix(v)}
}

func (h held) item() Item { return Item{Name: h.name, Pool: h.ps.name, Scope: h.scope, Value: h.v} }

// effective compiles a def record into the rules claims follow.
func (r defRecord) effective() (*compiled, error) {
	c, err := compile(r.Spec)
	if err != nil {
		return nil, err
	}
	if r.Deleting {
		c.ranges, c.size, c.prefixes = nil, 0, nil
		return c, nil
	}
	if r.Next == nil {
		return c, nil
	}
	n, err := compile(*r.Next)
	if err != nil {
		return nil, err
	}
	return intersect(c, n), nil
}

// intersect returns the rules that allow only what both a and b allow.
func intersect(a, b *compiled) *compiled {
	out := *b
	if a.spec.Kind.numeric() {
		out.ranges = numset.Subtract(a.ranges, numset.Subtract(a.ranges, b.ranges))
		out.size = numset.Size(out.ranges)
		return &out
	}
	out.prefixes = nil
	for _, p := range a.prefixes {
		for _, q := range b.prefixes {
			switch {
			case !p.Overlaps(q):
			case p.Bits() >= q.Bits():
				out.prefixes = append(out.prefixes, p)
			default:
				out.prefixes = append(out.prefixes, q)
			}
		}
	}
	sortPrefixes(out.prefixes)
	out.blocked = append(append([]netip.Prefix(nil), a.blocked...), b.blocked...)
	return &out
}

// readDef reads and compiles a pool's definition from the store.
func readDef(ctx context.Context, st store.Store, name string) (defRecord, int64, *compiled, error) {
	it, err := st.Get(ctx, defKey(name))
	if errors.Is(err, store.ErrNotFound) {
		return defRecord{}, 0, nil, &Error{Op: "load", Pool: name, Err: ErrUnknownPool}
	}
	if err != nil {
		return defRecord{}, 0, nil, &Error{Op: "load", Pool: name, Err: err}
	}
	var rec defRecord
	if err := json.Unmarshal(it.Value, &rec); err != nil {
		return defRecord{}, 0, nil, &Error{Op: "load", Pool: name, Err: fmt.Errorf("corrupt definition record: %v", err)}
	}
	c, err := rec.effective()
	if err != nil {
		return defRecord{}, 0, nil, &Error{Op: "load", Pool: name, Err: fmt.Errorf("stored definition no longer valid: %w", err)}
	}
	return rec, it.Revision, c, nil
}

// loadPool reads a pool's definition and every value held in it.
func loadPool(ctx context.Context, st store.Store, name string) (*poolState, error) {
	rec, rev, c, err := readDef(ctx, st, name)
	if err != nil {
		return nil, err
	}
	ps := &poolState{
		name: name, rec: rec, rev: rev, c: c,
		scopes: map[string]*scopeState{}, pending: map[string]held{}, defKey: defKey(name),
	}
	err = st.List(ctx, allocPrefix+name+"/", func(it store.Item) error {
		_, scope, suffix, err := parseAllocKey(it.Key)
		if err != nil {
			return err
		}
		v, err := c.valueFromKeySuffix(suffix)
		if err != nil {
			return err
		}
		ps.add(scope, v)
		return nil
	})
	if err != nil {
		return nil, &Error{Op: "load", Pool: name, Err: err}
	}
	// Round-robin resumes after the highest value held in each scope.
	for _, ss := range ps.scopes {
		if ss.ip != nil {
			for p := range ss.ip.All() {
				ss.cursorA, ss.hasLast = p.Addr(), true
			}
			continue
		}
		for n := range ss.num.All() {
			ss.cursor, ss.hasLast = n, true
		}
	}
	return ps, nil
}

// adopt takes over the pending values of an older copy of the same pool, so
// a reload does not forget claims still being written.
func (ps *poolState) adopt(old *poolState) {
	for k, h := range old.pending {
		h.ps, h.ss = ps, ps.scope(h.scope)
		ps.pending[k] = h
		h.ss.add(h.v)
	}
	ps.heat = old.heat
	for k, o := range old.scopes {
		ss := ps.scope(k)
		ss.cursor, ss.cursorA, ss.hasLast, ss.heat = o.cursor, o.cursorA, o.hasLast, o.heat
	}
}

// add records v as held in scope; false if it (or, for prefixes, anything
// overlapping it) already is.
func (ps *poolState) add(scope string, v Value) bool { return ps.scope(scope).add(v) }

// add records v as held; false if it (or, for prefixes, anything
// overlapping it) already is.
func (ss *scopeState) add(v Value) bool {
	if ss.ip != nil {
		return ss.ip.Add(v.Prefix())
	}
	return ss.num.Add(v.n)
}

// remove forgets v.
func (ss *scopeState) remove(v Value) {
	if ss.ip != nil {
		ss.ip.Remove(v.Prefix())
		return
	}
	ss.num.Remove(v.n)
}

// learnHeld records v as held in scope because the store says so: for
// prefixes, whatever the copy has overlapping it is stale (or pending in a
// claim that the store will refuse) and gives way.
func (ps *poolState) learnHeld(scope string, v Value) {
	if s := ps.scope(scope).ip; s != nil {
		for q, ok := s.Overlapping(v.Prefix()); ok && q != v.Prefix(); q, ok = s.Overlapping(v.Prefix()) {
			s.Remove(q)
		}
	}
	ps.add(scope, v)
}

func (ps *poolState) remove(scope string, v Value) {
	if ss := ps.scopes[scope]; ss != nil {
		ss.remove(v)
	}
}

// taken reports whether v, or for prefixes anything overlapping it, is held
// in scope, and what holds it.
func (ps *poolState) taken(scope string, v Value) (Value, bool) {
	ss := ps.scopes[scope]
	switch {
	case ss == nil:
		return Value{}, false
	case ss.ip != nil:
		p, ok := ss.ip.Overlapping(v.Prefix())
		return prefixValue(v.kind, p), ok
	default:
		return v, ss.num.Contains(v.n)
	}
}

// nextNumber returns the lowest number >= from that is free in the scope,
// under the pool rules c.
func (ss *scopeState) nextNumber(c *compiled, from uint64) (uint64, bool) {
	return ss.num.NextFree(from, c.ranges)
}

// nextPrefix returns the first free prefix of length bits at or after from
// (an invalid from means the start), inside the pool's prefixes and clear of
// its exclusions. Automatic single IPv4 addresses skip the network and
// broadcast address of every pool prefix of /30 or shorter.
func (ss *scopeState) nextPrefix(c *compiled, bits int, from netip.Addr) (netip.Prefix, bool) {
	s := ss.ip
	for _, r := range c.prefixes {
		if r.Bits() > bits {
			continue
		}
		if from.IsValid() && lastAddr(r).Less(from) {
			continue
		}
		f := from
		for {
			p, ok := s.NextFree(r, bits, f)
			if !ok {
				break
			}
			skip := netip.Addr{}
			for _, b := range c.blocked {
				if b.Overlaps(p) {
					skip = lastAddr(b)
					if l := lastAddr(p); skip.Less(l) {
						skip = l
					}
					break
				}
			}
			if !skip.IsValid() && bits == 32 && r.Bits() <= 30 && (p.Addr() == r.Addr() || p.Addr() == lastAddr(r)) {
				skip = p.Addr()
			}
			if !skip.IsValid() {
				return p, true
			}
			if skip == lastAddr(r) {
				break
			}
			f = skip.Next()
		}
	}
	return netip.Prefix{}, false
}

// lastAddr returns the highest address of p.
func lastAddr(p netip.Prefix) netip.Addr {
	a := p.Masked().Addr().AsSlice()
	for i := p.Bits(); i < len(a)*8; i++ {
		a[i/8] |= 1 << (7 - i%8)
	}
	out, _ := netip.AddrFromSlice(a)
	return out
}

// addrCount returns how many addresses p covers, saturating at MaxUint64.
func addrCount(p netip.Prefix) uint64 {
	host := p.Addr().BitLen() - p.Bits()
	if host >= 64 {
		return math.MaxUint64
	}
	return 1 << host
}

func satAdd(a, b uint64) uint64 {
	if a > math.MaxUint64-b {
		return math.MaxUint64
	}
	return a + b
}

// refresh points h at the Manager's current copy of its pool, which differs
// from h's after a reload (which adopts pending values). A deleted pool's
// copy is kept. m.mu must be held.
func (h *held) refresh(m *Manager) {
	if ps := m.pools[h.ps.name]; ps != nil && ps != h.ps {
		h.ps, h.ss = ps, ps.scope(h.scope)
	}
}

// mark places h as a pending value of a claim being written.
func (h held) mark() {
	h.ss.add(h.v)
	h.ps.pending[h.key] = h
}

// unmark withdraws a pending value whose claim was not written.
func (h held) unmark() {
	h.ss.remove(h.v)
	delete(h.ps.pending, h.key)
}

// settle turns a pending value into a held one after its claim was written.
func (h held) settle() { delete(h.ps.pending, h.key) }

// scopeCheck enforces that a request names a scope exactly when its pool
// is scoped.
func (ps *poolState) scopeCheck(r Request) error {
	switch {
	case ps.c.spec.Scoped && r.Scope == "":
		return &Error{Op: "claim", Pool: ps.name, Err: ErrInvalid, Detail: fmt.Sprintf("request %q needs a scope: the pool is scoped", r.Name)}
	case !ps.c.spec.Scoped && r.Scope != "":
		return &Error{Op: "claim", Pool: ps.name, Scope: r.Scope, Err: ErrInvalid, Detail: fmt.Sprintf("request %q gives a scope, but the pool is not scoped", r.Name)}
	}
	return nil
}

// describe names a pool and scope for messages.
func describe(pool, scope string) string {
	if scope == "" {
		return fmt.Sprintf("pool %q", pool)
	}
	return fmt.Sprintf("pool %q scope %q", pool, scope)
}
