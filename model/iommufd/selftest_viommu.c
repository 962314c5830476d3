// SPDX-License-Identifier: MIT
/*
 * selftest_viommu.c - the selftest mock's nested domains and vIOMMU, after
 * Linux 7.3's drivers/iommu/iommufd/selftest.c: mock_domain_alloc_nested()
 * and mock_viommu_alloc_domain_nested() (struct mock_iommu_domain_nested:
 * four "IOTLB" words user invalidations clear), mock_domain_cache_
 * invalidate_user(), mock_get_viommu_size()/mock_viommu_init() and
 * mock_viommu_ops (destroy, alloc_domain_nested, cache_invalidate: a
 * vDEVICE's mock device's cache words), IOMMU_TEST_OP_MD_CHECK_IOTLB, and
 * IOMMU_TEST_OP_TRIGGER_IOPF (a page request for a nested HWPT's fault
 * queue) and IOMMU_TEST_OP_TRIGGER_VEVENT (an event for a vEVENTQ).
 *
 * mock_viommu_ops' HW queues (mock_hw_queue_init_phys()), and the user
 * data of IOMMU_VIOMMU_ALLOC (a loopback word, also on two pages the user
 * may mmap(): iommufd_viommu_alloc_mmap()).
 *
 * The driver's part of a nested domain is domain->priv (container_of() in
 * the kernel), a vIOMMU's viommu->priv, a HW queue's hw_queue->priv.
 */
#include <string.h>

#include "iommufd/iommufd_private.h"
#include "iommufd/iommufd_test.h"
#include "iommufd/selftest_private.h"
#include "core/kerrno.h"
#include "memory.h"

static struct mock_nested *to_mock_nested(struct iommu_domain *domain)
{
	return domain->type == IOMMU_DOMAIN_NESTED ? domain->priv : NULL;
}

struct iommufd_viommu *mock_nested_viommu(struct iommu_domain *domain)
{
	struct mock_nested *mock_nested = to_mock_nested(domain);

	return mock_nested ? mock_nested->viommu : NULL;
}

/* __mock_domain_alloc_nested(): every IOTLB word set to the user's */
static int mock_nested_new(struct iommu_model *m, struct iommu_device *owner,
			   const struct iommu_user_data *user_data,
			   struct iommu_domain **out)
{
	struct iommu_hwpt_selftest user_cfg;
	struct mock_nested *mock_nested;
	struct iommu_domain *domain;
	int rc;

	if (user_data->type != IOMMU_HWPT_DATA_SELFTEST)
		return iommu_refuse(m, -EOPNOTSUPP,
				    "__mock_domain_alloc_nested",
				    "data_type 0x%x", user_data->type);
	rc = iommu_copy_struct_from_user(
		&user_cfg, sizeof(user_cfg), user_data,
		IOMMU_HWPT_DATA_SELFTEST,
		offsetof(struct iommu_hwpt_selftest, iotlb) +
			sizeof(user_cfg.iotlb));
	if (rc)
		return iommu_refuse(m, rc, "iommu_copy_struct_from_user",
				    "data_len %u of IOMMU_HWPT_DATA_SELFTEST",
				    user_data->len);
	/* kzalloc() */
	if (fault_should_fail(&m->fault, "__mock_domain_alloc_nested"))
		return -ENOMEM;
	domain = iommu_domain_new(m, owner, IOMMU_DOMAIN_NESTED);
	if (!domain)
		return -ENOMEM;
	mock_nested = g_new0(struct mock_nested, 1);
	for (int i = 0; i < MOCK_NESTED_DOMAIN_IOTLB_NUM; i++)
		mock_nested->iotlb[i] = user_cfg.iotlb;
	domain->priv = mock_nested;
	*out = domain;
	return 0;
}

/* mock_domain_alloc_nested(): on a mock paging parent */
int mock_domain_alloc_nested(struct iommu_model *m, struct device *dev,
			     struct iommu_domain *parent, u32 flags,
			     const struct iommu_user_data *user_data,
			     struct iommu_domain **out)
{
	if (flags & ~IOMMU_HWPT_ALLOC_PASID)
		return iommu_refuse(m, -EOPNOTSUPP, "mock_domain_alloc_nested",
				    "flags 0x%x", flags);
	if (!parent || !(parent->type & __IOMMU_DOMAIN_PAGING))
		return iommu_refuse(m, -EINVAL, "mock_domain_alloc_nested",
				    "the parent is not a paging domain");
	return mock_nested_new(m, dev->iommu, user_data, out);
}

