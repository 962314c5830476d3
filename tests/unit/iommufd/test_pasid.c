// SPDX-License-Identifier: MIT
/*
 * test_pasid.c - iommufd's PASID attach (device_attach.c, after Linux
 * 7.3's drivers/iommu/iommufd/device.c with a pasid) through the
 * IOMMUFD_TEST mock's PASID ops (selftest_pasid.c): the PASID
 * compatibility rule between the RID's HWPT and a PASID's, the
 * references a PASID attach holds, and the mock's faked failure that
 * proves the core's replace rollback.
 */
#include "ifd_fixture.h"
#include "iommufd/iommufd_test.h"

struct mock_ids {
	u32 stdev, hwpt, idev;
};

static void mock_pasid_device(struct ifd *f, u32 pt_id, u32 dev_flags,
			      struct mock_ids *ids)
{
	struct iommu_test_cmd cmd = {
		.op = IOMMU_TEST_OP_MOCK_DOMAIN_FLAGS,
		.id = pt_id,
		.mock_domain_flags.dev_flags = dev_flags,
	};

	assert_int_equal(0, test_cmd(f, &cmd));
	ids->stdev = cmd.mock_domain.out_stdev_id;
	ids->hwpt = cmd.mock_domain.out_hwpt_id;
	ids->idev = cmd.mock_domain.out_idev_id;
}

static u32 hwpt_alloc(struct ifd *f, u32 idev, u32 pt_id, u32 flags)
{
	struct iommu_hwpt_alloc cmd = {
		.size = sizeof(cmd),
		.flags = flags,
		.dev_id = idev,
		.pt_id = pt_id,
	};

	assert_int_equal(0, ifd_ioctl(f, IOMMU_HWPT_ALLOC, &cmd));
	return cmd.out_hwpt_id;
}

/* PASID_ATTACH (replace: PASID_REPLACE) of @pt_id at @pasid of @stdev */
static int pasid_op(struct ifd *f, u32 op, u32 stdev, u32 pasid, u32 pt_id)
{
	struct iommu_test_cmd cmd = {
		.op = op,
		.id = stdev,
		.pasid_attach = { .pasid = pasid, .pt_id = pt_id },
	};

	return test_cmd(f, &cmd);
}

static int check_hwpt(struct ifd *f, u32 stdev, u32 pasid, u32 hwpt)
{
	struct iommu_test_cmd cmd = {
		.op = IOMMU_TEST_OP_PASID_CHECK_HWPT,
		.id = stdev,
		.pasid_check = { .pasid = pasid, .hwpt_id = hwpt },
	};

	return test_cmd(f, &cmd);
}

/* the mock device's RID moved to @pt_id (MOCK_DOMAIN_REPLACE's call) */
static int rid_replace(struct ifd *f, u32 idev, u32 pt_id)
{
	struct iommufd_device *d =
		(struct iommufd_device *)obj_peek(&f->ictx->objects, idev);

	return iommufd_device_replace(d, IOMMU_NO_PASID, &pt_id);
}

static unsigned int users(struct ifd *f, u32 id)
{
	return obj_peek(&f->ictx->objects, id)->users;
}

#define ATTACH IOMMU_TEST_OP_PASID_ATTACH
#define REPLACE IOMMU_TEST_OP_PASID_REPLACE
#define DETACH IOMMU_TEST_OP_PASID_DETACH

/* iommufd_hwpt_pasid_compat(): both sides need IOMMU_HWPT_ALLOC_PASID */
static void pasid_and_rid_hwpts_must_both_be_pasid_compatible(void **state)
{
	struct ifd *f = *state;
	struct mock_ids ids;
	u32 ioas = ioas_alloc(f), p, plain;

	mock_pasid_device(f, ioas, MOCK_FLAGS_DEVICE_PASID, &ids);
	p = hwpt_alloc(f, ids.idev, ioas, IOMMU_HWPT_ALLOC_PASID);
	plain = hwpt_alloc(f, ids.idev, ioas, 0);
	/* the RID is on the IOAS's auto HWPT, which is not */
	assert_int_equal(-EINVAL, pasid_op(f, ATTACH, ids.stdev, 100, p));
	assert_int_equal(
		0, iommufd_device_replace((struct iommufd_device *)obj_peek(
						  &f->ictx->objects, ids.idev),
					  IOMMU_NO_PASID, &p));
	assert_int_equal(-EINVAL, pasid_op(f, ATTACH, ids.stdev, 100, plain));
	assert_int_equal(0, pasid_op(f, ATTACH, ids.stdev, 100, p));
	/* and now the RID cannot go to one that is not */
	assert_int_equal(-EINVAL, rid_replace(f, ids.idev, plain));
	assert_int_equal(0, pasid_op(f, DETACH, ids.stdev, 100, 0));
	assert_int_equal(0, check_hwpt(f, ids.stdev, 100, 0));
}

