/* SPDX-License-Identifier: MIT */
/*
 * physmem: the modelled physical address space that IO page tables live in
 * and that DMA reads and writes.
 *
 * Layout of the 52-bit physical address space (AMDv1's OA limit,
 * generic_pt/fmt/amdv1.h PT_MAX_OUTPUT_ADDRESS_LG2):
 *
 *   0x0000_0000_0000_0000 .. 0x0006_ffff_ffff_ffff  data memory
 *     from 0x0006_0000_0000_0000: data pages the kernel allocates
 *     (physmem_alloc_data_page())
 *   0x0007_0000_0000_0000 .. 0x000b_ffff_ffff_ffff  page-table pages
 *   0x000c_0000_0000_0000 .. 0x000f_ffff_ffff_ffff  other kernel pages
 *
 * Table pages are handed out from the region's bottom, which lies below
 * 2^51: the IOMMUFD selftest's amdv1_mock format (2 KiB granule) holds a
 * table's PA as PA >> 11 in the PDE's bits 51:12, so 51 bits are all its
 * PDEs can point to (as in the kernel, whose table pages are RAM).
 *
 * Data memory is byte addressable anywhere below PHYSMEM_TABLE_BASE and
 * stored as extents (physmem_data.c): runs of bytes that are all one value
 * cost one small record whatever their length, other bytes are stored as
 * written, and a never-written byte reads as zero and costs nothing. So a
 * 64 MiB pattern DMA costs a record, not 64 MiB, and overwriting memory
 * replaces what was there instead of adding to it.
 *
 * Table pages are 4 KiB, zeroed on allocation, each backed by its own host
 * page while in use and given back to the host when freed; pages[] maps a
 * table PA to its host page in O(1) (iova_to_phys and the hardware walker
 * do it once per level). A copy (physmem_copy(), the explorer's states)
 * shares the host pages with its original, copy on write: a page shared
 * by several physmems is read in place and copied by the first that
 * writes it (physmem_table_ptr_mut()), so copying a machine costs a
 * reference per table page, not 4 KiB. PA reuse policy, as the kernel's page allocator
 * hands back the most recently freed (cache-hot) page from its per-CPU
 * lists: a freed PA is reused before any fresh one, most recently freed
 * first; fresh PAs come in ascending order from PHYSMEM_TABLE_BASE only
 * when none is free. Deterministic, so dumps are reproducible.
 *
 * Scenarios pick data addresses below PHYSMEM_TABLE_BASE, so table and data
 * addresses never collide. The table region can be read like any memory (the
 * hardware walker does) but physmem_write() refuses it: on real hardware a
 * stray DMA could overwrite a live table, but then the kernel's own walks
 * would follow garbage, and the model must never crash.
 *
 * Budget: everything modelled memory holds (4 KiB per table page in use,
 * the bytes of stored data, PHYSMEM_EXTENT_COST per extent record), and
 * the per-page records the rest of the model keeps (physmem_charge()), is
 * charged against a limit, PHYSMEM_DEFAULT_LIMIT unless
 * physmem_set_limit() says otherwise. Past it a table allocation fails
 * with -ENOMEM, as alloc_pages() failing makes iommu_alloc_pages_node_sz()
 * fail in the kernel, and a write fails with -ENOMEM before changing
 * anything: one huge map or DMA gets an errno, never the host's OOM killer.
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
	/* charged per data extent: the record and its tree node */
	PHYSMEM_EXTENT_COST = 64,
};

#define PHYSMEM_PA_END (1ULL << PHYSMEM_PA_LG2)
#define PHYSMEM_TABLE_BASE 0x0007000000000000ULL
/* __get_free_pages()'s pages that are not tables (physmem_alloc_kpages()) */
#define PHYSMEM_KPAGE_BASE 0x000c000000000000ULL
/* data pages the kernel allocates (physmem_alloc_data_page()); scenarios
 * lay their memory out below it */
#define PHYSMEM_DATA_PAGE_BASE 0x0006000000000000ULL
/* 1 GiB: 262144 table pages, or the same in stored data */
#define PHYSMEM_DEFAULT_LIMIT (1ULL << 30)

/* Counters, all since physmem_new() except the *_in_use ones. */
struct physmem_stats {
	u64 table_pages;      /* table pages in use now */
	u64 table_pages_peak; /* most table pages in use at once */
	u64 table_bytes;      /* table_pages * 4 KiB */
	u64 table_allocs;     /* successful table page allocations */
	u64 table_frees;      /* table pages returned */
	u64 table_pas;	      /* distinct table PAs ever handed out */
	u64 data_extents;     /* data extents now */
	u64 data_bytes;	      /* data bytes stored as written now */
	u64 used_bytes;	      /* charged against the limit now */
	u64 peak_bytes;	      /* most ever charged at once */
	u64 limit_bytes;      /* the limit */
	u64 limit_refusals;   /* allocations and writes the limit refused */
};

