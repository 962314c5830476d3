// SPDX-License-Identifier: MIT
/*
 * main.c - iommufd's objects and its ioctl dispatcher, after Linux 7.3's
 * drivers/iommu/iommufd/main.c: _iommufd_object_alloc(), finalize,
 * abort, iommufd_get_object(), iommufd_object_remove(), IOMMU_DESTROY,
 * iommufd_fops_open()/iommufd_fops_release(), IOMMU_OPTION and the table
 * of ioctls iommufd_fops_ioctl() dispatches through.
 *
 * The ids are model/object.h's table (lowest free from 1, as the
 * XA_FLAGS_ALLOC1 xarray). An object's memory is freed here, after its
 * type's destroy op (iommufd_object_ops[]).
 */
#include <string.h>

#include "iommufd/iommufd_private.h"
#include "iommufd/iommufd_test.h"
#include "core/kerrno.h"
#include "vfio/vfio.h"
#include "memory.h"

/*
 * What each object type does when it goes.
 */
static const struct iommufd_object_ops iommufd_object_ops[IOMMUFD_OBJ_MAX] = {
	[IOMMUFD_OBJ_IOAS] = {
		.destroy = iommufd_ioas_destroy,
	},
	[IOMMUFD_OBJ_DEVICE] = {
		.pre_destroy = iommufd_device_pre_destroy,
		.destroy = iommufd_device_destroy,
	},
	[IOMMUFD_OBJ_HWPT_PAGING] = {
		.destroy = iommufd_hwpt_paging_destroy,
		.abort = iommufd_hwpt_paging_abort,
	},
	[IOMMUFD_OBJ_HWPT_NESTED] = {
		.destroy = iommufd_hwpt_nested_destroy,
		.abort = iommufd_hwpt_nested_destroy,
	},
	[IOMMUFD_OBJ_VIOMMU] = {
		.destroy = iommufd_viommu_destroy,
	},
	[IOMMUFD_OBJ_VDEVICE] = {
		.destroy = iommufd_vdevice_destroy,
		.abort = iommufd_vdevice_abort,
	},
	[IOMMUFD_OBJ_HW_QUEUE] = {
		.destroy = iommufd_hw_queue_destroy,
	},
	[IOMMUFD_OBJ_ACCESS] = {
		.destroy = iommufd_access_destroy_object,
	},
	[IOMMUFD_OBJ_FAULT] = {
		.destroy = iommufd_fault_destroy,
		.file_offset = offsetof(struct iommufd_fault, common.filep),
	},
	[IOMMUFD_OBJ_VEVENTQ] = {
		.destroy = iommufd_veventq_destroy,
		.file_offset = offsetof(struct iommufd_veventq, common.filep),
	},
	/* CONFIG_IOMMUFD_TEST (selftest.c) */
	[IOMMUFD_OBJ_SELFTEST] = {
		.destroy = iommufd_selftest_destroy,
	},
};

bool iommufd_should_fail(struct iommufd_ctx *ictx, const char *site)
{
	return fault_should_fail(ictx->fault, site);
}

static void iommufd_object_free(struct obj_header *obj)
{
	g_free(obj);
}

int _iommufd_object_alloc(struct iommufd_ctx *ictx, size_t size,
			  enum iommufd_object_type type, void **out)
{
	struct obj_header *obj;
	int rc;

	/* kzalloc(size, GFP_KERNEL_ACCOUNT) */
	if (iommufd_should_fail(ictx, "_iommufd_object_alloc"))
		return -ENOMEM;
	obj = g_malloc0(size);
	/* xa_alloc(XA_ZERO_ENTRY, xa_limit_31b): the id is reserved, not
	 * published; users starts at 1 */
	rc = obj_reserve(&ictx->objects, obj, type);
	if (rc) {
		g_free(obj);
		return rc;
	}
	*out = obj;
	return 0;
}

int _iommufd_object_alloc_ucmd(struct iommufd_ucmd *ucmd, size_t size,
			       enum iommufd_object_type type, void **out)
{
	int rc;

