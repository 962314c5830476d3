// SPDX-License-Identifier: MIT
/*
 * ifd_uapi.c - the iommufd ioctls in the guest: one row per command with
 * the real struct of <linux/iommufd.h> (headers_install of the guest
 * kernel), its fields by uapi name as the scenario language names them
 * (sim/ifd_uapi.c fills the model's layout-compatible copy the same way).
 * A field the step does not give is 0; size= sets the struct's size field,
 * tail= puts a byte just past the struct. Every out field (out_x, and the
 * in/out fields as out_<name>) is printed key=0xvalue; the host compares
 * them through mappings (hw/crosscheck/compare.c).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#if __has_include(<linux/iommufd.h>)
#include <linux/iommufd.h>
#endif

#include "agent.h"
/* not uapi: the model's layout-checked copy (cached with the agent by
 * hw/initramfs/build.sh) */
#include "../../model/iommufd/iommufd_test.h"

/* Every field of the step that is not an out field, at its offset */
void uapi_fields_fill(const struct step *st, void *cmd,
		      const struct ufield *fields)
{
	for (const struct ufield *f = fields; f->key; f++) {
		uint64_t v = ifd_num(st, f->key, 0);

		if (f->dir != UF_OUT && ifd_arg(st, f->key))
			memcpy((char *)cmd + f->off, &v, f->len);
	}
}

/* Each out field printed key=0xvalue, bound when it names a slot and the
 * call succeeded */
void uapi_fields_print(const struct step *st, const void *cmd,
		       const struct ufield *fields, bool ok)
{
	for (const struct ufield *f = fields; f->key; f++) {
		uint64_t v = 0;
		const char *key = f->dir == UF_OUT ? f->key : f->out;

		if (f->dir == UF_IN)
			continue;
		memcpy(&v, (const char *)cmd + f->off, f->len);
		if (ok)
			ifd_out_bind(st, key, v);
		printf(" %s=0x%llx", key, (unsigned long long)v);
	}
}

#ifdef IOMMU_IOAS_NOIOMMU_GET_PA

struct ucmd {
	const char *verb;
	unsigned long cmd;
	size_t size;
	const struct ufield *fields;
	/* user pointers and what a successful call leaves to note */
	void (*prep)(const struct step *st, void *cmd, void **buf);
	void (*post)(const struct step *st, void *cmd, void *buf);
	/* what the kernel wrote behind the user pointers, printed after a
	 * failed call too */
	void (*print)(const struct step *st, void *cmd, void *buf);
};

static void put_u64(void *cmd, size_t off, uint64_t v)
{
	memcpy((char *)cmd + off, &v, sizeof(v));
}

/* A zeroed buffer of @n bytes behind the user pointer at @off */
static void *scratch(void *cmd, size_t off, uint64_t n, void **buf)
{
	*buf = n ? calloc(1, n) : NULL;
	put_u64(cmd, off, (uintptr_t)*buf);
	return *buf;
}

/* ---- the commands' fields (same rows as sim/ifd_uapi.c) ---- */

#define T_MAP struct iommu_ioas_map
#define T_MAPF struct iommu_ioas_map_file
#define T_UNMAP struct iommu_ioas_unmap
#define T_COPY struct iommu_ioas_copy
#define T_RANGES struct iommu_ioas_iova_ranges
#define T_ALLOW struct iommu_ioas_allow_iovas
#define T_OPT struct iommu_option
#define T_VIOAS struct iommu_vfio_ioas
#define T_HWPT struct iommu_hwpt_alloc
#define T_INFO struct iommu_hw_info
#define T_DIRTY struct iommu_hwpt_set_dirty_tracking
#define T_BITMAP struct iommu_hwpt_get_dirty_bitmap
#define T_INV struct iommu_hwpt_invalidate
#define T_VIOMMU struct iommu_viommu_alloc
#define T_VDEV struct iommu_vdevice_alloc
#define T_GETPA struct iommu_ioas_noiommu_get_pa

