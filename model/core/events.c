// SPDX-License-Identifier: MIT
/*
 * events.c - the steps inside an operation, as the kernel takes them
 * (each device's attach_dev, the group's domain change, the err_revert
 * loop and where it stopped): a log the model fills and the trace
 * renders (sim/events.c, `run -v`). Reset by iommu_model_begin().
 */
#include "events.h"
#include "iommu.h"
#include "state.h"

static void event_clear(gpointer p)
{
	struct iommu_event *e = p;

	g_free(e->dev);
	g_free(e->from);
	g_free(e->to);
	g_free(e->via);
}

GArray *iommu_events_new(void)
{
	GArray *a = g_array_new(FALSE, TRUE, sizeof(struct iommu_event));

	g_array_set_clear_func(a, event_clear);
	return a;
}

void iommu_event(struct iommu_model *m, enum iommu_event_kind kind,
		 const struct iommu_group *g, const struct device *dev,
		 const struct iommu_domain *from, const struct iommu_domain *to,
		 int ret)
{
	struct iommu_event e = {
		.kind = kind,
		.group = g ? g->id : -1,
		.ret = ret,
	};

	if (m->quiet)
		return;
	e.dev = dev ? g_strdup(dev->name) : NULL;
	e.from = from ? iommu_domain_str(g, from) : NULL;
	e.to = to ? iommu_domain_str(g, to) : NULL;
	g_array_append_val(m->events, e);
}

void iommu_event_group(struct iommu_model *m, const struct device *dev,
		       const struct iommu_group *g, const char *reason,
		       const struct device *via)
{
	struct iommu_event e = {
		.kind = IOMMU_EV_GROUP_WHY,
		.group = g ? g->id : -1,
		.reason = reason,
	};

	if (m->quiet)
		return;
	e.dev = g_strdup(dev->name);
	e.via = via ? g_strdup(via->name) : NULL;
	g_array_append_val(m->events, e);
}

void iommu_event_copy(struct iommu_event *dst, const struct iommu_event *src)
{
	*dst = *src;
	dst->dev = g_strdup(src->dev);
	dst->from = g_strdup(src->from);
	dst->to = g_strdup(src->to);
	dst->via = g_strdup(src->via);
}
