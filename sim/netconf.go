package sim

import (
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/carrierkit/carrierkit/sim/junosconf"
)

const (
	nsBase    = "urn:ietf:params:xml:ns:netconf:base:1.0"
	capBase10 = "urn:ietf:params:netconf:base:1.0"
	capBase11 = "urn:ietf:params:netconf:base:1.1"
	nsXNM     = "http://xml.juniper.net/xnm/1.1/xnm"
)

// serverCapabilities is Junos' hello capability list plus base:1.1, so
// clients that support chunked framing get it.
var serverCapabilities = []string{
	capBase10,
	capBase11,
	"urn:ietf:params:netconf:capability:candidate:1.0",
	"urn:ietf:params:netconf:capability:confirmed-commit:1.0",
	"urn:ietf:params:netconf:capability:validate:1.0",
	"urn:ietf:params:netconf:capability:url:1.0?scheme=http,ftp,file",
	"urn:ietf:params:xml:ns:netconf:base:1.0",
	"urn:ietf:params:xml:ns:netconf:capability:candidate:1.0",
	"urn:ietf:params:xml:ns:netconf:capability:confirmed-commit:1.0",
	"urn:ietf:params:xml:ns:netconf:capability:validate:1.0",
	"urn:ietf:params:xml:ns:netconf:capability:url:1.0?protocol=http,ftp,file",
	"urn:ietf:params:xml:ns:yang:ietf-netconf-monitoring",
	"http://xml.juniper.net/netconf/junos/1.0",
	"http://xml.juniper.net/dmi/system/1.0",
}

// netconfSession is the NETCONF protocol state of one SSH channel.
type netconfSession struct {
	d       *Device
	s       *session
	r       *frameReader
	w       *frameWriter
	closing bool
}

func newNetconfSession(d *Device, s *session, ch io.ReadWriter) *netconfSession {
	return &netconfSession{d: d, s: s, r: newFrameReader(ch), w: &frameWriter{w: ch}}
}

// hello returns the server hello message.
func (n *netconfSession) hello() []byte {
	var b strings.Builder
	b.WriteString(`<!-- No zombies were killed during the creation of this user interface -->` + "\n")
	b.WriteString(`<!-- user ` + escText(n.s.user) + `, class j-super-user -->` + "\n")
	b.WriteString(`<hello xmlns="` + nsBase + `">` + "\n  <capabilities>\n")
	for _, c := range serverCapabilities {
		b.WriteString("    <capability>" + escText(c) + "</capability>\n")
	}
	fmt.Fprintf(&b, "  </capabilities>\n  <session-id>%d</session-id>\n</hello>\n", n.s.sid)
	return []byte(b.String())
}

// serve runs the session until the client closes it, sends close-session,
// is killed, or breaks the framing.
func (n *netconfSession) serve() error {
	if err := n.w.writeHello(n.hello()); err != nil {
		return err
	}
	msg, err := n.r.next()
	if err != nil {
		if errors.Is(err, io.EOF) {
			return nil
		}
		return err
	}
	h, err := parseXML(msg)
	if err != nil || h.name.Local != "hello" {
		return fmt.Errorf("netconf: session %d: expected a client <hello>", n.s.sid)
	}
	if h.has("session-id") {
		return fmt.Errorf("netconf: session %d: client hello carries a session-id", n.s.sid)
	}
	var v10, v11 bool
	if caps := h.child("capabilities"); caps != nil {
		for _, c := range caps.children {
			switch strings.TrimSpace(string(c.text)) {
			case capBase10:
				v10 = true
			case capBase11:
				v11 = true
			}
		}
	}
	if !v10 && !v11 {
		return fmt.Errorf("netconf: session %d: no common base capability", n.s.sid)
	}
	if v11 {
		n.r.chunked, n.w.chunked = true, true
	}
	for !n.closing {
		msg, err := n.r.next()
		if err != nil {
			if errors.Is(err, io.EOF) {
				return nil
			}
			if errors.Is(err, errFraming) {
				// Framing is lost: tell the client once, then close.
				n.w.write(n.errorReply(nil, []rpcErr{{Type: "rpc", Tag: "malformed-message", Message: err.Error()}}))
			}
			return err
		}
		if err := n.w.write(n.handle(msg)); err != nil {
			return err
		}
	}
	return nil
}

