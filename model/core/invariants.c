// SPDX-License-Identifier: MIT
/*
 * invariants.c - what must hold after every operation. Two kinds:
 * iommu_check_invariants(), what the kernel's code guarantees whatever its
 * callers do (a violation is a model bug, unless the kernel itself WARNed
 * or left the state so), and iommu_check_contract(), what holds while the
 * callers keep the API's contract (a violation says the scenario's calls
 * broke it: the kernel reaches that state too, without a word).
 */
#include "iommu.h"
#include "profile.h"
#include "reach.h"
#include "state.h"

static unsigned int expected_owner_cnt(struct iommu_group *group)
{
	unsigned int n = group->claims;

	for (guint i = 0; i < group->devices->len; i++) {
		struct device *dev = group->devices->pdata[i];

		if (dev->driver && !dev->driver->driver_managed_dma)
			n++;
		n += dev->direct_uses;
	}
	return n;
}

static bool iommu_group_is_fake(struct iommu_group *g)
{
	for (guint i = 0; i < g->devices->len; i++) {
		struct device *dev = g->devices->pdata[i];

		if (dev->dev_iommu)
			return false;
	}
	return true;
}

/* What the kernel's own code guarantees whatever its callers do. */
/* The live domains: the touched record's set (a step's check), or the
 * whole check's sorted array (a hash set per check cost more than the
 * check: an explorer checks every state it makes whole) */
struct holder {
	const struct iommu_domain *d;
	guint n; /* the slots that point at it */
};

struct live {
	GHashTable *set;
	struct holder *v; /* sorted by address: @small, or allocated */
	guint n;
	bool stray;		 /* a holder counted that is not live */
	struct holder small[16]; /* a machine's handful: no allocation */
};

static int holder_cmp(const void *a, const void *b)
{
	uintptr_t x = (uintptr_t)((const struct holder *)a)->d;
	uintptr_t y = (uintptr_t)((const struct holder *)b)->d;

	return x < y ? -1 : x > y;
}

/* @d's entry, NULL when it is not live (never dereferenced: a freed
 * domain is only compared) */
static struct holder *live_find(const struct live *l,
				const struct iommu_domain *d)
{
	struct holder key = { d, 0 };

	if (l->n <= G_N_ELEMENTS(l->small)) { /* bsearch()'s calls cost more */
		for (guint i = 0; i < l->n; i++) {
			if (l->v[i].d == d)
				return &l->v[i];
		}
		return NULL;
	}
	return bsearch(&key, l->v, l->n, sizeof(key), holder_cmp);
}

static bool live_has(const struct live *l, const struct iommu_domain *d)
{
	return l->set ? g_hash_table_contains(l->set, d) : !!live_find(l, d);
}

static char *check_group(struct iommu_model *m, struct iommu_group *g,
			 const struct live *live)
{
	for (guint i = 0; i < g->devices->len; i++) {
		struct device *dev = g->devices->pdata[i];

		/* a device in PCI reset is on the blocking domain */
		if (dev->attached != g->domain &&
		    !(dev->reset_blocked &&
		      dev->attached == g->blocking_domain))
			return g_strdup_printf(
				"%s is attached to domain#%d but its group %d "
				"is on domain#%d",
				dev->name,
				dev->attached ? dev->attached->obj.id : 0,
				g->id, g->domain ? g->domain->obj.id : 0);
	}
	/* a group no IOMMU driver made (VFIO's fake noiommu group) has no
	 * domain at all */
	if (m->resolved->claim_blocks && m->booted && !g->domain &&
	    !iommu_group_is_fake(g))
		return g_strdup_printf("group %d has no domain", g->id);
	if ((g->domain && !live_has(live, g->domain)) ||
	    (g->default_domain && !live_has(live, g->default_domain)))
		return g_strdup_printf("group %d uses a freed domain", g->id);
	return NULL;
}

/* What holds while callers keep the API's contract: balanced use/unuse
 * and claim/release, no attach of the default domain to an owned group,
 * the handle API used in pairs. The kernel does not check these. */
