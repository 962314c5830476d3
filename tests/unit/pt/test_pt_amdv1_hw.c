// SPDX-License-Identifier: MIT
/*
 * The device-side walker (amdv1_hw.c) against the software table: the two
 * agree on every mapped range, and each documented fault is reachable.
 * Malformed tables are made by writing raw items through the table pointer,
 * as only a bug or an attacker could.
 */
#include "pt_test.h"

static int hw(struct fixture *f, u64 iova, int access, struct amdv1_hw_xlate *x)
{
	return amdv1_hw_translate(f->mem, pt_amdv1_root_pa(&f->pt),
				  pt_amdv1_mode(&f->pt), iova, access, x);
}

static void check_agrees(struct fixture *f, u64 iova, int prot)
{
	struct amdv1_hw_xlate x;
	u64 pa = pt_amdv1_iova_to_phys(&f->pt, iova);

	assert_int_equal(prot & IOMMU_READ ? 0 : AMDV1_HW_FAULT_PERMISSION,
			 hw(f, iova, IOMMU_READ, &x));
	if (prot & IOMMU_READ)
		assert_int_equal(pa, x.pa);
	assert_int_equal(prot & IOMMU_WRITE ? 0 : AMDV1_HW_FAULT_PERMISSION,
			 hw(f, iova, IOMMU_WRITE, &x));
	if (prot & IOMMU_WRITE)
		assert_int_equal(pa, x.pa);
}

static const struct {
	u64 iova, pa, len;
	int prot;
} maps[] = {
	{ 0x0, 0x12345000, 0x1000, IOMMU_READ },
	{ 0x2000, 0x10002000, 0x2000, RW },
	{ 0x10000, 0x30010000, 0x10000, IOMMU_WRITE },
	{ 0x100000, 0x40100000, 0x100000, RW },
	{ 0x200000, 0x80201000, 0x200000, RW }, /* 512 x 4K */
	{ 0x400000, 0x80400000, 0x400000, IOMMU_READ },
	{ 0x40000000, 0x40000000, 0xc0000000, RW }, /* 1G + 2G */
	{ 0x8000000000ULL, 0x8000000000ULL, 0x8000000000ULL, RW },
	{ 0x8000000000000000ULL, 0x5000, 0x3000, RW }, /* grows to Mode 6 */
};

static void hw_walk_agrees_with_iova_to_phys_everywhere(void **state)
{
	struct fixture *f = *state;
	unsigned int i;
	u64 off;

	for (i = 0; i < G_N_ELEMENTS(maps); i++)
		assert_int_equal(0, map(f, maps[i].iova, maps[i].pa,
					maps[i].len, maps[i].prot));
	assert_int_equal(6, pt_amdv1_mode(&f->pt));
	for (i = 0; i < G_N_ELEMENTS(maps); i++) {
		u64 step = maps[i].len > 0x400000 ? maps[i].len / 64 : 0x1000;

		for (off = 0; off < maps[i].len; off += step) {
			check_agrees(f, maps[i].iova + off, maps[i].prot);
			check_agrees(f, maps[i].iova + off + step - 1,
				     maps[i].prot);
		}
	}
}

static void hw_reports_leaf_size_and_level(void **state)
{
	struct fixture *f = *state;
	struct amdv1_hw_xlate x;

	assert_int_equal(0, map(f, 0x400000, 0x80400000, 0x400000, RW));
	assert_int_equal(0, hw(f, 0x612345, IOMMU_WRITE, &x));
	assert_int_equal(0x80612345, x.pa);
	assert_int_equal(0x400000, x.page_size);
	assert_int_equal(2, x.level);
	assert_int_equal(RW, x.perms);
}

static void hw_unmapped_is_not_present_at_the_empty_level(void **state)
{
	struct fixture *f = *state;
	struct amdv1_hw_xlate x;

	assert_int_equal(0, map(f, 0, 0x5000, SZ_4K, RW));
	assert_int_equal(AMDV1_HW_FAULT_NOT_PRESENT,
			 hw(f, SZ_4K, IOMMU_READ, &x));
	assert_int_equal(1, x.level);
	assert_int_equal(AMDV1_HW_FAULT_NOT_PRESENT,
			 hw(f, SZ_1G, IOMMU_READ, &x));
	assert_int_equal(3, x.level);
}

