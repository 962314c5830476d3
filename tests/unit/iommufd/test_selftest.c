// SPDX-License-Identifier: MIT
/*
 * test_selftest.c - the IOMMUFD_TEST interface (model/iommufd/selftest.c,
 * after Linux 7.3's drivers/iommu/iommufd/selftest.c): the mock driver on
 * the core's seam, its devices, the selftest object and IOMMU_TEST_CMD's
 * ops, on a machine that also has an AMD-Vi device; the mock's nested
 * HWPTs, vIOMMU and vDEVICEs (model/iommufd/selftest_viommu.c, viommu.c).
 */
#include "ifd_fixture.h"
#include "iommufd/iommufd_test.h"

struct mock_ids {
	u32 stdev, hwpt, idev;
	u32 ioas; /* nest_parent()'s */
};

static int mock_domain(struct ifd *f, u32 pt_id, u32 dev_flags,
		       struct mock_ids *ids)
{
	struct iommu_test_cmd cmd = {
		.op = dev_flags ? IOMMU_TEST_OP_MOCK_DOMAIN_FLAGS
				: IOMMU_TEST_OP_MOCK_DOMAIN,
		.id = pt_id,
		.mock_domain_flags.dev_flags = dev_flags,
	};
	int rc = test_cmd(f, &cmd);

	ids->stdev = cmd.mock_domain.out_stdev_id;
	ids->hwpt = cmd.mock_domain.out_hwpt_id;
	ids->idev = cmd.mock_domain.out_idev_id;
	return rc;
}

static struct iommufd_device *idev_of(struct ifd *f, u32 id)
{
	struct obj_header *obj = obj_peek(&f->ictx->objects, id);

	assert_non_null(obj);
	assert_int_equal(IOMMUFD_OBJ_DEVICE, obj->type);
	return (struct iommufd_device *)obj;
}

static u32 type_of(struct ifd *f, u32 id)
{
	struct obj_header *obj = obj_peek(&f->ictx->objects, id);

	return obj ? obj->type : IOMMUFD_OBJ_NONE;
}

static void mock_domain_ids_come_in_allocation_order(void **state)
{
	struct ifd *f = *state;
	u32 ioas = ioas_alloc(f);
	struct mock_ids ids;

	assert_int_equal(0, mock_domain(f, ioas, 0, &ids));
	assert_int_equal(ioas + 1, ids.stdev);
	assert_int_equal(ioas + 2, ids.idev);
	assert_int_equal(ioas + 3, ids.hwpt);
	assert_int_equal(IOMMUFD_OBJ_SELFTEST, type_of(f, ids.stdev));
	assert_int_equal(IOMMUFD_OBJ_DEVICE, type_of(f, ids.idev));
	assert_int_equal(IOMMUFD_OBJ_HWPT_PAGING, type_of(f, ids.hwpt));
}

static void mock_device_has_own_group_on_static_blocked_default(void **state)
{
	struct ifd *f = *state;
	struct mock_ids ids;
	struct device *dev;

	assert_int_equal(0, mock_domain(f, ioas_alloc(f), 0, &ids));
	dev = idev_of(f, ids.idev)->dev;
	assert_int_equal(IOMMU_DRV_MOCK, dev->iommu->kind);
	assert_int_equal(1, iommu_group_device_count(dev->iommu_group));
	assert_int_equal(IOMMU_DOMAIN_BLOCKED,
			 dev->iommu_group->default_domain->type);
	assert_true(dev->iommu_group->default_domain->is_static);
	assert_ptr_equal(dev->iommu_group->default_domain,
			 dev->iommu->blocked_domain);
	/* the machine's own devices do not see it */
	assert_false(g_ptr_array_find(f->m->devices, dev, NULL));
}

static void mock_device_takes_no_ctx_reference(void **state)
{
	struct ifd *f = *state;
	struct mock_ids ids;

	assert_int_equal(0, mock_domain(f, ioas_alloc(f), 0, &ids));
	assert_int_equal(1, f->ictx->file_refs);
}

static void destroying_the_selftest_object_unregisters_the_device(void **state)
{
	struct ifd *f = *state;
	guint groups = f->m->groups->len;
	u32 ioas = ioas_alloc(f);
	struct mock_ids ids;
	struct iommu_destroy d = { .size = sizeof(d) };

	assert_int_equal(0, mock_domain(f, ioas, 0, &ids));
	assert_int_equal(groups + 1, f->m->groups->len);
	d.id = ids.idev;
	assert_int_equal(-EBUSY, ifd_ioctl(f, IOMMU_DESTROY, &d));
	d.id = ids.stdev;
	assert_int_equal(0, ifd_ioctl(f, IOMMU_DESTROY, &d));
	assert_int_equal(IOMMUFD_OBJ_NONE, type_of(f, ids.idev));
	assert_int_equal(IOMMUFD_OBJ_NONE, type_of(f, ids.hwpt));
	assert_int_equal(groups, f->m->groups->len);
	assert_int_equal(1, f->ictx->objects.live);
}

