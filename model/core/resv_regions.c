// SPDX-License-Identifier: MIT
/*
 * resv_regions.c - a device's reserved regions as its IOMMU driver
 * reports them (iommu.c iommu_get_resv_regions() -> ops->
 * get_resv_regions()), its group's merged list (iommu_get_group_resv_
 * regions(), iommu_insert_resv_region()) and the group's sysfs
 * reserved_regions file (iommu_group_show_resv_regions()).
 */
#include "core.h"
#include "pt/pt_types.h"

#define PAGE_SIZE_4K 0x1000ull

static u64 page_align(u64 x)
{
	return (x + PAGE_SIZE_4K - 1) & ~(PAGE_SIZE_4K - 1);
}

/*
 * The firmware's direct ranges naming @dev: AMD's IVMD unity maps are
 * always IOMMU_RESV_DIRECT, their start and length page-aligned up
 * (amd/init.c init_unity_map_range(), amd/iommu.c amd_iommu_get_resv_
 * regions()); a VT-d RMRR is taken as its table gives it, relaxable
 * for a USB or graphics device (intel/iommu.c intel_iommu_get_resv_
 * regions(), device_rmrr_is_relaxable()); an IORT RMR is relaxable with
 * REMAP_PERMITTED (acpi/arm64/iort.c iort_get_rmrs()). All read/write:
 * the IVMD's IR/IW flags are not modelled.
 */
static unsigned int fw_direct(const struct device *dev, bool amd,
			      struct iommu_resv_region *out)
{
	for (unsigned int i = 0; i < dev->n_fw_direct; i++) {
		const struct iommu_fw_direct *f = &dev->fw_direct[i];
		bool relaxable = !amd && (dev->fw_direct_relaxable >> i & 1);

		out[i].start = amd ? page_align(f->start) : f->start;
		out[i].length = f->last - f->start + 1;
		if (amd)
			out[i].length = page_align(out[i].length);
		out[i].prot = IOMMU_READ | IOMMU_WRITE;
		out[i].type = relaxable ? IOMMU_RESV_DIRECT_RELAXABLE
					: IOMMU_RESV_DIRECT;
	}
	return dev->n_fw_direct;
}

/*
 * ops->get_resv_regions(dev), in the driver's order: amd_iommu_get_
 * resv_regions() (the unity maps, the MSI window, then the HyperTransport
 * range: QEMU's AMD-Vi sets no EFR2 HT_RANGE_IGNORE), intel_iommu_get_
 * resv_regions() (the RMRRs, then the IOAPIC window), arm_smmu_get_resv_
 * regions() (the software MSI window, then iommu_dma_get_resv_regions()'s
 * RMRs); the generic driver reports the firmware's ranges alone.
 */
unsigned int iommu_get_resv_regions(const struct device *dev,
				    struct iommu_resv_region *out)
{
	static const struct iommu_resv_region amd[] = {
		{ 0xfee00000, 0x100000, 0, IOMMU_RESV_MSI },
		{ 0xfd00000000ull, 0x300000000ull, 0, IOMMU_RESV_RESERVED },
	};
	static const struct iommu_resv_region vtd = { 0xfee00000, 0x100000, 0,
						      IOMMU_RESV_MSI };
	static const struct iommu_resv_region smmu = { 0x8000000, 0x100000,
						       IOMMU_WRITE,
						       IOMMU_RESV_SW_MSI };
	unsigned int n;

	if (!dev->iommu)
		return 0;
	switch (dev->iommu->kind) {
	case IOMMU_DRV_AMD_VI:
		n = fw_direct(dev, true, out);
		out[n++] = amd[0];
		out[n++] = amd[1];
		return n;
	case IOMMU_DRV_INTEL_VTD:
		n = fw_direct(dev, false, out);
		out[n++] = vtd;
		return n;
	case IOMMU_DRV_ARM_SMMU_V3:
		out[0] = smmu;
		return 1 + fw_direct(dev, false, out + 1);
	case IOMMU_DRV_GENERIC:
		return fw_direct(dev, false, out);
	default: /* tegra-smmu and the mock have no get_resv_regions */
		return 0;
	}
}

/*
 * iommu.c: iommu_insert_resv_region(): @nr goes before the first region
 * starting after it (or at its start with a type not below its own);
 * then the regions of its type that overlap or touch are merged, the
 * others left as they are.
 */
static void insert_resv_region(GArray *list, const struct iommu_resv_region *nr)
{
	guint at = 0, top = G_MAXUINT, out = 0;

	while (at < list->len) {
		const struct iommu_resv_region *it =
			&g_array_index(list, struct iommu_resv_region, at);

		if (nr->start < it->start ||
		    (nr->start == it->start && nr->type <= it->type))
			break;
		at++;
	}
	g_array_insert_val(list, at, *nr);
	for (guint i = 0; i < list->len; i++) {
		struct iommu_resv_region it =
			g_array_index(list, struct iommu_resv_region, i);
		struct iommu_resv_region *t =
			top == G_MAXUINT
				? NULL
				: &g_array_index(list, struct iommu_resv_region,
						 top);

		if (it.type == nr->type && t &&
		    it.start <= t->start + t->length) {
			u64 end = MAX(t->start + t->length - 1,
				      it.start + it.length - 1);

			t->length = end - t->start + 1;
			continue;
		}
		if (it.type == nr->type)
			top = out;
		g_array_index(list, struct iommu_resv_region, out++) = it;
	}
	g_array_set_size(list, out);
}

/* iommu.c: iommu_get_group_resv_regions(): every member's regions, in
 * device order, stopping at the first without dev->iommu (VFIO's fake
 * noiommu groups show an empty file) */
GArray *iommu_get_group_resv_regions(const struct iommu_group *group)
{
	GArray *list =
		g_array_new(FALSE, FALSE, sizeof(struct iommu_resv_region));

	for (guint i = 0; i < group->devices->len; i++) {
		const struct device *dev = group->devices->pdata[i];
		struct iommu_resv_region resv[IOMMU_RESV_MAX];
		unsigned int n;

		if (!dev->dev_iommu)
			break;
		n = iommu_get_resv_regions(dev, resv);
		for (unsigned int j = 0; j < n; j++)
			insert_resv_region(list, &resv[j]);
	}
	return list;
}

/* iommu.c: iommu_group_resv_type_string[] */
static const char *resv_type_name(enum iommu_resv_type type)
{
	static const char *const names[] = {
		[IOMMU_RESV_DIRECT] = "direct",
		[IOMMU_RESV_DIRECT_RELAXABLE] = "direct-relaxable",
		[IOMMU_RESV_RESERVED] = "reserved",
		[IOMMU_RESV_MSI] = "msi",
		[IOMMU_RESV_SW_MSI] = "msi",
	};

	return names[type];
}

/* iommu.c: iommu_group_show_resv_regions(): "start end type" a line,
 * the end inclusive */
char *iommu_group_show_resv_regions(const struct iommu_group *group)
{
	g_autoptr(GArray) list = iommu_get_group_resv_regions(group);
	GString *s = g_string_new(NULL);

	for (guint i = 0; i < list->len; i++) {
		const struct iommu_resv_region *r =
			&g_array_index(list, struct iommu_resv_region, i);

		g_string_append_printf(
			s, "0x%016llx 0x%016llx %s\n",
			(unsigned long long)r->start,
			(unsigned long long)(r->start + r->length - 1),
			resv_type_name(r->type));
	}
	return g_string_free(s, FALSE);
}
