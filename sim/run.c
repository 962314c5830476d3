// SPDX-License-Identifier: MIT
/*
 * run.c - executing a validated scenario on the model: one step_result
 * per statement, with the result, the expectation, the kernel's reason,
 * what changed, and the invariants checked after every operation.
 */
#include <stdio.h>
#include <string.h>

#include "runner.h"
#include "model/reach.h"
#include "model/state.h"
#include "model/memory.h"
#include "pt/amdv1.h"
#include "errnames.h"
#include "model/core/kerrno.h"
#include "model/iommufd/process.h"

char *outcome_str(const struct outcome *o)
{
	const char *w = o->warn && o->kind != OUT_WARN ? "+WARN" : "";

	switch (o->kind) {
	case OUT_NONE:
		return g_strdup("-");
	case OUT_OK:
		return g_strdup(o->warn ? "WARN" : "ok");
	case OUT_ERRNO:
		return g_strdup_printf("%s%s", errno_name(o->err), w);
	case OUT_VALUE:
		if (o->value >= 0x1000)
			return g_strdup_printf("0x%" G_GINT64_MODIFIER "x%s",
					       o->value, w);
		return g_strdup_printf("%" G_GUINT64_FORMAT "%s", o->value, w);
	case OUT_WARN:
		return g_strdup("WARN");
	case OUT_ABSENT:
		return g_strdup("absent");
	case OUT_UB:
		return g_strdup("UB");
	case OUT_BLOCKS:
		return g_strdup("BLOCKS");
	case OUT_FAULT:
		return g_strdup_printf("%s%s", fault_name(o->err), w);
	}
	return g_strdup("?");
}

/* ok+WARN and WARN are the same thing: a void return after a WARN_ON */
static struct outcome norm(const struct outcome *o)
{
	struct outcome n = *o;

	if (n.kind == OUT_OK && n.warn)
		n.kind = OUT_WARN;
	if (n.kind == OUT_WARN)
		n.warn = true;
	return n;
}

bool outcome_equal(const struct outcome *a, const struct outcome *b)
{
	struct outcome x = norm(a), y = norm(b);

	if (x.kind != y.kind || x.warn != y.warn)
		return false;
	if (x.kind == OUT_ERRNO || x.kind == OUT_FAULT)
		return x.err == y.err;
	if (x.kind == OUT_VALUE)
		return x.value == y.value;
	return true;
}

/* The handler's return as the row says it reads. */
static struct outcome to_outcome(struct runner *r, const struct op *v, int ret)
{
	struct outcome o = { .warn = r->m->warned };

	if (ret == IOMMU_BLOCKS) {
		o.kind = OUT_BLOCKS;
	} else if (v->result == RES_FAULT && iommu_is_dma_fault(ret)) {
		o.kind = OUT_FAULT;
		o.err = ret;
	} else if (ret < 0) {
		o.kind = OUT_ERRNO;
		o.err = -ret;
	} else if (v->result == RES_VALUE) {
		o.kind = OUT_VALUE;
		o.value = r->value;
	} else {
		o.kind = o.warn ? OUT_WARN : OUT_OK;
	}
	return o;
}

static void judge(struct runner *r, struct step_result *sr)
{
	g_autofree char *got = outcome_str(&sr->got);
	g_autofree char *want = NULL;

	if (!sr->expected || outcome_equal(sr->expected, &sr->got))
		return;
	want = outcome_str(sr->expected);
	sr->pass = false;
	sr->failure = g_strdup_printf("expected %s, got %s", want, got);
}

/*
 * A broken invariant fails the step, unless the kernel itself left the
 * state so (a WARN_ON, or a path without rollback): then the trace notes
 * it, and later steps are not blamed until the state is consistent again.
 */
/* What the touched record missed is a model bug: the step fails. */
static void touched_missed(struct step_result *sr, const char *what,
			   const char *whole, const char *touched)
{
	char *msg = g_strdup_printf(
		"model bug: the step's touched record (model/core/touched.c) "
		"missed a change: over the whole machine its %s are \"%s\", "
		"over what it touched \"%s\"",
		what, whole ? whole : "", touched ? touched : "");

	sr->pass = false;
	if (sr->failure) {
		char *both = g_strdup_printf("%s; %s", sr->failure, msg);

		g_free(msg);
		msg = both;
	}
	g_free(sr->failure);
	sr->failure = msg;
}

/* @touched, or on a verified step the whole machine's answer when the
 * two differ (the step fails) */
