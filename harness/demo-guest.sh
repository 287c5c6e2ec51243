#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Runs in the VM for `make demo`: a guided tour of devlink health with the
# real devlink tool on a netdevsim device. Only upstream knobs are used, so
# the same tour runs on the upstream core (make demo TREE=baseline).

ID=10
DEV=netdevsim/netdevsim$ID
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

step "What 'devlink mon health' saw"
sleep 1
kill "$mon_pid" 2>/dev/null
wait "$mon_pid" 2>/dev/null
mon_pid=''
cat "$MON"
echo
echo "demo: done"
