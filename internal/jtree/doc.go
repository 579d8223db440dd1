// Package jtree is the Junos configuration tree that render, and the packages
// that render configuration of their own (sla, timing, vnf), build and print: ordered containers,
// keyed list entries, leaves, leaf-lists and flags, with no duplicate
// entries, printed as set lines, curly-brace text or XML, and as the
// removal of the statements marked [Owned] in each of those forms.
//
// Values are stored unquoted and checked once ([CheckValue]: no control
// characters, valid UTF-8); quoting and escaping happen only in the
// printers ([AppendQuoted], [AppendXMLEscaped]).
//
// # Concurrency
//
// A [Tree] is not safe for concurrent use. The printers only read it.
package jtree
