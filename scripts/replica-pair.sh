#!/usr/bin/env bash
# A MariaDB primary and a replica on this machine, for the read-replica tests and scale checks.
#
#   bash scripts/replica-pair.sh start <dir> <primary-port> <replica-port>
#   bash scripts/replica-pair.sh stop <dir>
#   bash scripts/replica-pair.sh replica-down <dir>   # shut the replica's server down (data kept)
#   bash scripts/replica-pair.sh replica-up <dir>     # start it again; waits until it replicates
#
# `start` creates <dir>/primary and <dir>/replica, starts one mariadbd on each (127.0.0.1 only,
# sockets, pid files and logs in <dir>), and returns once the replica's IO and SQL threads run and
# it has applied everything the primary has. The primary writes a ROW binary log (server-id 1);
# the replica (server-id 2) is read_only=1 and replicates by GTID. Both servers have:
#   root@127.0.0.1  no password, every privilege (bypasses read_only: for operators and tests)
#   app@127.0.0.1   no password, every privilege except SUPER and READ_ONLY ADMIN, so read_only
#                   holds for it: any write it sends to the replica fails (ERROR 1290)
#   repl@127.0.0.1  REPLICATION SLAVE, the replica's login on the primary
# Users are created on the primary and reach the replica through replication, so the replica's own
# binary log stays empty: @@gtid_binlog_pos on the replica shows any write made on it.
# `stop` shuts both servers down and removes <dir>; it succeeds whatever state <dir> is in.
set -euo pipefail

usage() {
  echo "usage: $0 start <dir> <primary-port> <replica-port> | stop <dir> | replica-down <dir> | replica-up <dir>" >&2
  exit 2
}

# The client talks over each server's socket as root (root@localhost, no password).
sql() {
  local dir=$1 node=$2
  shift 2
  mariadb --no-defaults --socket="$dir/$node.sock" -uroot --batch --skip-column-names "$@"
}

# Launches one server in the background with the arguments saved by `start`.
launch() {
  local dir=$1 node=$2
  local -a args
  mapfile -t args <"$dir/$node.args"
  nohup mariadbd "${args[@]}" </dev/null >>"$dir/$node.log" 2>&1 &
}

wait_until_up() {
  local dir=$1 node=$2
  for _ in $(seq 1 300); do
    if mariadb-admin --no-defaults --socket="$dir/$node.sock" -uroot --connect-timeout=1 ping >/dev/null 2>&1; then return 0; fi
    sleep 0.1
  done
  echo "replica-pair: $node did not come up; last log lines:" >&2
  tail -n 20 "$dir/$node.log" >&2
  return 1
}

# Shuts one server down (TERM, then KILL after 30 s) and waits until its process is gone.
shut_down() {
  local dir=$1 node=$2 pid
  [[ -f "$dir/$node.pid" ]] || return 0
  pid=$(cat "$dir/$node.pid" 2>/dev/null || true)
  [[ -n "$pid" ]] || return 0
  kill -TERM "$pid" 2>/dev/null || { rm -f "$dir/$node.pid"; return 0; }
  for _ in $(seq 1 300); do
    kill -0 "$pid" 2>/dev/null || { rm -f "$dir/$node.pid"; return 0; }
    sleep 0.1
  done
  kill -KILL "$pid" 2>/dev/null || true
  while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
  rm -f "$dir/$node.pid"
}

# Waits until the replica's IO and SQL threads run and it has applied what the primary's binary
# log held when the wait began (the primary may go on writing meanwhile).
wait_until_replicating() {
  local dir=$1 status io sqlt target
  target=$(sql "$dir" primary -e 'SELECT @@gtid_binlog_pos')
  for _ in $(seq 1 300); do
    status=$(sql "$dir" replica --column-names -e 'SHOW SLAVE STATUS\G' 2>/dev/null || true)
    io=$(sed -n 's/^ *Slave_IO_Running: //p' <<<"$status")
    sqlt=$(sed -n 's/^ *Slave_SQL_Running: //p' <<<"$status")
    if [[ "$io" == Yes && "$sqlt" == Yes ]]; then break; fi
    sleep 0.1
  done
  if [[ "$io" == Yes && "$sqlt" == Yes && $(sql "$dir" replica -e "SELECT MASTER_GTID_WAIT('$target', 30)") == 0 ]]; then return 0; fi
  echo "replica-pair: the replica does not replicate (IO: ${io:-?}, SQL: ${sqlt:-?}, primary at '$target')" >&2
  sed -n 's/^ *Last_\(IO\|SQL\)_Error: \(.\+\)$/  \1: \2/p' <<<"$status" >&2
  return 1
}

