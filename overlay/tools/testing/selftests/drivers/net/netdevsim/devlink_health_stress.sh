#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# shellcheck disable=SC2317 # functions are invoked indirectly
#
# Load on the devlink health core, all at once for STRESS_SECONDS (60):
#
#   - reports from every CPU: on each CPU, one writer per reporter of
#     device A (dummy, empty, noop, and port_dummy of ports 0-3), pinned
#     with taskset, writing netdevsim's report_count and break_health
#     knobs; each writer counts the reports it made;
#   - netlink loops of our raw client (devlink_health_nl, built by the
#     Makefile): GET, SET, RECOVER, DIAGNOSE, DUMP_GET, DUMP_CLEAR and listings
#     on A's reporters, TEST on device B's, and the same on the reporters
#     that come and go below, where "no such device/reporter" is expected;
#   - a listener on the devlink notification group;
#   - port reporters created and destroyed: ports of device C added and
#     deleted, each new port reported on (by the churner itself, so that no
#     report is in flight when its port goes), its count checked on one new
#     port in four;
#   - device D deleted and re-created;
#   - device E moved into a new network namespace (devlink dev reload
#     netns) and the namespace deleted, which moves E back.
#
# Netdevsim tears reporters down under the devlink instance lock that a
# report in flight waits for, so nothing reports on a reporter that is
# being destroyed: knob writers only on A, TEST only on B, and neither is
# deleted while loaded (see nsim_health_rep_release()). TEST counts as a
# report in flight: netdevsim's test op queues a work item that reports,
# and teardown cancels it, waiting, under the instance lock; lockdep flags
# the inversion and a running one deadlocks. STRESS_TEST_VOLATILE=1 sends
# TEST to the reporters being destroyed too, to show it.
#
# Pass: every job ends in time, no netlink answer is off its contract, and
# the counters add up: for each reporter of A (which lives throughout) the
# error count is the number of reports the writers made, recoveries never
# outnumber errors, reporters without recover op never recover, B's error
# count is at most the TESTs that succeeded. The load held is printed per
# operation kind ("load ..." lines). Splats and leaks are the harness' to
# catch (dmesg, kmemleak).
#
# Output: "TEST: <name>  [ OK ]|[FAIL]|[SKIP]", details indented.

# shellcheck source-path=SCRIPTDIR source=devlink_health_lib.sh
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/devlink_health_lib.sh" || exit 1

SECS=${STRESS_SECONDS:-60}
# STRESS_TEST_VOLATILE=1: TEST on the reporters being destroyed too (see
# above: expect a lockdep splat, maybe a deadlock, until netdevsim's
# teardown stops waiting for its test work under the instance lock)
TEST_VOLATILE=${STRESS_TEST_VOLATILE:-0}
ID_A=${NSIM_ID:-4751}
ID_B=$((ID_A + 1))
ID_C=$((ID_A + 2))
ID_D=$((ID_A + 3))
ID_E=$((ID_A + 4))
NSIM_BUS=/sys/bus/netdevsim
DBG=/sys/kernel/debug/netdevsim
SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# Niceness of the knob writers and netlink loops (STRESS_LOAD_NICE), to
# give the churners more of a small guest's CPU; 0 by default: on the
# 1-CPU lab guest, nice 10 cut the reports fivefold and did not speed the
# churn up (its steps are slow in themselves under TCG and KASAN).
LOAD_NICE=${STRESS_LOAD_NICE:-0}
A_PORTS=4
C_CHURN_FIRST=10
C_CHURN_LAST=17
# the messages of passed phases too: the load they held
PASS_MSGS=1

NL=
TMP=
PIDS=()
NETNS_PREFIX=dhstress$$

# report NAME: the outcome of a phase of the one run, then a clean slate
# for the next phase
report()
{
	result "$1"
	test_begin
}

now()
{
	printf '%(%s)T' -1
}

# Time the steps of a churner: "tick" before, "tock NAME" after a step;
# tock_summary prints "NAME n N avg A ms max M ms" for each step.
declare -A T_SUM T_MAX T_N
T0=

tick()
{
	T0=${EPOCHREALTIME/./}
}

tock()
{
	local dt=$(((${EPOCHREALTIME/./} - T0) / 1000))

	T_SUM[$1]=$((${T_SUM[$1]:-0} + dt))
	T_N[$1]=$((${T_N[$1]:-0} + 1))
	((dt > ${T_MAX[$1]:-0})) && T_MAX[$1]=$dt
}

