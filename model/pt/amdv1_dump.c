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

void pt_amdv1_decode_entry(const struct pt_amdv1_fmt *fmt, u64 entry,
			   unsigned int level, struct pt_amdv1_decoded *out)
{
	unsigned int lg2 = pt_amdv1_item_lg2sz(fmt, level);

	out->present = entry & AMDV1PT_PR;
	out->next_level = amdv1pt_next_level(entry);
	out->pde = out->present && level &&
		   out->next_level != AMDV1PT_NL_DEFAULT &&
		   out->next_level != AMDV1PT_NL_SIZE;
	out->oa = pt_amdv1_field_oa(fmt, entry);
	if (!out->pde && out->next_level == AMDV1PT_NL_SIZE) {
		lg2 = pt_amdv1_size_code_lg2(fmt, entry);
		out->oa &= lg2 < 64 ? ~((1ULL << lg2) - 1) : 0;
	}
	out->size = out->pde || lg2 >= 64 ? 0 : 1ULL << lg2;
	out->ir = entry & AMDV1PT_IR;
	out->iw = entry & AMDV1PT_IW;
	out->fc = entry & AMDV1PT_FC;
	out->u = entry & AMDV1PT_U;
	out->a = entry & AMDV1PT_A;
	out->d = entry & AMDV1PT_D;
}

void pt_amdv1_describe_entry(const struct pt_amdv1_fmt *fmt, u64 entry,
			     unsigned int level, GString *out)
{
	struct pt_amdv1_decoded dec;

	pt_amdv1_decode_entry(fmt, entry, level, &dec);
	if (!dec.present) {
		g_string_append(out, "not present");
		return;
	}
	if (dec.pde) {
		g_string_append_printf(
			out, "PDE NextLevel=%u -> table 0x%016" PRIx64,
			dec.next_level, dec.oa);
		append_perms(out, entry);
		return;
	}
	g_string_append_printf(out, "PTE NextLevel=%u ", dec.next_level);
	append_size(out, dec.size ? __builtin_ctzll(dec.size) : 64);
	g_string_append_printf(out, " page pa 0x%016" PRIx64, dec.oa);
	append_perms(out, entry);
}

/* How many following items repeat this one (a NextLevel=7 entry's run). */
static unsigned int run_length(const struct pt_amdv1_fmt *fmt, const u64 *tbl,
			       unsigned int i, unsigned int level)
{
	unsigned int isz_lg2 = pt_amdv1_item_lg2sz(fmt, level), lg2, max;
	unsigned int n = 1;

	if (amdv1pt_next_level(tbl[i]) != AMDV1PT_NL_SIZE)
		return 1;
	/* the items one entry's size code covers, from @i to its end: the
	 * next entry may be the same bytes (two IOVA ranges on one page
	 * with one prot) and is an entry of its own */
	lg2 = pt_amdv1_size_code_lg2(fmt, tbl[i]);
	max = lg2 <= isz_lg2			    ? 1
	      : lg2 - isz_lg2 >= PT_AMDV1_ITEMS_LG2 ? ITEMS
						    : 1u << (lg2 - isz_lg2);
	max -= i & (max - 1);
	while (n < max && i + n < ITEMS && tbl[i + n] == tbl[i])
		n++;
	return n;
}

static bool is_pde(u64 entry, unsigned int level)
{
	unsigned int nl = amdv1pt_next_level(entry);

	return (entry & AMDV1PT_PR) && level && nl != AMDV1PT_NL_DEFAULT &&
	       nl != AMDV1PT_NL_SIZE;
}

/*
 * The dump is bounded: a run of more than DUMP_RUN_MIN leaves of one shape
 * (each the previous one's value plus its size: the same size, flags and
 * run of items, the VA and PA moving on together) prints as its first
 * entry, one summary line and its last entry; past DUMP_MAX_LINES lines
 * only a count of what was left out follows. A 4 GiB table of 4 KiB pages
 * is then a few hundred KiB of text instead of 122 MB.
 */
enum { DUMP_RUN_MIN = 8, DUMP_MAX_LINES = 4096 };

struct dump {
	const struct pt_amdv1 *pt;
	GString *out;
	GArray *recs; /* struct pt_amdv1_rec of each line, or NULL */
	u64 table;    /* the PA of the table whose items are being dumped */
	u64 lines;    /* printed */
	u64 omitted;  /* left out past DUMP_MAX_LINES */
};

