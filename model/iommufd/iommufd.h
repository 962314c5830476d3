/* SPDX-License-Identifier: MIT */
/*
 * iommufd.h - what the layers above see of the model's iommufd: open a
 * context (open("/dev/iommu")), close it, and issue an ioctl.
 *
 * iommufd_ioctl() is the one entry point for every command: the caller
 * fills a uapi struct (iommufd/uapi.h) exactly as a process would, passes
 * its address and how many bytes of it are readable, and reads the out
 * fields afterwards. A scenario verb is: fill the struct, call, read out
 * fields; a preload shim passes the real process's struct unchanged.
 */
#ifndef IOMMUSIM_MODEL_IOMMUFD_IOMMUFD_H
#define IOMMUSIM_MODEL_IOMMUFD_IOMMUFD_H

#include <stddef.h>

#include "iommu.h"
#include "iommufd/process.h"
#include "iommufd/uapi.h"

struct iommufd_ctx;

/* iommufd_fops_open(): a new context on @m; 0 or -ENOMEM. The context
 * asks the model's fail-nth knob (m->fault) at every allocation and
 * lookup point. */
int iommufd_fops_open(struct iommu_model *m, struct iommufd_ctx **out);
/* open("/dev/iommu"): -ENOENT without CONFIG_IOMMUFD (no misc device),
 * else iommufd_fops_open() */
int iommufd_dev_open(struct iommu_model *m, struct iommufd_ctx **out);
/* close(fd): drops the opener's file reference; when no bound device
 * holds one either, iommufd_fops_release() destroys every object. */
void iommufd_fops_close(struct iommufd_ctx *ictx);
/* dup(fd) or fork(): another fd on the same open file (dup_fd()'s
 * get_file()); each is given back by iommufd_fops_close(). */
void iommufd_fops_dup(struct iommufd_ctx *ictx);
/* The file of an open /dev/iommu in @task's table (f_op iommufd_fops,
 * private_data @ictx), at the lowest free number: the fd. It holds no
 * reference (the opener's is iommufd_fops_close()'s to give back), so
 * the caller takes it out at the close (process_fd_remove()). */
struct process;
struct file;
int iommufd_fd_install(struct process *task, struct iommufd_ctx *ictx,
		       struct file **filp);
/* iommufd_ctx_from_file(): the ctx of a file whose f_op is
 * iommufd_fops, NULL for any other (the caller's -EBADFD) */
struct iommufd_ctx *iommufd_ctx_from_file(const struct file *f);

/*
 * mmap(fd, @length, @vm_pgoff pages) of a region a driver made
 * (iommufd_fops_mmap(): the mock vIOMMU's page, iommufd_private.h
 * struct iommufd_mmap): 0 with *kaddr the model's memory of it (its
 * physical pages, iommu_phys_to_virt()), the
 * memory the caller's mapping must share, and *out the region, whose
 * owner the mapping holds (IOMMU_DESTROY of it -EBUSY) until
 * iommufd_fops_vma_close(). -EINVAL (length not whole pages, not
 * @shared), -EPERM (@exec), -ENXIO (no region starts at the offset, or
 * its length differs). The mapping holds a file reference too, which is
 * the caller's to take (iommufd_fops_dup()), as the VMA's vm_file.
 */
struct iommufd_mmap;
int iommufd_fops_mmap(struct iommufd_ctx *ictx, u64 vm_pgoff, u64 length,
		      bool shared, bool exec, struct iommufd_mmap **out,
		      void **kaddr);
/* vm_ops open (another VMA of the mapping: a split, a fork's copy) and
 * close (each VMA's munmap) */
void iommufd_fops_vma_open(struct iommufd_mmap *immap);
void iommufd_fops_vma_close(struct iommufd_mmap *immap);

/*
 * iommufd_fops_ioctl() for @task: @arg points at @arg_len readable bytes
 * holding a uapi struct whose first u32 is its size. Returns 0 or a
 * negative errno as the ioctl would (-ENOTTY for an unknown command,
 * -EFAULT when the struct's size field claims more than @arg_len).
 */
int iommufd_ioctl(struct iommufd_ctx *ictx, struct process *task,
		  unsigned int cmd, void *arg, size_t arg_len);
/* The same, saying in @copied how many bytes of the struct the kernel
 * copied back (iommufd_ucmd_respond()): 0 when it wrote nothing. Some
 * calls copy back and then fail (IOMMU_IOAS_IOVA_RANGES' -EMSGSIZE with
 * the count needed, IOMMU_HWPT_INVALIDATE's entry_num): what the caller
 * may read of a failed call. */
int iommufd_ioctl_copied(struct iommufd_ctx *ictx, struct process *task,
			 unsigned int cmd, void *arg, size_t arg_len,
			 size_t *copied);

/*
 * The ctx as text, one fact per line in a fixed order and without
 * pointers: its objects (id, type, users, what they refer to), each
 * IOAS's alignment, domains, areas (with their pages' pin and charge
 * counts), reserved and allowed ranges. Equal states print alike; the
 * caller frees it. process_state_snapshot() (process.h) is the same for
 * a caller.
 */
char *iommufd_state_snapshot(struct iommufd_ctx *ictx);
/* state_hash.c: the same facts folded into @h from the structures (equal
 * texts hash alike, different ones apart); process_state_hash()
 * (process.h) is the same for a process. */
