// SPDX-License-Identifier: MIT
/*
 * explore.c - the search (explore.h): breadth first over sequences of the
 * listed verbs, each state expanded once (by the model's state hash, and
 * under --vs by both models'). No semantics here: a step is run by the
 * runner exactly as `iommusim run` runs it.
 *
 * A state is produced from its parent's by explore_reach.c (a copy of
 * the parent's session and one step; a replay where the copy does not
 * reach), which also keys it.
 */
#include <errno.h>
#include <string.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "explore_priv.h"
#include "errnames.h"
#include "model/state.h"

/* ---- the visited set ---- */

static size_t keyset_slot(const struct keyset *k, u64 key)
{
	size_t i = (key * 0x9e3779b97f4a7c15ull) >> 7 & (k->cap - 1);

	while (k->slots[i] && k->slots[i] != key)
		i = (i + 1) & (k->cap - 1);
	return i;
}

static void keyset_grow(struct keyset *k)
{
	struct keyset old = *k;

	k->cap = old.cap ? old.cap * 2 : 1024;
	k->slots = g_new0(u64, k->cap);
	for (size_t i = 0; i < old.cap; i++) {
		if (old.slots[i])
			k->slots[keyset_slot(k, old.slots[i])] = old.slots[i];
	}
	g_free(old.slots);
}

/* true when @key is new (and now in the set) */
static bool keyset_add(struct keyset *k, u64 key)
{
	size_t i;

	key = key ? key : 1;
	if (2 * (k->len + 1) > k->cap)
		keyset_grow(k);
	i = keyset_slot(k, key);
	if (k->slots[i])
		return false;
	k->slots[i] = key;
	k->len++;
	return true;
}

/* ---- nodes ---- */

struct node *explore_node_new(struct search *s, struct node *parent,
			      const char *stmt)
{
	struct node *n = g_new0(struct node, 1);

	n->parent = parent;
	n->s = s;
	if (++s->live_nodes > s->st->peak_nodes)
		s->st->peak_nodes = s->live_nodes;
	n->stmt = g_strdup(stmt);
	n->refs = 1;
	n->depth = parent ? parent->depth + 1 : 0;
	n->handles = n->parent_handles =
		parent ? parent->handles : s->mc.handles;
	if (parent)
		parent->refs++;
	return n;
}

void explore_node_unref(struct node *n)
{
	while (n && --n->refs == 0) {
		struct node *parent = n->parent;

		n->s->live_nodes--;
		while (n->own) {
			struct explore_handle *next = n->own->next;

			g_free(n->own->name);
			g_free(n->own);
			n->own = next == n->parent_handles ? NULL : next;
		}
		g_free(n->stmt);
		g_free(n);
		n = parent;
	}
}

/* Where " @key=" is in @stmt: the value after it, or NULL. */
static const char *value_after(const char *stmt, const char *key)
{
	size_t len = strlen(key);

	for (const char *at = strchr(stmt, ' '); at; at = strchr(at + 1, ' '))
		if (!strncmp(at + 1, key, len) && at[1 + len] == '=')
			return at + 2 + len;
	return NULL;
}

/* ... " @key=$": the handle's name after it */
static const char *handle_after(const char *stmt, const char *key)
{
	const char *at = value_after(stmt, key);

	return at && *at == '$' ? at + 1 : NULL;
}

/* The out handles @n's statement binds (every one: MOCK_DOMAIN's
 * device, HWPT and idev ids, a fault queue's id and fd), in front of its
 * parent's. */
static void node_bind(struct node *n, const struct op *op)
{
	const char *at;

	if (op->device && (at = value_after(n->stmt, "name"))) {
		/* a hotplug: its device is a T_DEV value from here on */
		struct explore_handle *h = g_new0(struct explore_handle, 1);

		h->name = g_strndup(at, strcspn(at, " "));
		h->next = n->handles;
		n->handles = n->own = h;
	}
	for (const struct arg_spec *a = op->args; a->key; a++) {
		struct explore_handle *h;

		if (a->type != T_OUT || !a->htype ||
		    !(at = handle_after(n->stmt, a->key)))
			continue;
		h = g_new0(struct explore_handle, 1);
		h->name = g_strndup(at, strcspn(at, " "));
		h->type = a->htype;
		h->next = n->handles;
		n->handles = n->own = h;
	}
}

