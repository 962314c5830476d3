/* SPDX-License-Identifier: MIT */
/*
 * eventq.h - vIOMMUs, vDEVICEs, HW queues, the event queues and the
 * driver helpers they use (viommu.c, eventq.c, driver.c):
 * part of iommufd_private.h, which includes it where these sections stood;
 * include iommufd_private.h, not this file.
 */
#ifndef IOMMUSIM_IOMMUFD_EVENTQ_H
#define IOMMUSIM_IOMMUFD_EVENTQ_H

/* ---- driver.c: what drivers call for their objects ---- */

/*
 * A region of a driver's memory user space may mmap() on the iommufd
 * (struct iommufd_mmap, an entry of the ctx's mt_mmap): at offset
 * vm_pgoff pages, exactly @length bytes, of the physical memory at
 * mmio_addr: a mapping of the region is a second mapping of those pages
 * (iommu_get_free_pages() and iommu_phys_to_virt(), memory.h).
 */
struct iommufd_mmap {		  /* iommufd.h names it for the shim */
	struct obj_header *owner; /* a mapping holds a users reference */
	u64 vm_pgoff;
	u64 mmio_addr;
	u64 length;
};
/* driver.c: _iommufd_alloc_mmap() (-EINVAL unaligned, -ENOMEM, -EBUSY
 * no offset left), *offset the region's; _iommufd_destroy_mmap() */
int _iommufd_alloc_mmap(struct iommufd_ctx *ictx, struct obj_header *owner,
			u64 mmio_addr, u64 length, u64 *offset);
void _iommufd_destroy_mmap(struct iommufd_ctx *ictx, struct obj_header *owner,
			   u64 offset);
/* mtree_load(): the region holding byte @offset, or NULL */
struct iommufd_mmap *iommufd_mt_mmap_load(struct iommufd_ctx *ictx, u64 offset);

/* ---- viommu.c: vIOMMUs and vDEVICEs (eventq.c: vEVENTQs) ---- */

/* struct iommufd_eventq: what a fault queue and a vEVENTQ share, the
 * object and its anon-inode file; records wait in deliver until read */
struct iommufd_eventq {
	struct obj_header obj;
	struct iommufd_ctx *ictx; /* the file's ctx reference */
	struct file *filep;	  /* until fd_install(): then the fd table's */
	GQueue *deliver;
};

struct iommufd_hw_queue;

/* struct iommufd_viommu_ops: what the mock's mock_viommu_ops has that
 * the model runs (no driver but the selftest's makes a vIOMMU) */
struct iommufd_viommu_ops {
	void (*destroy)(struct iommufd_viommu *viommu);
	int (*alloc_domain_nested)(struct iommufd_viommu *viommu, u32 flags,
				   const struct iommu_user_data *user_data,
				   struct iommu_domain **out);
	int (*cache_invalidate)(struct iommufd_viommu *viommu,
				struct iommu_user_data_array *array);
	/* the driver's HW queue struct size for @type, 0: no such type */
	size_t (*get_hw_queue_size)(struct iommufd_viommu *viommu, u32 type);
	/* the queue at @base_pa (its guest memory pinned and contiguous) */
	int (*hw_queue_init_phys)(struct iommufd_hw_queue *hw_queue, u32 index,
				  u64 base_pa);
};

/*
 * A vIOMMU: a slice of a physical IOMMU for one VM, over a NEST_PARENT
 * paging HWPT it holds a users reference on. Its vDEVICEs are indexed
 * by their virtual (guest) id in vdevs.
 */
struct iommufd_viommu {
	struct obj_header obj;
	struct iommufd_ctx *ictx;
	struct iommu_device *iommu_dev;
	struct iommufd_hwpt_paging *hwpt;
	const struct iommufd_viommu_ops *ops; /* NULL until viommu_init */
	GHashTable *vdevs; /* virt_id (u64 *) -> struct iommufd_vdevice * */
	GList *veventqs;   /* struct iommufd_veventq *, one per type */
	u32 type;
	void *priv; /* the driver's (struct mock_viommu), ops->destroy's */
};

/*
 * A vDEVICE: a device's virtual id on a vIOMMU. It holds a users
 * reference on the vIOMMU; the device's (7.3: a wait_cnt one) is not a
 * users reference here, so the device's destroy removes the vDEVICE
 * first (iommufd_device_remove_vdev()).
 */
struct iommufd_vdevice {
	struct obj_header obj;
	struct iommufd_viommu *viommu;
	struct iommufd_device *idev;
	u64 virt_id;
};

int iommufd_viommu_alloc_ioctl(struct iommufd_ucmd *ucmd);
void iommufd_viommu_destroy(struct obj_header *obj);
int iommufd_vdevice_alloc_ioctl(struct iommufd_ucmd *ucmd);
void iommufd_vdevice_destroy(struct obj_header *obj);
void iommufd_vdevice_abort(struct obj_header *obj);
/* iommufd_device_remove_vdev(): the device is going */
void iommufd_device_remove_vdev(struct iommufd_device *idev);
/* iommufd_viommu_find_dev(): the device of @vdev_id, or NULL */
struct device *iommufd_viommu_find_dev(struct iommufd_viommu *viommu,
				       u64 vdev_id);
