// SPDX-License-Identifier: MIT
/*
 * The AMDv1 IO page table, reproducing Linux 7.3's generic_pt
 * (drivers/iommu/generic_pt/iommu_pt.h) over the AMDv1 format
 * (generic_pt/fmt/amdv1.h). Our own code: the decisions (page sizes, errnos,
 * what is left behind, which tables are freed) are the kernel's; the
 * structure is simpler because the model has no concurrency, no cache
 * flushing and no IOTLB gather (freed tables are returned at once, where the
 * kernel returns them at the end of the operation: same final state).
 */
#include <errno.h>
#include <string.h>

#include "pt/amdv1.h"

enum entry_type { ENTRY_EMPTY, ENTRY_TABLE, ENTRY_OA };

enum { ITEMS = 1 << PT_AMDV1_ITEMS_LG2 };

/* ---- log2 arithmetic that stays defined at 64 (pt_log2.h, fvalog2_*) ---- */

static inline u64 lg2_max(unsigned int lg2)
{
	return lg2 >= 64 ? ~0ULL : (1ULL << lg2) - 1;
}

static inline u64 lg2_mod(u64 a, unsigned int lg2)
{
	return a & lg2_max(lg2);
}

static inline u64 lg2_div(u64 a, unsigned int lg2)
{
	return lg2 >= 64 ? 0 : a >> lg2;
}

static inline unsigned int min_u(unsigned int a, unsigned int b)
{
	return a < b ? a : b;
}

/* ---- format: fmt/amdv1.h ---- */

static inline u64 *table_ptr(const struct pt_amdv1 *pt, u64 pa)
{
	return physmem_table_ptr(pt->mem, pa);
}

/* amdv1pt_load_entry_raw(): level 0, NextLevel 0 and 7 are leaves */
static inline enum entry_type entry_type(u64 entry, unsigned int level)
{
	unsigned int nl = amdv1pt_next_level(entry);

	if (!(entry & AMDV1PT_PR))
		return ENTRY_EMPTY;
	if (level == 0 || nl == AMDV1PT_NL_DEFAULT || nl == AMDV1PT_NL_SIZE)
		return ENTRY_OA;
	return ENTRY_TABLE;
}

/* pt_entry_oa_lg2sz(): VA/OA size of the whole (contiguous) entry */
static inline unsigned int oa_lg2sz(u64 entry, unsigned int level)
{
	if (amdv1pt_next_level(entry) != AMDV1PT_NL_SIZE)
		return amdv1pt_item_lg2sz(level);
	return amdv1pt_size_code_lg2(entry);
}

/* amdv1pt_entry_num_contig_lg2(): items the entry is replicated into */
static inline unsigned int contig_lg2(u64 entry, unsigned int level)
{
	return oa_lg2sz(entry, level) - amdv1pt_item_lg2sz(level);
}

/* amdv1pt_entry_oa(): start of the entry's OA, size code removed */
static inline u64 entry_oa(u64 entry, unsigned int level)
{
	u64 oa = entry & AMDV1PT_OA_MASK;

	if (amdv1pt_next_level(entry) == AMDV1PT_NL_SIZE)
		oa &= ~lg2_max(amdv1pt_size_code_lg2(entry));
	return oa;
}

/*
 * amdv1pt_install_table(): IR and IW are ANDed down the walk, and 7.3
 * controls permissions from the leaf only, so every PDE grants both.
 * NextLevel is the PDE's own generic level = the AMD level of the table below.
 */
static inline u64 make_pde(u64 table_pa, unsigned int level)
{
	return AMDV1PT_PR | ((u64)level << AMDV1PT_NL_SHIFT) |
	       (table_pa & AMDV1PT_OA_MASK) | AMDV1PT_IR | AMDV1PT_IW;
}

/*
 * amdv1pt_install_leaf_entry(): a single item is NextLevel 0; a larger
 * power of two is NextLevel 7 with 2^(size - 13) - 1 ones ORed in from bit
 * 12, written into every item it covers. The address is truncated to bits
 * 51:12 as FIELD_PREP does.
 */
