package lab

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"syscall"
	"time"
)

// EtherType is the Ethernet type of the inter-simulator protocol's frames:
// IEEE 802's local experimental EtherType 1, which no real protocol uses.
const EtherType = 0x88b5

// maxChunk is the payload carried per frame; containerlab's default veth MTU
// (9500) leaves room for the 12-byte chunk header.
const maxChunk = 8000

// chunk header: magic "CK", message id (4), index (2), count (2), flags (2).
const chunkHeader = 12

// message is one protocol message: a hello (Kind "hello": who is at the far
// end of this link, and which LSA sequence numbers it holds) or a
// link-state advertisement (Kind "lsa").
type message struct {
	Kind  string            `json:"k"`
	From  string            `json:"from"`           // sender's node name
	Iface string            `json:"if,omitempty"`   // hello: sender's interface (eth1…)
	Seqs  map[string]uint64 `json:"seqs,omitempty"` // hello: origin → sequence held
	LSA   *lsa              `json:"lsa,omitempty"`
}

// lsa is what a node says about itself: its committed configuration and the
// links on which it hears its neighbours.
type lsa struct {
	Origin string      `json:"origin"`
	Seq    uint64      `json:"seq"`
	Digest string      `json:"digest"` // SHA-256 of Config
	Config string      `json:"config"` // committed configuration, Junos text
	Adj    []adjacency `json:"adj"`
}

// adjacency is one live link: a local interface and who answers on it.
type adjacency struct {
	Iface     string `json:"if"`
	Neighbor  string `json:"nbr"`
	NbrIface  string `json:"nbrif"`
	LastHeard int64  `json:"-"`
}

// gzipOver is the JSON size above which a message is compressed; hellos
// stay plain (compressing costs more than it saves on them).
const gzipOver = 1024

// flagGzip in a chunk header's flags says the message is gzip-compressed.
const flagGzip = 1

// encode serialises m (compressed when large) and splits it into frames.
func encode(m *message, id uint32) ([][]byte, error) {
	data, err := json.Marshal(m)
	if err != nil {
		return nil, err
	}
	var flags uint16
	if len(data) > gzipOver {
		var z bytes.Buffer
		w := gzip.NewWriter(&z)
		w.Write(data)
		if err := w.Close(); err != nil {
			return nil, err
		}
		data, flags = z.Bytes(), flagGzip
	}
	n := (len(data) + maxChunk - 1) / maxChunk
	if n > 0xffff {
		return nil, fmt.Errorf("message of %d bytes is too large", len(data))
	}
	var frames [][]byte
	for i := 0; i < n; i++ {
		part := data[i*maxChunk : min(len(data), (i+1)*maxChunk)]
		f := make([]byte, chunkHeader+len(part))
		f[0], f[1] = 'C', 'K'
		binary.BigEndian.PutUint32(f[2:], id)
		binary.BigEndian.PutUint16(f[6:], uint16(i))
		binary.BigEndian.PutUint16(f[8:], uint16(n))
		binary.BigEndian.PutUint16(f[10:], flags)
		copy(f[chunkHeader:], part)
		frames = append(frames, f)
	}
	return frames, nil
}

// reassembler puts chunks of messages received on one interface together.
type reassembler struct {
	id    uint32
	parts [][]byte
	have  int
}

// add takes one frame and returns the message once complete.
func (r *reassembler) add(f []byte) (*message, error) {
	if len(f) < chunkHeader || f[0] != 'C' || f[1] != 'K' {
		return nil, errors.New("not a carrierkit frame")
	}
	id := binary.BigEndian.Uint32(f[2:])
	i, n := int(binary.BigEndian.Uint16(f[6:])), int(binary.BigEndian.Uint16(f[8:]))
	if n == 0 || i >= n {
		return nil, errors.New("bad chunk header")
	}
	if r.parts == nil || r.id != id || len(r.parts) != n {
		r.id, r.parts, r.have = id, make([][]byte, n), 0
	}
	if r.parts[i] == nil {
		r.parts[i] = append([]byte(nil), f[chunkHeader:]...)
		r.have++
	}
	if r.have < n {
		return nil, nil
	}
	data := bytes.Join(r.parts, nil)
	r.parts = nil
	var in io.Reader = bytes.NewReader(data)
	if binary.BigEndian.Uint16(f[10:])&flagGzip != 0 {
		zr, err := gzip.NewReader(in)
		if err != nil {
			return nil, err
		}
		in = io.LimitReader(zr, 64<<20)
	}
	var m message
	if err := json.NewDecoder(in).Decode(&m); err != nil {
		return nil, err
	}
	return &m, nil
}

// port is a raw packet socket on one interface, carrying EtherType frames.
type port struct {
	name    string
	ifindex int
	fd      int
}

func htons(v uint16) uint16 { return v<<8 | v>>8 }

func openPort(name string) (*port, error) {
	ifc, err := net.InterfaceByName(name)
	if err != nil {
		return nil, err
	}
	fd, err := syscall.Socket(syscall.AF_PACKET, syscall.SOCK_DGRAM, int(htons(EtherType)))
	if err != nil {
		return nil, fmt.Errorf("%s: packet socket: %w", name, err)
	}
	if err := syscall.Bind(fd, &syscall.SockaddrLinklayer{Protocol: htons(EtherType), Ifindex: ifc.Index}); err != nil {
		syscall.Close(fd)
		return nil, fmt.Errorf("%s: bind: %w", name, err)
	}
	tv := syscall.NsecToTimeval(int64(200 * time.Millisecond))
	if err := syscall.SetsockoptTimeval(fd, syscall.SOL_SOCKET, syscall.SO_RCVTIMEO, &tv); err != nil {
		syscall.Close(fd)
		return nil, err
	}
	return &port{name: name, ifindex: ifc.Index, fd: fd}, nil
}

// send broadcasts one frame; a link that is down gives an error, which the
// caller ignores (the far end then stops hearing this node).
func (p *port) send(f []byte) error {
	to := &syscall.SockaddrLinklayer{Protocol: htons(EtherType), Ifindex: p.ifindex, Halen: 6,
		Addr: [8]byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}}
	return syscall.Sendto(p.fd, f, 0, to)
}

// recv returns the next frame received from the wire (not sent by this
// host), or nil after the receive timeout.
func (p *port) recv(buf []byte) ([]byte, error) {
	n, from, err := syscall.Recvfrom(p.fd, buf, 0)
	if err != nil {
		if errors.Is(err, syscall.EAGAIN) || errors.Is(err, syscall.EINTR) {
			return nil, nil
		}
		return nil, err
	}
	if ll, ok := from.(*syscall.SockaddrLinklayer); ok && ll.Pkttype == 4 { // PACKET_OUTGOING
		return nil, nil
	}
	return buf[:n], nil
}

func (p *port) close() { syscall.Close(p.fd) }
