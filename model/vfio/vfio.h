/* SPDX-License-Identifier: MIT */
/*
 * vfio.h - the model of Linux 7.3's drivers/vfio: what the rest of the
 * model and the layers above call.
 *
 *  - kconfig.c: the VFIO/IOMMUFD Kconfig symbols resolved as Kconfig
 *    would (drivers/vfio/Kconfig, drivers/iommu/iommufd/Kconfig);
 *  - vfio_main.c: the VFIO state of a machine, registration of a vfio-pci
 *    device (vfio_register_group_dev()), the nodes and sysfs entries
 *    userspace sees, the device fd;
 *  - group.c, container.c, device_cdev.c, iommufd.c: the group path, the
 *    native container, the cdev path, VFIO's iommufd glue;
 *  - pci.c: vfio-pci's probe and remove, which the driver core calls.
 *
 * Files are opened by a caller (struct process: its capabilities) and are
 * handles of struct vfio_file; every ioctl goes through vfio_ioctl(),
 * which takes (file, cmd, struct, size) as the kernel's does.
 */
#ifndef IOMMUSIM_MODEL_VFIO_VFIO_H
#define IOMMUSIM_MODEL_VFIO_VFIO_H

#include <stddef.h>

#include "iommu.h"

struct process;
struct iommufd_ctx;
struct vfio_file;

/* ---- kconfig.c ---- */

enum vfio_ksym {
	KS_VFIO,
	KS_VFIO_GROUP,
	KS_VFIO_CONTAINER,
	KS_IOMMUFD_VFIO_CONTAINER,
	KS_VFIO_DEVICE_CDEV,
	KS_VFIO_NOIOMMU,
	KS_IOMMUFD_NOIOMMU,
	KS_GENERIC_ATOMIC64,
	KS_IOMMUFD,
	/* generic_pt's, not VFIO's: a guest kernel variant folds it into a
	 * VFIO fragment (hw/kernel/vfio-off.config), so it is resolved and
	 * matched with them; iommu_model.debug_generic_pt follows it */
	KS_DEBUG_GENERIC_PT,
	KS_NR,
};

/* What a scenario asks for: -1 not said (the base config decides), 0 n,
 * 1 y. */
struct vfio_kconfig_req {
	signed char v[KS_NR];
};

/* The resolved .config (tristates built in: y). */
struct vfio_kconfig {
	bool y[KS_NR];
};

const char *vfio_ksym_name(enum vfio_ksym s);
/* The symbol called @name (without CONFIG_), or -1. */
int vfio_ksym_lookup(const char *name);
/* A request with nothing said. */
void vfio_kconfig_req_init(struct vfio_kconfig_req *req);
/*
 * merge_config.sh of the guest's fragment (VFIO, VFIO_GROUP,
 * VFIO_CONTAINER, VFIO_DEVICE_CDEV, VFIO_NOIOMMU, IOMMUFD all y) with
 * @req, then olddefconfig: 0 with *out, or -EINVAL with *why (newly
 * allocated) naming the dependency or select that @req breaks.
 */
int vfio_kconfig_resolve(const struct vfio_kconfig_req *req,
			 struct vfio_kconfig *out, char **why);
/* The same under profile @p's Kconfig rules (profile.h struct
 * iommu_profile_vfio_ops: a posted version's `config VFIO_NOIOMMU`);
 * vfio_kconfig_resolve() is linux-7.3's. */
int vfio_kconfig_resolve_in(const struct iommu_profile *p,
			    const struct vfio_kconfig_req *req,
			    struct vfio_kconfig *out, char **why);

/* ---- vfio_main.c: the machine's VFIO ---- */

/* The VFIO state of @m, created with the base config on first use. */
struct vfio *vfio_get(struct iommu_model *m);
void vfio_free(struct vfio *v);
/* Replace the configuration (before any device registered): 0 or
 * -EINVAL with *why. */
int vfio_set_kconfig(struct iommu_model *m, const struct vfio_kconfig_req *req,
		     char **why);
const struct vfio_kconfig *vfio_kconfig(struct iommu_model *m);
/* vfio.enable_unsafe_noiommu_mode: writable at any time (S_IWUSR);
 * -EINVAL without CONFIG_VFIO_NOIOMMU (no such parameter). */
int vfio_set_noiommu_param(struct iommu_model *m, bool on);
/* The parameter written through sysfs at run time (param_attr_store()):
 * -ENOENT without CONFIG_VFIO_NOIOMMU (no file), -EINVAL for what
 * kstrtobool() refuses. */
int vfio_noiommu_param_store(struct iommu_model *m, const char *buf);
/* What the parameter's file reads ("Y"/"N"), NULL without the file */
const char *vfio_noiommu_param_show(struct iommu_model *m);
/* vfio_iommu_type1.allow_unsafe_interrupts (S_IWUSR: any time) */
void vfio_set_type1_allow_unsafe_interrupts(struct iommu_model *m, bool on);
/* vfio_iommu_type1.allow_unsafe_interrupts as set (no VFIO state: off) */
bool vfio_type1_allow_unsafe_interrupts(const struct iommu_model *m);
/* add_taint(TAINT_USER) happened */
bool vfio_tainted(struct iommu_model *m);

