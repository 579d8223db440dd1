#!/usr/bin/env bash
# test-deps.sh: install the Debian packages carrierkit's test suites drive, when they are missing.
#
#   bash scripts/test-deps.sh        check, and install what is missing (needs root and apt)
#
# What the suites use, and why:
#   yanglint (libyang2-tools)     validates rendered and simulated Junos XML against Juniper's YANG models
#   python3 + ncclient            an independent NETCONF client (its Junos device handler) against the simulator
#   ssh (openssh-client)          scrapligo's system transport and plain-ssh tests against the simulator
# PostgreSQL is installed by scripts/pg-test-server.sh when it starts its throwaway cluster.
set -euo pipefail

log() { printf 'test-deps: %s\n' "$*" >&2; }

missing=()
command -v yanglint >/dev/null 2>&1 || missing+=(libyang2-tools)
/usr/bin/python3 -c 'import ncclient' >/dev/null 2>&1 || missing+=(python3-ncclient)
command -v ssh >/dev/null 2>&1 || missing+=(openssh-client)

if [[ ${#missing[@]} -eq 0 ]]; then
	exit 0
fi
if [[ $(id -u) -ne 0 ]] || ! command -v apt-get >/dev/null 2>&1; then
	log "missing Debian packages: ${missing[*]} (install them: apt-get install ${missing[*]})"
	exit 1
fi
log "installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >&2
apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
