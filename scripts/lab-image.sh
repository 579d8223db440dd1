#!/usr/bin/env bash
# Build the carrierkit-sim:local image (lab/Dockerfile) when a Docker engine
# answers; exit 3 (and say so) when none does.
#   scripts/lab-image.sh [TAG]
set -euo pipefail
tag=${1:-carrierkit-sim:local}
cd "$(dirname "$0")/.."
if ! command -v docker >/dev/null || ! docker info >/dev/null 2>&1; then
	echo "lab-image: no Docker engine is running; not building $tag" >&2
	exit 3
fi
ctx=$(mktemp -d)
trap 'rm -rf "$ctx"' EXIT
CGO_ENABLED=0 go build -trimpath -ldflags='-s -w' -o "$ctx/" ./cmd/carrierkit-lab ./cmd/carrierkit-sim
cp lab/Dockerfile "$ctx/"
docker build -q -t "$tag" "$ctx"
echo "lab-image: built $tag"
