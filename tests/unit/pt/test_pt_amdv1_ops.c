// SPDX-License-Identifier: MIT
/*
 * Behaviour of map, unmap, iova_to_phys and top growth as Linux 7.3's
 * generic_pt/iommu_pt.h has it: errnos, what a failure leaves behind, whole
 * entries on unmap, which tables are freed.
 */
#include "pt_test.h"

/* ---- map ---- */

/* iommu_pt.h __map_range_leaf -> clear_contig: a present leaf */
static void map_over_present_leaf_is_eaddrinuse(void **state)
{
	struct fixture *f = *state;
	u64 mapped = 0;

	assert_int_equal(0, map(f, 0, 0x100000, SZ_4K, RW));
	assert_int_equal(-EADDRINUSE,
			 pt_amdv1_map(&f->pt, 0, 0x200000, SZ_4K, RW, &mapped));
	assert_int_equal(0, mapped);
	assert_int_equal(0x100000, phys(f, 0));
}

/* A 2M leaf over a table holding a 4K leaf: clear_contig finds the leaf */
static void map_large_over_table_with_leaf_is_eaddrinuse(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(0, map(f, SZ_2M + SZ_4K, 0x100000, SZ_4K, RW));
	assert_int_equal(-EADDRINUSE, map(f, SZ_2M, 4 * SZ_2M, SZ_2M, RW));
	assert_int_equal(0x100000, phys(f, SZ_2M + SZ_4K));
}

/* __map_range: a leaf on the path down is -EADDRINUSE */
static void map_small_inside_large_leaf_is_eaddrinuse(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(0, map(f, SZ_2M, SZ_2M, SZ_2M, RW));
	assert_int_equal(-EADDRINUSE, map(f, SZ_2M + SZ_4K, 0, SZ_4K, RW));
}

/* A failed map keeps the leaves it installed and reports them in *mapped */
static void map_failure_keeps_leaves_before_the_collision(void **state)
{
	struct fixture *f = *state;
	u64 mapped = 0;

	assert_int_equal(0, map(f, 0x2000, 0x900000, SZ_4K, RW));
	/* pa 4K-offset from va: 4K pages only */
	assert_int_equal(-EADDRINUSE, pt_amdv1_map(&f->pt, 0, 0x501000, 0x4000,
						   RW, &mapped));
	assert_int_equal(0x2000, mapped);
	assert_int_equal(0x501000, phys(f, 0));
	assert_int_equal(0x502000, phys(f, 0x1000));
	assert_int_equal(0x900000, phys(f, 0x2000));
	assert_int_equal(0, phys(f, 0x3000));
}

/* clear_contig frees a table with no leaf to make room for a large leaf */
static void map_large_over_empty_table_frees_it(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(0, map(f, SZ_2M, 0x100000, SZ_4K, RW));
	assert_int_equal(SZ_4K, pt_amdv1_unmap(&f->pt, SZ_2M, SZ_4K));
	assert_int_equal(3, f->pt.nr_tables);
	assert_int_equal(0, map(f, SZ_2M, 4 * SZ_2M, SZ_2M, RW));
	assert_int_equal(2, f->pt.nr_tables);
	assert_int_equal(4 * SZ_2M + 5, phys(f, SZ_2M + 5));
}

/* ... and a whole empty subtree (level 1 and level 0) for a 1G leaf */
static void map_huge_over_empty_subtree_frees_all_of_it(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(0, map(f, SZ_1G + SZ_2M, 0x100000, SZ_4K, RW));
	assert_int_equal(SZ_4K, pt_amdv1_unmap(&f->pt, SZ_1G + SZ_2M, SZ_4K));
	assert_int_equal(3, f->pt.nr_tables);
	assert_int_equal(0, map(f, SZ_1G, 0, SZ_1G, RW));
	assert_int_equal(1, f->pt.nr_tables);
	assert_int_equal(0x7000000000000001ULL, item(f, TBL(0), 1));
}

