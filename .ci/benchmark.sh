#!/usr/bin/env bash
# Start-up benchmark (documented, not a timed test): new DsqlContainer().start() up to the first authenticated
# query, beside a plain PostgreSQL 16 container from the same base image and binaries.
# Usage: .ci/benchmark.sh [runs]   (after `mvn install -DskipTests -Pdocker-image`, which builds
# dsqllocal/dsql-local:<version> and :latest; DSQL_LOCAL_JDK_IMAGE / DSQL_LOCAL_BASE_IMAGE as for CI)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-7}
BASE_IMAGE=${DSQL_LOCAL_BASE_IMAGE:-dsql-local-base:bookworm}
export TESTCONTAINERS_RYUK_DISABLED=${TESTCONTAINERS_RYUK_DISABLED:-true}
export TESTCONTAINERS_HOST_OVERRIDE=${TESTCONTAINERS_HOST_OVERRIDE:-localhost}

docker build -q --build-arg BASE_IMAGE="$BASE_IMAGE" --build-arg DSQL_IMAGE=dsqllocal/dsql-local:latest \
    -t dsql-local-plain-postgres:latest image/docker/plain-postgres >/dev/null
mvn -q -o -pl module test-compile exec:java -Dexec.classpathScope=test \
    -Dexec.mainClass=dev.dsqllocal.testcontainers.bench.StartupBenchmark -Dexec.args="$runs"
