#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# shellcheck disable=SC2317 # tests and their helpers are invoked indirectly
#
# Reporting devlink health errors from any context, and the burst period.
#
# devlink_health_report_nowait() records an error at once from any context
# and leaves the notification, the dump and the recovery to a work item of
# the core. netdevsim fires it, for any of its reporters, from the writing
# process (report_nowait), a hard IRQ timer (report_hardirq), a softirq
# timer (report_softirq) and with the devlink instance lock held
# (report_locked); see drivers/net/netdevsim/health.c. The tests check the
# counters after hundreds of reports from each context, that reports made
# while a slow recovery is pending coalesce into it, that reporters and
# devices go away cleanly with reports in flight, also when a network
# namespace holding the device is deleted, and the burst period through
# YNL (the devlink tool of iproute2 6.1 does not know it), also as a
# default of the reporter's ops. They also check the core's rate-limited
# kernel log line about each error and failed recovery.
#
# Kernel splats (lockdep, sleeping in atomic context, KASAN, hung tasks)
# are the harness's to catch in the kernel log; every wait here is bounded.
#
# Needs root, netdevsim, debugfs, iproute2 (devlink, ip), jq, python3 with
# PyYAML and a kernel tree for the YNL CLI: $KSRC, by default the tree
# holding this script. Output: "TEST: <name>  [ OK ]", "[FAIL]" or
# "[SKIP]" per test, details indented below. Exit status: 0 when no test
# failed, 1 when one did, 4 when a prerequisite is missing.
#
# TESTS="name ..." runs a subset, VERBOSE=1 prints details of passed tests.

ALL_TESTS="
	ctx_process
	ctx_hardirq
	ctx_softirq
	ctx_instance_lock
	ctx_all_at_once
	ctx_counts_without_recovery
	ctx_coalesce_slow_recovery
	ctx_destroy_with_reports_in_flight
	ctx_netns_teardown_race
	ctx_test_op_teardown
	burst_period_attr
	burst_period_gating
	burst_period_ops_defaults
	log_report_lines
	log_rate_limited
"

# shellcheck source-path=SCRIPTDIR source=devlink_health_lib.sh
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/devlink_health_lib.sh" || exit 1

NSIM_ID=${NSIM_ID:-1339}
PORT_COUNT=2
DEV=netdevsim$NSIM_ID
DL=netdevsim/$DEV
NSIM_BUS=/sys/bus/netdevsim
DEV_SYSFS=$NSIM_BUS/devices/$DEV
H=/sys/kernel/debug/netdevsim/$DEV/health
CMD_TIMEOUT=${CMD_TIMEOUT:-30}
DL_TIMEOUT=$CMD_TIMEOUT
PYTHON=${PYTHON:-python3}
SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
NETNS=devlink_health_ctx_$$

# Reports per context; hundreds, so that reports and deferred runs overlap.
REPORTS=${REPORTS:-300}
# The softirq timer fires once per jiffy: fewer, to stay within seconds.
SOFTIRQ_REPORTS=${SOFTIRQ_REPORTS:-200}

#
# Plumbing
#

# sleep_until T_MS: sleep until now_ms reaches T_MS
sleep_until()
{
	local left=$(($1 - $(now_ms)))

	((left > 0)) && sleep "$(printf '%d.%03d' $((left / 1000)) $((left % 1000)))"
	return 0
}

#
# Device and reporters
#

knobs_present()
{
	local p

	[[ -e $H/reporters/dummy/report_nowait ]] || return 1
	for p in $(seq 0 $((PORT_COUNT - 1))); do
		[[ -e $H/ports/$p/report_nowait ]] || return 1
	done
}

dev_create()
{
	if ! echo "$NSIM_ID $PORT_COUNT" > "$NSIM_BUS/new_device"; then
		fail "cannot create netdevsim device $NSIM_ID"
		return 1
	fi
	DEV_CREATED=1
	if ! wait_until 10000 dl_dev_present || ! wait_until 10000 knobs_present; then
		fail "netdevsim device $NSIM_ID or its health knobs did not show up"
		return 1
	fi
}

rep_field_is()
{
	[[ $(rep_field "$1" "$2" "$3") == "$4" ]]
}

rep_has()
{
	local v

	v=$(rep_field "$1" "$2" "$3") && [[ $v != absent ]]
}

