// SPDX-License-Identifier: MIT
/*
 * domain.c - a domain's lifetime: the driver's allocators (paging,
 * identity), the static domains a driver declares, the IO page table a
 * paging domain gets, lookups by reference, and iommu_domain_free().
 *
 * Domains are objects of m->domains (object.h): reserved, filled (the
 * table may fail to allocate), then published; a failed allocation aborts
 * and consumes neither an id nor memory. The table asks no fault knob: a
 * domain's id is the model's name for it, not a kernel allocation (its
 * page-table pages are, and physmem asks m->fault for them).
 */
#include <string.h>

#include "core.h"
#include "pt/amdv1.h"

const char *iommu_domain_type_name(unsigned int type)
{
	switch (type) {
	case IOMMU_DOMAIN_BLOCKED:
		return "blocked";
	case IOMMU_DOMAIN_IDENTITY:
		return "identity";
	case IOMMU_DOMAIN_UNMANAGED:
		return "unmanaged";
	case IOMMU_DOMAIN_DMA:
		return "DMA";
	case IOMMU_DOMAIN_DMA_FQ:
		return "DMA-FQ";
	case IOMMU_DOMAIN_NESTED:
		return "nested";
	}
	return "unknown";
}

static struct iommu_domain *domain_reserve(struct iommu_model *m,
					   struct iommu_device *owner,
					   unsigned int type)
{
	struct iommu_domain *dom = g_new0(struct iommu_domain, 1);

	if (obj_reserve(&m->domains, &dom->obj, IOMMU_OBJ_DOMAIN)) {
		g_free(dom);
		return NULL;
	}
	dom->type = type;
	dom->owner = owner;
	return dom;
}

/* A copy's domain holds its table (when it had one), then its label,
 * after the struct (core/copy.c); a label set since is its own. */
static bool domain_part_own(const struct iommu_domain *dom, const void *part)
{
	const char *at = (const char *)(dom + 1);

	if (!dom->one_block)
		return false;
	if (dom->pt == (const void *)at)
		at += sizeof(*dom->pt);
	return part == (const void *)(dom + 1) || part == (const void *)at;
}

static void domain_destroy(struct iommu_domain *dom)
{
	if (dom->pt) {
		pt_amdv1_deinit(dom->pt); /* the table pages go back */
		if (!domain_part_own(dom, dom->pt))
			g_free(dom->pt);
	}
	g_free(dom->priv);
	if (!domain_part_own(dom, dom->label))
		g_free(dom->label);
	g_free(dom);
}

/* The id is the table's from here on: its name too (iommu_domain_name()) */
static void domain_publish(struct iommu_model *m, struct iommu_domain *dom)
{
	obj_publish(&m->domains, &dom->obj);
	g_snprintf(dom->idname, sizeof(dom->idname), "domain#%u", dom->obj.id);
	iommu_touched_domain_live(m, dom);
}

const char *iommu_domain_name(const struct iommu_domain *domain)
{
	if (!domain)
		return "none";
	return domain->label ? domain->label : domain->idname;
}

struct iommu_domain *iommu_domain_new(struct iommu_model *m,
				      struct iommu_device *owner,
				      unsigned int type)
{
	struct iommu_domain *dom = domain_reserve(m, owner, type);

	if (dom)
		domain_publish(m, dom);
	return dom;
}

/*
 * amd/init.c early_amd_iommu_init(): amd_iommu_hpt_vasize =
 * min(IVinfo.VASize or 64, (EFR.HATS + PAGE_MODE_4_LEVEL - 1) * 9 + 21):
 * 48, 57 or 64 bits for HATS 0, 1, 2 (QEMU 10.0.2 reports 2, 7.2 had 0;
 * IVinfo.VASize is 0 on both). Other drivers: 64.
 */
