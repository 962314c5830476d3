// SPDX-License-Identifier: MIT
/*
 * capture.c - run a scenario and keep a scene of the model after every
 * step (run_opts.observe), each marked against the one before, so a
 * view can draw any step and what it changed.
 */
#include "view.h"

static void after_step(void *data, const struct iommu_model *m,
		       const struct step_result *sr)
{
	GPtrArray *scenes = data;
	struct scene *s = scene_from_model(m);

	scene_mark_changes(s,
			   scenes->len ? scenes->pdata[scenes->len - 1] : NULL);
	g_ptr_array_add(scenes, s);
}

char *view_default_profile(const struct scenario *sc)
{
	g_auto(GStrv) profiles = scenario_profiles(sc);

	return g_strdup(profiles[0] ? profiles[0] : "linux-7.3");
}

struct view_run *view_run_scenario(const struct scenario *sc,
				   const char *profile, GError **err)
{
	struct view_run *vr = g_new0(struct view_run, 1);
	struct run_opts opts = {
		.profile = profile,
		.observe = after_step,
	};

	vr->sc = sc;
	vr->scenes = g_ptr_array_new_with_free_func((GDestroyNotify)scene_free);
	opts.observe_data = vr->scenes;
	vr->rr = scenario_run(sc, &opts, err);
	if (!vr->rr) {
		view_run_free(vr);
		return NULL;
	}
	return vr;
}

void view_run_free(struct view_run *vr)
{
	if (!vr)
		return;
	run_result_free(vr->rr);
	g_ptr_array_free(vr->scenes, TRUE);
	g_free(vr);
}
