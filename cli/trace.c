// SPDX-License-Identifier: MIT
/*
 * trace.c - one entry per step: where, what, the result against the
 * expectation, the kernel's reason for a refusal, what changed.
 */
#include <string.h>

#include "trace.h"
#include "run.h"
#include "errnames.h"
#include "model/events.h"
#include "model/iommu.h"

static void value_text(GString *s, const struct value *v)
{
	switch (v->kind) {
	case VAL_HANDLE:
		g_string_append_printf(s, "$%s", v->text);
		break;
	case VAL_STRING:
		g_string_append_c(s, '"');
		for (const char *p = v->text; *p; p++) {
			if (*p == '"' || *p == '\\')
				g_string_append_c(s, '\\');
			if (*p == '\n')
				g_string_append(s, "\\n");
			else
				g_string_append_c(s, *p);
		}
		g_string_append_c(s, '"');
		break;
	case VAL_LIST:
		for (guint i = 0; i < v->items->len; i++) {
			if (i)
				g_string_append_c(s, ',');
			value_text(s, v->items->pdata[i]);
		}
		break;
	default:
		g_string_append(s, v->text);
	}
}

char *stmt_text(const struct statement *st)
{
	GString *s = g_string_new(st->verb);

	for (guint i = 0; i < st->args->len; i++) {
		const struct arg *a = st->args->pdata[i];

		g_string_append_printf(s, " %s=", a->key);
		value_text(s, &a->val);
	}
	if (st->expects->len)
		g_string_append(s, " =>");
	for (guint i = 0; i < st->expects->len; i++) {
		const struct expect *e = st->expects->pdata[i];
		g_autofree char *o = outcome_str(&e->out);

		g_string_append_printf(s, " %s%s%s",
				       e->profile ? e->profile : "",
				       e->profile ? ":" : "", o);
	}
	return g_string_free(s, FALSE);
}

static void indent_lines(FILE *f, const char *label, const char *text)
{
	g_autofree char *body = g_strchomp(g_strdup(text));
	g_auto(GStrv) lines = g_strsplit(body, "\n", -1);

	for (int i = 0; lines[i]; i++)
		fprintf(f, "        %s %s\n", i ? "       " : label, lines[i]);
}

static void text_step(FILE *f, const struct step_result *sr, bool verbose)
{
	g_autofree char *text = stmt_text(sr->st);
	g_autofree char *got = outcome_str(&sr->got);
	const char *mark = sr->pass ? "  " : "!!";

	if (sr->cls == STEP_OP)
		fprintf(f, "%s %4d  %s\n        -> %s%s\n", mark, sr->st->line,
			text, got, sr->pass ? "" : "  FAIL");
	else
		fprintf(f, "%s %4d  %s%s\n", mark, sr->st->line, text,
			sr->pass ? "" : "  FAIL");
	if (sr->failure)
		indent_lines(f, "failed:", sr->failure);
	if (sr->why &&
	    (verbose || sr->got.kind == OUT_ERRNO ||
	     sr->got.kind == OUT_FAULT || sr->got.kind == OUT_UB ||
	     sr->got.kind == OUT_BLOCKS || sr->got.warn || !sr->pass))
		indent_lines(f, "why:   ", sr->why);
	if (verbose) {
		g_autofree char *inside = step_events_text(sr);

		if (inside)
			indent_lines(f, "inside:", inside);
	}
	if (sr->changes && verbose)
		indent_lines(f, "changed:", sr->changes);
	if (sr->detail)
		indent_lines(f, "note:  ", sr->detail);
	if (sr->contract_note)
		indent_lines(f, "note:  ", sr->contract_note);
}

/* A JSON string: escapes, and U+FFFD for a byte that is not UTF-8 (a
 * file name can hold one; the scenario text cannot: the parser refuses
 * it), so the output is always valid JSON. */
void json_string(GString *out, const char *s)
{
	g_string_append_c(out, '"');
	while (s && *s) {
		gunichar c = g_utf8_get_char_validated(s, -1);

		if (c == (gunichar)-1 || c == (gunichar)-2) {
			g_string_append(out, "\\ufffd");
			s++;
			continue;
		}
		if (c == '"' || c == '\\')
			g_string_append_printf(out, "\\%c", c);
		else if (c == '\n')
			g_string_append(out, "\\n");
		else if (c < 0x20)
			g_string_append_printf(out, "\\u%04x", c);
		else
			g_string_append_unichar(out, c);
		s = g_utf8_next_char(s);
	}
	g_string_append_c(out, '"');
}

void json_field(GString *o, const char *key, const char *val)
{
	g_string_append_printf(o, ",\"%s\":", key);
	if (val)
		json_string(o, val);
	else
		g_string_append(o, "null");
}

/* ,"key":{"a":"x","b":"y"}-style objects: @n keys, NULL values as null */
static void json_object(GString *o, const char *const *keys,
			const char *const *vals, int n)
{
	g_string_append_c(o, '{');
	for (int i = 0; i < n; i++) {
		g_string_append_printf(o, "%s\"%s\":", i ? "," : "", keys[i]);
		if (vals[i])
			json_string(o, vals[i]);
		else
			g_string_append(o, "null");
	}
	g_string_append_c(o, '}');
}

/* "func: condition; func: condition" (model/core/report.c) as
 * [{"function":..,"condition":..}]; a part without "name: " is a
 * condition of the function before it (its text held a "; ") */