// rpcErr is one <rpc-error>.
type rpcErr struct {
	Type, Tag, Severity, Path, Message, BadElement string
	Info                                           string // extra raw XML inside error-info
}

func (e rpcErr) write(w *xw) {
	if e.Type == "" {
		e.Type = "protocol"
	}
	if e.Tag == "" {
		e.Tag = "operation-failed"
	}
	if e.Severity == "" {
		e.Severity = "error"
	}
	w.open("rpc-error")
	w.leaf("error-type", e.Type).leaf("error-tag", e.Tag).leaf("error-severity", e.Severity)
	if e.Path != "" {
		w.leaf("error-path", e.Path)
	}
	w.leaf("error-message", "\n"+e.Message+"\n")
	if e.BadElement != "" || e.Info != "" {
		w.open("error-info")
		if e.BadElement != "" {
			w.leaf("bad-element", e.BadElement)
		}
		if e.Info != "" {
			w.raw([]byte(e.Info))
		}
		w.close("error-info")
	}
	w.close("rpc-error")
}

// errsFrom turns an error from the datastore or junosconf into rpc-errors.
func errsFrom(err error) []rpcErr {
	var jerrs junosconf.Errors
	if errors.As(err, &jerrs) {
		out := make([]rpcErr, 0, len(jerrs))
		for _, e := range jerrs {
			out = append(out, rpcErr{Severity: e.Severity, Path: e.Path, Message: e.Message, BadElement: e.Element})
		}
		return out
	}
	var jerr *junosconf.Error
	if errors.As(err, &jerr) {
		return []rpcErr{{Severity: jerr.Severity, Path: jerr.Path, Message: jerr.Message, BadElement: jerr.Element}}
	}
	var de *dbError
	if errors.As(err, &de) {
		return []rpcErr{{Tag: de.Tag, Message: de.Msg}}
	}
	var ce *commandError
	if errors.As(err, &ce) {
		return []rpcErr{{Message: ce.Error(), BadElement: ce.Token}}
	}
	return []rpcErr{{Type: "application", Message: err.Error()}}
}

// header writes the <rpc-reply> start tag, echoing the rpc's attributes.
func (n *netconfSession) header(w *xw, rpc *xnode) {
	w.b.WriteString(`<rpc-reply xmlns="` + nsBase + `" xmlns:junos="http://xml.juniper.net/junos/` + n.d.plat.Version + `/junos"`)
	if rpc != nil {
		for _, a := range rpc.attrs {
			if a.Name.Space != "" || a.Name.Local == "xmlns" {
				continue // namespace declarations and prefixed attributes
			}
			fmt.Fprintf(&w.b, ` %s="%s"`, a.Name.Local, escAttr(a.Value))
		}
	}
	w.b.WriteString(">\n")
}

func (n *netconfSession) errorReply(rpc *xnode, errs []rpcErr) []byte {
	var w xw
	n.header(&w, rpc)
	for _, e := range errs {
		e.write(&w)
	}
	w.close("rpc-reply")
	return w.bytes()
}

// handle answers one message. It never panics on client input: a panic in
// an operation is turned into an rpc-error.
func (n *netconfSession) handle(msg []byte) (reply []byte) {
	root, err := parseXML(msg)
	if err != nil {
		return n.errorReply(nil, []rpcErr{{Type: "rpc", Tag: "malformed-message", Message: "XML parse error: " + err.Error()}})
	}
	if root.name.Local != "rpc" {
		return n.errorReply(nil, []rpcErr{{Type: "rpc", Tag: "unknown-element", Message: "syntax error, expecting <rpc>", BadElement: root.name.Local}})
	}
	if _, ok := root.attr("message-id"); !ok {
		return n.errorReply(root, []rpcErr{{Type: "rpc", Tag: "missing-attribute", Message: "missing attribute: message-id", BadElement: "rpc",
			Info: "<bad-attribute>message-id</bad-attribute>"}})
	}
	if len(root.children) == 0 {
		return n.errorReply(root, []rpcErr{{Type: "rpc", Tag: "missing-element", Message: "syntax error, expecting an operation", BadElement: "rpc"}})
	}
	op := root.children[0]
	defer func() {
		if p := recover(); p != nil {
			reply = n.errorReply(root, []rpcErr{{Type: "application", Message: fmt.Sprintf("internal error in %s: %v", op.name.Local, p)}})
		}
	}()
	var w xw
	n.header(&w, root)
	if errs := n.dispatch(&w, op, msg); len(errs) > 0 {
		return n.errorReply(root, errs)
	}
	w.close("rpc-reply")
	return w.bytes()
}

