// SPDX-License-Identifier: MIT
/*
 * What a table costs in modelled memory: freed table pages go back and
 * their PAs are reused, the budget makes a map fail with -ENOMEM that
 * iommu_map's unwind turns into no change, and a dump stays bounded
 * whatever the table's size.
 */
#include <inttypes.h>
#include <stdio.h>
#include <time.h>

#include "pt_test.h"

static struct physmem_stats stats(struct fixture *f)
{
	struct physmem_stats st;

	physmem_get_stats(f->mem, &st);
	return st;
}

static bool count_leaf(void *priv, const struct pt_amdv1_leaf *leaf)
{
	(*(u64 *)priv)++;
	return true;
}

static u64 leaves(struct fixture *f)
{
	u64 n = 0;

	pt_amdv1_for_each_leaf(&f->pt, count_leaf, &n);
	return n;
}

/* iommu_map_nosync(): map, and on failure unmap what was mapped */
static int iommu_map_like(struct fixture *f, u64 iova, u64 pa, u64 len)
{
	u64 mapped = 0;
	int ret = pt_amdv1_map(&f->pt, iova, pa, len, RW, &mapped);

	if (ret && mapped)
		assert_int_equal(mapped, pt_amdv1_unmap(&f->pt, iova, mapped));
	return ret;
}

static void table_memory_returns_to_baseline_after_unmap(void **state)
{
	struct fixture *f = *state;
	struct physmem_stats before = stats(f);

	/* pa 4 KiB off modulo 8 KiB: 512 level-0 tables and a level-1 one */
	assert_int_equal(0, map(f, 0, 0x40001000, SZ_1G, RW));
	assert_int_equal(before.used_bytes + 513 * SZ_4K, stats(f).used_bytes);
	assert_int_equal(SZ_1G, pt_amdv1_unmap(&f->pt, 0, SZ_1G));
	assert_int_equal(before.used_bytes, stats(f).used_bytes);
	assert_int_equal(before.table_pages, stats(f).table_pages);
}

static void map_after_unmap_reuses_the_freed_table_pas(void **state)
{
	struct fixture *f = *state;
	u64 pas;

	assert_int_equal(0, map(f, 0, 0x40001000, SZ_1G, RW));
	pas = stats(f).table_pas;
	assert_int_equal(SZ_1G, pt_amdv1_unmap(&f->pt, 0, SZ_1G));
	assert_int_equal(0, map(f, 0, 0x40001000, SZ_1G, RW));
	assert_int_equal(pas, stats(f).table_pas);
	/*
	 * Unmap freed the level-0 tables TBL(2)..TBL(513) in VA order, then
	 * the level-1 table TBL(1): the remap takes them back last freed first
	 */
	assert_int_equal(TBL(1), item(f, TBL(0), 0) & AMDV1PT_OA_MASK);
	assert_int_equal(TBL(513), item(f, TBL(1), 0) & AMDV1PT_OA_MASK);
	assert_int_equal(TBL(2), item(f, TBL(1), 511) & AMDV1PT_OA_MASK);
}

static void map_past_the_budget_is_enomem_and_unwinds_to_no_change(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(0, map(f, SZ_2M, 0x80000000, SZ_2M, RW));
	physmem_set_limit(f->mem, stats(f).used_bytes + 3 * SZ_4K);
	assert_int_equal(-ENOMEM,
			 iommu_map_like(f, SZ_1G, 0x40001000, 64 * SZ_2M));
	assert_int_equal(1, leaves(f));
	assert_int_equal(0x80000000, phys(f, SZ_2M));
	assert_int_equal(0, phys(f, SZ_1G));
	assert_true(stats(f).limit_refusals > 0);
}

/*
 * 16 TiB at a 4 KiB-aligned address (pa 4 KiB off modulo 8 KiB: 4 KiB
 * leaves only) would need 32 GiB of tables: the default budget stops it
 * at 1 GiB, and the unwind leaves no leaf and only the empty tables on
 * the failing path, as the kernel's map_range() leaves them.
 */
static void map_of_16_tib_is_enomem_at_the_default_budget(void **state)
{
	struct fixture *f = *state;
	struct physmem_stats before = stats(f);
	struct timespec t0, t1;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_int_equal(-ENOMEM,
			 iommu_map_like(f, SZ_4K, 2 * SZ_4K, 16ULL << 40));
	clock_gettime(CLOCK_MONOTONIC, &t1);
	print_message("16 TiB map refused and unwound in %.2f s\n",
		      (double)(t1.tv_sec - t0.tv_sec) +
			      (t1.tv_nsec - t0.tv_nsec) / 1e9);
	assert_int_equal(PHYSMEM_DEFAULT_LIMIT, stats(f).peak_bytes);
	assert_int_equal(0, leaves(f));
	assert_true(stats(f).used_bytes <= before.used_bytes + 4 * SZ_4K);
	/* the budget is there again */
	assert_int_equal(0, map(f, SZ_4K, 2 * SZ_4K, SZ_4K, RW));
}

static void dump_prints_long_runs_as_first_summary_last(void **state)
{
	struct fixture *f = *state;
	GString *out = g_string_new(NULL);

	/* 8 leaves print whole, 9 as a run */
	assert_int_equal(0, map(f, 0, 0x40001000, 8 * SZ_4K, RW));
	assert_int_equal(0, map(f, SZ_2M, 0x40001000, 9 * SZ_4K, RW));
	pt_amdv1_dump(&f->pt, out);
	assert_non_null(strstr(out->str, "[007] 0x7000000040008001 va 0x7000"));
	assert_non_null(strstr(out->str, "[001..007] 7 more like [000], va "
					 "and pa each 4K on\n"));
	assert_non_null(
		strstr(out->str, "[008] 0x7000000040009001 va 0x208000"));
	assert_null(strstr(out->str, "[001] 0x7000000040002001 va 0x201000"));
	g_string_free(out, TRUE);
}

static void dump_of_4_gib_of_4k_pages_stops_at_4096_lines(void **state)
{
	struct fixture *f = *state;
	GString *out = g_string_new(NULL);

	assert_int_equal(0, map(f, 0, 0x40001000, 4 * SZ_1G, RW));
	pt_amdv1_dump(&f->pt, out);
	/* 1 + 4 x (PDE + L1 header + 512 x (PDE + header + 3 run lines)) */
	assert_non_null(strstr(out->str, "\n... 6153 more lines not shown (the "
					 "dump stops at 4096)\n"));
	assert_true(out->len < 512 * 1024);
	g_string_free(out, TRUE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		PT_TEST(table_memory_returns_to_baseline_after_unmap,
			setup_noiommu),
		PT_TEST(map_after_unmap_reuses_the_freed_table_pas,
			setup_noiommu),
		PT_TEST(map_past_the_budget_is_enomem_and_unwinds_to_no_change,
			setup_noiommu),
		PT_TEST(map_of_16_tib_is_enomem_at_the_default_budget,
			setup_noiommu),
		PT_TEST(dump_prints_long_runs_as_first_summary_last,
			setup_noiommu),
		PT_TEST(dump_of_4_gib_of_4k_pages_stops_at_4096_lines,
			setup_noiommu),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
