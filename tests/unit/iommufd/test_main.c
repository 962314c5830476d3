// SPDX-License-Identifier: MIT
/*
 * test_main.c - the dispatcher and the objects (model/iommufd/main.c),
 * against Linux 7.3's drivers/iommu/iommufd/main.c. Mirrors of
 * tools/testing/selftests/iommu/iommufd.c are named in each test's
 * comment.
 */
#include "ifd_fixture.h"

/* selftest iommufd.cmd_fail: iommufd_object_remove() -ENOENT, get_user()
 * -EFAULT, op->ioctl_num != cmd -ENOIOCTLCMD (ENOTTY to the caller) */
static void destroy_of_missing_id_is_enoent(void **state)
{
	struct ifd *f = *state;
	struct iommu_destroy cmd = { .size = sizeof(cmd), .id = 0 };

	assert_int_equal(-ENOENT, ifd_ioctl(f, IOMMU_DESTROY, &cmd));
	assert_int_equal(-EFAULT, iommufd_ioctl(f->ictx, f->task, IOMMU_DESTROY,
						NULL, 0));
	assert_int_equal(-ENOTTY,
			 ifd_ioctl(f, IOMMUFD_IO(IOMMUFD_CMD_BASE - 1), &cmd));
	assert_int_equal(
		-ENOTTY,
		ifd_ioctl(f, IOMMUFD_IO(IOMMUFD_CMD_BASE + 0x40), &cmd));
}

/* main.c iommufd_fops_ioctl(): the ioctl number must be the row's exactly
 * (an _IOW-encoded IOMMU_DESTROY is not IOMMU_DESTROY) */
static void command_with_other_direction_bits_is_enotty(void **state)
{
	struct ifd *f = *state;
	struct iommu_destroy cmd = { .size = sizeof(cmd), .id = 1 };

	assert_int_equal(-ENOTTY,
			 ifd_ioctl(f, IOMMU_DESTROY | (1u << 30), &cmd));
}

struct length_case {
	unsigned int cmd;
	size_t size, min_size;
};

#define offsetofend(t, f) (offsetof(t, f) + sizeof(((t *)0)->f))
#define LEN(c, s, last)                                                        \
	{                                                                      \
		c, sizeof(struct s), offsetofend(struct s, last)               \
	}

/* selftest iommufd.cmd_length, for every row of main.c's table: below the
 * last mandatory field -EINVAL, a non-zero byte past the struct -E2BIG
 * (copy_struct_from_user()), a zero one the same answer as the exact size */
static void every_command_applies_the_size_rules(void **state)
{
	static const struct length_case cases[] = {
		LEN(IOMMU_DESTROY, iommu_destroy, id),
		LEN(IOMMU_GET_HW_INFO, iommu_hw_info, __reserved),
		LEN(IOMMU_HWPT_ALLOC, iommu_hwpt_alloc, __reserved),
		LEN(IOMMU_HWPT_INVALIDATE, iommu_hwpt_invalidate, __reserved),
		LEN(IOMMU_IOAS_ALLOC, iommu_ioas_alloc, out_ioas_id),
		LEN(IOMMU_IOAS_IOVA_RANGES, iommu_ioas_iova_ranges,
		    out_iova_alignment),
		LEN(IOMMU_IOAS_ALLOW_IOVAS, iommu_ioas_allow_iovas,
		    allowed_iovas),
		LEN(IOMMU_IOAS_MAP, iommu_ioas_map, iova),
		LEN(IOMMU_IOAS_COPY, iommu_ioas_copy, src_iova),
		LEN(IOMMU_IOAS_UNMAP, iommu_ioas_unmap, length),
		LEN(IOMMU_OPTION, iommu_option, val64),
		LEN(IOMMU_VFIO_IOAS, iommu_vfio_ioas, __reserved),
		LEN(IOMMU_IOAS_MAP_FILE, iommu_ioas_map_file, iova),
		LEN(IOMMU_VIOMMU_ALLOC, iommu_viommu_alloc, out_viommu_id),
		LEN(IOMMU_VDEVICE_ALLOC, iommu_vdevice_alloc, virt_id),
		LEN(IOMMU_IOAS_CHANGE_PROCESS, iommu_ioas_change_process,
		    __reserved),
		LEN(IOMMU_IOAS_NOIOMMU_GET_PA, iommu_ioas_noiommu_get_pa,
		    out_phys),
	};
	struct ifd *f = *state;

	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		const struct length_case *c = &cases[i];
		u8 buf[128] = { 0 };
		u32 size;
		int rc;

		size = c->min_size - 1;
		memcpy(buf, &size, sizeof(size));
		buf[c->size] = 0xff;
		assert_int_equal(-EINVAL,
				 iommufd_ioctl(f->ictx, f->task, c->cmd, buf,
					       c->size + 1));
		size = c->size + 1;
		memcpy(buf, &size, sizeof(size));
		assert_int_equal(-E2BIG, iommufd_ioctl(f->ictx, f->task, c->cmd,
						       buf, c->size + 1));
		size = c->size;
		memcpy(buf, &size, sizeof(size));
		rc = iommufd_ioctl(f->ictx, f->task, c->cmd, buf, c->size + 1);
		memset(buf, 0, sizeof(buf));
		size = c->size + 1;
		memcpy(buf, &size, sizeof(size));
		assert_int_equal(rc, iommufd_ioctl(f->ictx, f->task, c->cmd,
						   buf, c->size + 1));
	}
}

