// SPDX-License-Identifier: MIT
/*
 * html.c - a run as one static HTML page: the file's header comment, then
 * one section per step with the line as written, the result against the
 * expectation, the kernel function and condition behind a refusal (the
 * step's why), what changed, AMDv1 mappings as tables, and the picture of
 * the state after it (inline SVG from Graphviz). No script, no external
 * resource: the page is one file that opens anywhere. An index page lists
 * many such pages.
 */
#include <string.h>

#include "view.h"
#include "op.h"

static const char page_css[] =
	"body{font-family:system-ui,Helvetica,Arial,sans-serif;margin:0 auto;"
	"max-width:1200px;padding:1em 2em;color:#222}"
	"h1{font-size:1.4em;margin-bottom:.2em}"
	"pre,code{font-family:ui-monospace,Menlo,Consolas,monospace;"
	"font-size:.92em}"
	"pre.header{background:#f6f8fa;padding:.8em;border-radius:6px;"
	"white-space:pre-wrap}"
	"section.step{border-top:1px solid #ddd;padding:.4em 0 .8em}"
	"section.step h2{font-size:1em;font-weight:normal;margin:.4em 0}"
	"span.ln{display:inline-block;min-width:3em;color:#888}"
	"span.ok{color:#1a7f37;font-weight:bold}"
	"span.fail{color:#cf222e;font-weight:bold}"
	"section.fail{background:#fff5f5}"
	"p.why{margin:.3em 0 .3em 3em}p.why code{color:#8250df}"
	"pre.changes,pre.note{margin:.3em 0 .3em 3em;color:#555}"
	"figure{margin:.5em 0 .5em 3em;overflow-x:auto}"
	"figure svg{max-width:100%;height:auto}"
	"table{border-collapse:collapse;margin:.4em 0 .4em 3em;font-size:.9em}"
	"th,td{border:1px solid #ccc;padding:2px 8px;text-align:left}"
	"th{background:#f0f0f0}td{font-family:ui-monospace,monospace}"
	"p.result{margin:.3em 0 .3em 3em}"
	"p.same{margin:.3em 0 .3em 3em;color:#888;font-style:italic}"
	"details{margin:.3em 0 .3em 3em}";

static void esc(GString *o, const char *s)
{
	g_autofree char *e = g_markup_escape_text(s ? s : "", -1);

	g_string_append(o, e);
}

static void page_head(GString *o, const char *title)
{
	g_string_append(o, "<!DOCTYPE html>\n<html lang=\"en\"><head>"
			   "<meta charset=\"utf-8\"><title>");
	esc(o, title);
	g_string_append_printf(o, "</title><style>%s</style></head><body>\n",
			       page_css);
}

/* "func: condition" per line -> func() in code, then the condition */
static void why_html(GString *o, const char *why, bool refused)
{
	g_auto(GStrv) lines = g_strsplit(why, "\n", -1);

	for (int i = 0; lines[i]; i++) {
		const char *sep = strstr(lines[i], ": ");

		if (!*lines[i])
			continue;
		g_string_append(o, "<p class=\"why\">");
		if (sep && !memchr(lines[i], ' ', sep - lines[i])) {
			g_autofree char *func =
				g_strndup(lines[i], sep - lines[i]);

			g_string_append(o, refused ? "refused by <code>"
						   : "<code>");
			esc(o, func);
			g_string_append(o, "()</code>: ");
			esc(o, sep + 2);
		} else {
			esc(o, lines[i]);
		}
		g_string_append(o, "</p>\n");
	}
}

static void result_html(GString *o, const struct step_result *sr)
{
	g_autofree char *got = outcome_str(&sr->got);
	g_autofree char *want = sr->expected ? outcome_str(sr->expected) : NULL;

	if (sr->cls == STEP_SETUP && !sr->expected && sr->pass)
		return; /* a machine line: nothing to say but that it ran */
	g_string_append(o, "<p class=\"result\">");
	if (sr->cls == STEP_OP || sr->expected) {
		g_string_append(o, "returned <b>");
		esc(o, got);
		g_string_append(o, "</b>");
		if (want) {
			g_string_append(o, ", expected ");
			esc(o, want);
		}
		g_string_append(o, " ");
	}
	g_string_append_printf(o, "<span class=\"%s\">%s</span></p>\n",
			       sr->pass ? "ok" : "fail",
			       sr->pass ? "&#10003; holds" : "&#10007; FAILED");
}

