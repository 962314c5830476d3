// SPDX-License-Identifier: MIT
/*
 * memory.c - the CPU's view of the modelled memory (memory.h). The model
 * owns the physmem; nothing above it reaches into model/pt.
 */
#include "memory.h"
#include "core/kerrno.h"
#include "pt/amdv1.h"
#include "pt/amdv1_hw.h"
#include "pt/physmem.h"

/* The walker's codes are the ones memory.h names. */
G_STATIC_ASSERT(IOMMU_DMA_FAULT_NOT_PRESENT == (int)AMDV1_HW_FAULT_NOT_PRESENT);
G_STATIC_ASSERT(IOMMU_DMA_FAULT_PERMISSION == (int)AMDV1_HW_FAULT_PERMISSION);
G_STATIC_ASSERT(IOMMU_DMA_FAULT_BAD_LEVEL == (int)AMDV1_HW_FAULT_BAD_LEVEL);
G_STATIC_ASSERT(IOMMU_DMA_FAULT_BAD_MODE == (int)AMDV1_HW_FAULT_BAD_MODE);
G_STATIC_ASSERT(IOMMU_DMA_FAULT_ADDR_RANGE == (int)AMDV1_HW_FAULT_ADDR_RANGE);
G_STATIC_ASSERT(IOMMU_DMA_FAULT_BAD_PAGE_SIZE ==
		(int)AMDV1_HW_FAULT_BAD_PAGE_SIZE);
G_STATIC_ASSERT(IOMMU_DMA_FAULT_PT_READ == (int)AMDV1_HW_FAULT_PT_READ);

int iommu_memory_write(struct iommu_model *m, u64 pa, const void *buf, u64 len)
{
	return physmem_write(m->physmem, pa, buf, len);
}

void iommu_memory_set_limit(struct iommu_model *m, u64 bytes)
{
	physmem_set_limit(m->physmem, bytes);
}

void *iommu_memory_buffer(struct iommu_model *m, u64 bytes)
{
	void *buf;

	if (bytes > G_MAXSIZE - 1 || !physmem_may_charge(m->physmem, bytes))
		return NULL;
	buf = g_try_malloc0(bytes ? bytes : 1);
	if (buf)
		physmem_charge(m->physmem, bytes);
	return buf;
}

int iommu_get_free_pages(struct iommu_model *m, unsigned int order, u64 *pa)
{
	if (fault_should_fail(&m->fault, "__get_free_pages"))
		return -ENOMEM;
	return physmem_alloc_kpages(m->physmem, order, pa);
}

void iommu_free_pages(struct iommu_model *m, u64 pa)
{
	if (pa)
		physmem_free_kpages(m->physmem, pa);
}

void *iommu_phys_to_virt(struct iommu_model *m, u64 pa, u64 len)
{
	u64 left;
	void *p = physmem_kpages_ptr_mut(m->physmem, pa, &left);

	return p && len <= left ? p : NULL;
}

void iommu_memory_buffer_free(struct iommu_model *m, void *buf, u64 bytes)
{
	if (!buf)
		return;
	physmem_uncharge(m->physmem, bytes);
	g_free(buf);
}

int iommu_memory_read(struct iommu_model *m, u64 pa, void *buf, u64 len)
{
	return physmem_read(m->physmem, pa, buf, len);
}

int iommu_memory_check(struct iommu_model *m, u64 pa, u64 len, u8 pattern,
		       u64 *at, u8 *got)
{
	g_autofree u8 *buf = g_malloc0(len ? len : 1);
	int ret = physmem_read(m->physmem, pa, buf, len);

	if (ret)
		return ret;
	for (u64 i = 0; i < len; i++) {
		if (buf[i] != pattern) {
			*at = pa + i;
			*got = buf[i];
			return 1;
		}
	}
	return 0;
}

char *iommu_domain_dump(struct iommu_model *m, struct iommu_domain *domain,
			struct pt_amdv1_dump_data **data)
{
	GString *out = g_string_new(NULL);

	if (data)
		*data = domain && domain->pt ? pt_amdv1_dump_data(domain->pt)
					     : NULL;
	if (!domain)
		g_string_append(out, "none: a NULL domain has no table");
	else if (domain->pt)
		pt_amdv1_dump(domain->pt, out);
	else
		g_string_append_printf(out, "%s (%s) has no IO page table",
				       iommu_domain_name(domain),
				       iommu_domain_type_name(domain->type));
	return g_string_free(out, FALSE);
}
