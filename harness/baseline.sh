#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# `make baseline`: the same debug kernel from pristine 6.12 sources (the
# upstream health core), running the upstream health tests and ours, so
# any result can be compared side by side with `make check`. It reports,
# it does not gate: upstream is expected to fail some of our tests.
# CFG=release builds the non-debug variant (what `make bench` uses).
. "$(dirname "$0")/lib.sh"

cfg=${CFG:-debug}
"$HARNESS/deps.sh" || exit 1
"$HARNESS/prepare-src.sh" ours >/dev/null || exit 1
kernel=$("$HARNESS/build.sh" baseline "$cfg") || exit 1
ksft=$WORK/kselftest-baseline
"$HARNESS/kselftest-build.sh" baseline "$ksft" || exit 1
"$HARNESS/vm-run.sh" -k "$kernel" -n "baseline-$cfg" -t "${VM_TIMEOUT:-2400}" -- \
	"$HARNESS/guest-check.sh" "$ksft" "$(src_dir ours)"
"$HARNESS/results.sh" "$WORK/runs/baseline-$cfg" >/dev/null
res=$WORK/runs/baseline-$cfg/results.txt
cat "$res"
echo "baseline: $(grep -c '^PASS' "$res") passed, $(grep -c '^FAIL' "$res") failed, $(grep -c '^SKIP' "$res") skipped (upstream 6.12 core)"
