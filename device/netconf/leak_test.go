package netconf_test

import (
	"context"
	"errors"
	"runtime"
	"testing"
	"time"

	"github.com/carrierkit/carrierkit/device"
	"github.com/carrierkit/carrierkit/device/netconf"
)

// TestNoGoroutineLeak: sessions that are used, time out, or are closed
// twice leave no goroutine behind once closed (the simulator's own
// per-connection goroutines end with the connections).
func TestNoGoroutineLeak(t *testing.T) {
	d := startSim(t, "pe-leak", nil)
	tg := targetFor(d)
	before := runtime.NumGoroutine()
	for i := 0; i < 5; i++ {
		s, err := netconf.Dial(ctxT(t), tg)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.Get(ctxT(t), device.RPCQuery("<get-software-information/>")); err != nil {
			t.Fatal(err)
		}
		if i%2 == 1 {
			// A cancelled request closes the session under it.
			ctx, cancel := context.WithCancel(context.Background())
			cancel()
			if _, err := s.Get(ctx, device.RPCQuery("<get-software-information/>")); !errors.Is(err, device.ErrTimeout) {
				t.Fatalf("cancelled Get: %v", err)
			}
		}
		s.Close()
		s.Close()
	}
	var n int
	for range 200 {
		if n = runtime.NumGoroutine(); n <= before {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	buf := make([]byte, 1<<16)
	t.Fatalf("%d goroutines after closing every session, %d before:\n%s", n, before, buf[:runtime.Stack(buf, true)])
}
