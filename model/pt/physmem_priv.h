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

/* Kernel pages (physmem_kpages.c) */
void *physmem_kpages_new(void);
void physmem_kpages_free(void *kpages);
void *physmem_kpages_copy(const void *kpages);

#endif
