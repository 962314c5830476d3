// SPDX-License-Identifier: MIT
/*
 * test_profile_registry.c - the profile seam (profile.h): the registry's
 * lookup and names, and a delta that overrides one entry point, removes
 * another and inherits everything else from its base, dispatched through
 * the public iommu_* entry points.
 */
#include "fixture.h"
#include "model/core/kerrno.h"

static void registry_lists_the_default_first(void **state)
{
	const char *const *names = iommu_profile_names();
	g_autofree char *joined = iommu_profile_names_joined(", ");
	g_autofree char *want =
		g_strdup_printf("%s, %s, %s, %s, %s", names[0], names[1],
				names[2], names[3], names[4]);

	assert_string_equal(iommu_profile_default()->name, names[0]);
	assert_ptr_equal(&profile_linux_7_3, iommu_profile_default());
	assert_ptr_equal(&profile_rfc_2022_v1, iommu_profile_find(names[1]));
	assert_ptr_equal(&profile_noiommu_v1, iommu_profile_find(names[2]));
	assert_ptr_equal(&profile_noiommu_v3, iommu_profile_find(names[3]));
	assert_ptr_equal(&profile_noiommu_v5, iommu_profile_find(names[4]));
	assert_null(names[5]);
	assert_null(iommu_profile_find("no-such-kernel"));
	assert_string_equal(want, joined);
	assert_true(iommu_profile_guest()->guest_runnable);
	assert_false(profile_rfc_2022_v1.guest_runnable);
	assert_false(profile_noiommu_v1.guest_runnable);
	assert_false(profile_noiommu_v3.guest_runnable);
	assert_false(profile_noiommu_v5.guest_runnable);
}

/* noiommu-v5 (model/profile/noiommu_v5.c): none of the hunks of seeds
 * 000 and 002 differs from 7.3 in anything the model can observe, so its
 * resolved table is 7.3's, entry for entry. */
static void noiommu_v5_resolves_to_linux_7_3_exactly(void **state)
{
	struct iommu_profile_resolved v5, l73;

	assert_int_equal(0, iommu_profile_resolve(&profile_noiommu_v5, &v5));
	assert_int_equal(0, iommu_profile_resolve(&profile_linux_7_3, &l73));
	assert_memory_equal(&l73.ops, &v5.ops, sizeof(v5.ops));
	assert_int_equal(l73.absent, v5.absent);
	assert_int_equal(l73.claim_blocks, v5.claim_blocks);
	assert_memory_equal(&l73.group, &v5.group, sizeof(v5.group));
	assert_memory_equal(&l73.vfio, &v5.vfio, sizeof(v5.vfio));
	assert_ptr_equal(&profile_noiommu_v5, v5.profile);
}

static int refuse_claim(struct iommu_model *m, struct device *dev,
			const char *owner)
{
	return iommu_refuse(m, -EXDEV, "test_claim", "the delta's own");
}

/* A reviewer's delta: one entry point replaced, one removed. */
static const struct iommu_profile delta = {
	.name = "test-delta",
	.summary = "a delta over the default profile",
	.base = "linux-7.3",
	.ops = { .group_claim_dma_owner = refuse_claim },
	.absent = IOMMU_OP(attach_group),
};

static void delta_overrides_one_entry_and_inherits_the_rest(void **state)
{
	struct iommu_model *m;
	struct device *d;
	struct iommu_domain *dom = NULL;

	assert_true(iommu_profile_find(delta.name) ||
		    !iommu_profile_register(&delta));
	m = machine_new(iommu_profile_find("test-delta"), IOMMU_DRV_AMD_VI);
	d = pci(m, "d", DEV_PCI, NULL, 2, 0);
	assert_int_equal(0, iommu_model_boot(m));
	assert_int_equal(0, iommu_paging_domain_alloc(m, d, &dom));
	assert_int_equal(-EXDEV, iommu_group_claim_dma_owner(m, d, "v"));
	assert_int_equal(IOMMU_ABSENT, iommu_attach_group(m, dom, d));
	assert_int_equal(IOMMU_ABSENT,
			 iommu_group_replace_domain(m, d, NULL, dom));
	/* inherited from the base: 7.3's singleton attach and detach */
	assert_int_equal(0, iommu_attach_device(m, dom, d));
	assert_ptr_equal(dom, d->iommu_group->domain);
	assert_int_equal(0, iommu_detach_device(m, dom, d));
	assert_true(iommu_profile_has(&delta, IOMMU_OP(attach_device)));
	assert_false(iommu_profile_has(&delta, IOMMU_OP(attach_group)));
	iommu_domain_free(m, dom);
	*state = m;
	teardown_model(state);
}

static int attach_group_back(struct iommu_model *m, struct iommu_domain *domain,
			     struct device *dev)
{
	return 0;
}

static const struct iommu_profile on_rfc = {
	.name = "test-on-rfc",
	.base = "rfc-2022-v1",
	.ops = { .attach_group = attach_group_back },
};