static void failed_attach_leaves_no_object_device_or_group(void **state)
{
	struct ifd *f = *state;
	guint groups = f->m->groups->len;
	struct mock_ids ids;

	ioas_alloc(f);
	assert_int_equal(-ENOENT, mock_domain(f, 0, 0, &ids));
	assert_int_equal(1, f->ictx->objects.live);
	assert_int_equal(groups, f->m->groups->len);
}

static void unknown_dev_flags_are_einval(void **state)
{
	struct ifd *f = *state;
	struct mock_ids ids;

	assert_int_equal(-EINVAL, mock_domain(f, ioas_alloc(f), 2, &ids));
	assert_int_equal(1, f->ictx->objects.live);
}

static void mock_aperture_leaves_16m_to_2g(void **state)
{
	struct ifd *f = *state;
	u32 ioas = ioas_alloc(f);
	struct iommu_iova_range r[4] = { 0 };
	struct iommu_ioas_iova_ranges cmd = { .size = sizeof(cmd),
					      .ioas_id = ioas,
					      .num_iovas = 4,
					      .allowed_iovas = (uintptr_t)r };
	struct mock_ids ids;

	assert_int_equal(0, mock_domain(f, ioas, 0, &ids));
	assert_int_equal(0, ifd_ioctl(f, IOMMU_IOAS_IOVA_RANGES, &cmd));
	assert_int_equal(1, cmd.num_iovas);
	assert_int_equal(MOCK_APERTURE_START, r[0].start);
	assert_int_equal(MOCK_APERTURE_LAST, r[0].last);
	assert_int_equal(MOCK_PAGE_SIZE, cmd.out_iova_alignment);
}

static int check_map(struct ifd *f, u32 hwpt, u64 iova, u64 len, u64 uptr)
{
	struct iommu_test_cmd cmd = { .op = IOMMU_TEST_OP_MD_CHECK_MAP,
				      .id = hwpt,
				      .check_map = { iova, len, uptr } };

	return test_cmd(f, &cmd);
}

static int check_refs(struct ifd *f, u64 uptr, u64 len, u32 refs)
{
	struct iommu_test_cmd cmd = { .op = IOMMU_TEST_OP_MD_CHECK_REFS,
				      .check_refs = { len, uptr, refs } };

	return test_cmd(f, &cmd);
}

static void md_check_map_follows_the_user_pages(void **state)
{
	struct ifd *f = *state;
	struct mock_ids ids;

	f->ioas_id = ioas_alloc(f);
	assert_int_equal(0, mock_domain(f, f->ioas_id, 0, &ids));
	assert_int_equal(
		0, map_fixed(f, BUFFER_VA, 4 * PAGE_SIZE, MOCK_APERTURE_START));
	assert_int_equal(0, check_map(f, ids.hwpt, MOCK_APERTURE_START,
				      4 * PAGE_SIZE, BUFFER_VA));
	assert_int_equal(-EINVAL, check_map(f, ids.hwpt, MOCK_APERTURE_START,
					    PAGE_SIZE, BUFFER_VA + PAGE_SIZE));
	assert_int_equal(-ENOENT, check_map(f, f->ioas_id, MOCK_APERTURE_START,
					    PAGE_SIZE, BUFFER_VA));
}

/* access_rw_unaligned's map: the amdv1_mock table (2 KiB granule) takes
 * an IOVA only 2 KiB aligned (iopt_table_add_domain() aligns to its
 * smallest page, MOCK_PAGE_SIZE; map_range() leaves of 2 KiB) */
static void map_at_a_2k_aligned_iova_fills_the_mock_domain(void **state)
{
	struct ifd *f = *state;
	u64 iova = MOCK_APERTURE_START + MOCK_PAGE_SIZE;
	struct mock_ids ids;

	f->ioas_id = ioas_alloc(f);
	assert_int_equal(0, mock_domain(f, f->ioas_id, 0, &ids));
	assert_int_equal(0, map_fixed(f, BUFFER_VA, 4 * PAGE_SIZE, iova));
	assert_int_equal(
		0, check_map(f, ids.hwpt, iova, 4 * PAGE_SIZE, BUFFER_VA));
	assert_int_equal(-EINVAL, check_map(f, ids.hwpt, iova, MOCK_PAGE_SIZE,
					    BUFFER_VA + MOCK_PAGE_SIZE));
}

