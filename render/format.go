package render

import (
	"errors"
	"fmt"
)

// Format is a configuration form. The zero Format is invalid.
type Format uint8

// The formats.
const (
	// FormatSet is Junos `set` lines (`show configuration | display set`);
	// removal output is `delete` lines. Load with
	// <load-configuration action="set" format="text">.
	FormatSet Format = iota + 1
	// FormatText is Junos curly-brace text (`show configuration`);
	// removal output carries `delete:` tags. Load with
	// <load-configuration action="merge" format="text">.
	FormatText
	// FormatXML is a Junos <configuration> document for
	// <load-configuration format="xml"> or NETCONF <edit-config>; removal
	// output marks elements operation="delete".
	FormatXML
	// FormatMDCLI is Nokia SR OS MD-CLI flat commands with absolute
	// paths ("/configure service epipe "X" …"). Nokia artifacts always
	// carry this format, whatever Format was asked for; it cannot be
	// asked for a Juniper device.
	FormatMDCLI
)

var formatNames = [...]string{FormatSet: "set", FormatText: "text", FormatXML: "xml", FormatMDCLI: "md-cli"}

// ParseFormat parses "set", "text", "xml" or "md-cli". Errors wrap
// [ErrFormat].
func ParseFormat(s string) (Format, error) {
	for i, n := range formatNames {
		if n != "" && n == s {
			return Format(i), nil
		}
	}
	return 0, fmt.Errorf("render: format %q: want set, text, xml or md-cli: %w", s, ErrFormat)
}

// IsValid reports whether f is a defined format.
func (f Format) IsValid() bool { return f >= FormatSet && f <= FormatMDCLI }

// String returns the format's name ("set"), or "invalid format".
func (f Format) String() string {
	if !f.IsValid() {
		return "invalid format"
	}
	return formatNames[f]
}

// Ext returns a file name extension for the format: "set", "conf", "xml",
// "mdcli".
func (f Format) Ext() string {
	switch f {
	case FormatSet:
		return "set"
	case FormatText:
		return "conf"
	case FormatXML:
		return "xml"
	case FormatMDCLI:
		return "mdcli"
	}
	return "txt"
}

// Artifact is one device's configuration for one service.
type Artifact struct {
	// Device is the inventory name of the device.
	Device string
	// Vendor is the device's vendor (design.VendorJuniper or
	// design.VendorNokia).
	Vendor string
	// Format is the form of Body.
	Format Format
	// Body is the configuration text. Render never shares it with
	// another artifact.
	Body []byte
}

// Sentinels, matched with errors.Is.
var (
	// ErrInvalid: the intent is not valid (wraps design's error too).
	ErrInvalid = errors.New("invalid intent")
	// ErrUnsupported: the platform cannot realise the intent (a statement
	// the device family does not have, a Nokia feature not rendered).
	ErrUnsupported = errors.New("not supported on platform")
	// ErrFormat: an unknown or unusable format.
	ErrFormat = errors.New("unknown format")
)

// Error is render's structured error: what went wrong for which service,
// device and field. It wraps one of the sentinels and, for intent that
// design rejects, design's own error.
type Error struct {
	Service string
	Device  string // empty when the error is about the whole service
	Field   string // intent field ("attachments[0].description"); may be empty
	Err     error
}

// Error formats the error as
// `render: service "S" device "D": field: cause`.
func (e *Error) Error() string {
	s := fmt.Sprintf("render: service %q", e.Service)
	if e.Device != "" {
		s += fmt.Sprintf(" device %q", e.Device)
	}
	if e.Field != "" {
		s += ": " + e.Field
	}
	return s + ": " + e.Err.Error()
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }
