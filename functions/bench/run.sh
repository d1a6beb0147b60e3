#!/usr/bin/env bash
# Cold-start benchmark of the Lambda function jars against hand-written baselines.
#
# For each function (operator, status) it launches N fresh JVMs (default 5) that construct the
# handler and answer one representative API Gateway event against an embedded PostgreSQL running
# in its own process, alternating with the same number of JVMs running a plain RequestHandler
# that does the same work by hand. It prints min/median ms from JVM launch to handler ready and
# to first response; the last line is "worst cold-start ratio: X.XX", the largest ratio of a
# function's median first response to its baseline's.
#
# Usage: functions/bench/run.sh [--runs N] [--jvm-flags "..."] [--java PATH]
#   --runs N          JVMs per function and per baseline (default 5)
#   --jvm-flags "..." flags of every probe JVM (default: the JAVA_TOOL_OPTIONS of template.yaml,
#                     -XX:+TieredCompilation -XX:TieredStopAtLevel=1)
#   --java PATH       java executable of the probes (default: the java running the benchmark)
#
# Needs the jars built first: mvn -B -q -DskipTests package
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/../.."

for jar in functions/bench/target/bench-0.1.0.jar functions/operator/target/operator.jar \
           functions/status/target/status.jar; do
  if [[ ! -f "$jar" ]]; then
    echo "$jar is missing; build the jars first: mvn -B -q -DskipTests package" >&2
    exit 1
  fi
done

exec java -cp "functions/bench/target/bench-0.1.0.jar:functions/bench/target/lib/*" \
  io.contentplane.bench.ColdStartBench --repo . "$@"