	/* Something is coded wrong if this is hit, as 7.3 says */
	if (IOMMU_WARN_ON(ucmd->ictx->m, ucmd->new_obj))
		return -EBUSY;
	if (IOMMU_WARN_ON(ucmd->ictx->m, iommufd_object_ops[type].abort))
		return -EOPNOTSUPP;
	rc = _iommufd_object_alloc(ucmd->ictx, size, type, out);
	if (rc)
		return rc;
	ucmd->new_obj = *out;
	return 0;
}

void iommufd_object_finalize(struct iommufd_ctx *ictx, struct obj_header *obj)
{
	obj_publish(&ictx->objects, obj);
}

void iommufd_object_abort(struct iommufd_ctx *ictx, struct obj_header *obj)
{
	obj_abort(&ictx->objects, obj);
	iommufd_object_free(obj);
}

void iommufd_object_abort_and_destroy(struct iommufd_ctx *ictx,
				      struct obj_header *obj)
{
	const struct iommufd_object_ops *ops = &iommufd_object_ops[obj->type];

	if (ops->file_offset) {
		struct file **filep = (void *)((char *)obj + ops->file_offset);

		/* __fput_sync(): the file's release runs now, before the
		 * object goes */
		fput(*filep);
		*filep = NULL;
	}
	if (ops->abort)
		ops->abort(obj);
	else if (ops->destroy)
		ops->destroy(obj);
	iommufd_object_abort(ictx, obj);
}

struct obj_header *iommufd_get_object(struct iommufd_ctx *ictx, u32 id,
				      enum iommufd_object_type type)
{
	struct obj_header *obj;

	if (iommufd_should_fail(ictx, "iommufd_get_object"))
		goto out_noent;
	obj = obj_get(&ictx->objects, id, type);
	if (obj)
		return obj;
out_noent:
	iommu_refuse(ictx->m, -ENOENT, "iommufd_get_object",
		     "no object %u of the type asked for", id);
	return NULL;
}

void iommufd_put_object(struct iommufd_ctx *ictx, struct obj_header *obj)
{
	obj_put(obj);
}

int iommufd_try_inc_users(struct iommufd_ctx *ictx, struct obj_header *obj)
{
	if (obj_peek(&ictx->objects, obj->id) != obj)
		return -EBUSY;
	obj_users_inc(obj);
	return 0;
}

/* The removed object's destroy op, then its memory. */
static void iommufd_object_destroy(struct iommufd_ctx *ictx,
				   struct obj_header *obj)
{
	const struct iommufd_object_ops *ops = &iommufd_object_ops[obj->type];

	if (ictx->vfio_ioas && &ictx->vfio_ioas->obj == obj)
		ictx->vfio_ioas = NULL;
	if (ops->destroy)
		ops->destroy(obj);
	iommufd_object_free(obj);
}

int iommufd_object_remove(struct iommufd_ctx *ictx,
			  struct obj_header *to_destroy, u32 id,
			  unsigned int flags)
{
	struct obj_header *obj = obj_peek(&ictx->objects, id);
	struct obj_header *removed;
	int rc;

	/* iommufd_object_dec_wait(): what holds a wait_cnt reference on
	 * the object (a device's vDEVICE) is revoked before the users test */
	if ((flags & REMOVE_WAIT) && to_destroy &&
	    iommufd_object_ops[to_destroy->type].pre_destroy)
		iommufd_object_ops[to_destroy->type].pre_destroy(to_destroy);
	if (to_destroy) {
		/* the caller's reference is put first, whatever follows */
		obj_users_dec(to_destroy);
		if (IOMMU_WARN_ON(ictx->m, obj != to_destroy))
			return -ENOENT;
	}
	rc = obj_remove(&ictx->objects, id, &removed);
	if (rc == -ENOENT)
		return iommu_refuse(ictx->m, rc, "iommufd_object_remove",
				    "no object %u", id);
	if (rc == -EBUSY)
		return iommu_refuse(ictx->m, rc, "iommufd_object_remove",
				    "object %u has %u users besides the table",
				    id, obj->users - 1);
	/* without REMOVE_WAIT, dec_wait runs once the id is gone */
	if (!(flags & REMOVE_WAIT) &&
	    iommufd_object_ops[removed->type].pre_destroy)
		iommufd_object_ops[removed->type].pre_destroy(removed);
	iommufd_object_destroy(ictx, removed);
	return 0;
}

