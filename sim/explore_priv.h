/* SPDX-License-Identifier: MIT */
/* explore_priv.h - the explorer's private parts (explore.c, explore_args.c). */
#ifndef IOMMUSIM_SIM_EXPLORE_PRIV_H
#define IOMMUSIM_SIM_EXPLORE_PRIV_H

#include "explore.h"
#include <time.h>

#include "runner.h"

/* A handle a path has bound (a list shared by a node's descendants:
 * each node adds its own in front of its parent's). */
struct explore_handle {
	char *name; /* without the '$' */
	/* NULL: not a handle but a device a hotplug on the path declared
	 * (a T_DEV value from then on) */
	const struct handle_type *type;
	struct explore_handle *next;
};

/* What the machine's arguments range over. */
struct explore_machine {
	GPtrArray *devices; /* endpoint names (pci_device, platform_device) */
	GPtrArray *drivers; /* declared drivers and those devices name */
	GPtrArray *iommus;
	/* where a hotplug (a device-declaring verb listed in --ops) puts a
	 * PCI device on the root bus: a free slot (hot_addrs_init()) */
	GPtrArray *hot_addrs;
	struct explore_handle *handles; /* the prefix's */
};

void explore_machine_init(struct explore_machine *mc,
			  const struct scenario *sc);
void explore_machine_clear(struct explore_machine *mc);
void explore_handle_add(struct explore_handle **list, const char *name,
			const struct handle_type *t);
void explore_handles_free(struct explore_handle *h);

/* A verb the search sequences: an operation, and for one whose selector
 * picks its arguments (op.h .selector: IOMMU_TEST_CMD's op=) the code,
 * a verb of its own ("IOMMU_TEST_CMD:MOCK_DOMAIN" in --ops). */
struct explore_verb {
	const struct op *op;
	uint64_t code;
	char code_name[32]; /* "" for a verb without a selector */
};

/* @v as @op's code @name (op.h .selector; @op with none: @name NULL),
 * the code its place in the selector's choices; false when the row
 * names no such value for the search. */
bool explore_verb_select(const struct op *op, const char *name,
			 struct explore_verb *v);

/* Every statement of @v (without expectation) at generated step @step
 * with @handles bound; NULL with *unsupported the key of a required
 * argument whose type is not enumerated. */
GPtrArray *explore_verb_values(const struct explore_machine *mc,
			       const struct explore_verb *v,
			       const struct explore_handle *handles, int step,
			       const char **unsupported);

/* The same as choices: each enumerated argument's values, the product's
 * size (saturating), statement @j built alone (a random walk picks one
 * of millions without listing them). */
struct explore_choices {
	const struct op *op;
	GPtrArray *vals[32];
	int n;
	uint64_t count;
};
bool explore_verb_choices(const struct explore_machine *mc,
			  const struct explore_verb *v,
			  const struct explore_handle *handles, int step,
			  struct explore_choices *c, const char **unsupported);
char *explore_choice_statement(const struct explore_choices *c, uint64_t j);
void explore_choices_clear(struct explore_choices *c);

/* ---- the search (explore.c), shared with explore_walk.c and
 * explore_emit.c ---- */

/* A step of a path: nodes form a tree by their parent pointers, each
 * holding a reference on its parent; a node lives while the queue, a
 * child or a finding holds it, so the tree is the frontier's paths, not
 * every transition's. */
struct node {
	struct node *parent;
	char *stmt;	     /* the generated statement, no expectation */
	struct scenario *sc; /* stmt parsed (node_stmt()): s->parsed's */
	int depth;
	unsigned int refs;
	struct search *s;		/* counts the live nodes */
	struct explore_handle *handles; /* this node's first, then its
					 * parent's (not owned) */
	struct explore_handle *own;	/* the first it binds (the list's head,
				     * down to parent_handles), or NULL */
	struct explore_handle *parent_handles; /* not owned */
	unsigned int rec; /* 1 + its state's index in s->recs; 0: none */
};

/* What replaying a path left after its last step. */
struct probe {
	bool ub;       /* a step is undefined behaviour: pruned */
	bool invalid;  /* a generated statement did not parse: pruned */
	bool failed;   /* a step failed (an invariant, an out field) */
	char *failure; /* ... why */
	/* devices with unsafe (noiommu) reach after the last step */
	unsigned int unsafe;
	/* the last step's check broke after a caller broke a DMA owner's
	 * contract (step_result.caller_broken): counted, not a finding */
	bool caller_broken;
	struct outcome got; /* the last step's */
	u64 key;	    /* the state's hash: the visited set */
	char *trace;	    /* --vs: the comparable snapshot */
};

/* The visited set: 64-bit keys, open addressing (0 marks a free slot;
 * key 0 is stored as 1). */
struct keyset {
	u64 *slots;
	size_t cap, len;
};

struct found {
	struct node *node; /* a reference held */
	char *kind, *detail;
	char *sig; /* signature(): what makes two findings one */
};

