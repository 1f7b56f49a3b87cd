#!/usr/bin/env bash
# Start-up of the natcheck command, whole process, against the floors under it, in one
# hyperfine run so that every row sees the same machine:
#
#   benchmarks/startup.sh              # RUNS=40 by default; builds the jars if missing
#   RUNS=60 benchmarks/startup.sh
#
# Rows (every JVM with the launcher's flags: C1 only, Serial GC, no perf data, jdk.console=java.base):
#   java -version                        the JVM alone
#   hello world, AOT cache               + an application class from a jar, through its own AOT cache
#   picocli 4.7.7 jar, AOT cache         + a minimal picocli command printing its version (picocli's
#                                          jar is compiled for Java 5: the cache skips its classes)
#   picocli at release 25, AOT cache     the same command with picocli-release-25
#   minimal loopback STUN check, AOT     the floor of a loopback check: natcheck's stun-server started
#     cache                                in process on 127.0.0.1, one Binding request through the
#                                          codec from a client socket, the mapped address printed;
#                                          no picocli, no logback (slf4j's no-op provider, named)
#                                          (benchmarks/src/main/java/dev/natcheck/startup)
#   natcheck --version, checkout         natcheck-cli/bin/natcheck with its AOT cache (answered
#                                          before picocli builds natcheck's command model)
#   natcheck --version -q, checkout      the same answer through picocli: what the model costs
#   natcheck --local, checkout           a basic loopback check: natcheck's own STUN and whoami
#                                          servers in process, both families, -q -o brief
#   the same two, installed package      packaging/target/deb-root/usr/bin/natcheck: the package's
#                                          jlink'd runtime and the AOT cache made at package time
#                                          (when the package was built: ./mvnw verify -pl packaging -am)
#
# Each AOT cache is trained here first, as the launcher does (NATCHECK_AOT_TRAIN=1), except the
# package's, which is the package's own. Prints the machine's load before and after: the figures
# mean little when other jobs share the two cores. Only loopback is used.
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=${RUNS:-40}
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
java=$JAVA_HOME/bin/java
flags="-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -XX:-UsePerfData -Xlog:disable -Xlog:all=warning:stderr -Djdk.console=java.base"
command -v hyperfine >/dev/null || { echo "needs hyperfine (apt-get install hyperfine)" >&2; exit 1; }

[ -f natcheck-cli/target/natcheck.jar ] || ./mvnw -q package -DskipTests
picocli_version=$(sed -n 's:.*<picocli.version>\(.*\)</picocli.version>.*:\1:p' pom.xml)
stock_picocli=$HOME/.m2/repository/info/picocli/picocli/$picocli_version/picocli-$picocli_version.jar
release25_picocli=$(ls picocli-release-25/target/picocli-release-25-*.jar | head -1)

# The loopback floor's class path: its class and the thin jars of what it runs, nothing else.
floor_class=benchmarks/target/classes/dev/natcheck/startup/LoopbackStunFloor.class
[ -f "$floor_class" ] || ./mvnw -q package -DskipTests -pl benchmarks -am
slf4j_version=$(sed -n 's:.*<slf4j.version>\(.*\)</slf4j.version>.*:\1:p' pom.xml)
loopback_cp=
for module in stun-server stun-codec linux-sockets address-text; do
  loopback_cp=$loopback_cp:$(ls "$PWD/$module/target/$module"-[0-9]*.jar | head -1)
done
loopback_cp=$loopback_cp:$HOME/.m2/repository/org/slf4j/slf4j-api/$slf4j_version/slf4j-api-$slf4j_version.jar
no_logging="-Dslf4j.provider=org.slf4j.helpers.NOP_FallbackServiceProvider -Dslf4j.internal.verbosity=WARN"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The floors' two programs, compiled here.
mkdir -p "$work/src"
cat >"$work/src/Hello.java" <<'JAVA'
public class Hello {
    public static void main(String[] args) {
        System.out.println("hello");
    }
}
JAVA
cat >"$work/src/Minimal.java" <<'JAVA'
import picocli.CommandLine;
import picocli.CommandLine.Command;

@Command(name = "minimal", mixinStandardHelpOptions = true, version = "minimal 1")
public class Minimal implements Runnable {
    public void run() {}

