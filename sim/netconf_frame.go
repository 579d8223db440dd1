package sim

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"sync"
)

// NETCONF over SSH framing (RFC 6242): end-of-message "]]>]]>" for base:1.0
// and chunked framing for base:1.1.

const (
	eomMarker     = "]]>]]>"
	maxMessage    = 32 << 20 // largest message accepted from a client
	maxChunkDigit = 10       // RFC 6242: chunk-size is at most 4294967295
)

// errFraming reports input that breaks the framing; the session must end.
var errFraming = errors.New("netconf framing error")

// frameReader splits a byte stream into NETCONF messages.
type frameReader struct {
	r       *bufio.Reader
	chunked bool
}

func newFrameReader(r io.Reader) *frameReader {
	return &frameReader{r: bufio.NewReaderSize(r, 16<<10)}
}

// next returns the next complete message. It returns io.EOF at a clean end
// of stream and an error wrapping errFraming on malformed framing.
func (f *frameReader) next() ([]byte, error) {
	if f.chunked {
		return f.nextChunked()
	}
	return f.nextEOM()
}

func (f *frameReader) nextEOM() ([]byte, error) {
	var msg []byte
	for {
		part, err := f.r.ReadSlice('>')
		msg = append(msg, part...)
		if len(msg) > maxMessage {
			return nil, fmt.Errorf("%w: message longer than %d bytes", errFraming, maxMessage)
		}
		if err == bufio.ErrBufferFull {
			continue
		}
		if err != nil {
			if err == io.EOF && len(bytes.TrimSpace(msg)) > 0 {
				return nil, io.ErrUnexpectedEOF
			}
			return nil, err
		}
		if bytes.HasSuffix(msg, []byte(eomMarker)) {
			return bytes.TrimSpace(msg[:len(msg)-len(eomMarker)]), nil
		}
	}
}

func (f *frameReader) nextChunked() ([]byte, error) {
	var msg []byte
	first := true
	for {
		// Expect "\n#". Before the first chunk of a message, tolerate extra
		// whitespace (some clients add a line feed after the hello marker).
		c, err := f.r.ReadByte()
		if err != nil {
			if err == io.EOF && !first {
				return nil, io.ErrUnexpectedEOF
			}
			return nil, err
		}
		if first {
			for c == ' ' || c == '\r' || c == '\t' || (c == '\n' && f.peekIs('\n')) {
				if c, err = f.r.ReadByte(); err != nil {
					return nil, err
				}
			}
		}
		if c != '\n' {
			return nil, fmt.Errorf("%w: expected LF before chunk header, got %q", errFraming, c)
		}
		if c, err = f.r.ReadByte(); err != nil {
			return nil, io.ErrUnexpectedEOF
		}
		if c != '#' {
			return nil, fmt.Errorf("%w: expected '#' in chunk header, got %q", errFraming, c)
		}
		c, err = f.r.ReadByte()
		if err != nil {
			return nil, io.ErrUnexpectedEOF
		}
		if c == '#' {
			if c, err = f.r.ReadByte(); err != nil {
				return nil, io.ErrUnexpectedEOF
			}
			if c != '\n' {
				return nil, fmt.Errorf("%w: expected LF after end-of-chunks", errFraming)
			}
			if first {
				return nil, fmt.Errorf("%w: end-of-chunks without a chunk", errFraming)
			}
			return msg, nil
		}
		var n uint64
		digits := 0
		for c != '\n' {
			if c < '0' || c > '9' || (digits == 0 && c == '0') || digits == maxChunkDigit {
				return nil, fmt.Errorf("%w: bad chunk size", errFraming)
			}
			n = n*10 + uint64(c-'0')
			digits++
			if c, err = f.r.ReadByte(); err != nil {
				return nil, io.ErrUnexpectedEOF
			}
		}
		if digits == 0 || n > 4294967295 {
			return nil, fmt.Errorf("%w: bad chunk size", errFraming)
		}
		if uint64(len(msg))+n > maxMessage {
			return nil, fmt.Errorf("%w: message longer than %d bytes", errFraming, maxMessage)
		}
		// Grow only as data arrives: a declared size is not an allocation.
		buf := bytes.NewBuffer(msg)
		if _, err := io.CopyN(buf, f.r, int64(n)); err != nil {
			return nil, io.ErrUnexpectedEOF
		}
		msg = buf.Bytes()
		first = false
	}
}

func (f *frameReader) peekIs(b byte) bool {
	p, err := f.r.Peek(1)
	return err == nil && p[0] == b
}

// frameWriter writes whole framed messages; safe for concurrent use.
type frameWriter struct {
	mu      sync.Mutex
	w       io.Writer
	chunked bool
	buf     []byte
}

// writeHello writes the server hello: always end-of-message framed, with no
// trailing line feed (strict base:1.1 clients expect '#' right after it).
func (f *frameWriter) writeHello(msg []byte) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.buf = append(append(f.buf[:0], msg...), eomMarker...)
	_, err := f.w.Write(f.buf)
	return err
}

// write frames msg in the current mode and writes it with one Write.
func (f *frameWriter) write(msg []byte) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.buf = appendFrame(f.buf[:0], msg, f.chunked)
	_, err := f.w.Write(f.buf)
	if cap(f.buf) > 1<<20 {
		f.buf = nil // do not keep huge replies alive on idle sessions
	}
	return err
}

// appendFrame appends msg framed for the given mode.
func appendFrame(dst, msg []byte, chunked bool) []byte {
	if chunked {
		dst = fmt.Appendf(dst, "\n#%d\n", len(msg))
		dst = append(dst, msg...)
		return append(dst, "\n##\n"...)
	}
	dst = append(dst, msg...)
	if len(msg) == 0 || msg[len(msg)-1] != '\n' {
		dst = append(dst, '\n')
	}
	return append(dst, eomMarker+"\n"...)
}
