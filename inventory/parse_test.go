package inventory

import (
	"context"
	"net/netip"
	"strings"
	"testing"

	"github.com/carrierkit/carrierkit/netid"
)

func TestParseTargets(t *testing.T) {
	ctx := context.Background()
	r := fakeResolver{"pe1.lab": "192.0.2.11", "10-0-0-9.lab": "10.0.0.9"}
	tests := []struct {
		spec string
		want string // addresses joined by space, or the error's text part
		err  bool
	}{
		{"127.0.1.1-127.0.1.3", "127.0.1.1 127.0.1.2 127.0.1.3", false},
		{"127.0.1.254-127.0.2.1", "127.0.1.254 127.0.1.255 127.0.2.0 127.0.2.1", false},
		{"127.0.1.5-6", "127.0.1.5 127.0.1.6", false},
		{"127.0.1.0/30", "127.0.1.1 127.0.1.2", false},
		{"127.0.1.0/31", "127.0.1.0 127.0.1.1", false},
		{"127.0.1.7/32", "127.0.1.7", false},
		{"2001:db8::/126", "2001:db8:: 2001:db8::1 2001:db8::2 2001:db8::3", false},
		{"pe1.lab, 192.0.2.11 192.0.2.12", "192.0.2.11 192.0.2.12", false},
		{"127.0.1.1/24", "host bits set", true},
		{"10-0-0-9.lab", "10.0.0.9", false},
		{"127.0.1.9-127.0.1.1", "comes before", true},
		{"127.0.1.1-2001:db8::1", "different address families", true},
		{"127.0.1.1-300", "not an address or an octet", true},
		{"127.0.1.300", "not an address", true},
		{"nosuch.lab", "host name lookup", true},
		{"10.0.0.0/8", "more than", true},
		{"", "no address", true},
	}
	for _, tt := range tests {
		ts, err := ParseTargets(ctx, r, 0, tt.spec)
		if tt.err {
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("%q: err %v, want one containing %q", tt.spec, err, tt.want)
			}
			continue
		}
		if err != nil {
			t.Errorf("%q: %v", tt.spec, err)
			continue
		}
		var got []string
		for _, x := range ts {
			if x.Addr.Port() != DefaultPort {
				t.Errorf("%q: port %d", tt.spec, x.Addr.Port())
			}
			got = append(got, x.Addr.Addr().String())
		}
		if strings.Join(got, " ") != tt.want {
			t.Errorf("%q: %v, want %s", tt.spec, got, tt.want)
		}
	}
	// The bound is MaxTargets exactly: 65536 addresses pass, one more fails.
	if ts, err := ParseTargets(ctx, r, 0, "10.0.0.0-10.0.255.255"); err != nil || len(ts) != MaxTargets {
		t.Errorf("MaxTargets addresses: %d targets, %v", len(ts), err)
	}
	if _, err := ParseTargets(ctx, r, 0, "10.0.0.0-10.1.0.0"); err == nil || !strings.Contains(err.Error(), "more than 65536") {
		t.Errorf("MaxTargets+1 addresses: %v", err)
	}
	ts, _ := ParseTargets(ctx, r, 22, "pe1.lab")
	if ts[0].Host != "pe1.lab" || ts[0].Addr.Port() != 22 {
		t.Errorf("host target %+v", ts[0])
	}
}

type fakeResolver map[string]string

func (f fakeResolver) LookupNetIP(_ context.Context, _, host string) ([]netip.Addr, error) {
	if a, ok := f[host]; ok {
		return []netip.Addr{netip.MustParseAddr(a)}, nil
	}
	return nil, &netError{host}
}

type netError struct{ host string }

func (e *netError) Error() string { return "no such host " + e.host }

