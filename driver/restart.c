// SPDX-License-Identifier: GPL-2.0-only
/*
 * A cell's PSCI SYSTEM_RESET means "this cell restarts". Haven stops the
 * cell and marks it; the driver keeps a copy of the images of the cell's
 * last load and, polling every RESTART_POLL_MS while cells run, loads them
 * again and starts the cell as it was started before. After sealing Haven
 * refuses the load, and the cell stays stopped (README: Cells): the copies
 * are freed and the poll ends then (haven_restart_sealed).
 */
#include <linux/arm-smccc.h>
#include <linux/io.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/workqueue.h>
#include <haven/errors.h>
#include <haven/hypercall.h>
#include "haven.h"

/*
 * A poll wakes a root CPU and costs two hypercalls: about 18,000
 * instructions, 0.15% of a CPU-bound Linux cell's time at 10 per second
 * under -icount (make bench), where every vCPU's instructions count; once a
 * second a restart starts at most a second late.
 */
#define RESTART_POLL_MS 1000

struct saved_image {
	void *data; /* kvmalloc'ed copy */
	u64 size;
	phys_addr_t phys; /* where it goes */
};

struct saved_boot {
	u32 num_images;
	struct saved_image images[HAVEN_MAX_IMAGES];
	bool started; /* entry and boot_arg are valid */
	u64 entry, boot_arg;
};

static struct saved_boot saved[HAVEN_MAX_CELLS];
static void restart_poll(struct work_struct *work);
static DECLARE_DELAYED_WORK(restart_work, restart_poll);

void haven_restart_forget(u32 id)
{
	struct saved_boot *s = &saved[id];
	u32 i;

	for (i = 0; i < s->num_images; i++)
		kvfree(s->images[i].data);
	memset(s, 0, sizeof(*s));
}

int haven_restart_save(u32 id, const void *src, u64 size, phys_addr_t phys)
{
	struct saved_boot *s = &saved[id];
	struct saved_image *img;

	if (s->num_images == HAVEN_MAX_IMAGES)
		return -ENOSPC;
	img = &s->images[s->num_images];
	img->data = kvmalloc(size, GFP_KERNEL);
	if (!img->data)
		return -ENOMEM;
	memcpy(img->data, src, size);
	img->size = size;
	img->phys = phys;
	s->num_images++;
	return 0;
}

void haven_restart_started(u32 id, u64 entry, u64 boot_arg)
{
	saved[id].started = true;
	saved[id].entry = entry;
	saved[id].boot_arg = boot_arg;
	schedule_delayed_work(&restart_work, msecs_to_jiffies(RESTART_POLL_MS));
}

static int reload(const struct saved_boot *s)
{
	u32 i;

	for (i = 0; i < s->num_images; i++) {
		void *dst = memremap(s->images[i].phys, s->images[i].size, MEMREMAP_WB);

		if (!dst)
			return -ENOMEM;
		memcpy(dst, s->images[i].data, s->images[i].size);
		memunmap(dst);
	}
	return 0;
}

static void restart(u32 id)
{
	const struct saved_boot *s = &saved[id];
	struct arm_smccc_res res;
	long status;

	status = haven_hypercall3(HAVEN_HC_CELL_LOAD, id, 0, 0, &res);
	if (status == HAVEN_OK && reload(s))
		status = HAVEN_E_NOMEM;
	if (status == HAVEN_OK)
		status = haven_hypercall3(HAVEN_HC_CELL_START, id, s->entry, s->boot_arg, &res);
	if (status == HAVEN_OK)
		pr_info("haven: cell %u restarted after its PSCI SYSTEM_RESET\n", id);
	else
		pr_err("haven: cell %u asked for a reset and stays stopped: %s\n", id,
		       haven_strerror(status));
	/* once only: a refused restart is not retried */
	saved[id].started = false;
}

static void restart_poll(struct work_struct *work)
{
	bool again = false;
	u64 state, reset;
	u32 id;

	mutex_lock(&haven.lock);
	for (id = 1; id < HAVEN_MAX_CELLS && haven.enabled; id++) {
		if (!saved[id].started)
			continue;
		again = true;
		if (haven_cell_query(id, HAVEN_CELL_INFO_STATE, 0, &state) ||
		    haven_cell_query(id, HAVEN_CELL_INFO_RESET, 0, &reset))
			continue;
		if (state == HAVEN_CELL_SHUT_DOWN && reset)
			restart(id);
	}
	mutex_unlock(&haven.lock);
	if (again)
		schedule_delayed_work(&restart_work, msecs_to_jiffies(RESTART_POLL_MS));
}

/*
 * The layout is sealed: Haven refuses every reload from now on, so no cell
 * restarts. The copies go back to the root (the bytes they took are
 * returned), and the poll stops: its next run finds no started cell.
 */
u64 haven_restart_sealed(void)
{
	u64 bytes = 0;
	u32 id, i;

	for (id = 0; id < HAVEN_MAX_CELLS; id++) {
		for (i = 0; i < saved[id].num_images; i++)
			bytes += saved[id].images[i].size;
		haven_restart_forget(id);
	}
	return bytes;
}

void haven_restart_exit(void)
{
	u32 id;

	cancel_delayed_work_sync(&restart_work);
	for (id = 0; id < HAVEN_MAX_CELLS; id++)
		haven_restart_forget(id);
}
