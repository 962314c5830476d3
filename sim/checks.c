// SPDX-License-Identifier: MIT
/*
 * checks.c - state assertions: check_group, check_device, check_sysfs,
 * check_groups. Each compares the named fields and fails with every
 * mismatch listed as "field: expected X, got Y".
 */
#include <string.h>

#include "runner.h"
#include "model/memory.h"

struct mismatch {
	GString *s;
};

static void expect_str(struct mismatch *mm, const char *field, const char *want,
		       const char *got)
{
	if (!strcmp(want, got))
		return;
	g_string_append_printf(mm->s, "%s%s: expected %s, got %s",
			       mm->s->len ? "; " : "", field, want, got);
}

static void expect_num(struct mismatch *mm, const char *field, uint64_t want,
		       uint64_t got)
{
	char w[24], g[24];

	g_snprintf(w, sizeof(w), "%" G_GUINT64_FORMAT, want);
	g_snprintf(g, sizeof(g), "%" G_GUINT64_FORMAT, got);
	expect_str(mm, field, w, g);
}

/* Compare a domain field with a handle, default, blocking or none. */
static void expect_domain(struct runner *r, struct mismatch *mm,
			  const char *field, const struct value *want,
			  struct iommu_group *g, struct iommu_domain *got)
{
	g_autofree char *got_s = domain_str(g, got);
	struct iommu_domain *w = NULL;

	if (want->kind == VAL_HANDLE) {
		struct handle *h = g_hash_table_lookup(r->handles, want->text);

		if (!h) {
			g_string_append_printf(mm->s, "%s%s: $%s is not bound",
					       mm->s->len ? "; " : "", field,
					       want->text);
			return;
		}
		w = iommu_domain_lookup(r->m, h->ref); /* NULL: freed */
	} else if (!strcmp(want->text, "default")) {
		w = g ? g->default_domain : NULL;
	} else if (!strcmp(want->text, "blocking")) {
		w = g ? g->blocking_domain : NULL;
	}
	if (w != got || (!w && strcmp(want->text, "none"))) {
		g_autofree char *w_s =
			want->kind == VAL_HANDLE
				? g_strdup_printf("$%s", want->text)
				: g_strdup(want->text);

		g_string_append_printf(mm->s, "%s%s: expected %s, got %s",
				       mm->s->len ? "; " : "", field, w_s,
				       got_s);
	}
}

static char *group_devices(struct iommu_group *g)
{
	GString *s = g_string_new(NULL);

	for (guint i = 0; i < g->devices->len; i++) {
		struct device *dev = g->devices->pdata[i];

		g_string_append_printf(s, "%s%s", i ? "," : "", dev->name);
	}
	return g_string_free(s, FALSE);
}

static char *value_list(const struct value *v)
{
	GString *s = g_string_new(NULL);

	if (v->kind != VAL_LIST)
		return g_strdup(v->text);
	for (guint i = 0; i < v->items->len; i++) {
		const struct value *it = v->items->pdata[i];

		g_string_append_printf(s, "%s%s", i ? "," : "", it->text);
	}
	return g_string_free(s, FALSE);
}

static const char *type_of(struct iommu_domain *d)
{
	return d ? iommu_domain_type_name(d->type) : "none";
}

static void check_group_field(struct runner *r, struct mismatch *mm,
			      const struct arg *a, struct iommu_group *g)
{
	const char *k = a->key;

	if (!strcmp(k, "id"))
		expect_num(mm, k, a->val.num, g->id);
	else if (!strcmp(k, "devices")) {
		g_autofree char *want = value_list(&a->val);
		g_autofree char *got = group_devices(g);

		expect_str(mm, k, want, got);
	} else if (!strcmp(k, "domain"))
		expect_domain(r, mm, k, &a->val, g, g->domain);
	else if (!strcmp(k, "handle"))
		expect_domain(r, mm, k, &a->val, g, g->handle);
	else if (!strcmp(k, "domain_type"))
		expect_str(mm, k, a->val.text, type_of(g->domain));
	else if (!strcmp(k, "default_type"))
		expect_str(mm, k, a->val.text, type_of(g->default_domain));
	else if (!strcmp(k, "owner"))
		expect_str(mm, k, a->val.text, g->owner ? g->owner : "none");
	else if (!strcmp(k, "owner_cnt"))
		expect_num(mm, k, a->val.num, g->owner_cnt);
	else if (!strcmp(k, "attach_cnt"))
		expect_num(mm, k, a->val.num, g->attach_cnt);
}

