/* SPDX-License-Identifier: MIT */
/*
 * vfio_private.h - the model's drivers/vfio/vfio.h: the objects and the
 * calls between the files of model/vfio.
 *
 * Ownership: struct vfio (one per machine, m->vfio) owns the registered
 * vfio_devices (by index, an ida) and the vfio_groups (by minor, an ida;
 * named after their iommu_group's id). A vfio_group is kept by its
 * drivers count (one per registered device of the group). Files keep
 * their device or group alive: unregistration is refused while any file
 * is open (7.3 blocks there instead).
 */
#ifndef IOMMUSIM_MODEL_VFIO_VFIO_PRIVATE_H
#define IOMMUSIM_MODEL_VFIO_VFIO_PRIVATE_H

#include "vfio/vfio.h"
#include "vfio/uapi.h"
#include "iommufd/iommufd_private.h"
#include "core/kerrno.h"
#include "profile.h"

/* drivers/vfio/vfio.h enum vfio_group_type */
enum vfio_group_type {
	VFIO_IOMMU,
	VFIO_EMULATED_IOMMU,
	VFIO_NO_IOMMU,
};

struct vfio_container;

struct vfio {
	struct iommu_model *m;
	struct vfio_kconfig cfg;
	bool noiommu; /* vfio_noiommu: vfio.enable_unsafe_noiommu_mode */
	bool tainted; /* add_taint(TAINT_USER) */
	/* vfio_iommu_type1.allow_unsafe_interrupts */
	bool type1_allow_unsafe_interrupts;
	GHashTable *device_ida; /* index -> struct vfio_device */
	GHashTable *group_ida;	/* minor -> struct vfio_group */
	/* the caller's fd table: fd -> struct vfio_file (fds from 3) */
	GHashTable *fds;
};

/* A container file's object (container.c) and its IOMMU driver */
enum vfio_iommu_kind {
	DRV_NONE,
	DRV_TYPE1,
	DRV_NOIOMMU,
};

struct vfio_container {
	struct vfio *vfio;
	unsigned int ref; /* the file's, plus one per group */
	GPtrArray *groups;
	bool noiommu;
	enum vfio_iommu_kind driver;
	bool v2;
	/* type1: vfio_group -> its domain (a domain holds one group or
	 * more: iommu->domain_list is the distinct values) */
	GHashTable *domains;
	struct vfio_iommu *t1; /* type1's driver data (type1.c) */
};

struct vfio_group {
	int minor;
	enum vfio_group_type type;
	/* NULL once the last driver left: off vfio.group_list, its node
	 * gone, kept only while its file is open (vfio_group_listed()) */
	struct iommu_group *iommu_group;
	unsigned int drivers;	/* refcount group->drivers */
	GPtrArray *device_list; /* registered struct vfio_device */
	bool opened_file;	/* group->opened_file */
	/* the user closed the group file while device files (which hold
	 * it in 7.3) are open: release runs when the last one closes */
	bool release_pending;
	/* group-path device files opened through a container: each holds
	 * the group file (vfio_group_use_container()) */
	unsigned int device_files;
	struct vfio_container *container;
	unsigned int container_users;
	struct iommufd_ctx *iommufd; /* SET_CONTAINER with an iommufd */
	unsigned int cdev_device_open_cnt;
};

#define VFIO_PCI_CFG_MAX 4096 /* PCI_CFG_SPACE_EXP_SIZE */
#define VFIO_MSI_PERM_MAX 24  /* the longest MSI capability */
struct vfio_pci_cfgspace {
	uint16_t size; /* pdev->cfg_size */
	uint8_t map[VFIO_PCI_CFG_MAX];
	uint8_t vconfig[VFIO_PCI_CFG_MAX];
	uint8_t phys[VFIO_PCI_CFG_MAX];
	/* vdev->msi_perm (init_pci_cap_msi_perm()): per device, by its
	 * MSI capability's flags */
	uint8_t msi_virt[VFIO_MSI_PERM_MAX];
	uint8_t msi_write[VFIO_MSI_PERM_MAX];
	uint8_t msi_pos;  /* the MSI capability (0: none) */
	uint8_t msix_pos; /* the MSI-X capability (0: none) */
};

