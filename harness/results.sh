#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Usage: results.sh RUN_DIR [REQUIRED_KUNIT_SUITE...]
#
# Turn one VM run into result lines "PASS|FAIL|SKIP <id> [why]" (written to
# RUN_DIR/results.txt and printed):
#   kunit:<suite>.<case>     each KUnit case, from the KTAP in dmesg as
#                            kunit.py parse reads it
#   kunit:<suite>            FAIL when a required suite did not run at all
#   <selftest>:<test>        each "TEST: ... [ OK ]|[FAIL]|[SKIP]" line
#   <selftest>:exit          FAIL when the kselftest runner's KTAP says
#                            "not ok" without a FAIL line of the test's own
#                            (crash, timeout), gives no result, or says
#                            "ok" for a script that ran no test
#   vm:<run>:finished        the guest ran to the end (no hang, no panic)
#                            and its command exited 0
#   vm:<run>:no-splat        no line of dmesg/console matches
#                            splat-patterns.txt
# Exit code: 0 when there is no FAIL line.
. "$(dirname "$0")/lib.sh"

run=$(cd "${1:?run dir}" && pwd) || exit 1
shift
name=$(basename "$run")
out=$run/results.txt

# KUnit's own parser (tools/testing/kunit/kunit.py parse) reads the KTAP
# of the kernel log; its JSON gives one line per case, a parameterised
# case failing if any of its parameters does. A failed case's reason is
# the first message the case printed.
kunit_results() {
	local kunit
	kunit=$(src_dir pristine)/tools/testing/kunit/kunit.py
	[[ -s $run/dmesg.log ]] || return 0
	/usr/bin/python3 "$kunit" parse --json="$run/kunit.json" "$run/dmesg.log" \
		>"$run/kunit-parse.log" 2>&1
	[[ -s $run/kunit.json ]] || { echo "FAIL kunit:parse kunit.py parse gave no result"; return; }
	/usr/bin/python3 - "$run/kunit.json" "$run/dmesg.log" "$@" <<'PY'
import json, re, sys
top = json.load(open(sys.argv[1]))
log = open(sys.argv[2], errors="replace").read().splitlines()
required = sys.argv[3:]
rank = {"PASS": 0, "SKIP": 1, "FAIL": 2, "ERROR": 2}
def status(group):
    sts = [c["status"] for c in group["test_cases"]] + \
          [status(g) for g in group["sub_groups"]]
    if not sts:
        return "PASS"
    if any(rank.get(st, 2) == 2 for st in sts):
        return "FAIL"
    return "SKIP" if all(st == "SKIP" for st in sts) else "PASS"
def why(case, st):
    pat = r"ok [0-9]+ %s # SKIP ?(.*)" if st == "SKIP" else r"# %s: (.*)"
    for line in log:
        m = re.search(pat % re.escape(case), line)
        if m and not m.group(1).startswith("pass:"):
            return m.group(1)[:300]
    return ""
seen = set()
for suite in top["sub_groups"]:
    seen.add(suite["name"])
    cases = [(c["name"], c["status"]) for c in suite["test_cases"]] + \
            [(g["name"], status(g)) for g in suite["sub_groups"]]
    for name, st in cases:
        st = "FAIL" if st == "ERROR" else st
        line = "%s kunit:%s.%s" % (st, suite["name"], name)
        if st != "PASS":
            line += " " + why(name, st)
        print(line.rstrip())
for suite in required:
    if suite not in seen:
        print("FAIL kunit:%s suite did not run" % suite)
PY
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
	# the verdict of the kselftest runner, its KTAP line for the script
	st != "" && /^(not )?ok [0-9]+ selftests: / {
		if (why_for != "") flush()
		ktap = ($1 == "ok") ? "ok" : "not ok"
		directive = $0
		if (!sub(/^[^#]*# */, "", directive)) directive = ""
		next
	}
	# what the script printed, which the runner prefixes with "# "
	st != "" && /^# / { sub(/^# /, "") }
	# the indented lines under a failed TEST line say why: keep the first
	# failure, or the first note when no line is a failure
	st != "" && why_for != "" && /^    / {
		line = $0; sub(/^ +/, "", line)
		if (line !~ /^note: / && why == "") why = line
		else if (first == "") first = line
		next
	}
	st != "" && why_for != "" { flush() }
	/^### selftest begin / { st = $4; nfail = 0; ntests = 0; ktap = ""; next }
	/^### selftest end / {
		rc = $5; sub(/^rc=/, "", rc)
		if (ktap == "")
			printf "FAIL %s:exit no kselftest result (runner exited %s)\n", st, rc
		else if (ktap == "not ok" && nfail == 0)
			printf "FAIL %s:exit %s without a FAIL line\n", st, directive
		else if (ktap == "ok" && ntests == 0 && directive ~ /^SKIP/)
			printf "SKIP %s:exit %s\n", st, directive
		else if (ktap == "ok" && ntests == 0)
			printf "FAIL %s:exit the runner said ok but no test ran\n", st
		st = ""; next
	}
	st != "" && /^TEST: / {
		line = $0; sub(/^TEST: */, "", line)
		res = "PASS"
		if (line ~ /\[FAIL\] *$/) { res = "FAIL"; nfail++ }
		else if (line ~ /\[SKIP\] *$/) res = "SKIP"
		else if (line ~ /\[XFAIL\] *$/) res = "SKIP"
		else if (line !~ /\[ OK \] *$/) next
		ntests++
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
	kunit_results "$@"
	selftest_results
	splat_results
} >"$out"
cat "$out"
! grep -q '^FAIL' "$out"
