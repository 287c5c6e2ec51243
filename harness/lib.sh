# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
# Common settings of the lab harness; sourced by every harness script.
#
# Layout of the work directory ($WORK, default ./build, persistent between
# runs so rebuilds are incremental):
#   src/pristine/   the unpacked linux-source-6.12 tarball, never modified
#   src/ours/       pristine + patches/ + overlay/, synced file by file so
#                   unchanged files keep their mtime and make rebuilds little
#   src/baseline/   pristine copy with only the lab's own test hooks: the
#                   upstream core, for side-by-side runs
#   out/<tree>-<cfg>/  O= build directories (cfg: debug or release)
#   runs/<name>/    one VM run: cmd, console.log, output.log, dmesg.log, rc

set -o pipefail

LAB_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck disable=SC2034 # used by the scripts sourcing this file
HARNESS=$LAB_ROOT/harness
WORK=${WORK:-$LAB_ROOT/build}
mkdir -p "$WORK"
WORK=$(cd "$WORK" && pwd)
TARBALL=${TARBALL:-/usr/src/linux-source-6.12.tar.xz}
JOBS=${JOBS:-$(nproc)}

export CCACHE_DIR=${CCACHE_DIR:-$HOME/.cache/ccache-devlink-health}
export CCACHE_BASEDIR=$WORK
export CCACHE_MAXSIZE=${CCACHE_MAXSIZE:-8G}
export CCACHE_SLOPPINESS=time_macros,include_file_mtime,include_file_ctime
# Stable build identity so that init/version.c and friends hit ccache too.
export KBUILD_BUILD_TIMESTAMP='Thu Jan  1 00:00:00 UTC 2026'
export KBUILD_BUILD_USER=lab
export KBUILD_BUILD_HOST=devlink-health

log() { printf '[lab %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "error: $*"; exit 1; }

# Print the elapsed seconds since $1 (a `date +%s.%N` value).
since() { awk -v s="$1" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", e - s }'; }

src_dir() { echo "$WORK/src/$1"; }
out_dir() { echo "$WORK/out/$1-$2"; }
