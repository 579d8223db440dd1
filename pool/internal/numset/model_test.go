package numset

import (
	"encoding/binary"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
)

// refSet is the brute-force reference: a bool per value of a window
// [base, base+len(taken)) of the uint64 space, and a map for the few values
// outside it.
type refSet struct {
	base  uint64
	taken []bool
	out   map[uint64]bool
	n     int
}

func newRef(base uint64, size int) *refSet {
	return &refSet{base: base, taken: make([]bool, size), out: map[uint64]bool{}}
}

func (r *refSet) inWindow(v uint64) bool {
	return v >= r.base && v-r.base < uint64(len(r.taken))
}

func (r *refSet) has(v uint64) bool {
	if r.inWindow(v) {
		return r.taken[v-r.base]
	}
	return r.out[v]
}

func (r *refSet) set(v uint64, on bool) bool {
	if r.has(v) == on {
		return false
	}
	switch {
	case r.inWindow(v):
		r.taken[v-r.base] = on
	case on:
		r.out[v] = true
	default:
		delete(r.out, v)
	}
	if on {
		r.n++
	} else {
		r.n--
	}
	return true
}

func (r *refSet) nextFree(from uint64, within []Range) (uint64, bool) {
	for _, rg := range within {
		if rg.Lo > rg.Hi || rg.Hi < from {
			continue
		}
		for v := max(from, rg.Lo); ; v++ {
			if !r.has(v) {
				return v, true
			}
			if v == rg.Hi {
				break
			}
		}
	}
	return 0, false
}

func (r *refSet) countIn(rg Range) int {
	n := 0
	for v := range r.out {
		if rg.Lo <= v && v <= rg.Hi {
			n++
		}
	}
	if rg.Hi < r.base || rg.Lo-r.base >= uint64(len(r.taken)) && rg.Lo >= r.base {
		return n
	}
	lo := max(rg.Lo, r.base) - r.base
	hi := min(rg.Hi-r.base, uint64(len(r.taken)-1))
	for _, on := range r.taken[lo : hi+1] {
		if on {
			n++
		}
	}
	return n
}

func (r *refSet) values() []uint64 {
	var vs []uint64
	for i, on := range r.taken {
		if on {
			vs = append(vs, r.base+uint64(i))
		}
	}
	for v := range r.out {
		vs = append(vs, v)
	}
	slices.Sort(vs)
	return vs
}

// TestModel runs random operations against a Set and the brute-force
// reference and compares every answer.
func TestModel(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		base  uint64
		size  int
		seed  uint64
		steps int
	}{
		{name: "small universe", base: 1000, size: 150, seed: 1, steps: 6000},
		{name: "small universe at max", base: maxU - 149, size: 150, seed: 2, steps: 6000},
		{name: "pages from zero", base: 0, size: 5*pageSize + 123, seed: 3, steps: 3000},
		{name: "pages unaligned", base: 1<<33 + 17, size: 5*pageSize + 123, seed: 4, steps: 3000},
		{name: "pages at max", base: maxU - (5*pageSize + 123) + 1, size: 5*pageSize + 123, seed: 5, steps: 3000},
		{name: "pages sparse", base: 1 << 20, size: 300 * pageSize, seed: 6, steps: 1500},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			runModel(t, tt.base, tt.size, tt.seed, tt.steps)
		})
	}
}

