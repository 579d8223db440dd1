package sim

import (
	"bufio"
	"bytes"
	"errors"
	"io"
)

// errInterrupt is returned by lineEditor.readLine when the user typed Ctrl-C.
var errInterrupt = errors.New("sim: interrupted")

// Control characters the CLI line discipline understands.
const (
	keyCtrlC     = 0x03
	keyCtrlD     = 0x04
	keyBackspace = 0x08
	keyCtrlU     = 0x15
	keyEscape    = 0x1b
	keyDelete    = 0x7f
)

// lineEditor reads one command line at a time from a terminal channel and,
// when the client asked for a pty, echoes what was typed the way a terminal
// in cooked mode would: printable characters as they arrive, "\b \b" for an
// erased character, CR LF for the end of the line. It is the minimum
// scrapligo needs (it writes a command, waits for the echo, then sends the
// return) and enough for a person at an ssh prompt. It is not safe for
// concurrent use; one CLI session owns it.
type lineEditor struct {
	r    *bufio.Reader
	w    io.Writer // the raw channel, for the echo
	echo bool

	line   []byte
	skipLF bool // the last line ended with CR: a following LF belongs to it
}

func newLineEditor(r io.Reader, w io.Writer, echo bool) *lineEditor {
	return &lineEditor{r: bufio.NewReader(r), w: w, echo: echo}
}

// readLine returns the next line without its terminator. Ctrl-C discards the
// line and returns errInterrupt; Ctrl-D on an empty line, or the end of the
// input, returns io.EOF (a partial line at the end of the input is returned
// first). CR, LF and CR LF all end a line.
func (e *lineEditor) readLine() (string, error) {
	e.line = e.line[:0]
	for {
		c, err := e.r.ReadByte()
		if err != nil {
			if len(e.line) > 0 {
				return string(e.line), nil
			}
			return "", io.EOF
		}
		if e.skipLF {
			e.skipLF = false
			if c == '\n' {
				continue
			}
		}
		switch c {
		case '\r', '\n':
			e.skipLF = c == '\r'
			e.put([]byte("\r\n"))
			return string(e.line), nil
		case keyBackspace, keyDelete:
			if n := len(e.line); n > 0 {
				// Remove a whole UTF-8 sequence, not just its last byte.
				i := n - 1
				for i > 0 && e.line[i]&0xc0 == 0x80 {
					i--
				}
				e.line = e.line[:i]
				e.put([]byte("\b \b"))
			}
		case keyCtrlU:
			e.put(bytes.Repeat([]byte("\b \b"), cliRuneCount(e.line)))
			e.line = e.line[:0]
		case keyCtrlC:
			e.put([]byte("^C\r\n"))
			e.line = e.line[:0]
			return "", errInterrupt
		case keyCtrlD:
			if len(e.line) == 0 {
				return "", io.EOF
			}
		case keyEscape:
			e.skipEscape()
		case '\t':
			// No completion: a tab is a word separator.
			e.line = append(e.line, ' ')
			e.put([]byte{' '})
		default:
			if c < 0x20 {
				continue // other control characters are ignored
			}
			e.line = append(e.line, c)
			e.put([]byte{c})
		}
	}
}

// skipEscape consumes an ANSI escape sequence (arrow keys and the like) that
// followed an ESC byte: "ESC [ params final" or "ESC O x".
func (e *lineEditor) skipEscape() {
	c, err := e.r.ReadByte()
	if err != nil {
		return
	}
	switch c {
	case '[':
		for {
			c, err := e.r.ReadByte()
			if err != nil || (c >= 0x40 && c <= 0x7e) {
				return
			}
		}
	case 'O':
		_, _ = e.r.ReadByte()
	}
}

func (e *lineEditor) put(b []byte) {
	if e.echo && len(b) > 0 {
		_, _ = e.w.Write(b)
	}
}

func cliRuneCount(b []byte) int {
	n := 0
	for _, c := range b {
		if c&0xc0 != 0x80 {
			n++
		}
	}
	return n
}

// crlfWriter turns every "\n" not already preceded by "\r" into "\r\n", as a
// terminal in cooked mode expects. Used only when the client requested a pty.
type crlfWriter struct {
	w      io.Writer
	lastCR bool
}

func (c *crlfWriter) Write(p []byte) (int, error) {
	var out []byte
	for _, b := range p {
		if b == '\n' && !c.lastCR {
			out = append(out, '\r')
		}
		out = append(out, b)
		c.lastCR = b == '\r'
	}
	if _, err := c.w.Write(out); err != nil {
		return 0, err
	}
	return len(p), nil
}