/* The mock's devices are software ones: nothing walks their table */
static void dma_through_a_mock_domain_is_blocked(void **state)
{
	struct ifd *f = *state;
	struct mock_ids ids;
	u64 fault_iova;
	u8 buf[8];

	f->ioas_id = ioas_alloc(f);
	assert_int_equal(0, mock_domain(f, f->ioas_id, 0, &ids));
	assert_int_equal(
		0, map_fixed(f, BUFFER_VA, PAGE_SIZE, MOCK_APERTURE_START));
	assert_int_equal(IOMMU_DMA_BLOCKED,
			 iommu_dma(f->m, idev_of(f, ids.idev)->dev,
				   MOCK_APERTURE_START, buf, sizeof(buf), false,
				   &fault_iova));
}

static void md_check_map_refuses_another_drivers_hwpt(void **state)
{
	struct ifd *f = *state;
	struct iommufd_device *idev;
	u32 id, pt;

	f->m->iommufd_allow_unsafe_interrupts = true;
	f->ioas_id = ioas_alloc(f);
	assert_int_equal(0, iommufd_device_bind(f->ictx, f->dev, &id, &idev));
	pt = f->ioas_id;
	assert_int_equal(0, iommufd_device_attach(idev, IOMMU_NO_PASID, &pt));
	assert_int_equal(-EINVAL, check_map(f, pt, 0, PAGE_SIZE, BUFFER_VA));
	assert_int_equal(0, iommufd_device_detach(idev, IOMMU_NO_PASID));
	iommufd_device_unbind(idev);
}

static void md_check_refs_counts_one_pin_per_iopt_pages(void **state)
{
	struct ifd *f = *state;
	struct mock_ids a, b;

	f->ioas_id = ioas_alloc(f);
	assert_int_equal(
		0, map_fixed(f, BUFFER_VA, 2 * PAGE_SIZE, MOCK_APERTURE_START));
	assert_int_equal(0, check_refs(f, BUFFER_VA, 2 * PAGE_SIZE, 0));
	assert_int_equal(0, mock_domain(f, f->ioas_id, 0, &a));
	assert_int_equal(0, mock_domain(f, f->ioas_id, 0, &b));
	assert_int_equal(0, check_refs(f, BUFFER_VA, 2 * PAGE_SIZE, 1));
	assert_int_equal(-EIO, check_refs(f, BUFFER_VA, 2 * PAGE_SIZE, 2));
	assert_int_equal(0, map_fixed(f, BUFFER_VA, PAGE_SIZE,
				      MOCK_APERTURE_START + MIB));
	assert_int_equal(0, check_refs(f, BUFFER_VA, PAGE_SIZE, 2));
	assert_int_equal(-EINVAL, check_refs(f, BUFFER_VA + 1, PAGE_SIZE, 0));
}

static void hw_info_reports_the_selftest_type(void **state)
{
	struct ifd *f = *state;
	struct iommu_test_hw_info info = { 0 };
	struct iommu_hw_info cmd = { .size = sizeof(cmd),
				     .data_len = sizeof(info),
				     .data_uptr = (uintptr_t)&info };
	struct mock_ids ids;

	assert_int_equal(0, mock_domain(f, ioas_alloc(f),
					MOCK_FLAGS_DEVICE_PASID, &ids));
	cmd.dev_id = ids.idev;
	assert_int_equal(0, ifd_ioctl(f, IOMMU_GET_HW_INFO, &cmd));
	assert_int_equal(IOMMU_HW_INFO_TYPE_SELFTEST, cmd.out_data_type);
	assert_int_equal(IOMMU_HW_INFO_SELFTEST_REGVAL, info.test_reg);
	assert_int_equal(MOCK_PASID_WIDTH, cmd.out_max_pasid_log2);
	assert_int_equal(IOMMU_HW_CAP_DIRTY_TRACKING |
				 IOMMU_HW_CAP_PCI_ATS_NOT_SUPPORTED,
			 cmd.out_capabilities);
}

static void unknown_op_is_eopnotsupp(void **state)
{
	struct ifd *f = *state;
	struct iommu_test_cmd cmd = { .op = 0 };

	assert_int_equal(-EOPNOTSUPP, test_cmd(f, &cmd));
	cmd.op = IOMMU_TEST_OP_DMABUF_REVOKE + 1;
	assert_int_equal(-EOPNOTSUPP, test_cmd(f, &cmd));
}

