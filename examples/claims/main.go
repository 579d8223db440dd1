// Command claims walks through carrierkit's resource pools on the embedded
// durable store (or, with -pg, on PostgreSQL): pools for VLANs per interface, VC IDs, RDs, RTs and PE–CE
// subnets; a brownfield mark; a dry run; an E-LINE claimed all-or-nothing
// and retried safely; an owner conflict; L3VPN sites; 10,000 mobile-backhaul
// pseudowires claimed concurrently; usage; a reopen that shows nothing was
// lost; and a release.
//
//	go run ./examples/claims -store out/claims.db
//	go run ./examples/claims -pg "$CARRIERKIT_PG_DSN"   # a shared PostgreSQL instead
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"sync"
	"text/tabwriter"
	"time"

	"github.com/carrierkit/carrierkit/pool"
	"github.com/carrierkit/carrierkit/store"
	"github.com/carrierkit/carrierkit/store/bolt"
	"github.com/carrierkit/carrierkit/store/postgres"
)

func main() {
	path := flag.String("store", "out/claims.db", "embedded store `file`; replaced on every run")
	bulk := flag.Int("bulk", 10000, "how many mobile-backhaul pseudowires to claim")
	dsn := flag.String("pg", "", "PostgreSQL `DSN` to use instead of the embedded store (its schema is emptied first); see also -pg-schema")
	schema := flag.String("pg-schema", "carrierkit_demo", "PostgreSQL `schema` for -pg")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	open := embedded(*path)
	if *dsn != "" {
		open = shared(*dsn, *schema)
	}
	if err := run(ctx, os.Stdout, open, *bulk); err != nil {
		fmt.Fprintln(os.Stderr, "claims:", err)
		os.Exit(1)
	}
}

var specs = []pool.Spec{
	{Name: "uni-vlan", Kind: pool.KindVLAN, Ranges: []string{"100-4000"}, Scoped: true, LowWater: 20},
	{Name: "vcid", Kind: pool.KindVCID, Ranges: []string{"1000-999999"}},
	{Name: "l3vpn-rd", Kind: pool.KindRD, Admin: "192.0.2.1", Ranges: []string{"1-65535"}},
	{Name: "l3vpn-rt", Kind: pool.KindRT, Admin: "65000", Ranges: []string{"100-9999"}},
	{Name: "pe-ce", Kind: pool.KindIPv4, Ranges: []string{"10.255.0.0/24"}, Length: 31, LowWater: 20},
}

// opener opens the demo's store: fresh the first time, as left the second.
type opener struct {
	where string
	open  func(ctx context.Context, fresh bool) (store.Store, error)
}

// embedded opens the bolt file at path.
func embedded(path string) opener {
	return opener{"the embedded store " + path, func(_ context.Context, fresh bool) (store.Store, error) {
		if fresh {
			if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
				return nil, err
			}
			if err := os.Remove(path); err != nil && !errors.Is(err, os.ErrNotExist) {
				return nil, err
			}
		}
		return bolt.Open(path)
	}}
}

// shared opens PostgreSQL at dsn, in schema, emptied of pools and claims
// the first time.
func shared(dsn, schema string) opener {
	return opener{"PostgreSQL schema " + schema, func(ctx context.Context, fresh bool) (store.Store, error) {
		st, err := postgres.Open(ctx, dsn, postgres.WithSchema(schema))
		if err != nil || !fresh {
			return st, err
		}
		var ops []store.Op
		err = st.List(ctx, "pool/", func(it store.Item) error {
			ops = append(ops, store.Delete(it.Key))
			return nil
		})
		for len(ops) > 0 && err == nil {
			n := min(len(ops), 1000)
			_, err = st.Txn(ctx, nil, ops[:n])
			ops = ops[n:]
		}
		if err != nil {
			st.Close()
			return nil, err
		}
		return st, nil
	}}
}

