#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# shellcheck disable=SC2317 # the helpers are called by the scripts sourcing this
#
# Helpers shared by the devlink_health*.sh tests, which source this file:
# the outcome of a test and its "TEST: <name>  [ OK ]" line (fail, note,
# skip, result); the runners, run_tests for a device per test (run_test)
# and nl_run_tests for one device per run; the devlink tool and the YNL CLI
# (through one Python process per script: ynl_server_start, ynl_server_stop)
# (dl, ynl, must); polling (wait_until, now_ms); debugfs
# knobs (knob, must_knob, must_write); background jobs (bg_*); the device
# (dl_dev_present, dev_destroy, nl_dev_create, nl_dev_destroy) and its
# reporters (rep_field); the raw netlink client
# (find_client, field); prerequisites (prerequisites_or_skip,
# check_prerequisites, check_ynl, find_ksrc).
#
# Source it before the settings of the script: it sets the state of the
# run (RET, MSGS, SKIP_REASON, EXIT_STATUS, BG_PIDS, DEV_CREATED, DEV_STUCK,
# KNOB_ERR), ksft_skip, and defaults a script may change after sourcing it:
#   KNOWN_FAIL  names of tests whose failure is reported as XFAIL (none)
#   PASS_MSGS   1: print the messages of passed tests too, not only with
#               VERBOSE=1 (0)
#   DL_TIMEOUT  seconds each devlink command of dl may take (none)
# The helpers read, when they run, what the script sets: NSIM_ID,
# PORT_COUNT, DEV, DL, NSIM_BUS, DEV_SYSFS and H (the device and its health
# knobs), CMD_TIMEOUT, PYTHON and KSRC (dl, ynl, check_ynl), SCRIPT_DIR
# (find_client, find_ksrc), ALL_TESTS; find_client sets NL. They call
# functions of the script, which differ between scripts: prerequisites
# (prerequisites_or_skip) and dev_create (run_test).

# shellcheck disable=SC2034 # read by the scripts
ksft_skip=4

RET=0
MSGS=()
SKIP_REASON=
TEST_T0=0	# set at the end of this file, once now_ms is defined
EXIT_STATUS=0
BG_PIDS=()
DEV_CREATED=0
DEV_STUCK=0
KNOB_ERR=
KNOWN_FAIL=
PASS_MSGS=0
DL_TIMEOUT=

#
# Outcome of a test, runner
#

fail()
{
	RET=1
	MSGS+=("$*")
}

# note MSG: a message that is not a failure; its "note:" prefix lets the
# lab report a failed test by its first failure, not its first note
note()
{
	MSGS+=("note: $*")
}

# progress MSG: a "# MSG" line at once, for a long test whose messages
# only show when it ends, so that a log cut short shows where it was
progress()
{
	echo "# $(now_ms) ms: $*"
}

skip()
{
	SKIP_REASON=$*
}

# result NAME: the "TEST: NAME  [ OK ]|[FAIL]|[SKIP]|[XFAIL]" line of a
# test, its messages indented below, preceded by a "# time: NAME MS ms"
# line giving how long it took since test_begin (which the lab reports
# for the slowest tests). A failure of a test in KNOWN_FAIL is
# an XFAIL, which the lab counts as skipped, never as passed, so that a
# known failure stays visible without failing the run.
result()
{
	local name=$1 m

	echo "# time: $name $(($(now_ms) - TEST_T0)) ms"
	if ((RET)) && [[ " $KNOWN_FAIL " == *" $name "* ]]; then
		echo "TEST: $name  [XFAIL]"
	elif ((RET)); then
		echo "TEST: $name  [FAIL]"
		# shellcheck disable=SC2034 # the scripts exit with it
		EXIT_STATUS=1
	elif [[ -n $SKIP_REASON ]]; then
		echo "TEST: $name  [SKIP]"
		echo "    $SKIP_REASON"
	else
		echo "TEST: $name  [ OK ]"
		((PASS_MSGS)) || [[ ${VERBOSE:-0} == 1 ]] || return 0
	fi
	for m in "${MSGS[@]}"; do
		echo "    $m"
	done
}

