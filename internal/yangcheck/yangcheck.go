package yangcheck

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
)

// Family is a Junos YANG family: which set of modules a device uses.
type Family string

// The families of Juniper's native models.
const (
	FamilyJunos Family = "junos"     // MX, ACX, PTX, M
	FamilyES    Family = "junos-es"  // SRX, vSRX
	FamilyNFX   Family = "junos-nfx" // NFX
)

// EnvModels names the environment variable that points at the models.
const EnvModels = "CARRIERKIT_JUNOS_YANG"

// HowToGet says where the models come from, for skip messages.
const HowToGet = "get Juniper's YANG models, release 23.4R2, from github.com/Juniper/yang " +
	"(folder 23.4/23.4R2/native/conf-and-rpcs: common/, junos/, junos-es/, junos-nfx/) and set " +
	EnvModels + " to that folder, or place it at ../shared/junos-yang beside the repository"

// Sentinels.
var (
	// ErrNoModels: the models folder is missing.
	ErrNoModels = errors.New("yangcheck: Junos YANG models not found")
	// ErrNoYanglint: the yanglint program is not installed.
	ErrNoYanglint = errors.New("yangcheck: yanglint not found (install libyang2-tools)")
	// ErrInvalid: yanglint rejected a document.
	ErrInvalid = errors.New("yangcheck: document not valid")
)

// Checker validates Junos configuration XML with yanglint. It holds only
// paths, so it is safe for concurrent use; every Validate runs its own
// yanglint process.
type Checker struct {
	dir string
	bin string
}

// Doc is one document to check: a name for messages and the XML.
type Doc struct {
	Name string
	XML  []byte
}

// ModelsDir returns the models folder: $CARRIERKIT_JUNOS_YANG, or
// ../shared/junos-yang next to the repository root (the nearest parent of
// the working directory that holds go.mod). It returns an error wrapping
// [ErrNoModels] if the folder has no junos/conf modules.
func ModelsDir() (string, error) {
	dir := os.Getenv(EnvModels)
	if dir == "" {
		root, err := repoRoot()
		if err != nil {
			return "", fmt.Errorf("%w: %v; %s", ErrNoModels, err, HowToGet)
		}
		dir = filepath.Join(root, "..", "shared", "junos-yang")
	}
	if _, err := os.Stat(filepath.Join(dir, "junos", "conf", moduleFile(FamilyJunos, "root"))); err != nil {
		return "", fmt.Errorf("%w in %s; %s", ErrNoModels, dir, HowToGet)
	}
	return dir, nil
}

func repoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		up := filepath.Dir(dir)
		if up == dir {
			return "", errors.New("no go.mod above the working directory")
		}
		dir = up
	}
}

// New returns a Checker for the models from [ModelsDir] and the yanglint
// on PATH. Errors wrap [ErrNoModels] or [ErrNoYanglint].
func New() (*Checker, error) {
	dir, err := ModelsDir()
	if err != nil {
		return nil, err
	}
	bin, err := exec.LookPath("yanglint")
	if err != nil {
		return nil, ErrNoYanglint
	}
	return &Checker{dir: dir, bin: bin}, nil
}

// ForTest returns a Checker for a test: the test is skipped (saying how to
// get the models) when the models are missing, and fails when yanglint is
// missing.
func ForTest(t testing.TB) *Checker {
	t.Helper()
	c, err := New()
	switch {
	case errors.Is(err, ErrNoModels):
		t.Skipf("skipping YANG validation: %v", err)
	case errors.Is(err, ErrNoYanglint):
		t.Fatalf("%v; `make test` installs it, or run: apt-get install libyang2-tools", err)
	case err != nil:
		t.Fatal(err)
	}
	return c
}

func moduleFile(fam Family, area string) string {
	return string(fam) + "-conf-" + area + "@2023-01-01.yang"
}

func namespace(fam Family, area string) string {
	return "http://yang.juniper.net/" + string(fam) + "/conf/" + area
}

