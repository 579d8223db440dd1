package validate_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/carrierkit/carrierkit/render"
	"github.com/carrierkit/carrierkit/sim/junosconf"
	"github.com/carrierkit/carrierkit/validate"
)

func TestCheckSync(t *testing.T) {
	t.Parallel()
	svc := designed(t, "l3vpn-hub-spoke.yaml")
	intent := setOf(t, svc, "pe1")
	in, err := validate.ParseIntent([]byte(strings.Join(intent, "\n")))
	if err != nil {
		t.Fatal(err)
	}
	vrf := dev(&svc, "pe1").VRF
	rdLine := "set routing-instances " + vrf.Name + " route-distinguisher " + vrf.RD.String()
	if !slices.Contains(intent, rdLine) {
		t.Fatalf("render output has no %q:\n%s", rdLine, strings.Join(intent, "\n"))
	}
	unrelated := []string{"set interfaces ge-0/0/3 unit 5 vlan-id 5", "set protocols ldp interface ge-0/0/0.0",
		"set routing-instances VRF-OTHER instance-type vrf"}
	without := func(drop string) []string {
		return slices.DeleteFunc(slices.Clone(intent), func(s string) bool { return s == drop })
	}
	tests := []struct {
		name   string
		actual []string
		want   []brief
		path   string
	}{
		{name: "in sync", actual: intent, want: []brief{}},
		{name: "in sync among unrelated configuration", actual: append(slices.Clone(unrelated), intent...), want: []brief{}},
		{name: "statement missing", actual: without(rdLine),
			want: []brief{{validate.RuleSyncMissing, validate.Error, "pe1"}}, path: strings.TrimPrefix(rdLine, "set ")},
		{name: "value changed", actual: append(without(rdLine), "set routing-instances "+vrf.Name+" route-distinguisher 65000:4242"),
			want: []brief{{validate.RuleSyncChanged, validate.Error, "pe1"}}, path: "routing-instances " + vrf.Name + " route-distinguisher"},
		{name: "extra inside the instance", actual: append(slices.Clone(intent), "set routing-instances "+vrf.Name+" interface ge-0/0/3.5"),
			want: []brief{{validate.RuleSyncExtra, validate.Warning, "pe1"}}, path: "routing-instances " + vrf.Name + " interface ge-0/0/3.5"},
		{name: "nothing configured", actual: nil, want: slices.Repeat([]brief{{validate.RuleSyncMissing, validate.Error, "pe1"}}, len(intent))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			cfg, err := validate.ParseSet([]byte(strings.Join(tt.actual, "\n")))
			if err != nil {
				t.Fatal(err)
			}
			got := validate.CheckSync(svc.Name, "pe1", in, cfg)
			if diff := cmp.Diff(tt.want, briefs(got)); diff != "" {
				t.Fatalf("(-want +got)\n%s\n%v", diff, got)
			}
			if tt.path != "" && got[0].Path != tt.path {
				t.Errorf("path %q, want %q", got[0].Path, tt.path)
			}
		})
	}
}

func TestParseSetQuoting(t *testing.T) {
	t.Parallel()
	cfg, err := validate.ParseSet([]byte("# comment\nset interfaces ge-0/0/1 description \"a \\\"quoted\\\" b\"\ndeactivate interfaces ge-0/0/1\n\nset system host-name pe1\n"))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{`interfaces ge-0/0/1 description "a \"quoted\" b"`, "system host-name pe1"}
	if diff := cmp.Diff(want, cfg.Statements()); diff != "" {
		t.Errorf("(-want +got)\n%s", diff)
	}
	if !cfg.Has("interfaces", "ge-0/0/1", "description", `a "quoted" b`) {
		t.Error("Has does not find the unquoted words")
	}
	if _, err := validate.ParseSet([]byte("set interfaces ge-0/0/1 description \"open\n")); !errors.Is(err, validate.ErrSyntax) || !strings.Contains(err.Error(), "line 1") {
		t.Errorf("unterminated quote: %v", err)
	}
}

