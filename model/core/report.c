// SPDX-License-Identifier: MIT
/*
 * report.c - the record every operation leaves for the trace: which
 * kernel function refused and on what condition (m->why), whether a
 * WARN_ON fired. Every model file reports through here; it calls none of
 * them, so it closes no circle between the files of model/core.
 */
#include <stdarg.h>
#include <string.h>

#include "iommu.h"

void iommu_model_begin(struct iommu_model *m)
{
	g_string_truncate(m->why, 0);
	g_array_set_size(m->events, 0);
	m->warned = false;
	m->left_inconsistent = false;
	m->undefined = false;
}

int iommu_refuse(struct iommu_model *m, int err, const char *func,
		 const char *fmt, ...)
{
	va_list ap;

	if (m->quiet)
		return err;
	if (m->why->len)
		g_string_append(m->why, "; ");
	/* the linux73_ prefix (core.h) is the model's, not the kernel's */
	if (g_str_has_prefix(func, "linux73_"))
		func += strlen("linux73_");
	g_string_append_printf(m->why, "%s: ", func);
	va_start(ap, fmt);
	g_string_append_vprintf(m->why, fmt, ap);
	va_end(ap);
	return err;
}

bool iommu_warn_on(struct iommu_model *m, bool cond, const char *func,
		   const char *what)
{
	if (!cond)
		return false;
	m->warned = true;
	iommu_refuse(m, 0, func, "WARN_ON(%s)", what);
	return true;
}

/* The site is @func and @what: each WARNs once per model (a scenario is
 * one boot: the guest clears the once flags before each) */
bool iommu_warn_on_once(struct iommu_model *m, bool cond, const char *func,
			const char *what)
{
	g_autofree char *site = NULL;

	if (!cond)
		return false;
	site = g_strdup_printf("%s: %s", func, what);
	if (!m->warned_once)
		m->warned_once = g_hash_table_new_full(g_str_hash, g_str_equal,
						       g_free, NULL);
	if (!g_hash_table_contains(m->warned_once, site)) {
		m->warned = true;
		g_hash_table_add(m->warned_once, g_steal_pointer(&site));
	}
	iommu_refuse(m, 0, func, "WARN_ON_ONCE(%s)", what);
	return true;
}
