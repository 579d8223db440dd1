package netid

import (
	"errors"
	"slices"
	"testing"
)

// checkOrder checks that Compare agrees with the order of sorted, which
// lists distinct values in ascending order, for every pair, and that
// slices.SortFunc restores that order from the reverse.
func checkOrder[T interface {
	comparable
	Compare(T) int
}](t *testing.T, sorted []T) {
	t.Helper()
	for i, a := range sorted {
		for j, b := range sorted {
			want := 0
			switch {
			case i < j:
				want = -1
			case i > j:
				want = +1
			}
			if got := a.Compare(b); got != want {
				t.Errorf("%v.Compare(%v) = %d, want %d", a, b, got, want)
			}
		}
	}
	got := slices.Clone(sorted)
	slices.Reverse(got)
	slices.SortFunc(got, T.Compare)
	if !slices.Equal(got, sorted) {
		t.Errorf("sorted mismatch (-want +got):\n-%v\n+%v", sorted, got)
	}
}

func TestCompare(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		run  func(t *testing.T)
	}{
		{"VLANID", func(t *testing.T) { checkOrder(t, []VLANID{0, 1, 2, 100, 4094}) }},
		{"VCID", func(t *testing.T) { checkOrder(t, []VCID{0, 1, 1 << 31, 1<<32 - 1}) }},
		{"Label", func(t *testing.T) { checkOrder(t, []Label{0, 16, 17, 299776, 1<<20 - 1}) }},
		{"ASN", func(t *testing.T) {
			checkOrder(t, []ASN{0, MustParseASN("1"), MustParseASN("65535"), MustParseASN("1.0"), MustParseASN("4200000000")})
		}},
		{"RD", func(t *testing.T) {
			checkOrder(t, mustParseAll(MustParseRD, "",
				"1:5", "1:4294967295", "65000:1", "65000:100", // type 0 first
				"0.0.0.1:9", "192.0.2.1:7", "192.0.2.1:8", "198.51.100.1:0",
				"1L:65535", "65000L:1", "4200000000L:9"))
		}},
		{"RT", func(t *testing.T) {
			checkOrder(t, mustParseAll(MustParseRT, "",
				"target:65535:4294967295", "target:192.0.2.1:7", "target:1L:0"))
		}},
		{"MAC", func(t *testing.T) {
			checkOrder(t, mustParseAll(MustParseMAC, "",
				"00:00:00:00:00:01", "00:00:00:00:01:00", "00:11:22:aa:bb:cc", "ff:ff:ff:ff:ff:ff"))
		}},
		{"ESI", func(t *testing.T) {
			checkOrder(t, mustParseAll(MustParseESI, "",
				"00:00:00:00:00:00:00:00:00:01", "00:11:22:33:44:55:66:77:88:99", "01:00:00:00:00:00:00:00:00:00"))
		}},
		{"Bitrate", func(t *testing.T) {
			checkOrder(t, mustParseAll(MustParseBitrate, "", "1", "999", "1K", "1.5M", "1500M", "10G", "18446744073709551615"))
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tt.run(t)
		})
	}
}

// mustParseAll parses each string, the empty string standing for the zero
// value.
func mustParseAll[T any](parse func(string) T, in ...string) []T {
	out := make([]T, len(in))
	for i, s := range in {
		if s != "" {
			out[i] = parse(s)
		}
	}
	return out
}

func TestMustParsePanics(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		f    func()
	}{
		{"VLANID", func() { MustParseVLANID("4095") }},
		{"VCID", func() { MustParseVCID("0") }},
		{"Label", func() { MustParseLabel("3") }},
		{"ASN", func() { MustParseASN("0.0") }},
		{"RD", func() { MustParseRD("65536:65536") }},
		{"RT", func() { MustParseRT("target:x:1") }},
		{"MAC", func() { MustParseMAC("00:00:00:00:00:00") }},
		{"ESI", func() { MustParseESI("") }},
		{"Bitrate", func() { MustParseBitrate("1.5") }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			defer func() {
				r := recover()
				if err, ok := r.(error); !ok || !errors.Is(err, ErrInvalid) {
					t.Errorf("MustParse%s panicked with %v, want an error wrapping ErrInvalid", tt.name, r)
				}
			}()
			tt.f()
		})
	}
}