u64 iommufd_state_hash(struct iommufd_ctx *ictx, u64 h);
/* The same with devices and groups by their place in @c's order (a
 * symmetric key, state.h struct iommu_canon; NULL: by name and id);
 * iommufd_canon_note(): each iommufd_device of @ictx noted for @c's
 * order, with @salt (which ctx) */
struct iommu_canon;
u64 iommufd_state_hash_canon(struct iommufd_ctx *ictx, u64 h,
			     const struct iommu_canon *c);
void iommufd_canon_note(struct iommufd_ctx *ictx, struct iommu_canon *c,
			u64 salt);

/*
 * The kernel API VFIO calls around the ioctls (include/linux/iommufd.h;
 * model/iommufd/device.c, device_attach.c): bind gives 0 with *id and
 * *out set; attach and replace take an IOAS or HWPT id in *pt_id and give
 * back the HWPT's; detach is 0, or IOMMU_UB for a caller bug.
 */
struct iommufd_device;
int iommufd_device_bind(struct iommufd_ctx *ictx, struct device *dev, u32 *id,
			struct iommufd_device **out);
void iommufd_device_unbind(struct iommufd_device *idev);
/* @pasid: IOMMU_NO_PASID (model/iommu.h) for the RID */
int iommufd_device_attach(struct iommufd_device *idev, u32 pasid, u32 *pt_id);
int iommufd_device_replace(struct iommufd_device *idev, u32 pasid, u32 *pt_id);
int iommufd_device_detach(struct iommufd_device *idev, u32 pasid);

/* The ctx whose event queue file is the process's @fd (eventq.c), or
 * NULL: closing that fd may be the ctx's last reference. */
struct iommufd_ctx *iommufd_file_ctx(struct process *p, int fd);

/* iommufd_test_exit(): the selftest's mock IOMMU goes with the model
 * (iommu_model_free()), with any mock device a ctx left behind. */
void iommufd_selftest_free(struct iommu_model *m);
/* At the model's teardown: the ctxs 7.3 would leak, freed (main.c) */
void iommufd_ctxs_reclaim(struct iommu_model *m);

/* copy.c (iommu_copy_begin(), iommu.h): the copy of a process the
 * caller holds (the runner's), the same one the copied pages hold; NULL
 * with the copy refused when process_copy_refusal() names why. */
struct iommu_copy;
struct eventfd_ctx;
struct eventfd_ctx *iommufd_copy_eventfd(struct iommu_copy *c,
					 const struct eventfd_ctx *ctx);
struct process *iommufd_copy_process(struct iommu_copy *c,
				     const struct process *p);
/* Why the copy cannot copy @p (process_copy_refusal(), or a dma-buf it
 * holds), NULL when it can: a caller checks its own before copying */
const char *iommufd_copy_process_refusal(const struct process *p);
/* The name of an object kind the copy does not cover, NULL for one it
 * does (the device, the paging HWPT, the IOAS) */
const char *iommufd_copy_kind_refusal(unsigned int type);

/* ---- view.c: read-only views for checks and the state snapshot ---- */
const char *iommufd_obj_type_name(unsigned int type);
/* -ENOENT when no published object has @id */
int iommufd_view_object(struct iommufd_ctx *ictx, u32 id, const char **type,
			unsigned int *users);
unsigned int iommufd_view_objects(struct iommufd_ctx *ictx);
unsigned int iommufd_view_file_refs(struct iommufd_ctx *ictx);
/* Whether @ictx is one of @m's ctxs still open (not yet released by
 * iommufd_fops_release(), whoever put its last file reference) */
bool iommufd_ctx_live(const struct iommu_model *m,
		      const struct iommufd_ctx *ictx);

struct iommufd_idev_view {
	u32 id;
	bool noiommu;		 /* iommufd_device_is_noiommu() */
	int group_id;		 /* igroup->group's id, -1 when NULL */
	unsigned int igroup_ref; /* devices sharing the igroup */
	u32 hwpt_id;		 /* the HWPT its group is attached to, 0 */
};
void iommufd_view_idev(const struct iommufd_device *idev,
		       struct iommufd_idev_view *v);

struct iommufd_ioas_view {
	unsigned int areas;
	u64 mapped;	      /* bytes in areas */
	u64 pinned;	      /* pages pinned behind them, each counted once */
	unsigned int hwpts;   /* paging HWPTs on the IOAS */
	unsigned int domains; /* domains its areas are mapped into */
};
int iommufd_view_ioas(struct iommufd_ctx *ictx, u32 id,
		      struct iommufd_ioas_view *v);
/* For pictures (view/): a published object and what it refers to. */
struct iommufd_obj_view {
	u32 id;
	const char *type; /* iommufd_obj_type_name() */
	unsigned int users;
	u32 ioas_id;			   /* a paging HWPT's IOAS, 0 */
	bool auto_domain;		   /* made by an attach to an IOAS */
	const struct iommu_domain *domain; /* a HWPT's */
	const struct device *dev;	   /* a device's */
	int group_id; /* a device's igroup->group id, -1: NULL (noiommu) */
	u32 hwpt_id;  /* a device's attached HWPT, 0 */
};
/* The published object after id @after (0: the first) into *v; false
 * past the last. */
bool iommufd_view_next(struct iommufd_ctx *ictx, u32 after,
		       struct iommufd_obj_view *v);
/* The PA an IOAS maps @iova to through its areas' pages, 0 if none. */
u64 iommufd_view_iova_to_phys(struct iommufd_ctx *ictx, u32 id, u64 iova);

#endif
