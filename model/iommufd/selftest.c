// SPDX-License-Identifier: MIT
/*
 * selftest.c - the kernel side of tools/testing/selftests/iommu
 * (CONFIG_IOMMUFD_TEST), after Linux 7.3's drivers/iommu/iommufd/
 * selftest.c: the mock IOMMU driver (mock_ops) and its mock devices on
 * the iommufd_mock bus, the selftest object (IOMMUFD_OBJ_SELFTEST) that
 * owns a mock device bound and attached to a ctx, and IOMMU_TEST_CMD
 * (iommufd_test()).
 *
 * The mock is a driver on the model's seam like the others: an
 * iommu_device of kind IOMMU_DRV_MOCK (core/device.c gives it mock_ops'
 * static blocked default domain, generic_device_group() and
 * CACHE_COHERENCY), and the per-driver switches of hw_pagetable.c and
 * device.c call mock_domain_alloc_paging_flags() and
 * mock_domain_hw_info() here. Its devices are software devices on a bus
 * of their own (device_create_soft(): not in the machine's device list,
 * so no machine description or hotplug sees them), probed when created
 * (iommu_mock_device_add()) and unregistered when their selftest object
 * goes.
 *
 * The mock domain's table is the kernel's amdv1_mock format, 2 KiB
 * granule (pt/amdv1_mock.c; core/domain.c picks it for the mock's
 * domains). Dirty tracking is the mock's amdv1_mock_dirty_ops over that
 * table (pt/amdv1_dirty.c, iommufd/iova_bitmap.c); access objects
 * are selftest_access.c's over access.c; nested domains and the vIOMMU
 * are selftest_viommu.c's; the PASID ops selftest_pasid.c's over
 * device_attach.c (set_dev_pasid is mock_domain_set_dev_pasid_nop()
 * here). Faults, vEVENTs and dma-buf ops are refused as not modelled.
 */
#include <string.h>

#include "iommufd/iommufd_private.h"
#include "iommufd/iommufd_test.h"
#include "iommufd/selftest_dmabuf.h"
#include "iommufd/selftest_private.h"
#include "core/kerrno.h"
#include "memory.h"
#include "pt/amdv1.h"

static int mock_domain_nop_attach(struct iommu_model *m,
				  struct iommu_domain *domain,
				  struct device *dev);
static int mock_domain_set_dev_pasid_nop(struct iommu_model *m,
					 const struct iommu_domain *domain,
					 struct device *dev, u32 pasid,
					 const struct iommu_domain *old);

/* iommufd_test_init(): the mock IOMMU registered on its bus */
static struct iommufd_selftest *selftest_get(struct iommu_model *m)
{
	struct iommufd_selftest *st = m->selftest;

	if (st)
		return st;
	st = g_new0(struct iommufd_selftest, 1);
	st->mock_iommu =
		iommu_device_new("iommufd_selftest_iommu", IOMMU_DRV_MOCK);
	st->mock_iommu->attach_dev = mock_domain_nop_attach;
	/* mock_iommu.iommu_dev.max_pasids */
	st->mock_iommu->max_pasids = 1u << MOCK_PASID_WIDTH;
	st->mock_iommu->set_dev_pasid = mock_domain_set_dev_pasid_nop;
	st->mock_devs = g_hash_table_new_full(g_direct_hash, g_direct_equal,
					      NULL, g_free);
	st->memory_limit = 65536;
	m->selftest = st;
	return st;
}

/* iommufd_test_exit() at the model's end */
void iommufd_selftest_free(struct iommu_model *m)
{
	struct iommufd_selftest *st = m->selftest;

	GHashTableIter it;
	gpointer dev;

	if (!st)
		return;
	/* mock devices a ctx never closed: their groups go with the model */
	g_hash_table_iter_init(&it, st->mock_devs);
	while (g_hash_table_iter_next(&it, &dev, NULL))
		device_free(dev);
	g_hash_table_destroy(st->mock_devs);
	iommu_device_free(st->mock_iommu);
	g_free(st);
	m->selftest = NULL;
}

static struct mock_dev *to_mock_dev(struct iommu_model *m,
				    const struct device *dev)
{
	return m->selftest ? g_hash_table_lookup(m->selftest->mock_devs, dev)
			   : NULL;
}