expect_rep()
{
	local handle=$1 name=$2 kv f want got rc=0

	shift 2
	for kv in "$@"; do
		f=${kv%%=*}
		want=${kv#*=}
		got=$(rep_field "$handle" "$name" "$f")
		if [[ $want == present && $got != absent ]]; then
			continue
		fi
		if [[ $got != "$want" ]]; then
			fail "$handle reporter $name: $f is '$got', expected '$want'"
			rc=1
		fi
	done
	return "$rc"
}

# Action directory of a reporter: "dummy", "noop", ... or "port:N".
rep_dir()
{
	case $1 in
	port:*) echo "$H/ports/${1#port:}" ;;
	*) echo "$H/reporters/$1" ;;
	esac
}

rep_handle()
{
	case $1 in
	port:*) echo "$DL/${1#port:} port_dummy" ;;
	*) echo "$DL $1" ;;
	esac
}

# wait_errors REP COUNT MS: wait until REP's error count is COUNT
wait_errors()
{
	local handle name

	read -r handle name <<<"$(rep_handle "$1")"
	wait_until "$3" rep_field_is "$handle" "$name" error "$2" && return 0
	fail "$1: error count $(rep_field "$handle" "$name" error), expected $2"
	return 1
}

# wait_settled REP: the deferred work done, REP is healthy again and the
# count of its recoveries is between 1 and its errors.
wait_settled()
{
	local handle name errors recovers

	read -r handle name <<<"$(rep_handle "$1")"
	if ! wait_until 20000 rep_field_is "$handle" "$name" state healthy; then
		fail "$1: $(rep_field "$handle" "$name" state) 20 s after the reports"
		return 1
	fi
	errors=$(rep_field "$handle" "$name" error)
	recovers=$(rep_field "$handle" "$name" recover)
	if ((recovers < 1 || recovers > errors)); then
		fail "$1: $recovers recoveries for $errors errors"
		return 1
	fi
	note "$1: $errors errors, $recovers recoveries"
}

# fire REP CONTEXT COUNT: have netdevsim report COUNT times from CONTEXT
# (nowait, hardirq, softirq, locked) on REP
fire()
{
	must_knob "$(rep_dir "$1")/report_$2" "$3"
}

# One context, repeated: counters exact, recoveries coalesced, dump stored.
ctx_repeat()
{
	local ctx=$1 count=$2

	fire dummy "$ctx" "$count" || return
	fire port:1 "$ctx" "$count" || return
	fire noop "$ctx" "$count" || return
	wait_errors dummy "$count" 60000
	wait_errors port:1 "$count" 60000
	wait_errors noop "$count" 60000
	wait_settled dummy
	wait_settled port:1
	# without a recover op the reporter just stays in error
	expect_rep "$DL" noop state=error recover=0
	# the automatic dump of the first error, taken by the deferred work
	expect_rep "$DL" dummy last_dump_date=present
	# the other port's reporter saw nothing
	expect_rep "$DL/0" port_dummy error=0 recover=0
}

#
# Tests: contexts
#

ctx_process()
{
	ctx_repeat nowait "$REPORTS"
}

ctx_hardirq()
{
	ctx_repeat hardirq "$REPORTS"
}

ctx_softirq()
{
	ctx_repeat softirq "$SOFTIRQ_REPORTS"
}

ctx_instance_lock()
{
	ctx_repeat locked "$REPORTS"
}

fire_loop()
{
	local rep=$1 ctx=$2 count=$3 rounds=$4 i

	for ((i = 0; i < rounds; i++)); do
		# a timer knob is busy until its last series is fired
		wait_until 30000 knob "$(rep_dir "$rep")/report_$ctx" "$count" ||
			echo "report_$ctx on $rep: $KNOB_ERR" >&2
	done
}

# Every context at once on the same reporters.
ctx_all_at_once()
{
	local rep ctx total

	for rep in dummy port:0; do
		for ctx in nowait hardirq softirq locked; do
			bg_start fire_loop "$rep" "$ctx" 50 4
		done
	done
	bg_wait 120000 || fail "reporting loops still running after 120 s"
	total=$((4 * 4 * 50))
	wait_errors dummy "$total" 60000
	wait_errors port:0 "$total" 60000
	wait_settled dummy
	wait_settled port:0
}

