// SPDX-License-Identifier: MIT
/*
 * args.c - a validated statement's arguments as the runner's handlers
 * read them: numbers, strings, devices, domains (handles or a group's
 * core domains), and binding an out field's handle. The setup, operation
 * and check handlers call these; run.c and validate.c only the table.
 */
#include <stdio.h>
#include <string.h>

#include "runner.h"
#include "model/core/kerrno.h"

int parse_addr(const char *s, u8 *devfn)
{
	unsigned int slot, fn;
	char tail;

	if (!s || sscanf(s, "%2x.%1u%c", &slot, &fn, &tail) != 2 ||
	    slot > 0x1f || fn > 7 || strlen(s) != 4)
		return -1;
	*devfn = (slot << 3) | fn;
	return 0;
}

bool arg_has(const struct statement *st, const char *key)
{
	return stmt_arg(st, key) != NULL;
}

const char *arg_str(const struct statement *st, const char *key,
		    const char *def)
{
	const struct arg *a = stmt_arg(st, key);

	return a ? a->val.text : def;
}

uint64_t arg_num(const struct statement *st, const char *key, uint64_t def)
{
	const struct arg *a = stmt_arg(st, key);

	return a && a->val.kind == VAL_NUMBER ? a->val.num : def;
}

struct device *arg_dev(struct runner *r, const struct statement *st,
		       const char *key)
{
	return device_find(r->m, arg_str(st, key, ""));
}

/* A domain argument: a handle, or the group's core domains by name. */
struct iommu_domain *arg_domain(struct runner *r, const struct statement *st,
				const char *key, int *err)
{
	const struct arg *a = stmt_arg(st, key);
	struct device *dev = arg_dev(r, st, "dev");
	struct handle *h;

	struct iommu_domain *d = NULL;

	if (a->val.kind == VAL_IDENT) {
		*err = iommu_core_domain(r->m, dev, a->val.text, st->verb, &d);
		return d;
	}
	h = g_hash_table_lookup(r->handles, a->val.text);
	if (!h) {
		*err = iommu_refuse(r->m, IOMMU_UB, st->verb,
				    "handle $%s was never bound: the step that "
				    "binds it failed",
				    a->val.text);
		return NULL;
	}
	d = iommu_domain_lookup(r->m, h->ref);
	if (!d)
		*err = iommu_refuse(r->m, IOMMU_UB, st->verb,
				    "$%s was freed: use after free",
				    a->val.text);
	return d;
}

void bind_handle(struct runner *r, const struct statement *st, const char *key,
		 void *ptr)
{
	const struct arg *a = stmt_arg(st, key);
	struct handle *h = g_new0(struct handle, 1);

	h->type = H_DOMAIN;
	h->ref = iommu_domain_ref(ptr);
	h->line = st->line;
	((struct iommu_domain *)ptr)->label =
		g_strdup_printf("$%s", a->val.text);
	g_hash_table_replace(r->handles, g_strdup(a->val.text), h);
}
