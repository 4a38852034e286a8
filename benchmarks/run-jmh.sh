#!/usr/bin/env bash
# Builds the benchmark jar and runs the engine benchmarks with the allocation profiler, then the
# retained-tree memory measurement. Pass a JMH regex to run a subset, e.g.
#   benchmarks/run-jmh.sh SubscriptionTrieBenchmark
# Results are recorded by hand in benchmarks/RESULTS.md with the machine they ran on.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -B -ntp -pl engine,benchmarks -am package -DskipTests
flags=$(sed -n "s:.*<mote.jvm.flags>\(.*\)</mote.jvm.flags>.*:\1:p" pom.xml)
jar=benchmarks/target/mote-benchmarks.jar
pattern="${1:-.*Benchmark.*}"
java $flags -jar "$jar" "$pattern" -prof gc -jvmArgsAppend "$flags" -rf text -rff benchmarks/target/jmh-result.txt
if [ "$#" -eq 0 ]; then
  java $flags -Xmx2g -cp "$jar" io.mote.benchmarks.RetainedTreeMemory
fi
