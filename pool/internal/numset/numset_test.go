package numset

import (
	"math"
	"slices"
	"testing"
)

const maxU = math.MaxUint64

// spec describes a set for table tests: single values plus inclusive runs.
type spec struct {
	vals []uint64
	runs []Range
}

func (sp spec) build() *Set {
	s := &Set{}
	for _, v := range sp.vals {
		s.Add(v)
	}
	for _, r := range sp.runs {
		for v := r.Lo; ; v++ {
			s.Add(v)
			if v == r.Hi {
				break
			}
		}
	}
	return s
}

func TestAddRemoveContains(t *testing.T) {
	t.Parallel()
	type op struct {
		kind string // "add", "remove", "contains"
		v    uint64
		want bool
	}
	tests := []struct {
		name    string
		pre     spec
		ops     []op
		wantLen int
	}{
		{
			name: "zero set",
			ops: []op{
				{"contains", 0, false}, {"remove", 0, false},
				{"add", 0, true}, {"add", 0, false}, {"contains", 0, true},
				{"remove", 0, true}, {"remove", 0, false}, {"contains", 0, false},
			},
			wantLen: 0,
		},
		{
			name: "extremes",
			ops: []op{
				{"add", maxU, true}, {"add", 0, true}, {"add", maxU, false},
				{"contains", maxU, true}, {"contains", maxU - 1, false},
			},
			wantLen: 2,
		},
		{
			name: "paged set",
			pre:  spec{runs: []Range{{1, 5000}}},
			ops: []op{
				{"contains", 0, false}, {"contains", 1, true}, {"contains", 4095, true},
				{"contains", 4096, true}, {"contains", 5000, true}, {"contains", 5001, false},
				{"add", 4096, false}, {"remove", 4096, true}, {"contains", 4096, false},
				{"add", 1 << 40, true}, {"contains", 1 << 40, true}, {"contains", 1<<40 + 1, false},
			},
			wantLen: 5000,
		},
		{
			name: "sparse pages stay inline",
			pre:  spec{vals: []uint64{1 << 20, 1<<20 + 7, 1<<20 + 4095}, runs: []Range{{0, 99}}},
			ops: []op{
				{"contains", 1 << 20, true}, {"contains", 1<<20 + 7, true}, {"contains", 1<<20 + 4095, true},
				{"contains", 1<<20 + 1, false}, {"remove", 1<<20 + 7, true}, {"remove", 1<<20 + 7, false},
			},
			wantLen: 102,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := tt.pre.build()
			for i, o := range tt.ops {
				var got bool
				switch o.kind {
				case "add":
					got = s.Add(o.v)
				case "remove":
					got = s.Remove(o.v)
				case "contains":
					got = s.Contains(o.v)
				}
				if got != o.want {
					t.Errorf("op %d: %s(%d) = %v, want %v", i, o.kind, o.v, got, o.want)
				}
			}
			if got := s.Len(); got != tt.wantLen {
				t.Errorf("Len() = %d, want %d", got, tt.wantLen)
			}
		})
	}
}

// TestRepresentation checks the switches between the slice, inline-page and
// bitmap-page forms, in both directions.
func TestRepresentation(t *testing.T) {
	t.Parallel()
	s := &Set{}
	for v := range uint64(smallMax) {
		s.Add(v * 5000) // one value per page once paged
	}
	if s.big != nil || len(s.small) != smallMax {
		t.Fatalf("after %d adds: big=%v len(small)=%d, want slice form", smallMax, s.big != nil, len(s.small))
	}
	s.Add(1)
	if s.big == nil {
		t.Fatalf("after %d adds: still slice form", smallMax+1)
	}
	for _, pg := range s.big.pages {
		if pg.bits != nil && pg.n <= inlineMax {
			t.Errorf("page %d with %d values has a bitmap", pg.key, pg.n)
		}
	}
	for v := uint64(2); v < 100; v++ {
		s.Add(v)
	}
	if pg := s.big.pages[0]; pg.bits == nil {
		t.Errorf("page 0 with %d values is inline", pg.n)
	}
	for v := uint64(1); v < 100; v++ {
		s.Remove(v)
	}
	if pg := s.big.pages[0]; pg.bits != nil || pg.n != 1 {
		t.Errorf("page 0 after removals: bitmap=%v n=%d, want inline with 1 value", pg.bits != nil, pg.n)
	}
	for v := uint64(smallMax - 1); v >= smallMin; v-- {
		s.Remove(v * 5000)
	}
	if s.big != nil {
		t.Fatalf("after shrinking to %d values: still paged", s.Len())
	}
	want := make([]uint64, 0, smallMin)
	for v := range uint64(smallMin) {
		want = append(want, v*5000)
	}
	if got := slices.Collect(s.All()); !slices.Equal(got, want) {
		t.Errorf("All() = %v, want %v", got, want)
	}
}

