package pool_test

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"sync"
	"testing"

	"github.com/carrierkit/carrierkit/pool"
	"github.com/carrierkit/carrierkit/store"
)

// TestConcurrentManagers runs several Managers — each standing for a
// separate OSS process with its own in-memory copy of the pools — over one
// store, each with several goroutines, claiming from the same pools at once:
// E-LINEs (per-interface VLANs + global VC ID), /31s and /30s from one
// prefix, and brownfield marks of the same values. No value may end up with
// two owners, no prefixes may overlap, and every successful claim must be in
// the store exactly as returned.
func TestConcurrentManagers(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st := store.NewMemory()
	defer st.Close()
	setup := pool.New(st)
	for _, s := range []pool.Spec{
		{Name: "vl", Kind: pool.KindVLAN, Ranges: []string{"100-400"}, Scoped: true},
		{Name: "vc", Kind: pool.KindVCID, Ranges: []string{"1-100000"}},
		{Name: "p2p", Kind: pool.KindIPv4, Ranges: []string{"10.0.0.0/16"}, Length: 31},
	} {
		if err := setup.CreatePool(ctx, s); err != nil {
			t.Fatal(err)
		}
	}
	const managers, workers, perWorker = 4, 4, 60
	var (
		mu  sync.Mutex
		got = map[string]pool.Claim{}
		wg  sync.WaitGroup
	)
	for mi := range managers {
		m := pool.New(st)
		for w := range workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range perWorker {
					owner := fmt.Sprintf("svc-%d-%d-%d", mi, w, i)
					reqs := []pool.Request{
						{Name: "a", Pool: "vl", Scope: fmt.Sprintf("pe%d:ge-0/0/%d", i%3, i%5)},
						{Name: "b", Pool: "vl", Scope: fmt.Sprintf("pe%d:ge-0/0/%d", 3+i%3, i%5)},
						{Name: "vc", Pool: "vc"},
						{Name: "link", Pool: "p2p", Length: 31 - i%2},
					}
					if i%10 == 0 {
						// Brownfield: every manager tries to mark the same VC ID.
						reqs = []pool.Request{{Name: "vc", Pool: "vc", Value: fmt.Sprint(50000 + i)}}
					}
					c, err := m.Claim(ctx, owner, reqs...)
					if i%10 == 0 && errors.Is(err, pool.ErrTaken) {
						continue
					}
					if err != nil {
						t.Errorf("claim %s: %v", owner, err)
						return
					}
					// Retrying the same owner from another manager is idempotent.
					if i%7 == 0 {
						again, err := setup.Claim(ctx, owner, reqs...)
						if err != nil || values(again) != values(c) {
							t.Errorf("retry of %s on another manager = %q, %v; want %q", owner, values(again), err, values(c))
						}
					}
					mu.Lock()
					got[owner] = c
					mu.Unlock()
				}
			}()
		}
	}
	wg.Wait()

	// No value twice, no overlapping prefixes, among what callers were told.
	seen := map[string]string{}
	var prefixes []netip.Prefix
	var prefixOwner []string
	for owner, c := range got {
		for _, it := range c.Items {
			if it.Value.Kind() == pool.KindIPv4 {
				for i, p := range prefixes {
					if p.Overlaps(it.Value.Prefix()) {
						t.Errorf("%s of %s overlaps %s of %s", it.Value, owner, p, prefixOwner[i])
					}
				}
				prefixes = append(prefixes, it.Value.Prefix())
				prefixOwner = append(prefixOwner, owner)
				continue
			}
			k := it.Pool + "|" + it.Scope + "|" + it.Value.String()
			if other, dup := seen[k]; dup {
				t.Errorf("%s given to %s and %s", k, owner, other)
			}
			seen[k] = owner
		}
	}
	// The store agrees with what callers were told.
	for owner, c := range got {
		stored, err := setup.Lookup(ctx, owner)
		if err != nil || values(stored) != values(c) {
			t.Errorf("stored claim of %s = %q, %v; want %q", owner, values(stored), err, values(c))
		}
	}
	claims, err := setup.Claims(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(claims) != len(got) {
		t.Errorf("store holds %d claims, callers got %d", len(claims), len(got))
	}
	if err := setup.Verify(ctx); err != nil {
		t.Error(err)
	}
	// The brownfield values went to exactly one manager each.
	for i := 0; i < perWorker; i += 10 {
		n := 0
		for _, c := range got {
			if v, ok := c.Get("vc"); ok && v.Number() == uint64(50000+i) {
				n++
			}
		}
		if n != 1 {
			t.Errorf("VC ID %d marked by %d owners, want 1", 50000+i, n)
		}
	}
}

// TestConcurrentReleaseAndClaim interleaves releases and claims from two
// managers on a small pool, so values are reused while other copies of the
// pool still believe them held or free.
func TestConcurrentReleaseAndClaim(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st := store.NewMemory()
	defer st.Close()
	m1, m2 := pool.New(st), pool.New(st)
	if err := m1.CreatePool(ctx, pool.Spec{Name: "small", Kind: pool.KindVCID, Ranges: []string{"1-8"}}); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for g, m := range []*pool.Manager{m1, m2, m1, m2} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 200 {
				owner := fmt.Sprintf("o-%d-%d", g, i%3)
				if _, err := m.Claim(ctx, owner, pool.Request{Name: "v", Pool: "small"}); err != nil && !errors.Is(err, pool.ErrExhausted) {
					t.Errorf("claim %s: %v", owner, err)
					return
				}
				if i%2 == 1 {
					if _, err := m.Release(ctx, owner); err != nil && !errors.Is(err, pool.ErrNoClaim) {
						t.Errorf("release %s: %v", owner, err)
						return
					}
				}
			}
		}()
	}
	wg.Wait()
	if err := m1.Verify(ctx); err != nil {
		t.Error(err)
	}
	u, err := m2.Usage(ctx, "small")
	if err != nil {
		t.Fatal(err)
	}
	claims, _ := m2.Claims(ctx, "")
	if u.Held != len(claims) {
		t.Errorf("usage says %d held, store has %d claims", u.Held, len(claims))
	}
}
