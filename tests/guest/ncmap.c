// SPDX-License-Identifier: GPL-2.0-only
/*
 * ncmap.ko: /dev/ncmap, which maps one page of physical address space,
 * the page at the module parameter phys, Normal non-cacheable (write
 * combining) into a process that mmaps it (offset 0, one page). /dev/mem
 * maps a device Device-nGnRnE, where the CPU itself faults on a misaligned
 * access before the hypervisor sees it; through this mapping a misaligned
 * access reaches Haven's stage 2 (tests/qemu/root-subpage.sh, with
 * tests/guest/subpage.c).
 */
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/mm.h>
#include <linux/module.h>

static unsigned long phys;
module_param(phys, ulong, 0444);
MODULE_PARM_DESC(phys, "the physical page to map (page-aligned)");

static int ncmap_mmap(struct file *file, struct vm_area_struct *vma)
{
	if (vma->vm_pgoff || vma->vm_end - vma->vm_start != PAGE_SIZE)
		return -EINVAL;
	return remap_pfn_range(vma, vma->vm_start, phys >> PAGE_SHIFT, PAGE_SIZE,
			       pgprot_writecombine(vma->vm_page_prot));
}

static const struct file_operations ncmap_fops = {
	.owner = THIS_MODULE,
	.mmap = ncmap_mmap,
};

static struct miscdevice ncmap_dev = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "ncmap",
	.fops = &ncmap_fops,
};

static int __init ncmap_init(void)
{
	if (!phys || phys & ~PAGE_MASK)
		return -EINVAL;
	return misc_register(&ncmap_dev);
}

static void __exit ncmap_exit(void)
{
	misc_deregister(&ncmap_dev);
}

module_init(ncmap_init);
module_exit(ncmap_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Haven test: a physical page mapped Normal non-cacheable");