static int iommufd_destroy(struct iommufd_ucmd *ucmd)
{
	struct iommu_destroy *cmd = ucmd->cmd;

	return iommufd_object_remove(ucmd->ictx, NULL, cmd->id, 0);
}

int iommufd_fops_open(struct iommu_model *m, struct iommufd_ctx **out)
{
	struct iommufd_ctx *ictx;

	if (fault_should_fail(&m->fault, "iommufd_fops_open"))
		return -ENOMEM;
	ictx = g_new0(struct iommufd_ctx, 1);
	ictx->m = m;
	ictx->fault = &m->fault;
	obj_table_init(&ictx->objects, OBJ_ID_MAX_31B, ictx->fault);
	ictx->groups = g_hash_table_new(g_direct_hash, g_direct_equal);
	ictx->file_refs = 1;
	ictx->account_mode = IOPT_PAGES_ACCOUNT_USER;
	g_ptr_array_add(m->ictxs, ictx);
	*out = ictx;
	return 0;
}

/* iommufd_init() registers the misc device "iommu" (/dev/iommu) only in
 * a kernel built with CONFIG_IOMMUFD */
int iommufd_dev_open(struct iommu_model *m, struct iommufd_ctx **out)
{
	if (!vfio_kconfig(m)->y[KS_IOMMUFD])
		return iommu_refuse(m, -ENOENT, "iommufd_init",
				    "no /dev/iommu without CONFIG_IOMMUFD");
	return iommufd_fops_open(m, out);
}

static unsigned int release_leftover_pasids(struct iommufd_ctx *ictx)
{
	unsigned int n = 0;

	for (u32 id = obj_next_id(&ictx->objects, 0); id;
	     id = obj_next_id(&ictx->objects, id)) {
		struct obj_header *obj = obj_peek(&ictx->objects, id);

		if (obj && obj->type == IOMMUFD_OBJ_DEVICE)
			n += iommufd_device_detach_leftover_pasids(
				(struct iommufd_device *)obj);
	}
	return n;
}

/*
 * iommufd_fops_release(): objects form a graph of users counts; destroy
 * every object only the table holds, in id order, and repeat until none
 * is left (leaves first, as 7.3 does). No progress is a refcount bug.
 */
static void iommufd_fops_release(struct iommufd_ctx *ictx)
{
	while (ictx->objects.live) {
		unsigned int destroyed = 0;
		struct obj_header *obj;

		for (u32 id = obj_next_id(&ictx->objects, 0); id;
		     id = obj_next_id(&ictx->objects, id)) {
			if (obj_remove(&ictx->objects, id, &obj))
				continue;
			iommufd_object_destroy(ictx, obj);
			destroyed++;
		}
		if (destroyed)
			continue;
		/* 7.3 WARNs and leaks what is left; the model records the
		 * WARN, then reclaims its memory if PASIDs held the rest */
		IOMMU_WARN_ON(ictx->m, true);
		if (!release_leftover_pasids(ictx))
			break;
	}
	IOMMU_WARN_ON_AS(ictx->m, g_hash_table_size(ictx->groups) != 0,
			 "iommufd_fops_release", "!xa_empty(&ictx->groups)");
	/* each region went with its owner (mtree_destroy(): none left) */
	IOMMU_WARN_ON(ictx->m, ictx->mt_mmap != NULL);
	g_list_free_full(ictx->mt_mmap, g_free);
	g_hash_table_destroy(ictx->groups);
	obj_table_release(&ictx->objects);
	g_ptr_array_remove(ictx->m->ictxs, ictx);
	g_free(ictx);
}

/*
 * The model's teardown: a ctx still listed is one 7.3 never releases (an
 * idev unbound while attached stays, holding the file reference its
 * iommufd_device_bind() took: iommufd_object_destroy_user() WARNed). Its
 * objects are destroyed and its memory freed here; the references its own
 * objects hold are made unreachable first, so their puts cannot release
 * it a second time.
 */
