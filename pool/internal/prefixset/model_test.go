package prefixset

import (
	"encoding/binary"
	"fmt"
	"math/rand/v2"
	"net/netip"
	"slices"
	"testing"
)

// refSet is the brute-force reference over a window prefix of at most a few
// thousand addresses: a bool per address saying whether a stored prefix
// covers it, and the list of stored prefixes. Every prefix it handles lies
// inside the window.
type refSet struct {
	window netip.Prefix
	used   []bool
	stored []netip.Prefix
}

func newRef(window netip.Prefix) *refSet {
	return &refSet{window: window, used: make([]bool, 1<<(window.Addr().BitLen()-window.Bits()))}
}

// off returns a's offset from the start of the window.
func (r *refSet) off(a netip.Addr) int {
	return int(lowBits(a) - lowBits(r.window.Addr()))
}

// nth returns the address at offset i from the start of the window.
func (r *refSet) nth(i int) netip.Addr {
	return addWithin(r.window.Addr(), i)
}

func lowBits(a netip.Addr) uint32 {
	b := a.As16()
	return binary.BigEndian.Uint32(b[12:])
}

// addWithin returns a+i; the tests keep the sum inside the last 32 bits.
func addWithin(a netip.Addr, i int) netip.Addr {
	b := a.As16()
	binary.BigEndian.PutUint32(b[12:], binary.BigEndian.Uint32(b[12:])+uint32(i))
	if a.Is4() {
		return netip.AddrFrom16(b).Unmap()
	}
	return netip.AddrFrom16(b)
}

func (r *refSet) span(p netip.Prefix) (lo, n int) {
	return r.off(p.Addr()), 1 << (p.Addr().BitLen() - p.Bits())
}

func (r *refSet) free(p netip.Prefix) bool {
	lo, n := r.span(p)
	return !slices.Contains(r.used[lo:lo+n], true)
}

func (r *refSet) add(p netip.Prefix) bool {
	if !r.free(p) {
		return false
	}
	lo, n := r.span(p)
	for i := lo; i < lo+n; i++ {
		r.used[i] = true
	}
	r.stored = append(r.stored, p)
	return true
}

func (r *refSet) remove(p netip.Prefix) bool {
	i := slices.Index(r.stored, p)
	if i < 0 {
		return false
	}
	r.stored = slices.Delete(r.stored, i, i+1)
	lo, n := r.span(p)
	for i := lo; i < lo+n; i++ {
		r.used[i] = false
	}
	return true
}

func (r *refSet) nextFree(within netip.Prefix, b int, from netip.Addr) (netip.Prefix, bool) {
	lo, n := r.span(within)
	size := 1 << (within.Addr().BitLen() - b)
	for i := lo; i < lo+n; i += size {
		p := netip.PrefixFrom(r.nth(i), b)
		if from.IsValid() && p.Addr().Less(from) {
			continue
		}
		if r.free(p) {
			return p, true
		}
	}
	return netip.Prefix{}, false
}

func (r *refSet) countIn(q netip.Prefix) (int, uint64) {
	n, addrs := 0, uint64(0)
	for _, p := range r.stored {
		if q.Bits() <= p.Bits() && q.Contains(p.Addr()) {
			n++
			addrs += 1 << (p.Addr().BitLen() - p.Bits())
		}
	}
	return n, addrs
}

func (r *refSet) sorted() []netip.Prefix {
	out := slices.Clone(r.stored)
	slices.SortFunc(out, func(a, b netip.Prefix) int { return a.Addr().Compare(b.Addr()) })
	return out
}

// randPrefix returns a random masked prefix inside the window with a length
// in [window.Bits()+minExtra, family width].
func (r *refSet) randPrefix(rng *rand.Rand, minExtra int) netip.Prefix {
	w := r.window.Addr().BitLen()
	n := r.window.Bits() + minExtra + rng.IntN(w-r.window.Bits()-minExtra+1)
	p, _ := r.nth(rng.IntN(len(r.used))).Prefix(n)
	return p
}

