package pool

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/netip"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/carrierkit/carrierkit/store"
)

// Manager hands out values from the pools kept in a [store.Store], one
// claim per owner key.
//
// A Manager keeps a copy of each pool it has used in memory and proposes
// values from it; every claim is then written with store conditions that
// prove each value free and each pool definition unchanged, so two claims
// can never get the same value — not from two goroutines, and not from two
// processes (or hosts) sharing one store. When a condition fails because
// another writer got there first, the Manager learns the value is taken and
// tries again. A Manager learns of values released by other processes when
// a pool looks exhausted, and on [Manager.Usage].
//
// A Manager is safe for concurrent use. Claims of many goroutines are
// written concurrently, so a store that groups commits (store/bolt) makes
// them share disk syncs.
type Manager struct {
	st          store.Store
	maxAttempts int

	mu    sync.Mutex
	pools map[string]*poolState
}

// Option configures a [Manager].
type Option func(*options)

type options struct {
	maxAttempts int
}

// WithMaxAttempts sets how many times a claim is tried when concurrent
// writers keep taking the values it proposed (default 64). It panics if n
// is less than 1.
func WithMaxAttempts(n int) Option {
	if n < 1 {
		panic("pool: WithMaxAttempts needs at least 1")
	}
	return func(o *options) { o.maxAttempts = n }
}

// New returns a Manager over st. It does no I/O: pools are read from st when
// first used.
func New(st store.Store, opts ...Option) *Manager {
	o := options{maxAttempts: 64}
	for _, opt := range opts {
		opt(&o)
	}
	return &Manager{st: st, maxAttempts: o.maxAttempts, pools: map[string]*poolState{}}
}

// state returns the Manager's copy of a pool, loading it on first use.
// m.mu must be held.
func (m *Manager) state(ctx context.Context, name string) (*poolState, error) {
	if ps := m.pools[name]; ps != nil {
		return ps, nil
	}
	ps, err := loadPool(ctx, m.st, name)
	if err != nil {
		return nil, err
	}
	m.pools[name] = ps
	return ps, nil
}

// reload replaces the copy of a pool with a fresh read of the store, keeping
// pending values. m.mu must be held.
func (m *Manager) reload(ctx context.Context, name string) (*poolState, error) {
	ps, err := loadPool(ctx, m.st, name)
	if err != nil {
		if errors.Is(err, ErrUnknownPool) {
			delete(m.pools, name)
		}
		return nil, err
	}
	if old := m.pools[name]; old != nil {
		ps.adopt(old)
	}
	m.pools[name] = ps
	return ps, nil
}

// Claim reserves one value for each request, atomically, for owner: either
// every value is claimed and recorded in the store, or none is.
//
// Claim is idempotent: when owner already holds a claim that satisfies the
// requests (same names, pools and scopes, and any values or lengths they
// ask for), Claim returns it unchanged; when the held claim differs, the
// error wraps [ErrMismatch]. Requests naming a Value mark that value (for
// brownfield, what the network already uses); it fails with [ErrTaken],
// naming the holder, if another owner has it, and with [ErrOutOfRange] if
// the pool cannot hold it.
//
// Errors wrap [ErrInvalid], [ErrUnknownPool], [ErrExhausted],
// [ErrOutOfRange], [ErrTaken], [ErrMismatch], [ErrContention], or the
// store's or context's error; they are [*Error] values naming the pool,
// scope and value involved.
func (m *Manager) Claim(ctx context.Context, owner string, reqs ...Request) (Claim, error) {
	return m.claim(ctx, owner, reqs, false)
}

// Preview returns the claim [Manager.Claim] would make now for owner,
// without keeping anything: a dry run. If owner holds a claim already,
// Preview returns it, or an [ErrMismatch] error as Claim would. Concurrent
// claims may take the previewed values before they are claimed.
func (m *Manager) Preview(ctx context.Context, owner string, reqs ...Request) (Claim, error) {
	return m.claim(ctx, owner, reqs, true)
}