/* iommufd_selftest_is_mock_dev(): dev->release == mock_dev_release */
bool iommufd_selftest_is_mock_dev(struct iommu_model *m,
				  const struct device *dev)
{
	return to_mock_dev(m, dev) != NULL;
}

/* ida_alloc(&mock_dev_ida): the lowest id no live mock device has */
static int mock_dev_ida_alloc(struct iommufd_selftest *st)
{
	GHashTableIter it;
	gpointer val;
	int id = 0;

again:
	g_hash_table_iter_init(&it, st->mock_devs);
	while (g_hash_table_iter_next(&it, NULL, &val)) {
		if (((struct mock_dev *)val)->id == id) {
			id++;
			goto again;
		}
	}
	return id;
}

/* mock_dev_create(): a device on the mock bus, probed by mock_ops */
static int mock_dev_create(struct iommufd_ctx *ictx, u32 dev_flags,
			   struct mock_dev **out)
{
	const u32 valid_flags =
		MOCK_FLAGS_DEVICE_NO_DIRTY | MOCK_FLAGS_DEVICE_PASID;
	struct iommu_model *m = ictx->m;
	struct iommufd_selftest *st = selftest_get(m);
	struct mock_dev *mdev;
	char name[32];
	int rc;

	if (dev_flags & ~valid_flags)
		return iommu_refuse(m, -EINVAL, "mock_dev_create",
				    "unknown dev_flags 0x%x",
				    dev_flags & ~valid_flags);
	if (iommufd_should_fail(ictx, "mock_dev_create"))
		return -ENOMEM;
	mdev = g_new0(struct mock_dev, 1);
	mdev->flags = dev_flags;
	for (int i = 0; i < MOCK_DEV_CACHE_NUM; i++)
		mdev->cache[i] = IOMMU_TEST_DEV_CACHE_DEFAULT;
	mdev->id = mock_dev_ida_alloc(st);
	g_snprintf(name, sizeof(name), "iommufd_mock%d", mdev->id);
	mdev->dev = device_create_soft(name, st->mock_iommu);
	/* the "pasid-num-bits" property: MOCK_PASID_WIDTH, else 0 bits,
	 * which dev_iommu_get_max_pasids() reads as 1 << 0 PASIDs */
	mdev->dev->pasids = dev_flags & MOCK_FLAGS_DEVICE_PASID
				    ? 1u << MOCK_PASID_WIDTH
				    : 1;
	/* iommu_mock_device_add() -> device_add() -> the bus notifier */
	rc = iommu_probe_device(m, mdev->dev);
	if (rc) {
		device_unregister(m, mdev->dev);
		g_free(mdev);
		return rc;
	}
	g_hash_table_insert(st->mock_devs, mdev->dev, mdev);
	*out = mdev;
	return 0;
}

/* mock_dev_destroy(): device_unregister(), the ida id goes back */
static void mock_dev_destroy(struct iommu_model *m, struct mock_dev *mdev)
{
	struct device *dev = mdev->dev;

	g_hash_table_remove(m->selftest->mock_devs, dev); /* frees mdev */
	device_unregister(m, dev);
}

/* ---- the mock driver's ops (mock_ops, amdv1_mock_ops) ---- */

/* mock_domain_capable(IOMMU_CAP_DIRTY_TRACKING) */
bool mock_domain_capable_dirty(struct iommu_model *m, struct device *dev)
{
	struct mock_dev *mdev = to_mock_dev(m, dev);

	return mdev && !(mdev->flags & MOCK_FLAGS_DEVICE_NO_DIRTY);
}

/* mock_domain_nop_attach(): a NO_DIRTY device refuses a domain with
 * dirty ops; a nested domain of a vIOMMU needs the device's vDEVICE on it */
static int mock_domain_nop_attach(struct iommu_model *m,
				  struct iommu_domain *domain,
				  struct device *dev)
{
	struct mock_dev *mdev = to_mock_dev(m, dev);
	struct iommufd_viommu *new_viommu = NULL;
	u64 vdev_id = 0;

	if (domain->dirty_ops && mdev &&
	    (mdev->flags & MOCK_FLAGS_DEVICE_NO_DIRTY))
		return iommu_refuse(m, -EINVAL, "mock_domain_nop_attach",
				    "%s is NO_DIRTY and %s has dirty_ops",
				    dev->name, iommu_domain_name(domain));
	if (domain->type == IOMMU_DOMAIN_NESTED)
		new_viommu = mock_nested_viommu(domain);
	if (new_viommu && iommufd_viommu_get_vdev_id(new_viommu, dev, &vdev_id))
		return iommu_refuse(m, -ENOENT, "iommufd_viommu_get_vdev_id",
				    "%s has no vDEVICE on vIOMMU %u", dev->name,
				    new_viommu->obj.id);
	if (mdev) {
		mdev->viommu = new_viommu;
		mdev->vdev_id = vdev_id;
	}
	return 0;
}

