// SPDX-License-Identifier: MIT
/*
 * text.c - a scene as text for a terminal: one section per object kind,
 * one line per object (its title, then its lines), devices as the PCI
 * tree. The first column marks what the step did: "+" added, "*" changed.
 *
 * One function per scene kind (sections[]): a new object kind adds its
 * section there.
 */
#include <string.h>

#include "view.h"

static const char *mark_str(enum scene_mark m)
{
	return m == MARK_NEW ? "+ " : m == MARK_CHANGED ? "* " : "  ";
}

/* "title  line, line, line" */
static void node_line(GString *o, const struct scene_node *n,
		      const char *indent)
{
	g_string_append_printf(o, "%s%s%s", mark_str(n->mark), indent,
			       n->title);
	for (guint i = 0; i < n->lines->len; i++)
		g_string_append_printf(o, "%s%s", i ? ", " : "  ",
				       (const char *)n->lines->pdata[i]);
}

static void text_plain(GString *o, const struct scene *s,
		       const struct scene_node *n)
{
	node_line(o, n, "  ");
	g_string_append_c(o, '\n');
}

static void device_subtree(GString *o, const struct scene *s,
			   const struct scene_node *n, const char *prefix,
			   const char *branch, bool last);

/* What hangs under @parent, in insertion order: the devices on a
 * bridge's secondary bus, a ctx's IOASes and igroups, ... */
static void device_children(GString *o, const struct scene *s,
			    const struct scene_node *parent, const char *prefix)
{
	g_autoptr(GPtrArray) kids = g_ptr_array_new();

	for (guint i = 0; i < s->nodes->len; i++) {
		const struct scene_node *n = s->nodes->pdata[i];

		if (n->tree_parent && !strcmp(n->tree_parent, parent->id))
			g_ptr_array_add(kids, (gpointer)n);
	}
	for (guint i = 0; i < kids->len; i++)
		device_subtree(o, s, kids->pdata[i], prefix,
			       i + 1 == kids->len ? "└─ " : "├─ ",
			       i + 1 == kids->len);
}

static void device_subtree(GString *o, const struct scene *s,
			   const struct scene_node *n, const char *prefix,
			   const char *branch, bool last)
{
	g_autofree char *indent = g_strconcat(prefix, branch, NULL);
	g_autofree char *below = g_strconcat(
		prefix, *branch ? (last ? "   " : "│  ") : "", NULL);

	node_line(o, n, indent);
	if (n->kind == SK_DEVICE && n->cluster)
		g_string_append_printf(o, ", group %s",
				       strchr(n->cluster, ':') + 1);
	g_string_append_c(o, '\n');
	device_children(o, s, n, below);
}

static void text_device(GString *o, const struct scene *s,
			const struct scene_node *n)
{
	if (!n->tree_parent) /* a root of the tree; the rest hang below */
		device_subtree(o, s, n, "  ", "", true);
}

static void text_group(GString *o, const struct scene *s,
		       const struct scene_node *g)
{
	const char *sep = "; devices ";

	node_line(o, g, "  ");
	for (guint i = 0; i < s->nodes->len; i++) {
		const struct scene_node *n = s->nodes->pdata[i];

		if (n->cluster && !strcmp(n->cluster, g->id)) {
			g_string_append_printf(o, "%s%s", sep, n->title);
			sep = ", ";
		}
	}
	g_string_append_c(o, '\n');
}

typedef void (*text_fn)(GString *o, const struct scene *s,
			const struct scene_node *n);

/* Kinds with no section hang under their parent (text_device's tree);
 * kinds that share a heading print it once. */
static const struct {
	const char *heading;
	text_fn fn;
} sections[SK_NR] = {
	[SK_IOMMU] = { "IOMMUs", text_plain },
	[SK_DEVICE] = { "devices (PCI tree)", text_device },
	[SK_GROUP] = { "iommu groups", text_group },
	[SK_DOMAIN] = { "domains", text_plain },
	[SK_IFD_CTX] = { "iommufd", text_device },
	[SK_VFIO_GROUP] = { "VFIO", text_plain },
	[SK_VFIO_CONTAINER] = { "VFIO", text_plain },
	[SK_VFIO_CDEV] = { "VFIO", text_plain },
};

char *scene_to_text(const struct scene *s)
{
	GString *o = g_string_new(NULL);
	const char *heading = NULL;

	if (s->title)
		g_string_append_printf(o, "%s\n", s->title);
	for (guint i = 0; i < s->lines->len; i++)
		g_string_append_printf(o, "%s%s", i ? ", " : "",
				       (const char *)s->lines->pdata[i]);
	g_string_append(o, s->marked ? "\n(+ added, * changed by this step)\n"
				     : "\n");
	for (int k = 0; k < SK_NR; k++) {
		g_autoptr(GPtrArray) nodes = scene_nodes_of(s, k);

		if (!nodes->len || !sections[k].fn)
			continue;
		if (!heading || strcmp(heading, sections[k].heading))
			g_string_append_printf(o, "%s\n", sections[k].heading);
		heading = sections[k].heading;
		for (guint i = 0; i < nodes->len; i++)
			sections[k].fn(o, s, nodes->pdata[i]);
	}
	for (guint i = 0; i < s->gone->len; i++)
		g_string_append_printf(o, "- removed: %s\n",
				       (const char *)s->gone->pdata[i]);
	return g_string_free(o, FALSE);
}
