#!/usr/bin/env bash
# pg-test-server.sh: a throwaway PostgreSQL cluster for carrierkit's tests.
#
#   eval "$(bash scripts/pg-test-server.sh start)"  start it, or reuse the running one, and
#                                                    export CARRIERKIT_PG_DSN in this shell
#   bash scripts/pg-test-server.sh env               print the export line of the running cluster
#   bash scripts/pg-test-server.sh status            say whether it runs (exit 0) or not (exit 3)
#   bash scripts/pg-test-server.sh stop              stop it and delete all its files
#   bash scripts/pg-test-server.sh run CMD [ARG...]  start a private cluster, run CMD with
#                                                    CARRIERKIT_PG_DSN set, then stop and delete it;
#                                                    exits with CMD's status (for make and CI)
#
# The cluster of start/env/status/stop lives in one directory: CARRIERKIT_PG_DIR, by default one
# per user and per checkout under /tmp. run uses a fresh directory unless CARRIERKIT_PG_DIR is
# set, and then stops the cluster only if it started it. The cluster listens on 127.0.0.1 only, on
# a free port, with no Unix socket, and trusts every loopback connection: it is for tests, never
# for data anyone wants to keep. The server runs with
# fsync and synchronous_commit on, like a production one. Its database "carrierkit" uses an ICU
# en-US default collation where the server supports it, so the tests notice SQL that forgets
# carrierkit's byte-order ("C") keys.
#
# When PostgreSQL's server programs are missing, start installs Debian's postgresql package
# (as root, after apt-get update). initdb refuses to run as root, so as root the cluster runs as
# the user "postgres" (or "nobody" if there is none).
#
# Only start and env write to stdout (the export line); progress and errors go to stderr.
set -euo pipefail

readonly DB=carrierkit
readonly ROLE=carrierkit

repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
dir=${CARRIERKIT_PG_DIR:-/tmp/carrierkit-pg-$(id -u)-$(printf '%s' "$repo_root" | cksum | cut -d' ' -f1)}
data=$dir/data

log() { printf 'pg-test-server: %s\n' "$*" >&2; }
die() { log "$*"; exit 1; }

# bindir prints the directory of the newest installed initdb/pg_ctl pair, or fails.
bindir() {
	local d
	for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
		if [[ -x $d/initdb && -x $d/pg_ctl && -x $d/postgres ]]; then
			echo "$d"
			return 0
		fi
	done
	if d=$(command -v initdb 2>/dev/null) && d=$(dirname "$(readlink -f "$d")") &&
		[[ -x $d/pg_ctl && -x $d/postgres ]]; then
		echo "$d"
		return 0
	fi
	return 1
}

install_postgres() {
	[[ $(id -u) -eq 0 ]] || die "PostgreSQL is not installed and installing it needs root: apt-get install postgresql"
	command -v apt-get >/dev/null || die "PostgreSQL is not installed and this is not a Debian-like system: install it"
	log "installing PostgreSQL (apt-get update, apt-get install postgresql)"
	# Debian's package would create and start a cluster of its own; this one needs none.
	mkdir -p /etc/postgresql-common/createcluster.d
	echo 'create_main_cluster = false' >/etc/postgresql-common/createcluster.d/carrierkit-no-main.conf
	apt-get update -qq >&2
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql >&2
}

# as_server runs its arguments as the user that owns the cluster, from inside $dir.
as_server() {
	if [[ $(id -u) -eq 0 ]]; then
		(cd "$dir" && runuser -u "$server_user" -- "$@")
	else
		(cd "$dir" && "$@")
	fi
}

server_user=$(id -un)
if [[ $(id -u) -eq 0 ]]; then
	server_user=nobody
	id postgres >/dev/null 2>&1 && server_user=postgres
fi

running() { [[ -f $data/PG_VERSION ]] && as_server "$bin/pg_ctl" status -D "$data" >/dev/null 2>&1; }

dsn() { echo "postgres://$ROLE@127.0.0.1:$(cat "$dir/port")/$DB?sslmode=disable"; }

