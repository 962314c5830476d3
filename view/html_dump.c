// SPDX-License-Identifier: MIT
/*
 * html_dump.c - a dump step's AMDv1 table in the report as HTML tables,
 * one per table page (depth-first, as the dump walks them): each present
 * entry's index, raw value, IOVA and decoded fields, and the runs of
 * same-shape leaves the dump leaves out (pt/amdv1.h struct
 * pt_amdv1_dump_data; the step's text keeps the same as lines).
 */
#include <inttypes.h>

#include "view.h"
#include "pt/amdv1.h"

static void index_cell(GString *o, unsigned int i, unsigned int n)
{
	if (n > 1)
		g_string_append_printf(o, "<td>[%03x..%03x]</td>", i,
				       i + n - 1);
	else
		g_string_append_printf(o, "<td>[%03x]</td>", i);
}

static void entry_row(GString *o, const struct pt_amdv1_fmt *fmt,
		      const struct pt_amdv1_rec *r)
{
	struct pt_amdv1_decoded d;

	pt_amdv1_decode_entry(fmt, r->entry, r->level, &d);
	g_string_append(o, "<tr>");
	index_cell(o, r->index, r->items);
	g_string_append_printf(o,
			       "<td>0x%016" PRIx64 "</td><td>0x%" PRIx64
			       "</td><td>%s</td><td>%u</td>",
			       r->entry, r->va, d.pde ? "PDE" : "PTE",
			       d.next_level);
	if (d.pde)
		g_string_append_printf(
			o, "<td>table 0x%" PRIx64 "</td><td></td>", d.oa);
	else
		g_string_append_printf(
			o, "<td>page 0x%" PRIx64 "</td><td>0x%" PRIx64 "</td>",
			d.oa, d.size);
	g_string_append_printf(o, "<td>%s%s%s%s%s%s</td></tr>\n",
			       d.ir ? "IR " : "", d.iw ? "IW " : "",
			       d.fc ? "FC " : "", d.u ? "U " : "",
			       d.a ? "A " : "", d.d ? "D" : "");
}

static void run_row(GString *o, const struct pt_amdv1_rec *r)
{
	g_string_append(o, "<tr class=\"run\">");
	index_cell(o, r->index, r->items);
	g_string_append_printf(o,
			       "<td colspan=\"7\">%" PRIu64
			       " more like the entry above, IOVA and PA each "
			       "0x%" PRIx64 " on</td></tr>\n",
			       r->count, r->step);
}

static void page_table(GString *o, const struct pt_amdv1_dump_data *d,
		       const struct pt_amdv1_rec *t)
{
	static const char *const head[] = { "index", "raw entry", "IOVA",
					    "kind",  "NextLevel", "points to",
					    "size",  "flags" };

	g_string_append_printf(o,
			       "<table class=\"dump\"><caption>L%u table "
			       "0x%016" PRIx64 " (AMD level %u)</caption><tr>",
			       t->level, t->table, t->level + 1);
	for (unsigned int c = 0; c < G_N_ELEMENTS(head); c++)
		g_string_append_printf(o, "<th>%s</th>", head[c]);
	g_string_append(o, "</tr>\n");
	for (guint i = 0; i < d->recs->len; i++) {
		const struct pt_amdv1_rec *r =
			&g_array_index(d->recs, struct pt_amdv1_rec, i);

		if (r->table != t->table)
			continue;
		if (r->kind == PT_REC_ENTRY)
			entry_row(o, d->fmt, r);
		else if (r->kind == PT_REC_RUN)
			run_row(o, r);
	}
	g_string_append(o, "</table>\n");
}

void dump_tables_html(GString *o, const struct pt_amdv1_dump_data *d)
{
	g_string_append_printf(o,
			       "<p class=\"dump\">%s root 0x%016" PRIx64
			       ", Mode %u, VA %u of %u bits, OA %u bits, "
			       "%" PRIu64 " table pages</p>\n",
			       d->fmt == &pt_amdv1_fmt ? "AMDv1" : d->fmt->name,
			       d->root, d->mode, d->va_bits, d->max_va_bits,
			       d->oa_bits, d->table_pages);
	for (guint i = 0; i < d->recs->len; i++) {
		const struct pt_amdv1_rec *r =
			&g_array_index(d->recs, struct pt_amdv1_rec, i);

		if (r->kind == PT_REC_TABLE)
			page_table(o, d, r);
		else if (r->kind == PT_REC_OMITTED)
			g_string_append_printf(o,
					       "<p class=\"dump\">... %" PRIu64
					       " more lines not shown</p>\n",
					       r->count);
	}
}
