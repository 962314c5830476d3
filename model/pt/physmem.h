/* SPDX-License-Identifier: MIT */
/*
 * physmem: the modelled physical address space that IO page tables live in
 * and that DMA reads and writes.
 *
 * Layout of the 52-bit physical address space (AMDv1's OA limit,
 * generic_pt/fmt/amdv1.h PT_MAX_OUTPUT_ADDRESS_LG2):
 *
 *   0x0000_0000_0000_0000 .. 0x000e_ffff_ffff_ffff  data memory
 *   0x000f_0000_0000_0000 .. 0x000f_ffff_ffff_ffff  page-table pages
 *
 * Data memory is byte addressable anywhere below PHYSMEM_TABLE_BASE and is
 * backed lazily by 4 KiB frames: an unwritten byte reads as zero and costs
 * nothing. Table pages are 4 KiB, zeroed on allocation, carved from 2 MiB
 * chunks allocated in order from PHYSMEM_TABLE_BASE; (pa - base) >> 21
 * indexes the chunk array, so turning a table PA into a host pointer is O(1)
 * (iova_to_phys and the hardware walker do it once per level).
 *
 * Scenarios pick data addresses below PHYSMEM_TABLE_BASE, so table and data
 * addresses never collide. The table region can be read like any memory (the
 * hardware walker does) but physmem_write() refuses it: on real hardware a
 * stray DMA could overwrite a live table, but then the kernel's own walks
 * would follow garbage, and the model must never crash.
 *
 * Allocation is deterministic (lowest free address first after a fresh chunk,
 * most recently freed page first after that), so dumps are reproducible.
 */
#ifndef IOMMUSIM_PT_PHYSMEM_H
#define IOMMUSIM_PT_PHYSMEM_H

#include <stddef.h>

#include "fault.h"
#include "pt/pt_types.h"

enum {
	PHYSMEM_PA_LG2 = 52,
	PHYSMEM_PAGE_LG2 = 12,
	PHYSMEM_PAGE_SIZE = 1 << PHYSMEM_PAGE_LG2,
	PHYSMEM_CHUNK_LG2 = 21,
};

#define PHYSMEM_PA_END (1ULL << PHYSMEM_PA_LG2)
#define PHYSMEM_TABLE_BASE 0x000f000000000000ULL

/* Counters, all since physmem_new() except the *_in_use ones. */
struct physmem_stats {
	u64 table_pages;      /* table pages in use now */
	u64 table_pages_peak; /* most table pages in use at once */
	u64 table_bytes;      /* table_pages * 4 KiB */
	u64 table_allocs;     /* successful table page allocations */
	u64 table_frees;      /* table pages returned */
	u64 arena_bytes;      /* host memory reserved for table chunks */
	u64 data_frames;      /* 4 KiB data frames backed (ever written) */
};

/*
 * The struct is visible so physmem_table_ptr() can be inlined into walkers;
 * everything else goes through the functions below.
 */
struct physmem {
	u8 **chunks; /* chunk i backs TABLE_BASE + i * 2 MiB */
	size_t nr_chunks;
	size_t chunks_cap;
	u64 *free_pages; /* stack of free table page PAs */
	size_t nr_free;
	size_t free_cap;
	/* the fail-nth knob table allocations ask: the owner's (the model's
	 * one knob, physmem_set_fault()) or own_fault */
	struct fault_attr *fault;
	struct fault_attr own_fault;
	struct physmem_stats st;
	void *data; /* GHashTable: pfn -> 4 KiB frame */
};

struct physmem *physmem_new(void);
/* Frees everything, whether or not table pages are still in use. */
void physmem_free(struct physmem *mem);

/*
 * physmem_alloc_table() - allocate one zeroed 4 KiB table page
 * Returns 0 and its physical address in *pa, or -ENOMEM (host allocation
 * failed, or an injected failure, see physmem_inject_table_alloc_failure()).
 */
int physmem_alloc_table(struct physmem *mem, u64 *pa);

/* Return a page from physmem_alloc_table(). Anything else is ignored. */
void physmem_free_table(struct physmem *mem, u64 pa);

/*
 * Make the nth next table allocation (1 = the very next) fail with -ENOMEM,
 * once. 0 cancels. Lets tests replay an operation failing at each
 * allocation in turn, as iommufd_fail_nth does. Arms whatever knob
 * physmem_set_fault() chose.
 */
void physmem_inject_table_alloc_failure(struct physmem *mem, unsigned int nth);

/* Ask @f (the owner's fail-nth knob, shared with its other allocation
 * sites) instead of physmem's own; NULL goes back to the own one. */
void physmem_set_fault(struct physmem *mem, struct fault_attr *f);

static inline bool physmem_is_table_pa(u64 pa)
{
	return pa >= PHYSMEM_TABLE_BASE && pa < PHYSMEM_PA_END;
}

/*
 * physmem_table_ptr() - host pointer to the byte at @pa in the table region
 * Returns NULL when @pa is outside the table region or in a chunk never
 * allocated. O(1): one subtraction, one shift, one array load.
 */
static inline void *physmem_table_ptr(const struct physmem *mem, u64 pa)
{
	u64 off = pa - PHYSMEM_TABLE_BASE;
	u64 idx = off >> PHYSMEM_CHUNK_LG2;

	if (pa < PHYSMEM_TABLE_BASE || idx >= mem->nr_chunks)
		return NULL;
	return mem->chunks[idx] + (off & ((1ULL << PHYSMEM_CHUNK_LG2) - 1));
}

/*
 * physmem_read() / physmem_write() - copy bytes at any physical address
 * Return 0, -EINVAL when [pa, pa + len) leaves the 52-bit space, or -EFAULT
 * when a read touches a table-region address no chunk backs, or a write
 * touches the table region at all. A read of never-written data memory
 * yields zeros; nothing is copied on error.
 */
int physmem_read(struct physmem *mem, u64 pa, void *buf, u64 len);
int physmem_write(struct physmem *mem, u64 pa, const void *buf, u64 len);

/* Read one little-endian 64-bit word (a page-table entry) anywhere. */
int physmem_read_u64(struct physmem *mem, u64 pa, u64 *val);

void physmem_get_stats(const struct physmem *mem, struct physmem_stats *st);

#endif