tock_summary()
{
	local k

	for k in "${!T_N[@]}"; do
		printf '%s %d avg %d ms max %d ms; ' "$k" "${T_N[$k]}" \
			$((T_SUM[$k] / T_N[$k])) "${T_MAX[$k]}"
	done
}

dev_name()
{
	echo "netdevsim$1"
}

health_dir()
{
	echo "$DBG/netdevsim$1/health"
}

# dev_wait ID SECONDS: until the device and its dummy reporter show up
dev_wait()
{
	local i

	for ((i = 0; i < $2 * 10; i++)); do
		"$NL" get -d "$(dev_name "$1")" -r dummy >/dev/null 2>&1 && return 0
		sleep 0.1
	done
	return 1
}

dev_id_create()
{
	echo "$1 $2" > "$NSIM_BUS/new_device" && dev_wait "$1" 30
}

dev_id_destroy()
{
	[[ -e $NSIM_BUS/devices/netdevsim$1 ]] &&
		echo "$1" > "$NSIM_BUS/del_device"
}

bg()
{
	"$@" &
	PIDS+=($!)
}

#
# Jobs
#

# writer KNOB_DIR CPU OUT END: report on one reporter from one CPU until
# END; OUT gets the number of reports made
writer()
{
	local dir=$1 cpu=$2 out=$3 end=$4 n=0 i=0 lost=0 key val

	# pinned by start_jobs() before the fork: check, without a process
	while read -r key val; do
		[[ $key == Cpus_allowed_list: ]] && break
	done < "/proc/$BASHPID/status"
	[[ $val == "$cpu" ]] || echo "not pinned to CPU $cpu: $val" > "$out.err"
	((LOAD_NICE)) && renice -n "$LOAD_NICE" -p "$BASHPID" >/dev/null 2>&1
	while (($(now) < end)); do
		if ((i++ % 4)); then
			# a report_count write returns once all are made
			if echo 8 > "$dir/report_count"; then
				n=$((n + 8))
			else
				lost=1
			fi
		else
			# counted whatever the recovery outcome
			echo "cpu $cpu" > "$dir/break_health" 2>/dev/null
			n=$((n + 1))
		fi
	done
	((lost)) && echo "a report_count write failed: count unknown" >> "$out.err"
	echo "$n" > "$out"
}

# churn_ports END OUT: add and delete C's ports, report on each new one
churn_ports()
{
	local end=$1 out=$2 dev h p adds=0 dels=0 reports=0 st
	local sys=$NSIM_BUS/devices/netdevsim$ID_C

	dev=$(dev_name "$ID_C")
	h=$(health_dir "$ID_C")
	while (($(now) < end)); do
		p=$((C_CHURN_FIRST + (adds + dels) % (C_CHURN_LAST - C_CHURN_FIRST + 1)))
		if [[ -d $h/ports/$p ]]; then
			tick
			echo "$p" > "$sys/del_port" || echo "del_port $p failed" >> "$out.err"
			tock del_port
			dels=$((dels + 1))
			continue
		fi
		tick
		echo "$p" > "$sys/new_port" || { echo "new_port $p failed" >> "$out.err"; break; }
		tock new_port
		adds=$((adds + 1))
		tick
		echo 3 > "$h/ports/$p/report_count" || echo "report on port $p failed" >> "$out.err"
		tock report_3
		reports=$((reports + 3))
		# a process start costs seconds under load: check one port in 4
		((adds % 4 == 1)) || continue
		st=$("$NL" get -d "$dev" -p "$p" -r port_dummy)
		[[ $(field "$st" error) == 3 ]] ||
			echo "new port $p after 3 reports: $st" >> "$out.err"
	done
	echo "adds $adds dels $dels reports $reports; $(tock_summary)" > "$out"
}

# churn_device END OUT: delete and re-create device D
churn_device()
{
	local end=$1 out=$2 n=0

	while (($(now) < end)); do
		tick
		echo "$ID_D" > "$NSIM_BUS/del_device" || echo "del_device failed" >> "$out.err"
		tock del_device
		tick
		echo "$ID_D 2" > "$NSIM_BUS/new_device" ||
			{ echo "new_device failed" >> "$out.err"; break; }
		tock new_device
		n=$((n + 1))
	done
	echo "cycles $n; $(tock_summary)" > "$out"
}

