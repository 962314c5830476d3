// SPDX-License-Identifier: MIT
/*
 * reach.c - what a device's DMA can reach, from the hardware's side:
 * what its device table entry points at (dev->attached, as attach_dev
 * installed it), and for a paging domain what the raw AMDv1 entries
 * translate, read by the same rules as the device's own walk
 * (pt/amdv1_hw.c), not by generic_pt's software view. The isolation
 * invariant (isolation.c) holds these runs against what the domain's
 * owner says it maps.
 */
#include "reach.h"
#include "pt/amdv1.h"
#include "pt/amdv1_hw.h"

enum iommu_reach_kind iommu_device_reach(const struct device *dev,
					 struct iommu_domain **domain)
{
	struct iommu_domain *d = dev->attached;

	*domain = NULL;
	/* no IOMMU driver probed it (no group, or VFIO's fake noiommu
	 * group: vfio_noiommu_group_alloc() gives no dev->iommu): nothing
	 * translates its requests */
	if (!dev->iommu_group || !dev->dev_iommu)
		return REACH_ALL_DIRECT;
	*domain = d;
	if (!d || d->type == IOMMU_DOMAIN_BLOCKED)
		return REACH_NONE;
	if (d->type == IOMMU_DOMAIN_IDENTITY)
		return REACH_ALL_IDENTITY;
	if (!(d->type & __IOMMU_DOMAIN_PAGING))
		return REACH_NOT_WALKED; /* nested: stage 1 is the guest's */
	if (!d->pt)
		return REACH_NONE;
	return d->pt->fmt == &pt_amdv1_fmt ? REACH_TABLE : REACH_NOT_WALKED;
}

const char *iommu_reach_kind_name(enum iommu_reach_kind kind)
{
	switch (kind) {
	case REACH_NONE:
		return "none";
	case REACH_ALL_DIRECT:
		return "all memory (no IOMMU translates it)";
	case REACH_ALL_IDENTITY:
		return "all memory (identity)";
	case REACH_TABLE:
		return "table";
	case REACH_NOT_WALKED:
		return "not walked (no hardware walks its table)";
	}
	return "?";
}

const char *iommu_reach_kind_word(enum iommu_reach_kind kind)
{
	static const char *const words[] = {
		[REACH_NONE] = "none",
		[REACH_ALL_DIRECT] = "direct",
		[REACH_ALL_IDENTITY] = "identity",
		[REACH_TABLE] = "table",
		[REACH_NOT_WALKED] = "not-walked",
	};

	return words[kind];
}

GArray *iommu_reach_runs_new(void)
{
	return g_array_new(FALSE, FALSE, sizeof(struct iommu_reach_run));
}

void iommu_reach_runs_add(GArray *runs, u64 iova, u64 pa, u64 len, int perms)
{
	struct iommu_reach_run r = { iova, pa, len, perms };

	if (runs->len) {
		struct iommu_reach_run *last = &g_array_index(
			runs, struct iommu_reach_run, runs->len - 1);

		if (last->iova + last->len == iova &&
		    last->pa + last->len == pa && last->perms == perms) {
			last->len += len;
			return;
		}
	}
	g_array_append_val(runs, r);
}

static bool hw_leaf(void *priv, u64 iova, u64 pa, u64 size, int perms)
{
	iommu_reach_runs_add(priv, iova, pa, size, perms);
	return true;
}

GArray *iommu_domain_hw_runs(struct iommu_model *m, struct iommu_domain *d)
{
	GArray *runs;

	if (!d->pt || d->pt->fmt != &pt_amdv1_fmt)
		return NULL;
	runs = iommu_reach_runs_new();
	amdv1_hw_for_each_leaf(m->physmem, pt_amdv1_root_pa(d->pt),
			       pt_amdv1_mode(d->pt), hw_leaf, runs);
	return runs;
}

/* A leaf with neither IR nor IW translates nothing a device asks for:
 * left out, as the hardware's walk leaves it out */