/* mock_domain_cache_invalidate_user(): entry by entry, stopping at the
 * first bad one; array->entry_num comes back as the entries done */
int mock_domain_cache_invalidate_user(struct iommu_model *m,
				      struct iommu_domain *domain,
				      struct iommu_user_data_array *array)
{
	struct mock_nested *mock_nested = to_mock_nested(domain);
	struct iommu_hwpt_invalidate_selftest inv;
	const char *f = "mock_domain_cache_invalidate_user";
	u32 processed = 0;
	int rc = 0;

	if (array->type != IOMMU_HWPT_INVALIDATE_DATA_SELFTEST) {
		rc = iommu_refuse(m, -EINVAL, f, "data_type 0x%x", array->type);
		goto out;
	}
	for (u32 i = 0; i < array->entry_num; i++) {
		rc = iommu_copy_struct_from_user_array(
			&inv, sizeof(inv), array,
			IOMMU_HWPT_INVALIDATE_DATA_SELFTEST, i,
			offsetof(struct iommu_hwpt_invalidate_selftest,
				 iotlb_id) +
				sizeof(inv.iotlb_id));
		if (rc)
			break;
		if (inv.flags & ~IOMMU_TEST_INVALIDATE_FLAG_ALL) {
			rc = iommu_refuse(m, -EOPNOTSUPP, f,
					  "entry %u: flags 0x%x", i, inv.flags);
			break;
		}
		if (inv.iotlb_id > MOCK_NESTED_DOMAIN_IOTLB_ID_MAX) {
			rc = iommu_refuse(m, -EINVAL, f,
					  "entry %u: iotlb_id %u", i,
					  inv.iotlb_id);
			break;
		}
		if (inv.flags & IOMMU_TEST_INVALIDATE_FLAG_ALL)
			memset(mock_nested->iotlb, 0,
			       sizeof(mock_nested->iotlb));
		else
			mock_nested->iotlb[inv.iotlb_id] = 0;
		processed++;
	}
out:
	array->entry_num = processed;
	return rc;
}

/* ---- the mock vIOMMU (mock_viommu_ops) ---- */

/* mock_viommu_destroy(): iommufd's core frees the object itself */
static void mock_viommu_destroy(struct iommufd_viommu *viommu)
{
	struct mock_viommu *mock_viommu = viommu->priv;

	if (mock_viommu->mmap_offset)
		_iommufd_destroy_mmap(viommu->ictx, &viommu->obj,
				      mock_viommu->mmap_offset);
	iommu_free_pages(viommu->ictx->m, mock_viommu->page_pa);
	g_free(mock_viommu);
	viommu->priv = NULL;
}

/* mock_viommu_alloc_domain_nested() */
static int
mock_viommu_alloc_domain_nested(struct iommufd_viommu *viommu, u32 flags,
				const struct iommu_user_data *user_data,
				struct iommu_domain **out)
{
	struct iommu_model *m = viommu->ictx->m;
	int rc;

	if (flags & ~IOMMU_HWPT_ALLOC_PASID)
		return iommu_refuse(m, -EOPNOTSUPP,
				    "mock_viommu_alloc_domain_nested",
				    "flags 0x%x", flags);
	rc = mock_nested_new(m, viommu->iommu_dev, user_data, out);
	if (!rc)
		((struct mock_nested *)(*out)->priv)->viommu = viommu;
	return rc;
}

/* One iommu_viommu_invalidate_selftest: the vDEVICE's mock cache */
static int
mock_viommu_invalidate_one(struct iommufd_viommu *viommu,
			   const struct iommu_viommu_invalidate_selftest *cur)
{
	struct iommu_model *m = viommu->ictx->m;
	const char *f = "mock_viommu_cache_invalidate";
	struct device *dev;

	if (cur->flags & ~IOMMU_TEST_INVALIDATE_FLAG_ALL)
		return iommu_refuse(m, -EOPNOTSUPP, f, "flags 0x%x",
				    cur->flags);
	if (cur->cache_id > MOCK_DEV_CACHE_ID_MAX)
		return iommu_refuse(m, -EINVAL, f, "cache_id %u",
				    cur->cache_id);
	dev = iommufd_viommu_find_dev(viommu, cur->vdev_id);
	if (!dev)
		return iommu_refuse(m, -EINVAL, f, "no vDEVICE of virt_id %u",
				    cur->vdev_id);
	mock_dev_invalidate_cache(m, dev,
				  cur->flags & IOMMU_TEST_INVALIDATE_FLAG_ALL
					  ? MOCK_DEV_CACHE_NUM
					  : cur->cache_id);
	return 0;
}