static const struct ufield f_destroy[] = { UF(struct iommu_destroy, id, UF_IN),
					   UF_END };
static const struct ufield f_fault_alloc[] = {
	UF(struct iommu_fault_alloc, flags, UF_IN),
	UF(struct iommu_fault_alloc, out_fault_id, UF_OUT),
	UF(struct iommu_fault_alloc, out_fault_fd, UF_OUT),
	UF_END,
};
static const struct ufield f_ioas_alloc[] = {
	UF(struct iommu_ioas_alloc, flags, UF_IN),
	UF(struct iommu_ioas_alloc, out_ioas_id, UF_OUT),
	UF_END,
};
static const struct ufield f_map[] = {
	UF(T_MAP, flags, UF_IN),
	UF(T_MAP, ioas_id, UF_IN),
	UF(T_MAP, __reserved, UF_IN),
	UF(T_MAP, user_va, UF_IN),
	UF(T_MAP, length, UF_IN),
	UF(T_MAP, iova, UF_INOUT),
	UF_END,
};
static const struct ufield f_map_file[] = {
	UF(T_MAPF, flags, UF_IN),
	UF(T_MAPF, ioas_id, UF_IN),
	UF(T_MAPF, fd, UF_IN),
	UF(T_MAPF, start, UF_IN),
	UF(T_MAPF, length, UF_IN),
	UF(T_MAPF, iova, UF_INOUT),
	UF_END,
};
static const struct ufield f_unmap[] = {
	UF(T_UNMAP, ioas_id, UF_IN),
	UF(T_UNMAP, iova, UF_IN),
	UF(T_UNMAP, length, UF_INOUT),
	UF_END,
};
static const struct ufield f_copy[] = {
	UF(T_COPY, flags, UF_IN),
	UF(T_COPY, dst_ioas_id, UF_IN),
	UF(T_COPY, src_ioas_id, UF_IN),
	UF(T_COPY, length, UF_IN),
	UF(T_COPY, dst_iova, UF_INOUT),
	UF(T_COPY, src_iova, UF_IN),
	UF_END,
};
static const struct ufield f_ranges[] = {
	UF(T_RANGES, ioas_id, UF_IN),
	UF(T_RANGES, num_iovas, UF_INOUT),
	UF(T_RANGES, __reserved, UF_IN),
	UF(T_RANGES, out_iova_alignment, UF_OUT),
	UF_END,
};
static const struct ufield f_allow[] = {
	UF(T_ALLOW, ioas_id, UF_IN),
	UF(T_ALLOW, num_iovas, UF_IN),
	UF(T_ALLOW, __reserved, UF_IN),
	UF_END,
};
static const struct ufield f_option[] = {
	UF(T_OPT, option_id, UF_IN),  UF(T_OPT, op, UF_IN),
	UF(T_OPT, __reserved, UF_IN), UF(T_OPT, object_id, UF_IN),
	UF(T_OPT, val64, UF_INOUT),   UF_END,
};
static const struct ufield f_vfio_ioas[] = {
	UF(T_VIOAS, ioas_id, UF_INOUT),
	UF(T_VIOAS, op, UF_IN),
	UF(T_VIOAS, __reserved, UF_IN),
	UF_END,
};
static const struct ufield f_hwpt[] = {
	UF(T_HWPT, flags, UF_IN),	UF(T_HWPT, dev_id, UF_IN),
	UF(T_HWPT, pt_id, UF_IN),	UF(T_HWPT, out_hwpt_id, UF_OUT),
	UF(T_HWPT, __reserved, UF_IN),	UF(T_HWPT, data_type, UF_IN),
	UF(T_HWPT, data_len, UF_IN),	UF(T_HWPT, fault_id, UF_IN),
	UF(T_HWPT, __reserved2, UF_IN), UF_END,
};
static const struct ufield f_info[] = {
	UF(T_INFO, flags, UF_IN),
	UF(T_INFO, dev_id, UF_IN),
	UF(T_INFO, data_len, UF_INOUT),
	UF(T_INFO, in_data_type, UF_IN),
	UF(T_INFO, out_data_type, UF_OUT),
	UF(T_INFO, out_max_pasid_log2, UF_OUT),
	UF(T_INFO, out_capabilities, UF_OUT),
	UF_END,
};
static const struct ufield f_dirty[] = {
	UF(T_DIRTY, flags, UF_IN),
	UF(T_DIRTY, hwpt_id, UF_IN),
	UF(T_DIRTY, __reserved, UF_IN),
	UF_END,
};
static const struct ufield f_bitmap[] = {
	UF(T_BITMAP, hwpt_id, UF_IN),
	UF(T_BITMAP, flags, UF_IN),
	UF(T_BITMAP, __reserved, UF_IN),
	UF(T_BITMAP, iova, UF_IN),
	UF(T_BITMAP, length, UF_IN),
	UF(T_BITMAP, page_size, UF_IN),
	UF_END,
};
static const struct ufield f_inv[] = {
	UF(T_INV, hwpt_id, UF_IN),    UF(T_INV, data_type, UF_IN),
	UF(T_INV, entry_len, UF_IN),  UF(T_INV, entry_num, UF_INOUT),
	UF(T_INV, __reserved, UF_IN), UF_END,
};
static const struct ufield f_viommu[] = {
	UF(T_VIOMMU, flags, UF_IN),
	UF(T_VIOMMU, type, UF_IN),
	UF(T_VIOMMU, dev_id, UF_IN),
	UF(T_VIOMMU, hwpt_id, UF_IN),
	UF(T_VIOMMU, out_viommu_id, UF_OUT),
	UF(T_VIOMMU, data_len, UF_IN),
	UF_END,
};
static const struct ufield f_vdev[] = {
	UF(T_VDEV, viommu_id, UF_IN),
	UF(T_VDEV, dev_id, UF_IN),
	UF(T_VDEV, out_vdevice_id, UF_OUT),
	UF(T_VDEV, virt_id, UF_IN),
	UF_END,
};
#define T_VEVQ struct iommu_veventq_alloc
static const struct ufield f_veventq[] = {
	UF(T_VEVQ, flags, UF_IN),
	UF(T_VEVQ, viommu_id, UF_IN),
	UF(T_VEVQ, type, UF_IN),
	UF(T_VEVQ, veventq_depth, UF_IN),
	UF(T_VEVQ, out_veventq_id, UF_OUT),
	UF(T_VEVQ, out_veventq_fd, UF_OUT),
	UF(T_VEVQ, __reserved, UF_IN),
	UF_END,
};
#define T_HWQ struct iommu_hw_queue_alloc
static const struct ufield f_hw_queue[] = {
	UF(T_HWQ, flags, UF_IN),
	UF(T_HWQ, viommu_id, UF_IN),
	UF(T_HWQ, type, UF_IN),
	UF(T_HWQ, index, UF_IN),
	UF(T_HWQ, out_hw_queue_id, UF_OUT),
	UF(T_HWQ, nesting_parent_iova, UF_IN),
	UF(T_HWQ, length, UF_IN),
	UF_END,
};
static const struct ufield f_change_process[] = {
	UF(struct iommu_ioas_change_process, __reserved, UF_IN),
	UF_END,
};
static const struct ufield f_get_pa[] = {
	UF(T_GETPA, flags, UF_IN),
	UF(T_GETPA, ioas_id, UF_IN),
	UF(T_GETPA, __reserved, UF_IN),
	UF(T_GETPA, iova, UF_IN),
	UF(T_GETPA, length, UF_INOUT),
	UF(T_GETPA, out_phys, UF_OUT),
	UF_END,
};

