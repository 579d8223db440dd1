package cli_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/carrierkit/carrierkit/device"
	"github.com/carrierkit/carrierkit/device/cli"
)

func TestIssues(t *testing.T) {
	tests := []struct {
		name string
		out  string
		want []device.Issue
	}{
		{"clean", "configuration check succeeds\n", nil},
		{"commit check failure",
			"[edit protocols l2circuit neighbor 192.0.2.2 interface ge-1/0/9.100]\n  'interface ge-1/0/9.100'\n    interface not configured\nerror: configuration check-out failed\n",
			[]device.Issue{
				{Severity: "error", Path: "[edit protocols l2circuit neighbor 192.0.2.2 interface ge-1/0/9.100]", Element: "interface ge-1/0/9.100", Message: "interface not configured"},
				{Severity: "error", Path: "[edit protocols l2circuit neighbor 192.0.2.2 interface ge-1/0/9.100]", Element: "interface ge-1/0/9.100", Message: "configuration check-out failed"},
			}},
		{"syntax error with caret", "set interfaces xe-0/0/1 bogus\n                        ^\nsyntax error.\n",
			[]device.Issue{{Severity: "error", Message: "syntax error."}}},
		{"unknown command", "                ^\nunknown command.\r\n", []device.Issue{{Severity: "error", Message: "unknown command."}}},
		{"warning only", "[edit interfaces]\n  'ge-0/0/7'\n    warning: statement not found\ncommit complete\n",
			[]device.Issue{{Severity: "warning", Path: "[edit interfaces]", Element: "ge-0/0/7", Message: "statement not found"}}},
		{"lock held", "error: configuration database locked by:\n  admin terminal p0 (pid 42)\n",
			[]device.Issue{{Severity: "error", Message: "configuration database locked by:"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if diff := cmp.Diff(tt.want, cli.Issues(tt.out)); diff != "" {
				t.Fatalf("Issues (-want +got):\n%s", diff)
			}
		})
	}
}

func FuzzIssues(f *testing.F) {
	f.Add("[edit a]\n  'b'\n    c\nerror: d\n")
	f.Add("syntax error.\nwarning: x")
	f.Fuzz(func(t *testing.T, out string) {
		for _, i := range cli.Issues(out) {
			if i.Severity != "error" && i.Severity != "warning" {
				t.Fatalf("severity %q", i.Severity)
			}
			if !strings.Contains(strings.ReplaceAll(out, "\r", ""), i.Message) {
				t.Fatalf("message %q not from the output", i.Message)
			}
		}
	})
}
