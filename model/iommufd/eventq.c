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

GHashTable *iommufd_fault_response_new(void)
{
	return g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL,
				     (GDestroyNotify)iopf_group_respond_free);
}

/* iommufd_fault_destroy(): what is still queued or unanswered is
 * answered IOMMU_PAGE_RESP_INVALID */
void iommufd_fault_destroy(struct obj_header *obj)
{
	struct iommufd_fault *fault = (struct iommufd_fault *)obj;

	if (fault->common.deliver)
		g_queue_free_full(fault->common.deliver,
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
	for (GList *l = fault->common.deliver->head, *next; l; l = next) {
		struct iopf_group *group = l->data;

		next = l->next;
		if (group->idev->igroup != idev->igroup ||
		    group->hwpt != hwpt || group->handle_pasid != pasid)
			continue;
		g_queue_delete_link(fault->common.deliver, l);
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
	g_queue_push_tail(fault->common.deliver, group);
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

	if (iommufd_should_fail(fault->common.ictx, "xa_alloc(response)"))
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
		g_queue_push_head(fault->common.deliver, group);
		return rc;
	}
	compose_fault_message(group, &data);
	if (process_copy_to_user(task, ubuf, &data, sizeof(data))) {
		g_hash_table_steal(fault->response,
				   GUINT_TO_POINTER(group->cookie));
		g_queue_push_head(fault->common.deliver, group);
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
	while ((group = g_queue_pop_head(fault->common.deliver))) {
		if (done >= count || fault_size > count - done) {
			g_queue_push_head(fault->common.deliver, group);
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
	struct iommufd_eventq *eventq = private_data;
	struct iommufd_ctx *ictx = eventq->ictx;

	obj_users_dec(&eventq->obj);
	iommufd_ctx_put(ictx);
}

/* fops->read and ->write of an event queue's file (NULL: none) */
struct eventq_fops {
	ssize_t (*read)(void *private, struct process *task, u64 ubuf,
			u64 count);
	ssize_t (*write)(void *private, struct process *task, u64 ubuf,
			 u64 count);
};

/*
 * iommufd_eventq_init() and get_unused_fd_flags() + fd_install(): the
 * file takes a users reference and a ctx reference; the fd, or -errno.
 * The model's respond cannot fail, so the fd is installed at once. When
 * no fd can be had, 7.3 returns that errno with filep still set: the
 * caller's iommufd_object_abort_and_destroy() __fput_sync()s it (the
 * release gives back both references), then frees the object and its id.
 */
static int iommufd_eventq_init(struct iommufd_ucmd *ucmd,
			       struct iommufd_eventq *eventq, const char *name,
			       const struct eventq_fops *fops)
{
	int fdno;

	eventq->deliver = g_queue_new();
	if (iommufd_should_fail(ucmd->ictx, "anon_inode_getfile"))
		return -ENOMEM;
	eventq->filep =
		anon_inode_getfile(name, iommufd_eventq_fops_release, eventq);
	eventq->filep->read = fops->read;
	eventq->filep->write = fops->write;
	eventq->ictx = ucmd->ictx;
	iommufd_ctx_get(ucmd->ictx);
	obj_users_inc(&eventq->obj);
	fdno = process_fd_install(ucmd->task, eventq->filep);
	if (fdno < 0)
		return iommu_refuse(ucmd->ictx->m, fdno, "iommufd_eventq_init",
				    "get_unused_fd_flags() failed");
	return fdno;
}

/* iommufd_fault_alloc() */
int iommufd_fault_alloc(struct iommufd_ucmd *ucmd)
{
	struct iommu_fault_alloc *cmd = ucmd->cmd;
	static const struct eventq_fops fops = {
		.read = iommufd_fault_fops_read,
		.write = iommufd_fault_fops_write,
	};
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
	fault->response = iommufd_fault_response_new();
	fdno = iommufd_eventq_init(ucmd, &fault->common, "[iommufd-pgfault]",
				   &fops);
	if (fdno < 0)
		return fdno;
	cmd->out_fault_id = fault->common.obj.id;
	cmd->out_fault_fd = (u32)fdno;
	fault->common.filep = NULL; /* the fd table's now */
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
		ictx = ((struct iommufd_eventq *)f->private_data)->ictx;
	fput(f);
	return ictx;
}

/* ---- IOMMUFD_OBJ_VEVENTQ ---- */

/* vevent_for_lost_events_header() */
static bool vevent_is_lost_events(const struct iommufd_vevent *vevent)
{
	return vevent->header.flags & IOMMU_VEVENTQ_FLAG_LOST_EVENTS;
}

/* iommufd_veventq_abort() (and its destroy): what is queued is freed,
 * the vIOMMU's users reference given back, the queue off its list */
void iommufd_veventq_destroy(struct obj_header *obj)
{
	struct iommufd_veventq *veventq = (struct iommufd_veventq *)obj;
	struct iommufd_viommu *viommu = veventq->viommu;
	struct iommufd_vevent *cur;

	while (veventq->common.deliver &&
	       (cur = g_queue_pop_head(veventq->common.deliver)))
		if (cur != veventq->lost_events_header)
			g_free(cur);
	if (veventq->common.deliver)
		g_queue_free(veventq->common.deliver);
	g_free(veventq->lost_events_header);
	obj_users_dec(&viommu->obj);
	viommu->veventqs = g_list_remove(viommu->veventqs, veventq);
}

/*
 * iommufd_vevent_handler(): a lost_events_header at the tail is taken
 * off as the new one goes on (it may be the header itself, which then
 * only gets a new sequence).
 */
static void iommufd_vevent_handler(struct iommufd_veventq *veventq,
				   struct iommufd_vevent *vevent)
{
	GQueue *deliver = veventq->common.deliver;

	if (g_queue_peek_tail(deliver) == veventq->lost_events_header)
		g_queue_pop_tail(deliver);
	g_queue_push_tail(deliver, vevent);
	vevent->header.sequence = veventq->sequence;
	veventq->sequence = (veventq->sequence + 1) & INT32_MAX;
}

/* iommufd_viommu_find_veventq() */
static struct iommufd_veventq *
iommufd_viommu_find_veventq(struct iommufd_viommu *viommu, u32 type)
{
	for (GList *l = viommu->veventqs; l; l = l->next)
		if (((struct iommufd_veventq *)l->data)->type == type)
			return l->data;
	return NULL;
}

/*
 * driver.c iommufd_viommu_report_event(): a full queue (num_events ==
 * depth) or an event that cannot be allocated (-ENOMEM) queues the
 * lost_events_header instead.
 */
int iommufd_viommu_report_event(struct iommufd_viommu *viommu, u32 type,
				const void *event_data, u64 data_len)
{
	struct iommufd_veventq *veventq =
		iommufd_viommu_find_veventq(viommu, type);
	struct iommufd_vevent *vevent;
	int rc = 0;

	if (!veventq)
		return iommu_refuse(viommu->ictx->m, -EOPNOTSUPP,
				    "iommufd_viommu_report_event",
				    "vIOMMU %u has no vEVENTQ of type 0x%x",
				    viommu->obj.id, type);
	if (iommufd_should_fail(viommu->ictx, "kzalloc_flex(vevent)")) {
		vevent = veventq->lost_events_header;
		rc = -ENOMEM;
		/* the loss is recorded: a failure that changes the queue,
		 * as 7.3's does (fail-nth: step_result.kernel_not_atomic) */
		viommu->ictx->m->left_inconsistent = true;
	} else if (veventq->num_events == veventq->depth) {
		vevent = veventq->lost_events_header;
	} else {
		vevent = g_malloc0(sizeof(*vevent) + data_len);
		vevent->data_len = data_len;
		memcpy(vevent->event_data, event_data, data_len);
		veventq->num_events++;
	}
	iommufd_vevent_handler(veventq, vevent);
	return rc;
}

/* iommufd_veventq_deliver_fetch(): the head, a copy of it for the
 * lost_events_header (-ENOMEM when that cannot be allocated) */
static struct iommufd_vevent *deliver_fetch(struct iommufd_veventq *veventq,
					    int *err)
{
	struct iommufd_vevent *next =
		g_queue_peek_head(veventq->common.deliver);

	if (next == veventq->lost_events_header) {
		if (iommufd_should_fail(veventq->common.ictx,
					"kzalloc_obj(lost_events_header)")) {
			*err = -ENOMEM;
			return NULL;
		}
		g_queue_pop_head(veventq->common.deliver);
		return g_memdup2(next, sizeof(*next));
	}
	return g_queue_pop_head(veventq->common.deliver);
}

/* iommufd_veventq_deliver_restore(): back at the head; a copy of the
 * lost_events_header is dropped, the header itself put back only on an
 * otherwise empty queue */
static void deliver_restore(struct iommufd_veventq *veventq,
			    struct iommufd_vevent *vevent)
{
	GQueue *deliver = veventq->common.deliver;

	if (vevent_is_lost_events(vevent)) {
		g_free(vevent);
		vevent = g_queue_is_empty(deliver) ? veventq->lost_events_header
						   : NULL;
	}
	if (vevent)
		g_queue_push_head(deliver, vevent);
}

/* One vEVENT into the user's buffer at @ubuf, @left bytes of it: its
 * size; else it is put back and this is 0 (its header does not fit),
 * -EINVAL (a normal vEVENT's data does not) or -EFAULT */
static ssize_t veventq_read_one(struct iommufd_veventq *veventq,
				struct process *task,
				struct iommufd_vevent *cur, u64 ubuf, u64 left)
{
	const u64 hdr_size = sizeof(cur->header);
	const u64 size = hdr_size + cur->data_len;
	bool lost = vevent_is_lost_events(cur);

	if (hdr_size > left) {
		deliver_restore(veventq, cur);
		return 0;
	}
	if (!lost && size > left) {
		deliver_restore(veventq, cur);
		return -EINVAL;
	}
	if (process_copy_to_user(task, ubuf, &cur->header, hdr_size) ||
	    (cur->data_len &&
	     process_copy_to_user(task, ubuf + hdr_size, cur->event_data,
				  cur->data_len))) {
		deliver_restore(veventq, cur);
		return -EFAULT;
	}
	if (!lost)
		veventq->num_events--;
	g_free(cur);
	return (ssize_t)size;
}

/*
 * iommufd_veventq_fops_read(): whole vEVENTs while they fit; a count
 * that fits no header, or not the first normal vEVENT, -EINVAL. An
 * error past the first vEVENT still returns what was read.
 */
static ssize_t iommufd_veventq_fops_read(void *private_data,
					 struct process *task, u64 ubuf,
					 u64 count)
{
	struct iommufd_veventq *veventq = private_data;
	struct iommufd_vevent *cur;
	u64 done = 0;
	int rc = 0;

	/* Minimum read count is a vEVENT header */
	if (count < sizeof(struct iommufd_vevent_header))
		return -EINVAL;
	while ((cur = deliver_fetch(veventq, &rc))) {
		ssize_t n = veventq_read_one(veventq, task, cur, ubuf + done,
					     done >= count ? 0 : count - done);

		if (n <= 0) {
			rc = (int)n;
			break;
		}
		done += (u64)n;
	}
	return done == 0 ? rc : (ssize_t)done;
}

/* iommufd_veventq_alloc()'s object: filled, on its vIOMMU's list, its
 * file and fd made; the caller aborts it on failure */
static int veventq_fill(struct iommufd_ucmd *ucmd,
			struct iommufd_veventq *veventq,
			struct iommufd_viommu *viommu)
{
	/* INIT_EVENTQ_FOPS(iommufd_veventq_fops_read, NULL) */
	static const struct eventq_fops fops = {
		.read = iommufd_veventq_fops_read,
	};
	struct iommu_veventq_alloc *cmd = ucmd->cmd;
	int fdno;

	veventq->type = cmd->type;
	veventq->viommu = viommu;
	obj_users_inc(&viommu->obj);
	veventq->depth = cmd->veventq_depth;
	viommu->veventqs = g_list_append(viommu->veventqs, veventq);
	veventq->lost_events_header = g_new0(struct iommufd_vevent, 1);
	veventq->lost_events_header->header.flags =
		IOMMU_VEVENTQ_FLAG_LOST_EVENTS;
	fdno = iommufd_eventq_init(ucmd, &veventq->common,
				   "[iommufd-viommu-event]", &fops);
	if (fdno < 0)
		return fdno;
	cmd->out_veventq_id = veventq->common.obj.id;
	cmd->out_veventq_fd = (u32)fdno;
	veventq->common.filep = NULL; /* the fd table's now */
	return iommufd_ucmd_respond(ucmd, sizeof(*cmd));
}

/* eventq.c: VEVENTQ_MAX_DEPTH */
#define VEVENTQ_MAX_DEPTH (1u << 19)

/* iommufd_veventq_alloc(): one vEVENTQ per type per vIOMMU */
int iommufd_veventq_alloc(struct iommufd_ucmd *ucmd)
{
	struct iommu_veventq_alloc *cmd = ucmd->cmd;
	const char *f = "iommufd_veventq_alloc";
	struct iommufd_veventq *veventq;
	struct iommufd_viommu *viommu;
	int rc;

	/* flags and __reserved: the ioctl table's row (main.c) */
	if (cmd->type == IOMMU_VEVENTQ_TYPE_DEFAULT)
		return iommu_refuse(ucmd->ictx->m, -EOPNOTSUPP, f,
				    "type IOMMU_VEVENTQ_TYPE_DEFAULT");
	if (!cmd->veventq_depth || cmd->veventq_depth > VEVENTQ_MAX_DEPTH)
		return iommu_refuse(ucmd->ictx->m, -EINVAL, f,
				    "veventq_depth %u (1 to VEVENTQ_MAX_DEPTH)",
				    cmd->veventq_depth);
	viommu = iommufd_get_viommu(ucmd->ictx, cmd->viommu_id);
	if (!viommu)
		return -ENOENT;
	if (iommufd_viommu_find_veventq(viommu, cmd->type)) {
		rc = iommu_refuse(ucmd->ictx->m, -EEXIST, f,
				  "vIOMMU %u has a vEVENTQ of type 0x%x",
				  viommu->obj.id, cmd->type);
		goto out_put;
	}
	rc = _iommufd_object_alloc(ucmd->ictx, sizeof(*veventq),
				   IOMMUFD_OBJ_VEVENTQ, (void **)&veventq);
	if (rc)
		goto out_put;
	rc = veventq_fill(ucmd, veventq, viommu);
	if (rc)
		iommufd_object_abort_and_destroy(ucmd->ictx,
						 &veventq->common.obj);
	else
		iommufd_object_finalize(ucmd->ictx, &veventq->common.obj);
out_put:
	iommufd_put_object(ucmd->ictx, &viommu->obj);
	return rc;
}
