/* SPDX-License-Identifier: MIT */
/*
 * dma_buf.h - the dma-buf core as iommufd uses it, after Linux 7.3's
 * drivers/dma-buf/dma-buf.c: an exporter's buffer behind a file of its
 * own (dma_buf_fops), found again from an fd by dma_buf_get().
 */
#ifndef IOMMUSIM_IOMMUFD_DMA_BUF_H
#define IOMMUSIM_IOMMUFD_DMA_BUF_H

#include "iommufd/process.h"

struct dma_buf;

/* struct dma_buf_ops: what the model's importers ask of an exporter */
struct dma_buf_ops {
	void (*release)(struct dma_buf *dmabuf);
	/* the exporter has revoked it (a later import is refused): what a
	 * state's text and hash tell apart (state.c, state_hash.c) */
	bool (*revoked)(const struct dma_buf *dmabuf);
};

struct dma_buf {
	const struct dma_buf_ops *ops; /* who exported it */
	u64 size;
	void *priv;	   /* the exporter's */
	struct file *file; /* dmabuf->file: its last fput() releases it */
};

/* dma_buf_export(): a buffer of @size behind a new file ("dmabuf") with
 * one reference, the caller's; release runs at its last fput(). */
struct dma_buf *dma_buf_export(const struct dma_buf_ops *ops, u64 size,
			       void *priv);
/* dma_buf_fd(): install dmabuf->file at the lowest free fd of @task
 * (the file's reference moves to the fd table): the fd, or -errno. */
int dma_buf_fd(struct dma_buf *dmabuf, struct process *task);
/* dma_buf_get(): the dma-buf behind @fd with a file reference, or NULL
 * with *err = -EBADF (no file) or -EINVAL (not a dma-buf's file). */
struct dma_buf *dma_buf_get(struct process *task, int fd, int *err);
/* dma_buf_put(): drop dma_buf_get()'s reference (fput()) */
void dma_buf_put(struct dma_buf *dmabuf);
/* is_dma_buf_file(): the file's ops are dma_buf_fops */
bool is_dma_buf_file(const struct file *f);

/* ---- pages.c: iommufd importing a dma-buf (IOMMU_IOAS_MAP_FILE) ---- */

struct iommufd_ctx;
/* iopt_map_file_pages()'s dma-buf branch (iopt_alloc_dmabuf_pages()):
 * -EINVAL for a range past the buffer, the exporter's refusal (-ENODEV
 * revoked), else -EOPNOTSUPP: a dma-buf's area is not modelled yet.
 * Takes dma_buf_get()'s reference (put, as 7.3 does on failure). */
int iopt_import_dmabuf(struct iommufd_ctx *ictx, struct process *task,
		       struct dma_buf *dmabuf, u64 start_byte, u64 start,
		       u64 length, bool writable);

#endif