/* ---- the search ---- */

static bool out_of_time(const struct search *s)
{
	if (!s->o->max_seconds)
		return false;
	if (s->o->cpu_clock)
		return clock() - s->cpu > s->o->max_seconds * CLOCKS_PER_SEC;
	return g_get_monotonic_time() - s->start > s->o->max_seconds * 1e6;
}

/* Whether to stop; called only while work remains, so a stop leaves
 * some undone (the record says why: its union is then not the whole). */
static bool stop(struct search *s)
{
	unsigned int cap = s->o->max_findings ? s->o->max_findings : 1;
	const char *why = NULL;

	if (s->found->len >= cap)
		why = "--findings";
	else if (s->o->max_states && s->st->states >= s->o->max_states)
		why = "--max-states";
	else if (out_of_time(s))
		why = "--max-seconds";
	if (why && !s->stopped)
		s->stopped = why;
	return why != NULL;
}

static void note(struct search *s, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
static void note(struct search *s, const char *fmt, ...)
{
	g_autofree char *msg = NULL;
	va_list ap;

	if (!s->o->note)
		return;
	va_start(ap, fmt);
	msg = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	s->o->note(s->o->note_data, msg);
}

/* @op's checks as a verb of the search: one present in every profile
 * searched, whose required arguments are all enumerated; false with a
 * note when it is skipped. */
static bool verb_usable(struct search *s, const struct explore_verb *v)
{
	const char *profs[] = { s->o->profile, s->o->vs };
	const char *unsupported = NULL;
	GPtrArray *vals;
	bool absent = false;

	for (int i = 0; i < 2 && profs[i]; i++)
		absent |= op_absent(v->op, iommu_profile_find(profs[i]));
	if (absent) {
		note(s, "skipped %s: absent in a profile searched",
		     v->op->name);
		return false;
	}
	vals = explore_verb_values(&s->mc, v, NULL, 0, &unsupported);
	if (!vals) {
		note(s,
		     "skipped %s: its argument %s= is of a type not "
		     "enumerated",
		     v->op->name, unsupported);
		return false;
	}
	g_ptr_array_free(vals, TRUE);
	return true;
}

/* The codes "@op" (every one its selector's row names for the search)
 * or "@op:@only" stands for, as verbs; -EINVAL when @only is not one. */
static int add_selected(struct search *s, const struct op *op, const char *only,
			GError **err)
{
	const struct arg_spec *sel = op_arg(op, op->selector);
	g_auto(GStrv) values = g_strsplit(sel->values, "|", -1);
	g_autoptr(GString) codes = g_string_new("");
	bool found = false;

	for (guint k = 0; values[k]; k++) {
		struct explore_verb v;

		if (!explore_verb_select(op, values[k], &v))
			continue;
		g_string_append_printf(codes, "%s%s", codes->len ? ", " : "",
				       values[k]);
		if (only && strcmp(only, values[k]))
			continue;
		found = true;
		if (verb_usable(s, &v))
			g_array_append_val(s->verbs, v);
	}
	if (found)
		return 0;
	g_set_error(err, IOMMUSIM_ERROR, IOMMUSIM_ERROR_INPUT,
		    "--ops: '%s:%s': %s is not an %s= of %s (expected one "
		    "of: %s)",
		    op->name, only, only, op->selector, op->name, codes->str);
	return -EINVAL;
}

/* @op as verbs to sequence: each code of a selector's (or @code only),
 * or the verb itself; left out where a profile searched lacks it */
static int add_verb(struct search *s, const struct op *op, const char *code,
		    GError **err)
{
	struct explore_verb v = { .op = op };

	if (op->takes)
		return add_selected(s, op, code, err);
	if (verb_usable(s, &v))
		g_array_append_val(s->verbs, v);
	return 0;
}

/* "--ops all": every operation verb of the table but fork and exit
 * (a search runs in one process), each selector's every code */
static int pick_all_verbs(struct search *s, GError **err)
{
	for (const struct op *op = op_table; op->name; op++)
		if (op->cls == STEP_OP && !op->forks && !op->exits &&
		    add_verb(s, op, NULL, err))
			return -EINVAL;
	return 0;
}

/* A device's declaration after boot (setup.c setup_device(): the bus
 * notifier probes it): an endpoint's, on the root bus or a platform */
static bool hotplug_verb(const struct op *op)
{
	return op->device && op->after_boot &&
	       (op->dev_kind == DEV_PCI || op->dev_kind == DEV_PLATFORM);
}

/* The verbs to sequence: operation verbs, "VERB:CODE" picking one code
 * of a verb with a selector (op.h .selector), or "all". */
static int pick_verbs(struct search *s, GError **err)
{
	s->verbs = g_array_new(FALSE, TRUE, sizeof(struct explore_verb));
	if (s->o->ops[0] && !strcmp(s->o->ops[0], "all") && !s->o->ops[1])
		return pick_all_verbs(s, err);
	for (char **o = s->o->ops; *o; o++) {
		g_autofree char *name = g_strndup(*o, strcspn(*o, ":"));
		const char *code =
			(*o)[strlen(name)] ? *o + strlen(name) + 1 : NULL;
		const struct op *op = op_find(name);

		if (!op || (op->cls != STEP_OP && !hotplug_verb(op)) ||
		    (code && !op->takes)) {
			g_set_error(err, IOMMUSIM_ERROR, IOMMUSIM_ERROR_INPUT,
				    "--ops: '%s' is not an operation verb (or "
				    "pci_device, platform_device: a hotplug)",
				    *o);
			return -EINVAL;
		}
		if (op->forks || op->exits) {
			g_set_error(err, IOMMUSIM_ERROR, IOMMUSIM_ERROR_INPUT,
				    "--ops: '%s' starts or ends a forked "
				    "child; explore's sequences run in one "
				    "process",
				    *o);
			return -EINVAL;
		}
		if (add_verb(s, op, code, err))
			return -EINVAL;
	}
	return 0;
}

static void report(struct search *s, const char *kind, char *detail)
{
	g_free(s->kind);
	g_free(s->detail);
	s->kind = g_strdup(kind);
	s->detail = detail;
}

/* A failed step's kind of finding: the isolation invariant's own
 * (sim/run.c check_isolation()), or any other broken invariant */
static const char *failure_kind(const char *failure)
{
	return g_str_has_prefix(failure, "isolation broken") ? "isolation"
							     : "invariant";
}

/* Compare the lock-step pair; a finding when they differ. */
static bool differ(struct search *s, struct probe *a, struct probe *b)
{
	g_autofree char *x = outcome_str(&a->got), *y = outcome_str(&b->got);

	if (a->failed || b->failed) {
		report(s, failure_kind(a->failed ? a->failure : b->failure),
		       g_strdup_printf("%s: %s",
				       a->failed ? s->o->profile : s->o->vs,
				       a->failed ? a->failure : b->failure));
		return true;
	}
	if (!outcome_equal(&a->got, &b->got)) {
		report(s, "result",
		       g_strdup_printf("%s: %s, %s: %s", s->o->profile, x,
				       s->o->vs, y));
		return true;
	}
	if (strcmp(a->trace, b->trace)) {
		g_autofree char *only_a = iommu_state_diff(b->trace, a->trace);
		g_autofree char *only_b = iommu_state_diff(a->trace, b->trace);

		report(s, "state",
		       g_strdup_printf("%s only:\n%s\n%s only:\n%s",
				       s->o->profile, only_a ? only_a : "",
				       s->o->vs, only_b ? only_b : ""));
		return true;
	}
	return false;
}

/* Whether this shard expands a state first reached at @depth. */
static bool mine(const struct explore_opts *o, int depth, u64 key)
{
	return !o->shard_n || depth != (int)o->shard_depth ||
	       key % o->shard_n == o->shard_k;
}

static u64 key_pair(u64 a, u64 b)
{
	return a ^ (b * 0x9e3779b97f4a7c15ull + (b >> 7));
}

enum run_verdict explore_run_node(struct search *s, struct node *n, u64 *key)
{
	struct probe a, b = { 0 };
	enum run_verdict v = RUN_OK;

	s->st->transitions++;
	explore_reach(s, n, 0, &a);
	if (s->o->vs && !a.invalid && !a.ub)
		explore_reach(s, n, 1, &b);
	s->last_unsafe = a.unsafe || b.unsafe;
	s->last_caller_broken = a.caller_broken || b.caller_broken;
	if (a.invalid || a.ub || b.invalid || b.ub) {
		s->st->pruned++;
		v = RUN_PRUNED;
	} else if (s->o->vs ? differ(s, &a, &b) : a.failed) {
		if (!s->o->vs)
			report(s, failure_kind(a.failure), g_strdup(a.failure));
		v = RUN_FOUND;
	} else if (key) {
		*key = key_pair(a.key, s->o->vs ? b.key : 0);
	}
	explore_probe_clear(&a);
	explore_probe_clear(&b);
	return v;
}

/* A finding's signature: its kind, its last verb and what differed,
 * without ids and the step numbers in handle names ($xd3 -> $xd). */
static char *signature(const struct search *s, const struct node *n)
{
	GString *g = g_string_new(s->kind);

	g_string_append_printf(g, "\n%.*s\n", (int)strcspn(n->stmt, " "),
			       n->stmt);
	for (const char *p = s->detail; *p; p++) {
		bool num = g_ascii_isdigit(*p) && p > s->detail &&
			   (p[-1] == '#' || g_ascii_isalpha(p[-1]));

		if (!num)
			g_string_append_c(g, *p);
		else
			while (g_ascii_isdigit(p[1]))
				p++;
	}
	return g_string_free(g, FALSE);
}

/* Keep the finding s->kind / s->detail at @n unless an equal one was
 * kept before (breadth first: the one kept is a shortest). */
void explore_keep_finding(struct search *s, struct node *n)
{
	char *sig = signature(s, n);
	struct found *f;

	if (g_hash_table_contains(s->sigs, sig)) {
		g_free(sig);
		return;
	}
	g_hash_table_add(s->sigs, sig);
	f = g_new0(struct found, 1);
	f->node = n;
	n->refs++;
	f->kind = g_strdup(s->kind);
	f->detail = g_strdup(s->detail);
	f->sig = g_strdup(sig);
	g_ptr_array_add(s->found, f);
}

/* A new state @n (key @key) into the record, when one is written. */
static void record_state(struct search *s, struct node *n, u64 key)
{
	struct state_rec r = {
		.key = key ? key : 1,
		.depth = n->depth,
		.flags = (s->last_unsafe ? STATE_UNSAFE : 0) |
			 (s->last_caller_broken ? STATE_CALLER_BROKEN : 0),
	};

	if (!s->recs)
		return;
	g_array_append_val(s->recs, r);
	n->rec = s->recs->len;
}

/* Run the child @n; a new state is queued (the queue takes @n's
 * reference, else it is dropped). */
static void visit(struct search *s, struct node *n)
{
	enum run_verdict v;
	u64 key = 0;

	v = explore_run_node(s, n, &key);
	if (v == RUN_FOUND)
		explore_keep_finding(s, n);
	/* another shard's state is seen here too: a longer path to it
	 * would expand again what its own shard expands */
	if (v != RUN_OK || !keyset_add(&s->seen, key) ||
	    !mine(s->o, n->depth, key)) {
		explore_node_unref(n);
		return;
	}
	s->st->states++;
	record_state(s, n, key);
	s->st->unsafe_states += s->last_unsafe;
	s->st->caller_broken_states += s->last_caller_broken;
	if (n->depth > s->st->depth_reached)
		s->st->depth_reached = n->depth;
	if (n->depth < s->o->depth)
		g_queue_push_tail(&s->queue, n);
	else
		explore_node_unref(n);
}

/* The heap in use now (0 where the C library cannot say). */
static uint64_t heap_in_use(void)
{
#if defined(__GLIBC__) && (__GLIBC__ > 2 || __GLIBC_MINOR__ >= 33)
	return mallinfo2().uordblks;
#else
	return 0;
#endif
}

static void heap_sample(struct search *s)
{
	uint64_t now = heap_in_use();

	if (now > s->heap0 && now - s->heap0 > s->st->heap_bytes)
		s->st->heap_bytes = now - s->heap0;
}

static void expand(struct search *s, struct node *parent)
{
	uint64_t t0 = s->st->transitions, p0 = s->st->pruned;

	if (s->expanded++ % 256 == 0)
		heap_sample(s);
	for (guint v = 0; v < s->verbs->len && !stop(s); v++) {
		const struct explore_verb *verb =
			&g_array_index(s->verbs, struct explore_verb, v);
		const struct op *op = verb->op;
		const char *unsupported;
		GPtrArray *stmts =
			explore_verb_values(&s->mc, verb, parent->handles,
					    parent->depth + 1, &unsupported);

		for (guint i = 0; stmts && i < stmts->len && !stop(s); i++) {
			struct node *n =
				explore_node_new(s, parent, stmts->pdata[i]);

			node_bind(n, op);
			visit(s, n);
		}
		if (stmts)
			g_ptr_array_free(stmts, TRUE);
	}
	if (parent->rec) {
		struct state_rec *r = &g_array_index(s->recs, struct state_rec,
						     parent->rec - 1);

		r->transitions = s->st->transitions - t0;
		r->pruned = s->st->pruned - p0;
	}
	explore_node_unref(parent); /* the queue's reference */
}

/* A child of @parent running @stmt (the walk's and shrink's steps). */
struct node *explore_child(struct search *s, struct node *parent,
			   const char *stmt)
{
	g_autofree char *verb = g_strndup(stmt, strcspn(stmt, " "));
	struct node *n = explore_node_new(s, parent, stmt);

	node_bind(n, op_find(verb));
	return n;
}

/* The prefix alone: it must run cleanly (as `iommusim run` runs it); its
 * state is the first. */
static int root(struct search *s, GError **err)
{
	const char *profs[] = { s->o->profile, s->o->vs };
	u64 h[2] = { 0, 0 };

	s->last_unsafe = s->last_caller_broken = false;
	for (int i = 0; i < 2 && profs[i]; i++) {
		struct run_opts ro = { .profile = profs[i] };
		struct run_result *rr = scenario_run(s->prefix, &ro, err);
		struct run_session *rs;
		struct probe p = { 0 };

		if (!rr)
			return -EINVAL;
		for (guint k = 0; k < rr->steps->len; k++)
			explore_probe_step(&p, rr->steps->pdata[k]);
		run_result_free(rr);
		s->last_unsafe |= p.unsafe != 0;
		s->last_caller_broken |= p.caller_broken;
		if (p.failed) {
			g_set_error(err, IOMMUSIM_ERROR, IOMMUSIM_ERROR_INPUT,
				    "%s: the prefix does not run cleanly "
				    "under %s: %s",
				    s->o->path, profs[i], p.failure);
			explore_probe_clear(&p);
			return -EINVAL;
		}
		explore_probe_clear(&p);
		rs = explore_replay_to(s, s->root, profs[i], &p);
		h[i] = explore_session_key(s, rs);
		explore_path_keep(s, i, s->root, rs, h[i]);
	}
	keyset_add(&s->seen, key_pair(h[0], s->o->vs ? h[1] : 0));
	record_state(s, s->root, key_pair(h[0], s->o->vs ? h[1] : 0));
	s->st->states = 1;
	s->st->unsafe_states = s->last_unsafe;
	s->st->caller_broken_states = s->last_caller_broken;
	s->root->refs++;
	g_queue_push_tail(&s->queue, s->root);
	return 0;
}

static int check_profiles(const struct explore_opts *o, GError **err)
{
	const char *profs[] = { o->profile, o->vs };

	for (int i = 0; i < 2; i++) {
		if (profs[i] && !iommu_profile_find(profs[i])) {
			g_autofree char *names =
				iommu_profile_names_joined(", ");

			g_set_error(err, IOMMUSIM_ERROR, IOMMUSIM_ERROR_INPUT,
				    "unknown profile '%s' (expected %s)",
				    profs[i], names);
			return -EINVAL;
		}
	}
	return 0;
}

static void found_free(gpointer p)
{
	struct found *f = p;

	explore_node_unref(f->node);
	g_free(f->kind);
	g_free(f->detail);
	g_free(f->sig);
	g_free(f);
}

static void parsed_free(gpointer sc)
{
	scenario_free(sc);
}

static int search_init(struct search *s, GError **err)
{
	int ret;

	s->found = g_ptr_array_new_with_free_func(found_free);
	s->sigs = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	s->parsed = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
					  parsed_free);
	g_queue_init(&s->queue);
	if (s->o->record_out)
		s->recs = g_array_new(FALSE, FALSE, sizeof(struct state_rec));
	s->prefix = scenario_parse(s->o->path, s->o->text, err);
	if (!s->prefix)
		return -EINVAL;
	explore_machine_init(&s->mc, s->prefix);
	s->root = explore_node_new(s, NULL, NULL);
	for (int i = 0; i < 2; i++) {
		s->path[i].at = g_ptr_array_new();
		s->path[i].rs = g_ptr_array_new();
		s->path[i].key = g_array_new(FALSE, TRUE, sizeof(u64));
	}
	ret = pick_verbs(s, err);
	if (ret)
		return ret;
	s->symmetric = !s->o->no_symmetry;
	for (guint v = 0; v < s->verbs->len && s->symmetric; v++) {
		const struct op *op =
			g_array_index(s->verbs, struct explore_verb, v).op;

		if (hotplug_verb(op)) {
			s->symmetric = false;
			note(s,
			     "%s listed (a hotplug): the key tells "
			     "interchangeable devices apart (--no-symmetry)",
			     op->name);
		}
	}
	return root(s, err);
}

