#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# shellcheck disable=SC2317 # tests are invoked indirectly
#
# Bad input to the devlink health netlink API, sent by our raw generic
# netlink client (devlink_health_nl, built by the Makefile):
# missing, wrong-type, oversized and out-of-range attributes, unknown
# bus/device/port/reporter names, SET of a setting whose op the reporter
# lacks, malformed headers, requests without CAP_NET_ADMIN, DUMP_GET reads
# abandoned halfway, dumps cleared or replaced between two messages of a
# read, and reporters destroyed (or destroyed and re-created) between two
# messages of a read.
#
# Each refusal must come with the right errno and an extack, except where
# the refusal comes from generic netlink or the devlink core before the
# health code sees the request (permission check, bus/device lookup of a
# do command): there only the errno is checked. The reporters must stay
# usable, and nothing may leak (kmemleak is scanned by the harness after
# all selftests). Prints how many inputs were tried.
#
# Output: "TEST: <name>  [ OK ]|[FAIL]|[SKIP]", details indented. Exit 0
# when no test failed, 1 otherwise, 4 (kselftest skip) without the
# prerequisites (root, netdevsim, debugfs, devlink_health_nl, setpriv).

ALL_TESTS="
	badinput_requests
	badinput_unprivileged
	badinput_dump_abandoned
	badinput_dump_interleaved_with_clear
	badinput_dump_reporter_destroyed_midread
	badinput_reporter_usable_after
	badinput_dump_reporter_recreated_midread
"

# shellcheck source-path=SCRIPTDIR source=devlink_health_lib.sh
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/devlink_health_lib.sh" || exit 1

NSIM_ID=${NSIM_ID:-4731}
PORT_COUNT=2
DEV=netdevsim$NSIM_ID
DL=netdevsim/$DEV
NSIM_BUS=/sys/bus/netdevsim
DEV_SYSFS=$NSIM_BUS/devices/$DEV
H=/sys/kernel/debug/netdevsim/$DEV/health
SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# 3000 elements make a dump of some 20 netlink messages
DUMP_ELEMS=3000
NOBODY=65534

INPUTS=0
NL=

# Known failures under investigation, reported as XFAIL (the harness counts
# them as skipped, never as passed) so that they stay visible. None now.
KNOWN_FAIL=""
# the messages of passed tests too: the inputs each one tried
PASS_MSGS=1

# count_inputs OUTPUT: add the "inputs tried N" / "... reads N" figures
count_inputs()
{
	local n

	while read -r n; do
		[[ -n $n ]] && INPUTS=$((INPUTS + n))
	done < <(sed -nE \
		's/.*(inputs tried|abandoned reads|interleaved reads) ([0-9]+).*/\2/p' <<<"$1")
}

