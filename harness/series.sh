# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
# The patch series: the one source of the kernel the lab builds. Sourced,
# after lib.sh, by prepare-src.sh, patches.sh and lint.sh.
#
#   series_build      patches/ and overlay/ -> $WORK/series/NNNN-*.patch, a
#                     `git format-patch` series against pristine 6.12. A
#                     commit that changes a YNL spec also carries the files
#                     the kernel's own generator makes of it
#                     (net/devlink/netlink_gen.[ch]), as upstream commits
#                     them; the lab repo keeps only the spec.
#   series_apply      `git am` of $WORK/series onto a repo holding the
#                     pristine version of every file the series touches
#                     ($WORK/series-am): what a user's `git am` does to
#                     those files, one commit per patch.
#   series_export N D the files of that repo after patch N into dir D.
#
# The series interleaves, by their number, the edits to upstream files
# (patches/NNNN-*.patch, already in mail form) and the commits that add our
# own files (patches/overlay/NNNN-*.msg: a line "Files: <kernel paths>",
# optionally a line "Diff: <name>.diff" naming an edit to upstream files in
# patches/overlay/ that must land in the same commit to keep every commit
# buildable, a blank line, then the commit message). Every overlay file
# must belong to one commit.

SERIES_DIR=$WORK/series
SERIES_REPO=$WORK/series-repo
SERIES_AM=$WORK/series-am
pristine=${pristine:-$(src_dir pristine)}

# Debian's python has the yaml and jsonschema modules deps.sh installs; the
# first python3 on PATH may not.
YNL_PYTHON=${YNL_PYTHON:-/usr/bin/python3}

# Fixed dates make the series, and so its commit ids, the same on every
# run: only a change of content changes it.
export GIT_AUTHOR_DATE='2026-12-01T00:00:00+00:00'
export GIT_COMMITTER_DATE='2026-12-01T00:00:00+00:00'

git_c() {
	git -C "$1" -c user.name="devlink-health lab" \
		-c user.email=lab@devlink-health.invalid -c core.autocrlf=false \
		-c am.threeWay=false "${@:2}"
}

# Files of the pristine tree generated in kernel mode from spec $1 (a path
# in the tree), with their mode: "path<TAB>source|header".
ynl_kernel_outputs() {
	local marker f kind
	marker=$(printf '/*\t%s */' "$1")
	(cd "$pristine" && grep -rlxF --include='*.[ch]' "$marker" net fs drivers kernel) |
		while read -r f; do
			kind=$(sed -n 's#^/\* YNL-GEN kernel \(source\|header\) \*/$#\1#p' "$pristine/$f")
			[[ -n $kind ]] && printf '%s\t%s\n' "$f" "$kind"
		done
}

# Regenerate in dir $1 every kernel file generated from spec $2, with the
# kernel's own generator and the arguments recorded in the file, as
# tools/net/ynl/ynl-regen.sh does. The generator names its output after the
# spec's path below the directory holding MAINTAINERS and validates it
# against the schema next to the specs, so it gets a tree of its own.
ynl_generate() {
	local dir=$1 spec=$2 root f kind rc=0
	local -a args

	"$YNL_PYTHON" -c 'import yaml, jsonschema' 2>/dev/null ||
		die "$YNL_PYTHON lacks yaml or jsonschema: run harness/deps.sh"
	root=$(mktemp -d "$WORK/.ynl.XXXXXX")
	mkdir -p "$root/Documentation/netlink"
	touch "$root/MAINTAINERS"
	cp -r "$pristine/Documentation/netlink/." "$root/Documentation/netlink/"
	cp -r "$dir/Documentation/netlink/." "$root/Documentation/netlink/"
	while IFS=$'\t' read -r f kind; do
		read -ra args < <(sed -n 's#^/\* YNL-ARG \(.*\) \*/$#\1#p' "$pristine/$f")
		mkdir -p "$dir/$(dirname "$f")"
		"$YNL_PYTHON" "$pristine/tools/net/ynl/ynl-gen-c.py" --mode kernel \
			--"$kind" --spec "$root/$spec" "${args[@]}" -o "$dir/$f" ||
			{ rc=1; break; }
	done < <(ynl_kernel_outputs "$spec")
	rm -rf "$root"
	return "$rc"
}