static bool sw_leaf(void *priv, const struct pt_amdv1_leaf *leaf)
{
	int perms = leaf->prot & (IOMMU_READ | IOMMU_WRITE);

	if (perms)
		iommu_reach_runs_add(priv, leaf->va, leaf->pa, leaf->size,
				     perms);
	return true;
}

GArray *iommu_domain_sw_runs(struct iommu_domain *d)
{
	GArray *runs;

	if (!d->pt)
		return NULL;
	runs = iommu_reach_runs_new();
	pt_amdv1_for_each_leaf(d->pt, sw_leaf, runs);
	return runs;
}

static u64 mix(u64 h, u64 v)
{
	h = (h ^ v) * 0x9e3779b97f4a7c15ull;
	return h ^ (h >> 29);
}

u64 iommu_reach_runs_hash(const GArray *runs)
{
	u64 h = mix(0x7265616368ull, runs->len);

	for (guint i = 0; i < runs->len; i++) {
		const struct iommu_reach_run *r =
			&g_array_index(runs, struct iommu_reach_run, i);

		h = mix(mix(mix(mix(h, r->iova), r->pa), r->len), r->perms);
	}
	return h;
}

/* Never 0: 0 is "never checked" */
static u64 checked_key(struct iommu_domain *d, u64 want)
{
	return mix(pt_amdv1_hash(d->pt, 0), want) | 1;
}

static void remember(struct pt_amdv1 *pt, u64 key, u64 want)
{
	pt->checked_key = key;
	pt->checked_gen = pt->mem->gen;
	pt->checked_want = want;
}

bool iommu_reach_checked(struct iommu_domain *d, u64 want)
{
	struct pt_amdv1 *pt = d->pt;
	u64 key;

	if (!pt)
		return false;
	/* no table written since, held against the same: most steps */
	if (pt->checked_key && pt->checked_gen == pt->mem->gen &&
	    pt->checked_want == want)
		return true;
	key = checked_key(d, want);
	if (pt->checked_key != key)
		return false;
	remember(pt, key, want);
	return true;
}

void iommu_reach_agreed(struct iommu_domain *d, u64 want)
{
	if (d->pt)
		remember(d->pt, checked_key(d, want), want);
}

static const char *perms_str(int perms)
{
	static const char *const s[] = { "-", "r", "w", "rw" };

	return s[perms & 3];
}

static void describe_runs(GString *s, const GArray *runs)
{
	for (guint i = 0; i < runs->len && i < 8; i++) {
		const struct iommu_reach_run *r =
			&g_array_index(runs, struct iommu_reach_run, i);

		g_string_append_printf(
			s, "%sIOVA 0x%llx+0x%llx -> PA 0x%llx %s",
			i ? ", " : " ", (unsigned long long)r->iova,
			(unsigned long long)r->len, (unsigned long long)r->pa,
			perms_str(r->perms));
	}
	if (runs->len > 8)
		g_string_append_printf(s, ", ... (%u runs)", runs->len);
	if (!runs->len)
		g_string_append(s, " nothing");
}

char *iommu_device_reach_describe(struct iommu_model *m,
				  const struct device *dev)
{
	struct iommu_domain *d;
	enum iommu_reach_kind k = iommu_device_reach(dev, &d);
	const char *dn = d ? iommu_domain_name(d) : "no domain";
	g_autoptr(GArray) runs = NULL;
	GString *s = g_string_new(NULL);

	switch (k) {
	case REACH_NONE:
		g_string_printf(s, "nothing (%s)", dn);
		break;
	case REACH_ALL_DIRECT:
		g_string_assign(s, "all memory: no IOMMU translates it");
		break;
	case REACH_ALL_IDENTITY:
		g_string_printf(s, "all memory through identity %s", dn);
		break;
	case REACH_NOT_WALKED:
		g_string_printf(s,
				"what %s maps: not walked, no hardware "
				"walks its table",
				dn);
		break;
	case REACH_TABLE:
		runs = iommu_domain_hw_runs(m, d);
		g_string_printf(s, "what %s maps:", dn);
		describe_runs(s, runs);
		break;
	}
	return g_string_free(s, FALSE);
}