/* mdev->viommu and mdev->vdev_id (IOMMU_TEST_OP_TRIGGER_VEVENT): NULL
 * for a device that is not a mock */
struct iommufd_viommu *mock_dev_viommu(struct iommu_model *m,
				       struct device *dev, u64 *vdev_id)
{
	struct mock_dev *mdev = to_mock_dev(m, dev);

	*vdev_id = mdev ? mdev->vdev_id : 0;
	return mdev ? mdev->viommu : NULL;
}

/* What mock_viommu_cache_invalidate() clears: one cache word of a mock
 * device, or all of them (@cache_id MOCK_DEV_CACHE_NUM) */
void mock_dev_invalidate_cache(struct iommu_model *m, struct device *dev,
			       u32 cache_id)
{
	struct mock_dev *mdev = to_mock_dev(m, dev);

	for (u32 i = 0; mdev && i < MOCK_DEV_CACHE_NUM; i++)
		if (cache_id == MOCK_DEV_CACHE_NUM || i == cache_id)
			mdev->cache[i] = 0;
}

/*
 * mock_domain_set_dev_pasid_nop(): PASID 1024 fails every second
 * attach (the first sets pasid_1024_fake_error, the next clears it and
 * fails -ENOMEM, a blocked domain clears it), so the selftest can watch
 * the core roll a replace back. mock_dev_enable_iopf() is not modelled
 * (no fault HWPT reaches a device here). @domain NULL: the blocked one.
 */
static int mock_domain_set_dev_pasid_nop(struct iommu_model *m,
					 const struct iommu_domain *domain,
					 struct device *dev, u32 pasid,
					 const struct iommu_domain *old)
{
	struct mock_dev *mdev = to_mock_dev(m, dev);

	(void)old;
	if (pasid != 1024 || !mdev)
		return 0;
	if (!domain || domain->type == IOMMU_DOMAIN_BLOCKED) {
		mdev->pasid_1024_fake_error = false;
	} else if (mdev->pasid_1024_fake_error) {
		mdev->pasid_1024_fake_error = false;
		return iommu_refuse(m, -ENOMEM, "mock_domain_set_dev_pasid_nop",
				    "pasid 1024's faked error (every second "
				    "attach)");
	} else {
		mdev->pasid_1024_fake_error = true;
	}
	return 0;
}

/* The selftest data of IOMMU_HWPT_ALLOC (iommu_copy_struct_from_user()
 * of a struct iommu_hwpt_selftest, iotlb its first member) */
static int mock_user_cfg(struct iommu_model *m,
			 const struct iommu_user_data *user_data,
			 struct iommu_hwpt_selftest *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	if (!user_data)
		return 0;
	if (user_data->type != IOMMU_HWPT_DATA_SELFTEST &&
	    user_data->type != IOMMU_HWPT_DATA_NONE)
		return iommu_refuse(m, -EOPNOTSUPP,
				    "mock_domain_alloc_paging_flags",
				    "data_type 0x%x", user_data->type);
	return iommu_copy_struct_from_user(
		cfg, sizeof(*cfg), user_data, IOMMU_HWPT_DATA_SELFTEST,
		offsetof(struct iommu_hwpt_selftest, iotlb) +
			sizeof(cfg->iotlb));
}

/*
 * mock_domain_alloc_pgtable(): an amdv1_mock table (pt_amdv1_cfg_mock(),
 * page sizes 2 KiB to 2^36, VA 0 to 2^38 - 1). MOCK_IOMMUPT_DEFAULT
 * overrides the aperture to [MOCK_APERTURE_START, MOCK_APERTURE_LAST];
 * MOCK_IOMMUPT_HUGE keeps the table's and offers only
 * MOCK_HUGE_PAGE_SIZE | PAGE_SIZE. DIRTY_TRACKING gives the dirty ops.
 */
