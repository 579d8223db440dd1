package sim

// The Junos-like CLI shell of a simulated device.
//
// An SSH "shell" channel gets [Device.serveCLI]; an SSH "exec" request
// ("ssh admin@pe1 show version") gets [Device.runExec]. Both run operational
// commands through the device's one command table (the same one NETCONF's
// <command> uses), so the CLI and NETCONF never disagree.
//
// What the shell does:
//
//   - Login banner "--- JUNOS 23.4R2.13 Kernel 64-bit …", then the
//     operational prompt "user@host> ". In configuration mode every prompt is
//     preceded by a blank line and the edit level, "[edit]" or
//     "[edit interfaces ge-0/0/1]", and ends in "user@host# ".
//   - Line discipline: with a pty the shell echoes typed characters (scrapligo
//     writes a command, waits for its echo, then sends the return), erases on
//     backspace/DEL ("\b \b"), clears the line on Ctrl-U, drops the line on
//     Ctrl-C, ignores arrow-key escape sequences, and accepts CR, LF or CR LF.
//     Ctrl-D on an empty line ends the session. Without a pty nothing is
//     echoed and output uses bare LF.
//   - Operational mode: "show …" (via the command table), "show configuration
//     [path]", "set cli screen-width N", "set cli screen-length N", "set cli
//     complete-on-space on|off", "configure [private|exclusive]",
//     "exit"/"quit" (ends the session).
//   - Pipes: "| display set", "| display xml", "| display xml rpc",
//     "| compare [rollback N]", "| match RE", "| except RE", "| find RE",
//     "| last N", "| count", "| no-more". Patterns are Go regular expressions,
//     matched case-insensitively.
//   - Configuration mode: "set", "delete", "deactivate", "activate" (relative
//     to the edit level), "edit PATH", "up [N]", "top [command]", "show
//     [path]" with pipes, "show | compare [rollback N]", "commit [check]
//     [confirmed [N]] [comment TEXT] [and-quit]", "rollback [N]", "run
//     COMMAND", "load merge|replace|override|update|set terminal" (input
//     ends with Ctrl-D on an empty line), "exit" (back to the level before the last "edit", or out of
//     configuration mode at the top),
//     "quit", "exit configuration-mode".
//   - Leaving configuration mode with uncommitted changes: plain "exit" or
//     "quit" at the top level asks "Exit with uncommitted changes? [yes,no]
//     (yes)" as Junos does; "exit configuration-mode" (what scrapligo's
//     juniper_junos platform sends, which cannot answer questions) prints the
//     warning and leaves. Shared-candidate changes stay in the candidate;
//     "configure private" and "configure exclusive" discard them on exit.
//   - Errors look like Junos': a caret line under the offending word, then
//     "syntax error." or "unknown command."; commit failures print each error
//     (edit path, statement, message) and "error: configuration check-out
//     failed".
//
// Deliberate simplifications: no tab or space completion, no "?" help, no
// paging (screen-length is recorded, never applied). The prompt follows a
// host-name change this session commits; commits by other sessions show at
// the next login.

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/carrierkit/carrierkit/sim/junosconf"
)

// cliBanner is printed when an interactive shell opens.
const cliBanner = "--- JUNOS 23.4R2.13 Kernel 64-bit  JNPR-15.0-20240619.3a2a5e0_buil\n"

// junosXMLNS is the junos namespace the CLI puts on "| display xml" replies.
const junosXMLNS = "http://xml.juniper.net/junos/23.4R2.13/junos"

// configKind says how configuration mode was entered.
type configKind int

const (
	configNone      configKind = iota // operational mode
	configShared                      // "configure"
	configPrivate                     // "configure private"
	configExclusive                   // "configure exclusive"
)

// cliShell is the state of one CLI session. It is used by one goroutine.
type cliShell struct {
	d    *Device
	s    *session
	user string
	host string      // host name in the prompt; "" = the device's
	in   *lineEditor // nil for exec requests

	buf bytes.Buffer // output of the current command, flushed with the prompt

	mode  configKind
	path  []string   // edit level in configuration mode
	back  [][]string // levels "edit" left, for "exit"
	width int        // set cli screen-width
	rows  int        // set cli screen-length
	space bool       // set cli complete-on-space
}

// cliError is a command the shell refused. col is the byte offset in the
// typed line of the word the caret points at, or -1 for no caret line.
type cliError struct {
	col int
	msg string
}

func (e *cliError) Error() string { return e.msg }

// errQuit ends the session after the current command.
var errQuit = errors.New("sim: quit")