# test_begin: a new test, not failed, with no message, started now
test_begin()
{
	RET=0
	MSGS=()
	SKIP_REASON=
	TEST_T0=$(now_ms)
}

# run_test NAME: test NAME on a device of its own (the script's dev_create
# and dev_destroy), its background jobs stopped after it (bg_stop)
run_test()
{
	local name=$1

	test_begin
	if ! declare -F "$name" >/dev/null; then
		fail "no test named $name"
	elif dev_create; then
		"$name"
	fi
	bg_stop
	if ((DEV_CREATED)) && ! dev_destroy; then
		fail "cannot delete netdevsim device $NSIM_ID"
	fi
	result "$name"
}

# run_tests: run_test each of $TESTS, by default $ALL_TESTS, after removing
# the device an earlier run may have left behind
run_tests()
{
	local t

	if [[ -e $DEV_SYSFS ]]; then
		echo "# removing a netdevsim$NSIM_ID left over by an earlier run"
		echo "$NSIM_ID" > "$NSIM_BUS/del_device"
	fi

	for t in ${TESTS:-$ALL_TESTS}; do
		if ((DEV_STUCK)); then
			# a new device of that id would wait for the stuck one
			test_begin
			fail "not run: the deletion of netdevsim$NSIM_ID is stuck"
			result "$t"
			continue
		fi
		run_test "$t"
	done
}

# nl_run_tests NAME: each of $TESTS, by default $ALL_TESTS, on the one
# device of the run (nl_dev_create); if it cannot be created, a
# "TEST: NAME_setup  [FAIL]" line and exit 1
nl_run_tests()
{
	local t

	if ! nl_dev_create; then
		echo "TEST: $1_setup  [FAIL]"
		echo "    cannot create netdevsim device $NSIM_ID"
		exit 1
	fi
	for t in ${TESTS:-$ALL_TESTS}; do
		test_begin
		if declare -F "$t" >/dev/null; then
			"$t"
		else
			fail "no test named $t"
		fi
		result "$t"
	done
}

#
# Commands
#

# Output of a failed command, on one line and not too long.
oneline()
{
	tr '\n' ' ' <<<"$1" | cut -c1-400
}

# dl ARGS...: the devlink tool. Under timeout(1) only in the scripts that
# set DL_TIMEOUT (those racing teardowns, where a hung command is what
# they look for): timeout is one more process per command, and starting
# processes is where the tests spend their time in an emulated debug
# guest. Elsewhere a command that hangs is bounded by the kselftest
# runner's timeout (settings) and the kernel's hung task report.
dl()
{
	if [[ -n $DL_TIMEOUT ]]; then
		timeout "$DL_TIMEOUT" devlink "$@"
	else
		devlink "$@"
	fi
}

# One Python process that runs the YNL CLI (its path is the first
# argument) for every request read from stdin, a JSON array of CLI
# arguments per line, and answers with what the CLI printed, then a line
# "@@ynl-end@@ RC". Started once per script by ynl_server_start: on an
# emulated CPU, starting Python, importing the YNL library and parsing the
# devlink spec cost ~6 s per call, which the server pays once. It parses
# with PyYAML's C loader when there is one, and keeps one YnlFamily (its
# socket and the parsed spec) per set of constructor arguments; replies
# are matched to requests by sequence number, so reusing it is safe.
YNL_SERVER='
import builtins, contextlib, io, json, os, runpy, sys, traceback, yaml
# the CLI ends an error with exit(), which closes stdin: our request pipe
builtins.exit = sys.exit
if hasattr(yaml, "CSafeLoader"):
    yaml.safe_load = lambda stream: yaml.load(stream, Loader=yaml.CSafeLoader)
