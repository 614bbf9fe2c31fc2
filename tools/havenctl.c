// SPDX-License-Identifier: GPL-2.0-only
/*
 * havenctl: control the Haven hypervisor from the root cell.
 *
 * Talks to haven.ko through /dev/haven (include/haven/uapi.h). Compiled
 * configurations are validated here with the hypervisor's own checker
 * (hypervisor/config_check.c) before anything is handed to the driver, so a
 * bad file is reported with the cell, region, rule and offending value.
 *
 * This file is the command line: the command table, argument parsing, help
 * and main(). havenctl.h lists where the commands are implemented.
 *
 * Exit status: 0 on success, 1 on error, 2 on bad usage. Every error is one
 * line on stderr starting with "havenctl: ".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "havenctl.h"

#define HELP_SHOWN (-1)
#define UNLIMITED (-1)

#define STR_(x) #x
#define STR(x) STR_(x)

struct option_spec {
	const char *name; /* long form, without the leading "--" */
	char letter; /* short form, or 0 */
	int takes_value;
};

struct command {
	const char *name; /* words as typed, e.g. "config check" */
	const char *synopsis; /* what follows the name */
	const char *summary; /* one line for "havenctl --help" */
	const char *help; /* body of "havenctl NAME --help" */
	const struct option_spec *opts; /* NULL-terminated; index = opt[] */
	int min_pos, max_pos; /* max_pos UNLIMITED: the command checks */
	int (*run)(const struct parsed_args *a);
};

/* A word that starts commands, as "cell" does "cell create". */
struct group {
	const char *name;
	const char *help; /* body of "havenctl NAME --help" */
};

static const struct option_spec no_opts[] = { { NULL, 0, 0 } };
static const struct option_spec skip_check_opts[] = { { "skip-check", 0, 0 },
						       { NULL, 0, 0 } };
static const struct option_spec json_opts[] = { { "json", 0, 0 },
						 { NULL, 0, 0 } };
static const struct option_spec console_opts[] = { { "follow", 'f', 0 },
						    { "cell", 0, 1 },
						    { NULL, 0, 0 } };
static const struct option_spec check_opts[] = { { "system", 0, 1 },
						  { NULL, 0, 0 } };
static const struct option_spec start_opts[] = { { "entry", 0, 1 },
						  { NULL, 0, 0 } };
static const struct option_spec shutdown_opts[] = { { "timeout", 0, 1 },
						     { NULL, 0, 0 } };
static const struct option_spec linux_opts[] = {
	{ "dtb", 'd', 1 },   { "initrd", 'i', 1 }, { "cmdline", 'c', 1 },
	{ "dtb-out", 0, 1 }, { "dry-run", 0, 0 },  { NULL, 0, 0 }
};

