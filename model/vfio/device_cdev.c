// SPDX-License-Identifier: MIT
/*
 * device_cdev.c - the cdev path of Linux 7.3's drivers/vfio/device_cdev.c:
 * open of /dev/vfio/devices/[noiommu-]vfioN, VFIO_DEVICE_BIND_IOMMUFD
 * (which shuts the group node: vfio_device_block_group()),
 * VFIO_DEVICE_ATTACH_IOMMUFD_PT / DETACH_IOMMUFD_PT, and the unbind at
 * close. Built with CONFIG_VFIO_DEVICE_CDEV.
 */
#include <string.h>

#include "vfio/vfio_private.h"

/* vfio_device_fops_cdev_open(): CAP_SYS_RAWIO is checked here, at open */
int vfio_device_fops_cdev_open(struct vfio_device *vdev, struct process *task,
			       struct vfio_file *f)
{
	if (vfio_device_is_noiommu(vdev) && !capable(task, CAP_SYS_RAWIO))
		return iommu_refuse(f->m, -EPERM, "vfio_device_fops_cdev_open",
				    "%s is noiommu: CAP_SYS_RAWIO needed",
				    vdev->name);
	if (fault_should_fail(&f->m->fault, "vfio_allocate_device_file"))
		return -ENOMEM;
	f->device = vdev;
	vdev->files++; /* vfio_device_try_get_registration() */
	return 0;
}

/* the checks of vfio_df_ioctl_bind_iommufd() before any state moves */
/* *fget: fget()'s -EBADF or 0, *ictx the ctx of an iommufd file (NULL:
 * iommufd_ctx_from_fd()'s -EBADFD), as the bind finds them later */
static int bind_check(struct vfio_file *df, struct process *task,
		      struct vfio_device_bind_iommufd *b, size_t len, int *fget,
		      struct iommufd_ctx **ictx)
{
	size_t minsz =
		offsetof(struct vfio_device_bind_iommufd, token_uuid_ptr);
	struct vfio_file *ifile;

	if (len < sizeof(b->argsz))
		return -EFAULT;
	if (b->argsz < minsz)
		return -EINVAL;
	if (len < minsz)
		return -EFAULT;
	if (b->iommufd < 0 || (b->flags & ~VFIO_DEVICE_BIND_FLAG_TOKEN))
		return -EINVAL;
	if (df->group)
		return iommu_refuse(df->m, -EINVAL,
				    "vfio_df_ioctl_bind_iommufd",
				    "only a cdev fd binds");
	*fget = vfio_fget(vfio_of(df->m), task, b->iommufd, &ifile, ictx);
	return 0;
}

/* copy_from_user() of @len bytes at @va succeeds: both ends are mapped
 * in the caller (the content does not matter to any modelled device) */
static bool user_readable(struct process *task, u64 va, u64 len)
{
	bool w;

	return task && va && process_va_to_pa(task, va, &w) &&
	       process_va_to_pa(task, va + len - 1, &w);
}

/* vfio_df_check_token(), checked once the group is blocked and the file
 * is known unbound: the UUID is copied in (-EFAULT) before vfio-pci's
 * match_token_uuid() sees it, which refuses a token on a device that is
 * neither an SR-IOV PF nor a VF, as every modelled device is. */
static int vfio_df_check_token(struct vfio_file *df, struct process *task,
			       const struct vfio_device_bind_iommufd *b)
{
	size_t at = offsetof(struct vfio_device_bind_iommufd, token_uuid_ptr);
	u64 ptr = 0;

	if (!(b->flags & VFIO_DEVICE_BIND_FLAG_TOKEN))
		return 0;
	/* copy_struct_from_user() took argsz bytes and zeroed the rest: a
	 * short argsz leaves the pointer (or its high bytes) 0 */
	memcpy(&ptr, &b->token_uuid_ptr,
	       MIN(sizeof(ptr), b->argsz > at ? b->argsz - at : 0));
	if (!user_readable(task, ptr, 16))
		return iommu_refuse(df->m, -EFAULT, "vfio_df_check_token",
				    "token_uuid_ptr 0x%llx: no UUID to copy "
				    "in",
				    (unsigned long long)ptr);
	return iommu_refuse(df->m, -EINVAL, "vfio_pci_core_match_token_uuid",
			    "a VF token is given, but %s is neither an "
			    "SR-IOV PF nor a VF",
			    df->device->name);
}

