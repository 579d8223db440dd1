package design

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"

	"gopkg.in/yaml.v3"
)

// Format is the encoding of an input file.
type Format uint8

// The input formats.
const (
	// FormatAuto picks JSON when the data starts with '{' or '[' (after
	// space), YAML otherwise.
	FormatAuto Format = iota
	FormatYAML
	FormatJSON
)

// FormatOf returns the format a file name's extension says: FormatJSON for
// ".json", FormatYAML for ".yaml" and ".yml", FormatAuto otherwise.
func FormatOf(name string) Format {
	switch strings.ToLower(path.Ext(name)) {
	case ".json":
		return FormatJSON
	case ".yaml", ".yml":
		return FormatYAML
	}
	return FormatAuto
}

// decode reads data (named name in errors) into v, refusing unknown fields
// and trailing documents.
func decode(name string, data []byte, f Format, v any) error {
	if f == FormatAuto {
		f = FormatYAML
		if t := bytes.TrimSpace(data); len(t) > 0 && (t[0] == '{' || t[0] == '[') {
			f = FormatJSON
		}
	}
	var err error
	switch f {
	case FormatJSON:
		d := json.NewDecoder(bytes.NewReader(data))
		d.DisallowUnknownFields()
		if err = d.Decode(v); err == nil && d.More() {
			err = errors.New("data after the first JSON value")
		}
		var se *json.SyntaxError
		var te *json.UnmarshalTypeError
		switch {
		case errors.As(err, &se):
			err = fmt.Errorf("line %d: %w", lineAt(data, se.Offset), err)
		case errors.As(err, &te):
			err = fmt.Errorf("line %d: field %s: %w", lineAt(data, te.Offset), te.Field, err)
		}
	default:
		d := yaml.NewDecoder(bytes.NewReader(data))
		d.KnownFields(true)
		if err = d.Decode(v); err == nil {
			var extra yaml.Node
			if d.Decode(&extra) != io.EOF {
				err = errors.New("more than one YAML document")
			}
		} else if err == io.EOF {
			err = errors.New("empty document")
		}
	}
	if err != nil {
		return fmt.Errorf("%s: %w: %w", name, err, ErrInvalid)
	}
	return nil
}

func lineAt(data []byte, off int64) int {
	if off > int64(len(data)) {
		off = int64(len(data))
	}
	return 1 + bytes.Count(data[:off], []byte("\n"))
}

// inventoryFile is the layout of an inventory file.
type inventoryFile struct {
	Devices []Device `json:"devices" yaml:"devices"`
}

// definitionsFile is the layout of a definitions file.
type definitionsFile struct {
	Definitions []Definition `json:"definitions" yaml:"definitions"`
}

// fileError prefixes an error with the file it concerns.
type fileError struct {
	name string
	err  error
}

func (e *fileError) Error() string {
	return e.name + ": " + strings.TrimPrefix(e.err.Error(), "design: ")
}

func (e *fileError) Unwrap() error { return e.err }

// DecodeInventory reads an inventory ("devices: [...]") from data, in
// format f, and builds it with [NewInventory]. name is the file name
// errors start with.
func DecodeInventory(name string, data []byte, f Format) (*Inventory, error) {
	var file inventoryFile
	if err := decode(name, data, f, &file); err != nil {
		return nil, err
	}
	inv, err := NewInventory(file.Devices)
	if err != nil {
		return nil, &fileError{name, err}
	}
	return inv, nil
}

// DecodeDefinitions reads custom definitions ("definitions: [...]") from
// data and returns a [Catalog] of the predefined entries plus them. Errors
// name the file, the definition and the parameter:
//
//	definitions.yaml: definition "gold-eline": parameter "mtu": default 20000 above max 9216
func DecodeDefinitions(name string, data []byte, f Format) (*Catalog, error) {
	var file definitionsFile
	if err := decode(name, data, f, &file); err != nil {
		return nil, err
	}
	c, err := NewCatalog(file.Definitions...)
	if err != nil {
		return nil, &fileError{name, err}
	}
	return c, nil
}

// DecodeOrder reads one order from data. It checks only the encoding;
// [Order.Validate] and [DesignAll] check the content.
func DecodeOrder(name string, data []byte, f Format) (*Order, error) {
	var o Order
	if err := decode(name, data, f, &o); err != nil {
		return nil, err
	}
	return &o, nil
}
