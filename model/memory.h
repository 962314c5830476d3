/* SPDX-License-Identifier: MIT */
/*
 * memory.h - the modelled memory as the CPU sees it: what a scenario's
 * buffers hold, written and read directly (no IOMMU between), and the
 * codes a device's DMA (iommu_dma()) fails with when the IOMMU refuses it.
 * sim/ and hw/ go through these; only the model reaches its physmem.
 */
#ifndef IOMMUSIM_MODEL_MEMORY_H
#define IOMMUSIM_MODEL_MEMORY_H

#include "iommu.h"

/*
 * What the AMD-Vi walker reports for a refused translation (model/pt's
 * amdv1_hw.h, named after the event the IOMMU would log), and
 * IOMMU_DMA_BLOCKED (iommu.h) for a blocking domain.
 */
enum iommu_dma_fault {
	IOMMU_DMA_FAULT_NOT_PRESENT = -1001,
	IOMMU_DMA_FAULT_PERMISSION = -1002,
	IOMMU_DMA_FAULT_BAD_LEVEL = -1003,
	IOMMU_DMA_FAULT_BAD_MODE = -1004,
	IOMMU_DMA_FAULT_ADDR_RANGE = -1005,
	IOMMU_DMA_FAULT_BAD_PAGE_SIZE = -1006,
	IOMMU_DMA_FAULT_PT_READ = -1007,
};

/* The CPU writes / reads physical memory. 0, -EINVAL (outside the 52-bit
 * space) or -EFAULT (the page-table region: not the CPU's to write). */
int iommu_memory_write(struct iommu_model *m, u64 pa, const void *buf, u64 len);
int iommu_memory_read(struct iommu_model *m, u64 pa, void *buf, u64 len);

/*
 * Whether every byte of [pa, pa + len) is @pattern: 0 yes, 1 no (with
 * *at the first address that differs and *got its byte), or -errno when
 * the range is not readable.
 */
int iommu_memory_check(struct iommu_model *m, u64 pa, u64 len, u8 pattern,
		       u64 *at, u8 *got);

/* The budget of modelled memory (page-table pages and written data) in
 * bytes, past which allocations fail with -ENOMEM as the kernel's do;
 * 0: the default (PHYSMEM_DEFAULT_LIMIT, 1 GiB). */
void iommu_memory_set_limit(struct iommu_model *m, u64 bytes);

/* A zeroed buffer a call holds while it runs (a caller's struct and the
 * arrays behind its user pointers, a kernel function's scratch), charged
 * to that budget until iommu_memory_buffer_free(): NULL past it (the
 * caller fails with -ENOMEM, nothing done) or where the host has none.
 * @bytes 0 gives a buffer of one byte. */
void *iommu_memory_buffer(struct iommu_model *m, u64 bytes);
void iommu_memory_buffer_free(struct iommu_model *m, void *buf, u64 bytes);

/*
 * __get_free_pages(GFP_KERNEL | __GFP_ZERO, @order): zeroed kernel memory
 * a driver may let user space mmap() (iommufd_viommu_alloc_mmap()), at a
 * PA of the modelled physmem (*pa, __pa() of it: the copy of a machine
 * has it at the same PA with the same bytes), charged to the budget;
 * -ENOMEM past it or on an injected failure. iommu_free_pages() gives
 * back what began at @pa (0: nothing).
 */
int iommu_get_free_pages(struct iommu_model *m, unsigned int order, u64 *pa);
void iommu_free_pages(struct iommu_model *m, u64 pa);
/* __va(@pa): the host memory of [@pa, @pa + @len) of such pages, to
 * write or to map (a second mapping of it, mremap() of size 0, is the
 * same pages: the preload shim's mmap()); NULL outside them. Valid until
 * the machine is next copied: keep the PA, not the pointer. */
void *iommu_phys_to_virt(struct iommu_model *m, u64 pa, u64 len);

/* A paging domain's IO page table, entry by entry, newly allocated text;
 * a domain without a table says so. With @data, the same as data
 * (pt/amdv1.h), NULL for a domain without a table. */
struct pt_amdv1_dump_data;
char *iommu_domain_dump(struct iommu_model *m, struct iommu_domain *domain,
			struct pt_amdv1_dump_data **data);

#endif