static const struct command commands[] = {
	{ "enable", "[--skip-check] SYSTEM.cell",
	  "validate a system configuration and enable Haven",
	  "Validates SYSTEM.cell, a compiled system configuration, with the\n"
	  "same checker the hypervisor runs; if it is invalid, prints the\n"
	  "reason and exits without contacting the driver. Otherwise hands it\n"
	  "to haven.ko, which starts the hypervisor with the running Linux as\n"
	  "the root cell, and prints the number of CPUs now in Haven and how\n"
	  "long enabling took.\n"
	  "\n"
	  "  --skip-check  hand the file to the driver unchecked, so the\n"
	  "                driver's and the hypervisor's own validation\n"
	  "                answer (used by the tests)\n",
	  skip_check_opts, 1, 1, cmd_enable },
	{ "disable", "", "disable Haven",
	  "Asks haven.ko to disable Haven. If the driver refuses (for example\n"
	  "because Haven is not enabled or the layout is sealed), its reason\n"
	  "is printed.\n",
	  no_opts, 0, 0, cmd_disable },
	{ "info", "[--json]", "show Haven's state, layout, memory and trap counters",
	  "Prints the firmware version, ABI version, the layout state, the\n"
	  "hypervisor memory, memory pool usage, how long the last enable took,\n"
	  "the checksum of Haven's read-only image (FNV-1a 64 of its code,\n"
	  "constants and system configuration: it changes only if something\n"
	  "wrote there), the DMA faults of SMMU streams no cell owns, the CPUs\n"
	  "running in Haven, and per CPU the trap counters by kind with their\n"
	  "total (\"-\" for a value this Haven does not provide). Fails if\n"
	  "Haven is not enabled. The layout line is one of\n"
	  "\n"
	  "  layout: sealed\n"
	  "  layout: open (final layout: NAME, ...)\n"
	  "  layout: open (no final layout)\n"
	  "\n"
	  "where the final layout lists the cells whose start seals the layout:\n"
	  "created cells by name, the others as \"cell ids N,...\".\n"
	  "\n"
	  "  --json  print one JSON object with the keys enabled, version,\n"
	  "          abi_version, sealed (true/false), final_cells (a list of\n"
	  "          {\"id\": N, \"name\": NAME or null}), hv_mem_base,\n"
	  "          hv_mem_size, pool_pages, pool_used, enable_ms, image_sum\n"
	  "          (\"0x\" and 16 hex digits), dma_unassigned and cpus (a\n"
	  "          list of {\"cpu\": N, \"traps\": {KIND: COUNT, ...},\n"
	  "          \"total\": N}); image_sum and dma_unassigned are null if\n"
	  "          this Haven does not provide them\n",
	  json_opts, 0, 0, cmd_info },
	{ "console", "[-f | --cell CELL]",
	  "print the hypervisor's console, or type into a cell's UART",
	  "Copies the hypervisor's console output to stdout from its beginning,\n"
	  "then stops when everything written so far has been read. Bytes the\n"
	  "console ring overwrote before they could be read are reported on\n"
	  "stderr as \"[... N bytes lost ...]\". What a cell writes to its\n"
	  "emulated UART appears there, prefixed with the cell's name.\n"
	  "\n"
	  "  -f, --follow  keep waiting for new output (polling every 100 ms)\n"
	  "                until SIGINT or SIGTERM, then exit with status 0\n"
	  "  --cell CELL   instead, send stdin, until its end, to the emulated\n"
	  "                UART of CELL as its input; while the UART's receive\n"
	  "                FIFO is full, retries every millisecond, and fails\n"
	  "                after 2 s without progress. Not with -f.\n",
	  console_opts, 0, 0, cmd_console },
	{ "cell create", "[--skip-check] FILE.cell",
	  "create a cell from a compiled cell configuration",
	  "Hands FILE.cell, a compiled cell configuration, to haven.ko. Haven\n"
	  "accepts it only if it equals the declaration of the cell of the same\n"
	  "name in the system configuration; the cell's CPUs and memory then\n"
	  "leave the root cell. Prints\n"
	  "\n"
	  "  cell 'NAME' created (id N, CPUs LIST)\n"
	  "\n"
	  "havenctl itself only checks that FILE.cell is a cell configuration\n"
	  "(magic and kind) of at most " STR(HAVEN_CELL_CONFIG_MAX) " bytes.\n"
	  "\n"
	  "  --skip-check  hand the file to the driver unchecked (used by the\n"
	  "                tests)\n",
	  skip_check_opts, 1, 1, cmd_cell_create },
	{ "cell load", "CELL IMAGE[@ADDR]...",
	  "copy images into a cell's loadable memory",
	  "Copies up to " STR(HAVEN_MAX_IMAGES) " image files into the loadable memory of CELL in one\n"
	  "request; the driver checks them all before it copies any. ADDR is\n"
	  "where an image goes in the cell's address space (its IPA), in hex\n"
	  "with 0x or in decimal; without it, the image goes to the start of\n"
	  "the cell's first loadable region. The last '@' of an argument\n"
	  "starts the address. Each file is read whole; empty and unreadable\n"
	  "files are refused before the driver is contacted. Prints one line\n"
	  "per image:\n"
	  "\n"
	  "  loaded FILE into cell 'NAME' (SIZE at ADDR)\n",
	  no_opts, 2, UNLIMITED, cmd_cell_load },
	{ "cell start", "CELL [--entry ADDR]", "start a cell",
	  "Starts CELL. Its first CPU enters at ADDR in the cell's address\n"
	  "space (hex with 0x, or decimal), by default at the start of its\n"
	  "first loadable region; its other CPUs wait for the cell's PSCI\n"
	  "CPU_ON.\n"
	  "\n"
	  "  --entry ADDR  where the cell starts\n",
	  start_opts, 1, 1, cmd_cell_start },
	{ "cell shutdown", "CELL [--timeout MS]", "shut a cell down",
	  "Asks CELL to shut down through its communication page and waits up\n"
	  "to MS milliseconds for it to acknowledge; if it does not, Haven\n"
	  "stops its CPUs. Prints which of the two happened:\n"
	  "\n"
	  "  cell 'NAME' shut down: acknowledged after N ms\n"
	  "  cell 'NAME' stopped by Haven: no acknowledgement within MS ms (stopped after N ms)\n"
	  "\n"
	  "Both count as success.\n"
	  "\n"
	  "  --timeout MS  decimal milliseconds, 0 to 4294967295 (default 2000;\n"
	  "                0: Haven stops the cell without waiting)\n",
	  shutdown_opts, 1, 1, cmd_cell_shutdown },
	{ "cell destroy", "CELL", "destroy a stopped cell",
	  "Destroys CELL, which must not be running: its memory is zeroed and\n"
	  "returned to the root cell, and so are its CPUs.\n",
	  no_opts, 1, 1, cmd_cell_destroy },
	{ "cell linux",
	  "CELLFILE IMAGE [-d DTB] [-i INITRD] [-c CMDLINE] [--dtb-out FILE] [--dry-run]",
	  "create, load and start a cell that boots a Linux kernel",
	  "Boots IMAGE, an uncompressed arm64 Linux kernel Image, in the cell\n"
	  "that CELLFILE (a compiled cell configuration) declares. Unless a cell\n"
	  "of that name exists, it is first created from CELLFILE as \"cell\n"
	  "create\" does; an existing cell must not be running or shutting down\n"
	  "and must have the CPUs and memory regions CELLFILE declares. The\n"
	  "kernel, the initramfs and a device tree then go into the cell's first\n"
	  "loadable RAM region, whose address must be 2 MiB aligned, in one\n"
	  "load:\n"
	  "\n"
	  "  region start + text_offset  the kernel (image_size bytes, from its\n"
	  "                              header; the file's size if that is 0)\n"
	  "  next page boundary          the initramfs\n"
	  "  next 2 MiB boundary         the device tree (at most 2 MiB)\n"
	  "\n"
	  "The cell's first CPU then starts at the kernel with x0 = the device\n"
	  "tree's address. Prints where each went, the sizes and the cell's\n"
	  "CPUs. The device tree describes the cell: a memory node per RAM\n"
	  "region, its CPUs (by MPIDR, started with PSCI), the GICv3, the\n"
	  "architected timer, the emulated PL011 UART if the cell has one, and\n"
	  "/chosen with the command line, stdout-path and the initramfs.\n"
	  "\n"
	  "  -d, --dtb DTB         patch DTB instead of starting from an empty\n"
	  "                        tree: its memory, CPU, PSCI, timer, GIC,\n"
	  "                        /chosen, /reserved-memory and /firmware nodes,\n"
	  "                        and every node under the root or a simple-bus\n"
	  "                        whose reg is not inside one of the cell's IO\n"
	  "                        regions, are deleted; then the cell's nodes\n"
	  "                        are added\n"
	  "  -i, --initrd INITRD   the initramfs\n"
	  "  -c, --cmdline CMDLINE the kernel command line (default\n"
	  "                        \"console=ttyAMA0\")\n"
	  "  --dtb-out FILE        also write the device tree to FILE\n"
	  "  --dry-run             stop before the cell is created, loaded or\n"
	  "                        started (Haven must be enabled all the same:\n"
	  "                        the device tree needs the platform's CPUs and\n"
	  "                        GIC)\n",
	  linux_opts, 2, 2, cmd_cell_linux },
	{ "cell list", "[--json]", "list the cells",
	  "Lists every created cell, the root cell (id 0) included, as a table\n"
	  "with the columns id, name, state, cpus and failed cpus (the CPUs\n"
	  "that took a trap Haven does not handle; \"-\" for none).\n"
	  "\n"
	  "  --json  print {\"cells\": [...]}, one object per cell with the keys\n"
	  "          id, name, state, cpus and failed_cpus (lists of CPU\n"
	  "          numbers)\n",
	  json_opts, 0, 0, cmd_cell_list },
	{ "cell stats", "CELL [--json]", "show a cell's state and counters",
	  "Prints CELL's state, CPUs, failed CPUs, uptime since its last start,\n"
	  "heartbeat (from its communication page), number of starts, faults\n"
	  "(traps Haven does not handle; for the root cell, injected aborts),\n"
	  "denied (accesses Haven refused without a fault: distributor and\n"
	  "PCI configuration writes to what the cell does not own, SGIs and\n"
	  "CPU_ON to foreign CPUs, refused SMCs and hypercalls), dma faults\n"
	  "(SMMU faults of the cell's streams; \"-\" for a counter this\n"
	  "Haven does not keep), the RTOS statistics the cell publishes\n"
	  "(releases, completions, deadline misses, worst response time; \"no\n"
	  "statistics published\" while all are 0), the traps of its CPUs by\n"
	  "kind with their total, and its memory regions (phys \"-\" for the\n"
	  "communication page).\n"
	  "\n"
	  "  --json  print one JSON object with the keys id, name, state, cpus,\n"
	  "          failed_cpus, uptime_ns, heartbeat, starts, faults, denied\n"
	  "          and dma_faults (null if not kept), rtos\n"
	  "          ({\"releases\", \"completions\", \"deadline_misses\",\n"
	  "          \"worst_response_ns\"}, all 0 if none are published),\n"
	  "          traps ({KIND: COUNT, ...}),\n"
	  "          traps_total and regions (a list of {\"phys\", \"virt\",\n"
	  "          \"size\", \"flags\": [NAME, ...]})\n",
	  json_opts, 1, 1, cmd_cell_stats },
	{ "cell checksum", "CELL BYTES [--json]",
	  "checksum the start of a cell's memory, as Haven reads it",
	  "Asks Haven for the FNV-1a 64 checksum of the first BYTES bytes\n"
	  "(decimal, or hex with 0x) of CELL's first loadable region: the\n"
	  "cell's memory seen from outside the cell, e.g. to show that another\n"
	  "cell could not change it. BYTES must be at least 1 and at most the\n"
	  "region's size. Prints\n"
	  "\n"
	  "  cell 'NAME': FNV-1a 0x... of the first BYTES bytes at IPA ADDR (its first loadable region)\n"
	  "\n"
	  "  --json  print {\"id\", \"name\", \"bytes\", \"region_virt\",\n"
	  "          \"fnv1a\"} (fnv1a as \"0x\" and 16 hex digits)\n",
	  json_opts, 2, 2, cmd_cell_checksum },
	{ "config check", "FILE [--system SYSTEM.cell]",
	  "validate a compiled configuration without the driver",
	  "Validates FILE, a compiled system or cell configuration (the kind is\n"
	  "read from its header), with the same checker the hypervisor runs,\n"
	  "and prints a one-line summary, or the cell, region, rule and value\n"
	  "that make it invalid. Files larger than 1 MiB are refused.\n"
	  "\n"
	  "  --system SYSTEM.cell  the system configuration a cell\n"
	  "                        configuration is checked against (required\n"
	  "                        for cell files, which need its platform and\n"
	  "                        hypervisor memory)\n",
	  check_opts, 1, 1, cmd_config_check },
};