/* ---- nested HWPTs, the vIOMMU and vDEVICEs (selftest_viommu.c) ---- */

static u32 hwpt_alloc(struct ifd *f, u32 idev, u32 pt_id, u32 flags,
		      const struct iommu_hwpt_selftest *data, int *rc)
{
	struct iommu_hwpt_alloc cmd = {
		.size = sizeof(cmd),
		.flags = flags,
		.dev_id = idev,
		.pt_id = pt_id,
		.data_type = data ? IOMMU_HWPT_DATA_SELFTEST : 0,
		.data_len = data ? sizeof(*data) : 0,
		.data_uptr = (uintptr_t)data,
	};

	*rc = ifd_ioctl(f, IOMMU_HWPT_ALLOC, &cmd);
	return cmd.out_hwpt_id;
}

static int destroy(struct ifd *f, u32 id)
{
	struct iommu_destroy d = { .size = sizeof(d), .id = id };

	return ifd_ioctl(f, IOMMU_DESTROY, &d);
}

static int viommu_alloc(struct ifd *f, u32 idev, u32 hwpt, u32 *out)
{
	struct iommu_viommu_alloc cmd = { .size = sizeof(cmd),
					  .type = IOMMU_VIOMMU_TYPE_SELFTEST,
					  .dev_id = idev,
					  .hwpt_id = hwpt };
	int rc = ifd_ioctl(f, IOMMU_VIOMMU_ALLOC, &cmd);

	*out = cmd.out_viommu_id;
	return rc;
}

static int vdevice_alloc(struct ifd *f, u32 viommu, u32 idev, u64 virt_id,
			 u32 *out)
{
	struct iommu_vdevice_alloc cmd = { .size = sizeof(cmd),
					   .viommu_id = viommu,
					   .dev_id = idev,
					   .virt_id = virt_id };
	int rc = ifd_ioctl(f, IOMMU_VDEVICE_ALLOC, &cmd);

	*out = cmd.out_vdevice_id;
	return rc;
}

static int replace(struct ifd *f, u32 stdev, u32 pt_id)
{
	struct iommu_test_cmd cmd = { .op = IOMMU_TEST_OP_MOCK_DOMAIN_REPLACE,
				      .id = stdev,
				      .mock_domain_replace.pt_id = pt_id };

	return test_cmd(f, &cmd);
}

static int check_iotlb(struct ifd *f, u32 hwpt, u32 iotlb_id, u32 iotlb)
{
	struct iommu_test_cmd cmd = { .op = IOMMU_TEST_OP_MD_CHECK_IOTLB,
				      .id = hwpt,
				      .check_iotlb.id = iotlb_id,
				      .check_iotlb.iotlb = iotlb };

	return test_cmd(f, &cmd);
}

/* a mock device on an IOAS with a NEST_PARENT HWPT */
static u32 nest_parent(struct ifd *f, struct mock_ids *ids)
{
	u32 ioas = ioas_alloc(f);
	int rc;
	u32 p;

	assert_int_equal(0, mock_domain(f, ioas, 0, ids));
	ids->ioas = ioas;
	p = hwpt_alloc(f, ids->idev, ioas, IOMMU_HWPT_ALLOC_NEST_PARENT, NULL,
		       &rc);
	assert_int_equal(0, rc);
	return p;
}

static void nested_hwpt_holds_its_parent_until_destroyed(void **state)
{
	struct ifd *f = *state;
	struct iommu_hwpt_selftest data = { .iotlb = IOMMU_TEST_IOTLB_DEFAULT };
	struct mock_ids ids;
	u32 p = nest_parent(f, &ids);
	int rc;
	u32 n = hwpt_alloc(f, ids.idev, p, 0, &data, &rc);

	assert_int_equal(0, rc);
	assert_int_equal(IOMMUFD_OBJ_HWPT_NESTED, type_of(f, n));
	assert_int_equal(-EBUSY, destroy(f, p));
	assert_int_equal(0, replace(f, ids.stdev, n));
	assert_int_equal(-EBUSY, destroy(f, n));
	assert_int_equal(0, replace(f, ids.stdev, p));
	assert_int_equal(0, destroy(f, n));
	assert_int_equal(0, replace(f, ids.stdev, ids.ioas));
	assert_int_equal(0, destroy(f, p));
}