static void delta_of_a_delta_keeps_its_base_state_and_absences(void **state)
{
	struct iommu_profile_resolved r;

	assert_int_equal(0, iommu_profile_resolve(&on_rfc, &r));
	assert_int_equal(profile_rfc_2022_v1.group.data_size,
			 r.group.data_size);
	assert_false(r.claim_blocks);
	assert_ptr_equal(attach_group_back, r.ops.attach_group);
	assert_false(r.absent & IOMMU_OP(attach_group)); /* brought back */
	assert_null(r.ops.detach_group);		 /* still absent */
	assert_true(r.absent & IOMMU_OP(detach_group));
	assert_ptr_equal(profile_rfc_2022_v1.ops.attach_device,
			 r.ops.attach_device);
}

static void register_refuses_a_taken_name_or_an_unknown_base(void **state)
{
	struct iommu_profile dup = { .name = iommu_profile_default()->name };
	static const struct iommu_profile orphan = { .name = "orphan",
						     .base = "linux-1.0" };

	assert_int_equal(-EEXIST, iommu_profile_register(&dup));
	assert_int_equal(-EINVAL, iommu_profile_register(&orphan));
	assert_null(iommu_profile_find("orphan"));
}

/* iommu_profile_base_ops(): the base's resolved table, absences NULL */
static void base_ops_are_the_bases_resolved_entry_points(void **state)
{
	const struct iommu_profile_ops *b = iommu_profile_base_ops(&on_rfc);
	static const struct iommu_profile rootless = { .name = "rootless",
						       .base = "linux-1.0" };

	assert_non_null(b);
	assert_ptr_equal(profile_rfc_2022_v1.ops.attach_device,
			 b->attach_device);
	assert_null(b->attach_group); /* absent in the base */
	assert_ptr_equal(b, iommu_profile_base_ops(&on_rfc)); /* kept */
	assert_ptr_equal(profile_linux_7_3.ops.replace_group_handle,
			 iommu_profile_base_ops(&delta)->replace_group_handle);
	assert_null(iommu_profile_base_ops(&rootless));
}

/* iommu_profile_base_vfio_ops(): the base's resolved VFIO hooks, every
 * one set (a delta over noiommu-v3 sees v3's bind and 7.3's block) */
static void base_vfio_ops_are_the_bases_resolved_hooks(void **state)
{
	static const struct iommu_profile on_v3 = { .name = "on-v3",
						    .base = "noiommu-v3" };
	static const struct iommu_profile rootless = { .name = "rootless",
						       .base = "linux-1.0" };
	const struct iommu_profile_vfio_ops *b =
		iommu_profile_base_vfio_ops(&on_v3);

	assert_non_null(b);
	assert_ptr_equal(profile_noiommu_v3.vfio.df_iommufd_bind,
			 b->df_iommufd_bind);
	assert_ptr_equal(profile_linux_7_3.vfio.device_block_group,
			 b->device_block_group);
	assert_ptr_equal(profile_linux_7_3.vfio.df_iommufd_bind,
			 iommu_profile_base_vfio_ops(&delta)->df_iommufd_bind);
	assert_null(iommu_profile_base_vfio_ops(&rootless));
}

static const struct iommu_profile module_delta = {
	.name = "test-module",
	.base = "linux-7.3",
};

/* --profile-path's check: the ABI and the struct size it was built
 * with, a name, then the registry's own refusals */
static void module_register_checks_abi_size_and_name(void **state)
{
	struct iommusim_profile_module mod = {
		.abi = IOMMUSIM_PROFILE_ABI - 1,
		.profile_size = sizeof(struct iommu_profile),
		.profile = &module_delta,
	};
	static const struct iommu_profile unnamed = { .base = "linux-7.3" };
	char *why = NULL;

	assert_int_equal(-EINVAL, iommusim_profile_module_register(&mod, &why));
	assert_non_null(strstr(why, "rebuild it against this install"));
	g_free(why);
	mod.abi = IOMMUSIM_PROFILE_ABI;
	mod.profile_size--;
	assert_int_equal(-EINVAL, iommusim_profile_module_register(&mod, &why));
	g_free(why);
	mod.profile_size++;
	mod.profile = &unnamed;
	assert_int_equal(-EINVAL, iommusim_profile_module_register(&mod, &why));
	assert_string_equal("its profile has no name", why);
	g_free(why);
	mod.profile = &module_delta;
	assert_int_equal(0, iommusim_profile_module_register(&mod, &why));
	assert_null(why);
	assert_ptr_equal(&module_delta, iommu_profile_find("test-module"));
	assert_int_equal(-EEXIST, iommusim_profile_module_register(&mod, &why));
	assert_non_null(strstr(why, "exists already"));
	g_free(why);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(registry_lists_the_default_first),
		cmocka_unit_test(noiommu_v5_resolves_to_linux_7_3_exactly),
		cmocka_unit_test(base_ops_are_the_bases_resolved_entry_points),
		cmocka_unit_test(base_vfio_ops_are_the_bases_resolved_hooks),
		cmocka_unit_test(module_register_checks_abi_size_and_name),
		cmocka_unit_test(
			delta_overrides_one_entry_and_inherits_the_rest),
		cmocka_unit_test(
			delta_of_a_delta_keeps_its_base_state_and_absences),
		cmocka_unit_test(
			register_refuses_a_taken_name_or_an_unknown_base),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
