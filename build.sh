#!/usr/bin/env bash
# One entry point for a fresh Debian 12 machine:
#   ./build.sh corpus   install what is missing, build, run every scenario on the model
#   ./build.sh test     install what is missing, build, run every test (ctest),
#                       then again under the sanitizers (as ./build.sh asan)
#   ./build.sh bench    install what is missing, build, print the benchmark figures
#   ./build.sh asan     the tests again under ASan + LSan + UBSan, 30 s per fuzz target
#   ./build.sh longtest the long hardening runs (docs/testing.md): 10^6 random
#                       steps per profile, 10 minutes per fuzz target, valgrind
#                       over the corpus
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=${IOMMUSIM_BUILD:-$here/build}

# Debian packages the project needs (host build, unit tests, and the QEMU
# guest harness in hw/: kernel build, initramfs, qemu; qemu-system-x86 is
# Debian 12's 7.2, the fallback when hw/fetch-qemu.sh cannot fetch 10.0;
# the aarch64 guest's kernel and agent are cross-compiled: gcc-aarch64-
# linux-gnu, and libc6-dev-arm64-cross for the static agent).
pkgs=(build-essential cmake pkg-config libglib2.0-dev libcmocka-dev
	clang-format bc bison flex libelf-dev libssl-dev cpio rsync
	busybox-static qemu-system-x86 libcap-dev xz-utils kmod
	gcc-aarch64-linux-gnu libc6-dev-arm64-cross
	graphviz chromium perl python3-jsonschema libedit-dev tmux # view, repl, tests
	clang libclang-rt-14-dev valgrind # sanitizers, libFuzzer, memcheck
	parallel # explore --shard in tests/explore/shard.sh
	strace # delay injection in tests/preload/late-thread.sh
	ccache) # the compiler cache below

# Both builds compile through ccache, its cache beside the kernels and guest
# results: a fresh clone of code already compiled here (CI's warm run)
# compiles from the cache. Paths are rewritten relative to the clone
# (CCACHE_BASEDIR) so a clone in another directory hits too.
cache_root=${IOMMUSIM_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/iommusim}
export CCACHE_DIR=${CCACHE_DIR:-$cache_root/ccache}
export CCACHE_BASEDIR=$here CCACHE_NOHASHDIR=true
launcher=-DCMAKE_C_COMPILER_LAUNCHER=ccache

install_missing() {
	local missing=()
	for p in "${pkgs[@]}"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
			grep -q 'install ok installed' || missing+=("$p")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	echo "build.sh: installing ${missing[*]}" >&2
	local sudo=
	[ "$(id -u)" -eq 0 ] || sudo=sudo
	$sudo apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}"
}

configure_and_build() {
	cmake -S "$here" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo "$launcher" \
		"$@" >/dev/null
	cmake --build "$build" -j "$(nproc)"
}

# The hardening build (docs/testing.md): clang, ASan + LSan + UBSan, the
# libFuzzer targets; its own build directory.
asan=${IOMMUSIM_ASAN_BUILD:-$here/build-asan}
configure_and_build_asan() {
	CC=clang cmake -S "$here" -B "$asan" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
		"$launcher" -DIOMMUSIM_FUZZ=ON "$@" >/dev/null
	cmake --build "$asan" -j "$(nproc)"
}

# The unit tests, bad input, corpus and fail-nth under ASan + LSan + UBSan,
# and a bounded run of each fuzz target; the guests are left out: they run
# the same model code. run_asan LINUX_SRC [CTEST_ARGS...]
run_asan() {
	configure_and_build_asan -DIOMMUSIM_LINUX_SRC="$1" \
		-DIOMMUSIM_FUZZ_SECONDS="${IOMMUSIM_FUZZ_SECONDS:-30}"
	ctest --test-dir "$asan" --output-on-failure -j "$(nproc)" \
		-LE guest "${@:2}"
}

cmd=${1:-}
case "$cmd" in
corpus)
	install_missing
	configure_and_build
	"$build/cli/iommusim" corpus "$here/scenarios"
	;;
test)
	install_missing
	# The Linux 7.3 source: the guest kernel and the AMDv1 kernel oracle
	# test need it; fetched once, cached (hw/fetch-kernel-source.sh).
	src=$("$here/hw/fetch-kernel-source.sh")
	# QEMU 10.0 from bookworm-backports, the guest harness's QEMU: fetched
	# and extracted once into the cache (hw/fetch-qemu.sh, ~10 s); without
	# it the harness falls back to Debian 12's 7.2 and says so.
	"$here/hw/fetch-qemu.sh" >/dev/null ||
		echo "build.sh: WARNING: no QEMU 10.0; the guest tests" \
			"run on Debian 12's QEMU 7.2" >&2
	configure_and_build -DIOMMUSIM_LINUX_SRC="$src"
	ctest --test-dir "$build" --output-on-failure -j "$(nproc)" "${@:2}"
	run_asan "$src" "${@:2}"
	;;
asan)
	install_missing
	run_asan "$("$here/hw/fetch-kernel-source.sh")" "${@:2}"
	;;
longtest)
	install_missing
	configure_and_build
	"$build/tests/unit/sim/test_sim_random_ops" 4000 250
	configure_and_build_asan \
		-DIOMMUSIM_FUZZ_SECONDS="${IOMMUSIM_FUZZ_SECONDS:-600}"
	ctest --test-dir "$asan" --output-on-failure -R '^fuzz:(parse|run)$'
	"$here/tests/valgrind-corpus.sh" "$build/cli/iommusim" "$here/scenarios"
	;;
bench)
	install_missing
	configure_and_build
	"$build/bench/iommusim-bench" "$here/scenarios"
	# ioctls/s of an unmodified program through the preload shim
	if [ -x "$build/bench/iommusim-preload-bench" ]; then
		"$build/cli/iommusim" exec "$here/bench/preload/bench.scn" -- \
			"$build/bench/iommusim-preload-bench"
		# the same loop in the 7.3 guest (minutes: a TCG boot)
		if [ "${IOMMUSIM_BENCH_GUEST:-0}" = 1 ]; then
			"$here/bench/preload/guest.sh" "$build"
		fi
	fi
	;;
*)
	echo "usage: $0 corpus|test|bench|asan|longtest" >&2
	exit 2
	;;
esac
