/* SPDX-License-Identifier: MIT */
/*
 * iommufd_private.h - the model of drivers/iommu/iommufd/ inside the model:
 * the context (one per open /dev/iommu), its objects and ids, the ioctl
 * dispatcher's per-call state (ucmd), the IOAS and its io_pagetable, and
 * the prototypes each file of model/iommufd/ implements for the others.
 * Names follow Linux 7.3's iommufd_private.h and io_pagetable.h.
 *
 * Sections are named after the file that implements them. Everything
 * returns 0 or a negative kernel errno; pointer-returning lookups return
 * NULL where the kernel returns ERR_PTR(-ENOENT). Refusals are explained
 * through iommu_refuse() on the ctx's iommu_model (its `why`).
 *
 * Objects: every object starts with a struct obj_header named `obj`
 * (model/object.h: type, id, users), so `idev->obj.id` and `obj->users`
 * read as in the kernel. Creation is reserve -> fill -> publish
 * (_iommufd_object_alloc(), iommufd_object_finalize()) or abort
 * (iommufd_object_abort_and_destroy()); the object's memory is freed by
 * whoever removes it (main.c), after its type's destroy op.
 *
 * The model is single-threaded: locks, wait_cnt and RCU have no
 * counterpart. Every allocation or lookup that can fail in the kernel asks
 * iommufd_should_fail() (the one fail-nth knob, model/fault.h).
 */
#ifndef IOMMUSIM_MODEL_IOMMUFD_PRIVATE_H
#define IOMMUSIM_MODEL_IOMMUFD_PRIVATE_H

#include <glib.h>
#include <stdbool.h>
#include <stddef.h>

#include "fault.h"
#include "iommu.h"
#include "iommufd/process.h"
#include "iommufd/uapi.h"
#include "object.h"

#define IOMMUFD_PAGE_SIZE 4096ull
#define IOMMUFD_PAGE_SHIFT 12
/* HPAGE_SIZE with CONFIG_TRANSPARENT_HUGEPAGE on x86 (iopt_alloc_iova()) */
#define IOMMUFD_HPAGE_SIZE (2ull << 20)
#define IOMMUFD_ULONG_MAX (~0ull) /* the model is LP64: unsigned long */

/* include/linux/iommufd.h: enum iommufd_object_type, in its order */
enum iommufd_object_type {
	IOMMUFD_OBJ_NONE,
	IOMMUFD_OBJ_ANY = IOMMUFD_OBJ_NONE,
	IOMMUFD_OBJ_DEVICE,
	IOMMUFD_OBJ_HWPT_PAGING,
	IOMMUFD_OBJ_HWPT_NESTED,
	IOMMUFD_OBJ_IOAS,
	IOMMUFD_OBJ_ACCESS,
	IOMMUFD_OBJ_FAULT,
	IOMMUFD_OBJ_VIOMMU,
	IOMMUFD_OBJ_VDEVICE,
	IOMMUFD_OBJ_VEVENTQ,
	IOMMUFD_OBJ_HW_QUEUE,
	IOMMUFD_OBJ_SELFTEST, /* CONFIG_IOMMUFD_TEST only */
	IOMMUFD_OBJ_MAX,
};

/* io_pagetable.h: how pinned pages are charged (ctx->account_mode) */
enum {
	IOPT_PAGES_ACCOUNT_NONE = 0,
	IOPT_PAGES_ACCOUNT_USER = 1, /* user->locked_vm vs RLIMIT_MEMLOCK */
	IOPT_PAGES_ACCOUNT_MM = 2,   /* mm->locked_vm, as VFIO type1 does */
	IOPT_PAGES_ACCOUNT_MODE_NUM = 3,
};

struct iommufd_ioas;

/*
 * iommufd_ctx: one open of /dev/iommu. file_refs is the struct file's
 * refcount: the opener's fd plus one per bound device (iommufd_ctx_get());
 * iommufd_fops_release() runs when it drops to 0.
 */
struct iommufd_ctx {
	struct iommu_model *m;
	struct obj_table objects; /* ids from 1, XA_FLAGS_ALLOC1 */
	GHashTable *groups;	  /* iommu_group id -> struct iommufd_group */
	struct fault_attr *fault; /* &m->fault: the model's fail-nth knob */
	unsigned int file_refs;
	u8 account_mode; /* IOPT_PAGES_ACCOUNT_* */
	u8 no_iommu_mode;
	struct iommufd_ioas *vfio_ioas; /* IOMMU_VFIO_IOAS, no reference */
	/* the ctx as DMA-ownership cookie (device.c), named on first use */
	const char *owner_cookie;
	GList *mt_mmap; /* struct iommufd_mmap *, by offset (driver.c) */
};

