// Package inventory discovers Junos devices, prestages them (device roles,
// UNI/NNI interfaces) and imports what they already carry (brownfield), so
// that carrierkit's design accepts orders only on qualified devices and
// ports and never hands out a value the network already uses.
//
// # Discovery
//
// Inventory.Discover takes target specifications — an address range
// ("127.0.1.1-127.0.1.20"), a subnet ("127.0.1.0/28", network and broadcast
// skipped), addresses or host names (see ParseTargets) — and, at most
// Options.Parallel at a time, opens a device.Session through the dial
// function given to New (netconf.Dialer() in production; tests use the same
// against the simulator), reads get-software-information,
// get-chassis-inventory, get-interface-information and the committed
// configuration (XML), and stores a Device record under
// inventory/device/<host-name> in the store.Store. A target that cannot be
// reached, refuses the credentials or the host key, times out or answers
// nonsense is reported in its TargetResult with an ErrorKind (its Err wraps
// the device package's sentinel) and never stops the others. Discovering a
// known device again updates its record and reports each Change (version,
// serial, modules, interfaces added, removed or changed, configuration); a
// known device that cannot be reached is kept and marked unreachable.
//
// # Prestaging
//
// Inventory.Prestage applies Rules (data: ParseRules reads YAML or JSON;
// DefaultRules are the defaults) to each device: role rules by platform
// series, host-name pattern and whether the device has UNI or NNI
// candidates; an interface with family mpls on a unit that runs IS-IS,
// OSPF, LDP or RSVP is an NNI; an unconfigured data port, or one whose
// units all carry customer services, is a UNI; management, loopback and
// other ports are neither; operators exclude devices or interfaces by
// pattern. The verdict is stored under inventory/prestage/<device> with a
// fingerprint of the device's ports, configuration and the rules: a second
// run is a no-op, and a device whose configuration changed (a UNI now
// carries core configuration) is re-synchronised. Inventory.Design returns
// the design.Inventory of qualified devices and their UNIs and NNIs only.
//
// # Brownfield
//
// Inventory.ImportBrownfield recognises services spanning devices —
// l2circuits whose ends name each other's loopback with one VC ID (E-LINE),
// VPLS instances sharing a vpls-id or route target, VRFs sharing route
// targets (L3VPN) — stores them under inventory/service/<id>, and claims
// the values they use in design's pools (VLANs per "device:interface", VC
// IDs, RDs, RTs, PE–CE subnets) under "brownfield:service:<id>", and
// everything else configured under "brownfield:<device>". Values a pool
// cannot hold, or another owner holds, are reported in ImportReport.Skipped;
// a service whose values all belong to another owner (an order carrierkit
// deployed) is recorded with ManagedBy set. Importing again with nothing
// changed (requests and pool specs) claims nothing; an owner whose values
// changed is released and claimed again, device owners before service
// owners, so values move to a service when its second end appears.
//
// # Concurrency
//
// An Inventory is safe for concurrent use. Discover runs its targets in
// parallel, bounded by Options.Parallel, each bounded by Options.Timeout;
// every record is written with store conditions (Absent or Unchanged) and
// retried on conflict, so concurrent discoveries, prestaging runs and
// processes sharing a store do not lose updates. ImportBrownfield releases
// and re-claims each changed owner in turn (the pool has no atomic "replace
// a claim"): in the moment between the two, a concurrent claim could take a
// value that is in use on the network, so run imports while no orders are
// being designed. Records returned are copies.
package inventory