/* selftest iommufd.cmd_ex_fail */
static void longer_struct_with_zero_tail_is_accepted(void **state)
{
	struct ifd *f = *state;
	struct {
		struct iommu_destroy cmd;
		u64 future;
	} cmd = { .cmd = { .size = sizeof(cmd), .id = 0 } };

	assert_int_equal(-ENOENT, ifd_ioctl(f, IOMMU_DESTROY, &cmd));
	cmd.future = 1;
	assert_int_equal(-E2BIG, ifd_ioctl(f, IOMMU_DESTROY, &cmd));
	cmd.cmd.size = sizeof(cmd.cmd);
	assert_int_equal(-ENOENT, ifd_ioctl(f, IOMMU_DESTROY, &cmd));
	cmd.cmd.size = sizeof(cmd.cmd) - 1;
	assert_int_equal(-EINVAL, ifd_ioctl(f, IOMMU_DESTROY, &cmd));
}

/* A size field larger than the bytes the caller can read: the kernel's
 * copy_struct_from_user() faults on the unmapped tail */
static void size_beyond_readable_bytes_is_efault(void **state)
{
	struct ifd *f = *state;
	struct iommu_destroy cmd = { .size = sizeof(cmd) + 8, .id = 0 };

	assert_int_equal(-EFAULT, iommufd_ioctl(f->ictx, f->task, IOMMU_DESTROY,
						&cmd, sizeof(cmd)));
}

/* main.c _iommufd_object_alloc(): xa_alloc() in an XA_FLAGS_ALLOC1
 * xarray: the lowest free id from 1 */
static void ids_are_the_lowest_free_from_one(void **state)
{
	struct ifd *f = *state;
	struct iommu_destroy d = { .size = sizeof(d), .id = 2 };

	assert_int_equal(1, ioas_alloc(f));
	assert_int_equal(2, ioas_alloc(f));
	assert_int_equal(3, ioas_alloc(f));
	assert_int_equal(0, ifd_ioctl(f, IOMMU_DESTROY, &d));
	assert_int_equal(-ENOENT, ifd_ioctl(f, IOMMU_DESTROY, &d));
	assert_int_equal(2, ioas_alloc(f));
	assert_int_equal(4, ioas_alloc(f));
}

/* main.c iommufd_object_remove(): refcount_dec_if_one() fails: -EBUSY,
 * nothing changes */
static void destroy_of_object_in_use_is_ebusy(void **state)
{
	struct ifd *f = *state;
	u32 id = ioas_alloc(f);
	struct iommu_destroy d = { .size = sizeof(d), .id = id };
	struct obj_header *obj = obj_peek(&f->ictx->objects, id);

	obj_users_inc(obj); /* an HWPT on the IOAS would hold this */
	assert_int_equal(-EBUSY, ifd_ioctl(f, IOMMU_DESTROY, &d));
	assert_ptr_equal(obj, obj_peek(&f->ictx->objects, id));
	assert_int_equal(2, obj->users);
	obj_users_dec(obj);
	assert_int_equal(0, ifd_ioctl(f, IOMMU_DESTROY, &d));
	assert_null(obj_peek(&f->ictx->objects, id));
}

/* main.c iommufd_get_object(): an object of another type is -ENOENT */
static void id_of_another_type_is_enoent(void **state)
{
	struct ifd *f = *state;
	static const struct iommufd_access_ops ops = { 0 };
	struct iommu_ioas_unmap cmd = { .size = sizeof(cmd), .length = 4096 };
	struct iommufd_access *access;

	assert_int_equal(0, iommufd_access_create(f->ictx, &ops, NULL,
						  &cmd.ioas_id, &access));
	assert_int_equal(-ENOENT, ifd_ioctl(f, IOMMU_IOAS_UNMAP, &cmd));
	iommufd_access_destroy(access);
}

/* An id reserved but not yet published is invisible (XA_ZERO_ENTRY) and
 * an abort gives it back */
static void reserved_id_is_invisible_and_abort_frees_it(void **state)
{
	struct ifd *f = *state;
	struct iommu_destroy d = { .size = sizeof(d), .id = 1 };
	struct iommufd_ioas *ioas;

	assert_int_equal(0, iommufd_ioas_alloc(f->ictx, &ioas));
	assert_int_equal(1, ioas->obj.id);
	assert_int_equal(-ENOENT, ifd_ioctl(f, IOMMU_DESTROY, &d));
	iommufd_object_abort_and_destroy(f->ictx, &ioas->obj);
	assert_int_equal(0, obj_ids_taken(&f->ictx->objects));
	assert_int_equal(1, ioas_alloc(f));
}

