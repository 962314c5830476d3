/* SPDX-License-Identifier: MIT */
/*
 * cli.h - the iommusim command line's subcommands (cli/ sits on top of
 * sim/ and hw/; nothing below includes this).
 */
#ifndef IOMMUSIM_CLI_CLI_H
#define IOMMUSIM_CLI_CLI_H

/* argv[0] is the subcommand name; each returns the exit status:
 * 0 every expectation holds, 1 one failed, 2 bad input. */
int cmd_corpus(int argc, char **argv);	   /* corpus.c */
int cmd_diff(int argc, char **argv);	   /* diff.c */
int cmd_fail_nth(int argc, char **argv);   /* failnth.c */
int cmd_crosscheck(int argc, char **argv); /* crosscheck.c, with hw/ */
int cmd_show(int argc, char **argv);	   /* view.c, with view/ */
int cmd_report(int argc, char **argv);	   /* view.c, with view/ */
int cmd_repl(int argc, char **argv);	   /* repl.c */
int cmd_explore(int argc, char **argv);	   /* explore.c */
int cmd_exec(int argc, char **argv);	   /* exec.c, with preload/ */
/* profile_path.c: load every --profile-path FILE.so in argv and remove
 * them from it; 0, or 2 after saying why one is not a profile */
int cli_load_profiles(int *argc, char **argv);

#include <glib.h>
#include <stdbool.h>
/* guest.c: every file (struct scenario *) that writes guest=yes can run
 * in the cross-check's guest; false after naming, for the first that
 * cannot, every step and reason why (bad input: exit 2). */
bool cli_guest_claims(GPtrArray *scs);
/* guest.c: corpus's summary line: the files a QEMU guest can run, out of
 * those a 7.3 kernel could (not counting a file that does not declare
 * linux-7.3, injects failures, or gives another profile as its guest=no
 * reason); nothing without hw/. */
void cli_guest_fraction(GPtrArray *scs);

#include <stdio.h>
/* help.c: VERB's kind, the Linux 7.3 function it models and where, and
 * its arguments (`iommusim help VERB`, the repl's `help VERB`); false
 * after saying why for a verb the table has no row for */
bool cli_verb_help(FILE *out, const char *verb);

#endif
