#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The Linux cell's payload: build-initramfs.sh OUTDIR BUSYBOX MEMSCAN KERNEL
# [PROGRAM...] writes OUTDIR/initramfs.cpio (static busybox, /init from this
# directory, /bin/memscan, and each PROGRAM as /bin/<its name>, e.g. hog) and
# OUTDIR/Image (the same kernel the root runs).
set -euo pipefail

out=$1 busybox=$2 memscan=$3 kernel=$4
shift 4
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

mkdir -p "$tmp"/{bin,sbin,usr/bin,usr/sbin,proc,sys,dev,tmp}
install -m 0755 "$busybox" "$tmp/bin/busybox"
install -m 0755 "$memscan" "$tmp/bin/memscan"
for prog in "$@"; do
	install -m 0755 "$prog" "$tmp/bin/$(basename "$prog")"
done
ln -s busybox "$tmp/bin/sh"
install -m 0755 "$here/init" "$tmp/init"
mkdir -p "$out"
(cd "$tmp" && find . -mindepth 1 | LC_ALL=C sort | cpio -o -H newc --owner 0:0 --quiet) \
	>"$out/initramfs.cpio.tmp"
mv -f "$out/initramfs.cpio.tmp" "$out/initramfs.cpio"
cp "$kernel" "$out/Image"
