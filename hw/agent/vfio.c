// SPDX-License-Identifier: MIT
/*
 * vfio.c - the agent's VFIO verbs, run for real in the guest: open of a
 * VFIO node (a path, or the group node / cdev of a scenario device found
 * through its sysfs links), close, and the VFIO ioctls by their uapi
 * names with the real structs of <linux/vfio.h> (the guest kernel's
 * headers_install), filled from the step's uapi field names as
 * sim/vfio.c fills the model's copy. Fds and VAs arrive as slots
 * (fd3, va1: iommufd.c's table); out fields are printed key=0xvalue for
 * the host to compare (fds not at all, ids through mappings).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <linux/vfio.h>

#include "agent.h"

#ifdef VFIO_DEVICE_DETACH_IOMMUFD_PT
int vfio_cdev_open(const char *bdf)
{
	char path[PATH_MAX], name[64];
	int fd;

	snprintf(path, sizeof(path), PCI_DEVICES "/%s/vfio-dev", bdf);
	if (first_entry(path, name, sizeof(name)))
		return -ENOENT;
	snprintf(path, sizeof(path), "/dev/vfio/devices/%s", name);
	fd = open(path, O_RDWR | O_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

/* the group node: /dev/vfio/N, or noiommu-N for VFIO's fake group */
static int group_open(const char *bdf)
{
	char path[PATH_MAX], grp[32];
	int fd;

	if (dev_link(bdf, "iommu_group", grp, sizeof(grp)))
		return -ENOENT;
	snprintf(path, sizeof(path), "/dev/vfio/%s", grp);
	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0 && errno == ENOENT) {
		snprintf(path, sizeof(path), "/dev/vfio/noiommu-%s", grp);
		fd = open(path, O_RDWR | O_CLOEXEC);
	}
	return fd < 0 ? -errno : fd;
}

static const char *step_bdf(const struct step *st, const char *key)
{
	struct device *d = ifd_arg(st, key) ? find_dev(ifd_arg(st, key)) : NULL;

	return d && d->present ? d->bdf : NULL;
}

/* an fd slot the scenario's end closes (iommufd.c's table) */
static void print_fd(const struct step *st, int fd)
{
	if (fd < 0) {
		printf(" -%s", errname(-fd));
		return;
	}
	ifd_fd_bind(st, "out_fd", fd);
	printf(" 0");
}

static void do_open(const struct step *st)
{
	const char *path = ifd_arg(st, "path");
	int fd;

	if (ifd_arg(st, "group_of") || ifd_arg(st, "cdev_of")) {
		const char *bdf = step_bdf(
			st, ifd_arg(st, "group_of") ? "group_of" : "cdev_of");

		fd = !bdf		       ? -ENODEV
		     : ifd_arg(st, "group_of") ? group_open(bdf)
					       : vfio_cdev_open(bdf);
	} else {
		fd = open(path ? path : "", O_RDWR | O_CLOEXEC);
		fd = fd < 0 ? -errno : fd;
	}
	print_fd(st, fd);
}

static void print_fd_ret(int ret)
{
	if (ret < 0)
		printf(" -%s", errname(-ret));
	else
		printf(" 0");
}

static int step_fd(const struct step *st, const char *key)
{
	return (int)ifd_num(st, key, (uint64_t)-1);
}

static void print_ioctl(long ret)
{
	if (ret < 0)
		printf(" -%s", errname(errno));
	else
		printf(" %ld", ret);
}

/* ioctls whose argument is a number or an fd, or none */
static void do_scalar(const struct step *st, unsigned long cmd, const char *key)
{
	int32_t fdarg;

	if (cmd == VFIO_GROUP_SET_CONTAINER) {
		fdarg = step_fd(st, key);
		print_ioctl(ioctl(step_fd(st, "fd"), cmd, &fdarg));
	} else {
		print_ioctl(
			ioctl(step_fd(st, "fd"), cmd,
			      key ? (unsigned long)ifd_num(st, key, 0) : 0ul));
	}
}

static void do_get_device_fd(const struct step *st)
{
	const char *bdf = step_bdf(st, "dev");
	int fd = bdf ? ioctl(step_fd(st, "fd"), VFIO_GROUP_GET_DEVICE_FD, bdf)
		     : -1;

	print_fd(st, fd < 0 ? (bdf ? -errno : -ENODEV) : fd);
}

/* ---- the struct ioctls: fields as sim/optable_vfio.h names them ---- */

