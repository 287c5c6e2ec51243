#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# `make patches`: turn patches/ and overlay/ into one `git format-patch`
# series against pristine 6.12, in $WORK/series/, then prove it: `git am`
# on a fresh copy of the pristine tree must apply every patch cleanly and
# give exactly the files of src/ours.
#
# The series interleaves, by their number, the edits to upstream files
# (patches/NNNN-*.patch, already in mail form) and the commits that add our
# own files (patches/overlay/NNNN-*.msg: a line "Files: <kernel paths>",
# optionally a line "Diff: <name>.diff" naming an edit to upstream files in
# patches/overlay/ that must land in the same commit to keep every commit
# buildable, a blank line, then the commit message). Every overlay file
# must belong to one commit.
. "$(dirname "$0")/lib.sh"

"$HARNESS/prepare-src.sh" ours >/dev/null || exit 1
pristine=$(src_dir pristine)
ours=$(src_dir ours)
repo=$WORK/series-repo
series=$WORK/series

git_c() { git -C "$1" -c user.name="devlink-health lab" -c user.email=lab@devlink-health.invalid "${@:2}"; }

touched_files() {
	(sed -n 's#^+++ b/\(.*\)$#\1#p' "$LAB_ROOT"/patches/*.patch "$LAB_ROOT"/patches/overlay/*.diff 2>/dev/null
	(cd "$LAB_ROOT/overlay" && find . -type f | sed 's#^\./##')) | sort -u
}

# A repo holding the pristine version of every file the series touches is
# enough for git am; the full tree is only needed for the final proof.
init_repo() { # dir source_tree
	local f
	rm -rf "$1"
	mkdir -p "$1"
	git_c "$1" init -q
	while read -r f; do
		[[ -e $2/$f ]] || continue
		mkdir -p "$1/$(dirname "$f")"
		cp "$2/$f" "$1/$f"
		chmod u+w "$1/$f"
		git_c "$1" add -f "$f"
	done < <(touched_files)
	git_c "$1" commit -q -m "pristine $(make -s -C "$pristine" kernelversion)"
}

commit_overlay() { # msgfile
	local files f diff
	files=$(sed -n '1,/^$/s/^Files: *//p' "$1")
	diff=$(sed -n '1,/^$/s/^Diff: *//p' "$1")
	[[ -n $files ]] || die "$1: no 'Files: ...' line"
	if [[ -n $diff ]]; then
		git_c "$repo" apply --index "$LAB_ROOT/patches/overlay/$diff" ||
			die "$1: $diff does not apply"
	fi
	for f in $files; do
		[[ -e $LAB_ROOT/overlay/$f ]] || die "$1: no overlay/$f"
		mkdir -p "$repo/$(dirname "$f")"
		cp "$LAB_ROOT/overlay/$f" "$repo/$f"
		git_c "$repo" add -f "$f"
	done
	sed '1,/^$/d' "$1" | git_c "$repo" commit -q -F -
}

build_series() {
	local item
	init_repo "$repo" "$pristine"
	for item in $( (ls "$LAB_ROOT"/patches/*.patch; ls "$LAB_ROOT"/patches/overlay/*.msg 2>/dev/null) |
		awk -F/ '{ print $NF "\t" $0 }' | sort | cut -f2); do
		case $item in
		*.patch) git_c "$repo" am -q "$item" || die "git am failed on $item" ;;
		*.msg) commit_overlay "$item" ;;
		esac
	done
	# Nothing of the overlay may be left out of the series.
	local missing
	missing=$(cd "$LAB_ROOT/overlay" && find . -type f | sed 's#^\./##' | while read -r f; do
		git_c "$repo" ls-files --error-unmatch "$f" >/dev/null 2>&1 || echo "$f"
	done)
	[[ -z $missing ]] || die "overlay files in no commit: $missing"
	rm -rf "$series"
	git_c "$repo" format-patch -q -o "$series" --cover-letter HEAD~"$(($(git_c "$repo" rev-list --count HEAD) - 1))"
	log "series: $(ls "$series" | grep -vc cover-letter) patches in $series"
}

prove_series() {
	local proof=$WORK/series-proof f bad=0
	rm -rf "$proof"
	cp -a "$pristine" "$proof"
	chmod -R u+w "$proof"
	git_c "$proof" init -q
	while read -r f; do
		[[ -e $proof/$f ]] && git_c "$proof" add -f "$f"
	done < <(touched_files)
	git_c "$proof" commit -q -m pristine
	git_c "$proof" am -q $(ls "$series"/*.patch | grep -v cover-letter) || die "the series does not git-am on pristine 6.12"
	while read -r f; do
		cmp -s "$proof/$f" "$ours/$f" || { echo "differs: $f"; bad=1; }
	done < <(touched_files)
	rm -rf "$proof"
	((bad == 0)) || die "git am result differs from src/ours"
	log "series applies with git am on pristine 6.12 and matches src/ours"
}

build_series
prove_series
