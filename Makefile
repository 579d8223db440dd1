# carrierkit — build, test, demo and benchmark entry points.
# `make test` is what CI runs (.ci/run); `make demo` is the newcomer's tour.

GO      ?= go
GOFLAGS ?=
export GOFLAGS

# Packages that must stay pure (no sockets, no processes, no device or
# database libraries): see ../shared/STYLE.md R3 and R20.
PURE_PKGS := ./netid/... ./pool/... ./design/... ./render/... ./sim/junosconf/... ./timing/... ./oam/... ./validate/... ./sla/... ./vnf/...
FENCED    := ^(net|net/http|os/exec)$$|go.etcd.io/bbolt|jackc/pgx|scrapligo|go-netconf|golang.org/x/crypto/ssh|/store/(bolt|postgres)$$
# design and render must not share code with the simulator: the simulator parses
# configuration the way a device does, so that it catches what render gets wrong.
INDEPENDENT := ./design/... ./render/... ./validate/...
SIM_PKGS    := /carrierkit/sim(/|$$)
# The contracts (device, store) carry no driver: adapters live in sub-packages.
CONTRACTS   := ./device ./store
DRIVERS     := scrapligo|go-netconf|golang.org/x/crypto|go.etcd.io/bbolt|jackc/pgx

BENCH_POOL  := $(GO) test -run='^$$' -bench=. -benchtime=1x -timeout=30m ./pool/
BENCH_MICRO := $(GO) test -run='^$$' -bench=. -benchmem -timeout=30m ./netid/ ./store/... ./pool/internal/...
# Each group is a list of single-quoted commands, run one after the other.
BENCH_SIM    := '$(GO) test -run=^$$ -bench="FleetStart" -benchtime=3x -benchmem ./sim/' \
                '$(GO) test -run=^$$ -bench="NETCONFRPCs" -benchtime=30000x ./sim/' \
                '$(GO) test -run=^$$ -bench="StartNetwork1000|ParseTopology|CLI" -benchmem ./sim/' \
                '$(GO) test -run=^$$ -bench="." -benchmem ./sim/junosconf/' \
                '$(GO) test -run=^$$ -bench="." -benchtime=5x -benchmem ./sim/netstate/' \
                '$(GO) test -run=^$$ -bench="NetworkScale|NetworkChangeVisible" -benchtime=1x ./sim/'
BENCH_OAM    := '$(GO) test -run=^$$ -bench="FullMesh|VPLS20Sim" -benchtime=5x ./oam/' \
                '$(GO) test -run=^$$ -bench="L3VPN200Sim" -benchtime=1x -timeout=20m ./oam/' \
                '$(GO) test -run=^$$ -bench="." -benchtime=20x ./timing/' \
                '$(GO) test -run=^$$ -bench="." -benchtime=3x -benchmem ./validate/' \
                '$(GO) test -run=^$$ -bench="." -benchtime=5x ./sla/collect/' \
                '$(GO) test -run=^$$ -bench="BenchmarkLifecycle" -benchtime=3x ./examples/lifecycle/' \
                '$(GO) test -run=^$$ -bench="." -benchmem ./vnf/...' \
                'LAB_RING=30 $(GO) test -run=^$$ -bench="LabRing" -benchtime=1x -timeout=20m ./lab/'
BENCH_DEVICE := '$(GO) test -run=^$$ -bench="." -benchmem ./device/ ./device/netconf/ ./device/cli/' \
                '$(GO) test -run=^$$ -bench="Discover200" -benchtime=3x ./inventory/' \
                '$(GO) test -run=^$$ -bench="DeployVPLS20" -benchtime=20x ./provision/' \
                '$(GO) test -run=^$$ -bench="BulkBackhaul2000" -benchtime=1x -timeout=30m ./provision/'
BENCH_RENDER := '$(GO) test -run=^$$ -bench="ELine500k|L3VPN" -benchmem -benchtime=1x ./render/' \
                '$(GO) test -run=^$$ -bench="^BenchmarkELine$$" -benchmem -benchtime=2s ./render/'
BENCH_DESIGN := '$(GO) test -run=^$$ -bench="DesignELine$$" -benchtime=500000x -benchmem ./design/' \
                '$(GO) test -run=^$$ -bench="Parallel" -benchtime=500000x -benchmem ./design/' \
                '$(GO) test -run=^$$ -bench="NoPool|BulkBackhaul" -benchmem ./design/'

# The PostgreSQL suites run against a throwaway cluster on a loopback port,
# started (and Debian's postgresql installed, if missing) by this script.
PG := bash scripts/pg-test-server.sh

.PHONY: test test-deps fmt-check vet deps-fence unit quick demo demo-claims sim lab-up lab-down lab-image lab-test bench bench-pool bench-sim bench-render bench-design bench-device bench-oam fuzz pg-start pg-stop clean

## test: every check and every test suite, with the race detector
test: test-deps fmt-check vet deps-fence unit

