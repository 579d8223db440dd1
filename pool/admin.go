package pool

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/carrierkit/carrierkit/store"
)

// Lookup returns the claim owner holds. The error wraps [ErrNoClaim] when it
// holds none.
func (m *Manager) Lookup(ctx context.Context, owner string) (Claim, error) {
	if err := checkText("owner", owner, 256); err != nil {
		return Claim{}, err
	}
	c, found, err := m.lookup(ctx, owner)
	if err == nil && !found {
		err = &Error{Op: "lookup", Owner: owner, Err: ErrNoClaim}
	}
	return c, err
}

// lookup returns the claim owner holds, if any.
func (m *Manager) lookup(ctx context.Context, owner string) (Claim, bool, error) {
	it, err := m.st.Get(ctx, claimKey(owner))
	if errors.Is(err, store.ErrNotFound) {
		return Claim{}, false, nil
	}
	if err != nil {
		return Claim{}, false, &Error{Op: "lookup", Owner: owner, Err: err}
	}
	c, err := m.decode(ctx, owner, it)
	return c, err == nil, err
}

// decode turns a stored claim record into a Claim.
func (m *Manager) decode(ctx context.Context, owner string, it store.Item) (Claim, error) {
	recs, err := decodeClaim(it.Value)
	if err != nil {
		return Claim{}, &Error{Op: "lookup", Owner: owner, Err: err}
	}
	c := Claim{Owner: owner, Items: make([]Item, len(recs)), Revision: it.Revision}
	m.mu.Lock()
	defer m.mu.Unlock()
	for i, r := range recs {
		ps, err := m.state(ctx, r.pool)
		if err != nil {
			return Claim{}, &Error{Op: "lookup", Owner: owner, Pool: r.pool, Err: err}
		}
		v, err := ps.c.parseValue(r.value)
		if err != nil {
			return Claim{}, &Error{Op: "lookup", Owner: owner, Pool: r.pool, Err: fmt.Errorf("corrupt claim record: %w", err)}
		}
		c.Items[i] = Item{Name: r.name, Pool: r.pool, Scope: r.scope, Value: v}
	}
	return c, nil
}

// matches reports how a held claim differs from requests made again for
// its owner, or nil if the claim satisfies them.
func (m *Manager) matches(c Claim, reqs []Request, roots []int) error {
	if len(c.Items) != len(reqs) {
		return fmt.Errorf("it holds %d values, %d are requested", len(c.Items), len(reqs))
	}
	for i, r := range reqs {
		k := slices.IndexFunc(c.Items, func(it Item) bool { return it.Name == r.Name })
		if k < 0 {
			return fmt.Errorf("it holds no value named %q", r.Name)
		}
		it := c.Items[k]
		v := it.Value
		switch {
		case it.Pool != r.Pool || it.Scope != r.Scope:
			return fmt.Errorf("%q is held in %s, requested from %s", r.Name, describe(it.Pool, it.Scope), describe(r.Pool, r.Scope))
		case v.kind.ip() && r.Length != 0 && v.Prefix().Bits() != r.Length:
			return fmt.Errorf("%q is %s, requested length /%d", r.Name, v, r.Length)
		}
		if r.Value != "" {
			m.mu.Lock()
			ps := m.pools[r.Pool]
			m.mu.Unlock()
			if ps == nil {
				return fmt.Errorf("pool %q is not loaded", r.Pool)
			}
			want, err := ps.c.parseValue(r.Value)
			if err != nil || want != v {
				return fmt.Errorf("%q is %s, requested %s", r.Name, v, r.Value)
			}
		}
		if roots[i] != i {
			if root, _ := c.Get(reqs[roots[i]].Name); root.n != v.n {
				return fmt.Errorf("%q is %s, requested the same as %q (%s)", r.Name, v, reqs[roots[i]].Name, root)
			}
		}
	}
	return nil
}

