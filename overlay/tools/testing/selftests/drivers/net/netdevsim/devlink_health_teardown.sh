#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# shellcheck disable=SC2317 # tests and their helpers are invoked indirectly
#
# devlink health reports racing the teardown of what they report on, and
# errors reported while a recovery runs.
#
# - Synchronous reports (break_health) and deferred ones (report_nowait)
#   keep coming while the device is reloaded, a port is removed, the
#   device is deleted and the network namespace holding it is deleted.
#   Each of those holds the instance lock and removes the knobs, waiting
#   for the writers: a report that waits for that lock would hang it.
#   Every teardown must return within a bound, every writer must end.
# - An error reported while a (slow) recovery runs must not be lost: the
#   reporter ends in error, or one more recovery runs, and the error and
#   recovery counts say what happened.
# - A driver that closes a reporter and then tears down what its ops use
#   (netdevsim's teardown knob, with reports queued and a recovery in
#   flight) must see no op run afterwards.
#
# The hung task detector is set to 10 s while the script runs; the harness
# fails the run on a hung task or any other splat in the kernel log.
#
# Needs root, netdevsim, debugfs, iproute2 (devlink, ip) and jq. Output:
# "TEST: <name>  [ OK ]", "[FAIL]" or "[SKIP]" per test, details indented
# below. Exit status: 0 when no test failed, 1 when one did, 4 when a
# prerequisite is missing. TESTS="name ..." runs a subset, VERBOSE=1
# prints details of passed tests.

ALL_TESTS="
	queued_report_reload
	queued_report_port_del
	race_reload
	race_port_del
	race_dev_del
	race_netns_del
	during_recovery_recovers_again
	during_recovery_in_grace_stays_in_error
	during_nowait_recovery_recovers_again
	teardown_runs_no_op
"

# shellcheck source-path=SCRIPTDIR source=devlink_health_lib.sh
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/devlink_health_lib.sh" || exit 1

NSIM_ID=${NSIM_ID:-1341}
PORT_COUNT=2
DEV=netdevsim$NSIM_ID
DL=netdevsim/$DEV
NSIM_BUS=/sys/bus/netdevsim
DEV_SYSFS=$NSIM_BUS/devices/$DEV
H=/sys/kernel/debug/netdevsim/$DEV/health
CMD_TIMEOUT=${CMD_TIMEOUT:-30}
DL_TIMEOUT=$CMD_TIMEOUT
NETNS=devlink_health_td_$$
HUNG_TASK=/proc/sys/kernel/hung_task_timeout_secs
HUNG_TASK_SAVED=
# Bound on one teardown with writers racing it, on an emulated CPU.
TEARDOWN_TIMEOUT=60
# Writers race a teardown until the test stops them once the teardown has
# returned; this bound, in ms, only ends writers whose test failed first.
RACE_MS=180000

#
# Plumbing
#

dev_create()
{
	if ! echo "$NSIM_ID $PORT_COUNT" > "$NSIM_BUS/new_device"; then
		fail "cannot create netdevsim device $NSIM_ID"
		return 1
	fi
	DEV_CREATED=1
	if ! wait_until 10000 dl_dev_present || ! wait_until 10000 test -e "$H/break_health"; then
		fail "netdevsim device $NSIM_ID or its health knobs did not show up"
		return 1
	fi
}

# rep_is HANDLE REPORTER STATE ERRORS RECOVERIES
rep_is()
{
	[[ $(rep_field "$1" "$2" state) == "$3" &&
	   $(rep_field "$1" "$2" error) == "$4" &&
	   $(rep_field "$1" "$2" recover) == "$5" ]]
}

rep_summary()
{
	echo "state $(rep_field "$1" "$2" state), $(rep_field "$1" "$2" error) errors," \
	     "$(rep_field "$1" "$2" recover) recoveries"
}

# writer FILE END_MS: report through FILE until END_MS; a report may be
# refused: carry on. No command substitution in the loop: a fork per
# report would leave the writer in the kernel a small part of the time,
# and the race to chance. While the knob is gone with the teardown, the
# writer waits for it instead of spinning on the CPU the teardown needs.
writer()
{
	local file=$1 end=$(($2 * 1000))

	while ((${EPOCHREALTIME/[.,]/} < end)); do
		if [[ -e $file ]]; then
			echo "racing a teardown" 2>/dev/null > "$file"
		else
			sleep 0.05
		fi
	done
}

# writers DIR...: for each reporter action directory (or the health
# directory, whose break_health reports on "dummy" in 6.12's netdevsim too),
# two synchronous and one deferred writer, until bg_stop; none for a knob
# this netdevsim lacks
writers()
{
	local end=$(($(now_ms) + RACE_MS)) d f

	for d in "$@"; do
		for f in break_health break_health report_nowait; do
			[[ -e $d/$f ]] && bg_start writer "$d/$f" "$end"
		done
	done
}

