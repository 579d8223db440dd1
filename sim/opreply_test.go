package sim

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"strings"
	"testing"

	"github.com/carrierkit/carrierkit/sim/junosconf"
	"github.com/carrierkit/carrierkit/sim/netstate"
)

// wellFormed fails the test if b is not one well-formed XML element.
func wellFormed(t *testing.T, what string, b []byte) {
	t.Helper()
	if _, err := parseXML(b); err != nil {
		t.Fatalf("%s: reply XML not well-formed: %v\n%s", what, err, b)
	}
}

const serviceConfig = `
interfaces {
    ge-1/0/1 {
        description "to CE one";
        vlan-tagging;
        unit 100 {
            encapsulation vlan-ccc;
            vlan-id 100;
        }
    }
    ge-1/0/2 {
        disable;
        unit 0 {
            family inet {
                address 192.0.2.1/30;
            }
        }
    }
    lo0 {
        unit 0 {
            family inet {
                address 10.255.0.1/32;
            }
        }
    }
}
protocols {
    mpls {
        label-switched-path pe1-to-pe2 {
            to 10.255.0.2;
        }
    }
    l2circuit {
        neighbor 10.255.0.2 {
            interface ge-1/0/1.100 {
                virtual-circuit-id 1100;
            }
        }
    }
}
routing-instances {
    CUST-A {
        instance-type vrf;
        interface ge-1/0/2.0;
        route-distinguisher 10.255.0.1:100;
        vrf-target target:65000:100;
    }
}
`

func startServiceDevice(t *testing.T) (*Device, *session) {
	t.Helper()
	d := startTestDevice(t, func(o *Options) { o.Config = []byte("system { host-name pe1; }\n" + serviceConfig) })
	s := d.newSession(testUser, "cli")
	t.Cleanup(s.close)
	return d, s
}

func run(t *testing.T, d *Device, s *session, line string) opReply {
	t.Helper()
	r, err := d.command(context.Background(), s, line)
	if err != nil {
		t.Fatalf("%s: %v", line, err)
	}
	wellFormed(t, line, r.XML())
	return r
}

func TestInterfacesFromConfigAndPlatform(t *testing.T) {
	d, s := startServiceDevice(t)
	r := run(t, d, s, "show interfaces terse")
	txt := r.Text()
	for _, want := range []string{
		"Interface               Admin Link Proto    Local                 Remote\n",
		"ge-1/0/2                down  down\n",
		"ge-1/0/2.0              up    down inet     192.0.2.1/30\n",
		"ge-1/0/1.100            up    down\n",
		"lo0.0                   up    up   inet     10.255.0.1/32\n",
		"xe-0/1/9                up    down\n",
	} {
		if !strings.Contains(txt, want) {
			t.Errorf("terse lacks %q:\n%s", want, txt)
		}
	}
	if got := strings.Count(txt, "\nxe-0/"); got != 20 {
		t.Errorf("mx480 should show 20 xe- ports on FPC 0, got %d", got)
	}
	mustContain(t, string(r.XML()), `junos:style="terse"`, "<name>ge-1/0/2.0</name>", "<ifa-local>192.0.2.1/30</ifa-local>")
	if r.RPC() != "<get-interface-information><terse/></get-interface-information>" {
		t.Errorf("RPC() = %q", r.RPC())
	}
	r = run(t, d, s, "show interfaces ge-1/0/1 detail")
	mustContain(t, r.Text(), "Physical interface: ge-1/0/1, Enabled, Physical link is Down", "Description: to CE one", "Speed: 1000mbps")
	mustContain(t, string(r.XML()), "<speed>1000mbps</speed>", "<name>ge-1/0/1.100</name>")
	mustNotContain(t, string(r.XML()), "ge-1/0/2")
	r = run(t, d, s, "show interfaces xe-0/0/0")
	mustContain(t, string(r.XML()), "<speed>10Gbps</speed>")
	r = run(t, d, s, "show interfaces ge-1/*")
	if n := strings.Count(string(r.XML()), "<physical-interface>"); n != 20 {
		t.Errorf("ge-1/* matched %d interfaces, want 20", n)
	}
	if _, err := d.command(context.Background(), s, "show interfaces ge-9/9/9"); err == nil || !strings.Contains(err.Error(), "not found") {
		t.Errorf("unknown interface: %v", err)
	}
}

