package pool

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Request asks for one value within a claim.
type Request struct {
	// Name labels the value within the claim ("a-vlan", "vcid"); unique
	// per claim.
	Name string `json:"name"`
	// Pool names the pool to draw from.
	Pool string `json:"pool"`
	// Scope is required for a scoped pool and refused otherwise: the
	// interface ("pe1:ge-0/0/1") a VLAN is unique on, for instance.
	Scope string `json:"scope,omitempty"`
	// Value asks for one specific value, in the pool's text form ("100",
	// "65000:7", "10.0.0.4/31"): brownfield marking of what the network
	// already uses, or an operator's choice. Empty means the pool picks.
	Value string `json:"value,omitempty"`
	// Length is the prefix length wanted from an ipv4 or ipv6 pool; 0 means
	// the pool's Length.
	Length int `json:"length,omitempty"`
	// SameAs names an earlier request of the same claim whose number this
	// one must equal (numeric kinds): VLAN = VC ID, or the same VLAN at both
	// ends of an E-LINE. The pool finds the lowest number free in every
	// pool and scope of the group.
	SameAs string `json:"sameAs,omitempty"`
}

// Claim is what one owner holds: every value it claimed, in request order.
type Claim struct {
	Owner string `json:"owner"`
	Items []Item `json:"items"`
	// Revision is the store revision that recorded the claim; 0 in a
	// preview.
	Revision int64 `json:"revision,omitempty"`
}

// Item is one value of a [Claim].
type Item struct {
	Name  string
	Pool  string
	Scope string
	Value Value
}

// Get returns the value of the item named name.
func (c Claim) Get(name string) (Value, bool) {
	for _, it := range c.Items {
		if it.Name == name {
			return it.Value, true
		}
	}
	return Value{}, false
}

type itemJSON struct {
	Name  string `json:"name"`
	Pool  string `json:"pool"`
	Scope string `json:"scope,omitempty"`
	Kind  Kind   `json:"kind"`
	Value Value  `json:"value"`
}

// MarshalJSON encodes the item with its kind, so the value's text can be
// read back.
func (it Item) MarshalJSON() ([]byte, error) {
	return json.Marshal(itemJSON{it.Name, it.Pool, it.Scope, it.Value.Kind(), it.Value})
}

// The store records a claim as lines of tab-separated fields: a version
// line, then name, pool, scope and value text per item. Names, pools, scopes
// and owners are checked to hold no control characters, so tabs and
// newlines cannot occur inside fields.
const claimRecordVersion = "claim/1"

// encodeClaim appends the record of a claim of items to b.
func encodeClaim(b []byte, items []Item) []byte {
	b = append(b, claimRecordVersion...)
	for _, it := range items {
		b = append(b, '\n')
		b = append(b, it.Name...)
		b = append(b, '\t')
		b = append(b, it.Pool...)
		b = append(b, '\t')
		b = append(b, it.Scope...)
		b = append(b, '\t')
		b = it.Value.appendTo(b)
	}
	return b
}

type recordItem struct{ name, pool, scope, value string }

func decodeClaim(b []byte) ([]recordItem, error) {
	lines := strings.Split(string(b), "\n")
	if lines[0] != claimRecordVersion {
		return nil, fmt.Errorf("claim record has version %q, want %q", lines[0], claimRecordVersion)
	}
	out := make([]recordItem, 0, len(lines)-1)
	for _, l := range lines[1:] {
		f := strings.Split(l, "\t")
		if len(f) != 4 {
			return nil, fmt.Errorf("claim record line %q has %d fields, want 4", l, len(f))
		}
		out = append(out, recordItem{f[0], f[1], f[2], f[3]})
	}
	return out, nil
}

// checkText vets owner keys, request names and scopes: 1–max bytes of
// printable UTF-8 without control characters.
func checkText(what, s string, max int) error {
	ascii := len(s) > 0 && len(s) <= max
	for i := 0; ascii && i < len(s); i++ {
		ascii = s[i] >= 0x20 && s[i] < 0x7f
	}
	if ascii {
		return nil // the common case, without decoding runes
	}
	if s == "" || len(s) > max || !utf8.ValidString(s) {
		return fmt.Errorf("pool: %s %q: want 1-%d bytes of UTF-8: %w", what, s, max, ErrInvalid)
	}
	for _, r := range s {
		if unicode.IsControl(r) {
			return fmt.Errorf("pool: %s %q: control character %q not allowed: %w", what, s, r, ErrInvalid)
		}
	}
	return nil
}

// checkRequests validates the shape of a claim's requests (not against
// pools) and returns, for each request, the index of the root of its SameAs
// group (itself when it has none), in root's array if it is long enough.
func checkRequests(root []int, owner string, reqs []Request) ([]int, error) {
	if err := checkText("owner", owner, 256); err != nil {
		return nil, err
	}
	if len(reqs) == 0 {
		return nil, fmt.Errorf("pool: claim %q: no requests: %w", owner, ErrInvalid)
	}
	root = grow(root, len(reqs))
	index := func(name string, before int) int { // claims are short: a scan beats a map
		for j := range before {
			if reqs[j].Name == name {
				return j
			}
		}
		return -1
	}
	for i, r := range reqs {
		bad := func(format string, args ...any) ([]int, error) {
			return nil, fmt.Errorf("pool: claim %q: request %d (%q): %s: %w", owner, i, r.Name, fmt.Sprintf(format, args...), ErrInvalid)
		}
		if err := checkText("request name", r.Name, 64); err != nil {
			return bad("%v", strings.TrimPrefix(err.Error(), "pool: "))
		}
		if index(r.Name, i) >= 0 {
			return bad("name used twice")
		}
		if err := checkPoolName(r.Pool); err != nil {
			return bad("%v", strings.TrimPrefix(err.Error(), "pool: "))
		}
		if r.Scope != "" {
			if err := checkText("scope", r.Scope, 256); err != nil {
				return bad("%v", strings.TrimPrefix(err.Error(), "pool: "))
			}
		}
		if r.Length < 0 {
			return bad("negative length %d", r.Length)
		}
		root[i] = i
		if r.SameAs != "" {
			j := index(r.SameAs, i)
			if j < 0 {
				return bad("sameAs %q names no earlier request", r.SameAs)
			}
			if r.Value != "" && reqs[root[j]].Value != "" && r.Value != reqs[root[j]].Value {
				return bad("value %s differs from %q's value %s it must equal", r.Value, r.SameAs, reqs[root[j]].Value)
			}
			root[i] = root[j]
		}
	}
	return root, nil
}

// quoteList renders up to max strings for an error message.
func quoteList(items []string, max int) string {
	var b strings.Builder
	for i, s := range items {
		if i == max {
			b.WriteString(" and " + strconv.Itoa(len(items)-max) + " more")
			break
		}
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(s)
	}
	return b.String()
}
