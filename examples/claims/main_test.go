package main

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/carrierkit/carrierkit/store/postgres/pgtest"
)

func TestRunEmbedded(t *testing.T) {
	t.Parallel()
	check(t, embedded(filepath.Join(t.TempDir(), "claims.db")))
}

// TestRunPostgres runs the same story on PostgreSQL, twice in one schema,
// as an operator re-running the demo would.
func TestRunPostgres(t *testing.T) {
	t.Parallel()
	dsn := pgtest.DSN(t)
	schema := fmt.Sprintf("claims_demo_%d", time.Now().UnixNano())
	check(t, shared(dsn, schema))
	check(t, shared(dsn, schema))
}

func check(t *testing.T, open opener) {
	t.Helper()
	var out bytes.Buffer
	if err := run(context.Background(), &out, open, 500); err != nil {
		t.Fatalf("run: %v\n%s", err, out.String())
	}
	got := out.String()
	for _, want := range []string{
		"eline-42             vc-id=1000  vlan-a@pe1:ge-0/0/1=101  vlan-z@pe2:ge-0/0/2=101",
		"nothing leaked: true",
		`refused: pool: claim "eline-43": pool "uni-vlan" scope "pe1:ge-0/0/1" value 100: taken by another owner "brownfield:pe1:ge-0/0/1.100"`,
		"l3vpn-blue/paris     rd=192.0.2.1:1  pe-ce=10.255.0.0/31",
		"l3vpn-blue/nice      rd=192.0.2.1:3  pe-ce=10.255.0.4/31",
		"500 claims acknowledged durably",
		"506 claims found; verified",
		"would get VLAN 101 again",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %q", want)
		}
	}
	if t.Failed() {
		t.Logf("output:\n%s", got)
	}
}
