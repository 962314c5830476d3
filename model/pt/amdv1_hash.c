// SPDX-License-Identifier: MIT
/*
 * amdv1_hash.c - an AMDv1 table folded into a 64-bit hash from its own
 * words (pt_amdv1_hash(), amdv1.h): every present entry with its index,
 * each lower table below its PDE, and the table's geometry. It sees what
 * pt_amdv1_dump() prints, without formatting any of it: an explorer's
 * visited set hashes every state it reaches.
 */
#include "pt/amdv1_priv.h"

static u64 mix(u64 h, u64 v)
{
	h = (h ^ v) * 0x9e3779b97f4a7c15ull;
	return h ^ (h >> 29);
}

static u64 hash_table(const struct pt_amdv1 *pt, u64 pa, unsigned int level,
		      u64 h)
{
	const u64 *tbl = physmem_table_ptr(pt->mem, pa);

	h = mix(h, pa);
	for (unsigned int i = 0; tbl && i < ITEMS; i++) {
		u64 e = tbl[i];

		/* most tables are mostly empty: skip eight zeros at a time */
		if (!(i & 7) &&
		    !(tbl[i] | tbl[i + 1] | tbl[i + 2] | tbl[i + 3] |
		      tbl[i + 4] | tbl[i + 5] | tbl[i + 6] | tbl[i + 7])) {
			i += 7;
			continue;
		}
		if (!e || entry_type(e, level) == ENTRY_EMPTY)
			continue;
		h = mix(mix(h, i), e);
		if (entry_type(e, level) == ENTRY_TABLE)
			h = hash_table(pt, pde_table(pt, e), level - 1, h);
	}
	return mix(h, ITEMS);
}

u64 pt_amdv1_hash(struct pt_amdv1 *pt, u64 h)
{
	h = mix(h, pt->top_pa);
	/* the mock's bytes read otherwise; AMDv1's hash kept as it was */
	if (pt->fmt != &pt_amdv1_fmt)
		h = mix(h, pt->fmt->granule_lg2);
	h = mix(h, pt->top_level);
	h = mix(h, pt->top_vasz_lg2);
	h = mix(h, pt->max_vasz_lg2);
	h = mix(h, pt->max_oasz_lg2);
	h = mix(h, pt->nr_tables);
	h = mix(h, pt->pgsize_bitmap);
	if (!pt->top_pa)
		return h;
	/* the walk's fold starts from a constant, so it keeps across
	 * states whose table region has not changed since (gen 0 is a
	 * physmem nothing was ever allocated in: never kept) */
	if (!pt->hash_gen || pt->hash_gen != pt->mem->gen) {
		pt->hash_tables = hash_table(pt, pt->top_pa, pt->top_level,
					     0x616d647631ull);
		pt->hash_gen = pt->mem->gen;
	}
	return mix(h, pt->hash_tables);
}