# The sources of the series in order: mail-form patches and overlay
# commit messages, sorted by their number.
series_sources() {
	(ls "$LAB_ROOT"/patches/*.patch "$LAB_ROOT"/patches/overlay/*.msg 2>/dev/null) |
		awk -F/ '{ print $NF "\t" $0 }' | sort | cut -f2
}

# Every file the series creates or modifies, generated files included.
series_touched_files() {
	local f
	{
		sed -n 's#^+++ b/\(.*\)$#\1#p' "$LAB_ROOT"/patches/*.patch \
			"$LAB_ROOT"/patches/overlay/*.diff 2>/dev/null
		(cd "$LAB_ROOT/overlay" && find . -type f | sed 's#^\./##')
	} | sort -u | while read -r f; do
		echo "$f"
		[[ $f == Documentation/netlink/specs/*.yaml ]] &&
			ynl_kernel_outputs "$f" | cut -f1
	done | sort -u
}

# A git repo at $1 holding the pristine version of each file listed on
# stdin that exists in pristine, committed.
pristine_repo() {
	local f
	rm -rf "$1"
	mkdir -p "$1"
	git_c "$1" init -q
	while read -r f; do
		[[ -e $pristine/$f ]] || continue
		mkdir -p "$1/$(dirname "$f")"
		cp "$pristine/$f" "$1/$f"
		chmod u+w "$1/$f"
		git_c "$1" add -f "$f"
	done
	git_c "$1" commit -q -m "pristine $(make -s -C "$pristine" kernelversion)"
}

commit_overlay() { # msgfile
	local files f diff
	files=$(sed -n '1,/^$/s/^Files: *//p' "$1")
	diff=$(sed -n '1,/^$/s/^Diff: *//p' "$1")
	[[ -n $files ]] || die "$1: no 'Files: ...' line"
	if [[ -n $diff ]]; then
		git_c "$SERIES_REPO" apply --index "$LAB_ROOT/patches/overlay/$diff" ||
			die "$1: $diff does not apply"
	fi
	for f in $files; do
		[[ -e $LAB_ROOT/overlay/$f ]] || die "$1: no overlay/$f"
		mkdir -p "$SERIES_REPO/$(dirname "$f")"
		cp "$LAB_ROOT/overlay/$f" "$SERIES_REPO/$f"
		git_c "$SERIES_REPO" add -f "$f"
	done
	sed '1,/^$/d' "$1" | git_c "$SERIES_REPO" commit -q -F -
}

# If the last commit changed a YNL spec, add what the generator makes of
# it to that commit.
commit_generated() {
	local spec f
	for spec in $(git_c "$SERIES_REPO" diff-tree --no-commit-id --name-only -r HEAD |
		grep '^Documentation/netlink/specs/.*\.yaml$'); do
		ynl_generate "$SERIES_REPO" "$spec" || die "cannot generate the files of $spec"
		for f in $(ynl_kernel_outputs "$spec" | cut -f1); do
			git_c "$SERIES_REPO" add -f "$f"
		done
	done
	git_c "$SERIES_REPO" diff --cached --quiet ||
		git_c "$SERIES_REPO" commit -q --amend --no-edit
}

series_build() {
	local item missing
	series_touched_files | pristine_repo "$SERIES_REPO"
	for item in $(series_sources); do
		case $item in
		*.patch) git_c "$SERIES_REPO" am -q "$item" || die "git am failed on $item" ;;
		*.msg) commit_overlay "$item" ;;
		esac
		commit_generated
	done
	# Nothing of the overlay may be left out of the series.
	missing=$(cd "$LAB_ROOT/overlay" && find . -type f | sed 's#^\./##' | while read -r f; do
		git_c "$SERIES_REPO" ls-files --error-unmatch "$f" >/dev/null 2>&1 || echo "$f"
	done)
	[[ -z $missing ]] || die "overlay files in no commit: $missing"
	rm -rf "$SERIES_DIR"
	git_c "$SERIES_REPO" format-patch -q -o "$SERIES_DIR" --cover-letter \
		HEAD~"$(($(git_c "$SERIES_REPO" rev-list --count HEAD) - 1))"
	cover_letter "$SERIES_DIR/0000-cover-letter.patch"
}

# Fill format-patch's cover letter template from patches/cover-letter.txt:
# its first line is the subject, the rest after a blank line the text.
cover_letter() { # file
	local src=$LAB_ROOT/patches/cover-letter.txt subject
	[[ -f $src ]] || die "no $src"
	subject=$(head -n1 "$src")
	awk -v subject="$subject" -v body="$src" '
		/\*\*\* SUBJECT HERE \*\*\*/ { sub(/\*\*\* SUBJECT HERE \*\*\*/, subject) }
		/^\*\*\* BLURB HERE \*\*\*$/ {
			n = 0
			while ((getline line < body) > 0)
				if (++n > 2)
					print line
			next
		}
		{ print }' "$1" >"$1.tmp" && mv "$1.tmp" "$1"
}

# The patches of the series, cover letter excluded, in order.
series_patches() {
	local p
	for p in "$SERIES_DIR"/[0-9][0-9][0-9][0-9]-*.patch; do
		[[ $p == */0000-cover-letter.patch ]] || echo "$p"
	done
}

series_count() {
	series_patches | wc -l
}

# Files the built series touches, from the patches themselves.
series_patch_files() {
	local -a p
	mapfile -t p < <(series_patches)
	sed -n 's#^+++ b/\(.*\)$#\1#p; s#^--- a/\(.*\)$#\1#p' "${p[@]}" | sort -u
}

series_apply() {
	local -a p
	series_patch_files | pristine_repo "$SERIES_AM"
	mapfile -t p < <(series_patches)
	git_c "$SERIES_AM" am -q "${p[@]}" ||
		die "the series does not git-am on pristine 6.12"
}

# Subject of patch $1 (1-based) as applied.
series_subject() {
	git_c "$SERIES_AM" log -1 --format=%s "HEAD~$(($(series_count) - $1))"
}

# Whether patch $1 (1-based) changes a file matching the extended regex $2.
series_patch_touches() {
	git_c "$SERIES_AM" diff-tree --no-commit-id --name-only -r \
		"HEAD~$(($(series_count) - $1))" | grep -qE "$2"
}

series_export() { # step dir
	local n
	n=$(series_count)
	(($1 >= 0 && $1 <= n)) || die "no patch $1 in a series of $n"
	mkdir -p "$2"
	git_c "$SERIES_AM" archive "HEAD~$((n - $1))" | tar -C "$2" -xf - ||
		die "cannot export the tree after patch $1"
}