/*
 * The struct is visible so physmem_table_ptr() can be inlined into walkers;
 * everything else goes through the functions below.
 */
/* A table page's host memory, shared by the physmems holding it (the
 * copies of one machine) until one of them writes it. */
struct physmem_page {
	u64 refs;
	u8 bytes[PHYSMEM_PAGE_SIZE];
};

struct physmem {
	/* pages[i] backs TABLE_BASE + i * 4 KiB; NULL: free */
	struct physmem_page **pages;
	size_t nr_pages; /* table PAs ever handed out */
	size_t pages_cap;
	u64 *free_pages; /* free table PAs, most recently freed on top */
	size_t nr_free;	 /* room for nr_pages: freeing never allocates */
	/* the fail-nth knob table allocations ask: the owner's (the model's
	 * one knob, physmem_set_fault()) or own_fault */
	struct fault_attr *fault;
	struct fault_attr own_fault;
	struct physmem_stats st;
	void *data; /* GTree of struct physmem_extent, by first PA */
	/* bumped by every change to the table region (a write through
	 * physmem_table_ptr_mut(), a table allocated or freed), copied with
	 * the rest: a table's hash computed at one generation holds until
	 * the next (pt_amdv1_hash()'s cache) */
	u64 gen;
	void *kpages;	/* GTree of kernel page runs (physmem_kpages.c) */
	u64 data_pages; /* physmem_alloc_data_page()'s so far */
	/* bumped by every change to data memory or a kernel page's bytes,
	 * copied with the rest: physmem_contents_hash()'s cache holds until
	 * the next (@contents_hash valid when @contents_gen == @data_gen + 1) */
	u64 data_gen;
	u64 contents_gen, contents_hash;
};

struct physmem *physmem_new(void);
/* Frees everything, whether or not table pages are still in use. */
void physmem_free(struct physmem *mem);
/* An exact copy: the same table PAs with the same bytes (the host pages
 * shared, copied on write), the same free stack (so both hand out the same PA next), data, budget and counters;
 * its fault knob its own unless the caller points it at its owner's
 * (physmem_set_fault()). NULL when the host runs out of memory. */
struct physmem *physmem_copy(const struct physmem *mem);

/*
 * physmem_alloc_table() - allocate one zeroed 4 KiB table page
 * Returns 0 and its physical address in *pa, or -ENOMEM (the limit reached,
 * host allocation failed, or an injected failure, see
 * physmem_inject_table_alloc_failure()).
 */
int physmem_alloc_table(struct physmem *mem, u64 *pa);

/*
 * Return a page from physmem_alloc_table(): its host page goes back to the
 * host and its PA is the next one handed out. Anything else is ignored.
 */
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

/*
 * physmem_set_limit() - the budget in bytes (see above); 0 means
 * PHYSMEM_DEFAULT_LIMIT. Lowering it below what is in use refuses every
 * further allocation until enough is freed; nothing already held is taken
 * away. The sim's --memory-limit sets it.
 */
void physmem_set_limit(struct physmem *mem, u64 bytes);
u64 physmem_limit(const struct physmem *mem);

/*
 * The budget for what else the model keeps per page of a request: the
 * PA list of a process's mapping, a pinned area's per-page records, a VFIO
 * DMA mapping's pinned pages (model/iommufd, model/vfio). Check first
 * (physmem_may_charge(): whether @bytes more fit; counts a refusal if
 * not), then charge what is held and uncharge it when freed, so a request
 * past the limit fails with -ENOMEM before the host allocates anything.
 */
bool physmem_may_charge(struct physmem *mem, u64 bytes);
void physmem_charge(struct physmem *mem, u64 bytes);
void physmem_uncharge(struct physmem *mem, u64 bytes);

static inline bool physmem_is_table_pa(u64 pa)
{
	return pa >= PHYSMEM_TABLE_BASE && pa < PHYSMEM_PA_END;
}

/* The index in pages[] of the table page holding @pa, or -1 when @pa is
 * outside the table region or its page is not in use. */
static inline long physmem_table_index(const struct physmem *mem, u64 pa)
{
	u64 idx = (pa - PHYSMEM_TABLE_BASE) >> PHYSMEM_PAGE_LG2;

	if (pa < PHYSMEM_TABLE_BASE || idx >= mem->nr_pages || !mem->pages[idx])
		return -1;
	return (long)idx;
}

/*
 * physmem_table_ptr() - host pointer to the byte at @pa in the table region,
 * to read (the page may be shared with copies: write through
 * physmem_table_ptr_mut())
 * Returns NULL when @pa is outside the table region or its page is not
 * in use. O(1): one subtraction, one shift, one array load.
 */
