# carrierkit — build, test, demo and benchmark entry points.
# `make test` is what CI runs (.ci/run); `make demo` is the newcomer's tour.

GO      ?= go
GOFLAGS ?=
export GOFLAGS

# Packages that must stay pure (no sockets, no processes, no device or
# database libraries): see ../shared/STYLE.md R3 and R20.
PURE_PKGS := ./netid/... ./pool/...
FENCED    := ^(net|net/http|os/exec)$$|go.etcd.io/bbolt|jackc/pgx|scrapligo|go-netconf|/store/(bolt|postgres)$$

BENCH_POOL  := $(GO) test -run='^$$' -bench=. -benchtime=1x -timeout=30m ./pool/
BENCH_MICRO := $(GO) test -run='^$$' -bench=. -benchmem -timeout=30m ./netid/ ./store/... ./pool/internal/...

# The PostgreSQL suites run against a throwaway cluster on a loopback port,
# started (and Debian's postgresql installed, if missing) by this script.
PG := bash scripts/pg-test-server.sh

.PHONY: test fmt-check vet deps-fence unit quick demo bench fuzz pg-start pg-stop clean

## test: every check and every test suite, with the race detector
test: fmt-check vet deps-fence unit

fmt-check:
	@files=$$(gofmt -l $$(find . -name '*.go' -not -path './out/*')); \
	if [ -n "$$files" ]; then echo "gofmt needed on:"; echo "$$files"; exit 1; fi

vet:
	$(GO) vet ./...

deps-fence:
	@bad=$$($(GO) list -deps $(PURE_PKGS) | grep -E '$(FENCED)' || true); \
	if [ -n "$$bad" ]; then echo "pure packages ($(PURE_PKGS)) must not depend on:"; echo "$$bad"; exit 1; fi

unit:
	$(PG) run $(GO) test -race -count=1 -timeout=30m ./...

## quick: the fast inner loop — no race detector, no PostgreSQL, no crash tests
quick:
	CARRIERKIT_PG_OPTIONAL=1 $(GO) test -short ./...

pg-start:
	@$(PG) start
pg-stop:
	@$(PG) stop

## demo: the main job on the embedded store, no setup
demo:
	$(GO) run ./examples/claims -store out/demo/claims.db

## bench: benchmarks; results are appended to BENCHMARKS.md with the commands
bench:
	@{ echo; echo "## Run of $$(date -u +%Y-%m-%d) on $$(nproc) cores, $$($(GO) env GOVERSION)"; echo; \
	  echo '```'; echo '$$ $(PG) run $(BENCH_POOL)'; $(PG) run $(BENCH_POOL) 2>&1; \
	  echo '$$ $(PG) run $(BENCH_MICRO)'; $(PG) run $(BENCH_MICRO) 2>&1; echo '```'; } | tee -a BENCHMARKS.md

## fuzz: a short run of every fuzz target
FUZZTIME ?= 10s
fuzz:
	@for pkg in $$($(GO) list ./...); do \
	  dir=$$($(GO) list -f '{{.Dir}}' $$pkg); \
	  for f in $$(grep -ho '^func Fuzz[A-Za-z0-9_]*' $$dir/*_test.go 2>/dev/null | cut -d' ' -f2); do \
	    echo "fuzz $$pkg $$f"; $(GO) test $$pkg -run='^$$' -fuzz="^$$f$$" -fuzztime=$(FUZZTIME) || exit 1; \
	  done; \
	done

clean:
	rm -rf out
