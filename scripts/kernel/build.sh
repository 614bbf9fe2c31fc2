#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Cross-builds the guest Linux kernel from Debian's linux-source-6.12, cached
# outside the checkout and keyed by the config fragment, the source package
# version and the compiler. Prints the build directory on stdout.
#
#   build.sh gcc     full build (Image + modules), used to boot the guest
#   build.sh clang   clang-16 tree, modules_prepare only: used to compile
#                    haven.ko with clang as a warning check
set -euo pipefail

flavour=${1:-gcc}
here=$(cd "$(dirname "$0")" && pwd)
cache=${HAVEN_CACHE:-$HOME/.cache/haven}
tarball=/usr/src/linux-source-6.12.tar.xz
[ -f "$tarball" ] || { echo "kernel: $tarball missing (run scripts/setup-host.sh)" >&2; exit 1; }

srcver=$(dpkg-query -W -f='${Version}' linux-source-6.12)
key=$( (cat "$here/guest.config"; echo "$srcver $flavour") | sha256sum | cut -c1-16)
src=$cache/linux-6.12-$srcver
out=$cache/kbuild-$flavour-$key

if [ -f "$out/.haven-built" ]; then
	echo "$out"
	exit 0
fi

# one build at a time; whoever waited finds the finished tree
mkdir -p "$cache"
exec 9>"$cache/kbuild-$flavour.lock"
flock 9
if [ -f "$out/.haven-built" ]; then
	echo "$out"
	exit 0
fi

if [ ! -f "$src/.haven-extracted" ]; then
	rm -rf "$src"
	mkdir -p "$src"
	tar -xf "$tarball" -C "$src" --strip-components=1
	touch "$src/.haven-extracted"
fi

case $flavour in
gcc) mk=(ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu-) targets=(Image modules) ;;
clang) mk=(ARCH=arm64 LLVM=-16) targets=(modules_prepare) ;;
*) echo "kernel: unknown flavour $flavour" >&2; exit 1 ;;
esac

rm -rf "$out"
mkdir -p "$out"
{
	make -C "$src" O="$out" "${mk[@]}" KCONFIG_ALLCONFIG="$here/guest.config" allnoconfig
	make -C "$src" O="$out" "${mk[@]}" -j"$(nproc)" "${targets[@]}"
} >"$out/build.log" 2>&1 || { tail -n 40 "$out/build.log" >&2; echo "kernel: build failed, log in $out/build.log" >&2; exit 1; }
touch "$out/.haven-built"
echo "$out"