static void pre_block(GString *o, const char *cls, const char *label,
		      const char *text)
{
	if (!text)
		return;
	g_string_append_printf(o, "<pre class=\"%s\">%s", cls, label);
	esc(o, text);
	g_string_append(o, "</pre>\n");
}

static void mappings_table(GString *o, const struct scene_node *n)
{
	static const char *const head[] = { "IOVA", "size",  "PA",
					    "prot", "level", "entry" };

	g_string_append(o, "<table><caption>");
	esc(o, n->title);
	g_string_append(o, ": ");
	esc(o, n->rows_header);
	g_string_append(o, "</caption><tr>");
	for (unsigned int c = 0; c < G_N_ELEMENTS(head); c++)
		g_string_append_printf(o, "<th>%s</th>", head[c]);
	g_string_append(o, "</tr>\n");
	for (guint i = 0; i < n->rows->len; i++) {
		const struct scene_row *r = n->rows->pdata[i];

		g_string_append(o, "<tr>");
		for (unsigned int c = 0; c < G_N_ELEMENTS(r->cells); c++) {
			g_string_append(o, "<td>");
			esc(o, r->cells[c]);
			g_string_append(o, "</td>");
		}
		g_string_append(o, "</tr>\n");
	}
	if (!n->rows->len)
		g_string_append(o, "<tr><td colspan=\"6\">no mappings</td>"
				   "</tr>\n");
	g_string_append(o, "</table>\n");
}

/* The domain a dump step names by handle, or NULL (all of them). */
static const char *dumped_handle(const struct step_result *sr)
{
	const struct arg *a = stmt_arg(sr->st, "domain");

	return a && a->val.kind == VAL_HANDLE ? a->val.text : NULL;
}

/* A step that only shows model state (dump): its row says so. */
static bool is_display(const struct step_result *sr)
{
	const struct op *op = op_find(sr->st->verb);

	return op && op->guest.kind == GUEST_DISPLAY;
}

/* Tables for the domains whose mappings this step changed, and for what
 * a dump step dumps. */
static void tables_html(GString *o, const struct step_result *sr,
			const struct scene *s)
{
	bool dump = is_display(sr);
	const char *handle = dump ? dumped_handle(sr) : NULL;

	for (guint i = 0; i < s->nodes->len; i++) {
		const struct scene_node *n = s->nodes->pdata[i];
		bool named = handle && n->title[0] == '$' &&
			     !strcmp(n->title + 1, handle);

		if (n->kind != SK_DOMAIN || !n->rows)
			continue;
		if (dump ? (named || (!handle && n->rows->len))
			 : (n->mark != MARK_SAME && n->rows->len))
			mappings_table(o, n);
	}
}

/* Inline SVG: Graphviz's output from "<svg" on (no XML prolog). */
static bool picture_html(GString *o, struct scene *s, GError **err)
{
	g_autofree char *dot = scene_to_dot(s);
	g_autofree char *svg = NULL;
	const char *start;

	if (!graphviz_render(dot, "svg", NULL, &svg, err))
		return false;
	start = strstr(svg, "<svg");
	g_string_append(o, "<figure>");
	g_string_append(o, start ? start : svg);
	g_string_append(o, "</figure>\n");
	return true;
}

static void step_head(GString *o, const struct view_run *vr, guint i)
{
	const struct step_result *sr = vr->rr->steps->pdata[i];
	g_autofree char *src = view_source_line(vr, sr->st->line);

	g_string_append_printf(o,
			       "<section class=\"step %s\" id=\"line-%d\">"
			       "<h2><span class=\"ln\">%d</span><code>",
			       sr->pass ? "pass" : "fail", sr->st->line,
			       sr->st->line);
	esc(o, src ? src : sr->st->verb);
	g_string_append(o, "</code></h2>\n");
}

