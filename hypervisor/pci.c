// SPDX-License-Identifier: GPL-2.0-only
/*
 * ECAM filter (PCIe base spec 7.2.2). The configuration space is never
 * mapped into a cell. A function belongs to the created cell that declares
 * it, else to the root. A cell reads a function it does not own as absent
 * (all ones, PCI's "no device") and its writes there are dropped and
 * reported; a cell with no PCI function gets no ECAM at all (a stage-2
 * fault). A non-root cell may not move its function's BARs or bridge
 * windows: writes to header bytes 0x10-0x3b are refused.
 */
#include <cell.h>
#include <pci.h>
#include <setup.h>

#define PCI_COMMAND 0x04
#define PCI_HEADER_FIXED_START 0x10 /* BARs, bus numbers, windows, ROM */
#define PCI_HEADER_FIXED_END 0x3c /* interrupt line and pin onwards are free */

static bool declares(const struct haven_cell *cfg, u16 bdf)
{
	u32 i;

	for (i = 0; i < cfg->num_pci_devices && i < HAVEN_MAX_PCI_DEVICES; i++)
		if (cfg->pci_devices[i] == bdf)
			return true;
	return false;
}

static const struct cell *function_owner(u16 bdf)
{
	u32 id;

	for (id = 1; id < HAVEN_MAX_CELLS; id++)
		if (READ_ONCE(cells[id].state) != HAVEN_CELL_NONE && declares(cells[id].cfg, bdf))
			return &cells[id];
	return &root_cell;
}

static void deny_config_write(struct cell *c, u16 bdf, struct mmio_access *a, u32 reg,
			     const char *why)
{
	cell_deny(c, "PCI %02x:%02x.%x config write 0x%lx (size %u) at 0x%x: %s\n", bdf >> 8,
		  (bdf >> 3) & 0x1f, bdf & 7, a->value, a->size, reg, why);
}

bool pci_mmio(struct cell *c, struct mmio_access *a)
{
	const struct haven_platform *p = &hv.sys->platform;
	u64 off = a->addr - p->pci_ecam_base;
	u16 bdf = (u16)(off >> 12);
	u32 reg = off & 0xfff;

	if (a->addr < p->pci_ecam_base || off >= p->pci_ecam_size || a->size > 4)
		return false;
	if (c != &root_cell && !c->cfg->num_pci_devices)
		return false;
	if (function_owner(bdf) != c) {
		if (a->write)
			deny_config_write(c, bdf, a, reg, "not its function");
		a->value = (1UL << (a->size * 8)) - 1;
		return true;
	}
	if (a->write && c != &root_cell && reg < PCI_HEADER_FIXED_END &&
	    reg + a->size > PCI_HEADER_FIXED_START) {
		deny_config_write(c, bdf, a, reg, "BARs and windows are fixed");
		return true;
	}
	if (a->write)
		mmio_write(a->addr, a->value, a->size);
	else
		a->value = mmio_read(a->addr, a->size);
	return true;
}

void pci_quiesce_functions(const struct cell *c)
{
	u64 ecam = hv.sys->platform.pci_ecam_base;
	u32 i;

	for (i = 0; i < c->cfg->num_pci_devices && i < HAVEN_MAX_PCI_DEVICES; i++) {
		u64 fn = ecam + ((u64)c->cfg->pci_devices[i] << 12);

		if (mmio_read(fn, 2) != 0xffff) /* a function is there */
			mmio_write(fn + PCI_COMMAND, 0, 2);
	}
}