func runModel(t *testing.T, base uint64, size int, seed uint64, steps int) {
	rng := rand.New(rand.NewPCG(seed, seed*7919))
	s := &Set{}
	ref := newRef(base, size)
	// val returns a value in the window, or occasionally just outside it.
	val := func() uint64 {
		off := rng.IntN(size+8) - 4
		if off < 0 && base < 4 || off >= size && maxU-base < uint64(size+4) {
			off = rng.IntN(size)
		}
		return base + uint64(off)
	}
	ranges := func() []Range {
		var rs []Range
		for range 1 + rng.IntN(4) {
			a, b := val(), val()
			if a > b {
				a, b = b, a
			}
			rs = append(rs, Range{a, b})
		}
		if rng.IntN(4) == 0 {
			return Subtract(rs, []Range{{val(), val()}})
		}
		return Normalize(rs)
	}
	run := func(lo uint64, n int, on bool) {
		for v := lo; n > 0 && v-base < uint64(size); v++ {
			s.setTo(t, ref, v, on)
			n--
		}
	}
	for step := range steps {
		ctx := fmt.Sprintf("seed %d step %d", seed, step)
		switch p := rng.IntN(100); {
		case p < 30:
			v := val()
			if got, want := s.Add(v), ref.set(v, true); got != want {
				t.Fatalf("%s: Add(%d) = %v, want %v", ctx, v, got, want)
			}
		case p < 40:
			v := val()
			if got, want := s.Remove(v), ref.set(v, false); got != want {
				t.Fatalf("%s: Remove(%d) = %v, want %v", ctx, v, got, want)
			}
		case p < 47:
			if size > 10*pageSize {
				break // keep the sparse window sparse
			}
			run(base+uint64(rng.IntN(size)), rng.IntN(min(size, 3*pageSize)), true)
		case p < 50:
			run(base+uint64(rng.IntN(size)), rng.IntN(min(size, pageSize)), false)
		case p < 96:
			from, within := val(), ranges()
			if rng.IntN(3) == 0 {
				from = 0
			}
			got, ok := s.NextFree(from, within)
			want, wantOK := ref.nextFree(from, within)
			if got != want || ok != wantOK {
				t.Fatalf("%s: NextFree(%d, %v) = %d, %v; want %d, %v", ctx, from, within, got, ok, want, wantOK)
			}
			if ok && rng.IntN(2) == 0 {
				s.Add(got)
				ref.set(got, true)
			}
		default:
			a, b := val(), val()
			rg := Range{min(a, b), max(a, b)}
			if got, want := s.CountIn(rg), ref.countIn(rg); got != want {
				t.Fatalf("%s: CountIn(%v) = %d, want %d", ctx, rg, got, want)
			}
		}
		if v := val(); s.Contains(v) != ref.has(v) {
			t.Fatalf("%s: Contains(%d) = %v", ctx, v, s.Contains(v))
		}
		if s.Len() != ref.n {
			t.Fatalf("%s: Len() = %d, want %d", ctx, s.Len(), ref.n)
		}
		if step%500 == 0 || step == steps-1 {
			want := ref.values()
			if got := slices.Collect(s.All()); !slices.Equal(got, want) {
				t.Fatalf("%s: All() differs from reference: got %d values, want %d", ctx, len(got), len(want))
			}
			if got := slices.Collect(s.Clone().All()); !slices.Equal(got, want) {
				t.Fatalf("%s: Clone().All() differs from reference", ctx)
			}
			s.checkInvariants(t)
		}
	}
}

// setTo adds or removes v in both s and ref and checks they agree.
// It is called for every value of bulk runs, so it skips t.Helper (which
// walks the stack).
func (s *Set) setTo(t *testing.T, ref *refSet, v uint64, on bool) {
	var got bool
	if on {
		got = s.Add(v)
	} else {
		got = s.Remove(v)
	}
	if want := ref.set(v, on); got != want {
		t.Fatalf("set %d to %v: got %v, want %v", v, on, got, want)
	}
}