func TestModel(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		window netip.Prefix
		seed   uint64
		steps  int
	}{
		{name: "ipv4 /24", window: pfx("10.0.0.0/24"), seed: 1, steps: 4000},
		{name: "ipv4 /24 again", window: pfx("10.0.0.0/24"), seed: 2, steps: 4000},
		{name: "ipv4 /20", window: pfx("10.1.0.0/20"), seed: 3, steps: 3000},
		{name: "ipv4 top of space", window: pfx("255.255.255.0/24"), seed: 4, steps: 3000},
		{name: "ipv6 /120", window: pfx("2001:db8::ff00/120"), seed: 5, steps: 4000},
		{name: "ipv6 /116", window: pfx("2001:db8::f000/116"), seed: 6, steps: 3000},
		{name: "ipv6 top of space", window: pfx("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ff00/120"), seed: 7, steps: 3000},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			runModel(t, tt.window, tt.seed, tt.steps)
		})
	}
}

func runModel(t *testing.T, window netip.Prefix, seed uint64, steps int) {
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	s := &Set{}
	ref := newRef(window)
	w := window.Addr().BitLen()
	hostBits := w - window.Bits()
	// Prefer long prefixes so the window fills up with many small ones.
	minExtra := func() int { return max(0, hostBits-rng.IntN(hostBits+1)-rng.IntN(3)) }
	for step := range steps {
		ctx := fmt.Sprintf("seed %d step %d", seed, step)
		switch op := rng.IntN(100); {
		case op < 35:
			p := ref.randPrefix(rng, minExtra())
			if got, want := s.Add(p), ref.add(p); got != want {
				t.Fatalf("%s: Add(%v) = %v, want %v", ctx, p, got, want)
			}
		case op < 45:
			var p netip.Prefix
			if len(ref.stored) > 0 && rng.IntN(4) > 0 {
				p = ref.stored[rng.IntN(len(ref.stored))]
			} else {
				p = ref.randPrefix(rng, 0)
			}
			if got, want := s.Remove(p), ref.remove(p); got != want {
				t.Fatalf("%s: Remove(%v) = %v, want %v", ctx, p, got, want)
			}
		case op < 85:
			within := ref.randPrefix(rng, 0)
			if rng.IntN(3) == 0 {
				within = window
			}
			b := within.Bits() + rng.IntN(w-within.Bits()+1)
			var from netip.Addr
			switch rng.IntN(4) {
			case 1:
				from = ref.nth(rng.IntN(len(ref.used)))
			case 2:
				from = within.Addr()
			}
			got, ok := s.NextFree(within, b, from)
			want, wantOK := ref.nextFree(within, b, from)
			if got != want || ok != wantOK {
				t.Fatalf("%s: NextFree(%v, %d, %v) = %v, %v; want %v, %v", ctx, within, b, from, got, ok, want, wantOK)
			}
			if ok && rng.IntN(2) == 0 {
				if !s.Add(got) || !ref.add(got) {
					t.Fatalf("%s: NextFree result %v does not add", ctx, got)
				}
			}
		case op < 93:
			q := ref.randPrefix(rng, 0)
			got, ok := s.Overlapping(q)
			wantOK := !ref.free(q)
			if ok != wantOK || ok && (!slices.Contains(ref.stored, got) || !got.Overlaps(q)) {
				t.Fatalf("%s: Overlapping(%v) = %v, %v; want overlap %v", ctx, q, got, ok, wantOK)
			}
		default:
			q := ref.randPrefix(rng, 0)
			if rng.IntN(4) == 0 {
				q, _ = window.Addr().Prefix(max(0, window.Bits()-rng.IntN(4)))
			}
			n, addrs := s.CountIn(q)
			wantN, wantAddrs := ref.countIn(q)
			if n != wantN || addrs != wantAddrs {
				t.Fatalf("%s: CountIn(%v) = %d, %d; want %d, %d", ctx, q, n, addrs, wantN, wantAddrs)
			}
			if wantBlocks := wantAddrs >> (w - q.Bits()); w-q.Bits() < 64 && s.BlocksIn(q, q.Bits()) != wantBlocks {
				t.Fatalf("%s: BlocksIn(%v, %d) = %d, want %d", ctx, q, q.Bits(), s.BlocksIn(q, q.Bits()), wantBlocks)
			}
		}
		if s.Len() != len(ref.stored) {
			t.Fatalf("%s: Len() = %d, want %d", ctx, s.Len(), len(ref.stored))
		}
		if step%200 == 0 || step == steps-1 {
			want := ref.sorted()
			if got := slices.Collect(s.All()); !slices.Equal(got, want) {
				t.Fatalf("%s: All() = %v, want %v", ctx, got, want)
			}
			if got := slices.Collect(s.Clone().All()); !slices.Equal(got, want) {
				t.Fatalf("%s: Clone().All() differs", ctx)
			}
			for _, p := range want {
				if !s.Contains(p) {
					t.Fatalf("%s: Contains(%v) = false", ctx, p)
				}
			}
			s.checkInvariants(t)
		}
	}
}

