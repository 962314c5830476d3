// SPDX-License-Identifier: MIT
/*
 * view.c - the commands that draw (view/):
 *   iommusim show FILE [--step N | --line L] [--format dot|svg|png|text]
 *                      [--profile P] [-o OUT]
 *     the model's state after step N (default: the last), with what that
 *     step changed highlighted; exit 0 drawn, 2 bad input or no picture.
 *   iommusim report FILE... -o DIR [--profile P]
 *     one static HTML page per scenario (every step, its result, the
 *     kernel's reason, the picture) and DIR/index.html over them; exit 0,
 *     1 an expectation failed, 2 bad input (nothing written).
 */
#include <errno.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "errnames.h"
#include "trace.h"
#include "view.h"

/* "iommusim CMD: message" on stderr; returns 2, the bad-input status. */
static int view_error(const char *cmd, const char *fmt, ...)
	G_GNUC_PRINTF(2, 3);
static int view_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "iommusim %s: ", cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return 2;
}

/* ---- show ---- */

struct show_opts {
	int step; /* 1-based; 0: the last */
	int line; /* the step on this line, 0: --step decides */
	char *format;
	char *profile;
	char *out;
};

static char *scene_title(const struct view_run *vr, guint i)
{
	const struct step_result *sr = vr->rr->steps->pdata[i];
	g_autofree char *text = stmt_text(sr->st);

	return g_strdup_printf("%s: after step %u of %u (line %d): %s",
			       vr->sc->path, i + 1, vr->rr->steps->len,
			       sr->st->line, text);
}

/* The 1-based step of the statement on @line, 0 if none. */
static int step_on_line(const struct view_run *vr, int line)
{
	for (guint i = 0; i < vr->rr->steps->len; i++) {
		const struct step_result *sr = vr->rr->steps->pdata[i];

		if (sr->st->line == line)
			return i + 1;
	}
	return 0;
}

static int emit(const struct show_opts *o, const struct scene *s)
{
	g_autofree char *text = NULL;
	g_autoptr(GError) err = NULL;
	bool is_text = !strcmp(o->format, "text");

	if (is_text || !strcmp(o->format, "dot")) {
		FILE *f = o->out ? fopen(o->out, "w") : stdout;

		if (!f)
			return view_error("show", "%s: cannot write", o->out);
		text = is_text ? scene_to_text(s) : scene_to_dot(s);
		fputs(text, f);
		if (o->out)
			fclose(f);
		return 0;
	}
	text = scene_to_dot(s);
	if (!graphviz_render(text, o->format, o->out, NULL, &err))
		return view_error("show", "%s", err->message);
	return 0;
}

static int show_file(const struct show_opts *o, const char *path)
{
	g_autoptr(GError) err = NULL;
	struct scenario *sc = scenario_load(path, &err);
	g_autofree char *profile = NULL;
	struct view_run *vr = NULL;
	struct scene *s;
	int status, step;
	guint n;

	if (!sc)
		return view_error("show", "%s", err->message);
	profile = o->profile ? g_strdup(o->profile) : view_default_profile(sc);
	vr = view_run_scenario(sc, profile, &err);
	if (!vr) {
		scenario_free(sc);
		return view_error("show", "%s", err->message);
	}
	n = vr->scenes->len;
	step = o->line ? step_on_line(vr, o->line) : o->step ? o->step : (int)n;
	if (o->line && !step) {
		status = view_error("show", "%s: no statement on line %d", path,
				    o->line);
		goto out;
	}
	if (step < 1 || (guint)step > n) {
		status = view_error("show", "%s has steps 1 to %u, not %d",
				    path, n, step);
		goto out;
	}
	s = vr->scenes->pdata[step - 1];
	g_free(s->title);
	s->title = scene_title(vr, step - 1);
	status = emit(o, s);
out:
	view_run_free(vr);
	scenario_free(sc);
	return status;
}

int cmd_show(int argc, char **argv)
{
	struct show_opts o = { 0 };
	GOptionEntry entries[] = {
		{ "step", 's', 0, G_OPTION_ARG_INT, &o.step,
		  "the state after step N (1-based, as `run` numbers the "
		  "file's statements; default the last)",
		  "N" },
		{ "line", 'l', 0, G_OPTION_ARG_INT, &o.line,
		  "the state after the statement on line L", "L" },
		{ "format", 'f', 0, G_OPTION_ARG_STRING, &o.format,
		  "text (default), dot, svg or png", "F" },
		{ "profile", 'p', 0, G_OPTION_ARG_STRING, &o.profile,
		  "semantic profile (default: the file's first)", "P" },
		{ "output", 'o', 0, G_OPTION_ARG_FILENAME, &o.out,
		  "write to FILE instead of standard output", "FILE" },
		{ 0 },
	};
	GOptionContext *ctx = g_option_context_new(
		"FILE - draw the model's state after a step");
	g_autoptr(GError) err = NULL;
	int status = 2;

	g_option_context_add_main_entries(ctx, entries, NULL);
	if (!g_option_context_parse(ctx, &argc, &argv, &err))
		status = view_error("show", "%s", err->message);
	else if (argc != 2)
		status = view_error("show", "expected one scenario file");
	else if (o.format &&
		 !g_strv_contains((const char *const[]){ "text", "dot", "svg",
							 "png", NULL },
				  o.format))
		status = view_error("show",
				    "--format expects text, dot, svg or png");
	else if (o.profile && !scenario_profile_known(o.profile))
		status = view_error("show", "unknown profile '%s'", o.profile);
	else {
		if (!o.format)
			o.format = g_strdup("text");
		status = show_file(&o, argv[1]);
	}
	g_free(o.format);
	g_free(o.profile);
	g_free(o.out);
	g_option_context_free(ctx);
	return status;
}

