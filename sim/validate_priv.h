/* SPDX-License-Identifier: MIT */
/*
 * validate_priv.h - what the static checks share: the state they build
 * as they read a file (names declared, handles bound, addresses taken)
 * and the error that names file:line:col. validate.c walks the
 * statements; validate_names.c keeps the names and addresses.
 */
#ifndef IOMMUSIM_SIM_VALIDATE_PRIV_H
#define IOMMUSIM_SIM_VALIDATE_PRIV_H

#include "runner.h"

struct vstate {
	const struct scenario *sc;
	const struct run_opts *opts;
	const struct iommu_profile *profile;
	GHashTable *devices; /* name -> the row that declared it */
	GHashTable *iommus;
	/* iommu name -> its driver= ("generic" when none is given); the
	 * first declared, which a device without iommu= sits behind */
	GHashTable *iommu_driver;
	const char *first_iommu;
	GHashTable *drivers;
	GHashTable *handles;  /* name -> struct vhandle */
	GHashTable *addrs;    /* "parent/DD.F" taken */
	GHashTable *dev_addr; /* device name -> its "parent/DD.F" */
	GHashTable *removed;  /* device names device_del made free again ->
			       * its line */
	/* "parent/DD.F" of a device whose removal waits (BLOCKS) or whose
	 * outcome the file does not state: free once the run removes it, so
	 * a hotplug there is the run's to judge (setup.c setup_device()) */
	GHashTable *pending_addrs;
	unsigned int bridges; /* declared and not deleted: a bus number each */
	/* PCI functions by name, in declaration order; those declared
	 * multifunction=1 by "parent/DD.F"; the names of those no PCI scan
	 * found (model/core/pci_probe.c) */
	GPtrArray *functions;
	GHashTable *mf_addrs;
	GHashTable *unfound;
	bool booted;
	/* the fork whose child runs the steps until exit, or NULL */
	const struct statement *fork;
	GHashTable *exited; /* handles a child bound -> its exit's line */
	GError **err;
};

/* A handle some statement binds: where, and its type. */
struct vhandle {
	int line;
	const struct handle_type *type;
	bool child; /* bound by a forked child: gone at its exit */
};

bool verr(struct vstate *vs, int line, int col, const char *fmt, ...)
	G_GNUC_PRINTF(4, 5);

/* validate_names.c */
bool is_bridge(const struct op *declared_by);
bool check_not_removed(struct vstate *vs, const struct statement *st,
		       const struct op *v, const struct arg *a,
		       const struct arg_spec *spec);
bool check_declarations(struct vstate *vs, const struct statement *st,
			const struct op *v);
GPtrArray *vfuncs_new(void);

#endif
