#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# `make demo`: install what is missing, build the release kernel with our
# core (TREE=baseline for the upstream core), boot it and walk through
# devlink health with the devlink tool.
. "$(dirname "$0")/lib.sh"

tree=${TREE:-ours}
"$HARNESS/deps.sh" || exit 1
kernel=$("$HARNESS/build.sh" "$tree" release) || exit 1
"$HARNESS/vm-run.sh" -k "$kernel" -n "demo-$tree" -t 600 -- "$HARNESS/demo-guest.sh" \
	"$(src_dir "$tree")"
rc=$?
cat "$WORK/runs/demo-$tree/output.log"
echo
log "demo output kept in $WORK/runs/demo-$tree/output.log"
exit "$rc"