static char *verified(struct runner *r, struct step_result *sr,
		      const char *what, char *touched,
		      char *(*whole)(struct iommu_model *))
{
	char *w;

	if (!r->m->touched) { /* nothing recorded: the whole machine's */
		g_free(touched);
		return whole(r->m);
	}
	/* a whole step's answer was computed over the whole machine */
	if (!r->verify || iommu_touched_whole(r->m))
		return touched;
	w = whole(r->m);
	if (g_strcmp0(w, touched))
		touched_missed(sr, what, w, touched);
	g_free(touched);
	return w;
}

static void add_contract_note(struct step_result *sr, char *note)
{
	char *both;

	if (!sr->contract_note) {
		sr->contract_note = note;
		return;
	}
	both = g_strconcat(sr->contract_note, "\n", note, NULL);
	g_free(sr->contract_note);
	g_free(note);
	sr->contract_note = both;
}

/* A broken contract is the scenario's doing: noted where it starts. */
static void check_contract(struct runner *r, struct step_result *sr)
{
	g_autofree char *bad = verified(r, sr, "broken contract",
					iommu_check_contract_touched(r->m),
					iommu_check_contract);

	if (!bad) {
		r->contract_broken_since = 0;
		return;
	}
	if (r->contract_broken_since)
		return;
	r->contract_broken_since = sr->st->line;
	add_contract_note(sr, g_strdup_printf("the calls so far break the "
					      "API's contract (the kernel "
					      "does not check): %s",
					      bad));
}

/* The isolation invariant (model/reach.h), over the whole machine: per
 * domain, not per device, each domain's walk kept until its table or
 * what it is held against changes (docs/model.md "Isolation"). A step
 * checked whole (every step of a machine up to 256 devices) checks it;
 * a wider machine's every Nth step and its last (final_check()). */
static char *check_isolation(struct runner *r, struct step_result *sr)
{
	struct iommu_isolation out;
	char *bad = iommu_check_isolation(r->m, &out), *iso;

	sr->unsafe_reach = out.unsafe;
	if (!bad)
		return NULL;
	iso = g_strdup_printf("isolation broken: %s", bad);
	g_free(bad);
	return iso;
}

/* A break the runner does not fail the step for: noted after the verb's
 * own text (sysfs_show, dump), not over it */
static void excused(struct step_result *sr, const char *what, int since,
		    const char *cause, const char *bad)
{
	const char *text = sr->detail ? sr->detail : "";
	char *note = g_strdup_printf(
		"%s%s%s since line %d (%s): %s", text,
		*text && !g_str_has_suffix(text, "\n") ? "\n" : "", what, since,
		cause, bad);

	g_free(sr->detail);
	sr->detail = note;
}

static void check_invariants(struct runner *r, struct step_result *sr)
{
	char *bad = verified(r, sr, "broken invariants",
			     iommu_check_invariants_touched(r->m),
			     iommu_check_invariants);
	char *iso = r->verify || !r->m->touched ? check_isolation(r, sr) : NULL;
	const char *kind = "invariant broken: ";

	if (bad && iso)
		g_free(iso);
	else if (iso) {
		bad = iso;
		kind = "";
	}
	check_contract(r, sr);
	if (!bad) {
		r->inconsistent_since = 0;
		return;
	}
	if (!r->inconsistent_since && (sr->got.warn || r->m->left_inconsistent))
		r->inconsistent_since = sr->st->line;
	if (r->inconsistent_since) {
		excused(sr, "state inconsistent", r->inconsistent_since,
			"the kernel left it so", bad);
	} else if (r->trespass_since) {
		excused(sr, "state broken", r->trespass_since,
			"a caller broke a DMA owner's contract there", bad);
		sr->caller_broken = true;
	} else if (sr->pass) {
		sr->pass = false;
		sr->failure = g_strconcat(kind, bad, NULL);
	}
	g_free(bad);
}

/* The iommufd side this run holds (its ctxs, bound devices and process:
 * sim/ifd.c) and the kernel's taint (sim/vfio.c): a few lines, as many
 * as the objects the scenario made */
static char *side_snapshot(struct runner *r)
{
	GString *s = g_string_new(NULL);

	ifd_snapshot(r, s);
	vfio_snapshot(r, s);
	return g_string_free(s, FALSE);
}

/* The model's state as the trace shows it, and the side's */
static char *run_snapshot(struct runner *r)
{
	g_autofree char *m = iommu_state_snapshot(r->m, IOMMU_STATE_TRACE);
	g_autofree char *side = side_snapshot(r);

	return g_strconcat(m, side, NULL);
}