static unsigned int hpt_vasize(const struct iommu_device *iommu)
{
	if (!iommu || iommu->kind != IOMMU_DRV_AMD_VI)
		return 64;
	return MIN(64u, (iommu->hats + 4 - 1) * 9 + 21);
}

/*
 * intel/iommu.c intel_iommu_domain_alloc_second_stage(): the vtdss format
 * has leaves at levels 0 to 2 only (generic_pt/fmt/vtdss.h
 * vtdss_pt_can_have_leaf()): 4K, 2M and 1G, then trimmed by
 * cap_super_page_val(iommu->cap), whose 2M and 1G bits QEMU's intel-iommu
 * both sets (the guest's type1 answers 0x40201000).
 */
#define VTD_SS_PGSIZES ((1ULL << 12) | (1ULL << 21) | (1ULL << 30))

/*
 * The table a paging domain gets at allocation: amd/iommu.c
 * amd_iommu_domain_alloc_paging_v1() with the owner's amd_iommu_hpt_vasize
 * and the AMD_IOMMU_PGSIZES page sizes; the IOMMUFD selftest's mock, its
 * amdv1_mock table (selftest.c mock_domain_alloc_pgtable()). Other
 * drivers' formats are not modelled: their paging domains use the AMDv1
 * table (docs/model.md), with the page sizes their own format gives where
 * a user sees them (VFIO_IOMMU_GET_INFO's iova_pgsizes): VT-d's, above.
 */
static struct pt_amdv1_cfg domain_pt_cfg(const struct iommu_device *owner)
{
	if (owner && owner->kind == IOMMU_DRV_MOCK)
		return pt_amdv1_cfg_mock();
	if (owner && owner->kind == IOMMU_DRV_INTEL_VTD)
		return pt_amdv1_cfg_amd_v1(hpt_vasize(owner), VTD_SS_PGSIZES);
	return pt_amdv1_cfg_amd_v1(hpt_vasize(owner), AMD_IOMMU_PGSIZES);
}

static int domain_init_pt(struct iommu_model *m, struct iommu_domain *dom)
{
	struct pt_amdv1_cfg cfg = domain_pt_cfg(dom->owner);
	int ret;

	cfg.debug = m->debug_generic_pt;
	dom->pt = g_new0(struct pt_amdv1, 1);
	ret = pt_amdv1_init(dom->pt, m->physmem, &cfg);
	if (ret) {
		g_free(dom->pt);
		dom->pt = NULL;
	}
	return ret;
}

/* iommu.c: __iommu_paging_domain_alloc_flags() */
int iommu_paging_domain_alloc_type(struct iommu_model *m, struct device *dev,
				   unsigned int type, struct iommu_domain **out)
{
	struct iommu_domain *dom;
	int ret;

	if (!dev->dev_iommu)
		return iommu_refuse(
			m, -ENODEV, "__iommu_paging_domain_alloc_flags",
			"%s has no IOMMU (dev->iommu is NULL)", dev->name);
	if (!dev->iommu->paging)
		return iommu_refuse(m, -EOPNOTSUPP,
				    "__iommu_paging_domain_alloc_flags",
				    "the %s driver has no domain_alloc_paging",
				    dev->iommu->name);
	dom = domain_reserve(m, dev->iommu, type);
	if (!dom)
		return -ENOMEM;
	ret = domain_init_pt(m, dom);
	if (ret)
		goto err_abort;
	dom->pgsize_bitmap = pt_amdv1_pgsize_bitmap(dom->pt);
	domain_publish(m, dom);
	*out = dom;
	return 0;

err_abort:
	obj_abort(&m->domains, &dom->obj);
	domain_destroy(dom);
	return ret;
}

/*
 * iommu.c: iommu_paging_domain_alloc_flags() -> __iommu_paging_domain_
 * alloc_flags(dev, UNMANAGED, flags): ops->domain_alloc_paging when there
 * is no flag, else ops->domain_alloc_paging_flags(dev, flags, NULL), else
 * -EOPNOTSUPP (tegra-smmu has only the former).
 */
