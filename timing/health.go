package timing

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/carrierkit/carrierkit/device"
)

// Getter is what discovery and monitoring need of a device session: run
// an operational RPC. [device.Session] satisfies it.
type Getter interface {
	Get(ctx context.Context, q device.Query) ([]byte, error)
}

// The operational RPCs health uses.
const (
	rpcSoftware  = "<get-software-information/>"
	rpcPTPClock  = "<get-ptp-clock/>"
	rpcPTPLock   = "<get-ptp-lock-status/>"
	rpcClockSync = "<get-clock-synchronization/>"
)

// Capability is what [Discover] learnt about one device.
type Capability struct {
	Device string
	Model  string // product-model from get-software-information
	// Platform: the model is an ACX, MX or PTX, which this package
	// renders timing for.
	Platform bool
	// PTP: the device answered get-ptp-clock (PTP is configured and
	// running); false with a nil Err when it said the subsystem is not
	// running.
	PTP bool
	Err error // the device could not be asked
}

// Capable reports whether the device can join a timing domain.
func (c Capability) Capable() bool { return c.Err == nil && c.Platform }

// Discover asks every device (in name order) for its model and whether
// PTP answers. A device that cannot be reached has Err set; Discover
// itself fails only when ctx ends.
func Discover(ctx context.Context, sessions map[string]Getter) ([]Capability, error) {
	var out []Capability
	for _, name := range sortedKeys(sessions) {
		if err := ctx.Err(); err != nil {
			return out, err
		}
		s := sessions[name]
		c := Capability{Device: name}
		b, err := s.Get(ctx, device.RPCQuery(rpcSoftware))
		if err != nil {
			c.Err = err
			out = append(out, c)
			continue
		}
		c.Model = leaves(b)["product-model"]
		m := strings.ToLower(c.Model)
		c.Platform = strings.HasPrefix(m, "acx") || strings.HasPrefix(m, "mx") || strings.HasPrefix(m, "ptx")
		if _, err := s.Get(ctx, device.RPCQuery(rpcPTPClock)); err == nil {
			c.PTP = true
		} else if !isRejected(err) {
			c.Err = err
		}
		out = append(out, c)
	}
	return out, nil
}

func isRejected(err error) bool {
	var r *device.RejectedError
	return errors.As(err, &r)
}

// Lock is a clock's lock state. The zero Lock is unknown.
type Lock uint8

// Lock states.
const (
	LockUnknown Lock = iota
	LockOff          // PTP not running on the device
	FreeRun          // never locked, or no reference
	Acquiring
	Locked   // phase aligned (PTP) or frequency locked
	Holdover // lost its reference after being locked
)

var lockNames = [...]string{"unknown", "off", "free-run", "acquiring", "locked", "holdover"}

// String returns the state's lower-case name.
func (l Lock) String() string {
	if int(l) < len(lockNames) {
		return lockNames[l]
	}
	return "lock(" + strconv.Itoa(int(l)) + ")"
}

// ParseLock maps Junos lock-state text ("PHASE ALIGNED", "FREQ LOCKED",
// "HOLDOVER", "FREERUN", "ACQUIRING", SyncE's "locked", "free-run",
// "holdover") to a Lock; unknown text gives LockUnknown.
func ParseLock(s string) Lock {
	u := strings.ToUpper(strings.TrimSpace(s))
	switch {
	case strings.Contains(u, "HOLDOVER"):
		return Holdover
	case strings.Contains(u, "ALIGNED"), strings.Contains(u, "LOCKED"):
		return Locked
	case strings.Contains(u, "FREERUN"), strings.Contains(u, "FREE-RUN"), strings.Contains(u, "FREE RUN"):
		return FreeRun
	case strings.Contains(u, "ACQUIR"):
		return Acquiring
	}
	return LockUnknown
}