/* What a step's "changed:" is computed against: the side's lines (the
 * model's are the touched record's), and on a verified step the whole
 * snapshot. Nothing when the caller wants no changes (an explorer's
 * replays: the text dominates). */
struct before {
	char *side, *whole;
};

static struct before snapshot_if(struct runner *r)
{
	struct before b = { NULL, NULL };

	if (r->opts->no_changes)
		return b;
	b.side = side_snapshot(r);
	if (r->verify || !r->m->touched)
		b.whole = run_snapshot(r);
	return b;
}

static void before_free(struct before *b)
{
	g_free(b->side);
	g_free(b->whole);
}

/* iommu_state_diff() over the run's snapshots, from the touched record:
 * the model's lines gained, the side's, then the groups released */
static char *changes_touched(struct runner *r, const struct before *b)
{
	g_autoptr(GString) added = g_string_new(NULL);
	g_autoptr(GString) side = g_string_new(NULL);
	g_autoptr(GString) released = g_string_new(NULL);
	g_autofree char *side_after = side_snapshot(r);

	iommu_touched_changes(r->m, added, released);
	iommu_state_diff_parts(b->side, side_after, side, released);
	if (added->len && side->len)
		g_string_append_c(added, '\n');
	g_string_append(added, side->str);
	if (added->len && released->len)
		g_string_append_c(added, '\n');
	g_string_append(added, released->str);
	return added->len ? g_strdup(added->str) : NULL;
}

static char *changes_since(struct runner *r, struct step_result *sr,
			   const struct before *b)
{
	g_autofree char *after = NULL;
	g_autofree char *whole = NULL;
	char *touched;

	if (!b->side)
		return NULL;
	after = b->whole ? run_snapshot(r) : NULL;
	if (!r->m->touched) /* nothing recorded: the whole snapshots' */
		return iommu_state_diff(b->whole, after);
	touched = changes_touched(r, b);
	if (!b->whole)
		return touched;
	whole = iommu_state_diff(b->whole, after);
	if (g_strcmp0(whole, touched))
		touched_missed(sr, "changes", whole, touched);
	return touched;
}

/* The out fields' values for hw/'s comparison (the handles bind them). */
static void keep_outs(struct runner *r, struct step_result *sr, int ret)
{
	if ((ret && !r->outs_after_error) || !r->nouts)
		return;
	sr->outs = g_array_new(FALSE, FALSE, sizeof(struct step_out));
	for (int i = 0; i < r->nouts; i++) {
		struct step_out o = { r->outs[i].key, r->outs[i].value };

		g_array_append_val(sr->outs, o);
	}
}

/* The kernel would dereference NULL or freed memory: the model refused
 * and left its state alone. A scenario that says '=> UB' expects that;
 * any other expectation fails, naming the behaviour. */
static void undefined(struct runner *r, struct step_result *sr)
{
	sr->got.kind = OUT_UB;
	if (sr->expected && sr->expected->kind == OUT_UB)
		return;
	sr->pass = false;
	sr->failure = g_strdup_printf("undefined behaviour in the kernel: %s",
				      r->m->why->str);
}

static void exec_op(struct runner *r, const struct op *v,
		    struct step_result *sr)
{
	const char *p = r->m->profile->name;
	struct before before = snapshot_if(r);
	char *caller;
	int ret;

	sr->expected = stmt_expect(sr->st, p);
	if (op_absent(v, r->m->profile)) {
		sr->got.kind = OUT_ABSENT;
		sr->why =
			g_strdup_printf("%s does not exist in %s", v->name, p);
		judge(r, sr);
		before_free(&before);
		return;
	}
	r->value = 0;
	r->nouts = 0;
	r->outs_after_error = false;
	caller = v->owner_only && !r->trespass_since
			 ? iommu_check_caller(r->m, arg_dev(r, sr->st, "dev"),
					      v->name)
			 : NULL;
	ret = v->exec(r, sr->st);
	if (caller && ret == 0) {
		r->trespass_since = sr->st->line;
		add_contract_note(
			sr, g_strdup_printf("an in-kernel caller breaks a DMA "
					    "owner's contract (the kernel "
					    "does not check): %s",
					    caller));
	}
	g_free(caller);
	ifd_forget_released(r);
	if (ret == IOMMU_UB) {
		undefined(r, sr);
		before_free(&before);
		return;
	}
	sr->got = to_outcome(r, v, ret);
	keep_outs(r, sr, ret);
	sr->kernel_not_atomic = r->m->left_inconsistent;
	sr->changes = changes_since(r, sr, &before);
	before_free(&before);
	if (sr->failure) /* the verb checked something itself (dma pattern) */
		sr->pass = false;
	else if (ret == 0 && !op_outs_apply(r, v, sr, 0))
		sr->pass = false;
	else
		judge(r, sr);
	/* a failed call's out fields once its errno is the one expected */
	if (ret < 0 && sr->pass && !op_outs_apply(r, v, sr, ret))
		sr->pass = false;
	check_invariants(r, sr);
}