static const struct group groups[] = {
	{ "cell",
	  "Manages the cells of the running Haven. CELL is a cell's name, or\n"
	  "its id if it is all decimal digits (0 is the root cell); names are\n"
	  "looked up among the created cells. A cell's state is one of\n"
	  "created, loading, running, shutting-down, shut-down or failed.\n"
	  "The usual sequence:\n"
	  "\n"
	  "  havenctl cell create rtos.cell\n"
	  "  havenctl cell load rtos rtos.bin\n"
	  "  havenctl cell start rtos\n"
	  "  havenctl cell shutdown rtos\n"
	  "  havenctl cell destroy rtos\n"
	  "\n"
	  "A Linux cell is created, loaded and started in one step:\n"
	  "\n"
	  "  havenctl cell linux linux.cell Image -i initrd.cpio\n" },
	{ "config",
	  "Works with compiled configuration files on their own, without the\n"
	  "driver; usable on the build host.\n" },
};

#define NUM_COMMANDS ARRAY_SIZE(commands)

static const char exit_status_text[] =
	"Exit status: 0 on success, 1 on error, 2 on bad usage.\n";

static void print_main_help(void)
{
	size_t i;

	printf("Usage: " PROG " COMMAND [ARGS]\n\n"
	       "Control the Haven hypervisor through " DEFAULT_DEVICE
	       " (haven.ko).\n\nCommands:\n");
	for (i = 0; i < NUM_COMMANDS; i++)
		printf("  %s%s%s\n      %s\n", commands[i].name,
		       commands[i].synopsis[0] ? " " : "", commands[i].synopsis,
		       commands[i].summary);
	printf("\nRun '" PROG " COMMAND --help' for details, and '" PROG
	       " cell --help' for the cell commands.\n"
	       "Environment: HAVEN_DEVICE overrides the device path.\n%s",
	       exit_status_text);
}

