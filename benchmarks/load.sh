#!/usr/bin/env bash
# Runs the end-to-end load generator against a running broker (see --help). Builds it if needed.
# Example, against ./mote-broker on the default port:
#   benchmarks/load.sh --preset fan-in --broker-pid "$(pgrep -f mote-broker.jar)"   (--help lists the presets)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
jar="$root/benchmarks/target/mote-benchmarks.jar"
if [ ! -f "$jar" ] || [ -n "$(find "$root"/engine/src "$root"/transport/src "$root"/benchmarks/src -newer "$jar" -print -quit)" ]; then
  (cd "$root" && mvn -q -B -ntp -pl benchmarks -am package -DskipTests)
fi
flags=$(sed -n "s:.*<mote.jvm.flags>\(.*\)</mote.jvm.flags>.*:\1:p" "$root/pom.xml")
exec java $flags -Xmx1g -cp "$jar" io.mote.benchmarks.load.LoadGenerator "$@"