/* ---- user pointers, and what the agent notes of a call ---- */

/* the array's capacity: after EMSGSIZE num_iovas is the count needed,
 * more than the kernel wrote */
static uint32_t ranges_cap;

static void ranges_prep(const struct step *st, void *cmd, void **buf)
{
	T_RANGES *c = cmd;

	if (!ifd_arg(st, "num_iovas"))
		c->num_iovas = 8;
	ranges_cap = c->num_iovas;
	scratch(cmd, offsetof(T_RANGES, allowed_iovas),
		c->num_iovas * sizeof(struct iommu_iova_range), buf);
}

static void ranges_print(const struct step *st, void *cmd, void *buf)
{
	const T_RANGES *c = cmd;
	const struct iommu_iova_range *rg = buf;
	uint32_t n = c->num_iovas < ranges_cap ? c->num_iovas : ranges_cap;

	for (uint32_t i = 0; rg && i < n && i < 4; i++)
		printf(" out_start%u=0x%llx out_last%u=0x%llx", i,
		       (unsigned long long)rg[i].start, i,
		       (unsigned long long)rg[i].last);
}

/* allowed_iovas=START,LAST,... */
static void allow_prep(const struct step *st, void *cmd, void **buf)
{
	const char *v = ifd_arg(st, "allowed_iovas");
	T_ALLOW *c = cmd;
	uint64_t n[64];
	unsigned int cnt = 0;
	struct iommu_iova_range *rg;

	for (char *p = (char *)v; p && *p && cnt < 64;) {
		n[cnt++] = strtoull(p, &p, 0);
		if (*p == ',')
			p++;
	}
	if (!ifd_arg(st, "num_iovas"))
		c->num_iovas = cnt / 2;
	rg = scratch(cmd, offsetof(T_ALLOW, allowed_iovas),
		     (cnt / 2 + 1) * sizeof(*rg), buf);
	for (unsigned int i = 0; i + 1 < cnt; i += 2) {
		rg[i / 2].start = n[i];
		rg[i / 2].last = n[i + 1];
	}
}

