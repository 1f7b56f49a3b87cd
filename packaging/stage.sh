#!/usr/bin/env bash
# Lays out the Debian package's files under ROOT, from the built jars; jdeb then packs ROOT
# (packaging/pom.xml runs both after `package`, so the quickstart's `package -DskipTests` stays
# as fast as it was). Also runnable by hand:
#
#   packaging/stage.sh ROOT VERSION CODEGEN_JAR TIMESTAMP   # after ./mvnw -q package -DskipTests
#
# What it makes (docs/operations.md, "The Debian package"):
#   usr/lib/natcheck/runtime    a Java runtime made by jlink with only the modules the jars use
#   usr/lib/natcheck/lib        natcheck.jar, stun-server.jar, whoami-server.jar, and
#                               natcheck.aot: the AOT cache, trained with that runtime by a
#                               `natcheck --local` run on loopback
#   usr/lib/natcheck/bin        the checkout's launchers, which prefer ../runtime; /usr/bin links
#   lib/systemd/system          the daemons' two units and natcheck-fleet.service, ExecStart
#                               pointing at /usr/bin (the fleet check's link helper stays in
#                               usr/lib/natcheck/bin: not a command for people)
#   usr/share/man/man1          man pages generated from the picocli models, by asciidoctor
#   usr/share/bash-completion, usr/share/zsh   natcheck's completion script
#   etc/default, usr/share/doc/natcheck        conffiles, copyright, changelog, the docs
#
# Needs: a JDK 25 with jlink (JAVA_HOME or the java on PATH), asciidoctor, strip (binutils),
# gzip, sed.
set -euo pipefail

