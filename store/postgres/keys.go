package postgres

import "unicode/utf8"

// prefixEnd returns the least valid UTF-8 string that is greater, in byte
// order, than every string starting with prefix, so that the keys starting
// with prefix are exactly those k with prefix <= k < end. ok is false when
// there is no such string: prefix is empty or made only of U+10FFFF, and
// every key >= prefix starts with it.
//
// prefix must be valid UTF-8, as store keys are. The bound is built by
// incrementing prefix's last code point that can be incremented, not its
// last byte, because PostgreSQL rejects text that is not valid UTF-8; UTF-8
// byte order is code point order, so the two bounds select the same keys.
func prefixEnd(prefix string) (end string, ok bool) {
	for prefix != "" {
		r, n := utf8.DecodeLastRuneInString(prefix)
		prefix = prefix[:len(prefix)-n]
		if r == utf8.MaxRune {
			continue
		}
		r++
		if r == 0xD800 { // surrogates have no UTF-8 encoding
			r = 0xE000
		}
		return prefix + string(r), true
	}
	return "", false
}
