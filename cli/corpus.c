// SPDX-License-Identifier: MIT
/*
 * corpus.c - `iommusim corpus`: every scenario under every profile it
 * declares, strictly, with a summary; and `iommusim diff`, one file under
 * two profiles.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "corpus.h"
#include "run.h"
#include "trace.h"
#include "errnames.h"
#include "model/profile.h"

struct tally {
	int files, runs, steps, ops, checks, failed_runs, failed_steps;
};

static int validate_corpus(GPtrArray *files, GPtrArray *scs)
{
	int bad = 0;

	for (guint i = 0; i < files->len; i++) {
		GError *err = NULL;
		struct scenario *sc = scenario_load(files->pdata[i], &err);
		g_auto(GStrv) profiles = NULL;

		if (sc) {
			profiles = scenario_profiles(sc);
			for (int p = 0; profiles[p] && !err; p++) {
				struct run_opts o = { .profile = profiles[p],
						      .strict = true };

				scenario_check(sc, &o, &err);
			}
		}
		if (err) {
			fprintf(stderr, "iommusim: %s\n", err->message);
			g_error_free(err);
			bad++;
		}
		g_ptr_array_add(scs, sc);
	}
	return bad;
}

static void first_failure(const struct run_result *rr, const char *path)
{
	for (guint i = 0; i < rr->steps->len; i++) {
		const struct step_result *sr = rr->steps->pdata[i];
		g_autofree char *text = NULL;

		if (sr->pass)
			continue;
		text = stmt_text(sr->st);
		printf("      %s:%d: %s\n      %s\n", path, sr->st->line, text,
		       sr->failure ? sr->failure : "failed");
		if (sr->why)
			printf("      why: %s\n", sr->why);
		return;
	}
}

static void run_one(struct scenario *sc, const char *profile, struct tally *t)
{
	struct run_opts o = { .profile = profile, .strict = true };
	struct run_result *rr = scenario_run(sc, &o, NULL);

	t->runs++;
	for (guint i = 0; i < rr->steps->len; i++) {
		const struct step_result *sr = rr->steps->pdata[i];

		t->steps++;
		t->ops += sr->cls == STEP_OP;
		t->checks += sr->cls == STEP_CHECK;
	}
	t->failed_steps += rr->failures;
	t->failed_runs += rr->failures != 0;
	printf("%s %-60s %-12s %3u steps\n", rr->failures ? "FAIL" : "pass",
	       sc->path, profile, rr->steps->len);
	if (rr->failures)
		first_failure(rr, sc->path);
	run_result_free(rr);
}

int cmd_corpus(int argc, char **argv)
{
	GPtrArray *files, *scs;
	struct tally t = { 0 };
	gint64 t0 = g_get_monotonic_time();
	int status;

	if (argc >= 2 &&
	    (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		printf("usage: iommusim corpus [DIR|FILE...]\n\n"
		       "Run every *.scn (default: scenarios/) strictly under "
		       "each profile\nit declares and print a summary. Exit 0 "
		       "if all pass, 1 on a failure,\n2 if a file is bad "
		       "input (then nothing runs).\n");
		return 0;
	}
	files = argc > 1 ? corpus_collect(argc - 1, argv + 1)
			 : corpus_collect(1, (char *[]){ "scenarios" });
	scs = g_ptr_array_new_with_free_func((GDestroyNotify)scenario_free);
	if (!files->len) {
		fprintf(stderr, "iommusim corpus: no *.scn files found\n");
		status = 2;
	} else if (validate_corpus(files, scs)) {
		status = 2;
	} else {
		for (guint i = 0; i < scs->len; i++) {
			g_auto(GStrv) profiles =
				scenario_profiles(scs->pdata[i]);

			t.files++;
			for (int p = 0; profiles[p]; p++)
				run_one(scs->pdata[i], profiles[p], &t);
		}
		printf("\ncorpus: %d files, %d runs (file x profile), %d steps "
		       "(%d operations, %d checks), %.1f ms\n",
		       t.files, t.runs, t.steps, t.ops, t.checks,
		       (g_get_monotonic_time() - t0) / 1000.0);
		printf("corpus: %d passed, %d failed\n", t.runs - t.failed_runs,
		       t.failed_runs);
		status = t.failed_runs ? 1 : 0;
	}
	g_ptr_array_free(scs, TRUE);
	g_ptr_array_free(files, TRUE);
	return status;
}

static void diff_step(const struct step_result *a, const struct step_result *b,
		      int *differ)
{
	g_autofree char *text = stmt_text(a->st);
	g_autofree char *ra = outcome_str(&a->got);
	g_autofree char *rb = outcome_str(&b->got);
	bool same = !strcmp(ra, rb) && a->pass == b->pass &&
		    !g_strcmp0(a->failure, b->failure);

	if (a->cls == STEP_SETUP)
		return;
	*differ += !same;
	printf("%s %4d  %s\n", same ? "  " : "<>", a->st->line, text);
	if (a->cls == STEP_OP)
		printf("           %-24s %s\n", ra, rb);
	if (!same && a->why)
		printf("           A: %s\n", a->why);
	if (!same && b->why)
		printf("           B: %s\n", b->why);
	if (!same && (a->failure || b->failure))
		printf("           A %s | B %s\n",
		       a->failure ? a->failure : "holds",
		       b->failure ? b->failure : "holds");
}

int cmd_diff(int argc, char **argv)
{
	char *profiles = NULL;
	const char *const *names = iommu_profile_names();
	g_autofree char *pair = g_strdup_printf("%s,%s", names[0], names[1]);
	g_autofree char *help = g_strdup_printf(
		"two profiles, comma-separated (default %s)", pair);
	GOptionEntry entries[] = {
		{ "profiles", 0, 0, G_OPTION_ARG_STRING, &profiles, help,
		  "A,B" },
		{ NULL },
	};
	GOptionContext *ctx = g_option_context_new(
		"FILE - where two profiles disagree, step by step");
	g_auto(GStrv) p = NULL;
	struct scenario *sc = NULL;
	struct run_result *ra = NULL, *rb = NULL;
	GError *err = NULL;
	int differ = 0, status = 2;

	g_option_context_add_main_entries(ctx, entries, NULL);
	if (!g_option_context_parse(ctx, &argc, &argv, &err) || argc != 2) {
		fprintf(stderr, "iommusim diff: %s\n",
			err ? err->message : "expected one FILE");
		goto out;
	}
	p = g_strsplit(profiles ? profiles : pair, ",", 3);
	if (g_strv_length(p) != 2 || !scenario_profile_known(p[0]) ||
	    !scenario_profile_known(p[1])) {
		fprintf(stderr,
			"iommusim diff: --profiles expects two profiles: %s\n",
			pair);
		goto out;
	}
	sc = scenario_load(argv[1], &err);
	if (sc)
		ra = scenario_run(sc,
				  &(struct run_opts){ .profile = p[0],
						      .allow_absent = true },
				  &err);
	if (ra)
		rb = scenario_run(sc,
				  &(struct run_opts){ .profile = p[1],
						      .allow_absent = true },
				  &err);
	if (!rb) {
		fprintf(stderr, "iommusim: %s\n", err->message);
		goto out;
	}
	printf("== %s: A = %s, B = %s\n", sc->path, p[0], p[1]);
	for (guint i = 0; i < ra->steps->len; i++)
		diff_step(ra->steps->pdata[i], rb->steps->pdata[i], &differ);
	printf("== %d step(s) differ\n", differ);
	status = 0;
out:
	g_clear_error(&err);
	run_result_free(ra);
	run_result_free(rb);
	scenario_free(sc);
	g_free(profiles);
	g_option_context_free(ctx);
	return status;
}
