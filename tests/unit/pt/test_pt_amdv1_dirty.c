// SPDX-License-Identifier: MIT
/*
 * The write-dirty bit as Linux 7.3's generic_pt reads and sets it
 * (iommu_pt.h read_and_clear_dirty(), set_dirty(); fmt/amdv1.h
 * amdv1pt_entry_is_write_dirty(), _make_write_clean(), _make_write_dirty()).
 */
#include "pt_test.h"

struct rec {
	unsigned int n;
	u64 iova[8], len[8];
};

static void record(void *priv, u64 iova, u64 len)
{
	struct rec *r = priv;

	assert_true(r->n < 8);
	r->iova[r->n] = iova;
	r->len[r->n++] = len;
}

static struct rec read_dirty(struct fixture *f, u64 iova, u64 len,
			     bool no_clear)
{
	struct rec r = { 0 };

	pt_amdv1_read_and_clear_dirty(&f->pt, iova, len, no_clear, record, &r);
	return r;
}

/* set_dirty() on an unmapped IOVA: __set_dirty()'s PT_ENTRY_EMPTY */
static void set_dirty_unmapped_is_enoent(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(-ENOENT, pt_amdv1_set_dirty(&f->pt, 0x5000));
	assert_int_equal(0, read_dirty(f, 0, SZ_2M, false).n);
}

/* A dirty 4K leaf is recorded once, then cleared (not with NO_CLEAR) */
static void dirty_leaf_recorded_then_cleared(void **state)
{
	struct fixture *f = *state;
	struct rec r;

	/* PA 4K off the VA's alignment: four 4K leaves */
	assert_int_equal(0, map(f, 0x10000, 0x801000, 4 * SZ_4K, RW));
	assert_int_equal(0, pt_amdv1_set_dirty(&f->pt, 0x12800));
	assert_true(item(f, TBL(2), 0x12) & AMDV1PT_D);
	r = read_dirty(f, 0x10000, 4 * SZ_4K, true);
	assert_int_equal(1, r.n);
	assert_int_equal(0x12000, r.iova[0]);
	assert_int_equal(SZ_4K, r.len[0]);
	r = read_dirty(f, 0x10000, 4 * SZ_4K, false);
	assert_int_equal(1, r.n);
	assert_false(item(f, TBL(2), 0x12) & AMDV1PT_D);
	assert_int_equal(0, read_dirty(f, 0x10000, 4 * SZ_4K, false).n);
}

/* One dirty item of a contiguous entry makes the whole entry dirty, and
 * clearing cleans every item (amdv1pt_entry_is_write_dirty()) */
static void contiguous_entry_dirty_as_a_whole(void **state)
{
	struct fixture *f = *state;
	struct rec r;

	/* 64K aligned VA and PA: one 64K entry of 16 items */
	assert_int_equal(0, map(f, 0x40000, 0x840000, 0x10000, RW));
	assert_int_equal(0, pt_amdv1_set_dirty(&f->pt, 0x4b000));
	r = read_dirty(f, 0x40000, 0x10000, false);
	assert_int_equal(1, r.n);
	assert_int_equal(0x40000, r.iova[0]);
	assert_int_equal(0x10000, r.len[0]);
	for (unsigned int i = 0x40; i < 0x50; i++)
		assert_false(item(f, TBL(2), i) & AMDV1PT_D);
}

/* Only leaves inside the range are read: a dirty leaf outside stays */
static void range_outside_leaves_untouched(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(0, map(f, 0, 0x801000, 2 * SZ_4K, RW)); /* 2 leaves */
	assert_int_equal(0, pt_amdv1_set_dirty(&f->pt, 0));
	assert_int_equal(0, pt_amdv1_set_dirty(&f->pt, SZ_4K));
	assert_int_equal(1, read_dirty(f, SZ_4K, SZ_4K, false).n);
	assert_true(item(f, TBL(2), 0) & AMDV1PT_D);
	assert_false(item(f, TBL(2), 1) & AMDV1PT_D);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		PT_TEST(set_dirty_unmapped_is_enoent, setup_noiommu),
		PT_TEST(dirty_leaf_recorded_then_cleared, setup_noiommu),
		PT_TEST(contiguous_entry_dirty_as_a_whole, setup_noiommu),
		PT_TEST(range_outside_leaves_untouched, setup_noiommu),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