/* a PASID attach holds a users reference on the HWPT and the idev */
static void pasid_attach_holds_the_hwpt_and_the_device(void **state)
{
	struct ifd *f = *state;
	struct mock_ids ids;
	u32 ioas = ioas_alloc(f), p;
	unsigned int hwpt_users, idev_users;

	mock_pasid_device(f, ioas, MOCK_FLAGS_DEVICE_PASID, &ids);
	p = hwpt_alloc(f, ids.idev, ioas, IOMMU_HWPT_ALLOC_PASID);
	assert_int_equal(0, rid_replace(f, ids.idev, p));
	hwpt_users = users(f, p);
	idev_users = users(f, ids.idev);
	assert_int_equal(0, pasid_op(f, ATTACH, ids.stdev, 7, p));
	assert_int_equal(hwpt_users + 1, users(f, p));
	assert_int_equal(idev_users + 1, users(f, ids.idev));
	assert_int_equal(-EBUSY, pasid_op(f, ATTACH, ids.stdev, 7, p));
	assert_int_equal(0, check_hwpt(f, ids.stdev, 7, p));
	assert_int_equal(0, pasid_op(f, DETACH, ids.stdev, 7, 0));
	assert_int_equal(hwpt_users, users(f, p));
	assert_int_equal(idev_users, users(f, ids.idev));
}

/* mock_domain_set_dev_pasid_nop() fails the second attach of PASID 1024:
 * iommu_replace_device_pasid() keeps the old domain */
static void failed_pasid_replace_keeps_the_old_hwpt(void **state)
{
	struct ifd *f = *state;
	struct mock_ids ids;
	u32 ioas = ioas_alloc(f), p1, p2;

	mock_pasid_device(f, ioas, MOCK_FLAGS_DEVICE_PASID, &ids);
	p1 = hwpt_alloc(f, ids.idev, ioas, IOMMU_HWPT_ALLOC_PASID);
	p2 = hwpt_alloc(f, ids.idev, ioas, IOMMU_HWPT_ALLOC_PASID);
	assert_int_equal(0, rid_replace(f, ids.idev, p1));
	assert_int_equal(-EINVAL, pasid_op(f, REPLACE, ids.stdev, 1024, p1));
	assert_int_equal(0, pasid_op(f, ATTACH, ids.stdev, 1024, p1));
	assert_int_equal(-ENOMEM, pasid_op(f, REPLACE, ids.stdev, 1024, p2));
	assert_int_equal(0, check_hwpt(f, ids.stdev, 1024, p1));
	assert_int_equal(-EINVAL, check_hwpt(f, ids.stdev, 1024, p2));
	assert_int_equal(0, pasid_op(f, REPLACE, ids.stdev, 1024, p2));
	assert_int_equal(0, check_hwpt(f, ids.stdev, 1024, p2));
	assert_int_equal(0, pasid_op(f, DETACH, ids.stdev, 1024, 0));
}

/* "pasid-num-bits" 0 still gives 1 << 0 PASIDs (dev_iommu_get_max_pasids()) */
static void mock_device_without_pasid_flag_has_one_pasid(void **state)
{
	struct ifd *f = *state;
	struct mock_ids with, without;
	u32 ioas = ioas_alloc(f);

	mock_pasid_device(f, ioas, MOCK_FLAGS_DEVICE_PASID, &with);
	mock_pasid_device(f, ioas, MOCK_FLAGS_DEVICE_NO_DIRTY, &without);
	assert_int_equal(1u << MOCK_PASID_WIDTH,
			 ((struct iommufd_device *)obj_peek(&f->ictx->objects,
							    with.idev))
				 ->dev->max_pasids);
	assert_int_equal(1, ((struct iommufd_device *)obj_peek(
				     &f->ictx->objects, without.idev))
				    ->dev->max_pasids);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, ifd_setup, ifd_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(pasid_and_rid_hwpts_must_both_be_pasid_compatible),
		T(pasid_attach_holds_the_hwpt_and_the_device),
		T(failed_pasid_replace_keeps_the_old_hwpt),
		T(mock_device_without_pasid_flag_has_one_pasid),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