/* pt_compute_best_pgsize() == 0: -ENXIO, nothing mapped */
static void map_unaligned_is_enxio(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(-ENXIO, map(f, 0x800, 0x1000, SZ_4K, RW));
	assert_int_equal(-ENXIO, map(f, 0x1000, 0x1800, SZ_4K, RW));
	assert_int_equal(-ENXIO, map(f, 0x1000, 0x1000, 0x800, RW));
	assert_int_equal(-ENXIO, map(f, 0x1000, 0x1800, 0x2000, RW));
	assert_int_equal(1, f->pt.nr_tables);
}

/* A sub-page tail: the aligned part is mapped, then -ENXIO */
static void map_ragged_tail_maps_the_pages_then_enxio(void **state)
{
	struct fixture *f = *state;
	u64 mapped = 0;

	assert_int_equal(
		-ENXIO, pt_amdv1_map(&f->pt, 0, 0x100000, 0x1800, RW, &mapped));
	assert_int_equal(SZ_4K, mapped);
	assert_int_equal(0x100000, phys(f, 0));
	assert_int_equal(SZ_4K, pt_amdv1_unmap(&f->pt, 0, mapped));
	/* without CONFIG_DEBUG_GENERIC_PT: no WARN, the walk would go on */
	assert_int_equal(0, f->pt.report.nr_warn);
	assert_non_null(f->pt.report.ub);
}

/* CONFIG_DEBUG_GENERIC_PT: __map_range()'s and pt_iommu_new_table()'s
 * PT_WARN_ON at level 0; a leaf at the tail stops after the first */
static void map_ragged_tail_debug_warns_twice(void **state)
{
	struct fixture *f = *state;
	u64 mapped = 0;

	f->pt.cfg.debug = true;
	assert_int_equal(
		-ENXIO, pt_amdv1_map(&f->pt, 0, 0x100000, 0x1800, RW, &mapped));
	assert_null(f->pt.report.ub);
	assert_int_equal(2, f->pt.report.nr_warn);
	assert_string_equal("__map_range", f->pt.report.warn[0].func);
	assert_string_equal("pt_iommu_new_table", f->pt.report.warn[1].func);
	assert_int_equal(0, map(f, 0x11000, 0, SZ_4K, RW));
	assert_int_equal(0, f->pt.report.nr_warn);
	assert_int_equal(-EADDRINUSE, map(f, 0x10000, 0, 0x1800, RW));
	assert_int_equal(1, f->pt.report.nr_warn);
	assert_null(f->pt.report.ub);
	/* prot without R/W is a plain WARN_ON, debug or not */
	f->pt.cfg.debug = false;
	assert_int_equal(-EINVAL, map(f, 0x40000, 0, SZ_4K, 0));
	assert_int_equal(1, f->pt.report.nr_warn);
	assert_string_equal("map_range", f->pt.report.warn[0].func);
}

/* CONFIG_DEBUG_GENERIC_PT: a run of one byte (len 1, or a 1-byte tail)
 * first trips pt_compute_best_pgsize()'s PT_WARN_ON(va >= last_va); the
 * tail then WARNs twice more at level 0 (seed 11 of the kernel oracle) */
static void map_one_byte_run_debug_warns_in_compute_best_pgsize(void **state)
{
	struct fixture *f = *state;
	u64 mapped = 0;

	f->pt.cfg.debug = true;
	assert_int_equal(-ENXIO, map(f, 0, 0x100000, 1, RW));
	assert_int_equal(1, f->pt.report.nr_warn);
	assert_string_equal("pt_compute_best_pgsize",
			    f->pt.report.warn[0].func);
	assert_int_equal(
		-ENXIO, pt_amdv1_map(&f->pt, 0, 0x100000, 0x1001, RW, &mapped));
	assert_int_equal(SZ_4K, mapped);
	assert_int_equal(3, f->pt.report.nr_warn);
	assert_string_equal("pt_compute_best_pgsize",
			    f->pt.report.warn[0].func);
	assert_string_equal("__map_range", f->pt.report.warn[1].func);
	assert_string_equal("pt_iommu_new_table", f->pt.report.warn[2].func);
	/* without the option: the same returns, no WARN */
	f->pt.cfg.debug = false;
	assert_int_equal(-ENXIO, map(f, 0x40000, 0x100000, 1, RW));
	assert_int_equal(0, f->pt.report.nr_warn);
}

