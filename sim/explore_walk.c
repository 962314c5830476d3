// SPDX-License-Identifier: MIT
/*
 * explore_walk.c - explore --random (explore.h): a walk of random steps
 * from the prefix, reproducible from its seed (a GRand), and its finding
 * shrunk one step at a time to a 1-minimal sequence, as delta debugging
 * ends with. The steps run through the search's explore_run_node().
 */
#include <string.h>

#include "explore_priv.h"

/* Every statement the listed verbs can make at @at. */
static GPtrArray *candidates(struct search *s, struct node *at)
{
	GPtrArray *all = g_ptr_array_new_with_free_func(g_free);

	for (guint v = 0; v < s->verbs->len; v++) {
		const char *unsupported;
		GPtrArray *stmts = explore_verb_values(
			&s->mc, s->verbs->pdata[v], at->handles, at->depth + 1,
			&unsupported);

		for (guint i = 0; stmts && i < stmts->len; i++)
			g_ptr_array_add(all, g_strdup(stmts->pdata[i]));
		if (stmts)
			g_ptr_array_free(stmts, TRUE);
	}
	return all;
}

/* One step of the walk: a random statement that runs (a few tries past
 * the pruned ones), a reference held; NULL when none does. *hit: the
 * step is a finding. */
static struct node *walk_step(struct search *s, struct node *at, GRand *rnd,
			      bool *hit)
{
	g_autoptr(GPtrArray) all = candidates(s, at);

	for (int tries = 0; tries < 16 && all->len; tries++) {
		guint k = g_rand_int_range(rnd, 0, all->len);
		struct node *n = explore_child(s, at, all->pdata[k]);
		enum run_verdict v = explore_run_node(s, n, NULL);

		if (v != RUN_PRUNED) {
			*hit = v == RUN_FOUND;
			return n;
		}
		explore_node_unref(n);
		g_ptr_array_remove_index(all, k);
	}
	return NULL;
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

void explore_walk(struct search *s)
{
	GRand *rnd = g_rand_new_with_seed(s->o->seed);
	struct node *at = s->root;
	bool hit = false;

	at->refs++;
	for (uint64_t i = 0; i < s->o->steps && !hit && at; i++) {
		struct node *next = walk_step(s, at, rnd, &hit);

		explore_node_unref(at);
		at = next;
		if (at && at->depth > s->st->depth_reached)
			s->st->depth_reached = at->depth;
	}
	if (hit)
		shrink(s, at);
	else
		explore_node_unref(at);
	g_rand_free(rnd);
}
