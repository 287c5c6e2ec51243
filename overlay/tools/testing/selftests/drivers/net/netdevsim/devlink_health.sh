#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# shellcheck disable=SC2317 # tests and their helpers are invoked indirectly
#
# End-to-end test of the devlink health core, driven through the health
# reporters of netdevsim and their debugfs knobs (see the header of
# drivers/net/netdevsim/health.c for the knobs).
#
# Each test gets a fresh netdevsim device (id $NSIM_ID, $PORT_COUNT ports)
# and deletes it when done. Needs root, netdevsim, debugfs, iproute2's
# devlink, jq, python3 with PyYAML, and a kernel source tree for the YNL CLI
# and the devlink spec: $KSRC, by default the tree holding this script.
#
# Output: one line per test, "TEST: <name>  [ OK ]", "[FAIL]" or "[SKIP]",
# details indented below it. Exit status: 0 when no test failed, 1 when one
# did, 4 (kselftest skip) when a prerequisite is missing.
#
# TESTS="name ..." runs a subset, VERBOSE=1 prints details of passed tests.

# Expected failures: errno as strerror(3) prints it, and a keyword the extack
# message must match (both extended regular expressions, case-insensitive).
# The health core words its own messages: align the keywords here. Through
# YNL, an extack that only names the missing attribute ({'miss-type':
# 'health-reporter-name'}) counts as a message.
#
#   case                     errno                               extack keyword
EXPECTED_ERRORS='
    unknown_reporter         Invalid argument                    reporter|not found|no such
    missing_name             Invalid argument                    reporter|name
    port_gone                Invalid argument|No such device     reporter|port|not found
    set_without_recover      Operation not supported             grace|recover
    set_without_dump         Operation not supported             dump
    recover_without_op       Operation not supported             recover
    diagnose_without_op      Operation not supported             diagnose
    dump_without_op          Operation not supported             dump
    test_without_op          Operation not supported             test
    dump_trampled            Resource temporarily unavailable    trampl|retry|changed|again
    injected_recover         Invalid argument                    fail_recover
    injected_dump            Input/output error                  fail_dump
    injected_diagnose        Input/output error                  fail_diagnose
    injected_test            Device or resource busy             fail_test
'

ALL_TESTS="
	health_show_all
	health_show_one
	health_set
	health_recover
	health_diagnose
	health_dump_show
	health_dump_clear
	health_dump_kept_until_clear
	health_test_cmd
	health_auto_recover
	health_auto_dump_off
	health_dump_timestamps
	health_grace_period_blocks_auto_recover
	health_grace_period_expiry_allows_auto_recover
	health_recover_failure
	health_slow_recovery
	health_dump_failure
	health_diagnose_failure
	health_test_failure
	health_driver_recovery_done
	health_driver_state_update
	health_report_count
	err_unknown_reporter
	err_missing_reporter_name
	err_set_recover_attrs_without_recover_op
	err_set_auto_dump_without_dump_op
	err_recover_without_op
	err_diagnose_without_op
	err_dump_without_op
	err_test_without_op
	port_reporters_listed
	port_report_isolated
	port_recover
	port_dump_diagnose
	port_test_cmd
	port_reporter_lifecycle
	port_reporters_removed_while_listed
	notifications_in_order
	dump_large_read_consistent
	dump_trampled_by_clear
	dump_trampled_by_new_dump
	upstream_dummy_reporter
	upstream_binary_len
	reply_diagnose_binary
	reply_dump_binary
	reply_diagnose_items
	reply_dump_items
	reply_diagnose_fits_4k
	nesting_6_12_sent_warned_once
"

# shellcheck source-path=SCRIPTDIR source=devlink_health_lib.sh
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/devlink_health_lib.sh" || exit 1

NSIM_ID=${NSIM_ID:-1337}
PORT_COUNT=2
DEV=netdevsim$NSIM_ID
DL=netdevsim/$DEV
NSIM_BUS=/sys/bus/netdevsim
DEV_SYSFS=$NSIM_BUS/devices/$DEV
H=/sys/kernel/debug/netdevsim/$DEV/health
CMD_TIMEOUT=${CMD_TIMEOUT:-30}
PYTHON=${PYTHON:-python3}
SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

# Messages of netdevsim's own reports (drivers/net/netdevsim/health.c).

declare -A EXP_ERRNO EXP_EXTACK
TMP=
# the raw generic netlink helper, installed next to this script
HELPER=$SCRIPT_DIR/devlink_health_helper.py

#
# Plumbing
#

load_expected_errors()
{
	local line

	while read -r line; do
		[[ -z $line ]] && continue
		# Columns are separated by two spaces or more, words by one.
		if [[ ! $line =~ ^([^ ]+)\ {2,}([^ ]+( [^ ]+)*)\ {2,}([^ ]+( [^ ]+)*)$ ]]; then
			echo "# bad line in EXPECTED_ERRORS: $line"
			continue
		fi
		EXP_ERRNO[${BASH_REMATCH[1]}]=${BASH_REMATCH[2]}
		EXP_EXTACK[${BASH_REMATCH[1]}]=${BASH_REMATCH[4]}
	done <<<"$EXPECTED_ERRORS"
}

# Raw generic netlink helper, devlink_health_helper.py (dumps read message
# by message, fmsg decoding, listing loops); its own socket timeout bounds
# every receive.
nlh()
{
	local secs=$1

	shift
	PYTHONDONTWRITEBYTECODE=1 timeout "$secs" "$PYTHON" "$HELPER" \
		--ksrc "$KSRC" --spec-cache "$TMP/devlink_nums.json" \
		--dev "$DEV" "$@"
}

#
# Device
#

dev_create()
{
	local p

	if ! echo "$NSIM_ID $PORT_COUNT" > "$NSIM_BUS/new_device"; then
		fail "cannot create netdevsim device $NSIM_ID"
		return 1
	fi
	DEV_CREATED=1
	if ! wait_until 10000 dl_dev_present; then
		fail "devlink instance $DL did not show up"
		return 1
	fi
	for p in $(seq 0 $((PORT_COUNT - 1))); do
		if ! wait_until 10000 test -d "$H/ports/$p"; then
			fail "$H/ports/$p did not show up"
			return 1
		fi
	done
}

port_add()
{
	echo "$1" > "$DEV_SYSFS/new_port"
}

port_del()
{
	echo "$1" > "$DEV_SYSFS/del_port"
}

#
# Reporter state, as the devlink tool shows it
#

# rep_show HANDLE REPORTER: the reporter as a compact JSON object
rep_show()
{
	local out

	out=$(dl -j health show "$1" reporter "$2" 2>&1) || return 1
	jq -ce '[.health[][]] | .[0]' <<<"$out"
}

rep_field_is()
{
	[[ $(rep_field "$1" "$2" "$3") == "$4" ]]
}