/* map_range's argument checks, in the kernel's order */
static void map_bad_arguments_fail_with_kernel_errnos(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(-EINVAL, map(f, 0, 0, SZ_4K, 0));
	assert_int_equal(-ERANGE, map(f, 0, 1ULL << 52, SZ_4K, RW));
	assert_int_equal(-EINVAL, map(f, 0, 0, 0, RW));
	assert_int_equal(-EOVERFLOW, map(f, UINT64_MAX - 0xfff, 0, 0x2000, RW));
	assert_int_equal(1, f->pt.nr_tables);
}

/* Mixed sizes: 4K up to alignment, then 2M, then 1G, then back down */
static void map_chooses_largest_aligned_sizes(void **state)
{
	struct fixture *f = *state;
	u64 iova = SZ_1G - SZ_2M - SZ_4K, len = SZ_1G + 2 * SZ_2M + 2 * SZ_4K;

	assert_int_equal(0, map(f, iova, iova, len, RW));
	/* 4K at the start, 2M before 1G, 1G, then 2M and 4K */
	assert_int_equal(0x7000000000000001ULL | (iova & ~0xfffULL),
			 item(f, TBL(2), 511));
	assert_int_equal(0x7000000000000001ULL | (SZ_1G - SZ_2M),
			 item(f, TBL(1), 511));
	assert_int_equal(0x7000000040000001ULL, item(f, TBL(0), 1));
	assert_int_equal(0x7000000080000001ULL, item(f, TBL(3), 0));
	assert_int_equal(0x7000000080200001ULL, item(f, TBL(4), 0));
	assert_int_equal(len, pt_amdv1_unmap(&f->pt, iova, len));
}

struct leaves {
	u64 size[8];
	u64 va[8];
	unsigned int n;
};

static bool record_leaf(void *priv, const struct pt_amdv1_leaf *leaf)
{
	struct leaves *l = priv;

	l->size[l->n] = leaf->size;
	l->va[l->n++] = leaf->va;
	return l->n < 8;
}

/* One report per entry, in VA order, whatever its replication */
static void for_each_leaf_reports_entries_in_va_order(void **state)
{
	struct fixture *f = *state;
	struct leaves l = { .n = 0 };

	assert_int_equal(0, map(f, 0x10000, 0x30010000, 0x10000, RW));
	assert_int_equal(0, map(f, 0x400000, 0x80400000, 0x400000, IOMMU_READ));
	assert_int_equal(0, map(f, 0, 0x5000, SZ_4K, RW));
	assert_int_equal(0, map(f, 1ULL << 63, 0, SZ_4K, RW));
	pt_amdv1_for_each_leaf(&f->pt, record_leaf, &l);
	assert_int_equal(4, l.n);
	assert_int_equal(0, l.va[0]);
	assert_int_equal(SZ_4K, l.size[0]);
	assert_int_equal(0x10000, l.va[1]);
	assert_int_equal(0x10000, l.size[1]);
	assert_int_equal(0x400000, l.va[2]);
	assert_int_equal(0x400000, l.size[2]);
	assert_int_equal(1ULL << 63, l.va[3]);
}

