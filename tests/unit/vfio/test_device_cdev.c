// SPDX-License-Identifier: MIT
/*
 * test_device_cdev.c - the cdev path (Linux 7.3 device_cdev.c
 * vfio_device_fops_cdev_open(), vfio_df_ioctl_bind_iommufd(),
 * vfio_df_ioctl_attach_pt()/detach_pt(), vfio_df_unbind_iommufd();
 * iommufd.c vfio_iommufd_physical_*; group.c vfio_device_block_group())
 * with the outcomes REFERENCE.md measured in the guest.
 */
#include "fx_vfio.h"

static int get_info(struct fx *f, struct vfio_file *df,
		    struct vfio_device_info *info)
{
	memset(info, 0, sizeof(*info));
	info->argsz = sizeof(*info);
	return fx_ioctl(f, df, VFIO_DEVICE_GET_INFO, info, sizeof(*info));
}

static int attach(struct fx *f, struct vfio_file *df, u32 *pt)
{
	struct vfio_device_attach_iommufd_pt a = { .argsz = sizeof(a),
						   .pt_id = *pt };
	int rc = fx_ioctl(f, df, VFIO_DEVICE_ATTACH_IOMMUFD_PT, &a, sizeof(a));

	*pt = a.pt_id;
	return rc;
}

static int detach(struct fx *f, struct vfio_file *df)
{
	struct vfio_device_detach_iommufd_pt d = { .argsz = sizeof(d) };

	return fx_ioctl(f, df, VFIO_DEVICE_DETACH_IOMMUFD_PT, &d, sizeof(d));
}

static u32 ioas_alloc(struct fx *f, struct vfio_file *ifd)
{
	struct iommu_ioas_alloc cmd = { .size = sizeof(cmd) };

	assert_int_equal(0, iommufd_ioctl(ifd->ictx, f->root, IOMMU_IOAS_ALLOC,
					  &cmd, sizeof(cmd)));
	return cmd.out_ioas_id;
}

/* REFERENCE.md: GET_INFO before bind EINVAL; bind 0 with devid 1; IOAS
 * id 2; attach makes the auto HWPT 3; vfio_pci_ioctl_get_info():
 * VFIO_DEVICE_FLAGS_PCI, and RESET for a PCIe function (its FLR: the
 * guest's e1000e answers 0x3), VFIO_PCI_NUM_REGIONS 9,
 * VFIO_PCI_NUM_IRQS 5 */
static void bind_grants_access_and_attach_makes_auto_hwpt(void **state)
{
	struct fx *f = *state;
	struct vfio_device_info info;
	struct vfio_file *df, *ifd;
	u32 devid = 0, pt;

	assert_int_equal(0, fx_bind_vfio(f, f->c));
	df = fx_open(f, "/dev/vfio/devices/vfio0");
	ifd = fx_iommufd(f);
	assert_int_equal(-EINVAL, get_info(f, df, &info));
	assert_int_equal(0, fx_bind_iommufd(f, df, ifd, &devid));
	assert_int_equal(1, devid);
	assert_int_equal(0, get_info(f, df, &info));
	assert_int_equal(VFIO_DEVICE_FLAGS_PCI | VFIO_DEVICE_FLAGS_RESET,
			 info.flags);
	assert_int_equal(9, info.num_regions);
	assert_int_equal(5, info.num_irqs);
	pt = ioas_alloc(f, ifd);
	assert_int_equal(2, pt);
	assert_int_equal(0, attach(f, df, &pt));
	assert_int_equal(3, pt);
	/* REFERENCE.md: detach twice, 0 both times */
	assert_int_equal(0, detach(f, df));
	assert_int_equal(0, detach(f, df));
	/* one device cannot be bound twice */
	assert_int_equal(-EINVAL, fx_bind_iommufd(f, df, ifd, NULL));
	vfio_close(df);
	fx_close_iommufd(ifd);
}

/* VFIO_DEVICE_ATTACH_PASID / _DETACH_PASID (vfio_df_ioctl_attach_pt(),
 * _detach_pt()): argsz must reach pasid; the IOAS's auto HWPT is not
 * PASID-compatible (iommufd_hwpt_pasid_compat()), so nothing is attached
 * and vdev->pasids stays empty; detaching a PASID VFIO never attached is
 * 0 (vfio_iommufd_physical_pasid_detach_ioas()) */
