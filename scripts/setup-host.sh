#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Installs what Haven's build and tests need on Debian bookworm, idempotently.
# bookworm's own QEMU (7.2) lacks SMMUv3 stage-2, so QEMU 10 and Linux 6.12
# come from bookworm-backports; the suite is derived from the machine's own
# apt sources so no archive host is named here.
set -euo pipefail

stamp_dir=${HAVEN_CACHE:-$HOME/.cache/haven}
mkdir -p "$stamp_dir"

need_root() {
	if [ "$(id -u)" != 0 ]; then
		echo "setup-host: installing packages needs root (run: sudo $0)" >&2
		exit 1
	fi
}

add_backports() {
	local out=/etc/apt/sources.list.d/haven-backports.sources
	[ -e "$out" ] && return 0
	grep -rqs 'bookworm-backports' /etc/apt/sources.list /etc/apt/sources.list.d/ && return 0
	local src
	src=$(grep -l -E '^Suites:.*\bbookworm\b' /etc/apt/sources.list.d/*.sources 2>/dev/null | head -n1 || true)
	if [ -n "$src" ]; then
		# Copy the stanza that carries plain "bookworm" and change its suite.
		awk -v RS= -v ORS='\n\n' '/\nSuites:[^\n]*bookworm( |\n|$)/ && !/security/ { print; exit }' "$src" |
			sed -E 's/^Suites:.*/Suites: bookworm-backports/' >"$out"
	elif [ -f /etc/apt/sources.list ]; then
		grep -E '^deb .* bookworm( |$)' /etc/apt/sources.list | head -n1 |
			sed -E 's/ bookworm( |$)/ bookworm-backports\1/' >/etc/apt/sources.list.d/haven-backports.list
		out=/etc/apt/sources.list.d/haven-backports.list
	fi
	if [ ! -s "$out" ]; then
		echo "setup-host: found no bookworm apt source to derive bookworm-backports from" >&2
		rm -f "$out"
		exit 1
	fi
}

pkgs=(make gcc gcc-aarch64-linux-gnu libc6-dev-arm64-cross clang-16 llvm-16 lld-16 libclang-rt-16-dev
	flex bison bc cpio xz-utils libssl-dev libelf-dev kmod rsync
	libfdt-dev device-tree-compiler python3-yaml python3-kconfiglib python3-pytest
	python3-matplotlib gdb-multiarch sloccount)
bpo_pkgs=(qemu-system-arm linux-source-6.12)

missing=()
for p in "${pkgs[@]}" "${bpo_pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
qemu_ok=0
if command -v qemu-system-aarch64 >/dev/null &&
	qemu-system-aarch64 --version | grep -qE 'version (9|[1-9][0-9])\.'; then
	qemu_ok=1
fi

if [ ${#missing[@]} -gt 0 ] || [ $qemu_ok = 0 ]; then
	need_root
	add_backports
	if [ ! -e "$stamp_dir/apt-updated" ] || [ $qemu_ok = 0 ]; then
		apt-get update -qq
		touch "$stamp_dir/apt-updated"
	fi
	export DEBIAN_FRONTEND=noninteractive
	apt-get install -y -qq --no-install-recommends "${pkgs[@]}" >/dev/null
	apt-get install -y -qq --no-install-recommends -t bookworm-backports "${bpo_pkgs[@]}" >/dev/null
fi

# arm64_file PACKAGE FILE MODE DEST: FILE out of Debian's arm64 PACKAGE,
# installed as DEST (not the package: it would replace the host's).
arm64_file() {
	local tmp
	need_root
	if ! dpkg --print-foreign-architectures | grep -qx arm64; then
		dpkg --add-architecture arm64
		apt-get update -qq
	fi
	tmp=$(mktemp -d)
	(cd "$tmp" && apt-get download -qq "$1:arm64" >/dev/null)
	dpkg-deb -x "$tmp/$1"_*_arm64.deb "$tmp/x"
	mkdir -p "$(dirname "$4")"
	install -m "$3" "$tmp/x/$2" "$4"
	rm -rf "$tmp"
}

# A static arm64 busybox for the guests' initramfs (root and Linux cell).
bb=$stamp_dir/busybox-arm64
[ -x "$bb" ] || arm64_file busybox-static bin/busybox 0755 "$bb"

# libfdt for the static arm64 havenctl (tools/Makefile); its headers are the
# host's, from libfdt-dev.
fdt=$stamp_dir/libfdt-arm64/libfdt.a
[ -s "$fdt" ] || arm64_file libfdt-dev usr/lib/aarch64-linux-gnu/libfdt.a 0644 "$fdt"
echo "setup-host: ok ($(qemu-system-aarch64 --version | head -n1))"