func TestLoneDeviceServiceState(t *testing.T) {
	d, s := startServiceDevice(t)
	r := run(t, d, s, "show l2circuit connections")
	mustContain(t, r.Text(), "Neighbor: 10.255.0.2", "ge-1/0/1.100(vc 1100)", "rmt   OL  ")
	mustContain(t, string(r.XML()), "<neighbor-address>10.255.0.2</neighbor-address>", "<connection-status>OL</connection-status>", "<vc-down-count>1</vc-down-count>", "<interface-status>Dn</interface-status>")
	r = run(t, d, s, "show mpls lsp")
	mustContain(t, r.Text(), "Ingress LSP: 1 sessions", "10.255.0.2      10.255.0.1      Dn", "pe1-to-pe2", "Total 1 displayed, Up 0, Down 1")
	mustContain(t, string(r.XML()), "<lsp-state>Dn</lsp-state>", "<session-type>Egress</session-type>")
	r = run(t, d, s, "show route instance")
	mustContain(t, r.Text(), "CUST-A               vrf", "CUST-A.inet.0")
	mustContain(t, string(r.XML()), "<instance-name>CUST-A</instance-name>", "<interface-name>ge-1/0/2.0</interface-name>")
	r = run(t, d, s, "show vpls connections")
	wellFormed(t, "vpls", r.XML())

	// Part 2 plugs network state in through opState.
	d.setOpState(upState{})
	r = run(t, d, s, "show l2circuit connections")
	mustContain(t, string(r.XML()), "<connection-status>Up</connection-status>", "<vc-up-count>1</vc-up-count>", "<outbound-label>299776</outbound-label>", "<interface-status>Up</interface-status>")
	r = run(t, d, s, "show mpls lsp")
	mustContain(t, r.Text(), "Up 1, Down 0")
	mustContain(t, run(t, d, s, "show interfaces terse ge-1/0/1").Text(), "ge-1/0/1                up    up\n")
}

type upState struct{}

func (upState) linkUp(*Device, string) bool { return true }
func (upState) pseudowire(_ *Device, nb, ifn, vc string) pwState {
	return pwState{Status: "Up", InLabel: "299792", OutLabel: "299776", UpTransitions: 1}
}
func (upState) lsp(*Device, string, string) lspState {
	return lspState{Up: true, ActivePath: "(primary)"}
}
func (upState) remoteMEP(*Device, string, string, string, string) string { return "ok" }
func (upState) net(*Device) (*netstate.State, string)                    { return nil, "" }
func (upState) timing(*Device) timingState {
	return timingState{PTPLock: "PHASE ALIGNED", PTPMaster: "10.255.0.9", SyncClock: "locked", SyncSrc: "ge-1/0/1"}
}

