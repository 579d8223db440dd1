package sim

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/carrierkit/carrierkit/sim/junosconf"
)

// vnfConfig writes one virtual-network-functions entry per spec
// "name image vcpus memKiB" ("-" leaves a statement out).
func vnfConfig(specs ...string) string {
	var b strings.Builder
	b.WriteString("system { host-name nfx1; }\n")
	for _, s := range specs {
		f := strings.Fields(s)
		fmt.Fprintf(&b, "virtual-network-functions %s {\n", f[0])
		if f[1] != "-" {
			fmt.Fprintf(&b, "    image %s;\n", f[1])
		}
		if f[2] != "-" {
			fmt.Fprintf(&b, "    virtual-cpu { count %s; }\n", f[2])
		}
		if f[3] != "-" {
			fmt.Fprintf(&b, "    memory { size %s; }\n", f[3])
		}
		b.WriteString("}\n")
	}
	return b.String()
}

// flatXML is r's XML without the newlines between elements.
func flatXML(r opReply) string { return strings.ReplaceAll(string(r.XML()), "\n", "") }

// short is a vnfState without the reason text, for table comparisons.
type short struct{ ID, Name, State, Live string }

func TestVNFStates(t *testing.T) {
	t.Parallel()
	const gib = 1 << 20 // KiB
	capacity := VNFCapacity{Cores: 6, MemoryMB: 16384}
	tests := []struct {
		name   string
		specs  []string
		faults map[string]string
		want   []short
		reason map[string]string // substring of the reason, per VNF
	}{
		{name: "three fit", specs: []string{"a /var/public/a.qcow2 1 2097152", "b /var/public/b.qcow2 2 4194304", "c /var/third-party/c.img 1 1048576"},
			want: []short{{"1", "a", "Running", "alive"}, {"2", "b", "Running", "alive"}, {"3", "c", "Running", "alive"}}},
		{name: "cores run out in configuration order", specs: []string{"a /var/public/a.qcow2 4 -", "b /var/public/b.qcow2 3 -", "c /var/public/c.qcow2 2 -"},
			want:   []short{{"1", "a", "Running", "alive"}, {"-", "b", "Shutdown", "down"}, {"3", "c", "Running", "alive"}},
			reason: map[string]string{"b": "needs 3 vcpus, 2 of 6 free"}},
		{name: "memory runs out", specs: []string{"a /var/public/a.qcow2 1 12582912", "b /var/public/b.qcow2 1 8388608"},
			want:   []short{{"1", "a", "Running", "alive"}, {"-", "b", "Shutdown", "down"}},
			reason: map[string]string{"b": "needs 8388608 KiB, 4194304 of 16777216 KiB free"}},
		{name: "defaults are one vcpu and one GiB", specs: []string{"a /var/public/a.qcow2 6 15728640", "b /var/public/b.qcow2 - -", "c /var/public/c.qcow2 - -"},
			want:   []short{{"1", "a", "Running", "alive"}, {"-", "b", "Shutdown", "down"}, {"-", "c", "Shutdown", "down"}},
			reason: map[string]string{"b": "needs 1 vcpus, 0 of 6 free"}},
		{name: "implausible images are not started and take nothing",
			specs: []string{"none - 6 -", "tmp /tmp/x.qcow2 6 -", "iso /var/public/x.iso 6 -", "dots /var/public/../etc/x.qcow2 6 -", "dir /var/public/ 6 -", "ok /var/public/ok.qcow2 6 -"},
			want: []short{{"-", "none", "Shutdown", "down"}, {"-", "tmp", "Shutdown", "down"}, {"-", "iso", "Shutdown", "down"},
				{"-", "dots", "Shutdown", "down"}, {"-", "dir", "Shutdown", "down"}, {"6", "ok", "Running", "alive"}},
			reason: map[string]string{"none": "no image configured", "tmp": "under /var/public or /var/third-party", "iso": "not a qcow2 image", "dots": "bad path"}},
		{name: "faults", specs: []string{"a /var/public/a.qcow2 2 -", "b /var/public/b.qcow2 2 -", "c /var/public/c.qcow2 2 -", "d /var/public/d.qcow2 1 -"},
			faults: map[string]string{"a": "crashed", "b": "unresponsive", "c": "stopped", "x": "crashed"},
			want:   []short{{"-", "a", "Crashed", "down"}, {"2", "b", "Running", "down"}, {"-", "c", "Shutdown", "down"}, {"-", "d", "Shutdown", "down"}},
			reason: map[string]string{"a": "crashed", "b": "liveliness", "c": "stopped", "d": "0 of 6 free"}},
		{name: "a fault on a VNF that did not start changes nothing", specs: []string{"a /tmp/a.qcow2 - -"}, faults: map[string]string{"a": "unresponsive"},
			want: []short{{"-", "a", "Shutdown", "down"}}, reason: map[string]string{"a": "not found"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tree, err := junosconf.Parse(junosconf.FormatText, []byte(vnfConfig(tt.specs...)), junosconf.FamilyNFX)
			if err != nil {
				t.Fatal(err)
			}
			got := vnfStates(tree, capacity, tt.faults)
			var gs []short
			for _, s := range got {
				gs = append(gs, short{s.ID, s.Name, s.State, s.Liveliness})
				if (s.Reason == "") != (s.State == "Running" && s.Liveliness == "alive") {
					t.Errorf("%s: %s/%s with reason %q", s.Name, s.State, s.Liveliness, s.Reason)
				}
				if w := tt.reason[s.Name]; !strings.Contains(s.Reason, w) {
					t.Errorf("%s: reason %q, want it to mention %q", s.Name, s.Reason, w)
				}
			}
			if diff := cmp.Diff(tt.want, gs); diff != "" {
				t.Errorf("states (-want +got):\n%s", diff)
			}
		})
	}
	// Unset sizes report the defaults the VNF runs with.
	tree, _ := junosconf.Parse(junosconf.FormatText, []byte(vnfConfig("a /var/public/a.qcow2 - -")), junosconf.FamilyNFX)
	if s := vnfStates(tree, capacity, nil)[0]; s.VCPUs != 1 || s.MemKiB != gib {
		t.Errorf("defaults: %+v", s)
	}
	// A platform without VNF capacity starts none.
	if s := vnfStates(tree, VNFCapacity{}, nil)[0]; s.State != "Shutdown" {
		t.Errorf("zero capacity: %+v", s)
	}
}

