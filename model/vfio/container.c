// SPDX-License-Identifier: MIT
/*
 * container.c - VFIO's native container (Linux 7.3 drivers/vfio/
 * container.c, CONFIG_VFIO_CONTAINER) with its two IOMMU drivers: the
 * noiommu one (container.c vfio_noiommu_ops) and type1
 * (vfio_iommu_type1.c) to the depth attach needs: a group joining a
 * type1 container gets a new paging domain, refused without isolated MSIs
 * unless vfio_iommu_type1.allow_unsafe_interrupts, then moves into a
 * compatible domain the container already has (same driver, same
 * enforce_cache_coherency) and frees the new one, or keeps it and has
 * the mappings replayed into it (vfio_iommu_type1_attach_group()), unless
 * the new domain's aperture or the group's reserved regions leave out a
 * mapping the container has; a domain goes with its last group. type1's
 * DMA mappings
 * (MAP_DMA, UNMAP_DMA, GET_INFO, replay, unmap at the last detach) are
 * type1.c's.
 */
#include "vfio/vfio_private.h"
#include "state.h"

u64 vfio_container_hash(const struct vfio_container *c, u64 h)
{
	if (!c)
		return iommu_hash_mix(h, 0);
	h = iommu_hash_mix(h, c->ref);
	for (guint i = 0; i < c->groups->len; i++) {
		const struct vfio_group *g = c->groups->pdata[i];

		h = iommu_hash_mix(h, g->minor + 1);
	}
	h = iommu_hash_mix(h, c->noiommu | c->v2 << 1);
	h = iommu_hash_mix(h, c->driver);
	h = iommu_hash_mix(h, c->domains ? g_hash_table_size(c->domains) : 0);
	return c->t1 ? vfio_type1_hash(c->t1, h) : h;
}

/* vfio_fops_open(), or iommufd_fops_open() when iommufd provides
 * /dev/vfio/vfio (it then accounts to locked_vm, as type1 does) */
int vfio_container_open(struct vfio_file *f)
{
	struct vfio *v = vfio_of(f->m);
	struct vfio_container *c;
	int ret;

	if (!v->cfg.y[KS_VFIO_CONTAINER]) {
		ret = iommufd_fops_open(f->m, &f->ictx);
		if (!ret)
			f->ictx->account_mode = IOPT_PAGES_ACCOUNT_MM;
		return ret;
	}
	if (fault_should_fail(&f->m->fault, "vfio_fops_open"))
		return -ENOMEM;
	c = g_new0(struct vfio_container, 1);
	c->vfio = v;
	c->ref = 1;
	c->groups = g_ptr_array_new();
	c->domains = g_hash_table_new(g_direct_hash, g_direct_equal);
	f->container = c;
	return 0;
}

void vfio_container_put(struct vfio_container *c)
{
	if (--c->ref)
		return;
	vfio_type1_release(c->t1);
	g_ptr_array_free(c->groups, TRUE);
	g_hash_table_destroy(c->domains);
	g_free(c);
}

static struct device *group_dev(struct vfio_group *group)
{
	return iommu_group_first_dev(group->iommu_group);
}

/* domain->enforce_cache_coherency: what ops->enforce_cache_coherency()
 * answered at attach (AMD-Vi: always, IOMMU_PTE_FC; VT-d: with snoop
 * control), the driver's IOMMU_CAP_ENFORCE_CACHE_COHERENCY here */
static bool domain_enforces_cc(const struct iommu_domain *d)
{
	return d->owner && d->owner->cap_enforce_cache_coherency;
}

/* "Try to match an existing compatible domain": the same ops (the same
 * driver) and the same enforce_cache_coherency; moves @group there from
 * @domain, which the caller then frees. 0 if one took it; -errno if
 * @group could not go back to @domain after a failed try. */
static int type1_join_domain(struct vfio_container *c, struct device *dev,
			     struct iommu_domain *domain,
			     struct iommu_domain **joined)
{
	struct iommu_model *m = c->vfio->m;
	g_autoptr(GList) l = vfio_type1_domain_list(c->domains);
	int ret;

	*joined = NULL;
	for (GList *it = l; it; it = it->next) {
		struct iommu_domain *e = it->data;

		if (!e->owner || !domain->owner ||
		    e->owner->kind != domain->owner->kind ||
		    domain_enforces_cc(e) != domain_enforces_cc(domain))
			continue;
		iommu_detach_group(m, domain, dev);
		if (!iommu_attach_group(m, e, dev)) {
			*joined = e;
			return 0;
		}
		ret = iommu_attach_group(m, domain, dev);
		if (ret)
			return ret;
	}
	return 0;
}

