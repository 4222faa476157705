#!/usr/bin/env bash
# Builds mainloop's container images with podman, from Debian packages and the project's own
# build output; no registry is pulled from (docs/images.md):
#
#   mainloop-base:bookworm        Debian bookworm, packages only extracted: libc, tzdata, CA
#                                 certificates, netbase; user app (10001); no shell
#   mainloop-base-tools:bookworm  Debian bookworm minbase + git, gh, bubblewrap, socat, ...;
#                                 user agent (10001)
#   mainloop-runtime:<java>       mainloop-base + a jlink'ed Java runtime in /opt/java
#   mainloop-gateway-service, -memory-service, -scheduler-service   runtime + the service
#   mainloop-agent-task           base-tools + the pinned Claude Code CLI (sub-agent Jobs)
#   mainloop-agent-service        agent-task + /opt/java + agent-service (the main thread's CLI)
#
# Each of the five images is tagged ghcr.io/mainloop-dev/mainloop-<name>:<version> and
# localhost/mainloop-<name>:<version>. Idempotent: the base root filesystems, the Java runtime
# and the CLI are cached in images/.cache/ (git-ignored; MAINLOOP_IMAGES_CACHE) and podman's
# layer cache does the rest.
#
# Usage: images/build.sh [--version V] [--only NAME[,NAME...]]
# Needs: the four services packaged (./mvnw package -DskipTests), podman, buildah, mmdebstrap,
# a JDK >= 21 (jlink), npm. Runs as root (mmdebstrap --mode=root, podman's root storage).
# Environment: MAINLOOP_IMAGE_VERSION (default: the root pom's version), MAINLOOP_IMAGE_REGISTRY
# (default ghcr.io/mainloop-dev), DEBIAN_MIRROR, DEBIAN_SECURITY_MIRROR, CONTAINERS_CONF (default
# images/containers.conf), SOURCE_DATE_EPOCH (default: the last commit's time).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

export CONTAINERS_CONF="${CONTAINERS_CONF:-$ROOT/images/containers.conf}"
VERSION=${MAINLOOP_IMAGE_VERSION:-}
ONLY=""
while [ $# -gt 0 ]; do
  case "$1" in
    --version) VERSION=$2; shift 2 ;;
    --only) ONLY=$2; shift 2 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "build.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
pom_property() { sed -n "s:.*<$1>\(.*\)</$1>.*:\1:p" pom.xml | head -n 1; }
[ -n "$VERSION" ] || VERSION=$(pom_property version)
REGISTRY=${MAINLOOP_IMAGE_REGISTRY:-ghcr.io/mainloop-dev}
CLAUDE_VERSION=$(pom_property claude-code.version)
MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
SECURITY_MIRROR=${DEBIAN_SECURITY_MIRROR:-http://deb.debian.org/debian-security}
CACHE=${MAINLOOP_IMAGES_CACHE:-$ROOT/images/.cache}
SUITE=bookworm
SERVICES=(gateway-service memory-service agent-service scheduler-service)
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct 2>/dev/null || date +%s)}
REVISION=$(git rev-parse HEAD 2>/dev/null || echo unknown)
CREATED=$(date -u -d "@$SOURCE_DATE_EPOCH" +%Y-%m-%dT%H:%M:%SZ)

# The Debian packages of the two bases. The services' base needs no shell: only what a JVM and
# HTTPS need. The tools base is what a Claude Code agent works with (its Bash tool needs bash,
# coreutils; the sandbox bubblewrap and socat; git and gh for repositories).
BASE_PACKAGES=base-files,libc6,tzdata,netbase,ca-certificates
TOOLS_PACKAGES=ca-certificates,tzdata,netbase,bash,coreutils,git,gh,openssh-client,curl,jq,ripgrep,less,procps,unzip,xz-utils,bubblewrap,socat
# The Java modules the services need: jdeps --print-module-deps --ignore-missing-deps --multi-release 21
# over the non-modular jars of the four quarkus-app/lib folders, plus the java.*/jdk.* modules that the
# modular jars' module-info files require (jar --describe-module), plus what is looked up by name at
# run time (jdk.crypto.ec: EC keys on Java 21; jdk.naming.dns; jdk.net), plus jdk.incubator.vector (Lucene's
# SIMD vector search in memory-service, added with --add-modules in its JAVA_TOOL_OPTIONS). jdeps also names jdk.compiler
# (an annotation-processing path Quarkus does not take in production): left out.
# The images module's test starts every service on this runtime.
JAVA_MODULES=java.base,java.compiler,java.desktop,java.instrument,java.logging,java.management,java.naming,java.net.http,java.rmi,java.scripting,java.security.jgss,java.security.sasl,java.sql,java.transaction.xa,java.xml,jdk.crypto.ec,jdk.incubator.vector,jdk.jfr,jdk.management,jdk.naming.dns,jdk.net,jdk.unsupported,jdk.zipfs

