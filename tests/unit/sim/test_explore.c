// SPDX-License-Identifier: MIT
/*
 * test_explore.c - iommusim explore (sim/explore.c) finds from scratch
 * what is known to differ, finds a bug seeded in a test-only profile with
 * its minimal counterexample, and every counterexample it writes replays
 * under the runner with the outcomes it states.
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
#include "replay.h"
#include "model/profile.h"
#include "model/state.h"
#include "model/vfio/vfio.h"

/* Two functions of one device without ACS: one group of two (iommu.c
 * pci_device_group() -> get_pci_function_alias_group()), no driver. */
static const char machine[] =
	"iommu driver=amd-vi\n"
	"pcie_root_port name=rp0 addr=1c.0 acs=1\n"
	"pci_device name=fa addr=00.0 parent=rp0 multifunction=1 acs=0\n"
	"pci_device name=fb addr=00.1 parent=rp0 multifunction=1 acs=0\n"
	"boot\n";

static struct explore_finding *explore(const char *profile, const char *vs,
				       const char *ops, int depth,
				       struct explore_stats *st)
{
	return explore_search(machine, profile, vs, ops, depth, false, st);
}

/* rfc-2022-v1 patch 3/8 lets iommu_attach_device() take a group of two
 * while no driver uses it; 7.3 refuses any multi-device group (EINVAL) */
static void test_explore_vs_rediscovers_attach_device_difference(void **state)
{
	struct explore_stats st;
	struct explore_finding *f =
		explore("linux-7.3", "rfc-2022-v1",
			"iommu_paging_domain_alloc,iommu_attach_device,"
			"iommu_detach_device",
			3, &st);

	assert_non_null(f);
	assert_string_equal("result", f->kind);
	assert_int_equal(2, f->length);
	assert_non_null(strstr(f->scenario, "not kernel truth"));
	assert_non_null(strstr(f->scenario, "linux-7.3:EINVAL"));
	assert_int_equal(0, replay_failures(f->scenario, "linux-7.3"));
	assert_int_equal(0, replay_failures(f->scenario, "rfc-2022-v1"));
	explore_finding_free(f);
}

/* A claim leaves a 7.3 group on its blocking domain, an rfc group on no
 * domain (CLAIM_BLOCKS vs CLAIM_NO_DOMAIN): a state difference at once */
static void test_explore_vs_rediscovers_claim_state_difference(void **state)
{
	struct explore_stats st;
	struct explore_finding *f = explore(
		"linux-7.3", "rfc-2022-v1",
		"iommu_group_claim_dma_owner,iommu_group_release_dma_owner", 3,
		&st);

	assert_non_null(f);
	assert_string_equal("state", f->kind);
	assert_int_equal(1, f->length);
	assert_int_equal(0, replay_failures(f->scenario, "linux-7.3"));
	assert_int_equal(0, replay_failures(f->scenario, "rfc-2022-v1"));
	explore_finding_free(f);
}

/* ---- a profile with a seeded bug: release forgets the devices ---- */

static int buggy_release(struct iommu_model *m, struct device *dev)
{
	int ret = profile_linux_7_3.ops.group_release_dma_owner(m, dev);

	/* the seeded bug: after a real release, the group points back at
	 * its blocking domain while its devices sit on the default one */
	if (!ret && !m->warned)
		iommu_domain_slot_set(&dev->iommu_group->domain,
				      dev->iommu_group->blocking_domain);
	return ret;
}

static const struct iommu_profile seeded = {
	.name = "test-seeded-release-bug",
	.summary = "linux-7.3 with a broken group release (tests only)",
	.base = "linux-7.3",
	.ops = { .group_release_dma_owner = buggy_release },
};

static void test_explore_finds_seeded_bug_in_two_steps(void **state)
{
	struct explore_stats st;
	struct explore_finding *f = explore(
		seeded.name, NULL,
		"iommu_group_claim_dma_owner,iommu_group_release_dma_owner,"
		"iommu_device_use_default_domain",
		3, &st);

	assert_non_null(f);
	assert_string_equal("invariant", f->kind);
	assert_int_equal(2, f->length); /* claim, then release */
	assert_int_equal(1, replay_failures(f->scenario, seeded.name));
	explore_finding_free(f);
}

/* A random walk meets the seeded bug and shrinks it to the same two
 * steps; the same seed writes the same scenario */