/* mock_viommu_cache_invalidate(): the whole array is copied first */
static int mock_viommu_cache_invalidate(struct iommufd_viommu *viommu,
					struct iommu_user_data_array *array)
{
	g_autofree struct iommu_viommu_invalidate_selftest *cmds = NULL;
	u32 done = 0;
	int rc;

	/* A zero-length array is allowed to validate the array type */
	if (array->entry_num == 0 &&
	    array->type == IOMMU_VIOMMU_INVALIDATE_DATA_SELFTEST)
		return 0;
	/* kzalloc_objs() */
	if (fault_should_fail(&viommu->ictx->m->fault,
			      "mock_viommu_cache_invalidate")) {
		rc = -ENOMEM;
		goto out;
	}
	cmds = g_new0(struct iommu_viommu_invalidate_selftest,
		      MAX(array->entry_num, 1u));
	rc = iommu_copy_struct_from_full_user_array(
		cmds, sizeof(*cmds), array,
		IOMMU_VIOMMU_INVALIDATE_DATA_SELFTEST);
	for (; !rc && done != array->entry_num; done++) {
		rc = mock_viommu_invalidate_one(viommu, &cmds[done]);
		if (rc)
			break;
	}
out:
	array->entry_num = done;
	return rc;
}

/* ---- the mock's HW queues (iommufd_hw_queue_depend()'s test) ---- */

/* mock_viommu_get_hw_queue_size() */
static size_t mock_viommu_get_hw_queue_size(struct iommufd_viommu *viommu,
					    u32 type)
{
	(void)viommu;
	if (type != IOMMU_HW_QUEUE_TYPE_SELFTEST)
		return 0;
	return sizeof(struct iommufd_hw_queue);
}

/* What a slot of a destroyed queue still holds (7.3: the freed pointer,
 * only ever tested for NULL): taken, never read */
static struct mock_hw_queue mock_hw_queue_freed;

bool mock_hw_queue_is_freed(const struct mock_hw_queue *slot)
{
	return slot == &mock_hw_queue_freed;
}

/*
 * mock_hw_queue_destroy(): 7.3 clears hw_queue[mock_hw_queue->index],
 * which its init never sets (always slot 0); the model does the same, so
 * destroying queue 1 empties slot 0 and leaves slot 1 taken (a queue of
 * index 1 can then not be made again: -EEXIST, as in 7.3). The slot left
 * taken holds mock_hw_queue_freed, not a pointer to freed memory.
 */
static void mock_hw_queue_destroy(struct iommufd_hw_queue *hw_queue)
{
	struct mock_hw_queue *mock_hw_queue = hw_queue->priv;
	struct mock_viommu *mock_viommu = mock_hw_queue->mock_viommu;

	mock_viommu->hw_queue[mock_hw_queue->index] = NULL;
	for (int i = 0; i < IOMMU_TEST_HW_QUEUE_MAX; i++)
		if (mock_viommu->hw_queue[i] == mock_hw_queue)
			mock_viommu->hw_queue[i] = &mock_hw_queue_freed;
	if (mock_hw_queue->prev)
		_iommufd_object_undepend(hw_queue->viommu->ictx->m,
					 &hw_queue->obj,
					 &mock_hw_queue->prev->core->obj);
	g_free(mock_hw_queue);
	hw_queue->priv = NULL;
}

/* mock_hw_queue_init_phys()'s index rules: below the max, not taken,
 * and the one before it made first */
static int mock_hw_queue_check_index(struct iommu_model *m,
				     struct mock_viommu *mock_viommu, u32 index)
{
	const char *f = "mock_hw_queue_init_phys";

	if (index >= IOMMU_TEST_HW_QUEUE_MAX)
		return iommu_refuse(m, -EINVAL, f, "index %u >= %u", index,
				    IOMMU_TEST_HW_QUEUE_MAX);
	if (mock_viommu->hw_queue[index])
		return iommu_refuse(m, -EEXIST, f, "index %u is taken", index);
	if (index && !mock_viommu->hw_queue[index - 1])
		return iommu_refuse(m, -EIO, f,
				    "no queue of index %u before it",
				    index - 1);
	return 0;
}

/* mock_hw_queue_init_phys(): queue @index depends on queue @index - 1
 * (its users reference: that one's destroy is -EBUSY meanwhile) */
