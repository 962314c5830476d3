// SPDX-License-Identifier: MIT
/*
 * eventq.c - IOMMU_FAULT_QUEUE_ALLOC, after Linux 7.3's
 * drivers/iommu/iommufd/eventq.c: a fault object and the anon-inode file
 * ("[iommufd-pgfault]") userspace reads page requests from.
 *
 * Who holds whom: the file holds a users reference on the object and a
 * reference on the ctx (iommufd_eventq_init()), both dropped by the
 * file's release; so IOMMU_DESTROY of the fault is EBUSY while its fd is
 * open, and closing /dev/iommu does not tear the ctx down until the fault
 * fd is closed too. An HWPT allocated with IOMMU_HWPT_FAULT_ID_VALID
 * holds another users reference (hw_pagetable.c).
 *
 * No modelled device raises page requests (no PRI, no PASID), so the
 * queue stays empty: read() and write() on it are not modelled.
 */
#include "iommufd/iommufd_private.h"
#include "core/kerrno.h"

/* iommufd_eventq_fops_release() */
static void iommufd_eventq_fops_release(void *private_data)
{
	struct iommufd_fault *fault = private_data;
	struct iommufd_ctx *ictx = fault->ictx;

	obj_users_dec(&fault->obj);
	iommufd_ctx_put(ictx);
}

/*
 * iommufd_eventq_init(): the file takes a users reference and a ctx
 * reference; 0 or -ENOMEM (anon_inode_getfile()).
 */
static int iommufd_eventq_init(struct iommufd_ucmd *ucmd,
			       struct iommufd_fault *fault)
{
	if (iommufd_should_fail(ucmd->ictx, "anon_inode_getfile"))
		return -ENOMEM;
	fault->filep = anon_inode_getfile("[iommufd-pgfault]",
					  iommufd_eventq_fops_release, fault);
	fault->ictx = ucmd->ictx;
	iommufd_ctx_get(ucmd->ictx);
	obj_users_inc(&fault->obj);
	return 0;
}

/* iommufd_fault_alloc() */
int iommufd_fault_alloc(struct iommufd_ucmd *ucmd)
{
	struct iommu_fault_alloc *cmd = ucmd->cmd;
	struct iommufd_fault *fault;
	int fdno, rc;

	if (cmd->flags)
		return iommu_refuse(ucmd->ictx->m, -EOPNOTSUPP,
				    "iommufd_fault_alloc", "flags 0x%x",
				    cmd->flags);
	rc = _iommufd_object_alloc_ucmd(ucmd, sizeof(*fault), IOMMUFD_OBJ_FAULT,
					(void **)&fault);
	if (rc)
		return rc;
	rc = iommufd_eventq_init(ucmd, fault);
	if (rc)
		return rc;
	/* get_unused_fd_flags() + fd_install(): the model's respond cannot
	 * fail, so the fd is installed at once. When no fd can be had, 7.3
	 * returns that errno with filep still set: the dispatcher's
	 * iommufd_object_abort_and_destroy() __fput_sync()s it (the release
	 * gives back the users and ctx references iommufd_eventq_init()
	 * took), then frees the object and its id. */
	fdno = process_fd_install(ucmd->task, fault->filep);
	if (fdno < 0)
		return iommu_refuse(ucmd->ictx->m, fdno, "iommufd_fault_alloc",
				    "get_unused_fd_flags() failed");
	cmd->out_fault_id = fault->obj.id;
	cmd->out_fault_fd = (u32)fdno;
	fault->filep = NULL; /* the fd table's now */
	return iommufd_ucmd_respond(ucmd, sizeof(*cmd));
}

/* iommufd_get_fault(): ENOENT for a missing id or another type */
struct iommufd_fault *iommufd_get_fault(struct iommufd_ucmd *ucmd, u32 id)
{
	return (struct iommufd_fault *)iommufd_get_object(ucmd->ictx, id,
							  IOMMUFD_OBJ_FAULT);
}

struct iommufd_ctx *iommufd_file_ctx(struct process *p, int fd)
{
	struct file *f = fget(p, fd);
	struct iommufd_ctx *ictx = NULL;

	if (f && f->release == iommufd_eventq_fops_release)
		ictx = ((struct iommufd_fault *)f->private_data)->ictx;
	fput(f);
	return ictx;
}
