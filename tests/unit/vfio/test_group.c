// SPDX-License-Identifier: MIT
/*
 * test_group.c - the group path (Linux 7.3 group.c: vfio_group_fops_open(),
 * vfio_group_ioctl_get_status(), _set_container(), _unset_container(),
 * _get_device_fd(), vfio_df_group_open()) with the native container
 * (container.c vfio_container_attach_group()) and with iommufd's compat
 * container, and REFERENCE.md's observations.
 */
#include "fx_vfio.h"
#include "iommufd/eventfd.h"

static char *group_path(struct device *dev)
{
	return g_strdup_printf("/dev/vfio/%s%d",
			       dev->dev_iommu ? "" : "noiommu-",
			       dev->iommu_group->id);
}

static u32 status(struct fx *f, struct vfio_file *gf)
{
	struct vfio_group_status st = { .argsz = sizeof(st) };

	assert_int_equal(
		0, fx_ioctl(f, gf, VFIO_GROUP_GET_STATUS, &st, sizeof(st)));
	return st.flags;
}

static int set_container(struct fx *f, struct vfio_file *gf,
			 struct vfio_file *cf)
{
	int fd = vfio_file_fd(cf);

	return fx_ioctl(f, gf, VFIO_GROUP_SET_CONTAINER, &fd, sizeof(fd));
}

static int ul_ioctl(struct fx *f, struct vfio_file *file, unsigned int cmd,
		    unsigned long arg)
{
	return fx_ioctl(f, file, cmd, &arg, sizeof(arg));
}

static int get_device_fd(struct fx *f, struct vfio_file *gf, const char *name,
			 struct vfio_file **df)
{
	*df = NULL;
	return vfio_ioctl(gf, f->root, VFIO_GROUP_GET_DEVICE_FD, (void *)name,
			  strlen(name) + 1, df);
}

/* REFERENCE.md: a group with a device on a kernel driver is not viable
 * and SET_CONTAINER is EPERM (iommu_group_claim_dma_owner()); after the
 * unbind both succeed */
static void group_held_by_kernel_driver_is_not_viable(void **state)
{
	struct fx *f = *state;
	struct vfio_file *gf, *cf;
	g_autofree char *gp = NULL;

	assert_int_equal(0, fx_bind_vfio(f, f->a));
	gp = group_path(f->a);
	gf = fx_open(f, gp);
	cf = fx_open(f, "/dev/vfio/vfio");
	assert_int_equal(0, status(f, gf));
	assert_int_equal(-EPERM, set_container(f, gf, cf));
	assert_int_equal(0, device_driver_detach(f->m, f->b));
	assert_int_equal(VFIO_GROUP_FLAGS_VIABLE, status(f, gf));
	assert_int_equal(0, set_container(f, gf, cf));
	assert_int_equal(VFIO_GROUP_FLAGS_VIABLE |
				 VFIO_GROUP_FLAGS_CONTAINER_SET,
			 status(f, gf));
	/* a second SET_CONTAINER: vfio_group_has_iommu() -EINVAL */
	assert_int_equal(-EINVAL, set_container(f, gf, cf));
	vfio_close(gf);
	vfio_close(cf);
	assert_int_equal(0, f->a->iommu_group->owner_cnt);
}

/* vfio_group_fops_open(): one opener; CAP_SYS_RAWIO for noiommu */
static void group_node_has_one_opener_and_noiommu_needs_rawio(void **state)
{
	struct fx *f = *state;
	struct vfio_file *gf, *g2 = NULL;
	g_autofree char *gp = NULL, *np = NULL;

	assert_int_equal(0, fx_bind_vfio(f, f->c));
	assert_int_equal(0, fx_bind_vfio(f, f->n));
	gp = group_path(f->c);
	np = group_path(f->n);
	gf = fx_open(f, gp);
	assert_int_equal(-EBUSY, vfio_open(f->m, f->root, gp, &g2));
	assert_int_equal(-EPERM, vfio_open(f->m, f->user, np, &g2));
	/* an IOMMU group needs no capability: busy, not EPERM */
	assert_int_equal(-EBUSY, vfio_open(f->m, f->user, gp, &g2));
	vfio_close(gf);
}

/* Native container: GET_DEVICE_FD needs a container, then VFIO_SET_IOMMU
 * (vfio_group_use_container()); type1 on AMD-Vi without interrupt
 * remapping needs vfio_iommu_type1.allow_unsafe_interrupts (REFERENCE.md);
 * UNSET_CONTAINER is -EBUSY while a device is open */
