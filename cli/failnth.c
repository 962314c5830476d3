// SPDX-License-Identifier: MIT
/*
 * failnth.c - iommusim fail-nth: replay each scenario failing its Nth
 * page-table allocation, for every N until no allocation is left to fail
 * (the idea of the kernel's tools/testing/selftests/iommu/
 * iommufd_fail_nth.c). The step that meets the failure must either succeed
 * anyway or fail leaving the model's state as it was, with the invariants
 * holding; and nothing after it may crash. Expectations are not checked:
 * a failed allocation changes the results that follow.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "corpus.h"
#include "run.h"
#include "trace.h"

static bool verbose;

struct verdict {
	int runs, met, atomic_fail, ok_anyway, broken, kernel_not_atomic;
};

static const struct step_result *met(const struct run_result *rr)
{
	for (guint i = 0; i < rr->steps->len; i++) {
		const struct step_result *sr = rr->steps->pdata[i];

		if (sr->met_injection)
			return sr;
	}
	return NULL;
}

static bool judge_step(const char *path, unsigned int n,
		       const struct step_result *sr, struct verdict *v)
{
	g_autofree char *text = stmt_text(sr->st);
	bool failed = sr->got.kind == OUT_ERRNO || sr->failure;
	bool broken = false;

	if (sr->failure && strstr(sr->failure, "invariant broken"))
		broken = true;
	if (failed && sr->got.kind == OUT_ERRNO && sr->changes &&
	    !sr->kernel_not_atomic)
		broken = true; /* refused, but the state moved */
	if (failed && sr->changes && sr->kernel_not_atomic) {
		v->kernel_not_atomic++;
		printf("note %s: allocation %u at line %d (%s): Linux 7.3's "
		       "own failure path leaves a change: %s\n",
		       path, n, sr->st->line, text, sr->changes);
	}
	if (broken) {
		v->broken++;
		printf("FAIL %s: allocation %u fails at line %d: %s\n"
		       "     %s\n",
		       path, n, sr->st->line, text,
		       sr->changes ? sr->changes : sr->failure);
		return false;
	}
	if (failed) {
		v->atomic_fail++;
	} else {
		v->ok_anyway++;
		if (verbose)
			printf("note %s: allocation %u at line %d (%s) "
			       "succeeded anyway\n",
			       path, n, sr->st->line, text);
	}
	return true;
}

static bool fail_nth_file(struct scenario *sc, const char *profile,
			  struct verdict *v)
{
	bool ok = true;

	for (unsigned int n = 1;; n++) {
		struct run_opts o = { .profile = profile, .fail_nth = n };
		struct run_result *rr = scenario_run(sc, &o, NULL);
		const struct step_result *sr = rr ? met(rr) : NULL;

		v->runs++;
		if (!sr) {
			run_result_free(rr);
			break;
		}
		v->met++;
		ok &= judge_step(sc->path, n, sr, v);
		run_result_free(rr);
	}
	return ok;
}

/* The file, parsed and valid under each of its profiles (what run would
 * refuse as bad input, fail-nth refuses too: exit 2 with the message). */
static struct scenario *load_checked(const char *path)
{
	GError *err = NULL;
	struct scenario *sc = scenario_load(path, &err);
	g_auto(GStrv) profiles = sc ? scenario_profiles(sc) : NULL;

	for (int p = 0; profiles && profiles[p] && !err; p++) {
		struct run_opts o = { .profile = profiles[p] };

		scenario_check(sc, &o, &err);
	}
	if (!err)
		return sc;
	fprintf(stderr, "iommusim: %s\n", err->message);
	g_error_free(err);
	if (sc)
		scenario_free(sc);
	return NULL;
}

int cmd_fail_nth(int argc, char **argv)
{
	struct verdict v = { 0 };
	GPtrArray *files;
	bool ok = true;

	if (argc < 2 || !strcmp(argv[1], "--help")) {
		printf("usage: iommusim fail-nth [DIR|FILE...]\n\n"
		       "Replay each scenario failing its Nth page-table "
		       "allocation, every N in\nturn; the failing step must "
		       "leave the state unchanged. Exit 1 if not.\n");
		return argc < 2 ? 2 : 0;
	}
	verbose = !strcmp(argv[1], "-v");
	if (verbose) {
		argc--;
		argv++;
	}
	files = corpus_collect(argc - 1, argv + 1);
	for (guint i = 0; i < files->len; i++) {
		struct scenario *sc = load_checked(files->pdata[i]);
		g_auto(GStrv) profiles = NULL;

		if (!sc) {
			g_ptr_array_free(files, TRUE);
			return 2;
		}
		profiles = scenario_profiles(sc);
		for (int p = 0; profiles[p]; p++)
			ok &= fail_nth_file(sc, profiles[p], &v);
		scenario_free(sc);
	}
	printf("fail-nth: %u files, %d runs, %d met an allocation failure: "
	       "%d refused atomically (%d with a change 7.3 itself makes), "
	       "%d succeeded anyway, %d broken\n",
	       files->len, v.runs, v.met, v.atomic_fail, v.kernel_not_atomic,
	       v.ok_anyway, v.broken);
	g_ptr_array_free(files, TRUE);
	return ok ? 0 : 1;
}
