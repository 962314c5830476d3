// SPDX-License-Identifier: MIT
/*
 * Modelled physical memory: a chunked arena for page-table pages and sparse
 * frames for data. See physmem.h for the address map.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "pt/physmem.h"

enum {
	CHUNK_SIZE = 1 << PHYSMEM_CHUNK_LG2,
	PAGES_PER_CHUNK = CHUNK_SIZE / PHYSMEM_PAGE_SIZE,
};

static guint pfn_hash(gconstpointer key)
{
	u64 pfn = *(const u64 *)key;

	return (guint)(pfn ^ (pfn >> 29));
}

static gboolean pfn_equal(gconstpointer a, gconstpointer b)
{
	return *(const u64 *)a == *(const u64 *)b;
}

struct physmem *physmem_new(void)
{
	struct physmem *mem = g_new0(struct physmem, 1);

	mem->data = g_hash_table_new_full(pfn_hash, pfn_equal, g_free, g_free);
	mem->fault = &mem->own_fault;
	return mem;
}

void physmem_free(struct physmem *mem)
{
	size_t i;

	if (!mem)
		return;
	for (i = 0; i < mem->nr_chunks; i++)
		free(mem->chunks[i]);
	free(mem->chunks);
	free(mem->free_pages);
	g_hash_table_destroy(mem->data);
	g_free(mem);
}

static bool grow_array(void **arr, size_t *cap, size_t need, size_t elem)
{
	size_t ncap = *cap ? *cap : 16;
	void *n;

	if (need <= *cap)
		return true;
	while (ncap < need)
		ncap *= 2;
	n = realloc(*arr, ncap * elem);
	if (!n)
		return false;
	*arr = n;
	*cap = ncap;
	return true;
}

/*
 * Add one 2 MiB chunk and push its pages so the lowest address pops first.
 * The free stack gets room for every page of every chunk, so freeing never
 * needs to allocate:
 * a fresh table's pages come out in ascending order, which keeps dumps easy
 * to read.
 */
static int add_chunk(struct physmem *mem)
{
	u64 base =
		PHYSMEM_TABLE_BASE + ((u64)mem->nr_chunks << PHYSMEM_CHUNK_LG2);
	u8 *chunk;
	int i;

	if (base + CHUNK_SIZE > PHYSMEM_PA_END)
		return -ENOMEM;
	if (!grow_array((void **)&mem->chunks, &mem->chunks_cap,
			mem->nr_chunks + 1, sizeof(*mem->chunks)) ||
	    !grow_array((void **)&mem->free_pages, &mem->free_cap,
			(mem->nr_chunks + 1) * PAGES_PER_CHUNK,
			sizeof(*mem->free_pages)))
		return -ENOMEM;
	chunk = malloc(CHUNK_SIZE);
	if (!chunk)
		return -ENOMEM;
	mem->chunks[mem->nr_chunks++] = chunk;
	mem->st.arena_bytes += CHUNK_SIZE;
	for (i = PAGES_PER_CHUNK - 1; i >= 0; i--)
		mem->free_pages[mem->nr_free++] =
			base + ((u64)i << PHYSMEM_PAGE_LG2);
	return 0;
}

int physmem_alloc_table(struct physmem *mem, u64 *pa)
{
	int ret;

	if (fault_should_fail(mem->fault, "physmem_alloc_table"))
		return -ENOMEM;
	if (!mem->nr_free) {
		ret = add_chunk(mem);
		if (ret)
			return ret;
	}
	*pa = mem->free_pages[--mem->nr_free];
	memset(physmem_table_ptr(mem, *pa), 0, PHYSMEM_PAGE_SIZE);
	mem->st.table_allocs++;
	mem->st.table_pages++;
	if (mem->st.table_pages > mem->st.table_pages_peak)
		mem->st.table_pages_peak = mem->st.table_pages;
	return 0;
}

void physmem_free_table(struct physmem *mem, u64 pa)
{
	if (!physmem_table_ptr(mem, pa) || (pa & (PHYSMEM_PAGE_SIZE - 1)) ||
	    !mem->st.table_pages)
		return;
	/* Capacity for every page of every chunk was reserved in add_chunk() */
	mem->free_pages[mem->nr_free++] = pa;
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

static bool range_ok(u64 pa, u64 len)
{
	return len <= PHYSMEM_PA_END && pa <= PHYSMEM_PA_END - len;
}

/* The data frame holding @pa, created on demand when @create. */
static u8 *data_frame(struct physmem *mem, u64 pa, bool create)
{
	u64 pfn = pa >> PHYSMEM_PAGE_LG2;
	u8 *frame = g_hash_table_lookup(mem->data, &pfn);
	u64 *key;

	if (frame || !create)
		return frame;
	frame = g_malloc0(PHYSMEM_PAGE_SIZE);
	key = g_new(u64, 1);
	*key = pfn;
	g_hash_table_insert(mem->data, key, frame);
	mem->st.data_frames++;
	return frame;
}

/* Check every table-region page of the range is backed before copying. */
static int check_backed(struct physmem *mem, u64 pa, u64 len)
{
	u64 p = pa & ~(u64)(PHYSMEM_PAGE_SIZE - 1);

	for (; p < pa + len; p += PHYSMEM_PAGE_SIZE)
		if (physmem_is_table_pa(p) && !physmem_table_ptr(mem, p))
			return -EFAULT;
	return 0;
}

/* One step of a copy: at most up to the end of the 4 KiB page at @pa. */
static u64 step_len(u64 pa, u64 left)
{
	u64 room = PHYSMEM_PAGE_SIZE - (pa & (PHYSMEM_PAGE_SIZE - 1));

	return left < room ? left : room;
}

int physmem_read(struct physmem *mem, u64 pa, void *buf, u64 len)
{
	u8 *out = buf;
	int ret;

	if (!range_ok(pa, len))
		return -EINVAL;
	ret = check_backed(mem, pa, len);
	if (ret)
		return ret;
	while (len) {
		u64 n = step_len(pa, len);
		u8 *src = physmem_is_table_pa(pa) ? physmem_table_ptr(mem, pa)
						  : data_frame(mem, pa, false);

		if (src && !physmem_is_table_pa(pa))
			src += pa & (PHYSMEM_PAGE_SIZE - 1);
		if (src)
			memcpy(out, src, n);
		else
			memset(out, 0, n);
		out += n;
		pa += n;
		len -= n;
	}
	return 0;
}

int physmem_write(struct physmem *mem, u64 pa, const void *buf, u64 len)
{
	const u8 *in = buf;

	if (!range_ok(pa, len))
		return -EINVAL;
	/* Tables sit at the top of the space: one comparison covers the range */
	if (len && physmem_is_table_pa(pa + len - 1))
		return -EFAULT;
	while (len) {
		u64 n = step_len(pa, len);
		u8 *dst = data_frame(mem, pa, true) +
			  (pa & (PHYSMEM_PAGE_SIZE - 1));

		memcpy(dst, in, n);
		in += n;
		pa += n;
		len -= n;
	}
	return 0;
}

int physmem_read_u64(struct physmem *mem, u64 pa, u64 *val)
{
	const u64 *p = physmem_table_ptr(mem, pa);

	/* Fast path: entries normally live in the table arena */
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
}
