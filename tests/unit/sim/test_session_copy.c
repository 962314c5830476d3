// SPDX-License-Identifier: MIT
/*
 * test_session_copy.c - run_session_copy() and iommu_model_copy() are
 * exact: over the corpus (each file under each profile it names), before
 * every step the run is copied where the copy covers it, the step runs on
 * both, and the two must agree on everything the step shows (outcome,
 * why, failure, notes, the FULL snapshot and the iommufd side), on the
 * search's key of the state and on the ids and serials each object
 * table hands out next; the run
 * then goes on from the copy, so each file's later steps run on copies of
 * copies. A field the copy forgets shows as soon as a corpus step reads
 * it. And the copy is the original's no more: what it shares with it
 * (table pages, copy on write; drivers) must not change under it when
 * the original's step writes, nor the original under the copy's step:
 * each one's state is compared before and after the other's step. The
 * explorer produces its states this way (sim/explore.c).
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
#include "model/vfio/vfio.h"
#include "model/iommufd/iommufd_private.h"

struct tally {
	int copied, refused, disagree, leaked;
	int copied_ifd_vfio; /* copies holding an iommufd ctx or VFIO state */
	GHashTable *why;     /* a refusal's reason -> how many */
	const char *file;
};

static char *shown_at(struct run_session *rs, enum iommu_state_detail level)
{
	struct runner *r = run_session_runner(rs);
	g_autofree char *full = iommu_state_snapshot(r->m, level);
	g_autofree char *nodes = vfio_nodes_view(r->m);
	GString *s = g_string_new(full);

	ifd_snapshot(r, s);
	/* VFIO's registrations, files, containers and mappings */
	vfio_snapshot(r, s);
	g_string_append_printf(s, "vfio %016llx\n%s",
			       (unsigned long long)vfio_state_hash(r->m),
			       nodes ? nodes : "");
	return g_string_free(s, FALSE);
}

/* What a table hands out next: its lowest free id and its next serial */
static void next_ids(GString *s, const char *name, const struct obj_table *t)
{
	unsigned int id = 1;

	while (id < t->slots->len && t->slots->pdata[id])
		id++;
	g_string_append_printf(s, "%s next id %u serial %llu\n", name, id,
			       (unsigned long long)t->last_serial + 1);
}

/* The FULL state as shown, the search's key of it (the core's hash, the
 * iommufd side's, VFIO's in shown_at()) and what each object table
 * (the domains', each ctx's) hands out next */
