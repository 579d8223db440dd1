package provision

import (
	"context"
	"sync"
)

// BulkChange applies one change — a modify, a migration, a decommission, a
// verification — to many services, each service on its own and all or
// nothing for that service exactly as the single-service call is, with at
// most opt.Concurrency services in flight (the per-device bound is the
// session pool's PerDevice; opt.BatchSize is not used). change is called
// once per name, from several goroutines at once; it is typically a method
// value such as
//
//	func(ctx context.Context, name string) error { _, err := o.Decommission(ctx, who, name); return err }
//
// A failing service is reported in its result and in opt.Progress and
// never stops the others. Results come in the order of names; the error is
// non-nil only when ctx ended, and the services not started by then report
// ctx's error without change being called.
func (o *Orchestrator) BulkChange(ctx context.Context, names []string, opt BulkOptions, change func(ctx context.Context, name string) error) ([]BulkResult, error) {
	conc := opt.Concurrency
	if conc <= 0 {
		conc = 4
	}
	res, report := newReporter(names, opt.Progress)
	sem := make(chan struct{}, conc)
	var wg sync.WaitGroup
	for i, name := range names {
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
			for j := i; j < len(names); j++ {
				report(j, ctx.Err())
			}
			wg.Wait()
			return res, ctx.Err()
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			report(i, change(ctx, name))
		}()
	}
	wg.Wait()
	return res, ctx.Err()
}

// BulkDecommission decommissions many services with [Orchestrator.BulkChange].
func (o *Orchestrator) BulkDecommission(ctx context.Context, who string, names []string, opt BulkOptions) ([]BulkResult, error) {
	return o.BulkChange(ctx, names, opt, func(ctx context.Context, name string) error {
		_, err := o.Decommission(ctx, who, name)
		return err
	})
}