// dispatch writes the reply payload for op into w, or returns rpc-errors
// for a reply that carries only errors.
func (n *netconfSession) dispatch(w *xw, op *xnode, msg []byte) []rpcErr {
	s := n.s
	switch op.name.Local {
	case "close-session":
		n.closing = true
		w.empty("ok")
	case "kill-session":
		id, err := strconv.Atoi(op.textOf("session-id"))
		if err != nil {
			return []rpcErr{{Tag: "missing-element", Message: "kill-session: missing or bad <session-id>", BadElement: "session-id"}}
		}
		if err := s.kill(id); err != nil {
			return errsFrom(err)
		}
		w.empty("ok")
	case "lock", "unlock":
		if t := targetName(op.child("target")); t != "candidate" {
			return []rpcErr{{Tag: "invalid-value", Message: fmt.Sprintf("%s: only the candidate datastore can be locked, not %q", op.name.Local, t), BadElement: t}}
		}
		f := s.lock
		if op.name.Local == "unlock" {
			f = s.unlock
		}
		if err := f(); err != nil {
			return errsFrom(err)
		}
		w.empty("ok")
	case "lock-configuration":
		if err := s.lock(); err != nil {
			return errsFrom(err)
		}
		w.empty("ok")
	case "unlock-configuration":
		if err := s.unlock(); err != nil {
			return errsFrom(err)
		}
		w.empty("ok")
	case "open-configuration":
		if !op.has("private") {
			return []rpcErr{{Tag: "operation-not-supported", Message: "open-configuration: only <private/> is supported", BadElement: "open-configuration"}}
		}
		if err := s.openPrivate(); err != nil {
			return errsFrom(err)
		}
		w.empty("ok")
	case "close-configuration":
		s.closePrivate()
		w.empty("ok")
	case "discard-changes":
		if err := s.discardErr(); err != nil {
			return errsFrom(err)
		}
		w.empty("ok")
	case "load-configuration":
		n.loadConfiguration(w, op, msg)
	case "commit-configuration":
		n.commitConfiguration(w, op)
	case "commit":
		o := commitOptions{Confirmed: op.has("confirmed"), ConfirmTimeout: 600 * time.Second,
			Persist: op.textOf("persist"), PersistID: op.textOf("persist-id")}
		if t := op.textOf("confirm-timeout"); t != "" {
			sec, err := strconv.Atoi(t)
			if err != nil || sec <= 0 {
				return []rpcErr{{Tag: "invalid-value", Message: fmt.Sprintf("invalid confirm-timeout %q (seconds)", t), BadElement: "confirm-timeout"}}
			}
			o.ConfirmTimeout = time.Duration(sec) * time.Second
		}
		if _, err := s.commit(o); err != nil {
			return errsFrom(err)
		}
		w.empty("ok")
	case "cancel-commit":
		if err := s.cancelCommit(op.textOf("persist-id")); err != nil {
			return errsFrom(err)
		}
		w.empty("ok")
	case "validate":
		if t := targetName(op.child("source")); t != "candidate" && t != "running" {
			return []rpcErr{{Tag: "invalid-value", Message: fmt.Sprintf("validate: unsupported source %q", t), BadElement: t}}
		}
		if _, err := s.commit(commitOptions{Check: true}); err != nil {
			return errsFrom(err)
		}
		w.empty("ok")
	case "get-config", "get":
		return n.getConfig(w, op, msg)
	case "edit-config":
		return n.editConfig(op, msg, w)
	case "copy-config":
		return n.copyConfig(op, msg, w)
	case "get-configuration":
		return n.getConfiguration(w, op, msg)
	case "command":
		return n.command(w, op)
	default:
		req, ok := opRequestFromXML(op)
		if !ok {
			return []rpcErr{{Message: "syntax error", BadElement: op.name.Local}}
		}
		rep, err := n.d.opRPC(n.d.ctx, s, req)
		if err != nil {
			return errsFrom(err)
		}
		w.raw(rep.XML())
	}
	return nil
}

// targetName returns the local name of the datastore element inside a
// <target>/<source> element ("candidate", "running", …).
func targetName(n *xnode) string {
	if n == nil || len(n.children) == 0 {
		return ""
	}
	return n.children[0].name.Local
}

