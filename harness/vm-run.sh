#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Usage: vm-run.sh [-i] -k BZIMAGE -n NAME [-t TIMEOUT_S] [-a "KERNEL ARGS"] -- CMD...
#
# Boot BZIMAGE with virtme-ng (vng, installed by harness/vng-setup.sh into
# $WORK/venv) under qemu TCG (KVM does not work on these machines): the
# host's root read-only over 9p, $WORK shared read-write at the same path,
# vng's own init, then CMD as root in the guest through harness/vm-guest.sh,
# then power off. Results land in $WORK/runs/NAME: cmd, console.log (the
# kernel console and CMD's output, as vng prints them with -v),
# output.log (CMD's stdout+stderr), dmesg.log, rc (CMD's exit code; 124
# when the guest did not finish in time), seconds. Exits with CMD's code.
# Never waits unbounded: vng runs under timeout(1), which kills it and its
# qemu, with the console log kept.
#
# -i: instruction counting, for benchmarks: qemu -icount shift=0,sleep=off
# (the guest clock advances 1 ns per instruction, whatever the host's load),
# which needs single-threaded TCG.
. "$(dirname "$0")/lib.sh"

kernel='' name='' tmo=600 args='' icount=0
while getopts ik:n:t:a: o; do
	case $o in
	i) icount=1 ;;
	k) kernel=$OPTARG ;;
	n) name=$OPTARG ;;
	t) tmo=$OPTARG ;;
	a) args=$OPTARG ;;
	*) die "bad option" ;;
	esac
done
shift $((OPTIND - 1))
[[ $1 == -- ]] && shift
[[ -r $kernel && -n $name && $# -gt 0 ]] || die "usage: vm-run.sh [-i] -k BZIMAGE -n NAME [-t S] [-a ARGS] -- CMD..."
vng=$WORK/venv/bin/vng
[[ -x $vng ]] || die "no virtme-ng in $WORK/venv: run harness/deps.sh"

run=$WORK/runs/$name
rm -rf "$run"
mkdir -p "$run"
{
	echo '#!/bin/bash'
	printf '%q ' "$@"
	echo
} >"$run/cmd"
chmod +x "$run/cmd"

# vng gives no root= on our kernels (built without an initramfs), and
# their 9p root mount then finds no channel: name the root's mount tag.
cmdline="root=/dev/root oops=panic"
# The root as vng mounts it, plus the page cache (cache=loose): the host's
# root does not change under a test, and without it every exec of bash,
# devlink, ... reads its binary over 9p again. (The last rootflags= wins.)
cmdline+=" rootflags=version=9p2000.L,trans=virtio,access=any,msize=512000,cache=loose"
# vng picks qemu's q35 machine without KVM. ACPI is there for the second
# CPU (SeaBIOS's MP table lists only the first); its PCI IRQ routing method
# times out in the AML interpreter of a debug kernel under TCG, leaving
# virtio without an interrupt: route PCI IRQs from the legacy table
# instead, on q35 as on the pc machine.
cmdline+=" pci=noacpi"
# A hung guest must not look like a slow one: a soft lockup is a splat too.
cmdline+=" softlockup_panic=0"
# Every health report logs a line (rate limited per reporter): a 1 MiB log
# ring keeps the boot-time KUnit KTAP in dmesg under the selftests' report
# storms.
cmdline+=" log_buf_len=1M"
# vng's init runs udevd, whose default link policy would rename the
# netdevsim ports (eni<N>np<P>) while the tests use them: keep the
# kernel's names, as a guest without udev had them.
cmdline+=" net.ifnames=0"
cmdline+=" $args"
# oops=panic: an oops leaves the guest unusable anyway; panicking ends qemu
# at once (vng sets panic=-1 and -no-reboot) instead of waiting for the
# timeout.

# TCG on both emulated CPUs, as vng leaves it (qemu's default for an x86
# guest on an x86 host is multi-threaded TCG); -icount needs one thread.
qemu_opts="-accel tcg,thread=multi"
((icount)) && qemu_opts="-accel tcg,thread=single -icount shift=0,sleep=off"
# No 5-level paging (la57=off; qemu takes the last -cpu, vng's is "max"):
# under KASAN, 6.12 reports a false wild-memory-access when an interrupt
# arrives while identify_cpu() has the boot CPU's feature bits cleared:
# pgtable_l5_enabled() reads false there, so KASAN takes the 5-level
# direct map for an address it has no shadow for (mainline now sets LA57
# before it builds the page tables). It hit about one debug boot in
# twenty, before any devlink code ran.
qemu_opts+=" -cpu max,la57=off"

vng_args=(
	-r "$kernel" --disable-kvm --force-9p --cpus 2 -m 2G
	--skip-modules --name "lab-$name" --rwdir "$WORK"
	# -v: the kernel console (boot included) goes to vng's stderr
	--verbose
	--append "$cmdline"
	--qemu-opts="$qemu_opts"
	--exec "$(printf '%q ' "$HARNESS/vm-guest.sh" "$run" "$WORK" "$LAB_ROOT")"
)

# One VM at a time on this machine: two TCG guests on 2 cores make both
# too slow to trust their timeouts. The wait is bounded too.
exec 9>"${VM_LOCK:-/tmp/devlink-health-lab-vm.lock}"
flock -w "${VM_LOCK_WAIT:-3600}" 9 || die "another VM held the lab VM lock for too long"

# vng runs qemu in its own process; timeout(1) signals the whole process
# group (vng, its virtme-run and qemu), then kills it 10 s later. vng's
# stdout and stderr go through a pipe: qemu opens them again by
# /proc/self/fd, which on a regular file would give each chardev an offset
# of its own, the console and CMD's output overwriting each other.
mkdir -p "$WORK/tmp"
t0=$(date +%s.%N)
PATH=$WORK/venv/bin:$PATH TMPDIR=$WORK/tmp \
	timeout -k 10 "$tmo" "$vng" "${vng_args[@]}" </dev/null 2>&1 |
	cat >"$run/console.log"
vrc=${PIPESTATUS[0]}
secs=$(since "$t0")
echo "$secs" >"$run/seconds"
if [[ -s $run/rc ]]; then
	rc=$(cat "$run/rc")
else
	rc=124
	echo 124 >"$run/rc"
	log "run $name: guest did not finish (vng rc $vrc after $secs s); console tail:"
	tail -25 "$run/console.log" >&2
fi
log "run $name: rc $rc in $secs s"
exit "$rc"
