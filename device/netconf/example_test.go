package netconf_test

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"strings"
	"time"

	"golang.org/x/crypto/ssh"

	"github.com/carrierkit/carrierkit/device"
	"github.com/carrierkit/carrierkit/device/netconf"
	"github.com/carrierkit/carrierkit/sim"
)

// Example loads a change into a simulated MX over NETCONF, checks it and
// commits it with a confirmed commit that is then confirmed.
func Example() {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	d, err := sim.Start(ctx, sim.Options{Hostname: "pe1", Platform: "mx480",
		Addr: netip.MustParseAddrPort("127.0.0.1:0"), Users: []sim.User{{Name: "admin", Password: "admin123"}}})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer d.Close()

	s, err := netconf.Dial(ctx, device.Target{
		Name:        "pe1",
		Addr:        d.Addr(),
		Credentials: device.Password("admin", "admin123"),
		HostKeys:    device.PinnedKeys(string(ssh.MarshalAuthorizedKey(d.HostKey()))),
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer s.Close()

	change := device.Change{Format: device.Set, Data: []byte("set interfaces xe-0/0/1 description uplink")}
	steps := []func() error{
		func() error { return s.Lock(ctx) },
		func() error { return s.Load(ctx, change) },
		func() error { return device.Check(ctx, s) },
		func() error { return s.Commit(ctx, device.CommitOptions{Confirmed: 2 * time.Minute}) },
		func() error { return device.Confirm(ctx, s) },
		func() error { return s.Unlock(ctx) },
	}
	for _, step := range steps {
		if err := step(); err != nil {
			fmt.Println(err)
			return
		}
	}
	set, _ := s.Get(ctx, device.ConfigQuery(device.Committed, device.Set))
	for _, line := range strings.Split(string(set), "\n") {
		if strings.Contains(line, "xe-0/0/1") {
			fmt.Println(line)
		}
	}
	// Output: set interfaces xe-0/0/1 description uplink
}

// Example_rejected shows a commit check the device refuses.
func Example_rejected() {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	d, err := sim.Start(ctx, sim.Options{Hostname: "pe2", Addr: netip.MustParseAddrPort("127.0.0.1:0"),
		Users: []sim.User{{Name: "admin", Password: "admin123"}}})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer d.Close()
	s, err := netconf.Dial(ctx, device.Target{Name: "pe2", Addr: d.Addr(), Credentials: device.Password("admin", "admin123"),
		HostKeys: device.PinnedKeys(string(ssh.MarshalAuthorizedKey(d.HostKey())))})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer s.Close()
	l2 := "set protocols l2circuit neighbor 192.0.2.2 interface ge-1/0/9.100 virtual-circuit-id 100"
	if err := s.Load(ctx, device.Change{Format: device.Set, Data: []byte(l2)}); err != nil {
		fmt.Println(err)
		return
	}
	err = device.Check(ctx, s)
	var rej *device.RejectedError
	if errors.As(err, &rej) {
		fmt.Println(rej.Op, "refused at", rej.Path)
	}
	s.Rollback(ctx, 0)
	// Output: commit check refused at [edit protocols l2circuit neighbor 192.0.2.2 interface ge-1/0/9.100]
}