static char *shown(struct run_session *rs)
{
	struct runner *r = run_session_runner(rs);
	g_autofree char *text = shown_at(rs, IOMMU_STATE_FULL);
	GString *s = g_string_new(text);

	g_string_append_printf(s, "key %016llx %016llx\n",
			       (unsigned long long)iommu_state_hash(r->m),
			       (unsigned long long)ifd_state_hash(r));
	next_ids(s, "domains", &r->m->domains);
	for (guint i = 0; i < r->m->ictxs->len; i++) {
		const struct iommufd_ctx *ictx = r->m->ictxs->pdata[i];

		next_ids(s, "ctx", &ictx->objects);
	}
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
	char *why = NULL;
	struct run_session *cp = run_session_copy_why(rs, &why);
	const struct iommu_model *m = run_session_runner(rs)->m;
	struct step_result *a, *b;
	g_autofree char *sa = NULL, *sb = NULL, *before = NULL, *after = NULL;

	if (cp)
		before = shown(cp);
	a = run_session_step(rs, st);
	if (!cp) {
		t->refused++;
		if (strstr(why, "does not map"))
			fprintf(stderr, "%s:%d: %s\n", t->file, st->line, why);
		g_hash_table_replace(
			t->why, why,
			GINT_TO_POINTER(GPOINTER_TO_INT(g_hash_table_lookup(
						t->why, why)) +
					1));
		step_result_free(a);
		return rs;
	}
	t->copied++;
	if (m->ictxs->len || !vfio_is_empty(m->vfio))
		t->copied_ifd_vfio++;
	after = shown(cp);
	if (strcmp(before, after)) {
		fprintf(stderr, "%s:%d: the original's step changed the copy\n",
			t->file, st->line);
		t->leaked++;
	}
	sa = shown(rs);
	b = run_session_step(cp, st);
	g_free(after);
	after = shown(rs);
	if (strcmp(sa, after)) {
		fprintf(stderr, "%s:%d: the copy's step changed the original\n",
			t->file, st->line);
		t->leaked++;
	}
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
	GHashTableIter it;
	gpointer why, n;

	t.why = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	for (guint i = 0; i < files->len; i++)
		run_file(files->pdata[i], &t);
	fprintf(stderr,
		"copied before %d steps (%d with iommufd or VFIO in use), "
		"refused before %d\n",
		t.copied, t.copied_ifd_vfio, t.refused);
	g_hash_table_iter_init(&it, t.why);
	while (g_hash_table_iter_next(&it, &why, &n)) {
		fprintf(stderr, "  refused %d: %s\n", GPOINTER_TO_INT(n),
			(char *)why);
		/* every refusal is named, none is a copy bug */
		assert_null(strstr(why, "does not map"));
	}
	g_hash_table_destroy(t.why);
	/* every step: the vIOMMU family and dma-buf holders included (a
	 * kind added to iommufd later is refused by name until its copy is
	 * written, and shows here) */
	assert_int_equal(0, t.refused);
	assert_true(t.copied > 1000); /* the copy covers the core corpus */
	/* and the iommufd and VFIO corpus beside it (about 3,000 today) */
	assert_true(t.copied_ifd_vfio > 2500);
	assert_int_equal(0, t.disagree);
	assert_int_equal(0, t.leaked);
}

/* A quiet run (run_opts.quiet: no why, no inner steps, as the explorer
 * runs its steps) is the same run: each step's result and failure and
 * the state after it agree with the full run's, over the corpus. The
 * state as the trace shows it, without the tables' bytes: two runs in
 * one process can place a VFIO type1 container's tables at other PAs
 * (model/vfio/container.c keeps the container's domains in a hash table
 * by pointer, and maps them in its order), quiet or not. */
static int quiet_differs(const char *path)
{
	struct scenario *sc = scenario_load(path, NULL);
	g_auto(GStrv) profiles = NULL;
	int differ = 0;

	if (!sc)
		return 0;
	profiles = scenario_profiles(sc);
	for (int i = 0; profiles[i]; i++) {
		struct run_opts ro = { .profile = profiles[i],
				       .no_changes = true };
		struct run_opts rq = ro;
		struct run_session *a, *b;
		struct scenario none = *sc;

		if (!scenario_check(sc, &ro, NULL))
			continue;
		rq.quiet = true;
		none.stmts = g_ptr_array_new();
		a = run_session_new(&none, &ro, NULL);
		b = run_session_new(&none, &rq, NULL);
		for (guint k = 0; k < sc->stmts->len; k++) {
			struct step_result *x, *y;
			g_autofree char *sx = NULL, *sy = NULL;

			x = run_session_step(a, sc->stmts->pdata[k]);
			y = run_session_step(b, sc->stmts->pdata[k]);
			sx = shown_at(a, IOMMU_STATE_TRACE);
			sy = shown_at(b, IOMMU_STATE_TRACE);
			if (x->pass != y->pass ||
			    !outcome_equal(&x->got, &y->got) ||
			    strcmp(sx, sy) ||
			    (x->got.kind != OUT_UB &&
			     !same_str(x->failure, y->failure))) {
				fprintf(stderr, "%s:%d: quiet, another run\n",
					path,
					((struct statement *)
						 sc->stmts->pdata[k])
						->line);
				differ++;
			}
			step_result_free(x);
			step_result_free(y);
		}
		run_session_free(a);
		run_session_free(b);
		g_ptr_array_free(none.stmts, TRUE);
	}
	scenario_free(sc);
	return differ;
}

