// SPDX-License-Identifier: MIT
/*
 * scene_model.c - the model's state as a scene: one function per object
 * kind, reading the public structs of model/iommu.h (nothing else in view/
 * reads the model). Domains are named by the scenario's handle ($a) where
 * one was bound, else domain#N, and a group's core domains say so.
 */
#include <inttypes.h>

#include "view.h"
#include "model/iommu.h"
#include "model/profile.h"
#include "model/vfio/vfio.h"
#include "pt/amdv1.h"

/* a device's mapping lines in the picture; the full table is in rows */
#define MAPPING_LINES 4

/* Ids are reused after a free, serials never: a new domain with an old
 * id is a new node. */
char *scene_dom_id(const struct iommu_domain *d)
{
	return g_strdup_printf("dom:%u.%" PRIu64, d->obj.id, d->obj.serial);
}

/* How a group's or a device's line names a domain: the handle, the
 * group's core domain by role, or the model's number. */
char *scene_dom_ref(const struct iommu_group *g, const struct iommu_domain *d)
{
	if (!d)
		return g_strdup("none");
	if (d->label)
		return g_strdup(d->label);
	if (g && d == g->default_domain)
		return g_strdup("default");
	if (g && d == g->blocking_domain)
		return g_strdup("blocking");
	return g_strdup_printf("domain#%u", d->obj.id);
}

static const char *iommu_kind_name(enum iommu_driver_kind k)
{
	static const char *const names[] = {
		[IOMMU_DRV_AMD_VI] = "amd-vi",
		[IOMMU_DRV_INTEL_VTD] = "intel-vtd",
		[IOMMU_DRV_ARM_SMMU_V3] = "arm-smmu-v3",
		[IOMMU_DRV_TEGRA_SMMU] = "tegra-smmu",
		[IOMMU_DRV_GENERIC] = "generic",
	};

	return k < G_N_ELEMENTS(names) ? names[k] : "?";
}

static const char *dev_kind_name(enum dev_kind k)
{
	static const char *const names[] = {
		[DEV_PCI] = "endpoint",
		[DEV_PCIE_ROOT_PORT] = "root port",
		[DEV_PCIE_UPSTREAM] = "switch upstream port",
		[DEV_PCIE_DOWNSTREAM] = "switch downstream port",
		[DEV_PCIE_PCI_BRIDGE] = "PCIe-to-PCI bridge",
		[DEV_PCI_BRIDGE] = "PCI bridge",
		[DEV_PLATFORM] = "platform device",
	};

	return k < G_N_ELEMENTS(names) ? names[k] : "?";
}

static void add_iommu(struct scene *s, const struct iommu_device *iommu)
{
	g_autofree char *id = g_strdup_printf("iommu:%s", iommu->name);
	struct scene_node *n = scene_add_node(s, SK_IOMMU, id, iommu->name);

	scene_node_line(n, "%s", iommu_kind_name(iommu->kind));
}

/* "01:00.0 endpoint" after boot, "addr 00.0" before bus numbers exist */
static void device_where(struct scene_node *n, const struct device *dev)
{
	if (dev->kind == DEV_PLATFORM)
		scene_node_line(n, "%s", dev_kind_name(dev->kind));
	else if (dev->bus >= 0)
		scene_node_line(n, "%02x:%02x.%u %s", dev->bus, dev->devfn >> 3,
				dev->devfn & 7, dev_kind_name(dev->kind));
	else
		scene_node_line(n, "addr %02x.%u %s", dev->devfn >> 3,
				dev->devfn & 7, dev_kind_name(dev->kind));
}

/* What pci_device_group() and the default-domain choice look at. */
static void device_traits(struct scene_node *n, const struct device *dev)
{
	GString *t = g_string_new(NULL);

	if (dev->multifunction)
		g_string_append(t, " multifunction");
	if (dev->kind != DEV_PLATFORM)
		g_string_append(t, dev->acs ? " ACS" : " no-ACS");
	if (dev->kind != DEV_PLATFORM && !dev->pcie)
		g_string_append(t, " conventional-PCI");
	if (dev->dma_alias_devfn >= 0)
		g_string_append_printf(t, " alias-%02x.%d",
				       dev->dma_alias_devfn >> 3,
				       dev->dma_alias_devfn & 7);
	if (dev->untrusted)
		g_string_append(t, " untrusted");
	if (dev->require_direct || dev->fw_direct_unplaced)
		g_string_append(t, " require-direct");
	for (unsigned int i = 0; i < dev->n_fw_direct; i++)
		g_string_append_printf(
			t, " direct-%llx-%llx%s",
			(unsigned long long)dev->fw_direct[i].start,
			(unsigned long long)dev->fw_direct[i].last,
			dev->fw_direct_relaxable >> i & 1 ? ":relaxable" : "");
	if (dev->has_stream_id)
		g_string_append_printf(t, " stream-id-%u", dev->stream_id);
	if (t->len)
		scene_node_line(n, "%s", t->str + 1);
	g_string_free(t, TRUE);
}

