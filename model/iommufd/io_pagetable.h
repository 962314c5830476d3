/* SPDX-License-Identifier: MIT */
/*
 * io_pagetable.h - the IOVA -> pages map and the pinned pages behind it
 * (io_pagetable.c, pages.c), as 7.3 keeps them in
 * drivers/iommu/iommufd/io_pagetable.h: part of iommufd_private.h, which
 * includes it where these sections stood; include iommufd_private.h, not
 * this file.
 */
#ifndef IOMMUSIM_IOMMUFD_IO_PAGETABLE_H
#define IOMMUSIM_IOMMUFD_IO_PAGETABLE_H

/* ---- io_pagetable.c: the IOVA -> pages map (io_pagetable.h) ---- */

/* An inclusive interval, as interval_tree_node has it. */
struct iopt_node {
	u64 start;
	u64 last;
};

/*
 * io_pagetable: areas, allowed and reserved ranges are each one array of
 * nodes sorted by start, never overlapping within an array (the kernel's
 * interval trees; the model keeps the order, not the tree).
 * domains[0..n) are the attached domains; domains->pdata[0] is the storage
 * domain new areas take (xa_load(&iopt->domains, 0)).
 */
struct io_pagetable {
	struct iommu_model *m; /* iommu_map() into domains, why, the knob */
	GPtrArray *domains;  /* struct iommu_domain *, compacted as 7.3 does */
	GPtrArray *areas;    /* struct iopt_area *, by iova */
	GPtrArray *allowed;  /* struct iopt_allowed *, by start */
	GPtrArray *reserved; /* struct iopt_reserved *, by start */
	bool disable_large_pages;
	u64 iova_alignment;
	/* struct iommufd_access * attached (iopt_add_access()): their
	 * iova_alignment counts, their unmap op is told of every unmap */
	GPtrArray *access_list;
};

struct iopt_pages;

struct iopt_area {
	struct iopt_node node; /* IOVA range */
	struct io_pagetable *iopt;
	struct iopt_pages *pages; /* NULL while being set up or torn down */
	struct iommu_domain *storage_domain;
	unsigned long start_byte;  /* bytes into pages where node.start lies */
	unsigned int page_offset;  /* start_byte % PAGE_SIZE */
	int iommu_prot;		   /* IOMMU_READ | IOMMU_WRITE */
	unsigned int num_accesses; /* iopt_area_add_access() users */
	unsigned int num_locks;	   /* those of them internal (a HW queue) */
	bool prevent_access;	   /* an unmap is waiting for the accesses */
};

struct iopt_allowed {
	struct iopt_node node;
};

struct iopt_reserved {
	struct iopt_node node;
	const void *owner; /* the device or domain that reserved it */
};

void iopt_init_table(struct io_pagetable *iopt, struct iommu_model *m);
void iopt_destroy_table(struct io_pagetable *iopt);

enum {
	IOPT_ALLOC_IOVA = 1 << 0,
};
/* @iova: in, the fixed IOVA; out, the one chosen with IOPT_ALLOC_IOVA */
int iopt_map_user_pages(struct iommufd_ctx *ictx, struct io_pagetable *iopt,
			struct process *task, u64 *iova, u64 uptr, u64 length,
			int iommu_prot, unsigned int flags);
int iopt_map_file_pages(struct iommufd_ctx *ictx, struct io_pagetable *iopt,
			struct process *task, u64 *iova, int fd, u64 start,
			u64 length, int iommu_prot, unsigned int flags);
/*
 * A run of pages on its way into areas (iopt_pages_list): IOAS_COPY gets
 * one per source area with iopt_get_pages() and maps them with
 * iopt_map_pages(); the list holds a pages reference per element until
 * the areas take it, and iopt_free_pages_list() drops what is left.
 */
struct iopt_pages_list {
	struct iopt_pages *pages;
	struct iopt_area *area;
	u64 start_byte;
	u64 length;
};
int iopt_get_pages(struct io_pagetable *iopt, u64 iova, u64 length,
		   GArray **pages_list);
void iopt_free_pages_list(GArray *pages_list);
int iopt_map_pages(struct io_pagetable *iopt, GArray *pages_list, u64 length,
		   u64 *dst_iova, int iommu_prot, unsigned int flags);
int iopt_unmap_iova(struct io_pagetable *iopt, u64 iova, u64 length,
		    u64 *unmapped);