void iommufd_ctxs_reclaim(struct iommu_model *m)
{
	while (m->ictxs && m->ictxs->len) {
		struct iommufd_ctx *ictx = m->ictxs->pdata[m->ictxs->len - 1];

		ictx->file_refs = G_MAXUINT / 2;
		/* the attach's user keeps such an idev (and its HWPT and
		 * IOAS) from the release's destroy: detached first */
		for (u32 id = obj_next_id(&ictx->objects, 0); id;
		     id = obj_next_id(&ictx->objects, id)) {
			struct obj_header *obj = obj_peek(&ictx->objects, id);

			if (obj && obj->type == IOMMUFD_OBJ_DEVICE &&
			    iommufd_device_attached_hwpt(
				    (struct iommufd_device *)obj))
				iommufd_device_detach(
					(struct iommufd_device *)obj,
					IOMMU_NO_PASID);
		}
		iommufd_fops_release(ictx);
	}
}

void iommufd_ctx_get(struct iommufd_ctx *ictx)
{
	ictx->file_refs++;
}

void iommufd_ctx_put(struct iommufd_ctx *ictx)
{
	if (--ictx->file_refs == 0)
		iommufd_fops_release(ictx);
}

void iommufd_fops_close(struct iommufd_ctx *ictx)
{
	iommufd_ctx_put(ictx);
}

void iommufd_fops_dup(struct iommufd_ctx *ictx)
{
	iommufd_ctx_get(ictx);
}

/* the mark of iommufd_fops in a file (process.h struct file's f_op) */
static const char iommufd_fops_mark[] = "iommufd_fops";

int iommufd_fd_install(struct process *task, struct iommufd_ctx *ictx,
		       struct file **filp)
{
	struct file *f = anon_inode_getfile("iommufd", NULL, ictx);
	int fd;

	f->f_op = iommufd_fops_mark;
	fd = process_fd_install(task, f);
	if (fd < 0) {
		fput(f);
		return fd;
	}
	*filp = f;
	return fd;
}

struct iommufd_ctx *iommufd_ctx_from_file(const struct file *f)
{
	return f && f->f_op == iommufd_fops_mark ? f->private_data : NULL;
}

void iommufd_fops_vma_open(struct iommufd_mmap *immap)
{
	obj_users_inc(immap->owner);
}

void iommufd_fops_vma_close(struct iommufd_mmap *immap)
{
	obj_users_dec(immap->owner);
}

/* iommufd_fops_mmap(): only a region a driver allocated, exactly */
int iommufd_fops_mmap(struct iommufd_ctx *ictx, u64 vm_pgoff, u64 length,
		      bool shared, bool exec, struct iommufd_mmap **out,
		      void **kaddr)
{
	const char *f = "iommufd_fops_mmap";
	struct iommufd_mmap *immap;

	if (length % IOMMUFD_PAGE_SIZE)
		return iommu_refuse(ictx->m, -EINVAL, f,
				    "length 0x%llx is not whole pages",
				    (unsigned long long)length);
	if (!shared)
		return iommu_refuse(ictx->m, -EINVAL, f, "not MAP_SHARED");
	if (exec)
		return iommu_refuse(ictx->m, -EPERM, f, "PROT_EXEC");
	immap = iommufd_mt_mmap_load(ictx, vm_pgoff * IOMMUFD_PAGE_SIZE);
	if (!immap)
		return iommu_refuse(ictx->m, -ENXIO, f,
				    "no region at page offset 0x%llx",
				    (unsigned long long)vm_pgoff);
	/* mtree_load() finds a region from any byte inside it: only the
	 * region itself, whole, may be mapped */
	if (vm_pgoff != immap->vm_pgoff || length != immap->length)
		return iommu_refuse(
			ictx->m, -ENXIO, f,
			"the region at page 0x%llx is 0x%llx bytes from page "
			"0x%llx",
			(unsigned long long)vm_pgoff,
			(unsigned long long)immap->length,
			(unsigned long long)immap->vm_pgoff);
	/* io_remap_pfn_range() of mmio_addr: the caller maps these pages */
	*kaddr = iommu_phys_to_virt(ictx->m, immap->mmio_addr, immap->length);
	if (IOMMU_WARN_ON(ictx->m, !*kaddr))
		return -EFAULT;
	iommufd_fops_vma_open(immap);
	*out = immap;
	return 0;
}