    public static void main(String[] args) {
        System.exit(new CommandLine(new Minimal()).execute(args));
    }
}
JAVA
"$JAVA_HOME/bin/javac" -d "$work/classes" -cp "$stock_picocli" "$work/src/Hello.java" "$work/src/Minimal.java"
"$JAVA_HOME/bin/jar" --create --file "$work/hello.jar" --main-class Hello -C "$work/classes" Hello.class
"$JAVA_HOME/bin/jar" --create --file "$work/minimal.jar" -C "$work/classes" Minimal.class
"$JAVA_HOME/bin/jar" --create --file "$work/loopback.jar" -C benchmarks/target/classes dev/natcheck/startup/LoopbackStunFloor.class
loopback_cp=$work/loopback.jar$loopback_cp

train() { # cache, java arguments...
  local cache=$1
  shift
  # shellcheck disable=SC2086
  "$java" $flags -XX:AOTCacheOutput="$cache" -Xlog:all=error:stderr "$@" >/dev/null 2>&1
}
train "$work/hello.aot" -jar "$work/hello.jar"
train "$work/stock.aot" -cp "$work/minimal.jar:$stock_picocli" Minimal --version
train "$work/r25.aot" -cp "$work/minimal.jar:$release25_picocli" Minimal --version
# shellcheck disable=SC2086
train "$work/loopback.aot" $no_logging -cp "$loopback_cp" dev.natcheck.startup.LoopbackStunFloor

launcher=natcheck-cli/bin/natcheck
cache=natcheck-cli/target/natcheck.aot
rm -f "$cache"
NATCHECK_AOT_TRAIN=1 "$launcher" --local -q -o brief >/dev/null 2>&1
ls -l "$cache" | awk '{print "checkout AOT cache: " $5 " bytes"}'

rows=(
  -n "java -version" "$java $flags -version"
  -n "hello world, AOT cache" "$java $flags -XX:AOTCache=$work/hello.aot -jar $work/hello.jar"
  -n "picocli $picocli_version jar, minimal --version, AOT cache" "$java $flags -XX:AOTCache=$work/stock.aot -cp $work/minimal.jar:$stock_picocli Minimal --version"
  -n "picocli at release 25, minimal --version, AOT cache" "$java $flags -XX:AOTCache=$work/r25.aot -cp $work/minimal.jar:$release25_picocli Minimal --version"
  -n "minimal loopback STUN check, AOT cache" "$java $flags -XX:AOTCache=$work/loopback.aot $no_logging -cp $loopback_cp dev.natcheck.startup.LoopbackStunFloor"
  -n "natcheck --version (checkout launcher)" "$launcher --version"
  -n "natcheck --version -q, through picocli (checkout launcher)" "$launcher --version -q"
  -n "natcheck --local -q -o brief (checkout launcher)" "$launcher --local -q -o brief"
)
installed=packaging/target/deb-root/usr/lib/natcheck/bin/natcheck
if [ -x "$installed" ]; then
  rows+=(
    -n "natcheck --version (package)" "$installed --version"
    -n "natcheck --local -q -o brief (package)" "$installed --local -q -o brief"
  )
else
  echo "no staged package ($installed): its rows are left out"
fi

echo "== machine load before: $(cut -d' ' -f1-3 /proc/loadavg) (2 cores; $(nproc) here)"
hyperfine -N --warmup 3 --runs "$RUNS" --export-json "$work/startup.json" "${rows[@]}" >/dev/null
echo "== machine load after: $(cut -d' ' -f1-3 /proc/loadavg)"
python3 - "$work/startup.json" <<'PY'
import json, statistics, sys
results = json.load(open(sys.argv[1]))["results"]
print(f"| command ({len(results[0]['times'])} runs each) | min | median | mean ± σ | user + sys (mean) |")
print("|---|---|---|---|---|")
for r in results:
    t = [x * 1000 for x in r["times"]]
    print(f"| {r['command']} | {min(t):.1f} ms | {statistics.median(t):.1f} ms | "
          f"{statistics.mean(t):.1f} ± {statistics.stdev(t):.1f} ms | {r['user']*1000:.0f} + {r['system']*1000:.0f} ms |")
PY