func run(ctx context.Context, w io.Writer, open opener, bulk int) error {
	st, err := open.open(ctx, true)
	if err != nil {
		return err
	}
	defer func() { st.Close() }()
	m := pool.New(st)

	fmt.Fprintf(w, "== Pools, in %s\n", open.where)
	for _, s := range specs {
		if err := m.CreatePool(ctx, s); err != nil {
			return err
		}
		scope := "pool-wide"
		if s.Scoped {
			scope = "per interface"
		}
		fmt.Fprintf(w, "  %-9s %-5s %-22s %s\n", s.Name, s.Kind, strings.Join(s.Ranges, ","), scope)
	}

	fmt.Fprintln(w, "\n== Brownfield: pe1:ge-0/0/1 already carries VLAN 100 for an existing service")
	if _, err := m.Claim(ctx, "brownfield:pe1:ge-0/0/1.100",
		pool.Request{Name: "vlan", Pool: "uni-vlan", Scope: "pe1:ge-0/0/1", Value: "100"}); err != nil {
		return err
	}
	fmt.Fprintln(w, "  marked as used by owner brownfield:pe1:ge-0/0/1.100")

	eline := []pool.Request{
		{Name: "vc-id", Pool: "vcid"},
		{Name: "vlan-a", Pool: "uni-vlan", Scope: "pe1:ge-0/0/1"},
		{Name: "vlan-z", Pool: "uni-vlan", Scope: "pe2:ge-0/0/2", SameAs: "vlan-a"},
	}
	fmt.Fprintln(w, "\n== Dry run of E-LINE eline-42 (same VLAN at both ends)")
	p, err := m.Preview(ctx, "eline-42", eline...)
	if err != nil {
		return err
	}
	printClaim(w, p)

	fmt.Fprintln(w, "\n== Claim eline-42: all values or none")
	c, err := m.Claim(ctx, "eline-42", eline...)
	if err != nil {
		return err
	}
	printClaim(w, c)
	again, err := m.Claim(ctx, "eline-42", eline...)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "  retried after a timeout: same claim (revision %d) — nothing leaked: %t\n", again.Revision, again.Revision == c.Revision)

	fmt.Fprintln(w, "\n== An operator asks for VLAN 100 on pe1:ge-0/0/1 by hand")
	_, err = m.Claim(ctx, "eline-43", pool.Request{Name: "vlan-a", Pool: "uni-vlan", Scope: "pe1:ge-0/0/1", Value: "100"})
	if !errors.Is(err, pool.ErrTaken) {
		return fmt.Errorf("expected an owner conflict, got %v", err)
	}
	fmt.Fprintf(w, "  refused: %v\n", err)

	fmt.Fprintln(w, "\n== L3VPN blue: one route target, an RD and a PE–CE /31 per site")
	if _, err := m.Claim(ctx, "l3vpn-blue", pool.Request{Name: "rt", Pool: "l3vpn-rt"}); err != nil {
		return err
	}
	for _, site := range []string{"paris", "lyon", "nice"} {
		c, err := m.Claim(ctx, "l3vpn-blue/"+site,
			pool.Request{Name: "rd", Pool: "l3vpn-rd"},
			pool.Request{Name: "pe-ce", Pool: "pe-ce"})
		if err != nil {
			return err
		}
		printClaim(w, c)
	}

	fmt.Fprintf(w, "\n== Mobile backhaul: %d cell-site pseudowires, claimed by 64 concurrent clients\n", bulk)
	start := time.Now()
	if err := claimCellSites(ctx, m, bulk); err != nil {
		return err
	}
	elapsed := time.Since(start)
	fmt.Fprintf(w, "  %d claims acknowledged durably in %s (%.0f claims/s)\n", bulk, elapsed.Round(time.Millisecond), float64(bulk)/elapsed.Seconds())

	fmt.Fprintln(w, "\n== Usage")
	if err := printUsage(ctx, w, m); err != nil {
		return err
	}

	fmt.Fprintln(w, "\n== Close the store and open it again: every claim is still there")
	st.Close()
	if st, err = open.open(ctx, false); err != nil {
		return err
	}
	m = pool.New(st)
	claims, err := m.Claims(ctx, "")
	if err != nil {
		return err
	}
	if err := m.Verify(ctx); err != nil {
		return err
	}
	fmt.Fprintf(w, "  %d claims found; verified: every value held once, by the claim that lists it\n", len(claims))

	fmt.Fprintln(w, "\n== Decommission eline-42: its values return to the pools")
	rel, err := m.Release(ctx, "eline-42")
	if err != nil {
		return err
	}
	printClaim(w, rel)
	next, err := m.Preview(ctx, "eline-44", eline...)
	if err != nil {
		return err
	}
	v, _ := next.Get("vlan-a")
	fmt.Fprintf(w, "  the next E-LINE on pe1:ge-0/0/1 would get VLAN %s again\n", v)
	return nil
}

func claimCellSites(ctx context.Context, m *pool.Manager, n int) error {
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for worker := range 64 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := worker; i < n; i += 64 {
				_, err := m.Claim(ctx, fmt.Sprintf("backhaul/cell-%05d", i),
					pool.Request{Name: "vc-id", Pool: "vcid"},
					pool.Request{Name: "vlan-csr", Pool: "uni-vlan", Scope: fmt.Sprintf("csr%d:ge-0/0/0", i)},
					pool.Request{Name: "vlan-agg", Pool: "uni-vlan", Scope: fmt.Sprintf("agg%d:xe-0/1/0", i/200)})
				if err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	return <-errs
}

func printClaim(w io.Writer, c pool.Claim) {
	var parts []string
	for _, it := range c.Items {
		where := ""
		if it.Scope != "" {
			where = "@" + it.Scope
		}
		parts = append(parts, fmt.Sprintf("%s%s=%s", it.Name, where, it.Value))
	}
	fmt.Fprintf(w, "  %-20s %s\n", c.Owner, strings.Join(parts, "  "))
}

func printUsage(ctx context.Context, w io.Writer, m *pool.Manager) error {
	tw := tabwriter.NewWriter(w, 2, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "  pool\tsize\theld\tfree\tscopes\tlow")
	for _, s := range specs {
		u, err := m.Usage(ctx, s.Name)
		if err != nil {
			return err
		}
		scopes := "-"
		if u.Scoped {
			scopes = fmt.Sprint(len(u.Scopes))
		}
		fmt.Fprintf(tw, "  %s\t%d\t%d\t%d\t%s\t%t\n", u.Pool, u.Size, u.Held, u.Free, scopes, u.Low)
	}
	return tw.Flush()
}
