package provision

import (
	"context"
	"errors"
	"fmt"
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
	res := make([]BulkResult, len(names))
	var mu sync.Mutex
	done, failed := 0, 0
	report := func(i int, err error) {
		res[i] = BulkResult{Service: names[i], Err: err}
		mu.Lock()
		done++
		if err != nil {
			failed++
		}
		p := Progress{Service: names[i], Err: err, Done: done, Failed: failed, Total: len(names)}
		mu.Unlock()
		if opt.Progress != nil {
			opt.Progress(p)
		}
	}
	sem := make(chan struct{}, conc)
	var wg sync.WaitGroup
	for start := 0; start < len(names); start += size {
		end := min(start+size, len(names))
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
			for i := start; i < len(names); i++ {
				report(i, ctx.Err())
			}
			wg.Wait()
			return res, ctx.Err()
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			o.bulkBatch(ctx, who, names, start, end, report)
		}()
	}
	wg.Wait()
	return res, ctx.Err()
}

func (o *Orchestrator) bulkBatch(ctx context.Context, who string, names []string, start, end int, report func(int, error)) {
	var rs []*Record
	var idx []int
	for i := start; i < end; i++ {
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
