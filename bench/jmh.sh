#!/usr/bin/env bash
# JMH microbenchmarks (src/jmh/java) without touching the Maven build, so `mvn verify` never compiles them:
# compiles them against target/classes and the project's runtime class path, then runs JMH.
#
#   bash bench/jmh.sh                         every benchmark
#   bash bench/jmh.sh HeaderRewrite -f 1 -wi 2 -i 3   JMH options pass through (a regexp of benchmarks first)
#
# Needs Maven (it fetches JMH 1.37 into the local repository when missing), a JDK 17 and util-linux.
# Runs pinned to core BENCH_PROXY_CPU (0).
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$HERE")
JMH_VERSION=1.37
JMH_ARTIFACTS=(
  "org.openjdk.jmh:jmh-core:$JMH_VERSION"
  "org.openjdk.jmh:jmh-generator-annprocess:$JMH_VERSION"
  "net.sf.jopt-simple:jopt-simple:5.0.4"
  "org.apache.commons:commons-math3:3.6.1"
)
for tool in mvn javac java taskset; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "jmh: $tool is missing (Debian: maven, openjdk-17-jdk-headless, util-linux)" >&2
    exit 2
  fi
done

WORK=$(mktemp -d "${TMPDIR:-/tmp}/gatehouse-jmh.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

cd "$ROOT"
mvn -B -q compile
mvn -B -q dependency:build-classpath -Dmdep.includeScope=runtime -Dmdep.outputFile="$WORK/classpath.txt"
for artifact in "${JMH_ARTIFACTS[@]}"; do
  mvn -B -q dependency:copy -Dartifact="$artifact" -DoutputDirectory="$WORK/jmh-lib"
done
JMH_CP=$(find "$WORK/jmh-lib" -name '*.jar' | sort | tr '\n' ':')
CP="$ROOT/target/classes:$(cat "$WORK/classpath.txt"):$JMH_CP"

mkdir -p "$WORK/classes"
find "$ROOT/src/jmh/java" -name '*.java' >"$WORK/sources.txt"
javac --release 17 -Xlint:all,-processing -Werror -cp "$CP" -processorpath "$JMH_CP" -d "$WORK/classes" \
  @"$WORK/sources.txt"

taskset -c "${BENCH_PROXY_CPU:-0}" java -cp "$WORK/classes:$CP" org.openjdk.jmh.Main "$@"