func TestCheckVNFImage(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		path, typ string
		ok        bool
	}{
		{"/var/public/vsrx.qcow2", "qcow2", true},
		{"/var/public/vsrx.qcow2", "", true},
		{"/var/public/sub/vsrx.img", "qcow2", true},
		{"/var/third-party/images/ubuntu.img", "raw", true},
		{"/var/public/disk.raw", "raw", true},
		{"/var/public/disk.raw", "qcow2", false},
		{"/var/public/vsrx.qcow2", "raw", false},
		{"/var/public/vsrx", "", false},
		{"/var/publicity/vsrx.qcow2", "", false},
		{"var/public/vsrx.qcow2", "", false},
		{"/var/public//vsrx.qcow2", "", false},
		{"/var/public/./vsrx.qcow2", "", false},
		{"", "", false},
	} {
		if err := checkVNFImage(tc.path, tc.typ); (err == nil) != tc.ok {
			t.Errorf("checkVNFImage(%q, %q) = %v, want ok=%v", tc.path, tc.typ, err, tc.ok)
		}
	}
}

func TestParseVNFFault(t *testing.T) {
	t.Parallel()
	for _, f := range []VNFFault{VNFNoFault, VNFCrashed, VNFUnresponsive, VNFStopped} {
		if g, err := ParseVNFFault(f.String()); err != nil || g != f {
			t.Errorf("ParseVNFFault(%q) = %q, %v; want %q", f.String(), g, err, f)
		}
	}
	if _, err := ParseVNFFault("melted"); err == nil || !strings.Contains(err.Error(), `"melted"`) {
		t.Errorf("ParseVNFFault(melted): %v", err)
	}
}

func TestVNFCapacity(t *testing.T) {
	t.Parallel()
	for _, p := range Platforms() {
		c := p.VNFCapacity()
		if nfx := p.Family == junosconf.FamilyNFX; nfx != (c.Cores > 0 && c.MemoryMB > 0) {
			t.Errorf("%s: capacity %+v", p.Model, c)
		}
		if c.MemoryMB > p.RE.MemoryMB {
			t.Errorf("%s: VNFs get %d MB of %d", p.Model, c.MemoryMB, p.RE.MemoryMB)
		}
	}
}

// TestVNFFaultOnDevice drives the reply of a simulated nfx250 through its
// CLI: states follow the committed configuration and injected faults.
func TestVNFFaultOnDevice(t *testing.T) {
	t.Parallel()
	cfg := vnfConfig("fw /var/public/vsrx.qcow2 2 4194304", "big /var/public/big.qcow2 5 -", "wan /var/public/wan.img 1 -")
	d := startTestDevice(t, func(o *Options) { o.Hostname = "nfx1"; o.Platform = "nfx250"; o.Config = []byte(cfg) })
	s := d.newSession(testUser, "cli")
	defer s.close()
	r := run(t, d, s, "show virtual-network-functions")
	mustContain(t, r.Text(), "1        fw ", "Running    alive", "-        big ", "Shutdown   down", "3        wan ")
	mustContain(t, flatXML(r), "<name>big</name><state>Shutdown</state><liveliness>down</liveliness><vcpus>5</vcpus>",
		"<vnf_err_str>insufficient CPU resources: needs 5 vcpus, 4 of 6 free</vnf_err_str>", "<max-mem>4194304</max-mem>")

	if err := d.SetVNFFault("fw", VNFCrashed); err != nil {
		t.Fatal(err)
	}
	// A fault may wait for its VNF to be configured.
	if err := d.SetVNFFault("later", VNFUnresponsive); err != nil {
		t.Fatal(err)
	}
	r = run(t, d, s, "show virtual-network-functions fw")
	mustContain(t, flatXML(r), "<id>-</id><name>fw</name><state>Crashed</state><liveliness>down</liveliness>", "<vnf_err_str>virtual machine crashed</vnf_err_str>")
	mustNotContain(t, r.Text(), "wan")
	if err := s.setLine("set virtual-network-functions later image /var/public/later.qcow2"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.commit(commitOptions{}); err != nil {
		t.Fatal(err)
	}
	mustContain(t, flatXML(run(t, d, s, "show virtual-network-functions later")), "<state>Running</state><liveliness>down</liveliness>")
	if err := d.SetVNFFault("fw", VNFNoFault); err != nil {
		t.Fatal(err)
	}
	mustContain(t, flatXML(run(t, d, s, "show virtual-network-functions fw")), "<id>1</id><name>fw</name><state>Running</state><liveliness>alive</liveliness>")

	for _, tc := range []struct {
		name  string
		fault VNFFault
		want  string
	}{
		{"", VNFCrashed, `vnf name ""`},
		{"a b", VNFCrashed, `vnf name "a b"`},
		{"fw", "melted", `"melted"`},
	} {
		if err := d.SetVNFFault(tc.name, tc.fault); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("SetVNFFault(%q, %q) = %v, want an error naming %s", tc.name, tc.fault, err, tc.want)
		}
	}
	mx := startTestDevice(t, nil)
	if err := mx.SetVNFFault("fw", VNFCrashed); err == nil || !strings.Contains(err.Error(), "not an NFX") {
		t.Errorf("SetVNFFault on an MX: %v", err)
	}
}