func TestParseSpeed(t *testing.T) {
	for in, want := range map[string]netid.Bitrate{
		"10Gbps": 10e9, "1000mbps": 1e9, "100Gbps": 100e9, "2.5Gbps": 2.5e9, "Unlimited": 0, "Auto": 0, "64kbps": 64e3, "800bps": 800,
	} {
		got, err := parseSpeed(in)
		if err != nil || got != want {
			t.Errorf("parseSpeed(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"fast", "10G", "-1Gbps", "Gbps"} {
		if _, err := parseSpeed(in); err == nil {
			t.Errorf("parseSpeed(%q) accepted", in)
		}
	}
}

func TestParseRepliesEdgeCases(t *testing.T) {
	var f facts
	// Older Junos: the version only in the package comment; an XML
	// declaration; a multi-RE wrapper.
	sw := `<?xml version="1.0"?><multi-routing-engine-results><multi-routing-engine-item><re-name>re0</re-name>
<software-information><host-name>old1</host-name><product-model>mx960</product-model>
<package-information><name>junos</name><comment>JUNOS Base OS boot [15.1R7.9]</comment></package-information>
</software-information></multi-routing-engine-item></multi-routing-engine-results>`
	if err := parseSoftware(&f, []byte(sw)); err != nil {
		t.Fatal(err)
	}
	if f.Hostname != "old1" || f.Model != "mx960" || f.Version != "15.1R7.9" {
		t.Errorf("facts %+v", f)
	}
	if err := parseSoftware(&f, []byte(`<software-information><host-name>x</host-name></software-information>`)); err == nil || !strings.Contains(err.Error(), "lacks") {
		t.Errorf("incomplete software reply: %v", err)
	}
	if err := parseSoftware(&f, []byte(`<software-information><host-name>`)); err == nil {
		t.Error("truncated XML accepted")
	}
	ifs := `<interface-information><physical-interface><name>ge-0/0/0</name><admin-status>up</admin-status><oper-status>up</oper-status><speed>1000mbps</speed></physical-interface>
<physical-interface><name>ge-0/0/0</name></physical-interface></interface-information>`
	if err := parseInterfaces(&f, []byte(ifs)); err == nil || !strings.Contains(err.Error(), "twice") {
		t.Errorf("duplicate interface: %v", err)
	}
	if err := parseInterfaces(&f, []byte(`<interface-information><physical-interface><name>xe-0/0/0</name><speed>fast</speed></physical-interface></interface-information>`)); err == nil || !strings.Contains(err.Error(), "xe-0/0/0") {
		t.Errorf("bad speed: %v", err)
	}
	ch := `<chassis-inventory><chassis><serial-number>S1</serial-number><chassis-module><name>FPC 2</name><serial-number>F2</serial-number><description>MPC</description>
<chassis-sub-module><name>PIC 1</name><description>4x10GE</description></chassis-sub-module><chassis-sub-module><name>CPU</name></chassis-sub-module></chassis-module>
<chassis-module><name>Fan Tray</name></chassis-module></chassis></chassis-inventory>`
	if err := parseChassis(&f, []byte(ch)); err != nil {
		t.Fatal(err)
	}
	if f.Serial != "S1" || len(f.FPCs) != 1 || f.FPCs[0].Slot != 2 || len(f.FPCs[0].PICs) != 1 || f.FPCs[0].PICs[0].Slot != 1 || len(f.Modules) != 2 {
		t.Errorf("chassis %+v", f)
	}
}

func TestParseConfigEdgeCases(t *testing.T) {
	cfg := `<configuration>
<interfaces>
  <interface><name>ge-0/0/1</name><stacked-vlan-tagging/><unit><name>5</name><vlan-tags><outer>0x8100.300</outer><inner>20</inner></vlan-tags><family><ccc/></family></unit></interface>
  <interface><name>ge-0/0/2</name><description>spare</description></interface>
</interfaces>
<routing-options><router-id>10.1.1.1</router-id><autonomous-system><as-number>64512</as-number></autonomous-system></routing-options>
<policy-options>
  <policy-statement><name>EXP</name><term><name>1</name><then><community><add/><community-name>SPOKE</community-name></community><accept/></then></term></policy-statement>
  <policy-statement><name>IMP</name><term><name>1</name><from><community>HUB</community></from><then><accept/></then></term></policy-statement>
  <community><name>SPOKE</name><members>target:65000:2</members></community>
  <community><name>HUB</name><members>target:65000:1</members></community>
</policy-options>
<routing-instances><instance><name>V</name><instance-type>vrf</instance-type><vrf-import>IMP</vrf-import><vrf-export>EXP</vrf-export>
  <route-distinguisher><rd-type>65000:9</rd-type></route-distinguisher></instance></routing-instances>
</configuration>`
	c, err := parseConfig([]byte(cfg))
	if err != nil {
		t.Fatal(err)
	}
	if _, u := c.unit("ge-0/0/1.5"); u == nil || u.VLAN != 300 || u.Inner != 20 {
		t.Errorf("stacked unit %+v", u)
	}
	if c.Loopback.String() != "10.1.1.1" || c.ASN != "64512" {
		t.Errorf("router-id fallback %v, asn %q", c.Loopback, c.ASN)
	}
	in := c.Instances[0]
	if strings.Join(in.Import, ",") != "target:65000:1" || strings.Join(in.Export, ",") != "target:65000:2" {
		t.Errorf("policy targets import %v export %v", in.Import, in.Export)
	}
	r := DefaultRules()
	d := &Device{Name: "pe7", Series: "MX", Loopback: c.Loopback, Interfaces: []Interface{{Name: "ge-0/0/1", Admin: Up}, {Name: "ge-0/0/2", Admin: Up}, {Name: "ge-0/0/3", Admin: Down}}}
	p := r.evaluate(d, c)
	q1, _ := p.Qualification("ge-0/0/1")
	q2, _ := p.Qualification("ge-0/0/2")
	q3, _ := p.Qualification("ge-0/0/3")
	if q1.Role != "uni" || !q1.InUse || q2.Role != "uni" || q2.InUse || q3.Role != "" {
		t.Errorf("qualifications %+v %+v %+v", q1, q2, q3)
	}
	if _, err := parseConfig([]byte(`<configuration><protocols><l2circuit><neighbor><name>pe2</name></neighbor></l2circuit></protocols></configuration>`)); err == nil || !strings.Contains(err.Error(), `"pe2"`) {
		t.Errorf("bad neighbor: %v", err)
	}
	if _, err := parseConfig([]byte(`<rpc-reply/>`)); err == nil {
		t.Error("a reply without configuration accepted")
	}
}

func TestRulesErrors(t *testing.T) {
	for in, want := range map[string]string{
		"roles: [{role: X, hostname: '('}]": "roles[0].hostname",
		"roles: [{series: [MX]}]":           "roles[0]: role is required",
		"exclude: [{interface: ge-*}]":      "exclude[0]: device is required",
		"colour: blue":                      "field colour not found",
	} {
		if _, err := ParseRules([]byte(in)); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("ParseRules(%q): %v, want %q", in, err, want)
		}
	}
	r, err := ParseRules([]byte(`{"exclude": [{"device": "lab-*"}]}`))
	if err != nil || len(r.Roles) != len(DefaultRules().Roles) || r.Exclude[0].Device != "lab-*" {
		t.Errorf("JSON rules with defaults: %+v, %v", r, err)
	}
}

func TestPeerOf(t *testing.T) {
	for in, want := range map[string]string{"10.0.0.0/31": "10.0.0.1", "10.0.0.1/31": "10.0.0.0", "10.0.0.1/30": "10.0.0.2", "10.0.0.2/30": "10.0.0.1", "10.0.0.0/30": "invalid IP", "10.0.0.1/24": "invalid IP"} {
		if got := peerOf([]netip.Prefix{netip.MustParsePrefix(in)}); got.String() != want {
			t.Errorf("peerOf(%s) = %v, want %s", in, got, want)
		}
	}
}