// FuzzNextFree builds a set inside 10.0.0.0/24 from the fuzz input and
// compares Add, Remove and NextFree with the brute-force reference.
func FuzzNextFree(f *testing.F) {
	f.Add([]byte{0, 0, 7, 0, 2, 7, 0, 4, 6}, byte(0), byte(24), byte(7), byte(0), false)
	f.Add([]byte{0, 0, 0, 2, 0, 0, 0, 128, 1}, byte(64), byte(26), byte(5), byte(70), true)
	f.Add([]byte{0, 9, 8, 0, 22, 7, 0, 0, 6}, byte(0), byte(24), byte(5), byte(0), false)
	window := pfx("10.0.0.0/24")
	f.Fuzz(func(t *testing.T, ops []byte, wAddr, wLen, extra, fromByte byte, useFrom bool) {
		s := &Set{}
		ref := newRef(window)
		for ; len(ops) >= 3; ops = ops[3:] {
			p, _ := ref.nth(int(ops[1])).Prefix(24 + int(ops[2])%9)
			var got, want bool
			if ops[0]%4 == 3 {
				got, want = s.Remove(p), ref.remove(p)
			} else {
				got, want = s.Add(p), ref.add(p)
			}
			if got != want {
				t.Fatalf("op %d on %v = %v, want %v", ops[0]%4, p, got, want)
			}
		}
		within, _ := ref.nth(int(wAddr)).Prefix(24 + int(wLen)%9)
		b := within.Bits() + int(extra)%(33-within.Bits())
		var from netip.Addr
		if useFrom {
			from = ref.nth(int(fromByte))
		}
		got, ok := s.NextFree(within, b, from)
		want, wantOK := ref.nextFree(within, b, from)
		if got != want || ok != wantOK {
			t.Fatalf("NextFree(%v, %d, %v) = %v, %v; want %v, %v", within, b, from, got, ok, want, wantOK)
		}
		if n, _ := s.CountIn(window); n != len(ref.stored) || s.Len() != n {
			t.Fatalf("CountIn(window) = %d, Len() = %d, want %d", n, s.Len(), len(ref.stored))
		}
		s.checkInvariants(t)
	})
}

// TestSearchSteps checks the claim that NextFree does not walk the stored
// prefixes: in a /8 holding 2^16 /31s allocated in order, each search
// visits O(prefix length) trie nodes.
func TestSearchSteps(t *testing.T) {
	t.Parallel()
	s := &Set{}
	within := pfx("10.0.0.0/8")
	for range 1 << 16 {
		p, ok := s.NextFree(within, 31, netip.Addr{})
		if !ok || !s.Add(p) {
			t.Fatalf("fill: NextFree = %v, %v", p, ok)
		}
	}
	if got, want := s.BlocksIn(within, 31), uint64(1<<16); got != want {
		t.Fatalf("BlocksIn = %d, want %d", got, want)
	}
	_, start, _, _ := split(within)
	r, ok, steps := s.search(s.roots[fam4], 31, start)
	if !ok || addrOf(r, fam4) != addr("10.2.0.0") {
		t.Fatalf("search = %v, %v; want 10.2.0.0", addrOf(r, fam4), ok)
	}
	t.Logf("search for the next /31 took %d steps", steps)
	if steps > 2*32 {
		t.Errorf("search took %d steps for a /31, want O(32)", steps)
	}
	// With one hole at the far end, the search still goes straight there.
	hole := pfx("10.1.255.250/31")
	s.Remove(hole)
	r, ok, steps = s.search(s.roots[fam4], 31, start)
	if !ok || addrOf(r, fam4) != hole.Addr() || steps > 2*32 {
		t.Errorf("search = %v, %v in %d steps; want %v in O(32)", addrOf(r, fam4), ok, steps, hole.Addr())
	}
}