static char *check_contract(struct iommu_group *g)
{
	if (g->owner_cnt != expected_owner_cnt(g))
		return g_strdup_printf("group %d: owner_cnt %u, but its bound "
				       "DMA-API drivers and claims make %u",
				       g->id, g->owner_cnt,
				       expected_owner_cnt(g));
	if (g->owner && !g->owner_cnt)
		return g_strdup_printf("group %d has an owner with owner_cnt 0",
				       g->id);
	if (g->owner && g->domain && g->domain == g->default_domain)
		return g_strdup_printf("group %d is claimed by %s but on its "
				       "default domain",
				       g->id, g->owner);
	if (g->handle && g->handle != g->domain)
		return g_strdup_printf("group %d: attach handle for domain#%d "
				       "but the group is on domain#%d",
				       g->id, g->handle->obj.id,
				       g->domain ? g->domain->obj.id : 0);
	return NULL;
}

char *iommu_check_contract(struct iommu_model *m)
{
	for (guint i = 0; i < m->groups->len; i++) {
		char *bad = check_contract(m->groups->pdata[i]);

		if (bad)
			return bad;
	}
	return NULL;
}

/* The DMA owner's exclusivity. iommu_group_claim_dma_owner(): "Only a
 * single owner may exist for a group"; while VFIO or an iommufd ctx owns
 * a group for user DMA, its domain is theirs to set
 * (__iommu_take_dma_ownership() blocked it; they attach the paging and
 * nested domains userspace asked for) and the claim theirs to release.
 * iommu_attach_group(), iommu_detach_group(), the handle API and
 * iommu_group_release_dma_owner() take no owner and check no caller: an
 * in-kernel caller that uses them on such a group breaks the owner's
 * contract, and what the owner's device reaches after it is the
 * caller's doing, not the kernel's. */
char *iommu_check_caller(struct iommu_model *m, struct device *dev,
			 const char *api)
{
	struct iommu_group *g = dev ? dev->iommu_group : NULL;
	const char *owner = iommu_group_user_dma_owner(m, g);

	if (!owner)
		return NULL;
	return g_strdup_printf("%s on group %d, which %s owns for user DMA "
			       "(only a group's DMA owner changes its domain "
			       "or releases its claim: the owner cookie of "
			       "iommu_group_claim_dma_owner() and "
			       "iommu_device_claim_dma_owner() is exclusive)",
			       api, g->id, owner);
}

/* A machine has a handful of domains: insertion sort there, qsort()'s
 * merge sort (a tenth of the whole check's cost) for a wide one */
static void sort_holders(struct holder *v, guint n)
{
	if (n > 32) {
		qsort(v, n, sizeof(*v), holder_cmp);
		return;
	}
	for (guint i = 1; i < n; i++) {
		struct holder h = v[i];
		guint j = i;

		for (; j && (uintptr_t)v[j - 1].d > (uintptr_t)h.d; j--)
			v[j] = v[j - 1];
		v[j] = h;
	}
}

/* The live domains, sorted: one pass over the table, so a group's check
 * does not scan every domain (linear in a wide machine's size). */
static void live_domains(struct iommu_model *m, struct live *l)
{
	guint cap = G_N_ELEMENTS(l->small);

	l->v = l->small;
	for (struct iommu_domain *d = iommu_domain_next(m, NULL); d;
	     d = iommu_domain_next(m, d)) {
		if (l->n == cap && l->v == l->small)
			l->v = g_memdup2(l->small, sizeof(l->small));
		if (l->n == cap)
			l->v = g_renew(struct holder, l->v, cap *= 2);
		l->v[l->n++] = (struct holder){ d, 0 };
	}
	sort_holders(l->v, l->n);
}

/* Every device with a group is in its group's list: the lists' members
 * that point back, counted, against the devices that have a group (one
 * pass each; a search of the group per device is N x its size); only on
 * a mismatch the search names the device. */
static char *check_membership(struct iommu_model *m)
{
	guint members = 0, grouped = 0;

	for (guint i = 0; i < m->groups->len; i++) {
		struct iommu_group *g = m->groups->pdata[i];

		for (guint j = 0; j < g->devices->len; j++) {
			struct device *dev = g->devices->pdata[j];

			members += dev->iommu_group == g;
		}
	}
	for (guint i = 0; i < m->devices->len; i++)
		grouped +=
			((struct device *)m->devices->pdata[i])->iommu_group !=
			NULL;
	if (members == grouped)
		return NULL;
	for (guint i = 0; i < m->devices->len; i++) {
		struct device *dev = m->devices->pdata[i];

		if (dev->iommu_group &&
		    !g_ptr_array_find(dev->iommu_group->devices, dev, NULL))
			return g_strdup_printf("%s is not in its own group",
					       dev->name);
	}
	return NULL;
}

