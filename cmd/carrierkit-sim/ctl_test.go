package main

import (
	"context"
	"encoding/json"
	"errors"
	"regexp"
	"strings"
	"testing"
	"time"
)

var adminRE = regexp.MustCompile(`admin API on http://(\S+)`)

// TestCtlAgainstAdmin runs carrierkit-sim with -admin and drives it with
// `carrierkit-sim ctl`: a link cut shows in the state, a bad request names
// its field.
func TestCtlAgainstAdmin(t *testing.T) {
	t.Setenv("CARRIERKIT_SIM_PASSWORD", "")
	t.Setenv("CARRIERKIT_PASSWORD", "")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var stdout, stderr lockedBuffer
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"-topology", smallTopology, "-any-port", "-admin", "127.0.0.1:0"}, &stdout, &stderr)
	}()
	var addr string
	deadline := time.Now().Add(10 * time.Second)
	for addr == "" {
		if m := adminRE.FindStringSubmatch(stderr.String()); m != nil {
			addr = m[1]
			break
		}
		select {
		case err := <-done:
			t.Fatalf("run returned early: %v\n%s", err, stderr.String())
		case <-time.After(10 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("no admin line; stderr:\n%s", stderr.String())
		}
	}
	ctl := func(args ...string) (string, error) {
		var out, errb lockedBuffer
		err := run(context.Background(), append([]string{"ctl", "-admin", addr}, args...), &out, &errb)
		return out.String(), err
	}
	state := func() map[string]any {
		out, err := ctl("state")
		if err != nil {
			t.Fatal(err)
		}
		var st struct {
			Links []struct {
				A, B  string
				Up    bool
				Delay string
			}
			Devices []struct {
				Name string
				Up   bool
			}
		}
		if err := json.Unmarshal([]byte(out), &st); err != nil {
			t.Fatalf("state: %v\n%s", err, out)
		}
		m := map[string]any{}
		for _, l := range st.Links {
			m[l.A+"-"+l.B] = l.Up
			m[l.A+"-"+l.B+" delay"] = l.Delay
		}
		for _, d := range st.Devices {
			m[d.Name] = d.Up
		}
		return m
	}
	if st := state(); st["pe1:eth1-p1:eth1"] != true || st["pe1"] != true {
		t.Fatalf("initial state: %v", st)
	}
	if _, err := ctl("link", "pe1:eth1", "p1:eth1", "down"); err != nil {
		t.Fatal(err)
	}
	if _, err := ctl("impair", "pe2:eth1", "p1:eth2", "delay=7ms", "loss=1"); err != nil {
		t.Fatal(err)
	}
	if _, err := ctl("device", "pe2", "down"); err != nil {
		t.Fatal(err)
	}
	st := state()
	if st["pe1:eth1-p1:eth1"] != false || st["pe2:eth1-p1:eth2 delay"] != "7ms" || st["pe2"] != false {
		t.Errorf("after ctl: %v", st)
	}
	if _, err := ctl("device", "pe2", "up"); err != nil {
		t.Fatal(err)
	}
	if st := state(); st["pe2"] != true {
		t.Errorf("pe2 not back up: %v", st)
	}
	// Errors: unknown link (404 message), bad value, bad usage.
	if _, err := ctl("link", "pe1:eth7", "p1:eth1", "down"); err == nil || !strings.Contains(err.Error(), `"pe1:eth7"`) || !strings.Contains(err.Error(), "404") {
		t.Errorf("unknown link: %v", err)
	}
	if _, err := ctl("impair", "pe1:eth1", "delay=fast"); err == nil || !strings.Contains(err.Error(), `field "delay"`) {
		t.Errorf("bad delay: %v", err)
	}
	if _, err := ctl("link", "pe1:eth1", "p1:eth1", "sideways"); !errors.Is(err, errUsage) {
		t.Errorf("bad up/down: %v", err)
	}
	// VNF faults reach the admin API; this lab has no NFX, so the simulator
	// refuses with the reason.
	if _, err := ctl("vnf", "pe1", "vsrx-1", "crashed"); err == nil || !strings.Contains(err.Error(), "400") || !strings.Contains(err.Error(), "pe1") {
		t.Errorf("VNF fault on an MX: %v", err)
	}
	if _, err := ctl("vnf", "pe1", "vsrx-1", "melted"); err == nil || !strings.Contains(err.Error(), `field "fault"`) {
		t.Errorf("unknown VNF fault: %v", err)
	}
	if _, err := ctl("vnf", "pe1", "crashed"); !errors.Is(err, errUsage) {
		t.Errorf("vnf with two arguments: %v", err)
	}
	if _, err := ctl("frobnicate"); !errors.Is(err, errUsage) || !strings.Contains(err.Error(), "frobnicate") {
		t.Errorf("unknown command: %v", err)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("run after cancel: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("run did not return after cancel")
	}
}

func TestAdminFlagChecks(t *testing.T) {
	for _, args := range [][]string{
		{"-hostname", "pe1", "-password", "x", "-admin", "127.0.0.1:8830"},
		{"-topology", smallTopology, "-admin", "0.0.0.0:8830"},
		{"-topology", smallTopology, "-admin", "nonsense"},
	} {
		err := run(context.Background(), args, &lockedBuffer{}, &lockedBuffer{})
		if !errors.Is(err, errUsage) || !strings.Contains(err.Error(), "-admin") {
			t.Errorf("%v: %v", args, err)
		}
	}
	if _, err := ctlOnce("127.0.0.1:1", "state"); err == nil || !strings.Contains(err.Error(), "ctl:") {
		t.Errorf("no server: %v", err)
	}
}

func ctlOnce(addr string, args ...string) (string, error) {
	var out lockedBuffer
	err := run(context.Background(), append([]string{"ctl", "-admin", addr}, args...), &out, &lockedBuffer{})
	return out.String(), err
}
