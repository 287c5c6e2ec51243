# SPDX-License-Identifier: GPL-2.0
# Entry points of the devlink health lab. Everything runs from harness/;
# WORK=<dir> moves the persistent work directory (default ./build).

H := harness

.PHONY: all demo check baseline lint patches bench kcsan kunit clean help
all: help

help:
	@echo "make demo      build our core (release), boot it, tour devlink health"
	@echo "make check     debug kernel: KUnit + selftests + upstream health tests, fail on splats"
	@echo "make baseline  the same tests on the pristine 6.12 core (side by side)"
	@echo "make lint      checkpatch --strict, sparse, W=1, coccicheck on our code"
	@echo "make patches   git format-patch series against pristine 6.12, git-am tested"
	@echo "make bench     ours vs upstream, same run, ratios"
	@echo "make kcsan     KCSAN kernel (no KASAN) under the stress test"
	@echo "make kunit     kunit.py run --kunitconfig=net/devlink --arch=x86_64"

demo:
	$(H)/demo.sh

check:
	$(H)/check.sh

baseline:
	$(H)/baseline.sh

lint:
	$(H)/lint.sh

patches:
	$(H)/patches.sh

bench:
	$(H)/bench.sh

kcsan:
	$(H)/kcsan.sh

kunit:
	$(H)/kunit.sh

clean:
	rm -rf build
