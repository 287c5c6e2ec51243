#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# `make kcsan`: the data race detector over the health core under load.
#
# Builds our core into a KCSAN kernel (base.config + config/kcsan.config),
# boots it running the stress selftest (devlink_health_stress.sh) and the
# concurrent context tests (devlink_health_context.sh), prints
# every KCSAN report and fails if one has a frame in our code: a function
# defined in net/devlink/health*.o or drivers/net/netdevsim/health.o (the
# symbols are read from the objects, so "ours" is exact, not a name guess).
# Reports elsewhere in the kernel are printed and counted, not gated.
#
# A target of its own, not part of `make check`: KCSAN excludes KASAN, so
# it needs a second debug kernel, and two debug builds plus two TCG boots
# do not fit make check's time budget.
#
# Closes with "N passed, N failed, N skipped" like make check.
. "$(dirname "$0")/lib.sh"

STRESS_SECONDS=${STRESS_SECONDS:-60}
VM_TIMEOUT=${VM_TIMEOUT:-1800}
run=$WORK/runs/kcsan
results=$WORK/kcsan-results.txt
: >"$results"

add() { tee -a "$results"; }

"$HARNESS/deps.sh" || exit 1
t0=$(date +%s.%N)
if ! kernel=$("$HARNESS/build.sh" ours kcsan); then
	echo "FAIL lab:build ours-kcsan" | add
	echo "0 passed, 1 failed, 0 skipped"
	exit 1
fi
echo "PASS lab:build ours-kcsan" | add
log "build $(since "$t0")s"

src=$(src_dir ours)
out=$(out_dir ours kcsan)
ksft=$WORK/kselftest-kcsan
"$HARNESS/kselftest-build.sh" ours "$ksft" || exit 1
nsim=$ksft/drivers/net/netdevsim

# The stress test, then the context tests that report from hard and soft
# IRQ context, under the instance lock and during teardown, all at once:
# the lock-free report path races with all of them.
CTX_TESTS=${CTX_TESTS:-"ctx_all_at_once ctx_destroy_with_reports_in_flight"}
"$HARNESS/vm-run.sh" -k "$kernel" -n kcsan -t "$VM_TIMEOUT" -- \
	bash -c 'cd "$1" && export KSRC=$4 && STRESS_SECONDS=$2 ./devlink_health_stress.sh
		 rc=$?; TESTS=$3 ./devlink_health_context.sh || rc=1; exit $rc' \
	kcsan-run "$nsim" "$STRESS_SECONDS" "$CTX_TESTS" "$src"

# Functions our objects define: a report with one of them in a stack is
# ours to fix.
ours_syms=$WORK/kcsan-ours.syms
nm --defined-only "$out"/net/devlink/health*.o \
	"$out"/drivers/net/netdevsim/health.o 2>/dev/null |
	awk '$2 ~ /^[tT]$/ { print $3 }' | sed -E 's/(\.[A-Za-z0-9_]+)+$//' |
	sort -u >"$ours_syms"
[[ -s $ours_syms ]] || echo "FAIL kcsan:symbols no symbols read from our objects" | add

# Each report, from "BUG: KCSAN:" to the closing "=====" line, one file
# per report.
rm -rf "$run/kcsan-reports"
mkdir -p "$run/kcsan-reports"
sed -e 's/\r$//' -e 's/^\[ *[0-9]*\.[0-9]*\] //' "$run/dmesg.log" 2>/dev/null |
	awk -v dir="$run/kcsan-reports" '
	/^BUG: KCSAN: / { n++; f = sprintf("%s/%03d.txt", dir, n); inrep = 1 }
	inrep { print > f }
	inrep && /^={20,}/ { inrep = 0; close(f) }'

nreports=0
nours=0
for f in "$run"/kcsan-reports/*.txt; do
	[[ -e $f ]] || continue
	nreports=$((nreports + 1))
	# frames look like " func+0x1c/0x80" or " func.cold+0x3/0x10"
	hits=$(grep -oE '^ +[A-Za-z0-9_.]+\+0x' "$f" | sed -E 's/^ +//; s/\+0x$//; s/(\.[A-Za-z0-9_]+)+$//' |
		grep -Fx -f "$ours_syms" | sort -u | tr '\n' ' ')
	echo
	if [[ -n $hits ]]; then
		nours=$((nours + 1))
		echo "== KCSAN report $(basename "$f" .txt): OURS (frames: $hits)"
	else
		echo "== KCSAN report $(basename "$f" .txt): elsewhere in the kernel"
	fi
	cat "$f"
done

echo
if [[ ! -s $run/dmesg.log ]] || [[ $(cat "$run/rc" 2>/dev/null) == 124 ]]; then
	echo "FAIL kcsan:vm guest hung or crashed (see $run/console.log)" | add
else
	echo "PASS kcsan:vm" | add
fi
# the selftests' own verdicts; the context tests are the ctx_* ones
sed 's/\r$//' "$run/output.log" 2>/dev/null | awk '
	/^TEST: / {
		line = $0; sub(/^TEST: */, "", line)
		res = "PASS"
		if (line ~ /\[FAIL\] *$/) res = "FAIL"
		else if (line ~ /\[SKIP\] *$/) res = "SKIP"
		sub(/ *\[[A-Z ]+\] *$/, "", line); gsub(/ +/, "_", line)
		suite = line ~ /^ctx_/ ? "devlink_health_context" : "devlink_health_stress"
		printf "%s %s:%s\n", res, suite, line
	}' | add
grep -q '^TEST: ' "$run/output.log" 2>/dev/null ||
	echo "FAIL devlink_health_stress:exit no TEST line" | add
grep -q 'kcsan: selftest: .* passed\|kcsan: enabled early' "$run/dmesg.log" 2>/dev/null ||
	echo "FAIL kcsan:enabled no sign of KCSAN in the kernel log" | add
if ((nours)); then
	echo "FAIL kcsan:ours $nours of $nreports KCSAN reports have frames in our code" | add
else
	echo "PASS kcsan:ours none of $nreports KCSAN reports has a frame in our code" | add
fi

echo
grep '^load ' "$run/output.log" 2>/dev/null | head -40
echo
echo "== failures =="
grep '^FAIL' "$results" || echo "(none)"
pass=$(grep -c '^PASS' "$results")
fail=$(grep -c '^FAIL' "$results")
skip=$(grep -c '^SKIP' "$results")
echo "$pass passed, $fail failed, $skip skipped"
((fail == 0))
