/* SPDX-License-Identifier: MIT */
/*
 * replay.h - the explorer tests' search and their check of a
 * counterexample: a search over a machine given as text, and a
 * counterexample's scenario text run as `iommusim run` runs it, the
 * failed steps counted. Include after cmocka.h, explore.h and run.h.
 */
#ifndef IOMMUSIM_TESTS_SIM_REPLAY_H
#define IOMMUSIM_TESTS_SIM_REPLAY_H

/* The number of failed steps when @text runs under @profile. */
static inline int replay_failures(const char *text, const char *profile)
{
	struct scenario *sc = scenario_parse("found.scn", text, NULL);
	struct run_opts ro = { .profile = profile };
	struct run_result *rr;
	int failures;

	assert_non_null(sc);
	rr = scenario_run(sc, &ro, NULL);
	assert_non_null(rr);
	failures = rr->failures;
	run_result_free(rr);
	scenario_free(sc);
	return failures;
}

/* A search over the machine @text ("machine.scn"), the @ops (a comma
 * list) to @depth under @profile (and @vs when not NULL), every state
 * replayed when @no_copy; it must run. */
static inline struct explore_finding *
explore_search(const char *text, const char *profile, const char *vs,
	       const char *ops, int depth, bool no_copy,
	       struct explore_stats *st)
{
	g_auto(GStrv) list = g_strsplit(ops, ",", -1);
	struct explore_opts o = { .path = "machine.scn",
				  .text = text,
				  .profile = profile,
				  .vs = vs,
				  .ops = list,
				  .depth = depth,
				  .no_copy = no_copy };
	struct explore_finding *f = NULL;

	assert_int_equal(0, explore_run(&o, st, &f, NULL));
	return f;
}

#endif