// serveCLI runs an interactive Junos-like shell on ch for session s until the
// user exits, the input ends, or ctx is cancelled (then ch is closed if it
// is an io.Closer, which unblocks the read). pty says whether the client
// requested a terminal: it turns on echo and CR LF line ends.
func (d *Device) serveCLI(ctx context.Context, ch io.ReadWriter, s *session, pty bool) error {
	if c, ok := ch.(io.Closer); ok {
		stop := context.AfterFunc(ctx, func() { _ = c.Close() })
		defer stop()
	}
	var out io.Writer = ch
	if pty {
		out = &crlfWriter{w: ch}
	}
	sh := &cliShell{d: d, s: s, user: s.user, in: newLineEditor(ch, ch, pty), width: 80, rows: 24, space: true,
		host: committedHostname(s.committed())}
	defer sh.leaveConfig()
	sh.buf.WriteString(cliBanner)
	for {
		sh.buf.WriteString(sh.prompt())
		if err := sh.flush(out); err != nil {
			return nil // the client went away
		}
		line, err := sh.in.readLine()
		if errors.Is(err, errInterrupt) {
			continue
		}
		if err != nil || ctx.Err() != nil {
			return nil
		}
		err = sh.execute(ctx, line, out)
		if errors.Is(err, errQuit) {
			_ = sh.flush(out)
			return nil
		}
	}
}

// runExec runs one operational command for an SSH exec request and returns
// what Junos would print. A refused command returns the printed error text
// together with a non-nil error carrying the same message.
func (d *Device) runExec(ctx context.Context, s *session, cmd string) ([]byte, error) {
	sh := &cliShell{d: d, s: s, user: s.user, width: 80, rows: 24, space: true}
	line := strings.TrimSpace(cmd)
	if w := cliSplitWords(line, 0); len(w) > 0 && cliIs(w[0].text, "configure") {
		sh.fail(&cliError{col: w[0].pos, msg: "error: configuration mode needs an interactive shell"})
		return sh.buf.Bytes(), errors.New("sim: configure in an exec request")
	}
	err := sh.execOp(ctx, line, 0)
	if errors.Is(err, errQuit) {
		err = nil
	}
	return bytes.Clone(sh.buf.Bytes()), err
}

func (sh *cliShell) flush(w io.Writer) error {
	if sh.buf.Len() == 0 {
		return nil
	}
	_, err := w.Write(sh.buf.Bytes())
	sh.buf.Reset()
	return err
}

func (sh *cliShell) prompt() string {
	host := sh.host
	if host == "" {
		host = sh.d.Hostname()
	}
	if sh.mode == configNone {
		return sh.user + "@" + host + "> "
	}
	level := "[edit]"
	if len(sh.path) > 0 {
		level = "[edit " + strings.Join(sh.path, " ") + "]"
	}
	return "\n" + level + "\n" + sh.user + "@" + host + "# "
}

// promptLen is the width of the prompt line the user typed after, for carets.
func (sh *cliShell) promptLen() int {
	if sh.in == nil {
		return 0
	}
	p := sh.prompt()
	return len(p) - strings.LastIndexByte(p, '\n') - 1
}

// fail prints err the Junos way and returns it.
func (sh *cliShell) fail(err error) error {
	var ce *cliError
	if !errors.As(err, &ce) {
		ce = &cliError{col: -1, msg: "error: " + err.Error()}
	}
	if ce.col >= 0 {
		sh.buf.WriteString(strings.Repeat(" ", sh.promptLen()+ce.col) + "^\n")
	}
	sh.buf.WriteString(ce.msg)
	if !strings.HasSuffix(ce.msg, "\n") {
		sh.buf.WriteByte('\n')
	}
	return err
}

// execute runs one typed line in the current mode.
func (sh *cliShell) execute(ctx context.Context, line string, out io.Writer) error {
	if strings.TrimSpace(line) == "" {
		return nil
	}
	if sh.mode == configNone {
		return sh.execOp(ctx, line, 0)
	}
	return sh.execConfig(ctx, line, 0, out)
}

// execOp runs an operational-mode command. off is the offset of line within
// what the user typed ("run show version" has off 4), for carets.
func (sh *cliShell) execOp(ctx context.Context, line string, off int) error {
	segs := cliSplitPipes(line)
	cmd := segs[0]
	ws := cliShift(cmd.words, off)
	if len(ws) == 0 {
		return nil
	}
	pipes, err := cliParsePipes(segs[1:], off)
	if err != nil {
		return sh.fail(err)
	}
	switch {
	case cliIs(ws[0].text, "exit", "quit", "logout"):
		if len(ws) > 1 {
			return sh.fail(&cliError{col: ws[1].pos, msg: "syntax error, expecting <command>."})
		}
		return errQuit
	case cliIs(ws[0].text, "configure"):
		if sh.in == nil {
			return sh.fail(&cliError{col: ws[0].pos, msg: "unknown command."})
		}
		return sh.configure(ws)
	case cliIs(ws[0].text, "set"):
		return sh.setCLI(ws)
	case cliIs(ws[0].text, "show") && len(ws) > 1 && cliIs(ws[1].text, "configuration"):
		return sh.showConfiguration(ws[2:], pipes)
	}
	if err := pipes.onlyText(); err != nil {
		return sh.fail(err)
	}
	text := strings.Join(cliTexts(ws), " ")
	reply, err := sh.d.command(ctx, sh.s, text)
	if err != nil {
		return sh.fail(sh.commandError(err, ws))
	}
	switch pipes.display {
	case "xml":
		sh.buf.WriteString(cliRPCReply(reply.XML()))
		return nil
	case "xml rpc":
		sh.buf.WriteString(cliRPCReply([]byte("<rpc>\n" + cliIndentXML(reply.RPC()) + "</rpc>\n")))
		return nil
	}
	return sh.emit(reply.Text(), pipes)
}