static void check_group(struct runner *r, const struct statement *st,
			struct mismatch *mm)
{
	struct device *dev = arg_dev(r, st, "dev");
	struct iommu_group *g = dev->iommu_group;

	if (!g) {
		g_string_append_printf(mm->s, "%s has no iommu_group",
				       dev->name);
		return;
	}
	for (guint i = 0; i < st->args->len; i++) {
		const struct arg *a = st->args->pdata[i];

		if (strcmp(a->key, "dev") && strcmp(a->key, "only"))
			check_group_field(r, mm, a, g);
	}
}

static char *bdf_of(struct device *dev)
{
	if (dev->kind == DEV_PLATFORM || dev->bus < 0)
		return g_strdup("none");
	return g_strdup_printf("%02x:%02x.%u", dev->bus, dev->devfn >> 3,
			       dev->devfn & 7);
}

static void check_device(struct runner *r, const struct statement *st,
			 struct mismatch *mm)
{
	struct device *dev = arg_dev(r, st, "dev");
	const struct arg *a;

	if ((a = stmt_arg(st, "driver")))
		expect_str(mm, "driver", a->val.text,
			   dev->driver ? dev->driver->name : "none");
	if ((a = stmt_arg(st, "group")))
		expect_str(mm, "group", a->val.text,
			   dev->iommu_group ? "a group" : "none");
	if ((a = stmt_arg(st, "domain")))
		expect_domain(r, mm, "domain", &a->val, dev->iommu_group,
			      dev->attached);
	if ((a = stmt_arg(st, "bdf"))) {
		g_autofree char *bdf = bdf_of(dev);

		expect_str(mm, "bdf", a->val.text, bdf);
	}
}

/* What the sysfs file or link reads: the group's number, its type
 * (iommu.c: iommu_group_show_type()), the driver link's name. */
static char *sysfs_read(struct device *dev, const char *attr)
{
	if (!strcmp(attr, "driver"))
		return g_strdup(dev->driver ? dev->driver->name : "none");
	if (!dev->iommu_group)
		return g_strdup("none");
	if (!strcmp(attr, "iommu_group"))
		return g_strdup_printf("%d", dev->iommu_group->id);
	return g_strdup(iommu_group_type_str(dev->iommu_group));
}

static void check_sysfs(struct runner *r, const struct statement *st,
			struct mismatch *mm)
{
	const char *attr = arg_str(st, "attr", "");
	g_autofree char *got = sysfs_read(arg_dev(r, st, "dev"), attr);

	expect_str(mm, attr, arg_str(st, "value", ""), got);
}

/* physical memory holds the pattern over [paddr, paddr + len) */
static void check_memory(struct runner *r, const struct statement *st,
			 struct mismatch *mm)
{
	u64 len = arg_num(st, "len", 0), pa = arg_num(st, "paddr", 0);
	u8 want = (u8)arg_num(st, "pattern", 0), got = 0;
	u64 at = 0;
	int ret = iommu_memory_check(r->m, pa, len, want, &at, &got);

	if (ret < 0)
		g_string_append(mm->s, "memory: not readable");
	else if (ret)
		g_string_append_printf(mm->s,
				       "memory at 0x%llx: expected 0x%02x, "
				       "got 0x%02x",
				       (unsigned long long)at, want, got);
}

int check_exec(struct runner *r, const struct statement *st)
{
	struct mismatch mm = { g_string_new(NULL) };
	struct step_result *sr = r->step;

	if (!strcmp(st->verb, "check_group"))
		check_group(r, st, &mm);
	else if (!strcmp(st->verb, "check_device"))
		check_device(r, st, &mm);
	else if (!strcmp(st->verb, "check_sysfs"))
		check_sysfs(r, st, &mm);
	else if (!strcmp(st->verb, "check_memory"))
		check_memory(r, st, &mm);
	else
		expect_num(&mm, "count", arg_num(st, "count", 0),
			   r->m->groups->len);
	if (!mm.s->len) {
		g_string_free(mm.s, TRUE);
		return 0;
	}
	sr->failure = g_string_free(mm.s, FALSE);
	return -1;
}