static void install_leaf(u64 *tbl, unsigned int index, unsigned int level,
			 u64 oa, unsigned int pgsz_lg2, u64 attrs)
{
	unsigned int isz_lg2 = amdv1pt_item_lg2sz(level);
	u64 entry = AMDV1PT_PR | (oa & AMDV1PT_OA_MASK) | attrs;
	unsigned int i, n;

	if (pgsz_lg2 == isz_lg2) {
		tbl[index] = entry;
		return;
	}
	entry |= (u64)AMDV1PT_NL_SIZE << AMDV1PT_NL_SHIFT;
	entry |= (lg2_max(pgsz_lg2 - PT_AMDV1_GRANULE_LG2 - 1)
		  << PT_AMDV1_GRANULE_LG2) &
		 AMDV1PT_OA_MASK;
	n = 1U << (pgsz_lg2 - isz_lg2);
	for (i = 0; i < n; i++)
		tbl[index + i] = entry;
}

/* amdv1pt_iommu_set_prot() */
static u64 prot_to_attrs(const struct pt_amdv1 *pt, int prot)
{
	u64 attrs = 0;

	if (pt->cfg.force_coherence)
		attrs |= AMDV1PT_FC;
	if (prot & IOMMU_READ)
		attrs |= AMDV1PT_IR;
	if (prot & IOMMU_WRITE)
		attrs |= AMDV1PT_IW;
	/* ENCRYPT_TABLES: __sme_set() is the identity without SME */
	return attrs;
}

/* ---- the range being walked: struct pt_range, pt_iter.h ---- */

struct walk {
	u64 va;
	u64 last_va;
	unsigned int top_level;
	unsigned int top_vasz_lg2;
};

/* _pt_top_range(): VA bits a top at @level covers */
static unsigned int top_vasz_for(const struct pt_amdv1 *pt, unsigned int level)
{
	if (pt->cfg.dynamic_top && level != PT_AMDV1_MAX_TOP_LEVEL)
		return min_u(pt->max_vasz_lg2,
			     amdv1pt_item_lg2sz(level) + PT_AMDV1_ITEMS_LG2);
	return pt->max_vasz_lg2;
}

/* pt_check_range(): no VA bits above what the top translates */
static int check_range(u64 va, u64 last_va, unsigned int vasz_lg2)
{
	if (lg2_div(va, vasz_lg2) || lg2_div(last_va, vasz_lg2))
		return -ERANGE;
	return 0;
}

static struct walk make_walk(const struct pt_amdv1 *pt, u64 va, u64 last_va)
{
	struct walk w = {
		.va = va,
		.last_va = last_va,
		.top_level = pt->top_level,
		.top_vasz_lg2 = pt->top_vasz_lg2,
	};
	return w;
}

/* pt_table_oa_lg2sz() */
static unsigned int table_lg2sz(const struct pt_amdv1 *pt, const struct walk *w,
				unsigned int level)
{
	if (level == w->top_level)
		return w->top_vasz_lg2;
	return min_u(pt->max_vasz_lg2,
		     amdv1pt_item_lg2sz(level) + PT_AMDV1_ITEMS_LG2);
}

/* pt_range_to_index() */
static unsigned int va_index(const struct walk *w, unsigned int level, u64 va)
{
	unsigned int isz_lg2 = amdv1pt_item_lg2sz(level);

	if (level == w->top_level)
		return lg2_mod(va, w->top_vasz_lg2) >> isz_lg2;
	return (va >> isz_lg2) & (ITEMS - 1);
}

/* pt_range_to_end_index(): one past the last index the range touches */
static unsigned int end_index(const struct walk *w, unsigned int level,
			      unsigned int index)
{
	unsigned int isz_lg2 = amdv1pt_item_lg2sz(level);

	if (w->va == w->last_va)
		return index + 1;
	if (level == w->top_level)
		return (lg2_mod(w->last_va, w->top_vasz_lg2) >> isz_lg2) + 1;
	if (lg2_div(w->va ^ w->last_va, isz_lg2 + PT_AMDV1_ITEMS_LG2) == 0)
		return ((w->last_va >> isz_lg2) & (ITEMS - 1)) + 1;
	return ITEMS;
}

