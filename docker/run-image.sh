#!/usr/bin/env bash
# Starts the image from its tarball on a machine without a Docker engine, as `docker run --network host` would as far
# as plain Linux tools go: the tarball's layers unpacked in order into a root folder (owners and modes kept, whiteouts
# applied), then the image configuration's entry point run with the configuration's user, working directory and
# environment, chrooted into that folder, in a mount and PID namespace of its own (its own /proc, the host's /dev,
# /etc/hosts and /etc/resolv.conf), with the host's network. The image's volumes are bind mounts of host folders (-v),
# extra environment overrides the image's (-e), and the image's health check runs inside every Interval, printing
# each change of health (as Docker's health monitor counts it: failures within StartPeriod do not count, Retries
# failures in a row make it unhealthy). Nothing of Docker is used: no daemon, no registry.
#
#   docker/run-image.sh [-e KEY=VALUE]... [-v HOST_DIR:/bridge/data]... [IMAGE_TAR]    # default target/image/bridge-image.tar
#
# Needs root (unshare, mount, chroot) and python3 (reads the tarball). The node runs as the image's user (10001);
# a host folder given with -v that does not exist yet is made and given to that user, as docker/compose.yaml's
# steps do with chown. Ctrl+C (or SIGTERM to this script) stops the node as `docker stop` would, with SIGTERM.
set -euo pipefail

env_overrides=()
volumes=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    -e) env_overrides+=("$2"); shift 2 ;;
    -v) volumes+=("$2"); shift 2 ;;
    -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
    *) break ;;
  esac
done
image=$(realpath "${1:-target/image/bridge-image.tar}")
[[ $(id -u) == 0 ]] || { echo "run-image.sh: needs root (unshare, mount, chroot)" >&2; exit 1; }
[[ -f $image ]] || { echo "run-image.sh: no image tarball at $image (mvn -Pimage package builds it)" >&2; exit 1; }
root=$(dirname "$image")/rootfs
spec=$(dirname "$image")/run-spec.sh

# Unpack: manifest.json names the configuration and the layers, first to last.
python3 - "$image" "$root" "$spec" <<'PY'
import json, os, shlex, shutil, sys, tarfile
image, root, spec = sys.argv[1:4]
if os.path.exists(root):
    shutil.rmtree(root)
os.makedirs(root)
with tarfile.open(image) as archive:
    manifest = json.load(archive.extractfile("manifest.json"))[0]
    config = json.load(archive.extractfile(manifest["Config"]))
    for name in manifest["Layers"]:
        with tarfile.open(fileobj=archive.extractfile(name)) as layer:
            members = []
            for m in layer.getmembers():
                head, base = os.path.split(os.path.normpath(m.name))
                if base == ".wh..wh..opq":            # opaque directory: drop what lower layers put in it
                    target = os.path.join(root, head)
                    for entry in os.listdir(target) if os.path.isdir(target) else []:
                        path = os.path.join(target, entry)
                        shutil.rmtree(path) if os.path.isdir(path) and not os.path.islink(path) else os.remove(path)
                elif base.startswith(".wh."):          # whiteout: the lower layers' file is deleted
                    path = os.path.join(root, head, base[4:])
                    if os.path.lexists(path):
                        shutil.rmtree(path) if os.path.isdir(path) and not os.path.islink(path) else os.remove(path)
                else:
                    members.append(m)
            layer.extractall(root, members=members, numeric_owner=True)
