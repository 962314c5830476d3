// SPDX-License-Identifier: MIT
/*
 * driver.c - the modelled IOMMU driver's domain->ops->attach_dev(): what
 * a real driver does that the core depends on, plus fault injection so a
 * scenario can make attach fail and watch the core unwind.
 */
#include "core.h"
#include "iommufd/uapi.h"

static bool injected_failure(struct iommu_device *iommu,
			     struct iommu_domain *domain, struct device *dev)
{
	/* Static blocked domains are written so they cannot fail (amd
	 * blocked_domain_attach_device(), intel blocking_domain_attach_dev) */
	if (!iommu->fail_attach ||
	    (domain->is_static && domain->type == IOMMU_DOMAIN_BLOCKED))
		return false;
	if (iommu->fail_attach_dev && iommu->fail_attach_dev != dev)
		return false;
	if (iommu->fail_attach_skip) {
		iommu->fail_attach_skip--;
		return false;
	}
	iommu->fail_attach--;
	return true;
}

static int refuse_flags(struct iommu_model *m, const char *func, u32 flags)
{
	return iommu_refuse(m, -EOPNOTSUPP, func,
			    "flags 0x%x or user data not supported by this "
			    "IOMMU",
			    flags);
}

/*
 * The modelled drivers' domain_alloc_paging_flags on QEMU's IOMMUs:
 *  amd-vi     amd_iommu_domain_alloc_paging_flags(): user data refused;
 *             DIRTY_TRACKING needs amd_iommu_hd_support(), NEST_PARENT
 *             is_nest_parent_supported(), PASID amd_iommu_pasid_supported():
 *             none on QEMU's amd-iommu, so only flags 0 succeed.
 *  intel-vtd  intel_iommu_domain_alloc_paging_flags(): user data refused;
 *             legacy mode (QEMU's default) has no first stage, and the
 *             second stage refuses NEST_PARENT (nested_supported()) and
 *             DIRTY_TRACKING (ssads_supported()) but takes PASID.
 *  others     no feature modelled: any flag refused (the selftest's mock
 *             is iommufd's: selftest.c).
 * 0 when the driver would allocate its paging domain.
 */
int iommu_driver_paging_flags(struct iommu_model *m, struct device *dev,
			      u32 flags, bool user_data)
{
	switch (dev->iommu->kind) {
	case IOMMU_DRV_AMD_VI:
		if (flags || user_data)
			return refuse_flags(
				m, "amd_iommu_domain_alloc_paging_flags",
				flags);
		return 0;
	case IOMMU_DRV_INTEL_VTD:
		if ((flags & ~IOMMU_HWPT_ALLOC_PASID) || user_data)
			return refuse_flags(
				m, "intel_iommu_domain_alloc_second_stage",
				flags);
		return 0;
	default:
		if (flags || user_data)
			return refuse_flags(m, "domain_alloc_paging_flags",
					    flags);
		return 0;
	}
}

int iommu_driver_attach_dev(struct iommu_model *m, struct iommu_domain *domain,
			    struct device *dev)
{
	struct iommu_device *iommu = dev->iommu;

	/* A domain of another IOMMU driver: drivers check their own type
	 * (e.g. amd to_pdomain() users) and refuse. */
	if (domain->owner->kind != iommu->kind)
		return iommu_refuse(m, -EINVAL, "attach_dev",
				    "%s belongs to %s, not %s",
				    iommu_domain_name(domain),
				    domain->owner->name, iommu->name);
	if (iommu->attach_dev) {
		int ret = iommu->attach_dev(m, domain, dev);

		if (ret)
			return ret;
	}
	if (injected_failure(iommu, domain, dev))
		return iommu_refuse(m, -iommu->fail_attach_errno, "attach_dev",
				    "%s driver failed the attach of %s "
				    "(injected)",
				    iommu->name, dev->name);
	iommu_touch_device(m, dev);
	iommu_domain_slot_set(&dev->attached, domain);
	return 0;
}

/*
 * Which domains' ops have set_dev_pasid in 7.3: amd only its static
 * blocked domain (blocked_domain_set_dev_pasid(); paging and identity
 * ops have none, SVA is not modelled); intel its blocking, identity and
 * both paging ops (blocking_domain_set_dev_pasid(),
 * identity_domain_set_dev_pasid(), intel_iommu_set_dev_pasid()); arm-
 * smmu-v3 its blocked domain and default_domain_ops
 * (arm_smmu_blocking_set_dev_pasid(), arm_smmu_s1_set_dev_pasid()), not
 * its identity domain; the mock all of its domains; tegra and the
 * generic driver none. An allocated blocking domain (BLOCKED_PAGING) is
 * a paging domain of its driver.
 */