/* pt_index_to_va(): point the range at the start of item @index */
static void index_to_va(const struct pt_amdv1 *pt, struct walk *w,
			unsigned int level, unsigned int index)
{
	u64 lower = (u64)index << amdv1pt_item_lg2sz(level);

	w->va = (w->va & ~lg2_max(table_lg2sz(pt, w, level))) | lower;
}

/* pt_entry_fully_covered() */
static bool fully_covered(const struct walk *w, unsigned int lg2sz)
{
	if (lg2_mod(w->va, lg2sz))
		return false;
	if (lg2_div(w->va ^ w->last_va, lg2sz))
		return true;
	return lg2_mod(w->last_va, lg2sz) == lg2_max(lg2sz);
}

/* ---- table pages ---- */

static int table_alloc(struct pt_amdv1 *pt, u64 *pa)
{
	int ret = physmem_alloc_table(pt->mem, pa);

	if (!ret)
		pt->nr_tables++;
	return ret;
}

static void table_free(struct pt_amdv1 *pt, u64 pa)
{
	physmem_free_table(pt->mem, pa);
	pt->nr_tables--;
}

/* Free the table at @pa and every table below it (NS(deinit)). */
static void free_subtree(struct pt_amdv1 *pt, u64 pa, unsigned int level)
{
	u64 *tbl = table_ptr(pt, pa);
	unsigned int i;

	for (i = 0; level && i < ITEMS; i++)
		if (entry_type(tbl[i], level) == ENTRY_TABLE)
			free_subtree(pt, tbl[i] & AMDV1PT_OA_MASK, level - 1);
	table_free(pt, pa);
}

/* __collect_tables() with check_mapped: -EADDRINUSE if any leaf below */
static int check_no_leaf(const struct pt_amdv1 *pt, u64 pa, unsigned int level)
{
	const u64 *tbl = table_ptr(pt, pa);
	unsigned int i;
	int ret;

	for (i = 0; i < ITEMS; i++) {
		switch (entry_type(tbl[i], level)) {
		case ENTRY_OA:
			return -EADDRINUSE;
		case ENTRY_TABLE:
			ret = check_no_leaf(pt, tbl[i] & AMDV1PT_OA_MASK,
					    level - 1);
			if (ret)
				return ret;
			break;
		case ENTRY_EMPTY:
			break;
		}
	}
	return 0;
}

/* ---- init / deinit ---- */

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

/* amdv1pt_possible_sizes(): every size from the item to 256 items, no 512G */
static u64 possible_sizes(unsigned int level)
{
	unsigned int isz_lg2 = amdv1pt_item_lg2sz(level);
	unsigned int hi;

	/* Table 15: the top-most level cannot have translation entries */
	if (level >= PT_AMDV1_MAX_TOP_LEVEL)
		return 0;
	hi = min_u(51, isz_lg2 + PT_AMDV1_ITEMS_LG2 - 1);
	return (lg2_max(hi + 1) & ~lg2_max(isz_lg2)) & ~(1ULL << 39);
}

/* NS(get_info): the page sizes the domain advertises */
static u64 compute_pgsize_bitmap(const struct pt_amdv1 *pt)
{
	u64 bitmap = 0;
	unsigned int level;

	for (level = 0; level <= PT_AMDV1_MAX_TOP_LEVEL; level++) {
		if (pt->cfg.dynamic_top) {
			if (amdv1pt_item_lg2sz(level) >= pt->max_vasz_lg2)
				break;
		} else if (level > pt->top_level) {
			break;
		}
		bitmap |= possible_sizes(level);
	}
	/* A page covering the whole VA space is not allowed: -1 */
	bitmap = lg2_mod(bitmap, pt->max_vasz_lg2 - 1);
	return lg2_mod(bitmap, pt->max_oasz_lg2);
}

