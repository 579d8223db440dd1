package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/carrierkit/carrierkit/pool"
	"github.com/carrierkit/carrierkit/store/bolt"
)

const poolUsage = `Usage: carrierkit pool <create|list|usage> [flags]

  pool create -name NAME -kind KIND -ranges R[,R…] [-admin ADMIN] [-scoped] [-exclude X,…] [-length N]
      creates a pool (pool.Manager.CreatePool); KIND is vlan, vcid, label,
      asn, rd, rt, ipv4 or ipv6; rd and rt need -admin (65000, 192.0.2.1 or
      4200000000).
  pool list
      lists every pool and its ranges.
  pool usage [NAME…]
      prints how many values each pool (or the named ones) holds and has free;
      a pool under its low-water mark is flagged LOW.

The store file (-store) is created with design's default pools if missing.
Exit status: 0 success, 1 failure (a bad spec, an existing pool), 2 usage.

Flags:
`

func runPool(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var sub string
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		sub, args = args[0], args[1:]
	}
	var storeFile, output, name, kind, ranges, exclude, admin string
	var scoped bool
	var length int
	fs := flag.NewFlagSet("pool", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&storeFile, "store", "carrierkit.db", "embedded store `file`, created with the default pools if missing")
	fs.StringVar(&output, "o", "text", "output `format`: text or json")
	fs.StringVar(&name, "name", "", "pool `name` (create)")
	fs.StringVar(&kind, "kind", "", "pool `kind` (create)")
	fs.StringVar(&ranges, "ranges", "", "comma-separated `ranges` or prefixes (create)")
	fs.StringVar(&exclude, "exclude", "", "comma-separated `values` left out of the ranges (create)")
	fs.StringVar(&admin, "admin", "", "administrator part of rd and rt `values` (create)")
	fs.BoolVar(&scoped, "scoped", false, "values unique per scope (per interface for VLANs) (create)")
	fs.IntVar(&length, "length", 0, "prefix `length` handed out by ipv4/ipv6 pools (create)")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), poolUsage)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	if output != "text" && output != "json" {
		return fmt.Errorf("%w: pool: -o %q: want text or json", errUsage, output)
	}
	switch sub {
	case "create", "list", "usage":
	case "":
		fs.Usage()
		return fmt.Errorf("%w: pool: give create, list or usage", errUsage)
	default:
		return fmt.Errorf("%w: pool: unknown subcommand %q", errUsage, sub)
	}
	if sub != "usage" && fs.NArg() > 0 {
		return fmt.Errorf("%w: pool %s: unexpected argument %q", errUsage, sub, fs.Arg(0))
	}
	var spec pool.Spec
	if sub == "create" {
		if name == "" || kind == "" || ranges == "" {
			return fmt.Errorf("%w: pool create: -name, -kind and -ranges are required", errUsage)
		}
		k, err := pool.ParseKind(kind)
		if err != nil {
			return fmt.Errorf("%w: pool create: -kind: %v", errUsage, err)
		}
		spec = pool.Spec{Name: name, Kind: k, Ranges: split(ranges), Exclude: split(exclude), Admin: admin, Scoped: scoped, Length: length}
	}
	if dir := dirOf(storeFile); dir != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return err
		}
	}
	st, err := bolt.Open(storeFile)
	if err != nil {
		return fmt.Errorf("pool: %w", err)
	}
	defer st.Close()
	m := pool.New(st)
	if err := ensurePools(ctx, m); err != nil {
		return fmt.Errorf("pool: %w", err)
	}
	switch sub {
	case "create":
		if err := m.CreatePool(ctx, spec); err != nil {
			return fmt.Errorf("pool create: %w", err)
		}
		return emit(stdout, output, spec, func() { fmt.Fprintf(stdout, "created pool %s (%s) %s\n", spec.Name, spec.Kind, ranges) })
	case "list":
		specs, err := m.Pools(ctx)
		if err != nil {
			return fmt.Errorf("pool list: %w", err)
		}
		return emit(stdout, output, specs, func() {
			for _, s := range specs {
				sc := ""
				if s.Scoped {
					sc = " scoped"
				}
				ad := ""
				if s.Admin != "" {
					ad = " admin " + s.Admin
				}
				fmt.Fprintf(stdout, "%-14s %-5s %s%s%s\n", s.Name, s.Kind, strings.Join(s.Ranges, ","), ad, sc)
			}
		})
	}
	names := fs.Args()
	if len(names) == 0 {
		specs, err := m.Pools(ctx)
		if err != nil {
			return fmt.Errorf("pool usage: %w", err)
		}
		for _, s := range specs {
			names = append(names, s.Name)
		}
	}
	var us []pool.Usage
	for _, n := range names {
		u, err := m.Usage(ctx, n)
		if err != nil {
			return fmt.Errorf("pool usage: %w", err)
		}
		us = append(us, u)
	}
	return emit(stdout, output, us, func() {
		fmt.Fprintf(stdout, "%-14s %-5s %8s %12s\n", "POOL", "KIND", "HELD", "FREE")
		for _, u := range us {
			low := ""
			if u.Low {
				low = "  LOW"
			}
			fmt.Fprintf(stdout, "%-14s %-5s %8d %12d%s\n", u.Pool, u.Kind, u.Held, u.Free, low)
		}
	})
}

func split(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func dirOf(path string) string {
	if i := strings.LastIndexByte(path, '/'); i > 0 {
		return path[:i]
	}
	return ""
}