static void test_explore_random_walk_shrinks_seeded_bug(void **state)
{
	g_auto(GStrv) list = g_strsplit(
		"iommu_group_claim_dma_owner,iommu_group_release_dma_owner,"
		"iommu_device_use_default_domain,"
		"iommu_device_unuse_default_domain",
		",", -1);
	struct explore_opts o = { .path = "machine.scn",
				  .text = machine,
				  .profile = seeded.name,
				  .ops = list,
				  .depth = 1,
				  .random = true,
				  .steps = 200,
				  .seed = 11 };
	struct explore_finding *f = NULL, *again = NULL;
	struct explore_stats st;

	assert_int_equal(0, explore_run(&o, &st, &f, NULL));
	assert_non_null(f);
	assert_string_equal("invariant", f->kind);
	assert_int_equal(2, f->length);
	assert_int_equal(1, replay_failures(f->scenario, seeded.name));
	assert_int_equal(0, explore_run(&o, &st, &again, NULL));
	assert_non_null(again);
	assert_string_equal(f->scenario, again->scenario);
	explore_finding_free(f);
	explore_finding_free(again);
}

/* How many steps of a 100-step walk on the machine (two devices, no
 * driver) are driver_unbind, beside sysfs_write: 2 statements against
 * its 10 (each device, five values) */
static unsigned int unbinds_in_walk(bool by_verb)
{
	g_auto(GStrv) list = g_strsplit("sysfs_write,driver_unbind", ",", -1);
	struct explore_opts o = { .path = "machine.scn",
				  .text = machine,
				  .profile = "linux-7.3",
				  .ops = list,
				  .depth = 1,
				  .random = true,
				  .steps = 100,
				  .seed = 5,
				  .by_verb = by_verb,
				  .walk_out = g_string_new(NULL) };
	struct explore_finding *f = NULL;
	struct explore_stats st;
	unsigned int n = 0;

	assert_int_equal(0, explore_run(&o, &st, &f, NULL));
	assert_null(f);
	for (const char *at = o.walk_out->str;
	     (at = strstr(at, "\ndriver_unbind ")); at++)
		n++;
	g_string_free(o.walk_out, TRUE);
	return n;
}

/* --by-verb draws the verb first: driver_unbind is about half of the
 * steps, where a draw among all statements makes it about a sixth */
static void test_explore_walk_by_verb_draws_each_verb_alike(void **state)
{
	unsigned int by_verb = unbinds_in_walk(true);
	unsigned int uniform = unbinds_in_walk(false);

	assert_in_range(by_verb, 35, 65);
	assert_in_range(uniform, 5, 30);
}

/* The same search under 7.3 itself: every state keeps its invariants */
static void test_explore_linux_7_3_keeps_invariants(void **state)
{
	struct explore_stats st;
	struct explore_finding *f = explore(
		"linux-7.3", NULL,
		"iommu_group_claim_dma_owner,iommu_group_release_dma_owner,"
		"iommu_device_use_default_domain",
		3, &st);

	assert_null(f);
	assert_true(st.states > 3);
	assert_int_equal(3, st.depth_reached);
}

static const char vs_ops[] =
	"iommu_paging_domain_alloc,iommu_attach_device,iommu_detach_device,"
	"iommu_group_claim_dma_owner,iommu_group_release_dma_owner,"
	"driver_bind";

/* The kinds and lengths of a --vs search's findings (going on past
 * them), each once, in the order found; its state count in *states. A
 * finding and its mirror image are two findings (their texts name other
 * devices), so only the kinds and lengths compare. */
static char *vs_findings(bool no_symmetry, uint64_t *states)
{
	g_auto(GStrv) list = g_strsplit(vs_ops, ",", -1);
	g_autofree char *text = NULL;
	struct explore_opts o = { .path = IOMMUSIM_SOURCE_DIR
				  "/tests/explore/two-groups-of-two.scn",
				  .profile = "linux-7.3",
				  .vs = "rfc-2022-v1",
				  .ops = list,
				  .depth = 2,
				  .max_findings = 100,
				  .no_symmetry = no_symmetry };
	struct explore_finding *f = NULL;
	struct explore_stats st;
	GString *s = g_string_new(NULL);

	assert_true(g_file_get_contents(o.path, &text, NULL, NULL));
	o.text = text;
	assert_int_equal(0, explore_run(&o, &st, &f, NULL));
	for (struct explore_finding *e = f; e; e = e->next) {
		g_autofree char *line =
			g_strdup_printf("%s/%d\n", e->kind, e->length);

		if (!strstr(s->str, line))
			g_string_append(s, line);
		assert_int_equal(0, replay_failures(e->scenario, "linux-7.3"));
		assert_int_equal(0,
				 replay_failures(e->scenario, "rfc-2022-v1"));
	}
	*states = st.states;
	explore_finding_free(f);
	return g_string_free(s, FALSE);
}

