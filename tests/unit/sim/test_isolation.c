// SPDX-License-Identifier: MIT
/*
 * test_isolation.c - the isolation invariant (model/reach.h): a machine
 * run to a state by a scenario keeps it, and each kind of break put into
 * that state by hand is named precisely: a PTE its IOAS or type1
 * container does not map, an area missing from a domain, an unpinned
 * page a domain reaches, an owned group left on identity, the hardware's
 * walk and generic_pt's view of a caller's table disagreeing, and a
 * noiommu device in userspace's hands without the taint.
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
#include "model/iommufd/iommufd_private.h"
#include "model/pt/amdv1.h"
#include "model/reach.h"
#include "model/vfio/vfio_private.h"

/* drivers/iommu/iommufd: bind, IOAS, 16 KiB at PA 0x40000000 mapped at
 * IOVA 0x100000 (io_pagetable.c iopt_map_user_pages()), the device
 * attached to the IOAS (an auto HWPT: iopt_table_add_domain() fills it) */
static const char ifd_machine[] =
	"cmdline iommufd.allow_unsafe_interrupts=1\n"
	"iommu driver=amd-vi\n"
	"pci_device name=edu addr=03.0 driver=vfio-pci\n"
	"boot\n"
	"iommufd_open out_fd=$fd => ok\n"
	"iommufd_device_bind dev=edu ictx=$fd out_dev_id=$d => ok\n"
	"IOMMU_IOAS_ALLOC ictx=$fd out_ioas_id=$ioas => ok\n"
	"user_buffer size=16K pa=0x40000000 out_va=$buf => ok\n"
	"IOMMU_IOAS_MAP ictx=$fd ioas_id=$ioas "
	"flags=FIXED_IOVA,READABLE,WRITEABLE user_va=$buf length=16K "
	"iova=0x100000 => ok\n"
	"iommufd_device_attach idev=$d pt_id=$ioas out_pt_id=$hwpt => ok\n";

/* tests/explore/vfio-type1.scn's group path, and one vfio_dma of 8 KiB
 * (vfio_iommu_type1.c vfio_dma_do_map()) */
static const char type1_machine[] =
	"cmdline vfio_iommu_type1.allow_unsafe_interrupts=1\n"
	"iommu driver=amd-vi\n"
	"pci_device name=nic addr=03.0\n"
	"boot\n"
	"driver_bind dev=nic driver=vfio-pci => ok\n"
	"vfio_open group_of=nic out_fd=$g => ok\n"
	"vfio_open path=/dev/vfio/vfio out_fd=$c => ok\n"
	"VFIO_GROUP_SET_CONTAINER fd=$g container_fd=$c => ok\n"
	"VFIO_SET_IOMMU fd=$c type=VFIO_TYPE1v2_IOMMU => ok\n"
	"user_buffer size=8K pa=0x40000000 out_va=$buf => ok\n"
	"VFIO_IOMMU_MAP_DMA fd=$c flags=READ,WRITE vaddr=$buf iova=0x100000 "
	"size=8K => ok\n";

/* tests/explore/noiommu-cdev.scn: a noiommu cdev bound to iommufd */
static const char noiommu_machine[] =
	"cmdline vfio.enable_unsafe_noiommu_mode=1\n"
	"pci_device name=nic addr=03.0 iommu=none\n"
	"boot\n"
	"driver_bind dev=nic driver=vfio-pci => ok\n"
	"iommufd_open out_fd=$ifd => ok\n"
	"vfio_open cdev_of=nic out_fd=$d => ok\n"
	"VFIO_DEVICE_BIND_IOMMUFD fd=$d iommufd=$ifd out_devid=$id => ok\n";

/* A caller's own domain: iommu_map() of 8 KiB (iommu.c) */
static const char caller_machine[] =
	"iommu driver=amd-vi\n"
	"pci_device name=nic addr=03.0\n"
	"boot\n"
	"iommu_paging_domain_alloc dev=nic out_domain=$d => ok\n"
	"iommu_map domain=$d iova=0x200000 paddr=0x300000 size=8K => ok\n";

struct fx {
	struct scenario *sc;
	struct run_session *rs;
	struct iommu_model *m;
};

static struct fx *session(const char *text)
{
	struct fx *f = g_new0(struct fx, 1);
	struct run_opts ro = { .profile = "linux-7.3" };

	f->sc = scenario_parse("machine.scn", text, NULL);
	assert_non_null(f->sc);
	f->rs = run_session_new(f->sc, &ro, NULL);
	assert_non_null(f->rs);
	f->m = run_session_runner(f->rs)->m;
	return f;
}