/* A state as the record (--record) holds it: the depth it was first
 * reached at, the transitions from it (0 when not expanded) and what
 * the counts line flags about it (STATE_*). */
enum {
	STATE_UNSAFE = 1 << 0,	      /* explore_stats.unsafe_states */
	STATE_CALLER_BROKEN = 1 << 1, /* explore_stats.caller_broken_states */
};
struct state_rec {
	u64 key;
	uint32_t depth, transitions, pruned, flags;
};

struct search {
	const struct explore_opts *o;
	struct explore_stats *st;
	struct explore_machine mc;
	struct scenario *prefix; /* FILE, parsed and validated once */
	GArray *verbs;		 /* struct explore_verb */
	struct node *root;
	struct keyset seen;
	GQueue queue;	     /* nodes to expand (a reference each) */
	GPtrArray *found;    /* struct found *, first the shortest */
	GHashTable *sigs;    /* the distinct findings' signatures */
	GArray *recs;	     /* struct state_rec, with a record_out only */
	const char *stopped; /* why work was left undone, or NULL */
	GHashTable *parsed;  /* statement text -> its scenario, or NULL */
	char *kind, *detail; /* the last finding run_node() reported */
	/* the key up to interchangeable devices: not with --no-symmetry,
	 * nor with a hotplug listed (a hot-added device is told apart by
	 * where it sits, which the classes do not see) */
	bool symmetric;
	bool last_unsafe; /* run_node()'s state: a device's unsafe reach */
	bool last_caller_broken; /* ... broken after a caller's breach */
	uint64_t live_nodes;
	/* sessions left at warm.at's state by a refused child (explore.c
	 * reach()) */
	struct {
		struct node *at; /* a reference held */
		struct run_session *rs[2];
		u64 key[2];
	} warm;
	/* per profile (0: --profile, 1: --vs), by depth: a session at the
	 * state of the node last kept at that depth, the source a state's
	 * parent is copied from (run_session_copy()) */
	struct {
		GPtrArray *at; /* struct node * (a reference held) or NULL */
		GPtrArray *rs; /* struct run_session * */
		GArray *key;   /* u64: the state's key */
	} path[2];
	gint64 start;
	clock_t cpu;
	uint64_t heap0;	   /* the heap in use before the search */
	uint64_t expanded; /* states expanded (heap samples) */
};

enum run_verdict { RUN_PRUNED, RUN_FOUND, RUN_OK };

struct node *explore_node_new(struct search *s, struct node *parent,
			      const char *stmt);
void explore_node_unref(struct node *n);
/* Run the path to @n under the profile(s): the verdict, the state's key
 * in *key (RUN_OK), the finding in s->kind / s->detail (RUN_FOUND). */
enum run_verdict explore_run_node(struct search *s, struct node *n, u64 *key);
/* Keep the finding s->kind / s->detail at @n unless an equal one was kept
 * (a reference taken). */
void explore_keep_finding(struct search *s, struct node *n);
/* A child of @parent running @stmt, binding its out handle. */
struct node *explore_child(struct search *s, struct node *parent,
			   const char *stmt);
/* ---- producing states (explore_reach.c) ---- */
void explore_probe_clear(struct probe *p);
/* What a step's result adds to @p (the first failure). */
void explore_probe_step(struct probe *p, const struct step_result *sr);
/* A new session at @n's state under @profile: FILE, then @n's path,
 * what the steps did in @p (zeroed first). */
struct run_session *explore_replay_to(struct search *s, struct node *n,
				      const char *profile, struct probe *p);
/* The key of the state @rs is at. */
u64 explore_session_key(struct search *s, struct run_session *rs);
/* Keep @rs (at @n's state, key @key) as profile @i's session at @n's
 * depth, in place of the one kept there; free them all. */
void explore_path_keep(struct search *s, int i, struct node *n,
		       struct run_session *rs, u64 key);
void explore_path_clear(struct search *s, int i);
/* Drop the warm sessions; they are to be at @at's state next. */
void explore_warm_reset(struct search *s, struct node *at);
/* Run @n (its step on its parent's state) under profile @i (0:
 * --profile, 1: --vs): what it did and the state's key in @p. */
void explore_reach(struct search *s, struct node *n, int i, struct probe *p);

/* --random: the walk and its shrinking (explore_walk.c) */
void explore_walk(struct search *s);
/* The finding at @n as a scenario file (explore_emit.c). */
char *explore_emit(struct search *s, const struct found *f);
/* The record of a search (explore_record.c): its identity, every state
 * in @recs, the work in @st, why it @stopped (NULL: it ran to its
 * depth) and the findings @f. */
void explore_record_write(const struct explore_opts *o,
			  const struct explore_stats *st, const GArray *recs,
			  const char *stopped, const struct explore_finding *f,
			  GString *out);
/* The text a path runs as: FILE, then each step (with " => expect"). */
char *explore_path_text(const struct explore_opts *o, const struct node *n,
			char **expects);

#endif