static int mock_domain_alloc_pgtable(struct iommu_model *m, struct device *dev,
				     const struct iommu_hwpt_selftest *cfg,
				     u32 flags, struct iommu_domain **out)
{
	int rc;

	if (cfg->pagetable_type != MOCK_IOMMUPT_DEFAULT &&
	    cfg->pagetable_type != MOCK_IOMMUPT_HUGE)
		return iommu_refuse(m, -EOPNOTSUPP, "mock_domain_alloc_pgtable",
				    "pagetable_type %u", cfg->pagetable_type);
	rc = iommu_paging_domain_alloc(m, dev, out);
	if (rc)
		return rc;
	if (cfg->pagetable_type == MOCK_IOMMUPT_HUGE) {
		(*out)->pgsize_bitmap = MOCK_HUGE_PAGE_SIZE | IOMMUFD_PAGE_SIZE;
		(*out)->pt->pgsize_bitmap = (*out)->pgsize_bitmap;
	} else {
		(*out)->pt->aperture_start = MOCK_APERTURE_START;
		(*out)->pt->aperture_end = MOCK_APERTURE_LAST;
	}
	(*out)->dirty_ops = flags & IOMMU_HWPT_ALLOC_DIRTY_TRACKING;
	return 0;
}

/* mock_domain_alloc_paging_flags() */
int mock_domain_alloc_paging_flags(struct iommu_model *m, struct device *dev,
				   u32 flags,
				   const struct iommu_user_data *user_data,
				   struct iommu_domain **out)
{
	const u32 paging_flags = IOMMU_HWPT_ALLOC_DIRTY_TRACKING |
				 IOMMU_HWPT_ALLOC_NEST_PARENT |
				 IOMMU_HWPT_ALLOC_PASID;
	struct iommu_hwpt_selftest cfg;
	int rc;

	if ((flags & ~paging_flags) ||
	    ((flags & IOMMU_HWPT_ALLOC_DIRTY_TRACKING) &&
	     !mock_domain_capable_dirty(m, dev)))
		return iommu_refuse(m, -EOPNOTSUPP,
				    "mock_domain_alloc_paging_flags",
				    "flags 0x%x", flags);
	rc = mock_user_cfg(m, user_data, &cfg);
	if (rc)
		return rc;
	return mock_domain_alloc_pgtable(m, dev, &cfg, flags, out);
}

/*
 * mock_domain_hw_info() and what iommufd_get_hw_info() reads around it:
 * mock_domain_capable(IOMMU_CAP_DIRTY_TRACKING) unless NO_DIRTY, no ATS
 * (not PCI), max_pasids from the "pasid-num-bits" property mock_dev_create
 * sets (MOCK_PASID_WIDTH with MOCK_FLAGS_DEVICE_PASID, else 0: 1 PASID).
 */
int mock_domain_hw_info(struct iommu_model *m, struct device *dev, u32 *type,
			struct iommu_test_hw_info *info, u64 *caps,
			u8 *max_pasid_log2)
{
	struct mock_dev *mdev = to_mock_dev(m, dev);

	if (*type != IOMMU_HW_INFO_TYPE_DEFAULT &&
	    *type != IOMMU_HW_INFO_TYPE_SELFTEST)
		return iommu_refuse(m, -EOPNOTSUPP, "mock_domain_hw_info",
				    "type 0x%x", *type);
	memset(info, 0, sizeof(*info));
	info->test_reg = IOMMU_HW_INFO_SELFTEST_REGVAL;
	*type = IOMMU_HW_INFO_TYPE_SELFTEST;
	*caps = IOMMU_HW_CAP_PCI_ATS_NOT_SUPPORTED;
	if (!(mdev->flags & MOCK_FLAGS_DEVICE_NO_DIRTY))
		*caps |= IOMMU_HW_CAP_DIRTY_TRACKING;
	*max_pasid_log2 =
		mdev->flags & MOCK_FLAGS_DEVICE_PASID ? MOCK_PASID_WIDTH : 0;
	return sizeof(*info);
}

/* ---- the selftest object ---- */

