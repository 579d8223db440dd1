package vnf_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/carrierkit/carrierkit/vnf"
)

// Example places a two-function chain on an NFX and prints part of its
// configuration.
func Example() {
	var cat vnf.Catalog
	for _, d := range []vnf.Descriptor{
		{Name: "vsrx", Version: "21.2", Image: "/var/public/vsrx.qcow2", VCPUs: 2, MemoryMB: 4096, DiskGB: 16,
			Ports: []vnf.Port{{Name: "eth2", Role: vnf.RoleIngress}, {Name: "eth3", Role: vnf.RoleEgress}}},
		{Name: "vrouter", Version: "1.0", Image: "/var/public/vrouter.qcow2", VCPUs: 1, MemoryMB: 1024, DiskGB: 2,
			Ports: []vnf.Port{{Name: "eth2", Role: vnf.RoleIngress}, {Name: "eth3", Role: vnf.RoleEgress}}},
	} {
		if err := cat.Onboard(d); err != nil {
			fmt.Println(err)
			return
		}
	}
	h := vnf.Host{Name: "nfx1", Cores: 4, MemoryMB: 8192, DiskGB: 32, Ports: []string{"ge-0/0/0", "ge-0/0/1"}}
	c := vnf.Chain{Tenant: "acme", Name: "lyon", LAN: "ge-0/0/0", WAN: "ge-0/0/1", FirstVLAN: 100,
		Functions: []vnf.Function{{VNF: "vsrx"}, {VNF: "vrouter"}}}
	p, err := vnf.Place(h, nil, c, &cat)
	if err != nil {
		fmt.Println(err)
		return
	}
	cfg, err := vnf.Render(p)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, l := range strings.Split(string(cfg.Set), "\n") {
		if strings.Contains(l, "vlan-id") || strings.Contains(l, "count") {
			fmt.Println(l)
		}
	}
	// A second copy of the chain does not fit.
	c.Name, c.LAN, c.WAN = "lyon2", "ge-0/0/2", "ge-0/0/3"
	_, err = vnf.Place(h, []vnf.Plan{p}, c, &cat)
	fmt.Println(errors.Is(err, vnf.ErrNoFit), err)
	// Output:
	// set virtual-network-functions acme_lyon_1-vsrx virtual-cpu count 2
	// set virtual-network-functions acme_lyon_2-vrouter virtual-cpu count 1
	// set vlans acme_lyon_s0 vlan-id 100
	// set vlans acme_lyon_s1 vlan-id 101
	// set vlans acme_lyon_s2 vlan-id 102
	// true vnf: chain acme/lyon2 does not fit on "nfx1": needs 3 vcpus, 1 free
}

// ExampleManager deploys a three-function chain on the simulator's nfx250
// over NETCONF and reads its state back.
func ExampleManager() {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	s, stop, err := dialNFX(ctx, "nfx-paris")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer stop()
	cat, err := newCatalog()
	if err != nil {
		fmt.Println(err)
		return
	}
	m, err := vnf.New(s, host(), cat)
	if err != nil {
		fmt.Println(err)
		return
	}
	_, err = m.Deploy(ctx, vnf.Chain{Tenant: "acme", Name: "paris", LAN: "ge-0/0/0", WAN: "ge-0/0/1", FirstVLAN: 300,
		Functions: []vnf.Function{{VNF: "wanopt"}, {VNF: "vsrx"}, {VNF: "vrouter"}}})
	if err != nil {
		fmt.Println(err)
		return
	}
	st, err := m.State(ctx, "acme")
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, v := range st {
		fmt.Println(v.Chain, v.Instance, v.State, v.VCPUs)
	}
	// Output:
	// acme/paris acme_paris_1-wanopt Running 1
	// acme/paris acme_paris_2-vsrx Running 2
	// acme/paris acme_paris_3-vrouter Running 1
}