cli = os.path.abspath(sys.argv[1])
sys.path.insert(0, os.path.dirname(cli))
import lib
families = {}
new_family = lib.YnlFamily
def family(*args, **kwargs):
    key = repr((args, sorted(kwargs.items())))
    if key not in families:
        families[key] = new_family(*args, **kwargs)
    return families[key]
lib.YnlFamily = family
for line in sys.stdin:
    out = io.StringIO()
    rc = 0
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        sys.argv = [cli] + json.loads(line)
        try:
            runpy.run_path(cli, run_name="__main__")
        except SystemExit as e:
            rc = e.code if isinstance(e.code, int) else int(e.code is not None)
        except BaseException:
            traceback.print_exc()
            rc = 1
    text = out.getvalue()
    if text and not text.endswith("\n"):
        text += "\n"
    sys.stdout.write(text + "@@ynl-end@@ %d\n" % rc)
    sys.stdout.flush()
'
YNL_PID=

# ynl_server_start: start the YNL server as a coprocess of the script.
# Call it from the script's main shell, not from a $(...) subshell, or the
# script would not know it runs; ynl works without it, only slower.
ynl_server_start()
{
	[[ -n $YNL_PID ]] && return 0
	coproc YNL_SRV {
		PYTHONDONTWRITEBYTECODE=1 exec "$PYTHON" -c "$YNL_SERVER" \
			"$KSRC/tools/net/ynl/cli.py" 2>&1
	}
	YNL_PID=$YNL_SRV_PID
}

ynl_server_stop()
{
	[[ -n $YNL_PID ]] || return 0
	kill "$YNL_PID" 2>/dev/null
	wait "$YNL_PID" 2>/dev/null
	YNL_PID=
}

# ynl_request ARGS...: one request to the server, its output on stdout,
# its exit code returned; 124 if no answer in CMD_TIMEOUT s (the server
# is then stopped: its late answer would go to the next request)
ynl_request()
{
	local line out=

	jq -cn '$ARGS.positional' --args -- "$@" >&"${YNL_SRV[1]}" || return 1
	while IFS= read -r -t "$CMD_TIMEOUT" line <&"${YNL_SRV[0]}"; do
		if [[ $line == "@@ynl-end@@ "* ]]; then
			printf '%s' "$out"
			return "${line#@@ynl-end@@ }"
		fi
		out+=$line$'\n'
	done
	printf '%s' "$out"
	ynl_server_stop
	return 124
}

# YNL CLI of the kernel tree, for what the devlink tool does not send or
# show: through the server if it runs, else one process per call.
ynl()
{
	local -a args=(--spec "$KSRC/Documentation/netlink/specs/devlink.yaml"
		       --no-schema --process-unknown "$@")

	# bash closes the coprocess's pipes in a pipeline's subshells
	if [[ -n $YNL_PID && -e /proc/$BASHPID/fd/${YNL_SRV[1]} ]] &&
	   kill -0 "$YNL_PID" 2>/dev/null; then
		ynl_request "${args[@]}"
		return
	fi
	PYTHONDONTWRITEBYTECODE=1 timeout "$CMD_TIMEOUT" "$PYTHON" \
		"$KSRC/tools/net/ynl/cli.py" "${args[@]}"
}

# ynl_id [MORE]: the JSON of a request on the device, MORE its further
# members (', "name": value...')
ynl_id()
{
	printf '{"bus-name": "netdevsim", "dev-name": "%s"%s}' "$DEV" "$1"
}

# must CMD...: run CMD, fail the test with its output if it fails.
must()
{
	local out

	out=$("$@" 2>&1) && return 0
	fail "'$*' failed: $(oneline "$out")"
	return 1
}