bool iommu_driver_has_set_dev_pasid(const struct iommu_domain *domain)
{
	bool blocked = domain->type == IOMMU_DOMAIN_BLOCKED;
	bool paging = domain->type & __IOMMU_DOMAIN_PAGING;

	switch (domain->owner->kind) {
	case IOMMU_DRV_AMD_VI:
		return blocked;
	case IOMMU_DRV_INTEL_VTD:
	case IOMMU_DRV_MOCK:
		return true;
	case IOMMU_DRV_ARM_SMMU_V3:
		return blocked || paging;
	default:
		return false;
	}
}

/* domain->ops->set_dev_pasid(domain, dev, pasid, old); @domain NULL is
 * ops->blocked_domain before the model has made it. A static blocked
 * domain cannot fail (as its attach_dev), the others can be made to. */
int iommu_driver_set_dev_pasid(struct iommu_model *m,
			       struct iommu_domain *domain, struct device *dev,
			       u32 pasid, struct iommu_domain *old)
{
	struct iommu_device *iommu = dev->iommu;

	if (iommu->set_dev_pasid) {
		int ret = iommu->set_dev_pasid(m, domain, dev, pasid, old);

		if (ret)
			return ret;
	}
	if (domain && injected_failure(iommu, domain, dev))
		return iommu_refuse(m, -iommu->fail_attach_errno,
				    "set_dev_pasid",
				    "%s driver failed the attach of %s pasid "
				    "%u (injected)",
				    iommu->name, dev->name, pasid);
	return 0;
}

static gpointer sid_key(struct device *dev, u32 sid)
{
	guint64 space = dev->kind == DEV_PLATFORM ? 1ull << 32 : 0;

	return (gpointer)(uintptr_t)(space + sid + 1);
}

static void add_sid(GArray *ids, u32 sid)
{
	g_array_append_val(ids, sid);
}

/*
 * The stream IDs firmware gives a device: a platform device's own; for
 * PCI, one per requester ID pci_for_each_dma_alias() visits (drivers/acpi/
 * arm64/iort.c iort_pci_iommu_init()). The root complex's IORT ID mapping
 * is modelled as an ID space of its own, apart from platform stream IDs.
 */
static GArray *stream_ids(struct device *dev)
{
	GArray *ids = g_array_new(FALSE, FALSE, sizeof(u32));

	if (dev->kind == DEV_PLATFORM) {
		if (dev->has_stream_id)
			add_sid(ids, dev->stream_id);
		return ids;
	}
	add_sid(ids, (u32)dev->bus << 8 | dev->devfn);
	if (dev->dma_alias_devfn >= 0)
		add_sid(ids, (u32)dev->bus << 8 | dev->dma_alias_devfn);
	for (struct device *br = dev->parent; br; br = br->parent) {
		if (br->kind == DEV_PCIE_PCI_BRIDGE)
			add_sid(ids, (u32)br->secondary << 8);
		else if (br->kind == DEV_PCI_BRIDGE)
			add_sid(ids, (u32)br->bus << 8 | br->devfn);
	}
	return ids;
}

/*
 * ops->probe_device(). Only arm-smmu-v3 refuses anything here:
 * arm_smmu_insert_master() gives -ENODEV for a stream ID another device
 * already owns ("Aliasing StreamID unsupported"); duplicates within one
 * device (bridged PCI) are fine.
 */
int iommu_driver_probe_device(struct iommu_model *m, struct device *dev)
{
	struct iommu_device *iommu = dev->iommu;
	GArray *ids;
	int ret = 0;

	if (iommu->kind != IOMMU_DRV_ARM_SMMU_V3)
		return 0;
	ids = stream_ids(dev);
	for (guint i = 0; i < ids->len && !ret; i++) {
		gpointer key = sid_key(dev, g_array_index(ids, u32, i));
		struct device *owner =
			iommu->stream_owners
				? g_hash_table_lookup(iommu->stream_owners, key)
				: NULL;

		if (owner && owner != dev)
			ret = iommu_refuse(m, -ENODEV, "arm_smmu_insert_master",
					   "aliasing StreamID 0x%x (from %s) "
					   "unsupported",
					   g_array_index(ids, u32, i),
					   owner->name);
	}
	for (guint i = 0; i < ids->len && !ret; i++)
		g_hash_table_insert(iommu_stream_table(&iommu->stream_owners),
				    sid_key(dev, g_array_index(ids, u32, i)),
				    dev);
	g_array_free(ids, TRUE);
	return ret;
}

/* ops->release_device(): arm_smmu_remove_master() */
void iommu_driver_release_device(struct iommu_model *m, struct device *dev)
{
	GHashTableIter it;
	gpointer key, val;

	if (!dev->iommu->stream_owners)
		return;
	g_hash_table_iter_init(&it, dev->iommu->stream_owners);
	while (g_hash_table_iter_next(&it, &key, &val)) {
		if (val == dev)
			g_hash_table_iter_remove(&it);
	}
}