/* amd_iommu=nohugepages narrows the bitmap: 2M becomes 512 4K leaves */
static void map_honours_narrowed_pgsize_bitmap(void **state)
{
	struct pt_amdv1_cfg cfg = pt_amdv1_cfg_amd_v1(48, AMD_IOMMU_PGSIZES_4K);
	struct physmem *mem = physmem_new();
	struct pt_amdv1 pt;
	u64 mapped = 0;

	assert_int_equal(0, pt_amdv1_init(&pt, mem, &cfg));
	assert_int_equal(0x1000, pt_amdv1_pgsize_bitmap(&pt));
	assert_int_equal(0, pt_amdv1_map(&pt, 0, 0, SZ_2M, RW, &mapped));
	assert_int_equal(3, pt.nr_tables);
	assert_int_equal(0x7000000000001001ULL,
			 ((u64 *)physmem_table_ptr(mem, TBL(2)))[1]);
	pt_amdv1_deinit(&pt);
	assert_int_equal(0, table_pages(mem));
	physmem_free(mem);
}

/* ---- top growth (increase_top) ---- */

struct top_seen {
	u64 pa;
	unsigned int level;
	int calls;
};

static void record_top(void *priv, u64 top_pa, unsigned int top_level)
{
	struct top_seen *seen = priv;

	seen->pa = top_pa;
	seen->level = top_level;
	seen->calls++;
}

static void growth_calls_change_top_once_with_new_root(void **state)
{
	struct fixture *f = *state;
	struct top_seen seen = { 0 };

	pt_amdv1_set_change_top(&f->pt, record_top, &seen);
	assert_int_equal(0, map(f, 1ULL << 39, 0, SZ_4K, RW));
	assert_int_equal(1, seen.calls);
	assert_int_equal(3, seen.level);
	assert_int_equal(pt_amdv1_root_pa(&f->pt), seen.pa);
	assert_int_equal(0, map(f, (1ULL << 40) - SZ_4K, 0, SZ_4K, RW));
	assert_int_equal(1, seen.calls);
}

/* 48-bit VA: growth stops at Mode 4; beyond it -ERANGE, nothing allocated */
static void growth_beyond_max_va_is_erange(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(-ERANGE, map(f, 1ULL << 48, 0, SZ_4K, RW));
	assert_int_equal(1, f->pt.nr_tables);
	assert_int_equal(3, pt_amdv1_mode(&f->pt));
	assert_int_equal(0, map(f, (1ULL << 48) - SZ_4K, 0x7000, SZ_4K, RW));
	assert_int_equal(4, pt_amdv1_mode(&f->pt));
	assert_int_equal(0x7000, phys(f, (1ULL << 48) - SZ_4K));
}

/* A failed allocation while growing publishes nothing */
static void growth_enomem_leaves_top_unchanged(void **state)
{
	struct fixture *f = *state;

	physmem_inject_table_alloc_failure(f->mem, 2);
	assert_int_equal(-ENOMEM, map(f, 1ULL << 63, 0, SZ_4K, RW));
	assert_int_equal(3, pt_amdv1_mode(&f->pt));
	assert_int_equal(TBL(0), pt_amdv1_root_pa(&f->pt));
	assert_int_equal(1, f->pt.nr_tables);
}

/* A failed table allocation leaves the tables made before it */
static void map_enomem_keeps_tables_already_made(void **state)
{
	struct fixture *f = *state;
	u64 mapped = 0;

	physmem_inject_table_alloc_failure(f->mem, 2);
	assert_int_equal(-ENOMEM,
			 pt_amdv1_map(&f->pt, 0, 0, SZ_4K, RW, &mapped));
	assert_int_equal(0, mapped);
	assert_int_equal(2, f->pt.nr_tables);
	assert_int_equal(0, phys(f, 0));
}

/*
 * iommufd_fail_nth style: fail each allocation of a map in turn; after
 * iommu_map_nosync's unwind (unmap what was mapped) nothing translates,
 * and the retry succeeds.
 */