static void count_holder(struct live *l, struct iommu_domain *d)
{
	struct holder *h = d ? live_find(l, d) : NULL;

	if (h)
		h->n++;
	else if (d)
		l->stray = true;
}

/* domain->holders (the model's own count, iommu_domain_slot_set()) is
 * what points at each live domain: every group slot, PASID entry and
 * device's attached, counted in one pass (a device with a group once, as
 * its group's member) */
static char *check_holders(struct iommu_model *m, struct live *l)
{
	for (guint i = 0; i < m->groups->len; i++) {
		struct iommu_group *g = m->groups->pdata[i];

		for (guint k = 0; g->pasids && k < g->pasids->len; k++)
			count_holder(l,
				     g_array_index(g->pasids,
						   struct iommu_pasid_entry, k)
					     .domain);
		count_holder(l, g->domain);
		count_holder(l, g->handle);
		count_holder(l, g->default_domain);
		count_holder(l, g->blocking_domain);
		/* the members: the selftest's software devices are in no
		 * machine list but their group's */
		for (guint k = 0; k < g->devices->len; k++)
			count_holder(l, ((struct device *)g->devices->pdata[k])
						->attached);
	}
	for (guint i = 0; i < m->devices->len; i++) {
		struct device *dev = m->devices->pdata[i];

		if (!dev->iommu_group)
			count_holder(l, dev->attached);
	}
	for (struct iommu_domain *d = iommu_domain_next(m, NULL); d;
	     d = iommu_domain_next(m, d)) {
		guint n = live_find(l, d)->n;

		if (n != d->holders)
			return g_strdup_printf("%s has %u holders but %u "
					       "slots point at it",
					       iommu_domain_name(d), d->holders,
					       n);
	}
	if (l->stray)
		return g_strdup_printf("a group or device points at a domain "
				       "that is not live");
	return NULL;
}

char *iommu_check_invariants(struct iommu_model *m)
{
	struct live live = { 0 };
	char *bad = NULL;

	live_domains(m, &live);
	for (guint i = 0; i < m->groups->len && !bad; i++)
		bad = check_group(m, m->groups->pdata[i], &live);
	if (!bad)
		bad = check_holders(m, &live);
	if (live.v != live.small)
		g_free(live.v);
	return bad ? bad : check_membership(m);
}

/* One device of the membership check: in its group's list */
static char *check_member(struct device *dev)
{
	if (dev->iommu_group &&
	    !g_ptr_array_find(dev->iommu_group->devices, dev, NULL))
		return g_strdup_printf("%s is not in its own group", dev->name);
	return NULL;
}

/* Each of @which's candidates checked and its verdict recorded (a broken
 * one stays a candidate); the first in the machine's order returned. */
static char *check_each(struct iommu_model *m, GPtrArray *set,
			enum touched_check which)
{
	char *first = NULL;

	for (guint i = 0; i < set->len; i++) {
		char *bad;

		if (which == TOUCHED_INVARIANTS)
			bad = check_group(m, set->pdata[i],
					  &(struct live){
						  .set = iommu_touched_live(m),
					  });
		else if (which == TOUCHED_CONTRACT)
			bad = check_contract(set->pdata[i]);
		else
			bad = check_member(set->pdata[i]);
		iommu_touched_result(m, which, set->pdata[i], bad != NULL);
		if (bad && first)
			g_free(bad);
		else if (bad)
			first = bad;
	}
	return first;
}

char *iommu_check_invariants_touched(struct iommu_model *m)
{
	g_autoptr(GPtrArray) groups = NULL;
	g_autoptr(GPtrArray) devs = NULL;
	char *bad, *member;

	if (!m->touched) /* nothing recorded: ask iommu_check_invariants() */
		return NULL;
	groups = iommu_touched_check_groups(m, TOUCHED_INVARIANTS);
	devs = iommu_touched_check_devices(m);
	bad = check_each(m, groups, TOUCHED_INVARIANTS);
	member = check_each(m, devs, TOUCHED_MEMBERSHIP);
	if (!bad)
		return member;
	g_free(member);
	return bad;
}

char *iommu_check_contract_touched(struct iommu_model *m)
{
	g_autoptr(GPtrArray) groups = NULL;

	if (!m->touched)
		return NULL;
	groups = iommu_touched_check_groups(m, TOUCHED_CONTRACT);
	return check_each(m, groups, TOUCHED_CONTRACT);
}