# churn_netns END OUT: reload device E into a new namespace, delete it
churn_netns()
{
	local end=$1 out=$2 n=0 seen=0 ns dl i

	dl=netdevsim/$(dev_name "$ID_E")
	while (($(now) < end)); do
		ns=$NETNS_PREFIX-$n
		tick
		ip netns add "$ns" || { echo "ip netns add failed" >> "$out.err"; break; }
		tock netns_add
		tick
		if ! devlink dev reload "$dl" netns "$ns" >/dev/null 2>>"$out.err"; then
			echo "reload into $ns failed" >> "$out.err"
			ip netns del "$ns"
			break
		fi
		tock reload
		# E's reporters are there, in the new namespace only
		if ((n % 2 == 0)); then
			ip netns exec "$ns" devlink health show "$dl" reporter dummy \
				>/dev/null 2>>"$out.err" && seen=$((seen + 1))
		fi
		tick
		ip netns del "$ns"
		n=$((n + 1))
		# the namespace's exit moves E back to init_net
		for ((i = 0; i < 300; i++)); do
			"$NL" get -d "$(dev_name "$ID_E")" -r dummy >/dev/null 2>&1 && break
			sleep 0.1
		done
		tock netns_del_until_back
		((i < 300)) || { echo "E not back from $ns in 30 s" >> "$out.err"; break; }
	done
	echo "reloads $n netns-deleted $n seen-in-netns $seen; $(tock_summary)" > "$out"
}

# nl_loop LABEL CLIENT-ARGS...: one netlink loop of the client
nl_loop()
{
	local label=$1

	shift
	# the client ends on its own after SECS (each answer waited for 20 s
	# at most) and wait_jobs() catches a stuck one: no timeout(1) process
	if ((LOAD_NICE)); then
		nice -n "$LOAD_NICE" "$NL" stress -l "$label" -s "$SECS" "$@"
	else
		"$NL" stress -l "$label" -s "$SECS" "$@"
	fi > "$TMP/nl.$label" 2>&1
	echo "rc $?" >> "$TMP/nl.$label"
}

start_jobs()
{
	local end=$1 cpu r p key cpus
	local all=get,setar,recover,diagnose,dumpget,dumpclear
	local vol=ENODEV,EINVAL
	local vtest=''
	local a=netdevsim$ID_A b=netdevsim$ID_B c=netdevsim$ID_C
	local d=netdevsim$ID_D e=netdevsim$ID_E ha=$DBG/netdevsim$ID_A/health

	# Forking under load is slow: the churners, the rarest events, first.
	bg churn_ports "$end" "$TMP/churn.ports"
	bg churn_device "$end" "$TMP/churn.device"
	bg churn_netns "$end" "$TMP/churn.netns"

	# Writers next, pinned: the shell pins itself to each CPU in turn so
	# that the writers forked meanwhile inherit the affinity (one process
	# started per CPU, not one per writer).
	while read -r key cpus; do
		[[ $key == Cpus_allowed_list: ]] && break
	done < "/proc/$BASHPID/status"
	for cpu in $(cpu_list "$cpus"); do
		taskset -pc "$cpu" "$BASHPID" >/dev/null
		for r in dummy empty noop; do
			bg writer "$ha/reporters/$r" "$cpu" "$TMP/w.$r.$cpu" "$end"
		done
		for ((p = 0; p < A_PORTS; p++)); do
			bg writer "$ha/ports/$p" "$cpu" "$TMP/w.p$p.$cpu" "$end"
		done
	done
	taskset -pc "$cpus" "$BASHPID" >/dev/null

	bg "$NL" monitor -s $((SECS + 5)) > "$TMP/monitor" 2>&1

	((TEST_VOLATILE)) && vtest=,test
	bg nl_loop A.dummy -d "$a" -r dummy -o "$all,setad,listdev"
	bg nl_loop A.empty -d "$a" -r empty \
		-o get,setad,diagnose,dumpget,dumpclear,recover -a EOPNOTSUPP
	bg nl_loop A.noop -d "$a" -r noop -o get,recover,diagnose -a EOPNOTSUPP
	bg nl_loop A.ports -d "$a" -R 0-$((A_PORTS - 1)) -r port_dummy -o "$all"
	bg nl_loop B.test -d "$b" -r dummy -o test,get
	bg nl_loop B.porttest -d "$b" -p 0 -r port_dummy -o test,get
	bg nl_loop C.churned -d "$c" -R "$C_CHURN_FIRST-$C_CHURN_LAST" \
		-r port_dummy -o "$all$vtest" -a "$vol"
	bg nl_loop D.deleted -d "$d" -r dummy -o "$all$vtest" -a "$vol"
	bg nl_loop D.port -d "$d" -p 1 -r port_dummy -o "$all" -a "$vol"
	bg nl_loop E.netns -d "$e" -r dummy -o "$all$vtest" -a "$vol"
	bg nl_loop all.list -o list
}