/* data=W,W,...: u32 words into the @n bytes behind a data_uptr */
static void data_words(const struct step *st, uint32_t *p, uint64_t n)
{
	char *v = (char *)ifd_arg(st, "data");

	for (uint64_t i = 0; p && v && *v && (i + 1) * sizeof(*p) <= n; i++) {
		p[i] = (uint32_t)strtoull(v, &v, 0);
		if (*v == ',')
			v++;
	}
}

static void hwpt_prep(const struct step *st, void *cmd, void **buf)
{
	uint64_t n = ((T_HWPT *)cmd)->data_len;

	data_words(st, scratch(cmd, offsetof(T_HWPT, data_uptr), n, buf), n);
}

static void info_prep(const struct step *st, void *cmd, void **buf)
{
	scratch(cmd, offsetof(T_INFO, data_uptr), ((T_INFO *)cmd)->data_len,
		buf);
}

static void bitmap_prep(const struct step *st, void *cmd, void **buf)
{
	const T_BITMAP *c = cmd;
	uint64_t bits = c->page_size ? c->length / c->page_size : 0;

	scratch(cmd, offsetof(T_BITMAP, data), bits / 8 + 8, buf);
}

static void inv_prep(const struct step *st, void *cmd, void **buf)
{
	const T_INV *c = cmd;
	uint64_t n = (uint64_t)c->entry_len * c->entry_num;

	data_words(st, scratch(cmd, offsetof(T_INV, data_uptr), n, buf), n);
}

static void viommu_prep(const struct step *st, void *cmd, void **buf)
{
	scratch(cmd, offsetof(T_VIOMMU, data_uptr), ((T_VIOMMU *)cmd)->data_len,
		buf);
}

/* the iommufd the step's ioctl went to: the agent's fd */
#define ICTX(st) ((int)ifd_num(st, "ictx", -1))

static void map_post(const struct step *st, void *cmd, void *buf)
{
	const T_MAP *c = cmd;

	ifd_map_add(ICTX(st), c->ioas_id, c->iova, c->length, c->user_va);
}