struct vfio_device {
	struct vfio *vfio;
	struct device *dev;
	int index;
	char *name;   /* dev_set_name(): [noiommu-]vfioN */
	bool noiommu; /* device->noiommu, sampled at registration */
	bool cdev;    /* vfio_init_device_cdev() gave it a devt */
	struct vfio_group *group;
	unsigned int files; /* open files of this device (registration refs) */
	/* vfio_unregister_group_dev() is waiting for the last file to
	 * close: the group has forgotten the device and its cdev and
	 * vfio-dev entries are gone (vfio_device_del()) */
	bool unregistering;
	unsigned int open_count;
	bool cdev_opened;
	struct iommufd_device *idev; /* vdev->iommufd_device */
	bool iommufd_attached;
	/* vdev->reset_works: a function reset worked at the last first open
	 * (vfio_pci_core_enable(); pci_hot_reset.c vfio_pci_reset_works()) */
	bool reset_works;
	/* vfio_pci_config.c: the config space state vfio-pci keeps or
	 * reaches: the function's COMMAND register, the virtualised BARs
	 * (vdev->vconfig) and INTERRUPT_LINE; set at each first open */
	struct vfio_pci_vconfig {
		uint32_t bar[PCI_STD_NUM_BARS];
		uint16_t command;
		uint8_t intx_line;
	} cfg;
	/* vfio_pci_config.c past the header: pci_config_map and vconfig as
	 * vfio_config_init() builds them at each first open, and the
	 * function's own config bytes (phys), kept from the first open on;
	 * NULL before it */
	struct vfio_pci_cfgspace *cfgsp;
	/* vdev->msi_qmax: log2 of the vectors the last MSI enable asked
	 * for (vfio_msi_enable()); kept across opens as 7.3 keeps it */
	uint8_t msi_qmax;
	/* vdev->pasids: the ida of PASIDs attached through
	 * VFIO_DEVICE_ATTACH_PASID, u32 in order, NULL while empty */
	GArray *pasids;
	/* vfio_pci_intrs.c: irq_type, the vectors' triggers, the ERR and
	 * REQ eventfds; NULL while nothing is set up */
	struct vfio_pci_irqs *irqs;
	/* VFIO_DEVICE_FEATURE_LOW_POWER_ENTRY[_WITH_WAKEUP] (vfio_pci_core.c
	 * vfio_pci_runtime_pm_entry()) until LOW_POWER_EXIT or the last
	 * close: vdev->pm_runtime_engaged, and the wakeup eventfd's ctx the
	 * device holds a reference on (pm_wake_eventfd_ctx; NULL: none) */
	bool pm_runtime_engaged;
	struct eventfd_ctx *pm_wake_eventfd_ctx;
	/* vfio_pci_rdwr.c: VFIO_DEVICE_IOEVENTFD's registrations
	 * (vdev->ioeventfds_list, the newest first) and their count */
	GList *ioeventfds;
	unsigned int ioeventfds_nr;
};

struct vfio_file {
	enum vfio_file_kind kind;
	struct iommu_model *m;
	struct vfio_group *group;	  /* group files; group-path device */
	struct vfio_device *device;	  /* device files */
	struct vfio_container *container; /* native container files */
	struct iommufd_ctx *ictx; /* iommufd files; a device file's bind */
	/* a noiommu device file of the group path opened through the
	 * group's iommufd: 7.3's df->iommufd is set, but only the group
	 * holds that ctx (nothing is bound), which can go first: ictx is
	 * NULL and this stands for the pointer (vfio_df_iommufd_set()) */
	bool iommufd_unheld;
	bool access_granted;
	u32 devid;
	int fd; /* its number: in @task's table, or VFIO's own (vfio->fds) */
	/* the process whose table holds VFIO's stand-in for this file (a
	 * struct file whose private_data is this); NULL where VFIO numbers
	 * the file itself */
	struct process *task;
};

