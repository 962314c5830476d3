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
 * Page requests come from the selftest's mock device
 * (IOMMU_TEST_OP_TRIGGER_IOPF, iommu_report_device_fault()) when it is
 * attached to a HWPT made with IOMMU_HWPT_FAULT_ID_VALID: the fault
 * object queues them (iommufd_fault_iopf_handler()), read() hands them
 * out as struct iommu_hwpt_pgfault with a cookie, write() takes the
 * struct iommu_hwpt_page_response back. No modelled hardware device
 * raises any (no PRI).
 */
#include <string.h>

#include "iommufd/iommufd_private.h"
#include "core/kerrno.h"

/* iopf_group_response() then iopf_free_group(): the response goes to
 * the driver (the mock's page_response() does nothing with it) */
static void iopf_group_respond_free(struct iopf_group *group)
{
	g_free(group);
}

/* iommufd_fault_destroy(): what is still queued or unanswered is
 * answered IOMMU_PAGE_RESP_INVALID */
void iommufd_fault_destroy(struct obj_header *obj)
{
	struct iommufd_fault *fault = (struct iommufd_fault *)obj;

	if (fault->deliver)
		g_queue_free_full(fault->deliver,
				  (GDestroyNotify)iopf_group_respond_free);
	if (fault->response)
		g_hash_table_destroy(fault->response);
}

void iommufd_auto_response_faults(struct iommufd_hw_pagetable *hwpt,
				  struct iommufd_device *idev, u32 pasid)
{
	struct iommufd_fault *fault = hwpt->fault;
	GHashTableIter it;
	gpointer val;

	if (!fault)
		return;
	for (GList *l = fault->deliver->head, *next; l; l = next) {
		struct iopf_group *group = l->data;

		next = l->next;
		if (group->idev->igroup != idev->igroup ||
		    group->hwpt != hwpt || group->handle_pasid != pasid)
			continue;
		g_queue_delete_link(fault->deliver, l);
		iopf_group_respond_free(group);
	}
	g_hash_table_iter_init(&it, fault->response);
	while (g_hash_table_iter_next(&it, NULL, &val)) {
		struct iopf_group *group = val;

		if (group->idev->igroup == idev->igroup &&
		    group->hwpt == hwpt && group->handle_pasid == pasid)
			g_hash_table_iter_remove(&it);
	}
}

/* iommufd_fault_iopf_handler(): queued for the reader */
static void iommufd_fault_iopf_handler(struct iommufd_fault *fault,
				       struct iopf_group *group)
{
	g_queue_push_tail(fault->deliver, group);
}

/*
 * io-pgfault.c find_fault_handler(): the HWPT attached at the request's
 * PASID (its attach handle, whichever device of the group attached it);
 * a PASID-valid request with no handle at its PASID falls back, for a
 * driver with a user-managed PASID table (the mock's user_pasid_table),
 * to a NESTED domain attached at IOMMU_NO_PASID
 * (iommu_attach_handle_get(..., IOMMU_DOMAIN_NESTED)); NULL for none or
 * one without an iopf_handler (a fault queue on its HWPT). *pasid: the
 * PASID of the handle found.
 */
static struct iommufd_hw_pagetable *
find_fault_handler(struct iommufd_device *idev, const struct iopf_group *evt,
		   u32 *pasid)
{
	bool pasid_valid = evt->flags & IOMMU_PGFAULT_FLAGS_PASID_VALID;
	struct iommufd_hw_pagetable *hwpt;

	*pasid = pasid_valid ? evt->pasid : IOMMU_NO_PASID;
	hwpt = iommufd_group_pasid_hwpt(idev->igroup, *pasid);
	if (!hwpt && pasid_valid) {
		*pasid = IOMMU_NO_PASID;
		hwpt = iommufd_group_pasid_hwpt(idev->igroup, IOMMU_NO_PASID);
		if (hwpt && (idev->dev->iommu->kind != IOMMU_DRV_MOCK ||
			     hwpt->domain->type != IOMMU_DOMAIN_NESTED))
			hwpt = NULL;
	}
	return hwpt && hwpt->fault ? hwpt : NULL;
}

/*
 * io-pgfault.c iommu_report_device_fault() for a last-page request: no
 * fault handler -EINVAL, the request answered as an error; an iopf_group
 * that cannot be allocated is answered as a failure (0).
 */
