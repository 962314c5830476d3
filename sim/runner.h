/* SPDX-License-Identifier: MIT */
/*
 * runner.h - sim's private header: the state a run keeps beside the model
 * (handles, the current step, its out fields) and what the handlers of
 * the operation table (op.h) use to read their arguments.
 */
#ifndef IOMMUSIM_SIM_RUNNER_H
#define IOMMUSIM_SIM_RUNNER_H

#include "op.h"
#include "model/iommu.h"
#include "model/profile.h"

/* ---- handles.c: typed handles ---- */

/*
 * What a handle keeps of the object it names: enough for the handle type
 * to find the object again, or to tell that it is gone (freed, even when
 * a newer object took its id): a handle never holds a bare pointer.
 */
struct handle_ref {
	unsigned int id;
	uint64_t serial;
};

/*
 * A type of object a handle can name: domains today; iommufd ids, ctx
 * fds and VFIO fds are further rows of the same shape. An out field
 * declares the type it binds (arg_spec.htype), a handle argument the
 * type it takes; the validator, the runner and the checks go through
 * these functions only.
 */
struct handle_type {
	const char *name;	  /* "domain": in messages */
	const char *guest_prefix; /* the guest's slot spelling: "d" -> d0 */
	/* a number (an id, an fd) the scenario may also assert:
	 * out_ioas_id=1; objects (domains) are only bound */
	bool numeric;
	/* an argument of this type takes a handle of any numeric type (an
	 * iommufd id whatever its object: IOMMU_DESTROY id=) */
	bool any_numeric;
	/* a file descriptor of the process: left out, the argument is 0,
	 * which names a file too (the standard input), not "none" */
	bool fd;
	/* the argument an identifier from spec->choices resolves through
	 * ("dev": default names the default domain of dev='s group), and
	 * what it names, for the message when it is missing */
	const char *names_need, *names_what;
	struct handle_ref (*ref)(void *obj);
	/* the live object, NULL when it is gone */
	void *(*lookup)(struct runner *r, struct handle_ref ref);
	/* the object an identifier names for an operation: refuses with
	 * IOMMU_UB where the kernel would dereference nothing */
	int (*named)(struct runner *r, const struct statement *st,
		     const char *name, void **out);
	/* the same for a check: NULL where there is none, no refusal */
	void *(*peek_named)(struct runner *r, const struct statement *st,
			    const char *name);
	/* how the trace shows an object (domain#3($d, unmanaged)) */
	char *(*show)(struct runner *r, const struct statement *st, void *obj);
	/* the scenario's name for the object, for traces */
	void (*label)(struct runner *r, void *obj, const char *name);
};

struct handle {
	const struct handle_type *type;
	struct handle_ref ref;
	uint64_t value; /* numeric handles */
	int line;	/* the statement that binds it */
	/* a file descriptor (handle_type.fd) closed by `close`: its number
	 * may since name another file */
	bool closed;
};

extern const struct handle_type ht_domain;
/* The scenario's name ("$ioas") of the numeric handle of @t bound to
 * @value most recently, or NULL; newly allocated. */
/* fd @value of the process was closed: every handle of a file
 * descriptor type bound to it is marked closed. */
void handles_fd_closed(struct runner *r, uint64_t value);
/* @key of @st is a handle bound once whose file is closed (a process
 * fd's `close`, a VFIO file's `vfio_close`, an iommufd's
 * `iommufd_close`): its number may name another file since */
bool handle_closed(struct runner *r, const struct statement *st,
		   const char *key);
/* sim/vfio.c: ioctl(@fd, @cmd, @arg) of a closed handle's number: the
 * file the process's table holds there now (a VFIO or /dev/iommu file
 * answers; another -ENOTTY, none -EBADF); *copied as
 * iommufd_ioctl_copied()'s */
int run_fd_ioctl(struct runner *r, int fd, unsigned int cmd, void *arg,
		 size_t len, size_t *copied);
/* @st names, where a file goes (not where a number goes: IOMMU_DESTROY
 * id=), a file descriptor that was never bound (its step failed: the
 * number is 0, the guest agent's standard input), or one that has been
 * closed in a verb that reads or writes the file (its number may name a
 * VFIO device file since, whose read the model does not have): the
 * explorer prunes it (docs/explore.md). A closed one elsewhere names
 * whatever file took its number, in the model's one table as in the
 * agent's process. */