server_args() {
  local dir=$1 node=$2 port=$3
  shift 3
  printf '%s\n' --no-defaults --datadir="$dir/$node" --port="$port" --bind-address=127.0.0.1 \
    --socket="$dir/$node.sock" --pid-file="$dir/$node.pid" --log-error="$dir/$node.err" --tmpdir="$dir/$node.tmp" \
    --skip-name-resolve --innodb-buffer-pool-size=64M --innodb-log-file-size=16M "$@"
  # mariadbd refuses to run as root unless told to.
  if [[ $(id -u) -eq 0 ]]; then echo --user=root; fi
}

start() {
  local dir=$1 primary_port=$2 replica_port=$3
  stop "$dir"
  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd)

  local node pids=()
  # Each server has a temporary directory of its own: two bootstraps sharing /tmp collide.
  for node in primary replica; do
    mkdir -p "$dir/$node.tmp"
    mariadb-install-db --no-defaults --datadir="$dir/$node" --auth-root-authentication-method=normal \
      --skip-test-db --tmpdir="$dir/$node.tmp" $([[ $(id -u) -eq 0 ]] && echo --user=root) >"$dir/$node.install.log" 2>&1 &
    pids+=($!)
  done
  for pid in "${pids[@]}"; do
    wait "$pid" || { echo "replica-pair: mariadb-install-db failed (see $dir/*.install.log)" >&2; return 1; }
  done

  server_args "$dir" primary "$primary_port" --server-id=1 --log-bin="$dir/primary/binlog" --binlog-format=ROW >"$dir/primary.args"
  # The replica's own binary log holds only writes made on it (log_slave_updates is off).
  server_args "$dir" replica "$replica_port" --server-id=2 --read-only=1 --log-bin="$dir/replica/binlog" --binlog-format=ROW \
    --relay-log="$dir/replica/relay" >"$dir/replica.args"
  launch "$dir" primary
  launch "$dir" replica
  wait_until_up "$dir" primary
  wait_until_up "$dir" replica

  # mariadb-install-db made root@localhost and root@127.0.0.1 (no password, every privilege).
  # Written to the primary's binary log: the replica gets the same users by replication.
  sql "$dir" primary <<'SQL'
CREATE USER 'app'@'127.0.0.1';
GRANT ALL PRIVILEGES ON *.* TO 'app'@'127.0.0.1';
REVOKE SUPER, READ_ONLY ADMIN ON *.* FROM 'app'@'127.0.0.1';
CREATE USER 'repl'@'127.0.0.1';
GRANT REPLICATION SLAVE ON *.* TO 'repl'@'127.0.0.1';
SQL
  sql "$dir" replica -e "CHANGE MASTER TO MASTER_HOST='127.0.0.1', MASTER_PORT=$primary_port, MASTER_USER='repl', MASTER_PASSWORD='', MASTER_USE_GTID=slave_pos, MASTER_CONNECT_RETRY=1; START SLAVE;"
  wait_until_replicating "$dir"
  echo "replica-pair: primary 127.0.0.1:$primary_port, replica 127.0.0.1:$replica_port (users root, app; no password)"
}

stop() {
  local dir=$1
  [[ -e "$dir" ]] || return 0
  shut_down "$dir" replica
  shut_down "$dir" primary
  rm -rf "$dir"
}

replica_down() {
  shut_down "$1" replica
}

replica_up() {
  local dir=$1
  launch "$dir" replica
  wait_until_up "$dir" replica
  # The replica resumes replicating on its own (its master info is kept); the wait makes sure.
  wait_until_replicating "$dir"
}

case "${1:-}" in
  start) [[ $# -eq 4 ]] || usage; start "$2" "$3" "$4" ;;
  stop) [[ $# -eq 2 ]] || usage; stop "$2" ;;
  replica-down) [[ $# -eq 2 ]] || usage; replica_down "$2" ;;
  replica-up) [[ $# -eq 2 ]] || usage; replica_up "$2" ;;
  *) usage ;;
esac