// Release frees every value owner holds and removes its claim, atomically,
// and returns what was released. The error wraps [ErrNoClaim] when owner
// holds nothing, so a repeated release is recognisable rather than harmful.
func (m *Manager) Release(ctx context.Context, owner string) (Claim, error) {
	for attempt := 0; attempt < m.maxAttempts; attempt++ {
		c, err := m.Lookup(ctx, owner)
		if err != nil {
			setOp(err, "release", owner)
			return Claim{}, err
		}
		conds := []store.Cond{store.Unchanged(claimKey(owner), c.Revision)}
		ops := []store.Op{store.Delete(claimKey(owner))}
		for _, it := range c.Items {
			ops = append(ops, store.Delete(scopeAllocPrefix(it.Pool, it.Scope)+valueKeySuffix(it.Value)))
		}
		_, err = m.st.Txn(ctx, conds, ops)
		if errors.Is(err, store.ErrConflict) {
			continue
		}
		if err != nil {
			return Claim{}, &Error{Op: "release", Owner: owner, Err: err}
		}
		m.mu.Lock()
		for _, it := range c.Items {
			if ps := m.pools[it.Pool]; ps != nil {
				ps.remove(it.Scope, it.Value)
			}
		}
		m.mu.Unlock()
		return c, nil
	}
	return Claim{}, &Error{Op: "release", Owner: owner, Err: ErrContention}
}