static void fx_free(struct fx *f)
{
	run_session_free(f->rs);
	scenario_free(f->sc);
	g_free(f);
}

/* The isolation check's first break, or NULL; @unsafe (may be NULL)
 * gets the devices flagged unsafe */
static char *isolation(struct fx *f, unsigned int *unsafe)
{
	struct iommu_isolation out;
	char *bad = iommu_check_isolation(f->m, &out);

	if (unsafe)
		*unsafe = out.unsafe;
	return bad;
}

static void assert_contains(const char *want, const char *got)
{
	if (!got || !strstr(got, want))
		fail_msg("expected \"%s\" in \"%s\"", want,
			 got ? got : "(null)");
}

static struct iommu_domain *attached(struct fx *f, const char *dev)
{
	struct iommu_domain *d = device_find(f->m, dev)->attached;

	assert_non_null(d);
	return d;
}

static void ioas_domain_translating_exactly_its_areas_holds(void **state)
{
	struct fx *f = session(ifd_machine);
	struct iommu_domain *d = NULL;
	unsigned int unsafe = 1;

	assert_null(isolation(f, &unsafe));
	assert_int_equal(0, unsafe);
	assert_int_equal(REACH_TABLE,
			 iommu_device_reach(device_find(f->m, "edu"), &d));
	assert_ptr_equal(attached(f, "edu"), d);
	fx_free(f);
}

/* What a stale PTE after IOMMU_IOAS_UNMAP looks like: a translation in
 * the IOAS's domain that no area of the IOAS has */
static void pte_its_ioas_does_not_map_breaks_isolation(void **state)
{
	struct fx *f = session(ifd_machine);
	struct iommu_domain *d = attached(f, "edu");
	g_autofree char *bad = NULL;

	assert_int_equal(0, iommu_map(f->m, d, 0x200000, 0x40000000, 0x1000,
				      IOMMU_READ | IOMMU_WRITE));
	bad = isolation(f, NULL);
	assert_contains("edu (on ", bad);
	assert_contains(") reaches PA 0x40000000 (rw) through IOVA 0x200000, "
			"which IOAS 2 of iommufd ctx 1 does not map",
			bad);
	fx_free(f);
}

static void area_missing_from_its_domain_breaks_isolation(void **state)
{
	struct fx *f = session(ifd_machine);
	struct iommu_domain *d = attached(f, "edu");
	g_autofree char *bad = NULL;

	assert_int_equal(0x4000, iommu_unmap(f->m, d, 0x100000, 0x4000));
	bad = isolation(f, NULL);
	assert_contains("IOAS 2 of iommufd ctx 1 maps IOVA 0x100000 to PA "
			"0x40000000 (rw) but ",
			bad);
	assert_contains("'s table does not translate it", bad);
	fx_free(f);
}

static struct iopt_area *first_area(struct iommu_model *m)
{
	struct iommufd_ctx *ictx = m->ictxs->pdata[0];
	struct iommufd_ioas *ioas =
		(struct iommufd_ioas *)obj_peek(&ictx->objects, 2);

	assert_int_equal(IOMMUFD_OBJ_IOAS, ioas->obj.type);
	return ioas->iopt.areas->pdata[0];
}

/* The classic break: a device reaching a page nothing pins any more */
static void unpinned_page_a_domain_maps_breaks_isolation(void **state)
{
	struct fx *f = session(ifd_machine);
	struct iopt_pages *pages = first_area(f->m)->pages;
	g_autofree char *bad = NULL;

	pages->pin_count[1]--;
	bad = isolation(f, NULL);
	pages->pin_count[1]++;
	assert_contains("IOAS 2 maps IOVA 0x101000 to page 1 of its pages, "
			"which is not pinned",
			bad);
	fx_free(f);
}

static void type1_domain_translating_exactly_its_vfio_dma_holds(void **state)
{
	struct fx *f = session(type1_machine);

	assert_null(isolation(f, NULL));
	fx_free(f);
}

static void pte_its_type1_container_does_not_map_breaks_isolation(void **state)
{
	struct fx *f = session(type1_machine);
	struct iommu_domain *d = attached(f, "nic");
	g_autofree char *bad = NULL;

	assert_int_equal(0x2000, iommu_unmap(f->m, d, 0x100000, 0x2000));
	assert_int_equal(0, iommu_map(f->m, d, 0x100000, 0x50000000, 0x1000,
				      IOMMU_READ | IOMMU_WRITE));
	bad = isolation(f, NULL);
	assert_contains("nic (on ", bad);
	assert_contains(") reaches PA 0x50000000 (rw) through IOVA 0x100000, "
			"where the type1 container of VFIO group 0 maps PA "
			"0x40000000 (rw)",
			bad);
	fx_free(f);
}