/* pt_iommu_init() argument checks, amdv1pt_iommu_fmt_init(), pt_init_common() */
static int check_cfg(struct pt_amdv1 *pt, const struct pt_amdv1_cfg *cfg)
{
	unsigned int vasz = PT_AMDV1_MAX_VA_LG2;

	if (cfg->hw_max_vasz_lg2 > PT_AMDV1_MAX_VA_LG2 ||
	    !cfg->hw_max_vasz_lg2 || !cfg->hw_max_oasz_lg2)
		return -EINVAL;
	if (cfg->starting_level == 0 ||
	    cfg->starting_level > PT_AMDV1_MAX_TOP_LEVEL)
		return -EINVAL;
	if (!cfg->dynamic_top && cfg->starting_level != PT_AMDV1_MAX_TOP_LEVEL)
		vasz = amdv1pt_item_lg2sz(cfg->starting_level) +
		       PT_AMDV1_ITEMS_LG2;
	pt->max_vasz_lg2 = min_u(vasz, cfg->hw_max_vasz_lg2);
	pt->max_oasz_lg2 = min_u(PT_AMDV1_MAX_OA_LG2, cfg->hw_max_oasz_lg2);
	if (cfg->hw_max_oasz_lg2 > PT_AMDV1_MAX_OA_LG2)
		return -EINVAL;
	if (!cfg->debug_features &&
	    (!cfg->dynamic_top || !cfg->force_coherence))
		return -EOPNOTSUPP;
	return 0;
}

int pt_amdv1_init(struct pt_amdv1 *pt, struct physmem *mem,
		  const struct pt_amdv1_cfg *cfg)
{
	unsigned int aperture_vasz;
	int ret;

	memset(pt, 0, sizeof(*pt));
	pt->mem = mem;
	pt->cfg = *cfg;
	ret = check_cfg(pt, cfg);
	if (ret)
		return ret;
	pt->top_level = cfg->starting_level;
	pt->top_vasz_lg2 = top_vasz_for(pt, pt->top_level);
	pt->pgsize_bitmap = compute_pgsize_bitmap(pt);

	/* pt_iommu_init_domain(): with DYNAMIC_TOP, what the tallest top covers */
	aperture_vasz = cfg->dynamic_top
				? top_vasz_for(pt, PT_AMDV1_MAX_TOP_LEVEL)
				: pt->top_vasz_lg2;
	pt->aperture_start = 0;
	pt->aperture_end = lg2_max(aperture_vasz);

	ret = table_alloc(pt, &pt->top_pa);
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
	free_subtree(pt, pt->top_pa, pt->top_level);
	pt->top_pa = 0;
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
	tbl = table_ptr(pt, pt->top_pa);
	for (;;) {
		unsigned int isz_lg2 = amdv1pt_item_lg2sz(level);
		u64 entry = tbl[(iova >> isz_lg2) & (ITEMS - 1)];
		unsigned int nl = amdv1pt_next_level(entry);

		if (!(entry & AMDV1PT_PR))
			return 0;
		/* The common case first: a PDE, NextLevel 1..6 above level 0 */
		if (level && nl - 1 < 6) {
			tbl = table_ptr(pt, entry & AMDV1PT_OA_MASK);
			level--;
			continue;
		}
		if (nl == AMDV1PT_NL_SIZE)
			return entry_oa(entry, level) |
			       lg2_mod(iova, oa_lg2sz(entry, level));
		return (entry & AMDV1PT_OA_MASK) | lg2_mod(iova, isz_lg2);
	}
}

/* ---- map ---- */

struct map_state {
	u64 va; /* next VA to map */
	u64 last_va;
	u64 oa; /* next OA */
	u64 attrs;
	unsigned int pgsz_lg2; /* leaf size of the current run */
	u64 num_leaves;	       /* leaves of that size still to install */
};

