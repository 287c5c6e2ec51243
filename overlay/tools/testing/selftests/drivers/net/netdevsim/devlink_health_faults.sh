#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# shellcheck disable=SC2317 # tests are invoked indirectly
#
# Allocation failures injected into devlink health operations: dump capture
# (DUMP_GET with no stored dump), DIAGNOSE, a report while listeners are
# subscribed to notifications (its notification, automatic dump and
# recovery) and reporter creation (netdevsim's new_port creates a port
# reporter).
#
# Faults are scoped to the process doing the operation, and to the system
# calls of that operation only, by our raw netlink client
# (devlink_health_nl, built by the Makefile), with failslab and
# fail_page_alloc set to task-filter, GFP_KERNEL included, verbose=0:
#   - fail-nth sweeps: the Nth fault-injectable call of the operation
#     fails, for N = 1, 2, ... until the operation makes fewer than N
#     calls, so that every allocation site on its path fails once;
#   - probabilistic runs: make-it-fail set around each operation.
# After every faulted operation, with faults off: the error was a clean
# one (the operation's own, -ENOMEM or a lost ack -ENOBUFS; never a
# crash), counters and dump presence are consistent with the outcome (a
# successful DUMP_GET stored a dump, a stored dump is the faulted report's,
# a report counted once or not at all, a failed recovery left the reporter
# in error), and the reporter works (GET, DIAGNOSE, a clean DUMP_GET, a
# clean new_port and a report on the new port). Leaks are found by the
# harness' kmemleak scan. The faults injected are counted from the "times"
# budget of both fault attributes and printed.
#
# Output: "TEST: <name>  [ OK ]|[FAIL]|[SKIP]", details indented.

ALL_TESTS="
	faults_dump_capture
	faults_dump_capture_multi_message
	faults_diagnose
	faults_report_with_listeners
	faults_port_reporter_create
	faults_probabilistic
	faults_reporters_usable_after
"

# shellcheck source-path=SCRIPTDIR source=devlink_health_lib.sh
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/devlink_health_lib.sh" || exit 1

NSIM_ID=${NSIM_ID:-4741}
PORT_COUNT=2
NEW_PORT=9
DEV=netdevsim$NSIM_ID
DL=netdevsim/$DEV
NSIM_BUS=/sys/bus/netdevsim
DEV_SYSFS=$NSIM_BUS/devices/$DEV
H=/sys/kernel/debug/netdevsim/$DEV/health
DBG=/sys/kernel/debug
SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# the "times" budget of each fault attribute; what is used up was injected
TIMES=1000000
# probabilistic runs: operations per scenario and failure odds in percent
PROB_OPS=${PROB_OPS:-30}
PROB_SLAB=${PROB_SLAB:-20}
PROB_PAGE=${PROB_PAGE:-10}
# the messages of passed tests too: the faults each one injected
PASS_MSGS=1

NL=
TOTAL_FAULTS=0
MON_PID=
declare -A SAVED

#
# Fault attributes
#

FAULT_FILES="
	failslab/task-filter failslab/probability failslab/interval
	failslab/times failslab/space failslab/verbose
	failslab/ignore-gfp-wait failslab/cache-filter
	fail_page_alloc/task-filter fail_page_alloc/probability
	fail_page_alloc/interval fail_page_alloc/times fail_page_alloc/space
	fail_page_alloc/verbose fail_page_alloc/ignore-gfp-wait
	fail_page_alloc/ignore-gfp-highmem fail_page_alloc/min-order
"

faults_save()
{
	local f

	for f in $FAULT_FILES; do
		SAVED[$f]=$(cat "$DBG/$f")
	done
}

faults_restore()
{
	local f

	# probability first, so nothing fails while the rest is restored
	for f in failslab/probability fail_page_alloc/probability $FAULT_FILES; do
		[[ -n ${SAVED[$f]} ]] && echo "${SAVED[$f]}" > "$DBG/$f"
	done
}

