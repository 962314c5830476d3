// SPDX-License-Identifier: MIT
/*
 * selftest_dmabuf.c - CONFIG_IOMMUFD_TEST's dma-buf exporter, after Linux
 * 7.3's drivers/iommu/iommufd/selftest.c (struct iommufd_test_dma_buf,
 * iommufd_test_dmabuf_ops, iommufd_test_dmabuf_get(),
 * iommufd_test_dmabuf_revoke(), iommufd_test_dma_buf_iommufd_map()).
 *
 * DMABUF_GET exports a zeroed buffer of the length rounded up to pages
 * (0 or over 512 pages: -EINVAL) and installs its fd, O_CLOEXEC as asked;
 * but 7.3 then returns 0, not the fd (dma_buf_fd()'s value is dropped),
 * and its selftest takes the ioctl's value as the fd: the model keeps
 * both, so the selftest's dmabuf cases use fd 0 here as on the guest.
 * The buffer's memory is not modelled (only its length): nothing in the
 * model reads it, as dma-buf areas stop at the import (pages.c).
 */
#include "iommufd/iommufd_private.h"
#include "iommufd/selftest_dmabuf.h"
#include "core/kerrno.h"

/* PAGE_SIZE * 512: the largest buffer iommufd_test_dmabuf_get() makes */
#define TEST_DMABUF_MAX (IOMMUFD_PAGE_SIZE * 512)

/* iommufd_test_dma_buf_release(): kfree(priv->memory), kfree(priv) */
static void iommufd_test_dma_buf_release(struct dma_buf *dmabuf)
{
	g_free(dmabuf->priv);
}

static bool iommufd_test_dma_buf_revoked(const struct dma_buf *dmabuf)
{
	const struct iommufd_test_dma_buf *priv = dmabuf->priv;

	return priv->revoked;
}

static const struct dma_buf_ops iommufd_test_dmabuf_ops = {
	.release = iommufd_test_dma_buf_release,
	.revoked = iommufd_test_dma_buf_revoked,
};

bool iommufd_test_dmabuf_is(const struct dma_buf *dmabuf)
{
	return dmabuf->ops == &iommufd_test_dmabuf_ops;
}

int iommufd_test_dma_buf_iommufd_map(struct dma_buf *dmabuf, u64 *len)
{
	struct iommufd_test_dma_buf *priv = dmabuf->priv;

	if (dmabuf->ops != &iommufd_test_dmabuf_ops)
		return -EOPNOTSUPP;
	if (priv->revoked)
		return -ENODEV;
	*len = priv->length;
	return 0;
}

int iommufd_test_dmabuf_get(struct iommufd_ucmd *ucmd, u32 open_flags, u64 len)
{
	struct iommu_model *m = ucmd->ictx->m;
	struct iommufd_test_dma_buf *priv;
	struct dma_buf *dmabuf;
	int rc;

	/* exp_info.flags and dma_buf_fd()'s: O_CLOEXEC and the access
	 * mode, which refuse nothing; the model's fds have neither */
	(void)open_flags;
	len = (len + IOMMUFD_PAGE_SIZE - 1) & ~(u64)(IOMMUFD_PAGE_SIZE - 1);
	if (len == 0 || len > TEST_DMABUF_MAX)
		return iommu_refuse(m, -EINVAL, "iommufd_test_dmabuf_get",
				    "length 0x%llx: 0 or over 512 pages",
				    (unsigned long long)len);
	/* kzalloc_obj(*priv), then kzalloc(len): one failure point each */
	if (iommufd_should_fail(ucmd->ictx, "iommufd_test_dmabuf_get") ||
	    iommufd_should_fail(ucmd->ictx, "iommufd_test_dmabuf_memory"))
		return -ENOMEM;
	priv = g_new0(struct iommufd_test_dma_buf, 1);
	priv->length = len;
	dmabuf = dma_buf_export(&iommufd_test_dmabuf_ops, len, priv);
	rc = dma_buf_fd(dmabuf, ucmd->task);
	if (rc < 0) {
		dma_buf_put(dmabuf); /* its release frees priv */
		return rc;
	}
	/* 7.3 returns 0 here, not rc: the fd is installed but not told */
	return 0;
}

int iommufd_test_dmabuf_revoke(struct iommufd_ucmd *ucmd, int fd, bool revoked)
{
	struct iommu_model *m = ucmd->ictx->m;
	struct iommufd_test_dma_buf *priv;
	struct dma_buf *dmabuf;
	int rc = 0;

	dmabuf = dma_buf_get(ucmd->task, fd, &rc);
	if (!dmabuf)
		return iommu_refuse(m, rc, "dma_buf_get", "fd %d: %s", fd,
				    rc == -EBADF ? "not open"
						 : "not a dma-buf");
	if (dmabuf->ops != &iommufd_test_dmabuf_ops) {
		rc = iommu_refuse(m, -EOPNOTSUPP, "iommufd_test_dmabuf_revoke",
				  "fd %d is another exporter's dma-buf", fd);
		goto err_put;
	}
	priv = dmabuf->priv;
	priv->revoked = revoked;
	/* dma_buf_invalidate_mappings(): iommufd's importer would unmap its
	 * domains (iopt_revoke_notify()); the model imports none (pages.c) */
err_put:
	dma_buf_put(dmabuf);
	return rc;
}
