// SPDX-License-Identifier: MIT
/*
 * Exact 64-bit values of every AMDv1 entry encoding Linux 7.3 writes
 * (generic_pt/fmt/amdv1.h amdv1pt_install_leaf_entry(),
 * amdv1pt_install_table(), amdv1pt_iommu_set_prot()), against the AMD IOMMU
 * spec 2.2.3: PR bit 0, NextLevel 11:9, address 51:12, U 59, FC 60, IR 61,
 * IW 62. Fresh noiommu table: root L2 at TBL(0), then tables in order.
 */
#include "pt_test.h"

/* A PTE from 7.3 always has PR and FC (FORCE_COHERENCE), never U, A or D */
static void entry_4k_pte_is_pr_oa_fc_ir_iw(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(0, map(f, 0, 0x12345000, SZ_4K, RW));
	assert_int_equal(0x7000000012345001ULL, item(f, TBL(2), 0));
	assert_int_equal(0, item(f, TBL(2), 0) &
				    (AMDV1PT_U | AMDV1PT_A | AMDV1PT_D));
}

/* A PDE: PR, NextLevel = AMD level of the table below, IR|IW, no FC */
static void entry_pde_names_next_level_and_grants_rw(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(0, map(f, 0, 0x12345000, SZ_4K, IOMMU_READ));
	assert_int_equal(0x6007000000001401ULL, item(f, TBL(0), 0));
	assert_int_equal(0x6007000000002201ULL, item(f, TBL(1), 0));
}

static void entry_read_only_pte_has_ir_without_iw(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(0, map(f, 0, 0x12345000, SZ_4K, IOMMU_READ));
	assert_int_equal(0x3000000012345001ULL, item(f, TBL(2), 0));
}

static void entry_write_only_pte_has_iw_without_ir(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(0, map(f, 0, 0x12345000, SZ_4K, IOMMU_WRITE));
	assert_int_equal(0x5000000012345001ULL, item(f, TBL(2), 0));
}

/* 8K: NextLevel 7, no one-bits from bit 12, two items */
static void entry_8k_is_nl7_zero_ones_in_two_items(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(0, map(f, 0x2000, 0x10002000, 0x2000, RW));
	assert_int_equal(0, item(f, TBL(2), 1));
	assert_int_equal(0x7000000010002e01ULL, item(f, TBL(2), 2));
	assert_int_equal(0x7000000010002e01ULL, item(f, TBL(2), 3));
	assert_int_equal(0, item(f, TBL(2), 4));
}

/* 16K: one one-bit (bit 12), four items */
static void entry_16k_is_nl7_one_one_in_four_items(void **state)
{
	struct fixture *f = *state;
	unsigned int i;

	assert_int_equal(0, map(f, 0x4000, 0x20004000, 0x4000, RW));
	for (i = 4; i < 8; i++)
		assert_int_equal(0x7000000020005e01ULL, item(f, TBL(2), i));
	assert_int_equal(0, item(f, TBL(2), 8));
}

/* 64K: bits 14:12 set, sixteen items */
static void entry_64k_is_nl7_three_ones_in_sixteen_items(void **state)
{
	struct fixture *f = *state;
	unsigned int i;

	assert_int_equal(0, map(f, 0x10000, 0x30010000, 0x10000, RW));
	for (i = 0x10; i < 0x20; i++)
		assert_int_equal(0x7000000030017e01ULL, item(f, TBL(2), i));
	assert_int_equal(0, item(f, TBL(2), 0x20));
}

/* 1M: the largest level-0 leaf, 256 items, bits 18:12 set */
static void entry_1m_fills_half_a_level0_table(void **state)
{
	struct fixture *f = *state;
	unsigned int i;

	assert_int_equal(0, map(f, 0x100000, 0x40100000, 0x100000, RW));
	for (i = 0x100; i < 0x200; i++)
		assert_int_equal(0x700000004017fe01ULL, item(f, TBL(2), i));
	assert_int_equal(0, item(f, TBL(2), 0xff));
}