// commandError turns an error from the command table into a caret error
// under the word it names, Junos style: "syntax error, expecting <command>:
// bogus". A first word nobody knows is "unknown command.".
func (sh *cliShell) commandError(err error, ws []cliWord) error {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	var ce *commandError
	if !errors.As(err, &ce) {
		return err
	}
	if ce.Pos == 0 {
		return &cliError{col: ws[0].pos, msg: "unknown command."}
	}
	col := ws[len(ws)-1].pos + len(ws[len(ws)-1].text) + 1
	if ce.Pos > 0 && ce.Pos < len(ws) {
		col = ws[ce.Pos].pos
	}
	msg := ce.Msg
	if ce.Token != "" {
		msg = strings.TrimSuffix(msg, ".") + ": " + ce.Token
	} else if !strings.HasSuffix(msg, ".") {
		msg += "."
	}
	return &cliError{col: col, msg: msg}
}

func (sh *cliShell) setCLI(ws []cliWord) error {
	if len(ws) < 3 || !cliIs(ws[1].text, "cli") {
		col := ws[0].pos
		if len(ws) > 1 {
			col = ws[1].pos
		}
		return sh.fail(&cliError{col: col, msg: "syntax error, expecting <command>."})
	}
	switch {
	case cliIs(ws[2].text, "screen-width", "screen-length"):
		if len(ws) != 4 {
			return sh.fail(&cliError{col: ws[len(ws)-1].pos, msg: "syntax error, expecting <number>."})
		}
		n, err := strconv.Atoi(ws[3].text)
		if err != nil || n < 0 || n > 100000 {
			return sh.fail(&cliError{col: ws[3].pos, msg: "syntax error, expecting <number>."})
		}
		if cliIs(ws[2].text, "screen-width") {
			sh.width = n
			fmt.Fprintf(&sh.buf, "Screen width set to %d\n", n)
		} else {
			sh.rows = n
			fmt.Fprintf(&sh.buf, "Screen length set to %d\n", n)
		}
		return nil
	case cliIs(ws[2].text, "complete-on-space"):
		if len(ws) != 4 || !cliIs(ws[3].text, "on", "off") {
			return sh.fail(&cliError{col: ws[len(ws)-1].pos, msg: "syntax error, expecting 'on' or 'off'."})
		}
		sh.space = cliIs(ws[3].text, "on")
		if sh.space {
			sh.buf.WriteString("Enabling complete-on-space\n")
		} else {
			sh.buf.WriteString("Disabling complete-on-space\n")
		}
		return nil
	}
	return sh.fail(&cliError{col: ws[2].pos, msg: "syntax error, expecting <command>."})
}

func (sh *cliShell) configure(ws []cliWord) error {
	kind := configShared
	if len(ws) > 2 {
		return sh.fail(&cliError{col: ws[2].pos, msg: "syntax error, expecting <command>."})
	}
	if len(ws) == 2 {
		switch {
		case cliIs(ws[1].text, "private"):
			kind = configPrivate
		case cliIs(ws[1].text, "exclusive"):
			kind = configExclusive
		default:
			return sh.fail(&cliError{col: ws[1].pos, msg: "syntax error, expecting <command>."})
		}
	}
	switch kind {
	case configPrivate:
		if err := sh.s.openPrivate(); err != nil {
			return sh.fail(err)
		}
		sh.buf.WriteString("warning: uncommitted changes will be discarded on exit\n")
	case configExclusive:
		if err := sh.s.lock(); err != nil {
			return sh.fail(err)
		}
		sh.buf.WriteString("warning: uncommitted changes will be discarded on exit\n")
	}
	sh.buf.WriteString("Entering configuration mode\n")
	sh.mode, sh.path, sh.back = kind, nil, nil
	return nil
}

