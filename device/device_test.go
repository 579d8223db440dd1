package device_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/carrierkit/carrierkit/device"
)

func TestCredentialsNeverPrintSecrets(t *testing.T) {
	const pw, key, phrase = "Hunter2-pw", "-----BEGIN OPENSSH PRIVATE KEY-----SECRETKEYBYTES", "my-passphrase"
	for _, c := range []device.Credentials{device.Password("admin", pw), device.PrivateKey("admin", []byte(key), phrase)} {
		tg := device.Target{Name: "pe1", Addr: netip.MustParseAddrPort("127.0.0.1:830"), Credentials: c,
			HostKeys: device.InsecureIgnoreHostKey()}
		var outs []string
		for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%d"} {
			outs = append(outs, fmt.Sprintf(verb, c), fmt.Sprintf(verb, tg), fmt.Sprintf(verb, &tg))
		}
		outs = append(outs, c.String(), c.GoString(), fmt.Errorf("dial %v: %w", tg, device.ErrAuth).Error())
		j, _ := json.Marshal(tg)
		outs = append(outs, string(j))
		var logs strings.Builder
		slog.New(slog.NewTextHandler(&logs, nil)).Info("dial", "target", tg, "creds", c)
		slog.New(slog.NewJSONHandler(&logs, nil)).Info("dial", "creds", c)
		outs = append(outs, logs.String())
		for _, out := range outs {
			for _, secret := range []string{pw, "SECRETKEYBYTES", phrase} {
				if strings.Contains(out, secret) {
					t.Fatalf("secret %q printed: %s", secret, out)
				}
			}
			if !strings.Contains(out, "admin") && !strings.HasPrefix(out, "{") {
				// %x and %d of the struct still show the user name via String.
				t.Errorf("user name missing from %q", out)
			}
		}
		if got, _, _ := c.Secret(); c.IsPassword() && got != pw {
			t.Fatalf("Secret() = %q", got)
		}
	}
}

func TestTargetValidate(t *testing.T) {
	good := device.Target{Name: "pe1", Addr: netip.MustParseAddrPort("127.0.0.1:830"), Credentials: device.Password("a", "b")}
	tests := []struct {
		name string
		mod  func(*device.Target)
		want string
	}{
		{"ok", func(*device.Target) {}, ""},
		{"no address", func(t *device.Target) { t.Addr = netip.AddrPort{} }, "invalid address"},
		{"port 0", func(t *device.Target) { t.Addr = netip.MustParseAddrPort("127.0.0.1:0") }, "invalid address"},
		{"no user", func(t *device.Target) { t.Credentials = device.Password("", "x") }, "no user name"},
		{"no secret", func(t *device.Target) { t.Credentials = device.Credentials{} }, "no user name"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tg := good
			tt.mod(&tg)
			err := tg.Validate()
			if (tt.want == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), tt.want)) {
				t.Fatalf("Validate: %v, want %q", err, tt.want)
			}
			if err != nil && !strings.Contains(err.Error(), "pe1") {
				t.Errorf("error does not name the target: %v", err)
			}
		})
	}
	if k := (device.Target{Addr: netip.MustParseAddrPort("10.0.0.1:22")}).Key(); k != "10.0.0.1:22" {
		t.Errorf("Key without a name = %q", k)
	}
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want string // "" = valid
	}{
		{"config query", device.ConfigQuery(device.Committed, device.Set).Validate(), ""},
		{"rpc query", device.RPCQuery("<get-software-information/>").Validate(), ""},
		{"command xml", device.CommandQuery("show version", device.XML).Validate(), ""},
		{"empty query", device.Query{}.Validate(), "empty query"},
		{"two things", device.Query{Source: device.Committed, Command: "show version"}.Validate(), "only one"},
		{"rpc as text", device.Query{RPC: "<x/>", Format: device.Set}.Validate(), `"<x/>"`},
		{"command as set", device.CommandQuery("show version", device.Set).Validate(), `"show version"`},
		{"bad source", device.Query{Source: 9}.Validate(), "unknown source"},
		{"change ok", device.Change{Format: device.Set, Data: []byte("set x")}.Validate(), ""},
		{"change no data", device.Change{Format: device.Text}.Validate(), "no data"},
		{"set with action", device.Change{Format: device.Set, Action: device.Override, Data: []byte("x")}.Validate(), `"override"`},
		{"commit ok", device.CommitOptions{Confirmed: time.Minute}.Validate(), ""},
		{"check confirmed", device.CommitOptions{Check: true, Confirmed: time.Minute}.Validate(), "check cannot be confirmed"},
		{"too long", device.CommitOptions{Confirmed: 70000 * time.Minute}.Validate(), "is over"},
		{"rollback 49", device.ValidateRollback(49), ""},
		{"rollback 50", device.ValidateRollback(50), "rollback 50"},
		{"rollback -1", device.ValidateRollback(-1), "rollback -1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if (tt.want == "") != (tt.err == nil) || (tt.err != nil && !strings.Contains(tt.err.Error(), tt.want)) {
				t.Fatalf("got %v, want %q", tt.err, tt.want)
			}
		})
	}
	for d, want := range map[time.Duration]int{0: 0, time.Second: 1, time.Minute: 1, 61 * time.Second: 2, 10 * time.Minute: 10} {
		if got := (device.CommitOptions{Confirmed: d}).ConfirmMinutes(); got != want {
			t.Errorf("ConfirmMinutes(%v) = %d, want %d", d, got, want)
		}
	}
}

func TestRejectedError(t *testing.T) {
	issues := []device.Issue{
		{Severity: "warning", Message: "statement not found"},
		{Severity: "error", Path: "[edit interfaces ge-0/0/1]", Element: "speed", Message: "syntax error"},
		{Severity: "error", Message: "configuration check-out failed"},
	}
	e := device.NewRejected("pe1", "commit check", issues, "<raw/>")
	want := "device pe1: commit check rejected: [edit interfaces ge-0/0/1] 'speed': syntax error (and 1 more)"
	if e.Error() != want {
		t.Fatalf("Error() = %q\nwant      %q", e.Error(), want)
	}
	if e.Path != "[edit interfaces ge-0/0/1]" || e.Element != "speed" || e.Severity != "error" || len(e.Issues) != 3 {
		t.Fatalf("fields: %+v", e)
	}
	var err error = fmt.Errorf("deploy: %w", e)
	var got *device.RejectedError
	if !errors.As(err, &got) || got != e {
		t.Fatal("errors.As lost the RejectedError")
	}
	if device.NewRejected("pe1", "load", issues[:1], "") != nil {
		t.Fatal("warnings alone made a RejectedError")
	}
}