static void nested_hwpt_needs_a_nest_parent(void **state)
{
	struct ifd *f = *state;
	struct iommu_hwpt_selftest data = { .iotlb = 1 };
	struct mock_ids ids;
	u32 p = nest_parent(f, &ids);
	int rc;
	u32 n = hwpt_alloc(f, ids.idev, p, 0, &data, &rc);

	assert_int_equal(0, rc);
	hwpt_alloc(f, ids.idev, ids.hwpt, 0, &data, &rc); /* the auto one */
	assert_int_equal(-EINVAL, rc);
	hwpt_alloc(f, ids.idev, n, 0, &data, &rc); /* nested on nested */
	assert_int_equal(-EINVAL, rc);
	hwpt_alloc(f, ids.idev, p, IOMMU_HWPT_ALLOC_NEST_PARENT, &data, &rc);
	assert_int_equal(-EOPNOTSUPP, rc);
}

static void invalidation_stops_at_the_first_bad_entry(void **state)
{
	struct ifd *f = *state;
	struct iommu_hwpt_selftest data = { .iotlb = 7 };
	struct iommu_hwpt_invalidate_selftest inv[2] = {
		{ .iotlb_id = 2 }, { .flags = 0xffffffff, .iotlb_id = 1 }
	};
	struct iommu_hwpt_invalidate cmd = {
		.size = sizeof(cmd),
		.data_uptr = (uintptr_t)inv,
		.data_type = IOMMU_HWPT_INVALIDATE_DATA_SELFTEST,
		.entry_len = sizeof(inv[0]),
		.entry_num = 2,
	};
	struct mock_ids ids;
	u32 p = nest_parent(f, &ids);
	int rc;

	cmd.hwpt_id = hwpt_alloc(f, ids.idev, p, 0, &data, &rc);
	assert_int_equal(-EOPNOTSUPP,
			 ifd_ioctl(f, IOMMU_HWPT_INVALIDATE, &cmd));
	assert_int_equal(1, cmd.entry_num);
	assert_int_equal(0, check_iotlb(f, cmd.hwpt_id, 2, 0));
	assert_int_equal(0, check_iotlb(f, cmd.hwpt_id, 1, 7));
	assert_int_equal(-EINVAL, check_iotlb(f, cmd.hwpt_id, 4, 7));
}

static void viommu_holds_its_nest_parent(void **state)
{
	struct ifd *f = *state;
	struct mock_ids ids;
	u32 p = nest_parent(f, &ids);
	u32 v;

	assert_int_equal(-EINVAL, viommu_alloc(f, ids.idev, ids.hwpt, &v));
	assert_int_equal(0, viommu_alloc(f, ids.idev, p, &v));
	assert_int_equal(IOMMUFD_OBJ_VIOMMU, type_of(f, v));
	assert_int_equal(-EBUSY, destroy(f, p));
	assert_int_equal(0, destroy(f, v));
	assert_int_equal(0, destroy(f, p));
}

static void failed_viommu_alloc_leaves_the_parent_as_it_was(void **state)
{
	struct ifd *f = *state;
	struct mock_ids ids;
	u32 p = nest_parent(f, &ids);
	u32 users = obj_peek(&f->ictx->objects, p)->users;
	u32 live = f->ictx->objects.live;
	u32 v;

	fault_arm_site(&f->m->fault, "_iommufd_object_alloc");
	assert_int_equal(-ENOMEM, viommu_alloc(f, ids.idev, p, &v));
	fault_arm_site(&f->m->fault, NULL);
	assert_int_equal(users, obj_peek(&f->ictx->objects, p)->users);
	assert_int_equal(live, f->ictx->objects.live);
}

static void viommu_nested_attach_needs_a_vdevice(void **state)
{
	struct ifd *f = *state;
	struct iommu_hwpt_selftest data = { .iotlb = 1 };
	struct mock_ids ids;
	u32 p = nest_parent(f, &ids);
	u32 v, n, vd, vd2;
	int rc;

	assert_int_equal(0, viommu_alloc(f, ids.idev, p, &v));
	n = hwpt_alloc(f, ids.idev, v, 0, &data, &rc);
	assert_int_equal(0, rc);
	assert_int_equal(-ENOENT, replace(f, ids.stdev, n));
	assert_int_equal(0, vdevice_alloc(f, v, ids.idev, 0x99, &vd));
	assert_int_equal(-EEXIST, vdevice_alloc(f, v, ids.idev, 0x88, &vd2));
	assert_int_equal(0, replace(f, ids.stdev, n));
	assert_int_equal(-EBUSY, destroy(f, v));
}

