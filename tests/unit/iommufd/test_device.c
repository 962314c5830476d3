// SPDX-License-Identifier: MIT
/*
 * test_device.c - binding devices to a ctx (model/iommufd/device.c), as
 * Linux 7.3's iommufd_device_bind() / iommufd_bind_iommu() /
 * iommufd_get_group() / iommufd_device_destroy() do it, and refuse it.
 */
#include "fx_device.h"

/* iommufd_bind_iommu(): iommu_device_claim_dma_owner(dev, ictx) moves the
 * group to its blocking domain; unbind gives it back */
static void bind_claims_the_group_with_the_ctx_as_owner(void **state)
{
	struct fx *f = *state;
	struct iommu_group *g = f->c->iommu_group;
	unsigned int refs = f->ictx->file_refs;
	struct iommufd_device *idev = fx_bind(f, f->c);

	assert_int_equal(1, idev->obj.id); /* REFERENCE.md: first devid 1 */
	assert_int_equal(1, g->owner_cnt);
	assert_ptr_equal(f->ictx->owner_cookie, g->owner);
	assert_ptr_equal(g->blocking_domain, g->domain);
	assert_ptr_equal(g, idev->igroup->group);
	assert_int_equal(refs + 1, f->ictx->file_refs); /* iommufd_ctx_get() */
	assert_int_equal(2, idev->obj.users);		/* table + VFIO */
	iommufd_device_unbind(idev);
	assert_int_equal(0, g->owner_cnt);
	assert_ptr_equal(g->default_domain, g->domain);
	assert_int_equal(refs, f->ictx->file_refs);
	assert_int_equal(0, obj_ids_taken(&f->ictx->objects));
	assert_int_equal(0, g_hash_table_size(f->ictx->groups));
}

/* iommufd_get_group(): one igroup per (ctx, iommu_group), refcounted */
static void devices_of_one_group_share_one_igroup(void **state)
{
	struct fx *f = *state;
	struct iommufd_device *ia = fx_bind(f, f->a);
	struct iommufd_device *ib = fx_bind(f, f->b);

	assert_ptr_equal(ia->igroup, ib->igroup);
	assert_int_equal(2, ia->igroup->ref);
	assert_int_equal(2, f->a->iommu_group->owner_cnt); /* same cookie */
	iommufd_device_unbind(ia);
	assert_int_equal(1, ib->igroup->ref);
	assert_ptr_equal(ib->igroup, fx_igroup(f, f->b));
	assert_int_equal(1, f->a->iommu_group->owner_cnt);
	iommufd_device_unbind(ib);
	assert_int_equal(0, g_hash_table_size(f->ictx->groups));
}

/* iommu_device_claim_dma_owner(): a kernel driver holds the group
 * (REFERENCE.md: e1000 in the group gives BIND_IOMMUFD EPERM) */
static void kernel_driver_in_the_group_refuses_bind_eperm(void **state)
{
	struct fx *f = *state;
	struct iommufd_device *idev = NULL;
	u32 id = 0;

	assert_int_equal(0, device_driver_attach(f->m, f->a,
						 driver_find(f->m, "e1000e")));
	assert_int_equal(-EPERM,
			 iommufd_device_bind(f->ictx, f->b, &id, &idev));
	assert_int_equal(0, obj_ids_taken(&f->ictx->objects));
	assert_int_equal(0, g_hash_table_size(f->ictx->groups));
	assert_int_equal(1, f->ictx->file_refs);
	assert_int_equal(0, device_driver_detach(f->m, f->a));
	idev = fx_bind(f, f->b); /* after unbinding e1000 it succeeds */
	iommufd_device_unbind(idev);
}

/* iommu_device_claim_dma_owner(): another ctx's cookie owns the group */
static void group_owned_by_another_ctx_refuses_bind_eperm(void **state)
{
	struct fx *f = *state;
	struct iommufd_ctx *other;
	struct iommufd_device *ia, *ib = NULL;
	u32 id = 0;

	assert_int_equal(0, iommufd_fops_open(f->m, &other));
	assert_int_equal(0, iommufd_device_bind(other, f->a, &id, &ia));
	assert_int_equal(-EPERM, iommufd_device_bind(f->ictx, f->b, &id, &ib));
	assert_int_equal(0, g_hash_table_size(f->ictx->groups));
	assert_int_equal(1, f->a->iommu_group->owner_cnt);
	iommufd_device_unbind(ia);
	iommufd_fops_close(other);
}

