/* SPDX-License-Identifier: MIT */
/*
 * selftest_dmabuf.h - CONFIG_IOMMUFD_TEST's dma-buf exporter
 * (selftest_dmabuf.c), for IOMMU_TEST_CMD and the importer in pages.c.
 */
#ifndef IOMMUSIM_IOMMUFD_SELFTEST_DMABUF_H
#define IOMMUSIM_IOMMUFD_SELFTEST_DMABUF_H

#include "iommufd/dma_buf.h"

struct iommufd_ucmd;

/* struct iommufd_test_dma_buf, less its memory (not modelled) */
struct iommufd_test_dma_buf {
	u64 length;
	bool revoked;
};

/* a dma-buf this exporter made (its priv a struct iommufd_test_dma_buf) */
bool iommufd_test_dmabuf_is(const struct dma_buf *dmabuf);

/* IOMMU_TEST_OP_DMABUF_GET: 0 (7.3's bug: not the fd it installed), or
 * -errno with nothing installed */
int iommufd_test_dmabuf_get(struct iommufd_ucmd *ucmd, u32 open_flags, u64 len);
/* IOMMU_TEST_OP_DMABUF_REVOKE: 0, or dma_buf_get()'s -EBADF / -EINVAL,
 * -EOPNOTSUPP for another exporter's dma-buf */
int iommufd_test_dmabuf_revoke(struct iommufd_ucmd *ucmd, int fd, bool revoked);
/* iommufd_test_dma_buf_iommufd_map(): 0 and the buffer's length in
 * *len (its physical address, a kzalloc()'s, is not modelled);
 * -EOPNOTSUPP for another exporter's dma-buf, -ENODEV when revoked */
int iommufd_test_dma_buf_iommufd_map(struct dma_buf *dmabuf, u64 *len);

#endif