/* Whether this step is also checked against the whole machine */
static bool verify_step(struct runner *r)
{
	unsigned int every = r->opts->full_check_every;

	if (!every)
		every = r->m->devices->len <= 256 ? 1 : 1000;
	return ++r->nsteps % every == 0;
}

static void exec_step(struct runner *r, struct step_result *sr)
{
	const struct op *v = op_find(sr->st->verb);
	bool armed = fault_armed(&r->m->fault);
	int ret;

	sr->op = v;
	sr->cls = v->cls;
	sr->pass = true;
	iommu_model_begin(r->m);
	if (!stmt_applies(sr->st, r->m->profile->name)) {
		sr->skipped = true;
		sr->detail = g_strdup("skipped: not for this profile");
		return;
	}
	if (v->cls == STEP_OP) {
		exec_op(r, v, sr);
	} else if (v->cls == STEP_CHECK) {
		ret = v->exec(r, sr->st);
		sr->pass = ret == 0;
	} else {
		struct before before = snapshot_if(r);

		ret = v->exec(r, sr->st);
		if (r->m->booted)
			sr->changes = changes_since(r, sr, &before);
		before_free(&before);
		sr->expected = stmt_expect(sr->st, r->m->profile->name);
		if (sr->expected) {
			sr->got = to_outcome(r, v, ret);
			judge(r, sr);
		} else if (ret) {
			sr->pass = false;
			sr->failure = g_strdup_printf("%s failed: %s", v->name,
						      errno_name(-ret));
		}
	}
	if (r->m->why->len && !sr->why)
		sr->why = g_strdup(r->m->why->str);
	/* the steps inside, for the trace (explore needs none) */
	if (!r->opts->no_changes)
		sr->events = step_events_copy(r->m->events);
	sr->met_injection = armed && !fault_armed(&r->m->fault);
}

void handle_free(gpointer p)
{
	g_free(p);
}

static void scenario_guest(const struct scenario *sc, struct run_result *rr)
{
	const struct statement *st =
		sc->stmts->len ? sc->stmts->pdata[0] : NULL;

	rr->guest_runnable = true;
	if (!st || strcmp(st->verb, "scenario"))
		return;
	rr->guest_runnable = strcmp(arg_str(st, "guest", "yes"), "no") != 0;
	rr->guest_why = g_strdup(arg_str(st, "why", NULL));
}

/* The runner's own state before the first statement. */
static struct run_session *session_start(const struct scenario *sc,
					 const struct run_opts *opts)
{
	struct run_session *s = g_new0(struct run_session, 1);
	struct runner *r = &s->r;
	const char *profile =
		opts->profile ? opts->profile : iommu_profile_default()->name;

	s->opts = *opts;
	r->sc = sc;
	r->opts = &s->opts;
	r->m = iommu_model_new(iommu_profile_find(profile));
	r->handles = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
					   handle_free);
	iommu_register_builtin_drivers(r->m);
	r->m->quiet = opts->quiet;
	ifd_state(r); /* the process exists before its first step */
	fault_arm(&r->m->fault, opts->fail_nth);
	iommu_memory_set_limit(r->m, opts->memory_limit);
	iommu_touched_start(r->m, !opts->no_changes);
	return s;
}

struct step_result *run_session_step(struct run_session *s,
				     const struct statement *st)
{
	struct runner *r = &s->r;
	struct step_result *sr = g_new0(struct step_result, 1);

	sr->st = st;
	r->step = sr;
	r->verify = verify_step(r);
	iommu_touched_begin(r->m);
	exec_step(r, sr);
	iommu_touched_end(r->m);
	if (s->opts.ifd_state) {
		g_string_truncate(s->opts.ifd_state, 0);
		ifd_snapshot(r, s->opts.ifd_state);
	}
	if (s->opts.observe)
		s->opts.observe(s->opts.observe_data, r->m, sr);
	if (s->opts.observe_run)
		s->opts.observe_run(s->opts.observe_data, r, sr);
	return sr;
}

