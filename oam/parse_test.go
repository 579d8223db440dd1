package oam_test

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/carrierkit/carrierkit/device"
	"github.com/carrierkit/carrierkit/oam"
)

const pingOK = `<rpc-reply xmlns:junos="http://xml.juniper.net/junos/23.4R2/junos"><lsping-results xmlns="http://xml.juniper.net/junos/23.4R2/junos-ping">
<lsping-probe-request><lsping-sequence-number>1</lsping-sequence-number><lsping-label>299776</lsping-label></lsping-probe-request>
<lsping-probe-reply><lsping-sequence-number>1</lsping-sequence-number><lsping-return-code>Egress-ok</lsping-return-code><lsping-round-trip-time>4.102</lsping-round-trip-time><lsping-ip-address>10.255.0.2</lsping-ip-address></lsping-probe-reply>
<lsping-probe-reply><lsping-sequence-number>2</lsping-sequence-number><lsping-return-code>Egress-ok</lsping-return-code><lsping-round-trip-time>4.300</lsping-round-trip-time></lsping-probe-reply>
<lsping-results-summary><lsping-packets-transmitted>3</lsping-packets-transmitted><lsping-packets-received>2</lsping-packets-received><lsping-packet-loss>33</lsping-packet-loss>
<lsping-packet-time-minimum>4.102</lsping-packet-time-minimum><lsping-packet-time-average>4.201</lsping-packet-time-average><lsping-packet-time-maximum>4.300</lsping-packet-time-maximum><lsping-packet-time-stddev>0.099</lsping-packet-time-stddev></lsping-results-summary>
<lsping-success/></lsping-results></rpc-reply>`

const pingFail = `<lsping-results xmlns="http://xml.juniper.net/junos/23.4R2/junos-ping">
<lsping-probe-request><lsping-sequence-number>1</lsping-sequence-number><lsping-label>16</lsping-label></lsping-probe-request>
<lsping-results-summary><lsping-packets-transmitted>5</lsping-packets-transmitted><lsping-packets-received>0</lsping-packets-received><lsping-packet-loss>100</lsping-packet-loss></lsping-results-summary>
<lsping-failure/></lsping-results>`

var cmpAddr = cmp.Comparer(func(a, b netip.Addr) bool { return a == b })

func ms(f float64) time.Duration { return time.Duration(f * float64(time.Millisecond)) }