#define T_GSTAT struct vfio_group_status
#define T_DINFO struct vfio_device_info
#define T_RINFO struct vfio_region_info
#define T_BIND struct vfio_device_bind_iommufd
#define T_ATT struct vfio_device_attach_iommufd_pt
#define T_DET struct vfio_device_detach_iommufd_pt
#define T_IINFO struct vfio_iommu_type1_info
#define T_DMAP struct vfio_iommu_type1_dma_map
/* with the struct their data[] holds when a dirty bitmap is asked for
 * (sim/vfio_args.h lays out the model's the same) */
struct unmap_arg {
	struct vfio_iommu_type1_dma_unmap u;
	struct vfio_bitmap bitmap;
};
struct dirty_arg {
	struct vfio_iommu_type1_dirty_bitmap d;
	struct vfio_iommu_type1_dirty_bitmap_get range;
};
#define T_DUNMAP struct unmap_arg
#define T_DIRTY struct dirty_arg
#define UF_AT(t, k, f, d)                                                      \
	{                                                                      \
		.key = k, .out = "out_" k, .off = offsetof(t, f),              \
		.len = FSZ(t, f), .dir = d                                     \
	}

static const struct ufield f_gstat[] = { UF(T_GSTAT, argsz, UF_IN),
					 UF(T_GSTAT, flags, UF_INOUT), UF_END };
static const struct ufield f_dinfo[] = {
	UF(T_DINFO, argsz, UF_IN),	    UF(T_DINFO, flags, UF_INOUT),
	UF(T_DINFO, num_regions, UF_INOUT), UF(T_DINFO, num_irqs, UF_INOUT),
	UF(T_DINFO, cap_offset, UF_INOUT),  UF_END
};
static const struct ufield f_rinfo[] = { UF(T_RINFO, argsz, UF_INOUT),
					 UF(T_RINFO, flags, UF_INOUT),
					 UF(T_RINFO, index, UF_IN),
					 UF(T_RINFO, cap_offset, UF_INOUT),
					 UF(T_RINFO, size, UF_INOUT),
					 UF(T_RINFO, offset, UF_INOUT),
					 UF_END };
static const struct ufield f_bind[] = {
	UF(T_BIND, argsz, UF_IN),	   UF(T_BIND, flags, UF_IN),
	UF(T_BIND, iommufd, UF_IN),	   UF(T_BIND, out_devid, UF_OUT),
	UF(T_BIND, token_uuid_ptr, UF_IN), UF_END
};
static const struct ufield f_att[] = { UF(T_ATT, argsz, UF_IN),
				       UF(T_ATT, flags, UF_IN),
				       UF(T_ATT, pt_id, UF_INOUT),
				       UF(T_ATT, pasid, UF_IN), UF_END };
static const struct ufield f_det[] = { UF(T_DET, argsz, UF_IN),
				       UF(T_DET, flags, UF_IN),
				       UF(T_DET, pasid, UF_IN), UF_END };
static const struct ufield f_iinfo[] = { UF(T_IINFO, argsz, UF_INOUT),
					 UF(T_IINFO, flags, UF_INOUT),
					 UF(T_IINFO, iova_pgsizes, UF_INOUT),
					 UF(T_IINFO, cap_offset, UF_INOUT),
					 UF_END };
static const struct ufield f_dmap[] = {
	UF(T_DMAP, argsz, UF_IN), UF(T_DMAP, flags, UF_IN),
	UF(T_DMAP, vaddr, UF_IN), UF(T_DMAP, iova, UF_IN),
	UF(T_DMAP, size, UF_IN),  UF_END
};
static const struct ufield f_dunmap[] = {
	UF_AT(T_DUNMAP, "argsz", u.argsz, UF_IN),
	UF_AT(T_DUNMAP, "flags", u.flags, UF_IN),
	UF_AT(T_DUNMAP, "iova", u.iova, UF_IN),
	UF_AT(T_DUNMAP, "size", u.size, UF_INOUT),
	UF_AT(T_DUNMAP, "bitmap_pgsize", bitmap.pgsize, UF_IN),
	UF_AT(T_DUNMAP, "bitmap_size", bitmap.size, UF_IN),
	UF_END
};

static const struct ufield f_dirty[] = {
	UF_AT(T_DIRTY, "argsz", d.argsz, UF_IN),
	UF_AT(T_DIRTY, "flags", d.flags, UF_IN),
	UF_AT(T_DIRTY, "iova", range.iova, UF_IN),
	UF_AT(T_DIRTY, "size", range.size, UF_IN),
	UF_AT(T_DIRTY, "bitmap_pgsize", range.bitmap.pgsize, UF_IN),
	UF_AT(T_DIRTY, "bitmap_size", range.bitmap.size, UF_IN),
	UF_END
};

