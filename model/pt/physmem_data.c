// SPDX-License-Identifier: MIT
/*
 * Data memory as extents: disjoint runs [start, end) of written bytes in a
 * tree ordered by start. A run whose bytes are all one value is stored as
 * that value (a pattern DMA of 64 MiB is one record); other runs keep their
 * bytes. Zero is the background: writing zeros removes what was there.
 * Writes cut the runs they overlap and merge a uniform run into equal
 * neighbours, so memory follows what memory holds now, never how much was
 * ever written. Every run is charged to the budget (physmem.c).
 */
#include <errno.h>
#include <string.h>

#include <glib.h>

#include "pt/physmem_priv.h"

struct physmem_extent {
	u64 start; /* first PA: the tree key */
	u64 end;   /* one past the last PA */
	u8 *bytes; /* end - start bytes as written, or NULL: all @fill */
	u8 fill;
};

static gint extent_cmp(gconstpointer a, gconstpointer b, gpointer unused)
{
	u64 x = ((const struct physmem_extent *)a)->start;
	u64 y = ((const struct physmem_extent *)b)->start;

	return x < y ? -1 : x > y;
}

static void extent_destroy(gpointer p)
{
	struct physmem_extent *e = p;

	g_free(e->bytes);
	g_free(e);
}

void *physmem_data_new(void)
{
	return g_tree_new_full(extent_cmp, NULL, NULL, extent_destroy);
}

void physmem_data_free(void *data)
{
	g_tree_destroy(data);
}

static gboolean copy_extent(gpointer key, gpointer val, gpointer to)
{
	const struct physmem_extent *e = val;
	struct physmem_extent *c = g_memdup2(e, sizeof(*e));

	if (e->bytes)
		c->bytes = g_memdup2(e->bytes, e->end - e->start);
	g_tree_insert(to, c, c);
	return FALSE;
}

/* The extents and their bytes; the budget is the caller's to copy. */
void *physmem_data_copy(const void *data)
{
	GTree *to = physmem_data_new();

	g_tree_foreach((GTree *)data, copy_extent, to);
	return to;
}

static u64 extent_cost(const struct physmem_extent *e)
{
	return PHYSMEM_EXTENT_COST + (e->bytes ? e->end - e->start : 0);
}

static void add_extent(struct physmem *mem, struct physmem_extent *e)
{
	g_tree_insert(mem->data, e, e);
	physmem_charge(mem, extent_cost(e));
	mem->st.data_extents++;
	mem->st.data_bytes += e->bytes ? e->end - e->start : 0;
}

static void remove_extent(struct physmem *mem, struct physmem_extent *e)
{
	physmem_uncharge(mem, extent_cost(e));
	mem->st.data_extents--;
	mem->st.data_bytes -= e->bytes ? e->end - e->start : 0;
	g_tree_remove(mem->data, e);
}

/* A new run [start, end) of @fill, or of a copy of @bytes when not NULL */
static struct physmem_extent *extent_new(u64 start, u64 end, u8 fill,
					 const u8 *bytes)
{
	struct physmem_extent *e = g_new0(struct physmem_extent, 1);

	e->start = start;
	e->end = end;
	e->fill = fill;
	if (bytes)
		e->bytes = g_memdup2(bytes, end - start);
	return e;
}

/* [from, to) of @e as a run of its own */
static struct physmem_extent *extent_slice(const struct physmem_extent *e,
					   u64 from, u64 to)
{
	return extent_new(from, to, e->fill,
			  e->bytes ? e->bytes + (from - e->start) : NULL);
}

static struct physmem_extent *node_extent(GTreeNode *node)
{
	return node ? g_tree_node_value(node) : NULL;
}

/* The run holding @pa, else the first run after it, else NULL */
static GTreeNode *first_overlap(GTree *t, u64 pa)
{
	struct physmem_extent key = { .start = pa };
	GTreeNode *node = g_tree_lower_bound(t, &key);
	GTreeNode *prev =
		node ? g_tree_node_previous(node) : g_tree_node_last(t);

	if (prev && node_extent(prev)->end > pa)
		return prev;
	return node;
}

/*
 * Remove [pa, end) from every run: runs inside go, runs across an edge are
 * cut to what lies outside (and split in two if they hold the whole
 * range). Looked up afresh each time: no tree node is held across a change.
 */
static void carve(struct physmem *mem, u64 pa, u64 end)
{
	struct physmem_extent *e, *left, *right;

	while ((e = node_extent(first_overlap(mem->data, pa))) &&
	       e->start < end) {
		left = e->start < pa ? extent_slice(e, e->start, pa) : NULL;
		right = e->end > end ? extent_slice(e, end, e->end) : NULL;
		remove_extent(mem, e);
		if (left)
			add_extent(mem, left);
		if (right)
			add_extent(mem, right);
	}
}