/* 7.3's df->iommufd is set: the device file opened through an iommufd
 * (a cdev's bind, or the group's iommufd on the group path); at close the
 * kernel tests only that (vfio_df_device_last_close(),
 * vfio_df_group_close()) */
static inline bool vfio_df_iommufd_set(const struct vfio_file *df)
{
	return df->ictx || df->iommufd_unheld;
}

/*
 * A file whose f_op is iommufd_fops, the one test iommufd_ctx_from_file()
 * and iommufd_ctx_from_fd() make (iommufd/main.c): /dev/iommu, or
 * /dev/vfio/vfio where iommufd provides it (vfio_misc_dev). A device
 * file's ictx, its VFIO_DEVICE_BIND_IOMMUFD, does not make it one.
 */
static inline bool vfio_file_is_iommufd(const struct vfio_file *f)
{
	return f->kind == VFIO_FILE_IOMMUFD ||
	       (f->kind == VFIO_FILE_CONTAINER && f->ictx);
}

/*
 * The VFIO side of the profile seam (profile.h struct
 * iommu_profile_vfio_ops): Linux 7.3's implementations under the linux73_
 * prefix, which profile/linux_7_3.c points at and a delta may reuse; the
 * rest of model/vfio calls the unprefixed names, which dispatch through
 * the model's profile (profile/dispatch_vfio.c).
 */
bool linux73_vfio_noiommu_depends(const bool *y, const char **dep);
/* iommufd.c: vfio-pci's pasid_attach_ioas / pasid_detach_ioas */
int vfio_iommufd_physical_pasid_attach_ioas(struct vfio_device *vdev, u32 pasid,
					    u32 *pt_id);
void vfio_iommufd_physical_pasid_detach_ioas(struct vfio_device *vdev,
					     u32 pasid);
int linux73_vfio_noiommu_group_alloc(struct vfio *v, struct device *dev,
				     struct vfio_group **out);
int linux73_vfio_device_block_group(struct vfio_device *vdev);
void linux73_vfio_device_unblock_group(struct vfio_device *vdev);
int linux73___vfio_register_dev(struct vfio_device *vdev);
int linux73_vfio_df_iommufd_bind(struct vfio_file *df);
void linux73_vfio_df_iommufd_unbind(struct vfio_file *df);
int vfio_noiommu_group_alloc(struct vfio *v, struct device *dev,
			     struct vfio_group **out);
int __vfio_register_dev(struct vfio_device *vdev);

/* vfio_main.c */
struct vfio *vfio_of(struct iommu_model *m);
/* the steps of __vfio_register_dev() a posted version reorders */
void vfio_device_set_noiommu(struct vfio_device *vdev);
int vfio_device_set_name(struct vfio_device *vdev);
int vfio_register_finish(struct vfio_device *vdev);
void vfio_device_group_register(struct vfio_device *vdev);
/* A new file, installed at the lowest free number of @task's table (of
 * VFIO's own for a process whose numbers are a real one's, or none) */
struct vfio_file *vfio_file_new(struct iommu_model *m, struct process *task,
				enum vfio_file_kind k);
/* Forget a file that was never handed out, or is closed. */
void vfio_file_free(struct vfio_file *f);
struct vfio_file *vfio_fd_get(struct vfio *v, int fd);
/* fget(@fd) of @task as VFIO's ioctls take an fd argument: -EBADF when
 * nothing is open there; else 0 with *vf the VFIO file (NULL: another
 * kind of file) and *ictx the iommufd ctx of a file whose f_op is
 * iommufd_fops (iommufd_ctx_from_file(); NULL: not one) */
int vfio_fget(struct vfio *v, struct process *task, int fd,
	      struct vfio_file **vf, struct iommufd_ctx **ictx);
int vfio_df_open(struct vfio_file *df);
void vfio_df_close(struct vfio_file *df);
int vfio_device_ioctl(struct vfio_file *df, struct process *task,
		      unsigned int cmd, void *arg, size_t len, size_t *copied);