static int mock_hw_queue_init_phys(struct iommufd_hw_queue *hw_queue, u32 index,
				   u64 base_addr_pa)
{
	struct mock_viommu *mock_viommu = hw_queue->viommu->priv;
	struct iommu_model *m = hw_queue->viommu->ictx->m;
	struct mock_hw_queue *mock_hw_queue, *prev = NULL;
	int rc = mock_hw_queue_check_index(m, mock_viommu, index);

	if (rc)
		return rc;
	if (index)
		prev = mock_viommu->hw_queue[index - 1];
	/* the core's PA of the queue is what the parent domain maps */
	if (base_addr_pa !=
	    iommu_iova_to_phys(m, mock_viommu->s2_parent, hw_queue->base_addr))
		return iommu_refuse(m, -EFAULT, "mock_hw_queue_init_phys",
				    "PA 0x%llx is not the parent's for IOVA "
				    "0x%llx",
				    (unsigned long long)base_addr_pa,
				    (unsigned long long)hw_queue->base_addr);
	if (prev) {
		rc = _iommufd_object_depend(&hw_queue->obj, &prev->core->obj);
		if (rc)
			return rc;
	}
	mock_hw_queue = g_new0(struct mock_hw_queue, 1);
	mock_hw_queue->core = hw_queue;
	mock_hw_queue->prev = prev;
	mock_hw_queue->mock_viommu = mock_viommu;
	mock_viommu->hw_queue[index] = mock_hw_queue;
	hw_queue->priv = mock_hw_queue;
	hw_queue->destroy = mock_hw_queue_destroy;
	return 0;
}

static const struct iommufd_viommu_ops mock_viommu_ops = {
	.destroy = mock_viommu_destroy,
	.alloc_domain_nested = mock_viommu_alloc_domain_nested,
	.cache_invalidate = mock_viommu_cache_invalidate,
	.get_hw_queue_size = mock_viommu_get_hw_queue_size,
	.hw_queue_init_phys = mock_hw_queue_init_phys,
};

bool mock_viommu_ops_is(const struct iommufd_viommu_ops *ops)
{
	return ops == &mock_viommu_ops;
}

/* The user data's loopback: in_data on the first of two pages the user
 * may mmap() (the offset and length reported), and in out_data */
static int mock_viommu_init_data(struct iommufd_viommu *viommu,
				 struct mock_viommu *mock_viommu,
				 const struct iommu_user_data *user_data)
{
	struct iommu_model *m = viommu->ictx->m;
	struct iommu_viommu_selftest data;
	u32 *page;
	int rc;

	rc = iommu_copy_struct_from_user(
		&data, sizeof(data), user_data, IOMMU_VIOMMU_TYPE_SELFTEST,
		offsetof(struct iommu_viommu_selftest, out_data) +
			sizeof(data.out_data));
	if (rc)
		return iommu_refuse(m, rc, "mock_viommu_init",
				    "data_len %u of IOMMU_VIOMMU_TYPE_SELFTEST",
				    user_data->len);
	rc = iommu_get_free_pages(m, 1, &mock_viommu->page_pa);
	if (rc)
		return rc;
	rc = _iommufd_alloc_mmap(viommu->ictx, &viommu->obj,
				 mock_viommu->page_pa, IOMMUFD_PAGE_SIZE * 2,
				 &mock_viommu->mmap_offset);
	if (rc)
		goto err_free_page;
	page = iommu_phys_to_virt(m, mock_viommu->page_pa, sizeof(*page));
	*page = data.in_data;
	data.out_data = data.in_data;
	data.out_mmap_length = IOMMUFD_PAGE_SIZE * 2;
	data.out_mmap_offset = mock_viommu->mmap_offset;
	rc = iommu_copy_struct_to_user(
		user_data, &data, sizeof(data), IOMMU_VIOMMU_TYPE_SELFTEST,
		offsetof(struct iommu_viommu_selftest, out_data) +
			sizeof(data.out_data));
	if (rc)
		goto err_destroy_mmap;
	return 0;

err_destroy_mmap:
	_iommufd_destroy_mmap(viommu->ictx, &viommu->obj,
			      mock_viommu->mmap_offset);
err_free_page:
	iommu_free_pages(m, mock_viommu->page_pa);
	return rc;
}

/* mock_viommu_init() */
int mock_viommu_init(struct iommufd_viommu *viommu,
		     struct iommu_domain *parent_domain,
		     const struct iommu_user_data *user_data)
{
	struct mock_viommu *mock_viommu = g_new0(struct mock_viommu, 1);
	int rc;

	if (user_data) {
		rc = mock_viommu_init_data(viommu, mock_viommu, user_data);
		if (rc) {
			g_free(mock_viommu);
			return rc;
		}
	}
	mock_viommu->s2_parent = parent_domain;
	viommu->priv = mock_viommu;
	viommu->ops = &mock_viommu_ops;
	return 0;
}