/* io_pagetable.c and pages.c: the IOVA -> pages map */
#include "iommufd/io_pagetable.h"

/* ---- main.c: objects, ucmd, the dispatcher ---- */

/* The per-call state of one ioctl (iommufd_ucmd), plus the caller. */
struct iommufd_ucmd {
	struct iommufd_ctx *ictx;
	struct process *task; /* current: caps, mm, rlimit */
	void *ubuffer;	      /* the caller's struct */
	u32 user_size;	      /* its size field */
	void *cmd;	      /* the kernel's copy, op->size bytes */
	struct obj_header *new_obj;
	unsigned int op_index; /* its row in main.c's ioctl table */
	size_t copied;	       /* bytes iommufd_ucmd_respond() copied back */
};

/* The row's flags and reserved-field rules (-EOPNOTSUPP); the dispatcher
 * applies them before the handler unless the row says the handler will. */
int iommufd_ucmd_check(struct iommufd_ucmd *ucmd);

/* Copy the response in ucmd->cmd back to the caller's struct. */
int iommufd_ucmd_respond(struct iommufd_ucmd *ucmd, size_t cmd_len);

/* iommufd_should_fail(): the fail-nth knob, at @site */
bool iommufd_should_fail(struct iommufd_ctx *ictx, const char *site);

/*
 * _iommufd_object_alloc(): a zeroed object of @size (its first member the
 * obj_header) with an id reserved, in *out; -ENOMEM or -EBUSY. The caller
 * finalizes or aborts it. The _ucmd form leaves both to the dispatcher.
 */
int _iommufd_object_alloc(struct iommufd_ctx *ictx, size_t size,
			  enum iommufd_object_type type, void **out);
int _iommufd_object_alloc_ucmd(struct iommufd_ucmd *ucmd, size_t size,
			       enum iommufd_object_type type, void **out);
void iommufd_object_finalize(struct iommufd_ctx *ictx, struct obj_header *obj);
/* Frees an unpublished object without its destroy op. */
void iommufd_object_abort(struct iommufd_ctx *ictx, struct obj_header *obj);
/* Runs its abort (or destroy) op, then iommufd_object_abort(). */
void iommufd_object_abort_and_destroy(struct iommufd_ctx *ictx,
				      struct obj_header *obj);

/* NULL (the kernel's -ENOENT) when missing, reserved, of another type, or
 * when the knob fails the lookup; else a short-term users reference. */
struct obj_header *iommufd_get_object(struct iommufd_ctx *ictx, u32 id,
				      enum iommufd_object_type type);
void iommufd_put_object(struct iommufd_ctx *ictx, struct obj_header *obj);
int iommufd_try_inc_users(struct iommufd_ctx *ictx, struct obj_header *obj);

enum {
	REMOVE_WAIT = 1 << 0,
	REMOVE_OBJ_TOMBSTONE = 1 << 1, /* not modelled: object.h has none */
};
/*
 * iommufd_object_remove(): with @to_destroy, the caller's reference is
 * put first; then the object goes if only the table holds it (-EBUSY
 * otherwise, -ENOENT when the id is missing or not @to_destroy), its
 * destroy op runs and it is freed.
 */
int iommufd_object_remove(struct iommufd_ctx *ictx,
			  struct obj_header *to_destroy, u32 id,
			  unsigned int flags);
/* An object a kernel caller still holds in use (an idev unbound while
 * attached: the attach holds a user) is not destroyed: WARN_ON(ret) in
 * 7.3, the caller's reference put back, the object left to the ctx's
 * release */
static inline void iommufd_object_destroy_user(struct iommufd_ctx *ictx,
					       struct obj_header *obj)
{
	/* the destroy may put the ctx's last reference (an idev's) */
	struct iommu_model *m = ictx->m;
	int ret = iommufd_object_remove(ictx, obj, obj->id, REMOVE_WAIT);

	IOMMU_WARN_ON_AS(m, ret, "iommufd_object_destroy_user", "ret");
}
static inline void iommufd_object_put_and_try_destroy(struct iommufd_ctx *ictx,
						      struct obj_header *obj)
{
	iommufd_object_remove(ictx, obj, obj->id, 0);
}

