package numset_test

import (
	"fmt"

	"github.com/carrierkit/carrierkit/pool/internal/numset"
)

func ExampleSet_NextFree() {
	// VLANs 1-4094 on an interface, with 1-99 and 1002-1005 reserved.
	within := numset.Subtract([]numset.Range{{Lo: 1, Hi: 4094}}, []numset.Range{{Lo: 1, Hi: 99}, {Lo: 1002, Hi: 1005}})
	var taken numset.Set
	for range 3 {
		v, _ := taken.NextFree(0, within)
		taken.Add(v)
	}
	taken.Remove(101)
	v, ok := taken.NextFree(0, within)
	fmt.Println(v, ok, taken.Len(), numset.Size(within))
	// Output: 101 true 2 3991
}

func ExampleSubtract() {
	fmt.Println(numset.Subtract([]numset.Range{{Lo: 1, Hi: 10}}, []numset.Range{{Lo: 4, Hi: 5}, {Lo: 10, Hi: 20}}))
	// Output: [{1 3} {6 9}]
}