/* Whether the path (/dev/vfio/..., /sys/...) exists now. */
bool vfio_node_exists(struct iommu_model *m, const char *path);
/* Every VFIO node and sysfs entry, one path a line, sorted (ls -R
 * style); newly allocated. */
char *vfio_nodes_view(struct iommu_model *m);
/* The content of a readable sysfs file among them ("name" of an iommu
 * group, "dev" of a vfio-dev entry), or NULL. Newly allocated. */
char *vfio_sysfs_read(struct iommu_model *m, const char *path);

/* The node of @dev's group and of its cdev, NULL where there is none
 * (no vfio_group, no devt); newly allocated. */
char *vfio_group_node_of(struct iommu_model *m, struct device *dev);
char *vfio_cdev_node_of(struct iommu_model *m, struct device *dev);
/* Whether @path names a node VFIO can have: /dev/vfio/vfio,
 * /dev/vfio/[noiommu-]N, /dev/vfio/devices/[noiommu-]vfioN. */
bool vfio_node_path_valid(const char *path);

/* ---- view.c: VFIO's objects for pictures (view/), read only ---- */

struct vfio_group_view {
	int minor;	    /* /dev/vfio/N or /dev/vfio/noiommu-N */
	bool noiommu;	    /* VFIO_NO_IOMMU: the fake group */
	int iommu_group_id; /* -1 once the last driver left */
	bool opened;	    /* its file is open */
	int container;	    /* vfio_container_view.key, -1: none */
	const struct iommufd_ctx *iommufd; /* SET_CONTAINER with an iommufd */
};
struct vfio_device_view {
	const struct device *dev;
	const char *name; /* [noiommu-]vfioN: /dev/vfio/devices/NAME */
	bool cdev;	  /* has a cdev node */
	bool cdev_opened;
	int group_minor; /* its VFIO group, -1 */
	bool bound;	 /* bound to an iommufd (vdev->iommufd_device) */
};
struct vfio_container_view {
	int key; /* the fd of its file, or 1000 + the first group's minor
		  * once the file is closed and groups hold it */
	const char *iommu; /* vfio_container_iommu_name() */
};
/* @m's VFIO groups, devices and containers (arrays of the structs
 * above), each in index order; empty when VFIO is unused. */
struct vfio_view {
	GArray *groups, *devices, *containers;
};
struct vfio_view *vfio_view_new(struct iommu_model *m);
void vfio_view_free(struct vfio_view *v);

/* ---- files: open, close, ioctl ---- */

enum vfio_file_kind {
	VFIO_FILE_CONTAINER, /* /dev/vfio/vfio (container.c or iommufd) */
	VFIO_FILE_GROUP,     /* /dev/vfio/N, /dev/vfio/noiommu-N */
	VFIO_FILE_DEVICE,    /* cdev or VFIO_GROUP_GET_DEVICE_FD */
	VFIO_FILE_IOMMUFD,   /* /dev/iommu, for SET_CONTAINER and bind */
};

/* open(@path) by @task: 0 with *out, or -errno (-ENOENT: no such node). */
int vfio_open(struct iommu_model *m, struct process *task, const char *path,
	      struct vfio_file **out);
/* A file for an iommufd ctx the caller opened (its fd for
 * VFIO_GROUP_SET_CONTAINER and VFIO_DEVICE_BIND_IOMMUFD), numbered as
 * vfio_open()'s are; a caller that installs the ctx's own file in
 * @task's table (iommufd_fd_install()) needs none. */
struct vfio_file *vfio_file_iommufd(struct iommu_model *m, struct process *task,
				    struct iommufd_ctx *ictx);
/* vfio_main.c: whether @v (NULL: VFIO not used yet) has nothing
 * registered and no file open */
bool vfio_is_empty(const struct vfio *v);

/* state_hash.c: VFIO's state (groups, devices, files, containers and
 * their DMA mappings) folded into 64 bits, 0 without VFIO; equal states
 * hash alike (an explorer adds it to iommu_state_hash()'s key). */
u64 vfio_state_hash(const struct iommu_model *m);
/* Whether VFIO is in the key at all (vfio_state_hash() not 0) */
bool vfio_in_key(const struct iommu_model *m);
/* The same with devices and iommu groups by their place in @c's order
 * (a symmetric key, state.h struct iommu_canon); @c NULL: by name and id,
 * as vfio_state_hash(). vfio_canon_note(): what VFIO holds of each
 * device, for @c's order. */
struct iommu_canon;
u64 vfio_state_hash_canon(const struct iommu_model *m,
			  const struct iommu_canon *c);
void vfio_canon_note(const struct iommu_model *m, struct iommu_canon *c);

enum vfio_file_kind vfio_file_kind(const struct vfio_file *f);
/* The iommufd_device a device file's VFIO_DEVICE_BIND_IOMMUFD bound, NULL
 * before the bind and after the close */
