// SPDX-License-Identifier: MIT
/*
 * ifd_checks.c - checks on iommufd's state, read through the model's
 * views (model/iommufd/view.c): an object's type and users, a ctx's
 * object count and file references, a bound device's igroup and HWPT, an
 * IOAS's areas and pinned pages, the process's pinned and locked pages.
 */
#include <string.h>

#include "runner.h"
#include "model/iommufd/iommufd.h"

/* "none" or the number a T_CODE/T_HANDLE check field holds */
static bool want_none(const struct arg *a)
{
	return a->val.kind == VAL_IDENT && !strcmp(a->val.text, "none");
}

static struct iommufd_ctx *
ctx_or_miss(struct runner *r, const struct statement *st, struct mismatch *mm)
{
	struct iommufd_ctx *ictx = ifd_ctx_peek(r, st);

	if (!ictx)
		g_string_append_printf(mm->s, "%s$%s is not an open iommufd",
				       mm->s->len ? "; " : "",
				       stmt_arg(st, "ictx")->val.text);
	return ictx;
}

/* ---- check_iommufd: ictx=, id= select; the rest compare ---- */

static bool need_id(const struct statement *st, struct mismatch *mm)
{
	if (arg_has(st, "id"))
		return true;
	g_string_append_printf(
		mm->s, "%stype= and users= need id=", mm->s->len ? "; " : "");
	return false;
}

void chk_ifd_type(struct runner *r, const struct statement *st,
		  const struct arg *a, struct mismatch *mm)
{
	struct iommufd_ctx *ictx = ctx_or_miss(r, st, mm);
	const char *type = "none";
	unsigned int users = 0;

	if (!ictx || !need_id(st, mm))
		return;
	iommufd_view_object(ictx, (u32)handle_num(r, st, "id"), &type, &users);
	expect_str(mm, "type", a->val.text, type);
}

void chk_ifd_users(struct runner *r, const struct statement *st,
		   const struct arg *a, struct mismatch *mm)
{
	struct iommufd_ctx *ictx = ctx_or_miss(r, st, mm);
	const char *type;
	unsigned int users = 0;

	if (!ictx || !need_id(st, mm))
		return;
	if (iommufd_view_object(ictx, (u32)handle_num(r, st, "id"), &type,
				&users))
		expect_str(mm, "users", a->val.text, "(no object)");
	else
		expect_num(mm, "users", a->val.num, users);
}

void chk_ifd_objects(struct runner *r, const struct statement *st,
		     const struct arg *a, struct mismatch *mm)
{
	struct iommufd_ctx *ictx = ctx_or_miss(r, st, mm);

	if (ictx)
		expect_num(mm, "objects", a->val.num,
			   iommufd_view_objects(ictx));
}

void chk_ifd_file_refs(struct runner *r, const struct statement *st,
		       const struct arg *a, struct mismatch *mm)
{
	struct iommufd_ctx *ictx = ctx_or_miss(r, st, mm);

	if (ictx)
		expect_num(mm, "file_refs", a->val.num,
			   iommufd_view_file_refs(ictx));
}

/* ---- check_idev: idev= selects ---- */

static bool idev_view(struct runner *r, const struct statement *st,
		      struct mismatch *mm, struct iommufd_idev_view *v)
{
	struct iommufd_device *idev = ifd_idev_peek(r, st);

	if (!idev) {
		g_string_append_printf(mm->s, "%s$%s is not bound",
				       mm->s->len ? "; " : "",
				       stmt_arg(st, "idev")->val.text);
		return false;
	}
	iommufd_view_idev(idev, v);
	return true;
}

void chk_idev_noiommu(struct runner *r, const struct statement *st,
		      const struct arg *a, struct mismatch *mm)
{
	struct iommufd_idev_view v;

	if (idev_view(r, st, mm, &v))
		expect_num(mm, "noiommu", a->val.num, v.noiommu);
}

void chk_idev_group(struct runner *r, const struct statement *st,
		    const struct arg *a, struct mismatch *mm)
{
	struct iommufd_idev_view v;
	g_autofree char *got = NULL;

	if (!idev_view(r, st, mm, &v))
		return;
	got = v.group_id < 0 ? g_strdup("none")
			     : g_strdup_printf("%d", v.group_id);
	expect_str(mm, "igroup_group", a->val.text, got);
}

void chk_idev_igroup_ref(struct runner *r, const struct statement *st,
			 const struct arg *a, struct mismatch *mm)
{
	struct iommufd_idev_view v;

	if (idev_view(r, st, mm, &v))
		expect_num(mm, "igroup_ref", a->val.num, v.igroup_ref);
}

void chk_idev_hwpt(struct runner *r, const struct statement *st,
		   const struct arg *a, struct mismatch *mm)
{
	struct iommufd_idev_view v;

	if (!idev_view(r, st, mm, &v))
		return;
	expect_num(mm, "hwpt", want_none(a) ? 0 : handle_num(r, st, "hwpt"),
		   v.hwpt_id);
}

/* ---- check_ioas: ictx=, ioas= (and iova= for phys=) select ---- */

static bool ioas_view(struct runner *r, const struct statement *st,
		      struct mismatch *mm, struct iommufd_ioas_view *v)
{
	struct iommufd_ctx *ictx = ctx_or_miss(r, st, mm);

	if (!ictx)
		return false;
	if (iommufd_view_ioas(ictx, (u32)handle_num(r, st, "ioas"), v)) {
		g_string_append_printf(
			mm->s, "%sno IOAS %llu", mm->s->len ? "; " : "",
			(unsigned long long)handle_num(r, st, "ioas"));
		return false;
	}
	return true;
}

#define IOAS_FIELD(fn, field)                                                  \
	void fn(struct runner *r, const struct statement *st,                  \
		const struct arg *a, struct mismatch *mm)                      \
	{                                                                      \
		struct iommufd_ioas_view v;                                    \
                                                                               \
		if (ioas_view(r, st, mm, &v))                                  \
			expect_num(mm, #field, a->val.num, v.field);           \
	}
IOAS_FIELD(chk_ioas_areas, areas)
IOAS_FIELD(chk_ioas_mapped, mapped)
IOAS_FIELD(chk_ioas_pinned, pinned)
IOAS_FIELD(chk_ioas_hwpts, hwpts)
IOAS_FIELD(chk_ioas_domains, domains)

void chk_ioas_phys(struct runner *r, const struct statement *st,
		   const struct arg *a, struct mismatch *mm)
{
	struct iommufd_ctx *ictx = ctx_or_miss(r, st, mm);

	if (ictx)
		expect_num(mm, "phys", a->val.num,
			   iommufd_view_iova_to_phys(
				   ictx, (u32)handle_num(r, st, "ioas"),
				   arg_num(st, "iova", 0)));
}

/* ---- check_process ---- */

/* process=self (the caller) or parent (the one waiting for the child) */
static struct process *proc_of(struct runner *r, const struct statement *st)
{
	return !strcmp(arg_str(st, "process", "self"), "parent") ? ifd_parent(r)
								 : ifd_task(r);
}

#define PROC_FIELD(fn, name, field)                                            \
	void fn(struct runner *r, const struct statement *st,                  \
		const struct arg *a, struct mismatch *mm)                      \
	{                                                                      \
		expect_num(mm, name, a->val.num, proc_of(r, st)->field);       \
	}
PROC_FIELD(chk_proc_pinned_vm, "pinned_vm", pinned_vm)
PROC_FIELD(chk_proc_mm_locked_vm, "mm_locked_vm", mm_locked_vm)
PROC_FIELD(chk_proc_user_locked_vm, "user_locked_vm", user->locked_vm)