/* IR/IW of a PDE count as much as the PTE's */
static void hw_permissions_are_anded_across_levels(void **state)
{
	struct fixture *f = *state;
	struct amdv1_hw_xlate x;

	assert_int_equal(0, map(f, 0, 0x5000, SZ_4K, RW));
	((u64 *)physmem_table_ptr_mut(f->mem, TBL(1)))[0] &= ~AMDV1PT_IW;
	assert_int_equal(0, hw(f, 0, IOMMU_READ, &x));
	assert_int_equal(IOMMU_READ, x.perms);
	assert_int_equal(AMDV1_HW_FAULT_PERMISSION, hw(f, 0, IOMMU_WRITE, &x));
	assert_int_equal(2, x.level);
}

static void hw_mode_limits_and_passthrough(void **state)
{
	struct fixture *f = *state;
	struct amdv1_hw_xlate x;

	assert_int_equal(AMDV1_HW_FAULT_ADDR_RANGE,
			 hw(f, 1ULL << 39, IOMMU_READ, &x));
	assert_int_equal(
		AMDV1_HW_FAULT_BAD_MODE,
		amdv1_hw_translate(f->mem, TBL(0), 7, 0, IOMMU_READ, &x));
	assert_int_equal(
		0, amdv1_hw_translate(f->mem, 0, 0, 0xabcdef, IOMMU_WRITE, &x));
	assert_int_equal(0xabcdef, x.pa);
}

/* NextLevel must point below the PDE's own level */
static void hw_next_level_not_below_is_bad_level(void **state)
{
	struct fixture *f = *state;
	u64 *root = physmem_table_ptr_mut(f->mem, TBL(0));
	u64 *l0;
	struct amdv1_hw_xlate x;

	assert_int_equal(0, map(f, 0, 0x5000, SZ_4K, RW));
	root[0] = (root[0] & ~AMDV1PT_NL_MASK) | (3ULL << AMDV1PT_NL_SHIFT);
	assert_int_equal(AMDV1_HW_FAULT_BAD_LEVEL, hw(f, 0, IOMMU_READ, &x));
	root[0] = (root[0] & ~AMDV1PT_NL_MASK) | (2ULL << AMDV1PT_NL_SHIFT);
	l0 = physmem_table_ptr_mut(f->mem, TBL(2));
	l0[0] |= 1ULL << AMDV1PT_NL_SHIFT;
	assert_int_equal(AMDV1_HW_FAULT_BAD_LEVEL, hw(f, 0, IOMMU_READ, &x));
	assert_int_equal(1, x.level);
	l0[0] &= ~AMDV1PT_NL_MASK;
}

/* A PDE may skip a level; the skipped index bits must then be zero */
static void hw_level_skip_needs_zero_skipped_bits(void **state)
{
	struct fixture *f = *state;
	u64 *root = physmem_table_ptr_mut(f->mem, TBL(0));
	u64 saved;
	struct amdv1_hw_xlate x;

	assert_int_equal(0, map(f, 0, 0x5000, SZ_4K, RW));
	saved = root[0];
	root[0] = AMDV1PT_PR | (1ULL << AMDV1PT_NL_SHIFT) | TBL(2) |
		  AMDV1PT_IR | AMDV1PT_IW;
	assert_int_equal(0, hw(f, 0x123, IOMMU_READ, &x));
	assert_int_equal(0x5123, x.pa);
	assert_int_equal(AMDV1_HW_FAULT_ADDR_RANGE,
			 hw(f, SZ_2M, IOMMU_READ, &x));
	root[0] = saved;
}

/* Table 14: a NextLevel=7 size must lie between this level's and the next */
static void hw_size_code_outside_level_is_bad_page_size(void **state)
{
	struct fixture *f = *state;
	u64 *root = physmem_table_ptr_mut(f->mem, TBL(0));
	struct amdv1_hw_xlate x;

	root[5] = AMDV1PT_PR | (7ULL << AMDV1PT_NL_SHIFT) | 0x140000000ULL |
		  AMDV1PT_IR;
	assert_int_equal(AMDV1_HW_FAULT_BAD_PAGE_SIZE,
			 hw(f, 5 * SZ_1G, IOMMU_READ, &x));
	root[5] = 0;
}

/* amdv1_hw_for_each_leaf(): one call per translated item */
struct leaves {
	struct fixture *f;
	u64 next, bytes;
	unsigned int n;
	u64 iova[4], pa[4], size[4];
	int perms[4];
};