static inline const void *physmem_table_ptr(const struct physmem *mem, u64 pa)
{
	long idx = physmem_table_index(mem, pa);

	return idx < 0 ? NULL
		       : mem->pages[idx]->bytes +
				 (pa & (PHYSMEM_PAGE_SIZE - 1));
}

/* The page at @idx made @mem's own (copied when shared; the host out of
 * memory for the copy aborts, as g_malloc() does). */
struct physmem_page *physmem_page_own(struct physmem *mem, u64 idx);

/*
 * physmem_table_ptr_mut() - the same, to write: a page still shared with a
 * copy is copied first, so the others keep their bytes. A pointer taken
 * to read may be stale after a write through this one: walkers that write
 * take every pointer of their walk from this one.
 */
static inline void *physmem_table_ptr_mut(struct physmem *mem, u64 pa)
{
	long idx = physmem_table_index(mem, pa);
	struct physmem_page *page;

	mem->gen++;
	if (idx < 0)
		return NULL;
	page = mem->pages[idx];
	if (page->refs > 1)
		page = physmem_page_own(mem, idx);
	return page->bytes + (pa & (PHYSMEM_PAGE_SIZE - 1));
}

/*
 * physmem_read() / physmem_write() - copy bytes at any physical address
 * Return 0, -EINVAL when [pa, pa + len) leaves the 52-bit space, -EFAULT
 * when a read touches a table-region page not in use, or a write touches
 * the table region at all, or (write) -ENOMEM when storing it would pass
 * the limit. A read of never-written data memory yields zeros; nothing is
 * copied or changed on error.
 */
int physmem_read(struct physmem *mem, u64 pa, void *buf, u64 len);
int physmem_write(struct physmem *mem, u64 pa, const void *buf, u64 len);

/*
 * What memory holds, for the explorer's state key: data memory's bytes
 * and the kernel pages' (not the tables: their owners hash them). By
 * contents, not by how they were written: memory that reads the same
 * hashes the same however its extents are cut (a never-written byte and
 * a zero are one), and two memories that read differently anywhere hash
 * differently (but by a 64-bit collision). Kept until the next write.
 */
u64 physmem_contents_hash(struct physmem *mem);
/* The same runs one by one, in ascending PA order: each maximal run
 * [start, end) of one nonzero byte value (the FULL snapshot's listing) */
typedef void (*physmem_run_fn)(void *data, u64 start, u64 end, u8 val);
void physmem_contents_foreach(struct physmem *mem, physmem_run_fn fn,
			      void *data);

/*
 * Kernel pages that are not tables: __get_free_pages(GFP_KERNEL |
 * __GFP_ZERO, @order), what a driver may let user space mmap()
 * (iommufd_viommu_alloc_mmap()). 2^@order zeroed pages at *pa, the lowest
 * naturally aligned free run from PHYSMEM_KPAGE_BASE, charged to the
 * budget; -ENOMEM past it. Readable with physmem_read(), not writable by
 * physmem_write() (the CPU's writes of data memory); the kernel writes
 * them through physmem_kpages_ptr_mut(). A copy shares them, copy on
 * write, and has the same PAs and bytes. Their host memory is shared
 * anonymous memory, page aligned: a second mapping of it is the same
 * pages (how the preload shim maps the region for a user's mmap()).
 */
int physmem_alloc_kpages(struct physmem *mem, unsigned int order, u64 *pa);
/* The run at @pa (its first PA) given back; anything else is ignored */
void physmem_free_kpages(struct physmem *mem, u64 pa);
/* The host bytes at @pa inside a run (*left: bytes to its end), to read;
 * NULL when no run holds @pa */
const void *physmem_kpages_ptr(const struct physmem *mem, u64 pa, u64 *left);
/* The same, to write (__va()): a run still shared with a copy is copied
 * first; valid until the physmem is next copied */
void *physmem_kpages_ptr_mut(struct physmem *mem, u64 pa, u64 *left);

/*
 * A page of data memory the kernel allocates, zero until written (shmem's
 * page for a write past a memfd's last one, shmem_alloc_folio()): the PA
 * physmem_alloc_data_page() would give, then that PA taken. Fresh PAs in
 * ascending order from PHYSMEM_DATA_PAGE_BASE, never reused (what the PA
 * is the kernel does not tell; deterministic, so copies agree). Peek
 * first so a caller that then fails has changed nothing.
 */
u64 physmem_next_data_page(const struct physmem *mem);
u64 physmem_alloc_data_page(struct physmem *mem);

/* Read one little-endian 64-bit word (a page-table entry) anywhere. */
int physmem_read_u64(struct physmem *mem, u64 pa, u64 *val);

void physmem_get_stats(const struct physmem *mem, struct physmem_stats *st);

#endif