// DeviceHealth is one device's clock as the device reports it.
type DeviceHealth struct {
	Device       string
	Role         string // get-ptp-clock's ptp-clock-role, when given
	PTP          Lock
	PTPText      string // the lock state as the device wrote it
	ClockClass   int    // 6 locked/GM, 7 holdover, 248 free-run; 0 unknown
	StepsRemoved int
	ParentID     string
	GMID         string
	// Offset is the phase offset from get-ptp-lock-status, when the
	// device gave one (HasOffset).
	Offset    time.Duration
	HasOffset bool
	SlavePort string
	SyncE     Lock   // LockUnknown when SyncE is not answered
	SyncESrc  string // selected SyncE source interface
	Err       error  // the device could not be asked
}

// Holdover reports whether PTP or SyncE is in holdover.
func (h DeviceHealth) Holdover() bool { return h.PTP == Holdover || h.SyncE == Holdover }

// Report is a health snapshot of several devices, in name order.
type Report struct {
	At      time.Time
	Devices []DeviceHealth
}

// Device returns the named device's health.
func (r Report) Device(name string) (DeviceHealth, bool) {
	for _, d := range r.Devices {
		if d.Device == name {
			return d, true
		}
	}
	return DeviceHealth{}, false
}

// InState returns the devices whose PTP lock is l, in name order.
func (r Report) InState(l Lock) []string {
	var out []string
	for _, d := range r.Devices {
		if d.PTP == l {
			out = append(out, d.Device)
		}
	}
	return out
}

// String returns one line per device: name, PTP state, clock class,
// steps removed, SyncE state.
func (r Report) String() string {
	var b strings.Builder
	for _, d := range r.Devices {
		if d.Err != nil {
			fmt.Fprintf(&b, "%s: error: %v\n", d.Device, d.Err)
			continue
		}
		fmt.Fprintf(&b, "%s: ptp %s class %d steps %d synce %s\n", d.Device, d.PTP, d.ClockClass, d.StepsRemoved, d.SyncE)
	}
	return b.String()
}

// Poll asks one device for its PTP clock, lock status and clock
// synchronization and parses the XML. A device without PTP gets
// PTP=[LockOff]; a device that cannot be asked gets Err.
func Poll(ctx context.Context, name string, s Getter) DeviceHealth {
	h := DeviceHealth{Device: name}
	b, err := s.Get(ctx, device.RPCQuery(rpcPTPClock))
	switch {
	case err != nil && isRejected(err):
		h.PTP = LockOff
	case err != nil:
		h.Err = err
		return h
	default:
		v := leaves(b)
		h.Role = v["ptp-clock-role"]
		h.ClockClass, _ = strconv.Atoi(v["ptp-clock-class"])
		h.StepsRemoved, _ = strconv.Atoi(v["ptp-clock-steps-removed"])
		h.ParentID, h.GMID = v["ptp-clock-parent-id"], v["ptp-gmc-id"]
		h.PTPText = v["ptp-lock-state"]
		if b, err := s.Get(ctx, device.RPCQuery(rpcPTPLock)); err == nil {
			v := leaves(b)
			if t := v["ptp-spll-lock-state"]; t != "" {
				h.PTPText = t
			}
			h.SlavePort = v["ptp-slave-interface"]
			if off, ok := parseOffset(v["ptp-spll-phase-offset"]); ok {
				h.Offset, h.HasOffset = off, true
			}
		} else if !isRejected(err) {
			h.Err = err
			return h
		}
		h.PTP = ParseLock(h.PTPText)
		if h.PTP == LockUnknown && h.ClockClass != 0 {
			h.PTP = lockFromClass(h.ClockClass)
		}
	}
	if b, err := s.Get(ctx, device.RPCQuery(rpcClockSync)); err == nil {
		v := leaves(b)
		h.SyncE = ParseLock(v["clock-status"])
		h.SyncESrc = v["source-interface-name"]
	} else if !isRejected(err) {
		h.Err = err
	}
	return h
}

// lockFromClass reads the state from a G.8275.1 clock class.
func lockFromClass(c int) Lock {
	switch {
	case c == 6:
		return Locked
	case c == 7 || (c >= 135 && c <= 165):
		return Holdover
	case c == 248 || c == 255:
		return FreeRun
	}
	return LockUnknown
}

