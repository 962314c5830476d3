// SPDX-License-Identifier: MIT
/*
 * Modelled physical memory: table pages backed one host page each while in
 * use, the budget, and the byte interface over both regions. Data memory's
 * extents are in physmem_data.c. See physmem.h for the address map and the
 * PA reuse policy.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "pt/physmem_priv.h"

/* Drop a physmem's hold on a table page: the last frees it. */
static void page_put(struct physmem_page *page)
{
	if (page && !--page->refs)
		free(page);
}

struct physmem_page *physmem_page_own(struct physmem *mem, u64 idx)
{
	struct physmem_page *page = mem->pages[idx], *own;

	if (page->refs == 1)
		return page;
	own = malloc(sizeof(*own));
	if (!own)
		g_error("physmem: out of host memory for a table page");
	memcpy(own->bytes, page->bytes, PHYSMEM_PAGE_SIZE);
	own->refs = 1;
	page->refs--;
	mem->pages[idx] = own;
	return own;
}

struct physmem *physmem_new(void)
{
	struct physmem *mem = g_new0(struct physmem, 1);

	mem->data = physmem_data_new();
	mem->kpages = physmem_kpages_new();
	mem->st.limit_bytes = PHYSMEM_DEFAULT_LIMIT;
	mem->fault = &mem->own_fault;
	return mem;
}

void physmem_free(struct physmem *mem)
{
	size_t i;

	if (!mem)
		return;
	for (i = 0; mem->pages && i < mem->nr_pages; i++)
		page_put(mem->pages[i]);
	free(mem->pages);
	free(mem->free_pages);
	physmem_data_free(mem->data);
	physmem_kpages_free(mem->kpages);
	g_free(mem);
}

static bool copy_pages(struct physmem *to, const struct physmem *mem)
{
	to->pages =
		calloc(mem->pages_cap ? mem->pages_cap : 1, sizeof(*to->pages));
	to->free_pages = malloc((mem->pages_cap ? mem->pages_cap : 1) *
				sizeof(*to->free_pages));
	if (!to->pages || !to->free_pages)
		return false;
	/* shared until one of them writes (physmem_table_ptr_mut()) */
	for (size_t i = 0; i < mem->nr_pages; i++) {
		to->pages[i] = mem->pages[i];
		if (to->pages[i])
			to->pages[i]->refs++;
	}
	if (mem->nr_free)
		memcpy(to->free_pages, mem->free_pages,
		       mem->nr_free * sizeof(*mem->free_pages));
	return true;
}

struct physmem *physmem_copy(const struct physmem *mem)
{
	struct physmem *to = g_new0(struct physmem, 1);

	to->nr_pages = mem->nr_pages;
	to->pages_cap = mem->pages_cap;
	to->nr_free = mem->nr_free;
	to->own_fault = mem->own_fault;
	to->fault = &to->own_fault;
	to->st = mem->st;
	to->gen = mem->gen;
	to->data_pages = mem->data_pages;
	to->data_gen = mem->data_gen;
	to->contents_gen = mem->contents_gen;
	to->contents_hash = mem->contents_hash;
	to->data = physmem_data_copy(mem->data);
	to->kpages = physmem_kpages_copy(mem->kpages);
	if (!copy_pages(to, mem)) {
		physmem_free(to);
		return NULL;
	}
	return to;
}

u64 physmem_next_data_page(const struct physmem *mem)
{
	return PHYSMEM_DATA_PAGE_BASE + mem->data_pages * PHYSMEM_PAGE_SIZE;
}

u64 physmem_alloc_data_page(struct physmem *mem)
{
	u64 pa = physmem_next_data_page(mem);

	mem->data_pages++;
	return pa;
}

/* ---- the budget ---- */

bool physmem_may_charge(struct physmem *mem, u64 bytes)
{
	struct physmem_stats *st = &mem->st;

	if (bytes <= st->limit_bytes &&
	    st->used_bytes <= st->limit_bytes - bytes)
		return true;
	st->limit_refusals++;
	return false;
}

