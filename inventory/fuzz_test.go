package inventory

import (
	"context"
	"testing"
)

// FuzzParseReplies feeds arbitrary bytes to every reply parser: they must
// return an error or a result, never panic.
func FuzzParseReplies(f *testing.F) {
	f.Add([]byte(`<software-information><host-name>a</host-name><product-model>mx480</product-model><junos-version>1</junos-version></software-information>`))
	f.Add([]byte(`<chassis-inventory><chassis><chassis-module><name>FPC 0</name><chassis-sub-module><name>PIC 0</name></chassis-sub-module></chassis-module></chassis></chassis-inventory>`))
	f.Add([]byte(`<interface-information><physical-interface><name>ge-0/0/0</name><speed>1000mbps</speed></physical-interface></interface-information>`))
	f.Add([]byte(`<configuration><interfaces><interface><name>ge-0/0/1</name><unit><name>5</name><vlan-tags><outer>0x8100.300</outer></vlan-tags></unit></interface></interfaces><protocols><l2circuit><neighbor><name>10.0.0.1</name><interface><name>ge-0/0/1.5</name><virtual-circuit-id>7</virtual-circuit-id></interface></neighbor></l2circuit></protocols></configuration>`))
	f.Fuzz(func(t *testing.T, b []byte) {
		var fa facts
		_ = parseSoftware(&fa, b)
		_ = parseChassis(&fa, b)
		_ = parseInterfaces(&fa, b)
		if c, err := parseConfig(b); err == nil {
			d := &Device{Name: "x", Series: "MX", Interfaces: fa.Interfaces}
			DefaultRules().evaluate(d, c)
		}
	})
}

// FuzzParseTargets: any spec is an error or a bounded list of addresses.
func FuzzParseTargets(f *testing.F) {
	for _, s := range []string{"127.0.1.1-127.0.1.20", "127.0.1.0/28", "10.0.0.1-5", "2001:db8::/120", "a,b c"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		ts, err := ParseTargets(context.Background(), fakeResolver{}, 0, s)
		if err == nil && (len(ts) == 0 || len(ts) > MaxTargets) {
			t.Fatalf("%q: %d targets", s, len(ts))
		}
	})
}
