package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/carrierkit/carrierkit/design"
)

const catalogUsage = `Usage: carrierkit catalog [-definitions DEFS.yaml]

Catalog lists the service definitions an order may name: the predefined ones
and, with -definitions, the custom ones in the file, each with its
parameters (type, default, bounds or allowed values, and whether orders may
override it).

Flags:
`

func runCatalog(_ context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("catalog", flag.ContinueOnError)
	fs.SetOutput(stderr)
	defs := fs.String("definitions", "", "custom definitions `file` to list as well")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), catalogUsage)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("%w: catalog: unexpected argument %q", errUsage, fs.Arg(0))
	}
	cat, err := design.NewCatalog()
	if err != nil {
		return err
	}
	if *defs != "" {
		if cat, err = readFile(*defs, design.DecodeDefinitions); err != nil {
			return err
		}
	}
	for _, d := range cat.Definitions() {
		base := ""
		if d.Base != "" {
			base = " (based on " + d.Base + ")"
		}
		fmt.Fprintf(stdout, "%s: %s%s\n", d.Name, d.Type, base)
		if d.Description != "" {
			fmt.Fprintf(stdout, "    %s\n", d.Description)
		}
		for _, p := range d.Parameters {
			var b strings.Builder
			fmt.Fprintf(&b, "    %-16s %-7s", p.Name, p.Type)
			if p.Default != "" {
				fmt.Fprintf(&b, " default %s", p.Default)
			}
			if p.Min != "" || p.Max != "" {
				fmt.Fprintf(&b, " range %s-%s", p.Min, p.Max)
			}
			if len(p.Enum) > 0 {
				fmt.Fprintf(&b, " one of %s", strings.Join(p.Enum, "|"))
			}
			if p.Pattern != "" {
				fmt.Fprintf(&b, " pattern %s", p.Pattern)
			}
			if p.CanOverride() {
				b.WriteString(" (overridable)")
			} else {
				b.WriteString(" (fixed)")
			}
			fmt.Fprintln(stdout, b.String())
		}
	}
	return nil
}
