/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * havenctl: what the command line (havenctl.c) and the command
 * implementations share.
 *
 *   havenctl.c         command table, argument parsing, help, main()
 *   havenctl_util.c    messages, files, /dev/haven, numbers, formatting, JSON
 *   havenctl_config.c  explaining rejected configurations, "config check"
 *   havenctl_system.c  enable, disable, info, console
 *   havenctl_cell.c    cell create, load, start, shutdown, destroy, list, stats
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
#define MAX_OPTIONS 4

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
enum { OPT_JSON = 0 }; /* info, cell list, cell stats */
enum { OPT_FOLLOW = 0 }; /* console */
enum { OPT_SYSTEM = 0 }; /* config check */
enum { OPT_ENTRY = 0 }; /* cell start */
enum { OPT_TIMEOUT = 0 }; /* cell shutdown */

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

/* ---- havenctl_config.c --------------------------------------------------- */

/* The kind a file claims in its header, or 0 if it has no valid header. */
unsigned int header_kind(const struct blob *b);
const char *kind_name(hv_u64 kind);
/* Validate a system configuration; prints the reason, EXIT_ERROR if bad. */
int check_system(const struct blob *f);

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

/* For "info": the names of the final layout's cells (havenctl_cell.c). */
void format_final_cells(int fd, hv_u32 final_cells, char *out, size_t len);
/* The same as a JSON list of {"id": N, "name": NAME or null}. */
void json_final_cells(int fd, hv_u32 final_cells);

#endif
