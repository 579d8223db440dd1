#!/usr/bin/env bash
# Print the path of a containerlab v0.60.0 binary, building it once from the
# Go module proxy (cached under ${XDG_CACHE_HOME:-~/.cache}/carrierkit). The
# module needs one replacement to build (inet.af/netaddr moved to GitHub);
# the build happens in a copy of its module directory, never in this repo.
set -euo pipefail
version=v0.60.0
cache=${XDG_CACHE_HOME:-$HOME/.cache}/carrierkit
bin=$cache/containerlab-$version
if [ -x "$bin" ]; then echo "$bin"; exit 0; fi
mkdir -p "$cache"
dir=$(cd /tmp && go mod download -json "github.com/srl-labs/containerlab@$version" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
[ -n "$dir" ] || { echo "lab-containerlab: go mod download printed no module directory" >&2; exit 1; }
work=$(mktemp -d)
trap 'chmod -R u+w "$work"; rm -rf "$work"' EXIT
cp -r "$dir/." "$work/"
chmod -R u+w "$work"
(
	cd "$work"
	go mod edit -replace inet.af/netaddr=github.com/inetaf/netaddr@v0.0.0-20230525184311-b8eac61e914a
	GOFLAGS=-mod=mod CGO_ENABLED=0 go build -o "$bin.tmp" . >&2
)
mv "$bin.tmp" "$bin"
echo "$bin"
