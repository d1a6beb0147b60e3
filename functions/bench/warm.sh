#!/usr/bin/env bash
# Warm benchmark (JMH) of the Lambda functions' handleRequest against hand-written baselines.
#
# Four benchmarks in SampleTime mode (ms per call), each in a JVM of its own with the JVM flags of
# template.yaml (-XX:+TieredCompilation -XX:TieredStopAtLevel=1 -XX:MetaspaceSize=64m), 3 x 2 s warm-up and 5 x 2 s
# measurement:
#   operatorSetWorker / bareOperatorSetWorker   POST /api/v1/set-worker {"workerId": N}, a valid token (a new N
#                                               per iteration: its first call changes the worker, the rest find
#                                               it set, on both sides)
#   status / bareStatus                         GET /api/v1/status
# The function side loads functions/<name>/target/<name>.jar alone in a class loader of its own and
# calls the handler template.yaml deploys; the baseline does the same work by hand (see
# WarmBench). Each benchmark has its own embedded PostgreSQL with every migration and the default
# node. After JMH's table it prints p50/p99 per pair, the difference (the framework's per-request
# overhead) and each side's drift: its last measured iteration's mean minus its first's, which is
# not near 0 when a handler slows down as it serves requests (then the percentiles depend on the
# run's length). The last line is "worst warm overhead at p99: X ms".
#
# Usage: functions/bench/warm.sh [JMH options]
#   e.g. -i 10 (measurement iterations), -wi 5 (warm-up iterations), -r 5s (iteration time),
#        -jvmArgsAppend "-XX:+TieredCompilation" (replaces the template's flags: C2 as well),
#        status (runs only the benchmarks matching the pattern)
# Takes about 2 minutes. No test runs it (mvn verify stays free of JMH).
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

# The forks' JVM flags are WarmBench's (or -jvmArgsAppend), whatever this shell exports.
unset JAVA_TOOL_OPTIONS JDK_JAVA_OPTIONS _JAVA_OPTIONS
# The forks inherit this classpath and working directory (WarmBench reads the repository from it).
exec java -cp "functions/bench/target/bench-0.1.0.jar:functions/bench/target/lib/*" \
  io.contentplane.bench.WarmBench "$@"
