// SPDX-License-Identifier: MIT
/*
 * test_series.c - the VFIO deltas of the noiommu series as posted
 * (model/profile/noiommu_v1.c: seed 004, noiommu_v3.c: seed 001), each
 * beside what Linux 7.3 does with the same steps. Expected values come
 * from the hunks (cited) and from drivers/vfio of 7.3.
 */
#include "fx_vfio.h"

/* VFIO_GROUP=y (the guest's) with neither container */
static struct vfio_kconfig_req no_containers(void)
{
	struct vfio_kconfig_req req;

	vfio_kconfig_req_init(&req);
	req.v[KS_VFIO_CONTAINER] = 0;
	req.v[KS_IOMMUFD_VFIO_CONTAINER] = 0;
	return req;
}

static struct vfio_kconfig_req one_symbol(enum vfio_ksym k, int val)
{
	struct vfio_kconfig_req req;

	vfio_kconfig_req_init(&req);
	req.v[k] = val;
	return req;
}

/* VFIO_NOIOMMU under @p's Kconfig for @req: 1 y, 0 n, -1 refused */
static int noiommu_built(const struct iommu_profile *p,
			 struct vfio_kconfig_req req)
{
	struct vfio_kconfig c;
	g_autofree char *why = NULL;

	if (vfio_kconfig_resolve_in(p, &req, &c, &why))
		return -1;
	return c.y[KS_VFIO_NOIOMMU];
}

/* seed 004 needs VFIO_NOIOMMU with VFIO_GROUP and no container: the
 * series' base Kconfig (`depends on VFIO_GROUP`, seed 001's pre-image)
 * allows it, 7.3's `!VFIO_GROUP || VFIO_CONTAINER ||
 * IOMMUFD_VFIO_CONTAINER` does not */
static void
v1_kconfig_builds_noiommu_without_containers_7_3_does_not(void **state)
{
	struct vfio_kconfig_req req = no_containers();

	assert_int_equal(1, noiommu_built(&profile_noiommu_v1, req));
	assert_int_equal(0, noiommu_built(&profile_linux_7_3, req));
	req.v[KS_VFIO_NOIOMMU] = 1;
	assert_int_equal(-1, noiommu_built(&profile_linux_7_3, req));
	assert_int_equal(1, noiommu_built(&profile_noiommu_v1, req));
	/* cdev-only noiommu is 7.3's, not the base's */
	req = one_symbol(KS_VFIO_GROUP, 0);
	assert_int_equal(1, noiommu_built(&profile_linux_7_3, req));
	assert_int_equal(0, noiommu_built(&profile_noiommu_v1, req));
}

/* V3 07/10 Kconfig @@ -63: depends on VFIO_GROUP and !GENERIC_ATOMIC64,
 * on no container */
static void
v3_kconfig_noiommu_needs_group_and_atomic64_not_a_container(void **state)
{
	const struct iommu_profile *v3 = &profile_noiommu_v3;
	const struct iommu_profile *l73 = &profile_linux_7_3;

	assert_int_equal(1, noiommu_built(v3, no_containers()));
	assert_int_equal(0, noiommu_built(l73, no_containers()));
	assert_int_equal(0, noiommu_built(v3, one_symbol(KS_VFIO_GROUP, 0)));
	assert_int_equal(1, noiommu_built(l73, one_symbol(KS_VFIO_GROUP, 0)));
	assert_int_equal(0,
			 noiommu_built(v3, one_symbol(KS_GENERIC_ATOMIC64, 1)));
	assert_int_equal(
		1, noiommu_built(l73, one_symbol(KS_GENERIC_ATOMIC64, 1)));
	assert_int_equal(1, noiommu_built(v3, one_symbol(KS_VFIO, 1)));
}

static struct fx *boot_v1_without_containers(void)
{
	struct vfio_kconfig_req req = no_containers();

	return fx_boot_in(&profile_noiommu_v1, &req, true);
}

/* group.c @@ -589: vfio_noiommu_group_alloc() returns NULL before
 * iommu_group_alloc(); vfio_group_find_or_alloc() (7.3's) still taints,
 * device->group is NULL; the cdev is noiommu-vfio0 */