bool stmt_names_unusable_fd(struct runner *r, const struct statement *st);
char *handle_name_of(struct runner *r, const struct handle_type *t,
		     uint64_t value);
/* sim/ifd.c: iommufd ctx fds, object ids, the process's buffers */
extern const struct handle_type ht_iommufd, ht_ioas, ht_hwpt, ht_idev,
	ht_viommu, ht_vdevice, ht_veventq, ht_hw_queue, ht_anyid, ht_buffer,
	ht_memfd, ht_fault, ht_stdev, ht_access_fd, ht_access_pages;
extern const struct handle_type ht_vfio_fd;

/* The object a T_HANDLE argument names; NULL with *err set (IOMMU_UB:
 * never bound, freed) or for a name that means NULL (none). */
void *handle_arg(struct runner *r, const struct statement *st, const char *key,
		 int *err);
/* The number a T_HANDLE argument of a numeric type stands for: the
 * value its handle was bound to, or the number written (a stale or wrong
 * id is the kernel's to refuse: ENOENT). */
uint64_t handle_num(struct runner *r, const struct statement *st,
		    const char *key);
/* An fd argument of a VFIO struct: its handle's number or the number
 * written, -1 for "none" (the uapi's "no eventfd") */
int32_t handle_fd_or_none(struct runner *r, const struct statement *st,
			  const char *key);
/* What a handle-or-name value of a check names; *bound false (and NULL)
 * for a handle no step bound. */
void *handle_peek(struct runner *r, const struct statement *st,
		  const struct arg_spec *spec, const struct value *v,
		  bool *bound);
/* A handler's out field: the object (or number) the step produced. */
void op_out(struct runner *r, const char *key, void *obj, uint64_t value);
/* After a successful step: bind the out fields' handles, compare the
 * asserted ones; false with sr->failure set when one differs. After a
 * failed one (@ret): compare the asserted numbers with what the kernel
 * copied back before failing (r->outs_after_error), a failure when it
 * copied nothing; handles never bind. */
bool op_outs_apply(struct runner *r, const struct op *op,
		   struct step_result *sr, int ret);

/* ---- uapi.c: verbs that are ioctls ---- */

/* The row's uapi struct (op->uapi_size bytes, g_free() it) filled from
 * the statement: zeroed, the first u32 the struct's size (iommufd's size,
 * VFIO's argsz), every argument with a .width at its .off. */
void *uapi_fill(struct runner *r, const struct op *op,
		const struct statement *st);
/* After the call: every out field with a .width, read back as the step's
 * out value (op_out()). */
void uapi_outs(struct runner *r, const struct op *op, const void *buf);
/* The caller's own memory for a call: its struct as long as its size or
 * argsz says, the array behind a user pointer. Modelled memory, charged
 * to the budget (--memory-limit) while the call runs: past it the
 * process has no such buffer, the call is never made and the step fails
 * with -ENOMEM (*err), the state as before. Free with user_buffer_free().
 */
void *user_buffer(struct runner *r, uint64_t bytes, const char *what, int *err);
void user_buffer_free(struct runner *r, void *buf, uint64_t bytes);

/* ---- the run ---- */

#define OP_MAX_OUTS 16

struct op_out_value {
	const char *key;
	void *obj;
	uint64_t value;
};

struct runner {
	const struct scenario *sc;
	const struct run_opts *opts;
	struct iommu_model *m;
	GHashTable *handles; /* name -> struct handle * */
	/* run.c: the table is a session copy's as well (a search copies
	 * thousands of times; most copies bind nothing): whichever binds
	 * first makes its own (run_handles_own()) */
	bool handles_shared;
	struct step_result *step;
	u64 value; /* what a RES_VALUE verb returned */
	struct op_out_value outs[OP_MAX_OUTS]; /* this step's out fields */
	int nouts;
	/* the step failed after the kernel copied its struct back
	 * (iommufd_ioctl_copied()): outs[] is what the caller may read */
	bool outs_after_error;
	int contract_broken_since; /* line where the calls broke the API
				    * contract; 0 while it holds */
	int inconsistent_since;	   /* line where the kernel left its state
				 * inconsistent; 0 when consistent */
	/* line where an in-kernel caller changed a group another subsystem
	 * owns for user DMA (op.owner_only, iommu_check_caller()); 0 if
	 * none did on this path. What breaks after it is the caller's. */
	int trespass_since;
	struct sim_ifd *ifd;   /* ifd.c: iommufd ctxs, bound devices, the
			      * process; NULL until a verb needs it */
	struct sim_vfio *vfio; /* vfio.c: the VFIO files opened */
	/* run.c: the steps run, and whether this one is also checked
	 * against the whole machine (what the touched record may miss) */
	unsigned long nsteps;
	bool verify;
};