/*
 * Per-type operations (main.c's iommufd_object_ops[]): destroy undoes a
 * published object's creation except the memory, which main.c frees;
 * abort (optional) undoes an unpublished one; pre_destroy runs before a
 * destroy that has to wait for users (iommufd_object_dec_wait()).
 */
struct iommufd_object_ops {
	void (*pre_destroy)(struct obj_header *obj);
	void (*destroy)(struct obj_header *obj);
	void (*abort)(struct obj_header *obj);
	/* IOMMUFD_FILE_OFFSET(): where an object that owns a file keeps it
	 * (0: none); abort puts a file not yet installed */
	size_t file_offset;
};

/* Public entry points (iommufd.h): open, close, the dispatcher. */
#include "iommufd/iommufd.h"

/* The ctx's file reference (a bound device holds one). */
void iommufd_ctx_get(struct iommufd_ctx *ictx);
void iommufd_ctx_put(struct iommufd_ctx *ictx);

/* ---- ioas.c: the IOAS object and its ioctls ---- */

/*
 * An IO address space: the io_pagetable plus the paging HWPTs built on it
 * (hwpt_list, the auto-domain search order of iommufd_device_auto_get_
 * domain(): the HWPT side adds and removes its struct
 * iommufd_hwpt_paging * here).
 */
struct iommufd_ioas {
	struct obj_header obj;
	struct io_pagetable iopt;
	GPtrArray *hwpt_list;
	struct iommufd_ctx *ictx; /* for iommufd_ioas_destroy() */
};

static inline struct iommufd_ioas *iommufd_get_ioas(struct iommufd_ctx *ictx,
						    u32 id)
{
	return (struct iommufd_ioas *)iommufd_get_object(ictx, id,
							 IOMMUFD_OBJ_IOAS);
}

int iommufd_ioas_alloc(struct iommufd_ctx *ictx, struct iommufd_ioas **out);
int iommufd_ioas_alloc_ioctl(struct iommufd_ucmd *ucmd);
void iommufd_ioas_destroy(struct obj_header *obj);
int iommufd_ioas_iova_ranges(struct iommufd_ucmd *ucmd);
int iommufd_ioas_allow_iovas(struct iommufd_ucmd *ucmd);
int iommufd_ioas_map(struct iommufd_ucmd *ucmd);
int iommufd_ioas_map_file(struct iommufd_ucmd *ucmd);
int iommufd_ioas_change_process(struct iommufd_ucmd *ucmd);
int iommufd_ioas_copy(struct iommufd_ucmd *ucmd);
/* CONFIG_IOMMUFD_TEST (selftest_access.c): syzkaller's IOVA form in COPY */
void iommufd_test_syz_conv_iova_id(struct iommufd_ucmd *ucmd, u32 ioas_id,
				   iommufd_u64 *iova, u32 *flags);
int iommufd_ioas_unmap(struct iommufd_ucmd *ucmd);
int iommufd_ioas_noiommu_get_pa(struct iommufd_ucmd *ucmd);
int iommufd_ioas_option(struct iommufd_ucmd *ucmd);
int iommufd_option_rlimit_mode(struct iommu_option *cmd,
			       struct iommufd_ucmd *ucmd);
/* vfio_compat.c's IOMMU_VFIO_IOAS (kept in ioas.c) */
int iommufd_vfio_ioas(struct iommufd_ucmd *ucmd);
/* vfio_compat.c: what VFIO's group path calls (include/linux/iommufd.h)
 * and the VFIO container ioctls of an iommufd file (commands below
 * IOMMUFD_CMD_BASE): >= 0 or -errno, -ENOTTY for an unknown one */
int iommufd_vfio_compat_ioas_create(struct iommufd_ctx *ictx);
int iommufd_vfio_compat_set_no_iommu(struct iommufd_ctx *ictx);
int iommufd_vfio_compat_ioas_get_id(struct iommufd_ctx *ictx, u32 *id);
int iommufd_vfio_ioctl(struct iommufd_ctx *ictx, struct process *task,
		       unsigned int cmd, void *arg, size_t len, size_t *copied);

/*
 * iommufd_noiommu_ops: the ops a noiommu domain carries as its owner
 * (hwpt_noiommu.c allocates those domains with it); GET_PA answers only
 * from such a domain (iopt_get_phys()).
 */