// parseOffset reads "0.000000012 sec", "-12 ns" or a bare number of
// seconds.
func parseOffset(s string) (time.Duration, bool) {
	f := strings.Fields(s)
	if len(f) == 0 {
		return 0, false
	}
	v, err := strconv.ParseFloat(f[0], 64)
	if err != nil {
		return 0, false
	}
	unit := float64(time.Second)
	if len(f) > 1 {
		switch strings.ToLower(f[1]) {
		case "ns", "nsec":
			unit = 1
		case "us", "usec":
			unit = float64(time.Microsecond)
		case "ms", "msec":
			unit = float64(time.Millisecond)
		}
	}
	return time.Duration(v * unit), true
}

// AlertKind says what changed.
type AlertKind uint8

// Alert kinds.
const (
	LostLock AlertKind = iota + 1 // was locked, now is not (holdover, free-run, unreachable)
	Regained                      // was not locked, now is
)

// String returns "lost-lock" or "regained".
func (k AlertKind) String() string {
	if k == Regained {
		return "regained"
	}
	return "lost-lock"
}

// Alert is a change of a device's PTP lock between two polls.
type Alert struct {
	Device   string
	Kind     AlertKind
	From, To Lock
	At       time.Time
}

// Option configures a [Monitor].
type Option func(*options)

type options struct {
	alert func(Alert)
	now   func() time.Time
}

// WithAlert sets the function called (in the polling goroutine, in
// device name order) for each lock change.
func WithAlert(f func(Alert)) Option { return func(o *options) { o.alert = f } }

// WithNow sets the clock that stamps reports and alerts (default
// time.Now).
func WithNow(f func() time.Time) Option { return func(o *options) { o.now = f } }

// Monitor polls devices and remembers each one's last PTP lock, raising
// an [Alert] when it changes to or from [Locked]. It starts no goroutine:
// the caller calls [Monitor.Check] as often as it likes. A Monitor is
// safe for concurrent use; concurrent Checks are serialized.
type Monitor struct {
	o    options
	mu   sync.Mutex
	last map[string]Lock
}

// NewMonitor returns a Monitor that has seen nothing yet.
func NewMonitor(opts ...Option) *Monitor {
	m := &Monitor{o: options{now: time.Now}, last: map[string]Lock{}}
	for _, o := range opts {
		o(&m.o)
	}
	return m
}

// Check polls every device (in name order) and returns the report,
// firing alerts for lock changes since the previous Check; the first
// Check that sees a device only records its state. A device that
// cannot be asked counts as [LockUnknown] (a locked device that stops
// answering raises LostLock). Check fails only when ctx ends.
func (m *Monitor) Check(ctx context.Context, sessions map[string]Getter) (Report, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	r := Report{At: m.o.now()}
	for _, name := range sortedKeys(sessions) {
		if err := ctx.Err(); err != nil {
			return r, err
		}
		h := Poll(ctx, name, sessions[name])
		r.Devices = append(r.Devices, h)
		prev, seen := m.last[name]
		m.last[name] = h.PTP
		if !seen || m.o.alert == nil {
			continue
		}
		switch {
		case prev == Locked && h.PTP != Locked:
			m.o.alert(Alert{Device: name, Kind: LostLock, From: prev, To: h.PTP, At: r.At})
		case prev != Locked && h.PTP == Locked:
			m.o.alert(Alert{Device: name, Kind: Regained, From: prev, To: h.PTP, At: r.At})
		}
	}
	return r, nil
}

func sortedKeys[V any](m map[string]V) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}

// leaves returns the text of each element that holds only text, by local
// name, first occurrence winning. Replies that are not XML give an empty
// map.
func leaves(b []byte) map[string]string {
	out := map[string]string{}
	dec := xml.NewDecoder(bytes.NewReader(b))
	var stack []string
	var text strings.Builder
	leaf := false
	for {
		tok, err := dec.Token()
		if err == io.EOF || err != nil {
			return out
		}
		switch t := tok.(type) {
		case xml.StartElement:
			stack = append(stack, t.Name.Local)
			text.Reset()
			leaf = true
		case xml.CharData:
			text.Write(t)
		case xml.EndElement:
			if len(stack) == 0 {
				return out
			}
			name := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			if leaf {
				if _, ok := out[name]; !ok {
					out[name] = strings.TrimSpace(text.String())
				}
			}
			leaf = false
		}
	}
}
