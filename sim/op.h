/* SPDX-License-Identifier: MIT */
/*
 * op.h - the operation table: one row per verb of the scenario language
 * (sim/optable.c), read by everything that needs to know a verb: the
 * validator (validate.c), the runner (run.c), the checks (checks.c), the
 * trace (cli/trace.c), the guest program generator and the comparator
 * (hw/crosscheck/program.c, compare.c), the docs test
 * (tests/unit/sim/test_optable.c). Nothing about a verb is spelled
 * anywhere else; docs/scenario-language.md says how to add one.
 */
#ifndef IOMMUSIM_SIM_OP_H
#define IOMMUSIM_SIM_OP_H

#include <stddef.h>
#include <stdint.h>

#include "run.h"
#include "model/iommu.h"

struct iommu_profile;
struct runner;
struct mismatch;
struct handle_type; /* sim/handles.c: what a handle names (a domain, ...) */

enum arg_type {
	T_NAME,	    /* a new name declared in spec->ns */
	T_DEV,	    /* a declared device */
	T_BRIDGE,   /* a declared bridge or port (parent=) */
	T_IOMMU,    /* a declared iommu */
	T_DRIVER,   /* a built-in or declared driver */
	T_HANDLE,   /* a handle of spec->htype, or one of spec->choices */
	T_OUT,	    /* out field: binds a new handle of spec->htype, or
		     * (numeric outputs) asserts the value: out_len=0x1000 */
	T_COOKIE,   /* an owner cookie: any identifier */
	T_NUM,	    /* a number */
	T_BOOL,	    /* 0 or 1 */
	T_STR,	    /* a string or an identifier */
	T_ADDR,	    /* DD.F */
	T_ENUM,	    /* one of spec->choices ("a|b|c") */
	T_ERRNO,    /* an errno name */
	T_PROFILES, /* profile names */
	T_DEVLIST,  /* device names */
	T_FLAGS,    /* uapi flags: a number, or names from spec->choices
		     * ("A|B|C": bit 0, 1, 2), one or a list (A,C) */
	T_CODE,	    /* a uapi enum value: a number, or a name from
		     * spec->choices ("GET|SET": 0, 1) */
	T_NUMLIST,  /* numbers, one or a list (allowed_iovas=s,l,s,l) */
	T_DIRECT,   /* firmware direct ranges, START-LAST[:relaxable], one
		     * or a list (pci_device direct=) */
};

/* The namespaces a T_NAME argument declares into. */
enum name_ns {
	NS_NONE,
	NS_DEVICE,
	NS_IOMMU,
	NS_DRIVER,
};

/* How the guest spells an argument or how the comparator reads a check
 * field the agent printed (hw/crosscheck/program.c, compare.c). */
enum guest_form {
	GF_AS_TYPE, /* handles as table slots, cookies as numbers, drivers as
		     * the guest's; anything else as written */
	GF_DRIVER,  /* a driver name (or none) to translate */
	GF_RANK,    /* a group number: compared as its rank among the
		     * scenario's groups when the agent prints rank= */
	GF_BDF,	    /* BB:DD.F: the guest prints it with its domain 0000: */
	GF_BYTE,    /* a pattern: the byte the agent found in value= */
	GF_PADDR,   /* a physical address the guest must set aside (memmap=)
		     * for the length in the row's GF_PLEN argument */
	GF_PLEN,    /* the length of the GF_PADDR range */
	GF_MODEL,   /* what no interface of the guest shows (a device's
		     * reach, model/reach.h): not compared there */
	GF_DEV_DOM, /* a domain handle as GF_AS_TYPE, read from dev_domain=
		     * where the agent prints it: the device's own domain
		     * (iommu_driver_get_domain_for_dev(): blocking while a
		     * PCI reset parks it), not its group's */
};

struct arg_spec {
	const char *key;
	enum arg_type type;
	bool required;
	const char *choices; /* T_ENUM: "a|b|c"; T_HANDLE: names that stand
			      * for an object (default|blocking|none) */
	/* explore: the values a search tries where the type alone does not
	 * say ("a|b": a sysfs attribute's or a module parameter's known
	 * values, the PASIDs, the fault cookies); the language accepts any
	 * value of the type (explore_args.c) */
	const char *values;
	/* not 0: this argument and the others of its row with the same
	 * number are alternatives, exactly one of them given (vfio_open's
	 * path=, group_of=, cdev_of=): the validator says so, the explorer
	 * picks one */
	unsigned char one_of;
	const struct handle_type *htype; /* T_HANDLE, T_OUT */
	/* T_HANDLE: a second and third type it takes (pt_id: an IOAS, a
	 * HWPT or a vIOMMU) */
	const struct handle_type *htype_alt, *htype_alt2;
	enum name_ns ns; /* T_NAME */
	uint64_t max;	 /* T_NUM: at most this (0: any) */
	/* checks: compares this field with what the model shows; NULL for
	 * the arguments that select what is checked (dev=, attr=) */
	void (*check)(struct runner *r, const struct statement *st,
		      const struct arg *a, struct mismatch *mm);
	enum guest_form guest;
	/* a field of the row's uapi struct (.uapi_size): where the value
	 * goes (arguments) or is read back from (out fields), and its width
	 * in bytes (1, 2, 4, 8); 0: not a uapi field (uapi.c) */
	uint16_t off, width;
};

