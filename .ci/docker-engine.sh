#!/usr/bin/env bash
# Makes sure a Docker engine answers on this machine: installs docker.io from Debian when no daemon is
# installed, starts dockerd in the background when none runs, then waits until `docker info` succeeds.
# Idempotent: a machine with a working engine is left alone. Fails loudly (exit 1) when no engine comes up.
set -euo pipefail

log() { echo "[docker-engine] $*" >&2; }

if docker info >/dev/null 2>&1; then
    log "a Docker engine already answers: $(docker version --format '{{.Server.Version}} (API {{.Server.APIVersion}})')"
    exit 0
fi

if ! command -v dockerd >/dev/null 2>&1; then
    if [[ $(id -u) -ne 0 ]]; then
        log "no Docker engine answers and dockerd is not installed; run as root or install Docker first"
        exit 1
    fi
    log "installing docker.io from the Debian mirror"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq docker.io >/dev/null
fi

if ! pgrep -x dockerd >/dev/null 2>&1; then
    log "starting dockerd (log: /var/log/dockerd.log)"
    # setsid: the daemon outlives this script and the CI step that started it.
    setsid dockerd >/var/log/dockerd.log 2>&1 < /dev/null &
fi

for _ in $(seq 1 60); do
    if docker info >/dev/null 2>&1; then
        log "Docker engine up: $(docker version --format '{{.Server.Version}} (API {{.Server.APIVersion}})')"
        exit 0
    fi
    sleep 1
done

log "the Docker engine did not answer within 60 s; last lines of /var/log/dockerd.log:"
tail -n 30 /var/log/dockerd.log >&2 || true
exit 1
