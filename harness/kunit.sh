#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# `make kunit`: our KUnit suites the way kernel developers run them,
#   tools/testing/kunit/kunit.py run --kunitconfig=net/devlink --arch=x86_64
# on src/ours (the whole series), split into its build (in out/ours-kunit,
# with ccache) and its boot, which takes the lab's VM lock like every
# guest of the lab. kunit.py bounds the boot (--timeout) and prints and
# parses the KTAP itself; its exit code is ours.
. "$(dirname "$0")/lib.sh"

"$HARNESS/deps.sh" >/dev/null || exit 1
"$HARNESS/prepare-src.sh" ours >/dev/null || exit 1
src=$(src_dir ours)
bdir=$(out_dir ours kunit)
args=(--kunitconfig=net/devlink --arch=x86_64 --build_dir="$bdir")

mkdir -p "$(dirname "$bdir")"
cd "$src" || exit 1
t0=$(date +%s.%N)
/usr/bin/python3 tools/testing/kunit/kunit.py build "${args[@]}" \
	--make_options 'CC=ccache gcc' --jobs="$JOBS" ||
	die "kunit.py build failed"
t_build=$(since "$t0")

exec 9>"${VM_LOCK:-/tmp/devlink-health-lab-vm.lock}"
flock -w "${VM_LOCK_WAIT:-3600}" 9 || die "another VM held the lab VM lock for too long"
t0=$(date +%s.%N)
/usr/bin/python3 tools/testing/kunit/kunit.py exec "${args[@]}" \
	--timeout="${KUNIT_TIMEOUT:-900}"
rc=$?
log "kunit.py: build ${t_build}s, boot and tests $(since "$t0")s, rc $rc"
exit "$rc"
