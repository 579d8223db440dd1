package device_test

import (
	"context"
	"errors"
	"fmt"
	"net/netip"

	"github.com/carrierkit/carrierkit/device"
	"github.com/carrierkit/carrierkit/device/devicetest"
)

// ExampleCredentials: printing a target never shows its password.
func ExampleCredentials() {
	t := device.Target{Name: "pe1", Addr: netip.MustParseAddrPort("192.0.2.1:830"),
		Credentials: device.Password("admin", "s3cret"), HostKeys: device.KnownHostsFile("/etc/ssh/ssh_known_hosts")}
	fmt.Println(t.Credentials)
	fmt.Printf("%#v\n", t.Credentials)
	// Output:
	// admin (password [redacted])
	// device.Credentials{user:"admin", secret:[redacted]}
}

// ExamplePool leases sessions to two devices from one pool; the dial
// function here makes in-memory fakes (use netconf.Dialer() or cli.Dialer()
// for real devices).
func ExamplePool() {
	dial := func(ctx context.Context, t device.Target) (device.Session, error) {
		return devicetest.New(t.Name, "set system host-name "+t.Name), nil
	}
	p := device.NewPool(dial, device.PoolOptions{PerDevice: 1, Total: 10})
	defer p.Close()
	ctx := context.Background()
	for _, name := range []string{"pe1", "pe2"} {
		l, err := p.Acquire(ctx, device.Target{Name: name})
		if err != nil {
			fmt.Println(err)
			return
		}
		cfg, _ := l.Session().Get(ctx, device.ConfigQuery(device.Committed, device.Set))
		fmt.Println(string(cfg))
		l.Release()
	}
	fmt.Printf("%+v\n", p.Stats())
	p.Close()
	_, err := p.Acquire(ctx, device.Target{Name: "pe1"})
	fmt.Println(errors.Is(err, device.ErrClosed))
	// Output:
	// set system host-name pe1
	// set system host-name pe2
	// {Open:2 InUse:0 Idle:2}
	// true
}
