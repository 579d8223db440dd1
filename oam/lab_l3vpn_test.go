package oam_test

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"strings"
	"testing"

	"golang.org/x/crypto/ssh"

	"github.com/carrierkit/carrierkit/design"
	"github.com/carrierkit/carrierkit/device"
	"github.com/carrierkit/carrierkit/device/netconf"
	"github.com/carrierkit/carrierkit/netid"
	"github.com/carrierkit/carrierkit/oam"
)

// l3vpnService is a full-mesh L3VPN over the given PEs: VLAN 400 on
// xe-0/0/1 with PE address 100.64.<i>.0/31, one RT.
func (l *lab) l3vpnService(pes ...string) design.Service {
	rt := netid.MustParseRT("65000:400")
	svc := design.Service{Name: "wan1", Definition: design.DefL3VPNFullMesh, Type: design.TypeL3VPN,
		Params: design.Params{Topology: design.TopologyFullMesh, PECE: design.PECEStatic, IPv4: true}}
	for i, pe := range pes {
		addr := netip.PrefixFrom(netip.AddrFrom4([4]byte{100, 64, byte(i + 1), 0}), 31)
		svc.Devices = append(svc.Devices, design.DeviceIntent{Device: pe, Platform: mx(), Loopback: l.loops[pe],
			Attachments: []design.Attachment{{Interface: "xe-0/0/1", Unit: 400, Encapsulation: design.UnitInet, VLAN: 400, Address: addr}},
			VRF: &design.VRFInstance{Name: "VRF-WAN1", RD: netid.MustParseRD(fmt.Sprintf("65000:%d", 400+i)),
				ImportRTs: []netid.RT{rt}, ExportRTs: []netid.RT{rt}, Interfaces: []string{"xe-0/0/1.400"}}})
	}
	return svc
}

// ibgp gives every PE a full iBGP mesh carrying inet-vpn.
func (l *lab) ibgp(t *testing.T) {
	for _, pe := range l.pes {
		lines := []string{"set routing-options autonomous-system 65000", "set protocols bgp group ibgp type internal",
			"set protocols bgp group ibgp local-address " + l.loops[pe].String(), "set protocols bgp group ibgp family inet-vpn unicast"}
		for _, o := range l.pes {
			if o != pe {
				lines = append(lines, "set protocols bgp group ibgp neighbor "+l.loops[o].String())
			}
		}
		l.commit(t, l.sess[pe], lines...)
	}
}

func TestLiveL3VPN(t *testing.T) {
	l := startStar(t, "127.0.95", 4)
	l.ibgp(t)
	svc := l.l3vpnService(l.pes...)
	l.deploy(t, svc)
	rep := runAndDiagnose(t, l, svc)
	var tb strings.Builder
	rep.WriteTable(&tb)
	if len(rep.Results) != 12 || !rep.OK() {
		t.Fatalf("healthy L3VPN: want 12 ok probes:\n%s", tb.String())
	}

	t.Run("through a device.Pool", func(t *testing.T) {
		pool := device.NewPool(netconf.Dialer(), device.PoolOptions{PerDevice: 2})
		defer pool.Close()
		conn := oam.PoolConnector(pool, func(name string) (device.Target, bool) {
			d := l.nw.Device(name)
			if d == nil {
				return device.Target{}, false
			}
			key := strings.TrimSpace(string(ssh.MarshalAuthorizedKey(d.HostKey())))
			return device.Target{Name: name, Addr: d.Addr(), Credentials: device.Password("admin", labPass), HostKeys: device.PinnedKeys(key)}, true
		})
		p, _ := oam.PlanService(svc, oam.PlanOptions{Count: 2})
		res, err := oam.Run(context.Background(), conn, p, oam.Options{PerDevice: 2})
		if err != nil {
			t.Fatal(err)
		}
		if rep := oam.NewReport(p, res, nil); !rep.OK() {
			t.Fatalf("over the pool: %v", rep.Counts())
		}
		if st := pool.Stats(); st.Open == 0 || st.Open > 8 {
			t.Errorf("pool stats %+v: want between 1 and 8 sessions (2 per PE)", st)
		}
		if _, _, err := conn(context.Background(), "nope"); !errors.Is(err, oam.ErrInvalid) {
			t.Errorf("unknown device: err = %v", err)
		}
	})

	t.Run("route target mismatch on one site", func(t *testing.T) {
		l.commit(t, l.sess["pe3"], "set routing-instances VRF-WAN1 vrf-target target:65000:999")
		l.nw.Sync()
		rep := runAndDiagnose(t, l, svc)
		writeSVG(t, rep, "l3vpn-rt-mismatch")
		var tb strings.Builder
		rep.WriteTable(&tb)
		if rep.Counts()[oam.StatusFailed] != 6 {
			t.Fatalf("want the 6 probes to and from pe3 failed:\n%s", tb.String())
		}
		for _, f := range rep.Findings {
			if f.Cause != oam.CauseRTMismatch || f.Device != "pe3" || f.Statement != "routing-instances VRF-WAN1 vrf-target target:65000:999" {
				t.Errorf("%s: want route-target-mismatch on pe3's vrf-target, got %+v", f.Probe, f)
			}
		}
	})
}

func TestLiveL3VPNOneWay(t *testing.T) {
	l := startStar(t, "127.0.97", 3)
	l.ibgp(t)
	svc := l.l3vpnService(l.pes...)
	l.deploy(t, svc)
	// pe3 still imports the VPN's routes but exports under another target:
	// pe3 reaches everyone, no one reaches pe3.
	l.commit(t, l.sess["pe3"], "delete routing-instances VRF-WAN1 vrf-target",
		"set routing-instances VRF-WAN1 vrf-target import target:65000:400",
		"set routing-instances VRF-WAN1 vrf-target export target:65000:999")
	l.nw.Sync()
	rep := runAndDiagnose(t, l, svc)
	var tb strings.Builder
	rep.WriteTable(&tb)
	if c := rep.Counts(); c[oam.StatusFailed] != 2 || c[oam.StatusOK] != 4 {
		t.Fatalf("want pe1→pe3 and pe2→pe3 failed, the rest ok:\n%s", tb.String())
	}
	for _, f := range rep.Findings {
		if f.To != "pe3" || !f.OneWay || f.Cause != oam.CauseRTMismatch || f.Device != "pe3" ||
			f.Statement != "routing-instances VRF-WAN1 vrf-target export target:65000:999" {
			t.Errorf("%s: want one-way route-target-mismatch on pe3's export target, got %+v", f.Probe, f)
		}
	}
}