/* The findings, in the order found, as the caller's list. */
static struct explore_finding *findings(struct search *s)
{
	struct explore_finding *first = NULL, **tail = &first;

	for (guint i = 0; i < s->found->len; i++) {
		const struct found *f = s->found->pdata[i];
		struct explore_finding *e = g_new0(struct explore_finding, 1);

		e->kind = g_strdup(f->kind);
		e->detail = g_strdup(f->detail);
		e->signature = g_strdup(f->sig);
		e->length = f->node->depth;
		e->scenario = explore_emit(s, f);
		*tail = e;
		tail = &e->next;
	}
	return first;
}

static void search_free(struct search *s)
{
	while (!g_queue_is_empty(&s->queue))
		explore_node_unref(g_queue_pop_head(&s->queue));
	if (s->found)
		g_ptr_array_free(s->found, TRUE);
	if (s->sigs)
		g_hash_table_destroy(s->sigs);
	explore_warm_reset(s, NULL);
	explore_path_clear(s, 0);
	explore_path_clear(s, 1);
	explore_node_unref(s->root);
	if (s->parsed)
		g_hash_table_destroy(s->parsed);
	g_free(s->kind);
	g_free(s->detail);
	g_free(s->seen.slots);
	if (s->recs)
		g_array_free(s->recs, TRUE);
	if (s->verbs)
		g_array_free(s->verbs, TRUE);
	if (s->prefix) {
		explore_machine_clear(&s->mc);
		scenario_free(s->prefix);
	}
}

