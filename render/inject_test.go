package render

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/carrierkit/carrierkit/design"
	"github.com/carrierkit/carrierkit/sim/junosconf"
	"github.com/google/go-cmp/cmp"
)

// splitSetLine splits one set/delete line into words the way Junos reads
// them: spaces separate words; a double-quoted word may hold anything, with
// \" and \\ standing for " and \. A test-only reader, independent of the
// printers.
func splitSetLine(line string) ([]string, error) {
	var words []string
	for i := 0; i < len(line); {
		switch line[i] {
		case ' ':
			i++
			continue
		case '"':
			var sb strings.Builder
			i++
			for {
				if i >= len(line) {
					return nil, fmt.Errorf("unterminated quote in %q", line)
				}
				c := line[i]
				if c == '\\' && i+1 < len(line) && (line[i+1] == '"' || line[i+1] == '\\') {
					sb.WriteByte(line[i+1])
					i += 2
					continue
				}
				if c == '"' {
					i++
					break
				}
				sb.WriteByte(c)
				i++
			}
			if i < len(line) && line[i] != ' ' {
				return nil, fmt.Errorf("text after closing quote in %q", line)
			}
			words = append(words, sb.String())
		default:
			j := i
			for j < len(line) && line[j] != ' ' {
				if line[j] == '"' {
					return nil, fmt.Errorf("quote inside a bare word in %q", line)
				}
				j++
			}
			words = append(words, line[i:j])
			i = j
		}
	}
	return words, nil
}

// readSet turns set lines into statements (the words after "set").
func readSet(body []byte) ([][]string, error) {
	var out [][]string
	for _, line := range strings.Split(strings.TrimSuffix(string(body), "\n"), "\n") {
		if line == "" {
			continue
		}
		w, err := splitSetLine(line)
		if err != nil {
			return nil, err
		}
		if len(w) == 0 || w[0] != "set" {
			return nil, fmt.Errorf("not a set line: %q", line)
		}
		out = append(out, w[1:])
	}
	return out, nil
}

// intended is the statement list render meant to write for d.
func intended(t testing.TB, svc *design.Service, d *design.DeviceIntent) [][]string {
	t.Helper()
	var r Renderer
	if _, err := r.junos(nil, svc, d, FormatSet, false); err != nil {
		t.Fatal(err)
	}
	return r.t.Statements()
}