func TestNextFree(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		set    spec
		from   uint64
		within []Range
		want   uint64
		wantOK bool
		reason string
	}{
		{name: "empty set from below", from: 0, within: []Range{{100, 200}}, want: 100, wantOK: true},
		{name: "empty set from inside", from: 150, within: []Range{{100, 200}}, want: 150, wantOK: true},
		{name: "empty set from above", from: 201, within: []Range{{100, 200}}},
		{name: "no ranges", from: 0},
		{name: "empty range ignored", from: 0, within: []Range{{5, 4}, {7, 9}}, want: 7, wantOK: true},
		{name: "run at start", set: spec{runs: []Range{{100, 110}}}, from: 0, within: []Range{{100, 200}}, want: 111, wantOK: true},
		{name: "hole in run", set: spec{runs: []Range{{100, 104}, {106, 110}}}, from: 0, within: []Range{{100, 200}}, want: 105, wantOK: true},
		{name: "from past hole", set: spec{runs: []Range{{100, 104}, {106, 110}}}, from: 106, within: []Range{{100, 200}}, want: 111, wantOK: true},
		{name: "first range full", set: spec{runs: []Range{{1, 10}}}, from: 0, within: []Range{{1, 10}, {20, 30}}, want: 20, wantOK: true},
		{name: "from in gap between ranges", from: 15, within: []Range{{1, 10}, {20, 30}}, want: 20, wantOK: true},
		{name: "from after first range", set: spec{vals: []uint64{20}}, from: 11, within: []Range{{1, 10}, {20, 30}}, want: 21, wantOK: true},
		{
			name:   "exclusions",
			set:    spec{runs: []Range{{100, 1001}}},
			within: Subtract([]Range{{1, 4094}}, []Range{{1, 99}, {1002, 1005}}),
			want:   1006, wantOK: true,
			reason: "reserved values are not in the set but are skipped through within",
		},
		{name: "small set full", set: spec{runs: []Range{{10, 20}}}, within: []Range{{10, 20}}},
		{name: "small set full at end", set: spec{runs: []Range{{10, 20}}}, from: 15, within: []Range{{0, 5}, {10, 20}}},
		{name: "paged set full", set: spec{runs: []Range{{0, 3*pageSize + 5}}}, within: []Range{{0, 3*pageSize + 5}}},
		{
			name: "full pages then absent page", set: spec{runs: []Range{{0, 2*pageSize - 1}}},
			within: []Range{{0, 100000}}, want: 2 * pageSize, wantOK: true,
			reason: "the run of full pages is skipped and the next page does not exist",
		},
		{
			name: "full page, absent page, full page", set: spec{runs: []Range{{0, pageSize - 1}, {2 * pageSize, 3*pageSize - 1}}},
			within: []Range{{0, 100000}}, want: pageSize, wantOK: true,
		},
		{
			name: "full run ends at non-consecutive page", set: spec{runs: []Range{{0, 3*pageSize - 1}, {5 * pageSize, 6*pageSize - 1}}},
			within: []Range{{0, 100000}}, want: 3 * pageSize, wantOK: true,
			reason: "the full-page bitmap alone would skip pages 0-5; the key gap after page 2 must stop the run",
		},
		{
			name: "long full run", set: spec{runs: []Range{{0, 70*pageSize - 1}}},
			within: []Range{{0, 1 << 30}}, want: 70 * pageSize, wantOK: true,
			reason: "the run spans more than one word of the full-page bitmap",
		},
		{
			name: "long full runs with key gap", set: spec{runs: []Range{{0, 100*pageSize - 1}, {101 * pageSize, 140*pageSize - 1}}},
			within: []Range{{0, 1 << 30}}, want: 100 * pageSize, wantOK: true,
		},
		{
			name: "hole after full run", set: spec{runs: []Range{{0, 9999}, {10001, 3 * pageSize}}},
			within: []Range{{0, 100000}}, want: 10000, wantOK: true,
		},
		{
			name: "hole beyond hi", set: spec{runs: []Range{{0, 9999}, {10001, 3 * pageSize}}},
			within: []Range{{0, 9999}, {10001, 12000}},
		},
		{
			name: "free word after full words", set: spec{runs: []Range{{0, 200}}},
			from: 5, within: []Range{{0, 1000}}, want: 201, wantOK: true,
		},
		{name: "inline page", set: spec{vals: []uint64{1 << 30, 1<<30 + 1, 1<<30 + 2}, runs: []Range{{0, 99}}}, from: 1 << 30, within: []Range{{0, maxU}}, want: 1<<30 + 3, wantOK: true},
		{
			name: "inline page ending at page end", set: spec{vals: []uint64{4093, 4094, 4095, 4096}, runs: []Range{{0, 99}}},
			from: 4093, within: []Range{{4093, 5000}}, want: 4097, wantOK: true,
		},
		{name: "zero free", within: []Range{{0, 0}}, want: 0, wantOK: true},
		{name: "zero taken", set: spec{vals: []uint64{0}}, within: []Range{{0, 0}}},
		{name: "max free", from: maxU, within: []Range{{0, maxU}}, want: maxU, wantOK: true},
		{name: "max taken", set: spec{vals: []uint64{maxU}}, from: maxU - 1, within: []Range{{0, maxU}}, want: maxU - 1, wantOK: true},
		{name: "max and below taken", set: spec{vals: []uint64{maxU, maxU - 1}}, from: maxU - 1, within: []Range{{0, maxU}}},
		{
			name: "last pages full", set: spec{runs: []Range{{maxU - 2*pageSize + 1, maxU}}},
			from: maxU - 2*pageSize + 1, within: []Range{{maxU - 10000, maxU}},
			reason: "skipping the last page must not wrap around to 0",
		},
		{
			name: "below last pages", set: spec{runs: []Range{{maxU - 2*pageSize + 1, maxU}}},
			from: 0, within: []Range{{maxU - 10000, maxU}}, want: maxU - 10000, wantOK: true,
		},
		{
			name: "last page partly taken", set: spec{runs: []Range{{maxU - 100, maxU - 1}, {0, 99}}},
			from: maxU - 100, within: []Range{{0, maxU}}, want: maxU, wantOK: true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := tt.set.build()
			got, ok := s.NextFree(tt.from, tt.within)
			if got != tt.want || ok != tt.wantOK {
				t.Errorf("NextFree(%d, %v) = %d, %v; want %d, %v (%s)", tt.from, tt.within, got, ok, tt.want, tt.wantOK, tt.reason)
			}
		})
	}
}