log() { printf 'images: %s\n' "$*"; }
die() { printf 'images: %s\n' "$*" >&2; exit 1; }
seconds() { echo $(( $(date +%s%N) / 1000000 )); }
elapsed() { local ms=$(( $(seconds) - $1 )); printf '%d.%01d s' $((ms / 1000)) $(((ms % 1000) / 100)); }
wanted() { [ -z "$ONLY" ] || [[ ",$ONLY," == *",$1,"* ]]; }
key_of() { sha256sum | cut -c1-16; }
image_label() { podman image inspect --format "{{ index .Config.Labels \"$2\" }}" "$1" 2>/dev/null || true; }

for tool in podman mmdebstrap npm; do # jlink comes from the JDK that .mvn/java-home.sh picks
  command -v "$tool" >/dev/null || die "$tool is missing: apt-get install podman buildah mmdebstrap uidmap fuse-overlayfs slirp4netns runc dpkg-dev npm (docs/images.md)"
done
[ "$(id -u)" = 0 ] || die "run as root (mmdebstrap --mode=root and podman's root storage); see docs/images.md"
# shellcheck source=../.mvn/java-home.sh
source .mvn/java-home.sh
for s in "${SERVICES[@]}"; do
  [ -f "$s/target/quarkus-app/quarkus-run.jar" ] || die "$s/target/quarkus-app is missing: build the services first (./mvnw package -DskipTests)"
done
mkdir -p "$CACHE"
total=$(seconds)

labels=(--label "org.opencontainers.image.version=$VERSION"
        --label "org.opencontainers.image.revision=$REVISION"
        --label "org.opencontainers.image.created=$CREATED"
        --label "org.opencontainers.image.source=https://github.com/mainloop-dev/mainloop"
        --label "org.opencontainers.image.vendor=mainloop"
        --label "org.opencontainers.image.licenses=NOASSERTION")