static bool isolated_msi(const struct vfio_group *group)
{
	bool isolated = true;

	for (guint i = 0; i < group->iommu_group->devices->len; i++) {
		struct device *d = group->iommu_group->devices->pdata[i];

		isolated &= d->iommu && d->iommu->irq_remap;
	}
	return isolated;
}

/* vfio_iommu_type1_attach_group(), in its order: a new domain, attach,
 * the aperture and reserved-region conflicts with the mappings, the MSI
 * check, a compatible domain to join, else replay into the new; the IOVA
 * list's bounds narrow to the new domain's aperture either way */
static int type1_attach_group(struct vfio_container *c,
			      struct vfio_group *group)
{
	struct iommu_model *m = c->vfio->m;
	struct iommu_domain *domain, *joined;
	struct device *dev = group_dev(group);
	int ret;

	if (vfio_type1_vaddr_invalid(c->t1))
		return iommu_refuse(m, -EBUSY, "vfio_iommu_type1_attach_group",
				    "a mapping's vaddr is invalid (UNMAP "
				    "VADDR): attach could need pinning");
	ret = iommu_paging_domain_alloc(m, dev, &domain);
	if (ret)
		return ret;
	ret = iommu_attach_group(m, domain, dev);
	if (ret)
		goto out_free;
	ret = vfio_type1_attach_conflict(c->t1, c->domains, domain, dev);
	if (ret)
		goto out_detach;
	if (!isolated_msi(group) && !c->vfio->type1_allow_unsafe_interrupts) {
		ret = iommu_refuse(m, -EPERM, "vfio_iommu_type1_attach_group",
				   "no interrupt remapping (use "
				   "vfio_iommu_type1.allow_unsafe_interrupts)");
		goto out_detach;
	}
	ret = type1_join_domain(c, dev, domain, &joined);
	if (ret)
		goto out_free;
	if (joined) {
		vfio_type1_aper_resize(c->t1, domain);
		iommu_domain_free(m, domain);
		g_hash_table_insert(c->domains, group, joined);
		return 0;
	}
	ret = vfio_type1_replay(c->t1, domain);
	if (ret)
		goto out_detach;
	vfio_type1_aper_resize(c->t1, domain);
	g_hash_table_insert(c->domains, group, domain);
	return 0;

out_detach:
	iommu_detach_group(m, domain, dev);
out_free:
	iommu_domain_free(m, domain);
	return ret;
}

/* Groups in @domain */
static unsigned int domain_groups(struct vfio_container *c,
				  struct iommu_domain *domain)
{
	GHashTableIter it;
	gpointer d;
	unsigned int n = 0;

	g_hash_table_iter_init(&it, c->domains);
	while (g_hash_table_iter_next(&it, NULL, &d))
		n += d == domain;
	return n;
}

/* list_is_singular(&iommu->domain_list): every group in @domain */
static bool only_domain(struct vfio_container *c, struct iommu_domain *domain)
{
	return domain_groups(c, domain) == g_hash_table_size(c->domains);
}

/* vfio_iommu_type1_detach_group(): the domain goes with its last group,
 * and with the last domain every mapping */
static void type1_detach_group(struct vfio_container *c,
			       struct vfio_group *group)
{
	struct iommu_domain *domain = g_hash_table_lookup(c->domains, group);
	struct iommu_model *m = c->vfio->m;

	if (!domain)
		return;
	iommu_detach_group(m, domain, group_dev(group));
	if (domain_groups(c, domain) > 1) {
		g_hash_table_remove(c->domains, group);
		return;
	}
	/* the domain's last group: with the last domain every mapping */
	if (only_domain(c, domain))
		vfio_type1_unmap_unpin_all(c->t1, c->domains);
	g_hash_table_remove(c->domains, group);
	iommu_domain_free(m, domain);
	vfio_type1_aper_expand(c->t1, c->domains);
}

static int driver_attach_group(struct vfio_container *c,
			       struct vfio_group *group)
{
	return c->driver == DRV_TYPE1 ? type1_attach_group(c, group) : 0;
}

/* every domain of the container enforces coherency (1 with none) */
static bool domains_enforce_cc(const struct vfio_container *c)
{
	GHashTableIter it;
	gpointer d;

	g_hash_table_iter_init(&it, c->domains);
	while (g_hash_table_iter_next(&it, NULL, &d)) {
		if (!domain_enforces_cc(d))
			return false;
	}
	return true;
}

