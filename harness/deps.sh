#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Install what the lab needs from Debian, only what is missing, then
# virtme-ng from PyPI (harness/vng-setup.sh).
. "$(dirname "$0")/lib.sh"

PKGS=(
	linux-source-6.12	# the baseline source tarball
	bc bison flex libelf-dev libssl-dev cpio kmod ccache	# kernel build
	qemu-system-x86		# the VM (TCG), booted by virtme-ng
	python3-venv		# the venv virtme-ng is installed into
	udev busybox-static	# virtme-ng's guest init: device links (udev), busybox
	sparse coccinelle shellcheck	# make lint
	python3 python3-yaml python3-jsonschema	# ynl-gen and the YNL CLI
	iproute2 jq netsniff-ng	# devlink tool; upstream lib.sh wants jq, mausezahn
	procps psmisc		# ps/pkill/killall for selftests
	gcc make libmnl-dev	# our netlink clients
	rsync			# kselftest install
)

missing=()
for p in "${PKGS[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
		missing+=("$p")
done
if ((${#missing[@]})); then
	log "installing: ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq || die "apt-get update failed"
	apt-get install -y -qq --no-install-recommends "${missing[@]}" >"$WORK/apt.log" 2>&1 ||
		{ tail -20 "$WORK/apt.log"; die "apt-get install failed"; }
fi
[[ -r $TARBALL ]] || die "no kernel source tarball at $TARBALL"
"$HARNESS/vng-setup.sh" || exit 1
log "dependencies present"