func TestCountIn(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		set  spec
		r    Range
		want int
	}{
		{name: "empty", r: Range{0, maxU}, want: 0},
		{name: "empty range", set: spec{vals: []uint64{1, 2, 3}}, r: Range{3, 1}, want: 0},
		{name: "small all", set: spec{vals: []uint64{1, 2, 3, maxU}}, r: Range{0, maxU}, want: 4},
		{name: "small inclusive bounds", set: spec{vals: []uint64{1, 2, 3, 4}}, r: Range{2, 3}, want: 2},
		{name: "paged middle", set: spec{runs: []Range{{0, 3 * pageSize}}}, r: Range{100, 2*pageSize + 100}, want: 2*pageSize + 1},
		{name: "paged one word", set: spec{runs: []Range{{0, 3 * pageSize}}}, r: Range{65, 70}, want: 6},
		{name: "paged inline", set: spec{vals: []uint64{1 << 40, 1<<40 + 9}, runs: []Range{{0, 99}}}, r: Range{1 << 40, 1<<40 + 8}, want: 1},
		{name: "paged all", set: spec{runs: []Range{{0, 99}, {maxU - 99, maxU}}}, r: Range{0, maxU}, want: 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := tt.set.build().CountIn(tt.r); got != tt.want {
				t.Errorf("CountIn(%v) = %d, want %d", tt.r, got, tt.want)
			}
		})
	}
}