# expect_rep HANDLE REPORTER FIELD=VALUE...: VALUE "present" matches any value
expect_rep()
{
	local handle=$1 name=$2 j kv f want got rc=0
	local -a fields=()
	local -A shown=()

	shift 2
	for kv in "$@"; do
		fields+=("${kv%%=*}")
	done
	# one jq for all fields, as jq is the costliest process the tests
	# start: "field=value" lines, value "absent" if not shown
	if ! j=$(dl -j health show "$handle" reporter "$name" 2>&1) ||
	   ! j=$(jq -er '[.health[][]] | .[0] // error("no reporter") |
		. as $o | $ARGS.positional[] | . as $f |
		"\($f)=\(if ($o | has($f)) then ($o[$f] | tostring) else "absent" end)"' \
		--args "${fields[@]}" <<<"$j"); then
		fail "cannot show $handle reporter $name"
		return 1
	fi
	while IFS= read -r kv; do
		shown[${kv%%=*}]=${kv#*=}
	done <<<"$j"
	for kv in "$@"; do
		f=${kv%%=*}
		want=${kv#*=}
		got=${shown[$f]-absent}
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

# jq_expect JSON FILTER WHAT: FILTER must be true on JSON
jq_expect()
{
	jq -e "$2" <<<"$1" >/dev/null 2>&1 && return 0
	fail "$3: '$2' does not hold on $(oneline "$1")"
	return 1
}

#
# Error checks
#

# check_error CASE WHAT ERRNO_TEXT EXTACK_TEXT
check_error()
{
	local case=$1 what=$2 errno_text=$3 extack=$4
	local errno_re=${EXP_ERRNO[$1]} extack_re=${EXP_EXTACK[$1]}

	if [[ -z $errno_re ]]; then
		fail "$what: no expected error '$case' in the table"
		return 1
	fi
	if ! matches_i "$errno_text" "^($errno_re)\$"; then
		fail "$what: errno '$errno_text', expected /$errno_re/"
	fi
	if [[ -z $extack ]]; then
		fail "$what: no extack message, expected one matching /$extack_re/"
	elif ! matches_i "$extack" "$extack_re"; then
		fail "$what: extack '$extack' does not match /$extack_re/"
	fi
}

# matches_i TEXT ERE: TEXT matches ERE, ignoring case, as grep -qiE on one
# line but without starting a process (the error tests check many
# messages, and processes are slow to start in an emulated debug guest)
matches_i()
{
	local rc

	shopt -s nocasematch
	[[ $1 =~ $2 ]]
	rc=$?
	shopt -u nocasematch
	return "$rc"
}

# parse_dl_error OUTPUT: extack and errno_text (the caller's locals) from
# the first "Error: <extack>." line and the first "... answers: <errno>"
# line of what the devlink tool printed
parse_dl_error()
{
	local line

	extack=
	errno_text=
	while IFS= read -r line; do
		if [[ -z $extack && $line == "Error: "* ]]; then
			extack=${line#Error: }
			extack=${extack%.}
		fi
		if [[ -z $errno_text && $line == *" answers: "* ]]; then
			errno_text=${line##* answers: }
		fi
	done <<<"$1"
}

# parse_ynl_error OUTPUT: the same from the YNL CLI's "Netlink error:
# <strerror>" line and its "extack: {...}" line
parse_ynl_error()
{
	local line

	extack=
	errno_text=
	while IFS= read -r line; do
		if [[ -z $errno_text && $line == "Netlink error: "* ]]; then
			errno_text=${line#Netlink error: }
		fi
		line=${line#"${line%%[![:space:]]*}"}
		if [[ -z $extack && $line == "extack: "* ]]; then
			extack=${line#extack: }
		fi
	done <<<"$1"
}

# expect_dl_error CASE DEVLINK-ARGS...: the devlink tool must fail with the
# errno and extack of CASE ("Error: <extack>." and "... answers: <errno>")
expect_dl_error()
{
	local case=$1 out extack errno_text

	shift
	if out=$(dl "$@" 2>&1); then
		fail "devlink $*: succeeded, expected $case"
		return 1
	fi
	parse_dl_error "$out"
	check_error "$case" "devlink $*" "$errno_text" "$extack"
}

# expect_ynl_error CASE YNL-ARGS...: same through the YNL CLI, whose error
# output is "Netlink error: <strerror>" then an "extack: {...}" line (the
# extack may also name the missing attribute instead of carrying a message)
expect_ynl_error()
{
	local case=$1 out extack errno_text

	shift
	if out=$(ynl "$@" 2>&1); then
		fail "ynl $*: succeeded, expected $case"
		return 1
	fi
	parse_ynl_error "$out"
	if [[ -z $errno_text ]]; then
		fail "ynl $*: no netlink error in: $(oneline "$out")"
		return 1
	fi
	check_error "$case" "ynl $*" "$errno_text" "$extack"
}

# expect_dump_error CASE HELPER-ARGS...: a dump read by the raw helper must
# fail with the errno and extack of CASE (carried by NLMSG_DONE)
expect_dump_error()
{
	local case=$1 out

	shift
	out=$(nlh 60 dump "$@")
	if [[ $(jq -r '.ok' <<<"$out" 2>/dev/null) != false ]] ||
	   [[ $(jq -r 'has("errno")' <<<"$out") != true ]]; then
		fail "dump $*: expected $case, got $(oneline "$out")"
		return 1
	fi
	check_error "$case" "dump $*" "$(jq -r '.strerror' <<<"$out")" \
		"$(jq -r '.extack // empty' <<<"$out")"
}

# ynl_rep REPORTER: health-reporter-get reply as JSON (dump timestamps)
ynl_rep()
{
	ynl --do health-reporter-get --output-json \
		--json "$(ynl_id ", \"health-reporter-name\": \"$1\"")"
}

#
# Tests: commands and attributes
#

health_show_all()
{
	local out got want p

	want=$({
		printf '%s\n' "$DL dummy" "$DL empty" "$DL noop" "$DL tx"
		for p in $(seq 0 $((PORT_COUNT - 1))); do
			echo "$DL/$p port_dummy"
		done
	} | sort)
	# What the kernel sends, port index included, read with YNL: the
	# devlink tool of iproute2 6.1 files port 0's reporters under the
	# device handle in JSON (its arr_last.port_index starts at 0), so
	# it cannot tell a port 0 reporter from a device one.
	if ! out=$(ynl --dump health-reporter-get --output-json \
			--json "$(ynl_id)" 2>&1); then
		fail "YNL health-reporter-get dump: $(oneline "$out")"
		return
	fi
	got=$(jq -r --arg dl "$DL" '.[] | $dl
		+ (if has("port-index") then "/\(.["port-index"])" else "" end)
		+ " " + .["health-reporter"]["health-reporter-name"]' <<<"$out" | sort)
	[[ $got == "$want" ]] ||
		fail "YNL listing: got [$(oneline "$got")], expected [$(oneline "$want")]"
	# The tool must list the same reporters (names), whatever its grouping.
	if ! out=$(dl -j health show 2>&1); then
		fail "devlink health show: $(oneline "$out")"
		return
	fi
	got=$(jq -r --arg dl "$DL" '.health | to_entries[]
		| select(.key == $dl or (.key | startswith($dl + "/")))
		| .value[] | .reporter' <<<"$out" | sort)
	want=$(awk '{ print $2 }' <<<"$want" | sort)
	[[ $got == "$want" ]] ||
		fail "devlink tool listing: got [$(oneline "$got")], expected [$(oneline "$want")]"
}

health_show_one()
{
	expect_rep "$DL" dummy state=healthy error=0 recover=0 grace_period=0 \
		auto_recover=true auto_dump=true last_dump_date=absent \
		last_dump_time=absent
	expect_rep "$DL" empty state=healthy error=0 recover=0 \
		grace_period=absent auto_recover=absent auto_dump=true
	expect_rep "$DL" noop state=healthy error=0 recover=0 \
		grace_period=absent auto_recover=absent auto_dump=absent
	expect_rep "$DL/0" port_dummy state=healthy error=0 recover=0 \
		grace_period=0 auto_recover=true auto_dump=true
	# the default grace period of its ops, netdevsim passing 0 to create
	expect_rep "$DL" tx state=healthy error=0 recover=0 grace_period=500 \
		auto_recover=true auto_dump=true
}

health_set()
{
	must dl health set "$DL" reporter dummy grace_period 1234
	expect_rep "$DL" dummy grace_period=1234 auto_recover=true auto_dump=true
	must dl health set "$DL" reporter dummy auto_recover false
	expect_rep "$DL" dummy grace_period=1234 auto_recover=false auto_dump=true
	must dl health set "$DL" reporter dummy auto_dump false
	expect_rep "$DL" dummy grace_period=1234 auto_recover=false auto_dump=false
	must dl health set "$DL" reporter dummy grace_period 0 \
		auto_recover true auto_dump true
	expect_rep "$DL" dummy grace_period=0 auto_recover=true auto_dump=true
	# a reporter with a dump op and no recover op takes auto_dump
	must dl health set "$DL" reporter empty auto_dump false
	expect_rep "$DL" empty auto_dump=false
	# port reporters are set one by one
	must dl health set "$DL/0" reporter port_dummy grace_period 77
	expect_rep "$DL/0" port_dummy grace_period=77
	expect_rep "$DL/1" port_dummy grace_period=0
}

health_recover()
{
	must dl health set "$DL" reporter dummy auto_recover false || return
	must_knob "$H/break_health" "needs a recovery"
	expect_rep "$DL" dummy state=error error=1 recover=0
	must dl health recover "$DL" reporter dummy
	expect_rep "$DL" dummy state=healthy error=1 recover=1
}

health_diagnose()
{
	local out

	if ! out=$(dl -j health diagnose "$DL" reporter dummy 2>&1); then
		fail "diagnose: $(oneline "$out")"
		return
	fi
	jq_expect "$out" '.test_bool == true and .test_u8 == 1 and
		.test_u32 == 3 and .test_u64 == 4 and
		.test_string == "somestring" and
		.test_u32_array == [0, 1, 2, 3, 4, 5, 6, 7, 8, 9] and
		(has("recovered_break_message") | not)' "diagnose"

	# nesting, decoded from the raw fmsg
	out=$(nlh 60 diagnose --reporter dummy)
	jq_expect "$out" '.ok and
		.fmsg.test_nest == {"nested_test_bool": false, "nested_test_u8": 0} and
		(.fmsg.test_array_of_objects | length == 10) and
		.fmsg.test_array_of_objects[7] ==
			{"in_array_nested_test_bool": false,
			 "in_array_nested_test_u8": 7}' "raw diagnose"

	# an auto-recovery leaves its break message for diagnose
	must_knob "$H/break_health" "diagnose me"
	out=$(dl -j health diagnose "$DL" reporter dummy 2>&1)
	jq_expect "$out" '.recovered_break_message == "diagnose me"' \
		"diagnose after recovery"

	must dl health diagnose "$DL" reporter empty
}

health_dump_show()
{
	local out

	must_knob "$H/break_health" "dump me" || return
	expect_rep "$DL" dummy last_dump_date=present last_dump_time=present
	if ! out=$(dl -j health dump show "$DL" reporter dummy 2>&1); then
		fail "dump show: $(oneline "$out")"
		return
	fi
	jq_expect "$out" '.break_message == "dump me" and .test_u32 == 3 and
		(.dump_seq | type == "number")' "dump"
}

health_dump_clear()
{
	local out seq

	must_knob "$H/break_health" "clear me" || return
	out=$(dl -j health dump show "$DL" reporter dummy 2>&1)
	seq=$(jq -r '.dump_seq' <<<"$out")
	must dl health dump clear "$DL" reporter dummy
	expect_rep "$DL" dummy last_dump_date=absent last_dump_time=absent
	# with nothing stored, dump show takes a fresh dump, without context
	out=$(dl -j health dump show "$DL" reporter dummy 2>&1)
	jq_expect "$out" "(has(\"break_message\") | not) and
		.dump_seq != $seq" "dump after clear"
	expect_rep "$DL" dummy last_dump_date=present
	# clearing when nothing is stored is fine
	must dl health dump clear "$DL" reporter dummy
	must dl health dump clear "$DL" reporter dummy
}

health_dump_kept_until_clear()
{
	local out

	must_knob "$H/break_health" "first" || return
	must_knob "$H/break_health" "second"
	expect_rep "$DL" dummy error=2 recover=2
	out=$(dl -j health dump show "$DL" reporter dummy 2>&1)
	jq_expect "$out" '.break_message == "first"' "dump after two reports"
	must dl health dump clear "$DL" reporter dummy
	must_knob "$H/break_health" "third"
	out=$(dl -j health dump show "$DL" reporter dummy 2>&1)
	jq_expect "$out" '.break_message == "third"' "dump after clear and report"
}

health_test_cmd()
{
	local out

	must dl health test "$DL" reporter dummy || return
	# the op reports with the nowait API: the core's work item dumps and
	# recovers, with no driver context, as for a request from user space
	if ! wait_until 10000 rep_field_is "$DL" dummy recover 1; then
		fail "no recovered report within 10 s of the test command"
	fi
	expect_rep "$DL" dummy state=healthy error=1 recover=1 \
		last_dump_date=present
	out=$(dl -j health dump show "$DL" reporter dummy 2>&1)
	jq_expect "$out" 'has("break_message") | not' "dump of the test report"
}

health_auto_recover()
{
	must_knob "$H/break_health" "auto" || return
	expect_rep "$DL" dummy state=healthy error=1 recover=1
	must dl health set "$DL" reporter dummy auto_recover false
	must_knob "$H/break_health" "manual"
	expect_rep "$DL" dummy state=error error=2 recover=1
}

health_auto_dump_off()
{
	local out

	must dl health set "$DL" reporter dummy auto_dump false || return
	must_knob "$H/break_health" "not dumped"
	expect_rep "$DL" dummy error=1 recover=1 last_dump_date=absent \
		last_dump_time=absent
	out=$(ynl_rep dummy 2>&1)
	jq_expect "$out" '(."health-reporter" | has("health-reporter-dump-ts") or
		has("health-reporter-dump-ts-ns")) | not' "ynl health-reporter-get"
	# the control: the same report with auto_dump on stores a dump
	must dl health set "$DL" reporter dummy auto_dump true
	must_knob "$H/break_health" "dumped"
	expect_rep "$DL" dummy last_dump_date=present
}

# json_uint JSON KEY: integer value of KEY as written, which jq would round
# (nanoseconds since the epoch do not fit in a double)
json_uint()
{
	grep -oE "\"$2\": *[0-9]+" <<<"$1" | head -n1 | grep -oE '[0-9]+$'
}

health_dump_timestamps()
{
	local out t0 t1 ms1 ns1 ms2 ns2 day clock dms dns

	out=$(ynl_rep dummy 2>&1)
	jq_expect "$out" '(."health-reporter" | has("health-reporter-dump-ts") or
		has("health-reporter-dump-ts-ns")) | not' "timestamps before a dump"

	t0=$(date +%s%N)
	must_knob "$H/break_health" "stamp" || return
	t1=$(date +%s%N)
	out=$(ynl_rep dummy 2>&1)
	ms1=$(json_uint "$out" health-reporter-dump-ts)
	ns1=$(json_uint "$out" health-reporter-dump-ts-ns)
	if [[ -z $ms1 || -z $ns1 ]]; then
		fail "dump-ts '$ms1', dump-ts-ns '$ns1': both expected; $(oneline "$out")"
		return
	fi
	((ms1 > 0)) || fail "dump-ts is $ms1"
	if ((ns1 < t0 || ns1 > t1)); then
		fail "dump-ts-ns $ns1 outside the report window [$t0, $t1]"
	fi

	# the devlink tool prints the wall clock time of dump-ts-ns
	day=$(date -d "@$((ns1 / 1000000000))" +%Y-%m-%d)
	clock=$(date -d "@$((ns1 / 1000000000))" +%H:%M:%S)
	expect_rep "$DL" dummy last_dump_date="$day" last_dump_time="$clock"

	# both clocks advance alike between two dumps
	sleep 1.2
	must dl health dump clear "$DL" reporter dummy
	must_knob "$H/break_health" "stamp again"
	out=$(ynl_rep dummy 2>&1)
	ms2=$(json_uint "$out" health-reporter-dump-ts)
	ns2=$(json_uint "$out" health-reporter-dump-ts-ns)
	ms2=${ms2:-0}
	ns2=${ns2:-0}
	dms=$((ms2 - ms1))
	dns=$(((ns2 - ns1) / 1000000))
	if ((dms < 1000 || dns < 1000 || dms - dns > 500 || dns - dms > 500)); then
		fail "between two dumps dump-ts moved $dms ms, dump-ts-ns $dns ms"
	fi
}

health_grace_period_blocks_auto_recover()
{
	local attempt t0 t1 e0 r0 rc

	# 10 s, not less: under TCG with KASAN one report takes about 1 s.
	must dl health set "$DL" reporter dummy grace_period 10000 || return
	for attempt in 1 2 3; do
		e0=$(rep_field "$DL" dummy error)
		r0=$(rep_field "$DL" dummy recover)
		must_knob "$H/break_health" "recovered" || return
		t0=$(now_ms)
		knob "$H/break_health" "within grace period"
		rc=$?
		t1=$(now_ms)
		if ((t1 - t0 >= 9000)); then
			# too slow to land inside the grace period: start over
			note "attempt $attempt: second report took until $((t1 - t0)) ms"
			must dl health recover "$DL" reporter dummy || return
			sleep 10
			continue
		fi
		if ((rc == 0)); then
			fail "report $((t1 - t0)) ms after a recovery," \
				"grace period 10 s: recovered"
			return
		fi
		[[ $KNOB_ERR == "Operation canceled" ]] ||
			fail "report within grace period: '$KNOB_ERR'," \
				"expected 'Operation canceled'"
		expect_rep "$DL" dummy state=error error=$((e0 + 2)) \
			recover=$((r0 + 1))
		return
	done
	skip "machine too slow to report twice within 9 s"
}

health_grace_period_expiry_allows_auto_recover()
{
	must dl health set "$DL" reporter dummy grace_period 500 || return
	must_knob "$H/break_health" "first" || return
	expect_rep "$DL" dummy state=healthy error=1 recover=1
	sleep 0.7
	if ! knob "$H/break_health" "after grace period"; then
		fail "report after the grace period: $KNOB_ERR"
	fi
	expect_rep "$DL" dummy state=healthy error=2 recover=2
}

health_recover_failure()
{
	must_knob "$H/fail_recover" Y || return
	if knob "$H/break_health" "unrecoverable"; then
		fail "report succeeded although its recovery fails"
	elif [[ $KNOB_ERR != "Invalid argument" ]]; then
		fail "report with failing recovery: '$KNOB_ERR', expected 'Invalid argument'"
	fi
	expect_rep "$DL" dummy state=error error=1 recover=0
	expect_dl_error injected_recover health recover "$DL" reporter dummy
	expect_rep "$DL" dummy state=error error=1 recover=0
	must_knob "$H/fail_recover" N
	must dl health recover "$DL" reporter dummy
	expect_rep "$DL" dummy state=healthy error=1 recover=1
}

health_slow_recovery()
{
	local t0 t1

	must dl health set "$DL" reporter dummy auto_recover false || return
	must_knob "$H/break_health" "slow"
	must_knob "$H/recover_delay_ms" 400
	t0=$(now_ms)
	must dl health recover "$DL" reporter dummy
	t1=$(now_ms)
	((t1 - t0 >= 400)) || fail "recovery took $((t1 - t0)) ms, delay is 400 ms"
	expect_rep "$DL" dummy state=healthy error=1 recover=1
	# auto-recovery waits for it as well
	must dl health set "$DL" reporter dummy auto_recover true
	t0=$(now_ms)
	must_knob "$H/break_health" "slow again"
	t1=$(now_ms)
	((t1 - t0 >= 400)) || fail "report with auto-recovery took $((t1 - t0)) ms"
	expect_rep "$DL" dummy state=healthy error=2 recover=2
}

health_dump_failure()
{
	must_knob "$H/fail_dump" 5 || return
	expect_dump_error injected_dump --reporter dummy
	if ! dl health dump show "$DL" reporter dummy >/dev/null 2>&1; then
		:
	else
		fail "devlink health dump show succeeded with fail_dump set"
	fi
	# a report still counts and recovers when its auto dump fails
	must_knob "$H/break_health" "dump fails"
	expect_rep "$DL" dummy state=healthy error=1 recover=1 \
		last_dump_date=absent
	must_knob "$H/fail_dump" 0
	must dl health dump show "$DL" reporter dummy
}

health_diagnose_failure()
{
	must_knob "$H/fail_diagnose" 5 || return
	expect_dl_error injected_diagnose health diagnose "$DL" reporter dummy
	must_knob "$H/fail_diagnose" 0
	must dl health diagnose "$DL" reporter dummy
}

health_test_failure()
{
	must_knob "$H/fail_test" 16 || return
	# the op's errno and extack reach user space
	expect_dl_error injected_test health test "$DL" reporter dummy
	# and the same request succeeds, and reports, once the op does
	must_knob "$H/fail_test" 0 || return
	must dl health test "$DL" reporter dummy || return
	wait_until 10000 rep_field_is "$DL" dummy recover 1 ||
		fail "no recovered report within 10 s of the test command"
	expect_rep "$DL" dummy error=1 recover=1
}

health_driver_recovery_done()
{
	must_knob "$H/reporters/dummy/recovery_done" 1 || return
	expect_rep "$DL" dummy state=healthy error=0 recover=1
	# it counts as a recovery for the grace period too
	must dl health set "$DL" reporter dummy grace_period 60000
	if knob "$H/break_health" "right after recovery_done"; then
		fail "report within the grace period of recovery_done recovered"
	fi
	expect_rep "$DL" dummy state=error error=1 recover=1
}

health_driver_state_update()
{
	must_knob "$H/reporters/dummy/state_update" error || return
	expect_rep "$DL" dummy state=error error=0 recover=0
	must_knob "$H/reporters/dummy/state_update" error
	expect_rep "$DL" dummy state=error error=0 recover=0
	must_knob "$H/reporters/dummy/state_update" healthy
	expect_rep "$DL" dummy state=healthy error=0 recover=0
	# on a reporter without ops too
	must_knob "$H/reporters/noop/state_update" error
	expect_rep "$DL" noop state=error error=0 recover=0
}

health_report_count()
{
	must_knob "$H/reporters/dummy/report_count" 50 || return
	expect_rep "$DL" dummy state=healthy error=50 recover=50
	must_knob "$H/reporters/noop/report_count" 1000
	expect_rep "$DL" noop state=error error=1000 recover=0
}

#
# Tests: error paths
#

err_unknown_reporter()
{
	expect_dl_error unknown_reporter health show "$DL" reporter nosuch
	expect_dl_error unknown_reporter health set "$DL" reporter nosuch \
		grace_period 1
	expect_dl_error unknown_reporter health recover "$DL" reporter nosuch
	expect_dl_error unknown_reporter health diagnose "$DL" reporter nosuch
	expect_dl_error unknown_reporter health dump clear "$DL" reporter nosuch
	expect_dl_error unknown_reporter health test "$DL" reporter nosuch
	expect_dump_error unknown_reporter --reporter nosuch
	# device and port reporters live in separate name spaces
	expect_dl_error unknown_reporter health show "$DL" reporter port_dummy
	expect_dl_error unknown_reporter health show "$DL/0" reporter dummy
}

err_missing_reporter_name()
{
	local op

	for op in health-reporter-get health-reporter-set \
		  health-reporter-recover health-reporter-diagnose \
		  health-reporter-dump-clear health-reporter-test; do
		expect_ynl_error missing_name --do "$op" --json "$(ynl_id)"
	done
	expect_ynl_error missing_name --dump health-reporter-dump-get \
		--json "$(ynl_id)"
}

err_set_recover_attrs_without_recover_op()
{
	expect_dl_error set_without_recover health set "$DL" reporter empty \
		grace_period 10
	expect_dl_error set_without_recover health set "$DL" reporter empty \
		auto_recover true
	expect_dl_error set_without_recover health set "$DL" reporter noop \
		grace_period 10
	# a refused SET changes nothing, not even its valid attributes
	expect_dl_error set_without_recover health set "$DL" reporter empty \
		auto_dump false grace_period 10
	expect_rep "$DL" empty grace_period=absent auto_recover=absent \
		auto_dump=true
}

err_set_auto_dump_without_dump_op()
{
	expect_dl_error set_without_dump health set "$DL" reporter noop \
		auto_dump true
	expect_rep "$DL" noop auto_dump=absent
}

err_recover_without_op()
{
	# only a reporter in error has anything to recover
	must_knob "$H/reporters/noop/break_health" "noop down" || return
	expect_rep "$DL" noop state=error error=1
	expect_dl_error recover_without_op health recover "$DL" reporter noop
	must_knob "$H/reporters/empty/break_health" "empty down"
	expect_dl_error recover_without_op health recover "$DL" reporter empty
	expect_rep "$DL" noop state=error recover=0
}

err_diagnose_without_op()
{
	expect_dl_error diagnose_without_op health diagnose "$DL" reporter noop
}

err_dump_without_op()
{
	expect_dump_error dump_without_op --reporter noop
	expect_dl_error dump_without_op health dump clear "$DL" reporter noop
}

err_test_without_op()
{
	expect_dl_error test_without_op health test "$DL" reporter empty
	expect_dl_error test_without_op health test "$DL" reporter noop
}

#
# Tests: port reporters
#

port_reporters_listed()
{
	local out ports p got

	out=$(dl -j port show 2>&1)
	ports=$(jq -r --arg dl "$DL/" '.port | keys[] | select(startswith($dl))' \
		<<<"$out" 2>/dev/null | sed 's|.*/||' | sort -n)
	[[ -n $ports ]] || { fail "no port of $DL: $(oneline "$out")"; return; }
	# YNL, not the devlink tool: iproute2 6.1 files port 0's reporters
	# under the device handle in its output.
	if ! out=$(ynl --dump health-reporter-get --output-json \
			--json "$(ynl_id)" 2>&1); then
		fail "YNL health-reporter-get dump: $(oneline "$out")"
		return
	fi
	for p in $ports; do
		got=$(jq -r --argjson p "$p" '[.[] | select(.["port-index"] == $p)
			| .["health-reporter"]["health-reporter-name"]] | join(",")' \
			<<<"$out")
		[[ $got == port_dummy ]] ||
			fail "port $p lists reporters '$got', expected 'port_dummy'"
		expect_rep "$DL/$p" port_dummy state=healthy
	done
	got=$(jq -r '[.[] | select(has("port-index") | not)
		| .["health-reporter"]["health-reporter-name"]] | sort | join(",")' \
		<<<"$out")
	[[ $got == "dummy,empty,noop,tx" ]] ||
		fail "device lists reporters '$got', expected 'dummy,empty,noop,tx'"
}

port_report_isolated()
{
	must_knob "$H/ports/0/break_health" "port 0 down" || return
	expect_rep "$DL/0" port_dummy state=healthy error=1 recover=1
	expect_rep "$DL/1" port_dummy state=healthy error=0 recover=0
	expect_rep "$DL" dummy error=0 recover=0
}

port_recover()
{
	must dl health set "$DL/1" reporter port_dummy auto_recover false || return
	must_knob "$H/ports/1/break_health" "port 1 down"
	expect_rep "$DL/1" port_dummy state=error error=1 recover=0
	must dl health recover "$DL/1" reporter port_dummy
	expect_rep "$DL/1" port_dummy state=healthy error=1 recover=1
	expect_rep "$DL/0" port_dummy error=0 recover=0
}

port_dump_diagnose()
{
	local out

	must_knob "$H/ports/0/break_health" "port dump" || return
	out=$(dl -j health dump show "$DL/0" reporter port_dummy 2>&1)
	jq_expect "$out" '.break_message == "port dump"' "port dump"
	out=$(dl -j health diagnose "$DL/0" reporter port_dummy 2>&1)
	jq_expect "$out" '.recovered_break_message == "port dump"' "port diagnose"
	expect_rep "$DL/0" port_dummy last_dump_date=present
	expect_rep "$DL/1" port_dummy last_dump_date=absent
	must dl health dump clear "$DL/0" reporter port_dummy
	expect_rep "$DL/0" port_dummy last_dump_date=absent
}

port_test_cmd()
{
	must dl health test "$DL/1" reporter port_dummy || return
	wait_until 10000 rep_field_is "$DL/1" port_dummy recover 1 ||
		fail "no recovered report within 10 s of the test command"
	expect_rep "$DL/1" port_dummy state=healthy error=1 recover=1
	expect_rep "$DL/0" port_dummy error=0
}

rep_absent()
{
	! rep_show "$1" "$2" >/dev/null 2>&1
}

port_reporter_lifecycle()
{
	if ! port_add 5; then
		fail "cannot add port 5"
		return
	fi
	wait_until 10000 rep_show "$DL/5" port_dummy >/dev/null ||
		fail "no reporter on the new port 5"
	expect_rep "$DL/5" port_dummy state=healthy error=0 recover=0
	must_knob "$H/ports/5/break_health" "port 5 down"
	expect_rep "$DL/5" port_dummy error=1

	port_del 5 || fail "cannot delete port 5"
	wait_until 10000 rep_absent "$DL/5" port_dummy ||
		fail "reporter of deleted port 5 still shown"
	expect_dl_error port_gone health show "$DL/5" reporter port_dummy
	[[ -e $H/ports/5 ]] && fail "knobs of deleted port 5 still there"

	port_add 5 || fail "cannot add port 5 again"
	wait_until 10000 rep_show "$DL/5" port_dummy >/dev/null ||
		fail "no reporter on the re-added port 5"
	expect_rep "$DL/5" port_dummy state=healthy error=0 recover=0
}

# churn FIRST LAST SECONDS ERRFILE: delete and re-add ports FIRST..LAST
churn_ports()
{
	local first=$1 last=$2 end=$((SECONDS + $3)) errs=$4 p rounds=0

	while ((SECONDS < end)); do
		for p in $(seq "$first" "$last"); do
			((SECONDS < end)) || break
			port_del "$p" 2>>"$errs" || echo "del $p failed" >> "$errs"
			port_add "$p" 2>>"$errs" || echo "add $p failed" >> "$errs"
		done
		rounds=$((rounds + 1))
	done
	echo "rounds $rounds" >> "$errs"
}

# list_tool SECONDS ERRFILE: list all reporters with the devlink tool
list_tool()
{
	local end=$((SECONDS + $1)) errs=$2 out n=0

	while ((SECONDS < end)); do
		if ! out=$(dl -j health show 2>&1) || ! jq -e . <<<"$out" >/dev/null 2>&1
		then
			echo "listing failed: $(oneline "$out")" >> "$errs"
		fi
		n=$((n + 1))
	done
	echo "listings $n" >> "$errs"
}

port_reporters_removed_while_listed()
{
	local stable_last=15 churn_last=47 secs=8 p out stable churn_err tool_err

	for p in $(seq "$PORT_COUNT" "$churn_last"); do
		port_add "$p" || { fail "cannot add port $p"; return; }
	done
	stable=dummy,empty,noop,tx
	for p in $(seq 0 "$stable_last"); do
		stable+=",port_dummy@$p"
	done
	churn_err=$TMP/churn.err
	tool_err=$TMP/tool.err
	: > "$churn_err"
	: > "$tool_err"

	bg_start churn_ports $((stable_last + 1)) "$churn_last" "$secs" "$churn_err"
	bg_start list_tool "$secs" "$tool_err"
	out=$(nlh $((secs + 60)) list-loop --seconds "$secs" --recv-size 4096 \
		--stable "$stable")
	bg_wait $(((secs + 60) * 1000)) ||
		fail "churn or listing loop still running $((secs + 60)) s later"

	if [[ $(jq -r '.ok' <<<"$out" 2>/dev/null) != true ]]; then
		fail "raw listings: $(oneline "$out")"
	else
		note "raw listings: $(jq -c '{listings, max_messages}' <<<"$out")"
		[[ $(jq -r '.max_messages' <<<"$out") -ge 2 ]] ||
			note "listings fit in one message: resume not exercised"
	fi
	if grep -v '^listings ' "$tool_err" | grep -q .; then
		fail "devlink tool: $(oneline "$(grep -v '^listings ' "$tool_err" | head -n3)")"
	fi
	if grep -v '^rounds ' "$churn_err" | grep -q .; then
		fail "port churn: $(oneline "$(grep -v '^rounds ' "$churn_err" | head -n3)")"
	fi
	grep -q '^rounds [1-9]' "$churn_err" || fail "ports were not churned"
	note "$(cat "$churn_err" "$tool_err" | tr '\n' ' ')"
}

#
# Tests: notifications
#

# mon_count FILE REPORTER: events of REPORTER in a `devlink mon` output
mon_count()
{
	grep -oE "\<reporter $2\>" "$1" 2>/dev/null | wc -l
}

# mon_probe FILE: flip the state of "noop" until the monitor shows it
mon_probe()
{
	knob "$H/reporters/noop/state_update" error
	knob "$H/reporters/noop/state_update" healthy
	sleep 0.1
	(($(mon_count "$1" noop) > 0))
}

mon_has_more()
{
	(($(mon_count "$1" "$2") > $3))
}

notifications_in_order()
{
	local mon=$TMP/mon.txt n got want
	local -a stdbuf=()

	command -v stdbuf >/dev/null && stdbuf=(stdbuf -oL)
	bg_start timeout 120 "${stdbuf[@]}" devlink mon health > "$mon" 2>&1
	if ! wait_until 10000 mon_probe "$mon"; then
		fail "devlink mon health showed no event within 10 s: $(oneline "$(cat "$mon")")"
		return
	fi

	must_knob "$H/break_health" "notified"          # error, then healthy
	must_knob "$H/reporters/dummy/state_update" error   # error
	must dl health recover "$DL" reporter dummy        # healthy
	must_knob "$H/reporters/dummy/state_update" healthy # no change: none
	must dl health test "$DL" reporter dummy           # error, then healthy
	wait_until 10000 rep_field_is "$DL" dummy recover 3 ||
		fail "test command: no recovered report within 10 s"

	# end marker: one more noop event, after every dummy event
	n=$(mon_count "$mon" noop)
	knob "$H/reporters/noop/state_update" error
	wait_until 10000 mon_has_more "$mon" noop "$n" ||
		fail "end marker not seen within 10 s"
	bg_stop

	got=$(nlh 30 parse-mon --file "$mon" |
	      jq -r --arg dl "$DL" 'select(.handle == $dl and .reporter == "dummy")
		| "\(.state)/\(.error)/\(.recover)"' | tr '\n' ' ')
	want="error/1/0 healthy/1/1 error/1/1 healthy/1/2 error/2/2 healthy/2/3 "
	[[ $got == "$want" ]] ||
		fail "events (state/error/recover): got '$got'," \
			"expected '$want'; devlink mon printed: $(oneline "$(cat "$mon")")"
}

#
# Tests: large dumps, read while they change
#

DUMP_ELEMS=20000
DUMP_SEQ=

# dump_prepare: store a dump of DUMP_ELEMS elements, DUMP_SEQ gets its tag
dump_prepare()
{
	local out

	must_knob "$H/dump_elems" "$DUMP_ELEMS" || return 1
	must_knob "$H/break_health" "large dump" || return 1
	out=$(nlh 120 dump --reporter dummy)
	if ! jq -e ".ok and (.fmsg.elems | length == $DUMP_ELEMS)" <<<"$out" >/dev/null 2>&1
	then
		fail "stored dump: $(oneline "$out")"
		return 1
	fi
	DUMP_SEQ=$(jq -r '.fmsg.dump_seq' <<<"$out")
}

dump_large_read_consistent()
{
	local out

	must_knob "$H/dump_elems" "$DUMP_ELEMS" || return
	must_knob "$H/break_health" "large dump" || return
	out=$(nlh 120 dump --reporter dummy --recv-size 8192)
	jq_expect "$out" ".ok and .messages >= 10 and
		(.fmsg.elems | length == $DUMP_ELEMS) and
		.fmsg.break_message == \"large dump\"" "large dump"
	# elements carry dump_seq + index: check they are all there, in order
	# shellcheck disable=SC2016 # jq variables
	jq_expect "$out" '.fmsg.dump_seq as $s | [.fmsg.elems | to_entries[]
		| select(.value.elem != (($s + .key) % 4294967296))] | length == 0' \
		"elements of the large dump"
	note "$(jq -c '{messages}' <<<"$out")"
}

# trample_check SEQ ELEMS...: judge the helper's verdict; a consistent dump
# must be one whole dump: dump_seq SEQ with ELEMS elements, or a newer one
trample_check()
{
	local out=$1 old_seq=$2 old_elems=$3 new_elems=$4 verdict seq elems

	verdict=$(jq -r '.verdict // "none"' <<<"$out" 2>/dev/null)
	case $verdict in
	error)
		check_error dump_trampled "trampled dump" \
			"$(jq -r '.strerror' <<<"$out")" \
			"$(jq -r '.extack // empty' <<<"$out")"
		;;
	consistent)
		seq=$(jq -r '.dump_seq' <<<"$out")
		elems=$(jq -r '.elems' <<<"$out")
		if [[ $seq == "$old_seq" && $elems != "$old_elems" ]] ||
		   [[ $seq != "$old_seq" && $elems != "$new_elems" ]]; then
			fail "dump_seq $seq with $elems elements: a mix of two dumps"
		fi
		note "read completed with a whole dump (dump_seq $seq, $elems elements)"
		;;
	*)
		fail "trampled dump: $(oneline "$out")"
		;;
	esac
	[[ $(jq -r '.action_rc' <<<"$out") == 0 ]] ||
		fail "action between messages failed: $(oneline "$out")"
}

dump_trampled_by_clear()
{
	local out

	dump_prepare || return
	out=$(nlh 120 trample --reporter dummy --recv-size 8192 --after 2 \
		--action "devlink health dump clear $DL reporter dummy")
	trample_check "$out" "$DUMP_SEQ" "$DUMP_ELEMS" "$DUMP_ELEMS"
}

dump_trampled_by_new_dump()
{
	local out

	dump_prepare || return
	out=$(nlh 120 trample --reporter dummy --recv-size 8192 --after 2 \
		--action "devlink health dump clear $DL reporter dummy &&
			  echo $((DUMP_ELEMS + 1)) > $H/dump_elems &&
			  echo new dump > $H/break_health")
	trample_check "$out" "$DUMP_SEQ" "$DUMP_ELEMS" $((DUMP_ELEMS + 1))
}

#
# Tests: the upstream knobs devlink.sh relies on
#

upstream_dummy_reporter()
{
	local out

	must dl health set "$DL" reporter dummy auto_recover false || return
	must_knob "$H/break_health" "foo bar"
	expect_rep "$DL" dummy state=error error=1 recover=0
	out=$(dl -j health dump show "$DL" reporter dummy 2>&1)
	jq_expect "$out" '.break_message == "foo bar"' "dump"
	must dl health dump clear "$DL" reporter dummy
	must dl health recover "$DL" reporter dummy
	expect_rep "$DL" dummy state=healthy error=1 recover=1
	must dl health set "$DL" reporter dummy auto_recover true
	must_knob "$H/break_health" "foo bar"
	expect_rep "$DL" dummy state=healthy error=2 recover=2
	out=$(dl -j health diagnose "$DL" reporter dummy 2>&1)
	jq_expect "$out" '.recovered_break_message == "foo bar"' "diagnose"
	must dl health set "$DL" reporter dummy grace_period 10
	must_knob "$H/fail_recover" Y
	knob "$H/break_health" "foo bar" &&
		fail "report succeeded with fail_recover set"
	expect_rep "$DL" dummy state=error error=3 recover=2 grace_period=10
	dl health recover "$DL" reporter dummy >/dev/null 2>&1 &&
		fail "recover succeeded with fail_recover set"
	must_knob "$H/fail_recover" N
	must dl health recover "$DL" reporter dummy
	expect_rep "$DL" dummy state=healthy error=3 recover=3
}

# jq filter: the chunks of the test_binary value add up to LEN bytes
binary_len_filter()
{
	echo "([.fmsg.test_binary | .. | objects | select(has(\"binary\"))
		| .binary | length / 2] | add // 0) == $1"
}

upstream_binary_len()
{
	local out len

	for len in 8192 0 16; do
		must_knob "$H/binary_len" "$len" || return
		must dl health dump clear "$DL" reporter dummy
		out=$(nlh 60 dump --reporter dummy)
		jq_expect "$out" "$(binary_len_filter "$len")" "dump, binary_len $len"
		out=$(nlh 60 diagnose --reporter dummy)
		jq_expect "$out" "$(binary_len_filter "$len")" "diagnose, binary_len $len"
	done
	# the devlink tool copes with a large binary too
	must_knob "$H/binary_len" 8192
	must dl health dump clear "$DL" reporter dummy
	must dl health dump show "$DL" reporter dummy
}

#
# Tests: replies of every size read whole by the devlink tool, which
# receives with a 4 KiB buffer (libmnl's MNL_SOCKET_BUFFER_SIZE on x86)
#

# Sizes of the fmsg, from a few hundred bytes to 64 KiB: binary lengths
# (3729 is one byte over a binary piece), element counts (44 bytes each)
REPLY_BINARY_LENS="300 3729 16384 65536"
REPLY_ELEM_COUNTS="8 100 1500"

# jq filter: test_binary holds LEN bytes, byte i being i & 0xff
binary_content_filter()
{
	echo "(.test_binary | length) == $1 and
		([.test_binary | to_entries[] | select(.value != .key % 256)]
		 | length) == 0"
}

# jq filter: elems holds COUNT objects, element i holding FIRST + i
elems_filter()
{
	echo "(.elems | length) == $1 and
		([.elems | to_entries[] | select(.value.elem != $2 + .key)]
		 | length) == 0"
}

reply_diagnose_binary()
{
	local len out

	for len in $REPLY_BINARY_LENS; do
		must_knob "$H/binary_len" "$len" || return
		if ! out=$(dl -j health diagnose "$DL" reporter dummy 2>&1); then
			fail "diagnose, binary_len $len: $(oneline "$out")"
			continue
		fi
		jq_expect "$out" "$(binary_content_filter "$len")" \
			"diagnose, binary_len $len"
	done
}

reply_dump_binary()
{
	local len out

	for len in $REPLY_BINARY_LENS; do
		must_knob "$H/binary_len" "$len" || return
		must dl health dump clear "$DL" reporter dummy || return
		if ! out=$(dl -j health dump show "$DL" reporter dummy 2>&1); then
			fail "dump show, binary_len $len: $(oneline "$out")"
			continue
		fi
		jq_expect "$out" "$(binary_content_filter "$len")" \
			"dump show, binary_len $len"
	done
}

reply_diagnose_items()
{
	local n out

	for n in $REPLY_ELEM_COUNTS; do
		must_knob "$H/diagnose_elems" "$n" || return
		if ! out=$(dl -j health diagnose "$DL" reporter dummy 2>&1); then
			fail "diagnose, $n elements: $(oneline "$out")"
			continue
		fi
		jq_expect "$out" "$(elems_filter "$n" 0)" "diagnose, $n elements"
	done
}

reply_dump_items()
{
	local n out seq

	for n in $REPLY_ELEM_COUNTS; do
		must_knob "$H/dump_elems" "$n" || return
		must dl health dump clear "$DL" reporter dummy || return
		if ! out=$(dl -j health dump show "$DL" reporter dummy 2>&1); then
			fail "dump show, $n elements: $(oneline "$out")"
			continue
		fi
		seq=$(jq -r '.dump_seq' <<<"$out")
		[[ $seq =~ ^[0-9]+$ ]] || { fail "dump show: no dump_seq"; continue; }
		jq_expect "$out" "$(elems_filter "$n" "$seq")" \
			"dump show, $n elements"
	done
}

# Every message of the largest diagnoses of the tests above fits a 4 KiB
# receive buffer (the raw helper fails on a truncated one); the largest
# message of each is noted.
reply_diagnose_fits_4k()
{
	local out

	must_knob "$H/binary_len" 65536 || return
	out=$(nlh 60 diagnose --reporter dummy --recv-size 4096)
	jq_expect "$out" '.ok and .max_msg <= 4096 and
		(.fmsg.test_binary | length > 0)' "64 KiB binary read with 4 KiB"
	note "64 KiB binary: $(jq -c '{messages, max_msg}' <<<"$out")"

	must_knob "$H/binary_len" 16 || return
	must_knob "$H/diagnose_elems" 1500 || return
	out=$(nlh 60 diagnose --reporter dummy --recv-size 4096)
	jq_expect "$out" '.ok and .max_msg <= 4096 and
		(.fmsg.elems | length == 1500)' "1500 elements read with 4 KiB"
	note "1500 elements: $(jq -c '{messages, max_msg}' <<<"$out")"
}

# warn_count WHAT: lines of the kernel log naming WHAT as malformed
warn_count()
{
	dmesg | grep -cF "$1: unbalanced nest start and end calls"
}

# 6.12's netdevsim ends a nest it never opened: the core sends such an
# fmsg as 6.12 did, and says so once per reporter in the kernel log.
nesting_6_12_sent_warned_once()
{
	local dev_rep="devlink $DL: health reporter dummy"
	local port_rep="devlink $DL port 0: health reporter port_dummy"
	local dev_before port_before i out n

	dev_before=$(warn_count "$dev_rep")
	port_before=$(warn_count "$port_rep")
	must_knob "$H/nesting_6_12" Y || return
	for i in 1 2; do
		out=$(dl -j health diagnose "$DL" reporter dummy 2>&1) ||
			fail "diagnose $i: $(oneline "$out")"
		must dl health dump clear "$DL" reporter dummy
		out=$(dl -j health dump show "$DL" reporter dummy 2>&1) ||
			fail "dump show $i: $(oneline "$out")"
		out=$(dl -j health diagnose "$DL/0" reporter port_dummy 2>&1) ||
			fail "port diagnose $i: $(oneline "$out")"
	done
	# what comes before the stray end reads as usual
	grep -q '"test_string":"somestring"' <<<"$out" ||
		fail "port diagnose: no test_string in $(oneline "$out")"
	n=$(($(warn_count "$dev_rep") - dev_before))
	[[ $n -eq 1 ]] || fail "expected one new warning for '$dev_rep', got $n"
	n=$(($(warn_count "$port_rep") - port_before))
	[[ $n -eq 1 ]] || fail "expected one new warning for '$port_rep', got $n"
}

#
# Runner
#

cleanup()
{
	ynl_server_stop
	bg_stop
	dev_destroy
	[[ -n $TMP && -d $TMP ]] && rm -rf "$TMP"
}

prerequisites()
{
	check_prerequisites devlink jq timeout "$PYTHON" && check_ynl || return 1
	if [[ ! -r $HELPER ]]; then
		echo "needs $HELPER, installed with the tests"
		return 1
	fi
}

main()
{
	load_expected_errors
	KSRC=${KSRC:-$(find_ksrc)}
	prerequisites_or_skip devlink_health
	TMP=$(mktemp -d) || exit 1
	trap cleanup EXIT
	trap 'exit 1' INT TERM
	ynl_server_start

	run_tests
	exit $EXIT_STATUS
}

main "$@"
