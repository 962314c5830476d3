// SPDX-License-Identifier: MIT
/*
 * registry.c - the profiles the model knows (profile.h): the built-in
 * ones and any registered at run time, lookup, names, the default and the
 * guest's, and the resolution of a delta's chain of bases into the flat
 * table a model dispatches through.
 */
#include <string.h>

#include "profile.h"
#include "../core/kerrno.h"

/* Default first: a run without --profile, and the guest's kernel. */
static const struct iommu_profile *const builtin[] = {
	&profile_linux_7_3,  &profile_rfc_2022_v1, &profile_noiommu_v1,
	&profile_noiommu_v3, &profile_noiommu_v5,
};

static GPtrArray *profiles; /* const struct iommu_profile *, in order */
static GPtrArray *names;    /* const char *, NULL-terminated */

static void registry_init(void)
{
	if (profiles)
		return;
	profiles = g_ptr_array_new();
	names = g_ptr_array_new();
	for (size_t i = 0; i < G_N_ELEMENTS(builtin); i++) {
		g_ptr_array_add(profiles, (gpointer)builtin[i]);
		g_ptr_array_add(names, (gpointer)builtin[i]->name);
	}
	g_ptr_array_add(names, NULL);
}

const struct iommu_profile *iommu_profile_find(const char *name)
{
	registry_init();
	for (guint i = 0; name && i < profiles->len; i++) {
		const struct iommu_profile *p = profiles->pdata[i];

		if (!strcmp(p->name, name))
			return p;
	}
	return NULL;
}

bool iommu_profile_is_builtin(const struct iommu_profile *p)
{
	for (size_t i = 0; i < G_N_ELEMENTS(builtin); i++) {
		if (builtin[i] == p)
			return true;
	}
	return false;
}

const struct iommu_profile *iommu_profile_default(void)
{
	return builtin[0];
}

const struct iommu_profile *iommu_profile_guest(void)
{
	return builtin[0];
}

const char *const *iommu_profile_names(void)
{
	registry_init();
	return (const char *const *)names->pdata;
}

char *iommu_profile_names_joined(const char *sep)
{
	return g_strjoinv(sep, (char **)iommu_profile_names());
}

int iommu_profile_register(const struct iommu_profile *p)
{
	struct iommu_profile_resolved r;

	if (!p->name || !*p->name)
		return -EINVAL;
	if (iommu_profile_find(p->name))
		return -EEXIST;
	if (iommu_profile_resolve(p, &r))
		return -EINVAL;
	g_ptr_array_add(profiles, (gpointer)p);
	g_ptr_array_remove_index(names, names->len - 1); /* the NULL */
	g_ptr_array_add(names, (gpointer)p->name);
	g_ptr_array_add(names, NULL);
	return 0;
}

/* The VFIO hooks: a set one replaces the base's, NULL inherits. */
static void apply_vfio(struct iommu_profile_vfio_ops *dst,
		       const struct iommu_profile_vfio_ops *src)
{
	void (**d)(void) = (void (**)(void))dst;
	void (*const *s)(void) = (void (*const *)(void))src;

	for (size_t i = 0; i < sizeof(*dst) / sizeof(*d); i++) {
		if (s[i])
			d[i] = s[i];
	}
}

/* Lay @p's overrides over what its bases resolved to. */
static void apply(struct iommu_profile_resolved *out,
		  const struct iommu_profile *p)
{
	void (**dst)(void) = (void (**)(void)) & out->ops;
	void (*const *src)(void) = (void (*const *)(void)) & p->ops;
	size_t n = sizeof(out->ops) / sizeof(*dst);

	for (size_t i = 0; i < n; i++) {
		if (p->absent & (1ull << i)) {
			dst[i] = NULL;
			out->absent |= 1ull << i;
		} else if (src[i]) {
			dst[i] = src[i];
			out->absent &= ~(1ull << i);
		}
	}
	if (p->claim != CLAIM_INHERIT)
		out->claim_blocks = p->claim == CLAIM_BLOCKS;
	if (p->group.data_size || p->group.describe || p->group.value)
		out->group = p->group;
	apply_vfio(&out->vfio, &p->vfio);
	out->profile = p;
}

