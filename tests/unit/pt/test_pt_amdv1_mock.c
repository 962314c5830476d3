// SPDX-License-Identifier: MIT
/*
 * The IOMMUFD selftest's amdv1_mock table (Linux 7.3
 * drivers/iommu/generic_pt/fmt/iommu_mock.c: fmt/amdv1.h with
 * AMDV1_IOMMUFD_SELFTEST), configured as iommufd/selftest.c
 * mock_domain_alloc_pgtable() does: exact entry values and geometry where
 * its 2 KiB granule makes it differ from AMDv1. Entries: PR bit 0,
 * NextLevel 11:9, OA >> 11 in bits 51:12, IR 61, IW 62, no FC (the format
 * has no FORCE_COHERENCE). Fresh table: root L2 at TBL(0), then tables in
 * order; a PDE holds TBL(n) >> 11, i.e. 0x000e... + n * 0x2000.
 */
#include "pt_test.h"

#define MOCK_RW 0x6000000000000000ULL /* IR | IW */

/* NS(get_info) over levels 0..2 (no DYNAMIC_TOP): 2 KiB to 2^37, less
 * the whole 2^38 VA (the "-1" of get_info) */
static void mock_geometry_is_38_bits_of_2k_to_64g_pages(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(0x1ffffff800ULL, pt_amdv1_pgsize_bitmap(&f->pt));
	assert_int_equal(3, pt_amdv1_mode(&f->pt));
	assert_int_equal(38, f->pt.top_vasz_lg2);
	assert_int_equal(38, f->pt.max_vasz_lg2);
	assert_int_equal(51, f->pt.max_oasz_lg2);
	assert_int_equal(0, f->pt.aperture_start);
	assert_int_equal((1ULL << 38) - 1, f->pt.aperture_end);
}

/* amdv1pt_install_leaf_entry(): one 2 KiB item, NextLevel 0, OA >> 11 */
static void mock_2k_leaf_holds_oa_shifted_by_the_granule(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(0, map(f, 0x1000800, 0x12345800, 0x800, RW));
	assert_int_equal(MOCK_RW | 0x2468b001ULL, item(f, TBL(2), 1));
	assert_int_equal(0, item(f, TBL(2), 0));
	assert_int_equal(0, item(f, TBL(2), 2));
	assert_int_equal(0x12345bccULL, phys(f, 0x1000bcc));
}

/* amdv1pt_install_table(): NextLevel, the table's PA >> 11, IR | IW */
static void mock_pde_holds_table_pa_shifted_by_the_granule(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(0, map(f, 0x1000800, 0x12345800, 0x800, RW));
	assert_int_equal(MOCK_RW | 0x000e000000002401ULL, item(f, TBL(0), 0));
	assert_int_equal(MOCK_RW | 0x000e000000004201ULL,
			 item(f, TBL(1), 0x10));
}

/* A 4 KiB page is two 2 KiB items: NextLevel 7, no one-bits */
static void mock_4k_page_is_nl7_in_two_items(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(0, map(f, 0x1001000, 0x12346000, 0x1000, RW));
	assert_int_equal(MOCK_RW | 0x2468ce01ULL, item(f, TBL(2), 2));
	assert_int_equal(MOCK_RW | 0x2468ce01ULL, item(f, TBL(2), 3));
	assert_int_equal(0, item(f, TBL(2), 4));
	assert_int_equal(0x12346800ULL, phys(f, 0x1001800));
}

/* 8 KiB: one one-bit at bit 12 (2^(11 + 1 + 1)), four items */
static void mock_8k_page_is_nl7_one_one_in_four_items(void **state)
{
	struct fixture *f = *state;
	u64 e = MOCK_RW | 0x20005e01ULL;

	assert_int_equal(0, map(f, 0x1002000, 0x10002000, 0x2000, RW));
	for (unsigned int i = 4; i < 8; i++)
		assert_int_equal(e, item(f, TBL(2), i));
	assert_int_equal(13, pt_amdv1_size_code_lg2(&pt_amdv1_mock_fmt, e));
	assert_int_equal(0x10003abcULL, phys(f, 0x1003abc));
}

/* 1 MiB is a level-1 item: NextLevel 0 there, no level-0 table */
static void mock_1m_page_is_a_level1_leaf(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(0, map(f, 0x1100000, 0x40100000, 0x100000, RW));
	assert_int_equal(MOCK_RW | 0x80200001ULL, item(f, TBL(1), 0x11));
	assert_int_equal(2, f->pt.nr_tables);
}

/* pt_has_system_page_size() is false for the mock: a PAGE_SIZE map at a
 * 2 KiB-aligned IOVA takes the full path and maps two 2 KiB leaves (an
 * AMDv1 table's fast path refuses it, -ENXIO) */
static void mock_maps_page_size_at_2k_alignment(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(0, map(f, 0x1000800, 0x800, 0x1000, RW));
	assert_int_equal(MOCK_RW | 0x1001ULL, item(f, TBL(2), 1));
	assert_int_equal(MOCK_RW | 0x2001ULL, item(f, TBL(2), 2));
}

