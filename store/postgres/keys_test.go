package postgres

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestPrefixEnd(t *testing.T) {
	tests := []struct {
		prefix string
		want   string
		wantOK bool
		reason string
	}{
		{prefix: "", wantOK: false, reason: "every key starts with the empty prefix"},
		{prefix: "a", want: "b", wantOK: true},
		{prefix: "pool/alloc/", want: "pool/alloc0", wantOK: true},
		{prefix: "a\x7f", want: "a\u0080", wantOK: true, reason: "the last ASCII code point steps to a two-byte one"},
		{prefix: "é", want: "ê", wantOK: true, reason: "a code point, not a byte, is incremented"},
		{prefix: "x\u07ff", want: "x\u0800", wantOK: true},
		{prefix: "x\ud7ff", want: "x\ue000", wantOK: true, reason: "surrogates are skipped"},
		{prefix: "x\uffff", want: "x\U00010000", wantOK: true},
		{prefix: "a\U0010FFFF", want: "b", wantOK: true, reason: "U+10FFFF cannot grow, so the code point before it does"},
		{prefix: "\U0010FFFF\U0010FFFF", wantOK: false, reason: "nothing sorts after the prefix that does not start with it"},
	}
	for _, tt := range tests {
		t.Run(tt.prefix, func(t *testing.T) {
			t.Parallel()
			got, ok := prefixEnd(tt.prefix)
			if got != tt.want || ok != tt.wantOK {
				t.Errorf("prefixEnd(%q) = %q, %v; want %q, %v (%s)", tt.prefix, got, ok, tt.want, tt.wantOK, tt.reason)
			}
			if ok && !utf8.ValidString(got) {
				t.Errorf("prefixEnd(%q) = %q is not valid UTF-8", tt.prefix, got)
			}
		})
	}
}

// FuzzPrefixEnd checks that the range [prefix, end) holds exactly the keys
// that start with prefix.
func FuzzPrefixEnd(f *testing.F) {
	for _, s := range [][2]string{{"a", "ab"}, {"a", "b"}, {"é", "éa"}, {"a\U0010FFFF", "a\U0010FFFFz"}, {"\U0010FFFF", "\U0010FFFF\U0010FFFF"}, {"x\ud7ff", "x\ue000"}} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, prefix, key string) {
		if !utf8.ValidString(prefix) || !utf8.ValidString(key) {
			return
		}
		end, ok := prefixEnd(prefix)
		if ok && (!utf8.ValidString(end) || end <= prefix) {
			t.Fatalf("prefixEnd(%q) = %q", prefix, end)
		}
		inRange := key >= prefix && (!ok || key < end)
		if has := strings.HasPrefix(key, prefix); inRange != has {
			t.Errorf("prefix %q, end %q, %v: key %q in range = %v, has prefix = %v", prefix, end, ok, key, inRange, has)
		}
	})
}