c = config["config"]
user = c.get("User") or "0:0"
uid, _, gid = user.partition(":")
health = c.get("Healthcheck") or {}
test = health.get("Test") or []
with open(spec, "w") as out:
    out.write("uid=%s\ngid=%s\n" % (shlex.quote(uid), shlex.quote(gid or uid)))
    out.write("workdir=%s\n" % shlex.quote(c.get("WorkingDir") or "/"))
    out.write("image_env=(%s)\n" % " ".join(shlex.quote(e) for e in c.get("Env") or []))
    out.write("command=(%s)\n" % " ".join(shlex.quote(a) for a in (c.get("Entrypoint") or []) + (c.get("Cmd") or [])))
    out.write("image_volumes=(%s)\n" % " ".join(shlex.quote(v) for v in sorted(c.get("Volumes") or {})))
    out.write("ports=%s\n" % shlex.quote(" ".join(sorted(c.get("ExposedPorts") or {}))))
    out.write("health_test=(%s)\n" % " ".join(shlex.quote(a) for a in test))
    # Docker's defaults where the image gives none; durations are in nanoseconds, written out in seconds.
    for key, default in (("Interval", 30e9), ("Timeout", 30e9), ("StartPeriod", 0)):
        out.write("health_%s=%d\n" % (key.lower(), int((health.get(key) or default) // 1e9)))
    out.write("health_retries=%d\n" % (health.get("Retries") or 3))
PY
# shellcheck source=/dev/null
source "$spec"
[[ $uid =~ ^[0-9]+$ && $gid =~ ^[0-9]+$ ]] || { echo "run-image.sh: the image's user '$uid:$gid' is not numeric" >&2; exit 1; }
environment=("${image_env[@]}" "${env_overrides[@]}")
echo "run-image.sh: $image unpacked into $root; user $uid:$gid, workdir $workdir, ports $ports, volumes ${image_volumes[*]}" >&2
echo "run-image.sh: entry point: ${command[*]}" >&2

for volume in "${volumes[@]}"; do
  host=${volume%%:*}
  if [[ ! -e $host ]]; then
    mkdir -p "$host" && chown "$uid:$gid" "$host"
  fi
done

# Inside: a new mount and PID namespace; this script's second half is its PID 1. unshare itself blocks SIGINT and
# SIGTERM, so this script hands them to that PID 1, which hands them to the node.
export root uid gid workdir
unshare --mount --pid --fork --kill-child=SIGTERM --mount-proc="$root/proc" \
  bash -c '
    set -euo pipefail
    source "$0"
    environment=("${@:2:$1}"); shift $(( $1 + 1 ))
    volumes=("$@")
    mount --rbind /dev "$root/dev"
    for file in /etc/hosts /etc/resolv.conf; do
      touch "$root$file" && mount --bind "$file" "$root$file"
    done
    for volume in "${volumes[@]}"; do
      mkdir -p "$root${volume#*:}" && mount --bind "${volume%%:*}" "$root${volume#*:}"
    done
    in_image() { chroot --userspec="$uid:$gid" --groups="$gid" "$root" /usr/bin/env -i "${environment[@]}" "$@"; }
    # A simple command (not the function) in the background, so that $! is the node itself and gets the signals.
    chroot --userspec="$uid:$gid" --groups="$gid" "$root" /usr/bin/env -i "${environment[@]}" \
      /bin/sh -c "cd \"\$0\" && exec \"\$@\"" "$workdir" "${command[@]}" &
    node=$!
    trap "kill -TERM $node 2>/dev/null || true" TERM INT
    if [[ ${#health_test[@]} -gt 0 && ${health_test[0]} != NONE ]]; then
      (
        case ${health_test[0]} in CMD-SHELL) probe=(/bin/sh -c "${health_test[1]}") ;; *) probe=("${health_test[@]:1}") ;; esac
        started=$SECONDS failures=0 state=starting
        echo "run-image.sh: health: $state (every ${health_interval}s: ${health_test[*]:1})" >&2
        while sleep "$health_interval"; do
          if in_image timeout "$health_timeout" "${probe[@]}" >/dev/null 2>&1; then
            failures=0 now=healthy
          elif (( SECONDS - started < health_startperiod )); then
            now=$state
          else
            failures=$(( failures + 1 )); now=$state
            (( failures >= health_retries )) && now=unhealthy
          fi
          [[ $now != "$state" ]] && echo "run-image.sh: health: $now" >&2
          state=$now
        done
      ) &
    fi
    set +e
    wait "$node"; code=$?
    while kill -0 "$node" 2>/dev/null; do wait "$node"; code=$?; done
    echo "run-image.sh: the entry point ended with exit code $code" >&2
    exit "$code"
  ' "$spec" "${#environment[@]}" "${environment[@]}" "${volumes[@]}" &
namespace=$!
trap 'kill -TERM $(pgrep -P "$namespace") 2>/dev/null || true' TERM INT
set +e
while kill -0 "$namespace" 2>/dev/null; do wait "$namespace"; code=$?; done
exit "${code:-1}"
