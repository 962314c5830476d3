/* SPDX-License-Identifier: MIT */
/*
 * fx_device.h - a machine and an iommufd ctx for the device, HWPT and
 * noiommu tests (test_device.c, test_hwpt.c, test_noiommu.c):
 *
 *   a, b   one group of two (multifunction, no ACS), behind the IOMMU
 *   c, d   one group each, behind the IOMMU
 *   n, n2  no IOMMU covers them (dev->iommu NULL): noiommu devices
 *
 * The ctx is opened by a root process that has 16 MiB mapped at user VA
 * 0x10000000, physically contiguous from PA 0x40000000.
 */
#ifndef IOMMUSIM_TESTS_IOMMUFD_FX_DEVICE_H
#define IOMMUSIM_TESTS_IOMMUFD_FX_DEVICE_H

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "iommufd/iommufd_private.h"
#include "profile.h"

#define FX_VA 0x10000000ull
#define FX_PA 0x40000000ull
#define FX_LEN (16ull << 20)

struct fx {
	struct iommu_model *m;
	struct iommufd_ctx *ictx;
	struct process *task;
	struct device *a, *b, *c, *d, *n, *n2;
};

static inline struct device *fx_pci(struct iommu_model *m, const char *name,
				    int slot, int fn)
{
	return device_add(m, name, DEV_PCI, NULL, (u8)((slot << 3) | fn));
}

/* @kind's machine; amd-vi needs iommufd.allow_unsafe_interrupts, as the
 * guest is booted with it (no interrupt remapping on QEMU's q35) */
static inline struct fx *fx_new(enum iommu_driver_kind kind)
{
	struct fx *f = calloc(1, sizeof(*f));

	f->m = iommu_model_new(&profile_linux_7_3);
	iommu_device_add(f->m, "iommu0", kind);
	driver_register(f->m, "vfio-pci", true);
	driver_register(f->m, "e1000e", false);
	f->a = fx_pci(f->m, "a", 2, 0);
	f->b = fx_pci(f->m, "b", 2, 1);
	f->a->multifunction = f->b->multifunction = true;
	f->c = fx_pci(f->m, "c", 3, 0);
	f->d = fx_pci(f->m, "d", 4, 0);
	f->n = fx_pci(f->m, "n", 5, 0);
	f->n2 = fx_pci(f->m, "n2", 6, 0);
	f->n->iommu = f->n2->iommu = NULL;
	iommu_set_cmdline(f->m, "iommufd.allow_unsafe_interrupts", true);
	assert_int_equal(0, iommu_model_boot(f->m));
	assert_int_equal(0, iommufd_fops_open(f->m, &f->ictx));
	f->task = process_new();
	assert_int_equal(
		0, process_mmap_contig(f->task, FX_VA, FX_LEN, FX_PA, true));
	return f;
}

static inline int fx_setup_amd(void **state)
{
	*state = fx_new(IOMMU_DRV_AMD_VI);
	return 0;
}

static inline int fx_setup_intel(void **state)
{
	*state = fx_new(IOMMU_DRV_INTEL_VTD);
	return 0;
}

/* Closing the ctx destroys what is left; nothing may leak */
static inline int fx_teardown(void **state)
{
	struct fx *f = *state;

	char *bad;

	assert_int_equal(1, f->ictx->file_refs); /* every device unbound */
	iommufd_fops_close(f->ictx);
	bad = iommu_check_invariants(f->m);
	assert_null(bad);
	bad = iommu_check_contract(f->m);
	assert_null(bad);
	for (guint i = 0; i < f->m->groups->len; i++) {
		struct iommu_group *g = f->m->groups->pdata[i];

		assert_int_equal(0, g->owner_cnt);
		assert_ptr_equal(g->default_domain, g->domain);
		assert_null(g->handle);
	}
	process_free(f->task);
	iommu_model_free(f->m);
	free(f);
	return 0;
}

static inline int fx_ioctl(struct fx *f, unsigned int cmd, void *arg)
{
	return iommufd_ioctl(f->ictx, f->task, cmd, arg, *(u32 *)arg);
}

static inline struct iommufd_device *fx_bind(struct fx *f, struct device *dev)
{
	struct iommufd_device *idev = NULL;
	u32 id = 0;

	assert_int_equal(0, iommufd_device_bind(f->ictx, dev, &id, &idev));
	assert_int_equal(idev->obj.id, id);
	return idev;
}

static inline u32 fx_ioas(struct fx *f)
{
	struct iommu_ioas_alloc cmd = { .size = sizeof(cmd) };

	assert_int_equal(0, fx_ioctl(f, IOMMU_IOAS_ALLOC, &cmd));
	return cmd.out_ioas_id;
}

/* IOMMU_IOAS_MAP at a fixed IOVA of [FX_VA + off, + len) */
static inline int fx_map(struct fx *f, u32 ioas, u64 iova, u64 off, u64 len)
{
	struct iommu_ioas_map cmd = {
		.size = sizeof(cmd),
		.flags = IOMMU_IOAS_MAP_FIXED_IOVA | IOMMU_IOAS_MAP_READABLE |
			 IOMMU_IOAS_MAP_WRITEABLE,
		.ioas_id = ioas,
		.user_va = FX_VA + off,
		.length = len,
		.iova = iova,
	};

	return fx_ioctl(f, IOMMU_IOAS_MAP, &cmd);
}

static inline int fx_hwpt_alloc(struct fx *f, u32 dev_id, u32 pt_id, u32 flags,
				u32 *out)
{
	struct iommu_hwpt_alloc cmd = {
		.size = sizeof(cmd),
		.flags = flags,
		.dev_id = dev_id,
		.pt_id = pt_id,
	};
	int rc = fx_ioctl(f, IOMMU_HWPT_ALLOC, &cmd);

	if (out)
		*out = cmd.out_hwpt_id;
	return rc;
}

static inline int fx_destroy(struct fx *f, u32 id)
{
	struct iommu_destroy cmd = { .size = sizeof(cmd), .id = id };

	return fx_ioctl(f, IOMMU_DESTROY, &cmd);
}

static inline struct obj_header *fx_obj(struct fx *f, u32 id)
{
	return obj_peek(&f->ictx->objects, id);
}

static inline struct iommufd_group *fx_igroup(struct fx *f, struct device *dev)
{
	return g_hash_table_lookup(f->ictx->groups,
				   GINT_TO_POINTER(dev->iommu_group->id));
}

#endif