/* How a verb's result reads (run.c to_outcome()). */
enum op_result {
	RES_STATUS, /* 0 / -errno / WARN */
	RES_VALUE,  /* a value (iommu_unmap's bytes): => 0x1000 */
	RES_FAULT,  /* 0 / -errno, or a DMA fault (FAULT_NOT_PRESENT) */
};

/* How a verb runs in the QEMU guest. */
enum guest_kind {
	GUEST_NO,	  /* no guest equivalent (yet): .why says why */
	GUEST_RUNS,	  /* the agent runs .verb (default: the row's name) */
	GUEST_DISPLAY,	  /* only shows model state: skipped, not compared */
	GUEST_MODEL_ONLY, /* cannot happen in a real kernel (fault
			   * injection): the scenario is model-only */
	GUEST_PENDING,	  /* runs in the guest as .verb once the agent has
			   * its row (the iommufd verbs: issue 8 item 9);
			   * skipped like GUEST_NO until then, .why says so */
};

/* What the agent's answer is compared as (hw/crosscheck/compare.c). */
enum guest_result {
	GR_RET,	  /* ret (0, -ERRNO, a value) and warn */
	GR_DMA,	  /* dma=ok|other|refused|unknown: what the bytes show */
	GR_NODES, /* nodes="PATH,...": the same entries as the model's
		   * listing (its detail, one a line) */
};

struct op_guest {
	enum guest_kind kind;
	const char *verb; /* the agent's verb; NULL: the row's name */
	/* "gkey=key ...": the only arguments the guest gets and their
	 * names there; NULL: every argument as written */
	const char *pass;
	const char *dev_model; /* runs only on a device of this QEMU model */
	enum guest_result result;
	const char *why; /* GUEST_NO / GUEST_MODEL_ONLY: why */
};

typedef int (*op_exec_fn)(struct runner *r, const struct statement *st);

struct op {
	const char *name;
	enum step_class cls;
	const struct arg_spec *args; /* terminated by a NULL key */
	/* the handler: calls the model entry point and returns what it
	 * returned; out fields through op_out() */
	op_exec_fn exec;
	enum op_result result;
	/* IOMMU_OP(op) (model/profile.h) for the verbs that some profile
	 * lacks ("absent"); 0 when the verb exists in every one */
	unsigned long long profile_op;
	bool after_boot; /* setup verbs allowed after boot (hotplug) */
	bool boots;	 /* the boot statement */
	bool first_only; /* only as the first statement (scenario) */
	/* declares a device of this kind (before boot; after boot a hotplug) */
	bool device;
	enum dev_kind dev_kind;
	/* the verb removes the device named by dev= (its address is free) */
	bool removes_dev;
	/* fork: the steps up to exit run in a forked child; exit ends it.
	 * in_child: the verb is the calling process's own (an ioctl on an
	 * fd it inherited, its memory, files, credentials) and may run in
	 * the child; other operations are the machine's, bad input there */
	bool forks, exits, in_child;
	/* an in-kernel call only a group's DMA owner makes (it sets the
	 * group's domain or releases its claim; the kernel checks no
	 * caller): made on a group VFIO or iommufd owns, the runner notes
	 * the caller's breach (iommu_check_caller()) and what breaks after
	 * it is the caller's, not a finding */
	bool owner_only;
	/* ioctls: the size of the uapi struct the arguments fill (iommufd's
	 * struct iommu_ioas_alloc, ...); 0 for kernel-internal verbs */
	size_t uapi_size;
	struct op_guest guest;
	/* a rule between arguments the specs cannot say (which union
	 * fields an op= takes): NULL if the statement keeps it, else the
	 * argument that breaks it, *why saying how (static text) */
	const struct arg *(*arg_rule)(const struct statement *st,
				      const char **why);
	/* a verb whose @selector argument (a T_CODE whose row names the
	 * .values a search tries) picks which of its other arguments it
	 * takes (IOMMU_TEST_CMD's op= and the union member it names):
	 * @takes says whether @key goes with @code. The validator refuses
	 * the others; explore makes each code a verb of its own, of the
	 * arguments that code takes. */
	const char *selector;
	bool (*takes)(uint64_t code, const char *key);
	/* The Linux 7.3 function the verb models, as "FILE:FUNCTION" in the
	 * 7.3 tree; ", " between two when two paths reach it (VFIO's
	 * container and iommufd's compat). `help VERB` prints it;
	 * test_optable greps the 7.3 tree for each, so a wrong name fails. */
	const char *kfunc;
	/* no 7.3 function stands behind the verb (a check, the machine's
	 * description, the model's own fault injection): why; exactly one
	 * of .kfunc and .kfunc_none is set */
	const char *kfunc_none;
};

/* The table, terminated by a NULL name. */
extern const struct op op_table[];

const struct op *op_find(const char *name);
bool op_absent(const struct op *op, const struct iommu_profile *p);
const struct arg_spec *op_arg(const struct op *op, const char *key);
/* The agent's verb for @op. */
const char *op_guest_verb(const struct op *op);
/* A handle type's name, its guest spelling prefix ("d" for dN) */
const char *handle_type_name(const struct handle_type *t);
const char *handle_type_guest_prefix(const struct handle_type *t);

#endif
