// SPDX-License-Identifier: MIT
/*
 * physmem_kpages.c - kernel pages (__get_free_pages()) in the modelled
 * physical memory, above the table region's reach (physmem.h's map):
 * 2^order contiguous pages at a PA of their own, naturally aligned, the
 * lowest free run handed out first (deterministic, so a copy hands out
 * the same PA next).
 *
 * Their bytes are shared anonymous host memory, so a driver's page a user
 * mmap()s (the selftest mock vIOMMU's) can be mapped into a real process
 * by a second mapping of the same pages (the preload shim's mremap() of
 * size 0), as io_remap_pfn_range() maps the kernel's page. A copy of the
 * physmem shares them as it shares table pages, copy on write
 * (physmem_kpages_ptr_mut()); what a user mapping writes bypasses that,
 * so a mapping is only ever made of a physmem that is never copied (the
 * shim's: a shim process refuses the model's copy).
 */
#include <errno.h>
#include <string.h>
#include <sys/mman.h>

#include <glib.h>

#include "pt/physmem_priv.h"

struct physmem_kpages {
	u64 refs; /* physmems holding it (copies share until one writes) */
	u64 pa;
	u64 bytes;
	void *host; /* MAP_SHARED | MAP_ANONYMOUS, page aligned */
};

static gint kpages_cmp(gconstpointer a, gconstpointer b, gpointer unused)
{
	u64 x = ((const struct physmem_kpages *)a)->pa;
	u64 y = ((const struct physmem_kpages *)b)->pa;

	(void)unused;
	return x < y ? -1 : x > y;
}

static void kpages_put(gpointer data)
{
	struct physmem_kpages *k = data;

	if (--k->refs)
		return;
	munmap(k->host, k->bytes);
	g_free(k);
}

void *physmem_kpages_new(void)
{
	return g_tree_new_full(kpages_cmp, NULL, kpages_put, NULL);
}

void physmem_kpages_free(void *kpages)
{
	if (kpages)
		g_tree_destroy(kpages);
}

static gboolean share_one(gpointer key, gpointer val, gpointer to)
{
	struct physmem_kpages *k = key;

	(void)val;
	k->refs++;
	g_tree_insert(to, k, k);
	return FALSE;
}

void *physmem_kpages_copy(const void *kpages)
{
	GTree *to = physmem_kpages_new();

	g_tree_foreach((GTree *)kpages, share_one, to);
	return to;
}

/* The lowest naturally aligned free run of @bytes at or above the base */
struct gap {
	u64 bytes, at;
	bool found;
};

static gboolean find_gap(gpointer key, gpointer val, gpointer data)
{
	const struct physmem_kpages *k = key;
	struct gap *g = data;

	(void)val;
	if (g->at + g->bytes <= k->pa) {
		g->found = true;
		return TRUE;
	}
	if (k->pa + k->bytes > g->at)
		g->at = (k->pa + k->bytes + g->bytes - 1) & ~(g->bytes - 1);
	return FALSE;
}

static void *host_pages(u64 bytes)
{
	void *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

/* include/linux/mmzone.h MAX_PAGE_ORDER: the buddy allocator's largest
 * order (mm/page_alloc.c alloc_order_allowed() fails a larger one) */
#define KPAGES_MAX_ORDER 10

int physmem_alloc_kpages(struct physmem *mem, unsigned int order, u64 *pa)
{
	struct gap g = { .at = PHYSMEM_KPAGE_BASE };
	struct physmem_kpages *k;

	if (order > KPAGES_MAX_ORDER)
		return -ENOMEM;
	g.bytes = (u64)PHYSMEM_PAGE_SIZE << order;
	if (!physmem_may_charge(mem, g.bytes))
		return -ENOMEM;
	g_tree_foreach(mem->kpages, find_gap, &g);
	if (!g.found && g.at + g.bytes > PHYSMEM_PA_END)
		return -ENOMEM;
	k = g_new0(struct physmem_kpages, 1);
	k->host = host_pages(g.bytes); /* zeroed, as __GFP_ZERO asks */
	if (!k->host) {
		g_free(k);
		return -ENOMEM;
	}
	k->refs = 1;
	k->pa = g.at;
	k->bytes = g.bytes;
	g_tree_insert(mem->kpages, k, k);
	physmem_charge(mem, g.bytes);
	mem->data_gen++;
	*pa = k->pa;
	return 0;
}

/* The run holding @pa, or NULL */
static struct physmem_kpages *kpages_at(const struct physmem *mem, u64 pa)
{
	struct physmem_kpages key = { .pa = pa };
	GTreeNode *n;

	if (pa < PHYSMEM_KPAGE_BASE)
		return NULL;
	n = g_tree_upper_bound(mem->kpages, &key); /* first run above @pa */
	n = n ? g_tree_node_previous(n) : g_tree_node_last(mem->kpages);
	if (n) {
		struct physmem_kpages *k = g_tree_node_key(n);

		if (pa - k->pa < k->bytes)
			return k;
	}
	return NULL;
}

void physmem_free_kpages(struct physmem *mem, u64 pa)
{
	struct physmem_kpages *k = kpages_at(mem, pa);

	if (!k || k->pa != pa)
		return;
	physmem_uncharge(mem, k->bytes);
	g_tree_remove(mem->kpages, k);
	mem->data_gen++;
}

const void *physmem_kpages_ptr(const struct physmem *mem, u64 pa, u64 *left)
{
	struct physmem_kpages *k = kpages_at(mem, pa);

	if (!k)
		return NULL;
	*left = k->bytes - (pa - k->pa);
	return (const u8 *)k->host + (pa - k->pa);
}

void *physmem_kpages_ptr_mut(struct physmem *mem, u64 pa, u64 *left)
{
	struct physmem_kpages *k = kpages_at(mem, pa), *own;

	if (!k)
		return NULL;
	mem->data_gen++; /* the caller writes through it */
	if (k->refs > 1) {
		own = g_memdup2(k, sizeof(*k));
		own->host = host_pages(k->bytes);
		if (!own->host)
			g_error("physmem: out of host memory for kernel pages");
		memcpy(own->host, k->host, k->bytes);
		own->refs = 1;
		g_tree_steal(mem->kpages, k);
		k->refs--;
		g_tree_insert(mem->kpages, own, own);
		k = own;
	}
	*left = k->bytes - (pa - k->pa);
	return (u8 *)k->host + (pa - k->pa);
}

static gboolean walk_run(gpointer key, gpointer val, gpointer c)
{
	const struct physmem_kpages *k = key;

	contents_bytes(c, k->pa, k->host, k->bytes);
	return FALSE;
}

/* The runs' bytes in PA order into @c */
void physmem_kpages_walk(void *kpages, struct contents_walk *c)
{
	g_tree_foreach(kpages, walk_run, c);
}