/* iommufd_selftest_destroy() */
void iommufd_selftest_destroy(struct obj_header *obj)
{
	struct selftest_obj *sobj = (struct selftest_obj *)obj;

	switch (sobj->type) {
	case TYPE_IDEV: {
		struct iommufd_ctx *ictx = sobj->ictx;
		u32 id = sobj->idev->obj.id;

		iommufd_device_detach(sobj->idev, IOMMU_NO_PASID);
		iommufd_device_unbind(sobj->idev);
		/* a PASID still attached holds the idev: 7.3's
		 * iommufd_object_destroy_user() waits for it, then WARNs and
		 * leaves it; the mock device stays so it never dangles */
		if (IOMMU_WARN_ON_AS(ictx->m, obj_peek(&ictx->objects, id),
				     "iommufd_object_destroy_user",
				     "WARN_ON(ret)"))
			break;
		mock_dev_destroy(ictx->m, sobj->mock_dev);
		break;
	}
	}
}

/* iommufd_test_mock_domain(): a mock device bound to the ctx and
 * attached to cmd->id (an IOAS or a HWPT) */
static int iommufd_test_mock_domain(struct iommufd_ucmd *ucmd,
				    struct iommu_test_cmd *cmd)
{
	struct iommufd_ctx *ictx = ucmd->ictx;
	struct iommufd_device *idev;
	struct selftest_obj *sobj;
	u32 pt_id = cmd->id;
	u32 dev_flags = 0;
	u32 idev_id;
	int rc;

	rc = _iommufd_object_alloc(ictx, sizeof(*sobj), IOMMUFD_OBJ_SELFTEST,
				   (void **)&sobj);
	if (rc)
		return rc;
	sobj->ictx = ictx;
	sobj->type = TYPE_IDEV;
	if (cmd->op == IOMMU_TEST_OP_MOCK_DOMAIN_FLAGS)
		dev_flags = cmd->mock_domain_flags.dev_flags;
	rc = mock_dev_create(ictx, dev_flags, &sobj->mock_dev);
	if (rc)
		goto out_sobj;
	rc = iommufd_device_bind(ictx, sobj->mock_dev->dev, &idev_id, &idev);
	if (rc)
		goto out_mdev;
	sobj->idev = idev;
	rc = iommufd_device_attach(idev, IOMMU_NO_PASID, &pt_id);
	if (rc)
		goto out_unbind;
	/* Userspace must destroy the device_id to destroy the object */
	cmd->mock_domain.out_hwpt_id = pt_id;
	cmd->mock_domain.out_stdev_id = sobj->obj.id;
	cmd->mock_domain.out_idev_id = idev_id;
	iommufd_ucmd_respond(ucmd, sizeof(*cmd));
	iommufd_object_finalize(ictx, &sobj->obj);
	return 0;

out_unbind:
	iommufd_device_unbind(idev);
out_mdev:
	mock_dev_destroy(ictx->m, sobj->mock_dev);
out_sobj:
	iommufd_object_abort(ictx, &sobj->obj);
	return rc;
}

/* iommufd_test_get_selftest_obj() */
static struct selftest_obj *get_selftest_obj(struct iommufd_ctx *ictx, u32 id)
{
	return (struct selftest_obj *)iommufd_get_object(ictx, id,
							 IOMMUFD_OBJ_SELFTEST);
}

struct iommufd_device *iommufd_test_selftest_idev(struct iommufd_ctx *ictx,
						  u32 id,
						  struct obj_header **obj)
{
	struct selftest_obj *sobj = get_selftest_obj(ictx, id);

	*obj = sobj ? &sobj->obj : NULL;
	return sobj ? sobj->idev : NULL;
}

/* iommufd_test_mock_domain_replace() */
static int iommufd_test_mock_domain_replace(struct iommufd_ucmd *ucmd,
					    u32 device_id, u32 pt_id,
					    struct iommu_test_cmd *cmd)
{
	struct selftest_obj *sobj = get_selftest_obj(ucmd->ictx, device_id);
	int rc;

	if (!sobj)
		return -ENOENT;
	rc = iommufd_device_replace(sobj->idev, IOMMU_NO_PASID, &pt_id);
	if (!rc) {
		cmd->mock_domain_replace.pt_id = pt_id;
		rc = iommufd_ucmd_respond(ucmd, sizeof(*cmd));
	}
	iommufd_put_object(ucmd->ictx, &sobj->obj);
	return rc;
}

/* iommufd_test_add_reserved(): an extra reserved range, owned by none */
static int iommufd_test_add_reserved(struct iommufd_ucmd *ucmd, u32 ioas_id,
				     u64 start, u64 length)
{
	struct iommufd_ioas *ioas;
	int rc;

	if (!length)
		return -EINVAL;
	if (start + (length - 1) < start)
		return -EOVERFLOW;
	ioas = iommufd_get_ioas(ucmd->ictx, ioas_id);
	if (!ioas)
		return -ENOENT;
	rc = iopt_reserve_iova(&ioas->iopt, start, start + length - 1, NULL);
	iommufd_put_object(ucmd->ictx, &ioas->obj);
	return rc;
}