/* IOMMU_IOAS_MAP_FILE: GET_PA's pagemap check needs a VA over the file's
 * range. The pages iommufd pinned are the file's page cache, so a shared
 * mapping faulted in here shows the same PFNs (kept until the agent
 * exits: GET_PA may come at any later step). Only the pages before EOF
 * are touched: a map with no domain to fill accepts a range past EOF
 * (nothing is pinned yet), and touching its tail would be SIGBUS; an
 * untouched page reads as not present in pagemap. */
static void map_file_post(const struct step *st, void *cmd, void *buf)
{
	const T_MAPF *c = cmd;
	long pg = sysconf(_SC_PAGESIZE);
	uint64_t skew = c->start % pg;
	volatile const unsigned char *p;
	struct stat sb;

	if (fstat(c->fd, &sb))
		return; /* GET_PA then prints pagemap=unknown, as before */
	p = mmap(NULL, c->length + skew, PROT_READ, MAP_SHARED, c->fd,
		 c->start - skew);
	if (p == MAP_FAILED)
		return;
	for (uint64_t off = 0; off < c->length + skew &&
			       c->start - skew + off < (uint64_t)sb.st_size;
	     off += pg)
		(void)p[off];
	ifd_map_add(ICTX(st), c->ioas_id, c->iova, c->length,
		    (uint64_t)(uintptr_t)(p + skew));
}

/* an IOAS destroyed: its id may come back for another (xa_alloc()) */
static void destroy_post(const struct step *st, void *cmd, void *buf)
{
	const struct iommu_destroy *c = cmd;

	ifd_map_del(ICTX(st), c->id, 0, 0);
}

static void unmap_post(const struct step *st, void *cmd, void *buf)
{
	const T_UNMAP *c = cmd;

	ifd_map_del(ICTX(st), c->ioas_id, ifd_num(st, "iova", 0),
		    ifd_num(st, "length", 0));
}

static void copy_post(const struct step *st, void *cmd, void *buf)
{
	const T_COPY *c = cmd;

	ifd_map_copy(ICTX(st), c->src_ioas_id, c->src_iova, c->dst_ioas_id,
		     c->dst_iova, c->length);
}

/* the queue's file: an fd of ours, closed by close fd= or at the end */
static void fault_post(const struct step *st, void *cmd, void *buf)
{
	const struct iommu_fault_alloc *c = cmd;

	ifd_fd_bind(st, "out_fault_fd", (int)c->out_fault_fd);
}

/* a vEVENTQ's file, likewise */
static void veventq_post(const struct step *st, void *cmd, void *buf)
{
	const T_VEVQ *c = cmd;

	ifd_fd_bind(st, "out_veventq_fd", (int)c->out_veventq_fd);
}

static void get_pa_post(const struct step *st, void *cmd, void *buf)
{
	const T_GETPA *c = cmd;

	ifd_print_pagemap(ICTX(st), c->ioas_id, c->iova, c->out_phys);
}

#define CMD(v, c, t, f, ...)                                                   \
	{                                                                      \
		.verb = v, .cmd = c, .size = sizeof(t), .fields = f,           \
		__VA_ARGS__                                                    \
	}

