#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# PID 1 of a lab VM. The root is the host's, read-only over 9p; everything
# writable is tmpfs, except $lab_work (the host's work dir, shared read-write
# and mounted at the same path, so paths mean the same on both sides).
# Runs $lab_run/cmd, stores its exit code, output and the kernel log there,
# then powers the VM off. It must never return: PID 1 exiting panics.

export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export HOME=/root TERM=dumb LANG=C.UTF-8

stamp() { echo "lab: $* (uptime $(cut -d' ' -f1 /proc/uptime) s)" >/dev/console; }

poweroff_now() {
	stamp "powering off"
	sync
	# Reset, not power off: without ACPI a power-off only halts the CPU
	# and qemu would idle until its timeout; -no-reboot turns the reset
	# into qemu's exit.
	echo b >/proc/sysrq-trigger
}
trap poweroff_now EXIT

mount -t proc proc /proc
stamp "init started"
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
# devtmpfs has no /dev/fd: bash process substitution <(...) needs it.
ln -sfn /proc/self/fd /dev/fd
ln -sfn /proc/self/fd/0 /dev/stdin
ln -sfn /proc/self/fd/1 /dev/stdout
ln -sfn /proc/self/fd/2 /dev/stderr
mkdir -p /dev/pts /dev/shm
mount -t devpts devpts /dev/pts
mount -t tmpfs tmpfs /dev/shm
mount -t tmpfs tmpfs /run
mount -t tmpfs tmpfs /tmp
mount -t tmpfs tmpfs /root
mount -t tmpfs tmpfs /var/tmp
mount -t debugfs debugfs /sys/kernel/debug
mount -t tracefs tracefs /sys/kernel/tracing 2>/dev/null
echo 1 >/proc/sys/kernel/sysrq
stamp "mounted"

for arg in $(cat /proc/cmdline); do
	case $arg in
	lab_run=*) lab_run=${arg#lab_run=} ;;
	lab_work=*) lab_work=${arg#lab_work=} ;;
	lab_root=*) lab_root=${arg#lab_root=} ;;
	esac
done
export LAB_RUN=$lab_run LAB_WORK=$lab_work LAB_ROOT=$lab_root

# The work dir may sit under /tmp, now a tmpfs: create the mount point there.
mkdir -p "$lab_work"
if ! mount -t 9p -o trans=virtio,version=9p2000.L,msize=512000,cache=none \
	labwork "$lab_work"; then
	echo "lab: cannot mount the work dir $lab_work" >/dev/console
	exit 1
fi

stamp "work dir mounted"
hostname labvm
ip link set lo up 2>/dev/null

cd "$lab_run" || exit 1
stamp "running $lab_run/cmd"
"$lab_run/cmd" 2>&1 | tee "$lab_run/output.log" >/dev/console
rc=${PIPESTATUS[0]}

dmesg >"$lab_run/dmesg.log"
echo "$rc" >"$lab_run/rc"
stamp "cmd exited $rc"