/* handles.c: whether a session copy may share @t (every handle names
 * the same object in the copy), and r->handles made r's own before a
 * bind writes it */
bool run_handles_shareable(GHashTable *t);
void run_handles_own(struct runner *r);

/* run.c: a live session's runner (the explorer reads its iommufd side) */
struct run_session {
	struct runner r;
	struct run_opts opts;
};
struct runner *run_session_runner(struct run_session *s);
/* run.c: a handle table's value destructor (a session's, its copy's:
 * run_copy.c) */
void handle_free(gpointer p);

/* ---- ifd.c: the iommufd side of a run ---- */
struct sim_ifd;
struct process;
struct iommufd_ctx;
struct sim_ifd *ifd_state(struct runner *r);
struct process *ifd_task(struct runner *r);
/* The process waiting for the forked child that runs now, or NULL */
struct process *ifd_parent(struct runner *r);
int op_exit(struct runner *r, const struct statement *st);
/* At the end of a run: unbind what is bound, close what is open. */
void ifd_free(struct runner *r);
/* After a step: the ctxs released by a reference not the runner's */
void ifd_forget_released(struct runner *r);
/* @r's iommufd side into @to (a runner without one yet) over the
 * model's copy @c: the processes, each ctx's and bound device's record
 * (the copy's ctx and iommufd_device), entered old -> new in @objs for
 * the handles. ifd_discard() frees such a copy without touching the
 * model (a copy refused after it was made); ifd_copy_refusal() names
 * what cannot be copied (a preload shim's process), or NULL. */
struct iommu_copy;
void ifd_copy(struct runner *to, const struct runner *r, struct iommu_copy *c,
	      GHashTable **objs);
void ifd_discard(struct runner *r);
const char *ifd_copy_refusal(const struct runner *r);
/* The iommufd part of the state snapshot (objects, users, igroups,
 * areas, pinned pages, the process's counters); "" without iommufd. */
void ifd_snapshot(struct runner *r, GString *s);
/* The same facts hashed from the structures, 0 when the snapshot is
 * empty: equal snapshots hash alike (test_state_hash.c) */
u64 ifd_state_hash(struct runner *r);
/* Whether the iommufd side is in the key (the snapshot not empty); the
 * hash for a symmetric key (ctxs without their labels, devices by their
 * place in @canon's order, model/state.h) and what it notes of each
 * device for that order */
bool ifd_in_key(struct runner *r);
struct iommu_canon;
u64 ifd_state_hash_canon(struct runner *r, const struct iommu_canon *canon);
void ifd_canon_note(struct runner *r, struct iommu_canon *c);
/* sim/vfio.c: the kernel's taint, a line when tainted */
void vfio_snapshot(struct runner *r, GString *s);
/* ictx=: the ctx of an open fd (*err: IOMMU_UB for a closed one) */
struct iommufd_ctx *ifd_ctx_arg(struct runner *r, const struct statement *st,
				int *err);
/* checks: ictx= / idev= without refusing; NULL when gone */
struct iommufd_ctx *ifd_ctx_peek(struct runner *r, const struct statement *st);
struct iommufd_device;
struct iommufd_device *ifd_idev_peek(struct runner *r,
				     const struct statement *st);
/* An ht_idev object for a device VFIO bound: @resolve(@data) is its
 * iommufd_device while bound, NULL after (the handle is then gone) */
void *ifd_idev_resolved(struct runner *r,
			struct iommufd_device *(*resolve)(struct runner *r,
							  void *data),
			void *data);
/* An ht_iommufd handle's object (handle_arg()): its ctx, and the fd the
 * same file has in VFIO's table (made on first use) */
