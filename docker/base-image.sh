#!/usr/bin/env bash
# The base image of the daemonless image build (mvn -Pimage package, Jib's buildTar) on a machine with no Docker engine
# and no container registry: Debian 12 (bookworm) from the Debian archive apt uses here, with Debian's OpenJDK 17 JRE
# and curl (the health check's probe), the user bridge (uid/gid 10001, home /bridge) and the node's home as
# docker/Dockerfile lays it out: /bridge owned by root, config/ and routes/ (this repository's) owned by bridge,
# data/ (0700) and logs/ owned by bridge. Written as a docker-archive tarball (the format of `docker save`), which Jib
# takes as its base image (<from><image>tar://...</image></from>). The Dockerfile's base is eclipse-temurin:17-jre
# (Ubuntu, Temurin 17): the same Java 17, a different build of it.
#
#   docker/base-image.sh                          # as root, from the repository root -> target/image-base/bridge-base.tar
#   docker/base-image.sh --rebuild-os             # also make the Debian layer again (else reused when present)
#
# Two layers: the OS with the JRE and the user (debootstrap, a few minutes, reused), then the node's home (seconds:
# run again after changing config/ or routes/). Needs root (debootstrap and chroot) and the debootstrap package.
set -euo pipefail
cd "$(dirname "$0")/.."

out_dir=target/image-base
rebuild_os=false
[[ "${1:-}" == "--rebuild-os" ]] && rebuild_os=true
suite=bookworm
uid=10001

