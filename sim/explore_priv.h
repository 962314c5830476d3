/* SPDX-License-Identifier: MIT */
/* explore_priv.h - the explorer's private parts (explore.c, explore_args.c). */
#ifndef IOMMUSIM_SIM_EXPLORE_PRIV_H
#define IOMMUSIM_SIM_EXPLORE_PRIV_H

#include "explore.h"
#include "runner.h"

/* A handle a path has bound (a list shared by a node's descendants:
 * each node adds its own in front of its parent's). */
struct explore_handle {
	char *name; /* without the '$' */
	const struct handle_type *type;
	struct explore_handle *next;
};

/* What the machine's arguments range over. */
struct explore_machine {
	GPtrArray *devices; /* endpoint names (pci_device, platform_device) */
	GPtrArray *drivers; /* declared drivers and those devices name */
	GPtrArray *iommus;
	struct explore_handle *handles; /* the prefix's */
};

void explore_machine_init(struct explore_machine *mc,
			  const struct scenario *sc);
void explore_machine_clear(struct explore_machine *mc);
void explore_handle_add(struct explore_handle **list, const char *name,
			const struct handle_type *t);
void explore_handles_free(struct explore_handle *h);

/* Every statement of @op (without expectation) at generated step @step
 * with @handles bound; NULL with *unsupported the key of a required
 * argument whose type is not enumerated. */
GPtrArray *explore_verb_values(const struct explore_machine *mc,
			       const struct op *op,
			       const struct explore_handle *handles, int step,
			       const char **unsupported);

#endif