func (m *Manager) claim(ctx context.Context, owner string, reqs []Request, dry bool) (Claim, error) {
	op := "claim"
	if dry {
		op = "preview"
	}
	sc := scratchPool.Get().(*scratch)
	defer scratchPool.Put(sc)
	roots, err := checkRequests(sc.roots, owner, reqs)
	if err != nil {
		return Claim{}, err
	}
	sc.roots = roots
	ckey := claimKey(owner)
	// The owner's existing claim is looked up only when something says
	// there may be one — the claim key's condition failed, or allocation
	// failed (perhaps because the owner holds the very values asked for) —
	// so a new claim costs no extra read.
	lookup := dry
	for attempt := 0; attempt < m.maxAttempts; attempt++ {
		if lookup {
			existing, found, err := m.lookup(ctx, owner)
			if err != nil {
				setOp(err, op, owner)
				return Claim{}, err
			}
			if found {
				if err := m.matches(existing, reqs, roots); err != nil {
					return Claim{}, &Error{Op: op, Owner: owner, Err: ErrMismatch, Detail: err.Error()}
				}
				return existing, nil
			}
		}

		m.mu.Lock()
		hs, conds, err := m.allocate(ctx, owner, reqs, roots, sc)
		if err != nil {
			m.mu.Unlock()
			if !lookup {
				lookup = true
				attempt--
				continue
			}
			setOp(err, op, owner)
			return Claim{}, err
		}
		if dry {
			for _, h := range hs {
				h.unmark()
			}
			m.mu.Unlock()
			return Claim{Owner: owner, Items: items(hs)}, nil
		}
		m.mu.Unlock()

		claim := Claim{Owner: owner, Items: items(hs)}
		// The store copies keys and values, so the records are built in
		// scratch space: the claim's, then each value's "<owner>\n<name>".
		buf := encodeClaim(sc.buf[:0], claim.Items)
		ops := append(sc.ops[:0], store.Put(ckey, buf[:len(buf):len(buf)]))
		for _, h := range hs {
			start := len(buf)
			buf = append(append(append(buf, owner...), '\n'), h.name...)
			ops = append(ops, store.Put(h.key, buf[start:len(buf):len(buf)]))
		}
		sc.buf, sc.ops = buf, ops
		rev, err := m.st.Txn(ctx, conds, ops)

		m.mu.Lock()
		for i := range hs {
			// The pool may have been read again while the claim was being
			// written; its pending values live in the new copy.
			hs[i].refresh(m)
		}
		if err == nil {
			for _, h := range hs {
				h.settle()
				h.ss.heat.won()
				h.ps.heat.won()
			}
			m.mu.Unlock()
			claim.Revision = rev
			return claim, nil
		}
		for _, h := range hs {
			h.unmark()
		}
		lookup = true
		if errors.Is(err, store.ErrUnknownOutcome) {
			// The write may have landed, perhaps only in a moment. The
			// next attempt looks the owner up: a claim found is returned
			// as ours (claims are idempotent); none found, the claim is
			// made again, and its condition that the owner have no claim
			// stops it if the first write lands after all. If the store
			// stays unreachable, the lookup says so.
			m.mu.Unlock()
			continue
		}
		var ce *store.ConflictError
		if !errors.As(err, &ce) {
			m.mu.Unlock()
			return Claim{}, &Error{Op: op, Owner: owner, Err: err}
		}
		m.learn(ctx, ce)
		m.mu.Unlock()
		if attempt > 0 {
			// Back off a little, at random, so writers that keep
			// colliding fall out of step.
			backoff := time.Duration(rand.IntN(100<<min(attempt, 6))) * time.Microsecond
			select {
			case <-time.After(backoff):
			case <-ctx.Done():
				return Claim{}, &Error{Op: op, Owner: owner, Err: ctx.Err()}
			}
		}
	}
	return Claim{}, &Error{Op: op, Owner: owner, Err: ErrContention, Detail: fmt.Sprintf("gave up after %d attempts", m.maxAttempts)}
}

// learn updates the Manager's copies after a claim's condition failed
// because another writer got there first. A changed pool is reloaded. A
// taken value is marked, with whatever is held near it — up to 1,000
// numbers, or 1,024 blocks of its prefix length, read in one List — since a writer that
// took one value is likely taking its neighbours too; and the scope is marked
// hot, so that the next claims there stop proposing the lowest free value
// that every writer is racing for (see spread). m.mu must be held.
func (m *Manager) learn(ctx context.Context, ce *store.ConflictError) {
	key := ce.Found
	if key == "" {
		key = ce.Cond.Key
	}
	switch {
	case strings.HasPrefix(key, defPrefix):
		// A failed reload leaves the pool unloaded; the next attempt
		// reports why.
		_, _ = m.reload(ctx, strings.TrimPrefix(key, defPrefix))
		return
	case !strings.HasPrefix(key, allocPrefix):
		// A conflict on the claim key needs nothing: the next attempt
		// finds the claim another writer made for the same owner.
		return
	}
	pool, scope, suffix, err := parseAllocKey(key)
	ps := m.pools[pool]
	if err != nil || ps == nil {
		return
	}
	ss := ps.scope(scope)
	ss.heat.lost()
	ps.heat.lost()
	near := key[:len(key)-min(len(suffix), 3)]
	if ps.c.spec.Kind.ip() {
		near = key[:len(key)-min(len(suffix), 10)]
	}
	if v, err := ps.c.valueFromKeySuffix(suffix); err == nil {
		ps.learnHeld(scope, v)
	}
	_ = m.st.List(ctx, near, func(it store.Item) error {
		_, sc, suf, err := parseAllocKey(it.Key)
		if err != nil || sc != scope {
			return nil
		}
		if v, err := ps.c.valueFromKeySuffix(suf); err == nil {
			ps.learnHeld(scope, v)
		}
		return nil
	})
}

func items(hs []held) []Item {
	out := make([]Item, len(hs))
	for i, h := range hs {
		out[i] = h.item()
	}
	return out
}

func setOp(err error, op, owner string) {
	var pe *Error
	if errors.As(err, &pe) {
		pe.Op, pe.Owner = op, owner
	}
}

// allocate picks a value for every request and marks each pending. It
// returns the store conditions that prove the choice when the claim is
// written. On error nothing stays marked. When a pool looks exhausted, the
// pools are read again once, since other processes may have released
// values. m.mu must be held.
func (m *Manager) allocate(ctx context.Context, owner string, reqs []Request, roots []int, sc *scratch) ([]held, []store.Cond, error) {
	states := grow(sc.states, len(reqs))
	sc.states = states
	for pass := 0; ; pass++ {
		for i, r := range reqs {
			var err error
			if pass == 0 {
				states[i], err = m.state(ctx, r.Pool)
			} else if states[i] = m.pools[r.Pool]; states[i] == nil || !reloaded(states[:i], states[i]) {
				states[i], err = m.reload(ctx, r.Pool)
			}
			if err != nil {
				return nil, nil, err
			}
			if err := states[i].scopeCheck(r); err != nil {
				return nil, nil, err
			}
		}
		hs := grow(sc.hs, len(reqs))
		sc.hs = hs
		var err error
		var groupBuf, markedBuf [8]int
		marked := markedBuf[:0]
		for i := range reqs {
			if roots[i] != i {
				continue
			}
			group := append(groupBuf[:0], i)
			for j := i + 1; j < len(reqs); j++ {
				if roots[j] == i {
					group = append(group, j)
				}
			}
			if err = m.pick(ctx, reqs, states, group, hs); err != nil {
				break
			}
			for _, j := range group {
				hs[j].mark()
				marked = append(marked, j)
			}
		}
		if err == nil {
			sc.conds = m.conds(sc.conds[:0], owner, hs)
			return hs, sc.conds, nil
		}
		for _, j := range marked {
			hs[j].unmark()
		}
		if !errors.Is(err, ErrExhausted) || pass > 0 {
			return nil, nil, err
		}
	}
}

// reloaded reports whether ps is among the states already reloaded in this
// pass.
func reloaded(done []*poolState, ps *poolState) bool {
	for _, d := range done {
		if d == ps {
			return true
		}
	}
	return false
}

// conds appends to conds the store conditions of a claim of hs by owner.
func (m *Manager) conds(conds []store.Cond, owner string, hs []held) []store.Cond {
	conds = append(conds, store.Absent(claimKey(owner)))
	for i, h := range hs {
		if !slices.ContainsFunc(hs[:i], func(o held) bool { return o.ps == h.ps }) {
			conds = append(conds, store.Unchanged(h.ps.defKey, h.ps.rev))
		}
	}
	for _, h := range hs {
		key := h.key
		if !h.v.kind.ip() {
			conds = append(conds, store.Absent(key))
			continue
		}
		// Nothing inside the prefix, and nothing containing it, may be
		// held: the keys of prefixes inside start with this key, and the
		// keys of the prefixes containing it are its leading parts.
		conds = append(conds, store.NoneWithPrefix(key))
		base := h.ss.prefix
		bits := key[len(base):]
		for n := h.ps.c.container(h.v.Prefix()).Bits(); n < len(bits); n++ {
			conds = append(conds, store.Absent(base+bits[:n]))
		}
	}
	return conds
}

