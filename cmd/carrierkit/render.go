package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/carrierkit/carrierkit/design"
	"github.com/carrierkit/carrierkit/pool"
	"github.com/carrierkit/carrierkit/render"
	"github.com/carrierkit/carrierkit/store/bolt"
)

const renderUsage = `Usage: carrierkit render -order ORDER.yaml -out DIR [flags]

Render designs the service(s) an order asks for, claims their VLANs, VC IDs,
RDs, RTs, PE–CE subnets and labels from the pools in the store (one claim per
service; running the same order again claims nothing new), and writes one
configuration file per device: DIR/<device>.<ext> (set, conf, xml; mdcli for
Nokia devices). When a bulk order puts several services on one device, set,
text and MD-CLI files hold them all one after the other; XML files are then
written per service as DIR/<device>.<service>.xml. It prints what it claimed.

The order is checked and rendered with previewed values before anything is
claimed, so a bad order or an order render cannot handle claims nothing.

Orders, inventories and definitions are YAML (.yaml, .yml) or JSON (.json).
Without -inventory, inventory.yaml is looked for next to the order and then
in its parent directory; likewise definitions.yaml for -definitions, and
when none is found only the predefined catalog is used.

Flags:
`

type renderFlags struct {
	order, inventory, definitions, format, out, store string
	dryRun                                            bool
}

func runRender(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var f renderFlags
	fs := flag.NewFlagSet("render", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&f.order, "order", "", "order `file` (required)")
	fs.StringVar(&f.inventory, "inventory", "", "inventory `file` (default: inventory.yaml next to the order or in its parent)")
	fs.StringVar(&f.definitions, "definitions", "", "custom definitions `file` (default: definitions.yaml next to the order or in its parent, if any)")
	fs.StringVar(&f.format, "format", "set", "Junos output `form`: set, text or xml")
	fs.StringVar(&f.out, "out", "", "output `directory`, created if missing (required)")
	fs.StringVar(&f.store, "store", "carrierkit.db", "embedded pool store `file`, created (with the default pools) if missing")
	fs.BoolVar(&f.dryRun, "dry-run", false, "preview the claims and print them; write no files and claim nothing")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), renderUsage)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("%w: render: unexpected argument %q", errUsage, fs.Arg(0))
	}
	if f.order == "" {
		return fmt.Errorf("%w: render: -order is required", errUsage)
	}
	if f.out == "" && !f.dryRun {
		return fmt.Errorf("%w: render: -out is required", errUsage)
	}
	format, err := render.ParseFormat(f.format)
	if err != nil || format == render.FormatMDCLI {
		return fmt.Errorf("%w: render: -format %q: want set, text or xml", errUsage, f.format)
	}

	// Read everything before touching the store.
	o, err := readFile(f.order, design.DecodeOrder)
	if err != nil {
		return err
	}
	invPath := f.inventory
	if invPath == "" {
		if invPath = findNear(f.order, "inventory.yaml"); invPath == "" {
			return fmt.Errorf("%w: render: no -inventory given and no inventory.yaml next to %s", errUsage, f.order)
		}
	}
	inv, err := readFile(invPath, design.DecodeInventory)
	if err != nil {
		return err
	}
	defsPath := f.definitions
	if defsPath == "" {
		defsPath = findNear(f.order, "definitions.yaml")
	}
	cat, err := design.NewCatalog()
	if err != nil {
		return err
	}
	if defsPath != "" {
		if cat, err = readFile(defsPath, design.DecodeDefinitions); err != nil {
			return err
		}
	}
	def, ok := cat.Lookup(o.Definition)
	if !ok {
		return fmt.Errorf("%s: order %q: definition %q: no such definition (predefined: %s)", f.order, o.Name, o.Definition, builtinNames())
	}
	if err := o.Validate(inv, def); err != nil {
		return fmt.Errorf("%s: %w", f.order, err)
	}

	st, err := bolt.Open(f.store)
	if err != nil {
		return err
	}
	defer st.Close()
	m := pool.New(st)
	if err := ensurePools(ctx, m); err != nil {
		return err
	}

	// Dry run first: design with previewed values and render, so that an
	// order render refuses claims nothing.
	plan, err := design.Plan(ctx, m, inv, def, o)
	if err != nil {
		return fmt.Errorf("%s: %w", f.order, err)
	}
	if _, err := renderAll(plan, format); err != nil {
		return fmt.Errorf("%s: %w", f.order, err)
	}
	if f.dryRun {
		printClaims(stdout, plan, "would claim")
		return nil
	}
	rs, err := design.DesignAll(ctx, m, inv, def, o)
	if err != nil {
		return fmt.Errorf("%s: %w", f.order, err)
	}
	files, err := renderAll(rs, format)
	if err != nil {
		return fmt.Errorf("%s: %w", f.order, err)
	}
	printClaims(stdout, rs, "claimed")
	if err := os.MkdirAll(f.out, 0o755); err != nil {
		return err
	}
	for _, fl := range files {
		p := filepath.Join(f.out, fl.name)
		if err := os.WriteFile(p, fl.body, 0o644); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "wrote %s\n", p)
	}
	return nil
}

