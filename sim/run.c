// SPDX-License-Identifier: MIT
/*
 * run.c - executing a validated scenario on the model: one step_result
 * per statement, with the result, the expectation, the kernel's reason,
 * what changed, and the invariants checked after every operation.
 */
#include <stdio.h>
#include <string.h>

#include "runner.h"
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

	if (v->result == RES_FAULT && iommu_is_dma_fault(ret)) {
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
/* A broken contract is the scenario's doing: noted where it starts. */
static void check_contract(struct runner *r, struct step_result *sr)
{
	g_autofree char *bad = iommu_check_contract(r->m);

	if (!bad) {
		r->contract_broken_since = 0;
		return;
	}
	if (r->contract_broken_since)
		return;
	r->contract_broken_since = sr->st->line;
	sr->contract_note = g_strdup_printf(
		"the calls so far break the API's contract (the kernel does "
		"not check): %s",
		bad);
}

static void check_invariants(struct runner *r, struct step_result *sr)
{
	char *bad = iommu_check_invariants(r->m);

	check_contract(r, sr);
	if (!bad) {
		r->inconsistent_since = 0;
		return;
	}
	if (!r->inconsistent_since && (sr->got.warn || r->m->left_inconsistent))
		r->inconsistent_since = sr->st->line;
	if (r->inconsistent_since) {
		/* after the verb's own text (sysfs_show, dump), not over it */
		const char *text = sr->detail ? sr->detail : "";
		char *note = g_strdup_printf(
			"%s%sstate inconsistent since line %d (the kernel left "
			"it so): %s",
			text,
			*text && !g_str_has_suffix(text, "\n") ? "\n" : "",
			r->inconsistent_since, bad);

		g_free(sr->detail);
		sr->detail = note;
	} else if (sr->pass) {
		sr->pass = false;
		sr->failure = g_strdup_printf("invariant broken: %s", bad);
	}
	g_free(bad);
}

/* The model's state as the trace shows it, the iommufd side this run
 * holds (its ctxs, bound devices and process: sim/ifd.c) and the kernel's
 * taint (sim/vfio.c) */
static char *run_snapshot(struct runner *r)
{
	g_autofree char *m = iommu_state_snapshot(r->m, IOMMU_STATE_TRACE);
	GString *s = g_string_new(m);

	ifd_snapshot(r, s);
	vfio_snapshot(r, s);
	return g_string_free(s, FALSE);
}

/* The snapshot a step's "changed:" is computed against; NULL when the
 * caller wants no changes (an explorer's replays: the text dominates). */
static char *snapshot_if(struct runner *r)
{
	return r->opts->no_changes ? NULL : run_snapshot(r);
}

static char *changes_since(struct runner *r, const char *before)
{
	g_autofree char *after = NULL;

	if (!before)
		return NULL;
	after = run_snapshot(r);
	return iommu_state_diff(before, after);
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
	g_autofree char *before = snapshot_if(r);
	int ret;

	sr->expected = stmt_expect(sr->st, p);
	if (op_absent(v, r->m->profile)) {
		sr->got.kind = OUT_ABSENT;
		sr->why =
			g_strdup_printf("%s does not exist in %s", v->name, p);
		judge(r, sr);
		return;
	}
	r->value = 0;
	r->nouts = 0;
	r->outs_after_error = false;
	ret = v->exec(r, sr->st);
	if (ret == IOMMU_UB) {
		undefined(r, sr);
		return;
	}
	sr->got = to_outcome(r, v, ret);
	keep_outs(r, sr, ret);
	sr->kernel_not_atomic = r->m->left_inconsistent;
	sr->changes = changes_since(r, before);
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
		g_autofree char *before = snapshot_if(r);

		ret = v->exec(r, sr->st);
		if (r->m->booted)
			sr->changes = changes_since(r, before);
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

static void handle_free(gpointer p)
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

struct run_session {
	struct runner r;
	struct run_opts opts;
};

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
	ifd_state(r); /* the process exists before its first step */
	fault_arm(&r->m->fault, opts->fail_nth);
	iommu_memory_set_limit(r->m, opts->memory_limit);
	return s;
}

struct step_result *run_session_step(struct run_session *s,
				     const struct statement *st)
{
	struct runner *r = &s->r;
	struct step_result *sr = g_new0(struct step_result, 1);

	sr->st = st;
	r->step = sr;
	exec_step(r, sr);
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

/* The handles, when each names a domain by (id, serial): the copy's
 * domains have the same ones. Other types (iommufd files, VFIO fds,
 * buffers) name objects the copy does not cover. */
static GHashTable *handles_copy(GHashTable *from)
{
	GHashTable *to = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
					       handle_free);
	GHashTableIter it;
	gpointer key, val;

	g_hash_table_iter_init(&it, from);
	while (g_hash_table_iter_next(&it, &key, &val)) {
		const struct handle *h = val;

		if (h->type != &ht_domain) {
			g_hash_table_destroy(to);
			return NULL;
		}
		g_hash_table_insert(to, g_strdup(key),
				    g_memdup2(h, sizeof(*h)));
	}
	return to;
}

struct run_session *run_session_copy(const struct run_session *s)
{
	const struct runner *r = &s->r;
	struct run_session *n;
	struct iommu_model *m;
	GHashTable *handles;

	if (!vfio_sim_empty(r) || !(handles = handles_copy(r->handles)))
		return NULL;
	m = iommu_model_copy(r->m);
	if (!m) {
		g_hash_table_destroy(handles);
		return NULL;
	}
	n = g_new0(struct run_session, 1);
	n->opts = s->opts;
	n->opts.keep_model = NULL; /* a copy hands nothing over */
	n->opts.keep_task = NULL;
	n->r = *r;
	n->r.opts = &n->opts;
	n->r.m = m;
	n->r.handles = handles;
	n->r.step = NULL;
	n->r.nouts = 0;
	n->r.ifd = NULL;
	n->r.vfio = NULL;
	if (ifd_copy(&n->r, r)) {
		run_session_free(n);
		return NULL;
	}
	return n;
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
	g_hash_table_destroy(s->r.handles);
	if (s->opts.keep_model)
		*s->opts.keep_model = s->r.m; /* run_opts.keep_model */
	else
		iommu_model_free(s->r.m);
	g_free(s);
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
