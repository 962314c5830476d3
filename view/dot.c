// SPDX-License-Identifier: MIT
/*
 * dot.c - a scene as a Graphviz digraph. Devices hang in the PCI tree
 * (bridge -> device edges); each iommu group is a cluster around its
 * devices and a small node with the group's state, from which edges lead
 * to its current domain (bold), its default domain (dashed) and an attach
 * handle's domain (dotted); a device whose own domain differs from its
 * group's has a red edge to what it sees. What the step added is green,
 * what it changed is yellow with the changed lines in bold red, new edges
 * are red.
 *
 * iommufd's objects (blue) hang from their ctx: IOAS -> HWPT -> the
 * devices attached, igroups -> their devices and iommu group; VFIO's
 * (brown) point at the iommu group, device, container or iommufd they
 * belong to.
 *
 * One drawing function per scene kind (node_drawers[]): a new object kind
 * adds its shape there.
 */
#include <string.h>

#include "view.h"

#define COLOR_NEW "#2ca02c"
#define FILL_NEW "#dff5df"
#define COLOR_CHANGED "#d62728"
#define FILL_CHANGED "#fff2b3"

/* "dev:nic" -> "dev_nic": dot ids without port syntax; a cluster's id
 * must start with "cluster" */
static void dot_id_prefixed(GString *o, const char *prefix, const char *id)
{
	g_string_append_printf(o, "\"%s", prefix);
	for (const char *p = id; *p; p++)
		g_string_append_c(o, *p == ':' || *p == '"' ? '_' : *p);
	g_string_append_c(o, '"');
}

static void dot_id(GString *o, const char *id)
{
	dot_id_prefixed(o, "", id);
}

/* Text inside an HTML-like label. */
static void html_text(GString *o, const char *s)
{
	g_autofree char *e = g_markup_escape_text(s, -1);

	g_string_append(o, e);
}

/* <B>title</B><BR/>line<BR/>..., the lines a step changed in red. */
static void label_body(GString *o, const struct scene_node *n, bool title)
{
	if (title) {
		g_string_append(o, "<B>");
		html_text(o, n->title);
		g_string_append(o, "</B>");
	}
	for (guint i = 0; i < n->lines->len; i++) {
		bool hot = i < 64 && (n->new_lines >> i) & 1;

		if (title || i)
			g_string_append(o, "<BR/>");
		if (hot)
			g_string_append(o, "<FONT COLOR=\"" COLOR_CHANGED
					   "\"><B>");
		html_text(o, n->lines->pdata[i]);
		if (hot)
			g_string_append(o, "</B></FONT>");
	}
}

static void mark_attrs(GString *o, enum scene_mark mark)
{
	if (mark == MARK_NEW)
		g_string_append(o, ", style=\"filled,bold\", color=\"" COLOR_NEW
				   "\", fillcolor=\"" FILL_NEW "\"");
	else if (mark == MARK_CHANGED)
		g_string_append(
			o, ", style=\"filled,bold\", color=\"" COLOR_CHANGED
			   "\", fillcolor=\"" FILL_CHANGED "\"");
}

static void node_with(GString *o, const struct scene_node *n, const char *attrs,
		      bool title)
{
	g_string_append(o, "    ");
	dot_id(o, n->id);
	g_string_append_printf(o, " [%s, label=<", attrs);
	label_body(o, n, title);
	g_string_append(o, ">");
	mark_attrs(o, n->mark);
	g_string_append(o, "];\n");
}

static void draw_iommu(GString *o, const struct scene_node *n)
{
	node_with(o, n, "shape=hexagon", true);
}

static void draw_device(GString *o, const struct scene_node *n)
{
	node_with(o, n, "shape=box", true);
}

static void draw_group(GString *o, const struct scene_node *n)
{
	/* the cluster around it carries the title */
	node_with(o, n, "shape=note", false);
}

static void draw_domain(GString *o, const struct scene_node *n)
{
	node_with(o, n, "shape=box, style=rounded", true);
}

/* iommufd and VFIO objects: a shape each, their lines below the title */
static const char *const shapes[SK_NR] = {
	[SK_IFD_CTX] = "shape=folder, color=\"#1f77b4\"",
	[SK_IOAS] = "shape=cylinder, color=\"#1f77b4\"",
	[SK_HWPT] = "shape=box3d, color=\"#1f77b4\"",
	[SK_IGROUP] = "shape=tab, color=\"#1f77b4\"",
	[SK_IDEV] = "shape=box, style=dashed, color=\"#1f77b4\"",
	[SK_VFIO_GROUP] = "shape=cds, color=\"#8c564b\"",
	[SK_VFIO_CONTAINER] = "shape=folder, color=\"#8c564b\"",
	[SK_VFIO_CDEV] = "shape=cds, color=\"#8c564b\"",
};

static void draw_shaped(GString *o, const struct scene_node *n)
{
	node_with(o, n, shapes[n->kind], true);
}

typedef void (*node_drawer)(GString *o, const struct scene_node *n);

static const node_drawer node_drawers[SK_NR] = {
	[SK_IOMMU] = draw_iommu,	   [SK_DEVICE] = draw_device,
	[SK_GROUP] = draw_group,	   [SK_DOMAIN] = draw_domain,
	[SK_IFD_CTX] = draw_shaped,	   [SK_IOAS] = draw_shaped,
	[SK_HWPT] = draw_shaped,	   [SK_IGROUP] = draw_shaped,
	[SK_IDEV] = draw_shaped,	   [SK_VFIO_GROUP] = draw_shaped,
	[SK_VFIO_CONTAINER] = draw_shaped, [SK_VFIO_CDEV] = draw_shaped,
};

static void draw_node(GString *o, const struct scene_node *n)
{
	node_drawers[n->kind](o, n);
}

