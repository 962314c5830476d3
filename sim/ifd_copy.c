// SPDX-License-Identifier: MIT
/*
 * ifd_copy.c - the runner's iommufd side copied with the model
 * (run_session_copy()): the processes, each ctx's and bound device's
 * record pointed at the model's copies (iommu_copy_find()); no kernel
 * behaviour.
 */
#include "ifd_private.h"
#include "model/copy.h"
#include "model/iommufd/iommufd.h"

static struct sim_ctx *ctx_copy(const struct sim_ctx *o, struct iommu_copy *c)
{
	struct sim_ctx *n = g_memdup2(o, sizeof(*o));

	n->ictx = iommu_copy_find(c, o->ictx);
	n->label = g_strdup(o->label);
	return n;
}

/* A device VFIO bound is resolved again at every lookup (its @data is
 * VFIO's record of the file, in @objs); one the kernel API bound is its
 * iommufd_device while live, and keeps the stale pointer after, as the
 * original does (only compared with NULL). */
static struct sim_idev *idev_copy(const struct sim_idev *o,
				  struct iommu_copy *c, GHashTable *objs)
{
	struct sim_idev *n = g_memdup2(o, sizeof(*o));

	n->ctx = copy_noted(objs, o->ctx);
	if (o->live)
		n->idev = iommu_copy_find(c, o->idev);
	else if (o->resolve)
		n->idev = NULL;
	n->data = o->resolve ? copy_noted(objs, o->data) : o->data;
	return n;
}

void ifd_copy(struct runner *to, const struct runner *r, struct iommu_copy *c,
	      GHashTable **objs)
{
	const struct sim_ifd *s = r->ifd;
	struct sim_ifd *n;

	if (!s)
		return;
	n = to->ifd = g_memdup2(s, sizeof(*s));
	n->task = iommufd_copy_process(c, s->task);
	n->parent = s->parent ? iommufd_copy_process(c, s->parent) : NULL;
	n->ctxs = spare_ptr_array(s->ctxs->len);
	for (guint i = 0; i < s->ctxs->len; i++) {
		struct sim_ctx *x = ctx_copy(s->ctxs->pdata[i], c);

		copy_note(objs, s->ctxs->pdata[i], x);
		g_ptr_array_add(n->ctxs, x);
	}
	n->idevs = spare_ptr_array(s->idevs->len);
	for (guint i = 0; i < s->idevs->len; i++) {
		struct sim_idev *x = idev_copy(s->idevs->pdata[i], c, *objs);

		copy_note(objs, s->idevs->pdata[i], x);
		g_ptr_array_add(n->idevs, x);
	}
}

void ifd_discard(struct runner *r)
{
	struct sim_ifd *s = r->ifd;

	if (!s)
		return;
	for (guint i = 0; i < s->ctxs->len; i++) {
		struct sim_ctx *x = s->ctxs->pdata[i];

		g_free(x->label);
		g_free(x);
	}
	for (guint i = 0; i < s->idevs->len; i++)
		g_free(s->idevs->pdata[i]);
	spare_ptr_array_put(s->ctxs);
	spare_ptr_array_put(s->idevs);
	g_free(s);
	r->ifd = NULL;
}

const char *ifd_copy_refusal(const struct runner *r)
{
	const struct sim_ifd *s = r->ifd;
	const char *why = s ? iommufd_copy_process_refusal(s->task) : NULL;

	return why || !s || !s->parent
		       ? why
		       : iommufd_copy_process_refusal(s->parent);
}
