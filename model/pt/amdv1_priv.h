/* SPDX-License-Identifier: MIT */
/*
 * Private to model/pt/amdv1*.c: the AMDv1 format helpers (fmt/amdv1.h) and
 * the range arithmetic of a walk (pt_iter.h), shared by the table's
 * lifetime code (amdv1.c) and its map/unmap walks (amdv1_map.c).
 */
#ifndef IOMMUSIM_PT_AMDV1_PRIV_H
#define IOMMUSIM_PT_AMDV1_PRIV_H

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

/* ---- format: fmt/amdv1.h, either variant (pt->fmt) ---- */

/* pt_table_item_lg2sz() */
static inline unsigned int item_lg2sz(const struct pt_amdv1 *pt,
				      unsigned int level)
{
	return pt_amdv1_item_lg2sz(pt->fmt, level);
}

/* amdv1pt_table_pa(): the lower table a PDE points to */
static inline u64 pde_table(const struct pt_amdv1 *pt, u64 entry)
{
	return pt_amdv1_field_oa(pt->fmt, entry);
}

/* A table to write (its page made this physmem's own, physmem.h's copy
 * on write): every walk that may write takes its pointers here. */
static inline u64 *table_ptr(const struct pt_amdv1 *pt, u64 pa)
{
	return physmem_table_ptr_mut(pt->mem, pa);
}

/* A table to read only (a page shared with a copy stays shared). */
static inline const u64 *table_peek(const struct pt_amdv1 *pt, u64 pa)
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
static inline unsigned int oa_lg2sz(const struct pt_amdv1 *pt, u64 entry,
				    unsigned int level)
{
	if (amdv1pt_next_level(entry) != AMDV1PT_NL_SIZE)
		return item_lg2sz(pt, level);
	return pt_amdv1_size_code_lg2(pt->fmt, entry);
}

/* amdv1pt_entry_num_contig_lg2(): items the entry is replicated into */
static inline unsigned int contig_lg2(const struct pt_amdv1 *pt, u64 entry,
				      unsigned int level)
{
	return oa_lg2sz(pt, entry, level) - item_lg2sz(pt, level);
}

/* amdv1pt_entry_oa(): start of the entry's OA, size code removed */
static inline u64 entry_oa(const struct pt_amdv1 *pt, u64 entry)
{
	u64 oa = pt_amdv1_field_oa(pt->fmt, entry);

	if (amdv1pt_next_level(entry) == AMDV1PT_NL_SIZE)
		oa &= ~lg2_max(pt_amdv1_size_code_lg2(pt->fmt, entry));
	return oa;
}

/*
 * amdv1pt_install_table(): IR and IW are ANDed down the walk, and 7.3
 * controls permissions from the leaf only, so every PDE grants both.
 * NextLevel is the PDE's own generic level = the AMD level of the table below.
 */
static inline u64 make_pde(const struct pt_amdv1 *pt, u64 table_pa,
			   unsigned int level)
{
	return AMDV1PT_PR | ((u64)level << AMDV1PT_NL_SHIFT) |
	       pt_amdv1_oa_field(pt->fmt, table_pa) | AMDV1PT_IR | AMDV1PT_IW;
}

/* ---- the range being walked: struct pt_range, pt_iter.h ---- */

struct walk {
	u64 va;
	u64 last_va;
	unsigned int top_level;
	unsigned int top_vasz_lg2;
};

/* _pt_top_range(): VA bits a top at @level covers */
static inline unsigned int top_vasz_for(const struct pt_amdv1 *pt,
					unsigned int level)
{
	if (pt->cfg.dynamic_top && level != pt->fmt->max_top_level)
		return min_u(pt->max_vasz_lg2,
			     item_lg2sz(pt, level) + PT_AMDV1_ITEMS_LG2);
	return pt->max_vasz_lg2;
}

/* pt_check_range(): no VA bits above what the top translates */
static inline int check_range(u64 va, u64 last_va, unsigned int vasz_lg2)
{
	if (lg2_div(va, vasz_lg2) || lg2_div(last_va, vasz_lg2))
		return -ERANGE;
	return 0;
}

static inline struct walk make_walk(const struct pt_amdv1 *pt, u64 va,
				    u64 last_va)
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
static inline unsigned int table_lg2sz(const struct pt_amdv1 *pt,
				       const struct walk *w, unsigned int level)
{
	if (level == w->top_level)
		return w->top_vasz_lg2;
	return min_u(pt->max_vasz_lg2,
		     item_lg2sz(pt, level) + PT_AMDV1_ITEMS_LG2);
}

/* pt_range_to_index() */
static inline unsigned int va_index(const struct pt_amdv1 *pt,
				    const struct walk *w, unsigned int level,
				    u64 va)
{
	unsigned int isz_lg2 = item_lg2sz(pt, level);

	if (level == w->top_level)
		return lg2_mod(va, w->top_vasz_lg2) >> isz_lg2;
	return (va >> isz_lg2) & (ITEMS - 1);
}

/* pt_range_to_end_index(): one past the last index the range touches */
static inline unsigned int end_index(const struct pt_amdv1 *pt,
				     const struct walk *w, unsigned int level,
				     unsigned int index)
{
	unsigned int isz_lg2 = item_lg2sz(pt, level);

	if (w->va == w->last_va)
		return index + 1;
	if (level == w->top_level)
		return (lg2_mod(w->last_va, w->top_vasz_lg2) >> isz_lg2) + 1;
	if (lg2_div(w->va ^ w->last_va, isz_lg2 + PT_AMDV1_ITEMS_LG2) == 0)
		return ((w->last_va >> isz_lg2) & (ITEMS - 1)) + 1;
	return ITEMS;
}

/* pt_index_to_va(): point the range at the start of item @index */
static inline void index_to_va(const struct pt_amdv1 *pt, struct walk *w,
			       unsigned int level, unsigned int index)
{
	u64 lower = (u64)index << item_lg2sz(pt, level);

	w->va = (w->va & ~lg2_max(table_lg2sz(pt, w, level))) | lower;
}

/* pt_entry_fully_covered() */
static inline bool fully_covered(const struct walk *w, unsigned int lg2sz)
{
	if (lg2_mod(w->va, lg2sz))
		return false;
	if (lg2_div(w->va ^ w->last_va, lg2sz))
		return true;
	return lg2_mod(w->last_va, lg2sz) == lg2_max(lg2sz);
}

/* Table pages owned by one table (amdv1.c) */
int amdv1_table_alloc(struct pt_amdv1 *pt, u64 *pa);
void amdv1_table_free(struct pt_amdv1 *pt, u64 pa);
/* Free the table at @pa and every table below it */
void amdv1_free_subtree(struct pt_amdv1 *pt, u64 pa, unsigned int level);

#endif
