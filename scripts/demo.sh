#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# make demo: boot the QEMU platform, enable Haven under Linux, run the RTOS
# cell and a Linux cell next to it and seal the layout.
set -euo pipefail
cd "$(dirname "$0")/.."
exec tools/qemu-run -t 400 --files build/linux-cell scripts/demo/cells.sh
