// SPDX-License-Identifier: MIT
/*
 * checks.c - state assertions. A check row (optable.c) names, per field,
 * the function here that compares it with the model's state; a check
 * fails with every mismatch listed as "field: expected X, got Y".
 */
#include <string.h>

#include "runner.h"
#include "model/memory.h"
#include "model/reach.h"

void expect_str(struct mismatch *mm, const char *field, const char *want,
		const char *got)
{
	if (!strcmp(want, got))
		return;
	g_string_append_printf(mm->s, "%s%s: expected %s, got %s",
			       mm->s->len ? "; " : "", field, want, got);
}

void expect_num(struct mismatch *mm, const char *field, uint64_t want,
		uint64_t got)
{
	char w[24], g[24];

	g_snprintf(w, sizeof(w), "%" G_GUINT64_FORMAT, want);
	g_snprintf(g, sizeof(g), "%" G_GUINT64_FORMAT, got);
	expect_str(mm, field, w, g);
}

/* An object field (a domain) against a handle or a name from the
 * field's choices (default, blocking, none). */
static void expect_object(struct runner *r, struct mismatch *mm,
			  const struct statement *st, const struct arg *a,
			  void *got)
{
	const struct arg_spec *spec = op_arg(op_find(st->verb), a->key);
	g_autofree char *got_s = spec->htype->show(r, st, got);
	const struct value *want = &a->val;
	bool bound;
	void *w = handle_peek(r, st, spec, want, &bound);

	if (!bound) {
		g_string_append_printf(mm->s, "%s%s: $%s is not bound",
				       mm->s->len ? "; " : "", a->key,
				       want->text);
		return;
	}
	if (w != got || (!w && strcmp(want->text, "none"))) {
		g_autofree char *w_s =
			want->kind == VAL_HANDLE
				? g_strdup_printf("$%s", want->text)
				: g_strdup(want->text);

		g_string_append_printf(mm->s, "%s%s: expected %s, got %s",
				       mm->s->len ? "; " : "", a->key, w_s,
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
	GString *s;

	if (v->kind != VAL_LIST)
		return g_strdup(v->text);
	s = g_string_new(NULL);
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

#define CHECK_FIELD(fn)                                                        \
	void fn(struct runner *r, const struct statement *st,                  \
		const struct arg *a, struct mismatch *mm)

/* ---- check_group: the group of dev= ---- */

static struct iommu_group *group_of(struct runner *r,
				    const struct statement *st)
{
	return arg_dev(r, st, "dev")->iommu_group;
}

CHECK_FIELD(chk_group_id)
{
	expect_num(mm, a->key, a->val.num, group_of(r, st)->id);
}

CHECK_FIELD(chk_group_devices)
{
	g_autofree char *want = value_list(&a->val);
	g_autofree char *got = group_devices(group_of(r, st));

	expect_str(mm, a->key, want, got);
}

CHECK_FIELD(chk_group_domain)
{
	expect_object(r, mm, st, a, group_of(r, st)->domain);
}

CHECK_FIELD(chk_group_handle)
{
	expect_object(r, mm, st, a, group_of(r, st)->handle);
}

CHECK_FIELD(chk_group_pasid_domain)
{
	const struct iommu_pasid_entry *e = iommu_group_pasid_entry(
		group_of(r, st), (u32)arg_num(st, "pasid", 0));

	expect_object(r, mm, st, a, e ? e->domain : NULL);
}

CHECK_FIELD(chk_group_pasid_cnt)
{
	const struct iommu_group *g = group_of(r, st);

	expect_num(mm, a->key, a->val.num, g->pasids ? g->pasids->len : 0);
}

CHECK_FIELD(chk_group_domain_type)
{
	expect_str(mm, a->key, a->val.text, type_of(group_of(r, st)->domain));
}

CHECK_FIELD(chk_group_default_type)
{
	expect_str(mm, a->key, a->val.text,
		   type_of(group_of(r, st)->default_domain));
}

CHECK_FIELD(chk_group_owner)
{
	struct iommu_group *g = group_of(r, st);

	expect_str(mm, a->key, a->val.text, g->owner ? g->owner : "none");
}

CHECK_FIELD(chk_group_owner_cnt)
{
	expect_num(mm, a->key, a->val.num, group_of(r, st)->owner_cnt);
}

CHECK_FIELD(chk_group_attach_cnt)
{
	u64 v = 0; /* a field of the profile's own per-group state */

	iommu_group_profile_value(r->m, group_of(r, st), a->key, &v);
	expect_num(mm, a->key, a->val.num, v);
}

/* ---- check_device ---- */

static char *bdf_of(struct device *dev)
{
	if (dev->kind == DEV_PLATFORM || dev->bus < 0)
		return g_strdup("none");
	return g_strdup_printf("%02x:%02x.%u", dev->bus, dev->devfn >> 3,
			       dev->devfn & 7);
}

CHECK_FIELD(chk_dev_driver)
{
	/* the sysfs link (an unbind blocked in the remove took it) */
	struct device_driver *drv = dev_driver_link(arg_dev(r, st, "dev"));

	expect_str(mm, a->key, a->val.text, drv ? drv->name : "none");
}

CHECK_FIELD(chk_dev_group)
{
	expect_str(mm, a->key, a->val.text,
		   arg_dev(r, st, "dev")->iommu_group ? "a group" : "none");
}

CHECK_FIELD(chk_dev_domain)
{
	expect_object(r, mm, st, a, arg_dev(r, st, "dev")->attached);
}

/* The device's reach as the IOMMU hardware translates it (reach.h),
 * and as the trace's note (`run -v`) with the runs a table maps */
CHECK_FIELD(chk_dev_reach)
{
	struct device *dev = arg_dev(r, st, "dev");
	struct iommu_domain *d;
	enum iommu_reach_kind k = iommu_device_reach(dev, &d);
	g_autofree char *what = iommu_device_reach_describe(r->m, dev);

	expect_str(mm, a->key, a->val.text, iommu_reach_kind_word(k));
	g_free(r->step->detail);
	r->step->detail = g_strdup_printf("%s reaches %s", dev->name, what);
}

CHECK_FIELD(chk_dev_bdf)
{
	g_autofree char *bdf = bdf_of(arg_dev(r, st, "dev"));

	expect_str(mm, a->key, a->val.text, bdf);
}

/* ---- check_sysfs, check_groups, check_memory ---- */

/* named after the file: "iommu_group/type: expected ..." */
CHECK_FIELD(chk_sysfs_value)
{
	const char *attr = arg_str(st, "attr", "");
	g_autofree char *got = iommu_sysfs_show(arg_dev(r, st, "dev"), attr);

	expect_str(mm, attr, a->val.text, got);
}

CHECK_FIELD(chk_groups_count)
{
	expect_num(mm, a->key, a->val.num, r->m->groups->len);
}

/* physical memory holds the pattern over [paddr, paddr + len) */
CHECK_FIELD(chk_memory_pattern)
{
	u64 len = arg_num(st, "len", 0), pa = arg_num(st, "paddr", 0);
	u8 want = (u8)a->val.num, got = 0;
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

/* ---- the handlers: every field the statement names, in its order ---- */

int check_done(struct runner *r, struct mismatch *mm)
{
	if (!mm->s->len) {
		g_string_free(mm->s, TRUE);
		return 0;
	}
	r->step->failure = g_string_free(mm->s, FALSE);
	return -1;
}

static void check_fields(struct runner *r, const struct statement *st,
			 struct mismatch *mm)
{
	const struct op *op = op_find(st->verb);

	for (guint i = 0; i < st->args->len; i++) {
		const struct arg *a = st->args->pdata[i];
		const struct arg_spec *spec = op_arg(op, a->key);

		if (spec->check)
			spec->check(r, st, a, mm);
	}
}

int check_exec(struct runner *r, const struct statement *st)
{
	struct mismatch mm = { g_string_new(NULL) };

	check_fields(r, st, &mm);
	return check_done(r, &mm);
}

/* A group's fields need the group: without one, that is the mismatch. */
int check_group_exec(struct runner *r, const struct statement *st)
{
	struct mismatch mm = { g_string_new(NULL) };
	struct device *dev = arg_dev(r, st, "dev");

	if (!dev->iommu_group)
		g_string_append_printf(mm.s, "%s has no iommu_group",
				       dev->name);
	else
		check_fields(r, st, &mm);
	return check_done(r, &mm);
}