/* 2M: a single level-1 item (AMD level 2) with NextLevel 0, no L0 table */
static void entry_2m_is_level1_leaf_with_nl0(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(0, map(f, SZ_2M, 0x80200000, SZ_2M, RW));
	assert_int_equal(0x7000000080200001ULL, item(f, TBL(1), 1));
	assert_int_equal(2, f->pt.nr_tables);
}

/* 4M: level 1, NextLevel 7, bits 20:12 set, two items */
static void entry_4m_is_level1_nl7_in_two_items(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(0, map(f, 0x400000, 0x80400000, 0x400000, RW));
	assert_int_equal(0x70000000805ffe01ULL, item(f, TBL(1), 2));
	assert_int_equal(0x70000000805ffe01ULL, item(f, TBL(1), 3));
}

/* 1G: a level-2 item of the root with NextLevel 0 */
static void entry_1g_is_level2_leaf_with_nl0(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(0, map(f, SZ_1G, SZ_1G, SZ_1G, IOMMU_READ));
	assert_int_equal(0x3000000040000001ULL, item(f, TBL(0), 1));
	assert_int_equal(1, f->pt.nr_tables);
}

/* 2G: level 2, NextLevel 7, bits 29:12 set */
static void entry_2g_is_level2_nl7_in_two_items(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(0, map(f, 2 * SZ_1G, 2 * SZ_1G, 2 * SZ_1G, RW));
	assert_int_equal(0x70000000bffffe01ULL, item(f, TBL(0), 2));
	assert_int_equal(0x70000000bffffe01ULL, item(f, TBL(0), 3));
}

/* 256G: the largest level-2 leaf, 256 items of the root */
static void entry_256g_fills_half_the_root(void **state)
{
	struct fixture *f = *state;
	unsigned int i;

	assert_int_equal(0, map(f, 1ULL << 38, 1ULL << 38, 1ULL << 38, RW));
	for (i = 256; i < 512; i++)
		assert_int_equal(0x7000005ffffffe01ULL, item(f, TBL(0), i));
	assert_int_equal(3, pt_amdv1_mode(&f->pt));
}

/*
 * 512G is never a leaf (fmt/amdv1.h possible_sizes: hardware bug): an
 * aligned 512G map becomes two 256G leaves in a level-2 table, under a new
 * level-3 top whose item 0 links the old root.
 */
static void entry_512g_is_never_a_leaf(void **state)
{
	struct fixture *f = *state;
	u64 g512 = 1ULL << 39;
	unsigned int i;

	assert_int_equal(0, pt_amdv1_pgsize_bitmap(&f->pt) & g512);
	assert_int_equal(0, map(f, g512, g512, g512, RW));
	assert_int_equal(4, pt_amdv1_mode(&f->pt));
	assert_int_equal(TBL(1), pt_amdv1_root_pa(&f->pt));
	assert_int_equal(0x6007000000000601ULL, item(f, TBL(1), 0));
	assert_int_equal(0x6007000000002601ULL, item(f, TBL(1), 1));
	for (i = 0; i < 256; i++)
		assert_int_equal(0x7000009ffffffe01ULL, item(f, TBL(2), i));
	for (i = 256; i < 512; i++)
		assert_int_equal(0x700000dffffffe01ULL, item(f, TBL(2), i));
}

/* Growing from Mode 3 to Mode 6 stacks three tops, each linking at 0 */
static void entry_growth_pdes_link_old_tops_at_index0(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(0, map(f, 1ULL << 63, 0x5000, SZ_4K, RW));
	assert_int_equal(6, pt_amdv1_mode(&f->pt));
	assert_int_equal(TBL(3), pt_amdv1_root_pa(&f->pt));
	assert_int_equal(0x6007000000000601ULL, item(f, TBL(1), 0));
	assert_int_equal(0x6007000000001801ULL, item(f, TBL(2), 0));
	assert_int_equal(0x6007000000002a01ULL, item(f, TBL(3), 0));
	/* bit 63 indexes item 0x40 of the 128-item level-5 top */
	assert_int_equal(0x6007000000004a01ULL, item(f, TBL(3), 0x40));
	assert_int_equal(0x7000000000005001ULL, item(f, TBL(8), 0));
}

