#!/usr/bin/env bash
# Cold-start benchmark of the Lambda function jars against hand-written baselines.
#
# For each function (operator, status, integration, distributions, delivery) it launches N fresh JVMs
# (default 5) that construct the handler template.yaml deploys from its jar and answer one
# representative event (POST /api/v1/set-worker, GET /api/v1/status,
# GET /api/v1/integration/nodes/{id}, GET /workspaces/{workspace}/distributions/{id} through API Gateway;
# for delivery an SQS event of one delivery message: a webhook POST to a receiver on loopback), alternating
# with the same number of JVMs running a plain RequestHandler that does the same work by hand (the
# distributions baseline must answer the very body the function answers, or the run fails). The
# stores run in processes of their own: an embedded PostgreSQL (operator, status; every migration
# applied) and DynamoDB Local in memory (integration, distributions). It prints min/median ms
# from JVM launch to handler ready and to first response, and the classes loaded by then (the probe reads the
# event and writes the answer with aws-lambda-java-serialization, as the Lambda Java runtime does; a third line
# per function gives the medians and ratio without the time that took); the last line is
# "worst cold-start ratio: X.XX", the largest ratio of a function's median first response to its
# baseline's.
#
# Usage: functions/bench/run.sh [--runs N] [--jvm-flags "..."] [--java PATH] [--cds] [--write-preload-lists]
#                               [--only NAME,...]
#   --runs N          JVMs per function and per baseline (default 5)
#   --jvm-flags "..." flags of every probe JVM (default: the JAVA_TOOL_OPTIONS template.yaml sets, read from it;
#                     -XX:+TieredCompilation -XX:TieredStopAtLevel=1 -XX:MetaspaceSize=64m)
#   --java PATH       java executable of the probes (default: the java running the benchmark, which is the
#                     JDK of template.yaml's Lambda runtime: $JAVA_HOME if it is that version, else
#                     /usr/lib/jvm/temurin-<version>-jdk-amd64)
#   --cds             one unmeasured training run per function and per baseline dumps a dynamic
#                     class-data archive (-XX:ArchiveClassesAtExit); their measured runs map it
#                     (-XX:SharedArchiveFile)
#   --write-preload-lists measures nothing: one run per function with preloading off writes the
#                     classes it loaded to functions/<name>/src/main/resources/META-INF/contentplane/
#                     preload-classes.txt (the ClassPreloader's list); rebuild the jars afterwards
#   --only NAME,...   just these functions (operator, status, integration, distributions, delivery), e.g. --only status
#
# Needs the jars built first: mvn -B -q -DskipTests package
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/../.."

# The benchmark itself; it checks the jars of the functions it measures (all, or those named by --only).
if [[ ! -f functions/bench/target/bench-0.1.0.jar ]]; then
  echo "functions/bench/target/bench-0.1.0.jar is missing; build the jars first: mvn -B -q -DskipTests package" >&2
  exit 1
fi

# The benchmark runs on the JDK of the runtime the functions are deployed on (template.yaml, Globals).
runtime_version=$(sed -n 's/^ *Runtime: java\([0-9][0-9]*\)$/\1/p' template.yaml | head -n 1)
[[ -n "$runtime_version" ]] || { echo "no 'Runtime: javaNN' found in template.yaml" >&2; exit 1; }
java_bin=""
if [[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/java" ]] \
   && "$JAVA_HOME/bin/java" -version 2>&1 | grep -q "version \"$runtime_version[.\"]"; then
  java_bin="$JAVA_HOME/bin/java"
elif [[ -x "/usr/lib/jvm/temurin-$runtime_version-jdk-amd64/bin/java" ]]; then
  java_bin="/usr/lib/jvm/temurin-$runtime_version-jdk-amd64/bin/java"
else
  echo "the benchmark runs on the JDK of the Lambda runtime (java$runtime_version): set JAVA_HOME to a JDK $runtime_version" >&2
  exit 1
fi

exec "$java_bin" -cp "functions/bench/target/bench-0.1.0.jar:functions/bench/target/lib/*" \
  io.contentplane.bench.ColdStartBench --repo . "$@"
