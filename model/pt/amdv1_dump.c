// SPDX-License-Identifier: MIT
/*
 * Text view of an AMDv1 table: what a reviewer would see reading the raw
 * table pages, decoded. No I/O: everything is appended to a GString.
 */
#include <inttypes.h>

#include "pt/amdv1.h"

enum { ITEMS = 1 << PT_AMDV1_ITEMS_LG2 };

/* "4K", "2M", "1G", "256T", ... for a power-of-two size */
static void append_size(GString *out, unsigned int lg2)
{
	static const char units[] = "KMGTPE";
	unsigned int u = lg2 >= 10 ? (lg2 - 10) / 10 : 0;

	if (lg2 < 10) {
		g_string_append_printf(out, "%uB", 1U << lg2);
		return;
	}
	if (u > 5)
		u = 5;
	g_string_append_printf(out, "%" PRIu64 "%c",
			       (u64)1 << (lg2 - 10 - 10 * u), units[u]);
}

static void append_perms(GString *out, u64 entry)
{
	if (entry & AMDV1PT_IR)
		g_string_append(out, " IR");
	if (entry & AMDV1PT_IW)
		g_string_append(out, " IW");
	if (entry & AMDV1PT_FC)
		g_string_append(out, " FC");
	if (entry & AMDV1PT_U)
		g_string_append(out, " U");
	if (entry & AMDV1PT_A)
		g_string_append(out, " A");
	if (entry & AMDV1PT_D)
		g_string_append(out, " D");
}

void pt_amdv1_describe_entry(u64 entry, unsigned int level, GString *out)
{
	unsigned int nl = amdv1pt_next_level(entry);
	unsigned int lg2 = amdv1pt_item_lg2sz(level);
	u64 oa = entry & AMDV1PT_OA_MASK;

	if (!(entry & AMDV1PT_PR)) {
		g_string_append(out, "not present");
		return;
	}
	if (level && nl != AMDV1PT_NL_DEFAULT && nl != AMDV1PT_NL_SIZE) {
		g_string_append_printf(
			out, "PDE NextLevel=%u -> table 0x%016" PRIx64, nl, oa);
		append_perms(out, entry);
		return;
	}
	if (nl == AMDV1PT_NL_SIZE) {
		lg2 = amdv1pt_size_code_lg2(entry);
		oa &= lg2 < 64 ? ~((1ULL << lg2) - 1) : 0;
	}
	g_string_append_printf(out, "PTE NextLevel=%u ", nl);
	append_size(out, lg2);
	g_string_append_printf(out, " page pa 0x%016" PRIx64, oa);
	append_perms(out, entry);
}

/* How many following items repeat this one (a NextLevel=7 entry's run). */
static unsigned int run_length(const u64 *tbl, unsigned int i)
{
	unsigned int n = 1;

	if (amdv1pt_next_level(tbl[i]) != AMDV1PT_NL_SIZE)
		return 1;
	while (i + n < ITEMS && tbl[i + n] == tbl[i])
		n++;
	return n;
}

static void dump_table(const struct pt_amdv1 *pt, u64 pa, unsigned int level,
		       u64 va, unsigned int depth, GString *out);

static void dump_item(const struct pt_amdv1 *pt, const u64 *tbl, unsigned int i,
		      unsigned int n, unsigned int level, u64 va,
		      unsigned int depth, GString *out)
{
	u64 entry = tbl[i];
	unsigned int nl = amdv1pt_next_level(entry);

	g_string_append_printf(out, "%*s", (int)depth * 2 + 2, "");
	if (n > 1)
		g_string_append_printf(out, "[%03x..%03x]", i, i + n - 1);
	else
		g_string_append_printf(out, "[%03x]", i);
	g_string_append_printf(out, " 0x%016" PRIx64 " va 0x%" PRIx64 " ",
			       entry, va);
	pt_amdv1_describe_entry(entry, level, out);
	g_string_append_c(out, '\n');
	if (level && nl != AMDV1PT_NL_DEFAULT && nl != AMDV1PT_NL_SIZE)
		dump_table(pt, entry & AMDV1PT_OA_MASK, level - 1, va,
			   depth + 1, out);
}

