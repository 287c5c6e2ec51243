#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Usage (in the VM, run by harness/vm-run.sh through `vng --exec`):
#   vm-guest.sh RUN_DIR WORK LAB_ROOT
#
# virtme-ng's init has already set the guest up: the host's root read-only
# over 9p with tmpfs on /tmp, /run, /var/tmp and a writable /root; proc,
# sys, devtmpfs (with /dev/fd), devpts, debugfs, tracefs; lo up; WORK
# shared read-write at the same path (vng --rwdir). What the lab adds:
# sysrq, no udevd, the LAB_* variables, and the run directory's files: CMD
# (RUN_DIR/cmd) runs from RUN_DIR, its stdout+stderr go to output.log and to
# vng's stdout (the console log on the host), its exit code to rc, the
# kernel log to dmesg.log. vng powers the guest off when this returns.
run=${1:?run dir}
export LAB_RUN=$run LAB_WORK=${2:?work dir} LAB_ROOT=${3:?lab root}
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export HOME=/root TERM=dumb LANG=C.UTF-8

stamp() { echo "lab: $* (uptime $(cut -d' ' -f1 /proc/uptime) s)"; }

echo 1 >/proc/sys/kernel/sysrq
# vng's init points /dev/stdout and /dev/stderr at virtio ports of their
# own (straight to vng's stdout and stderr), so what a test writes to
# them, e.g. the kselftest runner's whole output (logfile=/dev/stdout),
# would miss output.log: make them this process's fds again.
for fd in 0:stdin 1:stdout 2:stderr; do
	ln -sfn "/proc/self/fd/${fd%%:*}" "/dev/${fd#*:}"
done
# udevd served vng's init (its /dev/virtio-ports names); left running it
# would handle the tests' netdevsim uevents while they run, e.g. give the
# ports a "persistent" MAC address of its own: the tests run without it, as
# they always have.
timeout 30 udevadm control --exit 2>/dev/null
cd "$run" || { echo "lab: no run dir $run in the guest"; exit 1; }
stamp "running $run/cmd"
"$run/cmd" </dev/null 2>&1 | tee "$run/output.log"
rc=${PIPESTATUS[0]}
dmesg >"$run/dmesg.log"
echo "$rc" >"$run/rc"
stamp "cmd exited $rc"
exit "$rc"