static bool leaf_seen(void *priv, u64 iova, u64 pa, u64 size, int perms)
{
	struct leaves *l = priv;
	struct amdv1_hw_xlate x;
	int access = perms & IOMMU_READ ? IOMMU_READ : IOMMU_WRITE;

	/* in IOVA order, never overlapping, each item whole */
	assert_true(iova >= l->next);
	assert_int_equal(0, iova & (size - 1));
	l->next = iova + size;
	l->bytes += size;
	/* the device's own walk gives the same bytes, both ends */
	assert_int_equal(0, hw(l->f, iova, access, &x));
	assert_int_equal(pa, x.pa);
	assert_int_equal(perms, x.perms);
	assert_int_equal(0, hw(l->f, iova + size - 1, access, &x));
	assert_int_equal(pa + size - 1, x.pa);
	if (l->n < G_N_ELEMENTS(l->iova)) {
		l->iova[l->n] = iova;
		l->pa[l->n] = pa;
		l->size[l->n] = size;
		l->perms[l->n] = perms;
	}
	l->n++;
	return true;
}

static void walk(struct fixture *f, struct leaves *l)
{
	memset(l, 0, sizeof(*l));
	l->f = f;
	amdv1_hw_for_each_leaf(f->mem, pt_amdv1_root_pa(&f->pt),
			       pt_amdv1_mode(&f->pt), leaf_seen, l);
}

static void hw_leaves_are_what_the_walk_translates(void **state)
{
	struct fixture *f = *state;
	u64 mapped = 0;
	struct leaves l;

	for (unsigned int i = 0; i < G_N_ELEMENTS(maps); i++) {
		assert_int_equal(0, map(f, maps[i].iova, maps[i].pa,
					maps[i].len, maps[i].prot));
		mapped += maps[i].len;
	}
	walk(f, &l);
	assert_int_equal(mapped, l.bytes);
	assert_int_equal(0x0, l.iova[0]);
	assert_int_equal(0x12345000, l.pa[0]);
	assert_int_equal(IOMMU_READ, l.perms[0]);
}

/* What the walk would fault on is no reach: a size code outside its
 * level, a PDE without IW leaves reads; a skipped level's items start
 * at the PDE's own */
static void hw_leaves_skip_faults_and_follow_skipped_levels(void **state)
{
	struct fixture *f = *state;
	u64 *root = physmem_table_ptr_mut(f->mem, TBL(0));
	struct leaves l;
	u64 saved;

	assert_int_equal(0, map(f, 0, 0x5000, SZ_4K, RW));
	saved = root[0];
	root[5] = AMDV1PT_PR | (7ULL << AMDV1PT_NL_SHIFT) | 0x140000000ULL |
		  AMDV1PT_IR;
	root[0] = AMDV1PT_PR | (1ULL << AMDV1PT_NL_SHIFT) | TBL(2) | AMDV1PT_IR;
	walk(f, &l);
	assert_int_equal(1, l.n);
	assert_int_equal(0, l.iova[0]);
	assert_int_equal(0x5000, l.pa[0]);
	assert_int_equal(SZ_4K, l.size[0]);
	assert_int_equal(IOMMU_READ, l.perms[0]);
	root[5] = 0;
	root[0] = saved;
}

/* generic_pt's reader (pt_amdv1_for_each_leaf()) once per entry: two
 * IOVA ranges on the same 8 KiB with one prot are two NextLevel=7
 * entries whose items are the same bytes, not one 16 KiB run (the
 * isolation check found the reader merging them on the mock's table) */
static bool sw_leaf(void *priv, const struct pt_amdv1_leaf *leaf)
{
	GArray *a = priv;

	g_array_append_val(a, *leaf);
	return true;
}

static void sw_leaves_split_same_bytes_entries(void **state)
{
	struct fixture *f = *state;
	g_autoptr(GArray) a =
		g_array_new(FALSE, FALSE, sizeof(struct pt_amdv1_leaf));
	struct leaves l;

	assert_int_equal(0, map(f, 0x10000, 0x40000, 0x2000, RW));
	assert_int_equal(0, map(f, 0x12000, 0x40000, 0x2000, RW));
	pt_amdv1_for_each_leaf(&f->pt, sw_leaf, a);
	assert_int_equal(2, a->len);
	assert_int_equal(0x10000, g_array_index(a, struct pt_amdv1_leaf, 0).va);
	assert_int_equal(0x2000,
			 g_array_index(a, struct pt_amdv1_leaf, 0).size);
	assert_int_equal(0x12000, g_array_index(a, struct pt_amdv1_leaf, 1).va);
	assert_int_equal(0x40000, g_array_index(a, struct pt_amdv1_leaf, 1).pa);
	walk(f, &l);
	assert_int_equal(0x4000, l.bytes);
}