# cpu_list LIST: the CPUs of a list like "0-3,6", one per word
cpu_list()
{
	local part

	for part in ${1//,/ }; do
		if [[ $part == *-* ]]; then
			seq "${part%-*}" "${part#*-}"
		else
			echo "$part"
		fi
	done
}

# wait_jobs SECONDS: wait for every job, SECONDS at most; 1 if some hang
# (a task stuck in the kernel cannot be killed: leave it, the harness'
# hung task detector and kernel log tell the rest)
wait_jobs()
{
	local limit=$(($(now) + $1)) pid left
	local -a stuck=()

	while (($(now) < limit)); do
		left=0
		for pid in "${PIDS[@]}"; do
			kill -0 "$pid" 2>/dev/null && left=$((left + 1))
		done
		((left == 0)) && break
		sleep 1
	done
	for pid in "${PIDS[@]}"; do
		if kill -0 "$pid" 2>/dev/null; then
			fail "job $pid still running $1 s after the end: $(job_info "$pid")"
			kill "$pid" 2>/dev/null
			stuck+=("$pid")
		else
			wait "$pid" 2>/dev/null
		fi
	done
	PIDS=("${stuck[@]}")
	((RET == 0))
}

# job_info PID: command line and kernel stacks of a job and its children
job_info()
{
	local pid t

	for pid in "$1" $(pgrep -P "$1" 2>/dev/null); do
		printf '[%s: %s; ' "$pid" \
			"$(tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null | cut -c1-100)"
		for t in /proc/"$pid"/task/*; do
			printf '%s ' "$(tr '\n' ' ' < "$t/stack" 2>/dev/null | cut -c1-400)"
		done
		printf '] '
	done
}

#
# Checks
#

sum_files()
{
	local total=0 f

	for f in "$@"; do
		[[ -s $f ]] || { echo "missing"; return 1; }
		total=$((total + $(cat "$f")))
	done
	echo "$total"
}

check_a_counters()
{
	local a r p want st got rec errs

	a=$(dev_name "$ID_A")
	errs=$(cat "$TMP"/w.*.err 2>/dev/null)
	[[ -z $errs ]] || fail "writers: $(tr '\n' ' ' <<<"$errs" | cut -c1-300)"
	for r in dummy empty noop p0 p1 p2 p3; do
		if ! want=$(sum_files "$TMP"/w."$r".*); then
			fail "$r: a writer left no count"
			continue
		fi
		if [[ $r == p? ]]; then
			st=$("$NL" get -d "$a" -p "${r#p}" -r port_dummy)
		else
			st=$("$NL" get -d "$a" -r "$r")
		fi
		got=$(field "$st" error)
		rec=$(field "$st" recover)
		if [[ $got != "$want" ]]; then
			fail "A $r: error count $got, reports made $want ($st)"
		else
			note "A $r: $got reports made and counted, $rec recoveries"
		fi
		[[ -n $rec && -n $got ]] && ((rec > got)) &&
			fail "A $r: $rec recoveries for $got errors"
		if [[ $r == empty || $r == noop ]] && [[ $rec != 0 ]]; then
			fail "A $r has no recover op but counts $rec recoveries"
		fi
	done
}

check_b_counters()
{
	local b st errs tests

	b=$(dev_name "$ID_B")
	# the TEST reports come from a work item: let the last ones land
	sleep 2
	st=$("$NL" get -d "$b" -r dummy)
	errs=$(field "$st" error)
	tests=$(awk '$1 == "load" && $3 == "test" { print $11 }' "$TMP/nl.B.test")
	if [[ -z $errs || -z $tests ]]; then
		fail "B: no figures ($st / tests '$tests')"
	elif ((errs > tests || (tests > 0 && errs == 0))); then
		fail "B dummy: $errs reports from $tests successful TESTs"
	else
		note "B dummy: $tests TESTs succeeded, $errs reports (pending ones fold)"
	fi
}

check_loops()
{
	local f label

	for f in "$TMP"/nl.*; do
		label=${f##*/nl.}
		grep -q '^rc 0$' "$f" && continue
		fail "netlink loop $label: $(grep -v '^load' "$f" | tr '\n' ' ' | cut -c1-400)"
	done
}

check_churn()
{
	local f

	for f in "$TMP"/churn.ports "$TMP"/churn.device "$TMP"/churn.netns; do
		[[ -s $f.err ]] && fail "${f##*/}: $(tr '\n' ' ' < "$f.err" | cut -c1-300)"
		[[ -s $f ]] || fail "${f##*/} left no figures"
	done
	grep -q 'adds [1-9]' "$TMP/churn.ports" || fail "no port was churned"
	grep -q 'cycles [1-9]' "$TMP/churn.device" || fail "device D was not churned"
	grep -q 'reloads [1-9]' "$TMP/churn.netns" || fail "device E never changed namespace"
}

