package junosconf_test

import (
	"errors"
	"fmt"

	"github.com/carrierkit/carrierkit/sim/junosconf"
)

func ExampleParse() {
	t, err := junosconf.Parse(junosconf.FormatSet, []byte(`
set interfaces ge-0/0/1 description "to CE1"
set interfaces ge-0/0/1 unit 100 vlan-id 100
`), junosconf.FamilyJunos)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Print(string(t.Text()))
	// Output:
	// interfaces {
	//     ge-0/0/1 {
	//         description "to CE1";
	//         unit 100 {
	//             vlan-id 100;
	//         }
	//     }
	// }
}

func ExampleTree_Load() {
	var t junosconf.Tree
	_ = t.Set("system host-name pe1", junosconf.FamilyJunos)
	err := t.Load(junosconf.ActionMerge, junosconf.FormatXML, []byte(`<configuration>
  <system><domain-name>example.net</domain-name></system>
</configuration>`), junosconf.FamilyJunos)
	fmt.Println(err)
	fmt.Print(string(t.SetLines()))

	err = t.Load(junosconf.ActionSet, junosconf.FormatSet, []byte("set security zones"), junosconf.FamilyJunos)
	fmt.Println(errors.Is(err, junosconf.ErrNotInFamily))
	// Output:
	// <nil>
	// set system host-name pe1
	// set system domain-name example.net
	// true
}

func ExampleDiff() {
	old, _ := junosconf.Parse(junosconf.FormatText, []byte(`interfaces { ge-0/0/1 { mtu 1500; } }`), junosconf.FamilyJunos)
	cand := old.Clone()
	_ = cand.Set("interfaces ge-0/0/1 mtu 9192", junosconf.FamilyJunos)
	_ = cand.Set("interfaces ge-0/0/1 description uplink", junosconf.FamilyJunos)
	fmt.Print(string(junosconf.Diff(old, cand)))
	// Output:
	// [edit interfaces ge-0/0/1]
	// +   description uplink;
	// -   mtu 1500;
	// +   mtu 9192;
}

func ExampleCheck() {
	t, _ := junosconf.Parse(junosconf.FormatSet, []byte(
		"set protocols l2circuit neighbor 192.0.2.2 interface ge-0/0/9.100 virtual-circuit-id 100"), junosconf.FamilyJunos)
	for _, e := range junosconf.Check(t, junosconf.FamilyJunos) {
		fmt.Println(e.Path, e.Message)
	}
	// Output:
	// [edit protocols l2circuit neighbor 192.0.2.2 interface ge-0/0/9.100] referenced interface ge-0/0/9.100 is not configured under [edit interfaces]
}

func ExampleTree_Sub() {
	t, _ := junosconf.Parse(junosconf.FormatSet, []byte(`set interfaces ge-0/0/1 unit 0 family inet address 10.0.0.1/24
set interfaces ge-0/0/2 disable`), junosconf.FamilyJunos)
	s := t.Sub("interfaces", "ge-0/0/1")
	fmt.Print(string(s.Text()))
	fmt.Print(string(s.SetLines()))
	// Output:
	// unit 0 {
	//     family inet {
	//         address 10.0.0.1/24;
	//     }
	// }
	// set interfaces ge-0/0/1 unit 0 family inet address 10.0.0.1/24
}

func ExampleTree_Filter() {
	t, _ := junosconf.Parse(junosconf.FormatSet, []byte(`set system host-name pe1
set interfaces ge-0/0/1 mtu 9192`), junosconf.FamilyJunos)
	f, _ := t.Filter([]byte(`<configuration><system/></configuration>`))
	fmt.Print(string(f.XML()))
	// Output:
	// <configuration>
	//     <system>
	//         <host-name>pe1</host-name>
	//     </system>
	// </configuration>
}
