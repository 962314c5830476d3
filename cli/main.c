// SPDX-License-Identifier: MIT
/*
 * main.c - the iommusim command line: run, corpus, diff, fail-nth,
 * crosscheck (cli/ sits on sim/ and hw/; they know nothing of it).
 * Exit status: 0 all expectations hold, 1 one failed, 2 bad input.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "model/profile.h"
#include "run.h"
#include "tap.h"
#include "trace.h"
#include "errnames.h"

static const char usage[] =
	"usage: iommusim [--profile-path FILE.so...] COMMAND [OPTION...] "
	"FILE...\n"
	"\n"
	"Run scenario files on a model of Linux 7.3's IOMMU core.\n"
	"\n"
	"commands:\n"
	"  run        run scenarios and print a trace of every step\n"
	"  corpus     run every *.scn under the given directories, under\n"
	"             each profile a file declares, and summarize\n"
	"  diff       run one file under two profiles (or --all: one table of\n"
	"             every profile it declares), show where they differ\n"
	"  show       draw the model's state after a step (text, dot, svg,\n"
	"             png), what the step changed highlighted\n"
	"  report     an HTML page per scenario, every step with its result,\n"
	"             the kernel's reason and a picture, and an index\n"
	"  repl       an interactive shell on the model: statements, state,\n"
	"             why, undo, profile, save (a file run replays), help\n"
	"  fail-nth   replay scenarios failing each page-table allocation in\n"
	"             turn; the failing step must leave the state unchanged\n"
	"  explore    search every operation sequence on a machine for a\n"
	"             broken invariant or a difference between profiles\n"
	"  crosscheck run scenarios on the model and in a QEMU guest with a\n"
	"             real Linux 7.3 kernel, compare step by step\n"
	"  exec       run an unmodified program with /dev/iommu, /dev/vfio\n"
	"             and their sysfs served by a scenario's machine\n"
	"\n"
	"--profile-path FILE.so (any number, anywhere before --) loads an\n"
	"out-of-tree profile (model/profile_api.h, docs/profiles.md): it "
	"runs,\n"
	"diffs and explores like a built-in one.\n"
	"`iommusim COMMAND --help` describes a command's options; `iommusim "
	"help\n"
	"VERB` a scenario verb's arguments and the Linux 7.3 function it "
	"models.\n"
	"Exit status: 0 every expectation holds, 1 one failed, 2 bad input.\n";

static GPtrArray *load_all(int argc, char **argv)
{
	GPtrArray *scs =
		g_ptr_array_new_with_free_func((GDestroyNotify)scenario_free);

	for (int i = 1; i < argc; i++) {
		GError *err = NULL;
		struct scenario *sc = scenario_load(argv[i], &err);

		if (!sc) {
			fprintf(stderr, "iommusim: %s\n", err->message);
			g_error_free(err);
			g_ptr_array_free(scs, TRUE);
			return NULL;
		}
		g_ptr_array_add(scs, sc);
	}
	return scs;
}

static int parse_options(GOptionContext *ctx, int *argc, char ***argv)
{
	GError *err = NULL;

	if (!g_option_context_parse(ctx, argc, argv, &err)) {
		fprintf(stderr, "iommusim: %s\n", err->message);
		g_error_free(err);
		return 2;
	}
	return 0;
}

/* "512M", "4G", "1048576": bytes, or false on anything else. */
static bool parse_size(const char *s, uint64_t *out)
{
	char *end = NULL;
	uint64_t v, mul = 1;

	if (!s || !g_ascii_isdigit(*s))
		return false;
	v = g_ascii_strtoull(s, &end, 0);
	switch (*end) {
	case 'K':
		mul = 1ull << 10;
		break;
	case 'M':
		mul = 1ull << 20;
		break;
	case 'G':
		mul = 1ull << 30;
		break;
	case 'T':
		mul = 1ull << 40;
		break;
	case '\0':
		break;
	default:
		return false;
	}
	if (*end && end[1])
		return false;
	if (v > UINT64_MAX / mul)
		return false;
	*out = v * mul;
	return *out != 0;
}