// leaveConfig ends configuration mode: private and exclusive sessions lose
// their uncommitted changes, exclusive ones also their lock.
func (sh *cliShell) leaveConfig() {
	switch sh.mode {
	case configPrivate:
		sh.s.closePrivate()
	case configExclusive:
		_ = sh.s.unlock() // also discards the uncommitted changes
	}
	sh.mode, sh.path, sh.back = configNone, nil, nil
}

// showConfiguration is operational "show configuration [path]".
func (sh *cliShell) showConfiguration(path []cliWord, pipes cliPipeline) error {
	tree := sh.s.committed()
	p := cliTexts(path)
	if len(p) > 0 {
		if err := sh.validPath(p); err != nil {
			return sh.fail(cliEditError(err, path, path[len(path)-1].pos))
		}
	}
	if pipes.compare >= 0 {
		old, err := sh.s.rollbackConfig(pipes.compare)
		if err != nil {
			return sh.fail(err)
		}
		return sh.emit(string(junosconf.Diff(old, tree)), pipes)
	}
	return sh.showTree(tree, p, pipes, "committed")
}

// showTree prints tree (or its subtree at path) in the display format the
// pipes ask for.
func (sh *cliShell) showTree(tree *junosconf.Tree, path []string, pipes cliPipeline, db string) error {
	switch pipes.display {
	case "set":
		return sh.emit(cliSetLinesUnder(tree, path), pipes)
	case "xml":
		sh.buf.WriteString(cliRPCReply(sh.treeAt(tree, path).XML()))
		return nil
	case "xml rpc":
		sh.buf.WriteString(cliRPCReply([]byte("<rpc>\n" + cliIndentXML(cliGetConfigurationRPC(db, path)) + "</rpc>\n")))
		return nil
	}
	sub := cliSubtree(tree, path)
	if sub == nil {
		return nil
	}
	return sh.emit(string(sub.Text()), pipes)
}

// treeAt returns the part of tree at or below path, with its ancestors (so
// its XML starts at <configuration>), by reloading the set lines under path.
func (sh *cliShell) treeAt(tree *junosconf.Tree, path []string) *junosconf.Tree {
	if len(path) == 0 {
		return tree
	}
	out := &junosconf.Tree{}
	if lines := cliSetLinesUnder(tree, path); lines != "" {
		if err := out.Load(junosconf.ActionSet, junosconf.FormatSet, []byte(lines), sh.d.Platform().Family); err != nil {
			return &junosconf.Tree{}
		}
	}
	return out
}

func cliSubtree(t *junosconf.Tree, path []string) *junosconf.Tree {
	if len(path) == 0 {
		return t
	}
	return t.Sub(path...)
}

// setLinesUnder returns the "set" (and "deactivate") lines of t that lie at
// or below path, in full (as Junos prints them at any edit level).
func cliSetLinesUnder(t *junosconf.Tree, path []string) string {
	all := string(t.SetLines())
	if len(path) == 0 {
		return all
	}
	p := strings.Join(cliQuoteAll(path), " ")
	var b strings.Builder
	for _, l := range strings.SplitAfter(all, "\n") {
		for _, verb := range []string{"set ", "deactivate "} {
			rest, ok := strings.CutPrefix(l, verb)
			if ok && (strings.TrimRight(rest, "\n") == p || strings.HasPrefix(rest, p+" ")) {
				b.WriteString(l)
			}
		}
	}
	return b.String()
}

func cliQuoteAll(ws []string) []string {
	out := make([]string, len(ws))
	for i, w := range ws {
		out[i] = cliQuote(w)
	}
	return out
}

// getConfigurationRPC is the RPC "show configuration [path] | display xml rpc"
// stands for.
func cliGetConfigurationRPC(db string, path []string) string {
	if len(path) == 0 {
		return "<get-configuration database=\"" + db + "\"/>\n"
	}
	var b strings.Builder
	b.WriteString("<get-configuration database=\"" + db + "\">\n    <configuration>\n")
	for i, p := range path {
		b.WriteString(strings.Repeat("    ", i+2) + "<" + cliXMLName(p) + ">\n")
	}
	for i := len(path) - 1; i >= 0; i-- {
		b.WriteString(strings.Repeat("    ", i+2) + "</" + cliXMLName(path[i]) + ">\n")
	}
	b.WriteString("    </configuration>\n</get-configuration>\n")
	return b.String()
}

// cliXMLName makes a statement word safe as an element name.
func cliXMLName(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_':
			b.WriteRune(r)
		default:
			b.WriteByte('_')
		}
	}
	if b.Len() == 0 || !((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z')) {
		return "name"
	}
	return b.String()
}

// wrapRPCReply puts XML into the <rpc-reply> envelope "| display xml" shows.
func cliRPCReply(inner []byte) string {
	return "<rpc-reply xmlns:junos=\"" + junosXMLNS + "\">\n" + cliIndentXML(string(inner)) +
		"    <cli>\n        <banner></banner>\n    </cli>\n</rpc-reply>\n"
}

