package provision

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/carrierkit/carrierkit/design"
	"github.com/carrierkit/carrierkit/pool"
	"github.com/carrierkit/carrierkit/store"
)

// State is where an order is in its lifecycle. The zero State is invalid.
type State string

// The lifecycle states. See [CanTransition] for the allowed moves.
const (
	Requested       State = "requested"       // stored, not yet checked
	Validated       State = "validated"       // checked against the catalog and inventory
	Invalid         State = "invalid"         // refused by validation (final until resubmitted)
	Deploying       State = "deploying"       // a change is being pushed (deploy, modify, migrate)
	Deployed        State = "deployed"        // active on every device
	Verified        State = "verified"        // active, and read back from every device
	Failed          State = "failed"          // a push failed and could not be undone everywhere
	RolledBack      State = "rolled-back"     // a push failed and every device is as before
	Decommissioning State = "decommissioning" // the removal is being pushed
	Decommissioned  State = "decommissioned"  // removed from every device, resources released
)

// transitions lists the allowed moves. A modify or migrate of a deployed
// service moves deployed/verified → deploying → deployed, or back to the
// state it came from (via rolled-back) when it fails.
var transitions = map[State][]State{
	Requested:       {Validated, Invalid},
	Invalid:         {Requested},
	Validated:       {Deploying, Requested},
	Deploying:       {Deployed, Failed, RolledBack},
	Deployed:        {Verified, Deploying, Decommissioning, Failed},
	Verified:        {Deployed, Deploying, Decommissioning, Failed},
	RolledBack:      {Deploying, Deployed, Verified, Validated, Requested, Decommissioned, Decommissioning},
	Failed:          {Deploying, Decommissioning, RolledBack, Requested},
	Decommissioning: {Decommissioned, Failed, RolledBack},
	Decommissioned:  {Requested},
}

// CanTransition reports whether an order may move from state from to state to.
func CanTransition(from, to State) bool {
	for _, s := range transitions[from] {
		if s == to {
			return true
		}
	}
	return false
}

// AuditEntry is one line of an order's audit trail.
type AuditEntry struct {
	At     time.Time `json:"at"`
	Who    string    `json:"who"`
	Action string    `json:"action"` // "submit", "deploy", "modify", "decommission", "recover", "verify"
	From   State     `json:"from"`
	To     State     `json:"to"`
	Result string    `json:"result"` // "ok" or the error text
}

// Operation is a push in flight, kept in the Record so that [Orchestrator.Recover]
// can finish it after the orchestrating process died.
type Operation struct {
	// ID is unique per push; it is written into every commit comment
	// ("carrierkit <ID> confirmed", "carrierkit <ID> confirm").
	ID string `json:"id"`
	// Kind is "deploy", "modify" or "decommission".
	Kind string `json:"kind"`
	// From is the state the order returns to when the push is undone.
	From State `json:"from"`
	// Phase is the last phase started: "prepare" (lock, load, check),
	// "commit" (confirmed commits being sent) or "confirm" (confirms being
	// sent).
	Phase string `json:"phase"`
	// Deadline is when the confirmed commits roll back by themselves.
	Deadline time.Time `json:"deadline,omitzero"`
	// Devices are the devices the push changes, sorted.
	Devices []string `json:"devices"`
	// Before holds, per device, the SHA-256 of its committed configuration
	// (text) read under the lock before anything changed; set from phase
	// "commit" on. A revert is done when the device shows it again.
	Before map[string]string `json:"before,omitempty"`
	// Target is the intent being pushed; nil for a decommission.
	Target *design.Service `json:"target,omitempty"`
	// NewClaim is set when the push created the order's claim, which is
	// released if the push is undone.
	NewClaim bool `json:"newClaim,omitempty"`
	// OldClaim is the claim the order held before a modify released it to
	// claim a different one; it is restored if the push is undone.
	OldClaim []ClaimItem `json:"oldClaim,omitempty"`
}

// ClaimItem is one value of a claim in text form, as kept in a Record.
type ClaimItem struct {
	Name  string `json:"name"`
	Pool  string `json:"pool"`
	Scope string `json:"scope,omitempty"`
	Value string `json:"value"`
}

func claimItems(c pool.Claim) []ClaimItem {
	out := make([]ClaimItem, len(c.Items))
	for i, it := range c.Items {
		out[i] = ClaimItem{Name: it.Name, Pool: it.Pool, Scope: it.Scope, Value: it.Value.String()}
	}
	return out
}