// Claims returns every claim whose owner key starts with prefix, ordered by
// owner; an empty prefix returns all.
func (m *Manager) Claims(ctx context.Context, prefix string) ([]Claim, error) {
	var items []store.Item
	err := m.st.List(ctx, claimPrefix+prefix, func(it store.Item) error {
		items = append(items, it)
		return nil
	})
	if err != nil {
		return nil, &Error{Op: "list claims", Err: err}
	}
	out := make([]Claim, 0, len(items))
	for _, it := range items {
		c, err := m.decode(ctx, strings.TrimPrefix(it.Key, claimPrefix), it)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, nil
}

// CreatePool adds the pool spec defines. Creating a pool again with an
// identical spec does nothing; a different pool of the same name is an
// error wrapping [ErrPoolExists]. A bad spec is an error wrapping
// [ErrInvalid] that names the field.
func (m *Manager) CreatePool(ctx context.Context, spec Spec) error {
	if err := spec.Validate(); err != nil {
		return err
	}
	b, err := json.Marshal(defRecord{Spec: spec})
	if err != nil {
		return &Error{Op: "create", Pool: spec.Name, Err: err}
	}
	_, err = m.st.Txn(ctx, []store.Cond{store.Absent(defKey(spec.Name))}, []store.Op{store.Put(defKey(spec.Name), b)})
	if errors.Is(err, store.ErrConflict) {
		if it, gerr := m.st.Get(ctx, defKey(spec.Name)); gerr == nil && bytes.Equal(it.Value, b) {
			return nil
		}
		return &Error{Op: "create", Pool: spec.Name, Err: ErrPoolExists}
	}
	if err != nil {
		return &Error{Op: "create", Pool: spec.Name, Err: err}
	}
	return nil
}

// Pools returns the specs of every pool, ordered by name.
func (m *Manager) Pools(ctx context.Context) ([]Spec, error) {
	var out []Spec
	err := m.st.List(ctx, defPrefix, func(it store.Item) error {
		var rec defRecord
		if err := json.Unmarshal(it.Value, &rec); err != nil {
			return fmt.Errorf("corrupt definition record %q: %v", it.Key, err)
		}
		out = append(out, rec.Spec)
		return nil
	})
	if err != nil {
		return nil, &Error{Op: "list pools", Err: err}
	}
	return out, nil
}

// UpdatePool changes a pool's ranges, exclusions, strategy, length or low
// water mark. Growing always works. Shrinking (or excluding) works only
// where no value is held: otherwise the pool is left as it was and the
// error wraps [ErrPoolInUse] and names the values held outside the new
// ranges and their owners. The kind, scoping and administrator of a pool
// never change.
//
// The change is made in three store writes so that no claim, from any
// process, can take a value the new spec excludes while the held values are
// checked: first claims are restricted to what both the old and the new spec
// allow, then the held values are checked, then the new spec is written (or
// the old one restored). If the process dies between them, claims stay
// restricted to both specs until the next UpdatePool of the pool finishes.
func (m *Manager) UpdatePool(ctx context.Context, spec Spec) error {
	return m.change(ctx, "update", spec.Name, &spec)
}

// DeletePool removes a pool that holds no value; otherwise the error wraps
// [ErrPoolInUse] and names values held in it.
func (m *Manager) DeletePool(ctx context.Context, name string) error {
	if err := checkPoolName(name); err != nil {
		return err
	}
	return m.change(ctx, "delete", name, nil)
}

// change runs the three steps of UpdatePool; spec nil deletes the pool.
func (m *Manager) change(ctx context.Context, op, name string, spec *Spec) error {
	fail := func(err error, detail string) error {
		return &Error{Op: op, Pool: name, Err: err, Detail: detail}
	}
	var next *compiled
	if spec != nil {
		var err error
		if next, err = compile(*spec); err != nil {
			return err
		}
	}
	rec, rev, _, err := readDef(ctx, m.st, name)
	if err != nil {
		setOp(err, op, "")
		return err
	}
	old := rec.Spec
	if spec != nil {
		switch {
		case spec.Kind != old.Kind:
			return fail(ErrInvalid, fmt.Sprintf("kind cannot change from %s to %s", old.Kind, spec.Kind))
		case spec.Scoped != old.Scoped:
			return fail(ErrInvalid, "scoped cannot change")
		case spec.Admin != old.Admin:
			return fail(ErrInvalid, fmt.Sprintf("admin cannot change from %q to %q", old.Admin, spec.Admin))
		}
	}
	put := func(rec defRecord, cond int64) (int64, error) {
		b, err := json.Marshal(rec)
		if err != nil {
			return 0, err
		}
		return m.st.Txn(ctx, []store.Cond{store.Unchanged(defKey(name), cond)}, []store.Op{store.Put(defKey(name), b)})
	}
	storeErr := func(err error) error {
		if errors.Is(err, store.ErrConflict) {
			return fail(err, "the pool was changed concurrently; try again")
		}
		return fail(err, "")
	}

	// 1. Restrict claims to what both specs allow.
	step := defRecord{Spec: old, Next: spec, Deleting: spec == nil}
	rev1, err := put(step, rev)
	if err != nil {
		return storeErr(err)
	}
	defer m.forget(name)

	// 2. Check what is held.
	var outside []string
	err = m.st.List(ctx, allocPrefix+name+"/", func(it store.Item) error {
		_, scope, suffix, err := parseAllocKey(it.Key)
		if err != nil {
			return err
		}
		if next != nil {
			v, err := next.valueFromKeySuffix(suffix)
			if err != nil {
				return err
			}
			if next.allows(v) {
				return nil
			}
			suffix = v.String()
		}
		owner, _, _ := strings.Cut(string(it.Value), "\n")
		where := ""
		if scope != "" {
			where = " on " + scope
		}
		outside = append(outside, fmt.Sprintf("%s%s (%s)", suffix, where, owner))
		return nil
	})
	if err == nil && len(outside) > 0 {
		err = fail(ErrPoolInUse, "held values outside the new ranges: "+quoteList(outside, 10))
		if spec == nil {
			err = fail(ErrPoolInUse, fmt.Sprintf("%d values held, e.g. %s", len(outside), quoteList(outside, 3)))
		}
	} else if err != nil {
		err = fail(err, "")
	}

	// 3. Restore the old spec, or write the new one.
	if err != nil {
		if _, rerr := put(defRecord{Spec: old}, rev1); rerr != nil {
			return fail(err, fmt.Sprintf("and restoring the old definition failed: %v", rerr))
		}
		return err
	}
	if spec == nil {
		_, err = m.st.Txn(ctx, []store.Cond{store.Unchanged(defKey(name), rev1)}, []store.Op{store.Delete(defKey(name))})
	} else {
		_, err = put(defRecord{Spec: *spec}, rev1)
	}
	if err != nil {
		return storeErr(err)
	}
	return nil
}

// forget drops the Manager's copy of a pool so the next use reads it again.
func (m *Manager) forget(name string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if ps := m.pools[name]; ps != nil && len(ps.pending) == 0 {
		delete(m.pools, name)
	}
}

// allows reports whether the value v may be held under c.
func (c *compiled) allows(v Value) bool {
	if v.kind.ip() {
		return c.prefixOK(v.Prefix())
	}
	return c.inRange(v.n)
}

// Usage reports how full a pool is. It reads the pool's held values from
// the store again, so it counts what every process holds.
type Usage struct {
	Pool   string
	Kind   Kind
	Scoped bool
	// Size is how many values the pool can hold: per scope when the pool
	// is scoped, and in addresses for ip pools (saturating at 2^64-1).
	Size uint64
	// Held is how many values (for ip pools, prefixes) are held over all
	// scopes; Used is the same in addresses for ip pools.
	Held int
	Used uint64
	// Free is what remains: in the pool, or in its fullest scope.
	Free uint64
	// Low is set when Free is under the pool's LowWater percentage of
	// Size (in any scope, when scoped).
	Low bool
	// Scopes lists, for a scoped pool, each scope that holds values,
	// ordered by scope.
	Scopes []ScopeUsage
}

// ScopeUsage is the usage of one scope of a scoped pool.
type ScopeUsage struct {
	Scope string
	Held  int
	Used  uint64
	Free  uint64
	Low   bool
}

// Usage returns the pool's usage, read afresh from the store.
func (m *Manager) Usage(ctx context.Context, name string) (Usage, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	ps, err := m.reload(ctx, name)
	if err != nil {
		setOp(err, "usage", "")
		return Usage{}, err
	}
	c := ps.c
	u := Usage{Pool: name, Kind: c.spec.Kind, Scoped: c.spec.Scoped}
	low := c.spec.LowWater
	if low == 0 {
		low = 10
	}
	isLow := func(free, size uint64) bool {
		return size > 0 && float64(free)*100 < float64(low)*float64(size)
	}
	if c.spec.Kind.ip() {
		for _, p := range c.prefixes {
			u.Size = satAdd(u.Size, addrCount(p))
		}
		for _, b := range c.blocked {
			for _, p := range c.prefixes {
				if p.Overlaps(b) {
					n := addrCount(b)
					if p.Bits() > b.Bits() {
						n = addrCount(p)
					}
					u.Size -= min(n, u.Size)
				}
			}
		}
	} else {
		u.Size = c.size
	}
	scopes := slices.Sorted(maps.Keys(ps.scopes))
	u.Free = u.Size
	for _, scope := range scopes {
		ss := ps.scopes[scope]
		su := ScopeUsage{Scope: scope, Held: ss.held()}
		var usedIn uint64
		if ss.ip != nil {
			for p := range ss.ip.All() {
				su.Used = satAdd(su.Used, addrCount(p))
			}
			for _, r := range c.prefixes {
				_, n := ss.ip.CountIn(r)
				usedIn = satAdd(usedIn, n)
			}
		} else {
			su.Used = uint64(su.Held)
			for _, r := range c.ranges {
				usedIn += uint64(ss.num.CountIn(r))
			}
		}
		if su.Held == 0 {
			continue
		}
		su.Free = u.Size - min(usedIn, u.Size)
		su.Low = isLow(su.Free, u.Size)
		u.Held += su.Held
		u.Used = satAdd(u.Used, su.Used)
		u.Free = min(u.Free, su.Free)
		u.Low = u.Low || su.Low
		if c.spec.Scoped {
			u.Scopes = append(u.Scopes, su)
		}
	}
	if !c.spec.Scoped {
		u.Low = isLow(u.Free, u.Size)
	}
	return u, nil
}

// Verify reads every pool, claim and held value from the store and checks
// that they agree: each value held belongs to the claim of the owner it
// names, each claim's values are held, no two held prefixes overlap, and no
// value lies outside its pool. It returns nil when all holds, and otherwise
// an error wrapping [ErrInvalid] that lists the first problems found. It is
// meant for audits and tests after crashes; it reads the whole pool space.
func (m *Manager) Verify(ctx context.Context) error {
	specs := map[string]*compiled{}
	err := m.st.List(ctx, defPrefix, func(it store.Item) error {
		var rec defRecord
		if err := json.Unmarshal(it.Value, &rec); err != nil {
			return fmt.Errorf("corrupt definition record %q: %v", it.Key, err)
		}
		c, err := compile(rec.Spec)
		if err != nil {
			return err
		}
		specs[rec.Spec.Name] = c
		return nil
	})
	if err != nil {
		return &Error{Op: "verify", Err: err}
	}
	var problems []string
	held := map[string]string{} // alloc key → owner
	overlaps := map[string]*poolState{}
	err = m.st.List(ctx, allocPrefix, func(it store.Item) error {
		name, scope, suffix, err := parseAllocKey(it.Key)
		if err != nil {
			return err
		}
		owner, _, _ := strings.Cut(string(it.Value), "\n")
		held[it.Key] = owner
		c := specs[name]
		if c == nil {
			problems = append(problems, fmt.Sprintf("%s held by %q in unknown pool", it.Key, owner))
			return nil
		}
		v, err := c.valueFromKeySuffix(suffix)
		if err != nil {
			return err
		}
		if !c.allows(v) {
			problems = append(problems, fmt.Sprintf("%s %s held by %q outside the pool", describe(name, scope), v, owner))
		}
		ps := overlaps[name]
		if ps == nil {
			ps = &poolState{name: name, c: c, scopes: map[string]*scopeState{}}
			overlaps[name] = ps
		}
		if !ps.add(scope, v) {
			problems = append(problems, fmt.Sprintf("%s %s held by %q overlaps another held value", describe(name, scope), v, owner))
		}
		return nil
	})
	if err != nil {
		return &Error{Op: "verify", Err: err}
	}
	err = m.st.List(ctx, claimPrefix, func(it store.Item) error {
		owner := strings.TrimPrefix(it.Key, claimPrefix)
		recs, err := decodeClaim(it.Value)
		if err != nil {
			problems = append(problems, fmt.Sprintf("claim %q: %v", owner, err))
			return nil
		}
		for _, r := range recs {
			c := specs[r.pool]
			if c == nil {
				problems = append(problems, fmt.Sprintf("claim %q: %q is in unknown pool %q", owner, r.name, r.pool))
				continue
			}
			v, err := c.parseValue(r.value)
			if err != nil {
				problems = append(problems, fmt.Sprintf("claim %q: %v", owner, err))
				continue
			}
			key := scopeAllocPrefix(r.pool, r.scope) + valueKeySuffix(v)
			switch h, ok := held[key]; {
			case !ok:
				problems = append(problems, fmt.Sprintf("claim %q: %s %s is not held", owner, describe(r.pool, r.scope), v))
			case h != owner:
				problems = append(problems, fmt.Sprintf("claim %q: %s %s is held by %q", owner, describe(r.pool, r.scope), v, h))
			}
			delete(held, key)
		}
		return nil
	})
	if err != nil {
		return &Error{Op: "verify", Err: err}
	}
	for key, owner := range held {
		problems = append(problems, fmt.Sprintf("%s is held by %q, whose claim does not list it", key, owner))
	}
	if len(problems) > 0 {
		slices.Sort(problems)
		return &Error{Op: "verify", Err: ErrInvalid, Detail: fmt.Sprintf("%d problems: %s", len(problems), quoteList(problems, 10))}
	}
	return nil
}
