package pool

import (
	"strings"
	"testing"
)

// fuzzPools are one compiled pool of every kind, wide enough that most
// well-formed values parse.
var fuzzPools = func() []*compiled {
	var out []*compiled
	for _, s := range []Spec{
		{Name: "vlan", Kind: KindVLAN, Ranges: []string{"1-4094"}},
		{Name: "vcid", Kind: KindVCID, Ranges: []string{"1-4294967295"}},
		{Name: "asn", Kind: KindASN, Ranges: []string{"1-4294967295"}},
		{Name: "rd0", Kind: KindRD, Admin: "65000", Ranges: []string{"0-4294967295"}},
		{Name: "rd1", Kind: KindRD, Admin: "192.0.2.1", Ranges: []string{"0-65535"}},
		{Name: "rt2", Kind: KindRT, Admin: "4200000000", Ranges: []string{"0-65535"}},
		{Name: "v4", Kind: KindIPv4, Ranges: []string{"0.0.0.0/0"}},
		{Name: "v6", Kind: KindIPv6, Ranges: []string{"::/0"}},
	} {
		c, err := compile(s)
		if err != nil {
			panic(err)
		}
		out = append(out, c)
	}
	return out
}()

// FuzzParseValue checks that every value a pool accepts prints back to text
// it accepts again, and survives its store key encoding.
func FuzzParseValue(f *testing.F) {
	for _, s := range []string{"100", "4094", "65000:7", "192.0.2.1:9", "target:4200000000L:3", "10.0.0.0/31", "2001:db8::/64", "192.0.2.1", "0100", "1:2:3"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, c := range fuzzPools {
			v, err := c.parseValue(s)
			if err != nil {
				continue
			}
			again, err := c.parseValue(v.String())
			if err != nil || again != v {
				t.Fatalf("%s pool: %q parsed as %v, whose text %q gives %v, %v", c.spec.Kind, s, v, v.String(), again, err)
			}
			back, err := c.valueFromKeySuffix(valueKeySuffix(v))
			if err != nil || back != v {
				t.Fatalf("%s pool: %v key suffix %q gives %v, %v", c.spec.Kind, v, valueKeySuffix(v), back, err)
			}
		}
	})
}

// FuzzClaimRecord checks that claim records and alloc keys decode to what
// was encoded, for any names and scopes the package accepts.
func FuzzClaimRecord(f *testing.F) {
	f.Add("a", "vlan", "pe1:ge-0/0/1", "100%2F")
	f.Add("vc", "vcid", "", "x")
	f.Fuzz(func(t *testing.T, name, pool, scope, other string) {
		if checkText("name", name, 64) != nil || checkPoolName(pool) != nil || (scope != "" && checkText("scope", scope, 256) != nil) {
			return
		}
		c := fuzzPools[1]
		items := []Item{{Name: name, Pool: pool, Scope: scope, Value: c.numberValue(42)}, {Name: other + "x", Pool: pool, Value: c.numberValue(7)}}
		if checkText("name", items[1].Name, 64) != nil {
			return
		}
		recs, err := decodeClaim(encodeClaim(nil, items))
		if err != nil || len(recs) != 2 || recs[0] != (recordItem{name, pool, scope, "42"}) || recs[1].name != items[1].Name {
			t.Fatalf("claim record of %+v decoded as %+v, %v", items, recs, err)
		}
		key := scopeAllocPrefix(pool, scope) + valueKeySuffix(c.numberValue(42))
		p, sc, suf, err := parseAllocKey(key)
		if err != nil || p != pool || sc != scope || strings.TrimLeft(suf, "0") != "42" {
			t.Fatalf("alloc key %q parsed as %q %q %q, %v", key, p, sc, suf, err)
		}
	})
}
