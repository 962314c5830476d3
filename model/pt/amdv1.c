// SPDX-License-Identifier: MIT
/*
 * The AMDv1 IO page table, reproducing Linux 7.3's generic_pt
 * (drivers/iommu/generic_pt/iommu_pt.h) over the AMDv1 format
 * (generic_pt/fmt/amdv1.h). Our own code: the decisions (page sizes, errnos,
 * what is left behind, which tables are freed) are the kernel's; the
 * structure is simpler because the model has no concurrency, no cache
 * flushing and no IOTLB gather (freed tables are returned at once, where the
 * kernel returns them at the end of the operation: same final state).
 *
 * This file: table pages, the table's lifetime (pt_iommu_init, get_info,
 * deinit) and iova_to_phys. Map and unmap are in amdv1_map.c.
 */
#include <errno.h>
#include <string.h>

#include "pt/amdv1_priv.h"

/* ---- table pages ---- */

int amdv1_table_alloc(struct pt_amdv1 *pt, u64 *pa)
{
	int ret = physmem_alloc_table(pt->mem, pa);

	if (!ret)
		pt->nr_tables++;
	return ret;
}

void amdv1_table_free(struct pt_amdv1 *pt, u64 pa)
{
	physmem_free_table(pt->mem, pa);
	pt->nr_tables--;
}

/* Free the table at @pa and every table below it (NS(deinit)). */
void amdv1_free_subtree(struct pt_amdv1 *pt, u64 pa, unsigned int level)
{
	const u64 *tbl = table_peek(pt, pa);
	unsigned int i;

	for (i = 0; level && i < ITEMS; i++)
		if (tbl[i] && entry_type(tbl[i], level) == ENTRY_TABLE)
			amdv1_free_subtree(pt, pde_table(pt, tbl[i]),
					   level - 1);
	amdv1_table_free(pt, pa);
}

/* ---- init / deinit ---- */

/* fmt/iommu_amdv1.c: fmt/amdv1.h without AMDV1_IOMMUFD_SELFTEST */
const struct pt_amdv1_fmt pt_amdv1_fmt = {
	.name = "amdv1",
	.granule_lg2 = PT_AMDV1_GRANULE_LG2,
	.max_top_level = PT_AMDV1_MAX_TOP_LEVEL,
	.max_va_lg2 = PT_AMDV1_MAX_VA_LG2,
	.max_oa_lg2 = PT_AMDV1_MAX_OA_LG2,
	.has_features = true,
	.force_enabled = true,
};

struct pt_amdv1_cfg pt_amdv1_cfg_noiommu(void)
{
	struct pt_amdv1_cfg cfg = {
		.starting_level = 2,
		.dynamic_top = true,
		.force_coherence = true,
		.hw_max_vasz_lg2 = 64,
		.hw_max_oasz_lg2 = 52,
	};
	return cfg;
}

struct pt_amdv1_cfg pt_amdv1_cfg_amd_v1(unsigned int hpt_vasize,
					u64 pgsize_bitmap)
{
	struct pt_amdv1_cfg cfg = pt_amdv1_cfg_noiommu();

	cfg.hw_max_vasz_lg2 = hpt_vasize;
	cfg.pgsize_mask = pgsize_bitmap;
	return cfg;
}

/* amdv1pt_possible_sizes(): every size from the item to 256 items, no
 * 512G (SZ_512G: in the mock's level 3 range too, masked all the same) */
static u64 possible_sizes(const struct pt_amdv1 *pt, unsigned int level)
{
	unsigned int isz_lg2 = item_lg2sz(pt, level);
	unsigned int hi;

	/* Table 15: the top-most level cannot have translation entries */
	if (level >= pt->fmt->max_top_level)
		return 0;
	hi = min_u(51, isz_lg2 + PT_AMDV1_ITEMS_LG2 - 1);
	return (lg2_max(hi + 1) & ~lg2_max(isz_lg2)) & ~(1ULL << 39);
}

/* NS(get_info): the page sizes the domain advertises */
static u64 compute_pgsize_bitmap(const struct pt_amdv1 *pt)
{
	u64 bitmap = 0;
	unsigned int level;

	for (level = 0; level <= pt->fmt->max_top_level; level++) {
		if (pt->cfg.dynamic_top) {
			if (item_lg2sz(pt, level) >= pt->max_vasz_lg2)
				break;
		} else if (level > pt->top_level) {
			break;
		}
		bitmap |= possible_sizes(pt, level);
	}
	/* A page covering the whole VA space is not allowed: -1 */
	bitmap = lg2_mod(bitmap, pt->max_vasz_lg2 - 1);
	return lg2_mod(bitmap, pt->max_oasz_lg2);
}

/*
 * pt_init_common(): features the format was not built with are refused,
 * and so is a cfg without the forced ones unless CONFIG_DEBUG_GENERIC_PT
 * (ENCRYPT_TABLES is not a cfg field: always asked for, always built in
 * AMDv1, which is the only format forcing features).
 */
