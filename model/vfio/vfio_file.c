// SPDX-License-Identifier: MIT
/*
 * vfio_file.c - VFIO's files in the process's one fd table (fs/file.c's
 * alloc_fd() and fget(), as drivers/vfio's files use them): a VFIO file
 * takes the lowest free number of its opener's table, where a stand-in
 * (a struct file, f_op VFIO's mark) names it; an fd argument of a VFIO
 * ioctl finds whatever file is at its number, and its kind is judged as
 * 7.3 judges it (vfio_container_from_file(), iommufd_ctx_from_file(),
 * vfio_file_is_group()). A process whose numbers are a real one's (the
 * preload shim's) has VFIO number its files itself.
 */
#include "vfio/vfio_private.h"

/* The mark of a VFIO file in a process's table (the kernel's
 * vfio_group_fops, vfio_device_fops, vfio_fops: one for all three, the
 * vfio_file says which) */
static const char vfio_fops_mark[] = "vfio_fops";

/* A process that numbers its own files: VFIO's take their numbers from
 * its one table (fs/file.c alloc_fd()). A preload shim's process numbers
 * with the real process's fds, which the shim maps to VFIO's own
 * (shim_model_fd()), and no process (a unit test's iommufd file) has
 * none: VFIO numbers those files itself, the lowest free from 3. */
static bool vfio_task_table(const struct process *task)
{
	return task && !task->fd_alloc && !task->fd_lookup;
}

static int vfio_private_fd(struct vfio *v)
{
	int fd = 3;

	while (g_hash_table_contains(v->fds, GINT_TO_POINTER(fd)))
		fd++;
	return fd;
}

/* vfio_device_fops_read()/_write() through the process's table: at the
 * file's position, which the bytes done move on (vfio_pci_rw()'s
 * *ppos); a read's bytes reach the caller only when the model has them
 * all (else read_unmodelled) */
static ssize_t vfio_file_rw(struct vfio_file *f, struct process *task, u64 ubuf,
			    u64 count, bool write)
{
	struct file *filp = f ? process_file_at(f->task, f->fd) : NULL;
	g_autofree u8 *buf = NULL;
	bool modelled;
	ssize_t n;

	if (!filp) /* a forked child's stand-in of a closed file */
		return -EINVAL;
	buf = g_malloc0(count ? count : 1);
	if (write && process_copy_from_user(task, buf, ubuf, count))
		return -EFAULT;
	n = vfio_device_rw(f, buf, count, filp->pos, write, &modelled);
	filp->read_unmodelled = !write && n > 0 && !modelled;
	if (n > 0 && !write && modelled &&
	    process_copy_to_user(task, ubuf, buf, n))
		return -EFAULT;
	if (n > 0)
		filp->pos += n;
	return n;
}

static ssize_t vfio_file_read(void *private, struct process *task, u64 ubuf,
			      u64 count)
{
	return vfio_file_rw(private, task, ubuf, count, false);
}

static ssize_t vfio_file_write(void *private, struct process *task, u64 ubuf,
			       u64 count)
{
	return vfio_file_rw(private, task, ubuf, count, true);
}

struct vfio_file *vfio_file_new(struct iommu_model *m, struct process *task,
				enum vfio_file_kind k)
{
	struct vfio *v = vfio_get(m);
	struct vfio_file *f = g_new0(struct vfio_file, 1);

	f->kind = k;
	f->m = m;
	if (vfio_task_table(task)) {
		struct file *filp = anon_inode_getfile("vfio", NULL, f);

		filp->f_op = vfio_fops_mark;
		filp->owner_shows = true; /* vfio_state_hash(), by number */
		/* vfio_device_fops has read and write; the group's and the
		 * container's fops have none (-EINVAL) */
		if (k == VFIO_FILE_DEVICE) {
			filp->read = vfio_file_read;
			filp->write = vfio_file_write;
		}
		f->task = task;
		/* a process of the model's numbers cannot run out */
		f->fd = process_fd_install(task, filp);
	} else {
		f->fd = vfio_private_fd(v);
	}
	g_hash_table_insert(v->fds, GINT_TO_POINTER(f->fd), f);
	return f;
}

/* The VFIO file behind @file, NULL for another kind */
static struct vfio_file *vfio_file_of(const struct file *file)
{
	return file && file->f_op == vfio_fops_mark ? file->private_data : NULL;
}

void vfio_file_free(struct vfio_file *f)
{
	struct file *filp = f->task ? process_file_at(f->task, f->fd) : NULL;

	g_hash_table_remove(vfio_get(f->m)->fds, GINT_TO_POINTER(f->fd));
	if (vfio_file_of(filp) == f) {
		/* a forked child's copy of the table may keep the stand-in:
		 * it names no VFIO file any more */
		filp->private_data = NULL;
		process_fd_remove(f->task, f->fd, filp);
	}
	g_free(f);
}

int vfio_fget(struct vfio *v, struct process *task, int fd,
	      struct vfio_file **vf, struct iommufd_ctx **ictx)
{
	struct file *file = NULL;

	*vf = NULL;
	*ictx = NULL;
	if (vfio_task_table(task)) {
		file = fget(task, fd);
		*vf = vfio_file_of(file);
		*ictx = iommufd_ctx_from_file(file);
		fput(file);
		if (!file)
			return -EBADF;
	} else {
		*vf = vfio_fd_get(v, fd);
		if (!*vf)
			return -EBADF;
	}
	if (*vf && vfio_file_is_iommufd(*vf))
		*ictx = (*vf)->ictx;
	return 0;
}

struct vfio_file *vfio_fd_get(struct vfio *v, int fd)
{
	return g_hash_table_lookup(v->fds, GINT_TO_POINTER(fd));
}

struct vfio_file *vfio_file_from_fd(struct iommu_model *m, int fd)
{
	return vfio_fd_get(vfio_get(m), fd);
}

int vfio_file_fd(const struct vfio_file *f)
{
	return f->fd;
}

struct vfio_file *vfio_file_at(struct process *task, int fd)
{
	return vfio_file_of(process_file_at(task, fd));
}