void physmem_charge(struct physmem *mem, u64 bytes)
{
	mem->st.used_bytes += bytes;
	if (mem->st.used_bytes > mem->st.peak_bytes)
		mem->st.peak_bytes = mem->st.used_bytes;
}

void physmem_uncharge(struct physmem *mem, u64 bytes)
{
	mem->st.used_bytes -= bytes;
}

void physmem_set_limit(struct physmem *mem, u64 bytes)
{
	mem->st.limit_bytes = bytes ? bytes : PHYSMEM_DEFAULT_LIMIT;
}

u64 physmem_limit(const struct physmem *mem)
{
	return mem->st.limit_bytes;
}

/* ---- table pages ---- */

/*
 * Room for one more fresh PA in pages[] and in the free stack, so that
 * freeing never needs to allocate.
 */
static int grow_pages(struct physmem *mem)
{
	size_t ncap = mem->pages_cap ? mem->pages_cap * 2 : 64;
	struct physmem_page **pages;
	u64 *free_pages;

	if (mem->nr_pages < mem->pages_cap)
		return 0;
	if (PHYSMEM_TABLE_BASE + ((u64)mem->nr_pages << PHYSMEM_PAGE_LG2) >=
	    PHYSMEM_KPAGE_BASE)
		return -ENOMEM;
	pages = realloc(mem->pages, ncap * sizeof(*pages));
	if (!pages)
		return -ENOMEM;
	mem->pages = pages;
	free_pages = realloc(mem->free_pages, ncap * sizeof(*free_pages));
	if (!free_pages)
		return -ENOMEM;
	mem->free_pages = free_pages;
	mem->pages_cap = ncap;
	return 0;
}

/* The PA the policy hands out next: the last freed, else a fresh one. */
static int pick_pa(struct physmem *mem, u64 *pa)
{
	int ret;

	if (mem->nr_free) {
		*pa = mem->free_pages[mem->nr_free - 1];
		return 0;
	}
	ret = grow_pages(mem);
	if (ret)
		return ret;
	*pa = PHYSMEM_TABLE_BASE + ((u64)mem->nr_pages << PHYSMEM_PAGE_LG2);
	return 0;
}

int physmem_alloc_table(struct physmem *mem, u64 *pa)
{
	struct physmem_page *page;
	u64 idx;
	int ret;

	if (fault_should_fail(mem->fault, "physmem_alloc_table") ||
	    !physmem_may_charge(mem, PHYSMEM_PAGE_SIZE))
		return -ENOMEM;
	ret = pick_pa(mem, pa);
	if (ret)
		return ret;
	page = calloc(1, sizeof(*page));
	if (!page)
		return -ENOMEM;
	page->refs = 1;
	/* publish: nothing fails from here */
	idx = (*pa - PHYSMEM_TABLE_BASE) >> PHYSMEM_PAGE_LG2;
	if (mem->nr_free)
		mem->nr_free--;
	else
		mem->nr_pages++;
	mem->pages[idx] = page;
	mem->gen++;
	physmem_charge(mem, PHYSMEM_PAGE_SIZE);
	mem->st.table_allocs++;
	mem->st.table_pages++;
	if (mem->st.table_pages > mem->st.table_pages_peak)
		mem->st.table_pages_peak = mem->st.table_pages;
	return 0;
}

void physmem_free_table(struct physmem *mem, u64 pa)
{
	u64 idx = (pa - PHYSMEM_TABLE_BASE) >> PHYSMEM_PAGE_LG2;

	if (!physmem_table_ptr(mem, pa) || (pa & (PHYSMEM_PAGE_SIZE - 1)))
		return;
	page_put(mem->pages[idx]);
	mem->pages[idx] = NULL;
	mem->gen++;
	/* Room for every PA ever handed out was reserved in grow_pages() */
	mem->free_pages[mem->nr_free++] = pa;
	physmem_uncharge(mem, PHYSMEM_PAGE_SIZE);
	mem->st.table_pages--;
	mem->st.table_frees++;
}

void physmem_inject_table_alloc_failure(struct physmem *mem, unsigned int nth)
{
	fault_arm(mem->fault, nth);
}

void physmem_set_fault(struct physmem *mem, struct fault_attr *f)
{
	mem->fault = f ? f : &mem->own_fault;
}