# print_load: the load held, per operation kind, as plain lines
print_load()
{
	local reports=0 f rate

	for f in "$TMP"/w.*; do
		[[ $f == *.err ]] || reports=$((reports + $(cat "$f")))
	done
	rate=$(awk -v n="$reports" -v s="$SECS" 'BEGIN { printf "%.1f", n / s }')
	echo "load reports (knob writers on $(nproc) CPUs) $reports in $SECS s = $rate/s"
	cat "$TMP"/nl.* | grep '^load' | awk -v secs="$SECS" '
		{ n[$3] += $4; ok[$3] += $11; ref[$3] += $13 }
		END {
			for (op in n)
				printf "load total %s %d in %d s = %.1f/s " \
				       "(ok %d, expected refusals %d)\n",
				       op, n[op], secs, n[op] / secs, ok[op], ref[op]
		}' | sort
	grep -h '^load monitor' "$TMP/monitor"
	for f in ports device netns; do
		echo "load churn $f: $(cat "$TMP/churn.$f" 2>/dev/null) in $SECS s"
	done
	cat "$TMP"/nl.* | grep '^load'
}

check_usable()
{
	local id d st e

	for id in "$ID_A" "$ID_B" "$ID_C" "$ID_D" "$ID_E"; do
		d=$(dev_name "$id")
		dev_wait "$id" 30 || { fail "$d is gone"; continue; }
		"$NL" op -d "$d" -r dummy -o diagnose >/dev/null ||
			fail "$d: DIAGNOSE after the load failed"
		"$NL" op -d "$d" -r dummy -o dumpget >/dev/null ||
			fail "$d: DUMP_GET after the load failed"
	done
	d=$(dev_name "$ID_A")
	st=$("$NL" get -d "$d" -r dummy)
	e=$(field "$st" error)
	echo 1 > "$(health_dir "$ID_A")/reporters/dummy/report_count"
	st=$("$NL" get -d "$d" -r dummy)
	[[ $(field "$st" error) == $((e + 1)) ]] ||
		fail "A dummy: one more report made error count '$(field "$st" error)' from $e"
}

#
# Runner
#

cleanup()
{
	local pid ns id

	for pid in "${PIDS[@]}"; do
		kill "$pid" 2>/dev/null
	done
	for ns in $(ip netns list 2>/dev/null | awk '{ print $1 }' | grep "^$NETNS_PREFIX-"); do
		ip netns del "$ns"
	done
	for id in "$ID_A" "$ID_B" "$ID_C" "$ID_D" "$ID_E"; do
		dev_id_destroy "$id"
	done
	[[ -n $TMP && -d $TMP ]] && rm -rf "$TMP"
}

prerequisites()
{
	check_prerequisites devlink ip taskset nproc nice renice || return 1
	find_client || { echo "$NL_MISSING"; return 1; }
}

main()
{
	local end id

	prerequisites_or_skip devlink_health_stress
	find_client
	TMP=$(mktemp -d) || exit 1
	trap cleanup EXIT
	trap 'exit 1' INT TERM

	for id in "$ID_A" "$ID_B" "$ID_C" "$ID_D" "$ID_E"; do
		dev_id_destroy "$id"
	done
	if ! dev_id_create "$ID_A" "$A_PORTS" || ! dev_id_create "$ID_B" 2 ||
	   ! dev_id_create "$ID_C" 1 || ! dev_id_create "$ID_D" 2 ||
	   ! dev_id_create "$ID_E" 2; then
		fail "cannot create the netdevsim devices"
	fi
	# A's dumps span a few netlink messages
	echo 200 > "$(health_dir "$ID_A")/dump_elems" || fail "dump_elems"
	if ((RET)); then
		report stress_setup
		exit 1
	fi

	end=$(($(now) + SECS))
	start_jobs "$end"
	note "${#PIDS[@]} jobs started in $((SECS - (end - $(now)))) s on $(nproc) CPU(s)"
	wait_jobs 150 || true
	report stress_jobs_finished

	print_load

	check_loops
	report stress_netlink_answers_on_contract

	check_a_counters
	check_b_counters
	report stress_counters_consistent

	check_churn
	report stress_churn_clean

	check_usable
	report stress_reporters_usable_after

	exit $EXIT_STATUS
}

main "$@"
