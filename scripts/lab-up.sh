#!/usr/bin/env bash
# Bring a lab up, with containerlab where it can run, otherwise with
# carrierkit-lab's network-namespace runner; says which it used.
#   scripts/lab-up.sh [FILE]     (default lab/small.clab.yml)
# LAB_RUNNER=netns or LAB_RUNNER=containerlab forces one.
set -euo pipefail
cd "$(dirname "$0")/.."
file=${1:-lab/small.clab.yml}
runner=${LAB_RUNNER:-auto}
bin=out/lab-bin
mkdir -p "$bin"
CGO_ENABLED=0 go build -o "$bin/" ./cmd/carrierkit-lab ./cmd/carrierkit-sim

# containerlab v0.60.0 deploys only where Docker runs, the kernel lists its
# modules (/proc/modules) and privileged containers are allowed.
can_clab() {
	[ -r /proc/modules ] || { echo "lab-up: containerlab cannot run here: no /proc/modules (kernel without loadable modules)"; return 1; }
	command -v docker >/dev/null && docker info >/dev/null 2>&1 || { echo "lab-up: containerlab cannot run here: no Docker engine"; return 1; }
	docker run --rm --privileged --entrypoint /carrierkit-lab carrierkit-sim:local -h >/dev/null 2>&1 ||
		{ scripts/lab-image.sh >/dev/null && docker run --rm --privileged --entrypoint /carrierkit-lab carrierkit-sim:local -h >/dev/null 2>&1; } ||
		{ echo "lab-up: containerlab cannot run here: privileged containers are refused (or the image does not build)"; return 1; }
}
if [ "$runner" = auto ]; then
	if why=$(can_clab); then runner=containerlab; else echo "$why"; runner=netns; fi
fi
case $runner in
containerlab)
	clab=$(scripts/lab-containerlab.sh)
	scripts/lab-image.sh
	if ! "$clab" deploy -t "$file" --reconfigure; then
		echo "lab-up: containerlab deploy failed; cleaning up" >&2
		scripts/lab-down.sh "$file" || true
		exit 1
	fi
	echo "lab-up: used containerlab ($clab)"
	"$clab" inspect -t "$file"
	;;
netns)
	[ "$(id -u)" = 0 ] || { echo "lab-up: the netns runner needs root" >&2; exit 1; }
	"$bin/carrierkit-lab" up "$file"
	echo "lab-up: used the netns runner (carrierkit-lab up); containerlab was not used"
	;;
*) echo "lab-up: LAB_RUNNER=$runner: want auto, netns or containerlab" >&2; exit 2 ;;
esac
