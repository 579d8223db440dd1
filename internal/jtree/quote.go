package jtree

import "strings"

// bareChars are the bytes a Junos word may hold without quotes. Anything
// else (space, ; { } [ ] " ' # \ < > & | ! $ and every non-ASCII byte)
// makes the word quoted.
var bareChars = func() (t [256]bool) {
	for c := 'a'; c <= 'z'; c++ {
		t[c] = true
	}
	for c := 'A'; c <= 'Z'; c++ {
		t[c] = true
	}
	for c := '0'; c <= '9'; c++ {
		t[c] = true
	}
	for _, c := range "-_.:/+@,=" {
		t[c] = true
	}
	return t
}()

// NeedsQuotes reports whether s must be written in double quotes in set
// and text forms: it is empty, holds a byte outside [A-Za-z0-9] and
// "-_.:/+@,=", or its only ':' is its last byte (text form would read
// "delete:" or "inactive:" at the start of a statement as a tag; IPv6
// addresses such as "2001:db8::" stay bare).
func NeedsQuotes(s string) bool {
	if s == "" || strings.IndexByte(s, ':') == len(s)-1 {
		return true
	}
	for i := 0; i < len(s); i++ {
		if !bareChars[s[i]] {
			return true
		}
	}
	return false
}

// AppendQuoted appends s as one Junos word: bare when safe, otherwise in
// double quotes with '"' and '\' escaped by a backslash. s must have
// passed [CheckValue] (the tree refuses anything else), so no newline or
// other control character can reach the output.
func AppendQuoted(b []byte, s string) []byte {
	if !NeedsQuotes(s) {
		return append(b, s...)
	}
	b = append(b, '"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '"' || c == '\\' {
			b = append(b, '\\')
		}
		b = append(b, c)
	}
	return append(b, '"')
}

// AppendXMLEscaped appends s as XML character data with &, <, >, " and '
// escaped.
func AppendXMLEscaped(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '&':
			b = append(b, "&amp;"...)
		case '<':
			b = append(b, "&lt;"...)
		case '>':
			b = append(b, "&gt;"...)
		case '"':
			b = append(b, "&quot;"...)
		case '\'':
			b = append(b, "&apos;"...)
		default:
			b = append(b, c)
		}
	}
	return b
}
