#!/usr/bin/env bash
# Runs the same load scenarios against Mote, Mosquitto (defaults, and with set_tcp_nodelay true) and
# Moquette 0.17 in one run, and writes the side-by-side table and chart under benchmarks/target/compare/.
#
#   benchmarks/compare.sh                 # the full run: 10 s per scenario, 1 M retained rows, 10 000 clients, 600 s soak
#   benchmarks/compare.sh --quick         # a smoke run of a few seconds per scenario, to prove the harness works
#   benchmarks/compare.sh --scenarios "fan-in tree" --brokers "mote mosquitto" -- --seconds 30
#   benchmarks/compare.sh --soak-seconds 120   # the full run with a shorter soak
#
# Each broker starts fresh for each scenario (so retained rows and sessions of one scenario never
# weigh on the next), and the order of brokers rotates from one scenario to the next so that none
# always runs first on a cold machine. Arguments after -- go to every generator run.
# Environment: BASE_PORT (default 21883), BROKER_JAVA_OPTS (JVM options for both Java brokers).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
jar="$root/benchmarks/target/mote-benchmarks.jar"
scenarios="fan-in fan-out latency qos1 tree tree-plain snapshot storm idle soak"
brokers="mote mosquitto mosquitto-nodelay moquette"
extra=()
quick=()
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) quick=(--seconds 2 --warmup 1); quick_sizes=1 ;;
    --scenarios) scenarios="$2"; shift ;;
    --brokers) brokers="$2"; shift ;;
    --soak-seconds) soak_seconds="$2"; shift ;;
    --) shift; extra=("$@"); break ;;
    -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
    *) echo "compare.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
command_line="benchmarks/compare.sh $*"
base_port="${BASE_PORT:-21883}"

# One build for both jars, so ./mote-broker does not rebuild on the first start.
(cd "$root" && mvn -q -B -ntp -pl broker,benchmarks -am package -DskipTests)
if ! command -v mosquitto >/dev/null && [ ! -x /usr/sbin/mosquitto ]; then
  echo "compare.sh: installing mosquitto (Debian package)" >&2
  sudo_cmd=""; [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq mosquitto >/dev/null
fi
mosquitto_bin="$(command -v mosquitto || echo /usr/sbin/mosquitto)"
# 10 000 connections need as many descriptors on each side; raise the soft limit as far as allowed.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

out="$root/benchmarks/target/compare"
stamp="$(date -u +%Y%m%d-%H%M%S)"
work="$(mktemp -d)"
mkdir -p "$out"
results="$out/results-$stamp.txt"
flags=$(sed -n "s:.*<mote.jvm.flags>\(.*\)</mote.jvm.flags>.*:\1:p" "$root/pom.xml")
broker_pid=""
trap 'stop_broker; rm -rf "$work"' EXIT

stop_broker() {
  if [ -n "$broker_pid" ]; then
    kill "$broker_pid" 2>/dev/null || true
    wait "$broker_pid" 2>/dev/null || true
    broker_pid=""
  fi
}

start_broker() { # name port scenario
  local name="$1" port="$2" log="$work/$1.log" options=()
  # A sync snapshot is one PUBLISH (PROTOCOL.md): 1 M rows of JSON is over the default 16 MiB
  # packet limit, which applies to what the broker sends too; allow MQTT's largest packet for it.
  [ "${3:-}" = snapshot ] && options=(--max-packet-size 268435460)
  case "$name" in
    mote)
      rm -rf "$work/mote-data"
      # shellcheck disable=SC2086
      MOTE_JAVA_OPTS="${BROKER_JAVA_OPTS:-}" "$root/mote-broker" --port "$port" --ws-port -1 --data-dir "$work/mote-data" "${options[@]}" >"$log" 2>&1 &
      ;;
    mosquitto|mosquitto-nodelay)
      printf 'listener %s 127.0.0.1\nallow_anonymous true\n' "$port" >"$work/$name.conf"
      [ "$name" = mosquitto-nodelay ] && echo "set_tcp_nodelay true" >>"$work/$name.conf"
      "$mosquitto_bin" -c "$work/$name.conf" >"$log" 2>&1 &
      ;;
    moquette)
      # shellcheck disable=SC2086
      java ${BROKER_JAVA_OPTS:-} -cp "$jar" io.mote.benchmarks.compare.MoquetteRunner "$port" >"$log" 2>&1 &
      ;;
  esac
  broker_pid=$!
  for _ in $(seq 1 300); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then return 0; fi
    kill -0 "$broker_pid" 2>/dev/null || break
    sleep 0.1
  done
  echo "compare.sh: $name did not start on port $port; its log:" >&2; tail -20 "$log" >&2
  return 1
}

preset_for() { # broker scenario -> the generator preset (Mote-only scenarios use the plain-MQTT equivalent on peers)
  case "$2" in
    tree) [ "$1" = mote ] && echo tree || echo tree-plain ;;
    snapshot) [ "$1" = mote ] && echo snapshot || echo snapshot-plain ;;
    *) echo "$2" ;;
  esac
}

sizes_for() { # scenario -> smaller sizes for --quick, or the soak's length
  if [ "$1" = soak ] && [ -n "${soak_seconds:-}" ]; then echo "--seconds $soak_seconds"; return 0; fi
  [ -n "${quick_sizes:-}" ] || return 0
  case "$1" in
    snapshot) echo "--rows 20000" ;;
    storm|idle) echo "--clients 1000" ;;
    soak) echo "--seconds 3" ;;
  esac
}

read -r -a broker_list <<<"$brokers"
rotation=0
for scenario in $scenarios; do
  count=${#broker_list[@]}
  for ((i = 0; i < count; i++)); do
    name="${broker_list[$(((i + rotation) % count))]}"
    port=$((base_port + i))
    echo "== $scenario on $name" >&2
    start_broker "$name" "$port" "$scenario" || { echo "RESULT broker=$name group=$scenario value=- better=- metric=failed" >>"$results"; continue; }
    # shellcheck disable=SC2046,SC2086
    if java $flags -Xmx2g -cp "$jar" io.mote.benchmarks.load.LoadGenerator --preset "$(preset_for "$name" "$scenario")" \
        --port "$port" --broker-pid "$broker_pid" --label "$name" "${quick[@]}" $(sizes_for "$scenario") "${extra[@]}" >"$work/run.out" 2>&1; then
      grep -v '^RESULT' "$work/run.out" >&2 || true
      grep '^SAMPLE' "$work/run.out" >>"$out/samples-$stamp.txt" || true
      sed -n "s/^RESULT \(.*\)/RESULT broker=$name group=$scenario \1/p" "$work/run.out" >>"$results"
    else
      echo "compare.sh: $scenario on $name failed:" >&2; tail -5 "$work/run.out" >&2
    fi
    stop_broker
  done
  rotation=$((rotation + 1))
done

{
  echo "date: $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
  echo "nproc: $(nproc)"
  lscpu | grep -E '^(Model name|Architecture|CPU\(s\)|Thread|Core|Socket|CPU max MHz)' || true
  java -version 2>&1 | head -1
  echo "mosquitto: $("$mosquitto_bin" -h 2>/dev/null | head -1 || true)"
  echo "moquette: 0.17 (embedded, in-memory)"
} >"$work/facts.txt"
java -cp "$jar" io.mote.benchmarks.compare.CompareReport "$results" "$out/compare-$stamp.md" "$out/compare-$stamp.png" \
  "$command_line" "$work/facts.txt"
echo "table: $out/compare-$stamp.md  chart: $out/compare-$stamp.png  raw: $results" >&2
