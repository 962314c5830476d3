/* SPDX-License-Identifier: MIT */
/*
 * ifd_fixture.h - a machine with one AMD-Vi IOMMU and one PCI device, a
 * caller process with a buffer, and an open iommufd; the helper trio of
 * the kernel's selftests (tools/testing/selftests/iommu/iommufd_utils.h):
 * a raw call returning the errno, and asserting forms.
 *
 * The buffer: BUFFER_PAGES pages at BUFFER_VA, physically contiguous from
 * BUFFER_PA. Teardown closes the ctx and checks nothing stays pinned or
 * charged.
 */
#ifndef IOMMUSIM_TESTS_IOMMUFD_FIXTURE_H
#define IOMMUSIM_TESTS_IOMMUFD_FIXTURE_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/kerrno.h"
#include "iommufd/iommufd_private.h"
#include "iommufd/iommufd_test.h"
#include "profile.h"
#include "pt/amdv1.h"

#define PAGE_SIZE 4096ull
#define BUFFER_VA 0x7f0000000000ull
#define BUFFER_PAGES 64ull
#define BUFFER_SIZE (BUFFER_PAGES * PAGE_SIZE)
#define BUFFER_PA 0x40000000ull
#define MIB (1ull << 20)

struct ifd {
	struct iommu_model *m;
	struct device *dev;
	struct process *task;
	struct iommufd_ctx *ictx;
	u32 ioas_id;
};

static inline int ifd_setup(void **state)
{
	struct ifd *f = calloc(1, sizeof(*f));

	f->m = iommu_model_new(&profile_linux_7_3);
	iommu_device_add(f->m, "iommu0", IOMMU_DRV_AMD_VI);
	f->dev = device_add(f->m, "nic", DEV_PCI, NULL, 2 << 3);
	assert_int_equal(0, iommu_model_boot(f->m));
	f->task = process_new();
	assert_int_equal(0, process_mmap_contig(f->task, BUFFER_VA, BUFFER_SIZE,
						BUFFER_PA, true));
	assert_int_equal(0, iommufd_fops_open(f->m, &f->ictx));
	*state = f;
	return 0;
}

static inline int ifd_teardown(void **state)
{
	struct ifd *f = *state;

	if (f->ictx)
		iommufd_fops_close(f->ictx);
	assert_int_equal(0, f->task->pinned_vm);
	assert_int_equal(0, f->task->user->locked_vm);
	assert_int_equal(0, f->task->mm_locked_vm);
	assert_false(f->m->warned);
	process_free(f->task);
	iommu_model_free(f->m);
	free(f);
	return 0;
}

/* The raw call: 0 or a negative errno. */
#define ifd_ioctl(f, cmd, s)                                                   \
	iommufd_ioctl((f)->ictx, (f)->task, cmd, s, sizeof(*(s)))

/* IOMMU_TEST_CMD (the selftest mock's ops), its size filled in */
static inline int test_cmd(struct ifd *f, struct iommu_test_cmd *cmd)
{
	cmd->size = sizeof(*cmd);
	return ifd_ioctl(f, IOMMU_TEST_CMD, cmd);
}

static inline u32 ioas_alloc(struct ifd *f)
{
	struct iommu_ioas_alloc cmd = { .size = sizeof(cmd) };

	assert_int_equal(0, ifd_ioctl(f, IOMMU_IOAS_ALLOC, &cmd));
	return cmd.out_ioas_id;
}

static inline int ioas_map_raw(struct ifd *f, u32 ioas, u64 va, u64 len,
			       u32 flags, u64 *iova)
{
	struct iommu_ioas_map cmd = {
		.size = sizeof(cmd),
		.flags = flags,
		.ioas_id = ioas,
		.user_va = va,
		.length = len,
		.iova = *iova,
	};
	int rc = ifd_ioctl(f, IOMMU_IOAS_MAP, &cmd);

	*iova = cmd.iova;
	return rc;
}

#define RW (IOMMU_IOAS_MAP_READABLE | IOMMU_IOAS_MAP_WRITEABLE)
#define FIXED (RW | IOMMU_IOAS_MAP_FIXED_IOVA)

