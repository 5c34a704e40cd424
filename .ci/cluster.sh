#!/usr/bin/env bash
# A local three-master Redis Cluster on loopback, for running the state tests against Redis Cluster.
#
# Usage:
#   .ci/cluster.sh start   start it (idempotent), wait until cluster_state:ok, print the seed addresses
#   .ci/cluster.sh stop    stop it and remove its files
#   .ci/cluster.sh addrs   print the value for REDIS_CLUSTER_ADDRS
#
# Then:  REDIS_CLUSTER_ADDRS=$(.ci/cluster.sh addrs) go test ./state/...
#
# Ports: CLUSTER_PORTS (default "7001 7002 7003"); files under CLUSTER_DIR (default /tmp/tradeguard-cluster).
# Needs redis-server and redis-cli (installed with apt-get when missing and run as root). No persistence,
# loopback only. The servers are daemons: always pair start with stop (e.g. trap '.ci/cluster.sh stop' EXIT).
set -euo pipefail

PORTS=(${CLUSTER_PORTS:-7001 7002 7003})
DIR=${CLUSTER_DIR:-/tmp/tradeguard-cluster}

addrs() {
  local out=()
  for p in "${PORTS[@]}"; do out+=("127.0.0.1:$p"); done
  (IFS=,; echo "${out[*]}")
}

up() { redis-cli -h 127.0.0.1 -p "$1" ping >/dev/null 2>&1; }

state_ok() { redis-cli -h 127.0.0.1 -p "$1" cluster info 2>/dev/null | tr -d '\r' | grep -q '^cluster_state:ok$'; }

# wait_for CMD ARGS...: retry for up to 30 s.
wait_for() {
  for _ in $(seq 1 300); do
    if "$@"; then return 0; fi
    sleep 0.1
  done
  return 1
}

start() {
  if ! command -v redis-server >/dev/null && command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
    apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null
  fi
  command -v redis-server >/dev/null || { echo "cluster.sh: redis-server not found (apt-get install redis-server)" >&2; exit 1; }
  mkdir -p "$DIR"
  for p in "${PORTS[@]}"; do
    if up "$p"; then continue; fi
    redis-server --port "$p" --bind 127.0.0.1 --cluster-enabled yes \
      --cluster-config-file "$DIR/nodes-$p.conf" --cluster-node-timeout 5000 \
      --dir "$DIR" --save "" --appendonly no --daemonize yes \
      --pidfile "$DIR/redis-$p.pid" --logfile "$DIR/redis-$p.log"
  done
  for p in "${PORTS[@]}"; do
    wait_for up "$p" || { echo "cluster.sh: redis on port $p did not start; see $DIR/redis-$p.log" >&2; exit 1; }
  done
  if ! state_ok "${PORTS[0]}"; then
    local seeds=()
    for p in "${PORTS[@]}"; do seeds+=("127.0.0.1:$p"); done
    redis-cli --cluster create "${seeds[@]}" --cluster-replicas 0 --cluster-yes >"$DIR/create.log" 2>&1 ||
      { cat "$DIR/create.log" >&2; exit 1; }
  fi
  for p in "${PORTS[@]}"; do
    wait_for state_ok "$p" || { echo "cluster.sh: cluster_state is not ok on port $p" >&2; exit 1; }
  done
  echo "cluster up: REDIS_CLUSTER_ADDRS=$(addrs)"
}

stop() {
  for p in "${PORTS[@]}"; do
    redis-cli -h 127.0.0.1 -p "$p" shutdown nosave >/dev/null 2>&1 || true
  done
  for p in "${PORTS[@]}"; do
    wait_for bash -c "! redis-cli -h 127.0.0.1 -p $p ping >/dev/null 2>&1" || true
  done
  rm -rf "$DIR"
  echo "cluster stopped"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  addrs) addrs ;;
  *) echo "usage: $0 start|stop|addrs" >&2; exit 2 ;;
esac