/* pt_compute_best_pgsize(); 0 when no size fits */
static unsigned int best_pgsize(u64 bitmap, u64 va, u64 last_va, u64 oa)
{
	u64 len = last_va - va + 1;
	u64 mask = va | oa;
	unsigned int best;

	if (va >= last_va)
		return 0;
	/* the largest power of two not above len (len == 0: all 2^64) */
	mask |= len ? 1ULL << (63 - __builtin_clzll(len)) : 0;
	best = mask ? __builtin_ctzll(mask) : 64;
	bitmap = lg2_mod(bitmap, best + 1);
	if (!bitmap)
		return 0;
	return 63 - __builtin_clzll(bitmap);
}

/* pt_pgsz_count(): run length until the next larger size could start */
static u64 pgsize_count(u64 bitmap, u64 va, u64 last_va, u64 oa,
			unsigned int pgsz_lg2)
{
	u64 len = last_va - va + 1;
	u64 larger = bitmap & ~lg2_max(pgsz_lg2 + 1);

	if (larger) {
		unsigned int next_lg2 = __builtin_ctzll(larger);

		if (lg2_mod(va ^ oa, next_lg2) == 0) {
			u64 room = (va | lg2_max(next_lg2)) - va + 1;

			if (room && room < len)
				len = room;
		}
	}
	return len >> pgsz_lg2;
}

/* pt_pgsz_lg2_to_level() */
static unsigned int pgsz_level(unsigned int pgsz_lg2)
{
	return (pgsz_lg2 - PT_AMDV1_GRANULE_LG2) / PT_AMDV1_ITEMS_LG2;
}

/*
 * increase_top(): stack new tops, each linking the previous one at index
 * 0, until the range fits and the leaf level exists; publish only when all
 * allocations succeeded.
 */
static int increase_top(struct pt_amdv1 *pt, const struct map_state *m)
{
	unsigned int leaf_level = pgsz_level(m->pgsz_lg2);
	unsigned int level = pt->top_level;
	u64 new_pas[PT_AMDV1_MAX_TOP_LEVEL + 1];
	unsigned int nr_new = 0;
	u64 top_pa = pt->top_pa;
	int ret;

	while (check_range(m->va, m->last_va, top_vasz_for(pt, level)) ||
	       leaf_level > level) {
		level++;
		if (level > PT_AMDV1_MAX_TOP_LEVEL ||
		    amdv1pt_item_lg2sz(level) >= pt->max_vasz_lg2) {
			ret = -ERANGE;
			goto err_free;
		}
		ret = table_alloc(pt, &new_pas[nr_new]);
		if (ret)
			goto err_free;
		table_ptr(pt, new_pas[nr_new])[0] = make_pde(top_pa, level);
		top_pa = new_pas[nr_new++];
	}
	pt->top_pa = top_pa;
	pt->top_level = level;
	pt->top_vasz_lg2 = top_vasz_for(pt, level);
	if (pt->change_top)
		pt->change_top(pt->change_top_priv, top_pa, level);
	return 0;

err_free:
	while (nr_new)
		table_free(pt, new_pas[--nr_new]);
	return ret;
}

/* check_map_range() */
static int check_map_range(struct pt_amdv1 *pt, const struct map_state *m)
{
	int ret = check_range(m->va, m->last_va, pt->top_vasz_lg2);

	if (!pt->cfg.dynamic_top)
		return ret;
	if (!ret && pgsz_level(m->pgsz_lg2) <= pt->top_level)
		return 0;
	return increase_top(pt, m);
}

/*
 * clear_contig(): before a leaf goes into @n items, each must be empty or
 * a table with no leaf below it; such tables are unlinked and freed. A
 * leaf makes it -EADDRINUSE, with the tables met before it already gone.
 */
static int clear_items(struct pt_amdv1 *pt, u64 *tbl, unsigned int level,
		       unsigned int index, unsigned int n)
{
	unsigned int i;
	int ret;

	for (i = index; i < index + n; i++) {
		enum entry_type type = entry_type(tbl[i], level);
		u64 lower = tbl[i] & AMDV1PT_OA_MASK;

		if (type == ENTRY_OA)
			return -EADDRINUSE;
		if (type != ENTRY_TABLE)
			continue;
		ret = check_no_leaf(pt, lower, level - 1);
		if (ret)
			return ret;
		tbl[i] = 0;
		free_subtree(pt, lower, level - 1);
	}
	return 0;
}