# With auto-recover off nothing is deferred but notifications and the
# dump: every count is exact whatever the interleaving.
ctx_counts_without_recovery()
{
	local ctx

	must dl health set "$DL" reporter dummy auto_recover false || return
	for ctx in nowait hardirq softirq locked; do
		fire dummy "$ctx" 100 || return
	done
	wait_errors dummy 400 60000
	# the dump of the first error, taken by the deferred work
	wait_until 10000 rep_has "$DL" dummy last_dump_date ||
		fail "no dump stored 10 s after the reports"
	expect_rep "$DL" dummy state=error recover=0
	# the error stays until recovered by hand
	must dl health recover "$DL" reporter dummy
	expect_rep "$DL" dummy state=healthy error=400 recover=1
}

# K reports while one slow recovery is pending: error count K, one
# recovery for those made before it started, and one more if some came
# while it ran (they may have come after the device was reset).
ctx_coalesce_slow_recovery()
{
	local t0 t1 k=50 recovers

	must_knob "$H/recover_delay_ms" 1500 || return
	t0=$(now_ms)
	fire dummy nowait "$k" || return
	# recorded at once, before the deferred work ran
	expect_rep "$DL" dummy error="$k"
	if ! wait_until 30000 rep_field_is "$DL" dummy state healthy; then
		fail "not healthy 30 s after the reports"
		return
	fi
	t1=$(now_ms)
	recovers=$(rep_field "$DL" dummy recover)
	[[ $recovers == 1 || $recovers == 2 ]] ||
		fail "dummy: $recovers recoveries for $k reports made before or during one"
	expect_rep "$DL" dummy error="$k"
	((t1 - t0 >= 1500)) ||
		fail "healthy $((t1 - t0)) ms after the reports, recovery takes 1500 ms"

	# the same from hard IRQ, on a port reporter
	fire port:0 hardirq "$k" || return
	wait_errors port:0 "$k" 30000
	wait_until 30000 rep_field_is "$DL/0" port_dummy state healthy
	recovers=$(rep_field "$DL/0" port_dummy recover)
	[[ $recovers == 1 || $recovers == 2 ]] ||
		fail "port 0: $recovers recoveries for $k reports made before or during one"
}

# in_flight REP: REP has counted reports and one of its timers is still
# firing (a timer knob refuses a new series while one is fired)
in_flight()
{
	local handle name errors ctx

	read -r handle name <<<"$(rep_handle "$1")"
	errors=$(rep_field "$handle" "$name" error)
	if ! ((errors > 0)); then
		fail "$1: no report counted before the removal"
		return 1
	fi
	for ctx in hardirq softirq; do
		if ! knob "$(rep_dir "$1")/report_$ctx" 1 && [[ $KNOB_ERR == *busy* ]]; then
			note "$1: $errors errors counted, $ctx reports firing at the removal"
			return 0
		fi
	done
	fail "$1: reports no longer firing at the removal"
	return 1
}

# Reporters and the device go away with deferred work queued or running
# and timers firing, without waiting for any of them to finish.
ctx_destroy_with_reports_in_flight()
{
	local t0

	must_knob "$H/recover_delay_ms" 300 || return
	# A timer firing every 50 us in hard IRQ context leaves an emulated
	# CPU little time for anything else: enough reports to still be
	# firing when the removal comes, no more, and a generous bound on it.
	fire port:1 hardirq 20000 || return
	fire port:1 nowait 100 || return
	fire port:1 softirq 10000 || return
	# the removal must find reports recorded and more still firing, or
	# this would only prove that an idle port can be deleted
	in_flight port:1 || return
	t0=$(now_ms)
	if ! timeout 120 bash -c "echo 1 > $DEV_SYSFS/del_port"; then
		fail "deleting port 1 with reports in flight failed or hung"
		return
	fi
	note "port 1 deleted in $(($(now_ms) - t0)) ms"
	if dl health show "$DL/1" reporter port_dummy >/dev/null 2>&1; then
		fail "port 1's reporter still listed"
	fi

	# the locked knob first: it gives up if the instance lock stays
	# busy for 2 s, which back-to-back recoveries of the storms below,
	# with grace period 0, may well do
	fire dummy locked 100 || return
	fire dummy hardirq 20000 || return
	fire dummy softirq 10000 || return
	fire port:0 nowait 100 || return
	in_flight dummy || return
	t0=$(now_ms)
	if ! dev_destroy; then
		fail "deleting the device with reports in flight failed or hung"
		return
	fi
	note "device deleted in $(($(now_ms) - t0)) ms"
}

