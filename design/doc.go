// Package design turns a service order into per-device intent: it checks an
// [Order] against a [Definition] and an [Inventory], claims the identifiers
// the service needs from pool in one claim, and computes a [Service] whose
// [DeviceIntent] values say everything render needs to configure each device.
//
// # Catalog and custom definitions
//
// [Builtins] are the predefined definitions (DefELineLDP … DefMobileBackhaul):
// E-LINE over LDP l2circuits (port- or VLAN-based, VLAN normalisation) and BGP
// l2vpn, VPLS (BGP, LDP, H-VPLS hub-and-spoke, multihoming), L3VPN full mesh
// and hub-and-spoke (PE–CE static or BGP, IPv4 and IPv6), RSVP LSPs (P2P,
// P2MP, full mesh), static LSPs and mobile backhaul pseudowires in bulk. Each
// has [Parameter] values with defaults, bounds and whether an order may
// override them. A custom definition is data: a base definition plus changed
// parameters, read with [DecodeDefinitions] and merged by [NewCatalog]; no Go
// code is involved, and mistakes are reported with the file, definition and
// parameter.
//
// # Orders and resolution
//
// [Order.Validate] checks an order (devices and interfaces in the inventory,
// UNI or NNI as needed, endpoint counts, roles, duplicates, VLANs on
// port-based services, overrides, addresses); every error is a [*FieldError]
// wrapping [ErrInvalid], with the order, endpoint index and device in the
// message. [Design] and [DesignAll] then claim, through a [Claimer] such as
// *pool.Manager, one claim per service whose owner is the service name, from
// the pools named by the Pool* constants ([DefaultPools] creates them): a
// VLAN per UNI scoped "device:interface" (an order's VLAN is claimed as given),
// a VC ID or VPLS ID, an RD per PE, RTs, PE–CE /31 and /127 subnets, static
// LSP labels. Claims are idempotent, so designing an order again returns the
// same service. [Plan] is the dry run.
//
// # Intent
//
// A [Service] holds one [DeviceIntent] per device, sorted by device name.
// Design decides every name render writes (unit numbers equal the VLAN, 0
// for port mode; instance names "L2VPN-", "VPLS-", "VRF-" + the upper-cased
// service name; hub-and-spoke policy and community names; LSP and path
// names), so that render, validation, the simulator and decommissioning all
// see the same names. Names that become configuration identifiers are
// restricted by [CheckName] and [CheckInterface]; free text (descriptions)
// is kept as given and left to render to quote.
//
// # Concurrency
//
// The package has no state and starts no goroutines: every function is safe
// to call from many goroutines at once, and a [Catalog] or [Inventory] may be
// shared once built. The values returned are plain data that callers own.
// Only [Design], [DesignAll] and [Plan] take a context; they block on the
// [Claimer] they are given.
package design
