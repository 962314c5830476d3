/* SPDX-License-Identifier: MIT */
/*
 * view.h - pictures of the model's state and reports of a run, between sim/
 * (which runs scenarios) and the command line: model <- sim <- view <- cli.
 *
 * A run is captured as one scene per step (capture.c); a scene is drawn as
 * Graphviz dot (dot.c), rendered to SVG or PNG by Graphviz's `dot` program
 * (graphviz.c), as a text tree for terminals (text.c), or as a section of
 * a static HTML report (html.c). The commands `iommusim show` and
 * `iommusim report` are in cli/.
 */
#ifndef IOMMUSIM_VIEW_VIEW_H
#define IOMMUSIM_VIEW_VIEW_H

#include <stdio.h>

#include "scene.h"
#include "run.h"

struct iommu_model;

/* scene_model.c: the model's state now */
struct scene *scene_from_model(const struct iommu_model *m);
/* scene_model.c, for scene_ifd.c: a domain's node id, and how a line
 * names it (the handle, default/blocking of @g, domain#N) */
struct iommu_domain;
struct iommu_group;
char *scene_dom_id(const struct iommu_domain *d);
char *scene_dom_ref(const struct iommu_group *g, const struct iommu_domain *d);
/* scene_ifd.c: what only the run knows: its iommufd ctxs and their
 * objects named by the scenario's handles, and the VFIO groups set to
 * an iommufd as container */
struct runner;
void scene_add_ifd(struct scene *s, struct runner *r);

/* dot.c: a Graphviz digraph, groups as clusters, changes highlighted */
char *scene_to_dot(const struct scene *s);
/* text.c: the same for a terminal: the PCI tree, groups, domains */
char *scene_to_text(const struct scene *s);

/*
 * graphviz.c: run `dot -T@format` on @dot. With @out_path the picture goes
 * there; else with @out it is returned (text formats such as svg), else
 * it goes to standard output. False with @err when dot is missing or
 * fails.
 */
bool graphviz_render(const char *dot, const char *format, const char *out_path,
		     char **out, GError **err);

/* capture.c: a scenario run with the scene after every step */
struct view_run {
	const struct scenario *sc;
	struct run_result *rr;
	GPtrArray *scenes; /* struct scene *, one per rr->steps, marked */
	char **src;	   /* the file's lines, NULL if it cannot be read */
};

/* NULL with @err on bad input (file:line:col), as scenario_run(). */
struct view_run *view_run_scenario(const struct scenario *sc,
				   const char *profile, GError **err);
/* The same with run options (their observer is the view's). */
struct view_run *view_run_with(const struct scenario *sc,
			       const struct run_opts *opts, GError **err);
void view_run_free(struct view_run *vr);
/* The statement on @line as the file has it (continuation lines joined),
 * without its comment; NULL if unknown. */
char *view_source_line(const struct view_run *vr, int line);
/* The profile a view runs under when none is asked for: the first the
 * scenario declares. */
char *view_default_profile(const struct scenario *sc);

/* html.c: one self-contained page per run, and an index over pages */
struct report_entry {
	char *path; /* the scenario file */
	char *page; /* the page's file name, relative to the index */
	char *profile;
	char *summary; /* the header's first line */
	unsigned int steps;
	int failures;
};

/* html_dump.c: a dump step's table, table by table, as HTML tables */
struct pt_amdv1_dump_data;
void dump_tables_html(GString *o, const struct pt_amdv1_dump_data *d);

/* NULL with @err when a picture cannot be drawn (dot missing). */
char *report_page(const struct view_run *vr, GError **err);
char *report_index(GPtrArray *entries /* struct report_entry * */);

#endif