func claimRequests(items []ClaimItem) []pool.Request {
	out := make([]pool.Request, len(items))
	for i, it := range items {
		out[i] = pool.Request{Name: it.Name, Pool: it.Pool, Scope: it.Scope, Value: it.Value}
	}
	return out
}

// Record is an order as the store keeps it (JSON under "provision/orders/<name>").
type Record struct {
	// Name is the service name: the order's name, or "<order>-<site>" for
	// a mobile backhaul cell site. It is the pool owner of the claim.
	Name  string `json:"name"`
	State State  `json:"state"`
	// Order is what was ordered last (for a cell site: the order narrowed
	// to that site).
	Order design.Order `json:"order"`
	// Active is the intent active on the devices (deployed, verified, or
	// after an undone modify); nil when nothing is deployed.
	Active *design.Service `json:"active,omitempty"`
	// Op is the push in flight (state deploying or decommissioning).
	Op *Operation `json:"op,omitempty"`
	// Error is the last failure, "" after a success.
	Error string       `json:"error,omitempty"`
	Audit []AuditEntry `json:"audit"`
	// Seq counts pushes, for operation IDs.
	Seq int `json:"seq"`
	// Revision is the store revision the record was read at (not stored).
	Revision int64 `json:"-"`
}

// Sentinel errors of the package; errors wrap them, test with errors.Is.
var (
	// ErrNotFound: no order of that name.
	ErrNotFound = errors.New("order not found")
	// ErrExists: an order of that name is already stored.
	ErrExists = errors.New("order exists")
	// ErrState: the order is not in a state that allows the operation.
	ErrState = errors.New("operation not allowed in this state")
	// ErrConflict: another orchestrator moved the order meanwhile.
	ErrConflict = errors.New("order changed concurrently")
	// ErrDeploy: a push failed; the order was rolled back (or, if that
	// failed too, marked failed). A *DeployError carries the details.
	ErrDeploy = errors.New("deploy failed")
)

const keyPrefix = "provision/orders/"

func orderKey(name string) string { return keyPrefix + name }

// load reads one record.
func (o *Orchestrator) load(ctx context.Context, name string) (Record, error) {
	it, err := o.st.Get(ctx, orderKey(name))
	if errors.Is(err, store.ErrNotFound) {
		return Record{}, fmt.Errorf("provision: order %q: %w", name, ErrNotFound)
	}
	if err != nil {
		return Record{}, fmt.Errorf("provision: read order %q: %w", name, err)
	}
	var r Record
	if err := json.Unmarshal(it.Value, &r); err != nil {
		return Record{}, fmt.Errorf("provision: decode order %q: %w", name, err)
	}
	r.Revision = it.Revision
	return r, nil
}

// save writes r on condition that it is unchanged since it was read
// (r.Revision; 0 means it must not exist) and updates r.Revision.
func (o *Orchestrator) save(ctx context.Context, r *Record) error {
	b, err := json.Marshal(r)
	if err != nil {
		return fmt.Errorf("provision: encode order %q: %w", r.Name, err)
	}
	cond := store.Absent(orderKey(r.Name))
	if r.Revision > 0 {
		cond = store.Unchanged(orderKey(r.Name), r.Revision)
	}
	rev, err := o.st.Txn(ctx, []store.Cond{cond}, []store.Op{store.Put(orderKey(r.Name), b)})
	if errors.Is(err, store.ErrConflict) {
		if r.Revision == 0 {
			return fmt.Errorf("provision: order %q: %w", r.Name, ErrExists)
		}
		return fmt.Errorf("provision: order %q: %w", r.Name, ErrConflict)
	}
	if err != nil {
		return fmt.Errorf("provision: write order %q: %w", r.Name, err)
	}
	r.Revision = rev
	return nil
}

// move changes r's state (checking the transition), appends an audit entry
// and saves r with compare-and-put.
func (o *Orchestrator) move(ctx context.Context, r *Record, who, action string, to State, result error) error {
	if r.State != "" && !CanTransition(r.State, to) {
		return fmt.Errorf("provision: order %q: %s: %s → %s: %w", r.Name, action, r.State, to, ErrState)
	}
	res := "ok"
	if result != nil {
		res = result.Error()
		r.Error = res
	} else {
		r.Error = ""
	}
	r.Audit = append(r.Audit, AuditEntry{At: o.now().UTC(), Who: who, Action: action, From: r.State, To: to, Result: res})
	r.State = to
	return o.save(ctx, r)
}