static void pasid_flags_need_the_pasid_field_and_a_pasid_hwpt(void **state)
{
	struct fx *f = *state;
	struct vfio_file *df, *ifd;
	struct vfio_device_attach_iommufd_pt a = {
		.argsz = offsetof(struct vfio_device_attach_iommufd_pt, pasid),
		.flags = VFIO_DEVICE_ATTACH_PASID,
		.pasid = 1,
	};
	struct vfio_device_detach_iommufd_pt d = {
		.argsz = offsetof(struct vfio_device_detach_iommufd_pt, pasid),
		.flags = VFIO_DEVICE_DETACH_PASID,
		.pasid = 1,
	};

	assert_int_equal(0, fx_bind_vfio(f, f->c));
	df = fx_open(f, "/dev/vfio/devices/vfio0");
	ifd = fx_iommufd(f);
	assert_int_equal(0, fx_bind_iommufd(f, df, ifd, NULL));
	a.pt_id = ioas_alloc(f, ifd);
	assert_int_equal(-EINVAL, fx_ioctl(f, df, VFIO_DEVICE_ATTACH_IOMMUFD_PT,
					   &a, sizeof(a)));
	a.argsz = sizeof(a);
	assert_int_equal(-EINVAL, fx_ioctl(f, df, VFIO_DEVICE_ATTACH_IOMMUFD_PT,
					   &a, sizeof(a)));
	assert_null(df->device->pasids);
	assert_int_equal(-EINVAL, fx_ioctl(f, df, VFIO_DEVICE_DETACH_IOMMUFD_PT,
					   &d, sizeof(d)));
	d.argsz = sizeof(d);
	assert_int_equal(0, fx_ioctl(f, df, VFIO_DEVICE_DETACH_IOMMUFD_PT, &d,
				     sizeof(d)));
	vfio_close(df);
	fx_close_iommufd(ifd);
}

/* REFERENCE.md: a group with a device on a kernel driver (e1000):
 * BIND_IOMMUFD EPERM; after unbinding it, 0 */
static void bind_in_a_group_held_by_a_kernel_driver_is_eperm(void **state)
{
	struct fx *f = *state;
	struct vfio_file *df, *ifd = fx_iommufd(f);

	assert_int_equal(0, fx_bind_vfio(f, f->a));
	df = fx_open(f, "/dev/vfio/devices/vfio0");
	assert_int_equal(-EPERM, fx_bind_iommufd(f, df, ifd, NULL));
	/* the failed bind unblocked the group again */
	assert_int_equal(
		0, vfio_device_of(f->m, f->a)->group->cdev_device_open_cnt);
	assert_int_equal(0, device_driver_detach(f->m, f->b));
	assert_int_equal(0, fx_bind_iommufd(f, df, ifd, NULL));
	/* and now the kernel driver cannot come back (DMA owner set):
	 * iommu_device_use_default_domain() -EBUSY */
	assert_int_equal(-EBUSY, device_driver_attach(f->m, f->b, f->e1000e));
	vfio_close(df);
	assert_int_equal(0, device_driver_attach(f->m, f->b, f->e1000e));
	fx_close_iommufd(ifd);
}

/* Exclusivity both ways: vfio_device_block_group() at bind (-EBUSY while
 * the group node is open); vfio_group_fops_open() -EBUSY while a device
 * is bound through its cdev. Opening the cdev alone blocks nothing. */
static void group_open_and_cdev_bind_exclude_each_other(void **state)
{
	struct fx *f = *state;
	struct vfio_file *gf, *df, *ifd = fx_iommufd(f), *g2 = NULL;
	g_autofree char *gpath = NULL;

	assert_int_equal(0, fx_bind_vfio(f, f->c));
	gpath = g_strdup_printf("/dev/vfio/%d", f->c->iommu_group->id);
	df = fx_open(f, "/dev/vfio/devices/vfio0");
	gf = fx_open(f, gpath);
	assert_int_equal(-EBUSY, fx_bind_iommufd(f, df, ifd, NULL));
	vfio_close(gf);
	assert_int_equal(0, fx_bind_iommufd(f, df, ifd, NULL));
	assert_int_equal(-EBUSY, vfio_open(f->m, f->root, gpath, &g2));
	assert_null(g2);
	/* close releases the bind and unblocks the group */
	vfio_close(df);
	gf = fx_open(f, gpath);
	vfio_close(gf);
	fx_close_iommufd(ifd);
}

/* vfio_device_fops_cdev_open(): CAP_SYS_RAWIO at open for noiommu; the
 * bind takes iommufd_bind_noiommu() (no ownership claimed) */
