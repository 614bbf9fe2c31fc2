/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * havenctl: what the command line (havenctl.c) and the command
 * implementations share.
 *
 *   havenctl.c         command table, argument parsing, help, main()
 *   havenctl_util.c    messages, files, /dev/haven, numbers, formatting, JSON
 *   havenctl_config.c  explaining rejected configurations, "config check"
 *   havenctl_system.c  enable, disable, info, console
 *   havenctl_cell.c    cell create, load, start, shutdown, destroy, list, stats,
 *                      checksum
 *   havenctl_linux.c   cell linux: kernel Image, memory layout, load and start
 *   havenctl_fdt.c     the device tree of a Linux cell (libfdt)
 *
 * Exit status of every command: 0 on success, 1 on error (EXIT_ERROR), 2 on
 * bad usage (EXIT_USAGE). Every error is one line on stderr starting with
 * "havenctl: ".
 */
#ifndef HAVENCTL_H
#define HAVENCTL_H

#include <stddef.h>

#include <haven/uapi.h>

#define PROG "havenctl"
#define EXIT_ERROR 1
#define EXIT_USAGE 2
#define DEFAULT_DEVICE "/dev/haven"
#define MAX_CONFIG_SIZE (1024 * 1024)
#define MAX_IMAGE_SIZE (1024 * 1024 * 1024)
#define MAX_OPTIONS 8

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define PRINTF_LIKE(f, a) __attribute__((format(printf, f, a)))

/* What a command is run with. */
struct parsed_args {
	const char *name; /* the command, e.g. "cell load", for messages */
	const char *opt[MAX_OPTIONS]; /* value, "" for a flag, NULL: absent */
	const char **pos; /* the positional arguments, in order */
	int npos;
};

/* Option indices, in the order of each command's option table. */
enum { OPT_SKIP_CHECK = 0 }; /* enable */
enum { OPT_JSON = 0 }; /* info, cell list, cell stats, cell checksum */
enum { OPT_FOLLOW = 0, OPT_CELL }; /* console */
enum { OPT_SYSTEM = 0 }; /* config check */
enum { OPT_ENTRY = 0 }; /* cell start */
enum { OPT_TIMEOUT = 0 }; /* cell shutdown */
/* cell linux */
enum { OPT_DTB = 0, OPT_INITRD, OPT_CMDLINE, OPT_DTB_OUT, OPT_DRY_RUN };

/* ---- havenctl_util.c ----------------------------------------------------- */

/* "havenctl: <message>" on stderr; returns EXIT_ERROR. */
PRINTF_LIKE(1, 2) int fail(const char *fmt, ...);
/*
 * Like fail(), for command lines that cannot run; points to the help of
 * command (NULL: the command list). Returns EXIT_USAGE.
 */
PRINTF_LIKE(2, 3) int usage_fail(const char *command, const char *fmt, ...);
/*
 * A failed ioctl: "havenctl: <what>: " and the driver's reason if err holds
 * one, else one for saved_errno. Returns EXIT_ERROR.
 */
int ioctl_fail(const char *what, char *err, int saved_errno);
const char *plural(unsigned long long n);

/* A file read into memory. */
struct blob {
	const char *path;
	void *data; /* malloc'ed, suitably aligned for the config structs */
	size_t size;
};

/* A configuration file; prints the reason and returns EXIT_ERROR on failure. */
int read_config(const char *path, struct blob *b);
/* An image file, not empty; prints the reason and returns EXIT_ERROR. */
int read_image(const char *path, struct blob *b);
void free_blob(struct blob *b);

/* Open the device (HAVEN_DEVICE or /dev/haven); prints why it cannot. */
int open_device(int *fd);
/* HAVEN_INFO, with the ABI version checked; prints why it fails. */
int query_info(int fd, struct haven_info_args *info);

/* "0x" and hex digits, or decimal digits; 0 if s is one of them. */
int parse_u64(const char *s, hv_u64 *v);

/* Copy n bytes for printing, '?' for what is not printable ASCII. */
void printable(const void *src, size_t n, char *out);
/* A NUL-terminated name field of HAVEN_NAME_LEN bytes, for printing. */
void name_copy(const char *name, char out[HAVEN_NAME_LEN]);
/* A CPU bitmap as "0-2,5", or "none". */
void format_cpus(hv_u64 map, char *out, size_t len);
/* "16 MiB", "4 KiB", "100 bytes" */
void format_size(hv_u64 bytes, char *out, size_t len);
double ns_to_ms(hv_u64 ns);
int digits(hv_u64 v);

/* JSON output on stdout. */
void json_string(const char *s);
void json_cpu_list(hv_u64 map); /* [0, 1, 2] */
void json_u64_or_null(hv_u64 v, int present); /* v, or null if !present */

/* ---- havenctl_config.c --------------------------------------------------- */