/* Start a line at @depth, or count it as omitted (false) past the limit */
static bool dump_line(struct dump *d, unsigned int depth)
{
	if (d->lines >= DUMP_MAX_LINES) {
		d->omitted++;
		return false;
	}
	d->lines++;
	g_string_append_printf(d->out, "%*s", (int)depth * 2, "");
	return true;
}

static void append_index(GString *out, unsigned int i, unsigned int n)
{
	if (n > 1)
		g_string_append_printf(out, "[%03x..%03x]", i, i + n - 1);
	else
		g_string_append_printf(out, "[%03x]", i);
}

static void dump_table(struct dump *d, u64 pa, unsigned int level, u64 va,
		       unsigned int depth);

/* The line just started, as data */
static void dump_rec(struct dump *d, const struct pt_amdv1_rec *rec)
{
	if (d->recs)
		g_array_append_val(d->recs, *rec);
}

static void dump_item(struct dump *d, const u64 *tbl, unsigned int i,
		      unsigned int n, unsigned int level, u64 va,
		      unsigned int depth)
{
	u64 entry = tbl[i];

	if (dump_line(d, depth + 1)) {
		struct pt_amdv1_rec rec = {
			.kind = PT_REC_ENTRY,
			.level = level,
			.table = d->table,
			.index = i,
			.items = n,
			.entry = entry,
			.va = va,
		};

		dump_rec(d, &rec);
		append_index(d->out, i, n);
		g_string_append_printf(d->out,
				       " 0x%016" PRIx64 " va 0x%" PRIx64 " ",
				       entry, va);
		pt_amdv1_describe_entry(d->pt->fmt, entry, level, d->out);
		g_string_append_c(d->out, '\n');
	}
	if (is_pde(entry, level))
		dump_table(d, pt_amdv1_field_oa(d->pt->fmt, entry), level - 1,
			   va, depth + 1);
}

/* Entries of @n items after the one at @i, each the previous plus @size
 * (@size as the address field holds it) */
static unsigned int same_shape_run(const struct pt_amdv1_fmt *fmt,
				   const u64 *tbl, unsigned int i,
				   unsigned int level, unsigned int n, u64 size)
{
	unsigned int count = 0, j;

	for (j = i + n; j + n <= ITEMS; j += n, count++)
		if (tbl[j] != tbl[j - n] + size ||
		    (tbl[j] ^ tbl[j - n]) & ~AMDV1PT_OA_MASK ||
		    run_length(fmt, tbl, j, level) != n)
			break;
	return count;
}

/* A long run: its first entry, a summary, its last; items consumed */
static unsigned int dump_run(struct dump *d, const u64 *tbl, unsigned int i,
			     unsigned int n, unsigned int level, u64 va,
			     unsigned int depth)
{
	unsigned int isz_lg2 = pt_amdv1_item_lg2sz(d->pt->fmt, level);
	unsigned int lg2 = isz_lg2 + __builtin_ctz(n);
	unsigned int more =
		same_shape_run(d->pt->fmt, tbl, i, level, n,
			       pt_amdv1_oa_field(d->pt->fmt, 1ULL << lg2));
	unsigned int last = i + more * n;

	if (more + 1 <= DUMP_RUN_MIN)
		return 0;
	dump_item(d, tbl, i, n, level, va, depth);
	if (dump_line(d, depth + 1)) {
		struct pt_amdv1_rec rec = {
			.kind = PT_REC_RUN,
			.level = level,
			.table = d->table,
			.index = i + n,
			.items = (more - 1) * n,
			.count = more - 1,
			.step = 1ULL << lg2,
		};

		dump_rec(d, &rec);
		append_index(d->out, i + n, (more - 1) * n);
		g_string_append_printf(d->out,
				       " %u more like [%03x], va and pa "
				       "each ",
				       more - 1, i);
		append_size(d->out, lg2);
		g_string_append(d->out, " on\n");
	}
	dump_item(d, tbl, last, n, level, va + ((u64)(last - i) << isz_lg2),
		  depth);
	return last + n - i;
}