/* Who reaches through @d, for the failure text: its first device in the
 * machine's group order, or the domain itself with none attached */
static char *holder(struct iommu_model *m, struct iommu_domain *d)
{
	for (guint i = 0; i < m->groups->len; i++) {
		struct iommu_group *g = m->groups->pdata[i];

		for (guint j = 0; j < g->devices->len; j++) {
			struct device *dev = g->devices->pdata[j];

			if (dev->attached == d)
				return g_strdup_printf("%s (on %s)", dev->name,
						       iommu_domain_name(d));
		}
	}
	return g_strdup_printf("%s (no device on it yet: one attached would)",
			       iommu_domain_name(d));
}

static const struct iommu_reach_run *run_at(const GArray *runs, guint i)
{
	return i < runs->len ? &g_array_index(runs, struct iommu_reach_run, i)
			     : NULL;
}

static bool run_eq(const struct iommu_reach_run *a,
		   const struct iommu_reach_run *b)
{
	return a && b && a->iova == b->iova && a->pa == b->pa &&
	       a->len == b->len && a->perms == b->perms;
}

/* The run of @runs covering @iova (from index @from on), or NULL */
static const struct iommu_reach_run *covering(const GArray *runs, guint from,
					      u64 iova)
{
	for (guint i = from; i < runs->len; i++) {
		const struct iommu_reach_run *r = run_at(runs, i);

		if (r->iova > iova)
			break;
		if (iova - r->iova < r->len)
			return r;
	}
	return NULL;
}

/* The first IOVA where @a and @b differ, both canonical (coalesced), with
 * the runs of each covering it; the lists are equal before index @i */
static u64 first_diff(const GArray *a, const GArray *b, guint i,
		      const struct iommu_reach_run **ra,
		      const struct iommu_reach_run **rb)
{
	const struct iommu_reach_run *x = run_at(a, i), *y = run_at(b, i);
	u64 at;

	if (!x || !y)
		at = x ? x->iova : y->iova;
	else if (x->iova != y->iova)
		at = x->iova < y->iova ? x->iova : y->iova;
	else if (x->pa != y->pa || x->perms != y->perms)
		at = x->iova;
	else /* one run goes on where the other stops */
		at = x->iova + (x->len < y->len ? x->len : y->len);
	*ra = covering(a, i, at);
	*rb = covering(b, i, at);
	return at;
}

static u64 pa_at(const struct iommu_reach_run *r, u64 iova)
{
	return r->pa + (iova - r->iova);
}

char *iommu_reach_compare(struct iommu_model *m, struct iommu_domain *d,
			  GArray *got, GArray *want, const char *owner,
			  const char *fill)
{
	const struct iommu_reach_run *g, *w;
	g_autofree char *who = NULL;
	guint i = 0;
	u64 at;

	while (run_eq(run_at(got, i), run_at(want, i)))
		i++;
	if (i == got->len && i == want->len)
		return NULL;
	at = first_diff(got, want, i, &g, &w);
	who = holder(m, d);
	if (g && !w)
		return g_strdup_printf("%s reaches PA 0x%llx (%s) through IOVA "
				       "0x%llx, which %s does not map (%s)",
				       who, (unsigned long long)pa_at(g, at),
				       perms_str(g->perms),
				       (unsigned long long)at, owner, fill);
	if (!g)
		return g_strdup_printf("%s maps IOVA 0x%llx to PA 0x%llx (%s) "
				       "but %s's table does not translate it "
				       "(%s)",
				       owner, (unsigned long long)at,
				       (unsigned long long)pa_at(w, at),
				       perms_str(w->perms),
				       iommu_domain_name(d), fill);
	return g_strdup_printf("%s reaches PA 0x%llx (%s) through IOVA 0x%llx, "
			       "where %s maps PA 0x%llx (%s) (%s)",
			       who, (unsigned long long)pa_at(g, at),
			       perms_str(g->perms), (unsigned long long)at,
			       owner, (unsigned long long)pa_at(w, at),
			       perms_str(w->perms), fill);
}
