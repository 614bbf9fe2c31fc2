// SPDX-License-Identifier: GPL-2.0-only
/*
 * el2count: a QEMU TCG plugin for `make bench` (bench/README.md, "Exact
 * EL2 counts"). It counts, per vCPU, the instructions executed
 * in Haven's memory, where Haven runs at EL2 with VA == PA (el2_mmu.c),
 * and checks at each entry into that code that the vCPU is at EL2.
 * QEMU's PMU cannot count this per CPU: under -icount its INST_RETIRED
 * is the global instruction count, so an EL2-only counter also counts
 * what other vCPUs execute while QEMU runs them instead of its own
 * vCPU at EL2.
 *
 *   -plugin el2count.so,lo=ADDR,hi=ADDR,out=FILE
 *
 * Haven's memory is [lo, hi). Every time a vCPU executes HINT #127 (an
 * unallocated hint, which the Arm ARM defines to execute as a NOP), the
 * plugin appends to FILE
 *
 *   el2count vcpu=V el2=C0,C1,...,Cn notel2=N
 *
 * and "el2count exit el2=... notel2=N" when QEMU exits. Ck is vCPU k's
 * count so far; N counts entries into Haven's memory at an EL other than
 * 2 (0, or the attribution by address is wrong). benchwork and the bench
 * inmate execute the hint where what they measure begins and ends. The
 * counts are exact under -icount: an instruction callback runs once per
 * executed instruction, also when QEMU re-translates a block that ends
 * in a device access (those blocks carry memory callbacks only).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "qemu_plugin_abi.h"

QEMU_PLUGIN_EXPORT int qemu_plugin_version = QEMU_PLUGIN_API_VERSION;

#define MAX_VCPUS 64
#define HINT_127 0xd5032fffu /* HINT #127: 0xd503201f | 127 << 5 */
#define PSTATE_EL(cpsr) (((cpsr) >> 2) & 3)

static uint64_t lo, hi;
static FILE *out;
static unsigned long long el2[MAX_VCPUS];
static unsigned long long notel2;
static unsigned int nvcpus;
static struct qemu_plugin_register *cpsr_reg, *vmpidr_reg;
static struct plugin_gbytearray *regbuf;
/* the vCPU running the block whose first instruction ran last */
static unsigned int cur;

static uint64_t read_reg(struct qemu_plugin_register *r)
{
	uint64_t v = 0;
	int n;

	g_byte_array_set_size(regbuf, 0);
	n = qemu_plugin_read_register(r, regbuf);
	if (n > 0)
		memcpy(&v, regbuf->data,
		       (size_t)n < sizeof(v) ? (size_t)n : sizeof(v));
	return v;
}

/*
 * The vCPU executing now. Not the callback's vcpu argument: without
 * CF_PARALLEL (single-threaded TCG, which -icount implies) QEMU 10.0
 * folds that into the code as the index of the vCPU that translated the
 * block, and blocks are shared by all vCPUs. VMPIDR_EL2 holds the CPU's
 * MPIDR (reset value; Haven writes the real one, cell.c), and on QEMU's
 * virt board MPIDR is Aff1 = index / 16, Aff0 = index % 16.
 */
static unsigned int running_vcpu(void)
{
	uint64_t mpidr;

	if (!vmpidr_reg)
		return MAX_VCPUS; /* not counted; the log shows no vCPU */
	mpidr = read_reg(vmpidr_reg);
	return (unsigned int)(((mpidr >> 8) & 0xff) * 16 + (mpidr & 0xff));
}

static void count(unsigned int vcpu, void *udata)
{
	(void)vcpu;
	(void)udata;
	if (cur < MAX_VCPUS)
		el2[cur]++;
}

/* the first instruction of a block in Haven's memory: which vCPU, and at EL2? */
static void count_first(unsigned int vcpu, void *udata)
{
	cur = running_vcpu();
	if (!cpsr_reg || PSTATE_EL(read_reg(cpsr_reg)) != 2)
		notel2++;
	count(vcpu, udata);
}