func cliIndentXML(s string) string {
	var b strings.Builder
	for _, l := range strings.Split(strings.TrimRight(s, "\n"), "\n") {
		if l == "" {
			continue
		}
		b.WriteString("    " + l + "\n")
	}
	return b.String()
}

// emit prints text through the filters of pipes.
func (sh *cliShell) emit(text string, p cliPipeline) error {
	if text == "" && !p.count {
		return nil
	}
	lines := strings.Split(strings.TrimRight(text, "\n"), "\n")
	if text == "" {
		lines = nil
	}
	for _, f := range p.filters {
		lines = f(lines)
	}
	if p.count {
		fmt.Fprintf(&sh.buf, "Count: %d lines\n", len(lines))
		return nil
	}
	for _, l := range lines {
		sh.buf.WriteString(l + "\n")
	}
	return nil
}

// pipeline is the parsed "| …" part of a command.
type cliPipeline struct {
	display   string // "", "set", "xml", "xml rpc"
	displayAt int    // offset of the display word, for errors
	compare   int    // rollback number for "| compare", -1 if none
	compareAt int
	count     bool
	filters   []func([]string) []string
}

// onlyText refuses pipes that make sense only for configuration output.
func (p cliPipeline) onlyText() error {
	if p.display == "set" {
		return &cliError{col: p.displayAt, msg: "syntax error."}
	}
	if p.compare >= 0 {
		return &cliError{col: p.compareAt, msg: "syntax error."}
	}
	return nil
}

func cliParsePipes(segs []cliSegment, off int) (cliPipeline, error) {
	p := cliPipeline{compare: -1}
	for _, seg := range segs {
		ws := cliShift(seg.words, off)
		if len(ws) == 0 {
			return p, &cliError{col: seg.pos + off, msg: "syntax error, expecting <command>."}
		}
		w := ws[0]
		switch {
		case cliIs(w.text, "display"):
			switch {
			case len(ws) == 2 && cliIs(ws[1].text, "set"):
				p.display = "set"
			case len(ws) == 2 && cliIs(ws[1].text, "xml"):
				p.display = "xml"
			case len(ws) == 3 && cliIs(ws[1].text, "xml") && cliIs(ws[2].text, "rpc"):
				p.display = "xml rpc"
			default:
				col := w.pos
				if len(ws) > 1 {
					col = ws[len(ws)-1].pos
				}
				return p, &cliError{col: col, msg: "syntax error."}
			}
			p.displayAt = w.pos
		case cliIs(w.text, "compare"):
			p.compare, p.compareAt = 0, w.pos
			if len(ws) > 1 {
				if len(ws) != 3 || !cliIs(ws[1].text, "rollback") {
					return p, &cliError{col: ws[1].pos, msg: "syntax error."}
				}
				n, err := strconv.Atoi(ws[2].text)
				if err != nil || n < 0 || n > 49 {
					return p, &cliError{col: ws[2].pos, msg: "syntax error, expecting <number>."}
				}
				p.compare = n
			}
		case cliIs(w.text, "match", "except", "find"):
			if len(ws) < 2 {
				return p, &cliError{col: w.pos, msg: "syntax error, expecting <string>."}
			}
			re, err := regexp.Compile("(?i)" + strings.Join(cliTexts(ws[1:]), " "))
			if err != nil {
				return p, &cliError{col: ws[1].pos, msg: "error: invalid regular expression: " + err.Error()}
			}
			p.filters = append(p.filters, cliLineFilter(w.text, re))
		case cliIs(w.text, "last"):
			n := 0
			if len(ws) > 1 {
				v, err := strconv.Atoi(ws[1].text)
				if err != nil || v < 0 || len(ws) > 2 {
					return p, &cliError{col: ws[1].pos, msg: "syntax error, expecting <number>."}
				}
				n = v
			}
			p.filters = append(p.filters, func(l []string) []string {
				if n > 0 && len(l) > n {
					return l[len(l)-n:]
				}
				return l
			})
		case cliIs(w.text, "count"):
			p.count = true
		case cliIs(w.text, "no-more"):
		default:
			return p, &cliError{col: w.pos, msg: "syntax error."}
		}
	}
	return p, nil
}

func cliLineFilter(kind string, re *regexp.Regexp) func([]string) []string {
	return func(lines []string) []string {
		var out []string
		for i, l := range lines {
			switch kind {
			case "match":
				if re.MatchString(l) {
					out = append(out, l)
				}
			case "except":
				if !re.MatchString(l) {
					out = append(out, l)
				}
			case "find":
				if re.MatchString(l) {
					return lines[i:]
				}
			}
		}
		return out
	}
}