int iommufd_ucmd_respond(struct iommufd_ucmd *ucmd, size_t cmd_len)
{
	ucmd->copied = MIN(ucmd->user_size, cmd_len);
	memcpy(ucmd->ubuffer, ucmd->cmd, ucmd->copied);
	return 0;
}

/* main.c: iommufd_option() */
static int iommufd_option(struct iommufd_ucmd *ucmd)
{
	struct iommu_option *cmd = ucmd->cmd;
	int rc;

	switch (cmd->option_id) {
	case IOMMU_OPTION_RLIMIT_MODE:
		rc = iommufd_option_rlimit_mode(cmd, ucmd);
		break;
	case IOMMU_OPTION_HUGE_PAGES:
		rc = iommufd_ioas_option(ucmd);
		break;
	default:
		return iommu_refuse(ucmd->ictx->m, -EOPNOTSUPP,
				    "iommufd_option", "unknown option_id %u",
				    cmd->option_id);
	}
	if (rc)
		return rc;
	/* only val64 goes back to the caller */
	memcpy((char *)ucmd->ubuffer + offsetof(struct iommu_option, val64),
	       &cmd->val64, sizeof(cmd->val64));
	return 0;
}

/*
 * The ioctl table, one row per command as main.c's IOCTL_OP() has it: the
 * struct's size, the offset of the end of its last mandatory field, and
 * the handler. The model adds to each row the refusals every 7.3 handler
 * opens with, so they are checked in one place (iommufd_ucmd_check()):
 * flags outside valid_flags and non-zero reserved fields, -EOPNOTSUPP.
 * A row with late_check leaves the call to its handler, which makes it
 * where 7.3 makes it (after a capability check, say). A NULL handler is
 * a command the model does not answer yet.
 */
struct iommufd_ioctl_field {
	u16 off;
	u16 len;
};

struct iommufd_ioctl_op {
	const char *name;
	unsigned int size;
	unsigned int min_size;
	unsigned int ioctl_num;
	int (*execute)(struct iommufd_ucmd *ucmd);
	bool check_flags;
	u16 flags_off; /* its u32 flags field */
	u32 valid_flags;
	struct iommufd_ioctl_field reserved[2]; /* len 0: none */
	bool late_check;
};

#define offsetofend(type, f) (offsetof(type, f) + sizeof(((type *)0)->f))
#define FIELD(type, f)                                                         \
	{                                                                      \
		offsetof(type, f), sizeof(((type *)0)->f)                      \
	}
#define IOCTL_OP(_ioctl, _fn, _struct, _last, ...)                             \
	[IOMMUFD_IOC_NR(_ioctl) -                                              \
		IOMMUFD_CMD_BASE] = { .name = #_ioctl,                         \
				      .size = sizeof(_struct),                 \
				      .min_size = offsetofend(_struct, _last), \
				      .ioctl_num = _ioctl,                     \
				      .execute = _fn,                          \
				      __VA_ARGS__ }
#define FLAGS(_struct, _valid)                                                 \
	.check_flags = true, .flags_off = offsetof(_struct, flags),            \
	.valid_flags = (_valid)
#define RESERVED(...) .reserved = { __VA_ARGS__ }
#define MAP_FLAGS                                                              \
	(IOMMU_IOAS_MAP_FIXED_IOVA | IOMMU_IOAS_MAP_WRITEABLE |                \
	 IOMMU_IOAS_MAP_READABLE)