# A recovery that takes a little while keeps the instance lock busy, so
# that the reports queue up on it when the teardown comes. 6.12's
# netdevsim has no such knob: its recoveries are quick.
race_setup()
{
	knob "$H/recover_delay_ms" 20
	return 0
}

# timed_teardown WHAT CMD...: run CMD, fail if it fails or does not return
# within TEARDOWN_TIMEOUT. Polled, not timeout(1): a process stuck in the
# kernel cannot be killed, and timeout(1) would wait for it.
timed_teardown()
{
	local what=$1 t0 pid rc

	shift
	t0=$(now_ms)
	"$@" &
	pid=$!
	if ! wait_until $((TEARDOWN_TIMEOUT * 1000)) bg_pid_done "$pid"; then
		fail "$what did not return within $TEARDOWN_TIMEOUT s"
		return 1
	fi
	wait "$pid"
	rc=$?
	if ((rc != 0)); then
		fail "$what failed (exit $rc)"
		return 1
	fi
	note "$what took $(($(now_ms) - t0)) ms"
}

#
# Tests: reports racing a teardown
#

# queued_report TEARDOWN_DESC REPORT_KNOB CMD...: the same race, made
# deterministic. A recovery of port 0's reporter, slowed down by
# recover_delay_ms, holds the instance lock for 6 s, sleeping; the teardown
# CMD queues up for that lock, then a synchronous report through
# REPORT_KNOB queues up behind the teardown. When the recovery ends, the
# teardown gets the lock and removes the knob, waiting for the report,
# which waits for the lock. The holder must sleep: a report arriving while
# the lock owner runs spins on the lock and takes it before the teardown.
queued_report()
{
	local what=$1 knob_path=$2 holder teardown reporter

	shift 2
	if [[ ! -e $H/recover_delay_ms || ! -e $knob_path ]]; then
		skip "needs the recover_delay_ms and ${knob_path#"$H"/} knobs" \
		     "(6.12's netdevsim lacks them)"
		return
	fi
	must_knob "$H/recover_delay_ms" 6000 || return
	knob "$H/ports/0/break_health" "holding the lock" &
	holder=$!
	sleep 0.5
	"$@" &
	teardown=$!
	sleep 0.5
	knob "$knob_path" "queued behind the teardown" &
	reporter=$!
	BG_PIDS+=("$holder" "$teardown" "$reporter")
	sleep 0.2
	if bg_pid_done "$holder"; then
		fail "the lock was free before the report queued up: nothing was tested"
		return 1
	fi
	if ! wait_until $((TEARDOWN_TIMEOUT * 1000)) bg_pid_done "$teardown"; then
		fail "$what did not return within $TEARDOWN_TIMEOUT s"
		return 1
	fi
	if ! wait "$teardown"; then
		fail "$what failed"
		return 1
	fi
	wait_until 10000 bg_pid_done "$reporter" ||
		fail "the report queued behind the $what is still waiting"
}

queued_report_reload()
{
	queued_report "devlink dev reload" "$H/break_health" \
		devlink dev reload "$DL"
}

queued_report_port_del()
{
	queued_report "port removal" "$H/ports/1/break_health" \
		bash -c "echo 1 > $DEV_SYSFS/del_port"
}

race_reload()
{
	local round errors recovers

	race_setup
	for round in 1 2 3; do
		writers "$H" "$H/reporters/dummy" "$H/ports/0"
		sleep 0.5
		timed_teardown "round $round: devlink dev reload" \
			devlink dev reload "$DL" || return
		bg_stop
		wait_until 10000 test -e "$H/break_health" || {
			fail "round $round: knobs missing after the reload"
			return
		}
		race_setup
	done
	# the reporters the reload created work
	errors=$(rep_field "$DL" dummy error)
	recovers=$(rep_field "$DL" dummy recover)
	must_knob "$H/break_health" "after the reloads" || return
	wait_until 10000 rep_is "$DL" dummy healthy $((errors + 1)) $((recovers + 1)) ||
		fail "dummy after the reloads and one report: $(rep_summary "$DL" dummy)"
}

race_port_del()
{
	local round

	race_setup
	for round in 1 2 3; do
		writers "$H/ports/1"
		sleep 0.5
		timed_teardown "round $round: port removal" \
			bash -c "echo 1 > $DEV_SYSFS/del_port" || return
		bg_stop
		if ! must_write "$DEV_SYSFS/new_port" 1 ||
		   ! wait_until 10000 test -e "$H/ports/1/break_health"; then
			fail "round $round: port 1 not back"
			return
		fi
	done
}

race_dev_del()
{
	race_setup
	writers "$H" "$H/reporters/dummy" "$H/ports/0" "$H/ports/1"
	sleep 0.5
	DEV_CREATED=0
	timed_teardown "device deletion" \
		bash -c "echo $NSIM_ID > $NSIM_BUS/del_device"
	bg_stop
}

