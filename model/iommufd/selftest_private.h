/* SPDX-License-Identifier: MIT */
/*
 * selftest_private.h - the IOMMUFD_TEST mock driver's own objects, shared
 * by the files that implement it (selftest.c, selftest_access.c,
 * selftest_viommu.c) and their copy (copy_selftest.c).
 */
#ifndef IOMMUSIM_IOMMUFD_SELFTEST_PRIVATE_H
#define IOMMUSIM_IOMMUFD_SELFTEST_PRIVATE_H

#include "iommufd/iommufd_private.h"
#include "iommufd/iommufd_test.h"

/* ---- selftest.c ---- */

/* The module's state (iommufd_test_init()): one per model. */
struct iommufd_selftest {
	struct iommu_device *mock_iommu; /* mock_iommu.iommu_dev + mock_ops */
	GHashTable *mock_devs;		 /* struct device * -> mock_dev */
	u32 memory_limit;		 /* iommufd_test_memory_limit */
};

struct mock_dev {
	struct device *dev;
	u32 flags; /* MOCK_FLAGS_DEVICE_* */
	int id;	   /* mock_dev_ida */
	/* what a vIOMMU's invalidation clears (selftest_viommu.c) */
	u32 cache[MOCK_DEV_CACHE_NUM];
	/* the vIOMMU of the nested domain it is attached to, and its
	 * vDEVICE's virt_id there (mock_domain_nop_attach()) */
	struct iommufd_viommu *viommu;
	u64 vdev_id;
	/* set_dev_pasid fails the call after a first attach of PASID 1024 */
	bool pasid_1024_fake_error;
};

enum selftest_obj_type {
	TYPE_IDEV,
};

struct selftest_obj {
	struct obj_header obj;
	enum selftest_obj_type type;
	struct iommufd_device *idev;
	struct iommufd_ctx *ictx;
	struct mock_dev *mock_dev;
};

/* ---- selftest_access.c ---- */

struct selftest_access {
	struct iommu_model *m;
	struct iommufd_access *access; /* NULL until the fd is installed */
	GPtrArray *items;	       /* struct selftest_access_item * */
	unsigned int next_id;
};

struct selftest_access_item {
	u64 iova, length;
	unsigned int id;
};

/* the mock's access ops (the pinning one and the other) */
bool selftest_access_ops_is(const struct iommufd_access_ops *ops);

/* ---- selftest_viommu.c ---- */

/* struct mock_iommu_domain_nested, less the domain it is part of */
struct mock_nested {
	struct iommufd_viommu *viommu; /* mock_viommu: NULL on a parent */
	u32 iotlb[MOCK_NESTED_DOMAIN_IOTLB_NUM];
};

/* struct mock_viommu, less the core vIOMMU (viommu->priv) */
struct mock_viommu {
	struct iommu_domain *s2_parent;
	struct mock_hw_queue *hw_queue[IOMMU_TEST_HW_QUEUE_MAX];
	u64 mmap_offset; /* 0: no region (offset 0 is never handed out) */
	/* __pa() of two zeroed pages the user may mmap() (0: none); the
	 * kernel's page pointer is __va() of it (iommu_phys_to_virt()) */
	u64 page_pa;
};

/* struct mock_hw_queue, less the core HW queue (hw_queue->priv) */
struct mock_hw_queue {
	struct iommufd_hw_queue *core;
	struct mock_viommu *mock_viommu;
	struct mock_hw_queue *prev;
	u16 index; /* never set by 7.3's mock_hw_queue_init_phys(): 0 */
};

/* a slot of a destroyed HW queue 7.3 leaves taken (not a live queue) */
bool mock_hw_queue_is_freed(const struct mock_hw_queue *slot);
/* a vIOMMU of the mock (its priv a struct mock_viommu) */
bool mock_viommu_ops_is(const struct iommufd_viommu_ops *ops);

/* ---- copy_selftest.c: iommufd/copy.c's copies of the mock's kinds ---- */
struct iommu_copy;
struct obj_header *selftest_copy_object(struct iommu_copy *c,
					struct obj_header *obj);
struct obj_header *hwpt_nested_copy_object(struct iommu_copy *c,
					   struct obj_header *obj);
struct obj_header *access_copy_object(struct iommu_copy *c,
				      struct obj_header *obj);
/* an access the copy covers: the mock's, or an internal one */
bool access_copy_known(const struct iommufd_access *access);
/* the selftest exporter's part of a dma-buf (its priv) */
void *selftest_dmabuf_copy_priv(struct iommu_copy *c, const void *priv);

/* ---- copy_viommu.c: the vIOMMU family's objects, for copy.c ---- */
struct obj_header *viommu_copy_object(struct iommu_copy *c,
				      struct obj_header *obj);
/* the check: a vIOMMU of a driver the copy does not know, NULL if none */
const char *viommu_copy_refusal(const struct obj_header *obj);
/* the ctx's mmap regions (mt_mmap), their owners pointed */
GList *mt_mmap_copy(struct iommu_copy *c, GList *mt_mmap);

#endif
