/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * PCI configuration space (ECAM), emulated for every cell: each reaches only
 * the functions it owns (pci.c).
 */
#ifndef HAVEN_PCI_H
#define HAVEN_PCI_H

#include <mmio.h>

struct cell;

/* A trapped access to the ECAM window: true if Haven answered it. */
bool pci_mmio(struct cell *c, struct mmio_access *a);
/* Stop the cell's functions decoding and mastering (change of owner). */
void pci_quiesce_functions(const struct cell *c);

#endif