/* iopt_insert_area(): @area (not in the tree) takes @pages' bytes
 * [@start_byte, +@length) at @iova; -EPERM, -EINVAL, -EOVERFLOW */
int iopt_insert_area(struct io_pagetable *iopt, struct iopt_area *area,
		     struct iopt_pages *pages, u64 iova, u64 start_byte,
		     u64 length, int iommu_prot);
/* iopt_cut_iova() (iopt_cut.c): each of @iovas made the last IOVA of an
 * area, splitting the area it is inside; 0 or the first -errno */
int iopt_cut_iova(struct io_pagetable *iopt, const u64 *iovas,
		  size_t num_iovas);
int iopt_unmap_all(struct io_pagetable *iopt, u64 *unmapped);
/* IOMMU_IOAS_NOIOMMU_GET_PA's lookup: -ENOENT, -EOPNOTSUPP, -EINVAL */
int iopt_get_phys(struct io_pagetable *iopt, u64 iova, u64 *paddr, u64 *length);

/*
 * Attaching a paging domain (the HWPT side calls these): add fills the
 * domain with every area (pinning pages as needed, charging the memlock
 * limit) and reserves what lies outside its aperture; on failure nothing
 * changed. Remove unmaps it and gives its reservations back.
 */
int iopt_table_add_domain(struct io_pagetable *iopt,
			  struct iommu_domain *domain);
void iopt_table_remove_domain(struct io_pagetable *iopt,
			      struct iommu_domain *domain);
/* The device's reserved regions (MSI window, ...) owned by @dev;
 * *sw_msi_start set when it has an IOMMU_RESV_SW_MSI region. */
int iopt_table_enforce_dev_resv_regions(struct io_pagetable *iopt,
					struct iommu_model *m,
					struct device *dev, u64 *sw_msi_start);
int iopt_reserve_iova(struct io_pagetable *iopt, u64 start, u64 last,
		      const void *owner);
void iopt_remove_reserved_iova(struct io_pagetable *iopt, const void *owner);
/* Replaces the allowed list (sorted, non-overlapping copies are taken):
 * -EADDRINUSE if a reservation intersects it, unchanged then. */
int iopt_set_allow_iova(struct io_pagetable *iopt,
			const struct iopt_node *allowed, unsigned int n);
void iopt_enable_large_pages(struct io_pagetable *iopt);
int iopt_disable_large_pages(struct io_pagetable *iopt);

/* iova_bitmap.c: dirty tracking of a domain with dirty_ops; -EOPNOTSUPP
 * for one without, the range checks' -EINVAL/-EOVERFLOW */
int iommufd_check_iova_range(struct io_pagetable *iopt,
			     const struct iommu_hwpt_get_dirty_bitmap *bitmap);
int iopt_set_dirty_tracking(struct io_pagetable *iopt,
			    struct iommu_domain *domain, bool enable);
int iopt_read_and_clear_dirty_data(
	struct io_pagetable *iopt, struct iommu_domain *domain,
	struct process *task, const struct iommu_hwpt_get_dirty_bitmap *cmd);

/* io_pagetable.c: the IOVA alignment every domain and access needs;
 * -EADDRINUSE (unchanged) if an area does not conform to a larger one */
int iopt_calculate_iova_alignment(struct io_pagetable *iopt);

/* Lookups (views, checks, the HWPT side): the area covering @iova. */
struct iopt_area *iopt_area_find(struct io_pagetable *iopt, u64 iova);
/* The PA behind @iova through the area's pages (the caller's memory, no
 * domain needed), 0 if unmapped or no page is there. */
u64 iopt_iova_to_phys(struct io_pagetable *iopt, u64 iova);
static inline u64 iopt_area_iova(const struct iopt_area *area)
{
	return area->node.start;
}
static inline u64 iopt_area_last_iova(const struct iopt_area *area)
{
	return area->node.last;
}
static inline u64 iopt_area_length(const struct iopt_area *area)
{
	return area->node.last - area->node.start + 1;
}

/* ---- pages.c: the pinned user pages behind areas (iopt_pages) ---- */

enum iopt_address_type {
	IOPT_ADDRESS_USER = 0,
	IOPT_ADDRESS_FILE,
	IOPT_ADDRESS_DMABUF, /* not modelled */
};

