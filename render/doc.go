// Package render turns a designed service ([design.Service]) into device
// configuration: Junos in the three forms a Junos device loads — `set`
// lines, curly-brace text and XML — and Nokia SR OS MD-CLI, so that one
// service can span both vendors. It also renders the removal
// (decommissioning) of a service.
//
//	arts, err := render.All(svc, render.FormatSet)   // one Artifact per device
//	rm, err := render.Remove(svc, render.FormatXML)  // what takes it away again
//
// [All] and [Remove] pick the vendor from each device's Platform; [Junos]
// and [SROS] render one device. [Renderer] reuses memory for bulk
// rendering (hundreds of thousands of services).
//
// # Formats
//
// Every Junos artifact comes from one ordered configuration tree, printed
// three ways: [FormatSet] (`show configuration | display set`), [FormatText]
// (`show configuration`: four-space indent, `name value;`, `family inet {`
// flattened as Junos shows it) and [FormatXML] (a `<configuration>` document
// for NETCONF, no namespaces, keyed lists as `<interface><name>…</name>`,
// `<route-distinguisher><rd-type>…`, `<vrf-target><community>…`, and Junos'
// keyword keys as `<community><add/><community-name>…`). Removal is
// `delete …` lines, text with `delete:` tags, or XML with
// operation="delete".
//
// Nokia devices have one form, [FormatMDCLI]: MD-CLI commands with
// absolute paths (`/configure service epipe "NAME" service-id 1100`), for an
// exclusive or private candidate followed by commit; removal is
// `delete /configure service epipe "NAME"`. [All] and [Remove] give Nokia
// devices FormatMDCLI whatever Format is asked for, and the artifact says
// so; asking for FormatMDCLI for a Juniper device is an error.
//
// Output is deterministic and canonical: statements come in the order
// Junos displays them (the golden XML is validated against the Junos 23.4R2
// YANG by yang_test.go), list entries in intent order (design sorts
// them), and a statement added twice is kept once. A leaf given two
// different values is an error, not a silent overwrite.
//
// # What a service owns
//
// Removal deletes exactly the statements the service added and never
// statements that other services may share: a unit is removed but not its
// port's `flexible-vlan-tagging` or `encapsulation
// flexible-ethernet-services`; `protocols l2circuit neighbor X interface I`
// is removed but not the neighbor entry; a dynamic LSP path (`path any;`),
// which other LSPs may use, is kept; SR OS SDPs are kept. A port-based
// (ethernet-ccc/ethernet-vpls) service owns its port's encapsulation and
// removes it. Base configuration that services rely on (IGP, `protocols
// ldp`/`rsvp`/`mpls interface`, the core BGP group with `family inet-vpn
// unicast` and `family l2vpn signaling`, SR OS port modes) is not
// rendered.
//
// # Injection safety
//
// Descriptions come from users, names from design. No value can add or
// change a statement:
//
//   - Set and text forms write a value bare only when it consists of
//     letters, digits and "-_.:/+@,=" (and its only ':' is not its last
//     byte, which text form would take as a tag such as "delete:"); anything
//     else is in double quotes with '"' and '\' escaped by a backslash. So
//     `;`, `{`, `}`, `#`, spaces and quotes stay inside one word, and a
//     value such as `set` or `delete` stands where a value belongs and is
//     never read as a command.
//   - Newlines, carriage returns and every other control character (C0,
//     DEL, C1, U+2028, U+2029, and U+FFFE/U+FFFF, which XML forbids) cannot
//     be quoted safely in every form.
//     Render neutralises them in descriptions ([Description]: each run of
//     them and of spaces becomes one space; invalid UTF-8 becomes U+FFFD)
//     and refuses them anywhere else with an error wrapping [ErrInvalid].
//   - XML escapes &, <, >, " and '.
//   - MD-CLI writes strings in double quotes with '"' and '\' escaped by a
//     backslash, with the same control-character rules.
//
// The tests render hostile descriptions and names in every form and
// re-parse the output with the simulator's independent Junos parser
// (sim/junosconf, imported by tests only) and a fuzz test checks that
// re-parsing yields exactly the intended statements.
//
// # Platforms
//
//   - MX and PTX: VLAN-tagged UNIs set `flexible-vlan-tagging` and
//     `encapsulation flexible-ethernet-services` on the port, so L2 (vlan-ccc,
//     vlan-vpls) and routed units of different services share a port.
//   - ACX: Juniper's statement reference for ACX ("encapsulation (Physical
//     Interface)", ACX Series, Junos 12.2 and later) lists the physical
//     interface encapsulations as cesopsn, ethernet-ccc,
//     flexible-ethernet-services, ima, ppp and satop: no vlan-ccc or
//     ethernet-vpls on the port, as an MX would take. So ACX ports get
//     `vlan-tagging` with `encapsulation flexible-ethernet-services` (units
//     keep `encapsulation vlan-ccc`/`vlan-vpls`), port-based VPLS is refused,
//     and so are double-tagged UNIs (they need flexible or stacked tagging,
//     which carrierkit does not rely on for ACX).
//   - PTX: no VPLS (core LSRs; refused with [ErrUnsupported]).
//   - SRX/NFX-only statements (security, virtual-network-functions, vmhost)
//     are refused for MX, ACX and PTX by a guard on every rendered tree.
//   - Nokia SR OS: E-LINE (epipe with sap and spoke-sdp), LDP VPLS (mesh-sdp,
//     and spoke-sdp for H-VPLS mesh-group members) and L3VPN (vprn with
//     interface/sap, static routes, BGP, route-distinguisher, vrf-target).
//     Service ids come from the VC ID, the VPLS ID and the RD's assigned
//     number; SDP ids from the low 15 bits of the far end's IPv4 loopback
//     (a collision on one device is an error). BGP VPLS, BGP E-LINE, LSPs,
//     backup pseudowires, VLAN push/swap and more than one route target per
//     direction are refused with [ErrUnsupported].
//
// # Errors
//
// Errors are *[Error], naming the service, the device and the intent field,
// and wrap [ErrInvalid] (bad intent, including design's own Validate
// errors), [ErrUnsupported] or [ErrFormat]. A failed call returns no
// artifacts.
//
// # Concurrency
//
// The package functions are pure (no I/O, no goroutines, no global state)
// and safe for concurrent use. A [Renderer] is not safe for concurrent use:
// give each goroutine its own.
package render