/* tests/explore/two-groups-of-two.scn: a state and its mirror image (the
 * groups or the functions swapped)
 * count once: fewer states, the same findings at the same lengths,
 * each replaying under both profiles */
static void test_explore_symmetry_counts_mirror_states_once(void **state)
{
	uint64_t sym = 0, all = 0;
	g_autofree char *a = vs_findings(false, &sym);
	g_autofree char *b = vs_findings(true, &all);

	assert_true(sym * 3 < all);
	assert_string_equal(b, a);
	assert_non_null(strstr(a, "state/1\n"));  /* the claim */
	assert_non_null(strstr(a, "result/2\n")); /* attach_device */
}

/* The search over @text (a machine and a prefix) under linux-7.3: it
 * finds nothing. */
static void explore_text(const char *text, const char *ops, int depth,
			 bool no_copy, struct explore_stats *st)
{
	assert_null(explore_search(text, "linux-7.3", NULL, ops, depth, no_copy,
				   st));
}

/* A state produced by copying its parent and running one step is the
 * state its path's replay gives: the same search either way, on
 * tests/explore/two-groups-of-two.scn (a copy per parent) and on the
 * seeded and --vs searches above. */
static void test_explore_copies_count_what_replay_counts(void **state)
{
	static const char ops[] =
		"iommu_paging_domain_alloc,iommu_domain_free,"
		"iommu_attach_group,iommu_detach_group,"
		"iommu_group_claim_dma_owner,iommu_group_release_dma_owner,"
		"iommu_device_use_default_domain,driver_bind,driver_unbind";
	g_autofree char *text = NULL;
	struct explore_stats a, b;

	assert_true(g_file_get_contents(IOMMUSIM_SOURCE_DIR
					"/tests/explore/two-groups-of-two.scn",
					&text, NULL, NULL));
	explore_text(text, ops, 3, false, &a);
	explore_text(text, ops, 3, true, &b);
	assert_int_equal(b.states, a.states);
	assert_int_equal(b.transitions, a.transitions);
	assert_int_equal(b.pruned, a.pruned);
	assert_int_equal(0, b.copies);
	assert_true(a.copies > 0);
	assert_true(a.replayed * 2 < b.replayed); /* the point of copying */
}

/* The same where iommufd and VFIO are in use: their ctxs, objects,
 * pages, files and containers are copied (model/iommufd/copy.c,
 * model/vfio/copy.c), and the search counts what replaying every path
 * counts, on the noiommu cdev path and on VFIO's type1 group path. */
static void copies_count_what_replay_counts(const char *file, const char *ops,
					    int depth)
{
	g_autofree char *path =
		g_strconcat(IOMMUSIM_SOURCE_DIR "/", file, NULL);
	g_autofree char *text = NULL;
	struct explore_stats a, b;

	assert_true(g_file_get_contents(path, &text, NULL, NULL));
	explore_text(text, ops, depth, false, &a);
	explore_text(text, ops, depth, true, &b);
	assert_true(a.states > 100);
	assert_int_equal(b.states, a.states);
	assert_int_equal(b.transitions, a.transitions);
	assert_int_equal(b.pruned, a.pruned);
	assert_true(a.copies > 0);
	assert_int_equal(0, a.copy_refused); /* the copy reaches them all */
	assert_int_equal(0, b.copy_refused); /* --no-copy asks for none */
	/* every transition runs its step either way; the copies spare
	 * the paths' replays above that */
	assert_true(a.replayed < b.replayed);
}

static void test_explore_copies_iommufd_and_vfio_states(void **state)
{
	copies_count_what_replay_counts(
		"tests/explore/noiommu-cdev.scn",
		"IOMMU_IOAS_MAP,IOMMU_IOAS_UNMAP,VFIO_DEVICE_ATTACH_IOMMUFD_PT,"
		"VFIO_DEVICE_DETACH_IOMMUFD_PT,IOMMU_IOAS_NOIOMMU_GET_PA,"
		"IOMMU_IOAS_ALLOC,IOMMU_DESTROY",
		4);
	copies_count_what_replay_counts(
		"tests/explore/vfio-type1.scn",
		"VFIO_GROUP_SET_CONTAINER,VFIO_GROUP_UNSET_CONTAINER,"
		"VFIO_IOMMU_MAP_DMA,VFIO_IOMMU_UNMAP_DMA,"
		"VFIO_GROUP_GET_DEVICE_FD,vfio_close",
		5);
}

