package devicetest_test

import (
	"context"
	"fmt"
	"time"

	"github.com/carrierkit/carrierkit/device"
	"github.com/carrierkit/carrierkit/device/devicetest"
)

// Example scripts a device that refuses the commit check, as a unit test of
// a deployer would.
func Example() {
	ctx := context.Background()
	s := devicetest.New("pe1", "set system host-name pe1")
	s.Hook = func(_ context.Context, c devicetest.Call) error {
		if c.Op == "commit" && c.Commit.Check {
			return device.NewRejected("pe1", "commit check", []device.Issue{{Severity: "error",
				Path: "[edit protocols l2circuit]", Message: "interface not configured"}}, "")
		}
		return nil
	}
	s.Load(ctx, device.Change{Format: device.Set, Data: []byte("set protocols l2circuit neighbor 192.0.2.2")})
	if err := device.Check(ctx, s); err != nil {
		fmt.Println(err)
		s.Rollback(ctx, 0)
	}
	fmt.Println(s.Ops())
	fmt.Println(s.Committed())
	// Output:
	// device pe1: commit check rejected: [edit protocols l2circuit] interface not configured
	// [load set "set protocols l2circuit neighbor 192.0.2.2" commit check rollback 0]
	// [set system host-name pe1]
}

// Example_confirmedCommit shows a confirmed commit that nobody confirms.
func Example_confirmedCommit() {
	ctx := context.Background()
	s := devicetest.New("pe1", "set system host-name pe1")
	s.Load(ctx, device.Change{Format: device.Set, Data: []byte("set interfaces ge-0/0/1 description x")})
	s.Commit(ctx, device.CommitOptions{Confirmed: time.Minute})
	fmt.Println(len(s.Committed()), s.Pending())
	fmt.Println(s.Expire(), s.Committed())
	// Output:
	// 2 true
	// true [set system host-name pe1]
}