static void vdevice_goes_with_its_device(void **state)
{
	struct ifd *f = *state;
	struct mock_ids ids;
	u32 p = nest_parent(f, &ids);
	u32 v, vd;

	assert_int_equal(0, viommu_alloc(f, ids.idev, p, &v));
	assert_int_equal(0, vdevice_alloc(f, v, ids.idev, 0x99, &vd));
	assert_int_equal(-EBUSY, destroy(f, v));
	assert_int_equal(0, destroy(f, ids.stdev));
	assert_int_equal(IOMMUFD_OBJ_NONE, type_of(f, vd));
	assert_int_equal(-ENOENT, destroy(f, vd));
	assert_int_equal(0, destroy(f, v));
}

/* ---- page requests through a fault queue (eventq.c) ---- */

struct iopf_setup {
	struct mock_ids ids;
	u32 fault_id, hwpt;
	int fault_fd;
};

/* a mock device on a nested HWPT whose faults go to a fault queue */
static void iopf_setup(struct ifd *f, struct iopf_setup *io)
{
	struct iommu_hwpt_selftest data = { .iotlb = 1 };
	struct iommu_fault_alloc fa = { .size = sizeof(fa) };
	struct iommu_hwpt_alloc cmd = {
		.size = sizeof(cmd),
		.flags = IOMMU_HWPT_FAULT_ID_VALID,
		.data_type = IOMMU_HWPT_DATA_SELFTEST,
		.data_len = sizeof(data),
		.data_uptr = (uintptr_t)&data,
	};

	cmd.pt_id = nest_parent(f, &io->ids);
	cmd.dev_id = io->ids.idev;
	assert_int_equal(0, ifd_ioctl(f, IOMMU_FAULT_QUEUE_ALLOC, &fa));
	cmd.fault_id = io->fault_id = fa.out_fault_id;
	io->fault_fd = (int)fa.out_fault_fd;
	assert_int_equal(0, ifd_ioctl(f, IOMMU_HWPT_ALLOC, &cmd));
	io->hwpt = cmd.out_hwpt_id;
	assert_int_equal(0, replace(f, io->ids.stdev, io->hwpt));
}

static int trigger_iopf(struct ifd *f, u32 idev, u32 pasid)
{
	struct iommu_test_cmd cmd = {
		.op = IOMMU_TEST_OP_TRIGGER_IOPF,
		.trigger_iopf = { .dev_id = idev,
				  .pasid = pasid,
				  .grpid = 2,
				  .perm = IOMMU_PGFAULT_PERM_READ,
				  .addr = 0xdeadbeaf },
	};

	return test_cmd(f, &cmd);
}

static ssize_t fault_rw(struct ifd *f, int fd, void *buf, u64 n, bool write)
{
	return process_file_rw(f->task, fd, (uintptr_t)buf, n, write);
}

static void page_request_is_read_then_answered(void **state)
{
	struct ifd *f = *state;
	struct iommu_hwpt_pgfault pf[2];
	struct iommu_hwpt_page_response resp = { .code = 0 };
	struct iopf_setup io;

	iopf_setup(f, &io);
	assert_int_equal(0, fault_rw(f, io.fault_fd, pf, sizeof(pf), false));
	assert_int_equal(0, trigger_iopf(f, io.ids.idev, 1));
	assert_int_equal(-ESPIPE, fault_rw(f, io.fault_fd, pf, 7, false));
	assert_int_equal(sizeof(pf[0]),
			 fault_rw(f, io.fault_fd, pf, sizeof(pf), false));
	assert_int_equal(io.ids.idev, pf[0].dev_id);
	assert_int_equal(1, pf[0].pasid);
	assert_int_equal(IOMMU_PGFAULT_FLAGS_PASID_VALID |
				 IOMMU_PGFAULT_FLAGS_LAST_PAGE,
			 pf[0].flags);
	assert_int_equal(0xdeadbeaf, pf[0].addr);
	assert_int_equal(1, pf[0].cookie);
	resp.cookie = pf[0].cookie;
	assert_int_equal(sizeof(resp),
			 fault_rw(f, io.fault_fd, &resp, sizeof(resp), true));
	assert_int_equal(-EINVAL,
			 fault_rw(f, io.fault_fd, &resp, sizeof(resp), true));
}