/* What `run` runs: each file under each profile --profile names for it
 * (one, a comma list, or "all": every profile the file declares). */
struct run_plan {
	GPtrArray *scs;	     /* struct scenario *, once per profile */
	GPtrArray *profiles; /* char *, parallel to scs */
};

static void run_plan_clear(struct run_plan *plan)
{
	g_ptr_array_free(plan->scs, TRUE);
	g_ptr_array_free(plan->profiles, TRUE);
}

/* Every (file, profile) pair, validated before anything runs; false
 * after the message (an unknown profile, a file's bad input). */
static bool run_plan_make(struct run_plan *plan, GPtrArray *files,
			  const char *spec, struct run_opts *opts)
{
	g_autofree char *names = iommu_profile_names_joined(" or ");

	plan->scs = g_ptr_array_new();
	plan->profiles = g_ptr_array_new_with_free_func(g_free);
	for (guint i = 0; i < files->len; i++) {
		struct scenario *sc = files->pdata[i];
		g_auto(GStrv) p = !strcmp(spec, "all")
					  ? scenario_profiles(sc)
					  : g_strsplit(spec, ",", -1);

		for (int j = 0; p[j]; j++) {
			GError *err = NULL;

			if (!scenario_profile_known(p[j])) {
				fprintf(stderr,
					"iommusim run: unknown profile '%s' "
					"(expected %s, a comma list of them, "
					"or all)\n",
					p[j], names);
				return false;
			}
			opts->profile = p[j];
			if (!scenario_check(sc, opts, &err)) {
				fprintf(stderr, "iommusim: %s\n", err->message);
				g_error_free(err);
				return false;
			}
			g_ptr_array_add(plan->scs, sc);
			g_ptr_array_add(plan->profiles, g_strdup(p[j]));
		}
	}
	return true;
}

/* Runs the plan, printing one trace; the number of failed steps. */
static int run_plan_exec(struct run_plan *plan, struct run_opts *opts,
			 const char *format, bool verbose)
{
	bool tap = format && !strcmp(format, "tap");
	unsigned int tap_n = 1;
	int failed = 0;

	if (tap)
		tap_begin(stdout, plan->scs);
	for (guint i = 0; i < plan->scs->len; i++) {
		struct run_result *rr;

		opts->profile = plan->profiles->pdata[i];
		rr = scenario_run(plan->scs->pdata[i], opts, NULL);
		if (tap)
			tap_file(stdout, plan->scs->pdata[i], rr, &tap_n);
		else
			trace_print(stdout, plan->scs->pdata[i], rr,
				    format && !strcmp(format, "json")
					    ? TRACE_JSON
					    : TRACE_TEXT,
				    verbose);
		failed += rr->failures;
		run_result_free(rr);
	}
	return failed;
}