static void v1_without_containers_registers_with_no_group(void **state)
{
	struct fx *f = boot_v1_without_containers();
	struct vfio_device *vdev;

	*state = f;
	assert_int_equal(0, fx_bind_vfio(f, f->n));
	vdev = vfio_device_of(f->m, f->n);
	assert_non_null(vdev);
	assert_null(vdev->group);
	assert_null(f->n->iommu_group);
	assert_true(vfio_tainted(f->m));
	assert_true(fx_node(f, "/dev/vfio/devices/noiommu-vfio0"));
	assert_false(fx_node(f, "/dev/vfio/noiommu-0"));
	assert_false(fx_node(f, "/dev/vfio/vfio"));
	assert_int_equal(0, device_driver_detach(f->m, f->n));
	assert_false(fx_node(f, "/dev/vfio/devices"));
}

/* group.c @@ -381 / -398: block and unblock return at once for the NULL
 * group: the cdev binds, attaches nothing in the group, and unbinds */
static void v1_null_group_cdev_bind_and_close_skip_the_group(void **state)
{
	struct fx *f = boot_v1_without_containers();
	struct vfio_file *df, *ifd;
	u32 devid = 0;

	*state = f;
	assert_int_equal(0, fx_bind_vfio(f, f->n));
	df = fx_open(f, "/dev/vfio/devices/noiommu-vfio0");
	ifd = fx_iommufd(f);
	assert_int_equal(0, fx_bind_iommufd(f, df, ifd, &devid));
	assert_int_equal(1, devid);
	assert_non_null(vfio_device_of(f->m, f->n)->idev);
	iommu_model_begin(f->m);
	vfio_close(df);
	assert_int_equal(0, f->m->why->len); /* unblock returned at once */
	assert_null(vfio_device_of(f->m, f->n)->idev);
	fx_close_iommufd(ifd);
}

/* vfio_null_group_allowed() reads vfio_noiommu at each call (S_IWUSR):
 * cleared after registration, block_group goes on to lock the NULL
 * group's group_lock -- a NULL dereference the bind never survives */
static void v1_param_cleared_later_bind_dereferences_null_group(void **state)
{
	struct fx *f = boot_v1_without_containers();
	struct vfio_file *df, *ifd;

	*state = f;
	assert_int_equal(0, fx_bind_vfio(f, f->n));
	df = fx_open(f, "/dev/vfio/devices/noiommu-vfio0");
	ifd = fx_iommufd(f);
	assert_int_equal(0, vfio_set_noiommu_param(f->m, false));
	assert_int_equal(IOMMU_UB, fx_bind_iommufd(f, df, ifd, NULL));
	assert_non_null(strstr(f->m->why->str, "vfio_device_block_group"));
	assert_null(vfio_device_of(f->m, f->n)->idev);
	vfio_close(df);
	fx_close_iommufd(ifd);
}

/* the same at close: bound while allowed, cleared, then the release's
 * vfio_device_unblock_group() locks the NULL group */
static void
v1_param_cleared_after_bind_close_dereferences_null_group(void **state)
{
	struct fx *f = boot_v1_without_containers();
	struct vfio_file *df, *ifd;

	*state = f;
	assert_int_equal(0, fx_bind_vfio(f, f->n));
	df = fx_open(f, "/dev/vfio/devices/noiommu-vfio0");
	ifd = fx_iommufd(f);
	assert_int_equal(0, fx_bind_iommufd(f, df, ifd, NULL));
	assert_int_equal(0, vfio_set_noiommu_param(f->m, false));
	iommu_model_begin(f->m);
	assert_int_equal(IOMMU_UB, vfio_close(df));
	assert_non_null(strstr(f->m->why->str, "vfio_device_unblock_group"));
	fx_close_iommufd(ifd);
}

/* with the guest's VFIO_CONTAINER, vfio_null_group_allowed() is false:
 * the fake "vfio-noiommu" group as in 7.3 */
static void v1_with_container_keeps_the_fake_group(void **state)
{
	struct fx *f = fx_boot_in(&profile_noiommu_v1, NULL, true);

	*state = f;
	assert_int_equal(0, fx_bind_vfio(f, f->n));
	assert_non_null(vfio_device_of(f->m, f->n)->group);
	assert_string_equal("vfio-noiommu", f->n->iommu_group->name);
	assert_true(fx_node(f, "/dev/vfio/devices/noiommu-vfio0"));
}

/* Fail dev_set_name() during vfio-pci's bind of n: the bind's errno */
static int bind_failing_the_name(struct fx *f)
{
	for (uint64_t nth = 1; nth < 64; nth++) {
		const char *hit;
		int ret;

		fault_arm(&f->m->fault, nth);
		ret = fx_bind_vfio(f, f->n);
		hit = f->m->fault.hit;
		fault_arm(&f->m->fault, 0);
		if (hit && !strcmp(hit, "dev_set_name"))
			return ret;
		if (!ret)
			assert_int_equal(0, device_driver_detach(f->m, f->n));
	}
	fail_msg("dev_set_name() was never called");
	return 0;
}