struct vcmd {
	const char *verb;
	unsigned long cmd;
	size_t size;
	const struct ufield *fields;
	/* a dirty bitmap behind the struct when flags has @bitmap_flag:
	 * argsz is @base without it; the struct vfio_bitmap at @bitmap_off */
	size_t base;
	uint32_t bitmap_flag;
	size_t bitmap_off;
	/* what a successful call wrote behind the struct (@len bytes) */
	void (*print)(const void *cmd, size_t len);
};

#define VCMD(c, t, f)                                                          \
	{                                                                      \
#c, c, sizeof(t), f, sizeof(t), 0, 0                           \
	}
#define VCMD_BITMAP(c, t, f, b, flag, off)                                     \
	{                                                                      \
#c, c, sizeof(t), f, sizeof(b), flag, offsetof(t, off)         \
	}
#define VCMD_PRINT(c, t, f, p)                                                 \
	{                                                                      \
#c, c, sizeof(t), f, sizeof(t), 0, 0, p                        \
	}

/* GET_REGION_INFO's capability at cap_offset, when the chain fit inside
 * argsz (sim/vfio.c region_info_post()) */
static void region_cap_print(const void *cmd, size_t len)
{
	const struct vfio_region_info *info = cmd;
	struct vfio_info_cap_header cap;

	if (!info->cap_offset || info->cap_offset + sizeof(cap) > len ||
	    info->cap_offset + sizeof(cap) > info->argsz)
		return;
	memcpy(&cap, (const char *)cmd + info->cap_offset, sizeof(cap));
	printf(" out_cap_id=0x%x out_cap_version=0x%x out_cap_next=0x%x",
	       cap.id, cap.version, cap.next);
}
static const struct vcmd vcmds[] = {
	VCMD(VFIO_GROUP_GET_STATUS, T_GSTAT, f_gstat),
	VCMD(VFIO_DEVICE_GET_INFO, T_DINFO, f_dinfo),
	VCMD_PRINT(VFIO_DEVICE_GET_REGION_INFO, T_RINFO, f_rinfo,
		   region_cap_print),
	VCMD(VFIO_DEVICE_BIND_IOMMUFD, T_BIND, f_bind),
	VCMD(VFIO_DEVICE_ATTACH_IOMMUFD_PT, T_ATT, f_att),
	VCMD(VFIO_DEVICE_DETACH_IOMMUFD_PT, T_DET, f_det),
	VCMD(VFIO_IOMMU_GET_INFO, T_IINFO, f_iinfo),
	VCMD(VFIO_IOMMU_MAP_DMA, T_DMAP, f_dmap),
	VCMD_BITMAP(VFIO_IOMMU_UNMAP_DMA, T_DUNMAP, f_dunmap,
		    struct vfio_iommu_type1_dma_unmap,
		    VFIO_DMA_UNMAP_FLAG_GET_DIRTY_BITMAP, bitmap),
	VCMD_BITMAP(VFIO_IOMMU_DIRTY_PAGES, T_DIRTY, f_dirty,
		    struct vfio_iommu_type1_dirty_bitmap,
		    VFIO_IOMMU_DIRTY_PAGES_FLAG_GET_BITMAP, range.bitmap),
};

/* The caller's bitmap: bitmap_size bytes each bitmap_fill, behind the
 * struct vfio_bitmap at d->bitmap_off (sim/vfio.c bitmap_prep()) */
static void *bitmap_buffer(const struct step *st, const struct vcmd *d,
			   char *cmd, size_t *n)
{
	struct vfio_bitmap *b = (struct vfio_bitmap *)(cmd + d->bitmap_off);
	void *p;

	*n = b->size;
	if (!*n || !(p = calloc(1, *n)))
		return NULL;
	if (ifd_num(st, "bitmap_fill", 0)) /* calloc's pages stay untouched */
		memset(p, (int)ifd_num(st, "bitmap_fill", 0), *n);
	b->data = p;
	return p;
}

/* its first words, as out_bitmap0.. (VFIO_OUT_BITMAP_WORDS) */
static void bitmap_print(const void *p, size_t n)
{
	for (size_t i = 0; p && i < 4 && (i + 1) * 8 <= n; i++) {
		uint64_t w;

		memcpy(&w, (const char *)p + i * 8, sizeof(w));
		printf(" out_bitmap%zu=0x%llx", i, (unsigned long long)w);
	}
}

/* argsz is the struct's (without the bitmap's unless flags asks for
 * one) unless the step says; the buffer as long as argsz asks (GET_INFO's
 * capability chain lands behind the struct) */
