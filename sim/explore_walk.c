// SPDX-License-Identifier: MIT
/*
 * explore_walk.c - explore --random (explore.h): a walk of random steps
 * from the prefix, reproducible from its seed (a GRand), and its finding
 * shrunk one step at a time to a 1-minimal sequence, as delta debugging
 * ends with. The steps run through the search's explore_run_node().
 */
#include <string.h>

#include "explore_priv.h"

/* Every statement the listed verbs can make at @at, as one list that is
 * never built: each verb's choices, one after the other, and the places
 * in it already tried. */
struct candidates {
	struct explore_choices *verb;
	guint verbs;
	uint64_t total;
	GArray *tried; /* uint64_t places, ascending */
};

static void candidates_init(struct candidates *c, struct search *s,
			    struct node *at)
{
	c->verb = g_new0(struct explore_choices, s->verbs->len);
	c->verbs = s->verbs->len;
	c->total = 0;
	c->tried = g_array_new(FALSE, FALSE, sizeof(uint64_t));
	for (guint v = 0; v < c->verbs; v++) {
		const char *unsupported;

		if (explore_verb_choices(
			    &s->mc,
			    &g_array_index(s->verbs, struct explore_verb, v),
			    at->handles, at->depth + 1, &c->verb[v],
			    &unsupported))
			c->total += c->verb[v].count;
	}
}

static void candidates_clear(struct candidates *c)
{
	for (guint v = 0; v < c->verbs; v++)
		explore_choices_clear(&c->verb[v]);
	g_free(c->verb);
	g_array_free(c->tried, TRUE);
}

/* The @k-th of the candidates not yet tried, marked tried. */
static char *candidate_take(struct candidates *c, uint64_t k)
{
	guint at = 0, v = 0;

	while (at < c->tried->len &&
	       g_array_index(c->tried, uint64_t, at) <= k) {
		k++;
		at++;
	}
	g_array_insert_val(c->tried, at, k);
	while (k >= c->verb[v].count)
		k -= c->verb[v++].count;
	return explore_choice_statement(&c->verb[v], k);
}

static uint64_t rand_below(GRand *rnd, uint64_t n)
{
	return n > G_MAXINT32 ? (uint64_t)(g_rand_double(rnd) * n)
			      : (uint64_t)g_rand_int_range(rnd, 0, (gint32)n);
}

/* How many of verb @v's statements are not yet tried (c->tried holds
 * places in the list of them all, ascending). */
static uint64_t verb_untried(const struct candidates *c, guint v)
{
	uint64_t from = 0, n = c->verb[v].count;

	for (guint i = 0; i < v; i++)
		from += c->verb[i].count;
	for (guint at = 0; at < c->tried->len; at++) {
		uint64_t k = g_array_index(c->tried, uint64_t, at);

		if (k >= from && k < from + c->verb[v].count)
			n--;
	}
	return n;
}

/* --by-verb: a verb drawn uniformly among those with a statement left,
 * then one of those uniformly; its place among all the untried ones
 * (what candidate_take() takes). */
static uint64_t draw_by_verb(const struct candidates *c, GRand *rnd)
{
	g_autofree uint64_t *left = g_new(uint64_t, c->verbs);
	guint with = 0, pick;
	uint64_t k = 0;

	for (guint v = 0; v < c->verbs; v++) {
		left[v] = verb_untried(c, v);
		with += left[v] > 0;
	}
	pick = (guint)rand_below(rnd, with);
	for (guint v = 0;; v++) {
		if (left[v] && !pick--)
			return k + rand_below(rnd, left[v]);
		k += left[v];
	}
}

/* One step of the walk: a random statement that runs (a few tries past
 * the pruned ones), a reference held; NULL when none does. *hit: the
 * step is a finding. The statement is the one a list of them all would
 * have at the same random place. */