static void dma_moves_bytes_across_leaves(void **state)
{
	struct fixture *f = *state;
	u8 in[2 * SZ_4K], out[2 * SZ_4K], got[SZ_4K];
	unsigned int i;

	for (i = 0; i < sizeof(in); i++)
		in[i] = (u8)(i * 7 + 1);
	assert_int_equal(0, map(f, SZ_2M - SZ_4K, 0x7000, SZ_4K, RW));
	assert_int_equal(0, map(f, SZ_2M, 0x80000000, SZ_2M, RW));
	assert_int_equal(0, amdv1_dma(f->mem, TBL(0), 3, SZ_2M - SZ_4K, in,
				      sizeof(in), true, NULL));
	assert_int_equal(0, physmem_read(f->mem, 0x7000, got, SZ_4K));
	assert_memory_equal(in, got, SZ_4K);
	assert_int_equal(0, physmem_read(f->mem, 0x80000000, got, SZ_4K));
	assert_memory_equal(in + SZ_4K, got, SZ_4K);
	assert_int_equal(0, amdv1_dma(f->mem, TBL(0), 3, SZ_2M - SZ_4K, out,
				      sizeof(out), false, NULL));
	assert_memory_equal(in, out, sizeof(in));
}

/* The bytes before the fault moved; the fault names the first bad iova */
static void dma_fault_names_first_faulting_iova(void **state)
{
	struct fixture *f = *state;
	u8 buf[2 * SZ_4K] = { 0x5a }, got = 0;
	u64 fault_iova = 0;

	assert_int_equal(0, map(f, 0, 0x9000, SZ_4K, RW));
	assert_int_equal(AMDV1_HW_FAULT_NOT_PRESENT,
			 amdv1_dma(f->mem, TBL(0), 3, 0x10, buf, sizeof(buf),
				   true, &fault_iova));
	assert_int_equal(SZ_4K, fault_iova);
	assert_int_equal(0, physmem_read(f->mem, 0x9010, &got, 1));
	assert_int_equal(0x5a, got);
}

static void dma_write_to_read_only_is_permission(void **state)
{
	struct fixture *f = *state;
	u8 buf[16] = { 0 };
	u64 fault_iova = 1;

	assert_int_equal(0, map(f, 0, 0x9000, SZ_4K, IOMMU_READ));
	assert_int_equal(AMDV1_HW_FAULT_PERMISSION,
			 amdv1_dma(f->mem, TBL(0), 3, 0, buf, sizeof(buf), true,
				   &fault_iova));
	assert_int_equal(0, fault_iova);
	assert_int_equal(0, amdv1_dma(f->mem, TBL(0), 3, 0, buf, sizeof(buf),
				      false, NULL));
	assert_string_equal("permission",
			    amdv1_hw_fault_name(AMDV1_HW_FAULT_PERMISSION));
}

/* A mapping onto a table page can be read but never written by a device */
static void dma_write_into_table_region_is_target_abort(void **state)
{
	struct fixture *f = *state;
	u64 root_item = 0;

	assert_int_equal(0, map(f, 0, TBL(0), SZ_4K, RW));
	assert_int_equal(0, amdv1_dma(f->mem, TBL(0), 3, 0, &root_item,
				      sizeof(root_item), false, NULL));
	assert_int_equal(0x6007000000001401ULL, root_item);
	assert_int_equal(-EFAULT, amdv1_dma(f->mem, TBL(0), 3, 0, &root_item,
					    sizeof(root_item), true, NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		PT_TEST(hw_walk_agrees_with_iova_to_phys_everywhere,
			setup_noiommu),
		PT_TEST(hw_reports_leaf_size_and_level, setup_noiommu),
		PT_TEST(hw_unmapped_is_not_present_at_the_empty_level,
			setup_noiommu),
		PT_TEST(hw_permissions_are_anded_across_levels, setup_noiommu),
		PT_TEST(hw_mode_limits_and_passthrough, setup_noiommu),
		PT_TEST(hw_next_level_not_below_is_bad_level, setup_noiommu),
		PT_TEST(hw_level_skip_needs_zero_skipped_bits, setup_noiommu),
		PT_TEST(hw_size_code_outside_level_is_bad_page_size,
			setup_noiommu),
		PT_TEST(hw_leaves_are_what_the_walk_translates, setup_noiommu),
		PT_TEST(hw_leaves_skip_faults_and_follow_skipped_levels,
			setup_noiommu),
		PT_TEST(sw_leaves_split_same_bytes_entries, setup_noiommu),
		PT_TEST(dma_moves_bytes_across_leaves, setup_noiommu),
		PT_TEST(dma_fault_names_first_faulting_iova, setup_noiommu),
		PT_TEST(dma_write_to_read_only_is_permission, setup_noiommu),
		PT_TEST(dma_write_into_table_region_is_target_abort,
			setup_noiommu),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
