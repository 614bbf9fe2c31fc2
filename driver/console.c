// SPDX-License-Identifier: GPL-2.0-only
/*
 * Reading the hypervisor's console ring (struct haven_console_ring), which
 * the firmware maps read-only into the root cell. The ring only moves
 * forward; a reader that falls behind by more than its size is told how
 * many bytes it lost.
 */
#include <linux/slab.h>
#include <linux/uaccess.h>
#include "haven.h"

long haven_console_read(struct haven_console_args __user *uargs)
{
	const struct haven_console_ring *ring = haven.console;
	struct haven_console_args args;
	u64 head, start, end, pos, overwritten;
	u32 size = READ_ONCE(ring->size), i;
	char *buf;
	long ret = 0;

	if (copy_from_user(&args, uargs, sizeof(args)))
		return -EFAULT;
	if (!size || size > haven.console_map_size - sizeof(*ring))
		return -EIO;
	head = smp_load_acquire(&ring->head);
	pos = min(args.pos, head);
	start = max(pos, head > size ? head - size : 0);
	end = min(head, start + min_t(u64, args.buf_size, size));
	buf = kmalloc(max_t(u64, end - start, 1), GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	for (i = 0; i < end - start; i++)
		buf[i] = ring->buf[(start + i) % size];
	/* bytes the writer overtook while we copied are not trustworthy */
	smp_rmb();
	head = READ_ONCE(ring->head);
	overwritten = head > size && head - size > start ? min(head - size - start, end - start) : 0;
	args.lost = (u32)(start - pos + overwritten);
	args.len = (u32)(end - start - overwritten);
	args.pos = end;
	if (copy_to_user(u64_to_user_ptr(args.buf_ptr), buf + overwritten, args.len) ||
	    copy_to_user(uargs, &args, sizeof(args)))
		ret = -EFAULT;
	kfree(buf);
	return ret;
}