/*
 * iopt_pages: a linear run of user memory (a VA range of one process, or a
 * memfd range), shared by every area that maps it (IOAS_COPY). Pages are
 * pinned while some area holding them is in a domain; pin_count[i] counts
 * those users of page i, npinned the pages with pin_count != 0, and the
 * difference to last_npinned is what is still to be charged.
 */
struct iopt_pages {
	unsigned int refs; /* kref */
	struct iommu_model *m;
	u64 npages;
	u64 npinned;
	u64 last_npinned;
	struct process *source_task; /* current at map time (task, mm, user) */
	enum iopt_address_type type;
	u64 uptr;	   /* IOPT_ADDRESS_USER: page aligned */
	struct file *file; /* IOPT_ADDRESS_FILE */
	u64 start;	   /* IOPT_ADDRESS_FILE: page aligned */
	bool writable;
	u8 account_mode;
	unsigned int *pin_count; /* npages entries */
	/* access_itree: struct iopt_pages_access, one per exact page range
	 * in-kernel accesses pinned (each holds one pin_count on it) */
	GPtrArray *accesses;
};

/* struct iopt_pages_access: an exact page range and how many hold it */
struct iopt_pages_access {
	u64 start, last;
	unsigned int users;
};

int iopt_alloc_user_pages(struct iommufd_ctx *ictx, struct process *task,
			  u64 uptr, u64 length, bool writable,
			  struct iopt_pages **out);
int iopt_alloc_file_pages(struct iommufd_ctx *ictx, struct process *task,
			  struct file *file, u64 start_byte, u64 start,
			  u64 length, bool writable, struct iopt_pages **out);
void iopt_put_pages(struct iopt_pages *pages);
static inline void iopt_get_pages_ref(struct iopt_pages *pages)
{
	pages->refs++;
}
/* Charge (@inc) or uncharge @n pinned pages to @task in @account_mode:
 * 0 or -ENOMEM over RLIMIT_MEMLOCK (nothing changed then). */
int iopt_account_pinned(struct iommu_model *m, struct process *task,
			u8 account_mode, u64 n, bool inc);
/* The PA of page @index (0 when the VMA or file page is gone: -EFAULT) */
u64 iopt_pages_index_to_pa(struct iopt_pages *pages, u64 index);

/* In-kernel accesses to an area's pages (iopt_area_add_access()): pin
 * pages [@start_index, @last_index] (0, -EPERM for a write to read-only
 * pages, the pin's -EFAULT or the charge's -ENOMEM: nothing changed),
 * their PAs in @out_pa when not NULL; remove undoes one add of the same
 * range. @lock_area (an internal access's pin): the area is locked until
 * the matching remove (@unlock_area), an unmap of it -EBUSY. */
int iopt_area_add_access(struct iopt_area *area, u64 start_index,
			 u64 last_index, u64 *out_pa, unsigned int flags,
			 bool lock_area);
void iopt_area_remove_access(struct iopt_area *area, u64 start_index,
			     u64 last_index, bool unlock_area);
/* iopt_pages_rw_access(): copy @length bytes at @start_byte of the pages
 * to (IOMMUFD_ACCESS_RW_WRITE) or from @data */
int iopt_pages_rw_access(struct iopt_pages *pages, u64 start_byte, void *data,
			 u64 length, unsigned int flags);
/* iopt_area_start_byte(): the byte of the area's pages @iova is at */
static inline u64 iopt_area_start_byte(const struct iopt_area *area, u64 iova)
{
	return iova - area->node.start + area->start_byte;
}

/* Map the area's pages into @domain / every domain of its iopt, pinning
 * and charging; on failure nothing is mapped, pinned or charged. */
int iopt_area_fill_domain(struct iopt_area *area, struct iommu_domain *domain);
int iopt_area_fill_domains(struct iopt_area *area, struct iopt_pages *pages);
/* Unmap from every domain and unpin (area destruction). */
void iopt_area_unfill_domains(struct iopt_area *area, struct iopt_pages *pages);
/* Unmap from @domain and, if it held the pins, unpin (domain removal). */
void iopt_area_unfill_domain(struct iopt_area *area, struct iopt_pages *pages,
			     struct iommu_domain *domain);
void iopt_area_unmap_domain(struct iopt_area *area,
			    struct iommu_domain *domain);

#endif
