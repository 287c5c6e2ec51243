#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# `make check`: build our core into the debug kernel, boot it, run every
# KUnit suite and selftest we own plus the upstream netdevsim health tests,
# and fail on any failed test or kernel splat. Closes with the plain line
# "N passed, N failed, N skipped".
#
# PLANT_SPLAT=1 has the guest write a WARN splat into the kernel log, to
# prove that a splat fails the run end to end.
. "$(dirname "$0")/lib.sh"

# KUnit suites that must have run; a missing one is a failure, not a pass.
KUNIT_SUITES=(devlink_health_api devlink_health_fmsg devlink_health_state)
VM_TIMEOUT=${VM_TIMEOUT:-4500}

results=$WORK/check-results.txt
: >"$results"
t_start=$(date +%s.%N)

add() { tee -a "$results"; }

# The detector is what makes "no splat" mean something: prove it first on
# canned kernel logs, one clean and one per splat class.
detector_selftest() {
	local f hit
	for f in "$HARNESS"/selftest/dmesg-*.log; do
		hit=$(grep -c -E -f <(grep -v '^#' "$HARNESS/splat-patterns.txt") "$f")
		case $(basename "$f") in
		dmesg-clean.log) ((hit == 0)) ;;
		*) ((hit > 0)) ;;
		esac && echo "PASS lab:splat-detector:$(basename "$f")" ||
			echo "FAIL lab:splat-detector:$(basename "$f") ($hit hits)"
	done
}

"$HARNESS/deps.sh" || exit 1
detector_selftest | add

# The kernel under test is the series as a user applies it: built after
# every patch (bisectable, no new W=1 warning), the last build booted.
t0=$(date +%s.%N)
"$HARNESS/series-build.sh" debug | add
kernel=$(cat "$WORK/series-build/kernel" 2>/dev/null)
t_build=$(since "$t0")

# `git am` on a whole pristine 6.12 tree gives the tree built above.
if "$HARNESS/patches.sh" >"$WORK/patches.log" 2>&1; then
	echo "PASS lab:series-git-am" | add
else
	echo "FAIL lab:series-git-am $(tail -1 "$WORK/patches.log")" | add
fi

# Our selftests as upstream builds them: the raw netlink client built by
# the netdevsim selftest Makefile against the series' uapi headers, the
# tests installed with it, on the host before the guest boots.
ksft=$WORK/kselftest
if "$HARNESS/kselftest-build.sh" ours "$ksft"; then
	echo "PASS lab:selftest-build" | add
else
	echo "FAIL lab:selftest-build see $WORK/kselftest-build-ours.log" | add
fi

# Every in-tree user of the health API still compiles against our core.
"$HARNESS/compat.sh" | add

# The upstream netdevsim health tests (devlink.sh) on an earlier kernel of
# the series, 6.12's netdevsim in it: its results are named NAME:...
upstream_run() { # name kernel what-if-missing [required KUnit suites...]
	local name=$1 kernel=$2 what=$3 t0
	shift 3
	if [[ ! -r $kernel ]]; then
		echo "FAIL lab:$name $what did not build" | add
		return
	fi
	t0=$(date +%s.%N)
	"$HARNESS/vm-run.sh" -k "$kernel" -n "$name" -t 1200 -- \
		"$HARNESS/guest-check.sh" -u "$ksft"
	t_vm_upstream="$t_vm_upstream $name $(since "$t0")s"
	"$HARNESS/results.sh" "$WORK/runs/$name" "$@" |
		sed -E "s/^(PASS|FAIL|SKIP) (kunit|upstream_devlink)/\1 $name:\2/" >>"$results"
}

# The fixes that open the series keep 6.12's behaviour: 6.12's core with
# only those fixes passes the upstream health tests.
upstream_run fixes612 "$WORK/series-build/bzImage-fixes612" \
	"the fixes that open the series"
# 6.12 drivers keep their behaviour: our core with 6.12's own netdevsim
# (the series up to the patch before ours) passes them too.
upstream_run nsim612 "$WORK/series-build/bzImage-nsim612" \
	"the series before the netdevsim patch" "${KUNIT_SUITES[@]}"

if [[ -n $kernel ]]; then
	args=''
	[[ ${PLANT_SPLAT:-0} == 1 ]] && args='lab_plant_splat=1'
	t0=$(date +%s.%N)
	"$HARNESS/vm-run.sh" -k "$kernel" -n check -t "$VM_TIMEOUT" -a "$args" -- \
		"$HARNESS/guest-check.sh" "$ksft" "$(src_dir ours)"
	t_vm=$(since "$t0")
	"$HARNESS/results.sh" "$WORK/runs/check" "${KUNIT_SUITES[@]}" >>"$results"
	grep '^### selftest time' "$WORK/runs/check/output.log" 2>/dev/null |
		sed 's/^### selftest time /[lab] selftest time: /' >&2
	"$HARNESS/test-times.sh" "$WORK/runs/check/output.log" >&2
fi

echo
echo "== failures =="
grep '^FAIL' "$results" || echo "(none)"
# all that a failed selftest printed about it, for a CI log with no run dir
cat "$WORK/runs/fixes612/output.log" "$WORK/runs/nsim612/output.log" \
	"$WORK/runs/check/output.log" 2>/dev/null |
	sed -e 's/\r$//' -e 's/^# //' |
	awk '/^TEST: .*\[FAIL\] *$/ { n = 40; print; next }
	     n > 0 && /^    / { n--; print; next } { n = 0 }'
echo
log "build ${t_build}s, vm ${t_vm:-0}s (upstream tests:${t_vm_upstream:- none}), total $(since "$t_start")s"
pass=$(grep -c '^PASS' "$results")
fail=$(grep -c '^FAIL' "$results")
skip=$(grep -c '^SKIP' "$results")
echo "$pass passed, $fail failed, $skip skipped"
((fail == 0))
