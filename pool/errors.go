package pool

import (
	"errors"
	"strconv"
	"strings"
)

// Sentinel errors. Every error the package returns wraps one of them (or a
// context or store error); test with [errors.Is].
var (
	// ErrInvalid: a pool spec, request or owner key is malformed.
	ErrInvalid = errors.New("invalid")
	// ErrUnknownPool: no pool has that name.
	ErrUnknownPool = errors.New("unknown pool")
	// ErrPoolExists: a different pool with that name already exists.
	ErrPoolExists = errors.New("pool exists")
	// ErrPoolInUse: the change would lose values that owners hold.
	ErrPoolInUse = errors.New("pool in use")
	// ErrExhausted: no free value is left where the request needs one.
	ErrExhausted = errors.New("exhausted")
	// ErrOutOfRange: a requested value is not inside the pool's ranges, or
	// is excluded.
	ErrOutOfRange = errors.New("out of range")
	// ErrTaken: a requested value is held by another owner (an owner
	// conflict).
	ErrTaken = errors.New("taken by another owner")
	// ErrMismatch: the owner already holds a claim, and it does not match
	// the requests now made for that owner.
	ErrMismatch = errors.New("owner holds a different claim")
	// ErrNoClaim: the owner holds no claim.
	ErrNoClaim = errors.New("no claim")
	// ErrContention: the claim kept conflicting with concurrent writers and
	// was given up after repeated attempts; nothing was claimed and the
	// call may be retried.
	ErrContention = errors.New("too much contention")
)

// Error describes a failed pool operation. It wraps one of the package's
// sentinels (or an underlying store or context error) as Err.
type Error struct {
	Op     string // "claim", "release", "create", "update", "delete", "usage", …
	Owner  string // the owner key, when the operation concerns one
	Pool   string // the pool involved, if any
	Scope  string // the scope within the pool, if any
	Value  string // the value involved, in its text form, if any
	Holder string // with ErrTaken: the owner holding Value
	Detail string // more words for a person, if any
	Err    error
}

// Error formats the error as "pool: <op> <owner>: pool <name> …: <cause>".
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("pool: ")
	b.WriteString(e.Op)
	if e.Owner != "" {
		b.WriteString(" ")
		b.WriteString(strconv.Quote(e.Owner))
	}
	if e.Pool != "" {
		b.WriteString(": pool ")
		b.WriteString(strconv.Quote(e.Pool))
	}
	if e.Scope != "" {
		b.WriteString(" scope ")
		b.WriteString(strconv.Quote(e.Scope))
	}
	if e.Value != "" {
		b.WriteString(" value ")
		b.WriteString(e.Value)
	}
	b.WriteString(": ")
	b.WriteString(e.Err.Error())
	if e.Holder != "" {
		b.WriteString(" ")
		b.WriteString(strconv.Quote(e.Holder))
	}
	if e.Detail != "" {
		b.WriteString(": ")
		b.WriteString(e.Detail)
	}
	return b.String()
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }
