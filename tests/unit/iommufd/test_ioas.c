// SPDX-License-Identifier: MIT
/*
 * test_ioas.c - the IOAS and its io_pagetable (model/iommufd/ioas.c,
 * io_pagetable.c, iopt_reserved.c) against Linux 7.3's ioas.c and
 * io_pagetable.c. Tests that mirror tools/testing/selftests/iommu/
 * iommufd.c (fixture iommufd_ioas, variant no_domain unless it says
 * otherwise) name the selftest; IOMMU_TEST_OP_ADD_RESERVED is
 * iopt_reserve_iova() called directly, as the selftest's mock does.
 */
#include "ifd_fixture.h"

static int ioas_setup(void **state)
{
	struct ifd *f;

	ifd_setup(state);
	f = *state;
	f->ioas_id = ioas_alloc(f);
	return 0;
}

static struct io_pagetable *iopt_of(struct ifd *f)
{
	return &ioas_of(f, f->ioas_id)->iopt;
}

#define BASE_IOVA MIB

/* selftest iommufd_ioas.area: whole areas only, no over-map, unmap all */
static void areas_unmap_whole_and_never_overlap(void **state)
{
	struct ifd *f = *state;
	u64 unmapped;

	for (int i = 0; i != 10; i++)
		assert_int_equal(-ENOENT,
				 unmap_raw(f, i * PAGE_SIZE, PAGE_SIZE, NULL));
	for (int i = 0; i != 10; i++)
		assert_int_equal(0, map_fixed(f, BUFFER_VA, PAGE_SIZE,
					      BASE_IOVA + i * PAGE_SIZE));
	for (int i = 0; i != 10; i++)
		assert_int_equal(0, unmap_raw(f, BASE_IOVA + i * PAGE_SIZE,
					      PAGE_SIZE, NULL));
	/* a range cutting an area is refused (iopt_unmap_iova_range()) */
	assert_int_equal(0, map_fixed(f, BUFFER_VA, 2 * PAGE_SIZE,
				      BASE_IOVA + 16 * PAGE_SIZE));
	assert_int_equal(-ENOENT, unmap_raw(f, BASE_IOVA + 16 * PAGE_SIZE,
					    PAGE_SIZE, NULL));
	assert_int_equal(-ENOENT, unmap_raw(f, BASE_IOVA + 17 * PAGE_SIZE,
					    PAGE_SIZE, NULL));
	/* iopt_check_iova(): any overlap is -EEXIST */
	assert_int_equal(-EEXIST, map_fixed(f, BUFFER_VA, 2 * PAGE_SIZE,
					    BASE_IOVA + 16 * PAGE_SIZE));
	assert_int_equal(-EEXIST, map_fixed(f, BUFFER_VA, PAGE_SIZE,
					    BASE_IOVA + 17 * PAGE_SIZE));
	assert_int_equal(-EEXIST, map_fixed(f, BUFFER_VA, 3 * PAGE_SIZE,
					    BASE_IOVA + 15 * PAGE_SIZE));
	/* iommufd_ioas_unmap(): iova 0, length U64_MAX is everything, also
	 * when nothing is left */
	assert_int_equal(0, unmap_raw(f, 0, UINT64_MAX, &unmapped));
	assert_int_equal(2 * PAGE_SIZE, unmapped);
	assert_int_equal(0, unmap_raw(f, 0, UINT64_MAX, &unmapped));
	assert_int_equal(0, unmapped);
}

/* iopt_unmap_iova(): length 0 is -EINVAL (only 0/U64_MAX means "all") */
static void unmap_of_length_zero_is_einval(void **state)
{
	struct ifd *f = *state;

	assert_int_equal(0, map_fixed(f, BUFFER_VA, PAGE_SIZE, BASE_IOVA));
	assert_int_equal(-EINVAL, unmap_raw(f, 0, 0, NULL));
	assert_int_equal(-EOVERFLOW, unmap_raw(f, 1, UINT64_MAX, NULL));
	assert_int_equal(1, iopt_of(f)->areas->len);
}

/* selftest iommufd_ioas.unmap_fully_contained_areas */
static void unmap_takes_every_area_inside_the_range(void **state)
{
	struct ifd *f = *state;
	u64 base = BASE_IOVA + 4 * PAGE_SIZE, unmapped;

	for (int i = 0; i != 4; i++)
		assert_int_equal(0, map_fixed(f, BUFFER_VA, 8 * PAGE_SIZE,
					      base + i * 16 * PAGE_SIZE));
	assert_int_equal(-ENOENT, unmap_raw(f, base - 4 * PAGE_SIZE,
					    8 * PAGE_SIZE, NULL));
	assert_int_equal(-ENOENT,
			 unmap_raw(f, base + 3 * 16 * PAGE_SIZE + 4 * PAGE_SIZE,
				   8 * PAGE_SIZE, NULL));
	assert_int_equal(0, unmap_raw(f, base - 4 * PAGE_SIZE,
				      (3 * 16 + 8 + 4) * PAGE_SIZE, &unmapped));
	assert_int_equal(32 * PAGE_SIZE, unmapped);
}

/* iopt_unmap_iova_range(): areas go in IOVA order; the first one that
 * sticks out stops the walk, and what went before it stays gone */
static void unmap_cutting_a_later_area_leaves_earlier_ones_unmapped(void **s)
{
	struct ifd *f = *s;

	assert_int_equal(0, map_fixed(f, BUFFER_VA, PAGE_SIZE, BASE_IOVA));
	assert_int_equal(0, map_fixed(f, BUFFER_VA, 2 * PAGE_SIZE,
				      BASE_IOVA + PAGE_SIZE));
	assert_int_equal(-ENOENT, unmap_raw(f, BASE_IOVA, 2 * PAGE_SIZE, NULL));
	assert_int_equal(1, iopt_of(f)->areas->len);
	assert_null(iopt_area_find(iopt_of(f), BASE_IOVA));
	assert_non_null(iopt_area_find(iopt_of(f), BASE_IOVA + PAGE_SIZE));
}

/* selftest iommufd_ioas.area_auto_iova: iopt_alloc_iova() keeps the
 * length's alignment, skips reserved ranges, stays in the allowed ones */
static void auto_iova_is_aligned_and_avoids_reserved(void **state)
{
	struct ifd *f = *state;
	struct iommu_iova_range ranges[1];
	struct iommu_ioas_allow_iovas allow = {
		.size = sizeof(allow),
		.ioas_id = f->ioas_id,
		.num_iovas = 1,
		.allowed_iovas = (uintptr_t)ranges,
	};
	u64 iovas[10];

	for (int i = 0; i != 10; i++) {
		u64 length = PAGE_SIZE * (i + 1);

		iovas[i] = map_auto(f, 1ull << 31, length);
		assert_int_equal(0,
				 iovas[i] % (1ull << __builtin_ctzll(length)));
	}
	for (int i = 0; i != 10; i++)
		assert_int_equal(
			0, unmap_raw(f, iovas[i], PAGE_SIZE * (i + 1), NULL));
	assert_int_equal(0, iopt_reserve_iova(iopt_of(f), PAGE_SIZE * 4,
					      PAGE_SIZE * 104 - 1, NULL));
	for (int i = 0; i != 10; i++) {
		u64 length = PAGE_SIZE * (i + 1);

		iovas[i] = map_auto(f, BUFFER_VA, length);
		assert_false(iovas[i] > PAGE_SIZE * 4 &&
			     iovas[i] < PAGE_SIZE * 104);
	}
	for (int i = 0; i != 10; i++)
		assert_int_equal(
			0, unmap_raw(f, iovas[i], PAGE_SIZE * (i + 1), NULL));
	/* iopt_set_allow_iova(): an allowed range meeting a reserved one */
	ranges[0].start = PAGE_SIZE;
	ranges[0].last = PAGE_SIZE * 600;
	assert_int_equal(-EADDRINUSE,
			 ifd_ioctl(f, IOMMU_IOAS_ALLOW_IOVAS, &allow));
	ranges[0].start = PAGE_SIZE * 200;
	ranges[0].last = PAGE_SIZE * 600 - 1;
	assert_int_equal(0, ifd_ioctl(f, IOMMU_IOAS_ALLOW_IOVAS, &allow));
	for (int i = 0; i != 10; i++) {
		u64 length = PAGE_SIZE * (i + 1);

		iovas[i] = map_auto(f, BUFFER_VA, length);
		assert_true(iovas[i] >= ranges[0].start);
		assert_true(iovas[i] + length <= ranges[0].last + 1);
	}
	iopt_remove_reserved_iova(iopt_of(f), NULL);
}

/* iopt_alloc_iova(): the first fit of a 2-page buffer from the lowest
 * allowed IOVA, PAGE_SIZE (never 0), aligned to 8 KiB: 0x2000 */
static void auto_iova_starts_at_the_first_aligned_fit(void **state)
{
	struct ifd *f = *state;

	assert_int_equal(0x2000, map_auto(f, BUFFER_VA, 2 * PAGE_SIZE));
	assert_int_equal(0x1000, map_auto(f, BUFFER_VA, PAGE_SIZE));
	/* a 2 MiB-aligned user VA asks for 2 MiB alignment (THP) */
	assert_int_equal(0x200000, map_auto(f, BUFFER_VA, 4 * MIB));
}

/* selftest iommufd_ioas.reserved_overflow */
static void auto_iova_with_no_room_is_enospc(void **state)
{
	struct ifd *f = *state;
	u64 iova = 0;

	assert_int_equal(0, iopt_reserve_iova(iopt_of(f), 6,
					      6 + 0xffffffffffff8001ull - 1,
					      NULL));
	assert_int_equal(-ENOSPC, ioas_map_raw(f, f->ioas_id, BUFFER_VA, 0x5000,
					       RW, &iova));
	iopt_remove_reserved_iova(iopt_of(f), NULL);
}

/* selftest iommufd_ioas.area_allowed */
static void allowed_and_reserved_ranges_exclude_each_other(void **state)
{
	struct ifd *f = *state;
	struct iommu_iova_range ranges[1] = { { BASE_IOVA,
						BASE_IOVA + PAGE_SIZE * 600 } };
	struct iommu_ioas_allow_iovas allow = {
		.size = sizeof(allow),
		.ioas_id = f->ioas_id,
		.num_iovas = 1,
		.allowed_iovas = (uintptr_t)ranges,
	};
	u64 r = BASE_IOVA + PAGE_SIZE;

	assert_int_equal(0, ifd_ioctl(f, IOMMU_IOAS_ALLOW_IOVAS, &allow));
	assert_int_equal(
		-EADDRINUSE,
		iopt_reserve_iova(iopt_of(f), r, r + PAGE_SIZE - 1, NULL));
	allow.num_iovas = 0;
	assert_int_equal(0, ifd_ioctl(f, IOMMU_IOAS_ALLOW_IOVAS, &allow));
	assert_int_equal(
		0, iopt_reserve_iova(iopt_of(f), r, r + PAGE_SIZE - 1, NULL));
	allow.num_iovas = 1;
	assert_int_equal(-EADDRINUSE,
			 ifd_ioctl(f, IOMMU_IOAS_ALLOW_IOVAS, &allow));
	iopt_remove_reserved_iova(iopt_of(f), NULL);
}

/* iommufd_ioas_load_iovas(): start >= last, or overlapping ranges */
static void allowed_ranges_must_be_proper_and_disjoint(void **state)
{
	struct ifd *f = *state;
	struct iommu_iova_range ranges[2] = { { 0x1000, 0x1000 } };
	struct iommu_ioas_allow_iovas allow = {
		.size = sizeof(allow),
		.ioas_id = f->ioas_id,
		.num_iovas = 1,
		.allowed_iovas = (uintptr_t)ranges,
	};

	assert_int_equal(-EINVAL, ifd_ioctl(f, IOMMU_IOAS_ALLOW_IOVAS, &allow));
	ranges[0].last = 0x2fff;
	ranges[1].start = 0x2000;
	ranges[1].last = 0x4fff;
	allow.num_iovas = 2;
	assert_int_equal(-EINVAL, ifd_ioctl(f, IOMMU_IOAS_ALLOW_IOVAS, &allow));
	allow.allowed_iovas = 0;
	assert_int_equal(-EFAULT, ifd_ioctl(f, IOMMU_IOAS_ALLOW_IOVAS, &allow));
	assert_int_equal(0, iopt_of(f)->allowed->len);
}

/* selftest iommufd_ioas.copy_area */
static void copy_maps_the_same_pages_again(void **state)
{
	struct ifd *f = *state;
	struct iommu_ioas_copy copy = {
		.size = sizeof(copy),
		.flags = IOMMU_IOAS_MAP_FIXED_IOVA | IOMMU_IOAS_MAP_WRITEABLE,
		.dst_ioas_id = f->ioas_id,
		.src_ioas_id = f->ioas_id,
		.length = PAGE_SIZE,
		.src_iova = BASE_IOVA,
		.dst_iova = BASE_IOVA + PAGE_SIZE,
	};
	struct iopt_area *a, *b;

	assert_int_equal(0, map_fixed(f, BUFFER_VA, PAGE_SIZE, BASE_IOVA));
	assert_int_equal(0, ifd_ioctl(f, IOMMU_IOAS_COPY, &copy));
	a = iopt_area_find(iopt_of(f), BASE_IOVA);
	b = iopt_area_find(iopt_of(f), BASE_IOVA + PAGE_SIZE);
	assert_ptr_equal(a->pages, b->pages);
	assert_int_equal(2, a->pages->refs);
	copy.dst_ioas_id = ioas_alloc(f);
	copy.dst_iova = 0;
	assert_int_equal(0, ifd_ioctl(f, IOMMU_IOAS_COPY, &copy));
	/* not fully mapped source: iopt_get_pages() -ENOENT */
	copy.length = 3 * PAGE_SIZE;
	assert_int_equal(-ENOENT, ifd_ioctl(f, IOMMU_IOAS_COPY, &copy));
	/* iopt_insert_area(): WRITEABLE over pages mapped read-only */
	assert_int_equal(0, ioas_map_raw(f, f->ioas_id, BUFFER_VA, PAGE_SIZE,
					 IOMMU_IOAS_MAP_READABLE |
						 IOMMU_IOAS_MAP_FIXED_IOVA,
					 &(u64){ BASE_IOVA + 8 * PAGE_SIZE }));
	copy.src_iova = BASE_IOVA + 8 * PAGE_SIZE;
	copy.length = PAGE_SIZE;
	copy.dst_iova = 0x100000;
	assert_int_equal(-EPERM, ifd_ioctl(f, IOMMU_IOAS_COPY, &copy));
}

/* IOMMU_IOAS_COPY from the fixture's IOAS to a second one, src_iova in
 * syzkaller's form { u32 nth_area; u32 offset; }; the command as written
 * back in *copy */
static int copy_syz(struct ifd *f, struct iommu_ioas_copy *copy, u32 src_id,
		    u32 nth, u32 offset)
{
	*copy = (struct iommu_ioas_copy){
		.size = sizeof(*copy),
		.flags = FIXED | MOCK_FLAGS_ACCESS_SYZ,
		.dst_ioas_id = ioas_alloc(f),
		.src_ioas_id = src_id,
		.length = PAGE_SIZE,
		.src_iova = (u64)offset << 32 | nth,
		.dst_iova = 0x100000,
	};
	return ifd_ioctl(f, IOMMU_IOAS_COPY, copy);
}

/* selftest.c iommufd_test_syz_conv_iova_id(), ioas.c iommufd_ioas_copy():
 * area 1 by IOVA (not by map order) plus the offset, written back with
 * the flag gone */
static void copy_with_syz_flag_takes_the_nth_area_plus_offset(void **state)
{
	struct ifd *f = *state;
	struct iommu_ioas_copy copy;

	assert_int_equal(
		0, map_fixed(f, BUFFER_VA, 2 * PAGE_SIZE, BASE_IOVA + MIB));
	assert_int_equal(0, map_fixed(f, BUFFER_VA, 2 * PAGE_SIZE, BASE_IOVA));
	assert_int_equal(0, copy_syz(f, &copy, f->ioas_id, 1, PAGE_SIZE));
	assert_int_equal(BASE_IOVA + MIB + PAGE_SIZE, copy.src_iova);
	assert_int_equal(FIXED, copy.flags);
}

/* __iommufd_test_syz_conv_iova(): no such area is IOVA 0, whatever the
 * offset, so a number past ULONG_MAX passes the -EOVERFLOW check */
static void copy_with_syz_flag_and_no_such_area_copies_from_iova_0(void **state)
{
	struct ifd *f = *state;
	struct iommu_ioas_copy copy;

	assert_int_equal(0, map_fixed(f, BUFFER_VA, PAGE_SIZE, BASE_IOVA));
	assert_int_equal(-ENOENT, copy_syz(f, &copy, f->ioas_id, 1, 0));
	assert_int_equal(0, map_fixed(f, BUFFER_VA, PAGE_SIZE, 0));
	assert_int_equal(0, copy_syz(f, &copy, f->ioas_id, ~0u, ~0u));
	assert_int_equal(0, copy.src_iova);
}

/* An id that is no IOAS: the flag goes, the IOVA stays, and the
 * handler's checks and lookup refuse it as they would */
static void copy_with_syz_flag_on_no_ioas_keeps_the_iova(void **state)
{
	struct ifd *f = *state;
	struct iommu_ioas_copy copy;

	assert_int_equal(0, map_fixed(f, BUFFER_VA, PAGE_SIZE, 0));
	assert_int_equal(-EOVERFLOW, copy_syz(f, &copy, 9999, ~0u, ~0u));
	assert_int_equal(-ENOENT, copy_syz(f, &copy, 9999, 0, 0));
}

/* The flag is taken out before the flags are checked: with it alone the
 * copy lacks READABLE/WRITEABLE; MAP has no such step */
static void copy_clears_the_syz_flag_before_checking_flags(void **state)
{
	struct ifd *f = *state;
	struct iommu_ioas_copy copy;
	u64 iova = BASE_IOVA;

	assert_int_equal(0, map_fixed(f, BUFFER_VA, PAGE_SIZE, BASE_IOVA));
	copy_syz(f, &copy, f->ioas_id, 0, 0);
	copy.flags = MOCK_FLAGS_ACCESS_SYZ;
	assert_int_equal(-EINVAL, ifd_ioctl(f, IOMMU_IOAS_COPY, &copy));
	copy.flags = MOCK_FLAGS_ACCESS_SYZ | FIXED | (1u << 3);
	assert_int_equal(-EOPNOTSUPP, ifd_ioctl(f, IOMMU_IOAS_COPY, &copy));
	assert_int_equal(-EOPNOTSUPP,
			 ioas_map_raw(f, f->ioas_id, BUFFER_VA, PAGE_SIZE,
				      FIXED | MOCK_FLAGS_ACCESS_SYZ, &iova));
}

static int iova_ranges(struct ifd *f, struct iommu_iova_range *r, u32 *num,
		       u64 *align)
{
	struct iommu_ioas_iova_ranges cmd = {
		.size = sizeof(cmd),
		.ioas_id = f->ioas_id,
		.num_iovas = *num,
		.allowed_iovas = (uintptr_t)r,
	};
	int rc = ifd_ioctl(f, IOMMU_IOAS_IOVA_RANGES, &cmd);

	*num = cmd.num_iovas;
	if (align)
		*align = cmd.out_iova_alignment;
	return rc;
}

/* selftest iommufd_ioas.iova_ranges (no_domain variant) */
static void iova_ranges_are_the_holes_between_reserved(void **state)
{
	struct ifd *f = *state;
	struct iommu_iova_range r[4] = { 0 };
	u32 num = 4;
	u64 align;

	assert_int_equal(0, iova_ranges(f, r, &num, &align));
	assert_int_equal(1, num);
	assert_int_equal(0, r[0].start);
	assert_true(r[0].last == UINT64_MAX);
	assert_int_equal(1, align);
	memset(r, 0, sizeof(r));
	num = 0;
	assert_int_equal(-EMSGSIZE, iova_ranges(f, r, &num, NULL));
	assert_int_equal(1, num);
	assert_int_equal(0, r[0].last);
	assert_int_equal(0, iopt_reserve_iova(iopt_of(f), PAGE_SIZE,
					      2 * PAGE_SIZE - 1, NULL));
	num = 4;
	assert_int_equal(0, iova_ranges(f, r, &num, NULL));
	assert_int_equal(2, num);
	assert_int_equal(PAGE_SIZE - 1, r[0].last);
	assert_int_equal(2 * PAGE_SIZE, r[1].start);
	assert_true(r[1].last == UINT64_MAX);
	memset(r, 0, sizeof(r));
	num = 1;
	assert_int_equal(-EMSGSIZE, iova_ranges(f, r, &num, NULL));
	assert_int_equal(2, num);
	assert_int_equal(PAGE_SIZE - 1, r[0].last);
	assert_int_equal(0, r[1].last);
	iopt_remove_reserved_iova(iopt_of(f), NULL);
}

/* iopt_table_add_domain() reserves what lies outside the aperture and
 * the device's regions (amd_iommu_get_resv_regions(): the MSI window and
 * the HyperTransport range): IOVA_RANGES shows the holes left */
static void iova_ranges_follow_the_aperture_and_msi_window(void **state)
{
	struct ifd *f = *state;
	struct iommu_domain *d = paging_domain(f);
	struct iommu_iova_range r[4] = { 0 };
	u32 num = 4;
	u64 align;

	assert_int_equal(0, iopt_table_add_domain(iopt_of(f), d));
	assert_int_equal(0, iopt_table_enforce_dev_resv_regions(
				    iopt_of(f), f->m, f->dev, NULL));
	assert_int_equal(0, iova_ranges(f, r, &num, &align));
	assert_int_equal(3, num);
	assert_int_equal(PAGE_SIZE, align);
	assert_int_equal(0, r[0].start);
	assert_int_equal(0xfedfffff, r[0].last);
	assert_int_equal(0xfef00000, r[1].start);
	assert_int_equal(0xfcffffffffull, r[1].last);
	assert_int_equal(0x10000000000ull, r[2].start);
	assert_int_equal(d->pt->aperture_end, r[2].last);
	/* a fixed map into the MSI window: iopt_check_iova() -EINVAL */
	assert_int_equal(-EINVAL,
			 map_fixed(f, BUFFER_VA, PAGE_SIZE, 0xfee00000));
	iopt_remove_reserved_iova(iopt_of(f), f->dev);
	iopt_table_remove_domain(iopt_of(f), d);
	assert_int_equal(0, iopt_of(f)->reserved->len);
	assert_int_equal(1, iopt_of(f)->iova_alignment);
	domain_free(f, d);
}

/* selftest iommufd_ioas.ioas_option_huge_pages */
static void huge_pages_option_is_get_and_set(void **state)
{
	struct ifd *f = *state;
	u32 id = f->ioas_id;
	u64 v = 3;

	assert_int_equal(0, option(f, HUGE, GET, id, &v));
	assert_int_equal(1, v);
	v = 0;
	assert_int_equal(0, option(f, HUGE, SET, id, &v));
	v = 3;
	assert_int_equal(0, option(f, HUGE, GET, id, &v));
	assert_int_equal(0, v);
	v = 2;
	assert_int_equal(-EINVAL, option(f, HUGE, SET, id, &v));
	v = 1;
	assert_int_equal(0, option(f, HUGE, SET, id, &v));
	assert_int_equal(-EOPNOTSUPP, option(f, HUGE, 2, id, &v));
}

/* selftest iommufd_ioas.ioas_iova_alloc (no_domain): any length maps */
static void any_length_maps_without_a_domain(void **state)
{
	struct ifd *f = *state;

	for (u64 length = 1; length < PAGE_SIZE * 2; length += 7) {
		u64 iova = map_auto(f, BUFFER_VA, length);

		assert_int_equal(0, unmap_raw(f, iova, length, NULL));
	}
}

/* selftest iommufd_ioas.ioas_align_change (no_domain) */
static void alignment_upgrade_refuses_misaligned_areas(void **state)
{
	struct ifd *f = *state;
	u64 v = 0; /* 0: everything must be PAGE_SIZE aligned */

	assert_int_equal(0, map_fixed(f, BUFFER_VA, PAGE_SIZE, BASE_IOVA));
	assert_int_equal(0, option(f, HUGE, SET, f->ioas_id, &v));
	assert_int_equal(-EINVAL, map_fixed(f, BUFFER_VA + 2048, PAGE_SIZE,
					    BASE_IOVA + PAGE_SIZE));
	v = 1;
	assert_int_equal(0, option(f, HUGE, SET, f->ioas_id, &v));
	assert_int_equal(0, map_fixed(f, BUFFER_VA + 2048, PAGE_SIZE,
				      BASE_IOVA + PAGE_SIZE));
	v = 0;
	assert_int_equal(-EADDRINUSE, option(f, HUGE, SET, f->ioas_id, &v));
}

/* iommufd_ioas_map(): -EOVERFLOW for ULONG_MAX, -EINVAL without
 * READABLE or WRITEABLE, -ENOENT for a missing IOAS, in that order */
static void map_checks_come_in_the_kernels_order(void **state)
{
	struct ifd *f = *state;
	u64 iova = UINT64_MAX;

	assert_int_equal(-EOVERFLOW,
			 ioas_map_raw(f, 99, BUFFER_VA, PAGE_SIZE, 0, &iova));
	iova = 0;
	assert_int_equal(-EINVAL,
			 ioas_map_raw(f, 99, BUFFER_VA, PAGE_SIZE,
				      IOMMU_IOAS_MAP_FIXED_IOVA, &iova));
	assert_int_equal(-ENOENT,
			 ioas_map_raw(f, 99, BUFFER_VA, PAGE_SIZE, RW, &iova));
	/* iopt_alloc_pages(): length 0 */
	assert_int_equal(-EINVAL,
			 ioas_map_raw(f, f->ioas_id, BUFFER_VA, 0, RW, &iova));
}

/* IOMMU_IOAS_MAP_FILE of a memfd; a closed fd is -EBADF */
static void map_file_maps_a_memfd(void **state)
{
	struct ifd *f = *state;
	u64 pas[4] = { 0x10000000, 0x10001000, 0x20000000, 0x20001000 };
	int fd = process_memfd_create(f->task, 4 * PAGE_SIZE, pas);
	struct iommu_ioas_map_file cmd = {
		.size = sizeof(cmd),
		.flags = RW,
		.ioas_id = f->ioas_id,
		.fd = fd,
		.start = PAGE_SIZE,
		.length = 2 * PAGE_SIZE,
	};
	struct iommu_domain *d = paging_domain(f);

	assert_int_equal(0, iopt_table_add_domain(iopt_of(f), d));
	assert_int_equal(0, ifd_ioctl(f, IOMMU_IOAS_MAP_FILE, &cmd));
	assert_int_equal(0x10001000, iommu_iova_to_phys(f->m, d, cmd.iova));
	assert_int_equal(0x20000000,
			 iommu_iova_to_phys(f->m, d, cmd.iova + PAGE_SIZE));
	assert_int_equal(0, process_close_fd(f->task, fd));
	cmd.iova = 0;
	assert_int_equal(-EBADF, ifd_ioctl(f, IOMMU_IOAS_MAP_FILE, &cmd));
	assert_int_equal(0, unmap_raw(f, 0, UINT64_MAX, NULL));
	iopt_table_remove_domain(iopt_of(f), d);
	domain_free(f, d);
}

/* selftest iommufd.vfio_ioas; vfio_compat.c iommufd_vfio_ioas(): GET
 * without one -ENODEV, SET of a missing id -ENOENT, SET, GET, CLEAR;
 * destroying the IOAS forgets it (iommufd_object_remove()) */