/* No DYNAMIC_TOP: check_map_range() refuses what the fixed top cannot
 * reach; map_range() an OA above 51 bits */
static void mock_map_beyond_38_bits_or_51_bit_oa_is_erange(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(-ERANGE, map(f, 1ULL << 38, 0, 0x800, RW));
	assert_int_equal(-ERANGE, map(f, (1ULL << 38) - 0x800, 0, 0x1000, RW));
	assert_int_equal(-ERANGE, map(f, 0, 1ULL << 51, 0x800, RW));
	assert_int_equal(3, pt_amdv1_mode(&f->pt));
}

static int init_mock(struct pt_amdv1_cfg *cfg)
{
	struct physmem *mem = physmem_new();
	struct pt_amdv1 pt;
	int ret = pt_amdv1_init(&pt, mem, cfg);

	if (!ret)
		pt_amdv1_deinit(&pt);
	physmem_free(mem);
	return ret;
}

/* pt_iommu_init(), amdv1pt_iommu_fmt_init(), pt_init_common() with the
 * mock's limits: PT_MAX_VA_ADDRESS_LG2 56, PT_MAX_OUTPUT_ADDRESS_LG2 51,
 * PT_MAX_TOP_LEVEL 4, PT_SUPPORTED_FEATURES 0 */
static void mock_cfg_beyond_its_limits_is_refused(void **state)
{
	struct pt_amdv1_cfg cfg = pt_amdv1_cfg_mock();

	(void)state;
	assert_int_equal(0, init_mock(&cfg));
	cfg.hw_max_vasz_lg2 = 57;
	assert_int_equal(-EINVAL, init_mock(&cfg));
	cfg = pt_amdv1_cfg_mock();
	cfg.hw_max_oasz_lg2 = 52;
	assert_int_equal(-EINVAL, init_mock(&cfg));
	cfg = pt_amdv1_cfg_mock();
	cfg.starting_level = 5;
	assert_int_equal(-EINVAL, init_mock(&cfg));
	cfg = pt_amdv1_cfg_mock();
	cfg.dynamic_top = true;
	assert_int_equal(-EOPNOTSUPP, init_mock(&cfg));
	cfg = pt_amdv1_cfg_mock();
	cfg.force_coherence = true;
	assert_int_equal(-EOPNOTSUPP, init_mock(&cfg));
}

/* A level-4 top covers all 56 bits; amdv1pt_possible_sizes() still
 * masks SZ_512G out of level 3 (256 GiB items) */
static void mock_level4_top_offers_up_to_64t_but_512g(void **state)
{
	struct pt_amdv1_cfg cfg = pt_amdv1_cfg_mock();
	struct physmem *mem = physmem_new();
	struct pt_amdv1 pt;

	(void)state;
	cfg.starting_level = 4;
	assert_int_equal(0, pt_amdv1_init(&pt, mem, &cfg));
	assert_int_equal(56, pt.max_vasz_lg2);
	assert_int_equal(0x7f7ffffff800ULL, pt_amdv1_pgsize_bitmap(&pt));
	pt_amdv1_deinit(&pt);
	physmem_free(mem);
}

/* The dump names the format and decodes its 2 KiB items */
static void mock_dump_names_the_format_and_2k_items(void **state)
{
	struct fixture *f = *state;
	GString *out = g_string_new(NULL);

	assert_int_equal(0, map(f, 0x1000800, 0x12345800, 0x800, RW));
	pt_amdv1_dump(&f->pt, out);
	assert_non_null(strstr(out->str, "amdv1_mock root 0x0007000000000000"));
	assert_non_null(strstr(out->str, "items of 2K"));
	assert_non_null(strstr(out->str, "-> table 0x0007000000001000"));
	assert_non_null(strstr(out->str, "2K page pa 0x0000000012345800"));
	g_string_free(out, TRUE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		PT_TEST(mock_geometry_is_38_bits_of_2k_to_64g_pages,
			setup_mock),
		PT_TEST(mock_2k_leaf_holds_oa_shifted_by_the_granule,
			setup_mock),
		PT_TEST(mock_pde_holds_table_pa_shifted_by_the_granule,
			setup_mock),
		PT_TEST(mock_4k_page_is_nl7_in_two_items, setup_mock),
		PT_TEST(mock_8k_page_is_nl7_one_one_in_four_items, setup_mock),
		PT_TEST(mock_1m_page_is_a_level1_leaf, setup_mock),
		PT_TEST(mock_maps_page_size_at_2k_alignment, setup_mock),
		PT_TEST(mock_map_beyond_38_bits_or_51_bit_oa_is_erange,
			setup_mock),
		cmocka_unit_test(mock_cfg_beyond_its_limits_is_refused),
		cmocka_unit_test(mock_level4_top_offers_up_to_64t_but_512g),
		PT_TEST(mock_dump_names_the_format_and_2k_items, setup_mock),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