# faults_setup SLAB_PERCENT PAGE_PERCENT: faults for make-it-fail tasks
# only, GFP_KERNEL and order-0 pages included, silent, budget $TIMES
faults_setup()
{
	local a

	for a in failslab fail_page_alloc; do
		echo 0 > "$DBG/$a/probability"
		echo Y > "$DBG/$a/task-filter"
		echo 1 > "$DBG/$a/interval"
		echo 0 > "$DBG/$a/space"
		echo 0 > "$DBG/$a/verbose"
		echo N > "$DBG/$a/ignore-gfp-wait"
		echo "$TIMES" > "$DBG/$a/times"
	done
	echo N > "$DBG/failslab/cache-filter"
	echo N > "$DBG/fail_page_alloc/ignore-gfp-highmem"
	echo 0 > "$DBG/fail_page_alloc/min-order"
	echo "$1" > "$DBG/failslab/probability"
	echo "$2" > "$DBG/fail_page_alloc/probability"
}

# faults_count: "SLAB PAGE" faults injected since faults_setup
faults_count()
{
	local slab page

	slab=$(cat "$DBG/failslab/times")
	page=$(cat "$DBG/fail_page_alloc/times")
	echo "$((TIMES - slab)) $((TIMES - page))"
}

# run_fault WHAT CLIENT-ARGS...: run one client fault run, fail on problems,
# report the faults it injected
run_fault()
{
	local what=$1 out rc slab page

	shift
	out=$("$NL" fault -d "$DEV" "$@" 2>&1)
	rc=$?
	read -r slab page < <(faults_count)
	TOTAL_FAULTS=$((TOTAL_FAULTS + slab + page))
	while read -r line; do
		[[ -n $line ]] && MSGS+=("$line")
	done <<<"$out"
	MSGS+=("$what: faults injected $((slab + page)) (failslab $slab, fail_page_alloc $page)")
	((rc == 0)) || fail "$what: problems after faulted operations"
	((slab + page > 0)) || fail "$what: no fault was injected"
}

rep_state()
{
	"$NL" get -d "$DEV" "$@"
}

mon_stop()
{
	[[ -n $MON_PID ]] || return 0
	kill "$MON_PID" 2>/dev/null
	wait "$MON_PID" 2>/dev/null
	MON_PID=
}

cleanup()
{
	mon_stop
	faults_restore
	nl_dev_destroy
}

#
# Tests
#

faults_dump_capture()
{
	must_write "$H/dump_elems" 0 || return
	faults_setup 0 0
	run_fault "DUMP_GET capture, device reporter" -m nth -x dumpget \
		-r dummy -e 0
	faults_setup 0 0
	run_fault "DUMP_GET capture, port reporter" -m nth -x dumpget \
		-p 0 -r port_dummy -e 0
}

faults_dump_capture_multi_message()
{
	# some 5 netlink messages: faults in the read of the later ones too
	must_write "$H/dump_elems" 600 || return
	faults_setup 0 0
	run_fault "DUMP_GET capture, 600 elements" -m nth -x dumpget \
		-r dummy -e 600
	must_write "$H/dump_elems" 0
}

faults_diagnose()
{
	faults_setup 0 0
	run_fault "DIAGNOSE" -m nth -x diagnose -r dummy
	# a reply of two messages; a binary chunk of the maximum size
	# (binary_len >= 3748) does not fit a DIAGNOSE reply message with its
	# type attribute, in 6.12 as in ours: -EMSGSIZE without any fault
	must_write "$H/binary_len" 3000 || return
	faults_setup 0 0
	run_fault "DIAGNOSE, 3000-byte binary" -m nth -x diagnose -r dummy
	must_write "$H/binary_len" 16
}

faults_report_with_listeners()
{
	local -a stdbuf=()

	devlink health set "$DL" reporter dummy grace_period 0 auto_recover true \
		auto_dump true || fail "cannot set the dummy reporter up"
	# a second listener, the devlink tool's, besides the client's own
	command -v stdbuf >/dev/null && stdbuf=(stdbuf -oL)
	timeout 600 "${stdbuf[@]}" devlink mon health > /dev/null 2>&1 &
	MON_PID=$!
	sleep 0.5
	faults_setup 0 0
	run_fault "report with listeners" -m nth -x report -r dummy \
		-k "$H/break_health"
	faults_setup 0 0
	run_fault "port report with listeners" -m nth -x report -p 1 \
		-r port_dummy -k "$H/ports/1/break_health"
	mon_stop
}

