// Package netid provides network identifiers as small immutable values:
// VLAN IDs, pseudowire IDs, MPLS labels, AS numbers, route distinguishers
// and targets, MAC addresses, Ethernet segment identifiers and bit rates.
//
// Each identifier is a comparable value type in the spirit of
// net/netip.Addr, so it can be compared with ==, used as a map key and
// copied freely:
//
//   - [VLANID], an IEEE 802.1Q VLAN ID (1-4094);
//   - [VCID], a pseudowire (VC) ID;
//   - [Label], an MPLS label (16-1048575);
//   - [ASN], a BGP AS number, read in asplain or asdot;
//   - [RD] and [RT], route distinguishers and route targets in the three
//     layouts named by [RDType];
//   - [MAC], a 48-bit MAC address;
//   - [ESI], an EVPN Ethernet segment identifier;
//   - [Bitrate], a rate in bits per second.
//
// The package imports the standard library only.
//
// # Zero values
//
// The zero value of every type means "unset" and is invalid: IsValid
// reports false for it. Parsers never return a zero value without an
// error. For the integer types a conversion such as VLANID(5000) can make a
// non-zero invalid value too, so check IsValid on values that did not come
// from a parser.
//
// # Text forms
//
// Every type has a ParseX function, a MustParseX for tests and
// package-level constants (it panics on bad input), and String,
// AppendText, MarshalText, UnmarshalText and Compare methods. ParseX reads
// every form String writes, so ParseX(x.String()) == x for every valid x.
// Parsers are strict: no spaces, signs or leading zeros in decimal
// numbers. Parsers and AppendText do not allocate on success (AppendText
// given a buffer with room); String allocates the returned string.
//
// MarshalText writes the canonical text, and writes empty text for the
// zero value; UnmarshalText turns empty text back into the zero value.
// So encoding/json and other encoders that use [encoding.TextMarshaler]
// encode every identifier, including the integer ones, as a JSON string,
// and an optional field left unset round-trips as "". String, in
// contrast, describes an invalid value in words, such as "invalid VLAN ID".
//
// The canonical text of valid values is pinned by the package's tests and
// is meant to be stored. The wording of String for invalid values and of
// error messages may change; match errors with errors.Is, not by text.
//
// # Route distinguishers and targets
//
// [RD] and [RT] share the layouts of RFC 4364 and RFC 4360/5668 and the
// same administrator:number text, but are distinct types so that one
// cannot be used for the other. [ParseRD] picks the layout from the text;
// type 2 values are written with Junos' "L" suffix ("65000L:100") so that
// the layout survives a round trip. [ParseRDAs] and [ParseRTAs] fix the
// layout instead. An RT is written in Junos' community form,
// "target:65000:100".
//
// # Errors
//
// Every error wraps [ErrInvalid]; test for it with errors.Is. Parse errors
// quote the input and give the reason, such as
//
//	netid: parse VLAN ID "4095": out of range 1-4094
//
// # Concurrency
//
// All values are immutable and the package has no state, so values and
// functions are safe to use from many goroutines at once.
package netid
