#!/usr/bin/env bash
# A local Waymark cluster for trying cluster mode on one machine:
# Redis (membership, change feed, key ring), ClickHouse (the store), three
# Waymark nodes and HAProxy in front, all plain processes on 127.0.0.1 with
# their data and logs in one folder.
#
#   scripts/cluster.sh start    start everything (builds Waymark first); prints the URL
#   scripts/cluster.sh status   what runs
#   scripts/cluster.sh stop     stop everything this script started
#   scripts/cluster.sh kill N   SIGKILL node N (1-3), to watch the others take over
#
# Environment: WAYMARK_CLUSTER_DIR (default ./.cluster), WAYMARK_CLUSTER_PORT
# (the load balancer, default 5180), WAYMARK_ADMIN_PASSWORD (default: made up
# on first start and kept in the folder), WAYMARK_CLUSTER_DEMO=0 to start empty.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
dir=${WAYMARK_CLUSTER_DIR:-$root/.cluster}
lb_port=${WAYMARK_CLUSTER_PORT:-5180}
redis_port=$((lb_port + 200))       # 5380
ch_http=$((lb_port + 201))          # 5381
ch_tcp=$((lb_port + 202))           # 5382
node_port() { echo $((lb_port + $1)); }          # 5181..5183
silo_port() { echo $((lb_port + 10 + $1)); }     # 5191..5193
gateway_port() { echo $((lb_port + 20 + $1)); }  # 5201..5203

pid_alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

wait_http() { # url, what, seconds
  local i
  for ((i = 0; i < $3 * 10; i++)); do
    if curl -fsS -o /dev/null "$1" 2>/dev/null; then return 0; fi
    sleep 0.1
  done
  echo "$2 did not answer at $1 within $3 s; see $dir/logs" >&2
  return 1
}

start_redis() {
  pid_alive "$dir/redis.pid" && return 0
  redis-server --bind 127.0.0.1 --port "$redis_port" --dir "$dir/redis" --daemonize yes \
    --pidfile "$dir/redis.pid" --logfile "$dir/logs/redis.log" --save "" --appendonly no
  for _ in $(seq 50); do redis-cli -p "$redis_port" ping >/dev/null 2>&1 && return 0; sleep 0.1; done
  echo "redis-server did not start; see $dir/logs/redis.log" >&2; return 1
}

start_clickhouse() {
  pid_alive "$dir/clickhouse.pid" && return 0
  mkdir -p "$dir/clickhouse"
  cat > "$dir/clickhouse/config.xml" <<EOF
<?xml version="1.0"?>
<yandex>
  <logger><level>warning</level><log>$dir/logs/clickhouse.log</log><errorlog>$dir/logs/clickhouse.err.log</errorlog><console>0</console></logger>
  <http_port>$ch_http</http_port>
  <tcp_port>$ch_tcp</tcp_port>
  <listen_host>127.0.0.1</listen_host>
  <path>$dir/clickhouse/data/</path>
  <tmp_path>$dir/clickhouse/tmp/</tmp_path>
  <users_config>$dir/clickhouse/users.xml</users_config>
  <default_profile>default</default_profile>
  <default_database>default</default_database>
  <mark_cache_size>268435456</mark_cache_size>
  <max_concurrent_queries>200</max_concurrent_queries>
</yandex>
EOF
  cat > "$dir/clickhouse/users.xml" <<'EOF'
<?xml version="1.0"?>
<yandex>
  <profiles><default><max_memory_usage>4000000000</max_memory_usage></default></profiles>
  <users><default><password></password><networks><ip>127.0.0.1</ip></networks><profile>default</profile><quota>default</quota></default></users>
  <quotas><default><interval><duration>3600</duration><queries>0</queries><errors>0</errors><result_rows>0</result_rows><read_rows>0</read_rows><execution_time>0</execution_time></interval></default></quotas>
</yandex>
EOF
  nohup /usr/sbin/clickhouse-server --config-file="$dir/clickhouse/config.xml" >/dev/null 2>&1 &
  echo $! > "$dir/clickhouse.pid"
  wait_http "http://127.0.0.1:$ch_http/ping" clickhouse-server 60
}