int iommu_profile_resolve(const struct iommu_profile *p,
			  struct iommu_profile_resolved *out)
{
	const struct iommu_profile *chain[8];
	size_t depth = 0;
	void (**fn)(void) = (void (**)(void)) & out->ops;

	for (; p; p = p->base ? iommu_profile_find(p->base) : NULL) {
		if (depth == G_N_ELEMENTS(chain))
			return -EINVAL; /* a loop, or absurdly deep */
		chain[depth++] = p;
		if (p->base && !iommu_profile_find(p->base))
			return -EINVAL;
	}
	memset(out, 0, sizeof(*out));
	while (depth)
		apply(out, chain[--depth]);
	for (size_t i = 0; i < sizeof(out->ops) / sizeof(*fn); i++) {
		if (!fn[i] && !(out->absent & (1ull << i)))
			return -EINVAL; /* neither implemented nor absent */
	}
	fn = (void (**)(void)) & out->vfio;
	for (size_t i = 0; i < sizeof(out->vfio) / sizeof(*fn); i++) {
		if (!fn[i])
			return -EINVAL; /* the root leaves a VFIO hook unset */
	}
	return 0;
}

bool iommu_profile_has(const struct iommu_profile *p, unsigned long long op)
{
	struct iommu_profile_resolved r;

	return !iommu_profile_resolve(p, &r) && !(r.absent & op);
}

/* @p's base resolved, kept for the life of the process (an override
 * asks on every call); NULL if the base is not a profile. */
static const struct iommu_profile_resolved *
base_resolved(const struct iommu_profile *p)
{
	static GHashTable *cache; /* base -> its resolved table */
	const struct iommu_profile *base = iommu_profile_find(p->base);
	struct iommu_profile_resolved *r;

	if (!base)
		return NULL;
	if (!cache)
		cache = g_hash_table_new(g_direct_hash, g_direct_equal);
	r = g_hash_table_lookup(cache, base);
	if (r)
		return r;
	r = g_new0(struct iommu_profile_resolved, 1);
	if (iommu_profile_resolve(base, r)) {
		g_free(r);
		return NULL;
	}
	g_hash_table_insert(cache, (gpointer)base, r);
	return r;
}

const struct iommu_profile_ops *
iommu_profile_base_ops(const struct iommu_profile *p)
{
	const struct iommu_profile_resolved *r = base_resolved(p);

	return r ? &r->ops : NULL;
}

const struct iommu_profile_vfio_ops *
iommu_profile_base_vfio_ops(const struct iommu_profile *p)
{
	const struct iommu_profile_resolved *r = base_resolved(p);

	return r ? &r->vfio : NULL;
}

int iommusim_profile_module_register(const struct iommusim_profile_module *mod,
				     char **why)
{
	int ret;

	*why = NULL;
	if (mod->abi != IOMMUSIM_PROFILE_ABI ||
	    mod->profile_size != sizeof(struct iommu_profile)) {
		*why = g_strdup_printf("built for profile ABI %u (%zu-byte "
				       "profile), this iommusim has ABI %u "
				       "(%zu bytes): rebuild it against this "
				       "install",
				       mod->abi, mod->profile_size,
				       IOMMUSIM_PROFILE_ABI,
				       sizeof(struct iommu_profile));
		return -EINVAL;
	}
	if (!mod->profile || !mod->profile->name || !*mod->profile->name) {
		*why = g_strdup("its profile has no name");
		return -EINVAL;
	}
	ret = iommu_profile_register(mod->profile);
	if (ret == -EEXIST)
		*why = g_strdup_printf("a profile named '%s' exists already",
				       mod->profile->name);
	else if (ret)
		*why = g_strdup_printf("profile '%s': its base '%s' is not a "
				       "profile, or its chain does not resolve",
				       mod->profile->name,
				       mod->profile->base ? mod->profile->base
							  : "(none)");
	return ret;
}