func cliShift(ws []cliWord, off int) []cliWord {
	if off == 0 {
		return ws
	}
	out := make([]cliWord, len(ws))
	for i, w := range ws {
		out[i] = cliWord{text: w.text, pos: w.pos + off}
	}
	return out
}

func cliIs(w string, names ...string) bool {
	for _, n := range names {
		if w == n {
			return true
		}
	}
	return false
}

// execConfig runs a configuration-mode command.
func (sh *cliShell) execConfig(ctx context.Context, line string, off int, out io.Writer) error {
	segs := cliSplitPipes(line)
	ws := segs[0].words
	if len(ws) == 0 {
		return nil
	}
	verb := ws[0]
	switch verb.text {
	case "set", "delete", "deactivate", "activate":
		if len(segs) > 1 {
			return sh.fail(&cliError{col: segs[1].pos - 1, msg: "syntax error."})
		}
		return sh.edit(verb, ws, line)
	case "edit":
		if len(segs) > 1 || len(ws) < 2 {
			return sh.fail(&cliError{col: verb.pos, msg: "syntax error, expecting <statement>."})
		}
		p := append(append([]string(nil), sh.path...), cliTexts(ws[1:])...)
		if err := sh.validPath(p); err != nil {
			return sh.fail(cliEditError(err, ws[1:], ws[len(ws)-1].pos))
		}
		sh.back = append(sh.back, sh.path)
		sh.path = p
		return nil
	case "up":
		n := 1
		if len(ws) > 1 {
			v, err := strconv.Atoi(ws[1].text)
			if err != nil || v < 1 || len(ws) > 2 {
				return sh.fail(&cliError{col: ws[1].pos, msg: "syntax error, expecting <number>."})
			}
			n = v
		}
		if len(sh.path) == 0 {
			sh.buf.WriteString("Already at the top of the configuration\n")
			return nil
		}
		for range n {
			sh.up()
		}
		return nil
	case "top":
		sh.path, sh.back = nil, nil
		if len(ws) > 1 {
			return sh.execConfig(ctx, line[ws[1].pos:], off+ws[1].pos, out)
		}
		return nil
	case "show":
		pipes, err := cliParsePipes(segs[1:], 0)
		if err != nil {
			return sh.fail(err)
		}
		if pipes.compare >= 0 {
			if _, err := sh.s.rollbackConfig(pipes.compare); err != nil {
				return sh.fail(err)
			}
			return sh.emit(string(sh.s.compare(pipes.compare)), pipes)
		}
		p := append(append([]string(nil), sh.path...), cliTexts(ws[1:])...)
		if len(ws) > 1 {
			if err := sh.validPath(p); err != nil {
				return sh.fail(cliEditError(err, ws[1:], ws[len(ws)-1].pos))
			}
		}
		return sh.showTree(sh.s.candidate(), p, pipes, "candidate")
	case "commit":
		if len(segs) > 1 {
			return sh.fail(&cliError{col: segs[1].pos - 1, msg: "syntax error."})
		}
		return sh.commit(ws, out)
	case "load":
		if len(segs) > 1 {
			return sh.fail(&cliError{col: segs[1].pos - 1, msg: "syntax error."})
		}
		return sh.loadTerminal(ws, out)
	case "rollback":
		n := 0
		if len(ws) > 2 {
			return sh.fail(&cliError{col: ws[2].pos, msg: "syntax error."})
		}
		if len(ws) == 2 {
			v, err := strconv.Atoi(ws[1].text)
			if err != nil || v < 0 || v > 49 {
				return sh.fail(&cliError{col: ws[1].pos, msg: "syntax error, expecting <number>."})
			}
			n = v
		}
		if err := sh.s.rollback(n); err != nil {
			return sh.fail(err)
		}
		sh.buf.WriteString("load complete\n")
		return nil
	case "run":
		if len(ws) < 2 {
			return sh.fail(&cliError{col: verb.pos, msg: "syntax error, expecting <command>."})
		}
		rest := line[ws[1].pos:]
		if w := ws[1].text; cliIs(w, "configure", "exit", "quit", "logout") {
			return sh.fail(&cliError{col: ws[1].pos, msg: "syntax error, expecting <command>."})
		}
		return sh.execOp(ctx, rest, ws[1].pos)
	case "exit", "quit":
		if len(ws) == 2 && verb.text == "exit" && ws[1].text == "configuration-mode" {
			return sh.exitConfig(out, false)
		}
		if len(ws) > 1 {
			return sh.fail(&cliError{col: ws[1].pos, msg: "syntax error."})
		}
		if len(sh.path) > 0 {
			// Back to the level before the last "edit", as Junos does.
			sh.path = nil
			if n := len(sh.back); n > 0 {
				sh.path, sh.back = sh.back[n-1], sh.back[:n-1]
			}
			return nil
		}
		return sh.exitConfig(out, sh.in != nil)
	}
	return sh.fail(&cliError{col: verb.pos + off, msg: "unknown command."})
}