/* vfio_df_ioctl_bind_iommufd() */
int vfio_df_ioctl_bind_iommufd(struct vfio_file *df, struct process *task,
			       void *arg, size_t len)
{
	struct vfio_device_bind_iommufd *b = arg;
	struct vfio_device *vdev = df->device;
	struct iommufd_ctx *ictx = NULL;
	int ret, fget = 0;

	ret = bind_check(df, task, b, len, &fget, &ictx);
	if (ret)
		return ret;
	ret = vfio_device_block_group(vdev);
	if (ret)
		return ret;
	ret = -EINVAL; /* one device cannot be bound twice */
	if (df->access_granted)
		goto out_unblock;
	ret = vfio_df_check_token(df, task, b);
	if (ret)
		goto out_unblock;
	/* iommufd_ctx_from_fd(): -EBADF, or -EBADFD for another file */
	ret = fget ? fget : !ictx ? -EBADFD : 0;
	if (ret)
		goto out_unblock;
	df->ictx = ictx;
	iommufd_ctx_get(df->ictx);
	ret = vfio_df_open(df);
	if (ret)
		goto out_put;
	b->out_devid = df->devid;
	vdev->cdev_opened = true;
	df->access_granted = true;
	return 0;

out_put:
	iommufd_ctx_put(df->ictx);
	df->ictx = NULL;
out_unblock:
	vfio_device_unblock_group(vdev);
	return ret;
}

/* vfio_df_unbind_iommufd(): at close, only if the bind succeeded */
void vfio_df_unbind_iommufd(struct vfio_file *df)
{
	struct vfio_device *vdev = df->device;

	if (!df->access_granted)
		return;
	vfio_df_close(df);
	iommufd_ctx_put(df->ictx);
	df->ictx = NULL;
	vdev->cdev_opened = false;
	vfio_device_unblock_group(vdev);
}

/* VFIO_DEVICE_{ATTACH,DETACH}_PASID: the pasid field must fit argsz
 * (xend, offsetofend(..., pasid)) and be readable. Every modelled VFIO
 * device is vfio-pci's, whose ops have pasid_attach_ioas and
 * pasid_detach_ioas, so -EOPNOTSUPP does not arise. */
static int pasid_tail(u32 argsz, size_t xend, size_t len)
{
	if (argsz < xend)
		return -EINVAL;
	return len < xend ? -EFAULT : 0;
}

/* vfio_df_ioctl_attach_pt(): vfio_iommufd_physical_attach_ioas(), or
 * with VFIO_DEVICE_ATTACH_PASID ..._pasid_attach_ioas() */
int vfio_df_ioctl_attach_pt(struct vfio_file *df, void *arg, size_t len)
{
	struct vfio_device_attach_iommufd_pt *a = arg;
	size_t minsz = offsetof(struct vfio_device_attach_iommufd_pt, pasid);
	struct vfio_device *vdev = df->device;
	int ret;

	if (len < minsz)
		return -EFAULT;
	if (a->argsz < minsz || (a->flags & ~VFIO_DEVICE_ATTACH_PASID))
		return -EINVAL;
	if (a->flags & VFIO_DEVICE_ATTACH_PASID) {
		ret = pasid_tail(a->argsz, sizeof(*a), len);
		return ret ? ret
			   : vfio_iommufd_physical_pasid_attach_ioas(
				     vdev, a->pasid, &a->pt_id);
	}
	/* vfio_iommufd_physical_attach_ioas(): WARN_ON(!iommufd_device) */
	if (IOMMU_WARN_ON(df->m, !vdev->idev))
		return -EINVAL;
	ret = vdev->iommufd_attached
		      ? iommufd_device_replace(vdev->idev, IOMMU_NO_PASID,
					       &a->pt_id)
		      : iommufd_device_attach(vdev->idev, IOMMU_NO_PASID,
					      &a->pt_id);
	if (ret)
		return ret;
	vdev->iommufd_attached = true;
	return 0;
}

/* vfio_df_ioctl_detach_pt(): vfio_iommufd_physical_detach_ioas() is a
 * no-op when nothing is attached (detach twice: 0 both times), and WARNs
 * first on a device without an iommufd_device (no 7.3 bind leaves one:
 * an out-of-tree .vfio hook may) */
int vfio_df_ioctl_detach_pt(struct vfio_file *df, void *arg, size_t len)
{
	struct vfio_device_detach_iommufd_pt *d = arg;
	size_t minsz = offsetof(struct vfio_device_detach_iommufd_pt, pasid);
	struct vfio_device *vdev = df->device;

	if (len < minsz)
		return -EFAULT;
	if (d->argsz < minsz || (d->flags & ~VFIO_DEVICE_DETACH_PASID))
		return -EINVAL;
	if (d->flags & VFIO_DEVICE_DETACH_PASID) {
		int ret = pasid_tail(d->argsz, sizeof(*d), len);

		if (!ret)
			vfio_iommufd_physical_pasid_detach_ioas(vdev, d->pasid);
		return ret;
	}
	if (!IOMMU_WARN_ON(df->m, !vdev->idev) && vdev->iommufd_attached) {
		iommufd_device_detach(vdev->idev, IOMMU_NO_PASID);
		vdev->iommufd_attached = false;
	}
	return 0;
}
