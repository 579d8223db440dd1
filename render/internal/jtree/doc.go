// Package jtree is render's Junos configuration tree: ordered containers,
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
