package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		if err != errHelp {
			fmt.Fprintln(os.Stderr, "carrierkit-lab:", err)
		}
		if isUsage(err) {
			os.Exit(2)
		}
		os.Exit(1)
	}
}