func (n *netconfSession) loadConfiguration(w *xw, op *xnode, msg []byte) {
	s := n.s
	action, _ := op.attr("action")
	format, _ := op.attr("format")
	fail := func(errs []rpcErr) {
		w.open("load-configuration-results")
		count := 0
		for _, e := range errs {
			e.write(w)
			if e.Severity != "warning" {
				count++
			}
		}
		w.leaf("load-error-count", strconv.Itoa(count))
		w.close("load-configuration-results")
	}
	if rb, ok := op.attr("rollback"); ok {
		num, err := strconv.Atoi(rb)
		if err != nil {
			fail([]rpcErr{{Tag: "invalid-value", Message: fmt.Sprintf("invalid rollback number %q", rb), BadElement: rb}})
			return
		}
		if err := s.rollback(num); err != nil {
			fail(errsFrom(err))
			return
		}
		w.open("load-configuration-results").empty("ok").close("load-configuration-results")
		return
	}
	if _, ok := op.attr("url"); ok {
		fail([]rpcErr{{Tag: "operation-not-supported", Message: "load-configuration: url is not supported by the simulator", BadElement: "url"}})
		return
	}
	if action == "" {
		action = "merge"
	}
	if format == "" {
		format = "xml"
	}
	a, err := junosconf.ParseAction(action)
	if err != nil {
		fail([]rpcErr{{Tag: "bad-attribute", Message: fmt.Sprintf("invalid action %q", action), BadElement: "action"}})
		return
	}
	var f junosconf.Format
	var body []byte
	switch {
	case format == "xml" && action != "set":
		f = junosconf.FormatXML
		if c := op.child("configuration"); c != nil {
			body = c.raw(msg)
		}
	case format == "text" && action == "set", format == "set":
		a, f = junosconf.ActionSet, junosconf.FormatSet
		if c := op.child("configuration-set"); c != nil {
			body = c.text
		} else if c := op.child("configuration-text"); c != nil {
			body = c.text
		}
	case format == "text":
		f = junosconf.FormatText
		if c := op.child("configuration-text"); c != nil {
			body = c.text
		}
	default:
		fail([]rpcErr{{Tag: "bad-attribute", Message: fmt.Sprintf("unsupported format %q with action %q", format, action), BadElement: "format"}})
		return
	}
	if body == nil {
		fail([]rpcErr{{Tag: "missing-element", Message: "load-configuration: no configuration data for format " + format, BadElement: "load-configuration"}})
		return
	}
	if err := s.load(a, f, body); err != nil {
		fail(errsFrom(err))
		return
	}
	w.open("load-configuration-results").empty("ok").close("load-configuration-results")
}

func (n *netconfSession) commitConfiguration(w *xw, op *xnode) {
	o := commitOptions{Check: op.has("check"), Confirmed: op.has("confirmed"), Log: op.textOf("log")}
	fail := func(errs []rpcErr) {
		w.open("commit-results")
		for _, e := range errs {
			e.write(w)
		}
		w.close("commit-results")
	}
	if t := op.textOf("confirm-timeout"); t != "" {
		m, err := strconv.Atoi(t)
		if err != nil || m < 1 || m > 65535 {
			fail([]rpcErr{{Tag: "invalid-value", Message: fmt.Sprintf("invalid confirm-timeout %q (minutes, 1..65535)", t), BadElement: "confirm-timeout"}})
			return
		}
		o.ConfirmTimeout = time.Duration(m) * time.Minute
	}
	if _, err := n.s.commit(o); err != nil {
		errs := errsFrom(err)
		var jerrs junosconf.Errors
		if errors.As(err, &jerrs) {
			errs = append(errs, rpcErr{Message: "configuration check-out failed"})
		}
		fail(errs)
		return
	}
	w.open("commit-results")
	w.open("routing-engine", "junos:style", "normal").leaf("name", "re0")
	if o.Check {
		w.empty("commit-check-success")
	} else {
		w.empty("commit-success")
	}
	w.close("routing-engine").close("commit-results")
}

