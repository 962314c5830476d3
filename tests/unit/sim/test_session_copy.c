// SPDX-License-Identifier: MIT
/*
 * test_session_copy.c - run_session_copy() and iommu_model_copy() are
 * exact: over the corpus (each file under each profile it names), before
 * every step the run is copied where the copy covers it, the step runs on
 * both, and the two must agree on everything the step shows (outcome,
 * why, failure, notes, the FULL snapshot and the iommufd side); the run
 * then goes on from the copy, so each file's later steps run on copies of
 * copies. A field the copy forgets shows as soon as a corpus step reads
 * it. The explorer produces its states this way (sim/explore.c).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "corpus.h"
#include "run.h"
#include "runner.h"
#include "model/profile.h"
#include "model/state.h"

struct tally {
	int copied, refused, disagree;
	const char *file;
};

static char *shown(struct run_session *rs)
{
	struct runner *r = run_session_runner(rs);
	g_autofree char *full = iommu_state_snapshot(r->m, IOMMU_STATE_FULL);
	GString *s = g_string_new(full);

	ifd_snapshot(r, s);
	return g_string_free(s, FALSE);
}

static bool same_str(const char *a, const char *b)
{
	return g_strcmp0(a, b) == 0;
}

static bool same_step(const struct step_result *a, const struct step_result *b)
{
	return a->pass == b->pass && outcome_equal(&a->got, &b->got) &&
	       same_str(a->why, b->why) && same_str(a->failure, b->failure) &&
	       same_str(a->contract_note, b->contract_note) &&
	       same_str(a->detail, b->detail);
}

/* Step @st on @rs and on a copy; the copy goes on (NULL: no copy). */
static struct run_session *
step_both(struct run_session *rs, const struct statement *st, struct tally *t)
{
	struct run_session *cp = run_session_copy(rs);
	struct step_result *a, *b;
	g_autofree char *sa = NULL, *sb = NULL;

	a = run_session_step(rs, st);
	if (!cp) {
		t->refused++;
		step_result_free(a);
		return rs;
	}
	t->copied++;
	b = run_session_step(cp, st);
	sa = shown(rs);
	sb = shown(cp);
	if (!same_step(a, b) || strcmp(sa, sb)) {
		fprintf(stderr, "%s:%d: the copy %s\n", t->file, st->line,
			same_step(a, b) ? "left another state"
					: "gave another result");
		t->disagree++;
	}
	step_result_free(a);
	step_result_free(b);
	run_session_free(rs);
	return cp;
}

static void run_file(const char *path, struct tally *t)
{
	GError *err = NULL;
	struct scenario *sc = scenario_load(path, &err);
	g_auto(GStrv) profiles = NULL;

	if (!sc) {
		g_error_free(err);
		return;
	}
	profiles = scenario_profiles(sc);
	t->file = path;
	for (int i = 0; profiles[i]; i++) {
		struct run_opts ro = { .profile = profiles[i],
				       .no_changes = true,
				       .prechecked = true };
		struct scenario none = *sc; /* the session starts empty */
		struct run_session *rs;

		if (!scenario_check(sc, &ro, NULL))
			continue;
		none.stmts = g_ptr_array_new();
		rs = run_session_new(&none, &ro, NULL);
		for (guint k = 0; k < sc->stmts->len; k++)
			rs = step_both(rs, sc->stmts->pdata[k], t);
		run_session_free(rs);
		g_ptr_array_free(none.stmts, TRUE);
	}
	scenario_free(sc);
}

static void test_session_copy_steps_as_the_original(void **state)
{
	char *dirs[] = { IOMMUSIM_SOURCE_DIR "/scenarios",
			 IOMMUSIM_SOURCE_DIR "/tests/explore" };
	g_autoptr(GPtrArray) files = corpus_collect(2, dirs);
	struct tally t = { 0 };

	for (guint i = 0; i < files->len; i++)
		run_file(files->pdata[i], &t);
	fprintf(stderr, "copied before %d steps, refused before %d\n", t.copied,
		t.refused);
	assert_true(t.copied > 1000); /* the copy covers the core corpus */
	assert_int_equal(0, t.disagree);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_session_copy_steps_as_the_original),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