/* the drivers' ioctl(NULL or data, VFIO_CHECK_EXTENSION, arg) */
static int driver_check_extension(const struct vfio_container *c,
				  enum vfio_iommu_kind k, unsigned long arg)
{
	if (k == DRV_NOIOMMU)
		return c->vfio->noiommu && arg == VFIO_NOIOMMU_IOMMU;
	switch (arg) {
	case VFIO_TYPE1_IOMMU:
	case VFIO_TYPE1v2_IOMMU:
	case VFIO_UNMAP_ALL:
		return 1;
	case VFIO_UPDATE_VADDR:
		return c->driver == DRV_TYPE1; /* no emulated devices */
	case VFIO_DMA_CC_IOMMU:
		/* vfio_domains_have_enforce_cache_coherency(); no driver
		 * data before VFIO_SET_IOMMU: 0 */
		return c->driver == DRV_TYPE1 && domains_enforce_cc(c);
	default:
		return 0;
	}
}

/* vfio_iommu_driver_allowed(): noiommu containers use vfio-noiommu only */
static bool driver_allowed(const struct vfio_container *c,
			   enum vfio_iommu_kind k)
{
	return c->noiommu == (k == DRV_NOIOMMU);
}

/* the registered drivers, vfio.iommu_drivers_list order (list_add at
 * the head: type1 loads after container.c registered vfio-noiommu) */
static int registered_drivers(const struct vfio *v, enum vfio_iommu_kind *k)
{
	int n = 0;

	k[n++] = DRV_TYPE1;
	if (v->cfg.y[KS_VFIO_NOIOMMU])
		k[n++] = DRV_NOIOMMU;
	return n;
}

/* vfio_container_ioctl_check_extension() */
static int container_check_extension(struct vfio_container *c,
				     unsigned long arg)
{
	enum vfio_iommu_kind k[2];
	int n = registered_drivers(c->vfio, k), ret = 0;

	if (c->driver)
		return driver_check_extension(c, c->driver, arg);
	for (int i = 0; i < n && ret <= 0; i++) {
		if (c->groups->len && !driver_allowed(c, k[i]))
			continue;
		ret = driver_check_extension(c, k[i], arg);
	}
	return ret;
}

/* __vfio_container_attach_groups(), unwinding in reverse */
static int attach_groups(struct vfio_container *c)
{
	guint i;
	int ret = 0;

	for (i = 0; i < c->groups->len; i++) {
		ret = driver_attach_group(c, c->groups->pdata[i]);
		if (ret)
			goto unwind;
	}
	return 0;

unwind:
	while (i--)
		type1_detach_group(c, c->groups->pdata[i]);
	return ret;
}

/* the driver's release: type1's data goes with it */
static void container_driver_reset(struct vfio_container *c)
{
	vfio_type1_release(c->t1);
	c->t1 = NULL;
	c->driver = DRV_NONE;
}

/* The driver's open(@arg): vfio_noiommu_open() (container.c) or
 * vfio_iommu_type1_open(); a check_extension() that claims @arg does not
 * make it a type the driver opens (type1 claims VFIO_UNMAP_ALL). */
static int driver_open(struct vfio_container *c, enum vfio_iommu_kind k,
		       unsigned long arg, struct process *task)
{
	struct iommu_model *m = c->vfio->m;

	if (k == DRV_NOIOMMU) {
		if (arg != VFIO_NOIOMMU_IOMMU)
			return iommu_refuse(
				m, -EINVAL, "vfio_noiommu_open",
				"type %lu is not VFIO_NOIOMMU_IOMMU", arg);
		if (!capable(task, CAP_SYS_RAWIO))
			return iommu_refuse(m, -EPERM, "vfio_noiommu_open",
					    "the caller lacks CAP_SYS_RAWIO");
		return 0;
	}
	if (arg != VFIO_TYPE1_IOMMU && arg != VFIO_TYPE1v2_IOMMU &&
	    arg != __VFIO_RESERVED_TYPE1_NESTING_IOMMU)
		return iommu_refuse(m, -EINVAL, "vfio_iommu_type1_open",
				    "type %lu is neither VFIO_TYPE1_IOMMU nor "
				    "VFIO_TYPE1v2_IOMMU",
				    arg);
	return 0;
}

/* vfio_ioctl_set_iommu(): the first allowed driver that claims @arg and
 * attaches every group; -ENODEV if none does */
static int vfio_ioctl_set_iommu(struct vfio_container *c, unsigned long arg,
				struct process *task)
{
	enum vfio_iommu_kind k[2];
	int n = registered_drivers(c->vfio, k), ret = -ENODEV;