static const struct iommufd_ioctl_op iommufd_ioctl_ops[] = {
	IOCTL_OP(IOMMU_DESTROY, iommufd_destroy, struct iommu_destroy, id),
	/* eventq.c: iommufd_fault_alloc() checks its flags itself */
	IOCTL_OP(IOMMU_FAULT_QUEUE_ALLOC, iommufd_fault_alloc,
		 struct iommu_fault_alloc, out_fault_fd),
	/* device.c: iommufd_get_hw_info() */
	IOCTL_OP(IOMMU_GET_HW_INFO, iommufd_get_hw_info, struct iommu_hw_info,
		 __reserved,
		 FLAGS(struct iommu_hw_info, IOMMU_HW_INFO_FLAG_INPUT_TYPE),
		 RESERVED(FIELD(struct iommu_hw_info, __reserved))),
	/* viommu.c */
	IOCTL_OP(IOMMU_HW_QUEUE_ALLOC, iommufd_hw_queue_alloc_ioctl,
		 struct iommu_hw_queue_alloc, length,
		 FLAGS(struct iommu_hw_queue_alloc, 0)),
	/* hw_pagetable.c: flags are judged later, per driver */
	IOCTL_OP(IOMMU_HWPT_ALLOC, iommufd_hwpt_alloc, struct iommu_hwpt_alloc,
		 __reserved,
		 RESERVED(FIELD(struct iommu_hwpt_alloc, __reserved))),
	IOCTL_OP(IOMMU_HWPT_GET_DIRTY_BITMAP, iommufd_hwpt_get_dirty_bitmap,
		 struct iommu_hwpt_get_dirty_bitmap, data,
		 FLAGS(struct iommu_hwpt_get_dirty_bitmap,
		       IOMMU_HWPT_GET_DIRTY_BITMAP_NO_CLEAR),
		 RESERVED(FIELD(struct iommu_hwpt_get_dirty_bitmap,
				__reserved))),
	/* hw_pagetable.c: even a refusal reports entry_num (0) back */
	IOCTL_OP(IOMMU_HWPT_INVALIDATE, iommufd_hwpt_invalidate,
		 struct iommu_hwpt_invalidate, __reserved),
	/* hw_pagetable.c: 7.3 does not check its __reserved */
	IOCTL_OP(IOMMU_HWPT_SET_DIRTY_TRACKING, iommufd_hwpt_set_dirty_tracking,
		 struct iommu_hwpt_set_dirty_tracking, __reserved,
		 FLAGS(struct iommu_hwpt_set_dirty_tracking,
		       IOMMU_HWPT_DIRTY_TRACKING_ENABLE)),
	/* ioas.c: iommufd_ioas_alloc_ioctl(): flags must be 0 */
	IOCTL_OP(IOMMU_IOAS_ALLOC, iommufd_ioas_alloc_ioctl,
		 struct iommu_ioas_alloc, out_ioas_id,
		 FLAGS(struct iommu_ioas_alloc, 0)),
	IOCTL_OP(IOMMU_IOAS_ALLOW_IOVAS, iommufd_ioas_allow_iovas,
		 struct iommu_ioas_allow_iovas, allowed_iovas,
		 RESERVED(FIELD(struct iommu_ioas_allow_iovas, __reserved))),
	IOCTL_OP(IOMMU_IOAS_CHANGE_PROCESS, iommufd_ioas_change_process,
		 struct iommu_ioas_change_process, __reserved,
		 RESERVED(FIELD(struct iommu_ioas_change_process, __reserved))),
	/* ioas.c: iommufd_test_syz_conv_iova_id() comes before the flags */
	IOCTL_OP(IOMMU_IOAS_COPY, iommufd_ioas_copy, struct iommu_ioas_copy,
		 src_iova, FLAGS(struct iommu_ioas_copy, MAP_FLAGS),
		 .late_check = true),
	IOCTL_OP(IOMMU_IOAS_IOVA_RANGES, iommufd_ioas_iova_ranges,
		 struct iommu_ioas_iova_ranges, out_iova_alignment,
		 RESERVED(FIELD(struct iommu_ioas_iova_ranges, __reserved))),
	IOCTL_OP(IOMMU_IOAS_MAP, iommufd_ioas_map, struct iommu_ioas_map, iova,
		 FLAGS(struct iommu_ioas_map, MAP_FLAGS),
		 RESERVED(FIELD(struct iommu_ioas_map, __reserved))),
	IOCTL_OP(IOMMU_IOAS_MAP_FILE, iommufd_ioas_map_file,
		 struct iommu_ioas_map_file, iova,
		 FLAGS(struct iommu_ioas_map_file, MAP_FLAGS)),
	/* ioas.c: capable(CAP_SYS_RAWIO) comes before flags and reserved */
	IOCTL_OP(IOMMU_IOAS_NOIOMMU_GET_PA, iommufd_ioas_noiommu_get_pa,
		 struct iommu_ioas_noiommu_get_pa, out_phys,
		 FLAGS(struct iommu_ioas_noiommu_get_pa, 0),
		 RESERVED(FIELD(struct iommu_ioas_noiommu_get_pa, __reserved)),
		 .late_check = true),
	IOCTL_OP(IOMMU_IOAS_UNMAP, iommufd_ioas_unmap, struct iommu_ioas_unmap,
		 length),
	IOCTL_OP(IOMMU_OPTION, iommufd_option, struct iommu_option, val64,
		 RESERVED(FIELD(struct iommu_option, __reserved))),
	IOCTL_OP(IOMMU_VDEVICE_ALLOC, iommufd_vdevice_alloc_ioctl,
		 struct iommu_vdevice_alloc, virt_id),
	IOCTL_OP(IOMMU_VEVENTQ_ALLOC, iommufd_veventq_alloc,
		 struct iommu_veventq_alloc, out_veventq_fd,
		 FLAGS(struct iommu_veventq_alloc, 0),
		 RESERVED(FIELD(struct iommu_veventq_alloc, __reserved))),
	IOCTL_OP(IOMMU_VFIO_IOAS, iommufd_vfio_ioas, struct iommu_vfio_ioas,
		 __reserved,
		 RESERVED(FIELD(struct iommu_vfio_ioas, __reserved))),
	IOCTL_OP(IOMMU_VIOMMU_ALLOC, iommufd_viommu_alloc_ioctl,
		 struct iommu_viommu_alloc, out_viommu_id,
		 FLAGS(struct iommu_viommu_alloc, 0)),
	/* CONFIG_IOMMUFD_TEST, which the guest kernel has: selftest.c */
	IOCTL_OP(IOMMU_TEST_CMD, iommufd_test, struct iommu_test_cmd, last),
};