/* get_md_pagetable(): a paging HWPT whose domain is the mock's */
static struct iommufd_hw_pagetable *get_md_pagetable(struct iommufd_ucmd *ucmd,
						     u32 id, int *rc)
{
	struct iommufd_hw_pagetable *hwpt =
		(struct iommufd_hw_pagetable *)iommufd_get_object(
			ucmd->ictx, id, IOMMUFD_OBJ_HWPT_PAGING);

	*rc = -ENOENT;
	if (!hwpt)
		return NULL;
	if (hwpt->domain->type != IOMMU_DOMAIN_UNMANAGED ||
	    hwpt->domain->owner->kind != IOMMU_DRV_MOCK) {
		iommufd_put_object(ucmd->ictx, &hwpt->obj);
		*rc = iommu_refuse(ucmd->ictx->m, -EINVAL, "get_md_pagetable",
				   "HWPT %u is not a mock domain", id);
		return NULL;
	}
	return hwpt;
}

/* iommufd_test_md_check_pa(): every page_size step of the IOVA range
 * translates to the PA under the same step of the user VA */
static int iommufd_test_md_check_pa(struct iommufd_ucmd *ucmd, u32 id, u64 iova,
				    u64 length, u64 uptr)
{
	struct iommu_model *m = ucmd->ictx->m;
	struct iommufd_hw_pagetable *hwpt;
	u64 page_size;
	int rc;

	hwpt = get_md_pagetable(ucmd, id, &rc);
	if (!hwpt)
		return rc;
	page_size = 1ull << __builtin_ctzll(hwpt->domain->pgsize_bitmap);
	rc = -EINVAL;
	if (iova % page_size || length % page_size || uptr % page_size ||
	    uptr + length < uptr)
		goto out_put;
	for (; length; length -= page_size) {
		u64 pa = process_va_to_pa(ucmd->task, uptr, NULL);

		rc = -EFAULT; /* get_user_pages_fast() */
		if (!pa)
			goto out_put;
		rc = iommu_refuse(m, -EINVAL, "iommufd_test_md_check_pa",
				  "IOVA 0x%llx is not at the PA of 0x%llx",
				  (unsigned long long)iova,
				  (unsigned long long)uptr);
		if (iommu_iova_to_phys(m, hwpt->domain, iova) != pa)
			goto out_put;
		iova += page_size;
		uptr += page_size;
	}
	rc = 0;
out_put:
	iommufd_put_object(ucmd->ictx, &hwpt->obj);
	return rc;
}

/* The GUP pins on the page at @pa: one per iopt_pages of this ctx that
 * holds it pinned (pin_user_pages() once per page of an iopt_pages) */
static unsigned int page_pins(struct iommufd_ctx *ictx, u64 pa)
{
	g_autoptr(GPtrArray) seen = g_ptr_array_new();
	unsigned int pins = 0;

	for (u32 id = obj_next_id(&ictx->objects, 0); id;
	     id = obj_next_id(&ictx->objects, id)) {
		struct obj_header *obj = obj_peek(&ictx->objects, id);
		struct io_pagetable *iopt;

		if (obj->type != IOMMUFD_OBJ_IOAS)
			continue;
		iopt = &((struct iommufd_ioas *)obj)->iopt;
		for (guint i = 0; i < iopt->areas->len; i++) {
			struct iopt_pages *p =
				((struct iopt_area *)iopt->areas->pdata[i])
					->pages;

			if (!p || !p->pin_count ||
			    g_ptr_array_find(seen, p, NULL))
				continue;
			g_ptr_array_add(seen, p);
			for (u64 k = 0; k < p->npages; k++)
				pins += p->pin_count[k] &&
					iopt_pages_index_to_pa(p, k) == pa;
		}
	}
	return pins;
}

