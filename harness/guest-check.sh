#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Usage (in the VM): guest-check.sh KSRC [OUR_TESTS_DIR]
# Runs, in the debug kernel, every selftest `make check` owns plus the
# upstream netdevsim health tests, each bounded in time, then asks kmemleak
# for leaks. KUnit suites already ran at boot; results.sh reads them from
# dmesg. Section markers ("### ...") let results.sh attribute each TEST line.
KSRC=${1:?kernel source tree}
NSIM=$KSRC/tools/testing/selftests/drivers/net/netdevsim
OURS=${2:-$NSIM}
SELFTEST_TIMEOUT=${SELFTEST_TIMEOUT:-1800}

run_selftest() {
	local name=$1 dir=$2
	shift 2
	local t0=$SECONDS rc
	echo "### selftest begin $name"
	(cd "$dir" && timeout -k 10 "$SELFTEST_TIMEOUT" "$@")
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

# The upstream tests, unchanged: they must pass against any core.
TESTS="empty_reporter_test dummy_reporter_test" \
	run_selftest upstream_devlink "$NSIM" ./devlink.sh

# Ours: every devlink_health*.sh next to devlink.sh.
for t in "$OURS"/devlink_health*.sh; do
	[[ -e $t ]] || continue
	[[ $t == *_lib.sh ]] && continue	# sourced by the others
	run_selftest "$(basename "$t" .sh)" "$OURS" "./$(basename "$t")"
done

kmemleak_scan
exit 0