[[ $(id -u) == 0 ]] || { echo "base-image.sh: needs root (debootstrap, chroot)" >&2; exit 1; }
command -v debootstrap >/dev/null || { echo "base-image.sh: needs debootstrap (apt-get install debootstrap)" >&2; exit 1; }
# The Debian archive this machine's apt uses, unless DEBIAN_MIRROR says another.
mirror=${DEBIAN_MIRROR:-$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/*.sources 2>/dev/null || true)}
mirror=${mirror:-$(awk '$1 == "deb" {print $2; exit}' /etc/apt/sources.list 2>/dev/null || true)}
[[ -n "$mirror" ]] || { echo "base-image.sh: no Debian archive in /etc/apt; set DEBIAN_MIRROR" >&2; exit 1; }

mkdir -p "$out_dir"
out_dir=$(cd "$out_dir" && pwd)
work=$(mktemp -d)
trap 'umount -R "$work/rootfs/proc" 2>/dev/null || true; rm -rf "$work"' EXIT

# Layer 1: Debian, the JRE, curl, the user. Reproducible enough to reuse; --rebuild-os takes security updates again.
os_layer=$out_dir/os-layer.tar
if $rebuild_os || [[ ! -s $os_layer ]]; then
  rootfs=$work/rootfs
  debootstrap --variant=minbase --include=openjdk-17-jre-headless,curl,ca-certificates "$suite" "$rootfs" "$mirror" \
    > "$out_dir/debootstrap.log" 2>&1 || { tail -20 "$out_dir/debootstrap.log" >&2; exit 1; }
  # The same sources as this machine's apt (the main suite, updates, security), for the updates published since.
  if compgen -G "/etc/apt/sources.list.d/*.sources" >/dev/null; then
    cp /etc/apt/sources.list.d/*.sources "$rootfs/etc/apt/sources.list.d/" && rm -f "$rootfs/etc/apt/sources.list"
  fi
  mount -t proc proc "$rootfs/proc"
  chroot "$rootfs" /bin/sh -ec '
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq && apt-get upgrade -y -qq >/dev/null
    groupadd --system --gid '"$uid"' bridge
    useradd --system --uid '"$uid"' --gid bridge --home-dir /bridge --no-create-home --shell /usr/sbin/nologin bridge
    apt-get clean
    java -version 2>&1 | head -1'
  umount "$rootfs/proc"
  rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/*.bin "$rootfs"/var/log/* \
    "$rootfs"/usr/share/doc/* "$rootfs"/usr/share/man/* "$rootfs"/usr/share/info/* "$rootfs"/tmp/* "$rootfs"/run/*
  # /dev, /proc and /sys come from the runtime, as in any image.
  rm -rf "${rootfs:?}"/dev/* "${rootfs:?}"/proc/* "${rootfs:?}"/sys/*
  tar --numeric-owner --sort=name -C "$rootfs" -cf "$os_layer.partial" .
  mv "$os_layer.partial" "$os_layer"
fi

# Layer 2: the node's home, as the Dockerfile's runtime stage makes it.
home=$work/home
mkdir -p "$home/bridge/data" "$home/bridge/logs"
cp -r config routes "$home/bridge/"
chmod 0755 "$home/bridge" "$home/bridge/config" "$home/bridge/routes" "$home/bridge/logs"
chmod 0700 "$home/bridge/data"
chmod -R u+rwX,go+rX,go-w "$home/bridge/config" "$home/bridge/routes"
home_layer=$work/home-layer.tar
tar --numeric-owner --sort=name --owner=0 --group=0 -C "$home" -cf "$home_layer" --no-recursion bridge
tar --numeric-owner --sort=name --owner=$uid --group=$uid -C "$home" -rf "$home_layer" \
  bridge/config bridge/routes bridge/data bridge/logs

# The docker-archive: each layer under its digest, the image configuration, the manifest.
archive=$work/archive
mkdir -p "$archive"
diff_ids=()
layers=()
for layer in "$os_layer" "$home_layer"; do
  digest=$(sha256sum "$layer" | cut -d' ' -f1)
  mkdir -p "$archive/$digest"
  cp "$layer" "$archive/$digest/layer.tar"
  diff_ids+=("\"sha256:$digest\"")
  layers+=("\"$digest/layer.tar\"")
done
created=$(date -u +%Y-%m-%dT%H:%M:%SZ)
# The Dockerfile's HEALTHCHECK (docker format keeps it in the image configuration; Jib carries a base image's over).
cat > "$archive/config.json" <<EOF
{
  "architecture": "amd64",
  "os": "linux",
  "created": "$created",
  "config": {
    "Env": ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "LANG=C.UTF-8"],
    "Healthcheck": {
      "Test": ["CMD-SHELL", "curl -fsS -o /dev/null \"http://127.0.0.1:\${CAMEL_MANAGEMENT_PORT}/observe/health/ready\" || curl -fsSk -o /dev/null \"https://127.0.0.1:\${CAMEL_MANAGEMENT_PORT}/observe/health/ready\" || exit 1"],
      "Interval": 30000000000,
      "Timeout": 5000000000,
      "StartPeriod": 90000000000,
      "Retries": 3
    },
    "Labels": {"org.opencontainers.image.base.name": "debian:$suite with openjdk-17-jre-headless (docker/base-image.sh)"}
  },
  "rootfs": {"type": "layers", "diff_ids": [$(IFS=,; echo "${diff_ids[*]}")]},
  "history": [
    {"created": "$created", "created_by": "docker/base-image.sh: debootstrap $suite minbase + openjdk-17-jre-headless curl ca-certificates, user bridge $uid"},
    {"created": "$created", "created_by": "docker/base-image.sh: /bridge with config/ routes/ data/ logs/ owned by bridge"}
  ]
}
EOF
config_digest=$(sha256sum "$archive/config.json" | cut -d' ' -f1)
mv "$archive/config.json" "$archive/$config_digest.json"
cat > "$archive/manifest.json" <<EOF
[{"Config": "$config_digest.json", "RepoTags": ["ignition-maintainx-bridge-base:latest"], "Layers": [$(IFS=,; echo "${layers[*]}")]}]
EOF
# Entries without a leading ./ (Jib refuses one as a path outside its folder).
(cd "$archive" && tar -cf "$out_dir/bridge-base.tar.partial" manifest.json "$config_digest.json" */)
mv "$out_dir/bridge-base.tar.partial" "$out_dir/bridge-base.tar"
echo "base-image.sh: $out_dir/bridge-base.tar ($(du -h "$out_dir/bridge-base.tar" | cut -f1)), config sha256:$config_digest"
