/* SPDX-License-Identifier: MIT */
/*
 * run.h - executing a scenario on the model, step by step.
 *
 * scenario_check() validates a parsed scenario against the operation
 * table (op.h, optable.c) for one profile without running anything: unknown verbs,
 * devices, drivers, handles, argument types, missing expectations under
 * --strict. scenario_run() then executes it and returns one step_result
 * per statement, which trace.c prints and hw/ compares with a guest.
 */
#ifndef IOMMUSIM_SIM_RUN_H
#define IOMMUSIM_SIM_RUN_H

#include "model/events.h"
#include "scenario.h"

struct iommu_model;
struct runner;
struct step_result;
struct process;

struct run_opts {
	const char *profile;   /* the default profile unless set */
	bool strict;	       /* every operation must state its expectation */
	bool allow_absent;     /* absent verbs need no "absent" expectation */
	unsigned int fail_nth; /* fail the Nth page-table allocation, 0: off */
	uint64_t memory_limit; /* modelled memory budget in bytes, 0: default */
	/* Called after each step with the model as the step left it (hw/
	 * builds its QEMU machine from the booted model); NULL: none. */
	void (*observe)(void *data, const struct iommu_model *m,
			const struct step_result *sr);
	void *observe_data;
	/* the same with the runner, for what only the run knows: its
	 * iommufd ctxs and the scenario's handle names (view/ draws them;
	 * runner.h ifd_ctx_nth(), handle_name_of()) */
	void (*observe_run)(void *data, struct runner *r,
			    const struct step_result *sr);
	/* when set: the iommufd side of the state (its ctxs, bound devices,
	 * the process: sim/ifd.c) after each step, before observe() (an
	 * explorer's visited set; the model's hash does not see it) */
	GString *ifd_state;
	/* no "changed:" (step_result.changes stays NULL): the snapshots
	 * before and after every step are most of a run's cost, and an
	 * explorer's replays never show them */
	bool no_changes;
	/* no why and no inner steps either (iommu_model.quiet): a step's
	 * result is its outcome and failure only; an explorer's search
	 * reads nothing else (its counterexample is run again in full) */
	bool quiet;
	/* run_session_new(): the scenario was validated already (an
	 * explorer validates its prefix once, not per replay) */
	bool prechecked;
	/* when set: the run hands its machine over instead of freeing it,
	 * after closing what the scenario's own steps left open: *keep_model
	 * (iommu_model_free() it) and *keep_task, the scenario's process
	 * with its capabilities and memlock limit (process_put() it). A
	 * preload shim serves a program from them (preload/). */
	struct iommu_model **keep_model;
	struct process **keep_task;
	/* Every Nth step's changes and invariants are also computed over
	 * the whole machine and must agree with what the step's touched
	 * record gives (model/core/touched.c), and so is the state after
	 * the last step; 0: every step on a machine of up to 256 devices,
	 * else every 1000th. */
	unsigned int full_check_every;
};

enum step_class {
	STEP_SETUP, /* topology and configuration */
	STEP_OP,    /* an operation with a result */
	STEP_CHECK, /* a state assertion */
};

struct op;

/* An out field's value as the step produced it (hw/ compares them with
 * the guest's through mappings: ids, kernel-chosen IOVAs). */
struct step_out {
	const char *key; /* the row's arg_spec key */
	uint64_t value;
};

struct step_result {
	const struct statement *st;
	const struct op *op; /* its row of the operation table (op.h) */
	enum step_class cls;
	struct outcome got;		/* OUT_NONE for setup steps */
	const struct outcome *expected; /* NULL if none stated */
	bool pass;			/* expectation (or check) held */
	bool skipped;	     /* only= excludes the profile: not run */
	char *why;	     /* the kernel function and condition behind it */
	char *changes;	     /* what changed in the model's state, or NULL */
	char *failure;	     /* why the step failed, or NULL */
	char *detail;	     /* extra result text (a check's observed values) */
	char *contract_note; /* the step broke the API contract: how */
	bool met_injection;  /* the injected allocation failure hit here */
	/* the kernel's own failure path leaves state changed (7.3's failed
	 * iommufd replace within one IOAS drops reserved regions) */
	bool kernel_not_atomic;
	GArray *outs; /* struct step_out of a successful step, or NULL */
	/* struct iommu_event (model/iommu.h): the steps inside the
	 * operation, or NULL (sim/events.c renders them) */
	GArray *events;
	/* a dump step's table as data (pt/amdv1.h), or NULL; detail has
	 * the same as text */
	struct pt_amdv1_dump_data *dump;
	/* devices with unsafe reach after the step: no IOMMU translates
	 * them and userspace holds them, the kernel tainted (reach.h) */
	unsigned int unsafe_reach;
	/* an invariant or isolation broke after an in-kernel caller broke a
	 * DMA owner's contract (runner.trespass_since): a note, not a
	 * failure */
	bool caller_broken;
};

struct run_result {
	const char *profile;
	GPtrArray *steps; /* struct step_result * */
	int failures;
	bool guest_runnable; /* scenario guest=yes (default) */
	char *guest_why;
};

/* Validate; false with @err (file:line:col) on bad input. */
bool scenario_check(const struct scenario *sc, const struct run_opts *opts,
		    GError **err);
/* Validate and run; NULL with @err on bad input (nothing run). */
struct run_result *scenario_run(const struct scenario *sc,
				const struct run_opts *opts, GError **err);
void run_result_free(struct run_result *rr);
void step_result_free(struct step_result *sr);

/*
 * A live run, for a caller that picks its statements as it goes (the
 * explorer, sim/explore.c): run_session_new() validates @sc (unless
 * opts->prechecked) and runs it; run_session_step() runs one more
 * statement, parsed on its own (its handles are checked at run time: an
 * unbound one is undefined behaviour, the step's failure says so). The
 * statements must outlive the session; @opts is copied.
 */
struct run_session;
struct run_session *run_session_new(const struct scenario *sc,
				    const struct run_opts *opts, GError **err);
struct step_result *run_session_step(struct run_session *s,
				     const struct statement *st);
const struct iommu_model *run_session_model(const struct run_session *s);
/* An exact copy of @s between two steps (its model by iommu_model_copy(),
 * its handles, its iommufd side and the run's own state): the same next
 * step gives the same result on both. NULL while the run holds what the
 * copy does not cover (the iommufd selftest's mocks, an iommufd object
 * kind model/iommufd/copy.c does not copy, a preload shim's process):
 * replay the statements instead. The _why form says why in *why (@why
 * may be NULL; g_free() it). */
struct run_session *run_session_copy(const struct run_session *s);
struct run_session *run_session_copy_why(const struct run_session *s,
					 char **why);
void run_session_free(struct run_session *s);

/* The profiles a scenario declares (its "scenario profiles=" statement),
 * default { the default profile }; a NULL-terminated array to g_strfreev(). */
char **scenario_profiles(const struct scenario *sc);

/* The statement declares a device (a DEVICE row of the verb table):
 * before boot, or a hotplug after it. */
bool stmt_declares_device(const struct statement *st);

/* Text form of an outcome: ok, EPERM, 0x1000, WARN, EBUSY+WARN, absent. */
char *outcome_str(const struct outcome *o);

/* events.c: the steps inside an operation, one a line ("  f1: attach_dev
 * to $d (unmanaged): EINVAL"), or NULL; a copy of the model's log (NULL
 * when empty); an event kind's name for JSON */
char *step_events_text(const struct step_result *sr);
GArray *step_events_copy(const GArray *events);
const char *step_event_kind_name(int kind);
bool outcome_equal(const struct outcome *a, const struct outcome *b);

#endif
