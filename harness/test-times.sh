#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Usage: test-times.sh OUTPUT_LOG [N]
# The N (default 8) slowest selftest tests of a VM run, from the
# "# time: NAME MS ms" line devlink_health_lib.sh prints before each TEST
# line, so that a CI log shows where the time went.
log=${1:?output.log}
n=${2:-8}
# the kselftest runner prefixes what a test prints with "# "
sed -e 's/\r$//' -e 's/^# //' "$log" 2>/dev/null | awk '
	/^### selftest begin / { st = $4 }
	/^# time: / { printf "%d %s:%s\n", $4, st, $3 }' |
	sort -rn | head -"$n" |
	awk '{ printf "[lab] slowest test: %s %.1f s\n", $2, $1 / 1000 }'