// TestParseXMLMatchesSet reads every sample service's configuration as a
// Junos device prints it in XML and in set form (through the simulator's
// configuration engine) and checks that both parse to the same statements.
func TestParseXMLMatchesSet(t *testing.T) {
	t.Parallel()
	for _, order := range []string{"eline-ldp.yaml", "eline-bgp.yaml", "vpls-bgp.yaml", "vpls-ldp.yaml", "vpls-hub-spoke.yaml",
		"l3vpn-full-mesh.yaml", "l3vpn-hub-spoke.yaml", "rsvp-lsp-p2p.yaml", "static-lsp.yaml"} {
		t.Run(order, func(t *testing.T) {
			t.Parallel()
			svc := designed(t, order)
			arts, err := render.All(svc, render.FormatSet)
			if err != nil {
				t.Fatal(err)
			}
			for _, a := range arts {
				if a.Format != render.FormatSet {
					continue
				}
				tree, err := junosconf.Parse(junosconf.FormatSet, a.Body, junosconf.FamilyJunos)
				if err != nil {
					t.Fatalf("%s: %v", a.Device, err)
				}
				fromSet, err := validate.ParseSet(tree.SetLines())
				if err != nil {
					t.Fatal(err)
				}
				fromXML, err := validate.ParseXML(tree.XML())
				if err != nil {
					t.Fatal(err)
				}
				s, x := fromSet.Statements(), fromXML.Statements()
				slices.Sort(s)
				slices.Sort(x)
				if diff := cmp.Diff(s, x); diff != "" || len(s) == 0 && len(tree.SetLines()) > 0 {
					t.Errorf("%s: set (-) vs XML (+):\n%s\n%s", a.Device, diff, tree.XML())
				}
			}
		})
	}
}

func TestParseXMLErrors(t *testing.T) {
	t.Parallel()
	for _, in := range []string{"<configuration><interfaces>", "<configuration><a></b></configuration>"} {
		if _, err := validate.ParseXML([]byte(in)); !errors.Is(err, validate.ErrSyntax) {
			t.Errorf("ParseXML(%q) = %v, want ErrSyntax", in, err)
		}
	}
}

func TestReport(t *testing.T) {
	t.Parallel()
	fs := []validate.Finding{
		{Rule: "b", Severity: validate.Warning, Service: "s2", Device: "pe1", Message: "w"},
		{Rule: "a", Severity: validate.Error, Service: "s1", Device: "pe2", Path: "x", Message: "e"},
		{Rule: "a", Severity: validate.Error, Service: "s1", Device: "pe2", Path: "x", Message: "e"},
		{Rule: "c", Severity: validate.Info, Service: "s1", Device: "pe1", Message: "i"},
	}
	r := validate.NewReport(fs)
	if r.Errors != 1 || r.Warnings != 1 || r.Infos != 1 || len(r.Findings) != 3 || r.OK() {
		t.Fatalf("report %+v", r)
	}
	if got := []string{r.Findings[0].Rule, r.Findings[1].Rule, r.Findings[2].Rule}; !slices.Equal(got, []string{"c", "a", "b"}) {
		t.Errorf("order %v", got)
	}
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	var back validate.Report
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(r, back); diff != "" {
		t.Errorf("JSON round trip (-want +got)\n%s\n%s", diff, b)
	}
	if !strings.Contains(string(b), `"severity":"error"`) {
		t.Errorf("JSON %s", b)
	}
	var tb bytes.Buffer
	if err := r.WriteTable(&tb); err != nil {
		t.Fatal(err)
	}
	if lines := strings.Split(strings.TrimSpace(tb.String()), "\n"); len(lines) != 5 || !strings.HasPrefix(lines[0], "SEVERITY") || lines[4] != "1 error(s), 1 warning(s), 1 info(s)" {
		t.Errorf("table:\n%s", tb.String())
	}
	err = r.Err()
	if !errors.Is(err, validate.ErrRefused) || !strings.Contains(err.Error(), "error a service s1 device pe2 [x]: e") || strings.Contains(err.Error(), ": w") {
		t.Errorf("Err = %v", err)
	}
	if validate.Refuse(fs[:1]) != nil {
		t.Error("a warning refuses")
	}
}
