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

	num      map[string]*numset.Set    // scope → held numbers (numeric kinds)
	ip       map[string]*prefixset.Set // scope → held prefixes (ip kinds)
	cursor   map[string]uint64         // scope → last number handed out (round-robin)
	cursorA  map[string]netip.Addr     // scope → last prefix handed out (round-robin)
	pending  map[string]held           // alloc key → value of a claim being written
	hot      map[string]int            // scope → recent conflicts with other writers
	prefixes map[string]string         // scope → scopeAllocPrefix
	defKey   string
}

// held is one value placed in a poolState.
type held struct {
	ps    *poolState
	scope string
	v     Value
	name  string
	key   string // the value's alloc key
}

// newHeld returns the held value v of request name in scope of ps.
func (ps *poolState) newHeld(scope string, v Value, name string) held {
	return held{ps: ps, scope: scope, v: v, name: name, key: ps.scopePrefix(scope) + valueKeySuffix(v)}
}

// scopePrefix returns scopeAllocPrefix(ps.name, scope), remembered per scope.
func (ps *poolState) scopePrefix(scope string) string {
	p, ok := ps.prefixes[scope]
	if !ok {
		p = scopeAllocPrefix(ps.name, scope)
		ps.prefixes[scope] = p
	}
	return p
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
		num: map[string]*numset.Set{}, ip: map[string]*prefixset.Set{},
		cursor: map[string]uint64{}, cursorA: map[string]netip.Addr{},
		pending: map[string]held{}, hot: map[string]int{},
		prefixes: map[string]string{}, defKey: defKey(name),
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
	for scope, s := range ps.num {
		for n := range s.All() {
			ps.cursor[scope] = n
		}
	}
	for scope, s := range ps.ip {
		for p := range s.All() {
			ps.cursorA[scope] = p.Addr()
		}
	}
	return ps, nil
}

// adopt takes over the pending values of an older copy of the same pool, so
// a reload does not forget claims still being written.
func (ps *poolState) adopt(old *poolState) {
	for k, h := range old.pending {
		h.ps = ps
		ps.pending[k] = h
		ps.add(h.scope, h.v)
	}
	for k, v := range old.cursor {
		ps.cursor[k] = v
	}
	for k, v := range old.cursorA {
		ps.cursorA[k] = v
	}
	for k, v := range old.hot {
		ps.hot[k] = v
	}
}

func (ps *poolState) numSet(scope string) *numset.Set {
	s := ps.num[scope]
	if s == nil {
		s = new(numset.Set)
		ps.num[scope] = s
	}
	return s
}

func (ps *poolState) ipSet(scope string) *prefixset.Set {
	s := ps.ip[scope]
	if s == nil {
		s = new(prefixset.Set)
		ps.ip[scope] = s
	}
	return s
}

// add records v as held in scope; false if it (or, for prefixes, anything
// overlapping it) already is.
func (ps *poolState) add(scope string, v Value) bool {
	if v.kind.ip() {
		return ps.ipSet(scope).Add(v.p)
	}
	return ps.numSet(scope).Add(v.n)
}

// learnHeld records v as held in scope because the store says so: for
// prefixes, whatever the copy has overlapping it is stale (or pending in a
// claim that the store will refuse) and gives way.
func (ps *poolState) learnHeld(scope string, v Value) {
	if v.kind.ip() {
		s := ps.ipSet(scope)
		for q, ok := s.Overlapping(v.p); ok && q != v.p; q, ok = s.Overlapping(v.p) {
			s.Remove(q)
		}
	}
	ps.add(scope, v)
}

func (ps *poolState) remove(scope string, v Value) {
	if v.kind.ip() {
		if s := ps.ip[scope]; s != nil {
			s.Remove(v.p)
		}
		return
	}
	if s := ps.num[scope]; s != nil {
		s.Remove(v.n)
	}
}

// taken reports whether v, or for prefixes anything overlapping it, is held
// in scope, and what holds it.
func (ps *poolState) taken(scope string, v Value) (Value, bool) {
	if v.kind.ip() {
		s := ps.ip[scope]
		if s == nil {
			return Value{}, false
		}
		p, ok := s.Overlapping(v.p)
		return Value{kind: v.kind, p: p}, ok
	}
	s := ps.num[scope]
	return v, s != nil && s.Contains(v.n)
}

// nextNumber returns the lowest number >= from that is free in scope.
func (ps *poolState) nextNumber(scope string, from uint64) (uint64, bool) {
	return ps.numSet(scope).NextFree(from, ps.c.ranges)
}

// nextPrefix returns the first free prefix of length bits at or after from
// (an invalid from means the start), inside the pool's prefixes and clear of
// its exclusions. Automatic single IPv4 addresses skip the network and
// broadcast address of every pool prefix of /30 or shorter.
func (ps *poolState) nextPrefix(scope string, bits int, from netip.Addr) (netip.Prefix, bool) {
	s := ps.ipSet(scope)
	for _, r := range ps.c.prefixes {
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
			for _, b := range ps.c.blocked {
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

// mark places h as a pending value of a claim being written.
func (h held) mark() {
	h.ps.add(h.scope, h.v)
	h.ps.pending[h.key] = h
}

// unmark withdraws a pending value whose claim was not written.
func (h held) unmark() {
	h.ps.remove(h.scope, h.v)
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