// pick chooses the value of one SameAs group (one request when it has no
// SameAs partners) and fills hs for its members, without marking them.
func (m *Manager) pick(ctx context.Context, reqs []Request, states []*poolState, group []int, hs []held) error {
	first := reqs[group[0]]
	ps0 := states[group[0]]
	fail := func(ps *poolState, r Request, v string, err error, detail string) error {
		return &Error{Pool: ps.name, Scope: r.Scope, Value: v, Err: err, Detail: detail}
	}
	if len(group) > 1 {
		seen := map[string]bool{}
		for _, j := range group {
			if !states[j].c.spec.Kind.numeric() {
				return fail(states[j], reqs[j], "", ErrInvalid, fmt.Sprintf("request %q: sameAs works for numeric pools only", reqs[j].Name))
			}
			k := reqs[j].Pool + "\x00" + reqs[j].Scope
			if seen[k] {
				return fail(states[j], reqs[j], "", ErrInvalid, fmt.Sprintf("request %q: sameAs would need one value twice in %s", reqs[j].Name, describe(reqs[j].Pool, reqs[j].Scope)))
			}
			seen[k] = true
		}
	}

	// A specific value, for the whole group.
	want := ""
	for _, j := range group {
		if reqs[j].Value != "" {
			want = reqs[j].Value
		}
	}
	if want != "" {
		var n uint64
		for idx, j := range group {
			ps, r := states[j], reqs[j]
			v, err := ps.c.parseValue(want)
			if err != nil {
				return fail(ps, r, "", ErrInvalid, fmt.Sprintf("request %q: %v", r.Name, err))
			}
			if idx == 0 {
				n = v.n
			} else if v.n != n {
				return fail(ps, r, want, ErrInvalid, "sameAs values differ")
			}
			if v.kind.ip() && r.Length != 0 && r.Length != v.Prefix().Bits() {
				return fail(ps, r, want, ErrInvalid, fmt.Sprintf("request %q asks for length /%d and value %s", r.Name, r.Length, want))
			}
			if !ps.c.allows(v) {
				return fail(ps, r, v.String(), ErrOutOfRange, "")
			}
			if by, ok := ps.taken(r.Scope, v); ok {
				return m.takenError(ctx, ps, r, v, by)
			}
			hs[j] = ps.newHeld(ps.scope(r.Scope), r.Scope, v, r.Name)
		}
		return nil
	}

	if ps0.c.spec.Kind.ip() {
		bits := first.Length
		if bits == 0 {
			bits = ps0.c.length
		}
		if bits > ps0.c.length && first.Length == 0 || bits > ps0.c.spec.Kind.bitLen() {
			return fail(ps0, first, "", ErrInvalid, fmt.Sprintf("request %q: length /%d is too long for %s", first.Name, bits, ps0.c.spec.Kind))
		}
		if fits := slices.ContainsFunc(ps0.c.prefixes, func(p netip.Prefix) bool { return p.Bits() <= bits }); !fits {
			return fail(ps0, first, "", ErrInvalid, fmt.Sprintf("request %q: length /%d is shorter than every prefix of the pool", first.Name, bits))
		}
		ss := ps0.scope(first.Scope)
		from := netip.Addr{}
		if ps0.c.spec.Strategy == RoundRobin && ss.hasLast {
			from = ss.cursorA.Next()
		}
		p, ok := ss.nextPrefix(ps0.c, bits, from)
		if hot := max(ss.heat.hot, ps0.heat.hot); hot > 0 && ok {
			// As for numbers: skip a few free blocks at random while
			// other writers contend for the lowest ones.
			for skip := rand.IntN(min(spread(hot), 1024)); skip > 0 && lastAddr(p).Next().IsValid(); skip-- {
				q, more := ss.nextPrefix(ps0.c, bits, lastAddr(p).Next())
				if !more {
					break
				}
				p = q
			}
		}
		if !ok && from.IsValid() {
			p, ok = ss.nextPrefix(ps0.c, bits, netip.Addr{})
		}
		if !ok {
			return fail(ps0, first, "", ErrExhausted, fmt.Sprintf("no free /%d", bits))
		}
		ss.cursorA, ss.hasLast = p.Addr(), true
		hs[group[0]] = ps0.newHeld(ss, first.Scope, prefixValue(ps0.c.spec.Kind, p), first.Name)
		return nil
	}

	// The lowest number free in every member's pool and scope, at or after
	// the round-robin position of the first.
	var ssBuf [8]*scopeState
	sss := ssBuf[:0]
	for _, j := range group {
		sss = append(sss, states[j].scope(reqs[j].Scope))
	}
	ss := sss[0]
	start := uint64(0)
	if ps0.c.spec.Strategy == RoundRobin && ss.hasLast && ss.cursor < ^uint64(0) {
		start = ss.cursor + 1
	}
	if hot := max(ss.heat.hot, ps0.heat.hot); hot > 0 {
		// Other writers keep taking the lowest free values here: start a
		// little above them, at random, so that concurrent writers stop
		// proposing the same value. First-free becomes approximate while
		// the contention lasts.
		if base, ok := ss.nextNumber(ps0.c, start); ok {
			start = base + uint64(rand.IntN(spread(hot)))
		}
	}
	n, ok := common(states, group, sss, start)
	if !ok && start > 0 {
		n, ok = common(states, group, sss, 0)
	}
	if !ok {
		detail := "no free value"
		if len(group) > 1 {
			detail = "no value free in every pool of the sameAs group"
		}
		return fail(ps0, first, "", ErrExhausted, detail)
	}
	ss.cursor, ss.hasLast = n, true
	for i, j := range group {
		hs[j] = states[j].newHeld(sss[i], reqs[j].Scope, states[j].c.numberValue(n), reqs[j].Name)
	}
	return nil
}