static const struct ucmd cmds[] = {
	CMD("IOMMU_DESTROY", IOMMU_DESTROY, struct iommu_destroy, f_destroy,
	    .post = destroy_post),
	CMD("IOMMU_FAULT_QUEUE_ALLOC", IOMMU_FAULT_QUEUE_ALLOC,
	    struct iommu_fault_alloc, f_fault_alloc, .post = fault_post),
	CMD("IOMMU_IOAS_ALLOC", IOMMU_IOAS_ALLOC, struct iommu_ioas_alloc,
	    f_ioas_alloc),
	CMD("IOMMU_IOAS_MAP", IOMMU_IOAS_MAP, T_MAP, f_map, .post = map_post),
	CMD("IOMMU_IOAS_MAP_FILE", IOMMU_IOAS_MAP_FILE, T_MAPF, f_map_file,
	    .post = map_file_post),
	CMD("IOMMU_IOAS_UNMAP", IOMMU_IOAS_UNMAP, T_UNMAP, f_unmap,
	    .post = unmap_post),
	CMD("IOMMU_IOAS_COPY", IOMMU_IOAS_COPY, T_COPY, f_copy,
	    .post = copy_post),
	CMD("IOMMU_IOAS_IOVA_RANGES", IOMMU_IOAS_IOVA_RANGES, T_RANGES,
	    f_ranges, .prep = ranges_prep, .print = ranges_print),
	CMD("IOMMU_IOAS_ALLOW_IOVAS", IOMMU_IOAS_ALLOW_IOVAS, T_ALLOW, f_allow,
	    .prep = allow_prep),
	CMD("IOMMU_OPTION", IOMMU_OPTION, T_OPT, f_option),
	CMD("IOMMU_VFIO_IOAS", IOMMU_VFIO_IOAS, T_VIOAS, f_vfio_ioas),
	CMD("IOMMU_HWPT_ALLOC", IOMMU_HWPT_ALLOC, T_HWPT, f_hwpt,
	    .prep = hwpt_prep),
	CMD("IOMMU_GET_HW_INFO", IOMMU_GET_HW_INFO, T_INFO, f_info,
	    .prep = info_prep),
	CMD("IOMMU_HWPT_SET_DIRTY_TRACKING", IOMMU_HWPT_SET_DIRTY_TRACKING,
	    T_DIRTY, f_dirty),
	CMD("IOMMU_HWPT_GET_DIRTY_BITMAP", IOMMU_HWPT_GET_DIRTY_BITMAP,
	    T_BITMAP, f_bitmap, .prep = bitmap_prep),
	CMD("IOMMU_HWPT_INVALIDATE", IOMMU_HWPT_INVALIDATE, T_INV, f_inv,
	    .prep = inv_prep),
	CMD("IOMMU_VIOMMU_ALLOC", IOMMU_VIOMMU_ALLOC, T_VIOMMU, f_viommu,
	    .prep = viommu_prep),
	CMD("IOMMU_VDEVICE_ALLOC", IOMMU_VDEVICE_ALLOC, T_VDEV, f_vdev),
	CMD("IOMMU_IOAS_NOIOMMU_GET_PA", IOMMU_IOAS_NOIOMMU_GET_PA, T_GETPA,
	    f_get_pa, .post = get_pa_post),
	CMD("IOMMU_VEVENTQ_ALLOC", IOMMU_VEVENTQ_ALLOC, T_VEVQ, f_veventq,
	    .post = veventq_post),
	CMD("IOMMU_HW_QUEUE_ALLOC", IOMMU_HW_QUEUE_ALLOC, T_HWQ, f_hw_queue),
	/* the calling process: the agent's forked child after fork */
	CMD("IOMMU_IOAS_CHANGE_PROCESS", IOMMU_IOAS_CHANGE_PROCESS,
	    struct iommu_ioas_change_process, f_change_process),
};