/* 7.3 names the device before vfio_device_set_group(): a failing
 * dev_set_name() leaves no group and no taint */
static void linux_7_3_failed_name_comes_before_the_group(void **state)
{
	struct fx *f = fx_boot(NULL, true);

	*state = f;
	assert_int_equal(-ENOMEM, bind_failing_the_name(f));
	assert_null(f->n->iommu_group);
	assert_false(vfio_tainted(f->m));
	assert_null(vfio_device_of(f->m, f->n));
}

/* V3 07/10 @@ -332: the name after vfio_device_set_group(), its failure
 * unwinds the fake group (goto err_out) but the taint
 * vfio_group_find_or_alloc() added stays */
static void v3_failed_name_unwinds_the_group_keeps_the_taint(void **state)
{
	struct fx *f = fx_boot_in(&profile_noiommu_v3, NULL, true);

	*state = f;
	assert_int_equal(-ENOMEM, bind_failing_the_name(f));
	assert_null(f->n->iommu_group);
	assert_true(vfio_tainted(f->m));
	assert_null(vfio_device_of(f->m, f->n));
	assert_int_equal(0, g_hash_table_size(vfio_of(f->m)->group_ida));
	/* and the next bind names it as 7.3 would */
	assert_int_equal(0, fx_bind_vfio(f, f->n));
	assert_true(fx_node(f, "/dev/vfio/devices/noiommu-vfio0"));
}

/* The group path with iommufd's compat container: 7.3's
 * vfio_df_iommufd_bind() binds nothing for a noiommu device; V3 07/10
 * @@ -25 / -58 dropped that short-circuit, so the device binds (a
 * noiommu idev in the ctx) and its last close unbinds it */
static int group_path_open(struct fx *f, bool *bound)
{
	struct vfio_file *gf, *ifd = fx_iommufd(f), *df = NULL;
	unsigned long arg = VFIO_NOIOMMU_IOMMU;
	int fd = vfio_file_fd(ifd), ret;
	g_autofree char *gp = NULL;

	assert_int_equal(0, fx_bind_vfio(f, f->n));
	gp = g_strdup_printf("/dev/vfio/noiommu-%d", f->n->iommu_group->id);
	gf = fx_open(f, gp);
	assert_int_equal(
		0, fx_ioctl(f, gf, VFIO_GROUP_SET_CONTAINER, &fd, sizeof(fd)));
	assert_int_equal(0, iommufd_ioctl(ifd->ictx, f->root, VFIO_SET_IOMMU,
					  &arg, sizeof(arg)));
	ret = vfio_ioctl(gf, f->root, VFIO_GROUP_GET_DEVICE_FD, "n", 2, &df);
	*bound = obj_next_id(&ifd->ictx->objects, 0) != 0;
	if (df)
		vfio_close(df);
	assert_null(vfio_device_of(f->m, f->n)->idev);
	assert_int_equal(0, obj_next_id(&ifd->ictx->objects, 0));
	vfio_close(gf);
	fx_close_iommufd(ifd);
	return ret > 0 ? 0 : ret;
}

static void group_path_noiommu_binds_iommufd_in_v3_not_in_7_3(void **state)
{
	struct fx *l73 = fx_boot(NULL, true);
	struct fx *v3 = fx_boot_in(&profile_noiommu_v3, NULL, true);
	bool bound;

	assert_int_equal(0, group_path_open(l73, &bound));
	assert_false(bound);
	assert_int_equal(0, group_path_open(v3, &bound));
	assert_true(bound);
	fx_free((void **)&l73);
	*state = v3;
}

#define T(fn) cmocka_unit_test_teardown(fn, fx_free)

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
			v1_kconfig_builds_noiommu_without_containers_7_3_does_not),
		cmocka_unit_test(
			v3_kconfig_noiommu_needs_group_and_atomic64_not_a_container),
		T(v1_without_containers_registers_with_no_group),
		T(v1_null_group_cdev_bind_and_close_skip_the_group),
		T(v1_param_cleared_later_bind_dereferences_null_group),
		T(v1_param_cleared_after_bind_close_dereferences_null_group),
		T(v1_with_container_keeps_the_fake_group),
		T(linux_7_3_failed_name_comes_before_the_group),
		T(v3_failed_name_unwinds_the_group_keeps_the_taint),
		T(group_path_noiommu_binds_iommufd_in_v3_not_in_7_3),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