struct iommufd_device;
struct iommufd_device *vfio_file_iommufd_device(const struct vfio_file *f);
/* The file's fd number (what VFIO_GROUP_SET_CONTAINER and
 * VFIO_DEVICE_BIND_IOMMUFD take), and the file an fd names (NULL). */
int vfio_file_fd(const struct vfio_file *f);
struct vfio_file *vfio_file_from_fd(struct iommu_model *m, int fd);
/* The VFIO file at @fd of @task's table, NULL for none or another kind
 * (vfio_file.c) */
struct vfio_file *vfio_file_at(struct process *task, int fd);
/* close(): the file's release: 0, or IOMMU_UB when a step of it reached
 * undefined behaviour (the release is done all the same: it cannot fail) */
int vfio_close(struct vfio_file *f);
/*
 * ioctl(f, cmd, arg) by @task. Integer arguments (VFIO_CHECK_EXTENSION,
 * VFIO_SET_IOMMU) are *(unsigned long *)arg; VFIO_GROUP_SET_CONTAINER's
 * is an int fd (vfio_file_fd()); the device name of
 * VFIO_GROUP_GET_DEVICE_FD is a NUL-terminated string, the new device
 * file's fd is the return value and the file comes back in *out.
 * Returns >= 0 as the ioctl would, or
 * -errno (-ENOTTY for a command this kind of file does not know).
 */
int vfio_ioctl(struct vfio_file *f, struct process *task, unsigned int cmd,
	       void *arg, size_t arg_len, struct vfio_file **out);
/* The same, saying in @copied how many bytes of the struct a failed
 * call copied back before failing (0: the caller's struct is as it
 * passed it), as iommufd_ioctl_copied() does for iommufd's. */
int vfio_ioctl_copied(struct vfio_file *f, struct process *task,
		      unsigned int cmd, void *arg, size_t arg_len,
		      struct vfio_file **out, size_t *copied);

/*
 * read()/write() of a VFIO file at @pos (vfio_device_fops_read()/_write()
 * -> vfio_pci_rw(): the region index in the top bits, index << 40): the
 * bytes done, or -errno: -EINVAL for a group or container file (no
 * read/write: the model's answer for a file without f_op->read is
 * do-nothing's -EINVAL), before access is granted, or past the regions;
 * -EFAULT outside the config space; a BAR's as vfio_pci_bar_rw() (cut at
 * its end, -EINVAL past it, -EIO for a memory BAR while memory is off,
 * the MSI-X table reading 0xff), the ROM and VGA -EINVAL. The model
 * keeps no BAR contents: *@modelled (when not NULL) is false after a
 * read that returned a device register's bytes, which it leaves in @buf
 * as they were; true when every byte is the model's.
 */
ssize_t vfio_device_rw(struct vfio_file *f, void *buf, size_t count,
		       uint64_t pos, bool iswrite, bool *modelled);

/*
 * mmap() of a VFIO file (vfio_device_fops_mmap() -> vfio_pci_core_mmap()):
 * @pgoff the mapping's page offset (the region index in its top bits,
 * index << (40 - PAGE_SHIFT)), @len its length, @shared MAP_SHARED.
 * 0 with *@bar the BAR, *@start the byte offset in it where the
 * mapping starts and *@bar_len the BAR's page-aligned length, or -errno: -ENODEV for a group or container file (no
 * f_op->mmap), -EINVAL before access is granted, for a private mapping,
 * a region that is not an mmap()able BAR, or a range past the BAR's
 * (page-aligned) length. The BAR's contents are the caller's to give
 * (the model has no MMIO).
 */
int vfio_device_mmap(struct vfio_file *f, uint64_t pgoff, uint64_t len,
		     bool shared, unsigned int *bar, uint64_t *start,
		     uint64_t *bar_len);
/* The name of the PCI device behind a device file (the BAR's owner),
 * NULL for other kinds of file */
const char *vfio_file_pci_name(const struct vfio_file *f);

/* type1.c: the start both VFIO_IOMMU_GET_INFOs share (type1's and
 * iommufd's compat one): 0, -EFAULT or -EINVAL; *minsz the bytes of
 * *info to copy back */
struct vfio_iommu_type1_info;
int vfio_iommu_info_head(struct vfio_iommu_type1_info *info, const void *arg,
			 size_t len, size_t *minsz);

/* ---- pci.c: the driver core's calls ---- */

/* drivers/vfio/pci/vfio_pci.c vfio_pci_probe(): 0 or -errno (refused
 * with why); on success the device is registered with VFIO. */
int vfio_pci_probe(struct iommu_model *m, struct device *dev);
/* vfio_pci_remove(): 0, or IOMMU_BLOCKS while a file of the device is
 * open: vfio_unregister_group_dev() has taken the device off its group's
 * list and its cdev away, and waits for the last close, which finishes
 * the unregistration and tells the driver core (device_remove_done()). */
int vfio_pci_remove(struct iommu_model *m, struct device *dev);

#endif