/* An owned group on identity: what a claim that skipped
 * __iommu_take_dma_ownership()'s move to the blocking domain leaves */
static void vfio_owned_group_on_identity_breaks_isolation(void **state)
{
	struct fx *f = session(type1_machine);
	struct iommu_group *g = device_find(f->m, "nic")->iommu_group;
	struct iommu_domain *id = NULL;
	g_autofree char *bad = NULL;

	assert_int_equal(0, iommu_ops_static_domain(
				    f->m, device_find(f->m, "nic")->iommu,
				    "identity_domain", &id));
	assert_non_null(id);
	assert_int_equal(0,
			 __iommu_group_set_domain_internal(f->m, g, id, false));
	bad = isolation(f, NULL);
	assert_contains("nic reaches all memory through ", bad);
	assert_contains(" (identity) while vfio-group owns group ", bad);
	fx_free(f);
}

/* A caller's table read two ways: a PDE without IW denies writes to the
 * hardware (amdv1_hw.c ANDs IR/IW down the path); generic_pt's own
 * reader looks at the leaf alone */
static void hardware_and_generic_pt_disagreeing_breaks_isolation(void **state)
{
	struct fx *f = session(caller_machine);
	struct iommu_domain *d = NULL;
	g_autofree char *bad = NULL;
	u64 top, *e;

	for (d = iommu_domain_next(f->m, NULL);
	     d && (!d->label || strcmp(d->label, "$d"));
	     d = iommu_domain_next(f->m, d))
		;
	assert_non_null(d);
	assert_null(isolation(f, NULL));
	top = pt_amdv1_root_pa(d->pt);
	for (e = physmem_table_ptr_mut(f->m->physmem, top); !(*e & AMDV1PT_PR);
	     e++)
		;
	*e &= ~AMDV1PT_IW;
	bad = isolation(f, NULL);
	assert_contains("reaches PA 0x300000 (r) through IOVA 0x200000, where "
			"generic_pt's own view of $d maps PA 0x300000 (rw)",
			bad);
	fx_free(f);
}

static void noiommu_device_in_userspace_is_flagged_unsafe(void **state)
{
	struct fx *f = session(noiommu_machine);
	struct iommu_domain *d;
	unsigned int unsafe = 0;

	assert_null(isolation(f, &unsafe));
	assert_int_equal(1, unsafe);
	assert_int_equal(REACH_ALL_DIRECT,
			 iommu_device_reach(device_find(f->m, "nic"), &d));
	fx_free(f);
}

static void noiommu_device_in_userspace_untainted_breaks_isolation(void **state)
{
	struct fx *f = session(noiommu_machine);
	g_autofree char *bad = NULL;

	f->m->vfio->tainted = false;
	bad = isolation(f, NULL);
	f->m->vfio->tainted = true;
	assert_contains("noiommu-vfio0 (nic) is open in userspace and reaches "
			"all memory with no IOMMU, but the kernel is not "
			"tainted",
			bad);
	fx_free(f);
}

/* ---- explore: a seeded isolation bug, and the noiommu flag ---- */

/* The seeded bug: a claim that takes ownership but leaves the group on
 * its identity default domain (7.3's __iommu_take_dma_ownership() moves
 * it to the blocking domain). No structural invariant sees it: the
 * group and its devices agree, and an owned group on its default domain
 * is a contract note (iommu_check_contract()), not a finding. */
static int claim_left_on_identity(struct iommu_model *m, struct device *dev,
				  const char *owner)
{
	int ret = profile_linux_7_3.ops.group_claim_dma_owner(m, dev, owner);
	struct iommu_group *g = dev->iommu_group;

	if (!ret && g->default_domain &&
	    g->default_domain->type == IOMMU_DOMAIN_IDENTITY)
		__iommu_group_set_domain_internal(m, g, g->default_domain,
						  false);
	return ret;
}

static const struct iommu_profile seeded_claim = {
	.name = "test-seeded-claim-identity",
	.summary = "linux-7.3 with a claim that leaves identity (tests only)",
	.base = "linux-7.3",
	.ops = { .group_claim_dma_owner = claim_left_on_identity },
};

/* VFIO's group path on a passthrough machine: the group file and a
 * container open, no container set yet */