/* The vIOMMU family is copied too (model/iommufd/copy_viommu.c): the
 * mock's vIOMMU with its mmap region and the page behind it (physmem's
 * kernel pages, at the same PA in the copy), its nested HWPT, vDEVICE,
 * vEVENTQ with a vEVENT and the lost_events_header queued, and a HW
 * queue with its internal access (tests/explore/viommu-mock.scn); the
 * search allocates more of each, destroys them and reads the vEVENTQ
 * (a state of its own: the queue is in the key, state.c
 * snap_veventq()), and counts what replaying every path counts, every
 * state a copy. */
static void test_explore_copies_viommu_states(void **state)
{
	copies_count_what_replay_counts(
		"tests/explore/viommu-mock.scn",
		"IOMMU_VIOMMU_ALLOC,IOMMU_VDEVICE_ALLOC,IOMMU_VEVENTQ_ALLOC,"
		"IOMMU_HW_QUEUE_ALLOC,IOMMU_DESTROY,iommufd_veventq_read",
		4);
}

/* What the prefix of @text and then @more leave: the core's and the
 * iommufd side's key, and VFIO's hash. */
static void keys_after(const char *text, const char *more, u64 *core,
		       char **ifd, u64 *vfio)
{
	g_autofree char *all = g_strconcat(text, more, NULL);
	struct scenario *sc = scenario_parse("machine.scn", all, NULL);
	struct run_opts ro = { .profile = "linux-7.3" };
	struct run_session *rs;
	GString *s = g_string_new(NULL);

	assert_non_null(sc);
	rs = run_session_new(sc, &ro, NULL);
	assert_non_null(rs);
	*core = iommu_state_hash_symmetric(run_session_runner(rs)->m);
	*vfio = vfio_state_hash(run_session_runner(rs)->m);
	ifd_snapshot(run_session_runner(rs), s);
	*ifd = g_string_free(s, FALSE);
	run_session_free(rs);
	scenario_free(sc);
}

/* A group file and a container file open on a vfio-pci device with no
 * container set: closing either changes VFIO's state only (7.3
 * drivers/vfio/group.c vfio_group_fops_release() clears
 * group->opened_file; container.c vfio_fops_release() puts a container
 * no group holds; the iommu group's ownership is only claimed by
 * VFIO_GROUP_SET_CONTAINER, vfio_group_use_container()). The prefix,
 * each close and both are four states, not one. */
static const char vfio_machine[] =
	"iommu driver=amd-vi\n"
	"pci_device name=nic addr=03.0\n"
	"boot\n"
	"driver_bind dev=nic driver=vfio-pci => ok\n"
	"vfio_open group_of=nic out_fd=$g => ok\n"
	"vfio_open path=/dev/vfio/vfio out_fd=$c => ok\n";

static void test_explore_vfio_state_is_in_the_key(void **state)
{
	g_autofree char *ifd0 = NULL, *ifd1 = NULL;
	u64 core0, core1, vfio0, vfio1;
	struct explore_stats st;

	keys_after(vfio_machine, "", &core0, &ifd0, &vfio0);
	keys_after(vfio_machine, "vfio_close fd=$g => ok\n", &core1, &ifd1,
		   &vfio1);
	assert_true(core0 == core1); /* the difference is VFIO's alone */
	assert_string_equal(ifd0, ifd1);
	assert_true(vfio0 != vfio1);
	explore_text(vfio_machine, "vfio_close", 2, false, &st);
	assert_int_equal(4, st.states);
}

/* An IOAS allocated in an open iommufd (7.3 iommufd/ioas.c
 * iommufd_ioas_alloc_ioctl()) is the iommufd side's state alone: the
 * prefix and one IOAS are two states; a second IOAS (another id) a
 * third. */
static const char ifd_machine[] = "iommu driver=amd-vi\n"
				  "pci_device name=nic addr=03.0\n"
				  "boot\n"
				  "iommufd_open out_fd=$fd => ok\n";