static bool uniform(const u8 *in, u64 len)
{
	return len < 2 || !memcmp(in, in + 1, len - 1);
}

/* Merge the uniform run starting at @pa into equal neighbours */
static void merge_around(struct physmem *mem, u64 pa)
{
	GTreeNode *node = first_overlap(mem->data, pa);
	struct physmem_extent *e = node_extent(node);
	struct physmem_extent *prev = node_extent(g_tree_node_previous(node));
	struct physmem_extent *next = node_extent(g_tree_node_next(node));
	u64 end = e->end;
	u8 fill = e->fill;

	if (next && !next->bytes && next->fill == fill && next->start == end) {
		end = next->end;
		remove_extent(mem, next);
	}
	if (prev && !prev->bytes && prev->fill == fill && prev->end == pa) {
		pa = prev->start;
		remove_extent(mem, prev);
	}
	if (pa == e->start && end == e->end)
		return;
	remove_extent(mem, e);
	add_extent(mem, extent_new(pa, end, fill, NULL));
}

/*
 * The common DMA case, page after page of one pattern, without touching the
 * tree's shape: a run of @fill already holds [pa, end), or one ends at @pa
 * and nothing lies in [pa, end) to cut, so that run just grows.
 */
static bool write_fast(struct physmem *mem, u64 pa, u64 end, u8 fill)
{
	struct physmem_extent key = { .start = pa };
	GTreeNode *node = g_tree_lower_bound(mem->data, &key);
	struct physmem_extent *next = node_extent(node);
	struct physmem_extent *prev =
		node_extent(node ? g_tree_node_previous(node)
				 : g_tree_node_last(mem->data));

	if (next && next->start == pa && !next->bytes && next->fill == fill &&
	    next->end >= end)
		return true;
	if (!prev || prev->bytes || prev->fill != fill)
		return false;
	if (prev->end >= end)
		return true;
	if (prev->end != pa || (next && next->start < end))
		return false;
	prev->end = end;
	return true;
}

/*
 * Refused up front unless the worst case fits: the new run, its bytes if
 * they are not uniform, and one more run from splitting an old one.
 */
int physmem_data_write(struct physmem *mem, u64 pa, const u8 *in, u64 len)
{
	bool same = uniform(in, len);
	u64 worst = 2 * PHYSMEM_EXTENT_COST + (same ? 0 : len);

	mem->data_gen++;
	if (same && in[0] && write_fast(mem, pa, pa + len, in[0]))
		return 0;
	if (!physmem_may_charge(mem, worst))
		return -ENOMEM;
	carve(mem, pa, pa + len);
	if (same && !in[0])
		return 0;
	add_extent(mem, extent_new(pa, pa + len, in[0], same ? NULL : in));
	if (same)
		merge_around(mem, pa);
	return 0;
}

void physmem_data_read(struct physmem *mem, u64 pa, u8 *out, u64 len)
{
	GTreeNode *node = first_overlap(mem->data, pa);
	u64 end = pa + len;

	memset(out, 0, len);
	for (; node; node = g_tree_node_next(node)) {
		struct physmem_extent *e = node_extent(node);
		u64 from = e->start > pa ? e->start : pa;
		u64 to = e->end < end ? e->end : end;

		if (e->start >= end)
			break;
		if (e->bytes)
			memcpy(out + (from - pa), e->bytes + (from - e->start),
			       to - from);
		else
			memset(out + (from - pa), e->fill, to - from);
	}
}

/* ---- contents, for the explorer's key (physmem_contents_hash()) ---- */

void contents_flush(struct contents_walk *c)
{
	if (c->start == c->end)
		return;
	c->fn(c->data, c->start, c->end, c->val);
	c->start = c->end;
}

void contents_fill(struct contents_walk *c, u64 start, u64 end, u8 val)
{
	if (start == end)
		return;
	if (c->start != c->end && c->end == start && c->val == val) {
		c->end = end; /* the open run goes on */
		return;
	}
	contents_flush(c);
	if (!val)
		return; /* zero is the background: never-written memory */
	c->start = start;
	c->end = end;
	c->val = val;
}

void contents_bytes(struct contents_walk *c, u64 start, const u8 *b, u64 len)
{
	u64 i = 0;

	while (i < len) {
		u64 j = i + 1;

		while (j < len && b[j] == b[i])
			j++;
		contents_fill(c, start + i, start + j, b[i]);
		i = j;
	}
}

static gboolean walk_extent(gpointer key, gpointer val, gpointer data)
{
	const struct physmem_extent *e = val;

	if (e->bytes)
		contents_bytes(data, e->start, e->bytes, e->end - e->start);
	else
		contents_fill(data, e->start, e->end, e->fill);
	return FALSE;
}

/* The extents in PA order (the tree's) into @c */
void physmem_data_walk(void *data, struct contents_walk *c)
{
	g_tree_foreach(data, walk_extent, c);
}