extern struct iommu_device iommufd_noiommu_ops;
static inline bool iommufd_domain_is_noiommu(const struct iommu_domain *d)
{
	return d->owner == &iommufd_noiommu_ops;
}

/*
 * The device side: device.c (bind, igroups, GET_HW_INFO), device_attach.c
 * (attach/replace/detach), hw_pagetable.c (HWPTs and the dirty and
 * invalidate commands), hwpt_noiommu.c (the SW-only HWPT), viommu.c
 * (vIOMMU, vDEVICE, HW queue, vEVENTQ). Their ioctl and object-ops rows
 * are in main.c's tables.
 */

/* ---- device.c: devices bound to a ctx, and their igroups ---- */

/*
 * What a group is attached to at one PASID (igroup->pasid_attach), and
 * which of the group's bound devices asked for it (device_array, kept in
 * id order).
 */
struct iommufd_attach {
	struct iommufd_hw_pagetable *hwpt;
	GPtrArray *devices; /* struct iommufd_device *, by obj.id */
};

/*
 * iommufd_group: iommufd's per-(ctx, iommu_group) data, shared by the
 * group's devices bound to that ctx (ref counts them) and found through
 * ictx->groups. A noiommu device gets a dummy of its own whose group is
 * NULL and which is not in ictx->groups (iommufd_bind_noiommu()).
 */
struct iommufd_group {
	unsigned int ref;
	struct iommufd_ctx *ictx; /* no reference: users put it first */
	struct iommu_group *group;
	struct iommufd_attach *attach; /* pasid_attach[IOMMU_NO_PASID] */
	/* pasid_attach above IOMMU_NO_PASID: u32 pasid -> struct
	 * iommufd_attach *, NULL while empty (device_attach.c) */
	GHashTable *pasids;
	u64 sw_msi_start; /* PHYS_ADDR_MAX: none */
};

/* A device bound to a ctx (VFIO_DEVICE_BIND_IOMMUFD's kernel side). */
struct iommufd_device {
	struct obj_header obj;
	struct iommufd_ctx *ictx;
	struct iommufd_group *igroup; /* NULL only while half-built */
	struct device *dev;
	bool enforce_cache_coherency;
	struct iommufd_vdevice *vdev; /* its vDEVICE, if any (viommu.c) */
};

/* after the release's WARN: detach what still holds @idev at a PASID */
unsigned int iommufd_device_detach_leftover_pasids(struct iommufd_device *idev);

/*
 * The kernel API VFIO calls (include/linux/iommufd.h): bind gives 0 with
 * *id and *out set, or an errno with nothing changed; attach and replace
 * take an IOAS or HWPT id in *pt_id and give back the HWPT's.
 * iommufd_device_detach() is 0, or IOMMU_UB for a caller bug 7.3 would
 * not survive (see device_attach.c).
 */
/* bind, unbind, attach, replace, detach: public, iommufd/iommufd.h */
void iommufd_device_destroy(struct obj_header *obj);
/* iommufd_device_pre_destroy(): its vDEVICE goes first */
void iommufd_device_pre_destroy(struct obj_header *obj);
bool iommufd_device_is_noiommu(const struct iommufd_device *idev);
bool iommufd_ctx_has_group(struct iommufd_ctx *ictx, struct iommu_group *group);
/* The HWPT the device's group is attached to, NULL if none (views); the
 * same at a PASID. */
struct iommufd_hw_pagetable *
iommufd_device_attached_hwpt(const struct iommufd_device *idev);
struct iommufd_hw_pagetable *
iommufd_device_pasid_hwpt(const struct iommufd_device *idev, u32 pasid);
/* The HWPT of the group's attach at @pasid, whoever attached it. */
struct iommufd_hw_pagetable *
iommufd_group_pasid_hwpt(const struct iommufd_group *igroup, u32 pasid);
int iommufd_get_hw_info(struct iommufd_ucmd *ucmd);

/* ---- hw_pagetable.c: HWPTs (iommu_domains as objects) ---- */

struct iommufd_fault;
struct iommufd_hw_pagetable {
	struct obj_header obj;
	struct iommu_domain *domain;
	bool pasid_compat;	     /* IOMMU_HWPT_ALLOC_PASID */
	struct iommufd_fault *fault; /* FAULT_ID_VALID: a users reference */
};