static void test_explore_iommufd_state_is_in_the_key(void **state)
{
	g_autofree char *ifd0 = NULL, *ifd1 = NULL;
	u64 core0, core1, vfio0, vfio1;
	struct explore_stats st;

	keys_after(ifd_machine, "", &core0, &ifd0, &vfio0);
	keys_after(ifd_machine, "IOMMU_IOAS_ALLOC ictx=$fd => ok\n", &core1,
		   &ifd1, &vfio1);
	assert_true(core0 == core1);
	assert_true(vfio0 == vfio1);
	assert_string_not_equal(ifd0, ifd1);
	explore_text(ifd_machine, "IOMMU_IOAS_ALLOC", 2, false, &st);
	assert_int_equal(3, st.states);
}

/* What memory holds is in the key (physmem_contents_hash()): a CPU's
 * write of a pattern is a state of its own, and the same write again
 * leaves it (depth 2: the prefix and the written memory, 2 states; the
 * search's one memory_write row value is paddr=0x100000 len=0x1000
 * pattern=0x5a), the deepest new state at depth 1. Zeros are memory never written: writing them over the
 * pattern keys as the prefix again. */
static const char memory_machine[] = "iommu driver=amd-vi\n"
				     "pci_device name=nic addr=03.0\n"
				     "boot\n";

static void test_explore_memory_contents_are_in_the_key(void **state)
{
	g_autofree char *i0 = NULL, *i1 = NULL, *i2 = NULL;
	u64 core0, core1, core2, v0, v1, v2;
	struct explore_stats st;

	keys_after(memory_machine, "", &core0, &i0, &v0);
	keys_after(memory_machine,
		   "memory_write paddr=0x100000 len=0x1000 pattern=0x5a\n",
		   &core1, &i1, &v1);
	keys_after(memory_machine,
		   "memory_write paddr=0x100000 len=0x1000 pattern=0x5a\n"
		   "memory_write paddr=0x100000 len=0x1000 pattern=0\n",
		   &core2, &i2, &v2);
	assert_true(core0 != core1);
	assert_true(core0 == core2);
	explore_text(memory_machine, "memory_write", 2, false, &st);
	assert_int_equal(2, st.states);
	assert_int_equal(2, st.transitions);
	assert_int_equal(1, st.depth_reached);
}

/* A hotplug (pci_device after boot) is explorable: its new device is
 * named after its step (hp1, hp2) and sits at the root bus's first free
 * slot past the prefix's (04.0); it is a dev= value on its path from
 * then on, and a second hotplug at the taken address is pruned (a file
 * could not hold it). Depth 1: the hotplug and two claims of nic (owners
 * o1, o2), three new states. Depth 2: from the hotplug, the second
 * hotplug pruned and claims of nic and hp1 by o1 and o2 (hp1 in a group
 * of its own), 4 new states; from each claim, the hotplug (hp2: a name
 * no other path gave a device) and two claims of nic's group again,
 * -EPERM, 1 new state each: 3 + 5 + 3 + 3 = 14 transitions, 1 pruned,
 * 1 + 3 + 6 = 10 states. A hotplug turns symmetry off (the key then
 * tells devices apart by where they sit, and by the bus and devfn it
 * hashes). */
static void test_explore_hotplug_names_its_device_after_its_step(void **state)
{
	static const char machine[] = "iommu driver=amd-vi\n"
				      "pci_device name=nic addr=03.0\n"
				      "boot\n";
	static const char ops[] = "pci_device,iommu_group_claim_dma_owner";
	struct explore_stats one, two;

	explore_text(machine, ops, 1, false, &one);
	assert_int_equal(4, one.states);
	assert_int_equal(3, one.transitions);
	explore_text(machine, ops, 2, false, &two);
	assert_int_equal(10, two.states);
	assert_int_equal(14, two.transitions);
	assert_int_equal(1, two.pruned);
	explore_text(machine, ops, 2, true, &one); /* replayed: the same */
	assert_int_equal(10, one.states);
}

/* A hotplug behind a root port goes to the port's slot 00 (the one
 * only_one_child() scans), besides the root bus's 04.0; a second one
 * where the first sits is pruned there as on the root bus (a file could
 * not hold it: its address is taken on that bus). Depth 1: two
 * hotplugs, two states; depth 2: from each, the other place (a new
 * state) and its own (pruned): 1 + 2 + 2 = 5 states, 2 + 4 = 6
 * transitions, 2 pruned. */
static void test_explore_hotplug_behind_a_port_takes_its_slot_once(void **state)
{
	static const char machine[] = "iommu driver=amd-vi\n"
				      "pcie_root_port name=rp0 addr=1c.0\n"
				      "pci_device name=nic addr=03.0\n"
				      "boot\n";
	struct explore_stats st;

	explore_text(machine, "pci_device", 2, false, &st);
	assert_int_equal(5, st.states);
	assert_int_equal(6, st.transitions);
	assert_int_equal(2, st.pruned);
}