/* Large enough for every row's struct (main.c's union ucmd_buffer). */
union ucmd_buffer {
	struct iommu_destroy destroy;
	struct iommu_fault_alloc fault;
	struct iommu_hw_info info;
	struct iommu_hw_queue_alloc hw_queue;
	struct iommu_hwpt_alloc hwpt;
	struct iommu_hwpt_get_dirty_bitmap get_dirty_bitmap;
	struct iommu_hwpt_invalidate cache;
	struct iommu_hwpt_set_dirty_tracking set_dirty_tracking;
	struct iommu_ioas_alloc alloc;
	struct iommu_ioas_allow_iovas allow_iovas;
	struct iommu_ioas_copy ioas_copy;
	struct iommu_ioas_noiommu_get_pa noiommu_get_pa;
	struct iommu_ioas_iova_ranges iova_ranges;
	struct iommu_ioas_map map;
	struct iommu_ioas_map_file map_file;
	struct iommu_ioas_unmap unmap;
	struct iommu_option option;
	struct iommu_vdevice_alloc vdev;
	struct iommu_veventq_alloc veventq;
	struct iommu_vfio_ioas vfio_ioas;
	struct iommu_viommu_alloc viommu;
	struct iommu_ioas_change_process change_process;
	struct iommu_test_cmd test;
};

static const struct iommufd_ioctl_op *ucmd_op(const struct iommufd_ucmd *ucmd)
{
	return &iommufd_ioctl_ops[ucmd->op_index];
}

static bool all_zero(const u8 *p, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (p[i])
			return false;
	}
	return true;
}

int iommufd_ucmd_check(struct iommufd_ucmd *ucmd)
{
	const struct iommufd_ioctl_op *op = ucmd_op(ucmd);
	const u8 *cmd = ucmd->cmd;
	u32 flags;

	if (op->check_flags) {
		memcpy(&flags, cmd + op->flags_off, sizeof(flags));
		if (flags & ~op->valid_flags)
			return iommu_refuse(ucmd->ictx->m, -EOPNOTSUPP,
					    op->name, "unknown flags 0x%x",
					    flags & ~op->valid_flags);
	}
	for (unsigned int i = 0; i < G_N_ELEMENTS(op->reserved); i++) {
		const struct iommufd_ioctl_field *f = &op->reserved[i];

		if (f->len && !all_zero(cmd + f->off, f->len))
			return iommu_refuse(
				ucmd->ictx->m, -EOPNOTSUPP, op->name,
				"reserved field at %u is not 0", f->off);
	}
	return 0;
}