start_node() { # n
  local n=$1 demo=false
  pid_alive "$dir/node$n.pid" && return 0
  [ "$n" = 1 ] && [ "${WAYMARK_CLUSTER_DEMO:-1}" = 1 ] && demo=true
  nohup dotnet "$root/src/Waymark.Demo/bin/Release/net10.0/Waymark.Demo.dll" \
    --contentRoot "$root/src/Waymark.Server" \
    --urls "http://127.0.0.1:$(node_port "$n")" \
    --Waymark:Store:Kind=clickhouse \
    --Waymark:ClickHouse:Url="http://127.0.0.1:$ch_http/" \
    --Waymark:ClickHouse:Database=waymark \
    --Waymark:Orleans:Redis="127.0.0.1:$redis_port" \
    --Waymark:Orleans:ClusterId=waymark-local \
    --Waymark:Orleans:SiloPort="$(silo_port "$n")" \
    --Waymark:Orleans:GatewayPort="$(gateway_port "$n")" \
    --Waymark:Auth:AdminPassword="$admin_password" \
    --Waymark:Demo:Enabled=$demo \
    --Waymark:Apps:0:AllowedOrigins:3="http://127.0.0.1:$lb_port" \
    > "$dir/logs/node$n.log" 2>&1 &
  echo $! > "$dir/node$n.pid"
}

write_haproxy() {
  # The configuration docs/scaling.md documents: round robin over the nodes,
  # a health check on /health, the console pinned to one node by a cookie
  # (its live connection is a WebSocket), long tunnels for WebSockets and
  # server-sent events.
  cat > "$dir/haproxy.cfg" <<EOF
global
  maxconn 4000
  pidfile $dir/haproxy.pid
  daemon

defaults
  mode http
  timeout connect 5s
  timeout client 60s
  timeout server 60s
  timeout tunnel 1h
  option forwardfor
  retries 2
  option redispatch

frontend waymark
  bind 127.0.0.1:$lb_port
  default_backend nodes

backend nodes
  balance roundrobin
  option httpchk GET /health
  http-check expect status 200
  cookie WAYMARKNODE insert indirect nocache httponly
  default-server inter 1s fall 2 rise 2
EOF
  for n in 1 2 3; do
    echo "  server node$n 127.0.0.1:$(node_port "$n") check cookie node$n" >> "$dir/haproxy.cfg"
  done
}

start() {
  for tool in redis-server redis-cli haproxy curl; do
    command -v "$tool" >/dev/null || { echo "$tool is missing: run scripts/setup.sh test" >&2; exit 1; }
  done
  [ -x /usr/sbin/clickhouse-server ] || { echo "clickhouse-server is missing: run scripts/setup.sh test" >&2; exit 1; }
  mkdir -p "$dir/logs" "$dir/redis"
  if [ -n "${WAYMARK_ADMIN_PASSWORD:-}" ]; then
    admin_password=$WAYMARK_ADMIN_PASSWORD
  elif [ -f "$dir/admin-password" ]; then
    admin_password=$(cat "$dir/admin-password")
  else
    admin_password=$(head -c 12 /dev/urandom | base64 | tr -d '/+=')
    echo "$admin_password" > "$dir/admin-password"
  fi
  echo "Building Waymark (Release)..."
  dotnet build -c Release src/Waymark.Demo -v quiet -nologo >/dev/null
  start_redis
  start_clickhouse
  # The first node creates the schema and loads the demo; the others join it.
  start_node 1
  wait_http "http://127.0.0.1:$(node_port 1)/health" "node 1" 120
  start_node 2
  start_node 3
  wait_http "http://127.0.0.1:$(node_port 2)/health" "node 2" 120
  wait_http "http://127.0.0.1:$(node_port 3)/health" "node 3" 120
  write_haproxy
  pid_alive "$dir/haproxy.pid" || haproxy -f "$dir/haproxy.cfg"
  wait_http "http://127.0.0.1:$lb_port/health" haproxy 30
  echo "Waymark cluster: http://127.0.0.1:$lb_port/  (admin / $admin_password)"
  echo "Nodes: $(for n in 1 2 3; do printf 'http://127.0.0.1:%s/ ' "$(node_port "$n")"; done)"
  echo "Data and logs: $dir.  Stop with: scripts/cluster.sh stop"
}

stop_pid() { # file, name
  if pid_alive "$1"; then
    local pid; pid=$(cat "$1")
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
    echo "stopped $2"
  fi
  rm -f "$1"
}

stop() {
  stop_pid "$dir/haproxy.pid" haproxy
  for n in 3 2 1; do stop_pid "$dir/node$n.pid" "node $n"; done
  stop_pid "$dir/clickhouse.pid" clickhouse-server
  stop_pid "$dir/redis.pid" redis-server
}

status() {
  for p in redis clickhouse node1 node2 node3 haproxy; do
    if pid_alive "$dir/$p.pid"; then echo "$p: running (pid $(cat "$dir/$p.pid"))"; else echo "$p: stopped"; fi
  done
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  kill)
    n=${2:?which node: 1, 2 or 3}
    pid_alive "$dir/node$n.pid" && kill -KILL "$(cat "$dir/node$n.pid")" && rm -f "$dir/node$n.pid" && echo "killed node $n"
    ;;
  *) echo "usage: scripts/cluster.sh start|status|stop|kill N" >&2; exit 2 ;;
esac