race_netns_del()
{
	local round t0

	for round in 1 2; do
		if ! ip netns add "$NETNS"; then
			skip "cannot create a network namespace"
			return
		fi
		if ! must dl dev reload "$DL" netns "$NETNS" ||
		   ! wait_until 10000 test -e "$H/break_health"; then
			ip netns del "$NETNS" 2>/dev/null
			return
		fi
		race_setup
		writers "$H" "$H/reporters/dummy" "$H/ports/0"
		sleep 0.5
		timed_teardown "round $round: ip netns del" ip netns del "$NETNS" || return
		# the namespace dies asynchronously: its exit reloads the
		# device back into init_net
		t0=$(now_ms)
		if ! wait_until 120000 dl_dev_present; then
			fail "round $round: device not back in init_net 120 s after ip netns del"
			return
		fi
		note "round $round: device back in init_net after $(($(now_ms) - t0)) ms"
		bg_stop
	done
}

#
# Tests: errors reported while a recovery runs
#

# report_during KNOB: a report through KNOB while the recovery of a
# first synchronous report, which takes 1.5 s, runs
report_during()
{
	must_knob "$H/recover_delay_ms" 1500 || return 1
	knob "$H/break_health" "first" &
	sleep 0.5
	knob "$1" "during the recovery"
	wait
}

# The second error may have come after the device was reset: one more
# recovery runs, and the counts say two errors, two recoveries.
during_recovery_recovers_again()
{
	report_during "$H/break_health" || return
	wait_until 20000 rep_is "$DL" dummy healthy 2 2 ||
		fail "after an error during a recovery: $(rep_summary "$DL" dummy)," \
		     "expected healthy, 2 errors, 2 recoveries"
}

# Same, with a grace period: no second recovery may run yet, so the
# reporter must stay in error.
during_recovery_in_grace_stays_in_error()
{
	must dl health set "$DL" reporter dummy grace_period 60000 || return
	report_during "$H/break_health" || return
	# long enough for a second recovery, had one run
	sleep 3
	rep_is "$DL" dummy error 2 1 ||
		fail "after an error during a recovery, in the grace period:" \
		     "$(rep_summary "$DL" dummy), expected error, 2 errors, 1 recovery"
}

# A deferred report joins a queued recovery, but one made while that
# recovery runs may have come after the reset: one more recovery runs.
during_nowait_recovery_recovers_again()
{
	local d=$H/reporters/dummy

	must_knob "$H/recover_delay_ms" 1500 || return
	must_knob "$d/report_nowait" 1 || return
	# the deferred recovery is running once the dump is stored
	sleep 0.5
	must_knob "$d/report_nowait" 1 || return
	wait_until 20000 rep_is "$DL" dummy healthy 2 2 ||
		fail "after a deferred error during a deferred recovery:" \
		     "$(rep_summary "$DL" dummy), expected healthy, 2 errors, 2 recoveries"
}

#
# Tests: no op after the driver's teardown
#

# Port 0's reporter: a deferred recovery in flight (it takes 500 ms), then
# the teardown knob queues 50 more reports, closes the reporter and tears
# down what the ops use. No op may run afterwards, from the queued work or
# from user requests, and the errors are still counted.
teardown_runs_no_op()
{
	local p=$H/ports/0 out

	must_knob "$H/recover_delay_ms" 500 || return
	must_knob "$p/report_nowait" 1 || return
	sleep 0.1
	must_knob "$p/teardown" 50 || return
	# what the queued work would do, had it not been stopped
	sleep 1
	if out=$(dl health recover "$DL/0" reporter port_dummy 2>&1); then
		fail "RECOVER of a closed reporter succeeded"
	else
		note "RECOVER of a closed reporter: $(oneline "$out")"
	fi
	if dl health diagnose "$DL/0" reporter port_dummy >/dev/null 2>&1; then
		fail "DIAGNOSE of a closed reporter succeeded"
	fi
	[[ $(cat "$H/ops_after_teardown") == 0 ]] ||
		fail "$(cat "$H/ops_after_teardown") ops ran after the teardown"
	[[ $(rep_field "$DL/0" port_dummy error) == 51 ]] ||
		fail "port 0: $(rep_summary "$DL/0" port_dummy), expected 51 errors"
	# the port goes, with the closed reporter, cleanly
	timed_teardown "port 0 removal" bash -c "echo 0 > $DEV_SYSFS/del_port"
}

#
# Runner
#

cleanup()
{
	bg_stop
	dev_destroy
	ip netns del "$NETNS" 2>/dev/null
	[[ -n $HUNG_TASK_SAVED ]] && echo "$HUNG_TASK_SAVED" > "$HUNG_TASK"
}

prerequisites()
{
	check_prerequisites devlink ip jq timeout
}

main()
{
	prerequisites_or_skip devlink_health_teardown
	trap cleanup EXIT
	trap 'exit 1' INT TERM
	if [[ -w $HUNG_TASK ]]; then
		HUNG_TASK_SAVED=$(cat "$HUNG_TASK")
		echo 10 > "$HUNG_TASK"
	fi

	run_tests
	exit $EXIT_STATUS
}

main "$@"
