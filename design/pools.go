package design

import (
	"context"

	"github.com/carrierkit/carrierkit/pool"
)

// Names of the pools design claims from. [DefaultPools] creates them.
const (
	// PoolVLAN hands out UNI VLANs, scoped by "device:interface".
	PoolVLAN = "vlan"
	// PoolVCID hands out pseudowire VC IDs and LDP VPLS IDs, network-wide.
	PoolVCID = "vcid"
	// PoolRD hands out route distinguishers, one per PE per service.
	PoolRD = "rd"
	// PoolRT hands out route targets, one per service (two for
	// hub-and-spoke L3VPN).
	PoolRT = "rt"
	// PoolPECE4 and PoolPECE6 hand out PE–CE /31 and /127 subnets.
	PoolPECE4 = "pe-ce-v4"
	PoolPECE6 = "pe-ce-v6"
	// PoolStaticLabel hands out static LSP labels from Junos' static
	// range, scoped by device.
	PoolStaticLabel = "static-label"
	// PoolPort marks ports a port-based service uses whole: it holds the
	// single value 1 per "device:interface", so a second port-based
	// service on the same port is refused (pool.ErrTaken naming the
	// holder). VLAN-based services do not consult it.
	PoolPort = "port"
)

// DefaultPools returns the specs of the pools design uses, with ranges
// that suit a lab or a small network: VLANs 100–3999 per UNI, VC IDs from
// 1000 to 16,777,215, RDs and RTs under AS 65000, PE–CE subnets from
// 100.64.0.0/10 and fd00:ce::/32, static labels 1,000,000–1,048,575 per
// device, and the port markers of PoolPort. It returns a fresh slice on
// every call.
func DefaultPools() []pool.Spec {
	return []pool.Spec{
		{Name: PoolVLAN, Kind: pool.KindVLAN, Ranges: []string{"100-3999"}, Scoped: true},
		{Name: PoolVCID, Kind: pool.KindVCID, Ranges: []string{"1000-16777215"}},
		{Name: PoolRD, Kind: pool.KindRD, Admin: "65000", Ranges: []string{"1-4000000000"}},
		{Name: PoolRT, Kind: pool.KindRT, Admin: "65000", Ranges: []string{"1-4000000000"}},
		{Name: PoolPECE4, Kind: pool.KindIPv4, Ranges: []string{"100.64.0.0/10"}, Length: 31},
		{Name: PoolPECE6, Kind: pool.KindIPv6, Ranges: []string{"fd00:ce::/32"}, Length: 127},
		{Name: PoolStaticLabel, Kind: pool.KindVCID, Ranges: []string{"1000000-1048575"}, Scoped: true},
		{Name: PoolPort, Kind: pool.KindVLAN, Ranges: []string{"1"}, Scoped: true},
	}
}

// Claimer claims values from pools; *pool.Manager satisfies it.
type Claimer interface {
	// Claim reserves every request for owner atomically and
	// idempotently.
	Claim(ctx context.Context, owner string, reqs ...pool.Request) (pool.Claim, error)
	// Preview returns what Claim would return, keeping nothing.
	Preview(ctx context.Context, owner string, reqs ...pool.Request) (pool.Claim, error)
}

var _ Claimer = (*pool.Manager)(nil)
