/* SPDX-License-Identifier: MIT */
/*
 * Stand-in for drivers/iommu/iommu-pages.h: a table page is 4 KiB-aligned
 * host memory behind a hidden 4 KiB header that holds its list link, so a
 * page queued for freeing (generic_pt queues them while still walking them)
 * never has its entries touched. oracle_fail_nth fails the nth allocation.
 */
#ifndef ORACLE_IOMMU_PAGES_H
#define ORACLE_IOMMU_PAGES_H
#include <kshim.h>
struct iommu_pages_list {
	struct list_head pages;
};
#define IOMMU_PAGES_LIST_INIT(name)                                            \
	{                                                                      \
		.pages = LIST_HEAD_INIT(name.pages)                            \
	}
extern long oracle_pages_in_use;
extern int oracle_fail_nth;
static inline struct list_head *oracle_link(void *virt)
{
	return (struct list_head *)((char *)virt - 4096);
}
static inline void *iommu_alloc_pages_node_sz(int nid, gfp_t gfp, size_t size)
{
	void *mem;
	if (oracle_fail_nth && --oracle_fail_nth == 0)
		return NULL;
	if (size != 4096 || posix_memalign(&mem, 4096, 8192))
		abort();
	memset(mem, 0, 8192);
	oracle_pages_in_use++;
	return (char *)mem + 4096;
}
static inline void iommu_free_pages(void *virt)
{
	if (!virt)
		return;
	oracle_pages_in_use--;
	free((char *)virt - 4096);
}
static inline void iommu_pages_free_incoherent(void *virt, struct device *d)
{
	iommu_free_pages(virt);
}
static inline void iommu_pages_list_add(struct iommu_pages_list *l, void *virt)
{
	struct list_head *n = oracle_link(virt);
	n->next = &l->pages;
	n->prev = l->pages.prev;
	l->pages.prev->next = n;
	l->pages.prev = n;
}
static inline bool iommu_pages_list_empty(struct iommu_pages_list *l)
{
	return l->pages.next == &l->pages;
}
static inline void iommu_pages_list_splice(struct iommu_pages_list *from,
					   struct iommu_pages_list *to)
{
	if (iommu_pages_list_empty(from))
		return;
	struct list_head *first = from->pages.next, *last = from->pages.prev;
	first->prev = to->pages.prev;
	to->pages.prev->next = first;
	last->next = &to->pages;
	to->pages.prev = last;
}
static inline void iommu_put_pages_list(struct iommu_pages_list *l)
{
	struct list_head *n = l->pages.next;
	while (n != &l->pages) {
		struct list_head *next = n->next;
		iommu_free_pages((char *)n + 4096);
		n = next;
	}
	INIT_LIST_HEAD(&l->pages);
}
static inline int iommu_pages_start_incoherent(void *v, struct device *d)
{
	return 0;
}
static inline int iommu_pages_start_incoherent_list(struct iommu_pages_list *l,
						    struct device *d)
{
	return 0;
}
static inline void iommu_pages_stop_incoherent_list(struct iommu_pages_list *l,
						    struct device *d)
{
}
static inline void iommu_pages_flush_incoherent(struct device *d, void *v,
						size_t o, size_t l)
{
}
#endif