struct iommufd_hwpt_paging {
	struct iommufd_hw_pagetable common;
	struct iommufd_ioas *ioas; /* holds a users reference */
	bool auto_domain;
	bool enforce_cache_coherency;
	bool nest_parent;
	bool listed; /* on ioas->hwpt_list (hwpt_item not empty) */
};

/*
 * A nested HWPT: a stage-1 domain the driver made on a NEST_PARENT paging
 * HWPT, either on the parent itself (ops->domain_alloc_nested) or through
 * a vIOMMU (viommu->ops->alloc_domain_nested). It holds a users reference
 * on the vIOMMU when it has one, else on the parent.
 */
struct iommufd_viommu;
struct iommufd_hwpt_nested {
	struct iommufd_hw_pagetable common;
	struct iommufd_hwpt_paging *parent;
	struct iommufd_viommu *viommu;
};

/* A nested HWPT has no IOAS: only the selftest's mock makes one */
static inline struct iommufd_hwpt_paging *
find_hwpt_paging(struct iommufd_hw_pagetable *hwpt)
{
	return hwpt->obj.type == IOMMUFD_OBJ_HWPT_PAGING
		       ? (struct iommufd_hwpt_paging *)hwpt
		       : NULL;
}

/* include/linux/iommu.h struct iommu_user_data: IOMMU_HWPT_ALLOC's
 * driver data (data_type, data_uptr, data_len), in @task's memory */
struct iommu_user_data {
	u32 type;
	u64 uptr;
	u32 len;
	struct process *task;
};
/* include/linux/iommu.h struct iommu_user_data_array: IOMMU_HWPT_
 * INVALIDATE's entries (data_type, data_uptr, entry_len, entry_num) */
struct iommu_user_data_array {
	u32 type;
	u64 uptr;
	u32 entry_len;
	u32 entry_num; /* in: given; out: how many were handled */
	struct process *task;
};
/* __iommu_copy_struct_from_user_array(): entry @index as
 * iommu_copy_struct_from_user() takes it */
int iommu_copy_struct_from_user_array(void *dst, size_t dst_len,
				      const struct iommu_user_data_array *src,
				      u32 type, u32 index, size_t min_len);
/* iommu_copy_struct_from_full_user_array(): every entry, each
 * copy_struct_from_user()ed into @dst_entry_size bytes */
int iommu_copy_struct_from_full_user_array(
	void *dst, size_t dst_entry_size,
	const struct iommu_user_data_array *src, u32 type);

/* __iommu_copy_struct_from_user(): @dst_len bytes of @dst from @src (its
 * type @type, at least @min_len long, at most @dst_len), the rest zeroed;
 * -EINVAL or -EFAULT */
int iommu_copy_struct_from_user(void *dst, size_t dst_len,
				const struct iommu_user_data *src, u32 type,
				size_t min_len);
/* __iommu_copy_struct_to_user(): @src's @src_len bytes back to the
 * user's buffer (its type @type, at least @min_len, at most @src_len
 * long: -EINVAL), as many as it holds; -EFAULT */
int iommu_copy_struct_to_user(const struct iommu_user_data *dst,
			      const void *src, size_t src_len, u32 type,
			      size_t min_len);

/* @user_data: NULL when IOMMU_HWPT_ALLOC's data_len is 0 */
int iommufd_hwpt_paging_alloc(struct iommufd_ctx *ictx,
			      struct iommufd_ioas *ioas,
			      struct iommufd_device *idev, u32 pasid, u32 flags,
			      bool immediate_attach,
			      const struct iommu_user_data *user_data,
			      struct iommufd_hwpt_paging **out);
int iommufd_hw_pagetable_attach(struct iommufd_hw_pagetable *hwpt,
				struct iommufd_device *idev, u32 pasid);
struct iommufd_hw_pagetable *
iommufd_hw_pagetable_detach(struct iommufd_device *idev, u32 pasid);
void iommufd_hw_pagetable_put(struct iommufd_ctx *ictx,
			      struct iommufd_hw_pagetable *hwpt);
void iommufd_hwpt_paging_destroy(struct obj_header *obj);
void iommufd_hwpt_paging_abort(struct obj_header *obj);
void iommufd_hwpt_nested_destroy(struct obj_header *obj);
int iommufd_hwpt_alloc(struct iommufd_ucmd *ucmd);
int iommufd_hwpt_set_dirty_tracking(struct iommufd_ucmd *ucmd);
int iommufd_hwpt_get_dirty_bitmap(struct iommufd_ucmd *ucmd);
int iommufd_hwpt_invalidate(struct iommufd_ucmd *ucmd);

