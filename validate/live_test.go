package validate_test

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/carrierkit/carrierkit/design"
	"github.com/carrierkit/carrierkit/validate"
)

func TestLiveELine(t *testing.T) {
	l := startLab(t, "127.0.83")
	ctx := context.Background()
	devs := l.devices()

	// Pre-validation of the planned service, before anything is pushed.
	planned := l.design(l.order("eline-a"), true)
	claims, err := l.pools.Claims(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	fs, err := validate.Pre(ctx, &planned, validate.PreOptions{Claims: claims, Devices: devs})
	if err != nil {
		t.Fatal(err)
	}
	if err := validate.Refuse(fs); err != nil {
		t.Fatalf("healthy E-LINE refused: %v", err)
	}

	svc := l.design(l.order("eline-a"), false)
	l.deploy(svc)
	a := svc.Devices[0].Attachments[0]
	c := svc.Devices[1].L2Circuits[0]

	t.Run("healthy", func(t *testing.T) {
		post, err := validate.PostLive(ctx, &svc, devs, 0)
		if err != nil {
			t.Fatal(err)
		}
		if len(post) != 0 {
			t.Errorf("post-validation of a healthy E-LINE: %v", post)
		}
		op, err := validate.Oper(ctx, &svc, devs, 0)
		if err != nil {
			t.Fatal(err)
		}
		if len(op) != 0 {
			t.Errorf("operational validation of a healthy E-LINE: %v", op)
		}
		// Pre-validation of the deployed service against itself is clean.
		claims, _ := l.pools.Claims(ctx, "")
		fs, err := validate.Pre(ctx, &svc, validate.PreOptions{Claims: claims, Devices: devs})
		if err != nil {
			t.Fatal(err)
		}
		if len(errorsOnly(fs)) != 0 {
			t.Errorf("pre-validation of the deployed service: %v", fs)
		}
		rep, err := validate.Audit(ctx, []svcT{svc}, devs, validate.AuditOptions{Oper: true, Parallel: 2})
		if err != nil {
			t.Fatal(err)
		}
		if !rep.OK() || len(rep.Findings) != 0 || rep.Devices != 2 {
			t.Errorf("audit: %+v", rep)
		}
	})

	t.Run("brownfield vlan", func(t *testing.T) {
		// The next E-LINE on the same ports: its VLAN is configured by hand on
		// pe1, on another unit, and the pools do not know.
		next := l.design(l.order("eline-b"), true)
		v := next.Devices[0].Attachments[0].VLAN
		l.commit("pe1", fmt.Sprintf("set interfaces xe-0/0/1 unit 3999 encapsulation vlan-ccc"), fmt.Sprintf("set interfaces xe-0/0/1 unit 3999 vlan-id %d", v))
		defer l.commit("pe1", "delete interfaces xe-0/0/1 unit 3999")
		claims, _ := l.pools.Claims(ctx, "")
		fs, err := validate.Pre(ctx, &next, validate.PreOptions{Claims: claims, Devices: devs})
		if err != nil {
			t.Fatal(err)
		}
		if !hasFinding(fs, validate.RuleVLANCollision, "pe1", "unit 3999") {
			t.Fatalf("brownfield VLAN %d not found: %v", v, fs)
		}
		err = validate.Refuse(fs)
		var re *validate.RefusedError
		if !errors.Is(err, validate.ErrRefused) || !errors.As(err, &re) || len(re.Findings) != 1 {
			t.Fatalf("Refuse: %v", err)
		}
	})

	t.Run("pool collision", func(t *testing.T) {
		// A design that reuses eline-a's VC ID under another name.
		other := svc
		other.Name = "eline-z"
		fs := validate.Check(&other, validate.PoolCollisions(mustClaims(t, l)))
		if !hasFinding(fs, validate.RuleVCIDCollision, "pe1", "held in the pools by eline-a") {
			t.Fatalf("pool collision not found: %v", fs)
		}
	})

	t.Run("post missing and extra", func(t *testing.T) {
		path := fmt.Sprintf("protocols l2circuit neighbor %s interface %s", c.Neighbor, c.Interface)
		l.commit("pe2", "delete "+path+" mtu", fmt.Sprintf("set interfaces %s unit %d disable", a.Interface, a.Unit),
			"set interfaces xe-0/0/2 description unrelated")
		defer l.commit("pe2", fmt.Sprintf("set %s mtu %d", path, c.MTU), fmt.Sprintf("delete interfaces %s unit %d disable", a.Interface, a.Unit),
			"delete interfaces xe-0/0/2")
		fs, err := validate.PostLive(ctx, &svc, devs, 0)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("post: %v", fs)
		if len(fs) != 2 || !hasFinding(fs, validate.RuleSyncMissing, "pe2", path+" mtu") ||
			!hasFinding(fs, validate.RuleSyncExtra, "pe2", fmt.Sprintf("unit %d disable", a.Unit)) {
			t.Fatalf("post-validation: %v", fs)
		}
	})

	t.Run("vc id mismatch", func(t *testing.T) {
		path := fmt.Sprintf("protocols l2circuit neighbor %s interface %s", c.Neighbor, c.Interface)
		l.commit("pe2", fmt.Sprintf("set %s virtual-circuit-id %d", path, c.VCID+1))
		defer l.commit("pe2", fmt.Sprintf("set %s virtual-circuit-id %d", path, c.VCID))
		l.nw.Sync()
		op, err := validate.Oper(ctx, &svc, devs, 0)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("oper: %v", op)
		if !hasFinding(op, validate.RulePseudowireUp, "pe1", "OL (no outgoing label)") ||
			!hasFinding(op, validate.RulePseudowireUp, "pe2", fmt.Sprintf("intended virtual-circuit-id %d", c.VCID)) {
			t.Fatalf("operational validation: %v", op)
		}
		post, err := validate.PostLive(ctx, &svc, devs, 0)
		if err != nil {
			t.Fatal(err)
		}
		if !hasFinding(post, validate.RuleSyncChanged, "pe2", fmt.Sprintf("configured \"%d\"", c.VCID+1)) {
			t.Fatalf("post-validation: %v", post)
		}
	})
}

func TestLiveL3VPN(t *testing.T) {
	l := startLab(t, "127.0.84")
	ctx := context.Background()
	devs := l.devices()
	ibgp := func(lo, peer string) []string {
		return []string{"set routing-options autonomous-system 65000",
			"set protocols bgp group ibgp type internal", "set protocols bgp group ibgp local-address " + lo,
			"set protocols bgp group ibgp family inet-vpn unicast", "set protocols bgp group ibgp neighbor " + peer}
	}
	l.commit("pe1", ibgp("10.255.0.1", "10.255.0.2")...)
	l.commit("pe2", ibgp("10.255.0.2", "10.255.0.1")...)
	o := &design.Order{Name: "vpn-blue", Definition: design.DefL3VPNFullMesh, Attributes: design.Attributes{"pece": "static"},
		Endpoints: []design.Endpoint{{Device: "pe1", Interface: "xe-0/0/1", Routes: []netip.Prefix{netip.MustParsePrefix("172.16.1.0/24")}},
			{Device: "pe2", Interface: "xe-0/0/1", Routes: []netip.Prefix{netip.MustParsePrefix("172.16.2.0/24")}}}}
	svc := l.design(o, false)
	fs, err := validate.Pre(ctx, &svc, validate.PreOptions{Claims: mustClaims(t, l), Devices: devs})
	if err != nil || validate.Refuse(fs) != nil {
		t.Fatalf("pre: %v %v", fs, err)
	}
	l.deploy(svc)
	rep, err := validate.Audit(ctx, []design.Service{svc}, devs, validate.AuditOptions{Oper: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Findings) != 0 {
		t.Fatalf("healthy L3VPN: %v", rep.Findings)
	}

	// pe2 loses its iBGP session: the session and pe1's routes from pe2 are
	// reported, and the configuration is still in sync.
	l.commit("pe2", "delete protocols bgp group ibgp neighbor 10.255.0.1")
	l.nw.Sync()
	rep, err = validate.Audit(ctx, []design.Service{svc}, devs, validate.AuditOptions{Oper: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("audit:\n%v", rep.Findings)
	if !hasFinding(rep.Findings, validate.RuleBGPSession, "pe1", "no established core BGP session") ||
		!hasFinding(rep.Findings, validate.RuleVRFRoutes, "pe1", "from site pe2") ||
		!hasFinding(rep.Findings, validate.RuleVRFRoutes, "pe2", "from site pe1") ||
		hasFinding(rep.Findings, validate.RuleSyncMissing, "", "") {
		t.Fatalf("audit after losing BGP: %v", rep.Findings)
	}
	if rep.OK() || rep.Services != 1 || rep.Devices != 2 {
		t.Errorf("report counts: %+v", rep)
	}
}

func TestLiveReadErrors(t *testing.T) {
	svc := designed(t, "eline-ldp.yaml")
	ctx := context.Background()
	// No sessions at all: pre-validation cannot run; the audit reports each
	// unreadable device as a finding.
	if _, err := validate.Pre(ctx, &svc, validate.PreOptions{Devices: validate.Devices{}}); err == nil || !strings.Contains(err.Error(), `no session for device "pe1"`) {
		t.Errorf("Pre without sessions: %v", err)
	}
	rep, err := validate.Audit(ctx, []design.Service{svc}, validate.Devices{}, validate.AuditOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]brief{{validate.RuleOperRead, validate.Error, "pe1"}, {validate.RuleOperRead, validate.Error, "pe2"}}, briefs(rep.Findings)); diff != "" {
		t.Errorf("(-want +got)\n%s", diff)
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := validate.Oper(cctx, &svc, validate.Devices{}, 1); !errors.Is(err, context.Canceled) {
		t.Errorf("Oper with a cancelled ctx: %v", err)
	}
}

func TestLiveVPLSAndLSP(t *testing.T) {
	l := startLab(t, "127.0.85")
	ctx := context.Background()
	devs := l.devices()
	l.commit("pe1", "set protocols rsvp interface xe-0/0/0.0")
	l.commit("p1", "set protocols rsvp interface xe-0/0/0.0", "set protocols rsvp interface xe-0/0/1.0")
	l.commit("pe2", "set protocols rsvp interface xe-0/0/0.0")
	vpls := l.design(&design.Order{Name: "lan-1", Definition: design.DefVPLSLDP,
		Endpoints: []design.Endpoint{{Device: "pe1", Interface: "xe-0/0/1"}, {Device: "pe2", Interface: "xe-0/0/1"}}}, false)
	lsp := l.design(&design.Order{Name: "lsp-1", Definition: design.DefLSPP2P, Attributes: design.Attributes{"noCspf": "true"},
		Endpoints: []design.Endpoint{{Device: "pe1"}, {Device: "pe2"}}}, false)
	for _, s := range []design.Service{vpls, lsp} {
		fs, err := validate.Pre(ctx, &s, validate.PreOptions{Claims: mustClaims(t, l), Devices: devs})
		if err != nil || validate.Refuse(fs) != nil {
			t.Fatalf("pre %s: %v %v", s.Name, fs, err)
		}
		l.deploy(s)
	}
	svcs := []design.Service{vpls, lsp}
	rep, err := validate.Audit(ctx, svcs, devs, validate.AuditOptions{Oper: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Findings) != 0 {
		t.Fatalf("healthy VPLS and LSP: %v", rep.Findings)
	}
	// The core link is cut: the LSP, the LDP sessions and the VPLS legs go
	// down, and each is reported.
	if err := l.nw.SetLink("pe1:eth1", "p1:eth1", false); err != nil {
		t.Fatal(err)
	}
	l.nw.Sync()
	rep, err = validate.Audit(ctx, svcs, devs, validate.AuditOptions{Oper: true, Parallel: 1})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("audit:\n%v", rep.Findings)
	for _, w := range []struct{ rule, dev, msg string }{
		{validate.RuleLSPUp, "pe1", "LSP " + lsp.Devices[0].LSPs[0].Name},
		{validate.RuleVPLSUp, "pe1", "10.255.0.2"},
		{validate.RuleVPLSUp, "pe2", "10.255.0.1"},
		{validate.RuleLDPSession, "pe1", "LDP session to pe2"},
	} {
		if !hasFinding(rep.Findings, w.rule, w.dev, w.msg) {
			t.Errorf("no %s finding on %s about %q", w.rule, w.dev, w.msg)
		}
	}
}
