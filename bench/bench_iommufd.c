// SPDX-License-Identifier: MIT
/*
 * bench_iommufd.c - iommufd through the model's one dispatcher, as a
 * process would call it: IOMMU_IOAS_MAP + IOMMU_IOAS_UNMAP of 1 GiB into
 * an IOAS with a device attached (so every page is pinned and mapped into
 * an AMDv1 domain), once with memory scattered in 4 KiB pages and once in
 * 2 MiB runs; then bind / attach / detach / unbind cycles per second.
 * Figures only.
 */
#include <stdio.h>
#include <time.h>

#include "bench.h"
#include "model/iommufd/iommufd.h"
#include "model/profile.h"

#define GIB (1ull << 30)
#define VA 0x10000000ull
#define PA 0x100000000ull

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

struct rig {
	struct iommu_model *m;
	struct iommufd_ctx *ictx;
	struct process *task;
	struct iommufd_device *idev;
	u32 ioas;
};

static int rig_ioctl(struct rig *g, unsigned int cmd, void *arg)
{
	return iommufd_ioctl(g->ictx, g->task, cmd, arg, *(uint32_t *)arg);
}

static void rig_up(struct rig *g)
{
	struct iommu_ioas_alloc alloc = { .size = sizeof(alloc) };
	u32 id;

	g->m = iommu_model_new(iommu_profile_default());
	iommu_device_add(g->m, "iommu0", IOMMU_DRV_AMD_VI);
	driver_register(g->m, "vfio-pci", true);
	device_add(g->m, "nic", DEV_PCI, NULL, 3 << 3);
	iommu_set_cmdline(g->m, "iommufd.allow_unsafe_interrupts", true);
	iommu_model_boot(g->m);
	iommufd_fops_open(g->m, &g->ictx);
	g->task = process_new();
	rig_ioctl(g, IOMMU_IOAS_ALLOC, &alloc);
	g->ioas = alloc.out_ioas_id;
	iommufd_device_bind(g->ictx, device_find(g->m, "nic"), &id, &g->idev);
}

static void rig_down(struct rig *g)
{
	iommufd_device_detach(g->idev, IOMMU_NO_PASID);
	iommufd_device_unbind(g->idev);
	iommufd_fops_close(g->ictx);
	process_free(g->task);
	iommu_model_free(g->m);
}

/* 1 GiB of user memory: 4 KiB pages every other page frame (no two
 * adjacent: the domain maps 4 KiB leaves), or 2 MiB-aligned runs. */
static void map_unmap_gib(bool huge)
{
	u64 n = GIB / 4096, *pa = g_new(u64, n);
	struct rig g = { 0 };
	struct iommu_ioas_map map = { .size = sizeof(map) };
	struct iommu_ioas_unmap unmap = { .size = sizeof(unmap) };
	u32 pt;
	double t0, t_map, t_unmap;
	struct iommufd_ioas_view v = { 0 };
	int rc, view_rc;

	for (u64 i = 0; i < n; i++)
		pa[i] = huge ? PA + i * 4096 : PA + i * 8192;
	rig_up(&g);
	process_mmap(g.task, VA, GIB, pa, true);
	pt = g.ioas;
	rc = iommufd_device_attach(g.idev, IOMMU_NO_PASID, &pt);
	map.flags = IOMMU_IOAS_MAP_FIXED_IOVA | IOMMU_IOAS_MAP_READABLE |
		    IOMMU_IOAS_MAP_WRITEABLE;
	map.ioas_id = g.ioas;
	map.user_va = VA;
	map.length = GIB;
	map.iova = 1ull << 32;
	t0 = now_s();
	rc = rc ? rc : rig_ioctl(&g, IOMMU_IOAS_MAP, &map);
	t_map = now_s() - t0;
	view_rc = iommufd_view_ioas(g.ictx, g.ioas, &v);
	unmap.ioas_id = g.ioas;
	unmap.iova = map.iova;
	unmap.length = GIB;
	t0 = now_s();
	rc = rc ? rc : rig_ioctl(&g, IOMMU_IOAS_UNMAP, &unmap);
	t_unmap = now_s() - t0;
	printf("iommufd: IOMMU_IOAS_MAP 1 GiB as %s: %.3f s, UNMAP %.3f s "
	       "(rc %d, %llu pages pinned into %u domain, unmapped 0x%llx)\n",
	       huge ? "2 MiB pages" : "4 KiB pages", t_map, t_unmap, rc,
	       (unsigned long long)(view_rc ? 0 : v.pinned), v.domains,
	       (unsigned long long)unmap.length);
	rig_down(&g);
	g_free(pa);
}

static void bind_cycles(void)
{
	struct rig g = { 0 };
	struct device *dev;
	int cycles = 0, rc = 0;
	double t0, t;

	rig_up(&g);
	iommufd_device_unbind(g.idev);
	dev = device_find(g.m, "nic");
	t0 = now_s();
	do {
		for (int i = 0; i < 1000 && !rc; i++, cycles++) {
			struct iommufd_device *idev;
			u32 id, pt = g.ioas;

			rc = iommufd_device_bind(g.ictx, dev, &id, &idev);
			rc = rc ? rc
				: iommufd_device_attach(idev, IOMMU_NO_PASID,
							&pt);
			rc = rc ? rc
				: iommufd_device_detach(idev, IOMMU_NO_PASID);
			if (!rc)
				iommufd_device_unbind(idev);
		}
		t = now_s() - t0;
	} while (t < 1.0 && !rc);
	printf("iommufd: bind/attach/detach/unbind: %.0f cycles/s (%d in "
	       "%.2f s, rc %d)\n",
	       cycles / t, cycles, t, rc);
	iommufd_fops_close(g.ictx);
	process_free(g.task);
	iommu_model_free(g.m);
}

void bench_iommufd(void)
{
	map_unmap_gib(false);
	map_unmap_gib(true);
	bind_cycles();
}