# A faulted new_port may also end with EINVAL: netdev_register_kobject()
# ignores a failed allocation of the netdev's device name and device_add()
# then refuses the nameless device with -EINVAL. The unwinding of the port
# and its reporter is what is tested, and is checked all the same.
NEWPORT_ERRORS=EINVAL

faults_port_reporter_create()
{
	# a new port makes hundreds of allocations (netdev, sysfs, debugfs):
	# every site up to N=80, then one in 10
	faults_setup 0 0
	run_fault "new_port (port reporter creation)" -m nth -x newport \
		-p "$NEW_PORT" -K "$DEV_SYSFS" -k "$H" -N 2500 -S 80 -T 10 \
		-a "$NEWPORT_ERRORS"
}

faults_probabilistic()
{
	faults_setup "$PROB_SLAB" "$PROB_PAGE"
	run_fault "make-it-fail DUMP_GET" -m prob -x dumpget -r dummy -e 0 \
		-n "$PROB_OPS"
	faults_setup "$PROB_SLAB" "$PROB_PAGE"
	run_fault "make-it-fail DIAGNOSE" -m prob -x diagnose -r dummy \
		-n "$PROB_OPS"
	faults_setup "$PROB_SLAB" "$PROB_PAGE"
	run_fault "make-it-fail report" -m prob -x report -r dummy \
		-k "$H/break_health" -n "$PROB_OPS"
	faults_setup "$PROB_SLAB" "$PROB_PAGE"
	run_fault "make-it-fail new_port" -m prob -x newport -p "$NEW_PORT" \
		-K "$DEV_SYSFS" -k "$H" -n "$PROB_OPS" -a "$NEWPORT_ERRORS"
	faults_setup 0 0
}

faults_reporters_usable_after()
{
	local st e r out

	faults_setup 0 0
	for r in dummy empty noop; do
		st=$(rep_state -r "$r") || { fail "$r: $st"; continue; }
		e=$(field "$st" error)
		must_write "$H/reporters/$r/report_count" 1
		st=$(rep_state -r "$r")
		[[ $(field "$st" error) == $((e + 1)) ]] ||
			fail "$r: error count $e then '$st' after one report"
	done
	out=$("$NL" op -d "$DEV" -r dummy -o dumpget) ||
		fail "dummy dump: $out"
	out=$("$NL" op -d "$DEV" -r dummy -o diagnose) ||
		fail "dummy diagnose: $out"
	out=$("$NL" op -d "$DEV" -p 0 -r port_dummy -o diagnose) ||
		fail "port_dummy diagnose: $out"
	st=$(rep_state -r dummy)
	[[ $(field "$st" state) == 0 ]] || fail "dummy not healthy: $st"
	[[ -e $H/ports/$NEW_PORT ]] && fail "port $NEW_PORT left behind"
}

#
# Runner
#

prerequisites()
{
	check_prerequisites devlink || return 1
	[[ -w $DBG/failslab/probability && -w $DBG/fail_page_alloc/probability ]] ||
		{ echo "needs CONFIG_FAILSLAB, CONFIG_FAIL_PAGE_ALLOC," \
			"CONFIG_FAULT_INJECTION_DEBUG_FS"; return 1; }
	[[ -w /proc/self/make-it-fail && -w /proc/thread-self/fail-nth ]] ||
		{ echo "needs /proc/self/make-it-fail and fail-nth"; return 1; }
	find_client || { echo "$NL_MISSING"; return 1; }
}

main()
{
	prerequisites_or_skip devlink_health_faults
	find_client
	faults_save
	nl_dev_destroy
	trap cleanup EXIT
	trap 'exit 1' INT TERM
	nl_run_tests devlink_health_faults
	echo "faults injected in total: $TOTAL_FAULTS"
	exit $EXIT_STATUS
}

main "$@"
