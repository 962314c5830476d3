// SPDX-License-Identifier: MIT
/*
 * iopt_itree.c - the sorted-array interval trees of iopt_itree.h. Linear
 * walks: an IOAS holds few areas in any scenario, and the walks stop at
 * the first item past the range.
 */
#include "iommufd/iopt_itree.h"

static const struct iopt_node *node_of(GPtrArray *tree, unsigned int i)
{
	return tree->pdata[i];
}

static void *first_from(GPtrArray *tree, unsigned int i, u64 start, u64 last)
{
	for (; i < tree->len; i++) {
		const struct iopt_node *n = node_of(tree, i);

		if (n->start > last)
			break;
		if (n->last >= start)
			return tree->pdata[i];
	}
	return NULL;
}

void *iopt_itree_first(GPtrArray *tree, u64 start, u64 last)
{
	return first_from(tree, 0, start, last);
}

void *iopt_area_iter_first(struct io_pagetable *iopt, u64 start, u64 last)
{
	GPtrArray *tree = iopt->areas;
	unsigned int lo = 0, hi = tree->len;

	/* areas never overlap: their ends rise with their starts, so the
	 * first one ending at or after @start is found by bisection */
	while (lo < hi) {
		unsigned int mid = lo + (hi - lo) / 2;

		if (node_of(tree, mid)->last < start)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < tree->len && node_of(tree, lo)->start <= last)
		return tree->pdata[lo];
	return NULL;
}

void *iopt_itree_next(GPtrArray *tree, void *item, u64 start, u64 last)
{
	unsigned int i;

	if (!g_ptr_array_find(tree, item, &i))
		return NULL;
	return first_from(tree, i + 1, start, last);
}

void iopt_itree_insert(GPtrArray *tree, void *item)
{
	const struct iopt_node *n = item;
	unsigned int lo = 0, hi = tree->len;

	/* after every node starting at or before it */
	while (lo < hi) {
		unsigned int mid = lo + (hi - lo) / 2;

		if (node_of(tree, mid)->start <= n->start)
			lo = mid + 1;
		else
			hi = mid;
	}
	g_ptr_array_insert(tree, lo, item);
}

/* Append the nodes of @tree meeting [lo, hi], clipped to it. */
static void collect(GArray *out, GPtrArray *tree, u64 lo, u64 hi)
{
	for (unsigned int i = 0; tree && i < tree->len; i++) {
		struct iopt_node n = *node_of(tree, i);

		if (n.start > hi || n.last < lo)
			continue;
		n.start = MAX(n.start, lo);
		n.last = MIN(n.last, hi);
		g_array_append_val(out, n);
	}
}

static gint by_start(gconstpointer a, gconstpointer b)
{
	const struct iopt_node *x = a, *y = b;

	return x->start < y->start ? -1 : x->start > y->start;
}

/* Sorted, with touching or overlapping nodes merged into one. */
static GArray *merged(GPtrArray *a, GPtrArray *b, u64 lo, u64 hi)
{
	GArray *nodes = g_array_new(FALSE, FALSE, sizeof(struct iopt_node));
	GArray *out = g_array_new(FALSE, FALSE, sizeof(struct iopt_node));

	collect(nodes, a, lo, hi);
	collect(nodes, b, lo, hi);
	g_array_sort(nodes, by_start);
	for (unsigned int i = 0; i < nodes->len; i++) {
		struct iopt_node n = g_array_index(nodes, struct iopt_node, i);
		struct iopt_node *tail =
			out->len ? &g_array_index(out, struct iopt_node,
						  out->len - 1)
				 : NULL;

		if (tail &&
		    (tail->last >= n.start || tail->last + 1 == n.start))
			tail->last = MAX(tail->last, n.last);
		else
			g_array_append_val(out, n);
	}
	g_array_free(nodes, TRUE);
	return out;
}

static void span_load(struct iopt_itree_span *it)
{
	if (it->i >= it->spans->len) {
		it->done = true;
		return;
	}
	it->start = g_array_index(it->spans, struct iopt_node, it->i).start;
	it->last = g_array_index(it->spans, struct iopt_node, it->i).last;
}

void iopt_itree_span_first(struct iopt_itree_span *it, GPtrArray *tree, u64 lo,
			   u64 hi)
{
	it->spans = merged(tree, NULL, lo, hi);
	if (!tree->len) {
		struct iopt_node all = { lo, hi };

		g_array_append_val(it->spans, all);
	}
	it->i = 0;
	it->done = false;
	span_load(it);
}

void iopt_itree_span_next(struct iopt_itree_span *it)
{
	it->i++;
	span_load(it);
}

static void hole_load(struct iopt_itree_hole *it)
{
	if (it->i >= it->holes->len) {
		it->done = true;
		return;
	}
	it->start = g_array_index(it->holes, struct iopt_node, it->i).start;
	it->last = g_array_index(it->holes, struct iopt_node, it->i).last;
}

void iopt_itree_hole_first(struct iopt_itree_hole *it, GPtrArray *a,
			   GPtrArray *b, u64 lo, u64 hi)
{
	GArray *used = merged(a, b, lo, hi);
	u64 next = lo;
	bool open = true; /* [next, ...] may still hold a hole */

	it->holes = g_array_new(FALSE, FALSE, sizeof(struct iopt_node));
	for (unsigned int i = 0; i < used->len && open; i++) {
		struct iopt_node u = g_array_index(used, struct iopt_node, i);

		if (u.start > next) {
			struct iopt_node h = { next, u.start - 1 };

			g_array_append_val(it->holes, h);
		}
		open = u.last < hi;
		next = u.last + 1;
	}
	if (open) {
		struct iopt_node h = { next, hi };

		g_array_append_val(it->holes, h);
	}
	g_array_free(used, TRUE);
	it->i = 0;
	it->done = false;
	hole_load(it);
}

void iopt_itree_hole_next(struct iopt_itree_hole *it)
{
	it->i++;
	hole_load(it);
}

void iopt_itree_span_destroy(struct iopt_itree_span *it)
{
	g_array_free(it->spans, TRUE);
	it->spans = NULL;
}

void iopt_itree_hole_destroy(struct iopt_itree_hole *it)
{
	g_array_free(it->holes, TRUE);
	it->holes = NULL;
}
