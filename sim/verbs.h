/* SPDX-License-Identifier: MIT */
/*
 * verbs.h - verbs beyond the operation table's rows (verbs.c): a
 * profile's alias for a row, the kernel's names the model has no row for
 * yet, and the nearest verbs to a typo.
 */
#ifndef IOMMUSIM_SIM_VERBS_H
#define IOMMUSIM_SIM_VERBS_H

#include <glib.h>
#include <stdbool.h>

/* A profile's own name for a row: valid only under that profile. */
struct verb_alias {
	const char *alias;   /* what the thread calls it */
	const char *verb;    /* the row (op_table) it runs */
	const char *profile; /* the only profile it is spelled so in */
};

const struct verb_alias *verb_alias_find(const char *name);
/* @name is a function Linux 7.3 exports from the iommu core, iommufd or
 * VFIO, or one of their uapi ioctls. */
bool verb_kernel_known(const char *name);
/* Up to three verbs (rows or aliases) close to @name, comma-separated;
 * NULL when none is near. */
char *verb_nearest(const char *name);
/* The validator's message for a verb with no row and no alias. */
char *verb_unknown_message(const char *name);

#endif