/* iommufd_test_md_check_refs(): each page's pin count is @refs */
static int iommufd_test_md_check_refs(struct iommufd_ucmd *ucmd, u64 uptr,
				      u64 length, u32 refs)
{
	if (length % IOMMUFD_PAGE_SIZE || uptr % IOMMUFD_PAGE_SIZE ||
	    uptr + length < uptr)
		return -EINVAL;
	for (; length; length -= IOMMUFD_PAGE_SIZE) {
		u64 pa = process_va_to_pa(ucmd->task, uptr, NULL);
		unsigned int pins;

		if (!pa)
			return -EFAULT;
		pins = page_pins(ucmd->ictx, pa);
		if (pins != refs)
			return iommu_refuse(
				ucmd->ictx->m, -EIO,
				"iommufd_test_md_check_refs",
				"page at 0x%llx has %u pins, not %u",
				(unsigned long long)uptr, pins, refs);
		uptr += IOMMUFD_PAGE_SIZE;
	}
	return 0;
}

/* iommufd_test_dirty(): set_dirty() at each page_size step of the range
 * whose bit is set in the user's bitmap, counted into out_nr_dirty */
static int iommufd_test_dirty(struct iommufd_ucmd *ucmd,
			      struct iommu_test_cmd *cmd)
{
	u64 iova = cmd->dirty.iova, length = cmd->dirty.length;
	u64 page_size = cmd->dirty.page_size, uptr = cmd->dirty.uptr;
	struct iommufd_hw_pagetable *hwpt;
	u8 *bits = NULL;
	u64 max, count = 0, words;
	int rc;

	if (!page_size || !length || iova % page_size || length % page_size ||
	    !uptr)
		return -EINVAL;
	max = length / page_size;
	if (max > (16ull << 20) * 8) /* SZ_16M * BITS_PER_BYTE */
		return -EOVERFLOW;
	hwpt = get_md_pagetable(ucmd, cmd->id, &rc);
	if (!hwpt)
		return rc;
	if (!hwpt->domain->dirty_tracking) { /* MOCK_DIRTY_TRACK */
		rc = iommu_refuse(ucmd->ictx->m, -EINVAL, "iommufd_test_dirty",
				  "HWPT %u is not tracking dirty", cmd->id);
		goto out_put;
	}
	/* kvzalloc(DIV_ROUND_UP(max, BITS_PER_LONG) * sizeof(long)):
	 * modelled memory, -ENOMEM past the budget */
	words = (max + 63) / 64;
	bits = iommu_memory_buffer(ucmd->ictx->m, words * 8);
	if (!bits) {
		rc = iommu_refuse(ucmd->ictx->m, -ENOMEM, "iommufd_test_dirty",
				  "kvzalloc() of the %" G_GUINT64_FORMAT
				  "-byte bitmap: past the memory budget",
				  words * 8);
		goto out_put;
	}
	rc = process_copy_from_user(ucmd->task, bits, uptr, (max + 7) / 8);
	if (rc)
		goto out_free;
	for (u64 i = 0; i < max; i++) {
		if (!(bits[i / 8] & (1u << (i % 8))))
			continue;
		/* an unmapped IOVA: __set_dirty()'s -ENOENT is ignored */
		pt_amdv1_set_dirty(hwpt->domain->pt, iova + i * page_size);
		count++;
	}
	cmd->dirty.out_nr_dirty = count;
	rc = iommufd_ucmd_respond(ucmd, sizeof(*cmd));
out_free:
	iommu_memory_buffer_free(ucmd->ictx->m, bits, words * 8);
out_put:
	iommufd_put_object(ucmd->ictx, &hwpt->obj);
	return rc;
}

/* iommufd_test_dev_check_cache(): a mock device's cache entry */
static int iommufd_test_dev_check_cache(struct iommufd_ucmd *ucmd, u32 idev_id,
					u32 cache_id, u32 cache)
{
	struct iommufd_device *idev = iommufd_get_device(ucmd, idev_id);
	struct mock_dev *mdev;
	int rc = 0;

	if (!idev)
		return -ENOENT;
	/* container_of(idev->dev, struct mock_dev, dev): a mock device is
	 * what the selftest hands it; another is outside the model */
	mdev = to_mock_dev(ucmd->ictx->m, idev->dev);
	if (!mdev)
		rc = iommu_refuse(ucmd->ictx->m, IOMMU_UB,
				  "iommufd_test_dev_check_cache",
				  "device %u is not a mock device", idev_id);
	else if (cache_id > MOCK_DEV_CACHE_ID_MAX ||
		 mdev->cache[cache_id] != cache)
		rc = iommu_refuse(ucmd->ictx->m, -EINVAL,
				  "iommufd_test_dev_check_cache",
				  "cache %u is not 0x%x", cache_id, cache);
	iommufd_put_object(ucmd->ictx, &idev->obj);
	return rc;
}