func TestParsePing(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		in      string
		want    oam.Ping
		wantErr error
	}{
		{name: "success with loss", in: pingOK, want: oam.Ping{Success: true, Sent: 3, Received: 2, Loss: 33,
			Min: ms(4.102), Avg: ms(4.201), Max: ms(4.3), StdDev: ms(0.099), ReturnCodes: []string{"Egress-ok"}}},
		{name: "all timed out", in: pingFail, want: oam.Ping{Sent: 5, Loss: 100}},
		{name: "no summary", in: `<lsping-results><lsping-success/></lsping-results>`, wantErr: oam.ErrInvalid},
		{name: "not lsping", in: `<l2circuit-connection-information/>`, wantErr: oam.ErrInvalid},
		{name: "bad count", in: `<lsping-results><lsping-results-summary><lsping-packets-transmitted>x</lsping-packets-transmitted></lsping-results-summary></lsping-results>`, wantErr: oam.ErrInvalid},
		{name: "received more than sent", in: `<lsping-results><lsping-results-summary><lsping-packets-transmitted>1</lsping-packets-transmitted><lsping-packets-received>2</lsping-packets-received><lsping-packet-loss>0</lsping-packet-loss></lsping-results-summary></lsping-results>`, wantErr: oam.ErrInvalid},
		{name: "truncated", in: pingOK[:200], wantErr: oam.ErrInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := oam.ParsePing([]byte(tt.in))
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("err = %v, want %v", err, tt.wantErr)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

const l2cktXML = `<l2circuit-connection-information xmlns="http://xml.juniper.net/junos/23.4R2/junos-l2circuit">
<l2circuit-neighbor><neighbor-address>10.255.0.2</neighbor-address>
<connection><connection-id>xe-0/0/1.100(vc 100)</connection-id><connection-type>rmt</connection-type><connection-status>MM</connection-status><remote-pe>10.255.0.2</remote-pe>
<local-interface><interface-name>xe-0/0/1.100</interface-name><interface-status>Up</interface-status></local-interface></connection>
<connection><connection-id>xe-0/0/2.7(vc 7)</connection-id><connection-status>Up</connection-status></connection>
</l2circuit-neighbor><connections-summary><vc-up-count>1</vc-up-count><vc-down-count>1</vc-down-count></connections-summary></l2circuit-connection-information>`

func TestParseState(t *testing.T) {
	t.Parallel()
	c, err := oam.ParseCircuits([]byte(l2cktXML))
	if err != nil {
		t.Fatal(err)
	}
	nb := netip.MustParseAddr("10.255.0.2")
	if diff := cmp.Diff([]oam.Circuit{{Neighbor: nb, Interface: "xe-0/0/1.100", VCID: 100, Status: "MM", IfStatus: "Up"}, {Neighbor: nb, Interface: "xe-0/0/2.7", VCID: 7, Status: "Up"}}, c, cmpAddr); diff != "" {
		t.Errorf("circuits (-want +got):\n%s", diff)
	}
	l, err := oam.ParseLSPs([]byte(`<mpls-lsp-information><rsvp-session-data><session-type>Ingress</session-type><rsvp-session><mpls-lsp><name>A-B</name><destination-address>10.255.0.2</destination-address><lsp-state>Dn</lsp-state></mpls-lsp></rsvp-session></rsvp-session-data><rsvp-session-data><session-type>Egress</session-type><rsvp-session><mpls-lsp><name>B-A</name><lsp-state>Up</lsp-state></mpls-lsp></rsvp-session></rsvp-session-data></mpls-lsp-information>`))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]oam.LSPState{{Name: "A-B", To: nb}}, l, cmpAddr); diff != "" {
		t.Errorf("lsps (-want +got):\n%s", diff)
	}
	ifs, err := oam.ParseInterfaces([]byte(`<interface-information><physical-interface><name>xe-0/0/0</name><admin-status>up</admin-status><oper-status>down</oper-status><logical-interface><name>xe-0/0/0.0</name><admin-status>up</admin-status><oper-status>down</oper-status><address-family><address-family-name>inet</address-family-name></address-family><address-family><address-family-name>mpls</address-family-name></address-family></logical-interface></physical-interface></interface-information>`))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(map[string]oam.IfState{"xe-0/0/0": {Admin: true, Families: []string{"inet", "mpls"}}, "xe-0/0/0.0": {Admin: true, Families: []string{"inet", "mpls"}}}, ifs); diff != "" {
		t.Errorf("interfaces (-want +got):\n%s", diff)
	}
	rs, err := oam.ParseRoutes([]byte(`<route-information><route-table><table-name>inet.3</table-name><rt><rt-destination>10.255.0.2/32</rt-destination></rt><rt><rt-destination>10.255.0.3/32</rt-destination></rt></route-table></route-information>`))
	if err != nil || len(rs["inet.3"]) != 2 || rs["inet.3"][1] != netip.MustParsePrefix("10.255.0.3/32") {
		t.Errorf("routes = %v, %v", rs, err)
	}
	v, err := oam.ParseVPLS([]byte(`<vpls-connection-information><instance><instance-name>VPLS-A</instance-name><ldp-vpls-reference-site><vpls-id>3000</vpls-id><connection><connection-id>10.255.0.2(vpls-id 3000)</connection-id><connection-status>OL</connection-status><remote-pe>10.255.0.2</remote-pe></connection></ldp-vpls-reference-site></instance></vpls-connection-information>`))
	if err != nil || len(v) != 1 || v[0].Status != "OL" || v[0].RemotePE != nb || v[0].Instance != "VPLS-A" {
		t.Errorf("vpls = %+v, %v", v, err)
	}
	for name, f := range map[string]func([]byte) error{
		"circuits":   func(b []byte) error { _, err := oam.ParseCircuits(b); return err },
		"lsps":       func(b []byte) error { _, err := oam.ParseLSPs(b); return err },
		"interfaces": func(b []byte) error { _, err := oam.ParseInterfaces(b); return err },
		"routes":     func(b []byte) error { _, err := oam.ParseRoutes(b); return err },
		"vpls":       func(b []byte) error { _, err := oam.ParseVPLS(b); return err },
	} {
		if err := f([]byte(`<something-else/>`)); !errors.Is(err, oam.ErrInvalid) {
			t.Errorf("%s of the wrong reply: err = %v, want ErrInvalid", name, err)
		}
	}
	if _, err := oam.ParseCircuits([]byte(`<l2circuit-connection-information><l2circuit-neighbor><neighbor-address>nope</neighbor-address></l2circuit-neighbor></l2circuit-connection-information>`)); !errors.Is(err, oam.ErrInvalid) {
		t.Errorf("bad neighbor address: err = %v", err)
	}
}

