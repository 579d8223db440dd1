package provision

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
)

// BulkOptions bound a bulk deploy. The zero value means batches of 25
// services, 4 batches at once, no progress reports.
type BulkOptions struct {
	// BatchSize is how many services are pushed together: one lock,
	// load, check, confirmed commit and confirm cycle per device per batch.
	// 1 pushes each service on its own.
	BatchSize int
	// Concurrency is how many batches run at once. The per-device bound
	// is the session pool's PerDevice: batches that share a device take
	// turns on it.
	Concurrency int
	// Progress, if set, is called once per service when its outcome is
	// known, from the goroutine that deployed it (calls may come from
	// several goroutines at once, never twice for one service).
	Progress func(Progress)
}

// Progress reports one finished service of a bulk deploy.
type Progress struct {
	Service string
	Err     error // nil when deployed
	Done    int   // services finished so far, this one included
	Failed  int   // of which failed
	Total   int
}

// BulkResult is the outcome of one service of a bulk deploy.
type BulkResult struct {
	Service string
	Err     error
}

// Bulk deploys many independent services (validated orders named in
// names, such as the cell-site pseudowires of a mobile backhaul order) with
// bounded concurrency. The all-or-nothing unit is a batch: its services are
// pushed together, and if the batch fails every device is rolled back and
// each of its services is retried on its own, so one bad service fails
// alone and never stops the others. Results come in the order of names;
// the error is non-nil only when ctx ended (the services not yet finished
// then report ctx's error).
func (o *Orchestrator) Bulk(ctx context.Context, who string, names []string, opt BulkOptions) ([]BulkResult, error) {
	size, conc := opt.BatchSize, opt.Concurrency
	if size <= 0 {
		size = 25
	}
	if conc <= 0 {
		conc = 4
	}
	res, report := newReporter(names, opt.Progress)
	batches := o.batches(ctx, names, size)
	sem := make(chan struct{}, conc)
	var wg sync.WaitGroup
	for bi, batch := range batches {
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
			for _, b := range batches[bi:] {
				for _, i := range b {
					report(i, ctx.Err())
				}
			}
			wg.Wait()
			return res, ctx.Err()
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			o.bulkBatch(ctx, who, names, batch, report)
		}()
	}
	wg.Wait()
	return res, ctx.Err()
}

// newReporter returns the results of a bulk operation over names and the
// function that records service i's outcome in them and reports progress.
// report is safe to call from several goroutines, once per service.
func newReporter(names []string, progress func(Progress)) ([]BulkResult, func(i int, err error)) {
	res := make([]BulkResult, len(names))
	var mu sync.Mutex
	done, failed := 0, 0
	return res, func(i int, err error) {
		res[i] = BulkResult{Service: names[i], Err: err}
		mu.Lock()
		done++
		if err != nil {
			failed++
		}
		p := Progress{Service: names[i], Err: err, Done: done, Failed: failed, Total: len(names)}
		mu.Unlock()
		if progress != nil {
			progress(p)
		}
	}
}

// batches groups the services into batches of at most size, keeping
// services that share their hub (the device a cell site's pseudowire ends
// on; for other orders, the first endpoint's device) together, so that
// batches of different hubs do not wait for each other's devices.
func (o *Orchestrator) batches(ctx context.Context, names []string, size int) [][]int {
	keys := make([]string, len(names))
	for i, n := range names {
		r, err := o.load(ctx, n)
		if err != nil {
			continue // reported when the batch loads it
		}
		ord := r.Order
		switch {
		case len(ord.CellSites) == 1 && ord.CellSites[0].Hub != nil && *ord.CellSites[0].Hub < len(ord.Endpoints):
			keys[i] = ord.Endpoints[*ord.CellSites[0].Hub].Device
		case len(ord.Endpoints) > 0:
			keys[i] = ord.Endpoints[0].Device
		}
	}
	idx := make([]int, len(names))
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(a, b int) int { return strings.Compare(keys[a], keys[b]) })
	var out [][]int
	for start := 0; start < len(idx); {
		end := start + 1
		for end < len(idx) && end-start < size && keys[idx[end]] == keys[idx[start]] {
			end++
		}
		out = append(out, idx[start:end])
		start = end
	}
	// Interleave the groups so that the batches running at once belong to
	// different hubs.
	return interleave(out, keys)
}

// interleave orders batches round-robin over their keys.
func interleave(bs [][]int, keys []string) [][]int {
	var order []string
	groups := map[string][][]int{}
	for _, b := range bs {
		k := keys[b[0]]
		if _, ok := groups[k]; !ok {
			order = append(order, k)
		}
		groups[k] = append(groups[k], b)
	}
	var out [][]int
	for len(out) < len(bs) {
		for _, k := range order {
			if g := groups[k]; len(g) > 0 {
				out = append(out, g[0])
				groups[k] = g[1:]
			}
		}
	}
	return out
}

func (o *Orchestrator) bulkBatch(ctx context.Context, who string, names []string, batch []int, report func(int, error)) {
	var rs []*Record
	var idx []int
	for _, i := range batch {
		r, err := o.load(ctx, names[i])
		if err == nil && !deployable(&r) {
			err = fmt.Errorf("provision: deploy order %q in state %s: %w", names[i], r.State, ErrState)
		}
		if err != nil {
			report(i, err)
			continue
		}
		rs = append(rs, &r)
		idx = append(idx, i)
	}
	if len(rs) == 0 {
		return
	}
	err := o.deployBatch(ctx, who, rs)
	if err == nil {
		for _, i := range idx {
			report(i, nil)
		}
		return
	}
	if len(rs) == 1 || ctx.Err() != nil {
		for _, i := range idx {
			report(i, err)
		}
		return
	}
	// The batch failed as a whole: every device is back (rolled-back
	// records) or the batch is left to Recover (failed ones). Retry each
	// rolled-back service alone so that only the bad ones fail.
	for k, r := range rs {
		cur, lerr := o.load(ctx, r.Name)
		if lerr != nil {
			report(idx[k], errors.Join(err, lerr))
			continue
		}
		if !deployable(&cur) || cur.State == Failed {
			report(idx[k], err)
			continue
		}
		_, derr := o.Deploy(ctx, who, r.Name)
		report(idx[k], derr)
	}
}