# Writers keep reporting through the nowait knobs while the network
# namespace holding the device is deleted: its teardown reloads the
# device back into init_net, destroying the reporters and their knobs
# under the instance lock and waiting for the writers. A writer blocked
# on that lock would hang it (the synchronous knobs do).
writer()
{
	local end=$1 p

	while (($(now_ms) < end)); do
		for p in "$H/reporters/dummy" "$H/ports/0" "$H/ports/1"; do
			# the knobs come and go with the reload
			echo 20 2>/dev/null > "$p/report_nowait"
		done
	done
}

# What a stuck namespace teardown leaves to look at, as notes of the test.
netns_race_diag()
{
	local line

	# blocked tasks, with their stacks, into the kernel log
	echo w > /proc/sysrq-trigger 2>/dev/null
	while read -r line; do
		note "diag: $line"
	done < <({
		echo "netns: $(ip netns list 2>&1 | tr '\n' ' ')"
		echo "devlink: $(devlink dev 2>&1 | tr '\n' ' ')"
		echo "netdevsim: $(cd "$NSIM_BUS/devices" && echo *)"
		ps -eo pid,stat,wchan:32,args | awk '$2 ~ /^[DR]/' | head -8
		dmesg | grep -v '^\s*$' | tail -25
	} 2>&1)
}

ctx_netns_teardown_race()
{
	local round t0 end errors

	if ! ip netns add "$NETNS"; then
		skip "cannot create a network namespace"
		return
	fi
	for round in 1 2 3; do
		progress "round $round: reload into $NETNS"
		if ! must dl dev reload "$DL" netns "$NETNS"; then
			ip netns del "$NETNS" 2>/dev/null
			return
		fi
		if ! wait_until 10000 knobs_present; then
			fail "round $round: knobs missing after the reload into $NETNS"
			ip netns del "$NETNS" 2>/dev/null
			return
		fi
		end=$(($(now_ms) + 8000))
		bg_start writer "$end"
		bg_start writer "$end"
		bg_start writer "$end"
		knob "$H/reporters/dummy/report_hardirq" 20000
		sleep 0.5
		progress "round $round: deleting $NETNS"
		t0=$(now_ms)
		if ! timeout 120 ip netns del "$NETNS"; then
			fail "round $round: ip netns del failed or hung"
			bg_stop
			return
		fi
		# the namespace dies asynchronously: the device is back in
		# init_net when its teardown is done
		if ! wait_until 120000 dl_dev_present; then
			fail "round $round: device not back in init_net 120 s after ip netns del"
			netns_race_diag
			bg_stop
			return
		fi
		note "round $round: device back in init_net after $(($(now_ms) - t0)) ms"
		progress "round $round: device back, waiting for the writers"
		bg_wait 30000 || fail "round $round: writers still running 30 s after their end"
		progress "round $round: writers done"
		if ! wait_until 10000 knobs_present; then
			fail "round $round: knobs missing after the namespace went away"
			return
		fi
		if ((round < 3)) && ! ip netns add "$NETNS"; then
			fail "cannot create the network namespace again"
			return
		fi
	done
	# the reporters, created again by the reload, work; the writers may
	# have reported to them too between the reload and their end
	errors=$(rep_field "$DL" dummy error)
	fire dummy nowait 5 || return
	wait_errors dummy $((errors + 5)) 30000
	wait_settled dummy
}

# A TEST request and the removal of its port queue up behind a slow
# recovery holding the instance lock. The test op runs under that lock:
# a report it left to a driver work item that takes the lock again would
# wait for it while the port removal, holding it, waits for that work.
# The op reports with the nowait API instead, and the removal returns.
ctx_test_op_teardown()
{
	local round hold tst n

	must_knob "$H/recover_delay_ms" 1000 || return
	for round in 1 2 3; do
		knob "$H/ports/0/break_health" "holding the lock" &
		hold=$!
		sleep 0.3
		dl health test "$DL/1" reporter port_dummy >/dev/null 2>&1 &
		tst=$!
		sleep 0.3
		if ! timeout 60 bash -c "echo 1 > $DEV_SYSFS/del_port"; then
			fail "round $round: port removal after a TEST hung"
			return
		fi
		wait "$hold" "$tst"
		# the premise: a recovery of port 0 held the lock, and ended
		if ! wait_until 10000 rep_field_is "$DL/0" port_dummy recover "$round"; then
			n=$(rep_field "$DL/0" port_dummy recover)
			fail "round $round: port 0 recovered $n times, expected $round"
			return
		fi
		if ! echo 1 > "$DEV_SYSFS/new_port" ||
		   ! wait_until 10000 test -e "$H/ports/1/report_nowait"; then
			fail "round $round: port 1 not back"
			return
		fi
	done
	# what the test op does once nothing is in its way: one report, left
	# to the core's work, dumped and recovered
	must dl health test "$DL/1" reporter port_dummy || return
	wait_until 10000 rep_field_is "$DL/1" port_dummy recover 1 ||
		fail "port 1: no recovered report 10 s after a TEST request"
	expect_rep "$DL/1" port_dummy error=1 recover=1
}