static void map_fail_nth_unwinds_to_no_translation(void **state)
{
	struct fixture *f = *state;
	u64 iova = (1ULL << 40) - SZ_2M - SZ_4K, len = 2 * SZ_2M + 2 * SZ_4K;
	unsigned int nth;
	int ret = -ENOMEM;

	for (nth = 1; ret == -ENOMEM; nth++) {
		u64 mapped = 0;

		physmem_inject_table_alloc_failure(f->mem, nth);
		ret = pt_amdv1_map(&f->pt, iova, iova, len, RW, &mapped);
		physmem_inject_table_alloc_failure(f->mem, 0);
		if (ret) {
			assert_int_equal(-ENOMEM, ret);
			assert_int_equal(mapped,
					 pt_amdv1_unmap(&f->pt, iova, mapped));
			assert_int_equal(0, phys(f, iova + len - 1));
			assert_int_equal(0, phys(f, iova));
		}
	}
	assert_true(nth > 3);
	assert_int_equal(iova + len - 1, phys(f, iova + len - 1));
}

/* ---- unmap (__unmap_range) ---- */

static void unmap_from_start_of_large_page_removes_all_of_it(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(0, map(f, SZ_2M, SZ_2M, SZ_2M, RW));
	assert_int_equal(SZ_2M, pt_amdv1_unmap(&f->pt, SZ_2M, SZ_4K));
	assert_int_equal(0, phys(f, SZ_2M + SZ_2M - 1));
}

static void unmap_from_inside_large_page_removes_nothing(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(0, map(f, 0x10000, 0x30010000, 0x10000, RW));
	assert_int_equal(0, pt_amdv1_unmap(&f->pt, 0x11000, 0x1000));
	assert_int_equal(0x30011000, phys(f, 0x11000));
	assert_int_equal(0x10000, pt_amdv1_unmap(&f->pt, 0x10000, 0x1000));
}

static void unmap_stops_at_first_hole(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(0, map(f, 0, 0x100000, 0x2000, RW));
	assert_int_equal(0, map(f, 0x4000, 0x200000, SZ_4K, RW));
	assert_int_equal(0x2000, pt_amdv1_unmap(&f->pt, 0, 0x5000));
	assert_int_equal(0x200000, phys(f, 0x4000));
	assert_int_equal(0, pt_amdv1_unmap(&f->pt, 0x8000, SZ_4K));
}

/* An emptied table is a hole too: the walk meets an empty item */
static void unmap_stops_at_emptied_table(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(0, map(f, 0, 0x100000, SZ_4K, RW));
	assert_int_equal(SZ_4K, pt_amdv1_unmap(&f->pt, 0, SZ_4K));
	assert_int_equal(0, map(f, SZ_2M, SZ_2M, SZ_2M, RW));
	assert_int_equal(0, pt_amdv1_unmap(&f->pt, 0, 2 * SZ_2M));
	assert_int_equal(SZ_2M, phys(f, SZ_2M));
}

/* A table is freed only when the range covers all of it */
static void unmap_frees_only_fully_covered_tables(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(0, map(f, 0, 0x80001000, SZ_2M, RW));
	assert_int_equal(3, f->pt.nr_tables);
	assert_int_equal(SZ_2M / 2, pt_amdv1_unmap(&f->pt, 0, SZ_2M / 2));
	assert_int_equal(3, f->pt.nr_tables);
	assert_int_equal(SZ_2M / 2,
			 pt_amdv1_unmap(&f->pt, SZ_2M / 2, SZ_2M / 2));
	assert_int_equal(3, f->pt.nr_tables);
	assert_int_equal(0, map(f, 0, 0x80001000, SZ_2M, RW));
	assert_int_equal(SZ_2M, pt_amdv1_unmap(&f->pt, 0, SZ_2M));
	assert_int_equal(2, f->pt.nr_tables);
}

static void unmap_out_of_range_or_empty_returns_zero(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(0, map(f, 0, 0, SZ_4K, RW));
	assert_int_equal(0, pt_amdv1_unmap(&f->pt, 0, 0));
	assert_int_equal(0, pt_amdv1_unmap(&f->pt, UINT64_MAX, 2));
	assert_int_equal(0, pt_amdv1_unmap(&f->pt, 1ULL << 40, SZ_4K));
	assert_int_equal(0, pt_amdv1_unmap(&f->pt, SZ_4K, SZ_4K));
}