static void do_struct(const struct step *st, const struct vcmd *d)
{
	bool asked =
		d->bitmap_flag && (ifd_num(st, "flags", 0) & d->bitmap_flag);
	uint32_t argsz =
		(uint32_t)ifd_num(st, "argsz", asked ? d->size : d->base);
	size_t len = (argsz > d->size ? argsz : d->size) + 8, n = 0;
	char *cmd = calloc(1, len);
	void *bitmap = NULL;

	if (!cmd) {
		printf(" -ENOMEM");
		return;
	}
	uapi_fields_fill(st, cmd, d->fields);
	memcpy(cmd, &argsz, sizeof(argsz));
	if (asked)
		bitmap = bitmap_buffer(st, d, cmd, &n);
	if (ioctl(step_fd(st, "fd"), d->cmd, cmd)) {
		printf(" -%s", errname(errno));
		uapi_fields_print(st, cmd, d->fields, false);
	} else {
		printf(" 0");
		uapi_fields_print(st, cmd, d->fields, true);
		bitmap_print(bitmap, n);
		if (d->print)
			d->print(cmd, len);
	}
	free(bitmap);
	free(cmd);
}

/* ---- the hot reset ioctls: the arrays behind the headers ---- */

/* as sim/vfio_args.h lays out the model's: room for four devices, four
 * group fds */
#define HOT_RESET_DEVICES 4
struct hot_reset_info_arg {
	__u32 argsz;
	__u32 flags;
	__u32 count;
	struct vfio_pci_dependent_device devices[HOT_RESET_DEVICES];
};
_Static_assert(offsetof(struct hot_reset_info_arg, devices) ==
		       sizeof(struct vfio_pci_hot_reset_info),
	       "the devices are the header's devices[]");
struct hot_reset_arg {
	__u32 argsz;
	__u32 flags;
	__u32 count;
	__s32 group_fds[HOT_RESET_DEVICES];
};
_Static_assert(offsetof(struct hot_reset_arg, group_fds) ==
		       sizeof(struct vfio_pci_hot_reset),
	       "the fds are the header's group_fds[]");

/* each affected device: the devid as the kernel gives it, a group id as
 * its rank among the scenario's groups (as the model numbers them) */
static void hot_reset_devices_print(const struct hot_reset_info_arg *a)
{
	int devid = a->flags & VFIO_PCI_HOT_RESET_FLAG_DEV_ID, n;

	for (__u32 i = 0; i < a->count && i < HOT_RESET_DEVICES; i++) {
		const struct vfio_pci_dependent_device *d = &a->devices[i];

		if (devid)
			printf(" out_devid%u=0x%x", i, d->devid);
		else
			printf(" out_group_id%u=0x%x", i,
			       group_rank((int)d->group_id, &n));
		printf(" out_bus%u=0x%x out_devfn%u=0x%x", i, d->bus, i,
		       d->devfn);
	}
}

/* GET_PCI_HOT_RESET_INFO: argsz the whole struct's unless the step
 * says; the header printed after a failure too (-ENOSPC copies the
 * count back) */
static void do_hot_reset_info(const struct step *st)
{
	struct hot_reset_info_arg a = { 0 };

	a.argsz = (__u32)ifd_num(st, "argsz", sizeof(a));
	if (ioctl(step_fd(st, "fd"), VFIO_DEVICE_GET_PCI_HOT_RESET_INFO, &a)) {
		printf(" -%s out_flags=0x%x out_count=0x%x", errname(errno),
		       a.flags, a.count);
		return;
	}
	printf(" 0 out_flags=0x%x out_count=0x%x", a.flags, a.count);
	hot_reset_devices_print(&a);
}

/* PCI_HOT_RESET: group_fds0.. the slots' fds; count how many were given
 * unless the step says */
static void do_hot_reset(const struct step *st)
{
	struct hot_reset_arg a = { 0 };
	__u32 n = 0;

	a.argsz = (__u32)ifd_num(st, "argsz", sizeof(a));
	a.flags = (__u32)ifd_num(st, "flags", 0);
	for (__u32 i = 0; i < HOT_RESET_DEVICES; i++) {
		char key[16];

		snprintf(key, sizeof(key), "group_fds%u", i);
		if (!ifd_arg(st, key))
			continue;
		a.group_fds[i] = (__s32)ifd_num(st, key, (uint64_t)-1);
		n = i + 1;
	}
	a.count = (__u32)ifd_num(st, "count", n);
	print_ioctl(ioctl(step_fd(st, "fd"), VFIO_DEVICE_PCI_HOT_RESET, &a));
}

