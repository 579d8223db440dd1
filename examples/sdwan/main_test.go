package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"
)

func TestRun(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var w bytes.Buffer
	if err := run(ctx, &w, 10); err != nil {
		t.Fatalf("run: %v\n%s", err, w.String())
	}
	got := w.String()
	for _, want := range []string{
		"network acme/wan: 12 sites, 42 tunnels",
		"committed 12 sites and 2 provider routers over NETCONF",
		"h1: 22 IPsec tunnels up", // 10 spokes and h2, on 2 transports each
		"s01 to s02's LAN: via st0.1, through h1 over mpls",
		"h1 is down",
		"s01: 2 inactive tunnels: peer 172.16.0.5 is not reachable",
		"s01 to s02's LAN: via st0.3, through h2 over mpls",
		"10 spokes route where Design.Path says",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %q", want)
		}
	}
	if t.Failed() {
		t.Log(got)
	}
	if err := run(ctx, &w, 0); err == nil || !strings.Contains(err.Error(), "-spokes 0") {
		t.Errorf("run with 0 spokes: %v", err)
	}
}