func TestAllAndClone(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		set  spec
	}{
		{name: "empty"},
		{name: "small", set: spec{vals: []uint64{maxU, 0, 7}}},
		{name: "paged", set: spec{vals: []uint64{maxU, 1 << 50}, runs: []Range{{10, 5000}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := tt.set.build()
			got := slices.Collect(s.All())
			if !slices.IsSorted(got) || len(got) != s.Len() {
				t.Fatalf("All() not sorted or wrong length %d (Len %d)", len(got), s.Len())
			}
			for _, v := range got {
				if !s.Contains(v) {
					t.Errorf("All() yields %d, not in set", v)
				}
			}
			c := s.Clone()
			if cv := slices.Collect(c.All()); !slices.Equal(cv, got) {
				t.Fatalf("Clone().All() = %v, want %v", cv, got)
			}
			c.Add(12345)
			c.Remove(10)
			c.Remove(maxU)
			if cv := slices.Collect(s.All()); !slices.Equal(cv, got) {
				t.Errorf("original changed after clone edits")
			}
			// Stopping early must not panic.
			for range s.All() {
				break
			}
		})
	}
}

func TestNormalize(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   []Range
		want []Range
	}{
		{name: "nil", in: nil, want: nil},
		{name: "only empty", in: []Range{{5, 4}}, want: nil},
		{name: "sorted disjoint", in: []Range{{1, 2}, {4, 5}}, want: []Range{{1, 2}, {4, 5}}},
		{name: "unsorted", in: []Range{{4, 5}, {1, 2}}, want: []Range{{1, 2}, {4, 5}}},
		{name: "adjacent", in: []Range{{1, 2}, {3, 5}}, want: []Range{{1, 5}}},
		{name: "overlap", in: []Range{{1, 10}, {3, 5}, {8, 12}}, want: []Range{{1, 12}}},
		{name: "contained", in: []Range{{1, 10}, {2, 3}, {20, 20}}, want: []Range{{1, 10}, {20, 20}}},
		{name: "max", in: []Range{{maxU, maxU}, {0, maxU - 1}}, want: []Range{{0, maxU}}},
		{name: "after max", in: []Range{{10, maxU}, {maxU, maxU}}, want: []Range{{10, maxU}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			in := slices.Clone(tt.in)
			if got := Normalize(in); !slices.Equal(got, tt.want) {
				t.Errorf("Normalize(%v) = %v, want %v", tt.in, got, tt.want)
			}
			if !slices.Equal(in, tt.in) {
				t.Errorf("Normalize modified its input")
			}
		})
	}
}

func TestSubtract(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name         string
		ranges, minu []Range
		want         []Range
	}{
		{name: "nothing", want: nil},
		{name: "no minus", ranges: []Range{{3, 4}, {1, 2}}, want: []Range{{1, 4}}},
		{name: "all", ranges: []Range{{1, 10}}, minu: []Range{{0, 20}}, want: nil},
		{name: "exact", ranges: []Range{{1, 10}}, minu: []Range{{1, 10}}, want: nil},
		{name: "middle", ranges: []Range{{1, 10}}, minu: []Range{{4, 5}}, want: []Range{{1, 3}, {6, 10}}},
		{name: "ends", ranges: []Range{{1, 10}}, minu: []Range{{1, 1}, {10, 10}}, want: []Range{{2, 9}}},
		{name: "disjoint", ranges: []Range{{1, 10}}, minu: []Range{{20, 30}}, want: []Range{{1, 10}}},
		{
			name: "spanning two ranges", ranges: []Range{{1, 10}, {20, 30}}, minu: []Range{{5, 25}},
			want: []Range{{1, 4}, {26, 30}},
		},
		{
			name: "many holes", ranges: []Range{{1, 4094}}, minu: []Range{{1, 99}, {1002, 1005}, {4000, 4094}},
			want: []Range{{100, 1001}, {1006, 3999}},
		},
		{name: "full space", ranges: []Range{{0, maxU}}, minu: []Range{{0, 0}, {maxU, maxU}}, want: []Range{{1, maxU - 1}}},
		{name: "minus unsorted", ranges: []Range{{0, 20}}, minu: []Range{{15, 16}, {2, 3}}, want: []Range{{0, 1}, {4, 14}, {17, 20}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := Subtract(tt.ranges, tt.minu); !slices.Equal(got, tt.want) {
				t.Errorf("Subtract(%v, %v) = %v, want %v", tt.ranges, tt.minu, got, tt.want)
			}
		})
	}
}

