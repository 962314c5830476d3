// SPDX-License-Identifier: MIT
/*
 * scene_ifd.c - the iommufd side of a run as scene nodes: each ctx the
 * scenario opened, its IOASes with the HWPTs on them, its igroups (with
 * their iommu group, or the NULL group of a noiommu device) and the
 * devices bound in them, named by the scenario's handles ($ioas) where
 * it bound one, else by id (IOAS 2). The ctxs are the run's, not the
 * model's, so this reads the runner (sim/runner.h) and the model's
 * read-only iommufd view (model/iommufd/iommufd.h iommufd_view_next()).
 */
#include <inttypes.h>
#include <string.h>

#include "view.h"
#include "runner.h"
#include "model/iommufd/iommufd.h"
#include "model/vfio/vfio.h"

/* One ctx being added: its node id and index, the run for names. */
struct ctx_scene {
	struct scene *s;
	struct runner *r;
	struct iommufd_ctx *ictx;
	guint index;
	const char *id;
};

static char *obj_id(const struct ctx_scene *c, const char *kind, u32 id)
{
	return g_strdup_printf("%s:%u.%u", kind, c->index, id);
}

/* The handle's name as the title, the id as a line; or "IOAS 2". */
static struct scene_node *add_named(const struct ctx_scene *c,
				    enum scene_kind kind, const char *id,
				    const struct handle_type *t,
				    const char *what, u32 num)
{
	g_autofree char *name = handle_name_of(c->r, t, num);
	g_autofree char *plain = g_strdup_printf("%s %u", what, num);
	struct scene_node *n =
		scene_add_node(c->s, kind, id, name ? name : plain);

	if (name)
		scene_node_line(n, "%s", plain);
	return n;
}

/* How a line names another object of the ctx: $handle or "HWPT 3". */
static char *obj_ref(const struct ctx_scene *c, const struct handle_type *t,
		     const char *what, u32 num)
{
	char *name = handle_name_of(c->r, t, num);

	return name ? name : g_strdup_printf("%s %u", what, num);
}

static void add_ioas(const struct ctx_scene *c,
		     const struct iommufd_obj_view *v)
{
	g_autofree char *id = obj_id(c, "ioas", v->id);
	struct scene_node *n =
		add_named(c, SK_IOAS, id, &ht_ioas, "IOAS", v->id);
	struct iommufd_ioas_view iv;

	if (!iommufd_view_ioas(c->ictx, v->id, &iv))
		scene_node_line(n, "areas %u, mapped 0x%" PRIx64 ", hwpts %u",
				iv.areas, iv.mapped, iv.hwpts);
	n->tree_parent = g_strdup(c->id);
	scene_add_edge(c->s, c->id, id, EDGE_OWNS);
}

static void hwpt_domain(const struct ctx_scene *c, struct scene_node *n,
			const struct iommufd_obj_view *v)
{
	g_autofree char *dom = NULL;
	g_autofree char *to = NULL;

	if (!v->domain)
		return;
	if (v->domain->owner && v->domain->owner->kind == IOMMU_DRV_NOIOMMU) {
		scene_node_line(n, "noiommu: translates nothing");
		return;
	}
	dom = scene_dom_ref(NULL, v->domain);
	to = scene_dom_id(v->domain);
	scene_node_line(n, "domain: %s", dom);
	if (scene_find(c->s, to))
		scene_add_edge(c->s, n->id, to, EDGE_HWPT_DOMAIN);
}

static void add_hwpt(const struct ctx_scene *c,
		     const struct iommufd_obj_view *v)
{
	g_autofree char *id = obj_id(c, "hwpt", v->id);
	g_autofree char *ioas =
		v->ioas_id ? obj_id(c, "ioas", v->ioas_id) : NULL;
	struct scene_node *n =
		add_named(c, SK_HWPT, id, &ht_hwpt, "HWPT", v->id);

	scene_node_line(n, "%s%s", v->type, v->auto_domain ? ", auto" : "");
	hwpt_domain(c, n, v);
	/* under its IOAS in the text tree (IOASes have lower ids) */
	n->tree_parent =
		g_strdup(ioas && scene_find(c->s, ioas) ? ioas : c->id);
	scene_add_edge(c->s, n->tree_parent, id, ioas ? EDGE_HWPT : EDGE_OWNS);
}

/* The igroup a device is in: one per iommu group in a ctx, one per
 * device for the NULL group of a noiommu device (iommufd_bind_noiommu()
 * allocates each its own). */