static void add_device(struct scene *s, const struct device *dev)
{
	g_autofree char *id = g_strdup_printf("dev:%s", dev->name);
	struct scene_node *n = scene_add_node(s, SK_DEVICE, id, dev->name);
	struct iommu_group *g = dev->iommu_group;

	device_where(n, dev);
	device_traits(n, dev);
	scene_node_line(n, "driver: %s",
			dev->driver ? dev->driver->name : "none");
	if (dev->parent) {
		n->tree_parent = g_strdup_printf("dev:%s", dev->parent->name);
		scene_add_edge(s, n->tree_parent, id, EDGE_BUS);
	}
	if (!g) {
		scene_node_line(n, "%s", dev->iommu ? "no group" : "no IOMMU");
		return;
	}
	n->cluster = g_strdup_printf("group:%d", g->id);
	/* per-device domain: what attach_dev last installed for it */
	if (dev->attached != g->domain) {
		g_autofree char *d = scene_dom_ref(g, dev->attached);
		g_autofree char *to =
			dev->attached ? scene_dom_id(dev->attached) : NULL;

		scene_node_line(n, "sees: %s", d);
		if (to)
			scene_add_edge(s, id, to, EDGE_ATTACHED);
	}
}

static void group_edges(struct scene *s, const char *id,
			const struct iommu_group *g)
{
	if (g->domain) {
		g_autofree char *to = scene_dom_id(g->domain);

		scene_add_edge(s, id, to, EDGE_DOMAIN);
	}
	if (g->default_domain && g->default_domain != g->domain) {
		g_autofree char *to = scene_dom_id(g->default_domain);

		scene_add_edge(s, id, to, EDGE_DEFAULT);
	}
	if (g->handle && g->handle != g->domain) {
		g_autofree char *to = scene_dom_id(g->handle);

		scene_add_edge(s, id, to, EDGE_HANDLE);
	}
}

static void add_group(struct scene *s, const struct iommu_model *m,
		      const struct iommu_group *g)
{
	uint64_t cnt = 0; /* a profile's own per-group state */
	g_autofree char *id = g_strdup_printf("group:%d", g->id);
	g_autofree char *title = g_strdup_printf("iommu group %d", g->id);
	g_autofree char *dom = scene_dom_ref(g, g->domain);
	struct scene_node *n = scene_add_node(s, SK_GROUP, id, title);

	scene_node_line(n, "domain: %s", dom);
	if (g->default_domain)
		scene_node_line(
			n, "default: domain#%u %s", g->default_domain->obj.id,
			iommu_domain_type_name(g->default_domain->type));
	else
		scene_node_line(n, "default: none");
	scene_node_line(n, "owner: %s", g->owner ? g->owner : "none");
	scene_node_line(n, "owner_cnt: %u", g->owner_cnt);
	if (g->handle) {
		g_autofree char *h = scene_dom_ref(g, g->handle);

		scene_node_line(n, "handle: %s", h);
	}
	if (iommu_group_profile_value(m, g, "attach_cnt", &cnt) && cnt)
		scene_node_line(n, "attach_cnt: %" PRIu64, cnt);
	group_edges(s, id, g);
}

struct rows_ctx {
	struct scene_node *n;
	unsigned int count;
};

static char *size_str(uint64_t size)
{
	static const char units[] = "KMGTPE";
	int u = -1;

	while (size >= 1024 && !(size % 1024) && u < 5) {
		size /= 1024;
		u++;
	}
	if (u < 0)
		return g_strdup_printf("%" PRIu64, size);
	return g_strdup_printf("%" PRIu64 "%c", size, units[u]);
}