/* Without FORCE_COHERENCE (debug build only) leaves carry no FC */
static void entry_fc_follows_force_coherence(void **state)
{
	struct pt_amdv1_cfg cfg = pt_amdv1_cfg_noiommu();
	struct physmem *mem = physmem_new();
	struct pt_amdv1 pt;
	u64 mapped = 0;

	cfg.force_coherence = false;
	assert_int_equal(-EOPNOTSUPP, pt_amdv1_init(&pt, mem, &cfg));
	cfg.debug = true;
	assert_int_equal(0, pt_amdv1_init(&pt, mem, &cfg));
	assert_int_equal(0,
			 pt_amdv1_map(&pt, 0, 0x12345000, SZ_4K, RW, &mapped));
	assert_int_equal(0x6000000012345001ULL,
			 ((u64 *)physmem_table_ptr(mem, TBL(2)))[0]);
	pt_amdv1_deinit(&pt);
	assert_int_equal(0, table_pages(mem));
	physmem_free(mem);
}

/* get_info: 4K..2^51 but 512G for noiommu; 4K..2^46 but 512G for 48 bits */
static void pgsize_bitmaps_match_get_info(void **state)
{
	struct fixture *f = *state;
	struct pt_amdv1_cfg cfg = pt_amdv1_cfg_amd_v1(48, AMD_IOMMU_PGSIZES);
	struct pt_amdv1 amd;

	assert_int_equal(0x000fff7ffffff000ULL, pt_amdv1_pgsize_bitmap(&f->pt));
	assert_int_equal(UINT64_MAX, f->pt.aperture_end);
	assert_int_equal(0, pt_amdv1_init(&amd, f->mem, &cfg));
	assert_int_equal(0x00007f7ffffff000ULL, pt_amdv1_pgsize_bitmap(&amd));
	assert_int_equal((1ULL << 48) - 1, amd.aperture_end);
	assert_int_equal(3, pt_amdv1_mode(&amd));
	pt_amdv1_deinit(&amd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		PT_TEST(entry_4k_pte_is_pr_oa_fc_ir_iw, setup_noiommu),
		PT_TEST(entry_pde_names_next_level_and_grants_rw,
			setup_noiommu),
		PT_TEST(entry_read_only_pte_has_ir_without_iw, setup_noiommu),
		PT_TEST(entry_write_only_pte_has_iw_without_ir, setup_noiommu),
		PT_TEST(entry_8k_is_nl7_zero_ones_in_two_items, setup_noiommu),
		PT_TEST(entry_16k_is_nl7_one_one_in_four_items, setup_noiommu),
		PT_TEST(entry_64k_is_nl7_three_ones_in_sixteen_items,
			setup_noiommu),
		PT_TEST(entry_1m_fills_half_a_level0_table, setup_noiommu),
		PT_TEST(entry_2m_is_level1_leaf_with_nl0, setup_noiommu),
		PT_TEST(entry_4m_is_level1_nl7_in_two_items, setup_noiommu),
		PT_TEST(entry_1g_is_level2_leaf_with_nl0, setup_noiommu),
		PT_TEST(entry_2g_is_level2_nl7_in_two_items, setup_noiommu),
		PT_TEST(entry_256g_fills_half_the_root, setup_noiommu),
		PT_TEST(entry_512g_is_never_a_leaf, setup_noiommu),
		PT_TEST(entry_growth_pdes_link_old_tops_at_index0,
			setup_noiommu),
		cmocka_unit_test(entry_fc_follows_force_coherence),
		PT_TEST(pgsize_bitmaps_match_get_info, setup_noiommu),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
