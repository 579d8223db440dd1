#!/usr/bin/env bash
# Tear a lab down completely, whichever runner brought it up.
#   scripts/lab-down.sh [FILE]   (default lab/small.clab.yml)
set -euo pipefail
cd "$(dirname "$0")/.."
file=${1:-lab/small.clab.yml}
bin=out/lab-bin
status=0
cache=${XDG_CACHE_HOME:-$HOME/.cache}/carrierkit
if [ -x "$cache/containerlab-v0.60.0" ] && command -v docker >/dev/null && docker info >/dev/null 2>&1; then
	"$cache/containerlab-v0.60.0" destroy -t "$file" --cleanup || status=$?
	# destroy keeps the management network when no container was made (a
	# deploy that failed early); carrierkit's files name it clab-<lab>.
	net=clab-$(basename "$file" .clab.yml)
	if docker network inspect "$net" >/dev/null 2>&1; then
		docker network rm "$net" >/dev/null || status=$?
	fi
fi
if [ ! -x "$bin/carrierkit-lab" ]; then
	mkdir -p "$bin"
	CGO_ENABLED=0 go build -o "$bin/" ./cmd/carrierkit-lab
fi
"$bin/carrierkit-lab" down "$file" || status=$?
exit $status