int iommu_paging_domain_alloc_flags(struct iommu_model *m, struct device *dev,
				    u32 flags, struct iommu_domain **out)
{
	int ret;

	if (!flags || !dev->dev_iommu || !dev->iommu->paging)
		return iommu_paging_domain_alloc(m, dev, out);
	if (dev->iommu->kind == IOMMU_DRV_TEGRA_SMMU)
		return iommu_refuse(m, -EOPNOTSUPP,
				    "__iommu_paging_domain_alloc_flags",
				    "flags 0x%x: the %s driver has "
				    "domain_alloc_paging only",
				    flags, dev->iommu->name);
	ret = iommu_driver_paging_flags(m, dev, flags, false);
	return ret ? ret : iommu_paging_domain_alloc(m, dev, out);
}

/* iommu.c: iommu_paging_domain_alloc() -> ..._flags(dev, UNMANAGED, 0) */
int iommu_paging_domain_alloc(struct iommu_model *m, struct device *dev,
			      struct iommu_domain **out)
{
	return iommu_paging_domain_alloc_type(m, dev, IOMMU_DOMAIN_UNMANAGED,
					      out);
}

/* A driver's global static of @type in *@slot, made on first use (the
 * model names domains by id, so it takes one then); NULL when no domain
 * id is left. */
static struct iommu_domain *static_domain(struct iommu_model *m,
					  struct iommu_device *iommu,
					  struct iommu_domain **slot,
					  unsigned int type)
{
	if (!*slot) {
		*slot = iommu_domain_new(m, iommu, type);
		if (*slot)
			(*slot)->is_static = true;
	}
	return *slot;
}

/* ops->identity_domain of an IDENTITY_STATIC driver */
static struct iommu_domain *static_identity_domain(struct iommu_model *m,
						   struct iommu_device *iommu)
{
	return static_domain(m, iommu, &iommu->identity_domain,
			     IOMMU_DOMAIN_IDENTITY);
}

/* iommu.c: __iommu_alloc_identity_domain() */
int iommu_alloc_identity_domain(struct iommu_model *m, struct device *dev,
				struct iommu_domain **out)
{
	struct iommu_device *iommu = dev->iommu;

	switch (iommu->identity) {
	case IDENTITY_STATIC:
		*out = static_identity_domain(m, iommu);
		return *out ? 0 : -ENOMEM;
	case IDENTITY_ALLOC:
		*out = iommu_domain_new(m, iommu, IOMMU_DOMAIN_IDENTITY);
		return *out ? 0 : -ENOMEM;
	case IDENTITY_NONE:
		break;
	}
	return iommu_refuse(m, -EOPNOTSUPP, "__iommu_alloc_identity_domain",
			    "the %s driver has no identity domain",
			    iommu->name);
}

struct iommu_domain *iommu_static_blocked_domain(struct iommu_model *m,
						 struct iommu_device *iommu)
{
	return static_domain(m, iommu, &iommu->blocked_domain,
			     IOMMU_DOMAIN_BLOCKED);
}

/*
 * What a caller passing ops->identity_domain or ops->blocked_domain of
 * @iommu's driver passes: the driver's global static, or NULL for a
 * driver that allocates that domain (or has none), as the ops field is
 * then NULL. @name is "identity_domain" or "blocked_domain".
 */
int iommu_ops_static_domain(struct iommu_model *m, struct iommu_device *iommu,
			    const char *name, struct iommu_domain **out)
{
	bool identity = !strcmp(name, "identity_domain");

	*out = NULL;
	if (identity && iommu->identity == IDENTITY_STATIC)
		*out = static_identity_domain(m, iommu);
	else if (!identity && iommu->blocked == BLOCKED_STATIC)
		*out = iommu_static_blocked_domain(m, iommu);
	else /* the ops field is NULL: say so where the NULL is refused */
		return iommu_refuse(m, 0, "dev_iommu_ops",
				    "the %s driver has no static %s: "
				    "ops->%s is NULL",
				    iommu->name, name, name);
	return *out ? 0 : -ENOMEM;
}

