/* SPDX-License-Identifier: MIT */
/*
 * scene.h - a picture of the model's state, independent of how it is drawn.
 *
 * A scene is a small graph: nodes (one per object: an IOMMU, a device, an
 * iommu group, a domain), each with a title and a few "key value" lines,
 * and edges between them (the PCI tree, a group's current and default
 * domain, the domain a device sees). Nodes carry stable ids ("dev:nic",
 * "group:2", "dom:7"), so two scenes, one per step, can be compared:
 * scene_mark_changes() marks what a step added or changed and lists what it
 * removed. The drawers (dot.c, text.c, html.c) only read scenes; only
 * scene_model.c reads the model.
 *
 * Adding an object kind: a scene_kind below, a function in scene_model.c
 * (or scene_ifd.c, for what only the run knows) that adds its nodes and
 * edges, and one drawing function per drawer (each has a table indexed by
 * scene_kind).
 */
#ifndef IOMMUSIM_VIEW_SCENE_H
#define IOMMUSIM_VIEW_SCENE_H

#include <glib.h>
#include <stdbool.h>

enum scene_kind {
	SK_IOMMU,  /* struct iommu_device: a hardware IOMMU and its driver */
	SK_DEVICE, /* struct device: PCI function, bridge, platform device */
	SK_GROUP,  /* struct iommu_group: drawn as a cluster of its devices */
	SK_DOMAIN, /* struct iommu_domain */
	/* iommufd (scene_ifd.c): a ctx and its objects */
	SK_IFD_CTX, /* an open of /dev/iommu (struct iommufd_ctx) */
	SK_IOAS,    /* struct iommufd_ioas: under its ctx */
	SK_HWPT,    /* struct iommufd_hw_pagetable: under its IOAS */
	SK_IGROUP,  /* struct iommufd_group: under its ctx */
	SK_IDEV,    /* struct iommufd_device: under its igroup */
	/* VFIO (scene_model.c) */
	SK_VFIO_GROUP,	   /* a VFIO group and its node /dev/vfio/N */
	SK_VFIO_CONTAINER, /* a container: an open of /dev/vfio/vfio */
	SK_VFIO_CDEV,	   /* a device's cdev /dev/vfio/devices/vfioN */
	SK_NR,
};

enum scene_mark {
	MARK_SAME,    /* as in the previous scene */
	MARK_NEW,     /* not in the previous scene */
	MARK_CHANGED, /* there, with other lines or another cluster */
};

enum edge_kind {
	EDGE_BUS,      /* PCI: bridge -> device on its secondary bus */
	EDGE_DOMAIN,   /* group -> group->domain */
	EDGE_DEFAULT,  /* group -> group->default_domain */
	EDGE_HANDLE,   /* group -> the attach handle's domain */
	EDGE_ATTACHED, /* device -> the domain it sees, when not its group's */
	EDGE_OWNS,     /* iommufd ctx -> its IOAS and igroups */
	EDGE_HWPT,     /* IOAS -> a paging HWPT on it */
	EDGE_HWPT_DOMAIN, /* HWPT -> its iommu_domain */
	EDGE_HWPT_IDEV,	  /* HWPT -> a device attached to it */
	EDGE_IGROUP,	  /* igroup -> its device; igroup -> its iommu group */
	EDGE_IDEV_DEVICE, /* iommufd device -> the struct device */
	EDGE_VFIO_OF,	  /* VFIO node -> its iommu group or device */
	EDGE_VFIO_CONTAINER, /* VFIO group -> its container or iommufd */
	EDGE_VFIO_BOUND,     /* cdev -> the iommufd device it is bound as */
	EDGE_NR,
};

/* One mapping row of a paging domain's IO page table, for tables. */
struct scene_row {
	char *cells[6]; /* IOVA, size, PA, prot, level, raw entry */
};

struct scene_node {
	char *id; /* stable across steps: "dev:nic", "dom:7" */
	enum scene_kind kind;
	char *title;	  /* what the object is called: "nic", "$a" */
	GPtrArray *lines; /* char *: "driver e1000e", "owner_cnt 1" */
	char *cluster;	  /* the id of the group it belongs to, or NULL */
	/* the id of its upstream bridge, or of the object it hangs under in
	 * the text tree (an IOAS under its ctx), or NULL */
	char *tree_parent;
	GPtrArray *rows;   /* struct scene_row *: a page table's mappings */
	char *rows_header; /* what the rows come from (root, Mode, ...) */
	enum scene_mark mark;
	guint64 new_lines; /* bit i: lines[i] is not in the previous scene */
};

struct scene_edge {
	char *from, *to; /* node ids */
	enum edge_kind kind;
	bool is_new; /* not in the previous scene */
};

struct scene {
	char *title;	   /* graph label: file, profile, step */
	GPtrArray *lines;  /* machine-wide facts: profile, default type */
	GPtrArray *nodes;  /* struct scene_node *, in insertion order */
	GPtrArray *edges;  /* struct scene_edge * */
	GPtrArray *gone;   /* char *: titles of nodes the step removed */
	GHashTable *index; /* id -> struct scene_node * (not owned) */
	bool marked;	   /* scene_mark_changes() ran: highlight marks */
	bool booted;	   /* the machine has booted (groups exist) */
};

struct scene *scene_new(void);
void scene_free(struct scene *s);

/* Add a node; the scene owns it. Ids are unique: a second node with an
 * id already present is a programming error (g_return_val_if_fail). */
struct scene_node *scene_add_node(struct scene *s, enum scene_kind kind,
				  const char *id, const char *title);
void scene_node_line(struct scene_node *n, const char *fmt, ...)
	G_GNUC_PRINTF(2, 3);
void scene_node_row(struct scene_node *n, char *cells[6]);
void scene_add_edge(struct scene *s, const char *from, const char *to,
		    enum edge_kind kind);
struct scene_node *scene_find(const struct scene *s, const char *id);
/* The nodes of @kind, in insertion order (a new array of borrowed nodes). */
GPtrArray *scene_nodes_of(const struct scene *s, enum scene_kind kind);
/* Edges of @kind leaving @from (a new array of borrowed edges). */
GPtrArray *scene_edges_from(const struct scene *s, const char *from,
			    enum edge_kind kind);

/* Mark @cur's nodes and edges against @prev (NULL: the empty scene). */
void scene_mark_changes(struct scene *cur, const struct scene *prev);
/* Something differs from the previous scene. */
bool scene_changed(const struct scene *s);

#endif
