package yangcheck

import (
	"context"
	"errors"
	"strings"
	"testing"
)

const goodELine = `<configuration>
  <interfaces>
    <interface>
      <name>ge-0/0/1</name>
      <flexible-vlan-tagging/>
      <encapsulation>flexible-ethernet-services</encapsulation>
      <unit>
        <name>100</name>
        <description>cust &lt;1&gt; &amp; "x"</description>
        <encapsulation>vlan-ccc</encapsulation>
        <vlan-id>100</vlan-id>
      </unit>
    </interface>
  </interfaces>
  <protocols>
    <l2circuit>
      <neighbor>
        <name>192.0.2.2</name>
        <interface>
          <name>ge-0/0/1.100</name>
          <virtual-circuit-id>1100</virtual-circuit-id>
        </interface>
      </neighbor>
    </l2circuit>
  </protocols>
</configuration>
`

const goodPolicy = `<configuration>
  <policy-options>
    <community><name>HUB</name><members>target:65000:1</members></community>
    <policy-statement>
      <name>HUB-EXPORT</name>
      <term>
        <name>1</name>
        <then>
          <community><add/><community-name>HUB</community-name></community>
          <accept/>
        </then>
      </term>
    </policy-statement>
  </policy-options>
</configuration>
`

const goodRemoval = `<configuration>
  <interfaces>
    <interface>
      <name>ge-0/0/1</name>
      <encapsulation operation="delete"/>
      <unit operation="delete"><name>100</name></unit>
    </interface>
  </interfaces>
</configuration>
`

func TestValidate(t *testing.T) {
	c := ForTest(t)
	ctx := context.Background()
	tests := []struct {
		name    string
		fam     Family
		docs    []Doc
		wantErr string // substring of the error; "" = valid
	}{
		{name: "eline", fam: FamilyJunos, docs: []Doc{{"eline", []byte(goodELine)}}},
		{name: "keyword key in policy", fam: FamilyJunos, docs: []Doc{{"policy", []byte(goodPolicy)}}},
		{name: "removal skeleton", fam: FamilyJunos, docs: []Doc{{"removal", []byte(goodRemoval)}}},
		{name: "batch of good", fam: FamilyJunos, docs: []Doc{{"a", []byte(goodELine)}, {"b", []byte(goodPolicy)}}},
		{name: "misspelt leaf", fam: FamilyJunos,
			docs:    []Doc{{"bad-vlan", []byte(strings.ReplaceAll(goodELine, "vlan-id>", "vlan-idd>"))}},
			wantErr: "vlan-idd"},
		{name: "bad one in batch is named", fam: FamilyJunos,
			docs:    []Doc{{"fine", []byte(goodELine)}, {"broken", []byte(strings.ReplaceAll(goodELine, "vlan-ccc", "vlan-cc"))}},
			wantErr: "broken"},
		{name: "value on an empty leaf", fam: FamilyJunos,
			docs:    []Doc{{"flag-value", []byte(strings.ReplaceAll(goodELine, "<flexible-vlan-tagging/>", "<flexible-vlan-tagging>yes</flexible-vlan-tagging>"))}},
			wantErr: "flag-value"},
		{name: "wrong nesting", fam: FamilyJunos,
			docs:    []Doc{{"vlan-in-ifd", []byte(strings.ReplaceAll(goodELine, "<flexible-vlan-tagging/>", "<virtual-circuit-id>5</virtual-circuit-id>"))}},
			wantErr: "virtual-circuit-id"},
		{name: "security not in MX family", fam: FamilyJunos,
			docs:    []Doc{{"sec", []byte("<configuration><security><zones/></security></configuration>")}},
			wantErr: `"security" has no module`},
		{name: "security in SRX family", fam: FamilyES,
			docs: []Doc{{"sec", []byte("<configuration><security><zones><security-zone><name>trust</name></security-zone></zones></security></configuration>")}}},
		{name: "not configuration", fam: FamilyJunos,
			docs:    []Doc{{"rpc", []byte("<rpc/>")}},
			wantErr: "want <configuration>"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := c.Validate(ctx, tt.fam, tt.docs...)
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("Validate: %v", err)
				}
				return
			}
			if err == nil || !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("Validate = %v, want ErrInvalid containing %q", err, tt.wantErr)
			}
		})
	}
}

func TestPrepareAddsNamespaces(t *testing.T) {
	out, areas, err := prepare(FamilyJunos, []byte(goodPolicy))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		`<configuration xmlns="http://yang.juniper.net/junos/conf/root">`,
		`<policy-options xmlns="http://yang.juniper.net/junos/conf/policy-options">`,
		`<choice-ident>add</choice-ident><choice-value>add</choice-value><community-name>HUB</community-name>`,
	} {
		if !strings.Contains(string(out), want) {
			t.Errorf("prepared document lacks %s:\n%s", want, out)
		}
	}
	if len(areas) != 1 || areas[0] != "policy-options" {
		t.Errorf("areas = %v", areas)
	}
}

// TestValidateClassOfService: the published class-of-service modules have
// backslash escapes libyang rejects; Validate still checks documents
// against them, valid and not.
func TestValidateClassOfService(t *testing.T) {
	t.Parallel()
	c := ForTest(t)
	ctx := context.Background()
	doc := func(codePoints string) Doc {
		return Doc{Name: "cos", XML: []byte(`<configuration><class-of-service><classifiers><dscp><name>lan</name>
<forwarding-class><name>voice</name><loss-priority><name>low</name>` + codePoints + `</loss-priority></forwarding-class>
</dscp></classifiers></class-of-service></configuration>`)}
	}
	for _, fam := range []Family{FamilyJunos, FamilyES} {
		if err := c.Validate(ctx, fam, doc("<code-points>101110</code-points>")); err != nil {
			t.Errorf("%s: valid classifier refused: %v", fam, err)
		}
		if err := c.Validate(ctx, fam, doc("<code-point>101110</code-point>")); !errors.Is(err, ErrInvalid) {
			t.Errorf("%s: misspelt code-points: %v, want ErrInvalid", fam, err)
		}
	}
}