struct iommufd_ctx *ifd_ctx_of(void *ctx);
/* For pictures: the run's @i-th ctx (in open order) with its handle name
 * and whether the process still has its fd; NULL once the model released
 * it or past the last (*more false). */
struct iommufd_ctx *ifd_ctx_nth(struct runner *r, guint i, const char **label,
				bool *open, bool *more);
int ifd_ctx_vfio_fd(struct runner *r, void *ctx);

/* ---- vfio.c: VFIO's files of a run ---- */
struct sim_vfio;
/* At the end of a run, before ifd_free(): the process's VFIO fds close
 * in fd order, as its exit does. */
void vfio_sim_free(struct runner *r);
/* @r's VFIO files into @to over the model's copy @c, each record entered
 * old -> new in @objs; vfio_sim_discard() frees such a copy alone. */
void vfio_sim_copy(struct runner *to, const struct runner *r,
		   struct iommu_copy *c, GHashTable **objs);
/* @objs of a session copy: made on the first record (most searches have
 * none: the core's), old -> new */
static inline void copy_note(GHashTable **objs, const void *old, void *new)
{
	if (!*objs)
		*objs = g_hash_table_new(g_direct_hash, g_direct_equal);
	g_hash_table_insert(*objs, (void *)old, new);
}
static inline void *copy_noted(GHashTable *objs, const void *old)
{
	return objs ? g_hash_table_lookup(objs, old) : NULL;
}
void vfio_sim_discard(struct runner *r);

/* ---- args.c: argument access once validated ---- */
/* A T_FLAGS / T_CODE / T_NUMLIST argument's value (validated). */
uint64_t arg_flags(const struct statement *st, const char *key);
uint64_t arg_code(const struct statement *st, const char *key, uint64_t def);
GArray *arg_numlist(const struct statement *st, const char *key);
/* An operation @st names a device device_del removed or one no PCI scan
 * found (what the validator refuses in a file, validate_names.c
 * check_not_removed(); the explorer's generated statements are checked
 * here, against the state they run on) */
bool stmt_names_removed(struct runner *r, const struct statement *st);
/* @st declares a device (a hotplug) whose name or address on its bus a
 * device the machine has now holds: bad input in a file (validate.c),
 * what the explorer's generated statements are checked against */
bool stmt_declares_taken(struct runner *r, const struct statement *st);
/* @st hotplugs a PCI device while a removal that waits holds
 * pci_rescan_remove_lock: the device whose removal holds it (the rescan
 * would wait behind it, which the model does not run: refused when it
 * runs, pruned by the explorer), else NULL */
struct device *stmt_hotplug_waits(struct runner *r, const struct statement *st);
struct device *arg_dev(struct runner *r, const struct statement *st,
		       const char *key);
const char *arg_str(const struct statement *st, const char *key,
		    const char *def);
uint64_t arg_num(const struct statement *st, const char *key, uint64_t def);
bool arg_has(const struct statement *st, const char *key);
int parse_addr(const char *s, u8 *devfn);
/* A firmware direct range, START-LAST or START-LAST:relaxable (pci_device
 * direct=): -1 unless it reads so with START <= LAST */
int parse_direct_range(const char *s, struct iommu_fw_direct *r,
		       bool *relaxable);
/* a statement's direct= ranges into @dev (validated: at most
 * IOMMU_FW_DIRECT_MAX) */
void arg_direct(const struct statement *st, struct device *dev);

/* setup.c: a kconfig statement's VFIO/IOMMUFD symbols as a request */
struct vfio_kconfig_req;
void kconfig_request(const struct statement *st, struct vfio_kconfig_req *req);

/* validate.c: the statement's only= allows @profile */
bool stmt_applies(const struct statement *st, const char *profile);

/* checks.c: a check's mismatches ("field: expected X, got Y; ...") */
struct mismatch {
	GString *s;
};
void expect_str(struct mismatch *mm, const char *field, const char *want,
		const char *got);
void expect_num(struct mismatch *mm, const char *field, uint64_t want,
		uint64_t got);
int check_done(struct runner *r, struct mismatch *mm);
/* checks.c: a check row's handler (check_group: its group first) */
int check_exec(struct runner *r, const struct statement *st);
int check_group_exec(struct runner *r, const struct statement *st);

#endif
