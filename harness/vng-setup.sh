#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Install virtme-ng (vng), which boots every VM of the lab, into a venv
# in the work directory: $WORK/venv, from PyPI at the exact versions of
# harness/vng-requirements.txt. A no-op when that venv already holds them.
# The venv is made from Debian's /usr/bin/python3 (python3-venv): the first
# python3 on PATH may be another build without Debian's modules.
. "$(dirname "$0")/lib.sh"

req=$HARNESS/vng-requirements.txt
venv=$WORK/venv
stamp=$venv/.lab-requirements
want=$(md5sum <"$req")

[[ -x $venv/bin/vng && -f $stamp && $(cat "$stamp") == "$want" ]] && exit 0

log "installing virtme-ng into $venv ($(grep -m1 '^virtme-ng==' "$req"))"
rm -rf "$venv"
/usr/bin/python3 -m venv "$venv" || die "cannot create the venv $venv"
# --no-deps: the file lists every package, so nothing unpinned comes in;
# pip check then proves the set is complete and consistent.
if ! timeout 600 "$venv/bin/pip" install -q --disable-pip-version-check --no-deps \
	-r "$req" >"$WORK/vng-setup.log" 2>&1 ||
	! "$venv/bin/pip" check >>"$WORK/vng-setup.log" 2>&1; then
	tail -20 "$WORK/vng-setup.log" >&2
	rm -rf "$venv"
	die "pip install of virtme-ng failed, see $WORK/vng-setup.log"
fi
"$venv/bin/vng" --version >/dev/null || die "vng does not run from $venv"
echo "$want" >"$stamp"
log "virtme-ng installed: $("$venv/bin/vng" --version)"