static int cmd_run(int argc, char **argv)
{
	char *profile = NULL, *format = NULL, *memory_limit = NULL;
	gboolean strict = FALSE, verbose = FALSE;
	gint full_check = 0;
	g_autofree char *help = g_strdup_printf(
		"semantic profile (default %s), a comma list of them, or all "
		"(every profile each file declares): one trace",
		iommu_profile_default()->name);
	GOptionEntry entries[] = {
		{ "profile", 'p', 0, G_OPTION_ARG_STRING, &profile, help, "P" },
		{ "format", 'f', 0, G_OPTION_ARG_STRING, &format,
		  "text (default), json (JSON Lines) or tap (TAP 13)", "F" },
		{ "strict", 0, 0, G_OPTION_ARG_NONE, &strict,
		  "refuse operations without an expected result", NULL },
		{ "verbose", 'v', 0, G_OPTION_ARG_NONE, &verbose,
		  "show every step's reason and state change", NULL },
		{ "memory-limit", 0, 0, G_OPTION_ARG_STRING, &memory_limit,
		  "budget of modelled memory (page tables and written data), "
		  "e.g. 256M; past it allocations fail with ENOMEM as the "
		  "kernel's do (default 1G)",
		  "SIZE" },
		{ "full-check", 0, 0, G_OPTION_ARG_INT, &full_check,
		  "also check every Nth step's changes and invariants over "
		  "the whole machine, and the state after the last step "
		  "(default: every step up to 256 devices, else every "
		  "1000th)",
		  "N" },
		{ 0 },
	};
	GOptionContext *ctx = g_option_context_new("FILE... - run scenarios");
	struct run_opts opts = { 0 };
	struct run_plan plan = { 0 };
	GPtrArray *scs = NULL;
	int status = 2;
	bool tap = false;

	g_option_context_add_main_entries(ctx, entries, NULL);
	if (parse_options(ctx, &argc, &argv))
		goto out;
	tap = format && !strcmp(format, "tap");
	if (argc < 2) {
		fprintf(stderr, "iommusim run: expected a scenario file\n");
		goto out;
	}
	opts.strict = strict;
	if (full_check < 0) {
		fprintf(stderr,
			"iommusim run: --full-check expects a step "
			"count of 1 or more, got %d\n",
			full_check);
		goto out;
	}
	opts.full_check_every = full_check;
	if (memory_limit && !parse_size(memory_limit, &opts.memory_limit)) {
		fprintf(stderr,
			"iommusim run: --memory-limit expects a size in bytes "
			"with an optional K, M, G or T suffix, got '%s'\n",
			memory_limit);
		goto out;
	}
	if (format && strcmp(format, "text") && strcmp(format, "json") &&
	    strcmp(format, "tap")) {
		fprintf(stderr,
			"iommusim run: --format expects text, json or tap\n");
		goto out;
	}
	scs = load_all(argc, argv);
	/* every file is validated before anything runs */
	if (!scs ||
	    !run_plan_make(&plan, scs,
			   profile ? profile : iommu_profile_default()->name,
			   &opts) ||
	    !cli_guest_claims(scs))
		goto out;
	status = run_plan_exec(&plan, &opts, format, verbose) ? 1 : 0;
out:
	if (status == 2 && tap) /* TAP's word for "nothing could run" */
		printf("Bail out! bad input, nothing run (see stderr)\n");
	if (plan.scs)
		run_plan_clear(&plan);
	if (scs)
		g_ptr_array_free(scs, TRUE);
	g_free(profile);
	g_free(memory_limit);
	g_free(format);
	g_option_context_free(ctx);
	return status;
}

int main(int argc, char **argv)
{
	if (cli_load_profiles(&argc, argv))
		return 2;
	if (argc < 2) {
		fputs(usage, stderr);
		return 2;
	}
	if (!strcmp(argv[1], "help") && argc == 3) /* help VERB */
		return cli_verb_help(stdout, argv[2]) ? 0 : 2;
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
	    !strcmp(argv[1], "help")) {
		fputs(usage, stdout);
		return 0;
	}
	if (!strcmp(argv[1], "run"))
		return cmd_run(argc - 1, argv + 1);
	if (!strcmp(argv[1], "corpus"))
		return cmd_corpus(argc - 1, argv + 1);
	if (!strcmp(argv[1], "diff"))
		return cmd_diff(argc - 1, argv + 1);
	if (!strcmp(argv[1], "show"))
		return cmd_show(argc - 1, argv + 1);
	if (!strcmp(argv[1], "report"))
		return cmd_report(argc - 1, argv + 1);
	if (!strcmp(argv[1], "repl"))
		return cmd_repl(argc - 1, argv + 1);
	if (!strcmp(argv[1], "explore"))
		return cmd_explore(argc - 1, argv + 1);
	if (!strcmp(argv[1], "exec"))
		return cmd_exec(argc - 1, argv + 1);
	if (!strcmp(argv[1], "fail-nth"))
		return cmd_fail_nth(argc - 1, argv + 1);
	if (!strcmp(argv[1], "crosscheck")) {
#ifdef IOMMUSIM_HAVE_HW
		return cmd_crosscheck(argc - 1, argv + 1);
#else
		fprintf(stderr, "iommusim: this build has no hw/ harness\n");
		return 2;
#endif
	}
	fprintf(stderr, "iommusim: unknown command '%s'\n\n%s", argv[1], usage);
	return 2;
}