static const char identity_machine[] =
	"cmdline vfio_iommu_type1.allow_unsafe_interrupts=1\n"
	"cmdline iommu.passthrough=1\n"
	"iommu driver=amd-vi\n"
	"pci_device name=nic addr=03.0\n"
	"boot\n"
	"driver_bind dev=nic driver=vfio-pci => ok\n"
	"vfio_open group_of=nic out_fd=$g => ok\n"
	"vfio_open path=/dev/vfio/vfio out_fd=$c => ok\n";

static struct explore_finding *search(const char *text, const char *profile,
				      const char *ops, int depth,
				      struct explore_stats *st)
{
	return explore_search(text, profile, NULL, ops, depth, false, st);
}

static const char set_unset[] =
	"VFIO_GROUP_SET_CONTAINER,VFIO_GROUP_UNSET_CONTAINER,vfio_close";

static void explore_finds_seeded_claim_in_one_step(void **state)
{
	struct explore_stats st;
	struct explore_finding *f =
		search(identity_machine, seeded_claim.name, set_unset, 3, &st);

	assert_non_null(f);
	assert_string_equal("isolation", f->kind);
	assert_int_equal(1, f->length); /* VFIO_GROUP_SET_CONTAINER */
	assert_contains("VFIO_GROUP_SET_CONTAINER", f->scenario);
	assert_contains("(identity) while vfio-group owns group", f->detail);
	assert_int_equal(1, replay_failures(f->scenario, seeded_claim.name));
	assert_int_equal(0, replay_failures(f->scenario, "linux-7.3"));
	explore_finding_free(f);
}

static void explore_linux_7_3_keeps_isolation_there(void **state)
{
	struct explore_stats st;
	struct explore_finding *f =
		search(identity_machine, "linux-7.3", set_unset, 3, &st);

	assert_null(f);
	assert_true(st.states > 3);
	assert_int_equal(0, st.unsafe_states);
}

/* An in-kernel iommu_detach_group() on the group VFIO owns
 * (type1_machine) moves it to
 * its blocking domain (7.3's __iommu_group_set_core_domain()), and an
 * identity attach is then allowed (__iommu_attach_group(): on the
 * blocking domain): the device userspace holds reaches all memory. The
 * kernel checks no caller; the caller broke the owner's contract, so
 * that state is counted apart, not a finding. At depth 1 every attach is
 * -EBUSY (type1's domain is attached), so the one such state is the
 * detach's (whichever domain it names) followed by the identity attach. */
static void explore_counts_callers_breach_apart_from_findings(void **state)
{
	struct explore_stats st;
	struct explore_finding *f =
		search(type1_machine, "linux-7.3",
		       "iommu_detach_group,iommu_attach_group", 2, &st);

	assert_null(f);
	assert_int_equal(1, st.caller_broken_states);
	assert_int_equal(0, st.unsafe_states);
}

/* Every state of a search on a noiommu cdev bound to iommufd has the
 * device in userspace's hands: flagged, counted, not a finding */
static void explore_counts_noiommu_states_as_unsafe(void **state)
{
	struct explore_stats st;
	struct explore_finding *f = search(
		noiommu_machine, "linux-7.3",
		"IOMMU_IOAS_ALLOC,IOMMU_DESTROY,VFIO_DEVICE_DETACH_IOMMUFD_PT",
		2, &st);

	assert_null(f);
	assert_true(st.states > 2);
	assert_int_equal(st.states, st.unsafe_states);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
			ioas_domain_translating_exactly_its_areas_holds),
		cmocka_unit_test(pte_its_ioas_does_not_map_breaks_isolation),
		cmocka_unit_test(area_missing_from_its_domain_breaks_isolation),
		cmocka_unit_test(unpinned_page_a_domain_maps_breaks_isolation),
		cmocka_unit_test(
			type1_domain_translating_exactly_its_vfio_dma_holds),
		cmocka_unit_test(
			pte_its_type1_container_does_not_map_breaks_isolation),
		cmocka_unit_test(vfio_owned_group_on_identity_breaks_isolation),
		cmocka_unit_test(
			hardware_and_generic_pt_disagreeing_breaks_isolation),
		cmocka_unit_test(noiommu_device_in_userspace_is_flagged_unsafe),
		cmocka_unit_test(
			noiommu_device_in_userspace_untainted_breaks_isolation),
		cmocka_unit_test(explore_finds_seeded_claim_in_one_step),
		cmocka_unit_test(explore_linux_7_3_keeps_isolation_there),
		cmocka_unit_test(
			explore_counts_callers_breach_apart_from_findings),
		cmocka_unit_test(explore_counts_noiommu_states_as_unsafe),
	};

	assert_int_equal(0, iommu_profile_register(&seeded_claim));
	return cmocka_run_group_tests(tests, NULL, NULL);
}
