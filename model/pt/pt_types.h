/* SPDX-License-Identifier: MIT */
/*
 * Fixed-width integer names used by the page-table engine, spelled the way
 * the kernel spells them so code and comments read like generic_pt.
 */
#ifndef IOMMUSIM_PT_TYPES_H
#define IOMMUSIM_PT_TYPES_H

#include <stdbool.h>
#include <stdint.h>

typedef uint64_t u64;
typedef uint32_t u32;
typedef uint16_t u16;
typedef uint8_t u8;

/* include/linux/iommu.h: the prot bits a caller passes to map */
#ifndef IOMMU_READ
#define IOMMU_READ (1 << 0)
#endif
#ifndef IOMMU_WRITE
#define IOMMU_WRITE (1 << 1)
#endif
#ifndef IOMMU_MMIO
#define IOMMU_MMIO (1 << 4)
#endif

#endif