/* A group's cluster: the group's node and its devices. */
static void draw_cluster(GString *o, const struct scene *s,
			 const struct scene_node *g)
{
	g_string_append(o, "  subgraph ");
	dot_id_prefixed(o, "cluster_", g->id);
	g_string_append(o, " {\n    label=<");
	html_text(o, g->title);
	g_string_append_printf(o, ">; style=\"rounded%s\"; color=\"%s\";\n",
			       g->mark ? ",bold" : "",
			       g->mark == MARK_NEW	 ? COLOR_NEW
			       : g->mark == MARK_CHANGED ? COLOR_CHANGED
							 : "#4a6fa5");
	draw_node(o, g);
	for (guint i = 0; i < s->nodes->len; i++) {
		const struct scene_node *n = s->nodes->pdata[i];

		if (!n->cluster || strcmp(n->cluster, g->id))
			continue;
		draw_node(o, n);
		/* the group's state below its devices, its domains below it */
		g_string_append(o, "    ");
		dot_id(o, n->id);
		g_string_append(o, " -> ");
		dot_id(o, g->id);
		g_string_append(o, " [style=invis];\n");
	}
	g_string_append(o, "  }\n");
}

static const char *const edge_attrs[EDGE_NR] = {
	[EDGE_BUS] = "arrowhead=none, color=\"#7f7f7f\"",
	[EDGE_DOMAIN] = "label=\"domain\", style=bold",
	[EDGE_DEFAULT] = "label=\"default\", style=dashed",
	[EDGE_HANDLE] = "label=\"handle\", style=dotted",
	[EDGE_ATTACHED] = "label=\"sees\", color=\"#9467bd\", "
			  "fontcolor=\"#9467bd\"",
	[EDGE_OWNS] = "color=\"#1f77b4\"",
	[EDGE_HWPT] = "label=\"hwpt\", color=\"#1f77b4\"",
	[EDGE_HWPT_DOMAIN] = "label=\"domain\", style=bold, "
			     "color=\"#1f77b4\"",
	[EDGE_HWPT_IDEV] = "label=\"attached\", style=bold, "
			   "color=\"#1f77b4\"",
	[EDGE_IGROUP] = "style=dashed, color=\"#1f77b4\"",
	[EDGE_IDEV_DEVICE] = "label=\"device\", style=dashed, "
			     "color=\"#1f77b4\"",
	[EDGE_VFIO_OF] = "label=\"of\", style=dashed, color=\"#8c564b\"",
	[EDGE_VFIO_CONTAINER] = "label=\"container\", color=\"#8c564b\"",
	[EDGE_VFIO_BOUND] = "label=\"bound\", color=\"#8c564b\"",
};

static void draw_edge(GString *o, const struct scene_edge *e)
{
	g_string_append(o, "  ");
	dot_id(o, e->from);
	g_string_append(o, " -> ");
	dot_id(o, e->to);
	g_string_append_printf(
		o, " [%s%s];\n", edge_attrs[e->kind],
		e->is_new ? ", color=\"" COLOR_CHANGED "\", penwidth=2" : "");
}

/* The title and machine lines above the picture, plus the legend. */
static void graph_label(GString *o, const struct scene *s)
{
	g_string_append(o, "  labelloc=t; labeljust=l; label=<<B>");
	html_text(o, s->title ? s->title : "iommusim");
	g_string_append(o, "</B>");
	for (guint i = 0; i < s->lines->len; i++) {
		g_string_append(o, "<BR ALIGN=\"LEFT\"/>");
		html_text(o, s->lines->pdata[i]);
	}
	if (s->marked)
		g_string_append(
			o,
			"<BR ALIGN=\"LEFT\"/><FONT COLOR=\"" COLOR_NEW
			"\">green: added</FONT>, <FONT COLOR=\"" COLOR_CHANGED
			"\">red/yellow: changed</FONT> by this step");
	for (guint i = 0; i < s->gone->len; i++) {
		g_string_append(o, "<BR ALIGN=\"LEFT\"/>removed: ");
		html_text(o, s->gone->pdata[i]);
	}
	g_string_append(o, "<BR ALIGN=\"LEFT\"/>>;\n");
}

/* IOMMUs on top, domains at the bottom, the PCI tree in between. */
static void same_rank(GString *o, const struct scene *s, enum scene_kind kind,
		      const char *rank)
{
	g_autoptr(GPtrArray) nodes = scene_nodes_of(s, kind);

	if (!nodes->len)
		return;
	g_string_append_printf(o, "  { rank=%s;", rank);
	for (guint i = 0; i < nodes->len; i++) {
		g_string_append_c(o, ' ');
		dot_id(o, ((struct scene_node *)nodes->pdata[i])->id);
	}
	g_string_append(o, " }\n");
}

char *scene_to_dot(const struct scene *s)
{
	GString *o = g_string_new("digraph iommusim {\n");

	g_string_append(o, "  rankdir=TB; newrank=true; fontname=\"Helvetica\";"
			   "\n  node [fontname=\"Helvetica\", fontsize=11];\n"
			   "  edge [fontname=\"Helvetica\", fontsize=10];\n");
	graph_label(o, s);
	for (guint i = 0; i < s->nodes->len; i++) {
		const struct scene_node *n = s->nodes->pdata[i];

		if (n->kind == SK_GROUP)
			draw_cluster(o, s, n);
		else if (!n->cluster)
			draw_node(o, n);
	}
	same_rank(o, s, SK_IOMMU, "source");
	same_rank(o, s, SK_DOMAIN, "sink");
	for (guint i = 0; i < s->edges->len; i++)
		draw_edge(o, s->edges->pdata[i]);
	g_string_append(o, "}\n");
	return g_string_free(o, FALSE);
}
