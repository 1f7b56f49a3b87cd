#!/usr/bin/env bash
# Long, bounded coverage-guided fuzzing of the STUN decoder with Jazzer's command-line driver:
# at most RUNS inputs and MAX_SECONDS seconds (whichever comes first), starting from the seed
# corpus. Results and any crashing input land in stun-codec/target/fuzz-long/. See docs/fuzzing.md.
#
#   stun-codec/fuzz-long.sh                     # 100 million inputs or 540 s
#   RUNS=10000000 MAX_SECONDS=120 stun-codec/fuzz-long.sh
set -euo pipefail
cd "$(dirname "$0")"

RUNS=${RUNS:-100000000}
MAX_SECONDS=${MAX_SECONDS:-540}
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}

work=target/fuzz-long
rm -rf "$work"
mkdir -p "$work/corpus"
../mvnw -q test-compile dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile="$work/classpath"
cp src/test/resources/dev/natcheck/stun/StunFuzzTestInputs/decodeFailsCleanlyOrRoundTrips/* "$work/corpus/"

start=$(date +%s)
set +e
"$JAVA_HOME/bin/java" -XX:+EnableDynamicAgentLoading --enable-native-access=ALL-UNNAMED \
  --sun-misc-unsafe-memory-access=allow \
  -cp "target/test-classes:target/classes:$(cat "$work/classpath")" \
  com.code_intelligence.jazzer.Jazzer \
  --target_class=dev.natcheck.stun.StunFuzzTarget \
  --instrumentation_includes='dev.natcheck.stun.**' \
  --reproducer_path="$work" \
  -artifact_prefix="$work/" \
  -runs="$RUNS" -max_total_time="$MAX_SECONDS" -print_final_stats=1 \
  "$work/corpus" 2>&1 | tee "$work/log"
status=${PIPESTATUS[0]}
set -e
end=$(date +%s)

echo "fuzz-long: exit status $status, wall time $((end - start)) s, $(grep -c '' "$work/log") log lines"
grep -E '^(Done|stat::number_of_executed_units|stat::average_exec_per_sec|stat::peak_rss_mb)' "$work/log" || true
ls "$work" | grep -E '^(crash|timeout|oom|leak)-' && echo "fuzz-long: FINDINGS above" || echo "fuzz-long: no crash, timeout or OOM inputs written"
exit "$status"