void vfio_taint(struct vfio *v);
int vfio_register_group_dev(struct iommu_model *m, struct device *dev);
int vfio_unregister_group_dev(struct iommu_model *m, struct device *dev);
struct vfio_device *vfio_device_of(struct iommu_model *m, struct device *dev);
struct vfio_device *vfio_device_by_name(struct vfio *v, const char *name);

/* vfio_pci_core.c: vfio-pci's device ioctls */
int vfio_pci_ioctl_get_info(struct vfio_file *df, void *arg, size_t len);
int vfio_pci_ioctl_get_region_info(struct vfio_device *vdev,
				   struct vfio_region_info *info,
				   bool *msix_cap);
int vfio_pci_core_ioctl(struct vfio_file *df, struct process *task,
			unsigned int cmd, void *arg, size_t len,
			size_t *copied);
/* vfio-pci's device_feature op: @data is data[] (@len bytes of the
 * caller's behind the header), @argsz what argsz leaves for it */
int vfio_pci_core_ioctl_feature(struct vfio_device *vdev, struct process *task,
				u32 flags, void *data, size_t len,
				size_t argsz);
/* __vfio_pci_runtime_pm_exit(): low power off, the wakeup ctx put (the
 * last close: vfio_pci_core_disable()) */
void __vfio_pci_runtime_pm_exit(struct vfio_device *vdev);

/* device_feature.c: VFIO_DEVICE_FEATURE */
int vfio_check_feature(u32 flags, size_t argsz, u32 supported_ops,
		       size_t minsz);
int vfio_ioctl_device_feature(struct vfio_file *df, struct process *task,
			      void *arg, size_t len);

/* pci_hot_reset.c: the dev_set, reset_works and the hot reset ioctls */
bool vfio_pci_reset_works(struct iommu_model *m, const struct device *dev);
int vfio_pci_ioctl_get_pci_hot_reset_info(struct vfio_file *df, void *arg,
					  size_t len, size_t *copied);
int vfio_pci_ioctl_pci_hot_reset(struct vfio_file *df, struct process *task,
				 void *arg, size_t len);

/* virqfd.c: an eventfd whose signal runs a handler (INTx's unmask) */
struct virqfd;
struct iommu_copy;
int vfio_virqfd_enable(struct iommu_model *m, struct process *task,
		       void *opaque, int (*handler)(void *, void *), void *data,
		       struct virqfd **pvirqfd, int fd);
void vfio_virqfd_disable(struct virqfd **pvirqfd);
struct virqfd *vfio_virqfd_copy(struct iommu_copy *c, const struct virqfd *o,
				void *opaque, void *data,
				struct virqfd **pvirqfd);

/* vfio_pci_intrs.c: VFIO_DEVICE_SET_IRQS and its state */
/* vfio_pci_intrs.c: struct vfio_pci_irq_ctx, one vector's trigger (INTx's may be NULL) */
struct vfio_pci_irq_ctx {
	struct eventfd_ctx *trigger;
	struct virqfd *unmask; /* INTx only: the unmask eventfd's */
	bool masked;	       /* INTx only */
};

struct vfio_pci_irqs {
	unsigned int irq_type; /* vdev->irq_type */
	GHashTable *ctx;       /* vector -> vfio_pci_irq_ctx (vdev->ctx) */
	unsigned int nvec;     /* MSI: the vectors allocated at enable */
	struct eventfd_ctx *err_trigger, *req_trigger;
};

u32 vfio_pci_get_irq_count(const struct pci_func_res *res, unsigned int index);
int vfio_pci_ioctl_set_irqs(struct vfio_file *df, struct process *task,
			    void *arg, size_t len);
void vfio_pci_irqs_close(struct vfio_device *vdev);
/* vdev->irq_type: an IRQ index, VFIO_PCI_NUM_IRQS for none */
unsigned int vfio_pci_irq_type(const struct vfio_device *vdev);
u64 vfio_pci_irqs_hash(const struct vfio_device *vdev, u64 h);
/* vfio_pci_config.c: msi_qmax, the map, vconfig and the function's bytes */
u64 vfio_config_hash(const struct vfio_device *vdev, u64 h);

