#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Usage: results.sh RUN_DIR [REQUIRED_KUNIT_SUITE...]
#
# Turn one VM run into result lines "PASS|FAIL|SKIP <id> [why]" (written to
# RUN_DIR/results.txt and printed):
#   kunit:<suite>.<case>     each KUnit case, from the KTAP in dmesg
#   kunit:<suite>            FAIL when a required suite did not run at all
#   <selftest>:<test>        each "TEST: ... [ OK ]|[FAIL]|[SKIP]" line
#   <selftest>:exit          FAIL when a selftest exits non-zero without a
#                            FAIL line of its own (crash, timeout)
#   vm:<run>:finished        the guest ran to the end (no hang, no panic)
#                            and its command exited 0
#   vm:<run>:no-splat        no line of dmesg/console matches
#                            splat-patterns.txt
# Exit code: 0 when there is no FAIL line.
. "$(dirname "$0")/lib.sh"

run=${1:?run dir}
shift
name=$(basename "$run")
out=$run/results.txt

strip_ts() { sed -e 's/\r$//' -e 's/^\[ *[0-9]*\.[0-9]*\] //' "$@"; }

kunit_results() {
	strip_ts "$run/dmesg.log" 2>/dev/null | awk '
	/^    # Subtest: / { suite = $3; next }
	/^    (not )?ok [0-9]+ / {
		line = $0; sub(/^    /, "", line)
		st = (line ~ /^not ok/) ? "FAIL" : "PASS"
		sub(/^(not )?ok [0-9]+ /, "", line)
		if (line ~ /# SKIP/) st = "SKIP"
		tc = line; sub(/ .*/, "", tc)
		why = ""; if (st == "SKIP") { why = line; sub(/^[^#]*# SKIP ?/, "", why) }
		printf "%s kunit:%s.%s %s\n", st, suite, tc, why
	}'
}

required_suites() {
	local s
	for s in "$@"; do
		grep -q "^    # Subtest: $s\$" <(strip_ts "$run/dmesg.log" 2>/dev/null) ||
			echo "FAIL kunit:$s suite did not run"
	done
}

selftest_results() {
	[[ -f $run/output.log ]] || return 0
	sed 's/\r$//' "$run/output.log" | awk '
	function flush() {
		if (why == "") why = first
		if (why != "") printf "%s %s\n", why_for, substr(why, 1, 300)
		else printf "%s\n", why_for
		why_for = ""; why = ""; first = ""
	}
	# the indented lines under a failed TEST line say why: keep the first
	# failure, or the first note when no line is a failure
	st != "" && why_for != "" && /^    / {
		line = $0; sub(/^ +/, "", line)
		if (line !~ /^note: / && why == "") why = line
		else if (first == "") first = line
		next
	}
	st != "" && why_for != "" { flush() }
	/^### selftest begin / { st = $4; nfail = 0; next }
	/^### selftest end / {
		rc = $5; sub(/^rc=/, "", rc)
		if (rc != 0 && nfail == 0)
			printf "FAIL %s:exit exited %s without a FAIL line\n", st, rc
		st = ""; next
	}
	st != "" && /^TEST: / {
		line = $0; sub(/^TEST: */, "", line)
		res = "PASS"
		if (line ~ /\[FAIL\] *$/) { res = "FAIL"; nfail++ }
		else if (line ~ /\[SKIP\] *$/) res = "SKIP"
		else if (line ~ /\[XFAIL\] *$/) res = "SKIP"
		else if (line !~ /\[ OK \] *$/) next
		sub(/ *\[[A-Z ]+\] *$/, "", line)
		gsub(/ +/, "_", line)
		if (res == "FAIL") { why_for = res " " st ":" line; why = ""; first = ""; next }
		printf "%s %s:%s\n", res, st, line
	}
	END {
		if (why_for != "") flush()
		if (st != "") printf "FAIL %s:exit did not finish\n", st
	}'
}

splat_results() {
	local hits
	hits=$( (cat "$run/dmesg.log" 2>/dev/null; cat "$run/console.log" 2>/dev/null) |
		grep -E -f <(grep -v '^#' "$HARNESS/splat-patterns.txt") | sort -u | head -5)
	if [[ -n $hits ]]; then
		echo "FAIL vm:$name:no-splat $(echo "$hits" | head -1)"
		echo "$hits" | sed 's/^/    /' >&2
	else
		echo "PASS vm:$name:no-splat"
	fi
}

finished_result() {
	local rc
	rc=$(cat "$run/rc" 2>/dev/null)
	if [[ $rc == 124 || ! -s $run/dmesg.log ]]; then
		echo "FAIL vm:$name:finished guest hung or crashed (see $run/console.log)"
	elif [[ $rc != 0 ]]; then
		echo "FAIL vm:$name:finished the guest command exited $rc"
	else
		echo "PASS vm:$name:finished"
	fi
}

{
	finished_result
	kunit_results
	required_suites "$@"
	selftest_results
	splat_results
} >"$out"
cat "$out"
! grep -q '^FAIL' "$out"
