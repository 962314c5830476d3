// SPDX-License-Identifier: MIT
/*
 * trace_dump.c - a dump step's AMDv1 table in the JSON Lines trace, as
 * data (pt/amdv1.h struct pt_amdv1_dump_data): the root's geometry, then
 * each table depth-first with its present entries decoded. 64-bit values
 * are hex strings (a JSON number holds 53 bits); docs/trace.schema.json
 * states the shape.
 */
#include <inttypes.h>

#include "trace.h"
#include "pt/amdv1.h"

static void hex_field(GString *o, const char *key, u64 v, bool first)
{
	g_string_append_printf(o, "%s\"%s\":\"0x%" PRIx64 "\"",
			       first ? "" : ",", key, v);
}

static void entry_flags(GString *o, const struct pt_amdv1_decoded *d)
{
	const char *const names[] = { "IR", "IW", "FC", "U", "A", "D" };
	const bool set[] = { d->ir, d->iw, d->fc, d->u, d->a, d->d };
	bool first = true;

	g_string_append(o, ",\"flags\":[");
	for (guint i = 0; i < G_N_ELEMENTS(names); i++) {
		if (!set[i])
			continue;
		g_string_append_printf(o, "%s\"%s\"", first ? "" : ",",
				       names[i]);
		first = false;
	}
	g_string_append_c(o, ']');
}

static void json_entry(GString *o, const struct pt_amdv1_fmt *fmt,
		       const struct pt_amdv1_rec *r)
{
	struct pt_amdv1_decoded d;

	pt_amdv1_decode_entry(fmt, r->entry, r->level, &d);
	g_string_append_printf(o, "{\"kind\":\"%s\",\"index\":%u,\"items\":%u",
			       d.pde ? "PDE" : "PTE", r->index, r->items);
	hex_field(o, "raw", r->entry, false);
	hex_field(o, "va", r->va, false);
	g_string_append_printf(o, ",\"next_level\":%u", d.next_level);
	if (d.pde) {
		hex_field(o, "table", d.oa, false);
	} else {
		hex_field(o, "pa", d.oa, false);
		hex_field(o, "size", d.size, false);
	}
	entry_flags(o, &d);
	g_string_append_c(o, '}');
}

/* "N more like the entry before, VA and PA each STEP on" */
static void json_run(GString *o, const struct pt_amdv1_rec *r)
{
	g_string_append_printf(o,
			       "{\"kind\":\"run\",\"index\":%u,\"items\":%u,"
			       "\"entries\":%" PRIu64,
			       r->index, r->items, r->count);
	hex_field(o, "step", r->step, false);
	g_string_append_c(o, '}');
}

/* The table at @t's entries, in index order as the dump has them */
static void json_table(GString *o, const struct pt_amdv1_dump_data *d,
		       const struct pt_amdv1_rec *t)
{
	bool first = true;

	g_string_append_printf(o, "{\"level\":%u,\"amd_level\":%u", t->level,
			       t->level + 1);
	hex_field(o, "pa", t->table, false);
	g_string_append(o, ",\"entries\":[");
	for (guint i = 0; i < d->recs->len; i++) {
		const struct pt_amdv1_rec *r =
			&g_array_index(d->recs, struct pt_amdv1_rec, i);

		if (r->table != t->table ||
		    (r->kind != PT_REC_ENTRY && r->kind != PT_REC_RUN))
			continue;
		g_string_append(o, first ? "" : ",");
		first = false;
		if (r->kind == PT_REC_ENTRY)
			json_entry(o, d->fmt, r);
		else
			json_run(o, r);
	}
	g_string_append(o, "]}");
}

void json_dump(GString *o, const struct pt_amdv1_dump_data *d)
{
	u64 omitted = 0;
	bool first = true;

	g_string_append(o, ",\"dump\":");
	if (!d) {
		g_string_append(o, "null");
		return;
	}
	g_string_append_c(o, '{');
	hex_field(o, "root", d->root, true);
	g_string_append_printf(o,
			       ",\"mode\":%u,\"va_bits\":%u,\"max_va_bits\":%u,"
			       "\"oa_bits\":%u,\"table_pages\":%" PRIu64,
			       d->mode, d->va_bits, d->max_va_bits, d->oa_bits,
			       d->table_pages);
	hex_field(o, "pgsizes", d->pgsize_bitmap, false);
	g_string_append(o, ",\"tables\":[");
	for (guint i = 0; i < d->recs->len; i++) {
		const struct pt_amdv1_rec *r =
			&g_array_index(d->recs, struct pt_amdv1_rec, i);

		if (r->kind == PT_REC_OMITTED)
			omitted = r->count;
		if (r->kind != PT_REC_TABLE)
			continue;
		g_string_append(o, first ? "" : ",");
		first = false;
		json_table(o, d, r);
	}
	g_string_append_printf(o, "],\"omitted_lines\":%" PRIu64 "}", omitted);
}