/* The kind a file claims in its header, or 0 if it has no valid header. */
unsigned int header_kind(const struct blob *b);
const char *kind_name(hv_u64 kind);
/* Validate a system configuration; prints the reason, EXIT_ERROR if bad. */
int check_system(const struct blob *f);

/* ---- havenctl_cell.c: finding and creating cells ------------------------- */

/* A created cell as HAVEN_CELL_INFO reports it. */
struct cell {
	struct haven_cell_info_args info; /* counts clamped to the arrays */
	char name[HAVEN_NAME_LEN]; /* printable */
};

/* A CELL argument: a name, or an id if it is all decimal digits. */
struct cell_arg {
	const char *text;
	int is_id;
	hv_u32 id;
};

/* "running", "shut-down", ...; "unknown" for a value out of range */
const char *cell_state_name(hv_u32 state);
/* Check a CELL argument's syntax; EXIT_USAGE if it cannot name a cell. */
int parse_cell_arg(const char *cmd, const char *s, struct cell_arg *c);
/* Open the device and find the cell; on success the caller closes *fd. */
int open_cell(const char *what, const struct cell_arg *arg, int *fd,
	      struct cell *c);
/*
 * Look for the created cell named name: *found and *c. EXIT_ERROR after
 * printing why Haven cannot say.
 */
int find_cell_by_name(int fd, const char *what, const char *name,
		      struct cell *c, int *found);
/* What havenctl checks of a cell file itself (magic, kind, size). */
int precheck_cell_config(const struct blob *f);
/*
 * HAVEN_CELL_CREATE with the file cfg; prints "cell 'NAME' created (id N,
 * CPUs LIST)" and sets *id, or prints the refusal and returns EXIT_ERROR.
 */
/*
 * HAVEN_CELL_CREATE. With check, the file is first validated against the
 * enabled Haven's platform (check_cell_info), so that a bad file is
 * explained before the driver takes CPUs offline.
 */
int create_cell(int fd, const char *what, const struct blob *cfg, int check, hv_u32 *id);
/* Validate a cell file against HAVEN_INFO of an enabled Haven (havenctl_config.c). */
int check_cell_info(const struct blob *f, const struct haven_info_args *info);

/* ---- havenctl_fdt.c: the device tree of a Linux cell --------------------- */

/* Linux accepts a device tree of at most 2 MiB (arm64 booting.rst). */
#define LINUX_FDT_MAX (2 * 1024 * 1024)

/* Is a region of these flags RAM (not a device, comm page or UART)? */
int region_is_ram(hv_u64 flags);

/* The cell a Linux device tree describes, as its cell file declares it. */
struct linux_cell {
	char name[HAVEN_NAME_LEN]; /* printable */
	hv_u64 cpus; /* bitmap of platform CPU indices */
	hv_u32 vuart_irq; /* INTID, 0 without an emulated UART */
	hv_u32 num_regions;
	const struct haven_mem_region *regions; /* in the cell file */
};

/* What goes into the device tree besides the cell. */
struct linux_boot {
	const struct linux_cell *cell;
	const struct haven_platform *platform; /* from HAVEN_INFO */
	const char *cmdline; /* /chosen/bootargs */
	hv_u64 initrd_start; /* cell IPA */
	hv_u64 initrd_size; /* 0: no initrd */
};

/* A device tree given with -d: "FILE: DTB malformed: REASON" if it is not one. */
int fdt_check_input(const struct blob *dtb);
/*
 * The cell's device tree: generated (in NULL) or the given one patched
 * (in checked by fdt_check_input). *out is malloc'ed and packed; prints
 * the reason and returns EXIT_ERROR on failure.
 */
int fdt_for_cell(const struct linux_boot *b, const struct blob *in,
		 void **out, size_t *size);

/* ---- the commands -------------------------------------------------------- */

int cmd_enable(const struct parsed_args *a);
int cmd_disable(const struct parsed_args *a);
int cmd_info(const struct parsed_args *a);
int cmd_console(const struct parsed_args *a);
int cmd_config_check(const struct parsed_args *a);
int cmd_cell_create(const struct parsed_args *a);
int cmd_cell_load(const struct parsed_args *a);
int cmd_cell_start(const struct parsed_args *a);
int cmd_cell_shutdown(const struct parsed_args *a);
int cmd_cell_destroy(const struct parsed_args *a);
int cmd_cell_list(const struct parsed_args *a);
int cmd_cell_stats(const struct parsed_args *a);
int cmd_cell_checksum(const struct parsed_args *a);
int cmd_cell_linux(const struct parsed_args *a);

/* For "info": the names of the final layout's cells (havenctl_cell.c). */
void format_final_cells(int fd, hv_u32 final_cells, char *out, size_t len);
/* The same as a JSON list of {"id": N, "name": NAME or null}. */
void json_final_cells(int fd, hv_u32 final_cells);

#endif