/*
 * __map_range(): walk from the top to the table that holds leaves of the
 * current size, creating missing tables; a leaf on the way is -EADDRINUSE.
 */
static int find_leaf_table(struct pt_amdv1 *pt, const struct walk *w,
			   unsigned int leaf_level, u64 **tblp)
{
	unsigned int level = w->top_level;
	u64 *tbl = table_ptr(pt, pt->top_pa);
	u64 pa;
	int ret;

	for (; level > leaf_level; level--) {
		u64 *item = &tbl[va_index(w, level, w->va)];

		switch (entry_type(*item, level)) {
		case ENTRY_OA:
			return -EADDRINUSE;
		case ENTRY_EMPTY:
			ret = table_alloc(pt, &pa);
			if (ret)
				return ret;
			*item = make_pde(pa, level);
			break;
		case ENTRY_TABLE:
			break;
		}
		tbl = table_ptr(pt, *item & AMDV1PT_OA_MASK);
	}
	*tblp = tbl;
	return 0;
}

/*
 * __map_range_leaf(): install as many leaves of the current run as fit in
 * one table, advancing m->va and m->oa past each one installed.
 */
static int map_leaf_run(struct pt_amdv1 *pt, struct map_state *m)
{
	unsigned int level = pgsz_level(m->pgsz_lg2);
	struct walk w = make_walk(pt, m->va, m->last_va);
	unsigned int step_lg2 = m->pgsz_lg2 - amdv1pt_item_lg2sz(level);
	unsigned int index;
	u64 *tbl, n;
	int ret;

	ret = find_leaf_table(pt, &w, level, &tbl);
	if (ret)
		return ret;
	index = va_index(&w, level, w.va);
	/* Leaves that fit before the range or this table ends */
	n = (end_index(&w, level, index) - index) >> step_lg2;
	if (m->num_leaves < n)
		n = m->num_leaves;
	/* Unreachable (a run never outgrows its range); never spin on it */
	if (!n)
		return -ENXIO;

	for (; n; n--, index += 1U << step_lg2) {
		if ((tbl[index] & AMDV1PT_PR) || step_lg2) {
			ret = clear_items(pt, tbl, level, index,
					  1U << step_lg2);
			if (ret)
				return ret;
		}
		install_leaf(tbl, index, level, m->oa, m->pgsz_lg2, m->attrs);
		m->oa += 1ULL << m->pgsz_lg2;
		m->va += 1ULL << m->pgsz_lg2;
		m->num_leaves--;
	}
	return 0;
}

/* Choose the next run; -ENXIO when no size fits what is left. */
static int next_run(const struct pt_amdv1 *pt, struct map_state *m)
{
	m->pgsz_lg2 = best_pgsize(pt->pgsize_bitmap, m->va, m->last_va, m->oa);
	if (!m->pgsz_lg2)
		return -ENXIO;
	m->num_leaves = pgsize_count(pt->pgsize_bitmap, m->va, m->last_va,
				     m->oa, m->pgsz_lg2);
	return 0;
}

/*
 * The runs after the first. When the tail is shorter than 4 KiB 7.3's
 * __map_range_leaf() computes a page size of 0; a CONFIG_DEBUG_GENERIC_PT
 * kernel then fails with -ENXIO (pt_iommu_new_table at level 0), which is
 * what we return (a production kernel's PT_WARN_ON is a no-op there).
 */
static int do_map(struct pt_amdv1 *pt, struct map_state *m)
{
	int ret;

	for (;;) {
		ret = map_leaf_run(pt, m);
		if (ret)
			return ret;
		if (m->num_leaves)
			continue;
		if (m->va - 1 == m->last_va)
			return 0;
		ret = next_run(pt, m);
		if (ret)
			return ret;
	}
}

