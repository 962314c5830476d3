// SPDX-License-Identifier: MIT
/*
 * explore_emit.c - a finding of the search (explore.c) as a scenario file
 * `iommusim run` replays: a header saying it is the model's finding, not
 * kernel truth, then FILE, then the generated steps with the outcomes
 * this run got (per profile where they differ), and for a state finding
 * the groups' checks that pin the difference (docs/explore.md).
 */
#include <string.h>

#include "explore_priv.h"
#include "model/state.h"

char *explore_path_text(const struct explore_opts *o, const struct node *n,
			char **expects)
{
	GPtrArray *lines = g_ptr_array_new();
	GString *s = g_string_new(o->text);

	for (; n && n->stmt; n = n->parent)
		g_ptr_array_add(lines, n->stmt);
	g_string_append_c(s, '\n');
	for (guint i = lines->len; i-- > 0;) {
		guint k = lines->len - 1 - i;

		g_string_append(s, lines->pdata[i]);
		if (expects && expects[k] && *expects[k])
			g_string_append_printf(s, " => %s", expects[k]);
		g_string_append_c(s, '\n');
	}
	g_ptr_array_free(lines, TRUE);
	return g_string_free(s, FALSE);
}

static bool ident(const char *s)
{
	for (; *s; s++) {
		if (!g_ascii_isalnum(*s) && *s != '_' && *s != '-')
			return false;
	}
	return true;
}

/* check_group statements that pin each group's state (its first
 * device names it): a state difference replays as a failed check. */
static char *group_checks(const struct iommu_model *m)
{
	GString *s = g_string_new(NULL);

	for (guint i = 0; i < m->groups->len; i++) {
		struct iommu_group *g = m->groups->pdata[i];
		struct device *dev =
			g->devices->len ? g->devices->pdata[0] : NULL;

		if (!dev)
			continue;
		g_string_append_printf(
			s, "check_group dev=%s domain_type=%s owner_cnt=%u",
			dev->name,
			g->domain ? iommu_domain_type_name(g->domain->type)
				  : "none",
			g->owner_cnt);
		/* a cookie the scenario did not name (iommufd's ctx) has no
		 * spelling in the language: left out */
		if (!g->owner || ident(g->owner))
			g_string_append_printf(s, " owner=%s",
					       g->owner ? g->owner : "none");
		g_string_append_c(s, '\n');
	}
	return g_string_free(s, FALSE);
}

struct last_checks {
	const void *last; /* the path's last statement */
	char *checks;
};

static void observe(void *data, const struct iommu_model *m,
		    const struct step_result *sr)
{
	struct last_checks *lc = data;

	if (sr->st == lc->last)
		lc->checks = group_checks(m);
}

/* The path's generated steps' outcomes under @profile, as expectations,
 * and the groups' checks after the last. The steps are replayed on a
 * session from the prefix, as the search ran them, not as one file: a
 * file without outcomes is not the walk (a device_del whose outcome it
 * does not state keeps its address taken, validate_names.c, where the
 * walk's removal freed it for a later hotplug). */
static char **path_outcomes(struct search *s, const struct node *n,
			    const char *profile, char **checks)
{
	g_autofree const struct node **path =
		g_new(const struct node *, n->depth);
	GPtrArray *parsed =
		g_ptr_array_new_with_free_func((GDestroyNotify)scenario_free);
	struct last_checks lc = { 0 };
	struct run_opts ro = { .profile = profile,
			       .no_changes = true,
			       .prechecked = true,
			       .observe = observe,
			       .observe_data = &lc };
	struct run_session *rs = run_session_new(s->prefix, &ro, NULL);
	char **out = g_new0(char *, n->depth + 1);
	int k = n->depth;

	for (const struct node *at = n; k > 0; at = at->parent)
		path[--k] = at;
	for (int i = 0; i < n->depth; i++) {
		struct scenario *sc =
			scenario_parse(s->o->path, path[i]->stmt, NULL);
		const struct statement *st = sc->stmts->pdata[0];
		struct step_result *sr;

		g_ptr_array_add(parsed, sc);
		if (i == n->depth - 1)
			lc.last = st;
		sr = run_session_step(rs, st);
		/* a setup step (a hotplug) states no outcome: "" */
		out[i] = sr->got.kind == OUT_NONE ? g_strdup("")
						  : outcome_str(&sr->got);
		step_result_free(sr);
	}
	*checks = lc.checks;
	run_session_free(rs); /* before the statements it ran */
	g_ptr_array_free(parsed, TRUE);
	return out;
}

static void append_checks(GString *s, const char *a, const char *b,
			  const struct explore_opts *o)
{
	g_auto(GStrv) x = g_strsplit(a, "\n", -1), y = g_strsplit(b, "\n", -1);

	for (int i = 0; x[i] && y[i] && *x[i]; i++) {
		if (!strcmp(x[i], y[i]))
			g_string_append_printf(s, "%s\n", x[i]);
		else
			g_string_append_printf(s, "%s only=%s\n%s only=%s\n",
					       x[i], o->profile, y[i], o->vs);
	}
}

static char *commented(const char *text)
{
	g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
	GString *s = g_string_new(NULL);

	for (int i = 0; lines[i]; i++) {
		if (*lines[i])
			g_string_append_printf(s, "#   %s\n", lines[i]);
	}
	return g_string_free(s, FALSE);
}

static void header(GString *s, const struct explore_opts *o,
		   const struct found *f)
{
	g_autofree char *why = commented(f->detail);

	if (!strcmp(f->kind, "walk")) {
		g_string_append_printf(
			s,
			"# a random walk by iommusim explore, %d steps from %s "
			"(seed %" G_GUINT64_FORMAT ")\n# under %s%s%s; the "
			"expectations are what the model got, not kernel "
			"truth:\n# `iommusim crosscheck` holds them against "
			"the real kernel.\n%s\n",
			f->node->depth, o->path, o->seed, o->profile,
			o->vs ? " vs " : "", o->vs ? o->vs : "", why);
		return;
	}
	g_string_append_printf(
		s,
		"# found by iommusim explore, not kernel truth: a %s finding "
		"after %d steps\n# from %s under %s%s%s; the expectations are "
		"what this run got.\n# %s\n%s\n",
		f->kind, f->node->depth, o->path, o->profile,
		o->vs ? " vs " : "", o->vs ? o->vs : "",
		!strcmp(f->kind, "invariant") || !strcmp(f->kind, "isolation")
			? "`iommusim run` reproduces it: the last step fails "
			  "(exit 1)."
			: "`iommusim run --profile P` passes under each (exit "
			  "0).",
		why);
}

char *explore_emit(struct search *s, const struct found *f)
{
	const struct explore_opts *o = s->o;
	const struct node *n = f->node;
	g_autofree char *ca = NULL, *cb = NULL, *body = NULL;
	g_auto(GStrv) a = path_outcomes(s, n, o->profile, &ca);
	g_auto(GStrv) b = o->vs ? path_outcomes(s, n, o->vs, &cb) : NULL;
	char **expects = g_new0(char *, n->depth + 1);
	GString *out = g_string_new(NULL);

	for (int i = 0; i < n->depth; i++)
		expects[i] =
			!b || !strcmp(a[i], b[i])
				? g_strdup(a[i])
				: g_strdup_printf("%s:%s %s:%s", o->profile,
						  a[i], o->vs, b[i]);
	body = explore_path_text(o, n, expects);
	g_strfreev(expects);
	header(out, o, f);
	g_string_append(out, body);
	if (!strcmp(f->kind, "state"))
		append_checks(out, ca, cb, o);
	return g_string_free(out, FALSE);
}