func TestCommandTable(t *testing.T) {
	d, s := startServiceDevice(t)
	for line, rpc := range map[string]string{
		"show version":                                   "<get-software-information/>",
		"sh ver":                                         "<get-software-information/>",
		"show system information":                        "<get-system-information/>",
		"show chassis hardware":                          "<get-chassis-inventory/>",
		"show chassis routing-engine":                    "<get-route-engine-information/>",
		"show interfaces":                                "<get-interface-information/>",
		"show interfaces xe-0/0/1 terse":                 "<get-interface-information><interface-name>xe-0/0/1</interface-name><terse/></get-interface-information>",
		"show l2circuit connections neighbor 10.255.0.2": "<get-l2ckt-connection-information><neighbor>10.255.0.2</neighbor></get-l2ckt-connection-information>",
		"show vpls connections":                          "<get-vpls-connection-information/>",
		"show mpls lsp ingress":                          "<get-mpls-lsp-information><ingress/></get-mpls-lsp-information>",
		"show route instance":                            "<get-instance-information/>",
		"show configuration":                             `<get-configuration database="committed" format="text"></get-configuration>`,
	} {
		r, err := d.command(context.Background(), s, line)
		if err != nil {
			t.Errorf("%q: %v", line, err)
			continue
		}
		if r.RPC() != rpc {
			t.Errorf("%q: RPC() = %s, want %s", line, r.RPC(), rpc)
		}
		wellFormed(t, line, r.XML())
		if r.Text() == "" {
			t.Errorf("%q: empty text", line)
		}
	}
	for line, want := range map[string]string{
		"show bogus":       "syntax error, expecting <command>.",
		"show c":           "'c' is ambiguous.",
		"show version xyz": "syntax error",
		"":                 "syntax error, expecting <command>.",
		"show system":      "syntax error, expecting <command>.",
	} {
		_, err := d.command(context.Background(), s, line)
		var ce *commandError
		if !errors.As(err, &ce) || !strings.Contains(ce.Error(), want) {
			t.Errorf("%q: error %v, want %q", line, err, want)
		}
	}
	r := run(t, d, s, "show configuration interfaces ge-1/0/2")
	if !strings.HasPrefix(r.Text(), "disable;\nunit 0 {") {
		t.Errorf("show configuration interfaces ge-1/0/2:\n%s", r.Text())
	}
	mustContain(t, run(t, d, s, "show configuration").Text(), "## Last commit: ", "version 23.4R2.13;\n")
}

func TestPlatformsAndInventory(t *testing.T) {
	for _, p := range Platforms() {
		t.Run(p.Model, func(t *testing.T) {
			d := startTestDevice(t, func(o *Options) { o.Platform = p.Model; o.Hostname = "dev-" + p.Model })
			s := d.newSession(testUser, "cli")
			defer s.close()
			inv := run(t, d, s, "show chassis hardware")
			mustContain(t, inv.Text(), "Hardware inventory:", "Chassis", d.Serial(), p.ChassisName, "Routing Engine 0", "FPC 0", "PIC 0")
			var doc struct {
				Chassis struct {
					Serial  string `xml:"serial-number"`
					Modules []struct {
						Name string `xml:"name"`
						Subs []struct {
							Name string `xml:"name"`
						} `xml:"chassis-sub-module"`
					} `xml:"chassis-module"`
				} `xml:"chassis"`
			}
			if err := xml.Unmarshal(inv.XML(), &doc); err != nil {
				t.Fatal(err)
			}
			if doc.Chassis.Serial != d.Serial() || len(doc.Chassis.Modules) < 2 {
				t.Fatalf("inventory XML: %+v", doc)
			}
			mustContain(t, run(t, d, s, "show version").Text(), "Model: "+p.ProductName)
			mustContain(t, string(run(t, d, s, "show system information").XML()), "<os-name>"+p.OSName+"</os-name>")
			mustContain(t, run(t, d, s, "show chassis routing-engine").Text(), p.RE.Description)
			if len(p.Ports()) == 0 {
				t.Fatal("no ports")
			}
			// configuration families follow the platform
			err := s.setLine("set security zones security-zone trust")
			if es := p.Family != junosconf.FamilyJunos; (err == nil) != es {
				t.Errorf("security on %s: err=%v", p.Model, err)
			}
		})
	}
	// serials are stable per hostname and differ between hostnames
	p, _ := LookupPlatform("MX960")
	if chassisSerial(p, "a", "") != chassisSerial(p, "a", "") || chassisSerial(p, "a", "") == chassisSerial(p, "b", "") {
		t.Error("chassis serial not derived deterministically from hostname")
	}
	if chassisSerial(p, "a", "JN0001") != "JN0001" {
		t.Error("Options.Serial not honoured")
	}
	if _, err := LookupPlatform("mx9999"); err == nil || !strings.Contains(err.Error(), "acx2100") {
		t.Errorf("unknown platform error: %v", err)
	}
}