/* iommufd_bind_iommu(): !device_iommu_capable(IOMMU_CAP_CACHE_COHERENCY) */
static void iommu_without_cache_coherency_refuses_bind_einval(void **state)
{
	struct fx *f = *state;
	struct iommufd_device *idev = NULL;
	u32 id = 0;

	f->c->iommu->cap_cache_coherency = false;
	assert_int_equal(-EINVAL,
			 iommufd_device_bind(f->ictx, f->c, &id, &idev));
	assert_int_equal(0, f->c->iommu_group->owner_cnt);
	assert_int_equal(0, obj_ids_taken(&f->ictx->objects));
}

/* iommufd_bind_iommu(): !iommu_group_has_isolated_msi() without
 * allow_unsafe_interrupts (REFERENCE.md: 7.3 on QEMU's AMD-Vi, EPERM
 * unless booted with iommufd.allow_unsafe_interrupts=1) */
static void no_interrupt_remapping_refuses_bind_unless_allowed(void **state)
{
	struct fx *f = *state;
	struct iommufd_device *idev = NULL;
	u32 id = 0;

	assert_false(f->c->iommu->irq_remap); /* amd-vi on q35 */
	iommu_set_cmdline(f->m, "iommufd.allow_unsafe_interrupts", false);
	assert_int_equal(-EPERM,
			 iommufd_device_bind(f->ictx, f->c, &id, &idev));
	assert_int_equal(0, f->c->iommu_group->owner_cnt);
	assert_int_equal(0, g_hash_table_size(f->ictx->groups));
	f->c->iommu->irq_remap = true;
	idev = fx_bind(f, f->c);
	iommufd_device_unbind(idev);
}

/* intel-vtd with intremap=on isolates MSIs: no module parameter needed */
static void
vtd_with_interrupt_remapping_binds_without_the_parameter(void **state)
{
	struct fx *f = *state;
	struct iommufd_device *idev;

	iommu_set_cmdline(f->m, "iommufd.allow_unsafe_interrupts", false);
	idev = fx_bind(f, f->c);
	assert_false(idev->enforce_cache_coherency); /* no ecap SC on QEMU */
	iommufd_device_unbind(idev);
}

/* iommufd_ctx_has_group() */
static void ctx_has_group_while_a_device_of_it_is_bound(void **state)
{
	struct fx *f = *state;
	struct iommufd_device *idev = fx_bind(f, f->a);

	assert_true(iommufd_ctx_has_group(f->ictx, f->b->iommu_group));
	assert_false(iommufd_ctx_has_group(f->ictx, f->c->iommu_group));
	assert_false(iommufd_ctx_has_group(f->ictx, NULL));
	iommufd_device_unbind(idev);
	assert_false(iommufd_ctx_has_group(f->ictx, f->a->iommu_group));
}

/*
 * iommufd_device_bind() failing at its igroup (iommufd_alloc_group()):
 * iommufd_device_destroy() of the half-built idev puts no igroup, no
 * ownership and no ctx reference; the id is given back.
 */
static void failed_igroup_allocation_leaves_nothing_behind(void **state)
{
	struct fx *f = *state;
	struct iommufd_device *idev = NULL;
	u32 id = 0;
	int rc;

	/* the knob's calls during bind: object, then the igroup */
	for (unsigned int nth = 1;; nth++) {
		fault_arm(&f->m->fault, nth);
		rc = iommufd_device_bind(f->ictx, f->c, &id, &idev);
		if (!rc)
			break;
		assert_int_equal(-ENOMEM, rc);
		assert_int_equal(1, f->ictx->file_refs);
		assert_int_equal(0, f->c->iommu_group->owner_cnt);
		assert_int_equal(0, obj_ids_taken(&f->ictx->objects));
		assert_int_equal(0, g_hash_table_size(f->ictx->groups));
	}
	fault_arm(&f->m->fault, 0);
	assert_int_equal(1, idev->obj.id);
	iommufd_device_unbind(idev);
}