/* iommufd_viommu_get_vdev_id(): -ENOENT when @dev has no vDEVICE on it */
int iommufd_viommu_get_vdev_id(struct iommufd_viommu *viommu,
			       struct device *dev, u64 *vdev_id);
static inline struct iommufd_viommu *
iommufd_get_viommu(struct iommufd_ctx *ictx, u32 id)
{
	return (struct iommufd_viommu *)iommufd_get_object(ictx, id,
							   IOMMUFD_OBJ_VIOMMU);
}

/*
 * A HW queue: a guest queue in the vIOMMU's nesting parent IOAS that the
 * hardware reads by physical address. It holds a users reference on the
 * vIOMMU and an internal access pinning the queue's pages (so they stay
 * put and an IOAS unmap of them is -EBUSY); a driver may make one queue
 * depend on another (_iommufd_object_depend(): a users reference).
 */
struct iommufd_hw_queue {
	struct obj_header obj;
	struct iommufd_viommu *viommu; /* NULL until the pages are pinned */
	struct iommufd_access *access;
	u64 base_addr; /* the nesting parent IOVA, as the user gave it */
	u64 length;
	u32 type;
	/* the driver's, set by hw_queue_init_phys on success */
	void (*destroy)(struct iommufd_hw_queue *hw_queue);
	void *priv; /* the driver's (struct mock_hw_queue) */
};
int iommufd_hw_queue_alloc_ioctl(struct iommufd_ucmd *ucmd);
void iommufd_hw_queue_destroy(struct obj_header *obj);
/* driver.c: a users reference of one object of a type on another of
 * the same type (-EINVAL: itself or another type), and its undo */
int _iommufd_object_depend(struct obj_header *obj_dependent,
			   struct obj_header *obj_depended);
void _iommufd_object_undepend(struct iommu_model *m,
			      struct obj_header *obj_dependent,
			      struct obj_header *obj_depended);

/* A vIOMMU event as queued: the header the reader gets, then data_len
 * bytes of the driver's event (struct iommufd_vevent) */
struct iommufd_vevent {
	struct iommufd_vevent_header header;
	u64 data_len;
	u8 event_data[];
};

/*
 * A vEVENTQ: a vIOMMU's events of one type for the user, at most depth
 * of them queued (num_events); past that one lost_events_header
 * (IOMMU_VEVENTQ_FLAG_LOST_EVENTS) stands for what was dropped. It holds
 * a users reference on its vIOMMU, its file one on it.
 */
struct iommufd_veventq {
	struct iommufd_eventq common;
	struct iommufd_viommu *viommu;
	u32 type;
	u32 depth;
	u32 num_events;
	u32 sequence; /* the next event's, modulo INT_MAX + 1 */
	struct iommufd_vevent *lost_events_header;
};
int iommufd_veventq_alloc(struct iommufd_ucmd *ucmd);
void iommufd_veventq_destroy(struct obj_header *obj);
/* iommufd_viommu_report_event(): @data_len bytes of @event_data to the
 * vIOMMU's vEVENTQ of @type; -EOPNOTSUPP when it has none */
int iommufd_viommu_report_event(struct iommufd_viommu *viommu, u32 type,
				const void *event_data, u64 data_len);

/* ---- eventq.c: IOMMU_FAULT_QUEUE_ALLOC ---- */

/*
 * A page request of a device (io-pgfault.c struct iopf_group, its one
 * last-page fault): reported through the HWPT the device is attached to
 * (the attach handle's domain), delivered by the HWPT's fault queue.
 */
struct iopf_group {
	struct iommufd_device *idev; /* the attach handle's device */
	struct iommufd_hw_pagetable *hwpt;
	u32 handle_pasid; /* the PASID of the attach handle that took it */
	u32 flags;	  /* IOMMU_PGFAULT_FLAGS_* */
	u32 pasid, grpid, perm;
	u64 addr;
	u32 cookie; /* its response index, once read */
};

/* iommufd_fault: page requests (struct iopf_group *) wait in deliver
 * until read, then in response (by cookie) until written back */
struct iommufd_fault {
	struct iommufd_eventq common;
	GHashTable *response; /* cookie -> struct iopf_group * */
};
int iommufd_fault_alloc(struct iommufd_ucmd *ucmd);
/* fault->response: cookie -> struct iopf_group *, answered when freed */
GHashTable *iommufd_fault_response_new(void);
void iommufd_fault_destroy(struct obj_header *obj);
/* iommu_report_device_fault() of @evt from @idev: the HWPT it is
 * attached to takes it when it has a fault queue; -EINVAL when none */
int iommu_report_device_fault(struct iommufd_device *idev,
			      const struct iopf_group *evt);
/* iommufd_auto_response_faults(): what @idev's attach to @hwpt at
 * @pasid (its attach handle) left unanswered is answered
 * (IOMMU_PAGE_RESP_INVALID) and dropped */
void iommufd_auto_response_faults(struct iommufd_hw_pagetable *hwpt,
				  struct iommufd_device *idev, u32 pasid);
/* NULL (-ENOENT) when @id is no fault object; a short-term reference */
struct iommufd_fault *iommufd_get_fault(struct iommufd_ucmd *ucmd, u32 id);

#endif /* IOMMUSIM_IOMMUFD_EVENTQ_H */
