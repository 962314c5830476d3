/* SPDX-License-Identifier: MIT */
/*
 * runner.h - sim's private header: the verb table and the state a run
 * keeps beside the model (handles, the current step).
 */
#ifndef IOMMUSIM_SIM_RUNNER_H
#define IOMMUSIM_SIM_RUNNER_H

#include "run.h"
#include "model/iommu.h"
#include "model/profile.h"

enum arg_type {
	T_NAME,	       /* a new name being declared */
	T_DEV,	       /* a declared device */
	T_BRIDGE,      /* a declared bridge or port (parent=) */
	T_IOMMU,       /* a declared iommu */
	T_DRIVER,      /* a built-in or declared driver */
	T_DOMAIN,      /* a domain handle, or default / blocking */
	T_DOMAIN_NONE, /* the same, or none */
	T_OUT_DOMAIN,  /* out field: binds a domain handle */
	T_COOKIE,      /* an owner cookie: any identifier */
	T_NUM,
	T_BOOL,	    /* 0 or 1 */
	T_STR,	    /* a string or an identifier */
	T_ADDR,	    /* DD.F */
	T_ENUM,	    /* one of spec->choices ("a|b|c") */
	T_ERRNO,    /* an errno name */
	T_PROFILES, /* profile names */
	T_DEVLIST,  /* device names */
};

struct arg_spec {
	const char *key;
	enum arg_type type;
	bool required;
	const char *choices; /* T_ENUM */
};

enum handle_type {
	H_DOMAIN,
};

struct handle {
	enum handle_type type;
	/* the object it names: the model's (id, serial) reference, looked
	 * up at each use (iommu_domain_lookup(): NULL once freed) */
	struct iommu_domain_ref ref;
	int line; /* the statement that binds it */
};

struct runner {
	const struct scenario *sc;
	const struct run_opts *opts;
	struct iommu_model *m;
	GHashTable *handles; /* name -> struct handle * */
	struct step_result *step;
	u64 value;		   /* what a returns_value verb returned */
	int contract_broken_since; /* line where the calls broke the API
				    * contract; 0 while it holds */
	int inconsistent_since;	   /* line where the kernel left its state
				 * inconsistent; 0 when consistent */
};

struct verb;
typedef int (*verb_exec_fn)(struct runner *r, const struct statement *st);

struct verb {
	const char *name;
	enum step_class cls;
	const struct arg_spec *args; /* terminated by a NULL key */
	verb_exec_fn exec;
	/* offsetof(struct iommu_profile, op) + 1 for profile-dependent
	 * entry points; 0 when the verb exists in every profile */
	size_t profile_op;
	bool model_only;    /* no guest equivalent (fault injection) */
	bool returns_value; /* the result is a value, not 0/-errno */
	bool after_boot;    /* setup verbs: also allowed after boot (hotplug) */
};

const struct verb *verb_find(const char *name);
bool verb_absent(const struct verb *v, const struct iommu_profile *p);
const struct arg_spec *verb_arg_spec(const struct verb *v, const char *key);

/* argument access once validated */
struct device *arg_dev(struct runner *r, const struct statement *st,
		       const char *key);
struct iommu_domain *arg_domain(struct runner *r, const struct statement *st,
				const char *key, int *err);
const char *arg_str(const struct statement *st, const char *key,
		    const char *def);
uint64_t arg_num(const struct statement *st, const char *key, uint64_t def);
bool arg_has(const struct statement *st, const char *key);
void bind_handle(struct runner *r, const struct statement *st, const char *key,
		 void *ptr);
int parse_addr(const char *s, u8 *devfn);

/* setup.c: drivers every scenario knows; the first three are
 * driver_managed_dma */
extern const char *const builtin_drivers[];
void register_builtin_drivers(struct iommu_model *m);
/* validate.c: the statement's only= allows @profile */
bool stmt_applies(const struct statement *st, const char *profile);

/* checks.c */
int check_exec(struct runner *r, const struct statement *st);
/* state.c: snapshot for "what changed" */
char *state_snapshot(struct iommu_model *m);
char *state_diff(const char *before, const char *after);
char *domain_str(struct iommu_group *g, struct iommu_domain *d);
char *sysfs_view(struct iommu_model *m);

/* ops.c / setup.c exec functions are referenced from verbs.c */
extern const struct verb verb_table[];

#endif