static int check_features(const struct pt_amdv1_fmt *fmt,
			  const struct pt_amdv1_cfg *cfg)
{
	if (!fmt->has_features && (cfg->dynamic_top || cfg->force_coherence))
		return -EOPNOTSUPP;
	if (fmt->force_enabled && !cfg->debug &&
	    (!cfg->dynamic_top || !cfg->force_coherence))
		return -EOPNOTSUPP;
	return 0;
}

/* pt_iommu_init() argument checks, amdv1pt_iommu_fmt_init(), pt_init_common() */
static int check_cfg(struct pt_amdv1 *pt, const struct pt_amdv1_cfg *cfg)
{
	const struct pt_amdv1_fmt *fmt = pt->fmt;
	unsigned int vasz = fmt->max_va_lg2;

	if (cfg->hw_max_vasz_lg2 > fmt->max_va_lg2 || !cfg->hw_max_vasz_lg2 ||
	    !cfg->hw_max_oasz_lg2)
		return -EINVAL;
	if (cfg->starting_level == 0 ||
	    cfg->starting_level > fmt->max_top_level)
		return -EINVAL;
	if (!cfg->dynamic_top && cfg->starting_level != fmt->max_top_level)
		vasz = item_lg2sz(pt, cfg->starting_level) + PT_AMDV1_ITEMS_LG2;
	pt->max_vasz_lg2 = min_u(vasz, cfg->hw_max_vasz_lg2);
	pt->max_oasz_lg2 = min_u(fmt->max_oa_lg2, cfg->hw_max_oasz_lg2);
	if (cfg->hw_max_oasz_lg2 > fmt->max_oa_lg2)
		return -EINVAL;
	return check_features(fmt, cfg);
}

int pt_amdv1_init(struct pt_amdv1 *pt, struct physmem *mem,
		  const struct pt_amdv1_cfg *cfg)
{
	unsigned int aperture_vasz;
	int ret;

	memset(pt, 0, sizeof(*pt));
	pt->mem = mem;
	pt->cfg = *cfg;
	pt->fmt = cfg->fmt ? cfg->fmt : &pt_amdv1_fmt;
	pt->cfg.fmt = pt->fmt;
	ret = check_cfg(pt, cfg);
	if (ret)
		return ret;
	pt->top_level = cfg->starting_level;
	pt->top_vasz_lg2 = top_vasz_for(pt, pt->top_level);
	pt->pgsize_bitmap = compute_pgsize_bitmap(pt);

	/* pt_iommu_init_domain(): with DYNAMIC_TOP, what the tallest top covers */
	aperture_vasz = cfg->dynamic_top
				? top_vasz_for(pt, pt->fmt->max_top_level)
				: pt->top_vasz_lg2;
	pt->aperture_start = 0;
	pt->aperture_end = lg2_max(aperture_vasz);

	ret = amdv1_table_alloc(pt, &pt->top_pa);
	if (ret)
		return ret;
	/* amd/iommu.c: domain->domain.pgsize_bitmap &= amd_iommu_pgsize_bitmap */
	if (cfg->pgsize_mask)
		pt->pgsize_bitmap &= cfg->pgsize_mask;
	return 0;
}

void pt_amdv1_deinit(struct pt_amdv1 *pt)
{
	if (!pt->mem || !pt->top_pa)
		return;
	amdv1_free_subtree(pt, pt->top_pa, pt->top_level);
	pt->top_pa = 0;
}

int pt_amdv1_copy(struct pt_amdv1 *dst, const struct pt_amdv1 *src,
		  struct physmem *mem)
{
	if (src->change_top)
		return -EOPNOTSUPP;
	*dst = *src;
	dst->mem = mem;
	return 0;
}

void pt_amdv1_set_change_top(struct pt_amdv1 *pt, pt_amdv1_change_top_fn fn,
			     void *priv)
{
	pt->change_top = fn;
	pt->change_top_priv = priv;
}

/* ---- iova_to_phys ---- */

u64 pt_amdv1_iova_to_phys(struct pt_amdv1 *pt, u64 iova)
{
	unsigned int level = pt->top_level;
	const u64 *tbl;

	if (lg2_div(iova, pt->top_vasz_lg2))
		return 0;
	tbl = table_peek(pt, pt->top_pa);
	for (;;) {
		unsigned int isz_lg2 = item_lg2sz(pt, level);
		u64 entry = tbl[(iova >> isz_lg2) & (ITEMS - 1)];
		unsigned int nl = amdv1pt_next_level(entry);

		if (!(entry & AMDV1PT_PR))
			return 0;
		/* The common case first: a PDE, NextLevel 1..6 above level 0 */
		if (level && nl - 1 < 6) {
			tbl = table_peek(pt, pde_table(pt, entry));
			level--;
			continue;
		}
		if (nl == AMDV1PT_NL_SIZE)
			return entry_oa(pt, entry) |
			       lg2_mod(iova, oa_lg2sz(pt, entry, level));
		return entry_oa(pt, entry) | lg2_mod(iova, isz_lg2);
	}
}