static void page_request_without_a_fault_queue_is_dropped(void **state)
{
	struct ifd *f = *state;
	struct iommu_hwpt_pgfault pf;
	struct iopf_setup io;

	iopf_setup(f, &io);
	assert_int_equal(0, replace(f, io.ids.stdev, io.ids.ioas));
	assert_int_equal(0, trigger_iopf(f, io.ids.idev, 0));
	assert_int_equal(0, fault_rw(f, io.fault_fd, &pf, sizeof(pf), false));
}

static void replace_answers_what_is_still_pending(void **state)
{
	struct ifd *f = *state;
	struct iommu_hwpt_pgfault pf;
	struct iopf_setup io;

	iopf_setup(f, &io);
	assert_int_equal(0, trigger_iopf(f, io.ids.idev, 0));
	assert_int_equal(0, trigger_iopf(f, io.ids.idev, 0));
	assert_int_equal(sizeof(pf),
			 fault_rw(f, io.fault_fd, &pf, sizeof(pf), false));
	assert_int_equal(0, replace(f, io.ids.stdev, io.ids.ioas));
	assert_int_equal(0, fault_rw(f, io.fault_fd, &pf, sizeof(pf), false));
	assert_int_equal(
		0, g_hash_table_size(((struct iommufd_fault *)obj_peek(
					      &f->ictx->objects, io.fault_id))
					     ->response));
}

/* ---- vIOMMU events through a vEVENTQ (eventq.c) ---- */

struct vevq_setup {
	struct mock_ids ids;
	u32 viommu, veventq;
	int fd;
};

static int veventq_alloc(struct ifd *f, u32 viommu, u32 depth, u32 *id, int *fd)
{
	struct iommu_veventq_alloc cmd = {
		.size = sizeof(cmd),
		.viommu_id = viommu,
		.type = IOMMU_VEVENTQ_TYPE_SELFTEST,
		.veventq_depth = depth,
	};
	int rc = ifd_ioctl(f, IOMMU_VEVENTQ_ALLOC, &cmd);

	*id = cmd.out_veventq_id;
	*fd = (int)cmd.out_veventq_fd;
	return rc;
}

/* a mock device with vDEVICE 0x99 on a vIOMMU's nested HWPT, and a
 * vEVENTQ of @depth on that vIOMMU */
static void vevq_setup(struct ifd *f, struct vevq_setup *vs, u32 depth)
{
	struct iommu_hwpt_selftest data = { .iotlb = 1 };
	u32 p = nest_parent(f, &vs->ids), n, vd;
	int rc;

	assert_int_equal(0, viommu_alloc(f, vs->ids.idev, p, &vs->viommu));
	n = hwpt_alloc(f, vs->ids.idev, vs->viommu, 0, &data, &rc);
	assert_int_equal(0, rc);
	assert_int_equal(0,
			 vdevice_alloc(f, vs->viommu, vs->ids.idev, 0x99, &vd));
	assert_int_equal(0, replace(f, vs->ids.stdev, n));
	assert_int_equal(
		0, veventq_alloc(f, vs->viommu, depth, &vs->veventq, &vs->fd));
}

static int trigger_vevent(struct ifd *f, u32 idev)
{
	struct iommu_test_cmd cmd = { .op = IOMMU_TEST_OP_TRIGGER_VEVENT,
				      .trigger_vevent.dev_id = idev };

	return test_cmd(f, &cmd);
}

/* a read of one record: a header, then a selftest event */
struct vevent_rec {
	struct iommufd_vevent_header hdr;
	struct iommu_viommu_event_selftest ev;
};

static void veventq_is_one_per_type_and_holds_its_viommu(void **state)
{
	struct ifd *f = *state;
	struct vevq_setup vs;
	u32 q2;
	int fd2;

	vevq_setup(f, &vs, 2);
	assert_int_equal(-EEXIST, veventq_alloc(f, vs.viommu, 2, &q2, &fd2));
	assert_int_equal(-EBUSY, destroy(f, vs.viommu));
	assert_int_equal(-EBUSY, destroy(f, vs.veventq));
	assert_int_equal(0, process_close_fd(f->task, vs.fd));
	assert_int_equal(0, destroy(f, vs.veventq));
	assert_int_equal(-EOPNOTSUPP, trigger_vevent(f, vs.ids.idev));
	assert_int_equal(0, veventq_alloc(f, vs.viommu, 2, &q2, &fd2));
}

