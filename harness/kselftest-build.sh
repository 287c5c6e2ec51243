#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Usage: kselftest-build.sh ours|baseline DEST
#
# Build the netdevsim selftests of src/ours (ours and upstream's) the way
# upstream does, on the host before a guest boots: the uapi headers of
# src/TREE (`make headers`, in out/TREE-ksft), then `make -C
# tools/testing/selftests TARGETS="drivers/net/netdevsim net/forwarding"
# install`, which builds the TEST_GEN_FILES (our raw netlink client)
# against them and installs the tests, their helpers (net/forwarding's
# lib.sh for devlink.sh) and run_kselftest.sh into DEST (replaced). Guests run the tests from DEST: nothing is compiled at run
# time, nothing is run from /tmp.
. "$(dirname "$0")/lib.sh"

tree=${1:?ours or baseline}
dest=${2:?install dir}
src=$(src_dir "$tree")
tests=$(src_dir ours)/tools/testing/selftests
out=$(out_dir "$tree" ksft)

log_file=$WORK/kselftest-build-$tree.log
t0=$(date +%s.%N)
mkdir -p "$out"
exec 7>"$out/.lab-build-lock"
flock -w 3600 7 || die "$out is locked by another build"
{
	make -s -C "$src" O="$out" headers &&
		rm -rf "$dest" &&
		make -s -C "$tests" O="$out" \
			TARGETS="drivers/net/netdevsim net/forwarding" CC="ccache gcc" \
			KSFT_INSTALL_PATH="$dest" install
} >"$log_file" 2>&1 ||
	{ tail -20 "$log_file" >&2; die "selftest build of $tree failed, see $log_file"; }
[[ -x $dest/drivers/net/netdevsim/devlink_health_nl ]] ||
	die "the selftest install lacks devlink_health_nl"
log "netdevsim selftests built against the uapi of $tree and installed in $dest in $(since "$t0") s"