static int map_checks(const struct pt_amdv1 *pt, u64 iova, u64 pa, u64 len,
		      int prot)
{
	if (!(prot & (IOMMU_READ | IOMMU_WRITE)))
		return -EINVAL;
	if (pt->max_oasz_lg2 != 64 && lg2_div(pa, pt->max_oasz_lg2))
		return -ERANGE;
	if (!len)
		return -EINVAL;
	if (iova + (len - 1) < iova)
		return -EOVERFLOW;
	return 0;
}

int pt_amdv1_map(struct pt_amdv1 *pt, u64 iova, u64 pa, u64 len, int prot,
		 u64 *mapped)
{
	struct map_state m = {
		.va = iova,
		.last_va = iova + len - 1,
		.oa = pa,
	};
	int ret;

	ret = map_checks(pt, iova, pa, len, prot);
	if (ret)
		return ret;
	m.attrs = prot_to_attrs(pt, prot);

	/* The single 4 KiB page fast path rejects misalignment first */
	if (len == PHYSMEM_PAGE_SIZE && (pt->pgsize_bitmap & len)) {
		if ((iova | pa) & (PHYSMEM_PAGE_SIZE - 1))
			return -ENXIO;
		m.pgsz_lg2 = PT_AMDV1_GRANULE_LG2;
		m.num_leaves = 1;
	} else {
		ret = next_run(pt, &m);
		if (ret)
			return ret;
	}
	ret = check_map_range(pt, &m);
	if (ret)
		return ret;
	ret = do_map(pt, &m);
	if (mapped)
		*mapped += m.oa - pa;
	return ret;
}

/* ---- unmap ---- */

/*
 * __unmap_range(): the first item may not start inside a leaf; after that
 * every item up to the range's end must be present. Leaves go whole; a
 * table the range fully covers is freed once everything below it went.
 */
static int unmap_level(struct pt_amdv1 *pt, struct walk *w, unsigned int level,
		       u64 table_pa, u64 *unmapped)
{
	u64 *tbl = table_ptr(pt, table_pa);
	unsigned int index = va_index(w, level, w->va);
	unsigned int start = index, end = end_index(w, level, index);
	u64 num_oas = 0;
	int ret = 0;

	if (entry_type(tbl[index], level) == ENTRY_OA &&
	    lg2_mod(w->va, oa_lg2sz(tbl[index], level)))
		return -EINVAL;
	for (;;) {
		u64 entry = tbl[index];
		enum entry_type type = entry_type(entry, level);

		if (type == ENTRY_OA) {
			unsigned int n = 1U << contig_lg2(entry, level);

			memset(&tbl[index], 0, n * sizeof(*tbl));
			num_oas += n;
			index += n;
		} else if (type == ENTRY_TABLE) {
			u64 lower = entry & AMDV1PT_OA_MASK;
			bool covered;

			if (index != start)
				index_to_va(pt, w, level, index);
			covered = fully_covered(w, amdv1pt_item_lg2sz(level));
			ret = unmap_level(pt, w, level - 1, lower, unmapped);
			if (ret)
				break;
			if (covered) {
				tbl[index] = 0;
				table_free(pt, lower);
			}
			index++;
		} else {
			ret = -EINVAL;
			break;
		}
		if (index >= end)
			break;
	}
	*unmapped += num_oas << amdv1pt_item_lg2sz(level);
	return ret;
}

u64 pt_amdv1_unmap(struct pt_amdv1 *pt, u64 iova, u64 len)
{
	struct walk w;
	u64 unmapped = 0;

	/* make_range(): len 0 is -EINVAL, a wrap -EOVERFLOW, both report 0 */
	if (!len || iova + (len - 1) < iova)
		return 0;
	w = make_walk(pt, iova, iova + len - 1);
	if (check_range(w.va, w.last_va, w.top_vasz_lg2))
		return 0;
	unmap_level(pt, &w, w.top_level, pt->top_pa, &unmapped);
	return unmapped;
}