/* vfio_pci_rdwr.c: vfio_pci_bar_rw() of BAR @bar (or the ROM,
 * VFIO_PCI_ROM_REGION_INDEX) at @pos in it: the bytes done or -errno;
 * *@modelled false once a read returned a device register's bytes (the
 * model keeps none: @buf's are left as they were) */
ssize_t vfio_pci_bar_rw(struct vfio_device *vdev, void *buf, size_t count,
			unsigned int bar, u64 pos, bool iswrite,
			bool *modelled);
/* vfio_pci_core_do_io_rw() over one BAR's mapping: memory tested
 * before each access (a memory BAR), the excluded range [x_start,
 * x_end) (the MSI-X table) read as 0xff and not written, accesses at
 * most max_width bytes; @log, when not NULL, gets each access's width in
 * order (for the tests: the model keeps no BAR contents) */
struct vfio_pci_io_log {
	unsigned int n;
	u8 width[32];
};
struct vfio_pci_io {
	bool test_mem;
	u64 x_start, x_end;
	unsigned int max_width;
	struct vfio_pci_io_log *log;
};
ssize_t vfio_pci_core_do_io_rw(struct vfio_device *vdev,
			       const struct vfio_pci_io *io, u8 *buf, u64 off,
			       size_t count, bool iswrite, bool *modelled);

/* vfio_pci_rdwr.c: VFIO_DEVICE_IOEVENTFD */
int vfio_pci_ioctl_ioeventfd(struct vfio_file *df, struct process *task,
			     void *arg, size_t len);
void vfio_pci_ioeventfds_close(struct vfio_device *vdev);
GList *vfio_pci_ioeventfds_copy(struct iommu_copy *c,
				const struct vfio_device *o,
				struct vfio_device *n);
u64 vfio_pci_ioeventfds_hash(const struct vfio_device *vdev, u64 h);
/* the writes the registrations have made (the model keeps no BAR
 * contents: only their number, for the tests) */
u64 vfio_pci_ioeventfds_writes(const struct vfio_device *vdev);

/* vfio_pci_config.c: vfio-pci's config space */
void vfio_config_init(struct vfio_device *vdev);
/* vfio_pci_core_disable()'s part of it: the power state back to D0 */
void vfio_config_close(struct vfio_device *vdev);
/* vfio_pci_set_power_state(vdev, PCI_D0), as the reset ioctls and the
 * last close make it; whether the function is in D0
 * (pdev->current_state, which MSI and MSI-X enables need) */
void vfio_config_set_d0(struct vfio_device *vdev);
bool vfio_config_in_d0(const struct vfio_device *vdev);
/* pdev->current_state: PMCSR's state bits (0 D0 .. 3 D3hot) */
unsigned int vfio_config_power_state(const struct vfio_device *vdev);
/* __vfio_pci_memory_enabled(): a memory BAR may be touched: the function
 * above D3hot and vconfig's COMMAND decoding memory */
bool vfio_pci_memory_enabled(const struct vfio_device *vdev);
/* the config state's memory, with the device */
void vfio_config_free(struct vfio_device *vdev);
ssize_t vfio_pci_config_rw(struct vfio_device *vdev, void *buf, size_t count,
			   uint64_t pos, bool iswrite);

/* group.c */
int vfio_device_set_group(struct vfio_device *vdev, enum vfio_group_type t);
void vfio_device_remove_group(struct vfio_device *vdev);
int vfio_device_block_group(struct vfio_device *vdev);
void vfio_device_unblock_group(struct vfio_device *vdev);
int vfio_group_open(struct vfio_group *group, struct process *task,
		    struct vfio_file *f);
void vfio_group_release(struct vfio_file *f);
int vfio_group_ioctl(struct vfio_file *f, struct process *task,
		     unsigned int cmd, void *arg, size_t len,
		     struct vfio_file **out);