	if (!c->groups->len || c->driver)
		return iommu_refuse(c->vfio->m, -EINVAL, "vfio_ioctl_set_iommu",
				    c->driver ? "an IOMMU driver is already set"
					      : "the container has no group");
	for (int i = 0; i < n; i++) {
		if (!driver_allowed(c, k[i]) ||
		    driver_check_extension(c, k[i], arg) <= 0)
			continue;
		ret = driver_open(c, k[i], arg, task);
		if (ret)
			continue;
		c->driver = k[i];
		/* type1_open(): v2 but for VFIO_TYPE1_IOMMU (the reserved
		 * nesting type too, though no check_extension() claims it) */
		c->v2 = k[i] == DRV_TYPE1 && arg != VFIO_TYPE1_IOMMU;
		if (k[i] == DRV_TYPE1)
			c->t1 = vfio_type1_open(c->vfio, c->v2);
		ret = attach_groups(c);
		if (!ret)
			break;
		container_driver_reset(c);
	}
	return ret;
}

/* vfio_fops_unl_ioctl(): the rest goes to the driver set, else -EINVAL */
int vfio_container_ioctl(struct vfio_file *f, struct process *task,
			 unsigned int cmd, void *arg, size_t len)
{
	struct vfio_container *c = f->container;
	unsigned long a = arg && len >= sizeof(a) ? *(unsigned long *)arg : 0;

	switch (cmd) {
	case VFIO_GET_API_VERSION:
		return VFIO_API_VERSION;
	case VFIO_CHECK_EXTENSION:
		return container_check_extension(c, a);
	case VFIO_SET_IOMMU:
		return vfio_ioctl_set_iommu(c, a, task);
	default:
		if (!c->driver)
			return -EINVAL;
		/* vfio_noiommu_ioctl(): only CHECK_EXTENSION */
		if (c->driver == DRV_NOIOMMU)
			return -ENOTTY;
		return vfio_type1_ioctl(c->t1, c->domains, task, cmd, arg, len);
	}
}

/* vfio_container_attach_group() */
int vfio_container_attach_group(struct vfio_container *c,
				struct vfio_group *group, struct process *task)
{
	struct iommu_model *m = c->vfio->m;
	bool noiommu = group->type == VFIO_NO_IOMMU;
	int ret;

	if (noiommu && !capable(task, CAP_SYS_RAWIO))
		return iommu_refuse(m, -EPERM, "vfio_container_attach_group",
				    "a noiommu group needs CAP_SYS_RAWIO");
	if (c->groups->len && c->noiommu != noiommu)
		return iommu_refuse(m, -EPERM, "vfio_container_attach_group",
				    "noiommu and IOMMU groups do not mix");
	if (!noiommu) {
		ret = iommu_group_claim_dma_owner(
			m, group_dev(group), iommu_cookie(m, "vfio-group"));
		if (ret)
			return ret;
	}
	ret = c->driver ? driver_attach_group(c, group) : 0;
	if (ret) {
		if (!noiommu)
			iommu_group_release_dma_owner(m, group_dev(group));
		return ret;
	}
	group->container = c;
	group->container_users = 1;
	c->noiommu = noiommu;
	g_ptr_array_add(c->groups, group);
	c->ref++;
	return 0;
}

/* vfio_group_detach_container() */
void vfio_group_detach_container(struct vfio_group *group)
{
	struct vfio_container *c = group->container;
	struct iommu_model *m = c->vfio->m;

	IOMMU_WARN_ON(m, group->container_users != 1);
	type1_detach_group(c, group);
	if (group->type == VFIO_IOMMU)
		iommu_group_release_dma_owner(m, group_dev(group));
	group->container = NULL;
	group->container_users = 0;
	g_ptr_array_remove(c->groups, group);
	if (!c->groups->len) /* __vfio_group_unset_container() */
		container_driver_reset(c);
	vfio_container_put(c);
}

/* vfio_group_use_container(): a driver must be set */
int vfio_group_use_container(struct vfio_group *group)
{
	if (!group->container)
		return -EINVAL;
	if (!group->container->driver)
		return iommu_refuse(group->container->vfio->m, -EINVAL,
				    "vfio_group_use_container",
				    "VFIO_SET_IOMMU has not been done");
	group->container_users++;
	return 0;
}

void vfio_group_unuse_container(struct vfio_group *group)
{
	if (group->container)
		group->container_users--;
}

/* For pictures (view.c): the IOMMU driver VFIO_SET_IOMMU chose. */
const char *vfio_container_iommu_name(const struct vfio_container *c)
{
	if (c->driver == DRV_TYPE1)
		return c->v2 ? "type1v2" : "type1";
	return c->driver == DRV_NOIOMMU ? "noiommu" : "no IOMMU set";
}
