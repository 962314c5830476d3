// SPDX-License-Identifier: MIT
/*
 * ioctl.c - an ioctl on a served fd: the argument as the model's
 * dispatchers take it, then iommufd_ioctl() (a /dev/iommu fd) or
 * vfio_ioctl() (a container, group or device fd).
 *
 * What needs translating between the real process and the model:
 *  - fds inside arguments: VFIO_GROUP_SET_CONTAINER's int and
 *    VFIO_DEVICE_BIND_IOMMUFD's iommufd name real fds; the model knows its
 *    files by its own numbers (shim_model_fd()), swapped in for the call
 *    and restored after;
 *  - fds coming out: VFIO_GROUP_GET_DEVICE_FD's new device file gets a
 *    real fd (O_CLOEXEC, as get_unused_fd_flags(O_CLOEXEC) in 7.3);
 *  - integer arguments (VFIO_CHECK_EXTENSION, VFIO_SET_IOMMU) are passed
 *    as the model's *(unsigned long *);
 *  - how many bytes the model may read: the struct's own size (iommufd's
 *    size, VFIO's argsz) or at least up to the end of the page the
 *    argument starts in (mapped, since the argument is), so a short
 *    argsz is the model's to refuse (EINVAL), as copy_from_user of the
 *    minimal size would not fault.
 * User memory behind pointers (IOMMU_IOAS_MAP's user_va, MAP_DMA's vaddr)
 * needs nothing here: the model process's pager (state.c) brings the
 * real pages in when the model pins them.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

#include "preload.h"
#include "model/iommufd/iommufd.h"
#include "model/vfio/uapi.h"
#include "model/vfio/vfio.h"

#define PAGE 4096u
#define offsetofend(type, f) (offsetof(type, f) + sizeof(((type *)0)->f))

/* The struct a short size= or argsz= still has read (copy_from_user()
 * of the minimal size: VFIO's minsz, iommufd's min_size), no uapi
 * struct's longer */
#define MIN_READ 256u

/*
 * Readable bytes at @arg the model may read: the struct's @size, at
 * least up to the end of its page, and MIN_READ when the next page is
 * mapped too: a struct that ends a page (a stack's, wherever the
 * randomized stack top puts it) with a short argsz is the kernel's
 * EINVAL, not an EFAULT of ours.
 */
static size_t readable(const void *arg, size_t size)
{
	size_t to_page_end = PAGE - ((uintptr_t)arg & (PAGE - 1));
	size_t n = size > to_page_end ? size : to_page_end;
	char probe;
	struct iovec local = { &probe, 1 };
	struct iovec next = { (char *)arg + to_page_end, 1 };

	if (n < MIN_READ &&
	    process_vm_readv(getpid(), &local, 1, &next, 1, 0) == 1)
		n = MIN_READ;
	return n;
}

static u32 first_u32(const void *arg)
{
	u32 v = 0;

	if (arg)
		memcpy(&v, arg, sizeof(v));
	return v;
}

/* VFIO's ioctls that take an integer, not a pointer */
static bool vfio_int_arg(unsigned int cmd)
{
	return cmd == VFIO_CHECK_EXTENSION || cmd == VFIO_SET_IOMMU ||
	       cmd == VFIO_GET_API_VERSION;
}

/* The s32 fd at @off of @arg swapped for the model's number; returns the
 * real one to restore. */
static int swap_fd_in(void *arg, size_t off)
{
	int32_t real, model;

	memcpy(&real, (char *)arg + off, sizeof(real));
	model = shim_model_fd(real);
	memcpy((char *)arg + off, &model, sizeof(model));
	return real;
}

static void swap_fd_out(void *arg, size_t off, int32_t real)
{
	memcpy((char *)arg + off, &real, sizeof(real));
}

/* VFIO_GROUP_GET_DEVICE_FD's new file: a real fd for it. */
static long device_fd(struct shim_file *group, struct vfio_file *out,
		      const char *name)
{
	struct shim_file *f = g_new0(struct shim_file, 1);
	int fd;

	f->vf = out;
	f->path = g_strdup_printf("%s:%s", group->path, name);
	fd = shim_fd_install(f, O_CLOEXEC);
	if (fd < 0) {
		vfio_close(out);
		g_free(f->path);
		g_free(f);
	}
	return fd;
}

/* fd-carrying VFIO ioctls: the offset of the fd in the argument, or -1 */
static long vfio_fd_offset(unsigned int cmd)
{
	if (cmd == VFIO_GROUP_SET_CONTAINER)
		return 0;
	if (cmd == VFIO_DEVICE_BIND_IOMMUFD)
		return offsetof(struct vfio_device_bind_iommufd, iommufd);
	return -1;
}

static long vfio_file_ioctl(struct shim_file *f, unsigned int cmd, void *arg)
{
	struct vfio_file *out = NULL;
	unsigned long v = (unsigned long)arg;
	long off = vfio_fd_offset(cmd);
	int32_t real = 0;
	size_t len = 0;
	long ret;

	if (vfio_int_arg(cmd)) {
		arg = &v;
		len = sizeof(v);
	} else if (cmd == VFIO_GROUP_GET_DEVICE_FD) {
		len = arg ? strnlen(arg, PAGE) + 1 : 0;
	} else if (arg) {
		len = readable(arg, first_u32(arg));
	}
	if (off >= 0 && arg && len >= off + sizeof(real))
		real = swap_fd_in(arg, off);
	ret = vfio_ioctl(f->vf, shim.task, cmd, arg, len, &out);
	if (off >= 0 && arg && len >= off + sizeof(real))
		swap_fd_out(arg, off, real);
	if (ret >= 0 && out)
		return device_fd(f, out, arg);
	return ret;
}

static long iommufd_file_ioctl(struct shim_file *f, unsigned int cmd, void *arg)
{
	unsigned long v = (unsigned long)arg;

	/* below IOMMUFD_CMD_BASE: the VFIO compat ioctls (vfio_compat.c) */
	if (IOMMUFD_IOC_NR(cmd) < IOMMUFD_CMD_BASE && vfio_int_arg(cmd))
		return iommufd_ioctl(f->ictx, shim.task, cmd, &v, sizeof(v));
	if (!arg)
		return -EFAULT;
	if (cmd == IOMMU_IOAS_MAP_FILE &&
	    first_u32(arg) >= offsetofend(struct iommu_ioas_map_file, fd))
		shim_file_sync(((struct iommu_ioas_map_file *)arg)->fd);
	return iommufd_ioctl(f->ictx, shim.task, cmd, arg,
			     readable(arg, first_u32(arg)));
}

ssize_t shim_ioctl_len(unsigned long request, const void *arg)
{
	unsigned int cmd = (unsigned int)request;

	/* the same numbers on a /dev/iommu fd (its VFIO compat ioctls) */
	if (vfio_int_arg(cmd))
		return -1;
	if (!arg)
		return 0;
	if (cmd == VFIO_GROUP_GET_DEVICE_FD)
		return strnlen(arg, PAGE) + 1;
	return readable(arg, first_u32(arg));
}

long shim_ioctl(struct shim_file *f, unsigned long request, void *arg)
{
	unsigned int cmd = (unsigned int)request;
	long ret;

	iommu_model_begin(shim.m);
	ret = f->ictx ? iommufd_file_ioctl(f, cmd, arg)
		      : vfio_file_ioctl(f, cmd, arg);
	if (shim.trace)
		shim_log("ioctl %s 0x%x -> %ld%s%s", f->path, cmd, ret,
			 shim.m->why->len ? ": " : "", shim.m->why->str);
	return ret;
}