/* viommu.c and eventq.c: vIOMMUs, vDEVICEs, vEVENTQs, fault queues */
#include "iommufd/eventq.h"

/* ---- hwpt_noiommu.c: the SW-only HWPT of a noiommu device ---- */

/* iommufd_noiommu_ops (declared above, defined here): the "driver"
 * get_iommu_ops() gives a noiommu device */
int iommufd_noiommu_alloc_paging_flags(struct iommufd_ctx *ictx,
				       struct device *dev, u32 flags,
				       const struct iommu_user_data *user_data,
				       struct iommu_domain **out);

/* ---- access.c: in-kernel access to an IOAS (include/linux/iommufd.h) ---- */

/* include/linux/iommufd.h: IOMMUFD_ACCESS_RW_* */
enum {
	IOMMUFD_ACCESS_RW_READ = 0,
	IOMMUFD_ACCESS_RW_WRITE = 1 << 0,
	IOMMUFD_ACCESS_RW_KTHREAD = 1 << 1,
	__IOMMUFD_ACCESS_RW_SLOW_PATH = 1 << 2, /* CONFIG_IOMMUFD_TEST */
};

struct iommufd_access_ops {
	bool needs_pin_pages;
	/* unpin everything pinned in [iova, iova + length) */
	void (*unmap)(void *data, u64 iova, u64 length);
};

/* iommufd_access: a driver reading or writing an IOAS by CPU (an emulated
 * VFIO device, the selftest's access objects) */
struct iommufd_access {
	struct obj_header obj;
	struct iommu_model *m;
	/* a ctx reference (iommufd_ctx_get()); NULL: an internal access */
	struct iommufd_ctx *ictx;
	struct iommufd_ioas *ioas;	 /* NULL: detached, no new pins */
	struct iommufd_ioas *ioas_unpin; /* what unpin_pages() works on */
	const struct iommufd_access_ops *ops;
	void *data;
	u64 iova_alignment;
};

/* 0 with *out published and held by the caller (a users reference), or
 * -ENOMEM; the access is on no IOAS yet */
int iommufd_access_create(struct iommufd_ctx *ictx,
			  const struct iommufd_access_ops *ops, void *data,
			  u32 *id, struct iommufd_access **out);
void iommufd_access_destroy(struct iommufd_access *access);
void iommufd_access_destroy_object(struct obj_header *obj);
/* An access of iommufd's own (a HW queue's): no ops, no ctx reference;
 * its pins lock their areas against unmap (-EBUSY) */
static inline bool iommufd_access_is_internal(struct iommufd_access *access)
{
	return !access->ictx;
}
int iommufd_access_create_internal(struct iommufd_ctx *ictx,
				   struct iommufd_access **out);
void iommufd_access_destroy_internal(struct iommufd_ctx *ictx,
				     struct iommufd_access *access);
int iommufd_access_attach_internal(struct iommufd_access *access,
				   struct iommufd_ioas *ioas);
void iommufd_access_detach_internal(struct iommufd_access *access);
int iommufd_access_attach(struct iommufd_access *access, u32 ioas_id);
int iommufd_access_replace(struct iommufd_access *access, u32 ioas_id);
/* the IOAS's accesses told to unpin [iova, iova + length) */
void iommufd_access_notify_unmap(struct io_pagetable *iopt, u64 iova,
				 u64 length);
int iommufd_access_pin_pages(struct iommufd_access *access, u64 iova,
			     u64 length, u64 *out_pa, unsigned int flags);
void iommufd_access_unpin_pages(struct iommufd_access *access, u64 iova,
				u64 length);
int iommufd_access_rw(struct iommufd_access *access, u64 iova, void *data,
		      u64 length, unsigned int flags);

/* ---- selftest.c: CONFIG_IOMMUFD_TEST's mock driver and IOMMU_TEST_CMD ---- */

struct iommu_test_hw_info;
int iommufd_test(struct iommufd_ucmd *ucmd);
/* selftest_access.c: CREATE_ACCESS, ACCESS_PAGES, DESTROY_ACCESS_PAGES,
 * ACCESS_RW, ACCESS_REPLACE_IOAS */
int iommufd_test_access(struct iommufd_ucmd *ucmd);
/* selftest_pasid.c: PASID_ATTACH, PASID_REPLACE, PASID_DETACH,
 * PASID_CHECK_HWPT */