# A root filesystem from Debian packages (mmdebstrap), cached as a tarball keyed by its recipe,
# imported as a podman image unless an image of the same recipe exists.
#   $1 image  $2 variant  $3 packages  $4 user name  $5 its home  $6 extra config for podman import
rootfs_image() {
  local image=$1 variant=$2 packages=$3 user=$4 home=$5 key tar start
  key=$( { echo "$SUITE $variant $packages $user $home $MIRROR $SECURITY_MIRROR"; cat images/base/setup-rootfs.sh; } | key_of)
  tar="$CACHE/$(echo "$image" | tr ':/' '--')-$key.tar"
  if [ "$(image_label "$image" io.mainloop.base.key)" = "$key" ]; then
    log "$image: up to date ($key)"
    return
  fi
  if [ ! -s "$tar" ]; then
    start=$(seconds)
    log "$image: mmdebstrap --variant=$variant $SUITE ($packages)"
    local hooks
    if [ "$variant" = extract ]; then
      # packages only extracted: the hook writes what maintainer scripts would have (users, CA bundle, ...)
      hooks=(--extract-hook "sh '$ROOT/images/base/setup-rootfs.sh' \"\$1\" $user $home")
    else
      # a full (minbase) system: dpkg ran the maintainer scripts, so only the user is added
      hooks=(--customize-hook "chroot \"\$1\" groupadd --gid 10001 $user"
             --customize-hook "chroot \"\$1\" useradd --uid 10001 --gid 10001 --create-home --home-dir $home --shell /bin/bash $user"
             --customize-hook 'rm -rf "$1"/var/lib/apt/lists/* "$1"/var/cache/apt/* "$1"/var/log/*.log "$1"/var/log/apt/*')
      if [ -d /usr/share/mmdebstrap/hooks/eatmydata ] && command -v dpkg-architecture >/dev/null; then
        # dpkg without fsync (eatmydata, removed again at the end): installs in half the time
        hooks+=(--hook-dir=/usr/share/mmdebstrap/hooks/eatmydata)
      fi
    fi
    rm -f "$tar.part"
    mmdebstrap --quiet --mode=root --variant="$variant" --include="$packages" --format=tar \
      --dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/info/*' \
      --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-include=/usr/share/doc/*/copyright' \
      --dpkgopt='path-exclude=/usr/share/locale/*' --dpkgopt='path-include=/usr/share/locale/locale.alias' \
      "${hooks[@]}" "$SUITE" "$tar.part" \
      "deb $MIRROR $SUITE main" "deb $MIRROR $SUITE-updates main" "deb $SECURITY_MIRROR $SUITE-security main" </dev/null
    mv "$tar.part" "$tar"
    log "$image: root filesystem $(du -m "$tar" | cut -f1) MB in $(elapsed "$start")"
    # older tarballs of this image are of another recipe
    find "$CACHE" -maxdepth 1 -name "$(echo "$image" | tr ':/' '--')-*.tar" ! -path "$tar" -delete
  fi
  start=$(seconds)
  shift 5
  podman import --quiet \
    --change "LABEL io.mainloop.base.key=$key" \
    --change "LABEL org.opencontainers.image.title=$image" \
    --change "LABEL org.opencontainers.image.description=Debian $SUITE from packages ($variant: $packages)" \
    --change "USER 10001:10001" --change "WORKDIR $home" \
    --change "ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" \
    --change "ENV LANG=C.UTF-8" \
    --change "ENV SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt" \
    "$@" "$tar" "localhost/$image" >/dev/null
  log "$image: imported in $(elapsed "$start")"
}

# 1. the bases
step=$(seconds)
rootfs_image mainloop-base:$SUITE extract "$BASE_PACKAGES" app /home/app
rootfs_image mainloop-base-tools:$SUITE minbase "$TOOLS_PACKAGES" agent /home/agent --change "ENV HOME=/home/agent"
log "bases ready in $(elapsed "$step")"

# 2. the Java runtime (jlink from the build's JDK), on the base
step=$(seconds)
java_version=$("$JAVA_HOME/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.runtime.version = //p')
jre_key=$(echo "$java_version $JAVA_MODULES" | key_of)
jre="$CACHE/jre-$jre_key"
if [ ! -x "$jre/bin/java" ]; then
  rm -rf "$jre" "$jre.part"
  "$JAVA_HOME/bin/jlink" --add-modules "$JAVA_MODULES" --strip-debug --no-header-files --no-man-pages \
    --compress=zip-6 --output "$jre.part"
  # the default CDS archive of the linked modules: a faster JVM start
  "$jre.part/bin/java" -Xshare:dump >/dev/null
  mv "$jre.part" "$jre"
  find "$CACHE" -maxdepth 1 -name 'jre-*' ! -path "$jre" -exec rm -rf {} +
fi
RUNTIME=localhost/mainloop-runtime:$java_version-$jre_key
RUNTIME=${RUNTIME//+/_}
podman build --quiet --pull=never --layers -f images/runtime/Containerfile \
  --build-arg "BASE=localhost/mainloop-base:$SUITE" --build-arg "JAVA_VERSION=$java_version" \
  -t "$RUNTIME" "$jre" >/dev/null
log "$RUNTIME: Java $java_version ($(du -sm "$jre" | cut -f1) MB) in $(elapsed "$step")"

# 3. the Claude Code CLI: the native package (needs only glibc), pinned like devstack's
step=$(seconds)
cli="$CACHE/claude-code-linux-x64-$CLAUDE_VERSION"
if [ ! -x "$cli/claude" ]; then
  rm -rf "$cli" "$cli.part" && mkdir -p "$cli.part"
  (cd "$cli.part" && npm pack --silent "@anthropic-ai/claude-code-linux-x64@$CLAUDE_VERSION" >/dev/null \
    && tar -xzf anthropic-ai-claude-code-linux-x64-"$CLAUDE_VERSION".tgz --strip-components=1 package/claude package/LICENSE.md \
    && rm -f ./*.tgz)
  [ -x "$cli.part/claude" ] || die "npm pack @anthropic-ai/claude-code-linux-x64@$CLAUDE_VERSION did not give a claude binary"
  mv "$cli.part" "$cli"
  find "$CACHE" -maxdepth 1 -name 'claude-code-linux-x64-*' ! -path "$cli" -exec rm -rf {} +
fi
log "Claude Code $CLAUDE_VERSION ready in $(elapsed "$step")"

# 4. the five images
build() { # $1 name, $2 Containerfile, $3 context, then extra podman build arguments
  local name=$1 file=$2 context=$3 start
  shift 3
  wanted "$name" || return 0
  start=$(seconds)
  local previous
  previous=$(podman image inspect --format '{{.Id}}' "localhost/mainloop-$name:$VERSION" 2>/dev/null || true)
  podman build --quiet --pull=never --layers -f "$file" "${labels[@]}" \
    --label "org.opencontainers.image.title=mainloop-$name" \
    -t "localhost/mainloop-$name:$VERSION" -t "$REGISTRY/mainloop-$name:$VERSION" "$@" "$context" >/dev/null
  # the image this tag named before (another build of the same version) is left untagged: remove it
  # unless a container or another image still uses it
  if [ -n "$previous" ] && [ "$previous" != "$(podman image inspect --format '{{.Id}}' "localhost/mainloop-$name:$VERSION")" ]; then
    podman rmi "$previous" >/dev/null 2>&1 || true
  fi
  log "mainloop-$name:$VERSION built in $(elapsed "$start") ($(podman image inspect --format '{{.Size}}' "localhost/mainloop-$name:$VERSION" | awk '{printf "%.0f MB", $1/1000000}'))"
}
build agent-task images/agent-task/Containerfile "$cli" \
  --build-arg "BASE=localhost/mainloop-base-tools:$SUITE" --build-arg "CLAUDE_CODE_VERSION=$CLAUDE_VERSION"
# the three Quarkus services share one Containerfile: their name, port and description
while IFS='|' read -r s port java_options description; do
  build "$s" images/service/Containerfile "$s/target/quarkus-app" --build-arg "BASE=$RUNTIME" \
    --build-arg "PORT=$port" --build-arg "JAVA_OPTIONS=$java_options" --build-arg "DESCRIPTION=mainloop $s: $description"
done <<'SERVICES'
gateway-service|8080||the edge: REST and server-sent events to browsers, authentication, the web app
memory-service|8081|--add-modules=jdk.incubator.vector|messages, summaries, memories; context assembly; compaction; MCP memory tools
scheduler-service|8083||heartbeats, scheduled prompts, compaction triggers; MCP schedule tools
SERVICES
if wanted agent-service && ! wanted agent-task && ! podman image exists "localhost/mainloop-agent-task:$VERSION"; then
  ONLY="$ONLY,agent-task" build agent-task images/agent-task/Containerfile "$cli" \
    --build-arg "BASE=localhost/mainloop-base-tools:$SUITE" --build-arg "CLAUDE_CODE_VERSION=$CLAUDE_VERSION"
fi
build agent-service agent-service/src/main/container/Containerfile agent-service/target/quarkus-app \
  --build-arg "BASE=localhost/mainloop-agent-task:$VERSION" --build-arg "RUNTIME=$RUNTIME"

# what earlier builds left untagged and unused (a replaced base's or runtime's images): only images
# made from these bases carry their label
podman image prune -f --filter label=io.mainloop.base.key >/dev/null 2>&1 || true

log "done in $(elapsed "$total"): $(for n in gateway-service memory-service agent-service scheduler-service agent-task; do
  wanted "$n" && printf '%s ' "$REGISTRY/mainloop-$n:$VERSION"; done)"
