// SPDX-License-Identifier: MIT
/*
 * Map and unmap on an AMDv1 table: NS(map_range) with increase_top() and
 * clear_contig(), and NS(unmap_range), from Linux 7.3's
 * drivers/iommu/generic_pt/iommu_pt.h. The decisions are the kernel's (page
 * sizes, errnos, what a failure leaves, which tables are freed); the shape
 * is ours: one leaf run at a time from the top, no concurrency, freed tables
 * returned at once instead of through the IOTLB gather.
 */
#include <errno.h>
#include <string.h>

#include "pt/amdv1_priv.h"

/*
 * amdv1pt_install_leaf_entry(): a single item is NextLevel 0; a larger
 * power of two is NextLevel 7 with 2^(size - granule - 1) - 1 ones ORed in
 * from bit 12 (the address field's bit 0), written into every item it
 * covers. The address is OA >> granule in bits 51:12, truncated as
 * FIELD_PREP does.
 */
static void install_leaf(const struct pt_amdv1 *pt, u64 *tbl,
			 unsigned int index, unsigned int level, u64 oa,
			 unsigned int pgsz_lg2, u64 attrs)
{
	unsigned int isz_lg2 = item_lg2sz(pt, level);
	u64 entry = AMDV1PT_PR | pt_amdv1_oa_field(pt->fmt, oa) | attrs;
	unsigned int i, n;

	if (pgsz_lg2 == isz_lg2) {
		tbl[index] = entry;
		return;
	}
	entry |= (u64)AMDV1PT_NL_SIZE << AMDV1PT_NL_SHIFT;
	entry |= (lg2_max(pgsz_lg2 - pt->fmt->granule_lg2 - 1)
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

/* __collect_tables() with check_mapped: -EADDRINUSE if any leaf below */
static int check_no_leaf(const struct pt_amdv1 *pt, u64 pa, unsigned int level)
{
	const u64 *tbl = table_peek(pt, pa);
	unsigned int i;
	int ret;

	for (i = 0; i < ITEMS; i++) {
		switch (entry_type(tbl[i], level)) {
		case ENTRY_OA:
			return -EADDRINUSE;
		case ENTRY_TABLE:
			ret = check_no_leaf(pt, pde_table(pt, tbl[i]),
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
static unsigned int pgsz_level(const struct pt_amdv1 *pt, unsigned int pgsz_lg2)
{
	return (pgsz_lg2 - pt->fmt->granule_lg2) / PT_AMDV1_ITEMS_LG2;
}

/*
 * increase_top(): stack new tops, each linking the previous one at index
 * 0, until the range fits and the leaf level exists; publish only when all
 * allocations succeeded.
 */
static int increase_top(struct pt_amdv1 *pt, const struct map_state *m)
{
	unsigned int leaf_level = pgsz_level(pt, m->pgsz_lg2);
	unsigned int level = pt->top_level;
	u64 new_pas[PT_AMDV1_MAX_TOP_LEVEL + 1];
	unsigned int nr_new = 0;
	u64 top_pa = pt->top_pa;
	int ret;

	while (check_range(m->va, m->last_va, top_vasz_for(pt, level)) ||
	       leaf_level > level) {
		level++;
		if (level > pt->fmt->max_top_level ||
		    item_lg2sz(pt, level) >= pt->max_vasz_lg2) {
			ret = -ERANGE;
			goto err_free;
		}
		ret = amdv1_table_alloc(pt, &new_pas[nr_new]);
		if (ret)
			goto err_free;
		table_ptr(pt, new_pas[nr_new])[0] = make_pde(pt, top_pa, level);
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
		amdv1_table_free(pt, new_pas[--nr_new]);
	return ret;
}

/* check_map_range() */
static int check_map_range(struct pt_amdv1 *pt, const struct map_state *m)
{
	int ret = check_range(m->va, m->last_va, pt->top_vasz_lg2);

	if (!pt->cfg.dynamic_top)
		return ret;
	if (!ret && pgsz_level(pt, m->pgsz_lg2) <= pt->top_level)
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
		u64 lower = pde_table(pt, tbl[i]);

		if (type == ENTRY_OA)
			return -EADDRINUSE;
		if (type != ENTRY_TABLE)
			continue;
		ret = check_no_leaf(pt, lower, level - 1);
		if (ret)
			return ret;
		tbl[i] = 0;
		amdv1_free_subtree(pt, lower, level - 1);
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
		u64 *item = &tbl[va_index(pt, w, level, w->va)];

		switch (entry_type(*item, level)) {
		case ENTRY_OA:
			return -EADDRINUSE;
		case ENTRY_EMPTY:
			ret = amdv1_table_alloc(pt, &pa);
			if (ret)
				return ret;
			*item = make_pde(pt, pa, level);
			break;
		case ENTRY_TABLE:
			break;
		}
		tbl = table_ptr(pt, pde_table(pt, *item));
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
	unsigned int level = pgsz_level(pt, m->pgsz_lg2);
	struct walk w = make_walk(pt, m->va, m->last_va);
	unsigned int step_lg2 = m->pgsz_lg2 - item_lg2sz(pt, level);
	unsigned int index;
	u64 *tbl, n;
	int ret;

	ret = find_leaf_table(pt, &w, level, &tbl);
	if (ret)
		return ret;
	index = va_index(pt, &w, level, w.va);
	/* Leaves that fit before the range or this table ends */
	n = (end_index(pt, &w, level, index) - index) >> step_lg2;
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
		install_leaf(pt, tbl, index, level, m->oa, m->pgsz_lg2,
			     m->attrs);
		m->oa += 1ULL << m->pgsz_lg2;
		m->va += 1ULL << m->pgsz_lg2;
		m->num_leaves--;
	}
	return 0;
}

/* WARN_ON(cond) in @func fired */
static void pt_warn(struct pt_amdv1 *pt, const char *func, const char *cond)
{
	struct pt_amdv1_report *r = &pt->report;

	if (r->nr_warn < sizeof(r->warn) / sizeof(r->warn[0])) {
		r->warn[r->nr_warn].func = func;
		r->warn[r->nr_warn].cond = cond;
	}
	r->nr_warn++;
}

/* PT_WARN_ON(cond): WARN_ON with CONFIG_DEBUG_GENERIC_PT, else false */
static bool pt_warn_on(struct pt_amdv1 *pt, const char *func, const char *cond)
{
	if (pt->cfg.debug)
		pt_warn(pt, func, cond);
	return pt->cfg.debug;
}

/*
 * Choose the next run; -ENXIO when no size fits what is left. A run of
 * one byte (len 1, or a 1-byte tail after the whole pages) is
 * pt_compute_best_pgsize()'s PT_WARN_ON(va >= last_va): with
 * CONFIG_DEBUG_GENERIC_PT a WARN before it returns 0; without it the
 * computation goes on and also finds no size (all are above 1 byte).
 */
static int next_run(struct pt_amdv1 *pt, struct map_state *m)
{
	if (m->va >= m->last_va)
		pt_warn_on(pt, "pt_compute_best_pgsize", "va >= last_va");
	m->pgsz_lg2 = best_pgsize(pt->pgsize_bitmap, m->va, m->last_va, m->oa);
	if (!m->pgsz_lg2)
		return -ENXIO;
	m->num_leaves = pgsize_count(pt->pgsize_bitmap, m->va, m->last_va,
				     m->oa, m->pgsz_lg2);
	return 0;
}

/*
 * A tail shorter than the granule after the whole pages: 7.3's __map_range_leaf()
 * computes a page size of 0 (a garbage leaf level), and the walk goes on
 * down through __map_range() to level 0 at the tail, creating missing
 * tables on the way. __map_range() at level 0 checks
 * PT_WARN_ON(!pt_can_have_table(&pts)) (true: a WARN with
 * CONFIG_DEBUG_GENERIC_PT) and goes on: a leaf there is -EADDRINUSE; an
 * empty item goes to pt_iommu_new_table(), whose
 * `if (PT_WARN_ON(!pt_can_have_table(pts))) return -ENXIO` WARNs a second
 * time and fails (checked against the kernel's code compiled with debug
 * on, WARNs counted: tests/unit/pt/test_pt_amdv1_vs_kernel.c). Without
 * the option PT_WARN_ON is a constant false: a leaf at the tail is still
 * -EADDRINUSE, but an empty item gets a table installed at level 0 and
 * __map_range() recurses to level UINT_MAX and on, without bound (the
 * kernel's code built without debug overflows the stack): we return the
 * debug kernel's -ENXIO with report.ub set. iommufd never passes such a
 * length.
 */
static int ragged_tail(struct pt_amdv1 *pt, const struct map_state *m)
{
	struct walk w = make_walk(pt, m->va, m->last_va);
	u64 *tbl;
	int ret;

	ret = find_leaf_table(pt, &w, 0, &tbl);
	if (ret)
		return ret;
	pt_warn_on(pt, "__map_range", "!pt_can_have_table(&pts)");
	if (tbl[va_index(pt, &w, 0, w.va)] & AMDV1PT_PR)
		return -EADDRINUSE;
	if (!pt_warn_on(pt, "pt_iommu_new_table", "!pt_can_have_table(pts)"))
		pt->report.ub =
			"a sub-page tail: pt_iommu_new_table() installs "
			"a table at level 0 and __map_range() recurses "
			"below it without bound (PT_WARN_ON is off "
			"without CONFIG_DEBUG_GENERIC_PT)";
	return -ENXIO;
}

/* The runs after the first */
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
			return ragged_tail(pt, m);
	}
}

static int map_checks(struct pt_amdv1 *pt, u64 iova, u64 pa, u64 len, int prot)
{
	if (!(prot & (IOMMU_READ | IOMMU_WRITE))) {
		/* a WARN_ON, not a PT_WARN_ON: with or without debug */
		pt_warn(pt, "map_range",
			"!(prot & (IOMMU_READ | IOMMU_WRITE))");
		return -EINVAL;
	}
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

	memset(&pt->report, 0, sizeof(pt->report));
	ret = map_checks(pt, iova, pa, len, prot);
	if (ret)
		return ret;
	m.attrs = prot_to_attrs(pt, prot);

	/*
	 * The single PAGE_SIZE page fast path rejects misalignment first;
	 * only a format whose granule is PAGE_SIZE has it
	 * (pt_has_system_page_size(): not the mock's)
	 */
	if (pt->fmt->granule_lg2 == PHYSMEM_PAGE_LG2 &&
	    len == PHYSMEM_PAGE_SIZE && (pt->pgsize_bitmap & len)) {
		if ((iova | pa) & (PHYSMEM_PAGE_SIZE - 1))
			return -ENXIO;
		m.pgsz_lg2 = PHYSMEM_PAGE_LG2;
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

/* A leaf of exactly one item: NextLevel 0 (or anything at level 0) but 7 */
static inline bool single_item_leaf(u64 entry, unsigned int level)
{
	unsigned int nl = amdv1pt_next_level(entry);

	return (entry & AMDV1PT_PR) && nl != AMDV1PT_NL_SIZE &&
	       (!level || nl == AMDV1PT_NL_DEFAULT);
}

/*
 * __unmap_range(): the first item may not start inside a leaf; after that
 * every item up to the range's end must be present. Leaves go whole; a
 * table the range fully covers is freed once everything below it went.
 */
static int unmap_level(struct pt_amdv1 *pt, struct walk *w, unsigned int level,
		       u64 table_pa, u64 *unmapped)
{
	u64 *tbl = table_ptr(pt, table_pa);
	unsigned int index = va_index(pt, w, level, w->va);
	unsigned int start = index, end = end_index(pt, w, level, index);
	u64 num_oas = 0;
	int ret = 0;

	if (entry_type(tbl[index], level) == ENTRY_OA &&
	    lg2_mod(w->va, oa_lg2sz(pt, tbl[index], level)))
		return -EINVAL;
	for (;;) {
		u64 entry = tbl[index];
		enum entry_type type = entry_type(entry, level);

		if (single_item_leaf(entry, level)) {
			/* the common run: one item per leaf, cleared in a row */
			do {
				tbl[index++] = 0;
				num_oas++;
			} while (index < end &&
				 single_item_leaf(tbl[index], level));
		} else if (type == ENTRY_OA) {
			unsigned int n = 1U << contig_lg2(pt, entry, level);

			memset(&tbl[index], 0, n * sizeof(*tbl));
			num_oas += n;
			index += n;
		} else if (type == ENTRY_TABLE) {
			u64 lower = pde_table(pt, entry);
			bool covered;

			if (index != start)
				index_to_va(pt, w, level, index);
			covered = fully_covered(w, item_lg2sz(pt, level));
			ret = unmap_level(pt, w, level - 1, lower, unmapped);
			if (ret)
				break;
			if (covered) {
				tbl[index] = 0;
				amdv1_table_free(pt, lower);
			}
			index++;
		} else {
			ret = -EINVAL;
			break;
		}
		if (index >= end)
			break;
	}
	*unmapped += num_oas << item_lg2sz(pt, level);
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
