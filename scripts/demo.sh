#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# make demo: boot the QEMU platform and show Haven enabled under Linux.
set -euo pipefail
cd "$(dirname "$0")/.."
exec tools/qemu-run -t 300 scripts/demo/root-cell.sh
