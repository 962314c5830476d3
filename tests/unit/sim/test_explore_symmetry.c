// SPDX-License-Identifier: MIT
/*
 * test_explore_symmetry.c - the symmetric key on the VFIO and iommufd
 * sides (sim/explore_reach.c symmetric_key(), model/core/state_canon.c):
 * a state and its mirror image (two interchangeable devices swapped) key
 * alike once VFIO or an iommufd holds the devices, and two states that
 * are not one renamed never do, on tests/explore/two-vfio-devices.scn
 * (nic and nic2, one class, a group each, an iommufd $ifd open).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "explore.h"
#include "run.h"
#include "runner.h"

#define MACHINE IOMMUSIM_SOURCE_DIR "/tests/explore/two-vfio-devices.scn"

static char *machine(void)
{
	char *text = NULL;

	assert_true(g_file_get_contents(MACHINE, &text, NULL, NULL));
	return text;
}

/* The key after the machine's prefix and @more, each of whose steps
 * must meet its expectation */
static uint64_t key_after(const char *more, bool symmetric)
{
	g_autofree char *m = machine();
	struct scenario *sc = scenario_parse("machine.scn", m, NULL);
	struct scenario *steps = scenario_parse("more.scn", more, NULL);
	struct run_opts ro = { .profile = "linux-7.3" };
	struct run_session *rs;
	uint64_t key;

	assert_non_null(sc);
	assert_non_null(steps);
	rs = run_session_new(sc, &ro, NULL);
	assert_non_null(rs);
	for (guint i = 0; i < steps->stmts->len; i++) {
		struct step_result *sr =
			run_session_step(rs, steps->stmts->pdata[i]);

		if (!sr->pass)
			fail_msg("%s: %s", more, sr->failure);
		step_result_free(sr);
	}
	key = explore_state_key(run_session_runner(rs), symmetric);
	run_session_free(rs);
	scenario_free(steps);
	scenario_free(sc);
	return key;
}

/* @a and @b key alike under symmetry, apart by name */
static void mirrors(const char *a, const char *b)
{
	assert_true(key_after(a, true) == key_after(b, true));
	assert_true(key_after(a, false) != key_after(b, false));
}

static void apart(const char *a, const char *b)
{
	assert_true(key_after(a, true) != key_after(b, true));
}

/* Either device bound to vfio-pci is vfio0 (vfio_main.c
 * vfio_init_device(): ida_alloc_max() of the empty device_ida), its cdev
 * opened at the same fd, bound to $ifd as its first object
 * (iommufd_device_bind(), xa_alloc() from 1): the states are each
 * other's mirror image. */
static void test_symmetric_key_vfio_and_iommufd_mirrors(void **state)
{
	mirrors("driver_bind dev=nic driver=vfio-pci => ok\n",
		"driver_bind dev=nic2 driver=vfio-pci => ok\n");
	mirrors("driver_bind dev=nic driver=vfio-pci => ok\n"
		"vfio_open cdev_of=nic out_fd=$d => ok\n",
		"driver_bind dev=nic2 driver=vfio-pci => ok\n"
		"vfio_open cdev_of=nic2 out_fd=$d => ok\n");
	mirrors("driver_bind dev=nic driver=vfio-pci => ok\n"
		"vfio_open cdev_of=nic out_fd=$d => ok\n"
		"VFIO_DEVICE_BIND_IOMMUFD fd=$d iommufd=$ifd out_devid=$i "
		"=> ok\n",
		"driver_bind dev=nic2 driver=vfio-pci => ok\n"
		"vfio_open cdev_of=nic2 out_fd=$d => ok\n"
		"VFIO_DEVICE_BIND_IOMMUFD fd=$d iommufd=$ifd out_devid=$i "
		"=> ok\n");
	/* the group path: the group node opened */
	mirrors("driver_bind dev=nic driver=vfio-pci => ok\n"
		"vfio_open group_of=nic out_fd=$g => ok\n",
		"driver_bind dev=nic2 driver=vfio-pci => ok\n"
		"vfio_open group_of=nic2 out_fd=$g => ok\n");
	/* a second ctx by another handle name: its label is left out (the
	 * explorer names it after the step that opened it) */
	mirrors("iommufd_open out_fd=$a => ok\n"
		"IOMMU_IOAS_ALLOC ictx=$a out_ioas_id=$x => ok\n",
		"iommufd_open out_fd=$b => ok\n"
		"IOMMU_IOAS_ALLOC ictx=$b out_ioas_id=$x => ok\n");
}

static const char both[] = "driver_bind dev=nic driver=vfio-pci => ok\n"
			   "driver_bind dev=nic2 driver=vfio-pci => ok\n";

