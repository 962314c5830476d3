// SPDX-License-Identifier: MIT
/*
 * test_state_hash.c - iommu_state_hash() (model/core/state_hash.c) hashes
 * the model's structures, not its FULL snapshot's text: the two must see
 * the same facts. Over every state the corpus reaches (each file under
 * each profile it names), two states of a profile have equal snapshots
 * exactly when they hash alike. A fact added to the snapshot and not to
 * the hash (or the other way round) shows here as soon as two states of
 * the corpus differ in it alone.
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

struct watch {
	GHashTable *by_text; /* FULL snapshot -> its hash */
	GHashTable *by_hash; /* hash -> a FULL snapshot */
	const char *file;
	int disagree;
	int steps;
	int distinct; /* distinct non-empty iommufd sides */
	bool ifd;     /* watch the iommufd side, not the model */
};

/* One observed state: its text (owned, kept or freed) against its hash;
 * equal texts must hash alike and different ones apart. True if new. */
static bool record(struct watch *w, const struct step_result *sr,
		   const char *side, char *text, u64 hash)
{
	u64 *seen = g_hash_table_lookup(w->by_text, text);
	const char *other = g_hash_table_lookup(w->by_hash, &hash);

	w->steps++;
	if ((seen && *seen != hash) || (other && strcmp(other, text))) {
		fprintf(stderr, "%s:%d: %s%s\n", w->file, sr->st->line, side,
			seen && *seen != hash
				? "an equal snapshot hashed differently"
				: "a different snapshot hashed alike");
		w->disagree++;
	}
	if (seen || other) {
		g_free(text);
		return false;
	}
	g_hash_table_insert(w->by_text, text, g_memdup2(&hash, sizeof(hash)));
	g_hash_table_insert(w->by_hash, g_memdup2(&hash, sizeof(hash)), text);
	return true;
}

/* states of one profile: another keeps its own group fields */
static u64 profile_salt(const struct iommu_model *m)
{
	return (u64)g_str_hash(m->profile->name) * 0x9e3779b97f4a7c15ull;
}

static void observe(void *data, const struct iommu_model *cm,
		    const struct step_result *sr)
{
	struct watch *w = data;
	struct iommu_model *m = (struct iommu_model *)cm; /* read only */
	g_autofree char *full = iommu_state_snapshot(m, IOMMU_STATE_FULL);

	record(w, sr, "", g_strconcat(m->profile->name, "\n", full, NULL),
	       iommu_state_hash(m) ^ profile_salt(m));
}

/* The iommufd side: ifd_state_hash() against ifd_snapshot()'s text */
static void observe_ifd(void *data, struct runner *r,
			const struct step_result *sr)
{
	struct watch *w = data;
	GString *s = g_string_new(r->m->profile->name);
	char *text;

	g_string_append_c(s, '\n');
	ifd_snapshot(r, s);
	text = g_string_free(s, FALSE);
	/* a new state with an iommufd side (more than the profile line) */
	if (record(w, sr, "iommufd: ", text,
		   ifd_state_hash(r) ^ profile_salt(r->m)) &&
	    strchr(strchr(text, '\n') + 1, '\n'))
		w->distinct++;
}

static void run_file(const char *path, struct watch *w)
{
	GError *err = NULL;
	struct scenario *sc = scenario_load(path, &err);
	g_auto(GStrv) profiles = NULL;

	if (!sc) {
		g_error_free(err);
		return;
	}
	profiles = scenario_profiles(sc);
	for (int i = 0; profiles[i]; i++) {
		struct run_opts ro = { .profile = profiles[i],
				       .no_changes = true,
				       .observe = w->ifd ? NULL : observe,
				       .observe_run =
					       w->ifd ? observe_ifd : NULL,
				       .observe_data = w };

		w->file = path;
		run_result_free(scenario_run(sc, &ro, NULL));
	}
	scenario_free(sc);
}

/* Every scenario of the corpus run with @w watching; the watch's tables
 * freed after. */
static void watch_corpus(struct watch *w)
{
	char *dirs[] = { IOMMUSIM_SOURCE_DIR "/scenarios" };
	g_autoptr(GPtrArray) files = corpus_collect(1, dirs);

	w->by_text =
		g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	w->by_hash = g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free,
					   NULL);
	for (guint i = 0; i < files->len; i++)
		run_file(files->pdata[i], w);
	g_hash_table_destroy(w->by_hash);
	g_hash_table_destroy(w->by_text);
}

static void test_state_hash_changes_exactly_when_snapshot_changes(void **state)
{
	struct watch w = { 0 };

	watch_corpus(&w);
	assert_true(w.steps > 1000); /* the corpus ran */
	assert_int_equal(0, w.disagree);
}

/* The same for the iommufd side an explorer keys by ifd_state_hash()
 * (model/iommufd/state_hash.c): its ctxs, objects, IOAS areas and pages,
 * the process, against the text ifd_snapshot() prints. */
static void
test_ifd_state_hash_changes_exactly_when_snapshot_changes(void **state)
{
	struct watch w = { .ifd = true };

	watch_corpus(&w);
	fprintf(stderr, "%d distinct iommufd sides\n", w.distinct);
	assert_true(w.distinct > 300); /* the iommufd corpus ran (383) */
	assert_int_equal(0, w.disagree);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
			test_state_hash_changes_exactly_when_snapshot_changes),
		cmocka_unit_test(
			test_ifd_state_hash_changes_exactly_when_snapshot_changes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