[ $# -eq 4 ] || { echo "usage: $0 ROOT VERSION PICOCLI_CODEGEN_JAR TIMESTAMP" >&2; exit 2; }
root=$1
# Debian orders 0.1.0~SNAPSHOT before 0.1.0, as jdeb writes it into the control file.
version=${2/-SNAPSHOT/~SNAPSHOT}
codegen=$3
# Every file's modification time, as jdeb will write it into the package (ISO 8601, UTC).
timestamp=$4
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
jdk=${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}

# What the jars need from the JDK (jdeps --print-module-deps on the three jars, checked by the
# install test): java.naming and java.xml for logback and dnsjava, jdk.httpserver for the
# Prometheus endpoint, java.net.http for the gateway's UPnP IGD client, java.logging and
# jdk.unsupported for the libraries.
modules=java.base,java.logging,java.naming,java.net.http,java.xml,jdk.httpserver,jdk.unsupported

command -v asciidoctor >/dev/null ||
  { echo "stage.sh: needs asciidoctor for the man pages (apt-get install asciidoctor)" >&2; exit 1; }
for jar in natcheck-cli/target/natcheck.jar stun-server/target/stun-server.jar whoami-server/target/whoami-server.jar; do
  [ -f "$repo/$jar" ] || { echo "stage.sh: $jar missing: build first (./mvnw -q package -DskipTests)" >&2; exit 1; }
done

rm -rf "$root"
mkdir -p "$root"
cp -a "$here/src/deb/root/." "$root/"
lib=$root/usr/lib/natcheck

# The jars and the launchers.
install -d "$lib/lib" "$lib/bin"
install -p -m 644 "$repo/natcheck-cli/target/natcheck.jar" "$repo/stun-server/target/stun-server.jar" \
  "$repo/whoami-server/target/whoami-server.jar" "$lib/lib/"
install -p -m 755 "$repo/natcheck-cli/bin/natcheck" "$repo/natcheck-cli/bin/natcheck-textfile-link" \
  "$repo/stun-server/bin/stun-server" "$repo/whoami-server/bin/whoami-server" "$lib/bin/"
# (/usr/bin/natcheck, stun-server and whoami-server are links to these, made by jdeb.)

# The runtime: no debug symbols, man pages or headers; the default CDS archive for the daemons,
# which start without an AOT cache of their own.
"$jdk/bin/jlink" --add-modules "$modules" --strip-debug --no-man-pages --no-header-files \
  --generate-cds-archive --output "$lib/runtime"
rm "$lib/runtime/bin/keytool" "$lib/runtime/bin/jwebserver" # tools of the modules, not needed
# Stripped as Debian strips binaries (dh_strip): the runtime's ELF files keep only what linking
# needs.
find "$lib/runtime" -type f -name '*.so' -exec strip --remove-section=.comment --remove-section=.note \
  --strip-unneeded {} +
strip --remove-section=.comment --remove-section=.note "$lib/runtime/bin/java" "$lib/runtime/lib/jexec" \
  "$lib/runtime/lib/jspawnhelper"

# The units, installed where the package puts the commands.
install -d "$root/lib/systemd/system"
for unit in "$repo/stun-server/systemd/natcheck-stun.service" "$repo/whoami-server/systemd/natcheck-whoami.service" \
  "$repo/natcheck-cli/systemd/natcheck-fleet.service"; do
  sed -e 's|/opt/natcheck/bin/natcheck-textfile-link|/usr/lib/natcheck/bin/natcheck-textfile-link|g' \
    -e 's|/opt/natcheck/bin/|/usr/bin/|g' -e 's|/opt/natcheck/lib/|/usr/lib/natcheck/lib/|g' \
    "$unit" >"$root/lib/systemd/system/$(basename "$unit")"
  chmod 644 "$root/lib/systemd/system/$(basename "$unit")"
done

# Man pages from the picocli models, one per command and subcommand.
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$lib/runtime/bin/java" -cp "$codegen:$lib/lib/natcheck.jar" picocli.codegen.docgen.manpage.ManPageGenerator \
  --exit -d "$work/man" dev.natcheck.cli.Natcheck dev.natcheck.stunserver.StunServerCommand \
  dev.natcheck.whoami.WhoamiCommand
# picocli writes option labels as _LABEL_ (emphasis); in a label with brackets, such as
# IP[:PORT], asciidoctor reads the brackets as an attribute list and garbles the synopsis: write
# them as its {startsb} and {endsb} attributes.
sed -i -E 's/_([A-Za-z]*)\[([^]_ ]*)\]([A-Za-z]*)_/_\1{startsb}\2{endsb}\3_/g' "$work/man"/*.adoc
asciidoctor -b manpage -a reproducible -D "$work/man" "$work/man"/*.adoc
install -d "$root/usr/share/man/man1"
for page in "$work/man"/*.1; do
  gzip -9n <"$page" >"$root/usr/share/man/man1/$(basename "$page").gz"
done

# Completion: whatever `natcheck completion` prints, for bash; zsh sources the same script.
install -d "$root/usr/share/bash-completion/completions" "$root/usr/share/zsh/vendor-completions"
# bash-completion sources the file, so no #! line (lintian: bash-completion-with-hashbang).
"$lib/runtime/bin/java" -jar "$lib/lib/natcheck.jar" completion | sed '1{/^#!/d}' \
  >"$root/usr/share/bash-completion/completions/natcheck"
install -m 644 "$here/src/deb/zsh/_natcheck" "$root/usr/share/zsh/vendor-completions/"

# Documentation: the operator's guide and the CLI guide, and the changelog Debian asks for.
doc=$root/usr/share/doc/natcheck
install -m 644 "$repo/docs/operations.md" "$repo/docs/cli.md" "$doc/"
date=$(date -R -r "$lib/lib/natcheck.jar")
sed -e "s/\[\[deb.version\]\]/$version/" -e "s/\[\[deb.date\]\]/$date/" "$here/src/deb/changelog" | gzip -9n >"$doc/changelog.gz"

# The package's timestamp on every file: the AOT cache records the jar's and the runtime's.
find "$root" -exec touch -h -d "$timestamp" {} +

# The AOT cache: a training run with the package's runtime, flags and jar, whose paths match
# the installed ones relative to each other (the JVM accepts the cache after the move). It is
# also a real run: natcheck --local checks loopback against its own servers.
env -u JAVA_OPTS -u NATCHECK_JAR -u NATCHECK_AOT_CACHE NATCHECK_AOT_TRAIN=1 "$lib/bin/natcheck" --local -q -o brief >/dev/null
touch -d "$timestamp" "$lib/lib/natcheck.aot"

# Everything root's, nothing writable by others.
chmod -R go-w "$root"
find "$root" -type d -exec chmod 755 {} +
echo "staged $(du -sh "$root" | cut -f1) in $root"