struct run_session *run_session_new(const struct scenario *sc,
				    const struct run_opts *opts, GError **err)
{
	struct run_session *s;

	if (!opts->prechecked && !scenario_check(sc, opts, err))
		return NULL;
	s = session_start(sc, opts);
	for (guint i = 0; i < sc->stmts->len; i++)
		step_result_free(run_session_step(s, sc->stmts->pdata[i]));
	return s;
}

const struct iommu_model *run_session_model(const struct run_session *s)
{
	return s->r.m;
}

struct runner *run_session_runner(struct run_session *s)
{
	return &s->r;
}

void run_session_free(struct run_session *s)
{
	if (!s)
		return;
	if (s->opts.keep_task)
		*s->opts.keep_task = process_get(ifd_task(&s->r));
	vfio_sim_free(&s->r);
	ifd_free(&s->r);
	g_hash_table_unref(s->r.handles);
	if (s->opts.keep_model) {
		iommu_touched_stop(s->r.m);   /* nothing records its steps */
		*s->opts.keep_model = s->r.m; /* run_opts.keep_model */
	} else
		iommu_model_free(s->r.m);
	g_free(s);
}

/* After the last step, the whole machine's invariants: what a wide
 * machine's touched checks missed since the last verified step fails
 * the last step (a model bug, named there) */
static void final_check(struct runner *r, struct run_result *rr)
{
	struct step_result *last =
		rr->steps->len ? rr->steps->pdata[rr->steps->len - 1] : NULL;
	bool pass = last && last->pass;
	bool isolation_checked = r->verify || !r->m->touched;
	char *iso;

	if (!last)
		return;
	r->verify = true;
	/* a wide machine's steps since the last verified one */
	iso = isolation_checked || r->inconsistent_since || r->trespass_since
		      ? NULL
		      : check_isolation(r, last);
	if (iso && last->pass) {
		last->pass = false;
		last->failure = iso;
	} else {
		g_free(iso);
	}
	g_free(verified(r, last, "broken invariants",
			iommu_check_invariants_touched(r->m),
			iommu_check_invariants));
	g_free(verified(r, last, "broken contract",
			iommu_check_contract_touched(r->m),
			iommu_check_contract));
	if (pass && !last->pass)
		rr->failures++;
}

struct run_result *scenario_run(const struct scenario *sc,
				const struct run_opts *opts, GError **err)
{
	struct run_session *s;
	struct run_result *rr;

	if (!scenario_check(sc, opts, err))
		return NULL;
	s = session_start(sc, opts);
	rr = g_new0(struct run_result, 1);
	rr->profile = s->r.m->profile->name;
	rr->steps = g_ptr_array_new();
	scenario_guest(sc, rr);
	for (guint i = 0; i < sc->stmts->len; i++) {
		struct step_result *sr =
			run_session_step(s, sc->stmts->pdata[i]);

		g_ptr_array_add(rr->steps, sr);
		if (!sr->pass)
			rr->failures++;
	}
	final_check(&s->r, rr);
	run_session_free(s);
	return rr;
}

void step_result_free(struct step_result *sr)
{
	g_free(sr->why);
	g_free(sr->changes);
	g_free(sr->failure);
	g_free(sr->detail);
	g_free(sr->contract_note);
	if (sr->outs)
		g_array_free(sr->outs, TRUE);
	if (sr->events)
		g_array_free(sr->events, TRUE);
	pt_amdv1_dump_data_free(sr->dump);
	g_free(sr);
}

void run_result_free(struct run_result *rr)
{
	if (!rr)
		return;
	for (guint i = 0; i < rr->steps->len; i++)
		step_result_free(rr->steps->pdata[i]);
	g_ptr_array_free(rr->steps, TRUE);
	g_free(rr->guest_why);
	g_free(rr);
}

char **scenario_profiles(const struct scenario *sc)
{
	const struct statement *st =
		sc->stmts->len ? sc->stmts->pdata[0] : NULL;
	const struct arg *a = st && !strcmp(st->verb, "scenario")
				      ? stmt_arg(st, "profiles")
				      : NULL;
	GPtrArray *out = g_ptr_array_new();

	if (!a) {
		g_ptr_array_add(out, g_strdup(iommu_profile_default()->name));
	} else if (a->val.kind != VAL_LIST) {
		g_ptr_array_add(out, g_strdup(a->val.text));
	} else {
		for (guint i = 0; i < a->val.items->len; i++) {
			const struct value *v = a->val.items->pdata[i];

			g_ptr_array_add(out, g_strdup(v->text));
		}
	}
	g_ptr_array_add(out, NULL);
	return (char **)g_ptr_array_free(out, FALSE);
}
