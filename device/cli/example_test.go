package cli_test

import (
	"context"
	"fmt"
	"net/netip"
	"strings"
	"time"

	"golang.org/x/crypto/ssh"

	"github.com/carrierkit/carrierkit/device"
	"github.com/carrierkit/carrierkit/device/cli"
	"github.com/carrierkit/carrierkit/sim"
)

// Example configures a simulated MX through its CLI.
func Example() {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	d, err := sim.Start(ctx, sim.Options{Hostname: "pe1", Addr: netip.MustParseAddrPort("127.0.0.1:0"),
		Users: []sim.User{{Name: "admin", Password: "admin123"}}})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer d.Close()
	s, err := cli.Dial(ctx, device.Target{Name: "pe1", Addr: d.Addr(), Credentials: device.Password("admin", "admin123"),
		HostKeys: device.PinnedKeys(string(ssh.MarshalAuthorizedKey(d.HostKey())))})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer s.Close()
	if err := s.Load(ctx, device.Change{Format: device.Set, Data: []byte("set interfaces xe-0/0/1 description via-cli")}); err != nil {
		fmt.Println(err)
		return
	}
	if err := s.Commit(ctx, device.CommitOptions{}); err != nil {
		fmt.Println(err)
		return
	}
	out, _ := s.Get(ctx, device.ConfigQuery(device.Committed, device.Set))
	for _, l := range strings.Split(string(out), "\n") {
		if strings.Contains(l, "xe-0/0/1") {
			fmt.Println(strings.TrimSpace(l))
		}
	}
	// Output: set interfaces xe-0/0/1 description via-cli
}