/* Not mirror images: nic bound first is vfio0 and nic2 vfio1
 * (ida_alloc_max()), so opening nic's cdev or nic2's opens vfio0 or
 * vfio1, which a path /dev/vfio/devices/vfioN tells apart; and which
 * device sits in the ctx that has the IOAS, with the fds fixed, is told
 * apart by closing fd $d1 (vfio_df_unbind_iommufd() unbinds from that
 * ctx). */
static void test_symmetric_key_keeps_what_tells_states_apart(void **state)
{
	g_autofree char *open_nic = g_strconcat(
		both, "vfio_open cdev_of=nic out_fd=$d => ok\n", NULL);
	g_autofree char *open_nic2 = g_strconcat(
		both, "vfio_open cdev_of=nic2 out_fd=$d => ok\n", NULL);
	static const char two_ctxs[] =
		"vfio_open cdev_of=nic out_fd=$d1 => ok\n"
		"vfio_open cdev_of=nic2 out_fd=$d2 => ok\n"
		"iommufd_open out_fd=$b => ok\n"
		"IOMMU_IOAS_ALLOC ictx=$ifd out_ioas_id=$x => ok\n";
	g_autofree char *nic_in_ioas_ctx = g_strconcat(
		both, two_ctxs,
		"VFIO_DEVICE_BIND_IOMMUFD fd=$d1 iommufd=$ifd out_devid=$i1 "
		"=> ok\n",
		"VFIO_DEVICE_BIND_IOMMUFD fd=$d2 iommufd=$b out_devid=$i2 "
		"=> ok\n",
		NULL);
	g_autofree char *nic2_in_ioas_ctx = g_strconcat(
		both, two_ctxs,
		"VFIO_DEVICE_BIND_IOMMUFD fd=$d1 iommufd=$b out_devid=$i1 "
		"=> ok\n",
		"VFIO_DEVICE_BIND_IOMMUFD fd=$d2 iommufd=$ifd out_devid=$i2 "
		"=> ok\n",
		NULL);

	apart(open_nic, open_nic2);
	apart(nic_in_ioas_ctx, nic2_in_ioas_ctx);
	/* two ctxs opened in one order, at swapped fds (a group file held
	 * the lowest free one while $a opened, fs/file.c alloc_fd()), the
	 * IOAS in $a: a close of the fd $a sits at, or the next open's
	 * number, tells them apart */
	apart("driver_bind dev=nic driver=vfio-pci => ok\n"
	      "vfio_open group_of=nic out_fd=$g => ok\n"
	      "iommufd_open out_fd=$a => ok\n"
	      "vfio_close fd=$g => ok\n"
	      "iommufd_open out_fd=$b => ok\n"
	      "IOMMU_IOAS_ALLOC ictx=$a out_ioas_id=$x => ok\n",
	      "driver_bind dev=nic driver=vfio-pci => ok\n"
	      "vfio_open group_of=nic out_fd=$g => ok\n"
	      "vfio_close fd=$g => ok\n"
	      "iommufd_open out_fd=$a => ok\n"
	      "iommufd_open out_fd=$b => ok\n"
	      "IOMMU_IOAS_ALLOC ictx=$a out_ioas_id=$x => ok\n");
	/* and a state is not its neighbour's */
	apart("driver_bind dev=nic driver=vfio-pci => ok\n",
	      "driver_bind dev=nic driver=pci-stub => ok\n");
}

/* The states a search of @ops to @depth counts on the machine (it finds
 * nothing) */
static uint64_t states(const char *ops, int depth, bool no_symmetry)
{
	g_auto(GStrv) list = g_strsplit(ops, ",", -1);
	g_autofree char *text = machine();
	struct explore_opts o = { .path = MACHINE,
				  .text = text,
				  .profile = "linux-7.3",
				  .ops = list,
				  .depth = depth,
				  .no_symmetry = no_symmetry };
	struct explore_finding *f = NULL;
	struct explore_stats st;

	assert_int_equal(0, explore_run(&o, &st, &f, NULL));
	assert_null(f);
	return st.states;
}

/*
 * driver_bind alone to depth 2 on the two devices. Of the ten built-in
 * drivers (model/core/bind.c builtin[]) nine bind an endpoint with no
 * driver: pcieport's probe refuses what is not a PCIe port (7.3
 * portdrv.c pcie_portdrv_probe(): -ENODEV), and a bound device refuses
 * another bind (dd.c __driver_probe_device(): dev->driver, -EBUSY). So
 * each device is unbound or bound to one of nine: 10 x 10 = 100 pairs, all
 * reached within two steps, and "both vfio-pci" is two states, nic or
 * nic2 bound first being vfio0: 101 with the devices told apart
 * (--no-symmetry). Symmetric, a pair counts once whichever device holds
 * which driver: C(10, 2) + 10 = 55, both-vfio-pci's two orders being
 * each other's mirror image (vfio0 is the one bound first either way).
 * Before VFIO's side was keyed by place, a vfio-pci device next to a
 * device in any of the nine other situations was two states (named nic
 * or nic2: 9 more) and both-vfio-pci two (1 more): 65.
 */
