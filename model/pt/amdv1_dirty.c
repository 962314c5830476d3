// SPDX-License-Identifier: MIT
/*
 * The write-dirty bit of AMDv1 leaves, as Linux 7.3's generic_pt reads and
 * sets it: read_and_clear_dirty() and set_dirty() of
 * drivers/iommu/generic_pt/iommu_pt.h over fmt/amdv1.h's
 * amdv1pt_entry_is_write_dirty() (any item of a contiguous entry dirty
 * makes the whole entry dirty), amdv1pt_entry_make_write_clean() (every
 * item cleared) and amdv1pt_entry_make_write_dirty() (the one item the
 * IOVA lands in). Hardware sets D on a write through the table; the
 * IOMMUFD_TEST mock sets it through set_dirty (IOMMU_TEST_OP_DIRTY).
 */
#include <errno.h>

#include "pt/amdv1_priv.h"

struct dirty_walk {
	u64 va, last;
	bool no_clear;
	pt_amdv1_dirty_fn record;
	void *priv;
};

/* The first item of the contiguous entry item @i belongs to */
static unsigned int entry_first(const struct pt_amdv1 *pt, u64 entry,
				unsigned int level, unsigned int i)
{
	return i & ~((1U << contig_lg2(pt, entry, level)) - 1);
}

/* __read_and_clear_dirty() on one leaf: record_dirty() if any item is D */
static void leaf_dirty(const struct pt_amdv1 *pt, struct dirty_walk *d,
		       u64 *tbl, unsigned int first, unsigned int level,
		       u64 entry_va)
{
	unsigned int n = 1U << contig_lg2(pt, tbl[first], level);
	unsigned int lg2sz = oa_lg2sz(pt, tbl[first], level);
	bool dirty = false;

	for (unsigned int i = first; i < first + n; i++)
		dirty |= !!(tbl[i] & AMDV1PT_D);
	if (!dirty)
		return;
	d->record(d->priv, entry_va, 1ULL << lg2sz);
	if (d->no_clear)
		return;
	for (unsigned int i = first; i < first + n; i++)
		tbl[i] &= ~AMDV1PT_D;
}

/* pt_walk_range() of [d->va, d->last] through the table at @pa, whose
 * first item translates @base and whose items are 2^isz bytes */
static void walk_dirty(const struct pt_amdv1 *pt, struct dirty_walk *d, u64 pa,
		       unsigned int level, u64 base, unsigned int nitems)
{
	u64 *tbl = table_ptr(pt, pa);
	unsigned int isz_lg2 = item_lg2sz(pt, level);
	u64 from = d->va > base ? d->va : base;
	unsigned int i = lg2_div(from - base, isz_lg2);

	while (i < nitems) {
		u64 item_va = base + ((u64)i << isz_lg2);
		unsigned int first, n = 1;

		if (item_va > d->last)
			return;
		switch (entry_type(tbl[i], level)) {
		case ENTRY_TABLE:
			walk_dirty(pt, d, pde_table(pt, tbl[i]), level - 1,
				   item_va, ITEMS);
			break;
		case ENTRY_OA:
			first = entry_first(pt, tbl[i], level, i);
			leaf_dirty(pt, d, tbl, first, level,
				   base + ((u64)first << isz_lg2));
			n = first + (1U << contig_lg2(pt, tbl[i], level)) - i;
			break;
		case ENTRY_EMPTY:
			break;
		}
		if (item_va + ((u64)n << isz_lg2) - 1 < item_va)
			return; /* the end of the VA space */
		i += n;
	}
}

void pt_amdv1_read_and_clear_dirty(struct pt_amdv1 *pt, u64 iova, u64 len,
				   bool no_clear, pt_amdv1_dirty_fn record,
				   void *priv)
{
	struct dirty_walk d = { .va = iova,
				.last = iova + len - 1,
				.no_clear = no_clear,
				.record = record,
				.priv = priv };
	unsigned int top_items;

	/* make_range(): nothing beyond what the top translates */
	if (!len || d.last < iova || lg2_div(iova, pt->top_vasz_lg2))
		return;
	if (lg2_div(d.last, pt->top_vasz_lg2))
		d.last = lg2_max(pt->top_vasz_lg2);
	top_items =
		1U << min_u(PT_AMDV1_ITEMS_LG2,
			    pt->top_vasz_lg2 - item_lg2sz(pt, pt->top_level));
	walk_dirty(pt, &d, pt->top_pa, pt->top_level, 0, top_items);
}

/* NS(set_dirty) -> __set_dirty(): the item @iova lands in gets D;
 * -ENOENT when nothing maps it */
int pt_amdv1_set_dirty(struct pt_amdv1 *pt, u64 iova)
{
	unsigned int level = pt->top_level;
	u64 *tbl;

	if (lg2_div(iova, pt->top_vasz_lg2))
		return -ERANGE;
	tbl = table_ptr(pt, pt->top_pa);
	for (;;) {
		unsigned int isz_lg2 = item_lg2sz(pt, level);
		unsigned int i = level == pt->top_level
					 ? lg2_div(iova, isz_lg2)
					 : (iova >> isz_lg2) & (ITEMS - 1);

		switch (entry_type(tbl[i], level)) {
		case ENTRY_EMPTY:
			return -ENOENT;
		case ENTRY_TABLE:
			tbl = table_ptr(pt, pde_table(pt, tbl[i]));
			level--;
			break;
		case ENTRY_OA:
			tbl[i] |= AMDV1PT_D;
			return 0;
		}
	}
}