// readFile reads and decodes one input file.
func readFile[T any](name string, decode func(string, []byte, design.Format) (T, error)) (T, error) {
	b, err := os.ReadFile(name)
	if err != nil {
		var zero T
		return zero, err
	}
	return decode(name, b, design.FormatOf(name))
}

// findNear looks for file next to path, then in its parent directory.
func findNear(path, file string) string {
	dir := filepath.Dir(path)
	for _, d := range []string{dir, filepath.Dir(dir)} {
		p := filepath.Join(d, file)
		if st, err := os.Stat(p); err == nil && st.Mode().IsRegular() {
			return p
		}
	}
	return ""
}

func builtinNames() string {
	var ns []string
	for _, d := range design.Builtins() {
		ns = append(ns, d.Name)
	}
	return strings.Join(ns, ", ")
}

// ensurePools creates the default pools that are missing. A pool that
// exists with other ranges is the operator's choice and is kept.
func ensurePools(ctx context.Context, m *pool.Manager) error {
	for _, s := range design.DefaultPools() {
		if err := m.CreatePool(ctx, s); err != nil && !errors.Is(err, pool.ErrPoolExists) {
			return err
		}
	}
	return nil
}

type outFile struct {
	name string
	body []byte
}

// renderAll renders every service and groups the artifacts into files.
func renderAll(rs []design.Result, f render.Format) ([]outFile, error) {
	type art struct {
		svc string
		a   render.Artifact
	}
	var arts []art
	perDevice := map[string]int{}
	for _, r := range rs {
		as, err := render.All(r.Service, f)
		if err != nil {
			return nil, err
		}
		for _, a := range as {
			arts = append(arts, art{r.Service.Name, a})
			perDevice[a.Device]++
		}
	}
	var files []outFile
	index := map[string]int{}
	for _, x := range arts {
		name := x.a.Device + "." + x.a.Format.Ext()
		if x.a.Format == render.FormatXML && perDevice[x.a.Device] > 1 {
			name = x.a.Device + "." + x.svc + ".xml"
		}
		if i, ok := index[name]; ok {
			if b := files[i].body; len(b) > 0 && b[len(b)-1] != '\n' {
				files[i].body = append(b, '\n')
			}
			files[i].body = append(files[i].body, x.a.Body...)
			continue
		}
		index[name] = len(files)
		files = append(files, outFile{name: name, body: append([]byte(nil), x.a.Body...)})
	}
	return files, nil
}

func printClaims(w io.Writer, rs []design.Result, verb string) {
	for _, r := range rs {
		if len(r.Claim.Items) == 0 {
			fmt.Fprintf(w, "%s: nothing to claim\n", r.Service.Name)
			continue
		}
		for _, it := range r.Claim.Items {
			scope := ""
			if it.Scope != "" {
				scope = " scope " + it.Scope
			}
			fmt.Fprintf(w, "%s %s %s: pool %s%s value %s\n", verb, r.Service.Name, it.Name, it.Pool, scope, it.Value)
		}
	}
}