struct vfio_group *vfio_group_by_name(struct vfio *v, const char *name);
struct vfio_group *vfio_group_find_from_iommu(struct vfio *v,
					      struct iommu_group *iommu_group);
char *vfio_group_name(const struct vfio_group *group);

/* on vfio.group_list, with a node: not yet removed by its last driver */
static inline bool vfio_group_listed(const struct vfio_group *group)
{
	return group->iommu_group != NULL;
}
void vfio_df_group_close(struct vfio_file *df);

/* container.c */
int vfio_container_open(struct vfio_file *f);
const char *vfio_container_iommu_name(const struct vfio_container *c);
void vfio_container_put(struct vfio_container *c);
int vfio_container_ioctl(struct vfio_file *f, struct process *task,
			 unsigned int cmd, void *arg, size_t len);
int vfio_container_attach_group(struct vfio_container *c,
				struct vfio_group *group, struct process *task);
void vfio_group_detach_container(struct vfio_group *group);
int vfio_group_use_container(struct vfio_group *group);
/* @c (NULL: none) folded into @h: its references, groups by minor,
 * IOMMU driver, domains and type1 mappings (state_hash.c) */
u64 vfio_container_hash(const struct vfio_container *c, u64 h);
void vfio_group_unuse_container(struct vfio_group *group);

/* type1.c: the DMA mappings of a type1 container; @domains is the
 * container's vfio_group -> iommu_domain table */
struct vfio_iommu;
struct vfio_iommu *vfio_type1_open(struct vfio *v, bool v2);
void vfio_type1_release(struct vfio_iommu *t1);
u64 vfio_type1_hash(const struct vfio_iommu *t1, u64 h);
int vfio_type1_replay(struct vfio_iommu *t1, struct iommu_domain *domain);
/* iommu->domain_list in 7.3's order (newest first); the caller frees */
GList *vfio_type1_domain_list(GHashTable *domains);
void vfio_type1_unmap_unpin_all(struct vfio_iommu *t1, GHashTable *domains);
bool vfio_type1_vaddr_invalid(const struct vfio_iommu *t1);
/* vfio_iommu_aper_conflict(), vfio_iommu_resv_conflict(): 0 or -EINVAL
 * for a group of @dev joining with its new @domain attached */
int vfio_type1_attach_conflict(struct vfio_iommu *t1, GHashTable *domains,
			       const struct iommu_domain *domain,
			       const struct device *dev);
/* the IOVA list's bounds: narrowed at an attach to the new domain's
 * aperture, widened to the remaining domains' when one goes */
void vfio_type1_aper_resize(struct vfio_iommu *t1,
			    const struct iommu_domain *domain);
void vfio_type1_aper_expand(struct vfio_iommu *t1, GHashTable *domains);
int vfio_type1_ioctl(struct vfio_iommu *t1, GHashTable *domains,
		     struct process *task, unsigned int cmd, void *arg,
		     size_t len);

/* device_cdev.c */
int vfio_device_fops_cdev_open(struct vfio_device *vdev, struct process *task,
			       struct vfio_file *f);
int vfio_df_ioctl_bind_iommufd(struct vfio_file *df, struct process *task,
			       void *arg, size_t len);
void vfio_df_unbind_iommufd(struct vfio_file *df);
int vfio_df_ioctl_attach_pt(struct vfio_file *df, void *arg, size_t len);
int vfio_df_ioctl_detach_pt(struct vfio_file *df, void *arg, size_t len);

/* iommufd.c */
int vfio_df_iommufd_bind(struct vfio_file *df);
void vfio_df_iommufd_unbind(struct vfio_file *df);
void vfio_iommufd_physical_unbind(struct vfio_device *vdev);
int vfio_iommufd_compat_attach_ioas(struct vfio_device *vdev,
				    struct iommufd_ctx *ictx);
bool vfio_iommufd_device_has_compat_ioas(struct iommufd_ctx *ictx);

#endif