/* ---- failure atomicity: every allocation and lookup point in turn ---- */

/* What a failed step must leave exactly as it was */
static char *snapshot(struct fx *f)
{
	GString *s = g_string_new(NULL);
	struct obj_table *t = &f->ictx->objects;

	g_string_append_printf(s, "file_refs %u ids %u igroups %u\n",
			       f->ictx->file_refs, obj_ids_taken(t),
			       g_hash_table_size(f->ictx->groups));
	for (unsigned int id = obj_next_id(t, 0); id; id = obj_next_id(t, id)) {
		struct obj_header *obj = obj_peek(t, id);

		g_string_append_printf(s, "obj %u type %u users %u", id,
				       obj->type, obj->users);
		if (obj->type == IOMMUFD_OBJ_DEVICE) {
			struct iommufd_device *idev = (void *)obj;
			struct iommufd_hw_pagetable *h =
				iommufd_device_attached_hwpt(idev);

			g_string_append_printf(s, " igroup ref %u on %u",
					       idev->igroup->ref,
					       h ? h->obj.id : 0);
		}
		g_string_append_c(s, '\n');
	}
	for (guint i = 0; i < f->m->groups->len; i++) {
		struct iommu_group *g = f->m->groups->pdata[i];

		g_string_append_printf(s,
				       "group %d owner_cnt %u owner %s "
				       "domain %p handle %p\n",
				       g->id, g->owner_cnt,
				       g->owner ? g->owner : "-",
				       (void *)g->domain, (void *)g->handle);
	}
	return g_string_free(s, FALSE);
}

struct seq {
	struct fx *f;
	struct iommufd_device *ia, *ib, *in;
	u32 ioas, hwpt;
};

static int step_bind(struct seq *q, struct device *dev,
		     struct iommufd_device **out)
{
	u32 id;

	return iommufd_device_bind(q->f->ictx, dev, &id, out);
}

static int step_attach(struct iommufd_device *idev, u32 pt)
{
	return iommufd_device_attach(idev, IOMMU_NO_PASID, &pt);
}

static int step_replace(struct iommufd_device *idev, u32 pt)
{
	return iommufd_device_replace(idev, IOMMU_NO_PASID, &pt);
}

/* Step @i of bind/attach/replace/detach/unbind; -1 past the end */
static int run_step(struct seq *q, int i)
{
	switch (i) {
	case 0:
		return step_bind(q, q->f->a, &q->ia);
	case 1:
		return step_bind(q, q->f->b, &q->ib);
	case 2:
		return step_bind(q, q->f->n, &q->in);
	case 3:
		return step_attach(q->in, q->ioas); /* noiommu auto HWPT */
	case 4:
		return step_attach(q->ia, q->ioas); /* AMD auto HWPT */
	case 5:
		return step_attach(q->ib, q->ioas); /* joins the group's */
	case 6:
		return fx_hwpt_alloc(q->f, q->ia->obj.id, q->ioas, 0, &q->hwpt);
	case 7:
		return step_replace(q->ia, q->hwpt); /* frees the auto one */
	case 8:
		return step_replace(q->in, q->hwpt);
	case 9:
		return iommufd_device_detach(q->ia, IOMMU_NO_PASID);
	case 10:
		return iommufd_device_detach(q->ib, IOMMU_NO_PASID);
	case 11:
		return iommufd_device_detach(q->in, IOMMU_NO_PASID);
	case 12:
		return fx_destroy(q->f, q->hwpt);
	case 13:
		iommufd_device_unbind(q->ia);
		return 0;
	case 14:
		iommufd_device_unbind(q->ib);
		return 0;
	case 15:
		iommufd_device_unbind(q->in);
		return 0;
	}
	return -1;
}