// hostile is user text that would add or change statements if it were
// written unquoted or badly escaped.
var hostile = []struct {
	name, text string
}{
	{"newline then set", "cust\nset system root-authentication plain-text-password"},
	{"CRLF then delete", "cust\r\ndelete interfaces"},
	{"semicolon and braces", `x; } interfaces { ge-0/0/9 { disable; } } #`},
	{"quote breakout set", `a" ; set protocols ldp interface all; "`},
	{"quote breakout text", `"; disable; description "`},
	{"backslash before quote", `trailing \" and \\ and \`},
	{"lone backslash at end", `C:\`},
	{"xml breakout", `</description><disable/><description>`},
	{"xml entities", `a & b < c > d "e" 'f' &amp; ]]> <![CDATA[x]]>`},
	{"netconf framing", "]]>]]>\n#5\n##\n"},
	{"set keyword alone", "set"},
	{"delete keyword alone", "delete"},
	{"tag word", "delete:"},
	{"inactive tag", "inactive: interfaces"},
	{"comment", "# a comment"},
	{"brackets", "[ a b ]"},
	{"tabs and NUL", "a\tb\x00c\x7fd"},
	{"unicode separators", "a\u2028b\u2029c\u0085d"},
	{"invalid utf8", "bad \xff\xfe bytes"},
	{"xml noncharacters", "a\uFFFEb\uFFFF"},
	{"only control", "\n\r\n\t"},
	{"unicode text", "Zürich – 東京 ✓"},
	{"md-cli path", `x" /configure system name "pwned`},
}

// TestHostileDescriptions: whatever a description holds, every form parses
// back (with the independent junosconf parser and with the test reader) to
// exactly the statements render intended, the description is one value
// equal to Description(text), and no statement is added or changed.
func TestHostileDescriptions(t *testing.T) {
	baseline := elineVLAN(platMX)
	base := intended(t, &baseline, &baseline.Devices[0])
	for _, h := range hostile {
		t.Run(h.name, func(t *testing.T) {
			t.Parallel()
			svc := elineVLAN(platMX)
			svc.Description = h.text
			svc.Devices[0].Attachments[0].Description = h.text + "!"
			svc.Devices[0].L2Circuits[0].Description = "pw " + h.text
			checkInjection(t, &svc, &svc.Devices[0], len(base))
			// SR OS: the same text in MD-CLI.
			nok := elineVLAN(platSROS)
			nok.Description = h.text
			nok.Devices[0].Attachments[0].Description = h.text
			checkMDCLI(t, &nok, &nok.Devices[0], h.text)
		})
	}
}

func checkInjection(t *testing.T, svc *design.Service, d *design.DeviceIntent, wantCount int) {
	t.Helper()
	want := intended(t, svc, d)
	if len(want) != wantCount {
		t.Fatalf("%d statements, baseline has %d", len(want), wantCount)
	}
	for _, st := range want {
		if len(st) >= 2 && st[len(st)-2] == "description" {
			v := st[len(st)-1]
			if strings.ContainsAny(v, "\n\r\x00") || v != Description(v) {
				t.Fatalf("description %q not neutralised", v)
			}
		}
	}
	var body [3][]byte
	for i, f := range allFormats {
		a, err := Junos(*svc, *d, f)
		if err != nil {
			t.Fatal(err)
		}
		body[i] = a.Body
	}
	got, err := readSet(body[0])
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("set lines read back differently (-want +got):\n%s\n%s", diff, body[0])
	}
	fam := junosconf.FamilyJunos
	s, x, m := parseAll(t, body[0], body[1], body[2], fam)
	if s == nil {
		return
	}
	if !s.Equal(x) || !s.Equal(m) {
		t.Fatalf("forms differ:\nset:\n%s\ntext:\n%s\nxml:\n%s", s.SetLines(), x.SetLines(), m.SetLines())
	}
	back, err := readSet(s.SetLines())
	if err != nil {
		t.Fatalf("junosconf's set lines: %v", err)
	}
	if diff := cmp.Diff(want, back); diff != "" {
		t.Fatalf("junosconf read other statements (-want +got):\n%s\nrendered:\n%s", diff, body[0])
	}
}

// splitMDCLI reads one MD-CLI line with the same quoting rules.
func checkMDCLI(t *testing.T, svc *design.Service, d *design.DeviceIntent, text string) {
	t.Helper()
	a, err := SROS(*svc, *d)
	if err != nil {
		t.Fatal(err)
	}
	base := elineVLAN(platSROS)
	ba, err := SROS(base, base.Devices[0])
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(string(a.Body), "\n"), "\n")
	if n := strings.Count(string(ba.Body), "\n"); len(lines) != n && Description(text) != "" {
		t.Fatalf("%d MD-CLI lines, baseline %d:\n%s", len(lines), n, a.Body)
	}
	found := 0
	for _, l := range lines {
		w, err := splitSetLine(l)
		if err != nil {
			t.Fatal(err)
		}
		if w[0] != "/configure" || w[1] != "service" {
			t.Fatalf("line outside /configure service: %q", l)
		}
		if len(w) >= 2 && w[len(w)-2] == "description" {
			if w[len(w)-1] != Description(text) {
				t.Fatalf("description read back as %q, want %q", w[len(w)-1], Description(text))
			}
			found++
		}
	}
	if found == 0 && Description(text) != "" {
		t.Fatalf("no description line:\n%s", a.Body)
	}
}

// FuzzDescription renders an E-LINE whose descriptions are arbitrary text
// and checks that re-parsing the output yields exactly the intended tree.
func FuzzDescription(f *testing.F) {
	for _, h := range hostile {
		f.Add(h.text)
	}
	baseline := elineVLAN(platMX)
	n := len(intended(f, &baseline, &baseline.Devices[0]))
	f.Fuzz(func(t *testing.T, text string) {
		svc := elineVLAN(platMX)
		svc.Description = text
		svc.Devices[0].Attachments[0].Description = text
		svc.Devices[0].L2Circuits[0].Description = text
		want := n
		if Description(text) == "" {
			want -= 2 // the l2circuit and unit descriptions fall back, then vanish
			svc.Devices[0].Attachments[0].Description = ""
			svc.Devices[0].L2Circuits[0].Description = ""
			svc.Description = ""
		}
		checkInjection(t, &svc, &svc.Devices[0], want)
	})
}

// TestHostileNames: names are not rewritten; anything but a safe
// identifier is refused with an error naming service, device and field.
func TestHostileNames(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(*design.Service)
		want   []string // substrings of the error
	}{
		{"service name with space", func(s *design.Service) { s.Name = "a b" }, []string{`service "a b"`, "name"}},
		{"service name with newline", func(s *design.Service) { s.Name = "a\nset x" }, []string{"name"}},
		{"interface with semicolon", func(s *design.Service) { s.Devices[0].Attachments[0].Interface = "ge-0/0/1;x" },
			[]string{`device "pe1"`, "interface"}},
		{"l2circuit interface with quote", func(s *design.Service) { s.Devices[0].L2Circuits[0].Interface = `ge-0/0/1.100"` },
			[]string{`device "pe1"`, "l2circuits[0]", "interface"}},
		{"instance name with brace", func(s *design.Service) {
			s.Devices[0].VRF = &design.VRFInstance{Name: "v}x"}
		}, []string{`device "pe1"`, "vrf", "name"}},
		{"pseudowire on unknown unit", func(s *design.Service) { s.Devices[0].L2Circuits[0].Interface = "ge-0/0/7.5" },
			[]string{`device "pe1"`, "l2circuits[0].interface", "ge-0/0/7.5"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			svc := elineVLAN(platMX)
			tt.mutate(&svc)
			for _, f := range allFormats {
				arts, err := All(svc, f)
				if err == nil || arts != nil {
					t.Fatalf("All = %d artifacts, %v; want an error", len(arts), err)
				}
				var re *Error
				if !errors.As(err, &re) || !errors.Is(err, ErrInvalid) {
					t.Fatalf("error %v is not a *render.Error wrapping ErrInvalid", err)
				}
				for _, w := range tt.want {
					if !strings.Contains(err.Error(), w) {
						t.Errorf("error %q does not mention %q", err, w)
					}
				}
			}
		})
	}
}