static void json_why(GString *o, const char *why)
{
	static const char *const keys[] = { "function", "condition" };
	g_auto(GStrv) parts = NULL;
	GPtrArray *items = g_ptr_array_new_with_free_func(g_free);

	g_string_append(o, ",\"why\":");
	if (!why) {
		g_string_append(o, "null");
		g_ptr_array_free(items, TRUE);
		return;
	}
	parts = g_strsplit(why, "; ", -1);
	for (int i = 0; parts[i]; i++) {
		const char *c = strstr(parts[i], ": ");
		bool named = c && strspn(parts[i], "abcdefghijklmnopqrstuvwxyz"
						   "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
						   "0123456789_") ==
					  (size_t)(c - parts[i]);

		if (named || !items->len) {
			g_ptr_array_add(
				items, named ? g_strndup(parts[i], c - parts[i])
					     : NULL);
			g_ptr_array_add(items,
					g_strdup(named ? c + 2 : parts[i]));
		} else {
			char *cond = items->pdata[items->len - 1];

			items->pdata[items->len - 1] =
				g_strconcat(cond, "; ", parts[i], NULL);
			g_free(cond);
		}
	}
	g_string_append_c(o, '[');
	for (guint i = 0; i < items->len; i += 2) {
		const char *vals[] = { items->pdata[i], items->pdata[i + 1] };

		g_string_append(o, i ? "," : "");
		json_object(o, keys, vals, 2);
	}
	g_string_append_c(o, ']');
	g_ptr_array_free(items, TRUE);
}

/* the changed state lines as [{"object":"group 1","state":"..."}] */
static void json_changes(GString *o, const char *changes)
{
	static const char *const keys[] = { "object", "state" };
	g_auto(GStrv) lines = NULL;

	g_string_append(o, ",\"changes\":");
	if (!changes) {
		g_string_append(o, "null");
		return;
	}
	lines = g_strsplit(changes, "\n", -1);
	g_string_append_c(o, '[');
	for (int i = 0; lines[i]; i++) {
		char *c = strstr(lines[i], ": ");
		g_autofree char *obj =
			c ? g_strndup(lines[i], c - lines[i]) : NULL;
		const char *vals[] = { obj ? obj : lines[i], c ? c + 2 : "" };

		g_string_append(o, i ? "," : "");
		json_object(o, keys, vals, 2);
	}
	g_string_append_c(o, ']');
}

/* the steps inside (sim/events.c) as objects, the domains as named */
static void json_inside(GString *o, const GArray *events)
{
	static const char *const keys[] = { "event",  "device", "from", "to",
					    "result", "reason", "via" };

	g_string_append(o, ",\"inside\":");
	if (!events) {
		g_string_append(o, "null");
		return;
	}
	g_string_append_c(o, '[');
	for (guint i = 0; i < events->len; i++) {
		const struct iommu_event *e =
			&g_array_index(events, struct iommu_event, i);
		const char *vals[] = { step_event_kind_name(e->kind),
				       e->dev,
				       e->from,
				       e->to,
				       e->ret ? errno_name(-e->ret) : "ok",
				       e->reason,
				       e->via };

		g_string_append(o, i ? "," : "");
		json_object(o, keys, vals, 7);
		g_string_truncate(o, o->len - 1);
		g_string_append_printf(o, ",\"group\":%d}", e->group);
	}
	g_string_append_c(o, ']');
}

static const char *class_name(enum step_class c)
{
	return c == STEP_OP ? "op" : c == STEP_CHECK ? "check" : "setup";
}

static void json_step(FILE *f, const struct scenario *sc,
		      const struct run_result *rr, const struct step_result *sr)
{
	GString *o = g_string_new("{\"file\":");
	g_autofree char *text = stmt_text(sr->st);
	g_autofree char *got = outcome_str(&sr->got);
	g_autofree char *want = sr->expected ? outcome_str(sr->expected) : NULL;

	json_string(o, sc->path);
	g_string_append_printf(o, ",\"line\":%d", sr->st->line);
	json_field(o, "profile", rr->profile);
	json_field(o, "verb", sr->st->verb);
	json_field(o, "class", class_name(sr->cls));
	json_field(o, "text", text);
	json_field(o, "result", sr->cls == STEP_OP ? got : NULL);
	json_field(o, "expected", want);
	g_string_append_printf(o, ",\"pass\":%s", sr->pass ? "true" : "false");
	json_why(o, sr->why);
	json_changes(o, sr->changes);
	json_inside(o, sr->events);
	json_field(o, "failure", sr->failure);
	json_field(o, "note", sr->detail);
	json_dump(o, sr->dump);
	json_field(o, "contract", sr->contract_note);
	g_string_append(o, "}\n");
	fputs(o->str, f);
	g_string_free(o, TRUE);
}

void trace_print(FILE *f, const struct scenario *sc,
		 const struct run_result *rr, enum trace_format fmt,
		 bool verbose)
{
	if (fmt == TRACE_TEXT)
		fprintf(f, "== %s (profile %s)\n", sc->path, rr->profile);
	for (guint i = 0; i < rr->steps->len; i++) {
		const struct step_result *sr = rr->steps->pdata[i];

		if (fmt == TRACE_JSON)
			json_step(f, sc, rr, sr);
		else
			text_step(f, sr, verbose);
	}
	if (fmt == TRACE_TEXT) {
		fprintf(f, "== %s: %u steps, %d failed\n", sc->path,
			rr->steps->len, rr->failures);
	} else {
		GString *o = g_string_new("{\"summary\":true,\"file\":");

		json_string(o, sc->path);
		json_field(o, "profile", rr->profile);
		g_string_append_printf(o, ",\"steps\":%u,\"failed\":%d}\n",
				       rr->steps->len, rr->failures);
		fputs(o->str, f);
		g_string_free(o, TRUE);
	}
}
