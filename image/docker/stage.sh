#!/usr/bin/env bash
# Stages the Docker build context for image/Dockerfile:
#   <out>/dsql-local.jar       the shaded server; the image build runs PreparePostgres from it
#   <out>/dsql-local-slim.jar  the same without the bundled PostgreSQL archives (~15 MB: the image ships them
#                              unpacked) and without the native libraries of other platforms (~11 MB: Netty's
#                              BoringSSL and epoll builds for macOS, Windows and the other Linux architecture;
#                              the image runs on the build machine's architecture, like its PostgreSQL binaries)
#   <out>/runtime/             a Java runtime made by jlink from the build JDK's jmods: the modules jdeps finds in
#                              the jar, plus jdk.crypto.ec (TLS key exchange and ECDSA certificates are looked up by
#                              name, which jdeps cannot see), minus java.desktop (see below)
#   <out>/bin/             scripts used inside the image (health check)
#   <out>/icu/             an empty ICU data library (icu-stubdata.c) that replaces the bundled 26 MB one, when a C
#                          compiler is at hand (otherwise empty, and the image keeps ICU's data)
# Usage: stage.sh <shaded jar> <out dir> <java home>
# The runtime is rebuilt only when the module list or the JDK changes (jlink takes ~15 s).
set -euo pipefail

jar=$1
out=$2
java_home=$3
here=$(cd "$(dirname "$0")" && pwd)

log() { echo "[stage] $*" >&2; }

for tool in jdeps jlink; do
    if [[ ! -x "$java_home/bin/$tool" ]]; then
        log "$java_home/bin/$tool not found: building the image needs a full JDK (with jmods), not a JRE"
        exit 1
    fi
done
if [[ ! -d "$java_home/jmods" ]]; then
    log "$java_home/jmods not found: jlink needs the JDK's jmods (Debian: package openjdk-17-jdk; or use a Temurin JDK)"
    exit 1
fi

mkdir -p "$out"
modules=$("$java_home/bin/jdeps" --print-module-deps --ignore-missing-deps --multi-release 17 "$jar")
# java.desktop is reached only through java.beans/java.awt in code paths the server never takes (Jackson's optional
# java.beans support, commons-compress pack200, pgJDBC's PGpoint.setLocation(Point)); it would add ~12 MB.
modules=$(tr ',' '\n' <<<"$modules" | grep -v -x 'java.desktop' | paste -sd, -)
modules="$modules,jdk.crypto.ec"
stamp="$modules $("$java_home/bin/java" -version 2>&1 | head -n 1)"

if [[ -f "$out/runtime.stamp" && "$(cat "$out/runtime.stamp")" == "$stamp" && -x "$out/runtime/bin/java" ]]; then
    log "runtime up to date ($modules)"
else
    log "jlink --add-modules $modules"
    rm -rf "$out/runtime" "$out/runtime.stamp"
    "$java_home/bin/jlink" --add-modules "$modules" --output "$out/runtime" \
        --strip-debug --no-man-pages --no-header-files --compress=2 --generate-cds-archive
    # The second CDS archive serves only heaps over 32 GB (no compressed oops): 11 MB nobody here uses.
    rm -f "$out/runtime/lib/server/classes_nocoops.jsa"
    # Debian's libjvm.so keeps its symbol table (4 MB); the JVM does not need it.
    if command -v strip >/dev/null 2>&1; then
        chmod u+w "$out/runtime/lib/server/libjvm.so"
        strip --strip-unneeded "$out/runtime/lib/server/libjvm.so"
    fi
    echo "$stamp" > "$out/runtime.stamp"
fi

cp "$jar" "$out/dsql-local.jar"
cp "$jar" "$out/dsql-local-slim.jar"
if command -v zip >/dev/null 2>&1; then
    zip -q -d "$out/dsql-local-slim.jar" 'postgres-linux-*.txz' || true
    case "$(uname -m)" in
        x86_64) other_arch=aarch_64 ;;
        aarch64) other_arch=x86_64 ;;
        *) other_arch= ;;
    esac
    zip -q -d "$out/dsql-local-slim.jar" 'META-INF/native/*osx*' 'META-INF/native/*windows*' || true
    if [[ -n "$other_arch" ]]; then
        zip -q -d "$out/dsql-local-slim.jar" "META-INF/native/*_${other_arch}.so" || true
    fi
else
    log "zip not found: the image keeps the bundled PostgreSQL archives and foreign native libraries in its jar (~26 MB more)"
fi
rm -rf "$out/icu"
mkdir -p "$out/icu"
icu_data=$(unzip -p "$jar" 'postgres-linux-*.txz' 2>/dev/null | tar -tJf - 2>/dev/null \
    | grep -o 'libicudata\.so\.[0-9]*\.[0-9]*$' | head -n 1 || true)
if [[ -n "$icu_data" ]] && command -v cc >/dev/null 2>&1; then
    icu_major=$(cut -d. -f3 <<<"$icu_data")
    cc -shared -fPIC -O2 -DICU_MAJOR="$icu_major" -Wl,-soname,"libicudata.so.$icu_major" \
        -o "$out/icu/$icu_data" "$here/icu-stubdata.c"
    log "ICU data library replaced by an empty one ($icu_data)"
else
    log "no C compiler (or no ICU in the bundled PostgreSQL): the image keeps ICU's 26 MB data library"
fi
rm -rf "$out/bin"
cp -r "$here/bin" "$out/bin"
chmod 0755 "$out"/bin/*
log "staged $out ($(du -sh "$out/runtime" | cut -f1) runtime, $(du -sh "$jar" | cut -f1) jar)"
