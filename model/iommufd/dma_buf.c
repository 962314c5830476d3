// SPDX-License-Identifier: MIT
/*
 * dma_buf.c - the dma-buf core iommufd imports from, after Linux 7.3's
 * drivers/dma-buf/dma-buf.c: dma_buf_export() puts the exporter's buffer
 * behind a pseudo file ("dmabuf", dma_buf_fops), dma_buf_fd() installs it,
 * and dma_buf_get() turns an fd back into the buffer: -EBADF for an fd
 * with no file, -EINVAL for any other file (is_dma_buf_file() compares
 * the file's ops). The model's file has no f_op; its release op plays
 * that part, as dma_buf_fops.release is what frees the buffer.
 */
#include "iommufd/dma_buf.h"
#include "core/kerrno.h"

/* dma_buf_fops.release -> dma_buf_release(): the exporter's release */
static void dma_buf_file_release(void *private)
{
	struct dma_buf *dmabuf = private;

	dmabuf->ops->release(dmabuf);
	g_free(dmabuf);
}

bool is_dma_buf_file(const struct file *f)
{
	return f && f->release == dma_buf_file_release;
}

struct dma_buf *dma_buf_export(const struct dma_buf_ops *ops, u64 size,
			       void *priv)
{
	struct dma_buf *dmabuf = g_new0(struct dma_buf, 1);

	dmabuf->ops = ops;
	dmabuf->size = size;
	dmabuf->priv = priv;
	/* dma_buf_getfile(): alloc_file_pseudo(..., "dmabuf", ...) */
	dmabuf->file =
		anon_inode_getfile("dmabuf", dma_buf_file_release, dmabuf);
	dmabuf->file->size = size; /* inode->i_size */
	return dmabuf;
}

int dma_buf_fd(struct dma_buf *dmabuf, struct process *task)
{
	return process_fd_install(task, dmabuf->file);
}

struct dma_buf *dma_buf_get(struct process *task, int fd, int *err)
{
	struct file *file = fget(task, fd);

	if (!file) {
		*err = -EBADF;
		return NULL;
	}
	if (!is_dma_buf_file(file)) {
		fput(file);
		*err = -EINVAL;
		return NULL;
	}
	return file->private_data;
}

void dma_buf_put(struct dma_buf *dmabuf)
{
	fput(dmabuf->file);
}