static void print_command_help(const struct command *cmd)
{
	printf("Usage: " PROG " %s%s%s\n\n%s\n%s", cmd->name,
	       cmd->synopsis[0] ? " " : "", cmd->synopsis, cmd->help,
	       exit_status_text);
}

static int is_help(const char *arg)
{
	return !strcmp(arg, "--help") || !strcmp(arg, "-h");
}

/* Index of the option arg names in opts, or -1; sets *value for "--x=v". */
static int find_option(const struct option_spec *opts, const char *arg,
		       const char **value)
{
	size_t n;
	int i;

	*value = NULL;
	for (i = 0; opts[i].name; i++) {
		if (arg[1] != '-') {
			if (opts[i].letter && arg[1] == opts[i].letter &&
			    !arg[2])
				return i;
			continue;
		}
		n = strlen(opts[i].name);
		if (strncmp(arg + 2, opts[i].name, n))
			continue;
		if (arg[2 + n] == '=')
			*value = arg + 3 + n;
		if (arg[2 + n] == '=' || !arg[2 + n])
			return i;
	}
	return -1;
}

static int take_option(const struct command *cmd, char **argv, int argc,
		       int *i, struct parsed_args *out)
{
	const char *arg = argv[*i], *value;
	int k = find_option(cmd->opts, arg, &value);

	if (k < 0)
		return usage_fail(cmd->name, "%s: unknown option '%s'", cmd->name,
				  arg);
	if (!cmd->opts[k].takes_value && value)
		return usage_fail(cmd->name, "%s: option --%s takes no value",
				  cmd->name, cmd->opts[k].name);
	if (cmd->opts[k].takes_value && !value) {
		if (*i + 1 >= argc)
			return usage_fail(cmd->name,
					  "%s: option --%s needs a value",
					  cmd->name, cmd->opts[k].name);
		value = argv[++*i];
	}
	out->opt[k] = value ? value : "";
	return 0;
}

