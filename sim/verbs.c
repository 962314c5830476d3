// SPDX-License-Identifier: MIT
/*
 * verbs.c - what a verb without a row of the operation table means: a
 * profile's own spelling of a row (seed 003 names the ownership API as
 * v5.17 had it), a name Linux 7.3 or its uapi has that the model does
 * not implement yet (kernel_names.txt, from tests/tools/kernel-names.sh),
 * or a typo, answered with the nearest verbs.
 */
#include <string.h>

#include "op.h"
#include "verbs.h"

/* kernel_names.c, generated from kernel_names.txt (sim/CMakeLists.txt) */
extern const char *const kernel_names[];

/*
 * rfc-2022-v1's names (seed 003, patch 0/8 and 2/8: "int
 * iommu_group_set_dma_owner(struct iommu_group *group, void *owner);",
 * tegra's iommu_device_use_dma_api(client->dev)) for the rows 7.3 names
 * otherwise; iommu_group_release_dma_owner is spelled alike in both.
 */
static const struct verb_alias aliases[] = {
	{ "iommu_group_set_dma_owner", "iommu_group_claim_dma_owner",
	  "rfc-2022-v1" },
	{ "iommu_device_use_dma_api", "iommu_device_use_default_domain",
	  "rfc-2022-v1" },
	{ "iommu_device_unuse_dma_api", "iommu_device_unuse_default_domain",
	  "rfc-2022-v1" },
	{ 0 },
};

const struct verb_alias *verb_alias_find(const char *name)
{
	for (const struct verb_alias *a = aliases; a->alias; a++) {
		if (!strcmp(a->alias, name))
			return a;
	}
	return NULL;
}

bool verb_kernel_known(const char *name)
{
	for (const char *const *k = kernel_names; *k; k++) {
		if (!strcmp(*k, name))
			return true;
	}
	return false;
}

/* Levenshtein distance, case-insensitive (IOMMU_IOAS_MAP vs ioas_map) */
static guint distance(const char *a, const char *b)
{
	guint la = strlen(a), lb = strlen(b);
	g_autofree guint *row = g_new(guint, lb + 1);

	for (guint j = 0; j <= lb; j++)
		row[j] = j;
	for (guint i = 1; i <= la; i++) {
		guint diag = row[0];

		row[0] = i;
		for (guint j = 1; j <= lb; j++) {
			guint up = row[j];
			guint sub = diag + (g_ascii_tolower(a[i - 1]) !=
					    g_ascii_tolower(b[j - 1]));

			row[j] = MIN(MIN(row[j - 1] + 1, up + 1), sub);
			diag = up;
		}
	}
	return row[lb];
}

#define NEAREST_MAX 3

static void consider(const char *cand, const char *name, const char **best,
		     guint *dist)
{
	guint d = distance(name, cand);

	for (int i = 0; i < NEAREST_MAX; i++) {
		if (best[i] && d >= dist[i])
			continue;
		for (int j = NEAREST_MAX - 1; j > i; j--) {
			best[j] = best[j - 1];
			dist[j] = dist[j - 1];
		}
		best[i] = cand;
		dist[i] = d;
		return;
	}
}

char *verb_nearest(const char *name)
{
	const char *best[NEAREST_MAX] = { 0 };
	guint dist[NEAREST_MAX] = { 0 };
	guint limit = MAX(2u, (guint)strlen(name) / 5);
	GString *s = g_string_new(NULL);

	for (const struct op *op = op_table; op->name; op++)
		consider(op->name, name, best, dist);
	for (const struct verb_alias *a = aliases; a->alias; a++)
		consider(a->alias, name, best, dist);
	for (int i = 0; i < NEAREST_MAX && best[i] && dist[i] <= limit; i++)
		g_string_append_printf(s, "%s%s", s->len ? ", " : "", best[i]);
	return g_string_free(s, !s->len);
}

char *verb_unknown_message(const char *name)
{
	g_autofree char *near = NULL;

	if (verb_kernel_known(name))
		return g_strdup_printf(
			"'%s' is a Linux 7.3 name the model does not implement "
			"yet: not modelled yet (the verbs it has: "
			"docs/scenario-language.md)",
			name);
	near = verb_nearest(name);
	if (near)
		return g_strdup_printf("unknown verb '%s'; did you mean %s? "
				       "(see docs/scenario-language.md)",
				       name, near);
	return g_strdup_printf(
		"unknown verb '%s' (see docs/scenario-language.md)", name);
}
