package netconf_test

import (
	"time"

	"fmt"
	"github.com/carrierkit/carrierkit/sim"
	"strings"
	"sync"
	"testing"

	"github.com/carrierkit/carrierkit/device"
	"github.com/carrierkit/carrierkit/device/netconf"
)

// TestConcurrentUse: 20 goroutines share one session; go-netconf alone
// hangs on this. Each goroutine loads its own statement and reads it back.
func TestConcurrentUse(t *testing.T) {
	d := startSim(t, "pe1", nil)
	s := dial(t, targetFor(d))
	ctx := ctxT(t)
	var wg sync.WaitGroup
	errs := make(chan error, 20)
	for g := 0; g < 20; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 5; i++ {
				desc := fmt.Sprintf("g%d-i%d", g, i)
				line := fmt.Sprintf("set interfaces ge-1/0/%d unit %d description %s", g%10, g*10+i+1, desc)
				if err := s.Load(ctx, device.Change{Format: device.Set, Data: []byte(line)}); err != nil {
					errs <- err
					return
				}
				out, err := s.Get(ctx, device.ConfigQuery(device.Candidate, device.Set))
				if err != nil {
					errs <- err
					return
				}
				if !strings.Contains(string(out), desc) {
					errs <- fmt.Errorf("candidate lacks %s", desc)
					return
				}
				if _, err := s.Get(ctx, device.RPCQuery("<get-software-information/>")); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if err := s.Commit(ctx, device.CommitOptions{}); err != nil {
		t.Fatal(err)
	}
	out := get(t, s, device.ConfigQuery(device.Committed, device.Set))
	if n := strings.Count(out, " description g"); n != 100 {
		t.Fatalf("%d descriptions committed, want 100", n)
	}
}

// TestPoolOverSim: a pool of NETCONF sessions over three simulated devices,
// used from many goroutines; a dropped session is replaced on the next
// Acquire.
func TestPoolOverSim(t *testing.T) {
	var targets []device.Target
	for _, h := range []string{"pe1", "pe2", "pe3"} {
		d := startSim(t, h, nil)
		targets = append(targets, targetFor(d))
	}
	p := device.NewPool(netconf.Dialer(), device.PoolOptions{PerDevice: 2, Total: 4})
	defer p.Close()
	ctx := ctxT(t)
	var wg sync.WaitGroup
	for g := 0; g < 12; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			tg := targets[g%3]
			for i := 0; i < 5; i++ {
				l, err := p.Acquire(ctx, tg)
				if err != nil {
					t.Error(err)
					return
				}
				if st := p.Stats(); st.Open > 4 {
					t.Errorf("pool holds %d sessions, bound is 4", st.Open)
				}
				out, err := l.Session().Get(ctx, device.RPCQuery("<get-software-information/>"))
				l.Release()
				if err != nil {
					t.Error(err)
					return
				}
				if !strings.Contains(string(out), "<host-name>"+tg.Name+"</host-name>") {
					t.Errorf("reply from the wrong device: %s", out)
				}
			}
		}()
	}
	wg.Wait()
	// A session that died (closed here, as if the device had dropped it)
	// is not handed out again: the next Acquire dials anew.
	l, err := p.Acquire(ctx, targets[0])
	if err != nil {
		t.Fatal(err)
	}
	old := l.Session()
	old.Close()
	l.Release()
	l, err = p.Acquire(ctx, targets[0])
	if err != nil {
		t.Fatal(err)
	}
	defer l.Release()
	if l.Session() == old {
		t.Fatal("pool handed out a closed session")
	}
	if _, err := l.Session().Get(ctx, device.RPCQuery("<get-software-information/>")); err != nil {
		t.Fatal(err)
	}
}

// TestPoolDeviceRestart: the device restarts (same address, same host key);
// its idle pooled session is dead, and the next Acquire dials the new one.
func TestPoolDeviceRestart(t *testing.T) {
	d := startSim(t, "pe1", nil)
	tg := targetFor(d)
	p := device.NewPool(netconf.Dialer(), device.PoolOptions{})
	defer p.Close()
	ctx := ctxT(t)
	l, err := p.Acquire(ctx, tg)
	if err != nil {
		t.Fatal(err)
	}
	old := l.Session()
	l.Release()
	d.Close()
	d2, err := sim.Start(ctx, sim.Options{Hostname: "pe1", Platform: "mx480", Addr: tg.Addr,
		Users: []sim.User{{Name: testUser, Password: testPass}}})
	if err != nil {
		t.Fatalf("restart on %s: %v", tg.Addr, err)
	}
	defer d2.Close()
	for i := 0; old.(device.Liveness).Alive() && i < 200; i++ {
		time.Sleep(10 * time.Millisecond)
	}
	l, err = p.Acquire(ctx, tg)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Release()
	if l.Session() == old {
		t.Fatal("the dead session was handed out again")
	}
	if _, err := l.Session().Get(ctx, device.RPCQuery("<get-software-information/>")); err != nil {
		t.Fatalf("new session: %v", err)
	}
}