/*
 * copy_struct_from_user(): the caller's @usize bytes into @ksize; a
 * shorter struct is zero-extended, a longer one must be zero past @ksize
 * (-E2BIG), and no byte beyond what the caller can read is touched.
 */
static int copy_struct_from_user(void *dst, size_t ksize, const void *src,
				 size_t usize, size_t readable)
{
	if (usize > readable)
		return -EFAULT;
	if (usize > ksize && !all_zero((const u8 *)src + ksize, usize - ksize))
		return -E2BIG;
	memset(dst, 0, ksize);
	memcpy(dst, src, MIN(ksize, usize));
	return 0;
}

static int iommufd_ucmd_begin(struct iommufd_ucmd *ucmd, unsigned int cmd,
			      size_t arg_len)
{
	struct iommu_model *m = ucmd->ictx->m;
	unsigned int nr = IOMMUFD_IOC_NR(cmd);
	const struct iommufd_ioctl_op *op;

	/* past the table: -ENOIOCTLCMD, which the caller sees as -ENOTTY
	 * (below it: iommufd_vfio_ioctl(), see iommufd_ioctl()) */
	if (nr - IOMMUFD_CMD_BASE >= G_N_ELEMENTS(iommufd_ioctl_ops))
		return iommu_refuse(m, -ENOTTY, "iommufd_fops_ioctl",
				    "command 0x%x is not iommufd's", cmd);
	/* get_user(ucmd.user_size, ubuffer) */
	if (arg_len < sizeof(u32))
		return -EFAULT;
	memcpy(&ucmd->user_size, ucmd->ubuffer, sizeof(u32));
	ucmd->op_index = nr - IOMMUFD_CMD_BASE;
	op = ucmd_op(ucmd);
	if (op->ioctl_num != cmd)
		return iommu_refuse(m, -ENOTTY, "iommufd_fops_ioctl",
				    "no command 0x%x", cmd);
	if (ucmd->user_size < op->min_size)
		return iommu_refuse(m, -EINVAL, "iommufd_fops_ioctl",
				    "%s: size %u below %u", op->name,
				    ucmd->user_size, op->min_size);
	return copy_struct_from_user(ucmd->cmd, op->size, ucmd->ubuffer,
				     ucmd->user_size, arg_len);
}

/* iommufd_fops_ioctl() proper: the row's checks, the handler, then the
 * new object finalized or aborted */
static int ucmd_dispatch(struct iommufd_ucmd *ucmd, unsigned int cmd,
			 size_t arg_len)
{
	struct iommufd_ctx *ictx = ucmd->ictx;
	const struct iommufd_ioctl_op *op;
	union ucmd_buffer buf;
	int ret;

	/* below the base, the VFIO compat ioctls */
	if (IOMMUFD_IOC_NR(cmd) < IOMMUFD_CMD_BASE)
		return iommufd_vfio_ioctl(ictx, ucmd->task, cmd, ucmd->ubuffer,
					  arg_len, &ucmd->copied);
	ucmd->cmd = &buf;
	ret = iommufd_ucmd_begin(ucmd, cmd, arg_len);
	if (ret)
		return ret;
	op = ucmd_op(ucmd);
	if (!op->late_check) {
		ret = iommufd_ucmd_check(ucmd);
		if (ret)
			return ret;
	}
	ret = op->execute(ucmd);
	if (ucmd->new_obj) {
		if (ret)
			iommufd_object_abort_and_destroy(ictx, ucmd->new_obj);
		else
			iommufd_object_finalize(ictx, ucmd->new_obj);
	}
	return ret;
}

int iommufd_ioctl(struct iommufd_ctx *ictx, struct process *task,
		  unsigned int cmd, void *arg, size_t arg_len)
{
	return iommufd_ioctl_copied(ictx, task, cmd, arg, arg_len, NULL);
}

int iommufd_ioctl_copied(struct iommufd_ctx *ictx, struct process *task,
			 unsigned int cmd, void *arg, size_t arg_len,
			 size_t *copied)
{
	struct iommufd_ucmd ucmd = {
		.ictx = ictx,
		.task = task,
		.ubuffer = arg,
	};
	int ret = ucmd_dispatch(&ucmd, cmd, arg_len);

	if (copied)
		*copied = ucmd.copied;
	return ret;
}
