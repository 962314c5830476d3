// SPDX-License-Identifier: MIT
/*
 * capture.c - run a scenario and keep a scene of the model after every
 * step (run_opts.observe), each marked against the one before, so a
 * view can draw any step and what it changed.
 */
#include <string.h>

#include "view.h"
#include "runner.h"
#include "model/profile.h"

static void after_step(void *data, struct runner *r,
		       const struct step_result *sr)
{
	GPtrArray *scenes = data;
	struct scene *s = scene_from_model(r->m);

	scene_add_ifd(s, r);
	scene_mark_changes(s,
			   scenes->len ? scenes->pdata[scenes->len - 1] : NULL);
	g_ptr_array_add(scenes, s);
}

char *view_default_profile(const struct scenario *sc)
{
	g_auto(GStrv) profiles = scenario_profiles(sc);

	return g_strdup(profiles[0] ? profiles[0]
				    : iommu_profile_default()->name);
}

struct view_run *view_run_with(const struct scenario *sc,
			       const struct run_opts *base, GError **err)
{
	struct view_run *vr = g_new0(struct view_run, 1);
	g_autofree char *text = NULL;
	struct run_opts opts = *base;

	vr->sc = sc;
	vr->scenes = g_ptr_array_new_with_free_func((GDestroyNotify)scene_free);
	opts.observe_run = after_step;
	opts.observe_data = vr->scenes;
	vr->rr = scenario_run(sc, &opts, err);
	if (!vr->rr) {
		view_run_free(vr);
		return NULL;
	}
	if (sc->path && g_file_get_contents(sc->path, &text, NULL, NULL))
		vr->src = g_strsplit(text, "\n", -1);
	return vr;
}

struct view_run *view_run_scenario(const struct scenario *sc,
				   const char *profile, GError **err)
{
	struct run_opts opts = { .profile = profile };

	return view_run_with(sc, &opts, err);
}

void view_run_free(struct view_run *vr)
{
	if (!vr)
		return;
	run_result_free(vr->rr);
	g_ptr_array_free(vr->scenes, TRUE);
	g_strfreev(vr->src);
	g_free(vr);
}

/* The source line without its comment ('#' outside a string). */
static void append_code(GString *out, const char *line)
{
	bool in_str = false;

	for (const char *p = line; *p; p++) {
		if (*p == '"' && (p == line || p[-1] != '\\'))
			in_str = !in_str;
		if (*p == '#' && !in_str)
			break;
		g_string_append_c(out, *p);
	}
}

char *view_source_line(const struct view_run *vr, int line)
{
	guint n = vr->src ? g_strv_length(vr->src) : 0;
	GString *out;

	if (line < 1 || (guint)line > n)
		return NULL;
	out = g_string_new(NULL);
	for (guint i = line - 1; i < n; i++) {
		append_code(out, vr->src[i]);
		g_strchomp(out->str);
		out->len = strlen(out->str);
		if (!out->len || out->str[out->len - 1] != '\\')
			break;
		g_string_truncate(out, out->len - 1); /* a continued line */
	}
	return g_string_free(out, FALSE);
}
