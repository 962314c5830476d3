// SPDX-License-Identifier: MIT
/*
 * events.c - the steps inside an operation (model/core/events.c records
 * them) as the trace's lines: each device's attach_dev, the group's
 * domain change, the err_revert loop and the device it stopped at.
 */
#include "run.h"
#include "errnames.h"
#include "model/events.h"
#include "model/iommu.h"

const char *step_event_kind_name(int kind)
{
	switch (kind) {
	case IOMMU_EV_GROUP_SET:
		return "group_set_domain";
	case IOMMU_EV_DEV_ATTACH:
		return "attach_dev";
	case IOMMU_EV_REVERT_STOP:
		return "revert_stop";
	case IOMMU_EV_BLOCKED:
		return "blocked";
	case IOMMU_EV_GROUP_WHY:
		return "group";
	}
	return "?";
}

static const char *ret_str(int ret)
{
	return ret ? errno_name(-ret) : "ok";
}

/* @reverting: after an err_revert stop, each attach puts a device back */
static void event_line(GString *s, const struct iommu_event *e, bool reverting)
{
	if (reverting && e->kind != IOMMU_EV_GROUP_SET)
		g_string_append(s, "  ");
	switch (e->kind) {
	case IOMMU_EV_GROUP_SET:
		g_string_append_printf(
			s,
			"__iommu_group_set_domain_internal: group %d from %s "
			"to %s",
			e->group, e->from ? e->from : "none", e->to);
		break;
	case IOMMU_EV_DEV_ATTACH:
		g_string_append_printf(s, "  %s: attach_dev to %s: %s", e->dev,
				       e->to, ret_str(e->ret));
		break;
	case IOMMU_EV_BLOCKED:
		g_string_append_printf(s, "  %s: must succeed, so onto %s",
				       e->dev, e->to);
		break;
	case IOMMU_EV_GROUP_WHY:
		g_string_append_printf(
			s, "pci_device_group: %s in group %d: %s %s", e->dev,
			e->group, e->reason, e->via);
		break;
	case IOMMU_EV_REVERT_STOP:
		g_string_append_printf(
			s,
			"  err_revert: stopped at %s (%s); the devices "
			"before it go back to %s",
			e->dev, ret_str(e->ret), e->from ? e->from : "none");
		break;
	}
}

char *step_events_text(const struct step_result *sr)
{
	GString *s;
	bool reverting = false;

	if (!sr->events || !sr->events->len)
		return NULL;
	s = g_string_new(NULL);
	for (guint i = 0; i < sr->events->len; i++) {
		const struct iommu_event *e =
			&g_array_index(sr->events, struct iommu_event, i);

		if (i)
			g_string_append_c(s, '\n');
		event_line(s, e, reverting);
		if (e->kind == IOMMU_EV_REVERT_STOP)
			reverting = true;
		else if (e->kind == IOMMU_EV_GROUP_SET)
			reverting = false;
	}
	return g_string_free(s, FALSE);
}

GArray *step_events_copy(const GArray *events)
{
	GArray *a;

	if (!events->len)
		return NULL;
	a = iommu_events_new();
	g_array_set_size(a, events->len);
	for (guint i = 0; i < events->len; i++)
		iommu_event_copy(&g_array_index(a, struct iommu_event, i),
				 &g_array_index(events, struct iommu_event, i));
	return a;
}