// TestVNFFaultAdmin injects a fault through Network.SetVNFFault's admin
// handler, served under the route the admin API gives it.
func TestVNFFaultAdmin(t *testing.T) {
	t.Parallel()
	topo, err := ParseTopology([]byte(fmt.Sprintf(`name: vnfadmin
topology:
  defaults:
    kind: linux
    env:
      CARRIERKIT_PASSWORD: %s
  nodes:
    nfx1:
      labels:
        carrierkit.sim/platform: nfx250
        carrierkit.sim/address: 127.0.61.1
    pe1:
      labels:
        carrierkit.sim/platform: mx480
        carrierkit.sim/address: 127.0.61.2
`, testPass)), TopologyOptions{LookupEnv: func(string) (string, bool) { return "", false }})
	if err != nil {
		t.Fatal(err)
	}
	nw, err := StartNetwork(context.Background(), topo, NetworkOptions{AnyPort: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { nw.Close() })
	srv := httptest.NewServer(nw.AdminHandler())
	defer srv.Close()
	post := func(path, body string) (int, string) {
		t.Helper()
		resp, err := http.Post(srv.URL+path, "application/json", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	d := nw.Device("nfx1")
	if err := d.SetVNFFault("other", VNFStopped); err != nil {
		t.Fatal(err)
	}
	if code, body := post("/devices/nfx1/vnfs/fw", `{"fault": "crashed"}`); code != 200 {
		t.Fatalf("inject: %d %s", code, body)
	}
	if got := d.vnfFaultsCopy(); !cmp.Equal(got, map[string]string{"fw": "crashed", "other": "stopped"}) {
		t.Errorf("faults after inject: %v", got)
	}
	if code, body := post("/devices/nfx1/vnfs/fw", `{"fault": "none"}`); code != 200 {
		t.Fatalf("clear: %d %s", code, body)
	}
	if got := d.vnfFaultsCopy(); !cmp.Equal(got, map[string]string{"other": "stopped"}) {
		t.Errorf("faults after clear: %v", got)
	}
	for _, tc := range []struct {
		path, body string
		code       int
		want       string
	}{
		{"/devices/nfx1/vnfs/fw", `{}`, 400, `field \"fault\" is required`},
		{"/devices/nfx1/vnfs/fw", `{"fault": "melted"}`, 400, `\"melted\"`},
		{"/devices/nfx1/vnfs/fw", `{"fault": "crashed", "x": 1}`, 400, `unknown field \"x\"`},
		{"/devices/pe1/vnfs/fw", `{"fault": "crashed"}`, 400, "not an NFX"},
		{"/devices/nope/vnfs/fw", `{"fault": "crashed"}`, 404, `unknown node \"nope\"`},
	} {
		if code, body := post(tc.path, tc.body); code != tc.code || !strings.Contains(body, tc.want) {
			t.Errorf("POST %s %s: %d %s, want %d with %s", tc.path, tc.body, code, body, tc.code, tc.want)
		}
	}
	// A node that is off takes no faults; powered on again it has none.
	if err := nw.SetDevice("nfx1", false); err != nil {
		t.Fatal(err)
	}
	if err := nw.SetVNFFault("nfx1", "fw", VNFCrashed); err == nil || !strings.Contains(err.Error(), "powered off") {
		t.Errorf("fault on a powered-off node: %v", err)
	}
	if err := nw.SetDevice("nfx1", true); err != nil {
		t.Fatal(err)
	}
	if got := nw.Device("nfx1").vnfFaultsCopy(); len(got) != 0 {
		t.Errorf("faults after a power cycle: %v", got)
	}
}