static struct node *walk_step(struct search *s, struct node *at, GRand *rnd,
			      bool *hit)
{
	struct candidates all;
	struct node *found = NULL;
	int max_tries;

	candidates_init(&all, s, at);
	/* --by-verb: as many tries per verb listed, so that verbs whose
	 * every statement is pruned (the ctx they all name closed) do not
	 * end the walk while others could go on */
	max_tries = s->o->by_verb ? 16 * (int)all.verbs : 16;
	for (int tries = 0; tries < max_tries && all.total > all.tried->len;
	     tries++) {
		uint64_t left = all.total - all.tried->len;
		g_autofree char *stmt = candidate_take(
			&all, s->o->by_verb ? draw_by_verb(&all, rnd)
					    : rand_below(rnd, left));
		struct node *n = explore_child(s, at, stmt);
		enum run_verdict v = explore_run_node(s, n, NULL);

		if (v != RUN_PRUNED) {
			*hit = v == RUN_FOUND;
			found = n;
			break;
		}
		explore_node_unref(n);
	}
	candidates_clear(&all);
	return found;
}

/* @path without the step at @skip: a new chain from the root, its last
 * node returned with a reference. */
static struct node *without(struct search *s, GPtrArray *path, guint skip)
{
	struct node *n = s->root;

	n->refs++;
	for (guint i = 0; i < path->len; i++) {
		struct node *c;

		if (i == skip)
			continue;
		c = explore_child(s, n, path->pdata[i]);
		explore_node_unref(n);
		n = c;
	}
	return n;
}

/* Drop one step at a time while the same kind of finding remains at the
 * end; the shortest kept as the search's finding. Takes @best's
 * reference. */
static void shrink(struct search *s, struct node *best)
{
	g_autofree char *kind = g_strdup(s->kind);
	g_autofree char *detail = g_strdup(s->detail);
	g_autoptr(GPtrArray) path = g_ptr_array_new_with_free_func(g_free);
	guint i = 0;

	for (struct node *n = best; n->stmt; n = n->parent)
		g_ptr_array_insert(path, 0, g_strdup(n->stmt));
	while (path->len > 1 && i + 1 < path->len) {
		struct node *trial = without(s, path, i);

		if (explore_run_node(s, trial, NULL) == RUN_FOUND &&
		    !strcmp(s->kind, kind)) {
			g_free(detail);
			detail = g_strdup(s->detail);
			explore_node_unref(best);
			best = trial;
			g_ptr_array_remove_index(path, i);
			continue;
		}
		explore_node_unref(trial);
		i++;
	}
	g_free(s->kind);
	g_free(s->detail);
	s->kind = g_steal_pointer(&kind);
	s->detail = g_steal_pointer(&detail);
	explore_keep_finding(s, best);
	explore_node_unref(best);
}

/* The walk to @at as a scenario (explore_emit()), its header a walk's. */
static void write_walk(struct search *s, struct node *at, bool hit)
{
	struct found f = { .node = at, .kind = "walk" };
	g_autofree char *text = NULL;

	f.detail = hit ? g_strdup_printf("it ends in a %s finding: %s", s->kind,
					 s->detail)
		       : g_strdup("no finding");
	text = explore_emit(s, &f);
	g_string_append(s->o->walk_out, text);
	g_free(f.detail);
}

void explore_walk(struct search *s)
{
	GRand *rnd = g_rand_new_with_seed(s->o->seed);
	struct node *at = s->root;
	bool hit = false;

	at->refs++;
	for (uint64_t i = 0; i < s->o->steps && !hit; i++) {
		struct node *next = walk_step(s, at, rnd, &hit);

		if (!next) /* nothing ran: the walk ends where it is */
			break;
		explore_node_unref(at);
		at = next;
		if (at->depth > s->st->depth_reached)
			s->st->depth_reached = at->depth;
	}
	if (s->o->walk_out)
		write_walk(s, at, hit);
	if (hit)
		shrink(s, at);
	else
		explore_node_unref(at);
	g_rand_free(rnd);
}