static void native_container_opens_device_after_set_iommu(void **state)
{
	struct fx *f = *state;
	struct vfio_file *gf, *cf, *df;
	g_autofree char *gp = NULL;

	assert_int_equal(0, fx_bind_vfio(f, f->c));
	gp = group_path(f->c);
	gf = fx_open(f, gp);
	cf = fx_open(f, "/dev/vfio/vfio");
	assert_int_equal(0, ul_ioctl(f, cf, VFIO_GET_API_VERSION, 0));
	assert_int_equal(
		1, ul_ioctl(f, cf, VFIO_CHECK_EXTENSION, VFIO_TYPE1v2_IOMMU));
	assert_int_equal(-EINVAL, get_device_fd(f, gf, "c", &df));
	assert_int_equal(-EINVAL,
			 ul_ioctl(f, cf, VFIO_SET_IOMMU, VFIO_TYPE1v2_IOMMU));
	assert_int_equal(0, set_container(f, gf, cf));
	assert_int_equal(-EINVAL, get_device_fd(f, gf, "c", &df));
	assert_int_equal(-EPERM,
			 ul_ioctl(f, cf, VFIO_SET_IOMMU, VFIO_TYPE1v2_IOMMU));
	vfio_set_type1_allow_unsafe_interrupts(f->m, true);
	assert_int_equal(0,
			 ul_ioctl(f, cf, VFIO_SET_IOMMU, VFIO_TYPE1v2_IOMMU));
	assert_int_equal(IOMMU_DOMAIN_UNMANAGED,
			 f->c->iommu_group->domain->type);
	assert_true(get_device_fd(f, gf, "0000:00:03.0", &df) > 0);
	assert_int_equal(-EBUSY,
			 fx_ioctl(f, gf, VFIO_GROUP_UNSET_CONTAINER, NULL, 0));
	vfio_close(df);
	assert_int_equal(0,
			 fx_ioctl(f, gf, VFIO_GROUP_UNSET_CONTAINER, NULL, 0));
	assert_int_equal(-EINVAL,
			 fx_ioctl(f, gf, VFIO_GROUP_UNSET_CONTAINER, NULL, 0));
	assert_ptr_equal(f->c->iommu_group->default_domain,
			 f->c->iommu_group->domain);
	vfio_close(gf);
	vfio_close(cf);
}

/* With iommufd as the container the claim moves to GET_DEVICE_FD: the
 * group reads viable with a kernel driver in it, SET_CONTAINER succeeds,
 * GET_DEVICE_FD is EPERM (the comment in vfio_group_ioctl_get_status()) */
static void iommufd_container_claims_at_get_device_fd(void **state)
{
	struct fx *f = *state;
	struct vfio_file *gf, *ifd = fx_iommufd(f), *df;
	g_autofree char *gp = NULL;
	u32 id = 0;

	assert_int_equal(0, fx_bind_vfio(f, f->a));
	gp = group_path(f->a);
	gf = fx_open(f, gp);
	assert_int_equal(0, set_container(f, gf, ifd));
	assert_int_equal(VFIO_GROUP_FLAGS_VIABLE |
				 VFIO_GROUP_FLAGS_CONTAINER_SET,
			 status(f, gf));
	assert_int_equal(-EPERM, get_device_fd(f, gf, "a", &df));
	assert_int_equal(0, device_driver_detach(f->m, f->b));
	assert_true(get_device_fd(f, gf, "a", &df) > 0);
	/* iommufd_vfio_compat_ioas_create() made the compat IOAS (id 1),
	 * the device (2) was attached to it */
	assert_int_equal(0, iommufd_vfio_compat_ioas_get_id(ifd->ictx, &id));
	assert_int_equal(1, id);
	assert_non_null(f->a->iommu_group->domain);
	vfio_close(df);
	vfio_close(gf);
	fx_close_iommufd(ifd);
	assert_int_equal(0, f->a->iommu_group->owner_cnt);
}

/* noiommu through the native container: SET_CONTAINER (root), only the
 * vfio-noiommu driver is allowed (TYPE1v2 answers 0), SET_IOMMU NOIOMMU,
 * GET_DEVICE_FD; its driver answers nothing else (-ENOTTY) */