static void vfio_ioas_is_set_got_and_cleared(void **state)
{
	struct ifd *f = *state;
	struct iommu_vfio_ioas cmd = { .size = sizeof(cmd),
				       .op = IOMMU_VFIO_IOAS_GET };
	struct iommu_destroy d = { .size = sizeof(d), .id = f->ioas_id };

	assert_int_equal(-ENODEV, ifd_ioctl(f, IOMMU_VFIO_IOAS, &cmd));
	cmd.op = IOMMU_VFIO_IOAS_SET;
	assert_int_equal(-ENOENT, ifd_ioctl(f, IOMMU_VFIO_IOAS, &cmd));
	cmd.ioas_id = f->ioas_id;
	assert_int_equal(0, ifd_ioctl(f, IOMMU_VFIO_IOAS, &cmd));
	cmd.op = IOMMU_VFIO_IOAS_GET;
	cmd.ioas_id = 0;
	assert_int_equal(0, ifd_ioctl(f, IOMMU_VFIO_IOAS, &cmd));
	assert_int_equal(f->ioas_id, cmd.ioas_id);
	assert_int_equal(0, ifd_ioctl(f, IOMMU_DESTROY, &d));
	assert_int_equal(-ENODEV, ifd_ioctl(f, IOMMU_VFIO_IOAS, &cmd));
	cmd.op = IOMMU_VFIO_IOAS_CLEAR;
	assert_int_equal(0, ifd_ioctl(f, IOMMU_VFIO_IOAS, &cmd));
	cmd.op = 3;
	assert_int_equal(-EOPNOTSUPP, ifd_ioctl(f, IOMMU_VFIO_IOAS, &cmd));
}

/* iommufd_state_snapshot(): objects, areas and shared pages as text,
 * the same for equal states (root maps with CAP_IPC_LOCK: pages.c
 * iopt_alloc_pages() gives IOPT_PAGES_ACCOUNT_NONE, mode 0) */
static void snapshot_names_objects_areas_and_shared_pages(void **state)
{
	struct ifd *f = *state;
	char *snap, *again;

	assert_int_equal(0, map_fixed(f, BUFFER_VA, PAGE_SIZE, BASE_IOVA));
	assert_int_equal(0,
			 copy_fixed(f, BASE_IOVA, BASE_IOVA + MIB, PAGE_SIZE));
	/* both areas lead to the same page of the buffer */
	assert_int_equal(BUFFER_PA + 0x10,
			 iopt_iova_to_phys(iopt_of(f), BASE_IOVA + MIB + 0x10));
	assert_int_equal(0,
			 iopt_iova_to_phys(iopt_of(f), BASE_IOVA + PAGE_SIZE));
	snap = iommufd_state_snapshot(f->ictx);
	assert_non_null(strstr(snap, "ctx ids_taken 1 file_refs 1 "
				     "account_mode 1 vfio_ioas 0\n"
				     "obj 1 ioas users 1\n"));
	assert_non_null(strstr(snap, "ioas 1 area 0x100000-0x100fff prot 0x7 "
				     "storage domain#0 pages#1 byte 0x0 "
				     "(user, 1 pages, 0 pinned, 0 charged, "
				     "mode 0, refs 2)\n"));
	assert_non_null(strstr(snap, "ioas 1 area 0x200000-0x200fff prot 0x7 "
				     "storage domain#0 pages#1"));
	again = iommufd_state_snapshot(f->ictx);
	assert_string_equal(snap, again);
	g_free(snap);
	g_free(again);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, ioas_setup, ifd_teardown)
		T(areas_unmap_whole_and_never_overlap),
		T(unmap_of_length_zero_is_einval),
		T(unmap_takes_every_area_inside_the_range),
		T(unmap_cutting_a_later_area_leaves_earlier_ones_unmapped),
		T(auto_iova_is_aligned_and_avoids_reserved),
		T(auto_iova_starts_at_the_first_aligned_fit),
		T(auto_iova_with_no_room_is_enospc),
		T(allowed_and_reserved_ranges_exclude_each_other),
		T(allowed_ranges_must_be_proper_and_disjoint),
		T(copy_maps_the_same_pages_again),
		T(copy_with_syz_flag_takes_the_nth_area_plus_offset),
		T(copy_with_syz_flag_and_no_such_area_copies_from_iova_0),
		T(copy_with_syz_flag_on_no_ioas_keeps_the_iova),
		T(copy_clears_the_syz_flag_before_checking_flags),
		T(iova_ranges_are_the_holes_between_reserved),
		T(iova_ranges_follow_the_aperture_and_msi_window),
		T(huge_pages_option_is_get_and_set),
		T(any_length_maps_without_a_domain),
		T(alignment_upgrade_refuses_misaligned_areas),
		T(map_checks_come_in_the_kernels_order),
		T(map_file_maps_a_memfd),
		T(vfio_ioas_is_set_got_and_cleared),
		T(snapshot_names_objects_areas_and_shared_pages),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