static void noiommu_cdev_needs_rawio_at_open(void **state)
{
	struct fx *f = *state;
	struct vfio_file *df = NULL, *ifd = fx_iommufd(f);
	u32 devid = 0;

	assert_int_equal(0, fx_bind_vfio(f, f->n));
	assert_int_equal(-EPERM,
			 vfio_open(f->m, f->user,
				   "/dev/vfio/devices/noiommu-vfio0", &df));
	assert_null(df);
	df = fx_open(f, "/dev/vfio/devices/noiommu-vfio0");
	assert_int_equal(0, fx_bind_iommufd(f, df, ifd, &devid));
	assert_int_equal(1, devid);
	assert_int_equal(0, f->n->iommu_group->owner_cnt);
	vfio_close(df);
	fx_close_iommufd(ifd);
}

/* device->noiommu was sampled at registration: turning the parameter
 * off later does not lift the CAP_SYS_RAWIO check */
static void noiommu_param_off_later_still_needs_rawio(void **state)
{
	struct fx *f = *state;
	struct vfio_file *df = NULL;

	assert_int_equal(0, fx_bind_vfio(f, f->n));
	assert_int_equal(0, vfio_set_noiommu_param(f->m, false));
	assert_int_equal(-EPERM,
			 vfio_open(f->m, f->user,
				   "/dev/vfio/devices/noiommu-vfio0", &df));
}

/* BIND_IOMMUFD only on a cdev fd; a bad fd -EBADF; not an iommufd
 * -EBADFD; unknown flags -EINVAL */
static void bind_refuses_bad_arguments(void **state)
{
	struct fx *f = *state;
	struct vfio_file *df, *ifd = fx_iommufd(f);
	struct vfio_device_bind_iommufd b = { .argsz = sizeof(b) };

	assert_int_equal(0, fx_bind_vfio(f, f->c));
	df = fx_open(f, "/dev/vfio/devices/vfio0");
	b.iommufd = 99;
	assert_int_equal(-EBADF, fx_ioctl(f, df, VFIO_DEVICE_BIND_IOMMUFD, &b,
					  sizeof(b)));
	b.iommufd = vfio_file_fd(df);
	assert_int_equal(-EBADFD, fx_ioctl(f, df, VFIO_DEVICE_BIND_IOMMUFD, &b,
					   sizeof(b)));
	b.iommufd = vfio_file_fd(ifd);
	b.flags = 2;
	assert_int_equal(-EINVAL, fx_ioctl(f, df, VFIO_DEVICE_BIND_IOMMUFD, &b,
					   sizeof(b)));
	b.flags = 0;
	b.argsz = 8;
	assert_int_equal(-EINVAL, fx_ioctl(f, df, VFIO_DEVICE_BIND_IOMMUFD, &b,
					   sizeof(b)));
	assert_int_equal(
		0, vfio_device_of(f->m, f->c)->group->cdev_device_open_cnt);
	vfio_close(df);
	fx_close_iommufd(ifd);
}

/* VFIO_DEVICE_CDEV=n: no cdev to open; BIND on a group-path fd -ENOTTY
 * (vfio.h stub vfio_df_ioctl_bind_iommufd()) */
static void cdev_off_has_no_node_to_open(void **state)
{
	struct vfio_kconfig_req req;
	struct vfio_file *df = NULL;
	struct fx *f;

	vfio_kconfig_req_init(&req);
	req.v[KS_VFIO_DEVICE_CDEV] = 0;
	f = fx_boot(&req, true);
	*state = f;
	assert_int_equal(0, fx_bind_vfio(f, f->c));
	assert_int_equal(-ENOENT, vfio_open(f->m, f->root,
					    "/dev/vfio/devices/vfio0", &df));
}

/* fail-nth over cdev open + bind: each failure leaves no file, no bind,
 * no object in the ctx */
static void failed_open_or_bind_changes_nothing(void **state)
{
	struct fx *f = *state;
	struct vfio_file *ifd = fx_iommufd(f);
	bool done = false;

	assert_int_equal(0, fx_bind_vfio(f, f->c));
	for (uint64_t nth = 1; nth < 20 && !done; nth++) {
		struct vfio_file *df = NULL;
		int rc;

		fault_arm(&f->m->fault, nth);
		rc = vfio_open(f->m, f->root, "/dev/vfio/devices/vfio0", &df);
		if (!rc)
			rc = fx_bind_iommufd(f, df, ifd, NULL);
		done = fault_armed(&f->m->fault);
		fault_arm(&f->m->fault, 0);
		if (done) {
			assert_int_equal(0, rc);
		} else {
			assert_int_not_equal(0, rc);
			assert_int_equal(1, ifd->ictx->file_refs);
			assert_int_equal(0,
					 obj_next_id(&ifd->ictx->objects, 0));
			assert_int_equal(0, f->c->iommu_group->owner_cnt);
		}
		vfio_close(df);
	}
	assert_true(done);
	fx_close_iommufd(ifd);
}