int iommu_report_device_fault(struct iommufd_device *idev,
			      const struct iopf_group *evt)
{
	u32 handle_pasid;
	struct iommufd_hw_pagetable *hwpt =
		find_fault_handler(idev, evt, &handle_pasid);
	struct iopf_group *group;

	if (!hwpt)
		return iommu_refuse(idev->ictx->m, -EINVAL,
				    "iommu_report_device_fault",
				    "%s: no fault handler for the request",
				    idev->dev->name);
	if (iommufd_should_fail(idev->ictx, "iopf_group_alloc"))
		return 0;
	group = g_memdup2(evt, sizeof(*evt));
	group->idev = idev;
	group->hwpt = hwpt;
	group->handle_pasid = handle_pasid;
	iommufd_fault_iopf_handler(hwpt->fault, group);
	return 0;
}

/* xa_alloc() in an XA_FLAGS_ALLOC1 xarray, xa_limit_32b: the lowest free
 * cookie from 1 */
static int response_alloc(struct iommufd_fault *fault, struct iopf_group *group)
{
	u32 cookie = 1;

	if (iommufd_should_fail(fault->ictx, "xa_alloc(response)"))
		return -ENOMEM;
	while (g_hash_table_contains(fault->response, GUINT_TO_POINTER(cookie)))
		cookie++;
	group->cookie = cookie;
	g_hash_table_insert(fault->response, GUINT_TO_POINTER(cookie), group);
	return 0;
}

/* iommufd_compose_fault_message() */
static void compose_fault_message(const struct iopf_group *group,
				  struct iommu_hwpt_pgfault *data)
{
	memset(data, 0, sizeof(*data));
	data->flags = group->flags;
	data->dev_id = group->idev->obj.id;
	data->pasid = group->pasid;
	data->grpid = group->grpid;
	data->perm = group->perm;
	data->addr = group->addr;
	data->cookie = group->cookie;
}

/* One group into the user's buffer at @ubuf: 0 or -errno, the group
 * back at the head of deliver on failure */
static int fault_read_one(struct iommufd_fault *fault, struct process *task,
			  struct iopf_group *group, u64 ubuf)
{
	struct iommu_hwpt_pgfault data;
	int rc = response_alloc(fault, group);

	if (rc) {
		g_queue_push_head(fault->deliver, group);
		return rc;
	}
	compose_fault_message(group, &data);
	if (process_copy_to_user(task, ubuf, &data, sizeof(data))) {
		g_hash_table_steal(fault->response,
				   GUINT_TO_POINTER(group->cookie));
		g_queue_push_head(fault->deliver, group);
		return -EFAULT;
	}
	return 0;
}

/* iommufd_fault_fops_read(): whole groups (one fault each here) while
 * they fit; 0 bytes for an empty queue */
static ssize_t iommufd_fault_fops_read(void *private_data, struct process *task,
				       u64 ubuf, u64 count)
{
	const u64 fault_size = sizeof(struct iommu_hwpt_pgfault);
	struct iommufd_fault *fault = private_data;
	struct iopf_group *group;
	u64 done = 0;
	int rc = 0;

	if (count % fault_size)
		return -ESPIPE;
	while ((group = g_queue_pop_head(fault->deliver))) {
		if (done >= count || fault_size > count - done) {
			g_queue_push_head(fault->deliver, group);
			/* read count doesn't fit the first fault group */
			if (done == 0)
				rc = -EINVAL;
			break;
		}
		rc = fault_read_one(fault, task, group, ubuf + done);
		if (rc)
			break;
		done += fault_size;
	}
	return done == 0 ? rc : (ssize_t)done;
}

/* iommufd_fault_fops_write(): each response answers the group of its
 * cookie, up to the first bad one */
static ssize_t iommufd_fault_fops_write(void *private_data,
					struct process *task, u64 ubuf,
					u64 count)
{
	const u64 response_size = sizeof(struct iommu_hwpt_page_response);
	struct iommufd_fault *fault = private_data;
	struct iommu_hwpt_page_response response;
	u64 done = 0;
	int rc = 0;

	if (count % response_size)
		return -ESPIPE;
	while (count > done) {
		if (process_copy_from_user(task, &response, ubuf + done,
					   response_size)) {
			rc = -EFAULT;
			break;
		}
		if ((response.code != IOMMUFD_PAGE_RESP_SUCCESS &&
		     response.code != IOMMUFD_PAGE_RESP_INVALID) ||
		    !g_hash_table_remove(fault->response,
					 GUINT_TO_POINTER(response.cookie))) {
			rc = -EINVAL;
			break;
		}
		done += response_size;
	}
	return done == 0 ? rc : (ssize_t)done;
}

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
	fault->filep->read = iommufd_fault_fops_read;
	fault->filep->write = iommufd_fault_fops_write;
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
	fault->deliver = g_queue_new();
	fault->response =
		g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL,
				      (GDestroyNotify)iopf_group_respond_free);
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