// scratch holds a claim's working slices, reused from claim to claim: the
// store copies whatever it keeps, and pending values are copied into their
// pool, so nothing here outlives the claim.
type scratch struct {
	roots  []int
	states []*poolState
	hs     []held
	conds  []store.Cond
	ops    []store.Op
	buf    []byte
}

var scratchPool = sync.Pool{New: func() any { return new(scratch) }}

// grow returns s resized to n zeroed elements, reusing its array if it can.
func grow[T any](s []T, n int) []T {
	s = slices.Grow(s[:0], n)[:n]
	clear(s)
	return s
}

// spread is how far above the lowest free value a claim may start looking
// in a scope where it lost races to other writers (other processes sharing
// the store): a random start within 256 values after the first lost race,
// doubling with each further one, so that writers stop proposing the same
// value; the heat of a scope is the greater of its own and its pool's (so a
// pool where writers collide spreads out in every scope at once), and each
// cools down one step per 64 successful claims. First-free
// is then approximate, by at most that distance, while contention lasts;
// the holes left behind are filled later, since the search always starts
// from the lowest free value.
func spread(hot int) int { return 1 << min(hot+7, 20) }

// common returns the lowest number >= from that is free in the pool and
// scope of every member of a group.
func common(states []*poolState, group []int, sss []*scopeState, from uint64) (uint64, bool) {
	c := from
	for {
		agreed := true
		for i, j := range group {
			v, ok := sss[i].nextNumber(states[j].c, c)
			if !ok {
				return 0, false
			}
			if v != c {
				c, agreed = v, false
				break
			}
		}
		if agreed {
			return c, true
		}
	}
}

// takenError builds the ErrTaken error for v, naming the owner that holds
// by (which is v itself, or for prefixes a prefix overlapping it). m.mu must
// be held.
func (m *Manager) takenError(ctx context.Context, ps *poolState, r Request, v, by Value) error {
	e := &Error{Pool: ps.name, Scope: r.Scope, Value: v.String(), Err: ErrTaken}
	if by != v {
		e.Detail = "it overlaps " + by.String()
	}
	key := scopeAllocPrefix(ps.name, r.Scope) + valueKeySuffix(by)
	if h, ok := ps.pending[key]; ok {
		e.Detail = fmt.Sprintf("a claim for request %q is being written", h.name)
	} else if it, err := m.st.Get(ctx, key); err == nil {
		e.Holder, _, _ = strings.Cut(string(it.Value), "\n")
	}
	return e
}
