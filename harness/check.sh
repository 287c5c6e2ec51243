#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# `make check`: build our core into the debug kernel, boot it, run every
# KUnit suite and selftest we own plus the upstream netdevsim health tests,
# and fail on any failed test or kernel splat. Closes with the plain line
# "N passed, N failed, N skipped".
#
# PLANT_SPLAT=1 boots with a test-only WARN to prove the splat detector
# fails the run.
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

t0=$(date +%s.%N)
kernel=$("$HARNESS/build.sh" ours debug) || {
	echo "FAIL lab:build ours-debug" | add
	kernel=''
}
t_build=$(since "$t0")

# The series must stay a real patch series: git am on pristine 6.12.
if "$HARNESS/patches.sh" >"$WORK/patches.log" 2>&1; then
	echo "PASS lab:series-git-am" | add
else
	echo "FAIL lab:series-git-am $(tail -1 "$WORK/patches.log")" | add
fi

# Every in-tree user of the health API still compiles against our core.
"$HARNESS/compat.sh" | add

if [[ -n $kernel ]]; then
	echo "PASS lab:build ours-debug" | add
	args=''
	[[ ${PLANT_SPLAT:-0} == 1 ]] && args='health_api_test.plant_splat=1'
	t0=$(date +%s.%N)
	"$HARNESS/vm-run.sh" -k "$kernel" -n check -t "$VM_TIMEOUT" -a "$args" -- \
		"$HARNESS/guest-check.sh" "$(src_dir ours)"
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
sed 's/\r$//' "$WORK/runs/check/output.log" 2>/dev/null |
	awk '/^TEST: .*\[FAIL\] *$/ { n = 40; print; next }
	     n > 0 && /^    / { n--; print; next } { n = 0 }'
echo
log "build ${t_build}s, vm ${t_vm:-0}s, total $(since "$t_start")s"
pass=$(grep -c '^PASS' "$results")
fail=$(grep -c '^FAIL' "$results")
skip=$(grep -c '^SKIP' "$results")
echo "$pass passed, $fail failed, $skip skipped"
((fail == 0))