int iommufd_test_pasid(struct iommufd_ucmd *ucmd);
/* iommufd_test_get_selftest_obj(): selftest object @id's device, *obj
 * held for iommufd_put_object(); NULL (and *obj NULL) if none */
struct iommufd_device *iommufd_test_selftest_idev(struct iommufd_ctx *ictx,
						  u32 id,
						  struct obj_header **obj);
void iommufd_selftest_destroy(struct obj_header *obj);
/* iommufd_selftest_is_mock_dev(): binding such a device takes no ctx
 * reference and needs no MSI isolation (device.c) */
bool iommufd_selftest_is_mock_dev(struct iommu_model *m,
				  const struct device *dev);
/* mock_ops.domain_alloc_paging_flags (hw_pagetable.c's driver switch) */
int mock_domain_alloc_paging_flags(struct iommu_model *m, struct device *dev,
				   u32 flags,
				   const struct iommu_user_data *user_data,
				   struct iommu_domain **out);
/* selftest_viommu.c: the mock's nested domains (domain_alloc_nested,
 * cache_invalidate_user) and vIOMMU (viommu_init: the mock's
 * get_viommu_size() is non-zero for IOMMU_VIOMMU_TYPE_SELFTEST only) */
int mock_domain_alloc_nested(struct iommu_model *m, struct device *dev,
			     struct iommu_domain *parent, u32 flags,
			     const struct iommu_user_data *user_data,
			     struct iommu_domain **out);
int mock_domain_cache_invalidate_user(struct iommu_model *m,
				      struct iommu_domain *domain,
				      struct iommu_user_data_array *array);
int mock_viommu_init(struct iommufd_viommu *viommu,
		     struct iommu_domain *parent_domain,
		     const struct iommu_user_data *user_data);
/* the vIOMMU a mock nested domain was made on, NULL for none */
struct iommufd_viommu *mock_nested_viommu(struct iommu_domain *domain);
/* selftest.c: the vIOMMU of the nested domain a mock device is attached
 * to and its vDEVICE's virt_id there (mock_domain_nop_attach()) */
struct iommufd_viommu *mock_dev_viommu(struct iommu_model *m,
				       struct device *dev, u64 *vdev_id);
int iommufd_test_md_check_iotlb(struct iommufd_ucmd *ucmd, u32 mockpt_id,
				u32 iotlb_id, u32 iotlb);
struct iommu_test_cmd;
/* iommufd_test_trigger_iopf(): a page request from a mock device */
int iommufd_test_trigger_iopf(struct iommufd_ucmd *ucmd,
			      const struct iommu_test_cmd *cmd);
/* iommufd_test_trigger_vevent(): an event to the mock device's vIOMMU */
int iommufd_test_trigger_vevent(struct iommufd_ucmd *ucmd,
				const struct iommu_test_cmd *cmd);
/* selftest.c: a mock device's cache word @cache_id, or all of them
 * (MOCK_DEV_CACHE_NUM), cleared */
void mock_dev_invalidate_cache(struct iommu_model *m, struct device *dev,
			       u32 cache_id);
/* mock_domain_capable(IOMMU_CAP_DIRTY_TRACKING) of a mock device */
bool mock_domain_capable_dirty(struct iommu_model *m, struct device *dev);
/* mock_ops.hw_info and the caps iommufd_get_hw_info() reports for a mock
 * device: the data length, or -EOPNOTSUPP for another type asked for */
int mock_domain_hw_info(struct iommu_model *m, struct device *dev, u32 *type,
			struct iommu_test_hw_info *info, u64 *caps,
			u8 *max_pasid_log2);

static inline struct iommufd_device *
iommufd_get_device(struct iommufd_ucmd *ucmd, u32 id)
{
	return (struct iommufd_device *)iommufd_get_object(ucmd->ictx, id,
							   IOMMUFD_OBJ_DEVICE);
}

/* ---- state.c, state_hash.c: one numbering for the text and the hash ---- */

/* The number a snapshot gives @pages: its place in the order the walk
 * first meets it (@met grows), pages#N with N from 1 */
unsigned int iommufd_state_pages_no(GPtrArray *met, struct iopt_pages *pages);

/* A domain as the snapshot names it: domain#id, 0 for none */
static inline u32 iommufd_state_domain_no(const struct iommu_domain *d)
{
	return d ? d->obj.id : 0;
}

#endif