/* ---- report ---- */

/* "scenarios/attach/x.scn" -> "scenarios-attach-x.html" */
static char *page_name(const char *path)
{
	GString *s = g_string_new(NULL);

	while (g_str_has_prefix(path, "./") || g_str_has_prefix(path, "../"))
		path += path[1] == '/' ? 2 : 3;
	for (const char *p = path; *p; p++)
		g_string_append_c(s, *p == '/' ? '-' : *p);
	if (g_str_has_suffix(s->str, ".scn"))
		g_string_truncate(s, s->len - 4);
	g_string_append(s, ".html");
	return g_string_free(s, FALSE);
}

static void entry_free(gpointer p)
{
	struct report_entry *e = p;

	g_free(e->path);
	g_free(e->page);
	g_free(e->profile);
	g_free(e->summary);
	g_free(e);
}

static struct report_entry *entry_new(const struct view_run *vr)
{
	struct report_entry *e = g_new0(struct report_entry, 1);
	const char *h = vr->sc->header ? vr->sc->header : "";
	const char *nl = strchr(h, '\n');

	e->path = g_strdup(vr->sc->path);
	e->page = page_name(vr->sc->path);
	e->profile = g_strdup(vr->rr->profile);
	e->summary = g_strstrip(nl ? g_strndup(h, nl - h) : g_strdup(h));
	e->steps = vr->rr->steps->len;
	e->failures = vr->rr->failures;
	return e;
}

/* Run @sc and write its page; the entry for the index, or NULL. */
static struct report_entry *write_page(const struct scenario *sc,
				       const char *profile, const char *dir)
{
	g_autoptr(GError) err = NULL;
	g_autofree char *html = NULL, *file = NULL, *prof = NULL;
	struct view_run *vr;
	struct report_entry *e = NULL;

	prof = profile ? g_strdup(profile) : view_default_profile(sc);
	vr = view_run_scenario(sc, prof, &err);
	if (!vr) {
		view_error("report", "%s", err->message);
		return NULL;
	}
	html = report_page(vr, &err);
	if (!html) {
		view_error("report", "%s: %s", sc->path, err->message);
		goto out;
	}
	e = entry_new(vr);
	file = g_build_filename(dir, e->page, NULL);
	if (!g_file_set_contents(file, html, -1, &err)) {
		view_error("report", "%s", err->message);
		g_clear_pointer(&e, entry_free);
	}
out:
	view_run_free(vr);
	return e;
}

/* Every file parsed first: bad input writes nothing. */
static GPtrArray *load_all(int argc, char **argv)
{
	GPtrArray *scs =
		g_ptr_array_new_with_free_func((GDestroyNotify)scenario_free);

	for (int i = 1; i < argc; i++) {
		g_autoptr(GError) err = NULL;
		struct scenario *sc = scenario_load(argv[i], &err);

		if (!sc) {
			view_error("report", "%s", err->message);
			g_ptr_array_free(scs, TRUE);
			return NULL;
		}
		g_ptr_array_add(scs, sc);
	}
	return scs;
}

static int write_all(GPtrArray *scs, const char *profile, const char *dir)
{
	g_autoptr(GPtrArray) entries =
		g_ptr_array_new_with_free_func(entry_free);
	g_autoptr(GError) err = NULL;
	g_autofree char *index = NULL, *file = NULL;
	int failed = 0;

	if (g_mkdir_with_parents(dir, 0755))
		return view_error("report", "%s: %s", dir, g_strerror(errno));
	for (guint i = 0; i < scs->len; i++) {
		struct report_entry *e =
			write_page(scs->pdata[i], profile, dir);

		if (!e)
			return 2;
		failed += e->failures;
		g_ptr_array_add(entries, e);
	}
	index = report_index(entries);
	file = g_build_filename(dir, "index.html", NULL);
	if (!g_file_set_contents(file, index, -1, &err))
		return view_error("report", "%s", err->message);
	printf("%s: %u pages\n", file, entries->len);
	return failed ? 1 : 0;
}

int cmd_report(int argc, char **argv)
{
	char *dir = NULL, *profile = NULL;
	GOptionEntry entries[] = {
		{ "output", 'o', 0, G_OPTION_ARG_FILENAME, &dir,
		  "write the pages and index.html into DIR", "DIR" },
		{ "profile", 'p', 0, G_OPTION_ARG_STRING, &profile,
		  "semantic profile (default: each file's first)", "P" },
		{ 0 },
	};
	GOptionContext *ctx = g_option_context_new(
		"FILE... - an HTML page per scenario, every step drawn");
	g_autoptr(GError) err = NULL;
	GPtrArray *scs = NULL;
	int status = 2;

	g_option_context_add_main_entries(ctx, entries, NULL);
	if (!g_option_context_parse(ctx, &argc, &argv, &err))
		view_error("report", "%s", err->message);
	else if (!dir || argc < 2)
		view_error("report",
			   "expected -o DIR and at least one scenario file");
	else if (profile && !scenario_profile_known(profile))
		view_error("report", "unknown profile '%s'", profile);
	else if ((scs = load_all(argc, argv)))
		status = write_all(scs, profile, dir);
	if (scs)
		g_ptr_array_free(scs, TRUE);
	g_free(dir);
	g_free(profile);
	g_option_context_free(ctx);
	return status;
}