int explore_run(const struct explore_opts *o, struct explore_stats *st,
		struct explore_finding **found, GError **err)
{
	struct search s = { .o = o, .st = st };
	int ret;

	memset(st, 0, sizeof(*st));
	*found = NULL;
	s.start = g_get_monotonic_time();
	s.cpu = clock();
	s.heap0 = heap_in_use();
	ret = check_profiles(o, err);
	if (!ret)
		ret = search_init(&s, err);
	if (!ret && o->random)
		explore_walk(&s);
	while (!ret && !o->random && !g_queue_is_empty(&s.queue) && !stop(&s))
		expand(&s, g_queue_pop_head(&s.queue));
	if (!ret)
		heap_sample(&s);
	if (!ret)
		*found = findings(&s);
	st->findings = s.found ? s.found->len : 0;
	st->seen_bytes = s.seen.cap * sizeof(u64);
	st->seconds = (g_get_monotonic_time() - s.start) / 1e6;
	st->cpu_seconds = (double)(clock() - s.cpu) / CLOCKS_PER_SEC;
	if (!ret && o->record_out)
		explore_record_write(o, st, s.recs, s.stopped, *found,
				     o->record_out);
	search_free(&s);
	return ret;
}

void explore_finding_free(struct explore_finding *f)
{
	while (f) {
		struct explore_finding *next = f->next;

		g_free(f->kind);
		g_free(f->detail);
		g_free(f->signature);
		g_free(f->scenario);
		g_free(f);
		f = next;
	}
}