/* vfio_df_ioctl_bind_iommufd() checks the token after
 * vfio_device_block_group() and df->access_granted; vfio_df_check_token()
 * copies the UUID in (-EFAULT for NULL, an unmapped VA, or a pointer
 * that argsz cuts off) before vfio-pci's match_token_uuid() refuses a
 * token on a device that is neither an SR-IOV PF nor a VF (-EINVAL).
 * The 7.3 guest agrees (scenarios/vfio/cdev/noiommu-bind-token-order.scn). */
static void bind_token_is_checked_after_the_group_and_copied_in(void **state)
{
	struct fx *f = *state;
	struct vfio_file *df, *gf, *ifd = fx_iommufd(f);
	struct vfio_device_bind_iommufd b = {
		.argsz = sizeof(b),
		.flags = VFIO_DEVICE_BIND_FLAG_TOKEN,
	};
	g_autofree char *gpath = NULL;

	assert_int_equal(0, process_mmap_contig(f->root, 0x10000000, 0x1000,
						0x40000000, true));
	assert_int_equal(0, fx_bind_vfio(f, f->c));
	gpath = g_strdup_printf("/dev/vfio/%d", f->c->iommu_group->id);
	df = fx_open(f, "/dev/vfio/devices/vfio0");
	gf = fx_open(f, gpath);
	b.iommufd = vfio_file_fd(ifd);
	assert_int_equal(-EBUSY, fx_ioctl(f, df, VFIO_DEVICE_BIND_IOMMUFD, &b,
					  sizeof(b)));
	vfio_close(gf);
	assert_int_equal(-EFAULT, fx_ioctl(f, df, VFIO_DEVICE_BIND_IOMMUFD, &b,
					   sizeof(b)));
	b.token_uuid_ptr = 0x10;
	assert_int_equal(-EFAULT, fx_ioctl(f, df, VFIO_DEVICE_BIND_IOMMUFD, &b,
					   sizeof(b)));
	b.token_uuid_ptr = 0x10000000;
	b.argsz = offsetof(struct vfio_device_bind_iommufd, token_uuid_ptr);
	assert_int_equal(-EFAULT, fx_ioctl(f, df, VFIO_DEVICE_BIND_IOMMUFD, &b,
					   sizeof(b)));
	b.argsz = sizeof(b);
	assert_int_equal(-EINVAL, fx_ioctl(f, df, VFIO_DEVICE_BIND_IOMMUFD, &b,
					   sizeof(b)));
	/* refused, each left the group unblocked and the ctx empty */
	assert_int_equal(
		0, vfio_device_of(f->m, f->c)->group->cdev_device_open_cnt);
	assert_int_equal(0, obj_next_id(&ifd->ictx->objects, 0));
	vfio_close(df);
	fx_close_iommufd(ifd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
			bind_grants_access_and_attach_makes_auto_hwpt, fx_setup,
			fx_free),
		cmocka_unit_test_setup_teardown(
			bind_in_a_group_held_by_a_kernel_driver_is_eperm,
			fx_setup, fx_free),
		cmocka_unit_test_setup_teardown(
			group_open_and_cdev_bind_exclude_each_other, fx_setup,
			fx_free),
		cmocka_unit_test_setup_teardown(
			noiommu_cdev_needs_rawio_at_open, fx_setup, fx_free),
		cmocka_unit_test_setup_teardown(
			noiommu_param_off_later_still_needs_rawio, fx_setup,
			fx_free),
		cmocka_unit_test_setup_teardown(bind_refuses_bad_arguments,
						fx_setup, fx_free),
		cmocka_unit_test_setup_teardown(
			bind_token_is_checked_after_the_group_and_copied_in,
			fx_setup, fx_free),
		cmocka_unit_test_teardown(cdev_off_has_no_node_to_open,
					  fx_free),
		cmocka_unit_test_setup_teardown(
			failed_open_or_bind_changes_nothing, fx_setup, fx_free),
		cmocka_unit_test_setup_teardown(
			pasid_flags_need_the_pasid_field_and_a_pasid_hwpt,
			fx_setup, fx_free),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