struct iommu_domain_ref iommu_domain_ref(const struct iommu_domain *domain)
{
	struct iommu_domain_ref ref = { 0, 0 };

	if (domain) {
		ref.id = domain->obj.id;
		ref.serial = domain->obj.serial;
	}
	return ref;
}

struct iommu_domain *iommu_domain_lookup(struct iommu_model *m,
					 struct iommu_domain_ref ref)
{
	struct obj_header *obj =
		obj_peek_serial(&m->domains, ref.id, ref.serial);

	return obj ? (struct iommu_domain *)obj : NULL;
}

struct iommu_domain *iommu_domain_next(struct iommu_model *m,
				       struct iommu_domain *after)
{
	unsigned int id = obj_next_id(&m->domains, after ? after->obj.id : 0);

	/* obj_next_id() returns a published slot: obj_peek()'s checks hold */
	return id ? (struct iommu_domain *)m->domains.slots->pdata[id] : NULL;
}

bool iommu_domain_live(struct iommu_model *m, const struct iommu_domain *domain)
{
	for (struct iommu_domain *d = iommu_domain_next(m, NULL); d;
	     d = iommu_domain_next(m, d)) {
		if (d == domain)
			return true;
	}
	return false;
}

/* Whether any group or device still uses @domain (the kernel does not
 * check): a group's core domains and what a device's attach_dev last
 * installed count too, so a freed domain is never left pointed at.
 * iommu_check_invariants() recounts holders over the whole machine. */
bool iommu_domain_in_use(const struct iommu_domain *domain)
{
	return domain->holders > 0;
}

/* iommu.c: iommu_domain_free(); static domains are never freed */
void iommu_domain_free(struct iommu_model *m, struct iommu_domain *domain)
{
	struct obj_header *obj;

	if (domain->is_static)
		return;
	if (obj_remove(&m->domains, domain->obj.id, &obj))
		return; /* not published: nothing of ours */
	iommu_touched_domain_freed(m, domain);
	domain_destroy(domain);
}

int iommu_domain_free_checked(struct iommu_model *m,
			      struct iommu_domain *domain)
{
	if (!domain) /* iommu_domain_free() reads domain->cookie_type */
		return iommu_refuse(
			m, IOMMU_UB, "iommu_domain_free",
			"a NULL domain: the kernel dereferences it");
	/* a driver's statics have no ops->free: the call does nothing,
	 * attached or not (amd/iommu.c blocked_domain, identity_domain_ops) */
	if (domain->is_static)
		return 0;
	if (iommu_domain_in_use(domain))
		return iommu_refuse(m, IOMMU_UB, "iommu_domain_free",
				    "%s is still attached: the kernel "
				    "does not check, this is a use after free",
				    iommu_domain_name(domain));
	iommu_domain_free(m, domain);
	return 0;
}

void iommu_domains_release(struct iommu_model *m)
{
	struct iommu_domain *dom;
	unsigned int id = 0;

	/* in id order, one pass (a walk from the first id for each domain
	 * was quadratic in the table's size); the table goes with them, so
	 * no domain is taken out of it one by one (each removal shrank the
	 * table's slots: a tenth of freeing a copy). Its slots are compared,
	 * never dereferenced, once their domain is freed. */
	while ((id = obj_next_id(&m->domains, id))) {
		dom = (struct iommu_domain *)obj_peek(&m->domains, id);
		/* the machine goes: physmem_free() takes every table page at
		 * once, no walk of each table to give its pages back (an
		 * explorer frees a copy of the machine per state) */
		if (dom->pt)
			dom->pt->top_pa = 0;
		domain_destroy(dom);
	}
	obj_table_release(&m->domains);
}
