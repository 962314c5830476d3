// SPDX-License-Identifier: MIT
/*
 * scene.c - building scenes and comparing two of them (see scene.h).
 */
#include <stdarg.h>
#include <string.h>

#include "scene.h"

static void row_free(gpointer p)
{
	struct scene_row *r = p;

	for (unsigned int i = 0; i < G_N_ELEMENTS(r->cells); i++)
		g_free(r->cells[i]);
	g_free(r);
}

static void node_free(gpointer p)
{
	struct scene_node *n = p;

	g_free(n->id);
	g_free(n->title);
	g_ptr_array_free(n->lines, TRUE);
	g_free(n->cluster);
	g_free(n->tree_parent);
	if (n->rows)
		g_ptr_array_free(n->rows, TRUE);
	g_free(n->rows_header);
	g_free(n);
}

static void edge_free(gpointer p)
{
	struct scene_edge *e = p;

	g_free(e->from);
	g_free(e->to);
	g_free(e);
}

struct scene *scene_new(void)
{
	struct scene *s = g_new0(struct scene, 1);

	s->lines = g_ptr_array_new_with_free_func(g_free);
	s->nodes = g_ptr_array_new_with_free_func(node_free);
	s->edges = g_ptr_array_new_with_free_func(edge_free);
	s->gone = g_ptr_array_new_with_free_func(g_free);
	s->index = g_hash_table_new(g_str_hash, g_str_equal);
	return s;
}

void scene_free(struct scene *s)
{
	if (!s)
		return;
	g_hash_table_destroy(s->index);
	g_ptr_array_free(s->nodes, TRUE);
	g_ptr_array_free(s->edges, TRUE);
	g_ptr_array_free(s->gone, TRUE);
	g_ptr_array_free(s->lines, TRUE);
	g_free(s->title);
	g_free(s);
}

struct scene_node *scene_add_node(struct scene *s, enum scene_kind kind,
				  const char *id, const char *title)
{
	struct scene_node *n;

	g_return_val_if_fail(!g_hash_table_contains(s->index, id), NULL);
	n = g_new0(struct scene_node, 1);
	n->id = g_strdup(id);
	n->kind = kind;
	n->title = g_strdup(title);
	n->lines = g_ptr_array_new_with_free_func(g_free);
	g_ptr_array_add(s->nodes, n);
	g_hash_table_insert(s->index, n->id, n);
	return n;
}

void scene_node_line(struct scene_node *n, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	g_ptr_array_add(n->lines, g_strdup_vprintf(fmt, ap));
	va_end(ap);
}

/* Takes the cells. */
void scene_node_row(struct scene_node *n, char *cells[6])
{
	struct scene_row *r = g_new0(struct scene_row, 1);

	if (!n->rows)
		n->rows = g_ptr_array_new_with_free_func(row_free);
	memcpy(r->cells, cells, sizeof(r->cells));
	g_ptr_array_add(n->rows, r);
}

void scene_add_edge(struct scene *s, const char *from, const char *to,
		    enum edge_kind kind)
{
	struct scene_edge *e = g_new0(struct scene_edge, 1);

	e->from = g_strdup(from);
	e->to = g_strdup(to);
	e->kind = kind;
	g_ptr_array_add(s->edges, e);
}

struct scene_node *scene_find(const struct scene *s, const char *id)
{
	return g_hash_table_lookup(s->index, id);
}

GPtrArray *scene_nodes_of(const struct scene *s, enum scene_kind kind)
{
	GPtrArray *out = g_ptr_array_new();

	for (guint i = 0; i < s->nodes->len; i++) {
		struct scene_node *n = s->nodes->pdata[i];

		if (n->kind == kind)
			g_ptr_array_add(out, n);
	}
	return out;
}

GPtrArray *scene_edges_from(const struct scene *s, const char *from,
			    enum edge_kind kind)
{
	GPtrArray *out = g_ptr_array_new();

	for (guint i = 0; i < s->edges->len; i++) {
		struct scene_edge *e = s->edges->pdata[i];

		if (e->kind == kind && !strcmp(e->from, from))
			g_ptr_array_add(out, e);
	}
	return out;
}

static bool strv_equal(GPtrArray *a, GPtrArray *b)
{
	if (!a || !b)
		return a == b;
	if (a->len != b->len)
		return false;
	for (guint i = 0; i < a->len; i++)
		if (strcmp(a->pdata[i], b->pdata[i]))
			return false;
	return true;
}

static bool rows_equal(GPtrArray *a, GPtrArray *b)
{
	if (!a || !b)
		return a == b;
	if (a->len != b->len)
		return false;
	for (guint i = 0; i < a->len; i++) {
		struct scene_row *x = a->pdata[i], *y = b->pdata[i];

		for (unsigned int c = 0; c < G_N_ELEMENTS(x->cells); c++)
			if (g_strcmp0(x->cells[c], y->cells[c]))
				return false;
	}
	return true;
}

static enum scene_mark node_mark(const struct scene_node *n,
				 const struct scene_node *old)
{
	if (!old || old->kind != n->kind)
		return MARK_NEW;
	if (g_strcmp0(n->title, old->title) ||
	    g_strcmp0(n->cluster, old->cluster) ||
	    !strv_equal(n->lines, old->lines) ||
	    !rows_equal(n->rows, old->rows))
		return MARK_CHANGED;
	return MARK_SAME;
}

static bool has_edge(const struct scene *s, const struct scene_edge *e)
{
	for (guint i = 0; i < s->edges->len; i++) {
		const struct scene_edge *o = s->edges->pdata[i];

		if (o->kind == e->kind && !strcmp(o->from, e->from) &&
		    !strcmp(o->to, e->to))
			return true;
	}
	return false;
}

/* Which of @n's lines @old did not have (the first 64 lines). */
static guint64 new_lines(const struct scene_node *n,
			 const struct scene_node *old)
{
	guint64 bits = 0;

	for (guint i = 0; i < n->lines->len && i < 64; i++) {
		bool found = false;

		for (guint j = 0; old && j < old->lines->len && !found; j++)
			found = !strcmp(n->lines->pdata[i],
					old->lines->pdata[j]);
		if (!found)
			bits |= 1ull << i;
	}
	return bits;
}

void scene_mark_changes(struct scene *cur, const struct scene *prev)
{
	cur->marked = true;
	for (guint i = 0; i < cur->nodes->len; i++) {
		struct scene_node *n = cur->nodes->pdata[i];

		struct scene_node *old = prev ? scene_find(prev, n->id) : NULL;

		n->mark = node_mark(n, old);
		n->new_lines = n->mark == MARK_CHANGED ? new_lines(n, old) : 0;
	}
	for (guint i = 0; i < cur->edges->len; i++) {
		struct scene_edge *e = cur->edges->pdata[i];

		e->is_new = !prev || !has_edge(prev, e);
	}
	for (guint i = 0; prev && i < prev->nodes->len; i++) {
		const struct scene_node *o = prev->nodes->pdata[i];

		if (!scene_find(cur, o->id))
			g_ptr_array_add(cur->gone, g_strdup(o->title));
	}
}

bool scene_changed(const struct scene *s)
{
	for (guint i = 0; i < s->nodes->len; i++)
		if (((struct scene_node *)s->nodes->pdata[i])->mark)
			return true;
	for (guint i = 0; i < s->edges->len; i++)
		if (((struct scene_edge *)s->edges->pdata[i])->is_new)
			return true;
	return s->gone->len > 0;
}