// checkInvariants verifies the internal bookkeeping of the paged form.
func (s *Set) checkInvariants(t *testing.T) {
	t.Helper()
	if s.big == nil {
		if !slices.IsSorted(s.small) || len(s.small) > smallMax {
			t.Fatalf("slice form: sorted=%v len=%d", slices.IsSorted(s.small), len(s.small))
		}
		return
	}
	p := s.big
	if p.n <= smallMin {
		t.Fatalf("paged form with %d values", p.n)
	}
	total := 0
	for i, pg := range p.pages {
		if i > 0 && p.pages[i-1].key >= pg.key {
			t.Fatalf("page keys not increasing at %d", i)
		}
		if pg.n == 0 {
			t.Fatalf("empty page %d kept", pg.key)
		}
		n := pg.countIn(0, pageMask)
		if n != int(pg.n) {
			t.Fatalf("page %d: n=%d, counted %d", pg.key, pg.n, n)
		}
		if pg.bits == nil && pg.n > inlineMax || pg.bits != nil && pg.n <= inlineMin {
			t.Fatalf("page %d: n=%d with bitmap=%v", pg.key, pg.n, pg.bits != nil)
		}
		if pg.bits != nil {
			for w, word := range pg.bits {
				if (word == maxU) != (pg.aux&(1<<w) != 0) {
					t.Fatalf("page %d: full-word summary wrong at word %d", pg.key, w)
				}
			}
		}
		if full := p.full[i>>6]&(1<<(i&63)) != 0; full != (pg.n == pageSize) {
			t.Fatalf("page %d: full bit %v, n=%d", pg.key, full, pg.n)
		}
		total += n
	}
	if total != p.n || len(p.full) != (len(p.pages)+63)/64 {
		t.Fatalf("paged: n=%d counted %d; %d full words for %d pages", p.n, total, len(p.full), len(p.pages))
	}
}

// FuzzNextFree builds a set over a window of three pages from the fuzz
// input and compares NextFree, CountIn and Len with the brute-force
// reference.
func FuzzNextFree(f *testing.F) {
	f.Add([]byte{0, 1, 0, 0, 2, 0, 255, 0, 0}, uint16(0), []byte{0, 0, 255, 255}, false)
	f.Add([]byte{255, 0, 0, 253, 0, 16, 1, 0, 0}, uint16(4000), []byte{0, 0, 0, 48, 0, 50, 0, 60}, true)
	f.Add([]byte{3, 0, 0, 3, 0, 0, 3, 0, 16, 3, 0, 32}, uint16(1), []byte{0, 0, 0, 47}, false)
	const size = 3 * pageSize
	f.Fuzz(func(t *testing.T, ops []byte, from16 uint16, rs []byte, high bool) {
		base := uint64(0)
		if high {
			base = maxU - size + 1
		}
		s := &Set{}
		ref := newRef(base, size)
		for len(ops) >= 3 {
			kind, v := ops[0], base+uint64(binary.LittleEndian.Uint16(ops[1:3])%size)
			ops = ops[3:]
			switch kind % 4 {
			case 0, 1:
				s.setTo(t, ref, v, true)
			case 2:
				s.setTo(t, ref, v, false)
			case 3:
				for n := int(kind>>2) * 64; n > 0 && v-base < size; n-- {
					s.Add(v)
					ref.set(v, true)
					v++
				}
			}
		}
		var within []Range
		for len(rs) >= 4 {
			a := base + uint64(binary.LittleEndian.Uint16(rs[0:2])%size)
			b := base + uint64(binary.LittleEndian.Uint16(rs[2:4])%size)
			within = append(within, Range{min(a, b), max(a, b)})
			rs = rs[4:]
		}
		within = Normalize(within)
		from := base + uint64(from16%size)
		got, ok := s.NextFree(from, within)
		want, wantOK := ref.nextFree(from, within)
		if got != want || ok != wantOK {
			t.Fatalf("NextFree(%d, %v) = %d, %v; want %d, %v", from, within, got, ok, want, wantOK)
		}
		if len(within) > 0 {
			r := Range{within[0].Lo, within[len(within)-1].Hi}
			if got, want := s.CountIn(r), ref.countIn(r); got != want {
				t.Fatalf("CountIn(%v) = %d, want %d", r, got, want)
			}
		}
		if s.Len() != ref.n {
			t.Fatalf("Len() = %d, want %d", s.Len(), ref.n)
		}
		s.checkInvariants(t)
	})
}
