// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * PCI configuration space through ECAM (inmate.h): bus << 20 | device << 15
 * | function << 12 | register, from PLAT_PCI_ECAM_BASE, which the runtime
 * maps as Device memory. Only aligned 32-bit accesses, which every ECAM
 * (and Haven's emulation of it) takes.
 */
#include "inmate.h"

hv_u64 pci_cfg_addr(hv_u32 bdf, hv_u32 offset)
{
	if (bdf >> 8 >= PLAT_PCI_ECAM_BUSES || bdf > 0xffff || offset >= 4096)
		return 0;
	return PLAT_PCI_ECAM_BASE + ((hv_u64)bdf << 12) + (offset & ~3U);
}

hv_u32 pci_cfg_read32(hv_u32 bdf, hv_u32 offset)
{
	hv_u64 addr = pci_cfg_addr(bdf, offset);

	return addr ? mmio_read32(addr) : 0xffffffffU;
}

void pci_cfg_write32(hv_u32 bdf, hv_u32 offset, hv_u32 value)
{
	hv_u64 addr = pci_cfg_addr(bdf, offset);

	if (addr)
		mmio_write32(addr, value);
}

hv_u32 pci_enable_master(hv_u32 bdf)
{
	/* the status half is write-1-to-clear: write it as zeroes */
	hv_u32 cmd = pci_cfg_read32(bdf, PCI_COMMAND) & 0xffff;

	pci_cfg_write32(bdf, PCI_COMMAND, cmd | PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER);
	return pci_cfg_read32(bdf, PCI_COMMAND) & 0xffff;
}
