// SPDX-License-Identifier: MIT
/*
 * isolation.c - iommufd's part of the isolation invariant (reach.h): a
 * paging domain an IOAS fills translates exactly the IOAS's areas, each
 * IOVA page to the PA of the page its area pins, no more (a PTE left
 * after IOMMU_IOAS_UNMAP is a device reaching memory userspace gave
 * back) and no less. 7.3 guarantees it in io_pagetable.c and pages.c:
 * iopt_table_add_domain() fills a new domain with every area
 * (iopt_fill_domain()), iopt_area_fill_domains() a new area into every
 * domain, and iopt_area_unfill_domains() / iopt_unmap_iova_range()
 * unmap an area from every domain before its pages are unpinned; a
 * page is pinned (pfn_reader_user_pin()) before batch_to_domain() maps
 * it, so every PA a domain reaches is pinned.
 */
#include "iommufd/iommufd_private.h"
#include "pt/amdv1.h"
#include "reach.h"

/* One area's pages as runs: page i of the pages at the IOVA where the
 * area's page i starts (iopt_area_index_to_iova(): the first page from
 * the area's start less its offset into the page). NULL, or the first
 * page the area maps into a domain without a pin on it. */
static char *area_want(struct iopt_area *area, GArray *want, u32 ioas_id)
{
	struct iopt_pages *pages = area->pages;
	u64 first = area->start_byte / IOMMUFD_PAGE_SIZE;
	u64 last = (area->start_byte + iopt_area_length(area) - 1) /
		   IOMMUFD_PAGE_SIZE;
	u64 iova = iopt_area_iova(area) - area->page_offset;

	if (last >= pages->npages) /* a model bug: named, not read past */
		return g_strdup_printf("IOAS %u's area at IOVA 0x%llx ends at "
				       "page %llu of pages that have %llu",
				       ioas_id,
				       (unsigned long long)iopt_area_iova(area),
				       (unsigned long long)last,
				       (unsigned long long)pages->npages);
	for (u64 i = first; i <= last; i++, iova += IOMMUFD_PAGE_SIZE) {
		if (!pages->pin_count[i])
			return g_strdup_printf(
				"IOAS %u maps IOVA 0x%llx to page %llu of its "
				"pages, which is not pinned (batch_to_domain() "
				"maps what pfn_reader_user_pin() pinned; "
				"iopt_area_unfill_domains() unmaps before "
				"unpinning)",
				ioas_id, (unsigned long long)iova,
				(unsigned long long)i);
		iommu_reach_runs_add(
			want, iova, iopt_pages_index_to_pa(pages, i),
			IOMMUFD_PAGE_SIZE,
			area->iommu_prot & (IOMMU_READ | IOMMU_WRITE));
	}
	return NULL;
}

/* What every domain of @ioas must translate; NULL, or a break */
static char *ioas_want(struct iommufd_ioas *ioas, GArray *want)
{
	struct io_pagetable *iopt = &ioas->iopt;

	for (guint i = 0; i < iopt->areas->len; i++) {
		struct iopt_area *area = iopt->areas->pdata[i];
		char *bad;

		/* an area without pages is being set up or torn down
		 * inside one call: between steps there is none */
		if (!area->pages)
			continue;
		bad = area_want(area, want, ioas->obj.id);
		if (bad)
			return bad;
	}
	return NULL;
}

/* The domain's translations: the hardware's walk of its AMDv1 entries,
 * or for the selftest's amdv1_mock (no hardware walks it; its devices
 * are software) the format's own reader */
static GArray *domain_runs(struct iommu_model *m, struct iommu_domain *d,
			   const char **how)
{
	GArray *runs = iommu_domain_hw_runs(m, d);

	*how = "";
	if (runs)
		return runs;
	*how = "; the mock's table read by its format's own reader";
	return iommu_domain_sw_runs(d);
}

static char *check_ioas(struct iommu_model *m, struct iommufd_ioas *ioas,
			unsigned int ctx, struct iommu_isolation *iso)
{
	struct io_pagetable *iopt = &ioas->iopt;
	g_autoptr(GArray) want = NULL;
	char *bad;
	u64 key;

	if (!iopt->domains->len)
		return NULL;
	want = iommu_reach_runs_new();
	bad = ioas_want(ioas, want);
	key = bad ? 0 : iommu_reach_runs_hash(want);
	for (guint i = 0; !bad && i < iopt->domains->len; i++) {
		struct iommu_domain *d = iopt->domains->pdata[i];
		g_autoptr(GArray) got = NULL;
		g_autofree char *owner = NULL, *fill = NULL;
		const char *how;

		iommu_isolation_owned(iso, d);
		if (iommu_reach_checked(d, key))
			continue;
		got = domain_runs(m, d, &how);
		if (!got)
			continue;
		owner = g_strdup_printf("IOAS %u of iommufd ctx %u",
					ioas->obj.id, ctx);
		fill = g_strdup_printf("iopt_area_fill_domains(), "
				       "iopt_fill_domain(), "
				       "iopt_area_unfill_domains()%s",
				       how);
		bad = iommu_reach_compare(m, d, got, want, owner, fill);
		if (!bad)
			iommu_reach_agreed(d, key);
	}
	return bad;
}

/* A group iommufd owns for user DMA (iommufd_device_bind()'s
 * iommu_device_claim_dma_owner() with the ctx as cookie) never reaches
 * all memory through an identity domain: __iommu_take_dma_ownership()
 * moved it to its blocking domain, and iommufd attaches only the paging
 * and nested domains its HWPTs hold (iommufd_hw_pagetable_attach()) */
static char *check_owned(struct iommu_model *m, struct iommufd_ctx *ictx)
{
	for (guint i = 0; ictx->owner_cookie && i < m->groups->len; i++) {
		struct iommu_group *g = m->groups->pdata[i];
		char *bad = g->owner == ictx->owner_cookie
				    ? iommu_check_owned_group(m, g)
				    : NULL;

		if (bad)
			return bad;
	}
	return NULL;
}

/* Each ctx claims with a cookie of its own (device.c ctx_cookie()) */
bool iommufd_owns_group(struct iommu_model *m, struct iommu_group *g)
{
	for (guint c = 0; g->owner && m->ictxs && c < m->ictxs->len; c++) {
		struct iommufd_ctx *ictx = m->ictxs->pdata[c];

		if (ictx->owner_cookie && g->owner == ictx->owner_cookie)
			return true;
	}
	return false;
}

char *iommufd_check_isolation(struct iommu_model *m,
			      struct iommu_isolation *iso)
{
	for (guint c = 0; m->ictxs && c < m->ictxs->len; c++) {
		struct iommufd_ctx *ictx = m->ictxs->pdata[c];
		struct obj_table *t = &ictx->objects;
		char *bad = check_owned(m, ictx);

		for (u32 id = obj_next_id(t, 0); !bad && id;
		     id = obj_next_id(t, id)) {
			struct obj_header *obj = obj_peek(t, id);

			if (obj && obj->type == IOMMUFD_OBJ_IOAS)
				bad = check_ioas(m, (struct iommufd_ioas *)obj,
						 c + 1, iso);
		}
		if (bad)
			return bad;
	}
	return NULL;
}
