package pool_test

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"strings"
	"sync"

	"github.com/carrierkit/carrierkit/pool"
)

// The crash and multi-process tests run this test binary again as child
// processes that claim and report each acknowledged claim on stdout as
// "ack <owner> <values>"; the parent reads those lines.

// ackClaims claims from clients goroutines: client c makes claims i = c,
// c+clients, … below n (forever when n < 0), for the owner and requests
// job(i) gives, printing one line per claim. It exits the process on the
// first error.
func ackClaims(m *pool.Manager, clients, n int, job func(i int) (string, []pool.Request)) {
	out := bufio.NewWriter(os.Stdout)
	var mu sync.Mutex
	var wg sync.WaitGroup
	for c := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := c; n < 0 || i < n; i += clients {
				owner, reqs := job(i)
				cl, err := m.Claim(context.Background(), owner, reqs...)
				mu.Lock()
				if err != nil {
					fmt.Fprintln(out, "error", owner, err)
				} else {
					fmt.Fprintln(out, "ack", owner, values(cl))
				}
				out.Flush()
				mu.Unlock()
				if err != nil {
					os.Exit(3)
				}
			}
		}()
	}
	wg.Wait()
}

// parseAck splits an "ack" line into the owner and its values.
func parseAck(line string) (owner, vals string, ok bool) {
	rest, ok := strings.CutPrefix(line, "ack ")
	if !ok {
		return "", "", false
	}
	return strings.Cut(rest, " ")
}