/* ioas.c iommufd_ioas_alloc_ioctl(): flags must be 0; the map flags row */
static void unknown_flags_and_reserved_fields_are_eopnotsupp(void **state)
{
	struct ifd *f = *state;
	struct iommu_ioas_alloc alloc = { .size = sizeof(alloc), .flags = 1 };
	struct iommu_ioas_map map = {
		.size = sizeof(map),
		.flags = RW | (1u << 3),
		.user_va = BUFFER_VA,
		.length = PAGE_SIZE,
	};
	struct iommu_option opt = { .size = sizeof(opt), .__reserved = 1 };

	assert_int_equal(-EOPNOTSUPP, ifd_ioctl(f, IOMMU_IOAS_ALLOC, &alloc));
	assert_int_equal(0, obj_ids_taken(&f->ictx->objects));
	map.ioas_id = ioas_alloc(f);
	assert_int_equal(-EOPNOTSUPP, ifd_ioctl(f, IOMMU_IOAS_MAP, &map));
	map.flags = RW;
	map.__reserved = 1;
	assert_int_equal(-EOPNOTSUPP, ifd_ioctl(f, IOMMU_IOAS_MAP, &map));
	assert_int_equal(-EOPNOTSUPP, ifd_ioctl(f, IOMMU_OPTION, &opt));
}

/* selftest iommufd.global_options; ioas.c iommufd_option_rlimit_mode() */
static void rlimit_mode_is_get_and_set_while_empty(void **state)
{
	struct ifd *f = *state;
	u64 v = 1;

	assert_int_equal(0, option(f, RLIMIT, GET, 0, &v));
	assert_int_equal(0, v);
	v = 1;
	assert_int_equal(0, option(f, RLIMIT, SET, 0, &v));
	v = 2;
	assert_int_equal(-EINVAL, option(f, RLIMIT, SET, 0, &v));
	assert_int_equal(0, option(f, RLIMIT, GET, 0, &v));
	assert_int_equal(1, v);
	v = 0;
	assert_int_equal(0, option(f, RLIMIT, SET, 0, &v));
	/* HUGE_PAGES needs an IOAS: object 0 is -ENOENT */
	assert_int_equal(-ENOENT, option(f, HUGE, GET, 0, &v));
	assert_int_equal(-ENOENT, option(f, HUGE, SET, 0, &v));
	assert_int_equal(-EOPNOTSUPP, option(f, 7, SET, 0, &v));
}

/* iommufd_option_rlimit_mode(): SET needs CAP_SYS_RESOURCE, then an empty
 * object table (a reserved id counts) */
static void rlimit_mode_set_needs_cap_and_an_empty_ctx(void **state)
{
	struct ifd *f = *state;
	u64 v = 1;

	f->task->caps &= ~CAP_BIT(CAP_SYS_RESOURCE);
	assert_int_equal(-EPERM, option(f, RLIMIT, SET, 0, &v));
	f->task->caps |= CAP_BIT(CAP_SYS_RESOURCE);
	ioas_alloc(f);
	assert_int_equal(-EBUSY, option(f, RLIMIT, SET, 0, &v));
	assert_int_equal(-EOPNOTSUPP, option(f, RLIMIT, SET, 1, &v));
}

/* Each open of /dev/iommu is its own id space */
static void two_contexts_have_their_own_ids(void **state)
{
	struct ifd *f = *state;
	struct iommufd_ctx *first = f->ictx, *second;

	assert_int_equal(1, ioas_alloc(f));
	assert_int_equal(0, iommufd_fops_open(f->m, &second));
	f->ictx = second;
	assert_int_equal(1, ioas_alloc(f));
	assert_int_equal(2, ioas_alloc(f));
	iommufd_fops_close(second);
	f->ictx = first;
	assert_int_equal(2, ioas_alloc(f));
}

/* main.c iommufd_fops_release() runs when the last file reference goes:
 * a bound device's iommufd_ctx_get() keeps the objects after close() */
static void close_destroys_only_after_the_last_reference(void **state)
{
	struct ifd *f = *state;

	f->ioas_id = ioas_alloc(f);
	map_auto(f, BUFFER_VA, PAGE_SIZE);
	iommufd_ctx_get(f->ictx);
	iommufd_fops_close(f->ictx);
	assert_int_equal(1, f->ictx->file_refs);
	assert_non_null(obj_peek(&f->ictx->objects, f->ioas_id));
	iommufd_ctx_put(f->ictx);
	f->ictx = NULL;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, ifd_setup, ifd_teardown)
		T(destroy_of_missing_id_is_enoent),
		T(command_with_other_direction_bits_is_enotty),
		T(every_command_applies_the_size_rules),
		T(longer_struct_with_zero_tail_is_accepted),
		T(size_beyond_readable_bytes_is_efault),
		T(ids_are_the_lowest_free_from_one),
		T(destroy_of_object_in_use_is_ebusy),
		T(id_of_another_type_is_enoent),
		T(reserved_id_is_invisible_and_abort_frees_it),
		T(unknown_flags_and_reserved_fields_are_eopnotsupp),
		T(rlimit_mode_is_get_and_set_while_empty),
		T(rlimit_mode_set_needs_cap_and_an_empty_ctx),
		T(two_contexts_have_their_own_ids),
		T(close_destroys_only_after_the_last_reference),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
