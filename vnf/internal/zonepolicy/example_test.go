package zonepolicy_test

import (
	"fmt"

	"github.com/carrierkit/carrierkit/vnf/internal/zonepolicy"
)

// ExampleAppendSet prints one zone pair's policy, quoting a UTM policy name
// that holds a space.
func ExampleAppendSet() {
	pairs := []zonepolicy.Pair{{From: "trust", To: "untrust", Policies: []zonepolicy.Policy{{
		Name: "web", Source: []string{"any"}, Destination: []string{"any"}, Application: []string{"junos-http"},
		Action: zonepolicy.Permit, UTMPolicy: "web filter"}}}}
	if err := zonepolicy.Check(pairs); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Print(string(zonepolicy.AppendSet(nil, pairs)))
	// Output:
	// set security policies from-zone trust to-zone untrust policy web match source-address any
	// set security policies from-zone trust to-zone untrust policy web match destination-address any
	// set security policies from-zone trust to-zone untrust policy web match application junos-http
	// set security policies from-zone trust to-zone untrust policy web then permit application-services utm-policy "web filter"
}