#
# Tests: burst period
#

# ynl_attrs NAME=VALUE...: ', "health-reporter-NAME": VALUE' for each
ynl_attrs()
{
	local kv

	for kv in "$@"; do
		printf ', "health-reporter-%s": %s' "${kv%%=*}" "${kv#*=}"
	done
}

# ynl_rep_json REPORTER [NAME=VALUE...]: request on a device reporter, or
# on port P's port_dummy for REPORTER "port:P"
ynl_rep_json()
{
	local rep=$1

	shift
	case $rep in
	port:*)
		ynl_id ", \"port-index\": ${rep#port:}$(ynl_attrs name='"port_dummy"' "$@")"
		;;
	*)
		ynl_id "$(ynl_attrs name="\"$rep\"" "$@")"
		;;
	esac
}

# expect_ynl REPORTER ATTR=VALUE...: in one GET, health-reporter-ATTR is
# VALUE ("absent": not in the reply)
expect_ynl()
{
	local rep=$1 out kv got

	shift
	if ! out=$(ynl --do health-reporter-get --output-json \
			--json "$(ynl_rep_json "$rep")" 2>&1); then
		fail "GET $rep: $(oneline "$out")"
		return 1
	fi
	for kv in "$@"; do
		got=$(jq -r --arg a "health-reporter-${kv%%=*}" '."health-reporter" |
			if has($a) then .[$a] | tostring else "absent" end' <<<"$out")
		[[ $got == "${kv#*=}" ]] ||
			fail "reporter $rep: ${kv%%=*} is '$got', expected '${kv#*=}'"
	done
}

# ynl_set REPORTER NAME=VALUE...
ynl_set()
{
	ynl --do health-reporter-set --json "$(ynl_rep_json "$@")"
}

# expect_set_error ERRNO_RE EXTACK_RE REPORTER NAME=VALUE...: a SET refused
# with that errno and an extack matching EXTACK_RE
expect_set_error()
{
	local errno_re=$1 extack_re=$2 out errno_text extack

	shift 2
	if out=$(ynl_set "$@" 2>&1); then
		fail "SET $*: accepted, expected $errno_re"
		return 1
	fi
	errno_text=$(sed -n 's/^Netlink error: //p' <<<"$out" | head -n1)
	extack=$(sed -n 's/^[[:space:]]*extack: //p' <<<"$out" | head -n1)
	if ! grep -qiE "^($errno_re)\$" <<<"$errno_text"; then
		fail "SET $*: errno '$errno_text', expected /$errno_re/"
	fi
	if [[ -z $extack ]] || ! grep -qiE "$extack_re" <<<"$extack"; then
		fail "SET $*: extack '$extack', expected one matching /$extack_re/"
	fi
}

burst_period_attr()
{
	# GET: shown with the other recovery attributes, on recover ops only
	expect_ynl dummy burst-period=0 graceful-period=0
	expect_ynl empty burst-period=absent
	expect_ynl noop burst-period=absent

	# no burst without a grace period, also one set to 0 in the request
	expect_set_error 'Invalid argument' grace dummy burst-period=500
	expect_set_error 'Invalid argument' grace dummy \
		graceful-period=0 burst-period=500
	# a recovery attribute on a reporter that cannot recover
	expect_set_error 'Operation not supported' recover noop burst-period=0

	must ynl_set dummy graceful-period=3000 burst-period=1000
	expect_ynl dummy graceful-period=3000 burst-period=1000
	must ynl_set dummy burst-period=2000
	expect_ynl dummy burst-period=2000

	# a refused SET changes nothing, not even its valid attributes
	expect_set_error 'Invalid argument' grace dummy \
		graceful-period=0 auto-recover=0 burst-period=7
	expect_ynl dummy graceful-period=3000 burst-period=2000 auto-recover=1

	# a grace period of 0 turns the burst period off
	must ynl_set dummy graceful-period=0
	expect_ynl dummy graceful-period=0 burst-period=0

	# port reporters, one by one
	must ynl_set port:0 graceful-period=100 burst-period=50
	expect_ynl port:0 graceful-period=100 burst-period=50
	expect_ynl port:1 burst-period=0

	# the devlink tool, which does not know the attribute, still lists
	must dl health show "$DL" reporter dummy
}

# report REASON: a synchronous report on dummy; REPORT_RC its exit code,
# REPORT_S and REPORT_T the times, in ms, before it started and after it
# returned: the kernel saw it in between.
report()
{
	REPORT_S=$(now_ms)
	knob "$H/break_health" "$1"
	REPORT_RC=$?
	REPORT_T=$(now_ms)
}

# Recoveries allowed within the burst window that the first recovery
# opens, then refused by the grace period until it ends. A report takes
# about a second on an emulated debug kernel: the periods are long, and
# every check only uses bounds of when the kernel saw each report.
burst_period_gating()
{
	local burst=6000 grace=6000 attempt t0 t1 r0 dt

	must ynl_set dummy graceful-period="$grace" burst-period="$burst" ||
		return
	for attempt in 1 2 3; do
		r0=$(rep_field "$DL" dummy recover)
		report "first of a burst"
		((REPORT_RC == 0)) || { fail "first report: $KNOB_ERR"; return; }
		# the window opened in [t0, t1]
		t0=$REPORT_S
		t1=$REPORT_T
		report "second of a burst"
		if ((REPORT_T - t0 >= burst)); then
			note "attempt $attempt: two reports took $((REPORT_T - t0)) ms"
			sleep_until $((t1 + burst + grace + 100))
			must dl health recover "$DL" reporter dummy
			continue
		fi
		((REPORT_RC == 0)) ||
			fail "report $((REPORT_T - t0)) ms into the burst window: $KNOB_ERR"
		expect_rep "$DL" dummy state=healthy recover=$((r0 + 2))

		# after the window: the grace period, counted from its end
		sleep_until $((t1 + burst + 100))
		report "after the burst window"
		dt=$((REPORT_T - t0))
		if ((dt >= burst + grace)); then
			note "report after the window came late ($dt ms)"
		elif ((REPORT_RC == 0)); then
			fail "report $dt ms into the burst, in the grace period: recovered"
		elif [[ $KNOB_ERR != "Operation canceled" ]]; then
			fail "report $dt ms into the burst, in the grace period: '$KNOB_ERR'"
		else
			expect_rep "$DL" dummy state=error recover=$((r0 + 2))
		fi
		must_knob "$H/reporters/dummy/state_update" healthy

		# after the grace period: recoveries again, in a new window
		sleep_until $((t1 + burst + grace + 100))
		report "after the grace period"
		((REPORT_RC == 0)) ||
			fail "report $((REPORT_S - t1)) ms after the burst, after grace: $KNOB_ERR"
		t0=$REPORT_S
		report "second of the new burst"
		if ((REPORT_T - t0 >= burst)); then
			note "the second report of the new burst came late"
		elif ((REPORT_RC != 0)); then
			fail "report right after a recovery that opened a new window: $KNOB_ERR"
		else
			expect_rep "$DL" dummy state=healthy recover=$((r0 + 4))
		fi
		return
	done
	skip "machine too slow to report twice within $burst ms"
}

# The "tx" reporter takes its periods from its ops, as mlx5e's tx and rx
# reporters do in later kernels (500 ms of grace, 500 ms of burst), and puts
# its stuck packet in its dump with devlink_fmsg_dump_skb().
burst_period_ops_defaults()
{
	local t0 dt rec out grace

	expect_ynl tx graceful-period=500 burst-period=500 auto-recover=1
	grace=$(rep_field "$DL" tx grace_period)
	[[ $grace == 500 ]] || fail "devlink tool: tx grace_period is '$grace', expected 500"

	# three errors in a row: the first recovery opens the burst window,
	# which recovers the other two; the grace period alone refuses them
	t0=$(now_ms)
	must_knob "$H/reporters/tx/report_count" 3 || return
	dt=$(($(now_ms) - t0))
	rec=$(rep_field "$DL" tx recover)
	if [[ $rec != 3 ]]; then
		if ((dt >= 500)); then
			skip "three reports took $dt ms, longer than the burst period"
			return
		fi
		fail "3 reports in $dt ms, inside the burst window: $rec recoveries, expected 3"
	fi

	if ! out=$(dl health dump show "$DL" reporter tx 2>&1); then
		fail "dump show tx: $(oneline "$out")"
		return
	fi
	if ! grep -q 'actual len: 64' <<<"$out" || ! grep -q 'gso_segs: 0' <<<"$out"; then
		fail "tx dump lacks the skb and shinfo pairs: $(oneline "$out")"
	fi
}

#
# Tests: kernel log lines of the core
#

# klog_lines: lines in the kernel log now; klog_since N: the lines after
# the first N. The log is not cleared: the harness reads KUnit's KTAP in it.
klog_lines()
{
	dmesg | wc -l
}

klog_since()
{
	dmesg | tail -n +$(($1 + 1))
}

# expect_klog BASE TEXT: a kernel log line after line BASE holds TEXT
expect_klog()
{
	klog_since "$1" | grep -qF -- "$2" || fail "no kernel log line with '$2'"
}

# message of netdevsim's report_nowait knob
NOWAIT_MSG="Report injected by report_nowait"

# One line per error reported and per failed recovery, naming the device,
# the port, the reporter, the message and what is done about it.
log_report_lines()
{
	local base msg port="devlink $DL port 1: health reporter port_dummy:"

	msg="log probe $RANDOM"
	base=$(klog_lines)
	must_knob "$H/ports/1/break_health" "$msg" || return
	must_knob "$H/fail_recover" 1 || return
	knob "$H/ports/1/break_health" "$msg, failing" &&
		fail "a report whose recovery fails succeeded"
	knob "$H/ports/1/break_health" "$msg, refused" &&
		fail "a report on an unrecovered reporter succeeded"
	must_knob "$H/fail_recover" 0
	must_knob "$H/reporters/dummy/report_nowait" 1

	expect_klog "$base" "$port error \"$msg\": recovering"
	expect_klog "$base" "$port error \"$msg, failing\": recovering"
	expect_klog "$base" "$port recovery failed (-22)"
	expect_klog "$base" \
		"$port error \"$msg, refused\": recovery refused (previous error not recovered)"
	expect_klog "$base" \
		"devlink $DL: health reporter dummy: error \"$NOWAIT_MSG\": recovery queued"
}

# klog_has_suppressed BASE: the rate limit told how many lines it dropped
klog_has_suppressed()
{
	klog_since "$1" | grep -qE 'health reporter port_dummy: [0-9]+ log lines suppressed'
}

# A storm of reports gives at most 10 lines a reporter every 5 s, then a
# count of the lines suppressed.
log_rate_limited()
{
	local base t0 t1 n max port="devlink $DL port 0: health reporter port_dummy:"

	base=$(klog_lines)
	t0=$(now_ms)
	must_knob "$H/ports/0/report_nowait" 1000 || return
	t1=$(now_ms)
	n=$(klog_since "$base" | grep -cF "$port error")
	# the windows of 5 s the storm may have touched
	max=$((10 * ((t1 - t0) / 5000 + 2)))
	((n >= 1 && n <= max)) ||
		fail "$n log lines for 1000 reports in $((t1 - t0)) ms, expected 1 to $max"
	note "$n log lines for 1000 reports in $((t1 - t0)) ms"

	# once the window is over, the next line comes after the count
	sleep_until $((t1 + 5200))
	must_knob "$H/ports/0/report_nowait" 1 || return
	wait_until 5000 klog_has_suppressed "$base" ||
		fail "no 'log lines suppressed' line after the storm"
}

#
# Runner
#

cleanup()
{
	ynl_server_stop
	bg_stop
	dev_destroy
	ip netns del "$NETNS" 2>/dev/null
}

prerequisites()
{
	check_prerequisites devlink ip jq timeout "$PYTHON" && check_ynl
}

main()
{
	KSRC=${KSRC:-$(find_ksrc)}
	prerequisites_or_skip devlink_health_context
	trap cleanup EXIT
	trap 'exit 1' INT TERM
	ynl_server_start

	run_tests
	exit $EXIT_STATUS
}

main "$@"