static void dump_table(struct dump *d, u64 pa, unsigned int level, u64 va,
		       unsigned int depth)
{
	const u64 *tbl = physmem_table_ptr(d->pt->mem, pa);
	unsigned int isz_lg2 = pt_amdv1_item_lg2sz(d->pt->fmt, level);
	unsigned int i, n, done;

	if (dump_line(d, depth)) {
		struct pt_amdv1_rec rec = {
			.kind = PT_REC_TABLE,
			.level = level,
			.table = pa,
		};

		dump_rec(d, &rec);
		g_string_append_printf(d->out,
				       "L%u table 0x%016" PRIx64
				       " (AMD level %u), items of ",
				       level, pa, level + 1);
		append_size(d->out, isz_lg2);
		g_string_append_c(d->out, '\n');
	}
	for (i = 0; tbl && i < ITEMS; i += n) {
		u64 item_va = va + ((u64)i << isz_lg2);

		n = 1;
		if (!(tbl[i] & AMDV1PT_PR))
			continue;
		n = run_length(d->pt->fmt, tbl, i, level);
		d->table = pa; /* a PDE's dump_item() below went down */
		done = is_pde(tbl[i], level)
			       ? 0
			       : dump_run(d, tbl, i, n, level, item_va, depth);
		if (done)
			n = done;
		else
			dump_item(d, tbl, i, n, level, item_va, depth);
	}
}

static void dump_walk(struct dump *d)
{
	const struct pt_amdv1 *pt = d->pt;

	g_string_append_printf(
		d->out,
		"%s root 0x%016" PRIx64
		" Mode %u (top L%u), VA %u of %u bits, OA %u bits, "
		"%" PRIu64 " table pages, pgsizes 0x%" PRIx64 "\n",
		pt->fmt->name, pt->top_pa, pt->top_level + 1, pt->top_level,
		pt->top_vasz_lg2, pt->max_vasz_lg2, pt->max_oasz_lg2,
		pt->nr_tables, pt->pgsize_bitmap);
	if (pt->top_pa)
		dump_table(d, pt->top_pa, pt->top_level, 0, 0);
	if (d->omitted) {
		struct pt_amdv1_rec rec = { .kind = PT_REC_OMITTED,
					    .count = d->omitted };

		dump_rec(d, &rec);
		g_string_append_printf(d->out,
				       "... %" PRIu64 " more lines not shown "
				       "(the dump stops at %d)\n",
				       d->omitted, DUMP_MAX_LINES);
	}
}

void pt_amdv1_dump(const struct pt_amdv1 *pt, GString *out)
{
	struct dump d = { .pt = pt, .out = out };

	dump_walk(&d);
}

struct pt_amdv1_dump_data *pt_amdv1_dump_data(const struct pt_amdv1 *pt)
{
	struct pt_amdv1_dump_data *data = g_new0(struct pt_amdv1_dump_data, 1);
	struct dump d = { .pt = pt, .out = g_string_new(NULL) };

	data->fmt = pt->fmt;
	data->root = pt->top_pa;
	data->mode = pt->top_level + 1;
	data->va_bits = pt->top_vasz_lg2;
	data->max_va_bits = pt->max_vasz_lg2;
	data->oa_bits = pt->max_oasz_lg2;
	data->table_pages = pt->nr_tables;
	data->pgsize_bitmap = pt->pgsize_bitmap;
	data->recs = d.recs =
		g_array_new(FALSE, FALSE, sizeof(struct pt_amdv1_rec));
	dump_walk(&d);
	g_string_free(d.out, TRUE);
	return data;
}

void pt_amdv1_dump_data_free(struct pt_amdv1_dump_data *d)
{
	if (!d)
		return;
	g_array_free(d->recs, TRUE);
	g_free(d);
}

static void leaf_from_entry(const struct pt_amdv1_fmt *fmt, u64 entry,
			    unsigned int level, u64 va,
			    struct pt_amdv1_leaf *leaf)
{
	unsigned int lg2 = pt_amdv1_item_lg2sz(fmt, level);

	if (amdv1pt_next_level(entry) == AMDV1PT_NL_SIZE)
		lg2 = pt_amdv1_size_code_lg2(fmt, entry);
	leaf->va = va;
	leaf->size = 1ULL << lg2;
	leaf->pa = pt_amdv1_field_oa(fmt, entry) & ~(leaf->size - 1);
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
	unsigned int isz_lg2 = pt_amdv1_item_lg2sz(pt->fmt, level);
	struct pt_amdv1_leaf leaf;
	unsigned int i, n;

	for (i = 0; tbl && i < ITEMS; i += n) {
		u64 item_va = va + ((u64)i << isz_lg2);

		n = 1;
		if (!(tbl[i] & AMDV1PT_PR))
			continue;
		if (is_pde(tbl[i], level)) {
			if (!walk_leaves(pt, pt_amdv1_field_oa(pt->fmt, tbl[i]),
					 level - 1, item_va, fn, priv))
				return false;
			continue;
		}
		leaf_from_entry(pt->fmt, tbl[i], level, item_va, &leaf);
		n = run_length(pt->fmt, tbl, i, level);
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