// configAttrs returns the junos:commit-* attributes for <configuration>.
func (n *netconfSession) configAttrs() []string {
	m := n.d.commitMeta()
	return []string{"xmlns", nsXNM,
		"junos:commit-seconds", strconv.FormatInt(m.at.Unix(), 10),
		"junos:commit-localtime", m.at.UTC().Format("2006-01-02 15:04:05 MST"),
		"junos:commit-user", m.user}
}

// withAttrs inserts attributes into the <configuration> start tag of x.
func withAttrs(x []byte, attrs []string) []byte {
	const tag = "<configuration"
	s := string(x)
	i := strings.Index(s, tag)
	if i < 0 {
		return x
	}
	var b strings.Builder
	b.WriteString(s[:i+len(tag)])
	rest := s[i+len(tag):]
	for j := 0; j+1 < len(attrs); j += 2 {
		if strings.HasPrefix(rest, " "+attrs[j]+"=") {
			continue
		}
		fmt.Fprintf(&b, ` %s="%s"`, attrs[j], escAttr(attrs[j+1]))
	}
	b.WriteString(rest)
	return []byte(b.String())
}

// filterTree applies a <configuration> subtree filter, if any.
func filterTree(t *junosconf.Tree, cfg *xnode, msg []byte) (*junosconf.Tree, error) {
	if cfg == nil || len(cfg.children) == 0 {
		return t, nil
	}
	return t.Filter(cfg.raw(msg))
}

func (n *netconfSession) getConfiguration(w *xw, op *xnode, msg []byte) []rpcErr {
	s := n.s
	db, _ := op.attr("database")
	format, _ := op.attr("format")
	if format == "" {
		format = "xml"
	}
	if c, _ := op.attr("compare"); c == "rollback" {
		num := 0
		if rb, ok := op.attr("rollback"); ok {
			v, err := strconv.Atoi(rb)
			if err != nil {
				return []rpcErr{{Tag: "invalid-value", Message: fmt.Sprintf("invalid rollback number %q", rb), BadElement: rb}}
			}
			num = v
		}
		diff, err := s.compareErr(num)
		if err != nil {
			return errsFrom(err)
		}
		w.open("configuration-information")
		w.leaf("configuration-output", "\n"+string(diff))
		w.close("configuration-information")
		return nil
	} else if c != "" {
		return []rpcErr{{Tag: "bad-attribute", Message: fmt.Sprintf("unsupported compare %q", c), BadElement: "compare"}}
	}
	var t *junosconf.Tree
	switch db {
	case "", "candidate":
		t = s.candidate()
	case "committed":
		t = s.committed()
	default:
		return []rpcErr{{Tag: "bad-attribute", Message: fmt.Sprintf("invalid database %q", db), BadElement: "database"}}
	}
	if rb, ok := op.attr("rollback"); ok {
		v, err := strconv.Atoi(rb)
		if err != nil {
			return []rpcErr{{Tag: "invalid-value", Message: fmt.Sprintf("invalid rollback number %q", rb), BadElement: rb}}
		}
		if t, err = s.rollbackConfig(v); err != nil {
			return errsFrom(err)
		}
	}
	t, err := filterTree(t, op.child("configuration"), msg)
	if err != nil {
		return errsFrom(err)
	}
	switch format {
	case "xml":
		w.raw(withAttrs(t.XML(), n.configAttrs()))
	case "text":
		w.leaf("configuration-text", "\n"+string(t.Text()))
	case "set":
		w.leaf("configuration-set", "\n"+string(t.SetLines()))
	default:
		return []rpcErr{{Tag: "bad-attribute", Message: fmt.Sprintf("unsupported format %q", format), BadElement: "format"}}
	}
	return nil
}

func (n *netconfSession) getConfig(w *xw, op *xnode, msg []byte) []rpcErr {
	s := n.s
	var t *junosconf.Tree
	if op.name.Local == "get" {
		t = s.committed()
	} else {
		switch src := targetName(op.child("source")); src {
		case "running":
			t = s.committed()
		case "candidate":
			t = s.candidate()
		default:
			return []rpcErr{{Tag: "invalid-value", Message: fmt.Sprintf("get-config: unsupported source %q", src), BadElement: src}}
		}
	}
	if f := op.child("filter"); f != nil {
		if typ, _ := f.attr("type"); typ != "" && typ != "subtree" {
			return []rpcErr{{Tag: "operation-not-supported", Message: fmt.Sprintf("filter type %q is not supported", typ), BadElement: "filter"}}
		}
		if len(f.children) > 0 {
			c := f.child("configuration")
			if c == nil {
				// Junos' data model has only <configuration> at the top.
				return []rpcErr{{Message: "syntax error", BadElement: f.children[0].name.Local}}
			}
			var err error
			if t, err = filterTree(t, c, msg); err != nil {
				return errsFrom(err)
			}
		}
	}
	w.open("data")
	w.raw(withAttrs(t.XML(), n.configAttrs()))
	w.close("data")
	return nil
}

