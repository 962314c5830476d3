/* SPDX-License-Identifier: MIT */
/*
 * fx_vfio.h - a machine for the VFIO tests:
 *
 *   a, b   one IOMMU group of two (multifunction, no ACS); b starts on
 *          e1000e (a kernel driver holding the group)
 *   c      an IOMMU group of its own
 *   n, n2  no IOMMU covers them (dev->iommu NULL)
 *
 * The IOMMU is AMD-Vi (no interrupt remapping, as on QEMU's q35), booted
 * with iommufd.allow_unsafe_interrupts as the guest is. fx_boot() takes
 * a Kconfig request first (NULL: the guest's config); fx_boot_in() the
 * profile too (fx_boot(): linux-7.3).
 */
#ifndef IOMMUSIM_TESTS_VFIO_FX_VFIO_H
#define IOMMUSIM_TESTS_VFIO_FX_VFIO_H

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "vfio/vfio_private.h"
#include "profile.h"

struct fx {
	struct iommu_model *m;
	struct process *root, *user; /* user: no CAP_SYS_RAWIO */
	struct device *a, *b, *c, *n, *n2;
	struct device_driver *vfio_pci, *e1000e;
};

static inline struct fx *fx_boot_in(const struct iommu_profile *p,
				    const struct vfio_kconfig_req *req,
				    bool noiommu)
{
	struct fx *f = calloc(1, sizeof(*f));
	char *why = NULL;

	f->m = iommu_model_new(p);
	iommu_device_add(f->m, "iommu0", IOMMU_DRV_AMD_VI);
	iommu_register_builtin_drivers(f->m);
	f->vfio_pci = driver_find(f->m, "vfio-pci");
	f->e1000e = driver_find(f->m, "e1000e");
	f->a = device_add(f->m, "a", DEV_PCI, NULL, 2 << 3);
	f->b = device_add(f->m, "b", DEV_PCI, NULL, (2 << 3) | 1);
	f->a->multifunction = f->b->multifunction = true;
	f->c = device_add(f->m, "c", DEV_PCI, NULL, 3 << 3);
	f->n = device_add(f->m, "n", DEV_PCI, NULL, 5 << 3);
	f->n2 = device_add(f->m, "n2", DEV_PCI, NULL, 6 << 3);
	f->n->iommu = f->n2->iommu = NULL;
	iommu_set_cmdline(f->m, "iommufd.allow_unsafe_interrupts", true);
	assert_int_equal(0, iommu_model_boot(f->m));
	assert_int_equal(0, device_driver_attach(f->m, f->b, f->e1000e));
	if (req)
		assert_int_equal(0, vfio_set_kconfig(f->m, req, &why));
	g_free(why);
	if (noiommu)
		assert_int_equal(0, vfio_set_noiommu_param(f->m, true));
	f->root = process_new();
	f->user = process_new();
	f->user->caps &= ~CAP_BIT(CAP_SYS_RAWIO);
	return f;
}

static inline int fx_free(void **state)
{
	struct fx *f = *state;
	char *bad = iommu_check_invariants(f->m);

	assert_null(bad);
	process_free(f->root);
	process_free(f->user);
	iommu_model_free(f->m);
	free(f);
	return 0;
}

static inline struct fx *fx_boot(const struct vfio_kconfig_req *req,
				 bool noiommu)
{
	return fx_boot_in(&profile_linux_7_3, req, noiommu);
}

static inline int fx_setup(void **state)
{
	*state = fx_boot(NULL, true);
	return 0;
}

static inline int fx_bind_vfio(struct fx *f, struct device *dev)
{
	return device_driver_attach(f->m, dev, f->vfio_pci);
}

static inline bool fx_node(struct fx *f, const char *path)
{
	return vfio_node_exists(f->m, path);
}

/* open() that must succeed */
static inline struct vfio_file *fx_open(struct fx *f, const char *path)
{
	struct vfio_file *file = NULL;

	assert_int_equal(0, vfio_open(f->m, f->root, path, &file));
	return file;
}

static inline int fx_ioctl(struct fx *f, struct vfio_file *file,
			   unsigned int cmd, void *arg, size_t len)
{
	return vfio_ioctl(file, f->root, cmd, arg, len, NULL);
}

/* VFIO_DEVICE_BIND_IOMMUFD of @df to @ictx_file: the ioctl's result */
static inline int fx_bind_iommufd(struct fx *f, struct vfio_file *df,
				  struct vfio_file *ictx_file, u32 *devid)
{
	struct vfio_device_bind_iommufd b = {
		.argsz = sizeof(b),
		.iommufd = vfio_file_fd(ictx_file),
	};
	int rc = fx_ioctl(f, df, VFIO_DEVICE_BIND_IOMMUFD, &b, sizeof(b));

	if (devid)
		*devid = b.out_devid;
	return rc;
}

/* An iommufd ctx opened on /dev/iommu, as a file VFIO can take */
static inline struct vfio_file *fx_iommufd(struct fx *f)
{
	struct iommufd_ctx *ictx = NULL;

	assert_int_equal(0, iommufd_fops_open(f->m, &ictx));
	return vfio_file_iommufd(f->m, f->root, ictx);
}

static inline void fx_close_iommufd(struct vfio_file *file)
{
	iommufd_fops_close(file->ictx);
	vfio_close(file);
}

/* c bound to vfio-pci, opened as /dev/vfio/devices/vfio0 and bound to
 * an iommufd (*ifd): access granted */
static inline struct vfio_file *fx_open_bound(struct fx *f,
					      struct vfio_file **ifd)
{
	struct vfio_file *df;

	assert_int_equal(0, fx_bind_vfio(f, f->c));
	df = fx_open(f, "/dev/vfio/devices/vfio0");
	*ifd = fx_iommufd(f);
	assert_int_equal(0, fx_bind_iommufd(f, df, *ifd, NULL));
	return df;
}

#endif