static bool step_html(GString *o, const struct view_run *vr, guint i,
		      guint *last_picture, GError **err)
{
	const struct step_result *sr = vr->rr->steps->pdata[i];
	struct scene *s = vr->scenes->pdata[i];
	bool dump = is_display(sr);

	step_head(o, vr, i);
	result_html(o, sr);
	pre_block(o, "note", "failed: ", sr->failure);
	if (sr->why)
		why_html(o, sr->why,
			 sr->got.kind == OUT_ERRNO ||
				 sr->got.kind == OUT_FAULT ||
				 sr->got.kind == OUT_UB ||
				 sr->got.kind == OUT_BLOCKS);
	pre_block(o, "changes", "changed:\n", sr->changes);
	pre_block(o, "note", "note: ", dump ? NULL : sr->detail);
	pre_block(o, "note", "note: ", sr->contract_note);
	tables_html(o, sr, s);
	if (dump && sr->dump)
		dump_tables_html(o, sr->dump);
	if (dump && sr->detail) {
		g_string_append(o, "<details><summary>the dump as "
				   "text</summary>");
		pre_block(o, "changes", "", sr->detail);
		g_string_append(o, "</details>\n");
	}
	if (s->booted && (scene_changed(s) || !*last_picture)) {
		g_free(s->title);
		s->title = g_strdup_printf("after line %d", sr->st->line);
		if (!picture_html(o, s, err))
			return false;
		*last_picture = sr->st->line;
	} else if (s->booted) {
		g_string_append_printf(o,
				       "<p class=\"same\">state unchanged: "
				       "<a href=\"#line-%u\">as after line "
				       "%u</a></p>\n",
				       *last_picture, *last_picture);
	}
	g_string_append(o, "</section>\n");
	return true;
}

static void page_intro(GString *o, const struct view_run *vr)
{
	g_string_append(o, "<h1>");
	esc(o, vr->sc->path);
	g_string_append_printf(o,
			       "</h1>\n<p>profile <b>%s</b>, %u steps, "
			       "<span class=\"%s\">%d failed</span>; "
			       "<a href=\"index.html\">all reports</a></p>\n",
			       vr->rr->profile, vr->rr->steps->len,
			       vr->rr->failures ? "fail" : "ok",
			       vr->rr->failures);
	if (vr->sc->header && *vr->sc->header)
		pre_block(o, "header", "", vr->sc->header);
}

char *report_page(const struct view_run *vr, GError **err)
{
	GString *o = g_string_new(NULL);
	guint last_picture = 0;

	page_head(o, vr->sc->path);
	page_intro(o, vr);
	for (guint i = 0; i < vr->rr->steps->len; i++) {
		if (!step_html(o, vr, i, &last_picture, err)) {
			g_string_free(o, TRUE);
			return NULL;
		}
	}
	g_string_append(o, "</body></html>\n");
	return g_string_free(o, FALSE);
}

char *report_index(GPtrArray *entries)
{
	GString *o = g_string_new(NULL);
	int failed = 0;

	for (guint i = 0; i < entries->len; i++)
		failed += ((struct report_entry *)entries->pdata[i])->failures
				  ? 1
				  : 0;
	page_head(o, "iommusim reports");
	g_string_append_printf(o,
			       "<h1>iommusim reports</h1>\n<p>%u files, "
			       "<span class=\"%s\">%d with a failed step"
			       "</span></p>\n<table><tr><th>file</th>"
			       "<th>profile</th><th>steps</th><th>failed</th>"
			       "<th>what it shows</th></tr>\n",
			       entries->len, failed ? "fail" : "ok", failed);
	for (guint i = 0; i < entries->len; i++) {
		const struct report_entry *e = entries->pdata[i];

		g_string_append(o, "<tr><td><a href=\"");
		esc(o, e->page);
		g_string_append(o, "\">");
		esc(o, e->path);
		g_string_append_printf(o,
				       "</a></td><td>%s</td><td>%u</td>"
				       "<td>%d</td><td>",
				       e->profile, e->steps, e->failures);
		esc(o, e->summary);
		g_string_append(o, "</td></tr>\n");
	}
	g_string_append(o, "</table>\n</body></html>\n");
	return g_string_free(o, FALSE);
}
