/* SPDX-License-Identifier: MIT */
/*
 * iopt_itree.h - the interval trees of an io_pagetable (areas, allowed,
 * reserved), kept as arrays of items sorted by start whose first member
 * is a struct iopt_node; and the span iterators iopt_alloc_iova() and
 * IOMMU_IOAS_IOVA_RANGES walk them with (lib/interval_tree.c's
 * interval_tree_span_iter and iommufd's double_span.h: touching or
 * overlapping nodes make one used span).
 */
#ifndef IOMMUSIM_MODEL_IOMMUFD_IOPT_ITREE_H
#define IOMMUSIM_MODEL_IOMMUFD_IOPT_ITREE_H

#include "iommufd/iommufd_private.h"

/* The item with the lowest start that intersects [start, last], or NULL. */
void *iopt_itree_first(GPtrArray *tree, u64 start, u64 last);
/* The same for the areas, which never overlap: by bisection. */
void *iopt_area_iter_first(struct io_pagetable *iopt, u64 start, u64 last);
/* The next such item after @item. */
void *iopt_itree_next(GPtrArray *tree, void *item, u64 start, u64 last);
void iopt_itree_insert(GPtrArray *tree, void *item);

/* The used spans of @tree inside [lo, hi], clipped; one span [lo, hi]
 * when the tree is empty (iopt_alloc_iova()'s "no allowed list"). */
struct iopt_itree_span {
	GArray *spans; /* struct iopt_node */
	unsigned int i;
	bool done;
	u64 start, last;
};
void iopt_itree_span_first(struct iopt_itree_span *it, GPtrArray *tree, u64 lo,
			   u64 hi);
void iopt_itree_span_next(struct iopt_itree_span *it);
/* Every iteration ends with its destroy, finished or not. */
void iopt_itree_span_destroy(struct iopt_itree_span *it);

/* The holes of @a ∪ @b (either may be NULL) inside [lo, hi]. */
struct iopt_itree_hole {
	GArray *holes; /* struct iopt_node */
	unsigned int i;
	bool done;
	u64 start, last;
};
void iopt_itree_hole_first(struct iopt_itree_hole *it, GPtrArray *a,
			   GPtrArray *b, u64 lo, u64 hi);
void iopt_itree_hole_next(struct iopt_itree_hole *it);
void iopt_itree_hole_destroy(struct iopt_itree_hole *it);

#endif