/* iommufd_test_md_check_iotlb(): a mock nested HWPT's IOTLB word */
int iommufd_test_md_check_iotlb(struct iommufd_ucmd *ucmd, u32 mockpt_id,
				u32 iotlb_id, u32 iotlb)
{
	struct iommufd_hw_pagetable *hwpt =
		(struct iommufd_hw_pagetable *)iommufd_get_object(
			ucmd->ictx, mockpt_id, IOMMUFD_OBJ_HWPT_NESTED);
	struct mock_nested *mock_nested;
	int rc = 0;

	if (!hwpt)
		return -ENOENT;
	/* get_md_pagetable_nested(): only the mock makes nested HWPTs */
	mock_nested = to_mock_nested(hwpt->domain);
	if (iotlb_id > MOCK_NESTED_DOMAIN_IOTLB_ID_MAX ||
	    mock_nested->iotlb[iotlb_id] != iotlb)
		rc = iommu_refuse(ucmd->ictx->m, -EINVAL,
				  "iommufd_test_md_check_iotlb",
				  "IOTLB %u of HWPT %u is not 0x%x", iotlb_id,
				  mockpt_id, iotlb);
	iommufd_put_object(ucmd->ictx, &hwpt->obj);
	return rc;
}

/*
 * iommufd_test_trigger_iopf(): a last-page request of the mock device
 * (IOMMU_FAULT_PAGE_REQUEST_PASID_VALID for a PASID other than
 * IOMMU_NO_PASID) reported with iommu_report_device_fault(), whose
 * answer the op does not look at; a device that is not a mock -EINVAL.
 */
int iommufd_test_trigger_iopf(struct iommufd_ucmd *ucmd,
			      const struct iommu_test_cmd *cmd)
{
	struct iommufd_device *idev =
		iommufd_get_device(ucmd, cmd->trigger_iopf.dev_id);
	struct iopf_group event = {
		.flags = IOMMU_PGFAULT_FLAGS_LAST_PAGE,
		.addr = cmd->trigger_iopf.addr,
		.pasid = cmd->trigger_iopf.pasid,
		.grpid = cmd->trigger_iopf.grpid,
		.perm = cmd->trigger_iopf.perm,
	};
	int rc = 0;

	if (!idev)
		return -ENOENT;
	if (cmd->trigger_iopf.pasid != IOMMU_NO_PASID)
		event.flags |= IOMMU_PGFAULT_FLAGS_PASID_VALID;
	if (!iommufd_selftest_is_mock_dev(ucmd->ictx->m, idev->dev))
		rc = iommu_refuse(ucmd->ictx->m, -EINVAL,
				  "iommufd_test_trigger_iopf",
				  "%s is not a mock device", idev->dev->name);
	else
		iommu_report_device_fault(idev, &event);
	iommufd_put_object(ucmd->ictx, &idev->obj);
	return rc;
}

/*
 * iommufd_test_trigger_vevent(): one struct iommu_viommu_event_selftest
 * (the device's virt_id) to its vIOMMU's IOMMU_VEVENTQ_TYPE_SELFTEST
 * vEVENTQ; -ENOENT when the device is attached to no nested domain of a
 * vIOMMU (mdev->viommu, vdev_id 0), iommufd_viommu_report_event()'s
 * errno else. 7.3 takes any device for a mock (to_mock_dev()); a device
 * that is not one has no vIOMMU here.
 */
int iommufd_test_trigger_vevent(struct iommufd_ucmd *ucmd,
				const struct iommu_test_cmd *cmd)
{
	struct iommufd_device *idev =
		iommufd_get_device(ucmd, cmd->trigger_vevent.dev_id);
	struct iommu_viommu_event_selftest test = { 0 };
	struct iommufd_viommu *viommu;
	u64 vdev_id;
	int rc;

	if (!idev)
		return -ENOENT;
	viommu = mock_dev_viommu(ucmd->ictx->m, idev->dev, &vdev_id);
	if (!viommu || !vdev_id) {
		rc = iommu_refuse(
			ucmd->ictx->m, -ENOENT, "iommufd_test_trigger_vevent",
			"%s is on no vIOMMU's nested domain", idev->dev->name);
	} else {
		test.virt_id = (u32)vdev_id;
		rc = iommufd_viommu_report_event(viommu,
						 IOMMU_VEVENTQ_TYPE_SELFTEST,
						 &test, sizeof(test));
	}
	iommufd_put_object(ucmd->ictx, &idev->obj);
	return rc;
}