static void test_quiet_run_is_the_same_run(void **state)
{
	char *dirs[] = { IOMMUSIM_SOURCE_DIR "/scenarios" };
	g_autoptr(GPtrArray) files = corpus_collect(1, dirs);
	int differ = 0;

	for (guint i = 0; i < files->len; i++)
		differ += quiet_differs(files->pdata[i]);
	assert_int_equal(0, differ);
}

/* A session after @text, and a copy of it. */
static struct run_session *session_of(const char *text, struct scenario **sc)
{
	struct run_opts ro = { .profile = "linux-7.3", .no_changes = true };

	*sc = scenario_parse("copy.scn", text, NULL);
	assert_non_null(*sc);
	return run_session_new(*sc, &ro, NULL);
}

/* A copy shares its original's drivers: registering one again in the
 * copy (driver_managed_dma changed) makes the copy its own driver, with
 * the copy's devices bound to it; the original keeps its driver, its
 * flag and its devices' binding. */
static void test_copy_registers_a_driver_on_its_own(void **state)
{
	struct scenario *sc, *again;
	struct run_session *rs =
		session_of("iommu driver=amd-vi\n"
			   "driver name=tegra-dc\n"
			   "pci_device name=nic addr=03.0\n"
			   "boot\n"
			   "driver_bind dev=nic driver=tegra-dc => ok\n",
			   &sc);
	struct run_session *cp = run_session_copy(rs);
	struct iommu_model *m = run_session_runner(rs)->m;
	struct iommu_model *n = run_session_runner(cp)->m;
	struct device_driver *orig = driver_find(m, "tegra-dc");

	assert_ptr_equal(orig, driver_find(n, "tegra-dc")); /* shared */
	again = scenario_parse("again.scn",
			       "driver name=tegra-dc driver_managed_dma=1\n",
			       NULL);
	step_result_free(run_session_step(cp, again->stmts->pdata[0]));
	assert_ptr_not_equal(orig, driver_find(n, "tegra-dc"));
	assert_false(orig->driver_managed_dma);
	assert_true(driver_find(n, "tegra-dc")->driver_managed_dma);
	assert_ptr_equal(orig, device_find(m, "nic")->driver);
	assert_ptr_equal(driver_find(n, "tegra-dc"),
			 device_find(n, "nic")->driver);
	run_session_free(cp);
	assert_string_equal("tegra-dc", orig->name); /* still the original's */
	run_session_free(rs);
	scenario_free(again);
	scenario_free(sc);
}

/* A copy shares its original's handle table until one of them binds: a
 * handle either binds afterwards is its own, the other never sees it
 * (fails with the tables left shared on a bind). */
/* The list of drivers is shared too, until either machine registers
 * one: a new driver is the registering machine's alone, and either may
 * be freed first (the last holder frees the list). */
static void test_copy_shares_the_driver_list_until_one_registers(void **state)
{
	struct scenario *sc, *more;
	struct run_session *rs = session_of("iommu driver=amd-vi\n"
					    "driver name=tegra-dc\n"
					    "pci_device name=nic addr=03.0\n"
					    "boot\n",
					    &sc);
	struct run_session *cp = run_session_copy(rs);
	struct run_session *cp2 = run_session_copy(cp);
	struct iommu_model *m = run_session_runner(rs)->m;
	struct iommu_model *n = run_session_runner(cp)->m;
	guint len = m->drivers->len;

	assert_ptr_equal(m->drivers, n->drivers); /* shared */
	more = scenario_parse("more.scn", "driver name=mlx5\n", NULL);
	step_result_free(run_session_step(cp, more->stmts->pdata[0]));
	assert_ptr_not_equal(m->drivers, n->drivers);
	assert_null(driver_find(m, "mlx5"));
	assert_non_null(driver_find(n, "mlx5"));
	assert_int_equal(len, m->drivers->len);
	assert_int_equal(len + 1, n->drivers->len);
	run_session_free(rs); /* the original first: cp2 holds its list */
	assert_null(driver_find(run_session_runner(cp2)->m, "mlx5"));
	assert_non_null(driver_find(run_session_runner(cp2)->m, "tegra-dc"));
	step_result_free(run_session_step(cp2, more->stmts->pdata[0]));
	assert_non_null(driver_find(run_session_runner(cp2)->m, "mlx5"));
	run_session_free(cp2);
	run_session_free(cp);
	scenario_free(more);
	scenario_free(sc);
}