static void test_symmetry_counts_vfio_mirror_states_once(void **state)
{
	static const char ops[] =
		"driver_bind,vfio_open,VFIO_DEVICE_BIND_IOMMUFD,vfio_close";
	uint64_t sym, all;

	assert_int_equal(55, states("driver_bind", 2, false));
	assert_int_equal(101, states("driver_bind", 2, true));
	/* with the cdev opened and bound to $ifd: fewer, at least half
	 * (a state and its mirror image are at most two) */
	sym = states(ops, 3, false);
	all = states(ops, 3, true);
	assert_true(sym < all);
	assert_true(sym * 2 >= all);
}

/* ---- random walks and their mirror images ---- */

/*
 * With two interchangeable devices a state's mirror image is the state
 * the same steps reach with nic and nic2 swapped in every statement, and
 * two states are one renamed exactly when the named keys of one and its
 * mirror are the other's (in either order). Walks from the machine draw
 * steps on both devices (bind to vfio-pci, unbind, open the cdev or the
 * group node, close, bind to one of two iommufds, an IOAS, attach,
 * detach), run each on the state and on its mirror, and check: the
 * mirror gets the same outcome (the verbs treat the devices alike), the
 * two key alike under symmetry (mirrors count once), and two states that
 * key alike under symmetry are one renamed (nothing else is merged).
 */
struct walk {
	struct run_session *rs[2]; /* the state and its mirror */
	GPtrArray *parsed;	   /* struct scenario *, outliving rs */
	GPtrArray *fds, *ioas;	   /* handle names bound so far */
	GHashTable *seen;	   /* symmetric key -> struct named * */
	GRand *rand;
	unsigned int merged; /* met again, not their own mirror image */
};

/* a state's class: its named key and its mirror's, the lesser first */
struct named {
	uint64_t lo, hi;
};

/* @s with nic and nic2 swapped */
static char *swapped(const char *s)
{
	g_auto(GStrv) a = g_strsplit(s, "nic2", -1);
	g_autofree char *b = g_strjoinv("\001", a);
	g_auto(GStrv) c = g_strsplit(b, "nic", -1);
	g_autofree char *d = g_strjoinv("nic2", c);
	g_auto(GStrv) e = g_strsplit(d, "\001", -1);

	return g_strjoinv("nic", e);
}

static const char *pick(struct walk *w, GPtrArray *a)
{
	return a->pdata[g_rand_int_range(w->rand, 0, a->len)];
}

/* step @i's statement, drawn; NULL when it needs a handle none has */
static char *draw(struct walk *w, int i)
{
	const char *dev = g_rand_boolean(w->rand) ? "nic" : "nic2";
	const char *ctx = g_rand_boolean(w->rand) ? "$ifd" : "$b";

	switch (g_rand_int_range(w->rand, 0, 12)) {
	case 0:
	case 1:
		return g_strdup_printf("driver_bind dev=%s driver=vfio-pci",
				       dev);
	case 9:
		return g_strdup_printf("driver_bind dev=%s driver=pci-stub",
				       dev);
	case 10:
		return g_strdup_printf(
			"iommu_group_claim_dma_owner dev=%s owner=o1", dev);
	case 11:
		return g_strdup_printf("iommu_group_release_dma_owner dev=%s",
				       dev);
	case 2:
		return g_strdup_printf("driver_unbind dev=%s", dev);
	case 3:
		return g_strdup_printf("vfio_open cdev_of=%s out_fd=$f%d", dev,
				       i);
	case 4:
		return g_strdup_printf("vfio_open group_of=%s out_fd=$f%d", dev,
				       i);
	case 5:
		return w->fds->len ? g_strdup_printf("vfio_close fd=%s",
						     pick(w, w->fds))
				   : NULL;
	case 6:
		return w->fds->len ? g_strdup_printf(
					     "VFIO_DEVICE_BIND_IOMMUFD fd=%s "
					     "iommufd=%s out_devid=$i%d",
					     pick(w, w->fds), ctx, i)
				   : NULL;
	case 7:
		return g_strdup_printf(
			"IOMMU_IOAS_ALLOC ictx=%s out_ioas_id=$a%d", ctx, i);
	default:
		return w->fds->len && w->ioas->len
			       ? g_strdup_printf(
					 "VFIO_DEVICE_ATTACH_IOMMUFD_PT fd=%s "
					 "pt_id=%s",
					 pick(w, w->fds), pick(w, w->ioas))
			       : NULL;
	}
}

static struct step_result *run_text(struct walk *w, int k, const char *text)
{
	struct scenario *sc = scenario_parse("step.scn", text, NULL);