static bool add_mapping(void *priv, const struct pt_amdv1_leaf *leaf)
{
	struct rows_ctx *c = priv;
	const char *prot = leaf->prot == (IOMMU_READ | IOMMU_WRITE) ? "rw"
			   : leaf->prot & IOMMU_WRITE		    ? "w"
			   : leaf->prot & IOMMU_READ		    ? "r"
								    : "-";
	char *cells[6] = {
		g_strdup_printf("0x%" PRIx64, leaf->va),
		size_str(leaf->size),
		g_strdup_printf("0x%" PRIx64, leaf->pa),
		g_strdup(prot),
		g_strdup_printf("L%u", leaf->level),
		g_strdup_printf("0x%016" PRIx64, leaf->entry),
	};

	if (c->count++ < MAPPING_LINES)
		scene_node_line(c->n, "%s +%s -> %s %s", cells[0], cells[1],
				cells[2], prot);
	scene_node_row(c->n, cells);
	return true;
}

static void domain_table(struct scene_node *n, const struct pt_amdv1 *pt)
{
	/* the mock's table says its format (amdv1_mock, 2 KiB items) */
	const char *fmt = pt->fmt == &pt_amdv1_fmt ? "AMDv1" : pt->fmt->name;
	struct rows_ctx c = { .n = n };

	n->rows_header = g_strdup_printf(
		"%s root 0x%" PRIx64 ", Mode %u, %" PRIu64 " table pages", fmt,
		pt->top_pa, pt->top_level + 1, pt->nr_tables);
	scene_node_line(n, "%s Mode %u", fmt, pt->top_level + 1);
	pt_amdv1_for_each_leaf(pt, add_mapping, &c);
	if (c.count > MAPPING_LINES)
		scene_node_line(n, "... %u mappings in all", c.count);
	if (!n->rows)
		n->rows = g_ptr_array_new(); /* an empty table is a table */
}

/* The groups that use @d as their default or blocking domain. */
static void domain_roles(struct scene_node *n, const struct iommu_model *m,
			 const struct iommu_domain *d)
{
	for (guint i = 0; i < m->groups->len; i++) {
		const struct iommu_group *g = m->groups->pdata[i];

		if (d == g->default_domain)
			scene_node_line(n, "default of group %d", g->id);
		if (d == g->blocking_domain)
			scene_node_line(n, "blocking of group %d", g->id);
	}
}

static void add_domain(struct scene *s, const struct iommu_model *m,
		       const struct iommu_domain *d)
{
	g_autofree char *id = scene_dom_id(d);
	g_autofree char *num = g_strdup_printf("domain#%u", d->obj.id);
	struct scene_node *n =
		scene_add_node(s, SK_DOMAIN, id, d->label ? d->label : num);

	if (d->label)
		scene_node_line(n, "%s", num);
	scene_node_line(n, "%s%s", iommu_domain_type_name(d->type),
			d->is_static ? ", static" : "");
	domain_roles(n, m, d);
	if (d->pt)
		domain_table(n, d->pt);
}

/* A live domain is drawn while something refers to it or a handle names
 * it. */
static bool domain_shown(const struct iommu_model *m,
			 const struct iommu_domain *d)
{
	if (d->label)
		return true;
	for (guint i = 0; i < m->groups->len; i++) {
		const struct iommu_group *g = m->groups->pdata[i];

		if (d == g->domain || d == g->default_domain ||
		    d == g->blocking_domain || d == g->handle)
			return true;
	}
	for (guint i = 0; i < m->devices->len; i++)
		if (((struct device *)m->devices->pdata[i])->attached == d)
			return true;
	return false;
}

static void add_machine(struct scene *s, const struct iommu_model *m)
{
	g_ptr_array_add(s->lines,
			g_strdup_printf("profile %s", m->profile->name));
	if (m->booted)
		g_ptr_array_add(
			s->lines,
			g_strdup_printf(
				"default domain type %s%s",
				iommu_domain_type_name(m->def_domain_type),
				m->dma_strict ? ", strict" : ""));
	else
		g_ptr_array_add(s->lines, g_strdup("not booted yet"));
}

/* A VFIO group: its node, the iommu group it stands for, its container
 * (an iommufd as container is scene_ifd.c's edge: the ctx is the run's) */
