#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Usage (in the VM): guest-check.sh [-u] KSFT [OUR_KSRC]
# Runs, in the debug kernel, every selftest `make check` owns plus the
# upstream netdevsim health tests (only those with -u), each through the
# kselftest runner of KSFT (what kselftest-build.sh installed: the
# netdevsim tests with our raw netlink client, net/forwarding's lib.sh,
# the runner), bounded by the directory's settings timeout; then
# asks kmemleak for leaks. OUR_KSRC is the tree whose YNL CLI and devlink
# spec our tests use. KUnit suites already ran at boot; results.sh reads
# them from dmesg. Each runner's KTAP is framed by "### selftest" markers
# so that results.sh attributes it to its test.
upstream_only=0
[[ $1 == -u ]] && { upstream_only=1; shift; }
KSFT=${1:?kselftest install dir}
export KSRC=${2:-}
NSIM=drivers/net/netdevsim

# The runner enforces the timeout of $NSIM/settings; this outer bound only
# catches a runner that does not return.
outer_timeout=$(($(sed -n 's/^timeout=//p' "$KSFT/$NSIM/settings") + 120))

run_selftest() {
	local name=$1 script=$2
	local t0=$SECONDS rc
	echo "### selftest begin $name"
	# What `make run_tests` runs (lib.mk's RUN_TESTS), and run_kselftest.sh
	# -t too, except that run_kselftest.sh overwrites TESTS, the variable
	# devlink.sh reads to select its tests.
	# shellcheck disable=SC2016 # expanded by the inner shell
	timeout -k 10 "$outer_timeout" bash -c \
		'cd "$1/$2" && BASE_DIR=$1 && . "$1/kselftest/runner.sh" && run_many "$3"' \
		runner "$KSFT" "$NSIM" "$script"
	rc=$?
	echo "### selftest end $name rc=$rc"
	echo "### selftest time $name $((SECONDS - t0)) s"
}

kmemleak_scan() {
	local f=/sys/kernel/debug/kmemleak
	[[ -w $f ]] || return 0
	# An object is reported only once it is older than 5 s and was found
	# unreferenced by a full scan; two scans settle objects in flight.
	sleep 6
	echo scan >"$f"
	echo scan >"$f"
	cat "$f" >"$LAB_RUN/kmemleak.log"
	echo "### kmemleak $(grep -c '^unreferenced object' "$LAB_RUN/kmemleak.log") suspects"
}

# `PLANT_SPLAT=1 make check`: a WARN splat in the kernel log, as the
# kernel prints one, which must fail the run.
if grep -qw lab_plant_splat=1 /proc/cmdline; then
	for l in '------------[ cut here ]------------' \
		 'WARNING: CPU: 0 PID: 1 at harness/guest-check.sh:0 lab_planted_splat+0x0/0x0'; do
		echo "<4>$l" >/dev/kmsg
	done
fi

# The upstream tests, unchanged: they must pass against any core.
TESTS="empty_reporter_test dummy_reporter_test" \
	run_selftest upstream_devlink devlink.sh

# Ours: every devlink_health*.sh the Makefile installed next to devlink.sh.
if ((!upstream_only)); then
	for t in "$KSFT/$NSIM"/devlink_health*.sh; do
		[[ -e $t ]] || continue
		[[ $t == *_lib.sh ]] && continue	# sourced by the others
		run_selftest "$(basename "$t" .sh)" "$(basename "$t")"
	done
fi

kmemleak_scan
exit 0