// Validate checks each document against the family's models. A document
// is Junos XML as a device takes it: <configuration> with no namespaces.
// Before handing it to yanglint, Validate
//   - adds the root namespace to <configuration> and each area's module
//     namespace to every top-level child (<interfaces> → junos-conf-interfaces);
//   - drops Junos attributes the models do not describe (operation, delete,
//     replace, inactive, active, junos:*), and removes elements marked
//     operation="delete" that have no content (a deleted leaf), so a
//     removal document is checked as the skeleton of paths it deletes;
//   - rewrites Junos' keyword keys <community><add/><community-name>X…
//     under policy "then" to the YANG keys choice-ident/choice-value.
//
// It runs one yanglint for all documents and, if that fails, one per
// document to name the bad ones. Errors wrap [ErrInvalid] and quote
// yanglint's messages.
func (c *Checker) Validate(ctx context.Context, fam Family, docs ...Doc) error {
	tmp, err := os.MkdirTemp("", "yangcheck-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	areas := map[string]bool{}
	files := make([]string, len(docs))
	for i, d := range docs {
		out, used, err := prepare(fam, d.XML)
		if err != nil {
			return fmt.Errorf("%w: %s: %v", ErrInvalid, d.Name, err)
		}
		for _, a := range used {
			areas[a] = true
		}
		files[i] = filepath.Join(tmp, fmt.Sprintf("doc%04d.xml", i))
		if err := os.WriteFile(files[i], out, 0o600); err != nil {
			return err
		}
	}
	var mods []string
	mods = append(mods, filepath.Join(c.dir, string(fam), "conf", moduleFile(fam, "root")))
	for _, a := range slices.Sorted(func(yield func(string) bool) {
		for a := range areas {
			if !yield(a) {
				return
			}
		}
	}) {
		f := filepath.Join(c.dir, string(fam), "conf", moduleFile(fam, a))
		if _, err := os.Stat(f); err != nil {
			return fmt.Errorf("%w: top-level statement %q has no module in family %s", ErrInvalid, a, fam)
		}
		mods = append(mods, f)
	}
	for i, m := range mods {
		if mods[i], err = escaped(m, tmp); err != nil {
			return err
		}
	}
	msg, ok := c.run(ctx, fam, mods, files)
	if ok {
		return nil
	}
	if len(docs) == 1 {
		return fmt.Errorf("%w: %s: %s", ErrInvalid, docs[0].Name, msg)
	}
	var errs []error
	for i, f := range files {
		if m, ok := c.run(ctx, fam, mods, []string{f}); !ok {
			errs = append(errs, fmt.Errorf("%w: %s: %s", ErrInvalid, docs[i].Name, m))
		}
	}
	if len(errs) == 0 {
		return fmt.Errorf("%w: documents valid alone but not together: %s", ErrInvalid, msg)
	}
	return errors.Join(errs...)
}

// badEscape is a backslash before a character YANG's double-quoted strings
// do not escape; libyang rejects it.
var badEscape = regexp.MustCompile(`\\([^nt"\\])`)

// escaped returns module path as is, or, when it has backslashes libyang
// rejects (the published class-of-service modules write "\*" in
// patterns), a copy in dir with those backslashes doubled, which is what
// the pattern means.
func escaped(path, dir string) (string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return "", err
	}
	if !badEscape.Match(b) {
		return path, nil
	}
	out := filepath.Join(dir, filepath.Base(path))
	return out, os.WriteFile(out, badEscape.ReplaceAll(b, []byte(`\\$1`)), 0o600)
}

func (c *Checker) run(ctx context.Context, fam Family, mods, files []string) (string, bool) {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Minute)
	defer cancel()
	args := []string{"-t", "config", "-p", filepath.Join(c.dir, "common"), "-p", filepath.Join(c.dir, string(fam), "conf")}
	args = append(args, mods...)
	args = append(args, files...)
	cmd := exec.CommandContext(ctx, c.bin, args...)
	var out bytes.Buffer
	cmd.Stdout = &out
	cmd.Stderr = &out
	err := cmd.Run()
	if err != nil {
		return strings.TrimSpace(out.String()) + " (" + err.Error() + ")", false
	}
	return "", true
}

// junosAttrs are the attributes Junos takes on configuration elements and
// the models do not describe.
var junosAttrs = map[string]bool{"operation": true, "delete": true, "replace": true, "inactive": true, "active": true, "insert": true}

type elem struct {
	name    string
	deleted bool
	start   int // offset in out where the start tag begins
	content bool
}

// prepare rewrites a device document for yanglint (see Validate) and
// returns the top-level statement names it uses.
func prepare(fam Family, doc []byte) ([]byte, []string, error) {
	d := xml.NewDecoder(bytes.NewReader(doc))
	var out bytes.Buffer
	var stack []elem
	var areas []string
	skip := 0 // depth of a keyword element being rewritten
	sawRoot := false
	for {
		tok, err := d.RawToken()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, nil, err
		}
		if skip > 0 {
			switch tok.(type) {
			case xml.StartElement:
				skip++
			case xml.EndElement:
				skip--
			}
			continue
		}
		switch tk := tok.(type) {
		case xml.StartElement:
			name := tk.Name.Local
			if len(stack) > 0 {
				stack[len(stack)-1].content = true
			}
			if len(stack) >= 2 && stack[len(stack)-1].name == "community" && stack[len(stack)-2].name == "then" &&
				(name == "add" || name == "delete" || name == "set") {
				fmt.Fprintf(&out, "<choice-ident>%s</choice-ident><choice-value>%s</choice-value>", name, name)
				skip = 1
				continue
			}
			e := elem{name: name, start: out.Len()}
			for _, a := range tk.Attr {
				if a.Name.Local == "operation" && a.Value == "delete" || a.Name.Local == "delete" {
					e.deleted = true
				}
			}
			out.WriteString("<" + name)
			switch len(stack) {
			case 0:
				if name != "configuration" {
					return nil, nil, fmt.Errorf("root element is <%s>, want <configuration>", name)
				}
				sawRoot = true
				out.WriteString(` xmlns="` + namespace(fam, "root") + `"`)
			case 1:
				out.WriteString(` xmlns="` + namespace(fam, name) + `"`)
				if !slices.Contains(areas, name) {
					areas = append(areas, name)
				}
			}
			for _, a := range tk.Attr {
				if a.Name.Space == "xmlns" || a.Name.Local == "xmlns" || a.Name.Space == "junos" || junosAttrs[a.Name.Local] {
					continue
				}
				return nil, nil, fmt.Errorf("unexpected attribute %s on <%s>", a.Name.Local, name)
			}
			out.WriteString(">")
			stack = append(stack, e)
		case xml.EndElement:
			if len(stack) == 0 {
				return nil, nil, errors.New("unbalanced end tag")
			}
			e := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			if e.deleted && !e.content {
				out.Truncate(e.start)
				continue
			}
			out.WriteString("</" + e.name + ">")
		case xml.CharData:
			if len(bytes.TrimSpace(tk)) == 0 {
				out.WriteByte('\n')
				continue
			}
			if len(stack) > 0 {
				stack[len(stack)-1].content = true
			}
			xml.EscapeText(&out, tk)
		case xml.ProcInst, xml.Comment, xml.Directive:
		}
	}
	if !sawRoot {
		return nil, nil, errors.New("no <configuration> element")
	}
	return out.Bytes(), areas, nil
}
