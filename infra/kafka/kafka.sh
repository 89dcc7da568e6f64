#!/usr/bin/env bash
# A single-node Apache Kafka (KRaft, broker+controller in one JVM) for tests and for users
# without Docker. Jars come from Maven Central via ./pom.xml; nothing else is downloaded.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
LIB_DIR="${KAFKA_LIB_DIR:-$HERE/.lib}"
DEFAULT_DIR="$HERE/.run"
STAMP="$LIB_DIR/.fetched"
HEAP_OPTS="${KAFKA_HEAP_OPTS:--Xms128m -Xmx512m}"
# C1-only JIT and the serial GC start the broker about 40 % faster; peak throughput is lower,
# which tests and a laptop demo never reach. Set KAFKA_JVM_OPTS="" for long runs.
JVM_OPTS="${KAFKA_JVM_OPTS--XX:TieredStopAtLevel=1 -XX:+UseSerialGC}"

usage() {
  cat <<'EOF'
Usage: kafka.sh <command> [options]

Commands
  fetch                 Download Apache Kafka and its runtime jars from Maven Central into
                        infra/kafka/.lib (or $KAFKA_LIB_DIR). No-op when the cache matches pom.xml.
  start [options]       Fetch if needed, format KRaft storage on first use, start the broker in the
                        background and wait until it answers a metadata request.
  stop [--dir DIR]      SIGTERM, wait up to 30 s for a clean shutdown, then SIGKILL.
  status [--dir DIR]    Print whether the broker of DIR is running and ready (exit 0) or not (exit 1).

Options for start
  --port N              Client (PLAINTEXT) port on 127.0.0.1. Default 9092.
  --controller-port N   KRaft controller port on 127.0.0.1. Default: port + 1.
  --dir DIR             State directory: data/, server.properties, kafka.pid, kafka.log.
                        Default infra/kafka/.run. Restarting with the same DIR keeps the data.
  --timeout S           Seconds to wait for readiness. Default 60.
  --owner-pid PID       Stop the broker when process PID exits (used by the test harness).

Environment
  KAFKA_HEAP_OPTS       JVM heap options. Default "-Xms128m -Xmx512m".
  KAFKA_JVM_OPTS        Other JVM options. Default "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC"
                        (fast startup); set to "" for long-running brokers.
  KAFKA_LIB_DIR         Jar cache directory. Default infra/kafka/.lib.

Examples
  bash infra/kafka/kafka.sh start                # broker on 127.0.0.1:9092
  KAFKA_BROKERS=127.0.0.1:9092 npm test          # run the Kafka tests against it
  bash infra/kafka/kafka.sh stop
EOF
}

die() { echo "kafka.sh: $*" >&2; exit 1; }
need() { command -v "$1" >/dev/null 2>&1 || die "'$1' not found on PATH ($2)"; }

pom_digest() { sha256sum "$HERE/pom.xml" | cut -d' ' -f1; }

# A KRaft cluster id: 16 random bytes in URL-safe base64 without padding. One in 64 starts with
# '-', which the storage tool reads as an option ("--cluster-id: expected one argument", a broker
# that never starts): draw again, as Kafka's own Uuid.randomUuid() does.
new_cluster_id() {
  local id
  while :; do
    id="$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')"
    [[ "$id" == -* ]] || { echo "$id"; return 0; }
  done
}

lib_is_current() {
  [[ -f "$STAMP" ]] || return 1
  [[ "$(head -n1 "$STAMP")" == "$(pom_digest)" ]] || return 1
  local jar
  while IFS= read -r jar; do [[ -f "$LIB_DIR/$jar" ]] || return 1; done < <(tail -n +2 "$STAMP")
}