/* map at a fixed IOVA: 0 or -errno */
static inline int map_fixed(struct ifd *f, u64 va, u64 len, u64 iova)
{
	return ioas_map_raw(f, f->ioas_id, va, len, FIXED, &iova);
}

/* map at an IOVA the kernel picks, asserting success */
static inline u64 map_auto(struct ifd *f, u64 va, u64 len)
{
	u64 iova = 0;

	assert_int_equal(0, ioas_map_raw(f, f->ioas_id, va, len, RW, &iova));
	return iova;
}

static inline int unmap_raw(struct ifd *f, u64 iova, u64 len, u64 *unmapped)
{
	struct iommu_ioas_unmap cmd = {
		.size = sizeof(cmd),
		.ioas_id = f->ioas_id,
		.iova = iova,
		.length = len,
	};
	int rc = ifd_ioctl(f, IOMMU_IOAS_UNMAP, &cmd);

	if (unmapped)
		*unmapped = cmd.length;
	return rc;
}

/* IOMMU_IOAS_COPY inside the fixture's IOAS, to a fixed IOVA */
static inline int copy_fixed(struct ifd *f, u64 src_iova, u64 dst_iova,
			     u64 length)
{
	struct iommu_ioas_copy cmd = {
		.size = sizeof(cmd),
		.flags = FIXED,
		.dst_ioas_id = f->ioas_id,
		.src_ioas_id = f->ioas_id,
		.length = length,
		.src_iova = src_iova,
		.dst_iova = dst_iova,
	};

	return ifd_ioctl(f, IOMMU_IOAS_COPY, &cmd);
}

/* IOMMU_OPTION: *val goes in (SET) and comes back (GET); 0 or -errno */
static inline int option(struct ifd *f, u32 option_id, u16 op, u32 object,
			 u64 *val)
{
	struct iommu_option cmd = {
		.size = sizeof(cmd),
		.option_id = option_id,
		.op = op,
		.object_id = object,
		.val64 = *val,
	};
	int rc = ifd_ioctl(f, IOMMU_OPTION, &cmd);

	*val = cmd.val64;
	return rc;
}
#define GET IOMMU_OPTION_OP_GET
#define SET IOMMU_OPTION_OP_SET
#define HUGE IOMMU_OPTION_HUGE_PAGES
#define RLIMIT IOMMU_OPTION_RLIMIT_MODE

static inline struct iommufd_ioas *ioas_of(struct ifd *f, u32 id)
{
	struct obj_header *obj = obj_peek(&f->ictx->objects, id);

	assert_non_null(obj);
	assert_int_equal(IOMMUFD_OBJ_IOAS, obj->type);
	return (struct iommufd_ioas *)obj;
}

/* A paging domain of the device's IOMMU, as an HWPT would hold one. */
static inline struct iommu_domain *paging_domain(struct ifd *f)
{
	struct iommu_domain *d;

	assert_int_equal(0, iommu_paging_domain_alloc(f->m, f->dev, &d));
	return d;
}

/* A software-only noiommu domain (hwpt_noiommu.c's, built by hand). */
static inline struct iommu_domain *noiommu_domain(struct ifd *f)
{
	struct iommu_domain *d = iommu_domain_new(f->m, &iommufd_noiommu_ops,
						  IOMMU_DOMAIN_UNMANAGED);
	struct pt_amdv1_cfg cfg = pt_amdv1_cfg_noiommu();

	d->pt = g_new0(struct pt_amdv1, 1);
	assert_int_equal(0, pt_amdv1_init(d->pt, f->m->physmem, &cfg));
	/* as iommufd_noiommu_alloc_paging_flags() sets it: iommu_map()
	 * WARNs on a domain without page sizes */
	d->pgsize_bitmap = pt_amdv1_pgsize_bitmap(d->pt);
	return d;
}

static inline void domain_free(struct ifd *f, struct iommu_domain *d)
{
	iommu_domain_free(f->m, d);
}

#endif
