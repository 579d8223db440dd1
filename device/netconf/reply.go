package netconf

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"strings"

	"github.com/carrierkit/carrierkit/device"
)

// reply is what the adapter reads out of one <rpc-reply>.
type reply struct {
	messageID string
	inner     []byte         // content of <rpc-reply>
	issues    []device.Issue // every rpc-error, at any depth
	ok        bool           // an <ok/> anywhere
	elems     map[string]bool
}

type xmlRPCError struct {
	Type     string `xml:"error-type"`
	Tag      string `xml:"error-tag"`
	Severity string `xml:"error-severity"`
	Path     string `xml:"error-path"`
	Message  string `xml:"error-message"`
	Info     struct {
		BadElement string `xml:"bad-element"`
	} `xml:"error-info"`
}

// parseReply checks that raw is one well-formed <rpc-reply> and collects its
// errors, <ok/> and the names of the elements in it. go-netconf's own
// parsing misses <ok/> and nested rpc-errors (bugs 3 and 9), so the adapter
// does its own.
func parseReply(raw []byte) (*reply, error) {
	dec := xml.NewDecoder(bytes.NewReader(raw))
	r := &reply{elems: map[string]bool{}}
	depth := 0
	var innerStart int64 = -1
	var innerEnd int64
	for {
		off := dec.InputOffset()
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("malformed reply: %w", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if depth == 0 {
				if t.Name.Local != "rpc-reply" {
					return nil, fmt.Errorf("malformed reply: root element <%s>, want <rpc-reply>", t.Name.Local)
				}
				for _, a := range t.Attr {
					if a.Name.Local == "message-id" {
						r.messageID = a.Value
					}
				}
				innerStart = dec.InputOffset()
				depth++
				continue
			}
			switch t.Name.Local {
			case "rpc-error":
				var e xmlRPCError
				if err := dec.DecodeElement(&e, &t); err != nil {
					return nil, fmt.Errorf("malformed rpc-error: %w", err)
				}
				sev := strings.TrimSpace(e.Severity)
				if sev == "" {
					sev = "error"
				}
				r.issues = append(r.issues, device.Issue{Severity: sev, Tag: strings.TrimSpace(e.Tag),
					Path: strings.TrimSpace(e.Path), Element: strings.TrimSpace(e.Info.BadElement),
					Message: strings.TrimSpace(e.Message)})
				continue
			case "ok":
				r.ok = true
			}
			r.elems[t.Name.Local] = true
			depth++
		case xml.EndElement:
			depth--
			if depth == 0 {
				innerEnd = off
			}
		}
	}
	if innerStart < 0 {
		return nil, fmt.Errorf("malformed reply: no <rpc-reply>")
	}
	if depth != 0 {
		return nil, fmt.Errorf("malformed reply: unclosed elements")
	}
	r.inner = bytes.TrimSpace(raw[innerStart:innerEnd])
	return r, nil
}

// rejected returns the reply's rpc-errors as a *device.RejectedError, or nil
// when none has severity error (warnings alone do not reject).
func (r *reply) rejected(target, op string) *device.RejectedError {
	return device.NewRejected(target, op, r.issues, string(r.inner))
}

// childText returns the unescaped text of the first element called name in
// the reply (at any depth), and whether there was one.
func (r *reply) childText(name string) (string, bool) {
	dec := xml.NewDecoder(bytes.NewReader(r.inner))
	for {
		tok, err := dec.Token()
		if err != nil {
			return "", false
		}
		if se, ok := tok.(xml.StartElement); ok && se.Name.Local == name {
			var s struct {
				Text string `xml:",chardata"`
			}
			if err := dec.DecodeElement(&s, &se); err != nil {
				return "", false
			}
			return s.Text, true
		}
	}
}

// childXML returns the raw bytes of the first element called name (at any
// depth), start and end tags included.
func (r *reply) childXML(name string) ([]byte, bool) {
	dec := xml.NewDecoder(bytes.NewReader(r.inner))
	for {
		start := dec.InputOffset()
		tok, err := dec.Token()
		if err != nil {
			return nil, false
		}
		if se, ok := tok.(xml.StartElement); ok && se.Name.Local == name {
			if err := dec.Skip(); err != nil {
				return nil, false
			}
			return r.inner[start:dec.InputOffset()], true
		}
	}
}

// checkElement reports whether s is exactly one well-formed XML element
// (with optional surrounding space), for RPCs a caller passes in.
func checkElement(s string) error {
	dec := xml.NewDecoder(strings.NewReader(s))
	depth, roots := 0, 0
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if depth == 0 {
				roots++
			}
			depth++
		case xml.EndElement:
			depth--
		case xml.CharData:
			if depth == 0 && len(bytes.TrimSpace(t)) > 0 {
				return fmt.Errorf("text outside the element")
			}
		case xml.ProcInst:
			return fmt.Errorf("processing instruction not allowed")
		}
	}
	if roots != 1 {
		return fmt.Errorf("want exactly one element, found %d", roots)
	}
	return nil
}

var escaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")

// escape makes s safe as XML character data, keeping newlines as they are.
func escape(s string) string { return escaper.Replace(s) }