/* ---- iova_to_phys ---- */

static void iova_to_phys_keeps_offset_and_is_zero_when_unmapped(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(0, map(f, SZ_1G, 3 * SZ_1G, SZ_1G, RW));
	assert_int_equal(3 * SZ_1G + 0x12345, phys(f, SZ_1G + 0x12345));
	assert_int_equal(0, phys(f, SZ_1G - 1));
	assert_int_equal(0, phys(f, 2 * SZ_1G));
	assert_int_equal(0, phys(f, 1ULL << 63));
}

static void dump_shows_levels_raw_values_and_runs(void **state)
{
	struct fixture *f = *state;
	GString *out = g_string_new(NULL);

	assert_int_equal(0, map(f, 0x10000, 0x30010000, 0x10000, RW));
	pt_amdv1_dump(&f->pt, out);
	assert_non_null(strstr(out->str, "Mode 3 (top L2)"));
	assert_non_null(strstr(out->str, "[000] 0x6007000000001401"));
	assert_non_null(strstr(out->str, "[010..01f] 0x7000000030017e01"));
	assert_non_null(strstr(out->str, "64K page pa 0x0000000030010000"));
	g_string_free(out, TRUE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		PT_TEST(map_over_present_leaf_is_eaddrinuse, setup_noiommu),
		PT_TEST(map_large_over_table_with_leaf_is_eaddrinuse,
			setup_noiommu),
		PT_TEST(map_small_inside_large_leaf_is_eaddrinuse,
			setup_noiommu),
		PT_TEST(map_failure_keeps_leaves_before_the_collision,
			setup_noiommu),
		PT_TEST(map_large_over_empty_table_frees_it, setup_noiommu),
		PT_TEST(map_huge_over_empty_subtree_frees_all_of_it,
			setup_noiommu),
		PT_TEST(map_unaligned_is_enxio, setup_noiommu),
		PT_TEST(map_ragged_tail_maps_the_pages_then_enxio,
			setup_noiommu),
		PT_TEST(map_ragged_tail_debug_warns_twice, setup_noiommu),
		PT_TEST(map_one_byte_run_debug_warns_in_compute_best_pgsize,
			setup_noiommu),
		PT_TEST(map_bad_arguments_fail_with_kernel_errnos,
			setup_noiommu),
		PT_TEST(map_chooses_largest_aligned_sizes, setup_noiommu),
		PT_TEST(for_each_leaf_reports_entries_in_va_order,
			setup_noiommu),
		cmocka_unit_test(map_honours_narrowed_pgsize_bitmap),
		PT_TEST(growth_calls_change_top_once_with_new_root,
			setup_noiommu),
		PT_TEST(growth_beyond_max_va_is_erange, setup_amd48),
		PT_TEST(growth_enomem_leaves_top_unchanged, setup_noiommu),
		PT_TEST(map_enomem_keeps_tables_already_made, setup_noiommu),
		PT_TEST(map_fail_nth_unwinds_to_no_translation, setup_noiommu),
		PT_TEST(unmap_from_start_of_large_page_removes_all_of_it,
			setup_noiommu),
		PT_TEST(unmap_from_inside_large_page_removes_nothing,
			setup_noiommu),
		PT_TEST(unmap_stops_at_first_hole, setup_noiommu),
		PT_TEST(unmap_stops_at_emptied_table, setup_noiommu),
		PT_TEST(unmap_frees_only_fully_covered_tables, setup_noiommu),
		PT_TEST(unmap_out_of_range_or_empty_returns_zero,
			setup_noiommu),
		PT_TEST(iova_to_phys_keeps_offset_and_is_zero_when_unmapped,
			setup_noiommu),
		PT_TEST(dump_shows_levels_raw_values_and_runs, setup_noiommu),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