# rep_state [PORT] REPORTER: "ok state S error E recover R grace G ..."
rep_state()
{
	if (($# == 2)); then
		"$NL" get -d "$DEV" -p "$1" -r "$2"
	else
		"$NL" get -d "$DEV" -r "$1"
	fi
}

expect_field()
{
	local line=$1 key=$2 want=$3 what=$4 got

	got=$(field "$line" "$key")
	[[ $got == "$want" ]] || fail "$what: $key is '$got', expected '$want' ($line)"
}

# dump_clear [PORT] REPORTER
dump_clear()
{
	local out

	if (($# == 2)); then
		out=$("$NL" op -d "$DEV" -p "$1" -r "$2" -o dumpclear)
	else
		out=$("$NL" op -d "$DEV" -r "$1" -o dumpclear)
	fi || fail "dump clear $*: $out"
}

#
# Tests
#

badinput_requests()
{
	local out st

	out=$("$NL" badinput -d "$DEV" 2>&1) || fail "off-contract answers"
	count_inputs "$out"
	while read -r line; do
		[[ -n $line ]] && MSGS+=("$line")
	done <<<"$out"

	# the odd requests 6.12 accepts did what they say, nothing more
	st=$(rep_state dummy)
	expect_field "$st" auto_recover 1 "dummy after auto_recover 255"
	expect_field "$st" auto_dump 1 "dummy after auto_dump 2"
	st=$(rep_state 1 port_dummy)
	expect_field "$st" grace 18446744073709551615 "port 1 after grace U64_MAX"
	# refused SETs changed nothing, not even their valid attributes
	st=$(rep_state empty)
	expect_field "$st" auto_dump 1 "empty after a refused SET"
	st=$(rep_state noop)
	expect_field "$st" auto_dump -1 "noop"
	expect_field "$st" auto_recover -1 "noop"
	# and no request reported anything
	for r in dummy empty noop; do
		st=$(rep_state "$r")
		expect_field "$st" error 0 "$r"
	done
	devlink health set "$DL/1" reporter port_dummy grace_period 0 ||
		fail "cannot reset the grace period of port 1"
}

badinput_unprivileged()
{
	local out before after

	must_write "$H/break_health" "stored before the unprivileged run" || return
	before=$(rep_state dummy)
	out=$(setpriv --reuid="$NOBODY" --regid="$NOBODY" --clear-groups \
		--inh-caps=-all --bounding-set=-all -- "$NL" unpriv -d "$DEV" 2>&1) ||
		fail "unprivileged requests not refused as expected"
	count_inputs "$out"
	while read -r line; do
		[[ -n $line ]] && MSGS+=("$line")
	done <<<"$out"
	after=$(rep_state dummy)
	[[ $before == "$after" ]] ||
		fail "unprivileged requests changed the reporter: '$before' -> '$after'"
	expect_field "$after" dump 1 "dummy after an unprivileged DUMP_CLEAR"
}

badinput_dump_abandoned()
{
	local out

	must_write "$H/dump_elems" "$DUMP_ELEMS" || return
	dump_clear dummy
	must_write "$H/break_health" "abandoned" || return
	must_write "$H/ports/0/break_health" "abandoned port" || return
	out=$("$NL" abandon -d "$DEV" -r dummy -n 40 2>&1) ||
		fail "device reporter: $out"
	count_inputs "$out"
	out=$("$NL" abandon -d "$DEV" -p 0 -r port_dummy -n 20 2>&1) ||
		fail "port reporter: $out"
	count_inputs "$out"
	# the stored dumps are intact and readable to the end
	out=$("$NL" op -d "$DEV" -r dummy -o dumpget)
	[[ $out == "ok "*" malformed 0 elems $DUMP_ELEMS gap 0 break 'abandoned'" ]] ||
		fail "dump after abandoned reads: $out"
	out=$("$NL" op -d "$DEV" -p 0 -r port_dummy -o dumpget)
	[[ $out == "ok "*" malformed 0 elems $DUMP_ELEMS gap 0 break 'abandoned port'" ]] ||
		fail "port dump after abandoned reads: $out"
}

badinput_dump_interleaved_with_clear()
{
	local out

	must_write "$H/dump_elems" "$DUMP_ELEMS" || return
	out=$("$NL" interleave -d "$DEV" -r dummy -k "$H/break_health" \
		-e "$DUMP_ELEMS" -n 30 2>&1) || fail "interleaved reads went wrong"
	count_inputs "$out"
	while read -r line; do
		[[ -n $line ]] && MSGS+=("$line")
	done <<<"$out"
}

# midread_port PORT [recreate]: a DUMP_GET read of PORT's reporter across
# the deletion (and re-creation) of the port
midread_port()
{
	local port=$1 mode=$2 out
	local -a args=(-d "$DEV" -p "$port" -K "$DEV_SYSFS")

	echo "$port" > "$DEV_SYSFS/new_port" || { fail "cannot add port $port"; return; }
	must_write "$H/dump_elems" "$DUMP_ELEMS" || return
	must_write "$H/ports/$port/break_health" "old port $port" || return
	# the dump stored by the new reporter, if any, is a small one
	must_write "$H/dump_elems" 0 || return
	[[ $mode == recreate ]] &&
		args+=(-x recreate -v "$H/ports/$port/break_health")
	out=$("$NL" midread "${args[@]}" 2>&1) || fail "read across the port's removal"
	INPUTS=$((INPUTS + 1))
	while read -r line; do
		[[ -n $line ]] && MSGS+=("$line")
	done <<<"$out"
	[[ -e $H/ports/$port ]] && echo "$port" > "$DEV_SYSFS/del_port"
}

badinput_dump_reporter_destroyed_midread()
{
	midread_port 7
}

# A reporter re-created under the same name starts its dump generation
# over: a read that began on the old reporter's dump must not continue
# into the new one's.
badinput_dump_reporter_recreated_midread()
{
	midread_port 8 recreate
}

badinput_reporter_usable_after()
{
	local out st e r

	must_write "$H/dump_elems" 0
	for r in dummy empty; do
		out=$("$NL" op -d "$DEV" -r "$r" -o diagnose) ||
			fail "$r diagnose after the abuse: $out"
	done
	out=$("$NL" op -d "$DEV" -p 0 -r port_dummy -o diagnose) ||
		fail "port_dummy diagnose after the abuse: $out"
	for r in dummy empty noop; do
		st=$(rep_state "$r") || { fail "$r: $st"; continue; }
		e=$(field "$st" error)
		must_write "$H/reporters/$r/report_count" 1
		st=$(rep_state "$r")
		expect_field "$st" error $((e + 1)) "$r after one report"
	done
	st=$(rep_state 0 port_dummy)
	e=$(field "$st" error)
	must_write "$H/ports/0/report_count" 1
	st=$(rep_state 0 port_dummy)
	expect_field "$st" error $((e + 1)) "port_dummy after one report"
	expect_field "$st" state 0 "port_dummy after one report"
	out=$("$NL" op -d "$DEV" -p 0 -r port_dummy -o dumpget) ||
		fail "port_dummy dump after the abuse: $out"
}

#
# Runner
#

prerequisites()
{
	check_prerequisites setpriv devlink || return 1
	find_client || { echo "$NL_MISSING"; return 1; }
}

main()
{
	prerequisites_or_skip devlink_health_badinput
	find_client
	nl_dev_destroy
	trap nl_dev_destroy EXIT
	nl_run_tests devlink_health_badinput
	echo "inputs tried: $INPUTS"
	exit $EXIT_STATUS
}

main "$@"
