// SPDX-License-Identifier: MIT
/*
 * show.c - iommusim show FILE [--step N] [--format dot|svg|png|text]
 * [--profile P] [-o OUT]: the model's state after step N (default: the
 * last), with what that step changed highlighted.
 * Exit status: 0 drawn, 2 bad input or no picture (dot missing).
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "errnames.h"
#include "trace.h"
#include "view.h"

struct show_opts {
	int step; /* 1-based; 0: the last */
	int line; /* the step on this line, 0: --step decides */
	char *format;
	char *profile;
	char *out;
};

static int show_error(const char *fmt, ...) G_GNUC_PRINTF(1, 2);
static int show_error(const char *fmt, ...)
{
	va_list ap;

	fputs("iommusim show: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return 2;
}

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
			return show_error("%s: cannot write", o->out);
		text = is_text ? scene_to_text(s) : scene_to_dot(s);
		fputs(text, f);
		if (o->out)
			fclose(f);
		return 0;
	}
	text = scene_to_dot(s);
	if (!graphviz_render(text, o->format, o->out, NULL, &err))
		return show_error("%s", err->message);
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
		return show_error("%s", err->message);
	profile = o->profile ? g_strdup(o->profile) : view_default_profile(sc);
	vr = view_run_scenario(sc, profile, &err);
	if (!vr) {
		scenario_free(sc);
		return show_error("%s", err->message);
	}
	n = vr->scenes->len;
	step = o->line ? step_on_line(vr, o->line) : o->step ? o->step : (int)n;
	if (o->line && !step) {
		status = show_error("%s: no statement on line %d", path,
				    o->line);
		goto out;
	}
	if (step < 1 || (guint)step > n) {
		status = show_error("%s has steps 1 to %u, not %d", path, n,
				    step);
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
		{ NULL },
	};
	GOptionContext *ctx = g_option_context_new(
		"FILE - draw the model's state after a step");
	g_autoptr(GError) err = NULL;
	int status = 2;

	g_option_context_add_main_entries(ctx, entries, NULL);
	if (!g_option_context_parse(ctx, &argc, &argv, &err))
		status = show_error("%s", err->message);
	else if (argc != 2)
		status = show_error("expected one scenario file");
	else if (o.format &&
		 !g_strv_contains((const char *const[]){ "text", "dot", "svg",
							 "png", NULL },
				  o.format))
		status = show_error("--format expects text, dot, svg or png");
	else if (o.profile && !scenario_profile_known(o.profile))
		status = show_error("unknown profile '%s'", o.profile);
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