func FuzzParsePing(f *testing.F) {
	f.Add([]byte(pingOK))
	f.Add([]byte(pingFail))
	f.Fuzz(func(t *testing.T, b []byte) {
		p, err := oam.ParsePing(b)
		if err != nil {
			return
		}
		if p.Received > p.Sent || p.Loss < 0 || p.Loss > 100 {
			t.Fatalf("accepted impossible counts: %+v", p)
		}
	})
}

// scripted answers RPCs from a map; unknown RPCs are refused.
type scripted map[string]string

func (s scripted) Get(_ context.Context, q device.Query) ([]byte, error) {
	if q.Source == device.Committed {
		return []byte(s["config"]), nil
	}
	if out, ok := s[q.RPC]; ok {
		if out == "broken" {
			return nil, fmt.Errorf("rpc: %w", device.ErrClosed)
		}
		return []byte(out), nil
	}
	return nil, &device.RejectedError{Target: "pe1", Op: "rpc", Message: "syntax error"}
}

func TestGather(t *testing.T) {
	t.Parallel()
	s := scripted{
		"<get-interface-information/>":                                         `<interface-information><physical-interface><name>xe-0/0/0</name><admin-status>up</admin-status><oper-status>up</oper-status></physical-interface></interface-information>`,
		"<get-l2ckt-connection-information/>":                                  l2cktXML,
		"<get-route-information><table>inet.3</table></get-route-information>": `<route-information><route-table><table-name>inet.3</table-name><rt><rt-destination>10.255.0.2/32</rt-destination></rt></route-table></route-information>`,
		"config": "set protocols l2circuit neighbor 10.255.0.2 interface xe-0/0/1.100 mtu 9100\nset interfaces xe-0/0/1 disable\n",
	}
	f, err := oam.Gather(context.Background(), s, "pe1")
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Circuits) != 2 || len(f.VPLS) != 0 || len(f.LSPs) != 0 || len(f.Transport) != 1 || len(f.Config) != 2 || !f.Interfaces["xe-0/0/0"].Oper {
		t.Errorf("facts: %+v", f)
	}
	s["<get-mpls-lsp-information/>"] = "broken"
	if _, err := oam.Gather(context.Background(), s, "pe1"); !errors.Is(err, device.ErrClosed) || !strings.Contains(err.Error(), "pe1") {
		t.Errorf("transport failure: err = %v, want ErrClosed naming pe1", err)
	}
	delete(s, "<get-interface-information/>")
	if _, err := oam.Gather(context.Background(), s, "pe1"); err == nil {
		t.Errorf("refused interface read must fail the gather")
	}
}