static void add_vfio_group(struct scene *s, const struct vfio_group_view *g)
{
	g_autofree char *id = g_strdup_printf("vfio-group:%d", g->minor);
	g_autofree char *title = g_strdup_printf(
		"/dev/vfio/%s%d", g->noiommu ? "noiommu-" : "", g->minor);
	struct scene_node *n = scene_add_node(s, SK_VFIO_GROUP, id, title);

	if (g->iommu_group_id >= 0) {
		g_autofree char *to =
			g_strdup_printf("group:%d", g->iommu_group_id);

		scene_node_line(n, "VFIO group of iommu group %d%s",
				g->iommu_group_id,
				g->noiommu ? " (fake, noiommu)" : "");
		scene_add_edge(s, id, to, EDGE_VFIO_OF);
	}
	scene_node_line(n, "%s", g->opened ? "open" : "not open");
	if (g->container >= 0) {
		g_autofree char *to =
			g_strdup_printf("vfio-container:%d", g->container);

		scene_node_line(n, "container: fd %d", g->container);
		scene_add_edge(s, id, to, EDGE_VFIO_CONTAINER);
	} else if (g->iommufd) {
		scene_node_line(n, "container: an iommufd");
	}
}

static void add_vfio_container(struct scene *s,
			       const struct vfio_container_view *c)
{
	g_autofree char *id = g_strdup_printf("vfio-container:%d", c->key);
	g_autofree char *title =
		c->key < 1000 ? g_strdup_printf("container fd %d", c->key)
			      : g_strdup_printf("container of /dev/vfio/%d",
						c->key - 1000);
	struct scene_node *n = scene_add_node(s, SK_VFIO_CONTAINER, id, title);

	scene_node_line(n, "/dev/vfio/vfio, IOMMU: %s", c->iommu);
}

static void add_vfio_device(struct scene *s, const struct vfio_device_view *d)
{
	g_autofree char *id = NULL;
	g_autofree char *title = NULL;
	g_autofree char *to = NULL;
	struct scene_node *n;

	if (!d->cdev)
		return; /* no cdev node (VFIO_DEVICE_CDEV=n): the group's */
	id = g_strdup_printf("cdev:%s", d->dev->name);
	title = g_strdup_printf("/dev/vfio/devices/%s", d->name);
	to = g_strdup_printf("dev:%s", d->dev->name);
	n = scene_add_node(s, SK_VFIO_CDEV, id, title);
	scene_node_line(n, "cdev of %s", d->dev->name);
	scene_node_line(n, "%s%s", d->cdev_opened ? "open" : "not open",
			d->bound ? ", bound to an iommufd" : "");
	scene_add_edge(s, id, to, EDGE_VFIO_OF);
}

static void add_vfio(struct scene *s, const struct iommu_model *m)
{
	/* vfio_view_new() only reads the model */
	struct vfio_view *v = vfio_view_new((struct iommu_model *)m);

	for (guint i = 0; i < v->groups->len; i++)
		add_vfio_group(s, &g_array_index(v->groups,
						 struct vfio_group_view, i));
	for (guint i = 0; i < v->containers->len; i++)
		add_vfio_container(s, &g_array_index(v->containers,
						     struct vfio_container_view,
						     i));
	for (guint i = 0; i < v->devices->len; i++)
		add_vfio_device(s, &g_array_index(v->devices,
						  struct vfio_device_view, i));
	vfio_view_free(v);
}

struct scene *scene_from_model(const struct iommu_model *m)
{
	struct scene *s = scene_new();

	s->booted = m->booted;
	add_machine(s, m);
	for (guint i = 0; i < m->iommus->len; i++)
		add_iommu(s, m->iommus->pdata[i]);
	for (guint i = 0; i < m->groups->len; i++)
		add_group(s, m, m->groups->pdata[i]);
	for (guint i = 0; i < m->devices->len; i++)
		add_device(s, m->devices->pdata[i]);
	/* iommu_domain_next() only reads the model */
	for (struct iommu_domain *d =
		     iommu_domain_next((struct iommu_model *)m, NULL);
	     d; d = iommu_domain_next((struct iommu_model *)m, d))
		if (domain_shown(m, d))
			add_domain(s, m, d);
	add_vfio(s, m);
	/* iommufd's ctxs are the run's: scene_add_ifd() */
	return s;
}
