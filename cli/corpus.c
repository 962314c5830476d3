// SPDX-License-Identifier: MIT
/*
 * corpus.c - `iommusim corpus`: every scenario under every profile it
 * declares, strictly, with a summary (`iommusim diff` is diff.c).
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
		cli_guest_fraction(scs);
		printf("corpus: %d passed, %d failed\n", t.runs - t.failed_runs,
		       t.failed_runs);
		status = t.failed_runs ? 1 : 0;
	}
	g_ptr_array_free(scs, TRUE);
	g_ptr_array_free(files, TRUE);
	return status;
}
