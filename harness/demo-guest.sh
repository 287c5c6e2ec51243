#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Runs in the VM for `make demo`: a guided tour of devlink health with the
# real devlink tool on a netdevsim device. Only upstream knobs are used, so
# the same tour runs on the upstream core (make demo TREE=baseline); the
# burst period tour at the end, with the kernel's YNL CLI, runs only when
# the device has our netdevsim's "tx" reporter. Argument: the kernel tree.

ID=10
DEV=netdevsim/netdevsim$ID
# The kernel tree booted, for the YNL CLI and the devlink spec: the burst
# period is beyond Debian's devlink 6.1 (iproute2 >= 6.19 has it).
KSRC=${1:-}
DBG=/sys/kernel/debug/netdevsim/netdevsim$ID/health
MON=/tmp/mon.log

step() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }
run() { printf '$ %s\n' "$*"; "$@"; }

cleanup() {
	[[ -n ${mon_pid:-} ]] && kill "$mon_pid" 2>/dev/null
	echo "$ID" >/sys/bus/netdevsim/del_device 2>/dev/null
}
trap cleanup EXIT

step "Kernel $(uname -r); create a netdevsim device with one port"
run sh -c "echo '$ID 1' > /sys/bus/netdevsim/new_device"
for _ in $(seq 50); do devlink dev show "$DEV" >/dev/null 2>&1 && break; sleep 0.1; done

step "Watch health events in the background (devlink mon health)"
devlink mon health >"$MON" 2>&1 &
mon_pid=$!
sleep 1

step "List the health reporters"
run devlink health show

step "Inject an error into the 'dummy' reporter (its driver recovers it)"
run sh -c "echo 'demo: tx queue 3 stuck' > $DBG/break_health"
run devlink health show "$DEV" reporter dummy
echo "    -> error 1, recover 1, state healthy: auto-recovered"

step "The dump saved when the error happened"
run devlink health dump show "$DEV" reporter dummy

step "Ask the driver for a diagnosis"
run devlink health diagnose "$DEV" reporter dummy

step "Clear the saved dump"
run devlink health dump clear "$DEV" reporter dummy
run devlink health show "$DEV" reporter dummy

step "Turn auto-recovery off, set a 10 s grace period, inject again"
run devlink health set "$DEV" reporter dummy grace_period 10000 auto_recover false
run sh -c "echo 'demo: second error' > $DBG/break_health"
run devlink health show "$DEV" reporter dummy
echo "    -> state error: nobody recovered it"

step "Recover by hand"
run devlink health recover "$DEV" reporter dummy
run devlink health show "$DEV" reporter dummy

step "Fire a test event through the real recovery flow (needs a test op)"
run devlink health test "$DEV" reporter dummy ||
	echo "    -> this reporter has no test op"

# ynl ARGS...: the kernel's own YNL CLI on the devlink spec of the tree
ynl() {
	/usr/bin/python3 "$KSRC/tools/net/ynl/cli.py" --no-schema --process-unknown \
		--spec "$KSRC/Documentation/netlink/specs/devlink.yaml" "$@"
}
# rep_json NAME [MORE]: a request on reporter NAME of the device
rep_json() {
	printf '{"bus-name": "netdevsim", "dev-name": "netdevsim%s", "health-reporter-name": "%s"%s}' \
		"$ID" "$1" "${2:-}"
}
# burst_show NAME: the reporter's periods, as the kernel sends them
burst_show() {
	printf '$ ynl --do health-reporter-get ... %s\n' "$1"
	ynl --do health-reporter-get --json "$(rep_json "$1")" --output-json |
		jq -c '."health-reporter" | {name: ."health-reporter-name",
			state: ."health-reporter-state", error: ."health-reporter-err-count",
			recover: ."health-reporter-recover-count",
			grace_ms: ."health-reporter-graceful-period",
			burst_ms: ."health-reporter-burst-period"}'
}

if [[ -f $KSRC/tools/net/ynl/cli.py ]] && ynl --list-ops >/dev/null 2>&1 &&
   devlink health show "$DEV" reporter tx >/dev/null 2>&1; then
	step "The burst period: Debian's devlink 6.1 does not know it, so the kernel's YNL CLI"
	echo "    (iproute2 >= 6.19: devlink health set DEV reporter NAME burst_period MSEC)"
	burst_show tx
	echo "    -> 'tx' has the 500 ms grace and burst periods its driver's ops give"

	step "On 'dummy': auto-recover on, 20 s grace period, 6 s burst period"
	run ynl --do health-reporter-set --json "$(rep_json dummy ', "health-reporter-auto-recover": 1,
		"health-reporter-graceful-period": 20000, "health-reporter-burst-period": 6000')"
	burst_show dummy

	step "A recovery opens a 6 s burst window: errors inside it are recovered"
	t0=$(date +%s%N)
	run devlink health recover "$DEV" reporter dummy
	run sh -c "echo 'demo: burst error 1' > $DBG/break_health"
	run sh -c "echo 'demo: burst error 2' > $DBG/break_health"
	burst_show dummy
	echo "    -> both recovered: without a burst period the grace period refuses them"

	step "After the window, the grace period refuses automatic recovery"
	left=$(((t0 + 6500000000 - $(date +%s%N)) / 1000000))
	((left > 0)) && sleep "$((left / 1000)).$(printf '%03d' $((left % 1000)))"
	run sh -c "echo 'demo: error after the burst' > $DBG/break_health" ||
		echo "    -> refused: Operation canceled (grace period)"
	burst_show dummy

	step "The core's kernel log line per error (rate limited per reporter)"
	dmesg | grep -F "devlink $DEV" | tail -n 6
fi

step "What 'devlink mon health' saw"
sleep 1
kill "$mon_pid" 2>/dev/null
wait "$mon_pid" 2>/dev/null
mon_pid=''
cat "$MON"
echo
echo "demo: done"
