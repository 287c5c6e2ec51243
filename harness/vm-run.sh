#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Usage: vm-run.sh -k BZIMAGE -n NAME [-t TIMEOUT_S] [-a "KERNEL ARGS"] [-i] -- CMD...
#
# Boot BZIMAGE under qemu TCG (KVM does not work on these machines) with the
# host's root as a read-only 9p root and $WORK shared read-write at the same
# path, run CMD as root in the guest through harness/guest-init.sh, then
# power off. Results land in $WORK/runs/NAME: console.log (serial), output.log
# (CMD's stdout+stderr), dmesg.log, rc (CMD's exit code; 124 when the guest
# did not finish in time). Exits with CMD's code. Never waits unbounded: qemu
# runs under timeout(1) and is killed with its log kept.
#
# -i counts instructions instead of running the guest at host speed: one
# TCG thread with `-icount shift=0,sleep=off`, so the guest's clocks advance
# one nanosecond per guest instruction and an idle guest skips ahead. A
# guest duration then measures the instructions it took, which host load
# does not change (for `make bench`).
. "$(dirname "$0")/lib.sh"

kernel='' name='' tmo=600 args='' accel=(-accel 'tcg,thread=multi')
while getopts k:n:t:a:i o; do
	case $o in
	k) kernel=$OPTARG ;;
	n) name=$OPTARG ;;
	t) tmo=$OPTARG ;;
	a) args=$OPTARG ;;
	i) accel=(-accel 'tcg,thread=single' -icount 'shift=0,sleep=off') ;;
	*) die "bad option" ;;
	esac
done
shift $((OPTIND - 1))
[[ $1 == -- ]] && shift
[[ -r $kernel && -n $name && $# -gt 0 ]] || die "usage: vm-run.sh -k BZIMAGE -n NAME [-t S] [-a ARGS] [-i] -- CMD..."

run=$WORK/runs/$name
rm -rf "$run"
mkdir -p "$run"
{
	echo '#!/bin/bash'
	printf '%q ' "$@"
	echo
} >"$run/cmd"
chmod +x "$run/cmd"

cmdline="root=/dev/root rootfstype=9p rootflags=trans=virtio,version=9p2000.L,msize=512000,cache=loose"
cmdline+=" ro console=ttyS0 init=$HARNESS/guest-init.sh panic=-1 oops=panic"
# ACPI is there for the second CPU (SeaBIOS's MP table lists only the first);
# its PCI IRQ routing method times out in the AML interpreter of a debug
# kernel under TCG, leaving virtio without an interrupt: route PCI IRQs
# from the legacy table instead.
cmdline+=" pci=noacpi"
cmdline+=" lab_run=$run lab_work=$WORK lab_root=$LAB_ROOT"
# A hung guest must not look like a slow one: a soft lockup is a splat too.
cmdline+=" softlockup_panic=0"
# Every health report logs a line (rate limited per reporter): a 1 MiB log
# ring keeps the boot-time KUnit KTAP in dmesg under the selftests' report
# storms.
cmdline+=" log_buf_len=1M $args"
# oops=panic: an oops leaves the guest unusable anyway; panicking ends qemu
# at once (-no-reboot) instead of waiting for the timeout.

# One VM at a time on this machine: two TCG guests on 2 cores make both
# too slow to trust their timeouts. The wait is bounded too.
exec 9>"${VM_LOCK:-/tmp/devlink-health-lab-vm.lock}"
flock -w "${VM_LOCK_WAIT:-3600}" 9 || die "another VM held the lab VM lock for too long"

# No 5-level paging (la57=off): under KASAN, 6.12 reports a false
# wild-memory-access when an interrupt arrives while identify_cpu() has
# the boot CPU's feature bits cleared: pgtable_l5_enabled() reads false
# there, so KASAN takes the 5-level direct map for an address it has no
# shadow for (mainline now sets LA57 before it builds the page tables).
# It hit about one debug boot in twenty, before any devlink code ran.
cpu=max,la57=off

t0=$(date +%s.%N)
timeout -k 10 "$tmo" qemu-system-x86_64 \
	"${accel[@]}" -cpu "$cpu" -smp 2 -m 2G \
	-nographic -no-reboot -nodefaults -serial stdio -display none \
	-kernel "$kernel" -append "$cmdline" \
	-fsdev local,id=root,path=/,security_model=none,readonly=on,multidevs=remap \
	-device virtio-9p-pci,fsdev=root,mount_tag=/dev/root \
	-fsdev local,id=work,path="$WORK",security_model=none,multidevs=remap \
	-device virtio-9p-pci,fsdev=work,mount_tag=labwork \
	</dev/null >"$run/console.log" 2>&1
qrc=$?
secs=$(since "$t0")
echo "$secs" >"$run/seconds"
if [[ -s $run/rc ]]; then
	rc=$(cat "$run/rc")
else
	rc=124
	echo 124 >"$run/rc"
	log "run $name: guest did not finish (qemu rc $qrc after $secs s); console tail:"
	tail -25 "$run/console.log" >&2
fi
log "run $name: rc $rc in $secs s"
exit "$rc"