# wait_until MS CMD...: run CMD every 50 ms until it succeeds, for MS of
# wall time at most: the bound holds however slow CMD itself is (a devlink
# command takes a good part of a second on an emulated CPU)
wait_until()
{
	local end=$(($(now_ms) + $1))

	shift
	while true; do
		"$@" && return 0
		(($(now_ms) < end)) || return 1
		sleep 0.05
	done
}

# now_ms: the wall clock in ms, without a process (bash's EPOCHREALTIME)
now_ms()
{
	local t=${EPOCHREALTIME/[.,]/}

	echo $((t / 1000))
}

#
# Knobs
#

# knob PATH VALUE: write a debugfs knob; KNOB_ERR gets the error text.
knob()
{
	local out

	KNOB_ERR=
	out=$({ printf '%s\n' "$2" > "$1"; } 2>&1) && return 0
	KNOB_ERR=${out##*: }
	[[ -n $KNOB_ERR ]] || KNOB_ERR="write failed"
	return 1
}

must_knob()
{
	knob "$1" "$2" && return 0
	fail "writing '$2' to ${1#"$H"/}: $KNOB_ERR"
	return 1
}

# must_write PATH VALUE: write a debugfs or sysfs file, fail the test if
# refused; unlike must_knob, the message names the full path
must_write()
{
	local out

	out=$({ printf '%s\n' "$2" > "$1"; } 2>&1) && return 0
	fail "writing '$2' to $1: ${out##*: }"
	return 1
}

#
# Background jobs, stopped by the script's bg_stop
#

bg_start()
{
	"$@" &
	BG_PIDS+=($!)
}

bg_running()
{
	local pid

	for pid in "${BG_PIDS[@]}"; do
		kill -0 "$pid" 2>/dev/null && return 0
	done
	return 1
}

bg_done()
{
	! bg_running
}

bg_pid_done()
{
	! kill -0 "$1" 2>/dev/null
}

# bg_stop: stop the background jobs; a job stuck in the kernel cannot be
# killed, so the wait is bounded and a job left over fails the test
bg_stop()
{
	local pid

	for pid in "${BG_PIDS[@]}"; do
		kill "$pid" 2>/dev/null
	done
	if ! wait_until 10000 bg_done; then
		fail "a background job is stuck in the kernel"
		while read -r l; do
			note "stuck: $l"
		done < <(ps -eo pid,stat,wchan:32,args | awk '$2 ~ /^D/')
	fi
	for pid in "${BG_PIDS[@]}"; do
		kill -0 "$pid" 2>/dev/null || wait "$pid" 2>/dev/null
	done
	BG_PIDS=()
}

# bg_wait MS: let the background jobs end, MS at most, then stop them
bg_wait()
{
	local rc=0

	wait_until "$1" bg_done || rc=1
	bg_stop
	return "$rc"
}

#
# Device
#

dl_dev_present()
{
	dl dev show "$DL" >/dev/null 2>&1
}

# nl_dev_create: the one device of a run driven by the raw client, up once
# its last port and its dummy reporter show, 10 s at most
nl_dev_create()
{
	local i

	echo "$NSIM_ID $PORT_COUNT" > "$NSIM_BUS/new_device" || return 1
	for ((i = 0; i < 200; i++)); do
		[[ -d $H/ports/$((PORT_COUNT - 1)) ]] &&
			"$NL" get -d "$DEV" -r dummy >/dev/null 2>&1 && return 0
		sleep 0.05
	done
	return 1
}

# dev_destroy: delete the device of run_test's dev_create, if it made one.
# Polled, 120 s at most: a deletion stuck in the kernel on a bug under test
# cannot be killed, and waiting for it would hang the rest of the run.
dev_destroy()
{
	local pid

	((DEV_CREATED)) || return 0
	DEV_CREATED=0
	bash -c "echo $NSIM_ID > $NSIM_BUS/del_device" &
	pid=$!
	if ! wait_until 120000 bg_pid_done "$pid"; then
		fail "deleting netdevsim$NSIM_ID did not return within 120 s"
		DEV_STUCK=1
		return 1
	fi
	wait "$pid"
}

# rep_field HANDLE REPORTER FIELD: the field as `devlink health show` has
# it, "absent" if the reporter shows no such field; fails if there is no
# such reporter
rep_field()
{
	local out

	out=$(dl -j health show "$1" reporter "$2" 2>&1) || return 1
	jq -er --arg f "$3" '[.health[][]] | .[0] // empty |
		if has($f) then .[$f] | tostring else "absent" end' <<<"$out"
}

nl_dev_destroy()
{
	[[ -e $DEV_SYSFS ]] && echo "$NSIM_ID" > "$NSIM_BUS/del_device"
}

#
# Raw netlink client (devlink_health_nl.c)
#

# find_client: the raw netlink client, built from devlink_health_nl.c by
# this directory's Makefile (TEST_GEN_FILES) against the tree's uapi
# headers and installed next to the scripts; NL is its path. It is never
# built at run time: a root test must not run a binary any user can plant.
NL_MISSING="needs devlink_health_nl: make -C tools/testing/selftests TARGETS=drivers/net/netdevsim"
find_client()
{
	NL=$SCRIPT_DIR/devlink_health_nl
	[[ -x $NL ]]
}

# field LINE KEY: value of KEY in a "key value ..." line of `$NL get`
field()
{
	awk -v k="$2" '{ for (i = 1; i < NF; i++) if ($i == k) print $(i + 1) }' <<<"$1"
}

#
# Prerequisites: each check prints what is missing and returns 1
#

# prerequisites_or_skip NAME: the script's prerequisites, or a
# "TEST: NAME_prerequisites  [SKIP]" line with what is missing and the
# kselftest skip exit code
prerequisites_or_skip()
{
	local why

	if ! why=$(prerequisites); then
		echo "TEST: $1_prerequisites  [SKIP]"
		echo "    $why"
		exit $ksft_skip
	fi
}

# check_prerequisites TOOL...: root, the TOOLs, netdevsim and debugfs
# (loaded and mounted if need be)
check_prerequisites()
{
	local tool

	if [[ $(id -u) != 0 ]]; then
		echo "needs root"
		return 1
	fi
	for tool in "$@"; do
		if ! command -v "$tool" >/dev/null; then
			echo "needs $tool"
			return 1
		fi
	done
	if [[ ! -w $NSIM_BUS/new_device ]]; then
		modprobe -q netdevsim 2>/dev/null
		if [[ ! -w $NSIM_BUS/new_device ]]; then
			echo "needs netdevsim"
			return 1
		fi
	fi
	if [[ ! -d /sys/kernel/debug/netdevsim ]]; then
		mount -t debugfs none /sys/kernel/debug 2>/dev/null
		if [[ ! -d /sys/kernel/debug/netdevsim ]]; then
			echo "needs debugfs"
			return 1
		fi
	fi
}

# check_ynl: the YNL CLI of the kernel tree in KSRC, and PyYAML for it
check_ynl()
{
	if [[ -z $KSRC || ! -f $KSRC/tools/net/ynl/cli.py ]]; then
		echo "needs the kernel tree in KSRC (for tools/net/ynl)"
		return 1
	fi
	if ! "$PYTHON" -c 'import yaml' 2>/dev/null; then
		echo "needs python3 yaml"
		return 1
	fi
}

# The tree this script lives in, found by walking up from it.
find_ksrc()
{
	local d=$SCRIPT_DIR i

	for ((i = 0; i < 8; i++)); do
		if [[ -f $d/tools/net/ynl/cli.py &&
		      -f $d/Documentation/netlink/specs/devlink.yaml ]]; then
			echo "$d"
			return 0
		fi
		d=$(dirname "$d")
	done
	return 1
}

# the first test of a script that does not call test_begin starts here
TEST_T0=$(now_ms)
