#!/usr/bin/env bash
# Connection soak: N connections held on one cluster (see ConnectionSoak's javadoc). Usage: [N] [extra]
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -o test-compile
mvn -q -o dependency:build-classpath -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test
ulimit -n 65536 2>/dev/null || true
exec java ${JAVA_OPTS:-} -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -cp "target/test-classes:target/classes:$(cat target/bench.classpath)" \
  dev.dsqllocal.bench.ConnectionSoak "$@"