static void noiommu_group_in_native_container(void **state)
{
	struct fx *f = *state;
	struct vfio_file *gf, *cf, *df;
	struct vfio_iommu_type1_dma_map map = { .argsz = sizeof(map) };
	g_autofree char *gp = NULL;

	assert_int_equal(0, fx_bind_vfio(f, f->n));
	gp = group_path(f->n);
	gf = fx_open(f, gp);
	cf = fx_open(f, "/dev/vfio/vfio");
	assert_int_equal(VFIO_GROUP_FLAGS_VIABLE, status(f, gf));
	/* the same process without CAP_SYS_RAWIO: the fd is its own (another
	 * process's table would not have it: fget()'s -EBADF) */
	f->root->caps &= ~CAP_BIT(CAP_SYS_RAWIO);
	assert_int_equal(-EPERM,
			 vfio_ioctl(gf, f->root, VFIO_GROUP_SET_CONTAINER,
				    &(int){ vfio_file_fd(cf) }, sizeof(int),
				    NULL));
	f->root->caps |= CAP_BIT(CAP_SYS_RAWIO);
	assert_int_equal(0, set_container(f, gf, cf));
	assert_int_equal(
		0, ul_ioctl(f, cf, VFIO_CHECK_EXTENSION, VFIO_TYPE1v2_IOMMU));
	assert_int_equal(
		1, ul_ioctl(f, cf, VFIO_CHECK_EXTENSION, VFIO_NOIOMMU_IOMMU));
	assert_int_equal(-ENODEV,
			 ul_ioctl(f, cf, VFIO_SET_IOMMU, VFIO_TYPE1v2_IOMMU));
	assert_int_equal(0,
			 ul_ioctl(f, cf, VFIO_SET_IOMMU, VFIO_NOIOMMU_IOMMU));
	assert_int_equal(-ENOTTY, fx_ioctl(f, cf, VFIO_IOMMU_MAP_DMA, &map,
					   sizeof(map)));
	assert_true(get_device_fd(f, gf, "n", &df) > 0);
	vfio_close(df);
	vfio_close(gf);
	vfio_close(cf);
}

/* noiommu through iommufd's compat: set_no_iommu, SET_IOMMU NOIOMMU
 * needs CAP_SYS_RAWIO, TYPE1v2 is -EINVAL, the device binds nothing */
static void noiommu_group_in_iommufd_compat(void **state)
{
	struct fx *f = *state;
	struct vfio_file *gf, *ifd = fx_iommufd(f), *df;
	g_autofree char *gp = NULL;
	unsigned long arg = VFIO_NOIOMMU_IOMMU;

	assert_int_equal(0, fx_bind_vfio(f, f->n));
	gp = group_path(f->n);
	gf = fx_open(f, gp);
	assert_int_equal(0, set_container(f, gf, ifd));
	assert_int_equal(1, ifd->ictx->no_iommu_mode);
	assert_int_equal(-EPERM,
			 iommufd_ioctl(ifd->ictx, f->user, VFIO_SET_IOMMU, &arg,
				       sizeof(arg)));
	assert_int_equal(0, iommufd_ioctl(ifd->ictx, f->root, VFIO_SET_IOMMU,
					  &arg, sizeof(arg)));
	arg = VFIO_TYPE1v2_IOMMU;
	assert_int_equal(-EINVAL,
			 iommufd_ioctl(ifd->ictx, f->root, VFIO_SET_IOMMU, &arg,
				       sizeof(arg)));
	assert_int_equal(0,
			 iommufd_ioctl(ifd->ictx, f->root, VFIO_CHECK_EXTENSION,
				       &arg, sizeof(arg)));
	assert_true(get_device_fd(f, gf, "n", &df) > 0);
	assert_int_equal(0, obj_next_id(&ifd->ictx->objects, 0));
	vfio_close(df);
	vfio_close(gf);
	fx_close_iommufd(ifd);
}

/* VFIO_GROUP_SET_CONTAINER given the number of a file that is neither a
 * container nor an iommufd (an eventfd): -EBADFD once the group's own
 * checks pass; a number nothing is open at: -EBADF first
 * (group.c vfio_group_ioctl_set_container()) */
static void set_container_given_an_eventfd_is_ebadfd(void **state)
{
	struct fx *f = *state;
	struct vfio_file *gf;
	g_autofree char *gp = NULL;
	int e, none = 99;

	assert_int_equal(0, fx_bind_vfio(f, f->c));
	gp = group_path(f->c);
	gf = fx_open(f, gp);
	e = eventfd_create(f->root);
	assert_int_equal(-EBADFD, fx_ioctl(f, gf, VFIO_GROUP_SET_CONTAINER, &e,
					   sizeof(e)));
	assert_int_equal(-EBADF, fx_ioctl(f, gf, VFIO_GROUP_SET_CONTAINER,
					  &none, sizeof(none)));
	vfio_close(gf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
			group_held_by_kernel_driver_is_not_viable, fx_setup,
			fx_free),
		cmocka_unit_test_setup_teardown(
			group_node_has_one_opener_and_noiommu_needs_rawio,
			fx_setup, fx_free),
		cmocka_unit_test_setup_teardown(
			native_container_opens_device_after_set_iommu, fx_setup,
			fx_free),
		cmocka_unit_test_setup_teardown(
			iommufd_container_claims_at_get_device_fd, fx_setup,
			fx_free),
		cmocka_unit_test_setup_teardown(
			noiommu_group_in_native_container, fx_setup, fx_free),
		cmocka_unit_test_setup_teardown(noiommu_group_in_iommufd_compat,
						fx_setup, fx_free),
		cmocka_unit_test_setup_teardown(
			set_container_given_an_eventfd_is_ebadfd, fx_setup,
			fx_free),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