/* ---- bytes at any address ---- */

static bool range_ok(u64 pa, u64 len)
{
	return len <= PHYSMEM_PA_END && pa <= PHYSMEM_PA_END - len;
}

/* Bytes of [pa, pa + len) below the table region */
static u64 data_part(u64 pa, u64 len)
{
	if (pa >= PHYSMEM_TABLE_BASE)
		return 0;
	return len < PHYSMEM_TABLE_BASE - pa ? len : PHYSMEM_TABLE_BASE - pa;
}

/* The bytes at @pa of a table page or a kernel page, to the end of its
 * page; NULL when neither is in use there */
static const u8 *kernel_ptr(struct physmem *mem, u64 pa)
{
	u64 left;

	if (pa >= PHYSMEM_KPAGE_BASE)
		return physmem_kpages_ptr(mem, pa, &left);
	return physmem_table_ptr(mem, pa);
}

/* Copy table-region bytes, or -EFAULT (copying nothing) if a page is free */
static int read_tables(struct physmem *mem, u64 pa, u8 *out, u64 len)
{
	u64 p, n, left;

	for (p = pa & ~(u64)(PHYSMEM_PAGE_SIZE - 1); p < pa + len;
	     p += PHYSMEM_PAGE_SIZE)
		if (!kernel_ptr(mem, p))
			return -EFAULT;
	for (left = len; left; left -= n, pa += n, out += n) {
		n = PHYSMEM_PAGE_SIZE - (pa & (PHYSMEM_PAGE_SIZE - 1));
		n = n < left ? n : left;
		memcpy(out, kernel_ptr(mem, pa), n);
	}
	return 0;
}

int physmem_read(struct physmem *mem, u64 pa, void *buf, u64 len)
{
	u64 n = data_part(pa, len);
	int ret;

	if (!range_ok(pa, len))
		return -EINVAL;
	if (n < len) {
		ret = read_tables(mem, pa + n, (u8 *)buf + n, len - n);
		if (ret)
			return ret;
	}
	if (n)
		physmem_data_read(mem, pa, buf, n);
	return 0;
}

int physmem_write(struct physmem *mem, u64 pa, const void *buf, u64 len)
{
	if (!range_ok(pa, len))
		return -EINVAL;
	if (data_part(pa, len) < len)
		return -EFAULT;
	if (!len)
		return 0;
	return physmem_data_write(mem, pa, buf, len);
}

void physmem_contents_foreach(struct physmem *mem, physmem_run_fn fn,
			      void *data)
{
	struct contents_walk c = { .fn = fn, .data = data };

	physmem_data_walk(mem->data, &c); /* below the kernel pages' PAs */
	physmem_kpages_walk(mem->kpages, &c);
	contents_flush(&c);
}

static u64 contents_mix(u64 h, u64 v)
{
	h = (h ^ v) * 0x9e3779b97f4a7c15ull;
	return h ^ (h >> 29);
}

static void hash_run(void *data, u64 start, u64 end, u8 val)
{
	u64 *h = data;

	*h = contents_mix(contents_mix(contents_mix(*h, start), end), val);
}

u64 physmem_contents_hash(struct physmem *mem)
{
	u64 h = 0x636f6e74656e7473ull;

	if (mem->contents_gen == mem->data_gen + 1)
		return mem->contents_hash;
	physmem_contents_foreach(mem, hash_run, &h);
	mem->contents_hash = h;
	mem->contents_gen = mem->data_gen + 1;
	return h;
}

int physmem_read_u64(struct physmem *mem, u64 pa, u64 *val)
{
	const u64 *p = physmem_table_ptr(mem, pa);

	/* Fast path: entries normally live in table pages */
	if (p && !(pa & 7)) {
		*val = *p;
		return 0;
	}
	return physmem_read(mem, pa, val, sizeof(*val));
}

void physmem_get_stats(const struct physmem *mem, struct physmem_stats *st)
{
	*st = mem->st;
	st->table_bytes = st->table_pages * PHYSMEM_PAGE_SIZE;
	st->table_pas = mem->nr_pages;
}