static char *igroup_node(const struct ctx_scene *c,
			 const struct iommufd_obj_view *v)
{
	g_autofree char *id =
		v->group_id >= 0
			? g_strdup_printf("igroup:%u.g%d", c->index,
					  v->group_id)
			: g_strdup_printf("igroup:%u.d%u", c->index, v->id);
	struct scene_node *n = scene_find(c->s, id);
	g_autofree char *title = NULL;
	g_autofree char *group = NULL;

	if (n)
		return g_steal_pointer(&id);
	title = v->group_id >= 0
			? g_strdup_printf("igroup of group %d", v->group_id)
			: g_strdup("igroup, NULL group");
	n = scene_add_node(c->s, SK_IGROUP, id, title);
	scene_node_line(n,
			v->group_id >= 0 ? "iommu group %d"
					 : "no iommu group: noiommu",
			v->group_id);
	n->tree_parent = g_strdup(c->id);
	scene_add_edge(c->s, c->id, id, EDGE_OWNS);
	group = g_strdup_printf("group:%d", v->group_id);
	if (v->group_id >= 0 && scene_find(c->s, group))
		scene_add_edge(c->s, id, group, EDGE_IGROUP);
	return g_steal_pointer(&id);
}

static void add_idev(const struct ctx_scene *c,
		     const struct iommufd_obj_view *v)
{
	g_autofree char *id = obj_id(c, "idev", v->id);
	g_autofree char *igroup = igroup_node(c, v);
	g_autofree char *dev = g_strdup_printf("dev:%s", v->dev->name);
	g_autofree char *cdev = g_strdup_printf("cdev:%s", v->dev->name);
	g_autofree char *hwpt =
		v->hwpt_id ? obj_id(c, "hwpt", v->hwpt_id) : NULL;
	g_autofree char *att =
		v->hwpt_id ? obj_ref(c, &ht_hwpt, "HWPT", v->hwpt_id) : NULL;
	struct scene_node *n =
		add_named(c, SK_IDEV, id, &ht_idev, "device", v->id);

	scene_node_line(n, "%s", v->dev->name);
	scene_node_line(n, "attached: %s", att ? att : "none");
	n->tree_parent = g_strdup(igroup);
	scene_add_edge(c->s, igroup, id, EDGE_IGROUP);
	scene_add_edge(c->s, id, dev, EDGE_IDEV_DEVICE);
	if (hwpt && scene_find(c->s, hwpt))
		scene_add_edge(c->s, hwpt, id, EDGE_HWPT_IDEV);
	if (scene_find(c->s, cdev))
		scene_add_edge(c->s, cdev, id, EDGE_VFIO_BOUND);
}

/* VFIO groups whose container is this ctx (VFIO_GROUP_SET_CONTAINER
 * with an iommufd) */
static void vfio_containers(const struct ctx_scene *c)
{
	struct vfio_view *v = vfio_view_new(c->r->m);

	for (guint i = 0; i < v->groups->len; i++) {
		const struct vfio_group_view *g =
			&g_array_index(v->groups, struct vfio_group_view, i);
		g_autofree char *from =
			g_strdup_printf("vfio-group:%d", g->minor);

		if (g->iommufd == c->ictx)
			scene_add_edge(c->s, from, c->id, EDGE_VFIO_CONTAINER);
	}
	vfio_view_free(v);
}

static void add_ctx(struct scene *s, struct runner *r, struct iommufd_ctx *ictx,
		    guint index, const char *label, bool open)
{
	g_autofree char *id = g_strdup_printf("ictx:%u", index);
	struct ctx_scene c = { s, r, ictx, index, id };
	struct scene_node *n = scene_add_node(s, SK_IFD_CTX, id, label);
	struct iommufd_obj_view v;

	scene_node_line(n, "iommufd, %s, %u objects",
			open ? "open" : "closed, held by bound devices",
			iommufd_view_objects(ictx));
	/* in id order an IOAS comes before the HWPTs on it; devices after
	 * both, to point at the HWPT they are attached to */
	for (u32 after = 0; iommufd_view_next(ictx, after, &v); after = v.id) {
		if (!strcmp(v.type, "ioas"))
			add_ioas(&c, &v);
		else if (g_str_has_prefix(v.type, "hwpt"))
			add_hwpt(&c, &v);
	}
	for (u32 after = 0; iommufd_view_next(ictx, after, &v); after = v.id)
		if (!strcmp(v.type, "device"))
			add_idev(&c, &v);
	vfio_containers(&c);
}

void scene_add_ifd(struct scene *s, struct runner *r)
{
	bool open, more = true;

	for (guint i = 0; more; i++) {
		const char *label = NULL;
		struct iommufd_ctx *ictx =
			ifd_ctx_nth(r, i, &label, &open, &more);

		if (ictx)
			add_ctx(s, r, ictx, i, label, open);
	}
}