func TestSessionDatastoreDirect(t *testing.T) {
	d := startTestDevice(t, nil)
	a := d.newSession("alice", "cli")
	b := d.newSession("bob", "netconf")
	defer a.close()
	defer b.close()
	if err := a.setLine("set system domain-name a.example"); err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(b.candidate().SetLines(), []byte("a.example")) {
		t.Fatal("shared candidate not shared")
	}
	if diff := a.compare(0); !bytes.Contains(diff, []byte("+   domain-name a.example;")) {
		t.Fatalf("compare: %s", diff)
	}
	res, err := a.commit(commitOptions{Log: "via cli"})
	if err != nil || res.Message != "commit complete" {
		t.Fatalf("commit: %v %v", res, err)
	}
	if err := a.lock(); err != nil {
		t.Fatal(err)
	}
	err = b.setLine("set system domain-name b.example")
	var de *dbError
	if !errors.As(err, &de) || !strings.Contains(de.Msg, "alice terminal (pid") {
		t.Fatalf("lock message: %v", err)
	}
	a.close()
	if err := b.lock(); err != nil {
		t.Fatalf("lock after holder closed: %v", err)
	}
	if err := b.rollback(1); err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(b.candidate().SetLines(), []byte("a.example")) {
		t.Fatal("rollback 1 still has the change")
	}
	if _, err := b.rollbackConfig(7); err == nil {
		t.Fatal("rollback 7 of 2 exists")
	}
	if !d.Committed().Equal(b.committed()) {
		t.Fatal("Committed() differs from session view")
	}
}

func TestOAMTimingAndVNFState(t *testing.T) {
	cfg := `system { host-name nfx1; }
interfaces {
    ge-0/0/1 {
        unit 0;
    }
}
protocols {
    oam {
        ethernet {
            connectivity-fault-management {
                maintenance-domain MD5 {
                    level 5;
                    maintenance-association MA1 {
                        mep 1 {
                            interface ge-0/0/1.0;
                            direction up;
                            remote-mep 2;
                        }
                    }
                }
            }
        }
    }
    ptp {
        clock-mode ordinary;
        slave {
            interface ge-0/0/1.0;
        }
    }
}
virtual-network-functions vsrx-1 {
    image /var/public/vsrx.qcow2;
    virtual-cpu {
        count 2;
    }
}
`
	d := startTestDevice(t, func(o *Options) { o.Platform = "nfx250"; o.Config = []byte(cfg) })
	s := d.newSession(testUser, "cli")
	defer s.close()
	r := run(t, d, s, "show oam ethernet connectivity-fault-management mep-database")
	mustContain(t, string(r.XML()), "<cfm-maintenance-domain-name>MD5</cfm-maintenance-domain-name>", "<cfm-remote-mep-state>failed</cfm-remote-mep-state>")
	mustContain(t, r.Text(), "MEP identifier: 1, Direction: up")
	mustContain(t, run(t, d, s, "show ptp lock-status").Text(), "Lock State    : FREERUN")
	mustContain(t, run(t, d, s, "show chassis synchronization").Text(), "free-run")
	r = run(t, d, s, "show virtual-network-functions")
	mustContain(t, r.Text(), "vsrx-1", "Running")
	mustContain(t, string(r.XML()), "<vcpus>2</vcpus>")
	d.setOpState(upState{})
	mustContain(t, string(run(t, d, s, "show oam ethernet connectivity-fault-management mep-database").XML()), "<cfm-remote-mep-state>ok</cfm-remote-mep-state>")
	mustContain(t, run(t, d, s, "show ptp lock-status").Text(), "PHASE ALIGNED")
	// VNFs exist only on NFX
	mx := startTestDevice(t, nil)
	ms := mx.newSession(testUser, "cli")
	defer ms.close()
	if _, err := mx.command(context.Background(), ms, "show virtual-network-functions"); err == nil {
		t.Error("show virtual-network-functions accepted on an MX")
	}
	if _, err := mx.command(context.Background(), ms, "show ptp lock-status"); err == nil {
		t.Error("ptp lock-status without ptp configured")
	}
}
