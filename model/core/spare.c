// SPDX-License-Identifier: MIT
/*
 * spare.c - the containers a freed machine leaves, kept for the next
 * machine's. A search makes and frees a copy of the machine per
 * transition (copy.c); each copy's lists (the machine's, each group's
 * devices, each bridge's children, the domain table's slots) and its
 * shell (the machine's tables, its report) were made and freed every
 * time, and glib makes a GPtrArray in about 340 instructions and frees
 * it in 300 (a slice, its array, an atomic count): a quarter of a
 * transition (callgrind, docs/explore.md).
 *
 * A spare list is an ordinary GPtrArray, empty, with no free function:
 * a list taken here is freed with g_ptr_array_free() like any other, and
 * one given back must be the caller's alone and have no free function
 * (what it points at is the caller's to free first). Nothing here
 * changes what a machine does: a list taken here is, to its user, a new
 * empty one. One set per thread.
 */
#include "copy.h"

/* Bounds: a wide machine's long lists (10^5 devices) are not kept. */
#define SPARE_LISTS 1024
#define SPARE_LIST_LEN 256

static __thread struct {
	GPtrArray *list[SPARE_LISTS];
	guint n;
} spare;

GPtrArray *spare_ptr_array(guint reserve)
{
	GPtrArray *a;

	if (!spare.n)
		return g_ptr_array_sized_new(reserve);
	a = spare.list[--spare.n];
	return a;
}

void spare_ptr_array_put(GPtrArray *a)
{
	if (!a)
		return;
	if (spare.n == SPARE_LISTS || a->len > SPARE_LIST_LEN) {
		g_ptr_array_free(a, TRUE);
		return;
	}
	g_ptr_array_set_size(a, 0);
	spare.list[spare.n++] = a;
}