/* VFIO_DEVICE_FEATURE: flags with feature= in its low 16 bits, data[]
 * LOW_POWER_ENTRY_WITH_WAKEUP's entry (sim/vfio_args.h struct
 * vfio_device_feature_arg), argsz the whole unless the step says */
static void do_feature(const struct step *st)
{
	struct {
		struct vfio_device_feature hdr;
		struct vfio_device_low_power_entry_with_wakeup low_power;
	} a = { 0 };
	const char *fd = ifd_arg(st, "wakeup_eventfd");

	a.hdr.argsz = (__u32)ifd_num(st, "argsz", sizeof(a));
	a.hdr.flags =
		(__u32)(ifd_num(st, "flags", 0) | ifd_num(st, "feature", 0));
	if (fd)
		a.low_power.wakeup_eventfd =
			!strcmp(fd, "none")
				? -1
				: (__s32)ifd_num(st, "wakeup_eventfd", -1);
	print_ioctl(ioctl(step_fd(st, "fd"), VFIO_DEVICE_FEATURE, &a));
}

/* pread()/pwrite() of count= bytes (at most 8) at offset=, value= and
 * out_value= little-endian, out_count= the bytes done (sim/vfio.c
 * vfio_prw(); a BAR read's bytes are QEMU's registers, which the model
 * does not compare) */
static void do_prw(const struct step *st, int write)
{
	unsigned char buf[8] = { 0 };
	size_t count = (size_t)ifd_num(st, "count", 4);
	unsigned long long value = ifd_num(st, "value", 0);
	off_t off = (off_t)ifd_num(st, "offset", 0);
	ssize_t n;

	if (count > sizeof(buf))
		count = sizeof(buf);
	for (size_t i = 0; i < count; i++)
		buf[i] = (unsigned char)(value >> (8 * i));
	n = write ? pwrite(step_fd(st, "fd"), buf, count, off)
		  : pread(step_fd(st, "fd"), buf, count, off);
	if (n < 0) {
		printf(" -%s", errname(errno));
		return;
	}
	printf(" 0 out_count=%zd", n);
	if (write)
		return;
	value = 0;
	for (size_t i = 0; i < (size_t)n; i++)
		value |= (unsigned long long)buf[i] << (8 * i);
	printf(" out_value=0x%llx", value);
}

void vfio_step(const struct step *st)
{
	if (!strcmp(st->verb, "vfio_open"))
		return do_open(st);
	if (!strcmp(st->verb, "vfio_close"))
		return print_fd_ret(ifd_fd_close(st, "fd"));
	if (!strcmp(st->verb, "VFIO_GROUP_GET_DEVICE_FD"))
		return do_get_device_fd(st);
	if (!strcmp(st->verb, "VFIO_GET_API_VERSION"))
		return do_scalar(st, VFIO_GET_API_VERSION, NULL);
	if (!strcmp(st->verb, "VFIO_CHECK_EXTENSION"))
		return do_scalar(st, VFIO_CHECK_EXTENSION, "extension");
	if (!strcmp(st->verb, "VFIO_SET_IOMMU"))
		return do_scalar(st, VFIO_SET_IOMMU, "type");
	if (!strcmp(st->verb, "VFIO_GROUP_SET_CONTAINER"))
		return do_scalar(st, VFIO_GROUP_SET_CONTAINER, "container_fd");
	if (!strcmp(st->verb, "VFIO_GROUP_UNSET_CONTAINER"))
		return do_scalar(st, VFIO_GROUP_UNSET_CONTAINER, NULL);
	if (!strcmp(st->verb, "VFIO_DEVICE_RESET"))
		return do_scalar(st, VFIO_DEVICE_RESET, NULL);
	if (!strcmp(st->verb, "pread") || !strcmp(st->verb, "pwrite"))
		return do_prw(st, !strcmp(st->verb, "pwrite"));
	if (!strcmp(st->verb, "VFIO_DEVICE_GET_PCI_HOT_RESET_INFO"))
		return do_hot_reset_info(st);
	if (!strcmp(st->verb, "VFIO_DEVICE_PCI_HOT_RESET"))
		return do_hot_reset(st);
	if (!strcmp(st->verb, "VFIO_DEVICE_FEATURE"))
		return do_feature(st);
	for (size_t i = 0; i < sizeof(vcmds) / sizeof(vcmds[0]); i++) {
		if (!strcmp(vcmds[i].verb, st->verb))
			return do_struct(st, &vcmds[i]);
	}
	printf(" unsupported");
}
#else
int vfio_cdev_open(const char *bdf)
{
	return -ENOSYS;
}

void vfio_step(const struct step *st)
{
	printf(" unsupported");
}
#endif
