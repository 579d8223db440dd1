package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"time"

	"github.com/carrierkit/carrierkit/lab"
)

var errHelp = errors.New("help requested")

type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func isUsage(err error) bool {
	var u *usageError
	return errors.As(err, &u)
}

const usage = `usage:
  carrierkit-lab up [-sim BIN] [-mode sim|mesh] FILE   bring the lab up in network namespaces, print management addresses
  carrierkit-lab down FILE                           remove every namespace, link and process of the lab
  carrierkit-lab status FILE                         list what of the lab exists
  carrierkit-lab validate FILE...                    check files against containerlab's schema and the simulator
  carrierkit-lab node -topology FILE -node NAME -listen ADDR:PORT
                                                     (inside a namespace) run one node with the inter-simulator protocol`

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprintln(stderr, usage)
		return &usageError{"no command"}
	}
	switch args[0] {
	case "up":
		return cmdUp(ctx, args[1:], stdout, stderr)
	case "down":
		return cmdDown(ctx, args[1:], stdout)
	case "status":
		return cmdStatus(ctx, args[1:], stdout)
	case "validate":
		return cmdValidate(ctx, args[1:], stdout)
	case "node":
		return cmdNode(ctx, args[1:], stderr)
	case "-h", "-help", "--help", "help":
		fmt.Fprintln(stdout, usage)
		return errHelp
	}
	fmt.Fprintln(stderr, usage)
	return &usageError{fmt.Sprintf("unknown command %q", args[0])}
}

func oneFile(fs *flag.FlagSet, args []string) (string, error) {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return "", errHelp
		}
		return "", &usageError{err.Error()}
	}
	if fs.NArg() != 1 {
		return "", &usageError{fmt.Sprintf("%s needs exactly one topology file", fs.Name())}
	}
	return fs.Arg(0), nil
}

// sibling finds a program next to this executable, else in $PATH.
func sibling(name string) (string, error) {
	if self, err := os.Executable(); err == nil {
		p := filepath.Join(filepath.Dir(self), name)
		if _, err := os.Stat(p); err == nil {
			return p, nil
		}
	}
	p, err := exec.LookPath(name)
	if err != nil {
		return "", fmt.Errorf("%s not found next to carrierkit-lab or in $PATH (go build -o bin/ ./cmd/%s)", name, name)
	}
	return p, nil
}

func cmdUp(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("up", flag.ContinueOnError)
	fs.SetOutput(stderr)
	simBin := fs.String("sim", "", "carrierkit-sim `binary` (default: next to carrierkit-lab, else $PATH)")
	mode := fs.String("mode", "mesh", "`sim`: each node runs carrierkit-sim alone (no neighbours); mesh: each node runs carrierkit-lab node and learns the others over the lab's links")
	file, err := oneFile(fs, args)
	if err != nil {
		return err
	}
	p, err := lab.NewPlan(file)
	if err != nil {
		return err
	}
	var o lab.Options
	switch *mode {
	case "sim":
		bin := *simBin
		if bin == "" {
			if bin, err = sibling("carrierkit-sim"); err != nil {
				return err
			}
		}
		o.Command = lab.SimCommand(bin)
	case "mesh":
		self, err := os.Executable()
		if err != nil {
			return err
		}
		o.Command = lab.NodeCommand(self)
	default:
		return &usageError{fmt.Sprintf("-mode %q: want sim or mesh", *mode)}
	}
	start := time.Now()
	if err := lab.Up(ctx, p, o); err != nil {
		return err
	}
	lab.PrintAddresses(stdout, p)
	fmt.Fprintf(stdout, "up in %v (netns runner, %s mode); remove with: carrierkit-lab down %s\n", time.Since(start).Round(time.Millisecond), *mode, file)
	return nil
}

func cmdDown(ctx context.Context, args []string, stdout io.Writer) error {
	file, err := oneFile(flag.NewFlagSet("down", flag.ContinueOnError), args)
	if err != nil {
		return err
	}
	p, err := lab.NewPlan(file)
	if err != nil {
		return err
	}
	start := time.Now()
	if err := lab.Down(ctx, p); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "lab %s: down in %v, nothing left\n", p.Topology.Name, time.Since(start).Round(time.Millisecond))
	return nil
}

func cmdStatus(ctx context.Context, args []string, stdout io.Writer) error {
	file, err := oneFile(flag.NewFlagSet("status", flag.ContinueOnError), args)
	if err != nil {
		return err
	}
	p, err := lab.NewPlan(file)
	if err != nil {
		return err
	}
	left := lab.Leftovers(ctx, p)
	if len(left) == 0 {
		fmt.Fprintf(stdout, "lab %s: not running\n", p.Topology.Name)
		return nil
	}
	lab.PrintAddresses(stdout, p)
	for _, l := range left {
		fmt.Fprintln(stdout, "  "+l)
	}
	return nil
}

func cmdValidate(ctx context.Context, args []string, stdout io.Writer) error {
	if len(args) == 0 {
		return &usageError{"validate needs topology files"}
	}
	sp, err := lab.SchemaPath(ctx)
	if err != nil {
		return err
	}
	s, err := lab.LoadSchema(sp)
	if err != nil {
		return err
	}
	var errs []error
	for _, f := range args {
		if err := s.ValidateFile(f); err != nil {
			errs = append(errs, err)
			continue
		}
		if _, err := lab.NewPlan(f); err != nil {
			errs = append(errs, err)
			continue
		}
		fmt.Fprintf(stdout, "%s: ok\n", f)
	}
	return errors.Join(errs...)
}
