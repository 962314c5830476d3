/* SPDX-License-Identifier: MIT */
/*
 * Private to model/pt/physmem*.c: the budget shared by table pages
 * (physmem.c) and data extents (physmem_data.c).
 */
#ifndef IOMMUSIM_PT_PHYSMEM_PRIV_H
#define IOMMUSIM_PT_PHYSMEM_PRIV_H

#include "pt/physmem.h"

/* Data memory below PHYSMEM_TABLE_BASE (physmem_data.c) */
void *physmem_data_new(void);
void physmem_data_free(void *data);
void *physmem_data_copy(const void *data);
void physmem_data_read(struct physmem *mem, u64 pa, u8 *out, u64 len);
int physmem_data_write(struct physmem *mem, u64 pa, const u8 *in, u64 len);

/*
 * Memory's contents as a stream of runs (physmem_data.c): bytes fed in
 * ascending PA order, each maximal run of one nonzero value given to @fn
 * once, zeros skipped, so what @fn sees depends on what memory reads and
 * not on how it was cut into extents.
 */
struct contents_walk {
	physmem_run_fn fn;
	void *data;
	u64 start, end; /* the open run, empty when start == end */
	u8 val;
};

void contents_fill(struct contents_walk *c, u64 start, u64 end, u8 val);
void contents_bytes(struct contents_walk *c, u64 start, const u8 *b, u64 len);
void contents_flush(struct contents_walk *c);
void physmem_data_walk(void *data, struct contents_walk *c);

/* Kernel pages (physmem_kpages.c) */
void *physmem_kpages_new(void);
void physmem_kpages_free(void *kpages);
void *physmem_kpages_copy(const void *kpages);
void physmem_kpages_walk(void *kpages, struct contents_walk *c);

#endif