// loadTerminal is "load merge|replace|override|update|set terminal": it reads
// configuration typed (or pasted) until Ctrl-D on an empty line and loads it
// into the candidate, all or nothing. Curly-brace text except for "set".
func (sh *cliShell) loadTerminal(ws []cliWord, out io.Writer) error {
	if len(ws) != 3 || ws[2].text != "terminal" {
		col := ws[0].pos
		if len(ws) > 2 {
			col = ws[2].pos
		}
		return sh.fail(&cliError{col: col, msg: "syntax error, expecting 'terminal'."})
	}
	action, err := junosconf.ParseAction(ws[1].text)
	if err != nil {
		return sh.fail(&cliError{col: ws[1].pos, msg: "syntax error, expecting <command>."})
	}
	if sh.in == nil {
		return sh.fail(&cliError{col: ws[2].pos, msg: "error: load terminal needs an interactive shell"})
	}
	format := junosconf.FormatText
	if action == junosconf.ActionSet {
		format = junosconf.FormatSet
	}
	sh.buf.WriteString("[Type ^D at a new line to end input]\n")
	if err := sh.flush(out); err != nil {
		return errQuit
	}
	var body strings.Builder
	for {
		line, err := sh.in.readLine()
		if errors.Is(err, errInterrupt) {
			sh.buf.WriteString("error: load aborted\n")
			return err
		}
		if err != nil {
			break // Ctrl-D (or the end of the input)
		}
		body.WriteString(line + "\n")
	}
	if err := sh.s.load(action, format, []byte(body.String())); err != nil {
		var es junosconf.Errors
		var one *junosconf.Error
		switch {
		case errors.As(err, &es):
		case errors.As(err, &one):
			es = junosconf.Errors{one}
		}
		for _, e := range es {
			if e.Line > 0 {
				fmt.Fprintf(&sh.buf, "terminal:%d:", e.Line)
			}
			if e.Element != "" {
				fmt.Fprintf(&sh.buf, " '%s':", e.Element)
			}
			sh.buf.WriteString(" " + e.Message + "\n")
		}
		if len(es) == 0 {
			sh.buf.WriteString("error: " + err.Error() + "\n")
		}
		sh.buf.WriteString("error: load failed, nothing loaded\n")
		return err
	}
	sh.buf.WriteString("load complete\n")
	return nil
}

// edit runs set/delete/deactivate/activate relative to the edit level.
func (sh *cliShell) edit(verb cliWord, ws []cliWord, line string) error {
	if len(ws) < 2 {
		return sh.fail(&cliError{col: verb.pos + len(verb.text) + 1, msg: "missing argument."})
	}
	rest := strings.TrimSpace(line[ws[1].pos:])
	full := verb.text
	if len(sh.path) > 0 {
		full += " " + strings.Join(cliQuoteAll(sh.path), " ")
	}
	full += " " + rest
	if err := sh.s.setLine(full); err != nil {
		return sh.fail(cliEditError(err, ws[1:], ws[len(ws)-1].pos))
	}
	return nil
}

// validPath reports whether path names a statement the configuration can
// hold, by trying "set PATH" on a copy of the candidate.
func (sh *cliShell) validPath(path []string) error {
	t := sh.s.candidate()
	line := "set " + strings.Join(cliQuoteAll(path), " ")
	return t.Load(junosconf.ActionSet, junosconf.FormatSet, []byte(line), sh.d.Platform().Family)
}

// up moves the edit level up one statement: it drops words until what is left
// is itself a statement (so "interfaces ge-0/0/0 unit 0" goes to
// "interfaces ge-0/0/0", not to "… unit").
func (sh *cliShell) up() {
	for len(sh.path) > 0 {
		sh.path = sh.path[:len(sh.path)-1]
		if len(sh.path) == 0 || sh.validPath(sh.path) == nil {
			return
		}
	}
}

// editError turns a configuration-engine error into a caret error under the
// word it names.
func cliEditError(err error, ws []cliWord, fallback int) error {
	var e *junosconf.Error
	var es junosconf.Errors
	switch {
	case errors.As(err, &es) && len(es) > 0:
		e = es[0]
	case errors.As(err, &e):
	default:
		return &cliError{col: fallback, msg: "error: " + err.Error()}
	}
	col := fallback
	if e.Element != "" {
		for _, w := range ws {
			if w.text == e.Element {
				col = w.pos
				break
			}
		}
	}
	msg := e.Message
	if msg == "" {
		msg = "syntax error"
	}
	if !strings.HasSuffix(msg, ".") {
		msg += "."
	}
	return &cliError{col: col, msg: msg}
}

