/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The part of QEMU's TCG plugin interface (API version 4, QEMU 9.2 to
 * 10.0; docs/devel/tcg-plugins.rst) that el2count.c uses, declared here
 * because Debian ships plugin support in qemu-system but not the header.
 * The plugin resolves these symbols in the QEMU process at load time, and
 * the two GLib ones in the GLib QEMU links.
 */
#ifndef HAVEN_BENCH_QEMU_PLUGIN_ABI_H
#define HAVEN_BENCH_QEMU_PLUGIN_ABI_H

#include <stddef.h>
#include <stdint.h>

#define QEMU_PLUGIN_API_VERSION 4
#define QEMU_PLUGIN_EXPORT __attribute__((visibility("default")))

typedef uint64_t qemu_plugin_id_t;
struct qemu_plugin_tb;
struct qemu_plugin_insn;
struct qemu_plugin_register;

/* enum qemu_plugin_cb_flags */
#define QEMU_PLUGIN_CB_NO_REGS 0
#define QEMU_PLUGIN_CB_R_REGS 1

/* GLib's GArray and GByteArray: a pointer and a length */
struct plugin_garray {
	char *data;
	unsigned int len;
};
struct plugin_gbytearray {
	uint8_t *data;
	unsigned int len;
};
struct plugin_gbytearray *g_byte_array_new(void);
struct plugin_gbytearray *g_byte_array_set_size(struct plugin_gbytearray *a,
						unsigned int len);

/* an element of qemu_plugin_get_registers()'s array */
struct qemu_plugin_reg_descriptor {
	struct qemu_plugin_register *handle;
	const char *name;
	const char *feature;
};

typedef void (*qemu_plugin_vcpu_simple_cb_t)(qemu_plugin_id_t id,
					     unsigned int vcpu);
typedef void (*qemu_plugin_vcpu_udata_cb_t)(unsigned int vcpu, void *udata);
typedef void (*qemu_plugin_vcpu_tb_trans_cb_t)(qemu_plugin_id_t id,
					       struct qemu_plugin_tb *tb);
typedef void (*qemu_plugin_udata_cb_t)(qemu_plugin_id_t id, void *udata);

void qemu_plugin_register_vcpu_init_cb(qemu_plugin_id_t id,
				       qemu_plugin_vcpu_simple_cb_t cb);
void qemu_plugin_register_vcpu_tb_trans_cb(qemu_plugin_id_t id,
					   qemu_plugin_vcpu_tb_trans_cb_t cb);
void qemu_plugin_register_atexit_cb(qemu_plugin_id_t id,
				    qemu_plugin_udata_cb_t cb, void *udata);
void qemu_plugin_register_vcpu_insn_exec_cb(struct qemu_plugin_insn *insn,
					    qemu_plugin_vcpu_udata_cb_t cb,
					    int flags, void *udata);
size_t qemu_plugin_tb_n_insns(const struct qemu_plugin_tb *tb);
struct qemu_plugin_insn *
qemu_plugin_tb_get_insn(const struct qemu_plugin_tb *tb, size_t idx);
uint64_t qemu_plugin_insn_vaddr(const struct qemu_plugin_insn *insn);
size_t qemu_plugin_insn_data(const struct qemu_plugin_insn *insn, void *dest,
			     size_t len);
struct plugin_garray *qemu_plugin_get_registers(void);
int qemu_plugin_read_register(struct qemu_plugin_register *handle,
			      struct plugin_gbytearray *buf);

#endif