static void test_copy_binds_its_own_handles(void **state)
{
	struct scenario *sc, *bind;
	struct run_session *rs = session_of(
		"iommu driver=amd-vi\n"
		"pci_device name=nic addr=03.0\n"
		"boot\n"
		"iommu_paging_domain_alloc dev=nic out_domain=$d1 => ok\n",
		&sc);
	struct run_session *cp = run_session_copy(rs);
	GHashTable *orig = run_session_runner(rs)->handles;
	GHashTable *copy = run_session_runner(cp)->handles;

	assert_true(g_hash_table_contains(copy, "d1"));
	bind = scenario_parse(
		"bind.scn",
		"iommu_paging_domain_alloc dev=nic out_domain=$d2 => ok\n"
		"iommu_paging_domain_alloc dev=nic out_domain=$d3 => ok\n",
		NULL);
	step_result_free(run_session_step(rs, bind->stmts->pdata[0]));
	step_result_free(run_session_step(cp, bind->stmts->pdata[1]));
	orig = run_session_runner(rs)->handles;
	copy = run_session_runner(cp)->handles;
	assert_true(g_hash_table_contains(orig, "d2"));
	assert_false(g_hash_table_contains(orig, "d3"));
	assert_true(g_hash_table_contains(copy, "d3"));
	assert_false(g_hash_table_contains(copy, "d2"));
	assert_true(g_hash_table_contains(copy, "d1"));
	run_session_free(rs);
	assert_true(g_hash_table_contains(copy, "d1"));
	run_session_free(cp);
	scenario_free(bind);
	scenario_free(sc);
}

/* What the copy does not know it refuses by name, before copying
 * anything, and the original goes on as before: an object kind past
 * every one iommufd has (as a HW queue once was) in the session's ctx. */
static void test_copy_refuses_a_kind_it_does_not_know(void **state)
{
	struct scenario *sc;
	struct run_session *rs = session_of("pci_device name=n addr=03.0\n"
					    "boot\n"
					    "iommufd_open out_fd=$fd => ok\n",
					    &sc);
	struct iommufd_ctx *ictx = run_session_runner(rs)->m->ictxs->pdata[0];
	g_autofree char *before = NULL, *after = NULL;
	struct obj_header *obj, *gone;
	char *why = NULL;

	assert_int_equal(0,
			 _iommufd_object_alloc(ictx, sizeof(*obj),
					       IOMMUFD_OBJ_MAX, (void **)&obj));
	iommufd_object_finalize(ictx, obj);
	before = shown(rs);
	assert_null(run_session_copy_why(rs, &why));
	assert_non_null(strstr(why, "iommufd object kind"));
	after = shown(rs);
	assert_string_equal(before, after);
	assert_int_equal(0, obj_remove(&ictx->objects, obj->id, &gone));
	g_free(gone);
	g_free(why);
	run_session_free(rs);
	scenario_free(sc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_copy_registers_a_driver_on_its_own),
		cmocka_unit_test(
			test_copy_shares_the_driver_list_until_one_registers),
		cmocka_unit_test(test_copy_binds_its_own_handles),
		cmocka_unit_test(test_copy_refuses_a_kind_it_does_not_know),
		cmocka_unit_test(test_quiet_run_is_the_same_run),
		cmocka_unit_test(test_session_copy_steps_as_the_original),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
