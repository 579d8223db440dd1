#!/usr/bin/env bash
# Smoke test of the simulator image in unprivileged Docker containers, the
# way containerlab would run it: two linux nodes of a two-node topology
# (bound at /lab/topology.clab.yml, node names in CLAB_LABEL_CLAB_NODE_NAME),
# a veth pair eth1 ─ eth1 added after start, and the inter-simulator protocol
# bringing the link up. Removes its containers, network and veth on exit.
# Needs root and a running Docker engine; builds the image first.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/lab-image.sh >/dev/null
dir=$(mktemp -d)
net=ck-check-$$
cleanup() {
	docker rm -f "$net-pe1" "$net-p1" >/dev/null 2>&1 || true
	docker network rm "$net" >/dev/null 2>&1 || true
	rm -rf "$dir"
}
trap cleanup EXIT
cat >"$dir/duo.clab.yml" <<'YAML'
name: duo
topology:
  defaults:
    kind: linux
  nodes:
    pe1: {labels: {carrierkit.sim/platform: mx480}}
    p1: {labels: {carrierkit.sim/platform: ptx10003}}
  links:
    - endpoints: ["pe1:eth1", "p1:eth1"]
YAML
chmod 755 "$dir"
docker network create --subnet "${LAB_CHECK_SUBNET:-172.20.31.0/24}" "$net" >/dev/null
for n in pe1 p1; do
	docker run -d --name "$net-$n" --network "$net" -v "$dir/duo.clab.yml:/lab/topology.clab.yml:ro" \
		-e CARRIERKIT_TOPOLOGY=/lab/topology.clab.yml -e CLAB_LABEL_CLAB_NODE_NAME=$n carrierkit-sim:local >/dev/null
done
[ "$(docker inspect -f '{{.HostConfig.Privileged}}' "$net-pe1")" = false ]
a=$(docker inspect -f '{{.State.Pid}}' "$net-pe1")
b=$(docker inspect -f '{{.State.Pid}}' "$net-p1")
ip link add eth1 netns "$a" mtu 9500 type veth peer name eth1 netns "$b" mtu 9500
nsenter -t "$a" -n ip link set eth1 up
nsenter -t "$b" -n ip link set eth1 up
for _ in $(seq 1 100); do
	if docker logs "$net-pe1" 2>&1 | grep -q 'msg=link node=pe1 a=pe1:eth1 b=p1:eth1 up=true'; then
		echo "lab-docker-check: ok: unprivileged containers, link pe1:eth1 ─ p1:eth1 up over the protocol; pe1 at $(docker inspect -f '{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}' "$net-pe1"):830"
		exit 0
	fi
	sleep 0.1
done
echo "lab-docker-check: link did not come up; pe1 log:" >&2
docker logs "$net-pe1" >&2
exit 1
