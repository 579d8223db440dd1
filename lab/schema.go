package lab

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"gopkg.in/yaml.v3"
)

// ContainerlabModule is the containerlab release whose schema topologies are
// checked against and whose source ContainerlabBuild compiles.
const ContainerlabModule = "github.com/srl-labs/containerlab@v0.60.0"

// SchemaPath returns the path of schemas/clab.schema.json inside the
// containerlab module, fetching the module into the Go module cache with
// `go mod download` if it is not there yet.
func SchemaPath(ctx context.Context) (string, error) {
	dir, err := ModuleDir(ctx)
	if err != nil {
		return "", err
	}
	p := filepath.Join(dir, "schemas", "clab.schema.json")
	if _, err := os.Stat(p); err != nil {
		return "", fmt.Errorf("lab: containerlab schema: %w", err)
	}
	return p, nil
}

// ModuleDir returns the directory of ContainerlabModule in the Go module
// cache, downloading it first if needed.
func ModuleDir(ctx context.Context) (string, error) {
	cmd := exec.CommandContext(ctx, "go", "mod", "download", "-json", ContainerlabModule)
	cmd.Dir = os.TempDir() // outside any module: no go.mod is read or changed
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	var info struct{ Dir, Error string }
	if jerr := json.Unmarshal(out, &info); jerr == nil && info.Error != "" {
		return "", fmt.Errorf("lab: go mod download %s: %s", ContainerlabModule, info.Error)
	}
	if err != nil {
		return "", fmt.Errorf("lab: go mod download %s: %w: %s", ContainerlabModule, err, bytes.TrimSpace(stderr.Bytes()))
	}
	if info.Dir == "" {
		return "", fmt.Errorf("lab: go mod download %s printed no module directory", ContainerlabModule)
	}
	return info.Dir, nil
}

// Schema is containerlab's topology schema, compiled.
type Schema struct{ s *jsonschema.Schema }

// LoadSchema compiles the JSON schema in file (containerlab's
// schemas/clab.schema.json; see SchemaPath).
func LoadSchema(file string) (*Schema, error) {
	c := jsonschema.NewCompiler()
	s, err := c.Compile(file)
	if err != nil {
		return nil, fmt.Errorf("lab: schema %s: %w", file, err)
	}
	return &Schema{s}, nil
}

// ValidateFile checks the topology file against the schema, as containerlab
// reads it: YAML turned into JSON values, environment variables not yet
// expanded (the schema allows them in strings). The error names the file
// and lists every violation with its location.
func (s *Schema) ValidateFile(file string) error {
	b, err := os.ReadFile(file)
	if err != nil {
		return fmt.Errorf("lab: %w", err)
	}
	return s.Validate(file, b)
}

// Validate is ValidateFile for topology text; name is used in errors.
func (s *Schema) Validate(name string, text []byte) error {
	var doc any
	if err := yaml.Unmarshal(text, &doc); err != nil {
		return fmt.Errorf("lab: %s: %w", name, err)
	}
	// Round-trip through encoding/json so that the validator sees exactly
	// the value types JSON has (yaml.v3 yields int, bool, nested maps).
	j, err := json.Marshal(doc)
	if err != nil {
		return fmt.Errorf("lab: %s: not representable as JSON: %w", name, err)
	}
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(j))
	if err != nil {
		return fmt.Errorf("lab: %s: %w", name, err)
	}
	if err := s.s.Validate(v); err != nil {
		return fmt.Errorf("lab: %s does not match containerlab's schema: %w", name, err)
	}
	return nil
}