/*
 * Parse a command's arguments into out, whose pos[] has room for argc
 * entries; HELP_SHOWN after --help.
 */
static int parse_args(const struct command *cmd, int argc, char **argv,
		      struct parsed_args *out)
{
	int i, options_done = 0, ret;

	for (i = 0; i < argc; i++) {
		if (!options_done && !strcmp(argv[i], "--")) {
			options_done = 1;
		} else if (!options_done && is_help(argv[i])) {
			print_command_help(cmd);
			return HELP_SHOWN;
		} else if (!options_done && argv[i][0] == '-' && argv[i][1]) {
			ret = take_option(cmd, argv, argc, &i, out);
			if (ret)
				return ret;
		} else if (cmd->max_pos == UNLIMITED ||
			   out->npos < cmd->max_pos) {
			out->pos[out->npos++] = argv[i];
		} else {
			return usage_fail(cmd->name,
					  "%s: unexpected argument '%s'",
					  cmd->name, argv[i]);
		}
	}
	if (out->npos < cmd->min_pos)
		return usage_fail(cmd->name,
				  "%s: missing argument; usage: " PROG " %s %s",
				  cmd->name, cmd->name, cmd->synopsis);
	return 0;
}

/* Words of name matched at the start of argv, or 0 if it does not match. */
static int match_command(const char *name, int argc, char **argv)
{
	int words = 0;
	size_t n;

	while (*name) {
		n = strcspn(name, " ");
		if (words >= argc || strlen(argv[words]) != n ||
		    strncmp(argv[words], name, n))
			return 0;
		words++;
		name += n;
		name += *name == ' ';
	}
	return words;
}

