#!/usr/bin/env bash
# Builds a local stand-in for a public base image when no registry can be reached: a minbase bookworm root file
# system made by debootstrap from this machine's own Debian mirror, with extra Debian packages if asked, imported
# into Docker.
# Usage: .ci/base-image.sh [IMAGE_NAME [PACKAGES [ENV...]]]
#   IMAGE_NAME  default dsql-local-base:bookworm (the stand-in for debian:bookworm-slim)
#   PACKAGES    comma-separated Debian packages to add (debootstrap --include), e.g. for the JDK stand-in
#               openjdk-17-jdk-headless (bookworm ships the jmods jlink needs in that package)
#   ENV         NAME=VALUE pairs recorded as the image's ENV
# Skips when the image exists.
set -euo pipefail

IMAGE=${1:-dsql-local-base:bookworm}
PACKAGES=${2:-}
shift $(( $# > 2 ? 2 : $# ))
log() { echo "[base-image] $*" >&2; }

if docker image inspect "$IMAGE" >/dev/null 2>&1; then
    log "$IMAGE already exists"
    exit 0
fi

if ! command -v debootstrap >/dev/null 2>&1; then
    log "installing debootstrap"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq debootstrap >/dev/null
fi

# The mirror this machine already uses (never a host name written into the repository).
MIRROR=""
if [[ -f /etc/apt/sources.list.d/debian.sources ]]; then
    MIRROR=$(awk '/^URIs:/ { print $2; exit }' /etc/apt/sources.list.d/debian.sources)
fi
if [[ -z "$MIRROR" && -f /etc/apt/sources.list ]]; then
    MIRROR=$(awk '$1 == "deb" { for (i = 2; i <= NF; i++) if ($i ~ /^https?:/) { print $i; exit } }' /etc/apt/sources.list)
fi
if [[ -z "$MIRROR" ]]; then
    log "cannot find a Debian mirror in /etc/apt/sources.list.d/debian.sources or /etc/apt/sources.list"
    exit 1
fi

ROOTFS=$(mktemp -d /tmp/dsql-local-rootfs.XXXXXX)
LOG=$(mktemp /tmp/dsql-local-debootstrap.XXXXXX.log)
trap 'rm -rf "$ROOTFS"' EXIT
include=()
if [[ -n "$PACKAGES" ]]; then
    include=(--include="$PACKAGES")
fi
log "debootstrap --variant=minbase ${include[*]} bookworm from $MIRROR"
debootstrap --variant=minbase "${include[@]}" bookworm "$ROOTFS" "$MIRROR" >"$LOG" 2>&1 || {
    log "debootstrap failed; last lines of $LOG:"
    tail -n 30 "$LOG" >&2
    exit 1
}
# Slim it the way the official bookworm-slim image is made (debuerreotype --slimify): no documentation,
# manual pages or translations now, and a dpkg rule so packages installed later add none either.
cat > "$ROOTFS"/etc/dpkg/dpkg.cfg.d/docker-slim <<'CFG'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/groff/*
path-exclude /usr/share/info/*
path-exclude /usr/share/linda/*
path-exclude /usr/share/lintian/overrides/*
path-exclude /usr/share/locale/*
path-exclude /usr/share/man/*
CFG
find "$ROOTFS"/usr/share/doc -mindepth 1 -not -name copyright -not -type d -delete
rm -rf "$ROOTFS"/usr/share/{groff,info,linda,man}/* "$ROOTFS"/usr/share/lintian/overrides/* "$ROOTFS"/usr/share/locale/*
rm -rf "$ROOTFS"/var/cache/apt/*.bin "$ROOTFS"/var/cache/apt/archives/*.deb "$ROOTFS"/var/lib/apt/lists/*
changes=(--change 'CMD ["bash"]')
for env in "$@"; do
    changes+=(--change "ENV $env")
done
log "importing as $IMAGE"
tar -C "$ROOTFS" -c . | docker import "${changes[@]}" - "$IMAGE" >/dev/null
log "$IMAGE ready ($(docker image inspect --format '{{.Size}}' "$IMAGE" | awk '{ printf "%.0f MB", $1 / 1e6 }'))"