func (n *netconfSession) editConfig(op *xnode, msg []byte, w *xw) []rpcErr {
	if t := targetName(op.child("target")); t != "candidate" {
		return []rpcErr{{Tag: "invalid-value", Message: fmt.Sprintf("edit-config: only the candidate can be edited, not %q", t), BadElement: t}}
	}
	a := junosconf.ActionMerge
	switch d := op.textOf("default-operation"); d {
	case "", "merge", "none":
		// "none" relies on operation attributes; merging an element that
		// carries only operation="delete" has the same effect.
	case "replace":
		a = junosconf.ActionOverride
	default:
		return []rpcErr{{Tag: "invalid-value", Message: fmt.Sprintf("invalid default-operation %q", d), BadElement: "default-operation"}}
	}
	var err error
	switch {
	case op.child("config") != nil:
		c := op.child("config").child("configuration")
		if c == nil {
			return []rpcErr{{Tag: "missing-element", Message: "edit-config: <config> must hold <configuration>", BadElement: "config"}}
		}
		err = n.s.load(a, junosconf.FormatXML, c.raw(msg))
	case op.child("config-text") != nil:
		c := op.child("config-text").child("configuration-text")
		if c == nil {
			return []rpcErr{{Tag: "missing-element", Message: "edit-config: <config-text> must hold <configuration-text>", BadElement: "config-text"}}
		}
		err = n.s.load(a, junosconf.FormatText, c.text)
	default:
		return []rpcErr{{Tag: "missing-element", Message: "edit-config: missing <config>", BadElement: "edit-config"}}
	}
	if err != nil {
		return errsFrom(err)
	}
	w.empty("ok")
	return nil
}

func (n *netconfSession) command(w *xw, op *xnode) []rpcErr {
	line := strings.TrimSpace(string(op.text))
	format, _ := op.attr("format")
	pipe := ""
	if i := strings.IndexByte(line, '|'); i >= 0 {
		line, pipe = strings.TrimSpace(line[:i]), strings.TrimSpace(line[i+1:])
	}
	rep, err := n.d.command(n.d.ctx, n.s, line)
	if err != nil {
		return errsFrom(err)
	}
	switch {
	case pipe == "display xml rpc":
		w.raw([]byte(rep.RPC()))
	case pipe == "display xml":
		w.raw(rep.XML())
	case pipe == "":
		if format == "text" || format == "ascii" {
			w.leaf("output", "\n"+rep.Text())
		} else {
			w.raw(rep.XML())
		}
	default:
		return []rpcErr{{Message: "syntax error, expecting <command>", BadElement: pipe}}
	}
	return nil
}

// copyConfig handles <copy-config>: Junos accepts only the candidate as
// target; the source is the running configuration or inline <config>.
func (n *netconfSession) copyConfig(op *xnode, msg []byte, w *xw) []rpcErr {
	if t := targetName(op.child("target")); t != "candidate" {
		return []rpcErr{{Tag: "invalid-value", Message: fmt.Sprintf("copy-config: only the candidate can be a target, not %q", t), BadElement: t}}
	}
	src := op.child("source")
	switch targetName(src) {
	case "running":
		if err := n.s.load(junosconf.ActionOverride, junosconf.FormatText, n.s.committed().Text()); err != nil {
			return errsFrom(err)
		}
	case "config":
		c := src.child("config").child("configuration")
		if c == nil {
			return []rpcErr{{Tag: "missing-element", Message: "copy-config: <config> must hold <configuration>", BadElement: "config"}}
		}
		if err := n.s.load(junosconf.ActionOverride, junosconf.FormatXML, c.raw(msg)); err != nil {
			return errsFrom(err)
		}
	default:
		return []rpcErr{{Tag: "operation-not-supported", Message: fmt.Sprintf("copy-config: unsupported source %q", targetName(src)), BadElement: targetName(src)}}
	}
	w.empty("ok")
	return nil
}