/* One ioctl on the ictx= fd with the struct the step describes. */
void ifd_uapi(const struct step *st)
{
	const struct ucmd *d = NULL;
	unsigned char cmd[512] = { 0 };
	uint32_t size;
	void *buf = NULL;

	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
		if (!strcmp(cmds[i].verb, st->verb))
			d = &cmds[i];
	}
	if (!d) {
		printf(" unsupported");
		return;
	}
	size = (uint32_t)ifd_num(st, "size", d->size);
	uapi_fields_fill(st, cmd, d->fields);
	memcpy(cmd, &size, sizeof(size));
	if (ifd_arg(st, "tail") && size > d->size && d->size < sizeof(cmd))
		cmd[d->size] = (unsigned char)ifd_num(st, "tail", 1);
	if (d->prep)
		d->prep(st, cmd, &buf);
	if (ioctl((int)ifd_num(st, "ictx", -1), d->cmd, cmd)) {
		printf(" -%s", errname(errno));
		/* some calls copy the struct back and then fail (IOVA_RANGES'
		 * EMSGSIZE): the host compares what the model says the
		 * kernel wrote, so print it; bind nothing */
		uapi_fields_print(st, cmd, d->fields, false);
		if (d->print)
			d->print(st, cmd, buf);
	} else {
		printf(" 0");
		uapi_fields_print(st, cmd, d->fields, true);
		if (d->print)
			d->print(st, cmd, buf);
		if (d->post)
			d->post(st, cmd, buf);
	}
	free(buf);
}
#else
void ifd_uapi(const struct step *st)
{
	printf(" unsupported");
}
#endif

/*
 * IOMMU_TEST_CMD on the ictx= fd: op=, id=, __reserved= and the fields
 * of op='s union member (iommufd_test.h IOMMU_TEST_CMD_FIELDS, the rows
 * sim/ifd_uapi.c fills the model's struct with); the out fields printed.
 */
static const struct iommu_test_field test_fields[] = { IOMMU_TEST_CMD_FIELDS(
	IOMMU_TEST_FIELD_ROW) };

static void test_print_outs(const struct step *st, const unsigned char *cmd,
			    uint32_t op, bool ok)
{
	for (size_t i = 0; i < sizeof(test_fields) / sizeof(test_fields[0]);
	     i++) {
		const struct iommu_test_field *f = &test_fields[i];
		char key[64];
		uint64_t v = 0;

		if (f->op != op || f->dir == IOMMU_TEST_IN)
			continue;
		snprintf(key, sizeof(key), "%s%s",
			 f->dir == IOMMU_TEST_INOUT ? "out_" : "", f->key);
		memcpy(&v, cmd + f->off, f->width);
		if (ok && f->dir == IOMMU_TEST_OUT_FD)
			ifd_fd_bind(st, key, (int)v); /* closed at the end */
		else if (ok)
			ifd_out_bind(st, key, v);
		printf(" %s=0x%llx", key, (unsigned long long)v);
	}
}

void ifd_test_cmd(const struct step *st)
{
	unsigned char cmd[sizeof(struct iommu_test_cmd) + 8] = { 0 };
	struct iommu_test_cmd *c = (struct iommu_test_cmd *)cmd;
	uint32_t size = (uint32_t)ifd_num(st, "size", sizeof(*c));

	c->op = (uint32_t)ifd_num(st, "op", 0);
	c->id = (uint32_t)ifd_num(st, "id", 0);
	c->__reserved = (uint32_t)ifd_num(st, "__reserved", 0);
	for (size_t i = 0; i < sizeof(test_fields) / sizeof(test_fields[0]);
	     i++) {
		const struct iommu_test_field *f = &test_fields[i];
		uint64_t v = ifd_num(st, f->key, 0);

		if (f->op == c->op && f->dir != IOMMU_TEST_OUT &&
		    f->dir != IOMMU_TEST_OUT_FD)
			memcpy(cmd + f->off, &v, f->width);
	}
	memcpy(cmd, &size, sizeof(size));
	if (ifd_arg(st, "tail") && size > sizeof(*c))
		cmd[sizeof(*c)] = (unsigned char)ifd_num(st, "tail", 1);
	if (iommu_test_op_id_is_fd(c->op) && !ifd_arg_is_file(st, "id")) {
		printf(" n/a an object id or a VA as an access's fd: the "
		       "model's process and the agent number their files "
		       "otherwise");
		return;
	}
	if (ioctl((int)ifd_num(st, "ictx", -1), IOMMU_TEST_CMD, cmd)) {
		printf(" -%s", errname(errno));
		test_print_outs(st, cmd, c->op, false);
		return;
	}
	printf(" 0");
	test_print_outs(st, cmd, c->op, true);
}
