#!/bin/sh
# Gateway vs direct PostgreSQL: pgbench -S throughput, query latency, connection setup.
# Needs pgbench and PostgreSQL server binaries (Debian: postgresql, postgresql-client).
# Usage: $0 [seconds] [dialect]   ("dialect": the emulator's interceptors, with the bare proxy measured beside them)
# JAVA_OPTS=-Dbench.variant=NAME adds a gateway run with the boolean system property NAME set (e.g.
# dsqllocal.gateway.backendTcp: relay to PostgreSQL over TCP instead of its Unix socket), side by side.
set -eu
cd "$(dirname "$0")/.."
mvn -q -o test-compile
mvn -q -o dependency:build-classpath -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test
exec java ${JAVA_OPTS:-} -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -cp "target/test-classes:target/classes:$(cat target/bench.classpath)" \
  dev.dsqllocal.bench.GatewayBenchmark "$@"
