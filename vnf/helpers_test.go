package vnf

import (
	"testing"

	"github.com/carrierkit/carrierkit/netid"
)

func testCatalog(t testing.TB) *Catalog {
	t.Helper()
	var c Catalog
	for _, d := range []Descriptor{
		{Name: "vsrx", Version: "20.4.1", Image: "/var/public/vsrx-20.4.qcow2", VCPUs: 2, MemoryMB: 4096, DiskGB: 16,
			Ports: []Port{{"eth2", RoleIngress}, {"eth3", RoleEgress}}},
		{Name: "vsrx", Version: "21.2", Image: "/var/public/vsrx-21.2.qcow2", VCPUs: 2, MemoryMB: 4096, DiskGB: 16,
			Ports: []Port{{"eth2", RoleIngress}, {"eth3", RoleEgress}}},
		{Name: "vrouter", Version: "1.0", Image: "/var/public/vrouter.img", Raw: true, VCPUs: 1, MemoryMB: 1024, DiskGB: 2,
			Ports: []Port{{"eth2", RoleIngress}, {"eth3", RoleEgress}, {"eth4", RoleManagement}}},
		{Name: "wanopt", Version: "3.1", Image: "/var/public/wanopt.qcow2", VCPUs: 1, MemoryMB: 2048, DiskGB: 8,
			Ports: []Port{{"eth2", RoleIngress}, {"eth3", RoleEgress}}},
	} {
		if err := c.Onboard(d); err != nil {
			t.Fatal(err)
		}
	}
	return &c
}

func testHost() Host {
	return Host{Name: "nfx1", Cores: 6, MemoryMB: 16384, DiskGB: 64,
		Ports: []string{"ge-0/0/0", "ge-0/0/1", "ge-0/0/2", "ge-0/0/3"}}
}

func threeChain() Chain {
	return Chain{Tenant: "acme", Name: "branch", Site: "Lyon \"HQ\"", LAN: "ge-0/0/0", WAN: "ge-0/0/1",
		FirstVLAN: netid.VLANID(101),
		Functions: []Function{{VNF: "wanopt"}, {VNF: "vsrx", Version: "20.4.1"}, {VNF: "vrouter"}}}
}