func TestSize(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   []Range
		want uint64
	}{
		{name: "nil", want: 0},
		{name: "one value", in: []Range{{0, 0}}, want: 1},
		{name: "vlans", in: []Range{{1, 4094}}, want: 4094},
		{name: "empty ignored", in: []Range{{2, 1}, {1, 1}}, want: 1},
		{name: "full space saturates", in: []Range{{0, maxU}}, want: maxU},
		{name: "almost full space", in: []Range{{1, maxU}}, want: maxU},
		{name: "sum saturates", in: []Range{{0, maxU - 1}, {maxU, maxU}}, want: maxU},
		{name: "overlap counted twice", in: []Range{{1, 10}, {5, 10}}, want: 16},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := Size(tt.in); got != tt.want {
				t.Errorf("Size(%v) = %d, want %d", tt.in, got, tt.want)
			}
		})
	}
}

func TestBitsetHelpers(t *testing.T) {
	t.Parallel()
	// Model the position bitset as a []bool and compare after each edit.
	var b []uint64
	var model []bool
	check := func(step string) {
		t.Helper()
		for i, want := range model {
			if got := b[i>>6]&(1<<(i&63)) != 0; got != want {
				t.Fatalf("%s: bit %d = %v, want %v", step, i, got, want)
			}
		}
		for i := len(model); i < len(b)*64; i++ {
			if b[i>>6]&(1<<(i&63)) != 0 {
				t.Fatalf("%s: bit %d beyond length set", step, i)
			}
		}
		if got, want := nextZero(b, 0, len(model)), slices.Index(model, false); got != want && (want != -1 || got != len(model)) {
			t.Fatalf("%s: nextZero = %d, want %d", step, got, want)
		}
	}
	for i := range 200 {
		pos := (i * 37) % (len(model) + 1)
		b = insertBit(b, pos, len(model)+1)
		model = slices.Insert(model, pos, false)
		check("insert")
		if i%3 != 0 {
			b[pos>>6] |= 1 << (pos & 63)
			model[pos] = true
		}
	}
	check("set")
	for len(model) > 0 {
		pos := (len(model) * 13) % len(model)
		model = slices.Delete(model, pos, pos+1)
		b = deleteBit(b, pos, len(model))
		check("delete")
	}
}

// TestNoAllocs checks that the read paths and adds into existing storage do
// not allocate.
//
// It does not call t.Parallel: AllocsPerRun counts allocations process-wide.
func TestNoAllocs(t *testing.T) {
	small := spec{runs: []Range{{1, 10}}}.build()
	big := spec{runs: []Range{{0, 100000}}}.build()
	within := []Range{{0, 4094}, {200000, 300000}}
	for name, s := range map[string]*Set{"small": small, "paged": big} {
		allocs := testing.AllocsPerRun(100, func() {
			s.Contains(5)
			s.NextFree(0, within)
			s.CountIn(Range{0, 50000})
			s.Add(5) // already present
		})
		if allocs != 0 {
			t.Errorf("%s: %v allocations per run, want 0", name, allocs)
		}
	}
	allocs := testing.AllocsPerRun(100, func() {
		big.Remove(50000)
		big.Add(50000)
	})
	if allocs != 0 {
		t.Errorf("paged Remove+Add in a bitmap page: %v allocations, want 0", allocs)
	}
}