/* One replay failing the @nth knob call: false once nth is past them all */
static bool replay_failing_nth(uint64_t nth)
{
	struct seq q = { .f = fx_new(IOMMU_DRV_AMD_VI) };
	bool met = false;
	int rc;

	q.ioas = fx_ioas(q.f);
	assert_int_equal(0, fx_map(q.f, q.ioas, 0x100000, 0, 0x200000));
	fault_arm(&q.f->m->fault, nth);
	for (int i = 0;; i++) {
		char *before = snapshot(q.f), *after;

		rc = run_step(&q, i);
		if (rc == -1) {
			g_free(before);
			break;
		}
		if (rc) {
			if (!(rc == -ENOMEM || rc == -EINVAL || rc == -ENOENT ||
			      rc == -EFAULT))
				print_message(
					"nth %lu step %d rc %d at %s: %s\n",
					(unsigned long)nth, i, rc,
					q.f->m->fault.hit, q.f->m->why->str);
			assert_non_null(q.f->m->fault.hit); /* injected */
			assert_true(rc == -ENOMEM || rc == -EINVAL ||
				    rc == -EFAULT || rc == -ENOENT);
			after = snapshot(q.f);
			assert_string_equal(before, after);
			g_free(after);
			met = true;
			assert_int_equal(0, run_step(&q, i)); /* disarmed */
		}
		g_free(before);
	}
	if (!met)
		met = !fault_armed(&q.f->m->fault); /* failed, absorbed */
	fault_arm(&q.f->m->fault, 0);
	{
		void *st = q.f;

		fx_teardown(&st);
	}
	return met;
}

static void every_failure_point_leaves_the_state_as_before(void **state)
{
	uint64_t nth;

	(void)state;
	for (nth = 1; replay_failing_nth(nth); nth++)
		;
	print_message("%lu failure points\n", (unsigned long)nth - 1);
	assert_true(nth > 10); /* the sequence has many failure points */
}

/* iommufd_get_group() keeps an iommu_group_get() reference in the
 * igroup: a device removed under its bind (device_del()) leaves the group
 * without devices or domains (iommu_deinit_device()) but alive, its id
 * taken, until the unbind's iommufd_group_release() puts it
 * (iommu_group_release(): ida_free) */
static void igroup_keeps_the_group_and_its_id_past_its_last_device(void **state)
{
	struct fx *f = *state;
	struct iommu_group *g = f->c->iommu_group;
	struct iommufd_device *idev = fx_bind(f, f->c);
	int id = g->id;

	assert_int_equal(1, g->refs);
	device_del(f->m, f->c); /* WARNs: the ctx still owns the group */
	assert_null(f->c->iommu_group);
	assert_ptr_equal(g, idev->igroup->group);
	assert_int_equal(id, idev->igroup->group->id);
	assert_null(g->default_domain);
	assert_false(g_ptr_array_find(f->m->groups, g, NULL));
	assert_true(
		g_hash_table_contains(f->m->group_ids, GINT_TO_POINTER(id)));
	iommufd_device_unbind(idev);
	assert_false(
		g_hash_table_contains(f->m->group_ids, GINT_TO_POINTER(id)));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
			bind_claims_the_group_with_the_ctx_as_owner,
			fx_setup_amd, fx_teardown),
		cmocka_unit_test_setup_teardown(
			devices_of_one_group_share_one_igroup, fx_setup_amd,
			fx_teardown),
		cmocka_unit_test_setup_teardown(
			kernel_driver_in_the_group_refuses_bind_eperm,
			fx_setup_amd, fx_teardown),
		cmocka_unit_test_setup_teardown(
			group_owned_by_another_ctx_refuses_bind_eperm,
			fx_setup_amd, fx_teardown),
		cmocka_unit_test_setup_teardown(
			iommu_without_cache_coherency_refuses_bind_einval,
			fx_setup_amd, fx_teardown),
		cmocka_unit_test_setup_teardown(
			no_interrupt_remapping_refuses_bind_unless_allowed,
			fx_setup_amd, fx_teardown),
		cmocka_unit_test_setup_teardown(
			vtd_with_interrupt_remapping_binds_without_the_parameter,
			fx_setup_intel, fx_teardown),
		cmocka_unit_test_setup_teardown(
			ctx_has_group_while_a_device_of_it_is_bound,
			fx_setup_amd, fx_teardown),
		cmocka_unit_test_setup_teardown(
			failed_igroup_allocation_leaves_nothing_behind,
			fx_setup_amd, fx_teardown),
		cmocka_unit_test_setup_teardown(
			igroup_keeps_the_group_and_its_id_past_its_last_device,
			fx_setup_amd, fx_teardown),
		cmocka_unit_test(
			every_failure_point_leaves_the_state_as_before),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