/* "el2count WHAT el2=C0,...,Cn notel2=N" */
static void dump(const char *what)
{
	fprintf(out, "el2count %s el2=", what);
	for (unsigned int i = 0; i < nvcpus; i++)
		fprintf(out, "%s%llu", i ? "," : "", el2[i]);
	fprintf(out, " notel2=%llu\n", notel2);
	fflush(out);
}

static void mark(unsigned int vcpu, void *udata)
{
	char what[32];

	(void)vcpu;
	(void)udata;
	snprintf(what, sizeof(what), "vcpu=%u", running_vcpu());
	dump(what);
}

static void vcpu_init(qemu_plugin_id_t id, unsigned int vcpu)
{
	struct plugin_garray *regs = qemu_plugin_get_registers();
	const struct qemu_plugin_reg_descriptor *d;

	(void)id;
	if (vcpu + 1 > nvcpus && vcpu < MAX_VCPUS)
		nvcpus = vcpu + 1;
	if (!regs)
		return;
	d = (const struct qemu_plugin_reg_descriptor *)regs->data;
	for (unsigned int i = 0; i < regs->len; i++) {
		if (!strcmp(d[i].name, "cpsr"))
			cpsr_reg = d[i].handle;
		else if (!strcmp(d[i].name, "VMPIDR_EL2"))
			vmpidr_reg = d[i].handle;
	}
}

/* is this instruction the bench marker? */
static int is_marker(const struct qemu_plugin_insn *insn)
{
	uint32_t word = 0;

	return qemu_plugin_insn_data(insn, &word, sizeof(word)) ==
		       sizeof(word) &&
	       word == HINT_127;
}

static void tb_trans(qemu_plugin_id_t id, struct qemu_plugin_tb *tb)
{
	size_t n = qemu_plugin_tb_n_insns(tb);
	int first = 1;

	(void)id;
	for (size_t i = 0; i < n; i++) {
		struct qemu_plugin_insn *insn = qemu_plugin_tb_get_insn(tb, i);
		uint64_t va = qemu_plugin_insn_vaddr(insn);

		if (va < lo || va >= hi) {
			if (is_marker(insn))
				qemu_plugin_register_vcpu_insn_exec_cb(
					insn, mark, QEMU_PLUGIN_CB_R_REGS,
					NULL);
		} else if (first) {
			qemu_plugin_register_vcpu_insn_exec_cb(
				insn, count_first, QEMU_PLUGIN_CB_R_REGS, NULL);
			first = 0;
		} else {
			qemu_plugin_register_vcpu_insn_exec_cb(
				insn, count, QEMU_PLUGIN_CB_NO_REGS, NULL);
		}
	}
}

static void at_exit(qemu_plugin_id_t id, void *udata)
{
	(void)id;
	(void)udata;
	dump("exit");
	fclose(out);
}

static int parse_u64(const char *s, uint64_t *v)
{
	char *end;

	*v = strtoull(s, &end, 0);
	return *s && !*end;
}

QEMU_PLUGIN_EXPORT int qemu_plugin_install(qemu_plugin_id_t id,
					   const void *info, int argc,
					   char **argv)
{
	const char *path = NULL;
	int ok = 1;

	(void)info;
	for (int i = 0; i < argc; i++) {
		if (!strncmp(argv[i], "lo=", 3))
			ok &= parse_u64(argv[i] + 3, &lo);
		else if (!strncmp(argv[i], "hi=", 3))
			ok &= parse_u64(argv[i] + 3, &hi);
		else if (!strncmp(argv[i], "out=", 4))
			path = argv[i] + 4;
		else
			ok = 0;
	}
	if (!ok || !path || lo >= hi) {
		fprintf(stderr,
			"el2count: usage: -plugin el2count.so,lo=ADDR,hi=ADDR,out=FILE (lo < hi)\n");
		return -1;
	}
	out = fopen(path, "w");
	regbuf = g_byte_array_new();
	if (!out || !regbuf) {
		fprintf(stderr, "el2count: cannot open %s\n", path);
		return -1;
	}
	qemu_plugin_register_vcpu_init_cb(id, vcpu_init);
	qemu_plugin_register_vcpu_tb_trans_cb(id, tb_trans);
	qemu_plugin_register_atexit_cb(id, at_exit, NULL);
	return 0;
}
