/* SPDX-License-Identifier: MIT */
/*
 * replay.h - the explorer tests' check of a counterexample: its scenario
 * text run as `iommusim run` runs it, the failed steps counted.
 * Include after cmocka.h, run.h and scenario.h.
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

#endif