static void dump_table(const struct pt_amdv1 *pt, u64 pa, unsigned int level,
		       u64 va, unsigned int depth, GString *out)
{
	const u64 *tbl = physmem_table_ptr(pt->mem, pa);
	unsigned int isz_lg2 = amdv1pt_item_lg2sz(level);
	unsigned int i, n;

	g_string_append_printf(
		out, "%*sL%u table 0x%016" PRIx64 " (AMD level %u), items of ",
		(int)depth * 2, "", level, pa, level + 1);
	append_size(out, isz_lg2);
	g_string_append_c(out, '\n');
	if (!tbl)
		return;
	for (i = 0; i < ITEMS; i += n) {
		n = 1;
		if (!(tbl[i] & AMDV1PT_PR))
			continue;
		n = run_length(tbl, i);
		dump_item(pt, tbl, i, n, level, va + ((u64)i << isz_lg2), depth,
			  out);
	}
}

void pt_amdv1_dump(const struct pt_amdv1 *pt, GString *out)
{
	g_string_append_printf(
		out,
		"amdv1 root 0x%016" PRIx64
		" Mode %u (top L%u), VA %u of %u bits, OA %u bits, "
		"%" PRIu64 " table pages, pgsizes 0x%" PRIx64 "\n",
		pt->top_pa, pt->top_level + 1, pt->top_level, pt->top_vasz_lg2,
		pt->max_vasz_lg2, pt->max_oasz_lg2, pt->nr_tables,
		pt->pgsize_bitmap);
	if (pt->top_pa)
		dump_table(pt, pt->top_pa, pt->top_level, 0, 0, out);
}

static bool is_pde(u64 entry, unsigned int level)
{
	unsigned int nl = amdv1pt_next_level(entry);

	return (entry & AMDV1PT_PR) && level && nl != AMDV1PT_NL_DEFAULT &&
	       nl != AMDV1PT_NL_SIZE;
}

static void leaf_from_entry(u64 entry, unsigned int level, u64 va,
			    struct pt_amdv1_leaf *leaf)
{
	unsigned int lg2 = amdv1pt_item_lg2sz(level);

	if (amdv1pt_next_level(entry) == AMDV1PT_NL_SIZE)
		lg2 = amdv1pt_size_code_lg2(entry);
	leaf->va = va;
	leaf->size = 1ULL << lg2;
	leaf->pa = entry & AMDV1PT_OA_MASK & ~(leaf->size - 1);
	leaf->prot = (entry & AMDV1PT_IR ? IOMMU_READ : 0) |
		     (entry & AMDV1PT_IW ? IOMMU_WRITE : 0);
	leaf->level = level;
	leaf->entry = entry;
}

/* Depth-first in index order, so leaves come in VA order */
static bool walk_leaves(const struct pt_amdv1 *pt, u64 pa, unsigned int level,
			u64 va, pt_amdv1_leaf_fn fn, void *priv)
{
	const u64 *tbl = physmem_table_ptr(pt->mem, pa);
	unsigned int isz_lg2 = amdv1pt_item_lg2sz(level);
	struct pt_amdv1_leaf leaf;
	unsigned int i, n;

	for (i = 0; tbl && i < ITEMS; i += n) {
		u64 item_va = va + ((u64)i << isz_lg2);

		n = 1;
		if (!(tbl[i] & AMDV1PT_PR))
			continue;
		if (is_pde(tbl[i], level)) {
			if (!walk_leaves(pt, tbl[i] & AMDV1PT_OA_MASK,
					 level - 1, item_va, fn, priv))
				return false;
			continue;
		}
		leaf_from_entry(tbl[i], level, item_va, &leaf);
		n = run_length(tbl, i);
		if (!fn(priv, &leaf))
			return false;
	}
	return true;
}

void pt_amdv1_for_each_leaf(const struct pt_amdv1 *pt, pt_amdv1_leaf_fn fn,
			    void *priv)
{
	if (pt->top_pa)
		walk_leaves(pt, pt->top_pa, pt->top_level, 0, fn, priv);
}