	assert_non_null(sc);
	g_ptr_array_add(w->parsed, sc);
	return run_session_step(w->rs[k], sc->stmts->pdata[0]);
}

/* the handles @text bound, when it succeeded; a closed fd is forgotten
 * (naming it again is undefined behaviour, which a search prunes) */
static void note_handles(struct walk *w, const char *text, int i)
{
	const char *fd = strstr(text, "fd=");

	if (g_str_has_prefix(text, "vfio_open"))
		g_ptr_array_add(w->fds, g_strdup_printf("$f%d", i));
	else if (g_str_has_prefix(text, "IOMMU_IOAS_ALLOC"))
		g_ptr_array_add(w->ioas, g_strdup_printf("$a%d", i));
	else if (g_str_has_prefix(text, "vfio_close"))
		for (guint j = 0; j < w->fds->len; j++)
			if (!strcmp(w->fds->pdata[j], fd + 3))
				g_ptr_array_remove_index(w->fds, j);
}

static void check_state(struct walk *w, const char *path)
{
	struct runner *r0 = run_session_runner(w->rs[0]);
	struct runner *r1 = run_session_runner(w->rs[1]);
	uint64_t sym = explore_state_key(r0, true);
	uint64_t n0 = explore_state_key(r0, false);
	uint64_t n1 = explore_state_key(r1, false);
	struct named now = { MIN(n0, n1), MAX(n0, n1) };
	struct named *was;

	if (explore_state_key(r1, true) != sym)
		fail_msg("a mirror image keys apart: %s", path);
	was = g_hash_table_lookup(w->seen, &sym);
	if (!was) {
		uint64_t *k = g_memdup2(&sym, sizeof(sym));

		g_hash_table_insert(w->seen, k, g_memdup2(&now, sizeof(now)));
		return;
	}
	if (was->lo != now.lo || was->hi != now.hi)
		fail_msg("two states that are not one renamed key alike: %s",
			 path);
	w->merged += now.lo != now.hi;
}

static void walk_once(struct walk *w, guint32 seed, int steps)
{
	g_autofree char *m = machine();
	struct scenario *sc = scenario_parse("machine.scn", m, NULL);
	struct run_opts ro = { .profile = "linux-7.3" };
	GString *path = g_string_new(NULL);

	g_ptr_array_add(w->parsed, sc);
	w->rand = g_rand_new_with_seed(seed);
	w->fds = g_ptr_array_new_with_free_func(g_free);
	w->ioas = g_ptr_array_new_with_free_func(g_free);
	w->rs[0] = run_session_new(sc, &ro, NULL);
	w->rs[1] = run_session_new(sc, &ro, NULL);
	assert_non_null(w->rs[0]);
	assert_non_null(w->rs[1]);
	for (int k = 0; k < 2; k++) /* a second iommufd, $b */
		step_result_free(run_text(w, k, "iommufd_open out_fd=$b"));
	for (int i = 1; i <= steps; i++) {
		g_autofree char *text = draw(w, i);
		g_autofree char *mirror = NULL;
		struct step_result *a, *b;

		if (!text)
			continue;
		mirror = swapped(text);
		a = run_text(w, 0, text);
		b = run_text(w, 1, mirror);
		g_string_append_printf(path, "%s => %d:%d; ", text, a->got.kind,
				       a->got.err);
		if (a->got.kind != b->got.kind || a->got.err != b->got.err)
			fail_msg("the mirror's outcome differs: %s", path->str);
		if (a->got.kind == OUT_OK)
			note_handles(w, text, i);
		step_result_free(a);
		step_result_free(b);
		check_state(w, path->str);
	}
	run_session_free(w->rs[0]);
	run_session_free(w->rs[1]);
	g_ptr_array_free(w->fds, TRUE);
	g_ptr_array_free(w->ioas, TRUE);
	g_rand_free(w->rand);
	g_string_free(path, TRUE);
}

static void test_symmetric_key_merges_exactly_mirror_images(void **state)
{
	struct walk w = {
		.parsed = g_ptr_array_new_with_free_func(
			(GDestroyNotify)scenario_free),
		.seen = g_hash_table_new_full(g_int64_hash, g_int64_equal,
					      g_free, g_free),
	};

	for (guint32 seed = 1; seed <= 40; seed++)
		walk_once(&w, seed, 14);
	/* the walks meet states again, mirror images among them */
	assert_true(w.merged > 40);
	g_hash_table_destroy(w.seen);
	g_ptr_array_free(w.parsed, TRUE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_symmetric_key_vfio_and_iommufd_mirrors),
		cmocka_unit_test(
			test_symmetric_key_keeps_what_tells_states_apart),
		cmocka_unit_test(test_symmetry_counts_vfio_mirror_states_once),
		cmocka_unit_test(
			test_symmetric_key_merges_exactly_mirror_images),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