cmd_fetch() {
  if lib_is_current; then
    echo "kafka.sh: jars in $LIB_DIR are current"
    return 0
  fi
  need java "Java 17+ runs the broker"
  need mvn "Maven fetches the broker jars from Maven Central"
  echo "kafka.sh: fetching Apache Kafka jars into $LIB_DIR ..."
  mkdir -p "$LIB_DIR"
  # Only what we put there: KAFKA_LIB_DIR may point at a directory shared with other things.
  rm -rf "$LIB_DIR"/*.jar "$LIB_DIR/classes" "$STAMP"
  mvn -q -B -Dstyle.color=never -f "$HERE/pom.xml" dependency:copy-dependencies -Dkafka.lib.dir="$LIB_DIR" \
    >"$LIB_DIR/mvn.log" 2>&1 || { tail -n 40 "$LIB_DIR/mvn.log" >&2; die "mvn dependency:copy-dependencies failed (log: $LIB_DIR/mvn.log)"; }
  compile_ready_probe
  { pom_digest; (cd "$LIB_DIR" && ls -1 ./*.jar | sed 's|^\./||'); } > "$STAMP"
  echo "kafka.sh: $(ls -1 "$LIB_DIR"/*.jar | wc -l) jars in $LIB_DIR"
}

compile_ready_probe() {
  if ! command -v javac >/dev/null 2>&1; then
    echo "kafka.sh: no javac (JRE only): readiness falls back to the broker's log and an open port" >&2
    return 0
  fi
  mkdir -p "$LIB_DIR/classes"
  javac -nowarn -d "$LIB_DIR/classes" -cp "$LIB_DIR/*" "$HERE/KafkaReady.java" \
    || die "could not compile KafkaReady.java"
}

classpath() { echo "$LIB_DIR/*:$LIB_DIR/classes"; }

# --- process state -------------------------------------------------------------------------

pid_of() {
  local pid_file="$1/kafka.pid" pid
  [[ -f "$pid_file" ]] || return 1
  pid="$(cat "$pid_file")"
  # Guard against a recycled pid: it must still be our broker JVM.
  [[ -r "/proc/$pid/cmdline" ]] && tr '\0' ' ' < "/proc/$pid/cmdline" | grep -q 'kafka\.Kafka' || return 1
  echo "$pid"
}

port_of() { sed -n 's|^listeners=PLAINTEXT://127.0.0.1:\([0-9]*\),.*|\1|p' "$1/server.properties"; }

probe_ready() {
  [[ -f "$LIB_DIR/classes/KafkaReady.class" ]] || { port_open "$1"; return; }
  java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xshare:auto -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$(classpath)" KafkaReady "127.0.0.1:$1" "${2:-3000}" >/dev/null 2>&1
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

write_properties() {
  local dir="$1" port="$2" cport="$3"
  cat > "$dir/server.properties" <<EOF
# Generated by infra/kafka/kafka.sh - single node, broker and controller in one process.
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$cport
listeners=PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$cport
advertised.listeners=PLAINTEXT://127.0.0.1:$port
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$dir/data
num.partitions=3
default.replication.factor=1
min.insync.replicas=1
# Our code creates its topics explicitly (with partition counts); a typo must not create one.
auto.create.topics.enable=false
offsets.topic.replication.factor=1
# Fewer internal partitions: the first consumer group is ready in well under a second.
offsets.topic.num.partitions=5
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=5
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
num.network.threads=2
num.io.threads=4
log.retention.hours=168
EOF
}

cmd_start() {
  local port=9092 cport="" dir="$DEFAULT_DIR" timeout=60 owner=""
  while [[ $# -gt 0 ]]; do
    case "$1" in
      --port) port="$2"; shift 2 ;;
      --controller-port) cport="$2"; shift 2 ;;
      --dir) dir="$2"; shift 2 ;;
      --timeout) timeout="$2"; shift 2 ;;
      --owner-pid) owner="$2"; shift 2 ;;
      -h|--help) usage; return 0 ;;
      *) die "unknown option for start: $1 (see --help)" ;;
    esac
  done
  cport="${cport:-$((port + 1))}"
  need java "Java 17+ runs the broker"
  cmd_fetch >/dev/null
  mkdir -p "$dir"
  dir="$(cd "$dir" && pwd)"

  local pid
  if pid="$(pid_of "$dir")"; then
    if probe_ready "$(port_of "$dir")"; then
      echo "kafka.sh: already running (pid $pid) on 127.0.0.1:$(port_of "$dir")"
      return 0
    fi
    die "a broker (pid $pid) for $dir is running but not ready; run 'kafka.sh stop --dir $dir' first"
  fi
  port_open "$port" && die "port $port on 127.0.0.1 is already in use"
  port_open "$cport" && die "controller port $cport on 127.0.0.1 is already in use"

  local t0=$SECONDS
  touch "$dir/kafka.log"
  local log_start
  log_start=$(($(wc -l < "$dir/kafka.log") + 1))
  write_properties "$dir" "$port" "$cport"
  if [[ ! -f "$dir/data/meta.properties" ]]; then
    local cluster_id
    cluster_id="$(new_cluster_id)"
    java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$(classpath)" kafka.tools.StorageTool format -t "$cluster_id" \
      -c "$dir/server.properties" --ignore-formatted >>"$dir/kafka.log" 2>&1 \
      || { tail -n 30 "$dir/kafka.log" >&2; die "formatting KRaft storage failed"; }
  fi

  # setsid: the broker outlives this script and is not hit by the caller's Ctrl-C;
  # 'stop' (or the owner watcher) ends it.
  # shellcheck disable=SC2086
  setsid java $HEAP_OPTS $JVM_OPTS -Djava.awt.headless=true \
    -Dorg.slf4j.simpleLogger.defaultLogLevel=info \
    -Dorg.slf4j.simpleLogger.showDateTime=true \
    -Dorg.slf4j.simpleLogger.log.org.apache.kafka.clients=warn \
    -cp "$(classpath)" kafka.Kafka "$dir/server.properties" \
    >>"$dir/kafka.log" 2>&1 < /dev/null &
  pid=$!
  echo "$pid" > "$dir/kafka.pid"

  if [[ -n "$owner" ]]; then
    setsid bash -c 'while kill -0 "$1" 2>/dev/null && kill -0 "$2" 2>/dev/null; do sleep 2; done
      kill -0 "$2" 2>/dev/null && exec bash "$3" stop --dir "$4"' _ "$owner" "$pid" "$HERE/kafka.sh" "$dir" \
      >/dev/null 2>&1 < /dev/null &
  fi

  local deadline=$((SECONDS + timeout))
  while (( SECONDS < deadline )); do
    kill -0 "$pid" 2>/dev/null || { tail -n 40 "$dir/kafka.log" >&2; die "broker exited during startup (log: $dir/kafka.log)"; }
    # The log line is cheap to poll; the probe (a JVM) then confirms that metadata is served.
    if tail -n +"$log_start" "$dir/kafka.log" | grep -q 'Kafka Server started' && probe_ready "$port" 5000; then
      echo "kafka.sh: broker ready on 127.0.0.1:$port (pid $pid, $((SECONDS - t0)) s, dir $dir)"
      return 0
    fi
    sleep 0.3
  done
  tail -n 40 "$dir/kafka.log" >&2
  cmd_stop --dir "$dir" >&2 || true
  die "broker did not answer a metadata request within ${timeout} s (log: $dir/kafka.log)"
}

# stop and status take only --dir: prints the directory, or nothing for --help.
dir_option() {
  local command="$1" dir="$DEFAULT_DIR"
  shift
  while [[ $# -gt 0 ]]; do
    case "$1" in
      --dir) dir="$2"; shift 2 ;;
      -h|--help) return 0 ;;
      *) die "unknown option for $command: $1 (see --help)" ;;
    esac
  done
  echo "$dir"
}

cmd_stop() {
  local dir
  dir="$(dir_option stop "$@")" || exit 1
  [[ -n "$dir" ]] || { usage; return 0; }
  local pid
  if ! pid="$(pid_of "$dir")"; then
    rm -f "$dir/kafka.pid"
    echo "kafka.sh: not running ($dir)"
    return 0
  fi
  kill -TERM "$pid" 2>/dev/null || true
  local i
  for ((i = 0; i < 300; i++)); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$pid" 2>/dev/null; then
    echo "kafka.sh: broker (pid $pid) ignored SIGTERM for 30 s, sending SIGKILL" >&2
    kill -KILL "$pid" 2>/dev/null || true
    while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
  fi
  rm -f "$dir/kafka.pid"
  echo "kafka.sh: stopped (pid $pid)"
}

cmd_status() {
  local dir
  dir="$(dir_option status "$@")" || exit 1
  [[ -n "$dir" ]] || { usage; return 0; }
  local pid port
  if ! pid="$(pid_of "$dir")"; then
    echo "stopped ($dir)"
    return 1
  fi
  port="$(port_of "$dir")"
  if probe_ready "$port"; then
    echo "running: pid $pid, brokers 127.0.0.1:$port, dir $dir"
  else
    echo "starting or unhealthy: pid $pid, port $port, dir $dir"
    return 1
  fi
}

case "${1:-}" in
  fetch) shift; cmd_fetch "$@" ;;
  start) shift; cmd_start "$@" ;;
  stop) shift; cmd_stop "$@" ;;
  status) shift; cmd_status "$@" ;;
  -h|--help|help) usage ;;
  "") usage >&2; exit 2 ;;
  *) echo "kafka.sh: unknown command '$1'" >&2; usage >&2; exit 2 ;;
esac