// commit runs "commit [check] [confirmed [N]] [comment TEXT] [and-quit]".
func (sh *cliShell) commit(ws []cliWord, out io.Writer) error {
	var o commitOptions
	andQuit := false
	for i := 1; i < len(ws); i++ {
		w := ws[i]
		switch w.text {
		case "check":
			o.Check = true
		case "confirmed":
			o.Confirmed = true
			o.ConfirmTimeout = 10 * time.Minute
			if i+1 < len(ws) {
				if n, err := strconv.Atoi(ws[i+1].text); err == nil {
					if n < 1 || n > 65535 {
						return sh.fail(&cliError{col: ws[i+1].pos, msg: "error: confirmed timeout must be 1..65535 minutes"})
					}
					o.ConfirmTimeout = time.Duration(n) * time.Minute
					i++
				}
			}
		case "comment":
			if i+1 >= len(ws) {
				return sh.fail(&cliError{col: w.pos, msg: "syntax error, expecting <string>."})
			}
			o.Log = ws[i+1].text
			i++
		case "and-quit":
			andQuit = true
		case "synchronize":
		default:
			return sh.fail(&cliError{col: w.pos, msg: "syntax error."})
		}
	}
	if o.Check && (o.Confirmed || andQuit) {
		return sh.fail(&cliError{col: ws[1].pos, msg: "syntax error."})
	}
	res, err := sh.s.commit(o)
	if err != nil {
		cliCommitErrors(&sh.buf, err)
		return err
	}
	msg := res.Message
	if msg == "" {
		msg = "commit complete"
		if o.Check {
			msg = "configuration check succeeds"
		}
	}
	sh.buf.WriteString(strings.TrimRight(msg, "\n") + "\n")
	if !o.Check {
		sh.host = committedHostname(sh.s.committed())
	}
	if o.Confirmed && !strings.Contains(msg, "rolled back") {
		fmt.Fprintf(&sh.buf, "\n# commit confirmed will be rolled back in %d minutes\n", int(o.ConfirmTimeout/time.Minute))
	}
	if andQuit {
		sh.buf.WriteString("Exiting configuration mode\n")
		sh.leaveConfig()
	}
	return nil
}

// committedHostname returns system host-name of a configuration, or "".
func committedHostname(t *junosconf.Tree) string {
	const prefix = "set system host-name "
	for _, l := range strings.Split(cliSetLinesUnder(t, []string{"system", "host-name"}), "\n") {
		if h, ok := strings.CutPrefix(l, prefix); ok {
			return strings.Trim(h, `"`)
		}
	}
	return ""
}

// printCommitErrors prints a failed commit the way Junos does.
func cliCommitErrors(b *bytes.Buffer, err error) {
	var es junosconf.Errors
	var one *junosconf.Error
	switch {
	case errors.As(err, &es):
	case errors.As(err, &one):
		es = junosconf.Errors{one}
	}
	if len(es) == 0 {
		// Not a configuration check (a lock held elsewhere, a private
		// candidate gone stale, …): Junos prints the message only.
		msg := strings.TrimSpace(err.Error())
		if !strings.HasPrefix(msg, "error: ") {
			msg = "error: " + msg
		}
		b.WriteString(msg + "\n")
		return
	}
	failed := false
	for _, e := range es {
		if e.Path != "" {
			b.WriteString(e.Path + "\n")
		}
		if e.Element != "" {
			b.WriteString("  '" + e.Element + "'\n")
		}
		prefix := "    "
		if e.Path == "" && e.Element == "" {
			prefix = ""
		}
		sev := e.Severity
		if sev == "" {
			sev = "error"
		}
		if sev == "warning" {
			b.WriteString(prefix + "warning: " + e.Message + "\n")
			continue
		}
		failed = true
		b.WriteString(prefix + e.Message + "\n")
	}
	if failed {
		b.WriteString("error: configuration check-out failed\n")
	}
}

// exitConfig leaves configuration mode. ask says whether to ask before
// leaving uncommitted changes behind (interactive "exit"/"quit" only).
func (sh *cliShell) exitConfig(out io.Writer, ask bool) error {
	if !sh.s.candidate().Equal(sh.s.committed()) {
		sh.buf.WriteString("The configuration has been changed but not committed\n")
		if ask {
			sh.buf.WriteString("Exit with uncommitted changes? [yes,no] (yes) ")
			if err := sh.flush(out); err != nil {
				return errQuit
			}
			ans, err := sh.in.readLine()
			if errors.Is(err, errInterrupt) {
				return nil
			}
			if err != nil {
				return errQuit
			}
			if a := strings.ToLower(strings.TrimSpace(ans)); a == "no" || a == "n" {
				return nil
			}
		}
	}
	sh.buf.WriteString("Exiting configuration mode\n")
	sh.leaveConfig()
	return nil
}