/* IOMMU_TEST_OP_SET_TEMP_MEMORY_LIMIT: protects _batch_init(), whose
 * element is an unsigned long and a u32 */
static int iommufd_test_set_memory_limit(struct iommufd_ucmd *ucmd, u32 limit)
{
	if (limit < sizeof(u64) + sizeof(u32))
		return -EINVAL;
	selftest_get(ucmd->ictx->m)->memory_limit = limit;
	return 0;
}

/* iommufd_test(): IOMMU_TEST_CMD */
int iommufd_test(struct iommufd_ucmd *ucmd)
{
	struct iommu_test_cmd *cmd = ucmd->cmd;

	switch (cmd->op) {
	case IOMMU_TEST_OP_ADD_RESERVED:
		return iommufd_test_add_reserved(ucmd, cmd->id,
						 cmd->add_reserved.start,
						 cmd->add_reserved.length);
	case IOMMU_TEST_OP_MOCK_DOMAIN:
	case IOMMU_TEST_OP_MOCK_DOMAIN_FLAGS:
		return iommufd_test_mock_domain(ucmd, cmd);
	case IOMMU_TEST_OP_MOCK_DOMAIN_REPLACE:
		return iommufd_test_mock_domain_replace(
			ucmd, cmd->id, cmd->mock_domain_replace.pt_id, cmd);
	case IOMMU_TEST_OP_MD_CHECK_MAP:
		return iommufd_test_md_check_pa(
			ucmd, cmd->id, cmd->check_map.iova,
			cmd->check_map.length, cmd->check_map.uptr);
	case IOMMU_TEST_OP_MD_CHECK_REFS:
		return iommufd_test_md_check_refs(ucmd, cmd->check_refs.uptr,
						  cmd->check_refs.length,
						  cmd->check_refs.refs);
	case IOMMU_TEST_OP_SET_TEMP_MEMORY_LIMIT:
		return iommufd_test_set_memory_limit(ucmd,
						     cmd->memory_limit.limit);
	case IOMMU_TEST_OP_DIRTY:
		return iommufd_test_dirty(ucmd, cmd);
	case IOMMU_TEST_OP_DEV_CHECK_CACHE:
		return iommufd_test_dev_check_cache(ucmd, cmd->id,
						    cmd->check_dev_cache.id,
						    cmd->check_dev_cache.cache);
	case IOMMU_TEST_OP_CREATE_ACCESS:
	case IOMMU_TEST_OP_DESTROY_ACCESS_PAGES:
	case IOMMU_TEST_OP_ACCESS_PAGES:
	case IOMMU_TEST_OP_ACCESS_RW:
	case IOMMU_TEST_OP_ACCESS_REPLACE_IOAS:
		return iommufd_test_access(ucmd);
	case IOMMU_TEST_OP_MD_CHECK_IOTLB:
		return iommufd_test_md_check_iotlb(ucmd, cmd->id,
						   cmd->check_iotlb.id,
						   cmd->check_iotlb.iotlb);
	case IOMMU_TEST_OP_TRIGGER_IOPF:
		return iommufd_test_trigger_iopf(ucmd, cmd);
	case IOMMU_TEST_OP_TRIGGER_VEVENT:
		return iommufd_test_trigger_vevent(ucmd, cmd);
	case IOMMU_TEST_OP_PASID_ATTACH:
	case IOMMU_TEST_OP_PASID_REPLACE:
	case IOMMU_TEST_OP_PASID_DETACH:
	case IOMMU_TEST_OP_PASID_CHECK_HWPT:
		return iommufd_test_pasid(ucmd);
	case IOMMU_TEST_OP_DMABUF_GET:
		return iommufd_test_dmabuf_get(ucmd, cmd->dmabuf_get.open_flags,
					       cmd->dmabuf_get.length);
	case IOMMU_TEST_OP_DMABUF_REVOKE:
		return iommufd_test_dmabuf_revoke(ucmd,
						  cmd->dmabuf_revoke.dmabuf_fd,
						  cmd->dmabuf_revoke.revoked);
	default:
		return iommu_refuse(ucmd->ictx->m, -EOPNOTSUPP, "iommufd_test",
				    "unknown op %u", cmd->op);
	}
}