print_env() { printf "export CARRIERKIT_PG_DSN='%s'\n" "$(dsn)"; }

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# start_server starts the initialized cluster on a free port, retrying when another process
# takes the port first.
start_server() {
	local port try
	for try in 1 2 3 4 5 6 7 8; do
		port=$((20000 + RANDOM % 30000))
		port_in_use "$port" && continue
		echo "$port" >"$dir/port"
		if as_server "$bin/pg_ctl" start -w -t 60 -D "$data" -l "$dir/server.log" \
			-o "-c port=$port -c listen_addresses=127.0.0.1 -c unix_socket_directories=''" >/dev/null 9>&-; then
			return 0
		fi
		log "start on port $port failed (try $try); server log:"
		tail -n 5 "$dir/server.log" >&2 || true
	done
	die "could not start PostgreSQL; see $dir/server.log"
}

init_cluster() {
	mkdir -p "$dir"
	chmod 700 "$dir"
	[[ $(id -u) -eq 0 ]] && chown "$server_user" "$dir"
	log "creating a cluster in $data (server user $server_user)"
	# initdb's own fsync of the new files is skipped (--no-sync): if the machine crashes during
	# initdb this throwaway cluster is simply made again. The server itself runs with fsync on.
	as_server "$bin/initdb" -D "$data" -U "$ROLE" -A trust -E UTF8 --no-locale --no-sync \
		--no-instructions >"$dir/initdb.log" 2>&1 || {
		cat "$dir/initdb.log" >&2
		die "initdb failed"
	}
	cat >>"$data/postgresql.conf" <<-'EOF'

		# carrierkit test cluster (scripts/pg-test-server.sh)
		fsync = on
		synchronous_commit = on
		full_page_writes = on
		max_connections = 300
		shared_buffers = 128MB
		log_min_messages = warning
		log_line_prefix = '%m [%p] '
	EOF
}

create_db() {
	local psql=("$bin/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$(cat "$dir/port")" -U "$ROLE" -d postgres)
	if "${psql[@]}" -tAc "SELECT 1 FROM pg_database WHERE datname = '$DB'" | grep -q 1; then
		return 0
	fi
	"${psql[@]}" -c "CREATE DATABASE $DB TEMPLATE template0 ENCODING 'UTF8' LOCALE_PROVIDER icu ICU_LOCALE 'en-US'" 2>/dev/null ||
		"${psql[@]}" -c "CREATE DATABASE $DB TEMPLATE template0 ENCODING 'UTF8'"
}

cmd_start() {
	bin=$(bindir) || { install_postgres && bin=$(bindir); } || die "no initdb/pg_ctl found after installing postgresql"
	mkdir -p "$(dirname "$dir")"
	exec 9>"$dir.lock"
	flock 9
	if ! running; then
		[[ -f $data/PG_VERSION ]] || { rm -rf "$dir" && init_cluster; }
		start_server
		log "PostgreSQL $("$bin/postgres" -V | awk '{print $3}') listening on 127.0.0.1:$(cat "$dir/port") (data in $data)"
	fi
	create_db
	print_env | tee "$dir/env"
}

cmd_stop() {
	exec 9>"$dir.lock"
	flock 9
	if [[ -f $data/PG_VERSION ]] && bin=$(bindir) && running; then
		as_server "$bin/pg_ctl" stop -w -m fast -D "$data" >/dev/null
		log "stopped the cluster in $dir"
	fi
	rm -rf "$dir"
	rm -f "$dir.lock"
}

cmd_run() {
	[[ $# -gt 0 ]] || die "usage: $0 run CMD [ARG...]"
	local was_running=false env rc=0
	if [[ -z ${CARRIERKIT_PG_DIR:-} ]]; then
		# A cluster of its own, so that concurrent runs, and a cluster started by hand, never
		# stop each other's server.
		dir=$(mktemp -d /tmp/carrierkit-pg-run.XXXXXX)
		data=$dir/data
	elif bin=$(bindir 2>/dev/null) && running; then
		was_running=true
	fi
	$was_running || trap 'cmd_stop' EXIT
	trap 'exit 130' INT TERM
	env=$(cmd_start)
	eval "$env"
	export CARRIERKIT_PG_DSN
	"$@" || rc=$?
	exit "$rc"
}

case ${1:-} in
start) cmd_start ;;
stop) cmd_stop ;;
env)
	[[ -f $dir/port ]] && bin=$(bindir) && running || die "not running (start it with: $0 start)"
	print_env
	;;
status)
	if [[ -f $dir/port ]] && bin=$(bindir) && running; then
		log "running: $(dsn)"
	else
		log "not running"
		exit 3
	fi
	;;
run)
	shift
	cmd_run "$@"
	;;
*)
	sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2
	exit 2
	;;
esac