## test-deps: the Debian packages the suites drive (yanglint, ncclient, ssh); installs what is missing
test-deps:
	@bash scripts/test-deps.sh

fmt-check:
	@files=$$(gofmt -l $$(find . -name '*.go' -not -path './out/*')); \
	if [ -n "$$files" ]; then echo "gofmt needed on:"; echo "$$files"; exit 1; fi

vet:
	$(GO) vet ./...

deps-fence:
	@bad=$$($(GO) list -deps $(PURE_PKGS) | grep -E '$(FENCED)' || true); \
	if [ -n "$$bad" ]; then echo "pure packages ($(PURE_PKGS)) must not depend on:"; echo "$$bad"; exit 1; fi
	@bad=$$($(GO) list -deps $(INDEPENDENT) | grep -E '$(SIM_PKGS)' || true); \
	if [ -n "$$bad" ]; then echo "$(INDEPENDENT) must not depend on the simulator:"; echo "$$bad"; exit 1; fi
	@bad=$$($(GO) list -deps $(CONTRACTS) | grep -E '$(DRIVERS)' || true); \
	if [ -n "$$bad" ]; then echo "the contracts ($(CONTRACTS)) must not depend on drivers:"; echo "$$bad"; exit 1; fi

unit:
	$(PG) run $(GO) test -race -count=1 -timeout=30m ./...

## quick: the fast inner loop — no race detector, no PostgreSQL, no crash tests
quick:
	CARRIERKIT_PG_OPTIONAL=1 $(GO) test -short ./...

pg-start:
	@$(PG) start
pg-stop:
	@$(PG) stop

## demo: the main job — a service lifecycle on the embedded simulator and embedded store, no setup
demo:
	$(GO) run ./examples/lifecycle -out out/demo

## demo-claims: the resource-pool tour (claims, retries, conflicts, 10,000 concurrent claims on disk)
demo-claims:
	$(GO) run ./examples/claims -store out/demo-claims/claims.db

## lab-up / lab-down: bring a containerlab topology up for real (containerlab where it can run, else one
## network namespace per node with veth links; says which) and tear it down completely. LAB=lab/carrier.clab.yml
LAB ?= lab/small.clab.yml
lab-up:
	@bash scripts/lab-up.sh $(LAB)
lab-down:
	@bash scripts/lab-down.sh $(LAB)
## lab-image: the simulator image for containerlab (FROM scratch + static binaries), when Docker runs
lab-image:
	@bash scripts/lab-image.sh
## lab-test: only the lab suites (they bring labs up as root)
lab-test:
	$(GO) test -count=1 ./lab/ ./cmd/carrierkit-lab/

## sim: a three-device simulated network (2 PE + 1 P) on 127.0.1.1-3:830, until interrupted
sim:
	@mkdir -p out/sim
	$(GO) run ./cmd/carrierkit-sim -topology sim/testdata/topologies/small.clab.yml -known-hosts out/sim/known_hosts

## bench: every benchmark group; results are appended to BENCHMARKS.md with the commands
## (bench-pool, bench-sim, bench-render, bench-design, bench-device, bench-oam run one group)
bench: bench-pool bench-sim bench-render bench-design bench-device bench-oam

BENCH_HEAD = echo; echo "\#\# Run of $$(date -u +%Y-%m-%d) on $$(nproc) cores, $$($(GO) env GOVERSION): $@"; echo; echo '```'

bench-pool:
	@{ $(BENCH_HEAD); echo '$$ $(PG) run $(BENCH_POOL)'; $(PG) run $(BENCH_POOL) 2>&1; \
	  echo '$$ $(PG) run $(BENCH_MICRO)'; $(PG) run $(BENCH_MICRO) 2>&1; echo '```'; } | tee -a BENCHMARKS.md

bench-sim:
	@{ $(BENCH_HEAD); for c in $(BENCH_SIM); do echo "$$ $$c"; eval "$$c" 2>&1; done; echo '```'; } | tee -a BENCHMARKS.md
bench-render:
	@{ $(BENCH_HEAD); for c in $(BENCH_RENDER); do echo "$$ $$c"; eval "$$c" 2>&1; done; echo '```'; } | tee -a BENCHMARKS.md
bench-design:
	@{ $(BENCH_HEAD); for c in $(BENCH_DESIGN); do echo "$$ $$c"; eval "$$c" 2>&1; done; echo '```'; } | tee -a BENCHMARKS.md
bench-oam:
	@{ $(BENCH_HEAD); for c in $(BENCH_OAM); do echo "$$ $$c"; eval "$$c" 2>&1; done; echo '```'; } | tee -a BENCHMARKS.md
bench-device:
	@{ $(BENCH_HEAD); for c in $(BENCH_DEVICE); do echo "$$ $$c"; eval "$$c" 2>&1; done; echo '```'; } | tee -a BENCHMARKS.md

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