/* The search's key (symmetric or not) after @text and then @more */
static u64 key_after(const char *text, const char *more, bool symmetric)
{
	g_autofree char *all = g_strconcat(text, more, NULL);
	struct scenario *sc = scenario_parse("machine.scn", all, NULL);
	struct run_opts ro = { .profile = "linux-7.3" };
	struct run_session *rs;
	u64 key;

	assert_non_null(sc);
	rs = run_session_new(sc, &ro, NULL);
	assert_non_null(rs);
	key = explore_state_key(run_session_runner(rs), symmetric);
	run_session_free(rs);
	scenario_free(sc);
	return key;
}

/* /dev/vfio/vfio where iommufd provides it (VFIO_CONTAINER=n: iommufd
 * main.c registers vfio_misc_dev) is an iommufd ctx of its own, which
 * only VFIO's file holds; a MAP_DMA through it
 * (iommufd/vfio_compat.c iommufd_vfio_map_dma()) adds an area to its
 * IOAS, and a second one at another IOVA another: three states, where
 * the key had one (the ctx was unkeyed). */
static const char compat_machine[] =
	"cmdline iommufd.allow_unsafe_interrupts=1\n"
	"kconfig VFIO_CONTAINER=n\n"
	"iommu driver=intel-vtd\n"
	"pci_device name=nic addr=03.0\n"
	"boot\n"
	"driver_bind dev=nic driver=vfio-pci => ok\n"
	"vfio_open group_of=nic out_fd=$g => ok\n"
	"vfio_open path=/dev/vfio/vfio out_fd=$c => ok\n"
	"VFIO_GROUP_SET_CONTAINER fd=$g container_fd=$c => ok\n"
	"VFIO_SET_IOMMU fd=$c type=VFIO_TYPE1v2_IOMMU => ok\n"
	"user_buffer size=2M layout=contiguous out_va=$buf => ok\n";

static void test_explore_compat_container_ctx_is_in_the_key(void **state)
{
	static const char map1[] = "VFIO_IOMMU_MAP_DMA fd=$c flags=READ,WRITE "
				   "vaddr=$buf iova=0x1000 size=0x1000 => ok\n";
	static const char map2[] =
		"VFIO_IOMMU_MAP_DMA fd=$c flags=READ,WRITE "
		"vaddr=$buf iova=0x200000 size=0x1000 => ok\n";
	g_autofree char *both = g_strconcat(map1, map2, NULL);

	for (int sym = 0; sym < 2; sym++) {
		u64 k0 = key_after(compat_machine, "", sym);
		u64 k1 = key_after(compat_machine, map1, sym);
		u64 k2 = key_after(compat_machine, both, sym);

		assert_true(k0 != k1 && k1 != k2 && k0 != k2);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
			test_explore_vs_rediscovers_attach_device_difference),
		cmocka_unit_test(
			test_explore_vs_rediscovers_claim_state_difference),
		cmocka_unit_test(test_explore_finds_seeded_bug_in_two_steps),
		cmocka_unit_test(test_explore_random_walk_shrinks_seeded_bug),
		cmocka_unit_test(
			test_explore_walk_by_verb_draws_each_verb_alike),
		cmocka_unit_test(test_explore_linux_7_3_keeps_invariants),
		cmocka_unit_test(
			test_explore_symmetry_counts_mirror_states_once),
		cmocka_unit_test(test_explore_copies_count_what_replay_counts),
		cmocka_unit_test(test_explore_copies_iommufd_and_vfio_states),
		cmocka_unit_test(test_explore_copies_viommu_states),
		cmocka_unit_test(test_explore_vfio_state_is_in_the_key),
		cmocka_unit_test(test_explore_iommufd_state_is_in_the_key),
		cmocka_unit_test(
			test_explore_compat_container_ctx_is_in_the_key),
		cmocka_unit_test(test_explore_memory_contents_are_in_the_key),
		cmocka_unit_test(
			test_explore_hotplug_names_its_device_after_its_step),
		cmocka_unit_test(
			test_explore_hotplug_behind_a_port_takes_its_slot_once),
	};

	assert_int_equal(0, iommu_profile_register(&seeded));
	return cmocka_run_group_tests(tests, NULL, NULL);
}