/* Is cmd a subcommand of group, as "config check" is of "config"? */
static int in_group(const struct command *cmd, const char *group)
{
	size_t n = strlen(group);

	return !strncmp(cmd->name, group, n) && cmd->name[n] == ' ';
}

static const struct group *find_group(const char *name)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(groups); i++)
		if (!strcmp(groups[i].name, name))
			return &groups[i];
	return NULL;
}

/* "havenctl cell --help": what the group is for and its subcommands. */
static int group_help(const struct group *g)
{
	size_t i, n = strlen(g->name);

	printf("Usage: " PROG " %s SUBCOMMAND [ARGS]\n\n%s\nSubcommands:\n",
	       g->name, g->help);
	for (i = 0; i < NUM_COMMANDS; i++) {
		if (!in_group(&commands[i], g->name))
			continue;
		printf("  %s%s%s\n      %s\n", commands[i].name + n + 1,
		       commands[i].synopsis[0] ? " " : "", commands[i].synopsis,
		       commands[i].summary);
	}
	printf("\nRun '" PROG " %s SUBCOMMAND --help' for details.\n%s",
	       g->name, exit_status_text);
	return 0;
}

/* The first command in group. */
static const struct command *group_first(const char *group)
{
	size_t i;

	for (i = 0; i < NUM_COMMANDS; i++)
		if (in_group(&commands[i], group))
			return &commands[i];
	return NULL;
}

/* No command matched argv: explain why. */
static int no_such_command(int argc, char **argv)
{
	const struct group *g = find_group(argv[0]);
	const struct command *first;

	if (!g)
		return usage_fail(NULL, "unknown command '%s'", argv[0]);
	if (argc > 1 && (is_help(argv[1]) || !strcmp(argv[1], "help")))
		return group_help(g);
	if (argc > 1)
		return usage_fail(g->name, "%s: unknown subcommand '%s'",
				  g->name, argv[1]);
	first = group_first(g->name);
	return usage_fail(g->name, "%s: missing subcommand, e.g. '%s'",
			  g->name, first ? first->name : "");
}

static int run_command(int argc, char **argv)
{
	struct parsed_args args;
	size_t i;
	int used, ret;

	for (i = 0; i < NUM_COMMANDS; i++) {
		used = match_command(commands[i].name, argc, argv);
		if (!used)
			continue;
		memset(&args, 0, sizeof(args));
		args.name = commands[i].name;
		args.pos = calloc((size_t)argc, sizeof(*args.pos));
		if (!args.pos)
			return fail("out of memory");
		ret = parse_args(&commands[i], argc - used, argv + used, &args);
		if (ret == HELP_SHOWN)
			ret = 0;
		else if (!ret)
			ret = commands[i].run(&args);
		free(args.pos);
		return ret;
	}
	return no_such_command(argc, argv);
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return usage_fail(NULL, "missing command");
	if (is_help(argv[1]) || !strcmp(argv[1], "help")) {
		print_main_help();
		return 0;
	}
	return run_command(argc - 1, argv + 1);
}