static void vevents_past_the_depth_read_as_one_lost_events_header(void **state)
{
	struct ifd *f = *state;
	struct vevent_rec rec[3];
	struct vevq_setup vs;

	vevq_setup(f, &vs, 2);
	for (int i = 0; i < 4; i++)
		assert_int_equal(0, trigger_vevent(f, vs.ids.idev));
	/* two events, then only the header of the lost ones */
	assert_int_equal(2 * sizeof(rec[0]) + sizeof(rec[0].hdr),
			 fault_rw(f, vs.fd, rec, sizeof(rec), false));
	assert_int_equal(0, rec[0].hdr.sequence);
	assert_int_equal(0x99, rec[1].ev.virt_id);
	assert_int_equal(1, rec[1].hdr.sequence);
	assert_int_equal(IOMMU_VEVENTQ_FLAG_LOST_EVENTS, rec[2].hdr.flags);
	/* the fourth event only moved the header's sequence on */
	assert_int_equal(3, rec[2].hdr.sequence);
	assert_int_equal(0, fault_rw(f, vs.fd, rec, sizeof(rec), false));
	assert_int_equal(0, trigger_vevent(f, vs.ids.idev));
	assert_int_equal(sizeof(rec[0]),
			 fault_rw(f, vs.fd, rec, sizeof(rec), false));
	assert_int_equal(4, rec[0].hdr.sequence);
}

static void veventq_read_needs_room_for_the_first_event(void **state)
{
	struct ifd *f = *state;
	struct vevent_rec rec;
	struct vevq_setup vs;

	vevq_setup(f, &vs, 2);
	assert_int_equal(-EINVAL, fault_rw(f, vs.fd, &rec, 7, false));
	assert_int_equal(0, fault_rw(f, vs.fd, &rec, sizeof(rec), false));
	assert_int_equal(0, trigger_vevent(f, vs.ids.idev));
	assert_int_equal(-EINVAL,
			 fault_rw(f, vs.fd, &rec, sizeof(rec.hdr), false));
	assert_int_equal(sizeof(rec),
			 fault_rw(f, vs.fd, &rec, sizeof(rec), false));
}

static void failed_veventq_alloc_leaves_the_viommu_as_it_was(void **state)
{
	struct ifd *f = *state;
	struct vevq_setup vs;
	u32 users, live, q;
	int fd;

	vevq_setup(f, &vs, 1);
	assert_int_equal(0, process_close_fd(f->task, vs.fd));
	assert_int_equal(0, destroy(f, vs.veventq));
	users = obj_peek(&f->ictx->objects, vs.viommu)->users;
	live = f->ictx->objects.live;
	fault_arm_site(&f->m->fault, "anon_inode_getfile");
	assert_int_equal(-ENOMEM, veventq_alloc(f, vs.viommu, 1, &q, &fd));
	fault_arm_site(&f->m->fault, NULL);
	assert_int_equal(users, obj_peek(&f->ictx->objects, vs.viommu)->users);
	assert_int_equal(live, f->ictx->objects.live);
	assert_int_equal(0, veventq_alloc(f, vs.viommu, 1, &q, &fd));
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, ifd_setup, ifd_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(mock_domain_ids_come_in_allocation_order),
		T(mock_device_has_own_group_on_static_blocked_default),
		T(mock_device_takes_no_ctx_reference),
		T(destroying_the_selftest_object_unregisters_the_device),
		T(failed_attach_leaves_no_object_device_or_group),
		T(unknown_dev_flags_are_einval),
		T(mock_aperture_leaves_16m_to_2g),
		T(md_check_map_follows_the_user_pages),
		T(map_at_a_2k_aligned_iova_fills_the_mock_domain),
		T(dma_through_a_mock_domain_is_blocked),
		T(md_check_map_refuses_another_drivers_hwpt),
		T(md_check_refs_counts_one_pin_per_iopt_pages),
		T(hw_info_reports_the_selftest_type),
		T(unknown_op_is_eopnotsupp),
		T(nested_hwpt_holds_its_parent_until_destroyed),
		T(nested_hwpt_needs_a_nest_parent),
		T(invalidation_stops_at_the_first_bad_entry),
		T(viommu_holds_its_nest_parent),
		T(failed_viommu_alloc_leaves_the_parent_as_it_was),
		T(viommu_nested_attach_needs_a_vdevice),
		T(vdevice_goes_with_its_device),
		T(page_request_is_read_then_answered),
		T(page_request_without_a_fault_queue_is_dropped),
		T(replace_answers_what_is_still_pending),
		T(veventq_is_one_per_type_and_holds_its_viommu),
		T(vevents_past_the_depth_read_as_one_lost_events_header),
		T(veventq_read_needs_room_for_the_first_event),
		T(failed_veventq_alloc_leaves_the_viommu_as_it_was),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
